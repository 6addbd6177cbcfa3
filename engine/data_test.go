package engine

import (
	"github.com/gometer/gometer/output"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/jmx"
)

func csvEl(file, names, extra string) el {
	return el{tag: "CSVDataSet", gui: "TestBeanGUI", name: "CSV", props: sp("filename", file) + sp("variableNames", names) + sp("delimiter", ",") + extra}
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCSVDataSetShareAllRecycle(t *testing.T) {
	srv := newServer(t)
	f := writeFile(t, t.TempDir(), "users.csv", "alice,1\nbob,2\ncarol,3\n")
	xml := planXML(tg("G", 2, 0, "3", "", csvEl(f, "name,id", bp("recycle", true)+sp("shareMode", "shareMode.all")), get(srv, "x", "/u/${name}/${id}")))
	run(t, xml, nil)
	p := sortedCopy(srv.paths())
	want := []string{"/u/alice/1", "/u/alice/1", "/u/bob/2", "/u/bob/2", "/u/carol/3", "/u/carol/3"}
	if strings.Join(p, ",") != strings.Join(want, ",") {
		t.Fatalf("shared file: %v", p)
	}
}

func TestCSVDataSetThreadModeHeaderAndEOF(t *testing.T) {
	srv := newServer(t)
	f := writeFile(t, t.TempDir(), "data.csv", "who;what\nx;1\ny;2\n")
	props := sp("delimiter", ";") + bp("recycle", false) + bp("stopThread", false) + sp("shareMode", "shareMode.thread")
	xml := planXML(tg("G", 2, 0, "3", "", el{tag: "CSVDataSet", gui: "TestBeanGUI", name: "CSV", props: sp("filename", "data.csv") + sp("variableNames", "") + props},
		get(srv, "x", "/v/${__urlencode(${who})}/${__urlencode(${what})}?u=${__threadNum}")))
	// the plan lives next to the CSV: relative file names resolve against it
	plan, err := jmx.Parse([]byte(xml), filepath.Join(filepath.Dir(f), "plan.jmx"))
	if err != nil {
		t.Fatal(err)
	}
	out := &sink{}
	tst, err := Compile(plan, Options{Outputs: []output.Output{out}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tst.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	per := map[string][]string{}
	for _, r := range srv.requests() {
		per[r.user] = append(per[r.user], r.path)
	}
	for _, u := range []string{"1", "2"} {
		if got := strings.Join(per[u], ","); got != "/v/x/1,/v/y/2,/v/<EOF>/<EOF>" {
			t.Errorf("user %s: %s", u, got)
		}
	}
}

func TestCSVDataSetStopThreadAtEOF(t *testing.T) {
	srv := newServer(t)
	f := writeFile(t, t.TempDir(), "d.csv", "\"a,1\",x\n\"b\"\"2\",y\n")
	props := bp("recycle", false) + bp("stopThread", true) + bp("quotedData", true) + sp("shareMode", "shareMode.all")
	xml := planXML(tg("G", 1, 0, "-1", "", csvEl(f, "v,w", props), get(srv, "x", "/q?v=${__urlencode(${v})}&w=${w}")))
	run(t, xml, nil)
	reqs := srv.requests()
	if len(reqs) != 2 || reqs[0].query.Get("v") != "a,1" || reqs[1].query.Get("v") != `b"2` {
		var got []string
		for _, r := range reqs {
			got = append(got, r.query.Encode())
		}
		t.Fatalf("got %v", got)
	}
}

func TestCSVDataSetGroupShare(t *testing.T) {
	srv := newServer(t)
	f := writeFile(t, t.TempDir(), "g.csv", "1\n2\n3\n4\n")
	csv := csvEl(f, "n", sp("shareMode", "shareMode.group")+bp("recycle", false))
	xml := planXML(csv,
		tg("A", 1, 0, "2", "", get(srv, "a", "/a/${n}")),
		tg("B", 1, 0, "2", "", get(srv, "b", "/b/${n}")),
	)
	run(t, xml, nil)
	p := sortedCopy(srv.paths())
	if strings.Join(p, ",") != "/a/1,/a/2,/b/1,/b/2" {
		t.Fatalf("group share: %v", p)
	}
}

func TestMissingCSVIsAProblem(t *testing.T) {
	xml := planXML(tg("G", 1, 0, "1", "", csvEl("/nonexistent/x.csv", "a", "")))
	_, err := compileXML(t, xml, Options{})
	if err == nil || !strings.Contains(err.Error(), "x.csv") {
		t.Fatalf("want a problem naming the file, got %v", err)
	}
}

func TestCounterConfig(t *testing.T) {
	srv := newServer(t)
	global := ctrl("CounterConfig", "g", sp("CounterConfig.start", "10")+sp("CounterConfig.end", "11")+sp("CounterConfig.incr", "1")+sp("CounterConfig.name", "g")+bp("CounterConfig.per_user", false))
	per := ctrl("CounterConfig", "p", sp("CounterConfig.start", "1")+sp("CounterConfig.end", "")+sp("CounterConfig.incr", "2")+sp("CounterConfig.name", "p")+sp("CounterConfig.format", "000")+bp("CounterConfig.per_user", true))
	xml := planXML(tg("G", 1, 0, "3", "", global, per, get(srv, "x", "/c/${g}/${p}")))
	run(t, xml, nil)
	if got := joined(srv); got != "/c/10/001,/c/11/003,/c/10/005" {
		t.Fatalf("got %s", got)
	}
}

func TestRandomVariableConfig(t *testing.T) {
	srv := newServer(t)
	rv := el{tag: "RandomVariableConfig", gui: "TestBeanGUI", name: "rv", props: sp("variableName", "r") + sp("outputFormat", "ID-00") + sp("minimumValue", "5") + sp("maximumValue", "7") + bp("perThread", true)}
	xml := planXML(tg("G", 1, 0, "30", "", rv, get(srv, "x", "/r/${r}")))
	run(t, xml, nil)
	seen := map[string]bool{}
	for _, p := range srv.paths() {
		seen[p] = true
		if p != "/r/ID-05" && p != "/r/ID-06" && p != "/r/ID-07" {
			t.Fatalf("out of range: %s", p)
		}
	}
	if len(seen) < 2 {
		t.Errorf("no variation: %v", seen)
	}
}

func TestUserParameters(t *testing.T) {
	srv := newServer(t)
	props := `<collectionProp name="UserParameters.names">` + sp("1", "who") + `</collectionProp>` +
		`<collectionProp name="UserParameters.thread_values"><collectionProp name="a">` + sp("1", "first") + `</collectionProp><collectionProp name="b">` + sp("1", "second-${__threadNum}") + `</collectionProp></collectionProp>` +
		bp("UserParameters.per_iteration", false)
	xml := planXML(tg("G", 3, 0, "1", "", ctrl("UserParameters", "up", props), get(srv, "x", "/p/${who}?u=${__threadNum}")))
	run(t, xml, nil)
	per := map[string]string{}
	for _, r := range srv.requests() {
		per[r.user] = r.path
	}
	if per["1"] != "/p/first" || per["2"] != "/p/second-2" || per["3"] != "/p/first" {
		t.Fatalf("got %v", per)
	}
}

func TestResultCollectorScope(t *testing.T) {
	srv := newServer(t)
	inner := el{tag: "ResultCollector", gui: "SimpleDataWriter", name: "inner file", props: sp("filename", "inner.jtl")}
	outer := el{tag: "ResultCollector", gui: "SimpleDataWriter", name: "all file", props: sp("filename", "all.jtl")}
	xml := planXML(outer, tg("G", 1, 0, "1", "",
		ctrl("GenericController", "c", "", get(srv, "in", "/in"), inner),
		get(srv, "out", "/out"),
	))
	outs := map[string]*sink{}
	open := func(e *jmx.Element) (output.Output, error) {
		s := &sink{}
		outs[e.Str("filename")] = s
		return s, nil
	}
	tst, err := compileXML(t, xml, Options{OpenListener: open})
	if err != nil {
		t.Fatal(err)
	}
	if err := tst.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(outs["inner.jtl"].labels(), ","); got != "in" {
		t.Errorf("inner collector got %s", got)
	}
	if got := strings.Join(outs["all.jtl"].labels(), ","); got != "in,out" {
		t.Errorf("plan-level collector got %s", got)
	}
}

func TestSameUserOnNextIterationFalseUsesNewConnections(t *testing.T) {
	for _, same := range []bool{true, false} {
		srv := newServer(t)
		var addrs []string
		srv.handler = func(w http.ResponseWriter, r *http.Request) bool {
			addrs = append(addrs, r.RemoteAddr)
			return false
		}
		xml := planXML(tg("G", 1, 0, "3", bp("ThreadGroup.same_user_on_next_iteration", same), get(srv, "x", "/x")))
		run(t, xml, nil)
		distinct := map[string]bool{}
		for _, a := range addrs {
			distinct[a] = true
		}
		if same && len(distinct) != 1 {
			t.Errorf("same user: %d connections, want 1", len(distinct))
		}
		if !same && len(distinct) != 3 {
			t.Errorf("new user each iteration: %d connections, want 3", len(distinct))
		}
	}
}

func TestTimersRandomAndThroughput(t *testing.T) {
	srv := newServer(t)
	uni := el{tag: "UniformRandomTimer", gui: "UniformRandomTimerGui", name: "u", props: sp("ConstantTimer.delay", "100") + sp("RandomTimer.range", "100")}
	xml := planXML(tg("G", 1, 0, "4", "", get(srv, "x", "/x", uni)))
	start := time.Now()
	run(t, xml, nil)
	if d := time.Since(start); d < 400*time.Millisecond || d > 2*time.Second {
		t.Errorf("4 uniform delays of 100-200 ms took %v", d)
	}

	srv2 := newServer(t)
	ctt := el{tag: "ConstantThroughputTimer", gui: "TestBeanGUI", name: "ctt", props: `<intProp name="calcMode">0</intProp><doubleProp><name>throughput</name><value>300.0</value><savedValue>0.0</savedValue></doubleProp>`}
	xml = planXML(tg("G", 1, 0, "6", "", get(srv2, "x", "/x", ctt)))
	start = time.Now()
	run(t, xml, nil)
	// 300/min = one per 200 ms: 6 samples need about 1 s (the first is immediate).
	if d := time.Since(start); d < 950*time.Millisecond || d > 2500*time.Millisecond {
		t.Errorf("constant throughput: 6 samples at 300/min took %v", d)
	}
}

func TestSyncTimerReleasesTogether(t *testing.T) {
	srv := newServer(t)
	sync := el{tag: "SyncTimer", gui: "TestBeanGUI", name: "sync", props: sp("groupSize", "3") + sp("timeoutInMs", "5000")}
	xml := planXML(tg("G", 3, 1, "1", "", get(srv, "x", "/x", sync)))
	run(t, xml, nil)
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatal(len(reqs))
	}
	ts := []time.Time{reqs[0].at, reqs[1].at, reqs[2].at}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	if spread := ts[2].Sub(ts[0]); spread > 350*time.Millisecond {
		t.Errorf("released over %v, want together (ramp-up spread them by 666 ms)", spread)
	}
}

func TestThroughputTimersShared(t *testing.T) {
	srv := newServer(t)
	// calcMode 3: one schedule shared by all threads, 600/min = every 100 ms.
	ctt := el{tag: "ConstantThroughputTimer", gui: "TestBeanGUI", name: "ctt", props: `<intProp name="calcMode">3</intProp><doubleProp><name>throughput</name><value>600.0</value><savedValue>0.0</savedValue></doubleProp>`}
	xml := planXML(tg("G", 3, 0, "4", "", get(srv, "x", "/x", ctt)))
	start := time.Now()
	run(t, xml, nil)
	// 12 samples spaced 100 ms apart across the 3 users: about 1.1 s
	if d := time.Since(start); d < 1000*time.Millisecond || d > 2500*time.Millisecond+loadSlack {
		t.Errorf("12 shared-schedule samples at 600/min took %v", d)
	}

	srv2 := newServer(t)
	precise := el{tag: "PreciseThroughputTimer", gui: "TestBeanGUI", name: "ptt", props: `<doubleProp><name>throughput</name><value>20.0</value><savedValue>0.0</savedValue></doubleProp>` +
		`<intProp name="throughputPeriod">1</intProp><longProp name="duration">10</longProp><intProp name="batchSize">1</intProp><intProp name="batchThreadDelay">0</intProp><longProp name="randomSeed">7</longProp>`}
	extra := bp("ThreadGroup.scheduler", true) + sp("ThreadGroup.duration", "2") + sp("ThreadGroup.delay", "0")
	xml = planXML(tg("G", 4, 0, "-1", extra, get(srv2, "x", "/x", precise)))
	run(t, xml, nil)
	if n := len(srv2.requests()); n < 25 || n > 55 { // Poisson arrivals at 20/s over 2 s
		t.Errorf("precise throughput: %d samples in 2 s at 20/s", n)
	}
}

// The Throughput Shaping Timer against a real server: the plan's rows, or
// the load_profile property in their place; each whole second of the
// schedule (a row's last second included, as the plugin counts) gets its
// rate, then the test stops. The timer publishes its figures as properties.
func TestThroughputShapingTimer(t *testing.T) {
	row := func(a, b, d string) string {
		return `<collectionProp name="r">` + sp("1", a) + sp("2", b) + sp("3", d) + `</collectionProp>`
	}
	for _, c := range []struct {
		name  string
		rows  string
		props map[string]string
		want  int
	}{
		{"rows", row("10", "10", "1") + row("${r}", "${r}", "1"), nil, 10 + 10 + 20},
		{"property", row("100", "100", "10"), map[string]string{"load_profile": "const(15,1s)"}, 30},
		{"named property", row("100", "100", "10"), map[string]string{"load_profile": "const(50,9s)", "tst.load_profile": "line(10,20,1s)"}, 10 + 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newServer(t)
			shaping := el{tag: classShapingTimer, gui: classShapingTimer + "Gui", name: "tst", props: `<collectionProp name="load_profile">` + c.rows + `</collectionProp>`}
			xml := planXML(udvs("v", "r", "20"), tg("G", 10, 0, "-1", "", get(srv, "x", "/x", shaping)))
			tst, _ := run(t, xml, c.props)
			// never more than the schedule; a loaded machine may fall a little short
			if n := len(srv.requests()); n < c.want-5 || n > c.want {
				t.Errorf("%d requests, want %d", n, c.want)
			}
			if d, _ := tst.props.Get("tst_totalDuration"); d == "" {
				t.Errorf("tst_totalDuration not published")
			}
			if r, _ := tst.props.Get("tst_rps"); !strings.HasSuffix(r, ".0") {
				t.Errorf("tst_rps %q, want a Java double", r)
			}
		})
	}
}

func TestTimerFactorScalesModifiableTimers(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "2", "", get(srv, "x", "/x", constTimer(400))))
	start := time.Now()
	run(t, xml, map[string]string{"timer.factor": "0.25"})
	if d := time.Since(start); d > 600*time.Millisecond || d < 180*time.Millisecond {
		t.Errorf("two 400 ms pauses at factor 0.25 took %v, want about 200 ms", d)
	}
}

// A CSV file in a charset other than UTF-8 is read with that charset: the
// names Java uses work (GB2312, Cp1252), and windows-1252's 0x80 is the euro
// sign, not U+0080.
func TestCSVDataSetCharsets(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		enc   string
		bytes string
		want  string
	}{
		{"GB2312", "\xd6\xd0\xce\xc4,1\n", "/u/中文/1"},
		{"Cp1252", "\x80uro,2\n", "/u/€uro/2"},
		{"ISO-8859-1", "caf\xe9,3\n", "/u/café/3"},
	} {
		srv := newServer(t)
		f := writeFile(t, dir, c.enc+".csv", c.bytes)
		xml := planXML(tg("G", 1, 0, "1", "", csvEl(f, "name,id", sp("fileEncoding", c.enc)), get(srv, "x", "/u/${name}/${id}")))
		run(t, xml, nil)
		if p := srv.paths(); len(p) != 1 || p[0] != c.want {
			t.Errorf("%s: requests %q, want %q", c.enc, p, c.want)
		}
	}
	if _, err := compileXML(t, planXML(tg("G", 1, 0, "1", "", csvEl(writeFile(t, dir, "x.csv", "a\n"), "n", sp("fileEncoding", "x-bogus")))), Options{}); err == nil || !strings.Contains(err.Error(), `"x-bogus"`) {
		t.Errorf("unknown charset: %v", err)
	}
}
