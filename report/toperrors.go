package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// TopErrors counts a run's failed samples by type of error (ErrorKey: the
// response code and message, or the failure message of an assertion) with
// the label of the first sample that had it, for the end summary: it says
// what failed where the summariser only says how many. It counts the
// samples the summariser counts (top-level, no transaction controller
// samples). Safe for concurrent use.
type TopErrors struct {
	mu      sync.Mutex
	byKey   map[string]*ErrorType
	order   []*ErrorType
	total   int64
	scratch Sample
}

// ErrorType is one type of error seen in a run.
type ErrorType struct {
	Type       string
	Count      int64
	FirstLabel string
}

// NewTopErrors returns an empty count.
func NewTopErrors() *TopErrors { return &TopErrors{byKey: make(map[string]*ErrorType)} }

func (t *TopErrors) Start(output.Run) error { return nil }
func (t *TopErrors) Stop() error            { return nil }

func (t *TopErrors) Add(r *sample.Result) {
	if r == nil || r.Success || isTransactionResult(r) {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	ResultToSample(r, &t.scratch)
	_, errs := sampleCounts(r)
	key := ErrorKey(&t.scratch, true)
	e := t.byKey[key]
	if e == nil {
		if len(t.byKey) >= maxErrorKeys {
			key = OtherErrors
			e = t.byKey[key]
		}
		if e == nil {
			e = &ErrorType{Type: key, FirstLabel: r.Label}
			t.byKey[key] = e
			t.order = append(t.order, e)
		}
	}
	e.Count += int64(errs)
	t.total += int64(errs)
}

// Top returns the n most frequent types, first seen first among equals.
func (t *TopErrors) Top(n int) (types []ErrorType, total int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range t.order {
		types = append(types, *e)
	}
	slices.SortStableFunc(types, func(a, b ErrorType) int { return cmp.Compare(b.Count, a.Count) })
	if len(types) > n {
		types = types[:n]
	}
	return types, t.total
}

// Print writes the n most frequent types of error, nothing when there was
// no error:
//
//	Top errors (50 in all):
//	     50  Non HTTP response code: java.net.ConnectException/Non HTTP response message: Connection refused  (first: Login)
func (t *TopErrors) Print(w io.Writer, n int) {
	types, total := t.Top(n)
	if total == 0 {
		return
	}
	fmt.Fprintf(w, "\nTop errors (%d in all):\n", total)
	for _, e := range types {
		fmt.Fprintf(w, "  %6d  %s  (first: %s)\n", e.Count, e.Type, e.FirstLabel)
	}
}
