package report

import (
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/sample"
)

// StatsOutput counts a sample and its sub-samples (redirect hops, embedded
// resources), as the JTL writes them, and nothing for a nil result.
func TestStatsOutputCountsSubSamples(t *testing.T) {
	o := NewStatsOutput(NewStats(StatsOptions{}))
	now := time.Now()
	parent := &sample.Result{Label: "page", Start: now, Elapsed: 30 * time.Millisecond, Success: true, SampleCount: 1,
		Subs: []*sample.Result{
			{Label: "page-0", Start: now, Elapsed: 10 * time.Millisecond, Success: true, SampleCount: 1},
			{Label: "page-1", Start: now, Elapsed: 20 * time.Millisecond, SampleCount: 1, ErrorCount: 1},
		}}
	o.Add(parent)
	o.Add(nil)
	if err := o.Stop(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(o.Stats().Labels(), ","); got != "page,page-0,page-1" {
		t.Errorf("labels %s", got)
	}
	if tot := o.Stats().Total(); tot.Samples != 3 || tot.Errors != 1 {
		t.Errorf("total %d samples, %d errors; want 3 and 1", tot.Samples, tot.Errors)
	}
}
