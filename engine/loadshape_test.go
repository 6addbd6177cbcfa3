package engine

import (
	"github.com/gometer/gometer/functions"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"
)

func pluginGroup(class, name, props string, kids ...el) el {
	return el{tag: class, gui: class + "Gui", name: name, props: props, kids: kids}
}

func vuController() string {
	return `<elementProp name="ThreadGroup.main_controller" elementType="com.blazemeter.jmeter.control.VirtualUserController"/>`
}

// startsByUser returns each user's first request time relative to start.
func startsByUser(s *server, start time.Time) map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, r := range s.requests() {
		if _, ok := out[r.user]; !ok {
			out[r.user] = r.at.Sub(start)
		}
	}
	return out
}

// loadSlack widens the upper bounds of wall-clock checks: on a loaded
// 2-core CI machine (load average 20 seen) a goroutine's wake-up can come
// over a second late. The lower bounds, which show that a schedule holds
// samples back, stay exact; the upper ones only catch a hang or a schedule
// far too slow.
const loadSlack = 2 * time.Second

func TestUltimateThreadGroup(t *testing.T) {
	srv := newServer(t)
	rows := `<collectionProp name="ultimatethreadgroupdata"><collectionProp name="1">` +
		sp("1", "2") + sp("2", "0") + sp("3", "1") + sp("4", "1") + sp("5", "0") + `</collectionProp></collectionProp>`
	loop := `<elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" testclass="LoopController" testname="Loop Controller" enabled="true">` +
		bp("LoopController.continue_forever", false) + `<intProp name="LoopController.loops">-1</intProp></elementProp>`
	xml := planXML(pluginGroup(classUltimate, "UTG", rows+loop, get(srv, "x", "/x?u=${__threadNum}", constTimer(100))))
	start := time.Now()
	_, out := run(t, xml, nil)
	took := time.Since(start)
	st := startsByUser(srv, start)
	// k-th created thread of a row starts at ramp·k/N: thread 1 at 1 s, thread 2 at 0.5 s.
	if d := st["1"]; d < 900*time.Millisecond || d > 1400*time.Millisecond+loadSlack {
		t.Errorf("thread 1 started at %v, want ~1 s", d)
	}
	if d := st["2"]; d < 400*time.Millisecond || d > 900*time.Millisecond+loadSlack {
		t.Errorf("thread 2 started at %v, want ~0.5 s", d)
	}
	if took < 1900*time.Millisecond || took > 3500*time.Millisecond+loadSlack {
		t.Errorf("group took %v, want ~2 s (ramp 1 s + hold 1 s)", took)
	}
	maxAll := 0
	for _, r := range out.all() {
		maxAll = max(maxAll, r.AllThreads)
	}
	if maxAll != 2 {
		t.Errorf("max active threads %d", maxAll)
	}
}

func TestSteppingThreadGroup(t *testing.T) {
	srv := newServer(t)
	props := sp("ThreadGroup.num_threads", "4") + sp("Threads initial delay", "0") + sp("Start users count", "2") + sp("Start users count burst", "0") +
		sp("Start users period", "1") + sp("Stop users count", "4") + sp("Stop users period", "1") + sp("flighttime", "1") + sp("rampUp", "0") +
		`<elementProp name="ThreadGroup.main_controller" elementType="LoopController">` + bp("LoopController.continue_forever", false) + sp("LoopController.loops", "-1") + `</elementProp>`
	xml := planXML(pluginGroup(classStepping, "STG", props, get(srv, "x", "/x?u=${__threadNum}", constTimer(100))))
	start := time.Now()
	run(t, xml, nil)
	took := time.Since(start)
	st := startsByUser(srv, start)
	for _, u := range []string{"1", "2"} {
		if st[u] > 400*time.Millisecond {
			t.Errorf("user %s of the first step started at %v", u, st[u])
		}
	}
	for _, u := range []string{"3", "4"} {
		if st[u] < 900*time.Millisecond || st[u] > 1500*time.Millisecond {
			t.Errorf("user %s of the second step started at %v, want ~1 s", u, st[u])
		}
	}
	if took < 1900*time.Millisecond || took > 3500*time.Millisecond {
		t.Errorf("took %v, want ~2 s", took)
	}
}

func TestConcurrencyThreadGroup(t *testing.T) {
	srv := newServer(t)
	props := vuController() + sp("TargetLevel", "3") + sp("RampUp", "") + sp("Steps", "") + sp("Hold", "1") + sp("Iterations", "") + sp("Unit", "S")
	xml := planXML(pluginGroup(classConcurrency, "CTG", props, get(srv, "x", "/x?u=${__threadNum}", constTimer(100))))
	start := time.Now()
	_, out := run(t, xml, nil)
	took := time.Since(start)
	if took < 900*time.Millisecond || took > 2500*time.Millisecond {
		t.Errorf("took %v, want ~1 s hold", took)
	}
	users := startsByUser(srv, start)
	if len(users) != 3 {
		t.Errorf("users %v", users)
	}
	for _, r := range out.all() {
		if r.GrpThreads > 3 {
			t.Fatalf("more than the target level active: %d", r.GrpThreads)
		}
	}
	if n := len(srv.requests()); n < 15 || n > 33 {
		t.Errorf("%d requests from 3 users over 1 s with 100 ms pauses", n)
	}
}

func TestConcurrencyIterationLimit(t *testing.T) {
	srv := newServer(t)
	props := vuController() + sp("TargetLevel", "2") + sp("RampUp", "0") + sp("Hold", "10") + sp("Iterations", "3") + sp("Unit", "S")
	xml := planXML(pluginGroup(classConcurrency, "CTG", props, get(srv, "x", "/x?u=${__threadNum}")))
	start := time.Now()
	run(t, xml, nil)
	if time.Since(start) > 5*time.Second {
		t.Errorf("iteration limit did not end the group")
	}
	if n := len(srv.requests()); n != 6 {
		t.Errorf("got %d requests, want 2 users x 3 iterations", n)
	}
}

func TestArrivalsThreadGroupRate(t *testing.T) {
	srv := newServer(t)
	props := vuController() + sp("TargetLevel", "20") + sp("RampUp", "0") + sp("Steps", "0") + sp("Hold", "2") + sp("Iterations", "") + sp("ConcurrencyLimit", "50") + sp("Unit", "S")
	xml := planXML(pluginGroup(classArrivals, "ATG", props, get(srv, "x", "/slow?d=120ms&u=${__threadNum}")))
	start := time.Now()
	run(t, xml, nil)
	n := len(srv.requests())
	if n < 30 || n > 44 { // 20/s for 2 s
		t.Errorf("got %d arrivals, want ~40", n)
	}
	if d := time.Since(start); d > 4*time.Second+loadSlack {
		t.Errorf("took %v", d)
	}
	// an arrival every 50 ms, each taking 120 ms: a few pooled users share them
	users := map[string]bool{}
	for _, r := range srv.requests() {
		users[r.user] = true
	}
	if len(users) < 2 || len(users) > 10 {
		t.Errorf("%d distinct users served %d arrivals, want a small reused pool", len(users), n)
	}
}

func TestOpenModelSchedule(t *testing.T) {
	m, err := parseOpenModel("/* warm up */ rate(0/min) random_arrivals(10 s) rate(60/min) even_arrivals(1 min) pause(5s) // done")
	if err != nil {
		t.Fatal(err)
	}
	times := m.arrivalTimes(rand.New(rand.NewPCG(1, 2)), 100000)
	// ramp 0→1/s over 10 s gives ~5 arrivals, then 60 even arrivals over 60 s
	if len(times) < 60 || len(times) > 75 {
		t.Fatalf("%d arrivals", len(times))
	}
	if !sort.Float64sAreSorted(times) || times[len(times)-1] > 70 {
		t.Errorf("arrival times out of the schedule: last %v", times[len(times)-1])
	}
	if _, err := parseOpenModel("rate(5/fortnight)"); err == nil {
		t.Error("bad unit accepted")
	}
	if _, err := parseOpenModel("rate(5/s) explode(3s)"); err == nil || !strings.Contains(err.Error(), "explode") {
		t.Errorf("unknown step: %v", err)
	}
}

func TestOpenModelThreadGroupRuns(t *testing.T) {
	srv := newServer(t)
	props := `<elementProp name="ThreadGroup.main_controller" elementType="OpenModelThreadGroupController"/>` +
		sp("OpenModelThreadGroup.schedule", "rate(${__P(rps,10)}/s) even_arrivals(1s)") + sp("OpenModelThreadGroup.random_seed", "")
	xml := planXML(pluginGroup(classOpenModel, "OM", props, get(srv, "x", "/x?u=${__threadNum}")))
	run(t, xml, map[string]string{"rps": "15"})
	reqs := srv.requests()
	if len(reqs) != 15 {
		t.Fatalf("got %d arrivals, want 15", len(reqs))
	}
	users := map[string]bool{}
	for _, r := range reqs {
		users[r.user] = true
	}
	if len(users) != 15 {
		t.Errorf("each arrival is a new user: %d distinct", len(users))
	}
}

func TestOpenModelBadScheduleIsAProblem(t *testing.T) {
	props := sp("OpenModelThreadGroup.schedule", "rate(5/s) nonsense(1s)")
	xml := planXML(pluginGroup(classOpenModel, "OM", props))
	_, err := compileXML(t, xml, Options{})
	if err == nil || !strings.Contains(err.Error(), "nonsense") {
		t.Fatalf("got %v", err)
	}
}

func TestUltimateThreadsScheduleProperty(t *testing.T) {
	rows, err := parseSpawnSchedule("spawn(5, 1s, 2m, 1h, 30) spawn(1,0,0,1d,0)")
	if err != nil {
		t.Fatal(err)
	}
	want := [][5]float64{{5, 1, 120, 3600, 30}, {1, 0, 0, 86400, 0}}
	if len(rows) != 2 || rows[0] != want[0] || rows[1] != want[1] {
		t.Fatalf("got %v", rows)
	}
	if _, err := parseSpawnSchedule("spawn(1,2,3)"); err == nil {
		t.Error("short spawn accepted")
	}
	gr := &groupRun{t: &Test{props: functions.NewProperties()}, g: &group{}}
	gr.t.props.Set("threads_schedule", "spawn(2,0,1,1,0)")
	plans := gr.ultimatePlans(functions.NewContext(nil, nil, nil), time.Unix(0, 0))
	if len(plans) != 2 || plans[0].start.Sub(time.Unix(0, 0)) != time.Second || plans[1].end.Sub(time.Unix(0, 0)) != 2*time.Second {
		t.Errorf("plans %+v", plans)
	}
}

// Concurrency users are not scheduled threads: a pause that crosses the end
// of the hold does not end the user early (the level holds to the end).
func TestConcurrencyUsersHoldThroughPauses(t *testing.T) {
	srv := newServer(t)
	props := vuController() + sp("TargetLevel", "2") + sp("RampUp", "0") + sp("Hold", "1") + sp("Unit", "S")
	xml := planXML(pluginGroup(classConcurrency, "CTG", props, get(srv, "x", "/x?u=${__threadNum}", constTimer(700))))
	start := time.Now()
	_, out := run(t, xml, nil)
	if d := time.Since(start); d < 950*time.Millisecond {
		t.Errorf("group ended after %v, before its 1 s hold", d)
	}
	if n := len(out.all()); n != 2 { // one sample each at 0.7 s; the next pause would cross 1 s
		t.Errorf("%d samples", n)
	}
}
