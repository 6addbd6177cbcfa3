package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// StatsSnapshot is the exact content of a Stats, small enough to travel
// with a shard's run record: per label the counts, sums, extremes and the
// distribution of elapsed times as (value, count) pairs. Snapshots merge
// exactly (the statistics of merged snapshots equal those of the
// concatenated samples), so a very large distributed run can be reported
// without shipping its JTLs.
type StatsSnapshot struct {
	Rows  []AccSnapshot `json:"rows"` // in first-seen order
	Total AccSnapshot   `json:"total"`
}

// AccSnapshot is one label's (or Total's) accumulated samples.
type AccSnapshot struct {
	Label      string     `json:"label"`
	Controller bool       `json:"controller,omitempty"`
	N          int64      `json:"n"`
	Errors     int64      `json:"errors"`
	Bytes      int64      `json:"bytes"`
	Sent       int64      `json:"sent"`
	Sum        int64      `json:"sum"`
	Min        int64      `json:"min"`
	Max        int64      `json:"max"`
	First      int64      `json:"first"`
	Last       int64      `json:"last"`
	Dist       [][2]int64 `json:"dist"` // (elapsed ms, count), ascending
}

// Snapshot returns the exact content of s.
func (s *Stats) Snapshot() StatsSnapshot {
	sn := StatsSnapshot{Total: s.total.snapshot()}
	for _, l := range s.order {
		sn.Rows = append(sn.Rows, s.rows[l].snapshot())
	}
	return sn
}

func (a *acc) snapshot() AccSnapshot {
	sn := AccSnapshot{Label: a.label, Controller: a.controller, N: a.n, Errors: a.errors, Bytes: a.bytes, Sent: a.sent,
		Sum: a.sum, Min: a.min, Max: a.max, First: a.first, Last: a.last}
	for _, vc := range a.dist.sorted() {
		sn.Dist = append(sn.Dist, [2]int64{vc.Value, vc.Count})
	}
	return sn
}

// ErrInexactMerge is returned when snapshots are merged into statistics in
// JMeter's percentile mode, whose windowed figures cannot be merged.
var ErrInexactMerge = errors.New("report: statistics in JMeter's percentile mode (a 20,000-sample window) cannot be merged from summaries; use the JTLs")

// Merge adds a snapshot's samples to s, exactly.
func (s *Stats) Merge(sn StatsSnapshot) error {
	if s.opts.Mode == JMeter {
		return ErrInexactMerge
	}
	for _, r := range sn.Rows {
		a := s.rows[r.Label]
		if a == nil {
			a = newAcc(r.Label, s.opts)
			a.controller = r.Controller
			s.rows[r.Label] = a
			s.order = append(s.order, r.Label)
		}
		if err := a.merge(r); err != nil {
			return fmt.Errorf("label %q: %w", r.Label, err)
		}
	}
	return s.total.merge(sn.Total)
}

func (a *acc) merge(sn AccSnapshot) error {
	var n int64
	for _, vc := range sn.Dist {
		if vc[1] < 0 {
			return fmt.Errorf("negative count %d", vc[1])
		}
		n += vc[1]
	}
	if n != sn.N {
		return fmt.Errorf("distribution holds %d samples, the row says %d", n, sn.N)
	}
	if sn.N == 0 {
		return nil
	}
	a.n += sn.N
	a.errors += sn.Errors
	a.bytes += sn.Bytes
	a.sent += sn.Sent
	a.sum += sn.Sum
	a.mean = float64(a.sum) / float64(a.n)
	a.min, a.max = min(a.min, sn.Min), max(a.max, sn.Max)
	a.first, a.last = min(a.first, sn.First), max(a.last, sn.Last)
	for _, vc := range sn.Dist {
		a.dist.addN(vc[0], vc[1])
	}
	return nil
}

// addN counts value v k times.
func (c *counts) addN(v, k int64) {
	for ; k > 0 && c.n < fewLimit; k-- {
		c.add(v) // a label with few samples keeps its plain list
	}
	if k == 0 {
		return
	}
	if c.few != nil {
		few := c.few
		c.few = nil
		for _, w := range few {
			c.countN(w, 1)
		}
	}
	c.n += k
	c.countN(v, k)
}

// GenerateFromSummaries writes statistics.json and index.html from the
// shards' run records (their statistics snapshots), without their JTLs:
// the statistics table, totals and verdict are exact; over-time charts,
// APDEX and the error tables need the rows and are left out (the page says
// so).
func GenerateFromSummaries(records []string, outDir string, opts GenerateOptions) (*Summary, error) {
	ro, err := ReportOptionsFromProps(opts.Props)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if err := PrepareOutputDir(outDir, opts.Force); err != nil {
		return nil, err
	}
	c := NewCollector(ro)
	var recs []RunRecord
	names := make([]string, 0, len(records))
	for _, p := range records {
		r, err := ReadRunRecord(p)
		if err != nil {
			return nil, err
		}
		if r.Stats == nil {
			return nil, fmt.Errorf("report: %s holds no statistics (written by an older gometer?): use the JTLs", p)
		}
		if err := c.stats.Merge(*r.Stats); err != nil {
			return nil, fmt.Errorf("report: %s: %w", p, err)
		}
		c.rows += r.Stats.Total.N
		if r.Stats.Total.N > 0 {
			c.begin, c.end = min(c.begin, r.Stats.Total.First), max(c.end, r.Stats.Total.Last)
		}
		recs = append(recs, r)
		names = append(names, filepath.Base(p))
	}
	probs := shardProblems(recs, opts.Shards)
	verdict, violations := mergedVerdict(opts, c.stats, recs, probs)
	sum, err := c.write(outDir, WriteOptions{Force: opts.Force, Title: opts.Title, Sources: names, Verdict: verdict,
		Generators: recs, ShardProblems: probs,
		Note: "Made from the shards' run records (exact statistics, no rows): over-time charts, APDEX and the error tables need the JTLs."})
	if err != nil {
		return nil, err
	}
	sum.Violations = violations
	return sum, nil
}

// ReadRunRecord reads one run record file.
func ReadRunRecord(path string) (RunRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return RunRecord{}, fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 256<<20))
	if err != nil {
		return RunRecord{}, fmt.Errorf("report: %s: %w", path, err)
	}
	return parseRunRecord(path, b)
}
