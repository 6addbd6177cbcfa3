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
