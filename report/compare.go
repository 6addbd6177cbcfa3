package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// CompareLimits are the regressions "B versus baseline A" may show before
// the comparison fails. A limit is checked only when it is > 0 (to forbid
// any increase at all, give a tiny value such as 0.001). Limits apply to
// TOTAL and to every label present in both runs, unless TotalOnly.
type CompareLimits struct {
	MaxP95Regression     float64 // fraction: 0.10 = B's p95 at most 10% above A's
	MaxP99Regression     float64 // fraction
	MaxMeanRegression    float64 // fraction
	MaxErrorRateIncrease float64 // percentage points: 1 = B's error % at most 1 pp above A's
	MaxThroughputDrop    float64 // fraction: 0.2 = B's throughput at most 20% below A's
	// MinDelta is an absolute floor in ms for the time limits (p95, p99,
	// mean): B must also be more than MinDelta ms above A, so that 0 → 1 ms
	// is not a "+100%" regression.
	MinDelta  float64
	TotalOnly bool
}

// CompareRow is one label (or TOTAL) of both runs.
type CompareRow struct {
	Label    string
	A, B     LabelStats
	InA, InB bool
	Exceeded []string // limits this row breaks, human text
}

// CompareReport is the result of Compare; Print renders it.
type CompareReport struct {
	Rows        []CompareRow // A's labels in first-seen order, then labels only B has
	Total       CompareRow
	Limits      CompareLimits
	Percentiles [3]string // level titles of P1..P3 ("90", "95", "99")
	Reasons     []string  // every exceeded limit, "label: text"; empty when within limits
	// NameA and NameB name the two runs in the printed table (their files);
	// "A" and "B" when empty.
	NameA, NameB string
}

// Exceeded reports whether any limit was exceeded.
func (r *CompareReport) Exceeded() bool { return len(r.Reasons) > 0 }

// Compare sets run b against baseline a, label by label and in total, and
// checks the limits. The p95/p99 limits use the statistics' percentile
// levels that are 95 and 99 (P2 and P3 by default).
func Compare(a, b *Stats, limits CompareLimits) CompareReport {
	rep := CompareReport{Limits: limits, Percentiles: a.Options().PercentileLabels}
	seen := map[string]bool{}
	add := func(l string) {
		if seen[l] {
			return
		}
		seen[l] = true
		ra, rb := a.Row(l), b.Row(l)
		rep.Rows = append(rep.Rows, CompareRow{Label: l, A: ra, B: rb, InA: ra.Samples > 0, InB: rb.Samples > 0})
	}
	for _, l := range a.Labels() {
		add(l)
	}
	for _, l := range b.Labels() {
		add(l)
	}
	ta, tb := a.Total(), b.Total()
	ta.Label, tb.Label = "TOTAL", "TOTAL"
	rep.Total = CompareRow{Label: "TOTAL", A: ta, B: tb, InA: true, InB: true}

	check := func(row *CompareRow) {
		if !row.InA || !row.InB {
			return
		}
		p95a, p95b := levelValue(a, row.A, 95), levelValue(b, row.B, 95)
		p99a, p99b := levelValue(a, row.A, 99), levelValue(b, row.B, 99)
		lim := []struct {
			on   bool
			name string
			a, b float64
			max  float64
			pp   bool // percentage points, not a fraction
			drop bool // a fall is the regression
		}{
			{limits.MaxP95Regression > 0, "p95", p95a, p95b, limits.MaxP95Regression, false, false},
			{limits.MaxP99Regression > 0, "p99", p99a, p99b, limits.MaxP99Regression, false, false},
			{limits.MaxMeanRegression > 0, "mean", row.A.Mean, row.B.Mean, limits.MaxMeanRegression, false, false},
			{limits.MaxErrorRateIncrease > 0, "error %", row.A.ErrorPct, row.B.ErrorPct, limits.MaxErrorRateIncrease, true, false},
			{limits.MaxThroughputDrop > 0, "throughput", row.A.Throughput, row.B.Throughput, limits.MaxThroughputDrop, false, true},
		}
		for _, x := range lim {
			if !x.on {
				continue
			}
			if math.IsNaN(x.a) || math.IsNaN(x.b) {
				if strings.HasPrefix(x.name, "p") {
					// both runs have samples, so the level is simply not computed
					row.Exceeded = append(row.Exceeded, x.name+" is not computed (aggregate_rpt_pct1..3 lack that level)")
				}
				continue
			}
			switch {
			case x.pp:
				if d := x.b - x.a; d > x.max {
					row.Exceeded = append(row.Exceeded, fmt.Sprintf("%s rose %s (limit %s)", x.name, signedPP(d), signedPP(x.max)))
				}
			case x.drop:
				if x.a > 0 && (x.a-x.b)/x.a > x.max {
					row.Exceeded = append(row.Exceeded, fmt.Sprintf("%s fell %s (limit %s)", x.name, relPct(x.b, x.a), "-"+strconv.FormatFloat(x.max*100, 'f', -1, 64)+"%"))
				}
			default:
				if x.b > x.a*(1+x.max) && x.b > x.a && x.b-x.a > limits.MinDelta {
					row.Exceeded = append(row.Exceeded, fmt.Sprintf("%s rose %s (limit +%s%%)", x.name, relPct(x.b, x.a), strconv.FormatFloat(x.max*100, 'f', -1, 64)))
				}
			}
		}
	}
	if !limits.TotalOnly {
		for i := range rep.Rows {
			check(&rep.Rows[i])
			for _, e := range rep.Rows[i].Exceeded {
				rep.Reasons = append(rep.Reasons, cellText(rep.Rows[i].Label)+": "+e)
			}
		}
	}
	check(&rep.Total)
	for _, e := range rep.Total.Exceeded {
		rep.Reasons = append(rep.Reasons, "TOTAL: "+e)
	}
	return rep
}

// levelValue is the row's percentile at level, if the stats compute it.
func levelValue(st *Stats, r LabelStats, level float64) float64 {
	o := st.Options()
	switch level {
	case o.Percentiles[0]:
		return r.P1
	case o.Percentiles[1]:
		return r.P2
	case o.Percentiles[2]:
		return r.P3
	case 50:
		return r.Median
	}
	return math.NaN()
}

func signedPP(d float64) string {
	s := strconv.FormatFloat(d, 'f', 2, 64)
	if d >= 0 {
		s = "+" + s
	}
	return s + "pp"
}

// relPct is b relative to a as a signed percentage.
func relPct(b, a float64) string {
	switch {
	case math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0):
		return "-"
	case a == 0 && b == 0:
		return "0.0%"
	case a == 0:
		return "new"
	}
	d := (b - a) / a * 100
	s := strconv.FormatFloat(d, 'f', 1, 64)
	if d >= 0 {
		s = "+" + s
	}
	return s + "%"
}

func signedInt(d int64) string {
	if d > 0 {
		return "+" + strconv.FormatInt(d, 10)
	}
	return strconv.FormatInt(d, 10)
}

func (r *CompareReport) names() (string, string) {
	a, b := r.NameA, r.NameB
	if a == "" {
		a = "A"
	}
	if b == "" {
		b = "B"
	}
	return cellText(a), cellText(b)
}

// Print renders the comparison with one row per label (and TOTAL): each
// cell is "A → B" with the change, then the verdict.
func (r *CompareReport) Print(w io.Writer) error {
	na, nb := r.names()
	if _, err := fmt.Fprintf(w, "%s → %s (cells: first → second, change)\n", na, nb); err != nil {
		return err
	}
	t := newTextTable(w, "lrrrrrl")
	t.Header([]string{"Label", "Samples", "Error %", "p" + r.Percentiles[1] + " ms", "Mean ms", "Throughput/s", "Limits"})
	rows := append(append([]CompareRow(nil), r.Rows...), r.Total)
	for _, row := range rows {
		label := cellText(row.Label)
		switch {
		case !row.InA && row.Label != "TOTAL":
			if err := t.Append([]string{label, "- → " + strconv.FormatInt(row.B.Samples, 10), "", "", "", "", "only in " + nb}); err != nil {
				return err
			}
			continue
		case !row.InB && row.Label != "TOTAL":
			if err := t.Append([]string{label, strconv.FormatInt(row.A.Samples, 10) + " → -", "", "", "", "", "only in " + na}); err != nil {
				return err
			}
			continue
		}
		var broken []string
		for _, e := range row.Exceeded {
			name, _, _ := strings.Cut(e, " rose ")
			name, _, _ = strings.Cut(name, " fell ")
			name, _, _ = strings.Cut(name, " is not ")
			broken = append(broken, name)
		}
		verdict := "ok"
		if len(broken) > 0 {
			verdict = "EXCEEDED: " + strings.Join(broken, ", ")
		}
		cell := func(a, b, diff string) string { return a + " → " + b + " (" + diff + ")" }
		if err := t.Append([]string{label,
			cell(strconv.FormatInt(row.A.Samples, 10), strconv.FormatInt(row.B.Samples, 10), signedInt(row.B.Samples-row.A.Samples)),
			cell(pct(row.A.ErrorPct), pct(row.B.ErrorPct), ppDiff(row.A.ErrorPct, row.B.ErrorPct)),
			cell(num(row.A.P2, 0), num(row.B.P2, 0), relPct(row.B.P2, row.A.P2)),
			cell(num(row.A.Mean, 1), num(row.B.Mean, 1), relPct(row.B.Mean, row.A.Mean)),
			cell(num(row.A.Throughput, 2), num(row.B.Throughput, 2), relPct(row.B.Throughput, row.A.Throughput)),
			verdict}); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("comparison table: %w", err)
	}
	return r.printVerdict(w)
}

// PrintDetail renders the comparison: per label, one line per metric with
// both runs (columns named after them) and the difference, then the verdict.
func (r *CompareReport) PrintDetail(w io.Writer) error {
	na, nb := r.names()
	t := newTextTable(w, "llrrrl")
	t.Header([]string{"Label", "Metric", na, nb, "Diff", "Limit"})
	rows := append(append([]CompareRow(nil), r.Rows...), r.Total)
	for _, row := range rows {
		label := cellText(row.Label)
		switch {
		case !row.InA && row.Label != "TOTAL":
			if err := t.Append([]string{label, "samples", "-", strconv.FormatInt(row.B.Samples, 10), "only in " + nb, ""}); err != nil {
				return err
			}
			continue
		case !row.InB && row.Label != "TOTAL":
			if err := t.Append([]string{label, "samples", strconv.FormatInt(row.A.Samples, 10), "-", "only in " + na, ""}); err != nil {
				return err
			}
			continue
		}
		flag := func(metric string) string {
			for _, e := range row.Exceeded {
				if strings.HasPrefix(e, metric+" ") {
					return "EXCEEDED"
				}
			}
			return ""
		}
		lines := [][]string{
			{"samples", strconv.FormatInt(row.A.Samples, 10), strconv.FormatInt(row.B.Samples, 10), signedInt(row.B.Samples - row.A.Samples), ""},
			{"error %", pct(row.A.ErrorPct), pct(row.B.ErrorPct), ppDiff(row.A.ErrorPct, row.B.ErrorPct), flag("error %")},
			{"mean ms", num(row.A.Mean, 2), num(row.B.Mean, 2), relPct(row.B.Mean, row.A.Mean), flag("mean")},
			{"p" + r.Percentiles[0] + " ms", num(row.A.P1, 2), num(row.B.P1, 2), relPct(row.B.P1, row.A.P1), flag("p" + r.Percentiles[0])},
			{"p" + r.Percentiles[1] + " ms", num(row.A.P2, 2), num(row.B.P2, 2), relPct(row.B.P2, row.A.P2), flag("p" + r.Percentiles[1])},
			{"p" + r.Percentiles[2] + " ms", num(row.A.P3, 2), num(row.B.P3, 2), relPct(row.B.P3, row.A.P3), flag("p" + r.Percentiles[2])},
			{"throughput/s", num(row.A.Throughput, 2), num(row.B.Throughput, 2), relPct(row.B.Throughput, row.A.Throughput), flag("throughput")},
		}
		for i, l := range lines {
			name := ""
			if i == 0 {
				name = label
			}
			if err := t.Append(append([]string{name}, l...)); err != nil {
				return err
			}
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("comparison table: %w", err)
	}
	return r.printVerdict(w)
}

func (r *CompareReport) printVerdict(w io.Writer) error {
	if !r.Exceeded() {
		_, err := fmt.Fprintln(w, "Within limits.")
		return err
	}
	if _, err := fmt.Fprintf(w, "Limits exceeded (%d):\n", len(r.Reasons)); err != nil {
		return err
	}
	for _, s := range r.Reasons {
		if _, err := fmt.Fprintf(w, "  %s\n", s); err != nil {
			return err
		}
	}
	return nil
}

func ppDiff(a, b float64) string {
	if math.IsNaN(a) || math.IsNaN(b) {
		return "-"
	}
	return signedPP(b - a)
}

// ParseFraction reads a relative limit: "10%" or "0.1" → 0.1.
func ParseFraction(s string) (float64, error) {
	t := strings.TrimSpace(s)
	div := 1.0
	if strings.HasSuffix(t, "%") {
		t, div = strings.TrimSuffix(t, "%"), 100
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("limit %q: want a percentage (10%%) or a fraction (0.1)", s)
	}
	return v / div, nil
}

// ParsePercentagePoints reads an absolute error-rate limit: "1pp", "1%" or "1".
func ParsePercentagePoints(s string) (float64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(strings.TrimSuffix(t, "pp"), "%")
	v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("limit %q: want percentage points such as 1pp", s)
	}
	return v, nil
}
