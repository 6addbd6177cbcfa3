package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/gometer/gometer/functions"
)

// ApdexOptions are the APDEX thresholds in milliseconds.
type ApdexOptions struct {
	Satisfied, Tolerated int64 // T and F: jmeter.reportgenerator.apdex_satisfied/tolerated_threshold
	// PerLabel overrides T/F for labels a pattern fully matches
	// (jmeter.reportgenerator.apdex_per_transaction); the first match in
	// declaration order wins (JMeter's order is a HashMap's, i.e. undefined).
	PerLabel []ApdexOverride
}

// ApdexOverride is one entry of apdex_per_transaction.
type ApdexOverride struct {
	Pattern              string
	re                   *regexp.Regexp
	Satisfied, Tolerated int64
}

// ApdexOptionsFromProps reads the APDEX properties (defaults 500/1500 ms).
func ApdexOptionsFromProps(p *functions.Properties) (ApdexOptions, error) {
	o := ApdexOptions{Satisfied: 500, Tolerated: 1500}
	if p == nil {
		return o, nil
	}
	for _, k := range []struct {
		name string
		dst  *int64
	}{{"jmeter.reportgenerator.apdex_satisfied_threshold", &o.Satisfied}, {"jmeter.reportgenerator.apdex_tolerated_threshold", &o.Tolerated}} {
		if v, ok := p.Get(k.name); ok && strings.TrimSpace(v) != "" {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return o, fmt.Errorf("property %s=%q: want milliseconds as an integer", k.name, v)
			}
			*k.dst = n
		}
	}
	per, err := ParseApdexPerTransaction(p.GetOr("jmeter.reportgenerator.apdex_per_transaction", ""))
	if err != nil {
		return o, fmt.Errorf("property jmeter.reportgenerator.apdex_per_transaction: %w", err)
	}
	o.PerLabel = per
	return o, nil
}

// ParseApdexPerTransaction reads "regex:T|F;regex2:T|F". As in JMeter each
// chunk splits at its last ':' and last '|'. Unlike JMeter, which logs and
// skips a malformed chunk, gometer reports it.
func ParseApdexPerTransaction(s string) ([]ApdexOverride, error) {
	var out []ApdexOverride
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	for _, chunk := range strings.Split(s, ";") {
		if strings.TrimSpace(chunk) == "" {
			continue
		}
		c, pp := strings.LastIndexByte(chunk, ':'), strings.LastIndexByte(chunk, '|')
		if c < 0 || pp < 0 || pp <= c {
			return nil, fmt.Errorf("chunk %q: want label-regex:satisfiedMs|toleratedMs", chunk)
		}
		key := strings.TrimSpace(chunk[:c])
		t, err1 := strconv.ParseInt(strings.TrimSpace(chunk[c+1:pp]), 10, 64)
		f, err2 := strconv.ParseInt(strings.TrimSpace(chunk[pp+1:]), 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("chunk %q: thresholds must be integers (ms)", chunk)
		}
		re, err := regexp.Compile(`^(?:` + key + `)$`)
		if err != nil {
			return nil, fmt.Errorf("chunk %q: %w", chunk, err)
		}
		out = append(out, ApdexOverride{Pattern: key, re: re, Satisfied: t, Tolerated: f})
	}
	return out, nil
}

// ApdexRow is one line of the APDEX table.
type ApdexRow struct {
	Label                string
	Apdex                float64
	Satisfied, Tolerated int64 // thresholds in ms
	Samples              int64
	IsController         bool
}

type apdexAcc struct {
	label           string
	t, f            int64
	sat, tol, total int64
	controller      bool
}

func (a *apdexAcc) add(x *Sample) {
	a.total++
	if !x.Success {
		return
	}
	switch {
	case x.Elapsed <= a.t:
		a.sat++
	case x.Elapsed <= a.f:
		a.tol++
	}
}

func (a *apdexAcc) value() float64 {
	return (float64(a.sat) + float64(a.tol)/2) / float64(a.total)
}

// Apdex computes the APDEX table: per label (controllers included, empty
// controllers skipped) and overall with the global thresholds; failed
// samples count as frustrated. Not safe for concurrent use.
type Apdex struct {
	opts    ApdexOptions
	rows    map[string]*apdexAcc
	order   []string
	overall apdexAcc
	last    *apdexAcc
}

// NewApdex returns an empty APDEX aggregation.
func NewApdex(o ApdexOptions) *Apdex {
	return &Apdex{opts: o, rows: make(map[string]*apdexAcc), overall: apdexAcc{t: o.Satisfied, f: o.Tolerated}}
}

// Add counts one sample.
func (a *Apdex) Add(x *Sample) {
	if isEmptyController(x) {
		return
	}
	r := a.last
	if r == nil || r.label != x.Label {
		r = a.rows[x.Label]
		if r == nil {
			l := strings.Clone(x.Label)
			t, f := a.opts.Satisfied, a.opts.Tolerated
			for _, o := range a.opts.PerLabel {
				if o.re != nil && o.re.MatchString(l) {
					t, f = o.Satisfied, o.Tolerated
					break
				}
			}
			r = &apdexAcc{label: l, t: t, f: f, controller: x.IsTransaction()}
			a.rows[l] = r
			a.order = append(a.order, l)
		}
		a.last = r
	}
	r.add(x)
	a.overall.add(x)
}

// Rows returns the per-label rows in first-seen order.
func (a *Apdex) Rows() []ApdexRow {
	out := make([]ApdexRow, 0, len(a.order))
	for _, l := range a.order {
		r := a.rows[l]
		out = append(out, ApdexRow{Label: l, Apdex: r.value(), Satisfied: r.t, Tolerated: r.f, Samples: r.total, IsController: r.controller})
	}
	return out
}

// Overall returns the Total row (controllers included, as JMeter does).
func (a *Apdex) Overall() ApdexRow {
	return ApdexRow{Label: "Total", Apdex: a.overall.value(), Satisfied: a.overall.t, Tolerated: a.overall.f, Samples: a.overall.total}
}
