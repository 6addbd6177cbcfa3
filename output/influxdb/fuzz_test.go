package influxdb

import (
	"context"

	"github.com/gometer/gometer/internal/javahash"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/backend"
	"github.com/gometer/gometer/sample"
)

// Any arguments and labels give either a clear error or lines of the
// lines that each end with the timestamp: a newline in a label cannot split
// a line, nothing panics. (A value ending in a backslash escapes the space
// after it, as in JMeter's lines: JMeter escapes no backslash either.)
func FuzzListenerArgsAndLabels(f *testing.F) {
	f.Add("99;95;90", "app", "jmeter", ".*", "Home", "200", "OK")
	f.Add("99.9;;abc;1e3;-5", "a b,c=d", "m\nx", "(", "lab\nel, x=y", "", "")
	f.Add("NaN;Infinity", "", "", "[a-", "\"quoted\"", "Non HTTP", "java.net.Socket\nException")
	f.Fuzz(func(t *testing.T, pcts, app, meas, regex, label, code, msg string) {
		rec := &capture{}
		args := map[string]string{"influxdbUrl": "http://127.0.0.1:1/write", "percentiles": pcts, "application": app,
			"measurement": meas, "samplersRegex": regex, "TAG_x": label}
		o, err := newOutput(args, output.Run{}, backend.NewManualClock(time.Unix(1700000000, 0)))
		if err != nil {
			return
		}
		o.cfg.url = "capture"
		o.metrics = map[string]*backend.SamplerMetric{}
		o.order = newOrder()
		o.matches = map[string]bool{}
		o.users = o.cfg.settings.NewUserMetric()
		o.delivery = backend.NewDelivery(backend.DeliveryConfig{Sender: rec, Timeout: time.Second})
		for _, ok := range []bool{true, false} {
			o.Add(&sample.Result{Label: label, ResponseCode: code, ResponseMessage: msg, Success: ok, Elapsed: 3 * time.Millisecond})
		}
		o.flush(time.Unix(1700000000, 0))
		o.delivery.Close(time.Second)
		for _, line := range strings.Split(strings.TrimSuffix(rec.body, "\n"), "\n") {
			if !strings.HasSuffix(line, " 1700000000000000000") {
				t.Fatalf("line does not end with its timestamp: %q", line)
			}
		}
	})
}

type capture struct{ body string }

func (c *capture) Send(_ context.Context, b []byte) error { c.body += string(b); return nil }
func (c *capture) Close() error                           { return nil }

func newOrder() *javahash.ConcurrentMap[string] { return javahash.NewConcurrentMap(javahash.String) }
