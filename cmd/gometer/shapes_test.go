package main

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// Load shapes through the CLI: when users start and stop, seen from the
// arrival times at the server and from the JTL's grpThreads/allThreads.
// Each plan has a "Marker" group whose single request marks the test start;
// the other groups' users request every 200 ms (g= names the group).

// startOf returns the arrival of the marker request.
func startOf(t *testing.T, hs []hit) time.Time {
	t.Helper()
	m := filter(hs, "/mark")
	if len(m) != 1 {
		t.Fatalf("%d marker requests, want 1", len(m))
	}
	return m[0].At
}

// groupHits keeps the hits of group g.
func groupHits(hs []hit, g string) []hit {
	var out []hit
	for _, h := range hs {
		if h.Group == g {
			out = append(out, h)
		}
	}
	return out
}

// firstPerUser returns each user's first arrival, in seconds after t0, by user.
func firstPerUser(hs []hit, t0 time.Time) map[string]float64 {
	m := map[string]float64{}
	for _, h := range hs {
		if _, ok := m[h.User]; !ok {
			m[h.User] = h.At.Sub(t0).Seconds()
		}
	}
	return m
}

// window is a span of the run and the number of users expected active in
// it. Windows keep 0.3 s or more away from planned changes.
type window struct {
	from, to float64
	users    int
}

// checkActive compares active users per window, seen at the server and in
// the JTL's grpThreads of the group's rows.
func checkActive(t *testing.T, name string, hs []hit, rows []map[string]string, label string, t0 time.Time, ws []window) {
	t.Helper()
	for _, w := range ws {
		if got := activeUsers(hs, t0, w.from, w.to); got != w.users {
			t.Errorf("%s: %d users sent requests in [%.1f, %.1f] s, want %d\n%s", name, got, w.from, w.to, w.users, describeHits(hs, t0))
		}
		if w.users == 0 {
			continue
		}
		checked := 0
		for _, r := range rows {
			if r["label"] != label {
				continue
			}
			s := jtlTime(t, r).Sub(t0).Seconds()
			if s < w.from || s > w.to {
				continue
			}
			checked++
			if g := atoi(t, r["grpThreads"]); g != w.users {
				t.Errorf("%s: JTL row at %.2f s has grpThreads %d, want %d", name, s, g, w.users)
			}
		}
		if checked == 0 {
			t.Errorf("%s: no JTL row in [%.1f, %.1f] s", name, w.from, w.to)
		}
	}
}

func TestShapesClassicThreadGroup(t *testing.T) {
	ts := newTimedServer(t)
	rows := runShape(t, ts, "classic.jmx", 60*time.Second)
	hs := ts.all()
	t0 := startOf(t, hs)

	// Ramp-up: 5 users over 4 s, user i (1-based) starts at (i-1)·0.8 s.
	ramp := groupHits(hs, "ramp")
	first := firstPerUser(ramp, t0)
	if len(first) != 5 || len(ramp) != 15 {
		t.Fatalf("ramp group: %d users, %d requests; want 5 users x 3 loops\n%s", len(first), len(ramp), describeHits(ramp, t0))
	}
	for i := 1; i <= 5; i++ {
		want := float64(i-1) * 0.8
		// the 200 ms timer runs before each request
		got := first[fmt.Sprint(i)] - 0.2
		// Early is a bug; late is also what a loaded machine does (user 5
		// arrived 0.55 s late at load 20 on 2 cores). The upper bound stays
		// under the 0.8 s step, so a user started a whole step late fails.
		if got < want-0.1 || got > want+0.75 {
			t.Errorf("ramp user %d started at %.2f s, want %.1f s", i, got, want)
		}
	}

	// Scheduler: 2 s startup delay, 3 s duration, then the users stop.
	del := groupHits(hs, "delayed")
	if len(del) == 0 {
		t.Fatal("the delayed group sent nothing")
	}
	if s := del[0].At.Sub(t0).Seconds() - 0.2; s < 1.95 || s > 2.5 {
		t.Errorf("delayed group's first request at %.2f s (less its 200 ms timer), want 2 s", s)
	}
	if s := del[len(del)-1].At.Sub(t0).Seconds(); s > 5.5 {
		t.Errorf("delayed group's last request at %.2f s, want none after 5 s", s)
	}
	// 2 users x one request per 200 ms for 3 s: about 30.
	if len(del) < 22 || len(del) > 32 {
		t.Errorf("delayed group sent %d requests, want about 30", len(del))
	}
	// JTL: a user counts as active from the end of its ramp-up delay to
	// its end (JMeterThread counts it after rampUpDelay). Each ramp user is
	// busy about 0.6 s and the next starts 0.8 s after it, so grpThreads is
	// 1 (2 if a late user overlaps), never the 5 created at the start; and
	// before 2 s the delayed group's users, still waiting out their
	// startup delay, are not in allThreads.
	ones, n := 0, 0
	for _, r := range rows {
		if r["label"] != "ramp" {
			continue
		}
		n++
		g, a := atoi(t, r["grpThreads"]), atoi(t, r["allThreads"])
		if g == 1 {
			ones++
		}
		if g < 1 || g > 2 {
			t.Errorf("ramp row at %.2f s: grpThreads %d, want 1", jtlTime(t, r).Sub(t0).Seconds(), g)
		}
		if jtlTime(t, r).Sub(t0) < 1800*time.Millisecond && a != g {
			t.Errorf("ramp row at %.2f s: allThreads %d, grpThreads %d: users waiting for their start counted", jtlTime(t, r).Sub(t0).Seconds(), a, g)
		}
	}
	if ones < n*3/4 {
		t.Errorf("only %d of %d ramp rows have grpThreads 1", ones, n)
	}
}

func TestShapesPluginThreadGroups(t *testing.T) {
	ts := newTimedServer(t)
	rows := runShape(t, ts, "plugins.jmx", 60*time.Second)
	hs := ts.all()
	t0 := startOf(t, hs)

	t.Run("UltimateThreadGroup", func(t *testing.T) {
		// row 1: 2 users start at 1 s and 2 s, hold until 5 s;
		// row 2: 2 users start at 3 s, hold until 5 s, then stop over 2 s
		// (one at 6 s, one at 7 s).
		ult := groupHits(hs, "ult")
		checkActive(t, "ultimate", ult, rows, "ult", t0, []window{
			{0.3, 0.8, 0}, {1.4, 1.7, 1}, {2.4, 2.8, 2}, {3.4, 4.6, 4}, {5.4, 5.7, 2}, {6.4, 6.7, 1}, {7.6, 9, 0},
		})
		// Numbering as the plugin does it: within a row the first-created
		// thread starts last (k = N … 1), so user 2 starts at 1 s and user 1
		// at 2 s; in row 2, user 3 stops last (7 s) and user 4 first (6 s).
		first, last := firstPerUser(ult, t0), map[string]float64{}
		for _, h := range ult {
			last[h.User] = h.At.Sub(t0).Seconds()
		}
		if len(first) != 4 {
			t.Fatalf("ultimate: %d distinct users, want 4", len(first))
		}
		for _, c := range []struct {
			user        string
			start, stop float64
		}{{"1", 2, 5}, {"2", 1, 5}, {"3", 3, 7}, {"4", 3, 6}} {
			// each request follows a 200 ms pause
			if s := first[c.user] - 0.2; s < c.start-0.1 || s > c.start+0.4 {
				t.Errorf("ultimate user %s started at %.2f s, want %.0f s", c.user, s, c.start)
			}
			if s := last[c.user]; s < c.stop-0.5 || s > c.stop+0.3 {
				t.Errorf("ultimate user %s sent its last request at %.2f s, want just before %.0f s", c.user, s, c.stop)
			}
		}
		// thread names: "<group> <group number>-<thread number>"
		for _, r := range rows {
			want := map[string]string{"ult": "Ultimate 2-", "step": "Stepping 3-", "conc": "Concurrency 4-", "lin": "Concurrency linear 5-", "mark": "Marker 1-"}[r["label"]]
			if !strings.HasPrefix(r["threadName"], want) {
				t.Errorf("%s row threadName %q, want %s<n>", r["label"], r["threadName"], want)
				break
			}
		}
	})
	t.Run("SteppingThreadGroup", func(t *testing.T) {
		// 2 users at 0 s, 2 more at 2 s and at 4 s, all hold until 6 s,
		// then 2 stop every second.
		step := groupHits(hs, "step")
		checkActive(t, "stepping", step, rows, "step", t0, []window{
			{0.4, 1.6, 2}, {2.4, 3.6, 4}, {4.4, 5.6, 6}, {6.4, 6.7, 4}, {7.4, 7.7, 2}, {8.6, 10, 0},
		})
	})
	t.Run("ConcurrencyThreadGroup", func(t *testing.T) {
		// target 4 over a 4 s ramp in 2 steps: 2 users, 4 from 2 s, hold
		// until 7 s.
		conc := groupHits(hs, "conc")
		checkActive(t, "concurrency", conc, rows, "conc", t0, []window{
			{0.4, 1.6, 2}, {2.5, 6.5, 4}, {7.6, 9, 0},
		})
	})
	t.Run("ConcurrencyThreadGroup linear", func(t *testing.T) {
		// target 4 over a linear 4 s ramp: round(t) users, so one more at
		// 0.5, 1.5, 2.5 and 3.5 s; hold until 6 s.
		lin := groupHits(hs, "lin")
		checkActive(t, "concurrency linear", lin, rows, "lin", t0, []window{
			{0, 0.45, 0}, {0.85, 1.3, 1}, {1.85, 2.3, 2}, {2.85, 3.3, 3}, {3.85, 5.6, 4}, {6.6, 10, 0},
		})
	})
	// allThreads counts every group's users: at 2.7-2.9 s Ultimate 2 +
	// Stepping 4 + Concurrency 4 + Concurrency linear 3; at 4.4-4.6 s
	// 4 + 6 + 4 + 4.
	for _, w := range []window{{2.7, 2.9, 13}, {4.4, 4.6, 18}} {
		checked := 0
		for _, r := range rows {
			s := jtlTime(t, r).Sub(t0).Seconds()
			if s >= w.from && s <= w.to {
				checked++
				if a := atoi(t, r["allThreads"]); a != w.users {
					t.Errorf("JTL row %s at %.2f s has allThreads %d, want %d", r["label"], s, a, w.users)
				}
			}
		}
		if checked == 0 {
			t.Errorf("no JTL row in [%.1f, %.1f] s", w.from, w.to)
		}
	}
}

func TestShapesArrivalRates(t *testing.T) {
	ts := newTimedServer(t)
	runShape(t, ts, "rates.jmx", 60*time.Second)
	hs := ts.all()
	t0 := startOf(t, hs)

	// The issue asks for the rate within a few percent over 30 s; these
	// runs are 10 s, so a deterministic schedule gets ±5 % and a random one
	// a bound it meets with probability > 99.9 %.
	t.Run("ArrivalsThreadGroup", func(t *testing.T) {
		arr := groupHits(hs, "arr")
		n := len(arr)
		if !within(float64(n), 50, 0.05) {
			t.Errorf("arrivals: %d in 10 s, want 50 (5/s) ± 5%%", n)
		}
		// an arrival goes to an idle pooled user first: iterations take a
		// millisecond, so a user or two serve them all
		if u := len(firstPerUser(arr, t0)); u > 3 {
			t.Errorf("arrivals: %d users for %d quick iterations, want idle users reused", u, n)
		}
	})
	t.Run("ArrivalsThreadGroup stepped ramp", func(t *testing.T) {
		// 6/s reached in 3 steps over 3 s: 2/s, 4/s, 6/s for a second
		// each, then 6/s for 3 s: 2 + 4 + 6 + 18 arrivals.
		a := groupHits(hs, "arrs")
		per := []int{countBefore(a, t0, 0.95), countBefore(a, t0, 1.95), countBefore(a, t0, 2.95), len(a)}
		if per[0] != 2 || per[1]-per[0] != 4 || per[2]-per[1] != 6 || !within(float64(per[3]-per[2]), 18, 0.1) {
			t.Errorf("stepped arrivals: %d, %d, %d in the three ramp steps, %d after; want 2, 4, 6, 18\n%s",
				per[0], per[1]-per[0], per[2]-per[1], per[3]-per[2], describeHits(a, t0))
		}
	})
	t.Run("ArrivalsThreadGroup linear ramp", func(t *testing.T) {
		// As the plugin's code does it (ArrivalsThreadStarter.getCurrentRate
		// derives the ramp rate from the arrivals so far, slope·sqrt(2·count/
		// slope), which stays 0 while the count is 0): nothing during the
		// 4 s ramp, then 6/s for the 2 s hold.
		a := groupHits(hs, "arrl")
		if ramp := countBefore(a, t0, 3.9); ramp != 0 || !within(float64(len(a)), 12, 0.15) {
			t.Errorf("linear ramp: %d arrivals in the 4 s ramp (want 0), %d in all (want 12)\n%s", ramp, len(a), describeHits(a, t0))
		}
	})
	t.Run("ArrivalsThreadGroup concurrency limit", func(t *testing.T) {
		lim := groupHits(hs, "lim")
		if n := len(firstPerUser(lim, t0)); n > 2 {
			t.Errorf("limited arrivals used %d users, the limit is 2", n)
		}
		if c := maxInFlight(lim); c > 2 {
			t.Errorf("limited arrivals had %d requests in flight, the limit is 2", c)
		}
		// each user is busy 1 s per arrival: about 2 per second get through
		if n := len(lim); n < 14 || n > 24 {
			t.Errorf("limited arrivals: %d requests in 10 s, want about 20", n)
		}
	})
	t.Run("FreeFormArrivalsThreadGroup", func(t *testing.T) {
		ff := groupHits(hs, "ff")
		early := countBefore(ff, t0, 4)
		late := len(ff) - early
		if !within(float64(early), 8, 0.15) || !within(float64(late), 24, 0.1) {
			t.Errorf("free-form: %d arrivals in 0-4 s (want 8), %d in 4-8 s (want 24)\n%s", early, late, describeHits(ff, t0))
		}
		if s := ff[len(ff)-1].At.Sub(t0).Seconds(); s > 8.5 {
			t.Errorf("free-form: arrival at %.2f s, schedule ends at 8 s", s)
		}
	})
	t.Run("OpenModelThreadGroup even", func(t *testing.T) {
		ev := groupHits(hs, "even")
		if !within(float64(len(ev)), 40, 0.05) {
			t.Errorf("open model even_arrivals: %d in 10 s, want 40 ± 5%%", len(ev))
		}
		// evenly spaced, 250 ms apart: arrival k near k·250 ms after the
		// first (a loaded machine may run one late, not the schedule)
		for k, h := range ev {
			ideal := ev[0].At.Add(time.Duration(k) * 250 * time.Millisecond)
			if d := h.At.Sub(ideal); d < -150*time.Millisecond || d > 450*time.Millisecond {
				t.Errorf("open model even_arrivals: arrival %d is %v off the 250 ms grid\n%s", k, d, describeHits(ev, t0))
				break
			}
		}
		// a new user per arrival
		if n := len(firstPerUser(ev, t0)); n != len(ev) {
			t.Errorf("open model: %d users for %d arrivals, want one user per arrival", n, len(ev))
		}
	})
	t.Run("OpenModelThreadGroup pause and ramp", func(t *testing.T) {
		// rate(2/sec) even_arrivals(2 sec): 4 arrivals; pause(2 sec): none;
		// rate(0/sec) even_arrivals(4 sec) rate(4/sec): the rate rises
		// linearly to 4/s, 8 arrivals in all, 2 of them in the first half.
		sh := groupHits(hs, "shaped")
		// (boundaries kept off the instants where an even arrival may fall)
		a, b, c := countBefore(sh, t0, 2.3), countBefore(sh, t0, 3.95), countBefore(sh, t0, 5.8)
		d := len(sh)
		if a != 4 || b != a || c-b < 1 || c-b > 3 || d-c < 5 || d-c > 8 {
			t.Errorf("open model schedule: %d arrivals in 0-2.3 s (want 4), %d in the rest of the pause (want 0), %d in 4-5.8 s (want 1-2), %d after (want 6-7)\n%s",
				a, b-a, c-b, d-c, describeHits(sh, t0))
		}
		if len(sh) > 0 {
			if s := sh[len(sh)-1].At.Sub(t0).Seconds(); s > 8.5 {
				t.Errorf("open model schedule: arrival at %.2f s, the schedule ends at 8 s", s)
			}
		}
	})
	t.Run("OpenModelThreadGroup random", func(t *testing.T) {
		rd := groupHits(hs, "rand")
		if !within(float64(len(rd)), 100, 0.35) {
			t.Errorf("open model random_arrivals: %d in 10 s, want about 100", len(rd))
		}
		if s := rd[len(rd)-1].At.Sub(t0).Seconds(); s > 10.5 {
			t.Errorf("open model random_arrivals: arrival at %.2f s, schedule ends at 10 s", s)
		}
	})
}

// maxInFlight is the largest number of requests being served at once.
func maxInFlight(hs []hit) int {
	type ev struct {
		at time.Time
		d  int
	}
	var evs []ev
	for _, h := range hs {
		evs = append(evs, ev{h.At, 1}, ev{h.Done, -1})
	}
	sort.Slice(evs, func(i, j int) bool {
		if evs[i].at.Equal(evs[j].at) {
			return evs[i].d < evs[j].d
		}
		return evs[i].at.Before(evs[j].at)
	})
	cur, best := 0, 0
	for _, e := range evs {
		cur += e.d
		best = max(best, cur)
	}
	return best
}

// The check as written: arrival rates over 30 s, within 3 %
// (deterministic schedules) — skipped with -short.
func TestShapesArrivalRates30s(t *testing.T) {
	if testing.Short() {
		t.Skip("30 s run")
	}
	ts := newTimedServer(t)
	runShape(t, ts, "rates.jmx", 90*time.Second, "hold=30")
	hs := ts.all()
	t0 := startOf(t, hs)
	for _, c := range []struct {
		group, what string
		want, tol   float64
	}{
		{"arr", "Arrivals Thread Group 5/s", 150, 0.03},
		{"even", "Open Model even_arrivals 4/s", 120, 0.03},
		{"rand", "Open Model random_arrivals 10/s (Poisson: 3.5 sd)", 300, 0.20},
	} {
		if n := len(groupHits(hs, c.group)); !within(float64(n), c.want, c.tol) {
			t.Errorf("%s: %d arrivals in 30 s, want %.0f ± %.0f%%", c.what, n, c.want, 100*c.tol)
		}
		if n := countBefore(groupHits(hs, c.group), t0, 15); !within(float64(n), c.want/2, 2*c.tol) {
			t.Errorf("%s: %d arrivals in the first 15 s, want %.0f", c.what, n, c.want/2)
		}
	}
}
