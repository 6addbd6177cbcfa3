package main

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// Controllers through the CLI with several users: what the single-user
// conformance plans cannot show (state shared between users, per-user state
// kept apart, mutual exclusion).
func TestShapesSharedControllers(t *testing.T) {
	const users, loops = 3, 6
	ts := newTimedServer(t)
	rows := runShape(t, ts, "controllers-shared.jmx", 60*time.Second,
		fmt.Sprint("users=", users), fmt.Sprint("loops=", loops))
	hs := ts.all()
	perUser := byUser(hs)
	if len(perUser) != users {
		t.Fatalf("requests from %d users, want %d", len(perUser), users)
	}
	total := countPaths(hs)

	// Once Only: the first iteration of each user.
	if total["/once"] != users {
		t.Errorf("/once: %d requests, want one per user (%d)", total["/once"], users)
	}
	for u, uh := range perUser {
		if len(uh) == 0 || uh[0].Path != "/once" {
			t.Errorf("user %s: first request %v, want /once", u, uh[0].Path)
		}
	}

	// Throughput Controller, total executions: shared counts all users
	// together, per user counts each user apart.
	if total["/tp/total-shared"] != 7 {
		t.Errorf("shared total-executions controller ran %d times, want 7 in all", total["/tp/total-shared"])
	}
	for u, uh := range perUser {
		c := countPaths(uh)
		if c["/tp/total-user"] != 2 {
			t.Errorf("user %s: per-user total-executions controller ran %d times, want 2", u, c["/tp/total-user"])
		}
		// Percent per user, deterministic as JMeter decides it.
		if want := tpExecutions(40, loops); c["/tp/pct-user"] != want {
			t.Errorf("user %s: 40%% per-user controller ran %d of %d iterations, want %d", u, c["/tp/pct-user"], loops, want)
		}
	}
	// Percent shared: one counter for the users' iterations together.
	if want := tpExecutions(25, users*loops); total["/tp/pct-shared"] != want {
		t.Errorf("25%% shared controller ran %d of %d iterations, want %d", total["/tp/pct-shared"], users*loops, want)
	}

	// Interleave per user: each user rotates a, b, c on its own.
	for u, uh := range perUser {
		var seq []string
		for _, h := range filter(uh, "/il/") {
			seq = append(seq, strings.TrimPrefix(h.Path, "/il/"))
		}
		want := strings.Repeat("abc", loops/3) + "abc"[:loops%3]
		if strings.Join(seq, "") != want {
			t.Errorf("user %s: interleave sequence %v, want %s", u, seq, want)
		}
	}
	// Interleave across threads: one rotation for all users, so each child
	// runs users*loops/3 times in all.
	for _, p := range []string{"/ix/a", "/ix/b", "/ix/c"} {
		if total[p] != users*loops/3 {
			t.Errorf("interleave across threads: %s ran %d times, want %d (counts %v)", p, total[p], users*loops/3, total)
		}
	}

	// Random: exactly one child per iteration; Random Order: every child
	// once per iteration, in some order.
	for u, uh := range perUser {
		if n := len(filter(uh, "/rc/")); n != loops {
			t.Errorf("user %s: random controller ran %d children over %d iterations, want one each", u, n, loops)
		}
		ro := filter(uh, "/ro/")
		if len(ro) != 3*loops {
			t.Errorf("user %s: random order ran %d children, want %d", u, len(ro), 3*loops)
			continue
		}
		for i := 0; i < len(ro); i += 3 {
			set := []string{ro[i].Path, ro[i+1].Path, ro[i+2].Path}
			sort.Strings(set)
			if strings.Join(set, ",") != "/ro/a,/ro/b,/ro/c" {
				t.Errorf("user %s: iteration %d of random order ran %v", u, i/3, set)
			}
		}
	}
	if total["/rc/a"]+total["/rc/b"]+total["/rc/c"] != users*loops {
		t.Errorf("random controller: %v", total)
	}

	// Switch on ${__threadNum}: user 1 → child 1, user 2 → child 2, user 3 is
	// out of range → child 0.
	for u, uh := range perUser {
		sw := filter(uh, "/sw/")
		want := map[string]string{"1": "/sw/1", "2": "/sw/2", "3": "/sw/0"}[u]
		if len(sw) != loops {
			t.Errorf("user %s: switch ran %d times, want %d", u, len(sw), loops)
		}
		for _, h := range sw {
			if h.Path != want {
				t.Errorf("user %s: switch chose %s, want %s", u, h.Path, want)
				break
			}
		}
	}

	// Critical Section: one user at a time from "enter" to "leave".
	cs := filter(hs, "/slow/")
	if len(cs) != 2*users*loops {
		t.Fatalf("critical section: %d requests, want %d", len(cs), 2*users*loops)
	}
	for i := 0; i+1 < len(cs); i += 2 {
		a, b := cs[i], cs[i+1]
		if a.Group != "enter" || b.Group != "leave" || a.User != b.User {
			t.Fatalf("critical section interleaved at request %d: %s(u=%s) then %s(u=%s)\n%s", i, a.Group, a.User, b.Group, b.User, describeHits(cs, cs[0].At))
		}
	}

	// JTL: one row per request, labels as named.
	byLabel := rowsByLabel(rows)
	if len(rows) != len(hs) {
		t.Errorf("JTL has %d rows, server saw %d requests", len(rows), len(hs))
	}
	if byLabel["tp total shared"] != 7 || byLabel["once"] != users || byLabel["cs enter"] != users*loops {
		t.Errorf("JTL rows per label: %v", byLabel)
	}
}

// Transaction Controllers (both modes, with and without timers), a Module
// Controller, an Include Controller and a Runtime Controller, with two users.
func TestShapesFlowControllers(t *testing.T) {
	ts := newTimedServer(t)
	rows := runShape(t, ts, "controllers-flow.jmx", 60*time.Second)
	hs := ts.all()

	// Requests per user of "Users", in order, three iterations.
	users := byUser(filter(hs, "/"))
	iter := []string{"/tx/a", "/fail", "/tx/b", "/tx/c", "/tx/d", "/tx/e", "/frag/a", "/inc/x", "/inc/y"}
	for _, u := range []string{"1", "2"} {
		var got []string
		for _, h := range users[u] {
			if h.Group == "" {
				got = append(got, h.Path)
			}
		}
		want := strings.Join(append(append(append([]string{}, iter...), iter...), iter...), " ")
		if strings.Join(got, " ") != want {
			t.Errorf("Users user %s requested\n %s\nwant\n %s", u, strings.Join(got, " "), want)
		}
	}

	// JTL rows of each "Users" thread, in file order.
	for _, thread := range []string{"Users 1-1", "Users 1-2"} {
		var mine []map[string]string
		for _, r := range rows {
			if r["threadName"] == thread {
				mine = append(mine, r)
			}
		}
		var labels []string
		for _, r := range mine {
			labels = append(labels, r["label"])
		}
		one := []string{"tx a", "tx fail", "TX default", "TX parent", "tx b", "tx c", "tx d", "TX without timers", "tx e", "TX with timers", "fragment a", "included x", "included y"}
		want := strings.Join(append(append(append([]string{}, one...), one...), one...), "|")
		if strings.Join(labels, "|") != want {
			t.Errorf("%s JTL labels\n %s\nwant\n %s", thread, strings.Join(labels, "|"), want)
			continue
		}
		for i, r := range mine {
			switch r["label"] {
			case "TX default":
				// extra sample after the children: failing child, empty code
				if r["responseMessage"] != "Number of samples in transaction : 2, number of failing samples : 1" ||
					r["responseCode"] != "" || r["success"] != "false" || r["URL"] != "null" {
					t.Errorf("%s TX default row: code %q message %q success %s URL %s", thread, r["responseCode"], r["responseMessage"], r["success"], r["URL"])
				}
			case "TX parent":
				// parent sample first, then its sub-results as rows
				if r["responseMessage"] != "Number of samples in transaction : 2, number of failing samples : 0" ||
					r["responseCode"] != "200" || r["success"] != "true" {
					t.Errorf("%s TX parent row: code %q message %q success %s", thread, r["responseCode"], r["responseMessage"], r["success"])
				}
				if mine[i+1]["label"] != "tx b" || mine[i+2]["label"] != "tx c" {
					t.Errorf("%s: TX parent not followed by its sub-results", thread)
				}
			case "TX without timers":
				// the 300 ms timer is idle time, not elapsed
				idle, elapsed := atoi(t, r["IdleTime"]), atoi(t, r["elapsed"])
				if idle < 290 || elapsed >= 290 {
					t.Errorf("%s TX without timers: IdleTime %d elapsed %d, want the 300 ms timer in IdleTime only", thread, idle, elapsed)
				}
			case "TX with timers":
				// includeTimers (the default): the 200 ms timer is elapsed
				idle, elapsed := atoi(t, r["IdleTime"]), atoi(t, r["elapsed"])
				if idle != 0 || elapsed < 195 {
					t.Errorf("%s TX with timers: IdleTime %d elapsed %d, want the 200 ms timer in elapsed", thread, idle, elapsed)
				}
				if r["responseCode"] != "200" || r["success"] != "true" ||
					r["responseMessage"] != "Number of samples in transaction : 1, number of failing samples : 0" {
					t.Errorf("%s TX with timers row: code %q message %q success %s", thread, r["responseCode"], r["responseMessage"], r["success"])
				}
			case "tx fail":
				if r["responseCode"] != "500" || r["success"] != "false" {
					t.Errorf("%s tx fail row: code %s success %s", thread, r["responseCode"], r["success"])
				}
			}
		}
	}

	// Runtime Controller: repeats its child for 2 whole seconds, never
	// interrupting it.
	timed := byUser(filter(hs, "/rt/"))
	for _, u := range []string{"1", "2"} {
		uh := timed[u]
		if len(uh) < 3 || uh[0].Path != "/rt/before" || uh[len(uh)-1].Path != "/rt/after" {
			t.Errorf("Timed user %s: %v", u, describeHits(uh, hs[0].At))
			continue
		}
		loops := len(uh) - 2
		span := uh[len(uh)-1].At.Sub(uh[0].Done)
		if span < 2*time.Second || span > 2900*time.Millisecond {
			t.Errorf("Timed user %s: the runtime controller ran for %v, want 2 s (+ at most one 250 ms pause and slack)", u, span)
		}
		if loops < 5 || loops > 9 {
			t.Errorf("Timed user %s: %d loops of a 250 ms-paced sampler in 2 s, want about 8", u, loops)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

// Foreach, While and If Controllers driven by each user's own variables.
func TestShapesPerUserControllers(t *testing.T) {
	ts := newTimedServer(t)
	rows := runShape(t, ts, "controllers-peruser.jmx", 60*time.Second)
	perUser := byUser(ts.all())
	for _, u := range []string{"1", "2", "3"} {
		n := atoi(t, u)
		var got []string
		for _, h := range perUser[u] {
			got = append(got, h.Path)
		}
		// items: the user's N+1 extracted items, one Foreach pass each
		want := []string{"/items"}
		for i := 0; i <= n; i++ {
			want = append(want, fmt.Sprintf("/fe/%d-%d", n, i))
		}
		// while: a per-user counter, ceil(N/2) passes. JMeter evaluates the
		// condition once before the first pass and twice between passes
		// (and the counter counts every evaluation), as conformance plan
		// 90-while-counter shows with a real JMeter 5.6.3.
		for i := 0; i < (n+1)/2; i++ {
			want = append(want, "/wh")
		}
		if n%2 == 0 {
			want = append(want, "/if/even")
		}
		if n == 1 {
			want = append(want, "/if/one")
		}
		want = append(want, "/probe")
		if n != 2 { // user 2's probe fails
			want = append(want, "/if/ok")
		}
		// a percent Throughput Controller in a 10-pass loop decides on each
		// pass (its parent's iterations)
		for i := 0; i < tpExecutions(30, 10); i++ {
			want = append(want, "/tp/nested")
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("user %s requested\n %s\nwant\n %s", u, strings.Join(got, " "), strings.Join(want, " "))
		}
	}
	if c := rowsByLabel(rows); c["each"] != 2+3+4 || c["while"] != 1+1+2 || c["probe"] != 3 {
		t.Errorf("JTL rows per label %v", c)
	}
}
