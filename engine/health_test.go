package engine

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestGeneratorHealthCountsPauses: every timer pause of a run is counted and
// the run is watched from start to end.
func TestGeneratorHealthCountsPauses(t *testing.T) {
	srv := newServer(t)
	tst, out := run(t, planXML(tg("G", 3, 0, "4", "", get(srv, "s", "/x", constTimer(30)))), nil)
	if n := len(out.all()); n != 12 {
		t.Fatalf("%d samples, want 12", n)
	}
	h := tst.GeneratorHealth()
	if h.Pauses != 12 {
		t.Errorf("pauses %d, want 12 (3 users × 4 iterations)", h.Pauses)
	}
	if h.Watched < 4*30*time.Millisecond || h.Cores != runtime.GOMAXPROCS(0) {
		t.Errorf("watched %v, cores %d", h.Watched, h.Cores)
	}
	if runtime.GOOS == "linux" && (!h.CPUKnown || h.MeanCPU <= 0 || h.MeanCPU > 1.5) {
		t.Errorf("CPU known %v, mean %v", h.CPUKnown, h.MeanCPU)
	}
	if h.MaxLag < 0 || h.MeanLag > h.MaxLag || h.LatePauses > h.Pauses {
		t.Errorf("lag figures: %+v", h)
	}
	if s := h.String(); !strings.Contains(s, "12 pauses") {
		t.Errorf("String() = %q", s)
	}
}

// TestGeneratorHealthVerdict: the thresholds of the verdict, from recorded
// figures.
func TestGeneratorHealthVerdict(t *testing.T) {
	fill := func(late, onTime int, busy, seconds int) *healthMonitor {
		m := &healthMonitor{started: time.Now().Add(-time.Duration(seconds) * time.Second), ended: time.Now(), cpuOK: true}
		for i := 0; i < late; i++ {
			m.note(150 * time.Millisecond)
		}
		for i := 0; i < onTime; i++ {
			m.note(time.Millisecond)
		}
		m.busy, m.seconds, m.peak = busy, seconds, 0.5
		if busy > 0 {
			m.peak = 0.99
		}
		return m
	}
	for _, c := range []struct {
		name           string
		m              *healthMonitor
		saturated      bool
		reason, phrase string
	}{
		{"quiet", fill(0, 1000, 0, 60), false, "", "OK"},
		{"one busy second", fill(0, 1000, 1, 60), false, "", "OK"},
		{"busy", fill(0, 1000, 10, 60), true, "CPU above 90% in 10 of 60 seconds", "SATURATED"},
		{"few late", fill(5, 1000, 0, 60), false, "", "OK"},
		{"late", fill(50, 1000, 0, 60), true, "4.8% of timer pauses ended more than 20ms late (worst 150ms)", "SATURATED"},
	} {
		h := c.m.health()
		if h.Saturated != c.saturated || (c.reason != "" && (len(h.Reasons) != 1 || h.Reasons[0] != c.reason)) {
			t.Errorf("%s: saturated %v reasons %q", c.name, h.Saturated, h.Reasons)
		}
		if s := h.String(); !strings.Contains(s, c.phrase) {
			t.Errorf("%s: %q lacks %q", c.name, s, c.phrase)
		}
	}
}

// TestGeneratorHealthSeesBusyCPU: CPU time the process spends while it is
// watched is in the figures (however loaded the machine is).
func TestGeneratorHealthSeesBusyCPU(t *testing.T) {
	start, ok := processCPU()
	if !ok {
		t.Skip("no process CPU time here")
	}
	var m healthMonitor
	m.start()
	x := 0
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		for i := 0; i < 1e6; i++ {
			x += i
		}
		if now, _ := processCPU(); now-start > 600*time.Millisecond {
			break
		}
	}
	m.end()
	h := m.health()
	used := time.Duration(h.MeanCPU * float64(h.Watched) * float64(h.Cores))
	if used < 600*time.Millisecond || h.PeakCPU <= 0 || h.PeakCPU < h.MeanCPU && h.Seconds == 0 {
		t.Errorf("busy CPU not seen (spent %v): %+v (x %d)", used, h, x)
	}
}
