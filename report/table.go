package report

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// newTextTable is the project's plain-ASCII table style (safe in CI logs):
// columns aligned as spec says ('l' left, 'r' right), no wrapping, cells
// kept as given.
func newTextTable(w io.Writer, spec string) *tablewriter.Table {
	al := make([]tw.Align, len(spec))
	for i := range al {
		al[i] = tw.AlignRight
		if spec[i] == 'l' {
			al[i] = tw.AlignLeft
		}
	}
	ca := tw.CellAlignment{PerColumn: al}
	return tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithFooterAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignmentConfig(ca),
		tablewriter.WithRowAlignmentConfig(ca),
		tablewriter.WithFooterAlignmentConfig(ca),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	)
}

// cellText makes a label or message safe for one table cell: control
// characters (newlines, tabs, escapes) are shown escaped.
func cellText(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// num formats a statistic; "-" when undefined (no samples, zero duration).
func num(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + "%"
}

func percentileTitle(label string) string { return "p" + label }

func labelTableRow(r LabelStats) []string {
	minV, maxV, thr := r.Min, r.Max, r.Throughput
	if r.Samples == 0 {
		minV, maxV, thr = math.NaN(), math.NaN(), math.NaN()
	}
	return []string{
		cellText(r.Label),
		strconv.FormatInt(r.Samples, 10),
		pct(r.ErrorPct),
		num(r.Mean, 2),
		num(minV, 0),
		num(maxV, 0),
		num(r.P1, 2),
		num(r.P2, 2),
		num(r.P3, 2),
		num(thr, 2),
	}
}

// PrintLabelTable prints the end-of-run statistics: one row per label in
// first-seen order (transaction controllers included, as in JMeter's
// dashboard) and a TOTAL row (controllers excluded). Times in ms; the
// percentile columns follow the Stats options (aggregate_rpt_pct1..3).
func PrintLabelTable(w io.Writer, st *Stats) error {
	o := st.Options()
	t := newTextTable(w, "lrrrrrrrrr")
	t.Header([]string{"Label", "Samples", "Errors %", "Avg", "Min", "Max",
		percentileTitle(o.PercentileLabels[0]), percentileTitle(o.PercentileLabels[1]), percentileTitle(o.PercentileLabels[2]),
		"Throughput(/s)"})
	for _, l := range st.Labels() {
		if err := t.Append(labelTableRow(st.Row(l))); err != nil {
			return fmt.Errorf("statistics table: %w", err)
		}
	}
	tot := st.Total()
	tot.Label = "TOTAL"
	t.Footer(labelTableRow(tot))
	if err := t.Render(); err != nil {
		return fmt.Errorf("statistics table: %w", err)
	}
	return nil
}
