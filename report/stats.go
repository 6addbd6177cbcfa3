package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gometer/gometer/functions"
)

// PercentileMode selects how median and the three percentiles are computed.
type PercentileMode int

const (
	// Exact uses every sample: elapsed times are whole milliseconds, so a
	// count per distinct value is exact and its memory is bounded by the
	// number of distinct values (not samples). Percentiles apply JMeter's
	// LEGACY interpolation to the full, exact distribution.
	Exact PercentileMode = iota
	// JMeter reproduces JMeter 5.6's dashboard: LEGACY interpolation over
	// only the last Window samples of each label, in input order.
	JMeter
)

func (m PercentileMode) String() string {
	if m == JMeter {
		return "jmeter"
	}
	return "exact"
}

// ParsePercentileMode reads "exact" or "jmeter" (the --percentiles flag).
func ParsePercentileMode(s string) (PercentileMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "exact":
		return Exact, nil
	case "jmeter", "legacy", "windowed":
		return JMeter, nil
	}
	return Exact, fmt.Errorf("percentile mode %q: want exact or jmeter", s)
}

// DefaultWindow is JMeter's jmeter.reportgenerator.statistic_window.
const DefaultWindow = 20000

// StatsOptions configures Stats.
type StatsOptions struct {
	// Percentiles are the levels of P1..P3 (aggregate_rpt_pct1..3), default 90, 95, 99.
	Percentiles [3]float64
	// PercentileLabels are the property strings as given ("90", "99.9"), for column titles.
	PercentileLabels [3]string
	Mode             PercentileMode
	// Window is the per-label sample window of JMeter mode (statistic_window).
	Window int
}

// DefaultStatsOptions are JMeter's defaults with exact percentiles.
func DefaultStatsOptions() StatsOptions {
	return StatsOptions{
		Percentiles:      [3]float64{90, 95, 99},
		PercentileLabels: [3]string{"90", "95", "99"},
		Mode:             Exact,
		Window:           DefaultWindow,
	}
}

// StatsOptionsFromProps reads aggregate_rpt_pct1..3,
// jmeter.reportgenerator.statistic_window and gometer.percentiles
// (exact|jmeter; set by --percentiles). A nil p gives the defaults.
func StatsOptionsFromProps(p *functions.Properties) (StatsOptions, error) {
	o := DefaultStatsOptions()
	if p == nil {
		return o, nil
	}
	for i := range 3 {
		name := "aggregate_rpt_pct" + strconv.Itoa(i+1)
		v, ok := p.Get(name)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f <= 0 || f > 100 || math.IsNaN(f) {
			return o, fmt.Errorf("property %s=%q: want a number in (0,100]", name, v)
		}
		o.Percentiles[i] = f
		o.PercentileLabels[i] = strings.TrimSpace(v)
	}
	if v, ok := p.Get("jmeter.reportgenerator.statistic_window"); ok && strings.TrimSpace(v) != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n == 0 || n < -1 {
			return o, fmt.Errorf("property jmeter.reportgenerator.statistic_window=%q: want a positive integer (or -1 for unbounded)", v)
		}
		o.Window = n
	}
	// gometer.percentiles is what the CLI's --percentiles sets; gometer.report.percentiles is an alias.
	for _, name := range []string{"gometer.report.percentiles", "gometer.percentiles"} {
		if v, ok := p.Get(name); ok {
			m, err := ParsePercentileMode(v)
			if err != nil {
				return o, fmt.Errorf("property %s: %w", name, err)
			}
			o.Mode = m
		}
	}
	return o, nil
}

// LabelStats is one row of the statistics table (one label, or Total).
// Times are milliseconds; Throughput is samples per second.
type LabelStats struct {
	Label                              string
	Samples, Errors                    int64
	ErrorPct                           float64
	Mean, Min, Max                     float64
	Median, P1, P2, P3                 float64
	Throughput, ReceivedKBps, SentKBps float64
	Bytes, SentBytes                   int64 // totals, for summaries
	FirstStart, LastEnd                int64 // epoch ms; the throughput denominator is LastEnd-FirstStart
	IsController                       bool  // a transaction controller's row
}

// Stats aggregates samples per label and in total, the way JMeter's
// dashboard statistics table does:
//   - every label, transaction controllers included, gets a row; rows of
//     empty controllers ("… in transaction : 0") are ignored;
//   - Total leaves transaction controller rows out;
//   - throughput is count / (last end − first start) of the row itself.
//
// Memory is bounded by labels × distinct elapsed values (plus, in JMeter
// mode, labels × Window). Stats is NOT safe for concurrent use: callers that
// feed it from several goroutines must serialise Add (Collector does).
type Stats struct {
	opts   StatsOptions
	rows   map[string]*acc
	order  []string
	total  *acc
	single *acc // last row touched: consecutive samples often share a label
}

// NewStats returns an empty aggregation.
func NewStats(opts StatsOptions) *Stats {
	if opts.Percentiles == ([3]float64{}) {
		d := DefaultStatsOptions()
		opts.Percentiles, opts.PercentileLabels = d.Percentiles, d.PercentileLabels
	}
	for i := range opts.PercentileLabels {
		if opts.PercentileLabels[i] == "" {
			opts.PercentileLabels[i] = strconv.FormatFloat(opts.Percentiles[i], 'f', -1, 64)
		}
	}
	if opts.Window == 0 {
		opts.Window = DefaultWindow
	}
	return &Stats{opts: opts, rows: make(map[string]*acc), total: newAcc("Total", opts)}
}

// Options returns the options in effect.
func (s *Stats) Options() StatsOptions { return s.opts }

// Add counts one sample. It keeps no reference to x.
func (s *Stats) Add(x *Sample) {
	a := s.single
	if a == nil || a.label != x.Label {
		a = s.rows[x.Label]
		if a == nil {
			l := strings.Clone(x.Label)
			a = newAcc(l, s.opts)
			a.controller = x.IsTransaction()
			s.rows[l] = a
			s.order = append(s.order, l)
		}
		s.single = a
	}
	// An empty controller ("… in transaction : 0") gets its row, as in
	// JMeter, but is not counted anywhere.
	if isEmptyController(x) {
		return
	}
	a.add(x)
	if !x.IsTransaction() {
		s.total.add(x)
	}
}

// Labels returns the labels in first-seen order.
func (s *Stats) Labels() []string { return slices.Clone(s.order) }

// Row returns the statistics of one label (zero Samples when unknown).
func (s *Stats) Row(label string) LabelStats {
	a := s.rows[label]
	if a == nil {
		return LabelStats{Label: label}
	}
	return a.result(s.opts)
}

// Total returns the overall row (transaction controllers excluded).
func (s *Stats) Total() LabelStats { return s.total.result(s.opts) }

// Distribution returns the exact elapsed-time distribution of a label
// ("" with total=true for Total) as ascending (value, count) pairs.
func (s *Stats) Distribution(label string, total bool) []ValueCount {
	a := s.total
	if !total {
		a = s.rows[label]
	}
	if a == nil {
		return nil
	}
	return a.dist.sorted()
}

func isEmptyController(x *Sample) bool {
	const p = TransactionPrefix + "0"
	return strings.HasPrefix(x.ResponseMessage, p) &&
		(len(x.ResponseMessage) == len(p) || x.ResponseMessage[len(p)] < '0' || x.ResponseMessage[len(p)] > '9')
}

// acc accumulates one row.
type acc struct {
	label      string
	controller bool
	n, errors  int64
	bytes      int64
	sent       int64
	sum        int64   // exact sum of elapsed, while it fits (sumLost after)
	sumLost    bool    // the sum overflowed (absurd elapsed values): use mean
	mean       float64 // running mean updated as commons-math's Mean does (JMeter's digits); NaN when empty
	min, max   int64
	first      int64
	last       int64
	dist       counts
	win        *window // JMeter mode only
}

func newAcc(label string, o StatsOptions) *acc {
	a := &acc{label: label, mean: math.NaN(), min: math.MaxInt64, max: math.MinInt64, first: math.MaxInt64, last: math.MinInt64}
	if o.Mode == JMeter {
		a.win = newWindow(o.Window)
	}
	return a
}

func (a *acc) add(x *Sample) {
	a.n++
	if !x.Success {
		a.errors++
	}
	a.bytes += x.Bytes
	a.sent += x.SentBytes
	e := x.Elapsed
	if s := a.sum + e; (e > 0 && s < a.sum) || (e < 0 && s > a.sum) {
		a.sumLost = true
	} else {
		a.sum = s
	}
	if a.n == 1 {
		a.mean = float64(e)
	} else {
		a.mean += (float64(e) - a.mean) / float64(a.n)
	}
	a.min = min(a.min, e)
	a.max = max(a.max, e)
	a.first = min(a.first, x.TimeStamp)
	a.last = max(a.last, x.TimeStamp+e)
	a.dist.add(e)
	if a.win != nil {
		a.win.add(e)
	}
}

func (a *acc) result(o StatsOptions) LabelStats {
	r := LabelStats{Label: a.label, Samples: a.n, Errors: a.errors, Bytes: a.bytes, SentBytes: a.sent, IsController: a.controller}
	// With no samples (a row of empty controllers) every figure follows
	// from the untouched accumulators exactly as in JMeter: NaN averages,
	// ±MaxInt64 min/max and a zero throughput (the span wraps around to 1).
	r.FirstStart, r.LastEnd = a.first, a.last
	r.ErrorPct = float64(a.errors) * 100 / float64(a.n)
	if o.Mode == JMeter || a.n == 0 || a.sumLost {
		r.Mean = a.mean
	} else {
		r.Mean = float64(a.sum) / float64(a.n)
	}
	r.Min, r.Max = float64(a.min), float64(a.max)
	if a.n > 0 {
		// rounding of huge values must not put the mean outside its bounds
		r.Mean = min(max(r.Mean, r.Min), r.Max)
	}
	levels := []float64{50, o.Percentiles[0], o.Percentiles[1], o.Percentiles[2]}
	var ps []float64
	if a.win != nil {
		ps = a.win.percentiles(levels)
	} else {
		ps = a.dist.percentiles(levels)
	}
	r.Median, r.P1, r.P2, r.P3 = ps[0], ps[1], ps[2], ps[3]
	// Same operation order as JMeter so the doubles agree to the last digit.
	d := float64(a.last - a.first)
	r.Throughput = (float64(a.n) / d) * 1000.0
	r.ReceivedKBps = float64(a.bytes) / (d / 1000) / 1024
	r.SentKBps = float64(a.sent) / (d / 1000) / 1024
	return r
}

// legacyPos is commons-math's LEGACY percentile position for level p in
// (0,100] over n sorted values (1-based, fractional).
func legacyPos(p float64, n int64) float64 {
	q := p / 100
	switch q {
	case 0:
		return 0
	case 1:
		return float64(n)
	}
	return q * float64(n+1)
}

// legacyEstimate interpolates with the LEGACY rule; at(k) returns the k-th
// smallest value, 0-based.
func legacyEstimate(p float64, n int64, at func(k int64) float64) float64 {
	if n == 0 {
		return math.NaN()
	}
	pos := legacyPos(p, n)
	if pos < 1 {
		return at(0)
	}
	if pos >= float64(n) {
		return at(n - 1)
	}
	fpos := math.Floor(pos)
	k := int64(fpos)
	dif := pos - fpos
	lo, hi := at(k-1), at(k)
	// float64() keeps the compiler from fusing into an FMA: Java rounds twice.
	return lo + float64(dif*(hi-lo))
}

// ValueCount is one distinct elapsed value and how often it occurred.
type ValueCount struct {
	Value int64
	Count int64
}

// counts is an exact multiset of integer milliseconds. Values below
// denseLimit live in lazily allocated chunks of chunkSize counters, so a
// label costs memory only for the ranges its values fall in (a few KB
// typically); other values go to a map.
type counts struct {
	few    []int64 // the first values of a label, kept as they come (labels with few samples stay small)
	chunks [][]int64
	sparse map[int64]int64
	n      int64
}

// fewLimit is how many values a label keeps as a plain list before counting.
const fewLimit = 32

const (
	chunkBits  = 9
	chunkSize  = 1 << chunkBits // 512 values, 4 KB
	denseLimit = 1 << 17        // 131 s; beyond that values go to the map
)

func (c *counts) add(v int64) {
	c.n++
	if c.n <= fewLimit {
		c.few = append(c.few, v)
		return
	}
	if c.few != nil {
		few := c.few
		c.few = nil
		for _, w := range few {
			c.count(w)
		}
	}
	c.count(v)
}

func (c *counts) count(v int64) { c.countN(v, 1) }

// countN counts v k times (no change to n).
func (c *counts) countN(v, k int64) {
	if v >= 0 && v < denseLimit {
		ci := int(v >> chunkBits)
		if ci >= len(c.chunks) {
			c.chunks = append(c.chunks, make([][]int64, ci+1-len(c.chunks))...)
		}
		ch := c.chunks[ci]
		if ch == nil {
			ch = make([]int64, chunkSize)
			c.chunks[ci] = ch
		}
		ch[v&(chunkSize-1)] += k
		return
	}
	if c.sparse == nil {
		c.sparse = make(map[int64]int64)
	}
	c.sparse[v] += k
}

func (c *counts) sorted() []ValueCount {
	if c.few != nil {
		vs := slices.Clone(c.few)
		slices.Sort(vs)
		var out []ValueCount
		for _, v := range vs {
			if len(out) > 0 && out[len(out)-1].Value == v {
				out[len(out)-1].Count++
			} else {
				out = append(out, ValueCount{v, 1})
			}
		}
		return out
	}
	var neg, big []ValueCount
	for v, k := range c.sparse {
		if v < 0 {
			neg = append(neg, ValueCount{v, k})
		} else {
			big = append(big, ValueCount{v, k})
		}
	}
	cmp := func(a, b ValueCount) int {
		switch {
		case a.Value < b.Value:
			return -1
		case a.Value > b.Value:
			return 1
		}
		return 0
	}
	slices.SortFunc(neg, cmp)
	slices.SortFunc(big, cmp)
	out := neg
	for ci, ch := range c.chunks {
		for j, k := range ch {
			if k != 0 {
				out = append(out, ValueCount{int64(ci<<chunkBits + j), k})
			}
		}
	}
	return append(out, big...)
}

func (c *counts) percentiles(levels []float64) []float64 {
	vc := c.sorted()
	// cumulative counts for rank lookup
	cum := make([]int64, len(vc))
	var run int64
	for i, x := range vc {
		run += x.Count
		cum[i] = run
	}
	at := func(k int64) float64 { // k-th smallest, 0-based
		i, _ := slices.BinarySearchFunc(cum, k+1, func(a, b int64) int {
			switch {
			case a < b:
				return -1
			case a > b:
				return 1
			}
			return 0
		})
		return float64(vc[i].Value)
	}
	out := make([]float64, len(levels))
	for i, p := range levels {
		out[i] = legacyEstimate(p, c.n, at)
	}
	return out
}

// window keeps the last size values in arrival order (size < 0: all).
type window struct {
	buf  []int64
	next int
	size int
}

func newWindow(size int) *window { return &window{size: size} }

func (w *window) add(v int64) {
	if w.size < 0 || len(w.buf) < w.size {
		w.buf = append(w.buf, v)
		return
	}
	w.buf[w.next] = v
	w.next++
	if w.next == w.size {
		w.next = 0
	}
}

func (w *window) percentiles(levels []float64) []float64 {
	s := slices.Clone(w.buf)
	slices.Sort(s)
	at := func(k int64) float64 { return float64(s[k]) }
	out := make([]float64, len(levels))
	for i, p := range levels {
		out[i] = legacyEstimate(p, int64(len(s)), at)
	}
	return out
}
