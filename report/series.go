package report

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/gometer/gometer/functions"
)

// SeriesOptions configure the over-time series.
type SeriesOptions struct {
	// Granularity is jmeter.reportgenerator.overall_granularity in ms (default 60000).
	Granularity int64
	// Fixed keeps Granularity even for short runs. By default a run shorter
	// than MinPoints × Granularity gets a finer granularity (a divisor of
	// Granularity from 1 s upwards) so that its curves have points.
	Fixed bool
	// MinPoints is the number of time buckets automatic granularity aims for (default 30).
	MinPoints int
	// Satisfied/Tolerated are the APDEX T/F used by the synthetic distribution.
	Satisfied, Tolerated int64
	// Percentiles are the levels of the percentile-over-time curves.
	Percentiles [3]float64
	// DistributionStep is the bar width of the response-time distribution (ms, default 100).
	DistributionStep int64
}

// SeriesOptionsFromProps reads overall_granularity (gometer.report.fixed_granularity=true disables the automatic choice).
func SeriesOptionsFromProps(p *functions.Properties) (SeriesOptions, error) {
	o := SeriesOptions{Granularity: 60000, MinPoints: 30, Satisfied: 500, Tolerated: 1500, Percentiles: [3]float64{90, 95, 99}, DistributionStep: 100}
	if p == nil {
		return o, nil
	}
	if v, ok := p.Get("jmeter.reportgenerator.overall_granularity"); ok && strings.TrimSpace(v) != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n <= 0 {
			return o, fmt.Errorf("property jmeter.reportgenerator.overall_granularity=%q: want a positive number of ms", v)
		}
		o.Granularity = n
	}
	if v, ok := p.Get("jmeter.reportgenerator.graph.responseTimeDistribution.property.set_granularity"); ok && strings.TrimSpace(v) != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n <= 0 {
			return o, fmt.Errorf("property jmeter.reportgenerator.graph.responseTimeDistribution.property.set_granularity=%q: want a positive number of ms", v)
		}
		o.DistributionStep = n
	}
	o.Fixed = strings.EqualFold(strings.TrimSpace(p.GetOr("gometer.report.fixed_granularity", "")), "true")
	return o, nil
}

// Chart is one graph of the report, ready to draw.
type Chart struct {
	ID    string
	Title string
	// X is "time" (epoch ms bucket starts), "ms" (response time), "pct"
	// (percent), "threads" (active threads), "rps" (requests per second) or
	// "cat" (categories).
	X           string
	Y           string // unit of y: "ms", "/s", "B/s", "count", "threads"
	Kind        string // "line", "scatter" (points only) or "bar"
	Granularity int64  // ms, time charts only
	Categories  []string
	Series      []ChartSeries
}

// ChartSeries is one named curve; points sorted by x.
type ChartSeries struct {
	Name   string
	Points [][2]float64
}

// threadKey is a thread group within one results file.
type threadKey struct {
	grp string
	src int
}

// cell is per (label, time bucket).
type cell struct {
	n, sumElapsed, sumLatency, sumConnect, ok, ko int64
}

// gcell is per time bucket, all labels.
type gcell struct {
	bytes, sent, ok, ko, errs int64 // ok/ko: all samples; errs: failed non-controller samples
	min, max                  int64 // successful non-controller samples
	hist                      loghist
}

// vsCell is per vs-bucket (1 s as in JMeter while the run is short) for
// the "versus requests per second" graphs: non-controller samples.
type vsCell struct {
	n                        int64
	okEl, koEl, okLat, koLat loghist
}

type threadCell struct{ sum, n int64 }

type labelSeries struct {
	label      string
	controller bool
	cells      map[int64]*cell
	dist       map[int64]int64       // elapsed/step → count
	byThreads  map[int64]*threadCell // allThreads → elapsed sum and count
}

// Series accumulates the over-time and distribution graphs. Memory is
// bounded by (labels + codes + thread groups) × time buckets; the time
// buckets are coarsened while reading when a run is long (never coarser
// than the configured granularity). Not safe for concurrent use.
type Series struct {
	opts      SeriesOptions
	g         int64 // current bucket width
	labels    map[string]*labelSeries
	order     []string
	last      *labelSeries
	global    map[int64]*gcell
	hits      map[int64]int64 // start-time buckets
	codes     map[string]map[int64]int64
	threads   map[threadKey]map[int64]*threadCell // per thread group and results file
	minK      int64
	maxK      int64
	synthetic [4]int64
	vs        map[int64]*vsCell
	vg        int64 // vs bucket width: 1 s, coarsened only for long runs
	vsMin     int64
	vsMax     int64
}

// maxBuckets triggers coarsening.
const maxBuckets = 2048

// maxDrawnBuckets bounds the points of a drawn curve.
const maxDrawnBuckets = 1500

// MaxChartLabels bounds the per-label curves drawn: the labels with the
// most samples are drawn (the statistics table still lists every label).
const MaxChartLabels = 25

// drawnLabels returns the labels per-label charts show, in first-seen order.
func (s *Series) drawnLabels() []string {
	if len(s.order) <= MaxChartLabels {
		return s.order
	}
	n := make(map[string]int64, len(s.order))
	for _, l := range s.order {
		for _, c := range s.labels[l].cells {
			n[l] += c.n
		}
	}
	top := slices.Clone(s.order)
	slices.SortStableFunc(top, func(a, b string) int { return cmp.Compare(n[b], n[a]) })
	keep := make(map[string]bool, MaxChartLabels)
	for _, l := range top[:MaxChartLabels] {
		keep[l] = true
	}
	var out []string
	for _, l := range s.order {
		if keep[l] {
			out = append(out, l)
		}
	}
	return out
}

// NewSeries returns empty series.
func NewSeries(o SeriesOptions) *Series {
	if o.Granularity <= 0 {
		o.Granularity = 60000
	}
	if o.MinPoints <= 0 {
		o.MinPoints = 30
	}
	if o.DistributionStep <= 0 {
		o.DistributionStep = 100
	}
	if o.Percentiles == ([3]float64{}) {
		o.Percentiles = [3]float64{90, 95, 99}
	}
	g := o.Granularity
	if !o.Fixed {
		g = granularityLadder(o.Granularity)[0]
	}
	return &Series{opts: o, g: g, labels: make(map[string]*labelSeries), global: make(map[int64]*gcell),
		hits: make(map[int64]int64), codes: make(map[string]map[int64]int64), threads: make(map[threadKey]map[int64]*threadCell),
		minK: math.MaxInt64, maxK: math.MinInt64,
		vs: make(map[int64]*vsCell), vg: 1000, vsMin: math.MaxInt64, vsMax: math.MinInt64}
}

// granularityLadder lists the bucket widths automatic granularity may use:
// "round" divisors of overall (each a multiple of the previous) ending with overall.
func granularityLadder(overall int64) []int64 {
	var out []int64
	for _, c := range []int64{1000, 2000, 5000, 10000, 15000, 30000, 60000, 300000, 600000, 1800000, 3600000} {
		if c >= overall {
			break
		}
		if overall%c == 0 && (len(out) == 0 || c%out[len(out)-1] == 0) {
			out = append(out, c)
		}
	}
	return append(out, overall)
}

func floorTo(t, g int64) int64 {
	r := t % g
	if r < 0 {
		r += g
	}
	return t - r
}

// Add counts one sample.
func (s *Series) Add(x *Sample) {
	if isEmptyController(x) {
		return
	}
	ctrl := x.IsTransaction()
	end := x.TimeStamp + x.Elapsed
	k := floorTo(end, s.g)
	if k < s.minK || k > s.maxK {
		s.minK, s.maxK = min(s.minK, k), max(s.maxK, k)
		if (s.maxK-s.minK)/s.g > maxBuckets {
			s.coarsen()
			k = floorTo(end, s.g)
		}
	}

	ls := s.last
	if ls == nil || ls.label != x.Label {
		ls = s.labels[x.Label]
		if ls == nil {
			l := strings.Clone(x.Label)
			ls = &labelSeries{label: l, controller: ctrl, cells: make(map[int64]*cell), dist: make(map[int64]int64), byThreads: make(map[int64]*threadCell)}
			s.labels[l] = ls
			s.order = append(s.order, l)
		}
		s.last = ls
	}
	c := ls.cells[k]
	if c == nil {
		c = &cell{}
		ls.cells[k] = c
	}
	c.n++
	c.sumElapsed += x.Elapsed
	c.sumLatency += x.Latency
	c.sumConnect += x.Connect
	if x.Success {
		c.ok++
	} else {
		c.ko++
	}
	ls.dist[floorTo(x.Elapsed, s.opts.DistributionStep)]++
	bt := ls.byThreads[int64(x.AllThreads)]
	if bt == nil {
		bt = &threadCell{}
		ls.byThreads[int64(x.AllThreads)] = bt
	}
	bt.sum += x.Elapsed
	bt.n++

	gc := s.global[k]
	if gc == nil {
		gc = &gcell{min: math.MaxInt64, max: math.MinInt64}
		s.global[k] = gc
	}
	if x.Success {
		gc.ok++
	} else {
		gc.ko++
	}
	tk := threadKey{threadGroupOf(x.ThreadName), x.Source}
	tm := s.threads[tk]
	if tm == nil {
		tm = make(map[int64]*threadCell)
		tk.grp = strings.Clone(tk.grp)
		s.threads[tk] = tm
	}
	tc := tm[k]
	if tc == nil {
		tc = &threadCell{}
		tm[k] = tc
	}
	tc.sum += int64(x.GrpThreads)
	tc.n++
	if ctrl {
		return
	}
	gc.bytes += x.Bytes
	gc.sent += x.SentBytes
	s.addVs(x, end)
	s.hits[floorTo(x.TimeStamp, s.g)]++
	code := x.ResponseCode
	if code == "" {
		code = "EMPTY_RES_CODE"
	}
	cm := s.codes[code]
	if cm == nil {
		cm = make(map[int64]int64)
		s.codes[strings.Clone(code)] = cm
	}
	cm[k]++
	if !x.Success {
		gc.errs++
		s.synthetic[3]++
		return
	}
	gc.min, gc.max = min(gc.min, x.Elapsed), max(gc.max, x.Elapsed)
	gc.hist.add(x.Elapsed)
	switch {
	case x.Elapsed <= s.opts.Satisfied:
		s.synthetic[0]++
	case x.Elapsed <= s.opts.Tolerated:
		s.synthetic[1]++
	default:
		s.synthetic[2]++
	}
}

func (s *Series) addVs(x *Sample, end int64) {
	k := floorTo(end, s.vg)
	if k < s.vsMin || k > s.vsMax {
		s.vsMin, s.vsMax = min(s.vsMin, k), max(s.vsMax, k)
		for (s.vsMax-s.vsMin)/s.vg > maxBuckets {
			s.rebinVs(s.vg * 2)
		}
		k = floorTo(end, s.vg)
	}
	c := s.vs[k]
	if c == nil {
		c = &vsCell{}
		s.vs[k] = c
	}
	c.n++
	if x.Success {
		c.okEl.add(x.Elapsed)
		c.okLat.add(x.Latency)
	} else {
		c.koEl.add(x.Elapsed)
		c.koLat.add(x.Latency)
	}
}

func (s *Series) rebinVs(g int64) {
	s.vg = g
	s.vsMin, s.vsMax = floorTo(s.vsMin, g), floorTo(s.vsMax, g)
	n := make(map[int64]*vsCell, len(s.vs)/2+1)
	for k, c := range s.vs {
		nk := floorTo(k, g)
		d := n[nk]
		if d == nil {
			n[nk] = c
			continue
		}
		d.n += c.n
		d.okEl.merge(&c.okEl)
		d.koEl.merge(&c.koEl)
		d.okLat.merge(&c.okLat)
		d.koLat.merge(&c.koLat)
	}
	s.vs = n
}

// threadGroupOf drops the trailing " <group>-<thread>" numbers of a JMeter thread name.
func threadGroupOf(name string) string {
	i := strings.LastIndexByte(name, ' ')
	if i < 0 {
		return name
	}
	tail := name[i+1:]
	d := strings.IndexByte(tail, '-')
	if d <= 0 || d == len(tail)-1 || !allDigits(tail[:d]) || !allDigits(tail[d+1:]) {
		return name
	}
	return name[:i]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// coarsen moves to the next ladder width (never past the configured granularity).
func (s *Series) coarsen() {
	for (s.maxK-s.minK)/s.g > maxBuckets {
		next := int64(0)
		for _, c := range granularityLadder(s.opts.Granularity) {
			if c > s.g && c%s.g == 0 {
				next = c
				break
			}
		}
		if next == 0 {
			return // at the configured granularity: JMeter keeps every bucket too
		}
		s.rebin(next)
	}
}

func (s *Series) rebin(g int64) {
	s.g = g
	s.minK, s.maxK = floorTo(s.minK, g), floorTo(s.maxK, g)
	for _, ls := range s.labels {
		n := make(map[int64]*cell, len(ls.cells)/2+1)
		for k, c := range ls.cells {
			nk := floorTo(k, g)
			d := n[nk]
			if d == nil {
				n[nk] = c
				continue
			}
			d.n += c.n
			d.sumElapsed += c.sumElapsed
			d.sumLatency += c.sumLatency
			d.sumConnect += c.sumConnect
			d.ok += c.ok
			d.ko += c.ko
		}
		ls.cells = n
	}
	ng := make(map[int64]*gcell, len(s.global)/2+1)
	for k, c := range s.global {
		nk := floorTo(k, g)
		d := ng[nk]
		if d == nil {
			ng[nk] = c
			continue
		}
		d.bytes += c.bytes
		d.sent += c.sent
		d.ok += c.ok
		d.ko += c.ko
		d.errs += c.errs
		d.min, d.max = min(d.min, c.min), max(d.max, c.max)
		d.hist.merge(&c.hist)
	}
	s.global = ng
	s.hits = rebinCounts(s.hits, g)
	for code, m := range s.codes {
		s.codes[code] = rebinCounts(m, g)
	}
	for tk, m := range s.threads {
		n := make(map[int64]*threadCell, len(m)/2+1)
		for k, c := range m {
			nk := floorTo(k, g)
			if d := n[nk]; d != nil {
				d.sum += c.sum
				d.n += c.n
			} else {
				n[nk] = c
			}
		}
		s.threads[tk] = n
	}
}

func rebinCounts(m map[int64]int64, g int64) map[int64]int64 {
	n := make(map[int64]int64, len(m)/2+1)
	for k, v := range m {
		n[floorTo(k, g)] += v
	}
	return n
}

// Granularity returns the bucket width the charts use, choosing a finer one
// for short runs (unless Fixed).
func (s *Series) Granularity() int64 {
	if s.opts.Fixed || s.minK > s.maxK {
		return s.g
	}
	best := s.g
	for _, c := range granularityLadder(s.opts.Granularity) {
		if c < s.g || c%s.g != 0 {
			continue
		}
		if (s.maxK-s.minK)/c+1 >= int64(s.opts.MinPoints) {
			best = c
		}
	}
	return best
}

// Charts finishes the series. stats supplies the exact distributions for
// the percentile curves. Calling Charts rebins to the final granularity;
// Add must not be called afterwards.
func (s *Series) Charts(stats *Stats) []Chart {
	if g := s.Granularity(); g != s.g {
		s.rebin(g)
	}
	// A page with tens of thousands of points per curve is unreadable and
	// heavy: very long runs are drawn with wider buckets.
	if s.minK <= s.maxK && (s.maxK-s.minK)/s.g > maxDrawnBuckets {
		k := ((s.maxK-s.minK)/s.g + maxDrawnBuckets - 1) / maxDrawnBuckets
		s.rebin(s.g * k)
	}
	g := s.g
	labels := s.drawnLabels()
	rate := func(v int64) float64 { return float64(v) * 1000 / float64(g) }
	timeChart := func(id, title, y string) Chart {
		return Chart{ID: id, Title: title, X: "time", Y: y, Kind: "line", Granularity: g}
	}
	var charts []Chart

	// Response-time percentiles over time (successful, non-controller samples).
	keys := sortedKeys(s.global)
	pc := timeChart("responseTimePercentilesOverTime", "Response time percentiles over time (successful samples)", "ms")
	names := []string{"Min", "Median", pctName(s.opts.Percentiles[0]), pctName(s.opts.Percentiles[1]), pctName(s.opts.Percentiles[2]), "Max"}
	pts := make([][][2]float64, len(names))
	for _, k := range keys {
		c := s.global[k]
		if c.hist.n == 0 {
			continue
		}
		v := c.hist.percentiles([]float64{50, s.opts.Percentiles[0], s.opts.Percentiles[1], s.opts.Percentiles[2]})
		row := []float64{float64(c.min), v[0], v[1], v[2], v[3], float64(c.max)}
		for i := range row {
			// histogram buckets are approximate: keep the curve inside [min, max]
			row[i] = math.Min(math.Max(row[i], float64(c.min)), float64(c.max))
			pts[i] = append(pts[i], [2]float64{float64(k), row[i]})
		}
	}
	for i, n := range names {
		pc.Series = append(pc.Series, ChartSeries{Name: n, Points: pts[i]})
	}
	charts = append(charts, pc)

	perLabel := func(id, title string, val func(c *cell) (float64, bool)) Chart {
		ch := timeChart(id, title, "ms")
		for _, l := range labels {
			ls := s.labels[l]
			var p [][2]float64
			for _, k := range sortedKeys(ls.cells) {
				if v, ok := val(ls.cells[k]); ok {
					p = append(p, [2]float64{float64(k), v})
				}
			}
			ch.Series = append(ch.Series, ChartSeries{Name: l, Points: p})
		}
		return ch
	}
	charts = append(charts, perLabel("responseTimesOverTime", "Mean response time over time", func(c *cell) (float64, bool) {
		return float64(c.sumElapsed) / float64(c.n), true
	}))

	// Throughput.
	hits := timeChart("hitsPerSecond", "Hits per second", "/s")
	hits.Series = []ChartSeries{{Name: "Hits", Points: countPoints(s.hits, rate)}}
	charts = append(charts, hits)

	codes := timeChart("codesPerSecond", "Responses per second by code", "/s")
	for _, code := range sortedStrings(s.codes) {
		codes.Series = append(codes.Series, ChartSeries{Name: code, Points: countPoints(s.codes[code], rate)})
	}
	charts = append(charts, codes)

	tps := timeChart("transactionsPerSecond", "Transactions per second by label", "/s")
	for _, l := range labels {
		ls := s.labels[l]
		var okp, kop [][2]float64
		for _, k := range sortedKeys(ls.cells) {
			c := ls.cells[k]
			if c.ok > 0 {
				okp = append(okp, [2]float64{float64(k), rate(c.ok)})
			}
			if c.ko > 0 {
				kop = append(kop, [2]float64{float64(k), rate(c.ko)})
			}
		}
		tps.Series = append(tps.Series, ChartSeries{Name: l + "-success", Points: okp})
		if len(kop) > 0 {
			tps.Series = append(tps.Series, ChartSeries{Name: l + "-failure", Points: kop})
		}
	}
	charts = append(charts, tps)

	total := timeChart("totalTPS", "Total transactions per second", "/s")
	errs := timeChart("errorsOverTime", "Errors per second (transaction controllers excluded)", "/s")
	bytes := timeChart("bytesThroughputOverTime", "Bytes throughput over time", "B/s")
	var okp, kop, ep, rp, sp [][2]float64
	for _, k := range keys {
		c := s.global[k]
		x := float64(k)
		okp = append(okp, [2]float64{x, rate(c.ok)})
		kop = append(kop, [2]float64{x, rate(c.ko)})
		ep = append(ep, [2]float64{x, rate(c.errs)})
		rp = append(rp, [2]float64{x, rate(c.bytes)})
		sp = append(sp, [2]float64{x, rate(c.sent)})
	}
	total.Series = []ChartSeries{{Name: "Transaction-success", Points: okp}, {Name: "Transaction-failure", Points: kop}}
	errs.Series = []ChartSeries{{Name: "Errors", Points: ep}}
	bytes.Series = []ChartSeries{{Name: "Bytes received per second", Points: rp}, {Name: "Bytes sent per second", Points: sp}}
	charts = append(charts, total, errs, bytes)

	// Median response time and latency against the request rate of their
	// second (JMeter's 1 s buckets; wider only for runs past maxBuckets s).
	vsReq := func(id, title string, ok, ko func(c *vsCell) *loghist) Chart {
		// points, not a line: JMeter draws these as scatter charts
		ch := Chart{ID: id, Title: title, X: "rps", Y: "ms", Kind: "scatter"}
		okBy, koBy := map[int64]*loghist{}, map[int64]*loghist{}
		for _, k := range sortedKeys(s.vs) {
			c := s.vs[k]
			x := c.n * 1000 / s.vg // requests per second, integer division as in JMeter
			for _, side := range []struct {
				h  *loghist
				by map[int64]*loghist
			}{{ok(c), okBy}, {ko(c), koBy}} {
				if side.h.n == 0 {
					continue
				}
				if side.by[x] == nil {
					side.by[x] = &loghist{}
				}
				side.by[x].merge(side.h)
			}
		}
		for _, side := range []struct {
			name string
			by   map[int64]*loghist
		}{{"Successes", okBy}, {"Failures", koBy}} {
			var p [][2]float64
			for _, x := range sortedKeys(side.by) {
				p = append(p, [2]float64{float64(x), side.by[x].percentiles([]float64{50})[0]})
			}
			ch.Series = append(ch.Series, ChartSeries{Name: side.name, Points: p})
		}
		return ch
	}
	charts = append(charts,
		vsReq("responseTimeVsRequest", "Median response time vs requests per second", func(c *vsCell) *loghist { return &c.okEl }, func(c *vsCell) *loghist { return &c.koEl }),
		vsReq("latencyVsRequest", "Median latency vs requests per second", func(c *vsCell) *loghist { return &c.okLat }, func(c *vsCell) *loghist { return &c.koLat }))

	// A group's curve is its mean active threads per bucket, added up over
	// the results files (the shards of one run each count their own users).
	threads := timeChart("activeThreadsOverTime", "Active threads over time", "threads")
	perGroup := map[string]map[int64]float64{}
	for tk, m := range s.threads {
		g := perGroup[tk.grp]
		if g == nil {
			g = map[int64]float64{}
			perGroup[tk.grp] = g
		}
		for k, c := range m {
			g[k] += float64(c.sum) / float64(c.n)
		}
	}
	for _, grp := range sortedStrings(perGroup) {
		m := perGroup[grp]
		var p [][2]float64
		for _, k := range sortedKeys(m) {
			p = append(p, [2]float64{float64(k), m[k]})
		}
		threads.Series = append(threads.Series, ChartSeries{Name: grp, Points: p})
	}
	charts = append(charts, threads)

	charts = append(charts,
		perLabel("latenciesOverTime", "Latency over time (mean)", func(c *cell) (float64, bool) {
			return float64(c.sumLatency) / float64(c.n), true
		}),
		perLabel("connectTimeOverTime", "Connect time over time (mean)", func(c *cell) (float64, bool) {
			return float64(c.sumConnect) / float64(c.n), true
		}))

	dist := Chart{ID: "responseTimeDistribution", Title: fmt.Sprintf("Response time distribution (%d ms bars)", s.opts.DistributionStep), X: "ms", Y: "count", Kind: "bar"}
	for _, l := range labels {
		ls := s.labels[l]
		var p [][2]float64
		for _, k := range sortedKeys(ls.dist) {
			p = append(p, [2]float64{float64(k), float64(ls.dist[k])})
		}
		dist.Series = append(dist.Series, ChartSeries{Name: l, Points: p})
	}
	charts = append(charts, dist)

	vsThreads := Chart{ID: "timeVsThreads", Title: "Mean response time by number of active threads", X: "threads", Y: "ms", Kind: "line"}
	for _, l := range labels {
		ls := s.labels[l]
		var p [][2]float64
		for _, k := range sortedKeys(ls.byThreads) {
			c := ls.byThreads[k]
			p = append(p, [2]float64{float64(k), float64(c.sum) / float64(c.n)})
		}
		vsThreads.Series = append(vsThreads.Series, ChartSeries{Name: l, Points: p})
	}
	charts = append(charts, vsThreads)

	curve := Chart{ID: "responseTimePercentiles", Title: "Response time percentiles (exact, all samples)", X: "pct", Y: "ms", Kind: "line"}
	if stats != nil {
		for _, l := range labels {
			curve.Series = append(curve.Series, ChartSeries{Name: l, Points: percentileCurve(stats.Distribution(l, false))})
		}
	}
	charts = append(charts, curve)

	syn := Chart{ID: "syntheticResponseTimeDistribution", Title: "Synthetic response times distribution", X: "cat", Y: "count", Kind: "bar",
		Categories: []string{
			fmt.Sprintf("≤ %d ms", s.opts.Satisfied),
			fmt.Sprintf("> %d ms and ≤ %d ms", s.opts.Satisfied, s.opts.Tolerated),
			fmt.Sprintf("> %d ms", s.opts.Tolerated),
			"Requests in error"}}
	var sy [][2]float64
	for i, v := range s.synthetic {
		sy = append(sy, [2]float64{float64(i), float64(v)})
	}
	syn.Series = []ChartSeries{{Name: "Requests", Points: sy}}
	charts = append(charts, syn)
	if len(labels) < len(s.order) {
		for i := range charts {
			switch charts[i].ID {
			case "responseTimesOverTime", "transactionsPerSecond", "latenciesOverTime", "connectTimeOverTime", "responseTimeDistribution", "responseTimePercentiles", "timeVsThreads":
				charts[i].Title += fmt.Sprintf(" — the %d labels with most samples of %d", len(labels), len(s.order))
			}
		}
	}
	return charts
}

func pctName(p float64) string {
	return strconv.FormatFloat(p, 'f', -1, 64) + "th percentile"
}

// percentileCurve samples an exact distribution every 0.1 percent the way
// JMeter's graph does: walking the distinct values in order, it adds each
// one's share (in floating point, as JMeter) and emits the value for every
// level still below the running share. Rounding decides whether the last
// level (100 %) appears, as it does in JMeter.
func percentileCurve(vc []ValueCount) [][2]float64 {
	var n int64
	for _, v := range vc {
		n += v.Count
	}
	if n == 0 {
		return nil
	}
	out := make([][2]float64, 0, 1001)
	percent := 0.0
	rank := 0
	for _, v := range vc {
		percent += float64(100*v.Count) / float64(n)
		for level := float64(rank) / 10; level < percent; level = float64(rank) / 10 {
			out = append(out, [2]float64{level, float64(v.Value)})
			rank++
		}
	}
	return out
}

func countPoints(m map[int64]int64, rate func(int64) float64) [][2]float64 {
	var p [][2]float64
	for _, k := range sortedKeys(m) {
		p = append(p, [2]float64{float64(k), rate(m[k])})
	}
	return p
}

func sortedKeys[V any](m map[int64]V) []int64 {
	ks := make([]int64, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func sortedStrings[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, cmp.Compare)
	return ks
}

// loghist is a compact log-linear histogram for per-bucket percentiles:
// values below 128 ms are exact; above, buckets are 1/64 of an octave wide,
// and a bucket's midpoint is within 0.8 % of any value in it.
type loghist struct {
	c []uint32
	n int64
}

func histIndex(v int64) int {
	if v < 128 {
		return int(max(v, 0))
	}
	e := bits.Len64(uint64(v)) - 7
	m := v >> e // 64..127
	return 128 + (e-1)*64 + int(m-64)
}

func histValue(i int) float64 {
	if i < 128 {
		return float64(i)
	}
	e := (i-128)/64 + 1
	m := int64((i-128)%64 + 64)
	lo := m << e
	return float64(lo) + float64((int64(1)<<e)-1)/2
}

func (h *loghist) add(v int64) {
	i := histIndex(v)
	if i >= len(h.c) {
		h.c = append(h.c, make([]uint32, i+1-len(h.c))...)
	}
	h.c[i]++
	h.n++
}

func (h *loghist) merge(o *loghist) {
	if len(o.c) > len(h.c) {
		h.c = append(h.c, make([]uint32, len(o.c)-len(h.c))...)
	}
	for i, v := range o.c {
		h.c[i] += v
	}
	h.n += o.n
}

// percentiles applies the LEGACY rule to the bucket midpoints.
func (h *loghist) percentiles(levels []float64) []float64 {
	cum := make([]int64, len(h.c))
	var run int64
	for i, v := range h.c {
		run += int64(v)
		cum[i] = run
	}
	at := func(k int64) float64 {
		i, _ := slices.BinarySearch(cum, k+1)
		return histValue(min(i, len(h.c)-1))
	}
	out := make([]float64, len(levels))
	for i, p := range levels {
		out[i] = legacyEstimate(p, h.n, at)
	}
	return out
}
