package graphite

import (
	"testing"
	"time"

	"github.com/gometer/gometer/internal/backendtest"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/backend"
)

const goldenDir = "../../testdata/backend/"

// JMeter 5.6.3's Graphite listener sent testdata/backend/jmeter.golden.json's
// "graphite" bytes for the samples in jmeter.jtl; gometer sends the same
// bytes but for the timestamps.
func TestSameBytesAsJMeter(t *testing.T) {
	g, err := backend.ReadGolden(goldenDir + "jmeter.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	samples, err := backendtest.ReadJTL(goldenDir + "jmeter.jtl")
	if err != nil {
		t.Fatal(err)
	}
	rec := backendtest.NewTCPRecorder(t)
	host, port := splitAddr(t, rec.Addr)
	clock := backend.NewManualClock(samples[0].Start)
	o, err := newOutput(map[string]string{
		"graphiteMetricsSender": TextSenderClass, "graphiteHost": host, "graphitePort": port,
		"rootMetricsPrefix": "jmeter.", "summaryOnly": "false", "samplersList": "Home;Fail 500;Login, step=1",
		"useRegexpForSamplersList": "false", "percentiles": "90;95;99",
	}, output.Run{}, clock)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Start(output.Run{Lifetime: func() (int, int) { return 1, 1 }}); err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		o.Add(s)
	}
	if err := o.Stop(); err != nil {
		t.Fatal(err)
	}
	got := rec.WaitFor(t, "jmeter.test.endedT", 10*time.Second)
	if gn, wn := backendtest.NormaliseTimestamps(got), backendtest.NormaliseTimestamps(g.Graphite); gn != wn {
		t.Errorf("Graphite bytes differ from JMeter's:\n--- jmeter\n%s--- gometer\n%s", wn, gn)
	}
}
