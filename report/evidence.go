package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"sort"
	"strings"
	"time"
)

// MonitorLine is one reading of a server monitor, as gometer's monitors
// write it beside the JTL (<jtl>.monitor.jsonl, one JSON object a line).
type MonitorLine struct {
	T      int64   `json:"t"` // Unix ms
	Source string  `json:"src"`
	Name   string  `json:"name"`
	V      float64 `json:"v"`
	Label  string  `json:"label,omitempty"`
}

// MonitorPath is where the monitors' series of a JTL is.
func MonitorPath(jtl string) string { return jtl + ".monitor.jsonl" }

// ReadMonitorSeries reads the monitor series beside the JTLs (none is not
// an error). A malformed line is an error naming the file and line.
func ReadMonitorSeries(jtls []string) ([]MonitorLine, error) {
	var out []MonitorLine
	for _, j := range jtls {
		f, err := os.Open(MonitorPath(j))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		n := 0
		for sc.Scan() {
			n++
			if len(strings.TrimSpace(sc.Text())) == 0 {
				continue
			}
			var l MonitorLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil || l.Name == "" {
				f.Close()
				return nil, fmt.Errorf("%s:%d: not a monitor reading: %q", MonitorPath(j), n, shorten(sc.Text(), 80))
			}
			out = append(out, l)
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", MonitorPath(j), err)
		}
	}
	return out, nil
}

// Evidence is what the monitors say about the run: when the response time
// rose, the faults recognised in what changed with it, the signals ranked
// by how much they changed, and the statements that took the most time.
type Evidence struct {
	Rise       *Rise
	Findings   []Finding
	Movers     []Mover
	TopQueries []QueryTotal
}

// Rise is the step in the response-time percentile: the split of the run's
// intervals into a before and an after that best explains the percentile
// (least squares), when the after is clearly higher.
type Rise struct {
	At            int64 // Unix ms: the first interval of the after
	Before, After float64
	PctTitle      string
	Intervals     [2]int // intervals before and after
}

// Finding is a fault recognised from the signals: Kind names it ("slow
// statement", "N+1 query", "cache", "connection pool", "CPU", "locks"),
// Text gives the figures.
type Finding struct {
	Kind, Text string
}

// Mover is a monitored signal that changed between before and after the
// rise of the response time.
type Mover struct {
	Signal        string  // "pg.stmt.mean_ms UPDATE accounts …"
	Score         float64 // the change in units of the signal's spread within before and after
	R             float64 // Pearson correlation with the percentile over the run (NaN when flat)
	Before, After float64 // the signal's mean before and after the rise
	PctBefore     float64 // the percentile's mean in those periods
	PctAfter      float64
	PctTitle      string
}

// QueryTotal is one statement's total during the run.
type QueryTotal struct {
	Query            string
	Calls, TotalMs   float64
	MeanMs, BlksRead float64
	BlksHit          float64
	// PerSample is calls per sample of the run: far above 1, the same
	// statement runs many times for one request (N+1).
	PerSample float64
}

type seriesKey struct{ name, label string }

func (k seriesKey) String() string {
	if k.label == "" {
		return k.name
	}
	return k.name + " " + k.label
}

// bucketed averages each series' readings per time bucket of g ms.
func bucketed(lines []MonitorLine, g int64) map[seriesKey]map[int64]float64 {
	sum := map[seriesKey]map[int64][2]float64{}
	for _, l := range lines {
		if math.IsNaN(l.V) || math.IsInf(l.V, 0) {
			continue
		}
		k := seriesKey{l.Name, l.Label}
		if sum[k] == nil {
			sum[k] = map[int64][2]float64{}
		}
		b := l.T / g * g
		s := sum[k][b]
		sum[k][b] = [2]float64{s[0] + l.V, s[1] + 1}
	}
	out := map[seriesKey]map[int64]float64{}
	for k, m := range sum {
		out[k] = map[int64]float64{}
		for b, s := range m {
			out[k][b] = s[0] / s[1]
		}
	}
	return out
}

// monitorCharts draws every monitored signal over time, one chart per name
// and a curve per label, on the response-time charts' buckets.
func monitorCharts(lines []MonitorLine, g int64) []Chart {
	if len(lines) == 0 || g <= 0 {
		return nil
	}
	b := bucketed(lines, g)
	byName := map[string][]seriesKey{}
	for k := range b {
		byName[k.name] = append(byName[k.name], k)
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	var charts []Chart
	for _, n := range names {
		ch := Chart{ID: "monitor." + n, Title: n, X: "time", Y: unitOf(n), Kind: "line", Granularity: g}
		keys := byName[n]
		sort.Slice(keys, func(i, j int) bool { return keys[i].label < keys[j].label })
		for _, k := range keys {
			name := k.label
			if name == "" {
				name = n
			}
			ch.Series = append(ch.Series, ChartSeries{Name: name, Points: points(b[k])})
		}
		charts = append(charts, ch)
	}
	return charts
}

func points(m map[int64]float64) [][2]float64 {
	ks := make([]int64, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	p := make([][2]float64, len(ks))
	for i, k := range ks {
		p[i] = [2]float64{float64(k), m[k]}
	}
	return p
}

func unitOf(name string) string {
	switch {
	case strings.HasSuffix(name, "_pct"):
		return "%"
	case strings.HasSuffix(name, "_per_s"):
		return "/s"
	case strings.HasSuffix(name, "_ms"):
		return "ms"
	case strings.HasSuffix(name, "_us"):
		return "µs"
	case strings.HasSuffix(name, "bytes"):
		return "B"
	}
	return "count"
}

// minMoverPoints is how many buckets a signal must share with the response
// time before a change means anything.
const minMoverPoints = 4

// Thresholds of the ranking and the findings. A change counts when it is
// at least minScore times the signal's own spread within before and after
// and minRelChange of its level; a percentile rise when after is riseRatio
// times before.
const (
	minScore     = 1.5
	minRelChange = 0.1
	riseRatio    = 1.2
	maxMovers    = 15
	nPlusOne     = 3   // calls per sample from which a statement is an N+1 suspect
	scanBlocks   = 100 // shared blocks per call from which a statement reads like a scan
)

// findRise splits the percentile's intervals (sorted times ts, values ps)
// where a step explains them best; nil when the after is not clearly
// higher.
func findRise(ts []int64, ps []float64, title string) *Rise {
	n := len(ps)
	if n < minMoverPoints {
		return nil
	}
	best, bestK := math.Inf(1), -1
	for k := 2; k <= n-2; k++ {
		if c := sse(ps[:k]) + sse(ps[k:]); c < best {
			best, bestK = c, k
		}
	}
	if bestK < 0 {
		return nil
	}
	b, a := mean(ps[:bestK]), mean(ps[bestK:])
	if a < b*riseRatio || a-b < 1 {
		return nil
	}
	return &Rise{At: ts[bestK], Before: b, After: a, PctTitle: title, Intervals: [2]int{bestK, n - bestK}}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func sse(xs []float64) float64 {
	m, s := mean(xs), 0.0
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return s
}

// change compares a series' levels before and after the rise.
type change struct {
	before, after, score, r float64
	ok                      bool // enough readings on both sides
}

func compareAt(s map[int64]float64, pct map[int64]float64, at int64) change {
	var bs, as, xs, ys []float64
	for b, v := range s {
		p, ok := pct[b]
		if !ok {
			continue
		}
		xs, ys = append(xs, v), append(ys, p)
		if b < at {
			bs = append(bs, v)
		} else {
			as = append(as, v)
		}
	}
	if len(xs) < minMoverPoints || len(bs) == 0 || len(as) == 0 {
		return change{}
	}
	c := change{before: mean(bs), after: mean(as), r: pearson(xs, ys), ok: true}
	// pooled spread within the two periods, floored so that a signal flat
	// on both sides does not get an infinite score
	spread := math.Sqrt((sse(bs) + sse(as)) / float64(max(len(xs)-2, 1)))
	spread = max(spread, 0.05*max(math.Abs(c.before), math.Abs(c.after)), 1e-9)
	c.score = (c.after - c.before) / spread
	return c
}

// moved reports whether a change is worth naming.
func (c change) moved() bool {
	return c.ok && math.Abs(c.score) >= minScore && math.Abs(c.after-c.before) >= minRelChange*max(math.Abs(c.before), math.Abs(c.after))
}

// evidence finds when the response-time percentile pct (bucket → ms) rose,
// ranks the monitored signals by how much they changed then, recognises
// the classic faults among them, and totals the statements' time over the
// run (samples: the run's sample count, for calls per sample).
func evidence(lines []MonitorLine, pct map[int64]float64, g int64, pctTitle string, samples int64) *Evidence {
	if len(lines) == 0 {
		return nil
	}
	ev := &Evidence{TopQueries: queryTotals(lines, samples)}
	ts := make([]int64, 0, len(pct))
	for b := range pct {
		ts = append(ts, b)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	ps := make([]float64, len(ts))
	for i, b := range ts {
		ps[i] = pct[b]
	}
	ev.Rise = findRise(ts, ps, pctTitle)
	changes := map[seriesKey]change{}
	if ev.Rise != nil {
		for k, s := range bucketed(lines, g) {
			c := compareAt(s, pct, ev.Rise.At)
			if !c.ok {
				continue
			}
			changes[k] = c
			if !c.moved() {
				continue
			}
			ev.Movers = append(ev.Movers, Mover{Signal: k.String(), Score: c.score, R: c.r, Before: c.before, After: c.after,
				PctBefore: ev.Rise.Before, PctAfter: ev.Rise.After, PctTitle: pctTitle})
		}
		sort.Slice(ev.Movers, func(i, j int) bool {
			if a, b := math.Abs(ev.Movers[i].Score), math.Abs(ev.Movers[j].Score); a != b {
				return a > b
			}
			return ev.Movers[i].Signal < ev.Movers[j].Signal
		})
		if len(ev.Movers) > maxMovers {
			ev.Movers = ev.Movers[:maxMovers]
		}
	}
	ev.Findings = findings(changes, ev.TopQueries, samples)
	return ev
}

// queryTotals totals each statement over the run, by total time.
func queryTotals(lines []MonitorLine, samples int64) []QueryTotal {
	q := map[string]*QueryTotal{}
	for _, l := range lines {
		if !strings.HasPrefix(l.Name, "pg.stmt.") {
			continue
		}
		t := q[l.Label]
		if t == nil {
			t = &QueryTotal{Query: l.Label}
			q[l.Label] = t
		}
		switch l.Name {
		case "pg.stmt.calls":
			t.Calls += l.V
		case "pg.stmt.total_ms":
			t.TotalMs += l.V
		case "pg.stmt.blks_read":
			t.BlksRead += l.V
		case "pg.stmt.blks_hit":
			t.BlksHit += l.V
		}
	}
	var out []QueryTotal
	for _, t := range q {
		if t.Calls > 0 {
			t.MeanMs = t.TotalMs / t.Calls
		}
		if samples > 0 {
			t.PerSample = t.Calls / float64(samples)
		}
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].TotalMs != out[j].TotalMs {
			return out[i].TotalMs > out[j].TotalMs
		}
		return out[i].Query < out[j].Query
	})
	if len(out) > 10 {
		out = out[:10]
	}
	return out
}

// poolWait recognises a connection pool's waiting figures by name, as the
// common libraries export them: database/sql (go_sql_wait_*), HikariCP
// (hikaricp_connections_pending), pgxpool-style (…pool…wait…).
func poolWait(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "prom.") && (strings.Contains(n, "pool") || strings.Contains(n, "sql") || strings.Contains(n, "hikari") || strings.Contains(n, "connection")) &&
		(strings.Contains(n, "wait") || strings.Contains(n, "pending"))
}

// findings names the classic faults in what changed when the response time
// rose (changes, by signal) and in the run's statement totals.
func findings(changes map[seriesKey]change, queries []QueryTotal, samples int64) []Finding {
	var out []Finding
	keys := make([]seriesKey, 0, len(changes))
	for k := range changes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	blocks := map[string]float64{}
	for _, q := range queries {
		if q.Calls > 0 {
			blocks[q.Query] = (q.BlksHit + q.BlksRead) / q.Calls
		}
	}
	// statements whose time per call grew
	type slow struct {
		q    string
		c    change
		grow float64
	}
	var slows []slow
	for _, k := range keys {
		if c := changes[k]; k.name == "pg.stmt.mean_ms" && c.moved() && c.after >= 2*c.before && c.after-c.before >= 1 {
			slows = append(slows, slow{k.label, c, c.after - c.before})
		}
	}
	sort.Slice(slows, func(i, j int) bool { return slows[i].grow > slows[j].grow })
	for i, s := range slows {
		if i == 3 {
			break
		}
		t := fmt.Sprintf("%s took %s ms a call before, %s ms after", s.q, fmtSignal(s.c.before), fmtSignal(s.c.after))
		if b := blocks[s.q]; b >= scanBlocks {
			t += fmt.Sprintf("; it reads %s shared blocks a call: a scan that grows with the table (an index missing?)", fmtNum(b, 0))
		}
		out = append(out, Finding{"slow statement", t})
	}
	// the same statement many times per request
	for _, q := range queries {
		if samples > 0 && q.Calls >= 100 && q.PerSample >= nPlusOne {
			out = append(out, Finding{"N+1 query", fmt.Sprintf("%s ran %s times per sampled request (%s calls for %s samples): one query per row in a loop? Fetch the rows in one query",
				q.Query, fmtNum(q.PerSample, 1), fmtNum(q.Calls, 0), fmtNum(float64(samples), 0))})
		}
	}
	// the cache: hit rate down, evictions up
	hit, hitOK := changes[seriesKey{"redis.hit_rate_pct", ""}]
	ev, evOK := changes[seriesKey{"redis.evicted_keys", ""}]
	fell := hitOK && hit.before-hit.after >= 10
	evicted := evOK && ev.after > 0 && ev.after >= 2*ev.before
	if fell || evicted {
		var t []string
		if fell {
			t = append(t, fmt.Sprintf("the Redis hit rate fell from %s%% to %s%%", fmtNum(hit.before, 0), fmtNum(hit.after, 0)))
		}
		if evicted {
			t = append(t, fmt.Sprintf("keys evicted per reading rose from %s to %s", fmtSignal(ev.before), fmtSignal(ev.after)))
		}
		why := ": the cache is too small for what is asked (maxmemory), or its keys expire too soon"
		if !evicted {
			why = ": more keys asked for than it holds, or expiring"
		}
		out = append(out, Finding{"cache", strings.Join(t, "; ") + why})
	}
	// a pool's waits, from the service's own metrics
	for _, k := range keys {
		if c := changes[k]; poolWait(k.name) && c.moved() && c.after > c.before {
			out = append(out, Finding{"connection pool", fmt.Sprintf("%s rose from %s to %s: requests waited for a database connection (the pool is too small for the load, or connections are held too long)",
				k, fmtSignal(c.before), fmtSignal(c.after))})
		}
	}
	if c, ok := changes[seriesKey{"pg.lock_waits", ""}]; ok && c.moved() && c.after >= 1 {
		out = append(out, Finding{"locks", fmt.Sprintf("sessions waiting on a lock in PostgreSQL rose from %s to %s", fmtSignal(c.before), fmtSignal(c.after))})
	}
	u, uok := changes[seriesKey{"host.cpu_user_pct", ""}]
	sy, sok := changes[seriesKey{"host.cpu_system_pct", ""}]
	if uok && sok && u.after+sy.after >= 85 {
		out = append(out, Finding{"CPU", fmt.Sprintf("this host's CPU was %s%% busy after the rise (%s%% before): the load generator and what it tests compete for it if they share the host",
			fmtNum(u.after+sy.after, 0), fmtNum(u.before+sy.before, 0))})
	}
	return out
}

func pearson(xs, ys []float64) float64 {
	n := float64(len(xs))
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Sentence says how the signal changed when the response time rose.
func (m Mover) Sentence() string {
	r := ""
	if !math.IsNaN(m.R) {
		r = fmt.Sprintf(", r = %.2f", m.R)
	}
	return fmt.Sprintf("%s: %s → %s (%+.1f spreads%s)", m.Signal, fmtSignal(m.Before), fmtSignal(m.After), m.Score, r)
}

// Sentence says when and how much the percentile rose.
func (r *Rise) Sentence() string {
	return fmt.Sprintf("%s rose from %s ms to %s ms at %s (%d intervals before, %d after)", r.PctTitle, fmtNum(r.Before, 0), fmtNum(r.After, 0),
		time.UnixMilli(r.At).Format("15:04:05"), r.Intervals[0], r.Intervals[1])
}

func fmtSignal(v float64) string {
	switch {
	case math.Abs(v) >= 100:
		return fmtNum(v, 0)
	case math.Abs(v) >= 1:
		return fmtNum(v, 1)
	}
	return fmtNum(v, 3)
}
