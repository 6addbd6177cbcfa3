package report

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

//go:embed assets/report.css
var reportCSS string

//go:embed assets/report.js
var reportJS string

// The page is one self-contained file: styles, script and data are inline
// and nothing is fetched when it is viewed. Every text from the results
// (labels, codes, messages) goes through html/template's escaping; the
// chart data is JSON with <, > and & escaped, so it cannot close the script.
var pageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gometer">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="meta">{{if .Sources}}<span>Results: {{range $i, $s := .Sources}}{{if $i}}, {{end}}{{$s}}{{end}}</span>{{end}}{{if .Begin}}<span>Start: {{.Begin}}</span><span>End: {{.End}}</span><span>Duration: {{.Duration}}</span>{{end}}<span>Percentiles: {{.Mode}}</span><span>Granularity: {{.Granularity}}</span><span>Generated: {{.Generated}}</span><span id="zone">Times in {{.Zone}}</span></p>
</header>
<main>
<div id="verdict" class="verdict {{.VerdictClass}}">{{.Verdict}}</div>
{{if .Note}}<p class="none" id="note">{{.Note}}</p>{{end}}
{{if .BadRows}}<p class="none">{{.BadRows}} malformed row(s) were skipped while reading.</p>{{end}}
<div class="cards" id="summary">{{range .Cards}}<div class="card"><div class="k">{{.K}}</div><div class="v">{{.V}}</div></div>{{end}}</div>

{{if .Generators}}<section id="generators"><h2>Load generators</h2>
<table id="generators-table" class="sortable">
<thead><tr><th>Shard</th><th>Generator</th><th>Started</th><th data-type="num">Late (ms)</th><th data-type="num">#Samples</th><th data-type="num">Errors</th><th data-type="num">Exit code</th><th>Status</th></tr></thead>
<tbody class="items">{{range .Generators}}<tr{{if .Problem}} class="problem"{{end}}><td>{{.Shard}}</td><td>{{.Generator}}</td><td>{{.Started}}</td><td>{{.Late}}</td><td>{{.Samples}}</td><td>{{.Errors}}</td><td>{{.Exit}}</td><td>{{if .Problem}}{{.Problem}}{{else}}ok{{end}}</td></tr>
{{end}}{{range .MissingShards}}<tr class="problem"><td colspan="8">{{.}}</td></tr>
{{end}}</tbody></table>
</section>
{{end}}
{{with .Evidence}}<section id="evidence"><h2>Server-side evidence</h2>
<h3>What changed when latency rose</h3>
{{if .Rise}}<p class="rise">{{.Rise}}</p>
{{if .Findings}}<ul class="findings">{{range .Findings}}<li><b>{{.Kind}}</b>: {{.Text}}</li>
{{end}}</ul>{{end}}
{{if .Movers}}<p>Signals by how much they changed (their mean before → after the rise, in units of their own spread; r: correlation with the percentile over the run):</p><ol class="movers">{{range .Movers}}<li>{{.}}</li>
{{end}}</ol>{{else}}<p class="none">No monitored signal changed by more than 1.5 times its spread.</p>{{end}}
{{else}}<p class="none">The response-time percentile did not rise (no step of 20 % or more over at least 4 intervals).</p>
{{if .Findings}}<ul class="findings">{{range .Findings}}<li><b>{{.Kind}}</b>: {{.Text}}</li>
{{end}}</ul>{{end}}{{end}}
{{if .Queries}}<h3>Statements by total time during the run</h3>
<table id="queries-table" class="sortable">
<thead><tr><th>Statement</th><th data-type="num">Calls</th><th data-type="num">Calls per sample</th><th data-type="num">Total ms</th><th data-type="num">Mean ms</th><th data-type="num">Blocks read</th></tr></thead>
<tbody class="items">{{range .Queries}}<tr><td class="txt">{{.Query}}</td><td>{{.Calls}}</td><td>{{.PerSample}}</td><td>{{.Total}}</td><td>{{.Mean}}</td><td>{{.Read}}</td></tr>
{{end}}</tbody></table>{{end}}
</section>
{{end}}
<section id="statistics"><h2>Statistics</h2>
{{if .Stats}}<input type="search" id="label-filter" class="filter" placeholder="Filter labels (text or regular expression)" aria-label="Filter labels">
<table id="stats-table" class="sortable">
<thead><tr>{{range .StatsTitles}}<th{{if ne . "Label"}} data-type="num"{{end}}>{{.}}</th>{{end}}</tr></thead>
<tbody class="total">{{with .StatsTotal}}<tr class="total-row">{{range .}}<td{{if .Class}} class="{{.Class}}"{{end}}>{{.Text}}</td>{{end}}</tr>{{end}}</tbody>
<tbody class="items">{{range .Stats}}<tr class="label-row{{if .Ctrl}} ctrl{{end}}">{{range .Cells}}<td{{if .Class}} class="{{.Class}}"{{end}}{{if .V}} data-v="{{.V}}"{{end}}>{{.Text}}</td>{{end}}</tr>
{{end}}</tbody>
</table>{{else}}<p class="none">No samples.</p>{{end}}
</section>

<section id="apdex"><h2>APDEX (Application Performance Index)</h2>
{{if .Apdex}}<table id="apdex-table" class="sortable">
<thead><tr><th>Label</th><th data-type="num">Apdex</th><th data-type="num">T (toleration threshold)</th><th data-type="num">F (frustration threshold)</th></tr></thead>
<tbody class="total"><tr><td>Total</td><td>{{.ApdexTotal.V}}</td><td>{{.ApdexTotal.T}}</td><td>{{.ApdexTotal.F}}</td></tr></tbody>
<tbody class="items">{{range .Apdex}}<tr{{if .Ctrl}} class="ctrl"{{end}}><td>{{.Label}}</td><td>{{.V}}</td><td>{{.T}}</td><td>{{.F}}</td></tr>
{{end}}</tbody></table>{{else}}<p class="none">No samples.</p>{{end}}
</section>

<section id="errors"><h2>Errors</h2>
{{if .Errors}}<table id="errors-table" class="sortable">
<thead><tr><th>Type of error</th><th data-type="num">Number of errors</th><th data-type="num">% in errors</th><th data-type="num">% in all samples</th></tr></thead>
<tbody class="items">{{range .Errors}}<tr><td>{{.Type}}</td><td>{{.Count}}</td><td>{{.PctErr}}</td><td>{{.PctAll}}</td></tr>
{{end}}</tbody></table>{{else}}<p class="none">No errors.</p>{{end}}
</section>

<section id="top5"><h2>Top 5 errors by sampler</h2>
{{if .Top5}}<table id="top5-table" class="sortable">
<thead><tr><th>Sample</th><th data-type="num">#Samples</th><th data-type="num">#Errors</th>{{range .Top5Slots}}<th class="txt">Error</th><th data-type="num">#Errors</th>{{end}}</tr></thead>
<tbody class="total">{{with .Top5Total}}<tr><td>{{.Label}}</td><td>{{.Samples}}</td><td>{{.Errors}}</td>{{range .Slots}}<td class="txt">{{.Type}}</td><td>{{.Count}}</td>{{end}}</tr>{{end}}</tbody>
<tbody class="items">{{range .Top5}}<tr><td>{{.Label}}</td><td>{{.Samples}}</td><td>{{.Errors}}</td>{{range .Slots}}<td class="txt">{{.Type}}</td><td>{{.Count}}</td>{{end}}</tr>
{{end}}</tbody></table>{{else}}<p class="none">No errors.</p>{{end}}
</section>

<section id="charts"><h2>Charts</h2>
{{range .Groups}}<h3 class="group">{{.Name}}</h3>
<div class="charts">{{range .Charts}}<div class="chart" id="chart-{{.ID}}"><h3>{{.Title}}</h3><div class="legend"></div></div>
{{end}}</div>
{{end}}</section>
</main>
<footer>gometer report · statistics.json beside this file has JMeter 5.6's schema · every time on this page, header and charts, is in {{.Zone}}, the time zone the report was generated in</footer>
<script>window.GOMETER_REPORT = {{.Data}};</script>
<script>{{.JS}}</script>
</body>
</html>
`))

type pageCell struct {
	Text  string
	V     string // sort key
	Class string
}

type pageRow struct {
	Cells []pageCell
	Ctrl  bool
}

type pageApdex struct {
	Label   string
	V, T, F string
	Ctrl    bool
}

type pageError struct {
	Type                  string
	Count, PctErr, PctAll string
}

type pageTop5 struct {
	Label           string
	Samples, Errors string
	Slots           []pageError
}

type pageData struct {
	Title, Begin, End, Duration, Mode, Granularity, Generated, Zone string
	Sources                                                         []string
	Verdict, VerdictClass, Note                                     string
	BadRows                                                         int64
	Cards                                                           []struct{ K, V string }
	StatsTitles                                                     []string
	Stats                                                           []pageRow
	StatsTotal                                                      []pageCell
	Apdex                                                           []pageApdex
	ApdexTotal                                                      pageApdex
	Errors                                                          []pageError
	Top5                                                            []pageTop5
	Top5Total                                                       *pageTop5
	Top5Slots                                                       []int
	Groups                                                          []chartGroup
	Generators                                                      []pageGenerator
	Evidence                                                        *pageEvidence
	MissingShards                                                   []string
	Data                                                            template.JS
	CSS                                                             template.CSS
	JS                                                              template.JS
}

type pageEvidence struct {
	Rise     string
	Findings []Finding
	Movers   []string
	Queries  []pageQuery
}

type pageQuery struct{ Query, Calls, PerSample, Total, Mean, Read string }

type pageGenerator struct {
	Shard, Generator, Started, Late, Samples, Errors, Exit, Problem string
}

type chartGroup struct {
	Name   string
	Charts []Chart
}

// groupCharts sorts the charts under three headings, as JMeter's pages do.
func groupCharts(charts []Chart) []chartGroup {
	groups := []chartGroup{{Name: "Over time"}, {Name: "Throughput"}, {Name: "Response times"}, {Name: "Servers (monitors)"}}
	of := map[string]int{
		"hitsPerSecond": 1, "codesPerSecond": 1, "transactionsPerSecond": 1, "totalTPS": 1, "errorsOverTime": 1, "bytesThroughputOverTime": 1,
		"responseTimeVsRequest": 1, "latencyVsRequest": 1,
		"responseTimeDistribution": 2, "responseTimePercentiles": 2, "syntheticResponseTimeDistribution": 2, "timeVsThreads": 2,
	}
	for _, c := range charts {
		g := of[c.ID] // everything else is over time
		if strings.HasPrefix(c.ID, "monitor.") {
			g = 3
		}
		groups[g].Charts = append(groups[g].Charts, c)
	}
	if len(groups[3].Charts) == 0 {
		groups = groups[:3]
	}
	return groups
}

type jsonChart struct {
	ID          string       `json:"id"`
	Title       string       `json:"title"`
	X           string       `json:"x"`
	Y           string       `json:"y"`
	Kind        string       `json:"kind"`
	Granularity int64        `json:"granularity,omitempty"`
	Categories  []string     `json:"categories,omitempty"`
	Series      []jsonSeries `json:"series"`
}

type jsonSeries struct {
	Name   string       `json:"name"`
	Points [][2]float64 `json:"points"`
}

func renderHTML(w io.Writer, c *Collector, sum *Summary) error {
	charts := c.series.Charts(c.stats)
	sum.Granularity = time.Duration(c.series.g) * time.Millisecond
	if len(sum.monitor) > 0 {
		charts = append(charts, monitorCharts(sum.monitor, c.series.g)...)
		pct := map[int64]float64{}
		want := pctName(c.stats.opts.Percentiles[1])
		for _, ch := range charts {
			if ch.ID != "responseTimePercentilesOverTime" {
				continue
			}
			for _, s := range ch.Series {
				if s.Name == want {
					for _, p := range s.Points {
						pct[int64(p[0])] = p[1]
					}
				}
			}
		}
		var samples int64
		for _, l := range c.stats.Labels() {
			if r := c.stats.Row(l); !r.IsController {
				samples += r.Samples
			}
		}
		sum.Evidence = evidence(sum.monitor, pct, c.series.g, sum.PercentTitle[1]+"th pct", samples)
	}
	var pe *pageEvidence
	if ev := sum.Evidence; ev != nil {
		pe = &pageEvidence{Findings: ev.Findings}
		if ev.Rise != nil {
			pe.Rise = ev.Rise.Sentence()
		}
		for _, m := range ev.Movers {
			pe.Movers = append(pe.Movers, m.Sentence())
		}
		for _, q := range ev.TopQueries {
			pe.Queries = append(pe.Queries, pageQuery{q.Query, fmtNum(q.Calls, 0), fmtNum(q.PerSample, 2), fmtNum(q.TotalMs, 1), fmtNum(q.MeanMs, 2), fmtNum(q.BlksRead, 0)})
		}
	}
	d := pageData{Evidence: pe, Note: sum.Note, Title: sum.Title, Sources: sum.Sources, Mode: modeText(sum.Mode), Verdict: sum.Verdict, BadRows: sum.BadRows,
		Granularity: fmtDuration(sum.Granularity), Generated: sum.GeneratedAt.Format("2006-01-02 15:04:05 MST"),
		Zone: zoneName(zoneAt(sum)), CSS: template.CSS(reportCSS), JS: template.JS(reportJS), Groups: groupCharts(charts)}
	switch {
	case sum.Samples == 0 && len(sum.Rows) == 0:
		d.VerdictClass = "empty"
	case sum.OK:
		d.VerdictClass = "ok"
	case sum.Warning:
		d.VerdictClass = "warn"
	default:
		d.VerdictClass = "bad"
	}
	if !sum.Begin.IsZero() {
		d.Begin = sum.Begin.Format("2006-01-02 15:04:05 MST")
		d.End = sum.End.Format("2006-01-02 15:04:05 MST")
		d.Duration = fmtDuration(sum.End.Sub(sum.Begin))
	}
	t := sum.Total
	d.Cards = []struct{ K, V string }{
		{"Samples", groupThousands(t.Samples)},
		{"Errors", groupThousands(t.Errors)},
		{"Error %", fmtNum(t.ErrorPct, 2) + "%"},
		{"Throughput", fmtNum(t.Throughput, 2) + " /s"},
		{"Average", fmtNum(t.Mean, 0) + " ms"},
		{sum.PercentTitle[1] + "th pct", fmtNum(t.P2, 0) + " ms"},
		{"APDEX", fmtNum(sum.Apdex.Apdex, 3)},
	}
	p := sum.PercentTitle
	d.StatsTitles = []string{"Label", "#Samples", "FAIL", "Error %", "Average", "Min", "Max", "Median",
		p[0] + "th pct", p[1] + "th pct", p[2] + "th pct", "Transactions/s", "Received KB/s", "Sent KB/s"}
	for _, r := range sum.Rows {
		d.Stats = append(d.Stats, pageRow{Cells: statCells(r), Ctrl: r.IsController})
	}
	if len(sum.Rows) > 0 {
		d.StatsTotal = statCells(t)
	}
	for _, a := range c.apdex.Rows() {
		d.Apdex = append(d.Apdex, apdexCells(a))
	}
	d.ApdexTotal = apdexCells(sum.Apdex)
	for _, e := range c.errors.Table() {
		d.Errors = append(d.Errors, pageError{Type: e.Type, Count: groupThousands(e.Count), PctErr: fmtNum(e.PctOfErrors, 2) + "%", PctAll: fmtNum(e.PctOfAll, 2) + "%"})
	}
	d.Top5Slots = []int{1, 2, 3, 4, 5}
	for _, r := range c.errors.Top5() {
		d.Top5 = append(d.Top5, top5Cells(r))
	}
	if len(d.Top5) > 0 {
		tt := top5Cells(c.errors.Top5Total())
		d.Top5Total = &tt
	}
	for _, g := range sum.Generators {
		d.Generators = append(d.Generators, pageGenerator{Shard: fmt.Sprintf("%d/%d", g.Shard, g.Shards), Generator: g.Generator,
			Started: g.Started.Format("2006-01-02 15:04:05.000 MST"), Late: strconv.FormatInt(g.LateMs, 10),
			Samples: groupThousands(g.Samples), Errors: groupThousands(g.Errors), Exit: strconv.Itoa(g.ExitCode), Problem: g.Problem()})
	}
	for _, p := range sum.ShardProblems {
		if strings.Contains(p, "wrote no run record") {
			d.MissingShards = append(d.MissingShards, p)
		}
	}
	jc := make([]jsonChart, 0, len(charts))
	for _, ch := range charts {
		j := jsonChart{ID: ch.ID, Title: ch.Title, X: ch.X, Y: ch.Y, Kind: ch.Kind, Granularity: ch.Granularity, Categories: ch.Categories, Series: []jsonSeries{}}
		for _, s := range ch.Series {
			pts := s.Points
			if pts == nil {
				pts = [][2]float64{}
			}
			for i := range pts {
				for k := range 2 {
					if math.IsNaN(pts[i][k]) || math.IsInf(pts[i][k], 0) {
						pts[i][k] = 0
					}
				}
			}
			j.Series = append(j.Series, jsonSeries{Name: s.Name, Points: pts})
		}
		jc = append(jc, j)
	}
	_, offset := zoneAt(sum).Zone()
	page := map[string]any{"charts": jc, "zoneOffsetMs": int64(offset) * 1000}
	if !sum.Begin.IsZero() {
		// the time the samples cover: the first and last buckets of the
		// charts over time may cover only part of theirs
		page["span"] = [2]int64{sum.Begin.UnixMilli(), sum.End.UnixMilli()}
	}
	data, err := json.Marshal(page) // escapes <, >, & and U+2028/9
	if err != nil {
		return fmt.Errorf("report: encoding chart data: %w", err)
	}
	d.Data = template.JS(data)
	if err := pageTmpl.Execute(w, d); err != nil {
		return fmt.Errorf("report: rendering index.html: %w", err)
	}
	return nil
}

func modeText(m PercentileMode) string {
	if m == JMeter {
		return "JMeter 5.6 method (last 20,000 samples per label)"
	}
	return "exact (all samples)"
}

func statCells(r LabelStats) []pageCell {
	num := func(v float64, dec int) pageCell {
		return pageCell{Text: fmtNum(v, dec), V: strconv.FormatFloat(finite(v), 'g', -1, 64)}
	}
	errPct := num(r.ErrorPct, 2)
	errPct.Text += "%"
	if r.Errors > 0 {
		errPct.Class = "err"
	}
	if r.Samples == 0 { // an empty transaction controller: nothing was measured
		cells := []pageCell{{Text: r.Label}, {Text: "0", V: "0"}, {Text: "0", V: "0"}}
		for range 11 {
			cells = append(cells, pageCell{Text: "–", V: "-1"})
		}
		return cells
	}
	return []pageCell{
		{Text: r.Label},
		{Text: groupThousands(r.Samples), V: strconv.FormatInt(r.Samples, 10)},
		{Text: groupThousands(r.Errors), V: strconv.FormatInt(r.Errors, 10)},
		errPct,
		num(r.Mean, 2), num(r.Min, 0), num(r.Max, 0), num(r.Median, 2),
		num(r.P1, 2), num(r.P2, 2), num(r.P3, 2),
		num(r.Throughput, 2), num(r.ReceivedKBps, 2), num(r.SentKBps, 2),
	}
}

func apdexCells(a ApdexRow) pageApdex {
	return pageApdex{Label: a.Label, V: fmtNum(a.Apdex, 3), T: fmtMillis(a.Satisfied), F: fmtMillis(a.Tolerated), Ctrl: a.IsController}
}

func top5Cells(r Top5Row) pageTop5 {
	t := pageTop5{Label: r.Label, Samples: groupThousands(r.Samples), Errors: groupThousands(r.Errors)}
	for i := range 5 {
		if i < len(r.Top) {
			t.Slots = append(t.Slots, pageError{Type: r.Top[i].Type, Count: groupThousands(r.Top[i].Count)})
		} else {
			t.Slots = append(t.Slots, pageError{})
		}
	}
	return t
}

func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return -1
	}
	return v
}

// fmtNum formats v with dec decimals; NaN and infinities as words.
func fmtNum(v float64, dec int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func fmtMillis(ms int64) string {
	if ms%1000 == 0 && ms >= 1000 {
		return strconv.FormatInt(ms/1000, 10) + " s"
	}
	return strconv.FormatInt(ms, 10) + " ms"
}

func fmtDuration(d time.Duration) string {
	if d < time.Second {
		return d.String()
	}
	return d.Round(time.Second).String()
}

// zoneAt is the instant whose local time zone the page uses: the start of
// the samples (else now). As JMeter's report does, the charts are drawn in
// the zone the report is generated in (one offset for the whole page, taken
// at the start), so the header and the charts agree whatever zone the page
// is later viewed in.
func zoneAt(sum *Summary) time.Time {
	if !sum.Begin.IsZero() {
		return sum.Begin.In(time.Local)
	}
	return time.Now()
}

// zoneName shows t's zone as "UTC+01:00 (CET)".
func zoneName(t time.Time) string {
	name, off := t.Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	z := fmt.Sprintf("UTC%s%02d:%02d", sign, off/3600, off%3600/60)
	if name != "" && name != "UTC" && !strings.HasPrefix(name, "+") && !strings.HasPrefix(name, "-") {
		z += " (" + name + ")"
	}
	return z
}
