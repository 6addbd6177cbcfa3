package graphite

import (
	"testing"
	"time"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/backend"
	"github.com/gometer/gometer/sample"
)

// Any arguments give a clear error or a listener that aggregates and
// formats without panicking.
func FuzzGraphiteArgs(f *testing.F) {
	f.Add("90;95;99", "Home;Fail", "false", "jmeter.", "Home")
	f.Add("x;;1e40;-1", "(", "true", "", "a.b c\\d")
	f.Fuzz(func(t *testing.T, pcts, list, useRegex, prefix, label string) {
		o, err := newOutput(map[string]string{"graphiteHost": "127.0.0.1", "graphitePort": "1", "percentiles": pcts,
			"samplersList": list, "useRegexpForSamplersList": useRegex, "rootMetricsPrefix": prefix, "summaryOnly": "false"},
			output.Run{}, backend.NewManualClock(time.Unix(1700000000, 0)))
		if err != nil {
			return
		}
		if err := o.Start(output.Run{}); err != nil {
			t.Fatal(err)
		}
		o.Add(&sample.Result{Label: label, Success: true, Elapsed: time.Millisecond})
		o.Add(&sample.Result{Label: label, Elapsed: 2 * time.Millisecond})
		o.delivery.Close(0) // nothing listens: do not wait for sends
		o.stopTick()
	})
}
