package report

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gometer/gometer/functions"
)

func smp(ts, elapsed int64, label string, ok bool) *Sample {
	return &Sample{TimeStamp: ts, Elapsed: elapsed, Label: label, Success: ok, ResponseCode: "200", ResponseMessage: "OK", Bytes: 1000, SentBytes: 100}
}

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

// The three-row file below was also run through JMeter 5.6.3's -g; the
// expected figures are the ones it wrote (see testdata/golden).
func TestStatsSmallByHand(t *testing.T) {
	for _, mode := range []PercentileMode{Exact, JMeter} {
		o := DefaultStatsOptions()
		o.Mode = mode
		s := NewStats(o)
		// Reuse one *Sample, as the JTL reader does.
		x := &Sample{}
		for _, r := range []*Sample{smp(1700000000000, 100, "A", true), smp(1700000000100, 300, "B", false), smp(1700000000500, 700, "A", true)} {
			*x = *r
			s.Add(x)
		}
		x.Label = "clobbered"
		if got := s.Labels(); !slices.Equal(got, []string{"A", "B"}) {
			t.Fatalf("%v labels %v", mode, got)
		}
		a := s.Row("A")
		if a.Samples != 2 || a.Errors != 0 || a.Mean != 400 || a.Min != 100 || a.Max != 700 || a.Median != 400 || a.P1 != 700 {
			t.Errorf("%v A = %+v", mode, a)
		}
		// throughput: 2 samples over (1700000001200-1700000000000) ms
		if !near(a.Throughput, 2.0/1.2) || !near(a.ReceivedKBps, 2000/1.2/1024) {
			t.Errorf("%v A throughput %v %v", mode, a.Throughput, a.ReceivedKBps)
		}
		tot := s.Total()
		if tot.Samples != 3 || tot.Errors != 1 || float32(tot.ErrorPct) != float32(33.333332) || tot.Median != 300 || tot.Throughput != 2.5 {
			t.Errorf("%v total = %+v", mode, tot)
		}
		if mode == JMeter && tot.Mean != 366.66666666666663 { // commons-math running mean digits
			t.Errorf("jmeter mean %v", tot.Mean)
		}
		if mode == Exact && !near(tot.Mean, 1100.0/3) {
			t.Errorf("exact mean %v", tot.Mean)
		}
	}
}

func TestLegacyPercentileFormula(t *testing.T) {
	vals := []int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	for _, mode := range []PercentileMode{Exact, JMeter} {
		o := DefaultStatsOptions()
		o.Mode = mode
		s := NewStats(o)
		for i, v := range vals {
			s.Add(smp(int64(i), v, "x", true))
		}
		r := s.Row("x")
		// n=10: p90 → pos 9.9 → x9+0.9(x10−x9) = 9.9; p50 → pos 5.5 → 5.5; p99 → pos 10.89 ≥ n → 10
		if !near(r.P1, 9.9) || !near(r.Median, 5.5) || r.P3 != 10 || !near(r.P2, 10) {
			t.Errorf("%v: %+v", mode, r)
		}
	}
	s := NewStats(StatsOptions{})
	for i, v := range []int64{1, 2, 3, 4} {
		s.Add(smp(int64(i), v, "y", true))
	}
	if s.Row("y").Median != 2.5 {
		t.Errorf("median of 1..4 = %v", s.Row("y").Median)
	}
}

// Controllers: their own row, not in Total; empty controllers nowhere.
func TestStatsControllers(t *testing.T) {
	s := NewStats(DefaultStatsOptions())
	s.Add(smp(0, 10, "req", true))
	tc := smp(0, 15, "TC", true)
	tc.ResponseMessage = TransactionPrefix + "1, number of failing samples : 0"
	s.Add(tc)
	empty := smp(0, 0, "EmptyTC", true)
	empty.ResponseMessage = TransactionPrefix + "0, number of failing samples : 0"
	s.Add(empty)
	ten := smp(0, 20, "TC10", true)
	ten.ResponseMessage = TransactionPrefix + "10, number of failing samples : 0"
	s.Add(ten)
	if got := s.Labels(); !slices.Equal(got, []string{"req", "TC", "EmptyTC", "TC10"}) {
		t.Fatalf("labels %v", got)
	}
	// JMeter lists an empty controller with nothing counted and its odd min/max.
	if e := s.Row("EmptyTC"); e.Samples != 0 || !math.IsNaN(e.Mean) || !math.IsNaN(e.ErrorPct) || e.Min != math.MaxInt64 || e.Throughput != 0 {
		t.Errorf("empty controller row %+v", e)
	}
	if !s.Row("TC").IsController || s.Row("TC").Samples != 1 {
		t.Errorf("TC row %+v", s.Row("TC"))
	}
	if tot := s.Total(); tot.Samples != 1 || tot.Max != 10 {
		t.Errorf("total %+v", tot)
	}
}

// JMeter mode looks at the last Window samples only; exact mode at all.
func TestStatsWindow(t *testing.T) {
	const n = 25000
	ex, jm := DefaultStatsOptions(), DefaultStatsOptions()
	jm.Mode = JMeter
	se, sj := NewStats(ex), NewStats(jm)
	rng := rand.New(rand.NewPCG(1, 2))
	var all, last []int64
	for i := range n {
		v := int64(rng.IntN(1000))
		if i < 5000 {
			v += 100000 // early slow samples fall out of JMeter's window
		}
		x := smp(int64(i), v, "L", true)
		se.Add(x)
		sj.Add(x)
		all = append(all, v)
	}
	last = slices.Clone(all[n-DefaultWindow:])
	slices.Sort(all)
	slices.Sort(last)
	ref := func(xs []int64, p float64) float64 {
		return legacyEstimate(p, int64(len(xs)), func(k int64) float64 { return float64(xs[k]) })
	}
	re, rj := se.Row("L"), sj.Row("L")
	if re.P1 != ref(all, 90) || re.Median != ref(all, 50) {
		t.Errorf("exact p90 %v want %v", re.P1, ref(all, 90))
	}
	if rj.P1 != ref(last, 90) || rj.Median != ref(last, 50) {
		t.Errorf("jmeter p90 %v want %v", rj.P1, ref(last, 90))
	}
	if re.P1 < 100000 || rj.P1 >= 1000 {
		t.Errorf("window did not change the result: exact %v jmeter %v", re.P1, rj.P1)
	}
	if re.Max != rj.Max || re.Samples != rj.Samples || !near(re.Mean, rj.Mean) {
		t.Errorf("count/max/mean must not depend on the window: %+v %+v", re, rj)
	}
}

func TestStatsExactLargeAndNegative(t *testing.T) {
	s := NewStats(DefaultStatsOptions())
	vals := []int64{-5, 70000, 3, 1 << 40, 70000}
	for range fewLimit { // enough samples to leave the small-label list
		vals = append(vals, 3)
	}
	for i, v := range vals {
		s.Add(smp(int64(i), v, "z", true))
	}
	r := s.Row("z")
	if r.Min != -5 || r.Max != 1<<40 || r.Median != 3 || r.P3 != 1<<40 {
		t.Errorf("%+v", r)
	}
	// memory follows the ranges used, not the largest value
	allocated := 0
	for _, ch := range s.rows["z"].dist.chunks {
		if ch != nil {
			allocated++
		}
	}
	if allocated != 2 {
		t.Errorf("%d chunks for values 3 and 70000", allocated)
	}
	d := s.Distribution("z", false)
	if len(d) != 4 || d[0].Value != -5 || d[1] != (ValueCount{3, fewLimit + 1}) || d[2] != (ValueCount{70000, 2}) {
		t.Errorf("dist %v", d)
	}
}

func TestStatsOptionsFromProps(t *testing.T) {
	p := functions.NewProperties()
	p.Set("aggregate_rpt_pct1", "99.9")
	p.Set("jmeter.reportgenerator.statistic_window", "100")
	p.Set("gometer.percentiles", "jmeter")
	o, err := StatsOptionsFromProps(p)
	if err != nil || o.Percentiles[0] != 99.9 || o.PercentileLabels[0] != "99.9" || o.Percentiles[1] != 95 || o.Window != 100 || o.Mode != JMeter {
		t.Fatalf("%+v %v", o, err)
	}
	p.Set("aggregate_rpt_pct2", "abc")
	if _, err := StatsOptionsFromProps(p); err == nil {
		t.Fatal("bad percentile accepted")
	}
}

func benchSamples() []*Sample {
	rng := rand.New(rand.NewPCG(1, 1))
	out := make([]*Sample, 4096)
	for i := range out {
		x := smp(1700000000000+int64(i)*7, int64(rng.ExpFloat64()*150), "GET /api/item/"+string(rune('a'+i%20)), i%50 != 0)
		x.ThreadName = "Thread Group 1 1-1"
		out[i] = x
	}
	return out
}

func BenchmarkStatsAdd(b *testing.B) {
	for _, mode := range []PercentileMode{Exact, JMeter} {
		b.Run(mode.String(), func(b *testing.B) {
			o := DefaultStatsOptions()
			o.Mode = mode
			s := NewStats(o)
			xs := benchSamples()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				s.Add(xs[i&4095])
			}
		})
	}
}

// Everything the report computes per sample (statistics, APDEX, errors, series).
func BenchmarkCollectorAdd(b *testing.B) {
	o, _ := ReportOptionsFromProps(nil)
	c := NewCollector(o)
	xs := benchSamples()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		x := xs[i&4095]
		x.TimeStamp += 4096 * 7 // time moves on
		c.add(x)
	}
}
