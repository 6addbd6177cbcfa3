package engine

import (
	"math"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
)

// TestPreciseScheduleMatchesJMeter compares the Precise Throughput Timer's
// schedule with the events JMeter 5.6.3's ConstantPoissonProcessGenerator
// returned for the same seeds (printed by a small Java program calling it
// through /opt/jmeter's jars): same random numbers, same windows, same
// batches.
func TestPreciseScheduleMatchesJMeter(t *testing.T) {
	cases := []struct {
		throughput, period, duration, batch string
		seed                                int64
		want                                []float64
	}{
		// 20 per s, 1 s windows: the 21st event opens the second window
		{"20", "1", "1", "1", 7, []float64{0.08321971724462152, 0.12073605139050847, 0.21994791497609767, 0.2544217646022032, 0.31301371517872, 0.34830970303125697, 0.35191477764630685, 0.3826339337849941, 0.47297460720860396, 0.5889677956202352, 0.6416150497796637, 0.7081771577767972, 0.7306990420600421, 0.7491696031336331, 0.7706967535783168, 0.7847598305652609, 0.8499131008472726, 0.8666634810625495, 0.8972771427421047, 0.928748072822519, 1.0394392458640414, 1.103101386579656, 1.103398382279071, 1.109407077159632, 1.196689199513913}},
		// 3 per 2 s in batches of 2: pairs share a time, ceil(0.75·2) = 2 pairs a window
		{"3", "2", "2", "2", 12345, []float64{0.7236062143209436, 0.7236062143209436, 1.865986970577082, 1.865986970577082, 2.6529515124758527, 2.6529515124758527, 3.6661826979420473, 3.6661826979420473, 4.471047581295251, 4.471047581295251, 4.6982307132497665, 4.6982307132497665}},
		// 0.7 per s over 3 s windows: ceil(2.1) = 3 events each
		{"0.7", "1", "3", "1", -99, []float64{0.1623805871049846, 0.2252901902114154, 0.8320898182928662, 3.0791019519239944, 4.66065411479137, 5.646344101327172}},
	}
	ctx := functions.NewContext(functions.NewVars(), functions.NewProperties(), functions.NewShared())
	for _, c := range cases {
		tm := &preciseTimer{throughput: mustTemplate(t, c.throughput), period: mustTemplate(t, c.period), duration: mustTemplate(t, c.duration)}
		bs := mustTemplate(t, c.batch)
		s := &poissonSchedule{owner: tm, rnd: newJavaRandom(c.seed), batchSize: int(evalInt(bs, ctx, 1))}
		for i, w := range c.want {
			got, err := s.next(ctx)
			if err != nil {
				t.Fatalf("%+v: event %d: %v", c, i, err)
			}
			if math.Abs(got-w) > 1e-12 {
				t.Fatalf("throughput %s/%s s, duration %s, batch %s, seed %d: event %d = %v, JMeter %v", c.throughput, c.period, c.duration, c.batch, c.seed, i, got, w)
			}
		}
	}
}

func mustTemplate(t *testing.T, s string) *functions.Template {
	t.Helper()
	tpl, err := functions.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// TestPreciseScheduleRejectsEmptyWindow: a window with no events (throughput
// or duration 0) is an error, as JMeter's generator fails then.
func TestPreciseScheduleRejectsEmptyWindow(t *testing.T) {
	ctx := functions.NewContext(functions.NewVars(), functions.NewProperties(), functions.NewShared())
	for _, c := range [][3]string{{"0", "1", "10"}, {"5", "1", "0"}, {"5", "0", "10"}, {"abc", "1", "10"}} {
		tm := &preciseTimer{throughput: mustTemplate(t, c[0]), period: mustTemplate(t, c[1]), duration: mustTemplate(t, c[2])}
		s := &poissonSchedule{owner: tm, rnd: newJavaRandom(1), batchSize: 1}
		if _, err := s.next(ctx); err == nil {
			t.Errorf("throughput %s per %s s, duration %s: no error", c[0], c[1], c[2])
		}
	}
}

// TestPreciseTimerExactCount runs a group against a real server: 3 users
// share one seeded schedule of 8 events per 1 s window, so a 3 s scheduled
// group sends exactly 24 requests, each at its event's time.
func TestPreciseTimerExactCount(t *testing.T) {
	srv := newServer(t)
	precise := el{tag: "PreciseThroughputTimer", gui: "TestBeanGUI", name: "ptt", props: `<doubleProp><name>throughput</name><value>8.0</value><savedValue>0.0</savedValue></doubleProp>` +
		`<intProp name="throughputPeriod">1</intProp><longProp name="duration">1</longProp><intProp name="batchSize">1</intProp><intProp name="batchThreadDelay">0</intProp><longProp name="randomSeed">42</longProp>`}
	extra := bp("ThreadGroup.scheduler", true) + sp("ThreadGroup.duration", "3") + sp("ThreadGroup.delay", "0")
	xml := planXML(tg("G", 3, 0, "-1", extra, get(srv, "x", "/x", precise)))
	start := time.Now()
	_, out := run(t, xml, nil)
	reqs := srv.requests()
	if len(reqs) != 24 {
		t.Fatalf("%d requests in 3 s at 8 per 1 s window, want exactly 24", len(reqs))
	}
	if n := len(out.all()); n != 24 {
		t.Errorf("%d samples, want 24", n)
	}
	// the events the schedule holds for seed 42 (checked against JMeter above)
	ctx := functions.NewContext(functions.NewVars(), functions.NewProperties(), functions.NewShared())
	tm := &preciseTimer{throughput: mustTemplate(t, "8"), period: mustTemplate(t, "1"), duration: mustTemplate(t, "1")}
	s := &poissonSchedule{owner: tm, rnd: newJavaRandom(42), batchSize: 1}
	for i, r := range reqs { // requests are recorded in arrival order
		ev, err := s.next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		at := r.at.Sub(start).Seconds()
		if at < ev-0.005 || at > ev+0.8 { // never early; late only on a loaded machine
			t.Errorf("request %d arrived at %.3f s, its event is at %.3f s", i, at, ev)
		}
	}
	if d := time.Since(start); d < 2*time.Second || d > 5*time.Second {
		t.Errorf("the group ran %v, want about 3 s", d)
	}
}
