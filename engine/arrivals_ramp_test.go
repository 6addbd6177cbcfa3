package engine

import (
	"testing"
	"time"
)

// TestArrivalsLinearRampSendsNothingDuringRamp: with a ramp-up and Steps
// empty the plugin's rate stays 0 until the ramp-up ends (its
// getCurrentRate derives the rate from the arrivals so far), then the full
// rate holds; gometer sends the same.
func TestArrivalsLinearRampSendsNothingDuringRamp(t *testing.T) {
	srv := newServer(t)
	props := vuController() + sp("TargetLevel", "10") + sp("RampUp", "1") + sp("Steps", "") + sp("Hold", "1") + sp("Iterations", "") + sp("ConcurrencyLimit", "20") + sp("Unit", "S")
	xml := planXML(pluginGroup(classArrivals, "ATG", props, get(srv, "x", "/x")))
	start := time.Now()
	run(t, xml, nil)
	reqs := srv.requests()
	for _, r := range reqs {
		if d := r.at.Sub(start); d < 900*time.Millisecond {
			t.Fatalf("an arrival at %v, during the 1 s ramp-up", d)
		}
	}
	// the hold: 10/s for the second after the ramp (the first arrival at
	// 1.0 or 1.2 s, as the plugin looks again every 200 ms)
	if n := len(reqs); n < 7 || n > 11 {
		t.Errorf("%d arrivals in the 1 s hold at 10/s", n)
	}
}
