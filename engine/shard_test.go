package engine

import (
	"context"
	"fmt"
	"github.com/gometer/gometer/output"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// shardTests are N Tests of one plan, one per shard, plus the unsharded one.
func shardTests(t *testing.T, xml string, n int, props map[string]string) (whole *Test, shards []*Test) {
	t.Helper()
	mk := func(shard, shards int) *Test {
		p := functions.NewProperties()
		for k, v := range props {
			p.Set(k, v)
		}
		tst, err := compileXML(t, xml, Options{Props: p, Shard: shard, Shards: shards})
		if err != nil {
			t.Fatal(err)
		}
		return tst
	}
	whole = mk(0, 1)
	for i := range n {
		shards = append(shards, mk(i, n))
	}
	return whole, shards
}

type planned struct {
	num   int
	start time.Duration
	end   time.Duration
}

func plansOf(ps []userPlan, base time.Time) []planned {
	var out []planned
	for _, p := range ps {
		out = append(out, planned{p.num, p.start.Sub(base), p.end.Sub(base)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].num < out[j].num })
	return out
}

// The shares of all shards add up to the whole, for every count and shard
// count, and differ by at most one.
func TestShareOfAddsUp(t *testing.T) {
	for N := 1; N <= 7; N++ {
		for n := 0; n <= 50; n++ {
			sum, lo, hi := 0, n, 0
			for s := range N {
				tst := &Test{opts: Options{Shard: s, Shards: N}}
				k := tst.shareOf(n)
				sum += k
				lo, hi = min(lo, k), max(hi, k)
			}
			if sum != n || hi-lo > 1 {
				t.Fatalf("n=%d over %d shards: shares sum to %d (min %d, max %d)", n, N, sum, lo, hi)
			}
		}
	}
}

// Ultimate and Stepping groups: the union of the shards' users, with their
// start and end times, is exactly the unsharded schedule.
func TestShardedSchedulesUnionIsTheWholeRun(t *testing.T) {
	ultimate := el{tag: "kg.apc.jmeter.threads.UltimateThreadGroup", name: "U", props: `<collectionProp name="ultimatethreadgroupdata">` +
		`<collectionProp name="1"><stringProp name="a">7</stringProp><stringProp name="b">0</stringProp><stringProp name="c">3</stringProp><stringProp name="d">5</stringProp><stringProp name="e">2</stringProp></collectionProp>` +
		`<collectionProp name="2"><stringProp name="a">5</stringProp><stringProp name="b">4</stringProp><stringProp name="c">1</stringProp><stringProp name="d">2</stringProp><stringProp name="e">1</stringProp></collectionProp>` +
		`</collectionProp>`}
	stepping := el{tag: "kg.apc.jmeter.threads.SteppingThreadGroup", name: "S", props: sp("ThreadGroup.num_threads", "23") +
		sp("Threads initial delay", "1") + sp("Start users count", "4") + sp("Start users count burst", "3") + sp("Start users period", "2") +
		sp("Stop users count", "5") + sp("Stop users period", "1") + sp("flighttime", "10") + sp("rampUp", "1")}
	for _, g := range []el{ultimate, stepping} {
		for _, N := range []int{2, 3, 4} {
			whole, shards := shardTests(t, planXML(g), N, nil)
			base := time.Unix(1000, 0)
			schedule := func(tst *Test) []userPlan {
				gr := &groupRun{g: tst.main[0], t: tst}
				c := tst.newUserContext(functions.NewVars())
				if tst.main[0].kind == shapeUltimate {
					return gr.shardPlans(gr.ultimatePlans(c, base))
				}
				return gr.shardPlans(gr.steppingPlans(c, base))
			}
			want := plansOf(schedule(whole), base)
			var got []userPlan
			for i, s := range shards {
				mine := schedule(s)
				if len(mine) != s.shareOf(len(want)) {
					t.Errorf("%s shard %d/%d: %d users, want %d", g.name, i+1, N, len(mine), s.shareOf(len(want)))
				}
				got = append(got, mine...)
			}
			if union := plansOf(got, base); !slices.Equal(union, want) {
				t.Errorf("%s over %d shards:\n got %v\nwant %v", g.name, N, union, want)
			}
		}
	}
}

// Arrival-driven groups: each shard serves the arrivals k with k mod N equal
// to its shard, at the whole run's times.
func TestShardedArrivalsUnionIsTheWholeSchedule(t *testing.T) {
	rate := func(t float64) float64 { // a ramp then a hold, with a pause
		switch {
		case t >= 20:
			return -1
		case t >= 8 && t < 9:
			return 0
		case t < 5:
			return 1 + 3*t
		}
		return 17
	}
	var want []float64
	c := arrivalClock{rate: rate}
	for {
		_, at, ok := c.next()
		if !ok {
			break
		}
		want = append(want, at)
	}
	for _, N := range []int{2, 3, 5} {
		var got []float64
		for s := range N {
			tst := &Test{opts: Options{Shard: s, Shards: N}}
			c := arrivalClock{rate: rate}
			n := 0
			for {
				k, at, ok := c.next()
				if !ok {
					break
				}
				if tst.mine(k) {
					got = append(got, at)
					n++
				}
			}
			if n != tst.shareOf(len(want)) {
				t.Errorf("shard %d/%d served %d arrivals, want %d", s+1, N, n, tst.shareOf(len(want)))
			}
		}
		sort.Float64s(got)
		if !slices.Equal(got, want) {
			t.Errorf("%d shards: union of arrivals differs from the whole schedule (%d vs %d)", N, len(got), len(want))
		}
	}
}

// The Precise Throughput Timer: the same schedule is drawn in every shard
// (also without a seed), and each takes its own events (whole batches).
func TestShardedPreciseTimerEvents(t *testing.T) {
	timer := el{tag: "PreciseThroughputTimer", gui: "TestBeanGUI", name: "P", props: `<doubleProp><name>throughput</name><value>120</value><savedValue>0.0</savedValue></doubleProp>` +
		`<intProp name="throughputPeriod">60</intProp><longProp name="duration">10</longProp><intProp name="batchSize">2</intProp>`}
	xml := planXML(tg("G", 1, 0, "1", "", el{tag: "DebugSampler", name: "D", kids: []el{timer}}))
	whole, shards := shardTests(t, xml, 3, nil)
	events := func(tst *Test, n int) []float64 {
		var find func(e *jmx.Element) *jmx.Element
		find = func(e *jmx.Element) *jmx.Element {
			if e.Class() == "PreciseThroughputTimer" {
				return e
			}
			for _, k := range e.Children {
				if f := find(k); f != nil {
					return f
				}
			}
			return nil
		}
		tm, err := (&compiler{}).buildPreciseTimer(find(tst.plan.Roots[0]))
		if err != nil {
			t.Fatal(err)
		}
		pt := tm.(*preciseTimer)
		s := &poissonSchedule{owner: pt, batchSize: 2, rnd: newJavaRandom(int64(shardSeed(pt.el)))}
		c := tst.newUserContext(functions.NewVars())
		var out []float64
		for range n {
			at, err := s.nextOf(tst, c)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, at)
		}
		return out
	}
	want := events(whole, 36) // 18 batches of 2
	var got []float64
	for _, s := range shards {
		got = append(got, events(s, 12)...) // 6 batches each
	}
	sort.Float64s(got)
	if !slices.Equal(got, want) {
		t.Errorf("union of the shards' precise-timer events differs:\n got %v\nwant %v", got, want)
	}
}

// setUp and tearDown groups run in one shard only (the first by default).
func TestShardedSetupTeardownRunOnce(t *testing.T) {
	for _, tc := range []struct {
		prop string
		want []bool
	}{{"", []bool{true, false, false}}, {"2", []bool{false, true, false}}, {"all", []bool{true, true, true}}} {
		props := map[string]string{}
		if tc.prop != "" {
			props["gometer.shard.setup_teardown"] = tc.prop
		}
		_, shards := shardTests(t, planXML(tg("G", 1, 0, "1", "")), 3, props)
		var got []bool
		for _, s := range shards {
			got = append(got, s.runsSetupTeardown())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("gometer.shard.setup_teardown=%q: shards running setUp/tearDown %v, want %v", tc.prop, got, tc.want)
		}
	}
}

// Thread names keep the whole run's numbering in every shard.
func TestShardUserNumbers(t *testing.T) {
	var all []string
	for s := range 3 {
		tst := &Test{opts: Options{Shard: s, Shards: 3}}
		for j := range 4 {
			all = append(all, fmt.Sprint(tst.userNum(j)))
		}
	}
	sort.Slice(all, func(i, j int) bool { return len(all[i]) < len(all[j]) || len(all[i]) == len(all[j]) && all[i] < all[j] })
	if got := strings.Join(all, ","); got != "1,2,3,4,5,6,7,8,9,10,11,12" {
		t.Errorf("user numbers over 3 shards: %s", got)
	}
}

// With gometer.csv.split, each shard reads a disjoint part of a CSV Data Set
// (after its header): together they read every record exactly once.
func TestShardedCSVSplit(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i := range 10 {
		lines = append(lines, fmt.Sprintf("user%02d", i))
	}
	f := writeFile(t, dir, "logins.csv", "login\n"+strings.Join(lines, "\n")+"\n")
	xml := planXML(tg("G", 3, 0, "20", "",
		el{tag: "CSVDataSet", gui: "TestBeanGUI", name: "CSV", props: sp("filename", f) + sp("variableNames", "") + sp("delimiter", ",") +
			bp("recycle", false) + bp("stopThread", true) + sp("shareMode", "shareMode.all")},
		el{tag: "DebugSampler", name: "${login}"}))
	for _, tc := range []struct {
		prop  string
		split bool
	}{{"all", true}, {"other.csv, logins.csv", true}, {"", false}} {
		var got []string
		for s := range 3 {
			p := functions.NewProperties()
			p.Set("gometer.csv.split", tc.prop)
			out := &sink{}
			tst, err := compileXML(t, xml, Options{Props: p, Outputs: []output.Output{out}, Shard: s, Shards: 3})
			if err != nil {
				t.Fatal(err)
			}
			if err := tst.Run(t.Context()); err != nil {
				t.Fatal(err)
			}
			got = append(got, out.labels()...)
		}
		sort.Strings(got)
		want := lines
		if !tc.split { // every shard reads the whole file, as JMeter's servers do
			want = nil
			for range 3 {
				want = append(want, lines...)
			}
			sort.Strings(want)
		}
		if !slices.Equal(got, want) {
			t.Errorf("gometer.csv.split=%q: the shards read %v, want %v", tc.prop, got, want)
		}
	}
}

// A common start time: no sample starts before it; a start already past it
// by more than the tolerance is reported; stopping while waiting sends
// nothing.
func TestStartAt(t *testing.T) {
	xml := planXML(tg("G", 2, 0, "1", "", el{tag: "DebugSampler", name: "D"}))
	at := time.Now().Add(300 * time.Millisecond)
	out := &sink{}
	tst, err := compileXML(t, xml, Options{Outputs: []output.Output{out}, StartAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if err := tst.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	res := out.all()
	if len(res) != 2 {
		t.Fatalf("%d samples", len(res))
	}
	for _, r := range res {
		if r.Start.Before(at) {
			t.Errorf("a sample started at %v, before the common start %v", r.Start, at)
		}
	}
	if tst.LateStart() != 0 {
		t.Errorf("on-time start reported late by %v", tst.LateStart())
	}

	late, err := compileXML(t, xml, Options{Outputs: []output.Output{&sink{}}, StartAt: time.Now().Add(-5 * time.Second), StartAtTolerance: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := late.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if late.LateStart() < 5*time.Second {
		t.Errorf("a start 5 s after the common start reported late by %v", late.LateStart())
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	never := &sink{}
	stopped, err := compileXML(t, xml, Options{Outputs: []output.Output{never}, StartAt: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := stopped.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(never.all()) != 0 {
		t.Errorf("stopped before the start, yet %d samples", len(never.all()))
	}
}

// The Throughput Shaping Timer: each shard takes every N-th slot of the
// whole profile, so the union of the shards' slots is the profile's.
func TestShardedShapingTimerSlots(t *testing.T) {
	timer := el{tag: classShapingTimer, gui: "kg.apc.jmeter.timers.VariableThroughputTimerGui", name: "shape",
		props: `<collectionProp name="load_profile"><collectionProp name="1"><stringProp name="a">2</stringProp><stringProp name="b">2</stringProp><stringProp name="c">60</stringProp></collectionProp></collectionProp>`}
	xml := planXML(tg("G", 1, 0, "1", "", el{tag: "DebugSampler", name: "D", kids: []el{timer}}))
	whole, shards := shardTests(t, xml, 3, nil)
	slots := func(tst *Test, n int) []time.Duration {
		var find func(e *jmx.Element) *jmx.Element
		find = func(e *jmx.Element) *jmx.Element {
			if e.Class() == classShapingTimer {
				return e
			}
			for _, k := range e.Children {
				if f := find(k); f != nil {
					return f
				}
			}
			return nil
		}
		tm, err := (&compiler{}).buildShapingTimer(find(tst.plan.Roots[0]))
		if err != nil {
			t.Fatal(err)
		}
		u := &vuser{t: tst, ctx: tst.newUserContext(functions.NewVars())}
		var out []time.Duration
		for range n {
			now := time.Now()
			d := tm.delay(u)
			v, _ := tst.state.Load(sharedKey{el: tm.(*shapingTimer).el})
			out = append(out, now.Add(d).Sub(v.(*shapingState).start).Round(10*time.Millisecond))
		}
		return out
	}
	// slots are 500 ms apart: the few microseconds between calls do not
	// move them (a slot is only pulled forward when it is already past)
	want := slots(whole, 12)
	var got []time.Duration
	for _, s := range shards {
		got = append(got, slots(s, 4)...)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("union of the shards' slots %v, whole profile %v", got, want)
	}
}

// Constant Throughput Timer: a target for this thread only is per user (the
// shards' users are split already); a target shared by all threads is the
// whole run's, so each of N shards spaces its samples N times wider.
func TestShardedConstantThroughputSpacing(t *testing.T) {
	for _, mode := range []int{0, 1, 3} {
		timer := el{tag: "ConstantThroughputTimer", gui: "TestBeanGUI", name: "ctt",
			props: `<intProp name="calcMode">` + strconv.Itoa(mode) + `</intProp><doubleProp><name>throughput</name><value>600</value><savedValue>0.0</savedValue></doubleProp>`}
		xml := planXML(tg("G", 1, 0, "1", "", el{tag: "DebugSampler", name: "D", kids: []el{timer}}))
		for _, N := range []int{1, 4} {
			p := functions.NewProperties()
			tst, err := compileXML(t, xml, Options{Props: p, Shard: 0, Shards: N})
			if err != nil {
				t.Fatal(err)
			}
			var find func(e *jmx.Element) *jmx.Element
			find = func(e *jmx.Element) *jmx.Element {
				if e.Class() == "ConstantThroughputTimer" {
					return e
				}
				for _, k := range e.Children {
					if f := find(k); f != nil {
						return f
					}
				}
				return nil
			}
			c := &compiler{t: tst}
			tm, err := c.buildTimer(find(tst.plan.Roots[0]))
			if err != nil {
				t.Fatal(err)
			}
			gr := &groupRun{t: tst}
			u := &vuser{t: tst, gr: gr, ctx: tst.newUserContext(functions.NewVars()), slots: make([]slot, 8)}
			tm.delay(u) // the first sample goes at once
			d := tm.delay(u)
			want := 100 * time.Millisecond // 600/min
			if mode != 0 {
				want *= time.Duration(N)
			}
			if d < want-20*time.Millisecond || d > want {
				t.Errorf("calcMode %d, %d shards: next sample in %v, want about %v", mode, N, d, want)
			}
		}
	}
}

// Free-Form Arrivals and Open Model groups: the shards draw the same whole
// schedule (a random one from a seed every shard derives alike) and each
// serves its own arrivals, so together they serve every arrival once, at
// its time.
func TestShardedFreeFormAndOpenModelArrivals(t *testing.T) {
	freeForm := el{tag: classFreeForm, name: "F", props: sp("Unit", "S") + `<collectionProp name="Schedule">` +
		`<collectionProp name="1"><stringProp name="a">2</stringProp><stringProp name="b">20</stringProp><stringProp name="c">4</stringProp></collectionProp>` +
		`<collectionProp name="2"><stringProp name="a">20</stringProp><stringProp name="b">5</stringProp><stringProp name="c">3</stringProp></collectionProp>` +
		`</collectionProp>`}
	open := el{tag: classOpenModel, name: "O", props: sp("OpenModelThreadGroup.schedule", "rate(5/s) random_arrivals(4 s) rate(30/s) even_arrivals(2 s)")}
	for _, g := range []el{freeForm, open} {
		whole, shards := shardTests(t, planXML(g), 3, nil)
		times := func(tst *Test) []float64 {
			gr := &groupRun{g: tst.main[0], t: tst}
			c := tst.newUserContext(functions.NewVars())
			var all []float64
			if tst.main[0].kind == shapeFreeForm {
				clock := arrivalClock{rate: gr.freeFormRate(c)}
				for {
					k, at, ok := clock.next()
					if !ok {
						break
					}
					if tst.mine(k) {
						all = append(all, at)
					}
				}
				return all
			}
			m, err := parseOpenModel(tst.main[0].p["OpenModelThreadGroup.schedule"].Eval(c))
			if err != nil {
				t.Fatal(err)
			}
			seed := shardSeed(tst.main[0].el) // what runOpenModel uses under --shard
			k := int64(0)
			m.arrivals(rand.New(rand.NewPCG(seed, seed)), func(at float64) bool {
				if tst.mine(k) {
					all = append(all, at)
				}
				k++
				return true
			})
			return all
		}
		want := times(whole)
		var got []float64
		for _, s := range shards {
			mine := times(s)
			if len(mine) != s.shareOf(len(want)) {
				t.Errorf("%s: a shard served %d of %d arrivals", g.name, len(mine), len(want))
			}
			got = append(got, mine...)
		}
		sort.Float64s(got)
		if len(want) < 20 || !slices.Equal(got, want) {
			t.Errorf("%s: union of the shards' arrivals (%d) differs from the whole schedule (%d)", g.name, len(got), len(want))
		}
	}
}
