package report

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// CI gates: thresholds checked against the final statistics. A threshold
// names a condition that FAILS the run when it holds.
//
// Syntax (one threshold per spec):
//
//	[scope:]<metric><op><value>[unit]
//
//	scope   omitted or "total:"   the TOTAL row
//	        "label:<name>:"       the row of exactly that label (the name may contain ':')
//	        "label~<regexp>:"     every label the Go regexp matches in full
//	metric  error% (errors%, error_rate)  error percentage, 0–100
//	        errors, samples               counts
//	        avg (mean), min, max, median (p50)
//	        pNN / pNN.N                   a percentile the statistics compute
//	                                      (aggregate_rpt_pct1..3, default p90 p95 p99)
//	        throughput (rps, tps)         samples per second
//	        received, sent                KB/s
//	op      >  >=  <  <=  ==  !=
//	value   a number; times take ms (default), s or m ("500ms", "1.5s");
//	        error% takes an optional "%"; throughput an optional "/s"
//
// Examples: "error%>1", "p95>500ms", "avg>=200", "throughput<100",
// "label:Login:p95>1s", "label~^GET /api/.*:error%>0".
// A label threshold whose label never ran (or a pattern matching none)
// fails too: a gate on something that did not happen is not a pass.

// Threshold is one parsed gate.
type Threshold struct {
	Spec   string // as written
	Label  string // exact label ("" for total or pattern)
	Regex  *regexp.Regexp
	Metric string  // canonical: error%, errors, samples, avg, min, max, p<level>, throughput, received, sent
	Level  float64 // percentile level for p<level>
	Op     string
	Value  float64
}

// Violation is a threshold that held (so the run fails).
type Violation struct {
	Threshold Threshold
	Label     string  // row checked: a label or "TOTAL"
	Actual    float64 // NaN when the row has no samples
	Reason    string  // human text
}

var thresholdOps = []string{">=", "<=", "==", "!=", ">", "<"} // two-char first

// ParseThresholds parses specs; the error names the bad spec and why.
func ParseThresholds(specs []string) ([]Threshold, error) {
	var out []Threshold
	for _, s := range specs {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		th, err := parseThreshold(s)
		if err != nil {
			return nil, fmt.Errorf("threshold %q: %w", s, err)
		}
		out = append(out, th)
	}
	return out, nil
}

func parseThreshold(spec string) (Threshold, error) {
	th := Threshold{Spec: spec}
	expr := spec
	switch {
	case strings.HasPrefix(spec, "total:"):
		expr = spec[len("total:"):]
	case strings.HasPrefix(spec, "label:"), strings.HasPrefix(spec, "label~"):
		rest := spec[len("label:"):]
		i := strings.LastIndexByte(rest, ':')
		if i < 0 {
			return th, fmt.Errorf("want label:<name>:<metric><op><value>")
		}
		name := rest[:i]
		expr = rest[i+1:]
		if name == "" {
			return th, fmt.Errorf("empty label")
		}
		if spec[5] == '~' {
			re, err := regexp.Compile("^(?:" + name + ")$")
			if err != nil {
				return th, fmt.Errorf("label pattern: %w", err)
			}
			th.Regex = re
		} else {
			th.Label = name
		}
	}
	expr = strings.TrimSpace(expr)
	opAt, op := -1, ""
	for _, o := range thresholdOps {
		if i := strings.Index(expr, o); i > 0 && (opAt < 0 || i < opAt || i == opAt && len(o) > len(op)) {
			opAt, op = i, o
		}
	}
	if opAt < 0 {
		return th, fmt.Errorf("no comparison (one of > >= < <= == !=)")
	}
	th.Op = op
	metric := strings.ToLower(strings.TrimSpace(expr[:opAt]))
	val := strings.TrimSpace(expr[opAt+len(op):])
	var kind string // time, pct, count, rate
	switch metric {
	case "error%", "errors%", "error_rate", "errorrate", "error_pct":
		th.Metric, kind = "error%", "pct"
	case "errors", "samples", "count":
		th.Metric, kind = metric, "count"
		if metric == "count" {
			th.Metric = "samples"
		}
	case "avg", "mean":
		th.Metric, kind = "avg", "time"
	case "min", "max":
		th.Metric, kind = metric, "time"
	case "median":
		th.Metric, th.Level, kind = "p50", 50, "time"
	case "throughput", "rps", "tps":
		th.Metric, kind = "throughput", "rate"
	case "received", "sent":
		th.Metric, kind = metric, "count"
	default:
		if len(metric) > 1 && metric[0] == 'p' {
			lv, err := strconv.ParseFloat(metric[1:], 64)
			if err == nil && lv > 0 && lv <= 100 {
				th.Metric, th.Level, kind = "p"+metric[1:], lv, "time"
				break
			}
		}
		return th, fmt.Errorf("unknown metric %q (error%%, errors, samples, avg, min, max, median, pNN, throughput, received, sent)", metric)
	}
	v, err := parseThresholdValue(val, kind)
	if err != nil {
		return th, err
	}
	th.Value = v
	return th, nil
}

func parseThresholdValue(s, kind string) (float64, error) {
	mult := 1.0
	switch kind {
	case "time":
		switch {
		case strings.HasSuffix(s, "ms"):
			s = s[:len(s)-2]
		case strings.HasSuffix(s, "s"):
			s, mult = s[:len(s)-1], 1000
		case strings.HasSuffix(s, "m"):
			s, mult = s[:len(s)-1], 60000
		}
	case "pct":
		s = strings.TrimSuffix(s, "%")
	case "rate":
		s = strings.TrimSuffix(s, "/s")
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("bad value %q", s)
	}
	return v * mult, nil
}

// ThresholdsFromProps reads the gometer.fail_on property: thresholds
// separated by ';', or by ',' when the value has no ';' (use ';' when a
// label holds a comma). Nothing set gives none.
func ThresholdsFromProps(p PropertySource) ([]Threshold, error) {
	if p == nil {
		return nil, nil
	}
	v, ok := p.Get("gometer.fail_on")
	if !ok || strings.TrimSpace(v) == "" {
		return nil, nil
	}
	sep := ","
	if strings.Contains(v, ";") {
		sep = ";"
	}
	th, err := ParseThresholds(strings.Split(v, sep))
	if err != nil {
		return nil, fmt.Errorf("property gometer.fail_on: %w", err)
	}
	return th, nil
}

// metricValue returns the metric of a row; ok=false when the statistics do
// not compute that percentile level.
func (th *Threshold) metricValue(r LabelStats, o StatsOptions) (float64, bool) {
	switch th.Metric {
	case "error%":
		return r.ErrorPct, true
	case "errors":
		return float64(r.Errors), true
	case "samples":
		return float64(r.Samples), true
	case "avg":
		return r.Mean, true
	case "min":
		return r.Min, true
	case "max":
		return r.Max, true
	case "throughput":
		return r.Throughput, true
	case "received":
		return r.ReceivedKBps, true
	case "sent":
		return r.SentKBps, true
	}
	switch th.Level {
	case 50:
		return r.Median, true
	case o.Percentiles[0]:
		return r.P1, true
	case o.Percentiles[1]:
		return r.P2, true
	case o.Percentiles[2]:
		return r.P3, true
	}
	return math.NaN(), false
}

func compare(a float64, op string, b float64) bool {
	switch op {
	case ">":
		return a > b
	case ">=":
		return a >= b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case "==":
		return a == b
	case "!=":
		return a != b
	}
	return false
}

// EvaluateThresholds checks every threshold against st and returns those
// that hold, in threshold order.
func EvaluateThresholds(th []Threshold, st *Stats) []Violation {
	var out []Violation
	o := st.Options()
	for _, t := range th {
		var rows []LabelStats
		switch {
		case t.Regex != nil:
			for _, l := range st.Labels() {
				if t.Regex.MatchString(l) {
					rows = append(rows, st.Row(l))
				}
			}
			if len(rows) == 0 {
				out = append(out, Violation{Threshold: t, Label: t.Regex.String(), Actual: math.NaN(), Reason: "no label matches the pattern"})
				continue
			}
		case t.Label != "":
			rows = append(rows, st.Row(t.Label))
		default:
			r := st.Total()
			r.Label = "TOTAL"
			rows = append(rows, r)
		}
		for _, r := range rows {
			v, ok := t.metricValue(r, o)
			switch {
			case !ok:
				out = append(out, Violation{Threshold: t, Label: r.Label, Actual: v,
					Reason: fmt.Sprintf("percentile %s is not computed (set aggregate_rpt_pct1..3)", t.Metric)})
			case r.Samples == 0 && t.Metric != "samples" && t.Metric != "errors":
				out = append(out, Violation{Threshold: t, Label: r.Label, Actual: math.NaN(), Reason: "no samples"})
			case math.IsNaN(v):
				out = append(out, Violation{Threshold: t, Label: r.Label, Actual: v, Reason: "value undefined"})
			case compare(v, t.Op, t.Value):
				out = append(out, Violation{Threshold: t, Label: r.Label, Actual: v,
					Reason: fmt.Sprintf("%s is %s", t.Metric, formatMetric(t.Metric, v))})
			}
		}
	}
	return out
}

func formatMetric(metric string, v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	switch metric {
	case "error%":
		return strconv.FormatFloat(v, 'f', 2, 64) + "%"
	case "errors", "samples":
		return strconv.FormatFloat(v, 'f', 0, 64)
	case "throughput":
		return strconv.FormatFloat(v, 'f', 2, 64) + "/s"
	case "received", "sent":
		return strconv.FormatFloat(v, 'f', 2, 64) + " KB/s"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + " ms"
}

// PrintViolations prints the failed gates as a table (nothing when v is empty).
func PrintViolations(w io.Writer, v []Violation) error {
	if len(v) == 0 {
		return nil
	}
	if _, err := fmt.Fprintf(w, "%d threshold(s) failed:\n", len(v)); err != nil {
		return err
	}
	t := newTextTable(w, "llrl")
	t.Header([]string{"Label", "Threshold", "Actual", "Why"})
	for _, x := range v {
		if err := t.Append([]string{cellText(x.Label), cellText(x.Threshold.Spec), formatMetric(x.Threshold.Metric, x.Actual), x.Reason}); err != nil {
			return err
		}
	}
	return t.Render()
}
