package engine

import (
	"context"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/jmx"
)

// Sharding: N copies of gometer run the same plan, each with Options.Shard
// (0-based) of Options.Shards. Every schedule is computed for the whole run
// and each copy takes the events whose 0-based number k has k mod N equal to
// its shard: the k-th user of a thread group, the k-th arrival of an
// Arrivals, Free-Form or Open Model group, the k-th slot of a throughput or
// shaping timer. The union of the shards is then exactly the unsharded run
// (same start times, same counts); no rate is divided and rounded.

// inShard reports whether the user with 0-based number i belongs to this
// shard of the load.
func (t *Test) inShard(i int) bool { return t.mine(int64(i)) }

// mine reports whether event k (0-based, counted over the whole run) is
// this shard's.
func (t *Test) mine(k int64) bool {
	n := int64(t.opts.Shards)
	return n <= 1 || k%n == int64(t.opts.Shard)
}

// shareOf is how many of the first n events (0 … n-1) are this shard's:
// remainders go to the first shards, so the shares of all shards add up to
// n exactly.
func (t *Test) shareOf(n int) int {
	N := t.opts.Shards
	if N <= 1 || n <= 0 {
		return max(n, 0)
	}
	s := t.opts.Shard
	if n <= s {
		return 0
	}
	return (n - s + N - 1) / N
}

// userNum is the whole-run 1-based number of this shard's j-th (0-based)
// user, so thread names and __threadNum match an unsharded run.
func (t *Test) userNum(j int) int {
	if t.opts.Shards <= 1 {
		return j + 1
	}
	return j*t.opts.Shards + t.opts.Shard + 1
}

// runsSetupTeardown reports whether this shard runs the setUp and tearDown
// thread groups. By default only the first shard does (they prepare and
// clean up once for the whole run); property gometer.shard.setup_teardown
// names another shard (1-based, as --shard counts) or "all".
func (t *Test) runsSetupTeardown() bool {
	if t.opts.Shards <= 1 {
		return true
	}
	v := strings.TrimSpace(t.props.GetOr("gometer.shard.setup_teardown", "1"))
	if strings.EqualFold(v, "all") {
		return true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > t.opts.Shards {
		n = 1
	}
	return t.opts.Shard == n-1
}

// shardSeed is a seed that every shard computes alike for el, so that a
// random schedule without a configured seed is still the same schedule in
// every copy (each then takes its own events from it).
func shardSeed(el *jmx.Element) uint64 {
	h := fnv.New64a()
	h.Write([]byte(el.Path()))
	h.Write([]byte{0})
	h.Write([]byte(strconv.Itoa(el.Line)))
	return h.Sum64()
}

// waitForStart waits until Options.StartAt; false if ctx ended first. A
// start later than the tolerance (default 1 s) is logged as a warning and
// kept for LateStart, so that the merged report can flag this shard.
func (t *Test) waitForStart(ctx context.Context) bool {
	at := t.opts.StartAt
	if at.IsZero() {
		return true
	}
	if d := time.Until(at); d > 0 {
		t.logf("INFO", "waiting %s for the common start at %s", d.Round(time.Millisecond), at.UTC().Format(time.RFC3339Nano))
		tm := time.NewTimer(d)
		defer tm.Stop()
		select {
		case <-tm.C:
		case <-ctx.Done():
			return false
		}
	}
	late := time.Since(at)
	tol := t.opts.StartAtTolerance
	if tol <= 0 {
		tol = time.Second
	}
	if late > tol {
		t.lateStart = late
		t.logf("WARN", "started %s after the common start time %s (tolerance %s): this shard's load is shifted", late.Round(time.Millisecond), at.UTC().Format(time.RFC3339Nano), tol)
	}
	return true
}

// LateStart is how much later than Options.StartAt the run started, when
// that exceeded the tolerance; 0 otherwise.
func (t *Test) LateStart() time.Duration { return t.lateStart }

// StartedAt is when the load started (after any wait for Options.StartAt).
func (t *Test) StartedAt() time.Time { return t.startedAt }
