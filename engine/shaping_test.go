package engine

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// The schedule's rate per whole second, as the plugin's getRPSForSecond
// computes it: linear within a row, a row's last second still its own.
func TestShapingRateAt(t *testing.T) {
	rows := []shapeRow{{20, 20, 1}, {40, 40, 1}}
	var got []float64
	for s := int64(0); s <= 3; s++ {
		r, total := rateAt(rows, s)
		got = append(got, r)
		if total != 2 {
			t.Fatalf("total duration %d, want 2", total)
		}
	}
	if !reflect.DeepEqual(got, []float64{20, 20, 40, -1}) {
		t.Errorf("rates %v, want [20 20 40 -1]", got)
	}
	line := []shapeRow{{10, 100, 60}}
	for _, c := range []struct {
		sec  int64
		want float64
	}{{0, 10}, {30, 55}, {60, 100}, {61, -1}} {
		if r, _ := rateAt(line, c.sec); r != c.want {
			t.Errorf("line(10,100,60) at %ds: %v, want %v", c.sec, r, c.want)
		}
	}
	if r, _ := rateAt([]shapeRow{{5, 5, 0}}, 0); !math.IsNaN(r) {
		t.Errorf("a row of 0 s at second 0: %v, want NaN (0/0 in Java)", r)
	}
}

func TestLoadProfileProperty(t *testing.T) {
	rows, warns := parseLoadProfile("const(10,10s) line(10,100,1m) step(5,25,5,1s)")
	want := []shapeRow{{10, 10, 10}, {10, 100, 60}, {5, 5, 1}, {10, 10, 1}, {15, 15, 1}, {20, 20, 1}, {25, 25, 1}}
	if !reflect.DeepEqual(rows, want) || len(warns) != 0 {
		t.Errorf("rows %v warnings %v, want %v", rows, warns, want)
	}
	// falling steps stop short of the end value, as the plugin's loop does
	rows, _ = parseLoadProfile("STEP(25, 5, 5, 2m) Const( 7 , 1h30m )")
	want = []shapeRow{{25, 25, 120}, {20, 20, 120}, {15, 15, 120}, {10, 10, 120}, {7, 7, 5400}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %v, want %v", rows, want)
	}
	// chunks the plugin cannot read are left out, each with a warning; a
	// step of 0 going down (the plugin loops for ever) is one of them
	rows, warns = parseLoadProfile("const(1.5,10s) foo(1,2) const(3,2x) step(5,1,0,1s) const(4) line(1,2,3s) ")
	if !reflect.DeepEqual(rows, []shapeRow{{1, 2, 3}}) || len(warns) != 6 {
		t.Errorf("rows %v, %d warnings %q", rows, len(warns), warns)
	}
	for _, w := range warns {
		if !strings.Contains(w, "load_profile chunk") {
			t.Errorf("warning %q does not name the chunk", w)
		}
	}
	if _, warns := parseLoadProfile("step(1,2000000,1,1s)"); len(warns) != 1 {
		t.Errorf("a step of two million rows: warnings %q", warns)
	}
	for s, want := range map[string]int64{"90": 90, "10s": 10, "1m30s": 90, "1d11h23m6s": 127386, " 2H ": 7200} {
		if got, err := shortSeconds(s); err != nil || got != want {
			t.Errorf("shortSeconds(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"h", "1 m", "5w"} {
		if _, err := shortSeconds(s); err == nil {
			t.Errorf("shortSeconds(%q) accepted", s)
		}
	}
}

// places hands out n places to callers at the given times (ms).
func places(rate func(int64) float64, at ...int64) (out []int64, end int64) {
	var p tstPacer
	for _, now := range at {
		p.advance(now)
		a, ok := p.place(now, rate, func() bool { return true })
		if !ok {
			return out, a
		}
		out = append(out, a)
	}
	return out, -1
}

func constRate(r float64) func(int64) float64 { return func(int64) float64 { return r } }

// Within a second the n-th sample may start n·1000/rate ms into it:
// ceil(rate) samples a second, one at a rate of 0; a caller that comes late
// in a second takes the places already due at once.
func TestShapingPlaces(t *testing.T) {
	zeros := func(n int) []int64 { return make([]int64, n) }
	for _, c := range []struct {
		name string
		rate float64
		at   []int64
		want []int64
	}{
		{"10/s", 10, zeros(12), []int64{0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100}},
		{"2.5/s", 2.5, zeros(7), []int64{0, 400, 800, 1000, 1400, 1800, 2000}},
		{"3/s rounds up to whole ms", 3, zeros(4), []int64{0, 334, 667, 1000}},
		{"0/s", 0, zeros(3), []int64{0, 1000, 2000}},
		{"late callers", 10, []int64{550, 550, 550, 560, 600, 990}, []int64{550, 550, 550, 560, 600, 990}},
		{"NaN rate: no limit", math.NaN(), zeros(3), []int64{0, 0, 0}},
	} {
		if got, _ := places(constRate(c.rate), c.at...); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: places %v, want %v", c.name, got, c.want)
		}
	}
	// the schedule's end: a rate of 2 for seconds 0 and 1 (a 1 s row), then over
	rows := []shapeRow{{2, 2, 1}}
	rate := func(s int64) float64 { r, _ := rateAt(rows, s); return r }
	got, end := places(rate, zeros(6)...)
	if !reflect.DeepEqual(got, []int64{0, 500, 1000, 1500}) || end != 2000 {
		t.Errorf("places %v, end %d; want [0 500 1000 1500], end 2000", got, end)
	}
	// a rate that changes at each second is read for each second
	ramp := func(s int64) float64 { return float64(s + 1) }
	if got, _ := places(ramp, zeros(6)...); !reflect.DeepEqual(got, []int64{0, 1000, 1500, 2000, 2334, 2667}) {
		t.Errorf("ramp 1,2,3/s: places %v", got)
	}
}

// At each new second the pacer tells how many places the second before had
// and how many handed-out places are still ahead (the plugin's cntSent and
// cntDelayed).
func TestShapingPacerCounts(t *testing.T) {
	var p tstPacer
	rate := constRate(4)
	mine := func() bool { return true }
	p.advance(0)
	for range 6 {
		p.place(0, rate, mine) // 0, 250, 500, 750, 1000, 1250
	}
	changed, sent := p.advance(1010)
	if !changed || sent != 4 || len(p.waiting) != 1 {
		t.Errorf("at 1010 ms: changed %v, sent before %d, waiting %d; want true, 4, 1 (the place at 1250)", changed, sent, len(p.waiting))
	}
	if changed, _ := p.advance(1500); changed {
		t.Errorf("still second 1 at 1500 ms")
	}
}

// A Concurrency Thread Group whose target is __tstFeedback grows to what
// the Throughput Shaping Timer's rate needs: one user doing a 200 ms request
// after another makes 5 a second of the 20 asked, so the function asks for
// more users each second (never more than its maximum, 6).
func TestShapingFeedbackGrowsConcurrency(t *testing.T) {
	srv := newServer(t)
	shaping := el{tag: classShapingTimer, gui: classShapingTimer + "Gui", name: "tst",
		props: `<collectionProp name="load_profile"><collectionProp name="r">` + sp("1", "20") + sp("2", "20") + sp("3", "3") + `</collectionProp></collectionProp>`}
	props := vuController() + sp("TargetLevel", "${__tstFeedback(tst,1,6,0.5)}") + sp("RampUp", "0") + sp("Steps", "0") +
		sp("Hold", "8") + sp("Iterations", "") + sp("Unit", "S")
	xml := planXML(pluginGroup(classConcurrency, "CTG", props, get(srv, "x", "/slow?d=200ms&u=${__threadNum}", shaping)))
	tst, _ := run(t, xml, nil)
	users := map[string]bool{}
	for _, r := range srv.requests() {
		users[r.user] = true
	}
	if len(users) < 3 || len(users) > 6 {
		t.Errorf("%d users took part, want the feedback to grow them to 3…6", len(users))
	}
	if con, _ := tst.props.Get("tst_concurrency"); con == "" || con == "1" {
		t.Errorf("tst_concurrency %q: the feedback never asked for more users", con)
	}
}

// At the end of its schedule the timer stops the thread group it paces, not
// the test: another group runs all its iterations.
func TestShapingEndStopsOnlyItsGroup(t *testing.T) {
	srv := newServer(t)
	shaping := el{tag: classShapingTimer, gui: classShapingTimer + "Gui", name: "tst",
		props: `<collectionProp name="load_profile"><collectionProp name="r">` + sp("1", "10") + sp("2", "10") + sp("3", "1") + `</collectionProp></collectionProp>`}
	xml := planXML(
		tg("Shaped", 2, 0, "-1", "", get(srv, "s", "/s", shaping)),
		tg("Other", 1, 0, "4", "", get(srv, "o", "/o", constTimer(800))),
	)
	run(t, xml, nil)
	shaped, other := 0, 0
	for _, p := range srv.paths() {
		switch p {
		case "/s":
			shaped++
		case "/o":
			other++
		}
	}
	if shaped < 15 || shaped > 20 || other != 4 {
		t.Errorf("shaped group %d samples (want its two seconds at 10/s), other group %d (want all 4)", shaped, other)
	}
}
