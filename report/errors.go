package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// AssertionFailed is the error type of a failed sample with a success
// response code and no failure message.
const AssertionFailed = "Assertion failed"

// maxErrorKeys bounds the distinct error types kept (per table and per
// label): servers that put ids or times in messages would otherwise make
// memory grow with the rows. Past the bound, new types are counted under
// OtherErrors.
const maxErrorKeys = 2000

// OtherErrors collects error types past maxErrorKeys.
const OtherErrors = "(other error types)"

// ErrorKey is the "type of error" of a failed sample, as JMeter's dashboard
// names it: "<code>/<message>" (just "<code>" without a message); but when
// the code is 200–399, or empty with a failure message, the failure message
// (or "Assertion failed" when there is none, or when useFailureMessage —
// jmeter.save.saveservice.assertion_results_failure_message — is false).
// Unlike JMeter, the key is kept raw; escaping happens where it is written.
func ErrorKey(x *Sample, useFailureMessage bool) string {
	if isSuccessCode(x.ResponseCode) || (x.ResponseCode == "" && x.FailureMessage != "") {
		if useFailureMessage && x.FailureMessage != "" {
			return x.FailureMessage
		}
		return AssertionFailed
	}
	if x.ResponseMessage == "" {
		return x.ResponseCode
	}
	return x.ResponseCode + "/" + x.ResponseMessage
}

func isSuccessCode(c string) bool {
	if c == "" || len(c) > 9 {
		return false
	}
	for i := 0; i < len(c); i++ {
		if c[i] < '0' || c[i] > '9' {
			return false
		}
	}
	n, _ := strconv.Atoi(c)
	return n >= 200 && n <= 399
}

// ErrorCount is one error type and how often it occurred.
type ErrorCount struct {
	Type  string
	Count int64
}

// keyCounter counts error types with a bound on distinct keys.
type keyCounter struct {
	m     map[string]int64
	order []string
}

func (k *keyCounter) add(key string) {
	if k.m == nil {
		k.m = make(map[string]int64)
	}
	if _, ok := k.m[key]; !ok {
		if len(k.m) >= maxErrorKeys {
			key = OtherErrors
		}
		if _, ok := k.m[key]; !ok {
			key = strings.Clone(key)
			k.order = append(k.order, key)
		}
	}
	k.m[key]++
}

// sorted returns types by count descending, first seen first among equals.
func (k *keyCounter) sorted() []ErrorCount {
	out := make([]ErrorCount, 0, len(k.order))
	for _, key := range k.order {
		out = append(out, ErrorCount{key, k.m[key]})
	}
	slices.SortStableFunc(out, func(a, b ErrorCount) int { return cmp.Compare(b.Count, a.Count) })
	return out
}

// ErrorRow is a line of the Errors table.
type ErrorRow struct {
	Type        string
	Count       int64
	PctOfErrors float64 // count*100/all errors
	PctOfAll    float64 // count*100/all samples
}

// Top5Row is a line of "Top 5 errors by sampler".
type Top5Row struct {
	Label           string
	Samples, Errors int64
	Top             []ErrorCount // up to five, by count descending
	IsController    bool
}

// ErrorsOptions steer the error tables.
type ErrorsOptions struct {
	UseFailureMessage bool // assertion_results_failure_message (default true)
	ExcludeTCFromTop5 bool // exclude_tc_from_top5_errors_by_sampler (default true)
}

// Errors builds the Errors table (transaction controller rows excluded) and
// the Top 5 errors by sampler. Not safe for concurrent use.
type Errors struct {
	opts      ErrorsOptions
	samples   int64 // non-controller samples
	errors    int64
	types     keyCounter
	byLabel   map[string]*top5Acc
	order     []string
	total     top5Acc
	lastLabel *top5Acc
}

type top5Acc struct {
	label           string
	samples, errors int64
	types           keyCounter
	controller      bool
}

func (t *top5Acc) add(x *Sample, key string) {
	t.samples++
	if !x.Success {
		t.errors++
		t.types.add(key)
	}
}

// NewErrors returns empty error tables.
func NewErrors(o ErrorsOptions) *Errors {
	return &Errors{opts: o, byLabel: make(map[string]*top5Acc), total: top5Acc{label: "Total"}}
}

// Add counts one sample.
func (e *Errors) Add(x *Sample) {
	if isEmptyController(x) {
		return
	}
	ctrl := x.IsTransaction()
	var key string
	if !x.Success {
		key = ErrorKey(x, e.opts.UseFailureMessage)
	}
	if !ctrl {
		e.samples++
		if !x.Success {
			e.errors++
			e.types.add(key)
		}
		e.total.add(x, key)
	}
	t := e.lastLabel
	if t == nil || t.label != x.Label {
		t = e.byLabel[x.Label]
		if t == nil {
			l := strings.Clone(x.Label)
			t = &top5Acc{label: l, controller: ctrl}
			e.byLabel[l] = t
			e.order = append(e.order, l)
		}
		e.lastLabel = t
	}
	if ctrl && e.opts.ExcludeTCFromTop5 {
		return
	}
	t.add(x, key)
}

// Table returns the Errors table, most frequent type first.
func (e *Errors) Table() []ErrorRow {
	var out []ErrorRow
	for _, c := range e.types.sorted() {
		out = append(out, ErrorRow{Type: c.Type, Count: c.Count,
			PctOfErrors: float64(c.Count) * 100 / float64(e.errors),
			PctOfAll:    float64(c.Count) * 100 / float64(e.samples)})
	}
	return out
}

// TotalErrors returns the failed and all samples the Errors table counts.
func (e *Errors) TotalErrors() (errors, samples int64) { return e.errors, e.samples }

// Top5 returns the labels that had errors, in first-seen order.
func (e *Errors) Top5() []Top5Row {
	var out []Top5Row
	for _, l := range e.order {
		t := e.byLabel[l]
		if t.errors == 0 {
			continue
		}
		out = append(out, t.row())
	}
	return out
}

// Top5Total returns the Total line (controllers excluded).
func (e *Errors) Top5Total() Top5Row { return e.total.row() }

func (t *top5Acc) row() Top5Row {
	s := t.types.sorted()
	if len(s) > 5 {
		s = s[:5]
	}
	return Top5Row{Label: t.label, Samples: t.samples, Errors: t.errors, Top: s, IsController: t.controller}
}
