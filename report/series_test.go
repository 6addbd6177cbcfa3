package report

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

func chartByID(cs []Chart, id string) Chart {
	for _, c := range cs {
		if c.ID == id {
			return c
		}
	}
	return Chart{}
}

func defaultSeriesOpts() SeriesOptions {
	o, _ := SeriesOptionsFromProps(nil)
	return o
}

// A one-minute run still gets a curve: 2 s buckets (30 points), not one 60 s bucket.
func TestSeriesAutoGranularityShortRun(t *testing.T) {
	s := NewSeries(defaultSeriesOpts())
	const t0 = 1700000040000 // a multiple of 60 s
	for i := range 600 {     // 10 samples/s for 60 s
		s.Add(smp(t0+int64(i)*100, 50, "A", true))
	}
	if g := s.Granularity(); g != 2000 {
		t.Fatalf("granularity %d, want 2000", g)
	}
	hits := chartByID(s.Charts(nil), "hitsPerSecond").Series[0].Points
	if len(hits) != 30 {
		t.Fatalf("%d hit points", len(hits))
	}
	for _, p := range hits {
		if p[1] != 10 {
			t.Errorf("hits/s %v at %v, want 10", p[1], p[0])
		}
	}
	fixed := defaultSeriesOpts()
	fixed.Fixed = true
	f := NewSeries(fixed)
	for i := range 600 {
		f.Add(smp(t0+int64(i)*100, 50, "A", true))
	}
	if pts := chartByID(f.Charts(nil), "hitsPerSecond").Series[0].Points; len(pts) != 1 || pts[0][1] != 10 {
		t.Errorf("fixed 60 s: %v", pts)
	}
}

// A long run coarsens while reading (memory stays bounded) and ends at the
// configured granularity with the same numbers as a fixed-granularity pass.
func TestSeriesLongRunCoarsens(t *testing.T) {
	auto := NewSeries(defaultSeriesOpts())
	fo := defaultSeriesOpts()
	fo.Fixed = true
	fixed := NewSeries(fo)
	rng := rand.New(rand.NewPCG(3, 4))
	const t0 = 1700000040000
	maxBuckets := 0
	for i := range 5 * 3600 { // 5 hours, one sample per second
		x := smp(t0+int64(i)*1000, int64(20+rng.IntN(300)), []string{"A", "B"}[i%2], i%17 != 0)
		x.ResponseCode = []string{"200", "500"}[i%2]
		auto.Add(x)
		fixed.Add(x)
		maxBuckets = max(maxBuckets, len(auto.global))
	}
	if maxBuckets > 2100 {
		t.Errorf("time buckets grew to %d", maxBuckets)
	}
	if auto.Granularity() != 60000 {
		t.Fatalf("granularity %d", auto.Granularity())
	}
	ca, cf := auto.Charts(nil), fixed.Charts(nil)
	for _, id := range []string{"hitsPerSecond", "codesPerSecond", "totalTPS", "transactionsPerSecond", "responseTimesOverTime", "bytesThroughputOverTime", "errorsOverTime"} {
		a, f := chartByID(ca, id), chartByID(cf, id)
		if len(a.Series) != len(f.Series) || len(a.Series) == 0 {
			t.Fatalf("%s: %d vs %d series", id, len(a.Series), len(f.Series))
		}
		for i := range a.Series {
			if !slices.Equal(a.Series[i].Points, f.Series[i].Points) {
				t.Errorf("%s/%s differs after coarsening", id, a.Series[i].Name)
			}
		}
	}
	if n := len(chartByID(ca, "hitsPerSecond").Series[0].Points); n != 300 {
		t.Errorf("%d points for 5 h at 60 s", n)
	}
}

func TestSeriesContents(t *testing.T) {
	s := NewSeries(defaultSeriesOpts())
	add := func(ts, el int64, label, code, thread string, ok bool, msg string) {
		x := smp(ts, el, label, ok)
		x.ResponseCode, x.ThreadName, x.GrpThreads = code, thread, 4
		if msg != "" {
			x.ResponseMessage = msg
		}
		s.Add(x)
	}
	add(1000, 1500, "A", "200", "Users 1-1", true, "") // starts in bucket 1000, ends in 2000
	add(1000, 100, "A", "", "Users 1-2", false, "")    // empty code
	add(1000, 300, "TC", "200", "Users 1-2", true, TransactionPrefix+"2, number of failing samples : 0")
	add(1000, 0, "TCe", "200", "Users 1-2", true, TransactionPrefix+"0, number of failing samples : 0")
	ch := s.Charts(nil)
	hits := chartByID(ch, "hitsPerSecond").Series[0].Points
	if len(hits) != 1 || hits[0] != [2]float64{1000, 2} { // by start time, controllers excluded
		t.Errorf("hits %v", hits)
	}
	codes := chartByID(ch, "codesPerSecond")
	var names []string
	for _, c := range codes.Series {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"200", "EMPTY_RES_CODE"}) {
		t.Errorf("codes %v", names)
	}
	th := chartByID(ch, "activeThreadsOverTime")
	if len(th.Series) != 1 || th.Series[0].Name != "Users" {
		t.Errorf("thread groups %+v", th.Series)
	}
	tps := chartByID(ch, "transactionsPerSecond")
	var tn []string
	for _, c := range tps.Series {
		tn = append(tn, c.Name)
	}
	if !slices.Equal(tn, []string{"A-success", "A-failure", "TC-success"}) {
		t.Errorf("tps series %v", tn)
	}
	syn := chartByID(ch, "syntheticResponseTimeDistribution").Series[0].Points
	if syn[0][1] != 0 || syn[1][1] != 1 || syn[3][1] != 1 {
		t.Errorf("synthetic %v", syn)
	}
	if threadGroupOf("Thread Group 1 1-12") != "Thread Group 1" || threadGroupOf("worker") != "worker" || threadGroupOf("a b-c") != "a b-c" {
		t.Error("threadGroupOf")
	}
}

func TestLogHistPrecision(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	var h loghist
	var vals []int64
	for range 20000 {
		v := int64(math.Exp(rng.NormFloat64()*1.2) * 300)
		h.add(v)
		vals = append(vals, v)
	}
	slices.Sort(vals)
	got := h.percentiles([]float64{50, 90, 99})
	for i, p := range []float64{50, 90, 99} {
		want := legacyEstimate(p, int64(len(vals)), func(k int64) float64 { return float64(vals[k]) })
		if math.Abs(got[i]-want) > 0.0085*want+1 {
			t.Errorf("p%v: %v, exact %v", p, got[i], want)
		}
	}
	// below 128 ms buckets are exact
	var e loghist
	for v := int64(0); v < 100; v++ {
		e.add(v)
	}
	if got := e.percentiles([]float64{50}); got[0] != 49.5 {
		t.Errorf("exact small values: %v", got)
	}
}

func TestPercentileCurve(t *testing.T) {
	c := percentileCurve([]ValueCount{{10, 50}, {20, 49}, {1000, 1}})
	// exactly 50 % are ≤ 10, so from 50 % on the curve is at the next value
	if len(c) < 1000 || c[0] != [2]float64{0, 10} || c[499] != [2]float64{49.9, 10} || c[500][1] != 20 || c[989][1] != 20 || c[990][1] != 1000 || c[len(c)-1][1] != 1000 {
		t.Errorf("curve %v %v %v %v %v %v", c[0], c[499], c[500], c[989], c[990], c[len(c)-1])
	}
}

// Many labels and a very long run: the drawn data stays small.
func TestSeriesDrawnSizeBounded(t *testing.T) {
	o := defaultSeriesOpts()
	o.Fixed = true
	o.Granularity = 1000
	s := NewSeries(o)
	st := NewStats(DefaultStatsOptions())
	const t0 = 1700000000000
	for i := range 40 * 3000 { // 40 labels over 3000 s at 1 s buckets
		x := smp(t0+int64(i/40)*1000, int64(i%500), "L"+strconv.Itoa(i%40), true)
		if i%40 == 0 {
			x.Label = "busy" // the most frequent label is always drawn
			s.Add(x)
			st.Add(x)
		}
		s.Add(x)
		st.Add(x)
	}
	ch := s.Charts(st)
	rt := chartByID(ch, "responseTimesOverTime")
	if len(rt.Series) != MaxChartLabels || rt.Series[0].Name != "busy" && !slices.ContainsFunc(rt.Series, func(c ChartSeries) bool { return c.Name == "busy" }) {
		t.Errorf("%d series drawn", len(rt.Series))
	}
	for _, c := range ch {
		for _, sr := range c.Series {
			if len(sr.Points) > maxDrawnBuckets+1 {
				t.Errorf("%s/%s has %d points", c.ID, sr.Name, len(sr.Points))
			}
		}
	}
	if hits := chartByID(ch, "hitsPerSecond").Series[0].Points; hits[0][1] != 41 {
		t.Errorf("rate after drawing rebin: %v", hits[0])
	}
}
