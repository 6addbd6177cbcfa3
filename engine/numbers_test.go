package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
)

// Thread counts, loops and seconds that are not whole numbers in range are
// load errors naming the value; JMeter would silently run 0 users or wrap
// the time around.
func TestGroupNumbersOutOfRangeAreProblems(t *testing.T) {
	sched := bp("ThreadGroup.scheduler", true)
	cases := []struct {
		threads, ramp, loops, extra string
		want                        string
	}{
		{"NaN", "0", "1", "", `ThreadGroup.num_threads: "NaN" is not a number`},
		{"Infinity", "0", "1", "", `"Infinity" is not a number`},
		{"1e30", "0", "1", "", `"1e30" is out of range`},
		{"99999999999999999999", "0", "1", "", `"99999999999999999999" is out of range`},
		{"-5", "0", "1", "", `"-5" is out of range (0 to 2147483647)`},
		{"2.7", "0", "1", "", `"2.7" is not a whole number`},
		{"1", "-1", "1", "", `ThreadGroup.ramp_time: "-1" is out of range`},
		{"1", "18446744074", "1", "", `ThreadGroup.ramp_time: "18446744074" is out of range (0s to 9223372036s)`},
		{"1", "0", "1e10", "", `LoopController.loops: "1e10" is out of range`},
		{"1", "0", "1", sched + sp("ThreadGroup.duration", "18446744074"), `ThreadGroup.duration: "18446744074" is out of range`},
		{"1", "0", "1", sched + sp("ThreadGroup.duration", "-20"), `ThreadGroup.duration: "-20" is out of range`},
		{"1", "0", "1", sched + sp("ThreadGroup.duration", "0"), `ThreadGroup.duration: "0" must be > 0`},
		{"1", "0", "1", sched + sp("ThreadGroup.duration", "5") + sp("ThreadGroup.delay", "NaN"), `ThreadGroup.delay: "NaN" is not a number`},
	}
	for _, c := range cases {
		xml := planXML(tgClass("ThreadGroup", "Users", c.threads, c.ramp, c.loops, c.extra, get(nil, "A", "/a")))
		_, err := compileXML(t, xml, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "Users") {
			t.Errorf("threads=%s ramp=%s loops=%s %s: got %v, want %q", c.threads, c.ramp, c.loops, c.extra, err, c.want)
		}
	}
	// in range: no problem; a duration is only read with the scheduler on
	for _, xml := range []string{
		planXML(tgClass("ThreadGroup", "Users", "+3", "9223372036", "-1", "", get(nil, "A", "/a"))),
		planXML(tgClass("ThreadGroup", "Users", "1", "0", "1", sp("ThreadGroup.duration", "-20"), get(nil, "A", "/a"))),
	} {
		if _, err := compileXML(t, xml, Options{}); err != nil {
			t.Errorf("%v", err)
		}
	}
}

// A plugin group's numbers must be finite and fit in a duration.
func TestPluginGroupNumbersOutOfRange(t *testing.T) {
	for _, v := range []string{"NaN", "Infinity", "1e300", "99999999999999999999"} {
		xml := planXML(el{tag: classConcurrency, gui: "ConcurrencyThreadGroupGui", name: "C",
			props: sp("TargetLevel", v) + sp("RampUp", "1") + sp("Hold", "1") + sp("Unit", "S"), kids: []el{get(nil, "A", "/a")}})
		_, err := compileXML(t, xml, Options{})
		if err == nil || !strings.Contains(err.Error(), "TargetLevel") || !strings.Contains(err.Error(), v) {
			t.Errorf("TargetLevel=%s: got %v", v, err)
		}
	}
}

// A value computed at run time is checked when the group starts, before
// any user: the run fails naming it.
func TestGroupNumbersCheckedAtRunTime(t *testing.T) {
	srv := newServer(t)
	xml := planXML(udvs("v", "ramp", "${__P(ramp,1)}"), tgClass("ThreadGroup", "G", "1", "${ramp}", "1", "", get(srv, "A", "/a")))
	p := functions.NewProperties()
	p.Set("ramp", "18446744074")
	tst, err := compileXML(t, xml, Options{Props: p})
	if err != nil {
		t.Fatal(err)
	}
	err = tst.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), `ThreadGroup.ramp_time: "18446744074" is out of range`) {
		t.Fatalf("Run: %v", err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestParseWhole(t *testing.T) {
	for _, c := range []struct {
		v    string
		want int64
		bad  string
	}{
		{"7", 7, ""}, {"+7", 7, ""}, {"2147483647", 2147483647, ""},
		{"2147483648", 0, "out of range"}, {"2.0", 0, "out of range"}, {"0x10", 0, "not a number"},
		{"", 0, "not a number"}, {"-Infinity", 0, "not a number"}, {"1.5", 0, "not a whole number"},
	} {
		n, reason := parseWhole(c.v, threadsRange)
		if n != c.want || (c.bad == "") != (reason == "") || !strings.Contains(reason, c.bad) {
			t.Errorf("parseWhole(%q) = %d, %q; want %d, %q", c.v, n, reason, c.want, c.bad)
		}
	}
}

// Durations computed from huge numbers saturate instead of wrapping to a
// short or negative time.
func TestScaleDurationSaturates(t *testing.T) {
	if d := scaleDuration(18446744074, time.Second); d != 1<<63-1 {
		t.Errorf("18446744074 s = %v", d)
	}
	if d := scaleDuration(-18446744074, time.Second); d != -1<<63 {
		t.Errorf("-18446744074 s = %v", d)
	}
	if d := scaleDuration(3, time.Millisecond); d != 3*time.Millisecond {
		t.Errorf("3 ms = %v", d)
	}
	if n := clampInt(1e30, 0); n != 1<<63-1 {
		t.Errorf("clampInt(1e30) = %d", n)
	}
	if n := clampInt(-1e30, 0); n != -1<<63 {
		t.Errorf("clampInt(-1e30) = %d", n)
	}
}

// A thread count the machine's memory cannot hold is refused at load,
// with the estimate and the property that overrides the limit.
func TestThreadCountBeyondMemoryIsRefused(t *testing.T) {
	avail, ok := availableMemory()
	if !ok {
		t.Skip("the available memory cannot be read on this system")
	}
	_ = avail
	xml := planXML(tgClass("ThreadGroup", "Users", "1000000000", "0", "1", "", get(nil, "A", "/a")))
	_, err := compileXML(t, xml, Options{})
	if err == nil || !strings.Contains(err.Error(), "1000000000 users need about 14 TB") || !strings.Contains(err.Error(), PropMaxThreads) {
		t.Fatalf("got %v", err)
	}
	// sharded: each shard holds its part
	if _, err := compileXML(t, xml, Options{Shards: 1000000, Shard: 0}); err != nil {
		t.Errorf("one millionth per shard: %v", err)
	}
	p := functions.NewProperties()
	p.Set(PropMaxThreads, "10")
	xml = planXML(tgClass("ThreadGroup", "Users", "11", "0", "1", "", get(nil, "A", "/a")))
	if _, err := compileXML(t, xml, Options{Props: p}); err == nil || !strings.Contains(err.Error(), "11 users") || !strings.Contains(err.Error(), PropMaxThreads+"=10") {
		t.Errorf("max 10, 11 users: %v", err)
	}
	p.Set(PropMaxThreads, "20")
	if _, err := compileXML(t, xml, Options{Props: p}); err != nil {
		t.Errorf("max 20, 11 users: %v", err)
	}
}

// When memory runs low the run stops starting users and says so; the
// threshold is a property (here above any machine's memory).
func TestLowMemoryStopsStartingUsers(t *testing.T) {
	if _, ok := availableMemory(); !ok {
		t.Skip("the available memory cannot be read on this system")
	}
	srv := newServer(t)
	var logs []string
	p := functions.NewProperties()
	p.Set(PropMinFreeMemory, "1000000000") // 1 PB
	tst, err := compileXML(t, planXML(tg("G", 5, 0, "1", "", get(srv, "A", "/a"))),
		Options{Props: p, Log: func(level, msg string) { logs = append(logs, level+" "+msg) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := tst.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests with no memory to start users", n)
	}
	if !strings.Contains(strings.Join(logs, "\n"), "WARN memory is low") || !strings.Contains(strings.Join(logs, "\n"), PropMinFreeMemory) {
		t.Errorf("no warning: %v", logs)
	}
}

// FuzzParseWhole: any text is either a whole number within its range or a
// reason, never a panic or an out-of-range value.
func FuzzParseWhole(f *testing.F) {
	for _, s := range []string{"1", "-5", "2.7", "NaN", "Infinity", "-Infinity", "1e30", "99999999999999999999", "+3", "0x10", "", " 7", "9223372036"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range []numberRange{threadsRange, loopsRange, secondsRange} {
			n, reason := parseWhole(s, r)
			if reason == "" && (n < r.lo || n > r.hi) {
				t.Fatalf("%q: %d outside %d..%d", s, n, r.lo, r.hi)
			}
			if reason != "" && n != 0 {
				t.Fatalf("%q: %d with reason %q", s, n, reason)
			}
		}
	})
}
