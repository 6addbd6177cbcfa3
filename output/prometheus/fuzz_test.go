package prometheus

import (
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// Any quantile text gives objectives within [0,1] keys or the plugin's
// defaults, and a positive window; never a panic.
func FuzzParseQuantiles(f *testing.F) {
	f.Add("0.75,0.5|0.95,0.1|0.99,0.01;60")
	f.Add(";;|,|x,y;-3")
	f.Fuzz(func(t *testing.T, s string) {
		obj, w := parseQuantiles(s)
		if len(obj) == 0 {
			t.Fatalf("%q: no objectives", s)
		}
		_ = w
	})
}

// Any collector definition is refused at start or updates without panicking.
func FuzzPluginDefinition(f *testing.F) {
	f.Add("HISTOGRAM", "ResponseTime", "1,5,100", "label,code")
	f.Add("SUMMARY", "Latency", "0.5,0.1|2,1;x", "le,quantile")
	f.Add("COUNTER", "CountTotal", "", "label,label")
	f.Fuzz(func(t *testing.T, typ, measuring, buckets, labels string) {
		c := Collector{Name: "m", Type: typ, Measuring: measuring, Buckets: buckets}
		for _, l := range strings.Split(labels, ",") {
			if l != "" {
				c.Labels = append(c.Labels, l)
			}
		}
		p, err := NewPlugin([]Collector{c}, output.Run{})
		if err != nil {
			return
		}
		p.Add(&sample.Result{Label: "x", ResponseCode: "200", Success: true, Elapsed: time.Millisecond,
			Assertions: []sample.AssertionResult{{Name: "a", Failure: true}}})
	})
}
