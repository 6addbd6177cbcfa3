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

// Evidence is what the monitors say about the run: the signals that moved
// with the response time, and the statements that took the most time.
type Evidence struct {
	Movers     []Mover
	TopQueries []QueryTotal
}

// Mover is a monitored signal whose level followed the pNN response time
// over the run.
type Mover struct {
	Signal   string  // "pg.stmt.mean_ms UPDATE accounts …"
	R        float64 // Pearson correlation with the response-time percentile
	Low      float64 // the signal's mean while the percentile was in its lowest quarter
	High     float64 // … in its highest quarter
	PctLow   float64 // the percentile's mean in those periods
	PctHigh  float64
	PctTitle string
}

// QueryTotal is one statement's total during the run.
type QueryTotal struct {
	Query            string
	Calls, TotalMs   float64
	MeanMs, BlksRead float64
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
// time before its correlation means anything.
const minMoverPoints = 4

// evidence ranks the monitored signals by how strongly their level moved
// with the response-time percentile pct (bucket → ms), and totals the
// statements' time over the run.
func evidence(lines []MonitorLine, pct map[int64]float64, g int64, pctTitle string) *Evidence {
	if len(lines) == 0 {
		return nil
	}
	ev := &Evidence{}
	if len(pct) >= minMoverPoints {
		// the percentile's lowest and highest quarter of buckets
		vals := make([]float64, 0, len(pct))
		for _, v := range pct {
			vals = append(vals, v)
		}
		sort.Float64s(vals)
		lo, hi := vals[len(vals)/4], vals[len(vals)-1-len(vals)/4]
		for k, s := range bucketed(lines, g) {
			var xs, ys []float64
			var low, high, plow, phigh [2]float64
			for b, v := range s {
				p, ok := pct[b]
				if !ok {
					continue
				}
				xs, ys = append(xs, v), append(ys, p)
				if p <= lo {
					low = [2]float64{low[0] + v, low[1] + 1}
					plow = [2]float64{plow[0] + p, plow[1] + 1}
				}
				if p >= hi {
					high = [2]float64{high[0] + v, high[1] + 1}
					phigh = [2]float64{phigh[0] + p, phigh[1] + 1}
				}
			}
			if len(xs) < minMoverPoints || low[1] == 0 || high[1] == 0 {
				continue
			}
			r := pearson(xs, ys)
			if math.IsNaN(r) || math.Abs(r) < 0.5 {
				continue
			}
			ev.Movers = append(ev.Movers, Mover{Signal: k.String(), R: r, Low: low[0] / low[1], High: high[0] / high[1],
				PctLow: plow[0] / plow[1], PctHigh: phigh[0] / phigh[1], PctTitle: pctTitle})
		}
		sort.Slice(ev.Movers, func(i, j int) bool {
			if a, b := math.Abs(ev.Movers[i].R), math.Abs(ev.Movers[j].R); a != b {
				return a > b
			}
			return ev.Movers[i].Signal < ev.Movers[j].Signal
		})
		if len(ev.Movers) > 10 {
			ev.Movers = ev.Movers[:10]
		}
	}
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
		}
	}
	for _, t := range q {
		if t.Calls > 0 {
			t.MeanMs = t.TotalMs / t.Calls
		}
		ev.TopQueries = append(ev.TopQueries, *t)
	}
	sort.Slice(ev.TopQueries, func(i, j int) bool {
		if ev.TopQueries[i].TotalMs != ev.TopQueries[j].TotalMs {
			return ev.TopQueries[i].TotalMs > ev.TopQueries[j].TotalMs
		}
		return ev.TopQueries[i].Query < ev.TopQueries[j].Query
	})
	if len(ev.TopQueries) > 10 {
		ev.TopQueries = ev.TopQueries[:10]
	}
	return ev
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

// Sentence says how the signal moved with the response time.
func (m Mover) Sentence() string {
	dir := "rose"
	if m.PctHigh < m.PctLow {
		dir = "fell"
	}
	with := "with"
	if m.R < 0 {
		with = "against"
	}
	return fmt.Sprintf("%s %s from %s to %s ms %s %s: %s → %s (r = %.2f)", m.PctTitle, dir, fmtNum(m.PctLow, 0), fmtNum(m.PctHigh, 0), with,
		m.Signal, fmtSignal(m.Low), fmtSignal(m.High), m.R)
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
