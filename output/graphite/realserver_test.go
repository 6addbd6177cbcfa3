package graphite

import (
	"testing"
	"time"

	"github.com/gometer/gometer/internal/backendtest"
	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/backend"
)

// A real carbon-cache accepts what the listener sends and stores the
// totals of the JTL's samples.
func TestRealCarbon(t *testing.T) {
	c := realserver.StartCarbon(t)
	samples, err := backendtest.ReadJTL(goldenDir + "jmeter.jtl")
	if err != nil {
		t.Fatal(err)
	}
	host, port := splitAddr(t, c.Addr)
	clock := backend.NewManualClock(time.Now())
	o, err := newOutput(map[string]string{"graphiteHost": host, "graphitePort": port, "summaryOnly": "false",
		"samplersList": "Home;Fail 500", "percentiles": "90;99"}, output.Run{}, clock)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Start(output.Run{}); err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		o.Add(s)
	}
	if err := o.Stop(); err != nil {
		t.Fatal(err)
	}
	if st := o.Stats(); st.Sent != 1 || st.Failed != 0 {
		t.Fatalf("stats %+v, want one accepted send", st)
	}
	failed, home := 0, 0
	for _, s := range samples {
		if !s.Success {
			failed++
		}
		if s.Label == "Home" {
			home++
		}
	}
	for metric, want := range map[string]float64{"jmeter.all.a.count": float64(len(samples)),
		"jmeter.all.ko.count": float64(failed), "jmeter.Home.a.count": float64(home)} {
		vals := c.Values(t, metric, 20*time.Second)
		var sum float64
		for _, v := range vals {
			sum += v
		}
		if sum != want {
			t.Errorf("%s stored %v (%v), want %v", metric, sum, vals, want)
		}
	}
}
