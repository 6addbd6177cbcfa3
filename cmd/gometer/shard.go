package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/engine"
	"github.com/gometer/gometer/report"
)

// parseAutoShard reads --shard auto (or auto/N): the shard number from
// Kubernetes' JOB_COMPLETION_INDEX (0-based, set in every pod of an Indexed
// Job) and the count from N or GOMETER_SHARDS.
func (o *options) parseAutoShard(s string) error {
	idx := strings.TrimSpace(os.Getenv("JOB_COMPLETION_INDEX"))
	if idx == "" {
		return usagef("--shard auto needs JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job); elsewhere use --shard i/N")
	}
	i, err := strconv.Atoi(idx)
	if err != nil || i < 0 {
		return usagef("--shard auto: JOB_COMPLETION_INDEX=%q is not a shard number", idx)
	}
	count := strings.TrimPrefix(strings.TrimPrefix(s, "auto"), "/")
	from := "--shard " + s
	if count == "" {
		count, from = strings.TrimSpace(os.Getenv("GOMETER_SHARDS")), "GOMETER_SHARDS"
		if count == "" {
			return usagef("--shard auto needs the shard count: --shard auto/N or GOMETER_SHARDS=N")
		}
	}
	n, err := strconv.Atoi(count)
	if err != nil || n < 1 {
		return usagef("%s: %q is not a shard count", from, count)
	}
	if i >= n {
		return usagef("--shard auto: JOB_COMPLETION_INDEX=%d but only %d shards (%s)", i, n, from)
	}
	o.shard, o.shards = i, n
	return nil
}

// parseStartAt reads --start-at: RFC 3339 (2026-12-06T18:00:00Z) or Unix
// milliseconds.
func parseStartAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		if ms < 0 || ms > 1e15 {
			return time.Time{}, fmt.Errorf("--start-at %s: not a time in Unix milliseconds", s)
		}
		return time.UnixMilli(ms), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--start-at %q: want RFC 3339 (2026-12-06T18:00:00Z) or Unix milliseconds", s)
	}
	return t, nil
}

// distributedFlagError answers JMeter's remote-testing flags: gometer has no
// RMI servers; the same load spreads over machines as shards.
func distributedFlagError(flag string) error {
	return usagef("%s: JMeter's remote testing (-r, -R host,…, -X) is not how gometer spreads load. "+
		"Run the same plan on N machines with --shard i/N (each runs its exact part of every thread group) and "+
		"--start-at <time> so they start together, then merge: gometer report shard-*.jtl -o report/. "+
		"On Kubernetes, gometer k8s render --plan plan.jmx --shards N prints the manifests (see the README, \"Run on Kubernetes\")", flag)
}

// expandResults expands glob patterns among the results files (the report
// Job has no shell): a pattern that matches nothing is an error, as is a
// file that cannot be read.
func expandResults(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if strings.ContainsAny(a, "*?[") {
			m, err := filepath.Glob(a)
			if err != nil {
				return nil, fmt.Errorf("results pattern %q: %v", a, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("no results file matches %s", a)
			}
			sort.Strings(m)
			out = append(out, m...)
			continue
		}
		if _, err := os.Stat(a); err != nil {
			return nil, fmt.Errorf("cannot read results file %s: %v", a, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// waitForShards waits until the run records of --wait-for-shards N shards
// are beside the results files (each shard writes its record last, after
// its JTL is complete), or --wait-timeout passes (default 1 h).
func waitForShards(o *options, stderr io.Writer) error {
	limit := time.Hour
	if o.waitFor != "" {
		d, err := time.ParseDuration(o.waitFor)
		if err != nil || d <= 0 {
			return fmt.Errorf("--wait-timeout %q: want a duration such as 30m", o.waitFor)
		}
		limit = d
	}
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	said := -1
	for {
		n := 0
		for _, a := range o.reportOnly {
			m, _ := filepath.Glob(a)
			if !strings.ContainsAny(a, "*?[") {
				m = []string{a}
			}
			for _, f := range m {
				rec := report.RunRecordPath(f)
				if strings.HasSuffix(f, ".run.json") {
					rec = f // the records themselves were given
				}
				if _, err := os.Stat(rec); err == nil {
					n++
				}
			}
		}
		if n >= o.waitShards {
			return nil
		}
		if n != said {
			fmt.Fprintf(stderr, "gometer: %d of %d shards finished; waiting\n", n, o.waitShards)
			said = n
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d shards finished within %s", n, o.waitShards, limit)
		}
		<-tick.C
	}
}

// reportExitCode maps a merged report to the exit code: 3 when a --fail-on
// threshold was exceeded, 1 when a shard failed or never reported (the
// results are incomplete), else 0.
func reportExitCode(sum *report.Summary, stdout, stderr io.Writer) int {
	code := exitOK
	for _, p := range sum.ShardProblems {
		fmt.Fprintf(stderr, "gometer: %s\n", p)
	}
	if len(sum.Violations) > 0 {
		fmt.Fprintln(stdout)
		report.PrintViolations(stdout, sum.Violations)
		code = exitThresholds
	}
	for _, g := range sum.Generators {
		if g.ExitCode != 0 && g.ExitCode != exitThresholds {
			code = exitFailed
		}
	}
	for _, p := range sum.ShardProblems {
		if strings.Contains(p, "wrote no run record") {
			code = exitFailed
		}
	}
	return code
}

// writeRunRecord writes this shard's run record beside its JTL, last, so
// that a waiting report knows the JTL is complete.
func writeRunRecord(o *options, plan string, st *report.Stats, startAt time.Time, test *engine.Test, h engine.Health, code int) error {
	if o.shards <= 1 || o.results == "" {
		return nil
	}
	gen := os.Getenv("GOMETER_GENERATOR")
	if gen == "" {
		gen, _ = os.Hostname()
	}
	t := st.Total()
	var snap *report.StatsSnapshot
	if st.Options().Mode == report.Exact {
		sn := st.Snapshot()
		snap = &sn
	}
	return report.WriteRunRecord(report.RunRecord{Stats: snap,
		Generator: gen, Shard: o.shard + 1, Shards: o.shards, Plan: filepath.Base(plan),
		StartAt: startAt, Started: test.StartedAt(), Ended: time.Now(), LateMs: test.LateStart().Milliseconds(),
		ExitCode: code, Saturated: h.Saturated, Health: h.Reasons,
		Samples: t.Samples, Errors: t.Errors, JTL: o.results,
	})
}

// allRunRecords reports whether every results file is a shard's run record
// (<jtl>.run.json): the report is then made from their statistics alone.
func allRunRecords(files []string) bool {
	for _, f := range files {
		if !strings.HasSuffix(f, ".run.json") {
			return false
		}
	}
	return len(files) > 0
}
