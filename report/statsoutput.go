package report

import (
	"github.com/gometer/gometer/output"
	"sync"

	"github.com/gometer/gometer/sample"
)

// StatsOutput is a run Output that feeds every JTL row (a sample and its
// sub-samples, as the JTL holds them) to end-of-run statistics; the CLI's
// summary table and thresholds read them. Safe for concurrent use.
type StatsOutput struct {
	mu sync.Mutex
	st *Stats
	s  Sample
}

// NewStatsOutput returns an Output adding to st.
func NewStatsOutput(st *Stats) *StatsOutput { return &StatsOutput{st: st} }

// Stats is the statistics fed so far (read them once the run is over).
func (o *StatsOutput) Stats() *Stats { return o.st }

func (o *StatsOutput) Add(r *sample.Result) {
	o.mu.Lock()
	o.add(r, 0)
	o.mu.Unlock()
}

func (o *StatsOutput) add(r *sample.Result, depth int) {
	if r == nil || depth > maxSubDepth {
		return
	}
	ResultToSample(r, &o.s)
	o.st.Add(&o.s)
	for _, s := range r.Subs {
		o.add(s, depth+1)
	}
}

// Start does nothing: the statistics start empty.
func (o *StatsOutput) Start(output.Run) error { return nil }

// Stop does nothing: the statistics stay readable.
func (o *StatsOutput) Stop() error { return nil }

var _ output.Output = (*StatsOutput)(nil)
