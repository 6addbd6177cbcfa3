package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"
)

// RunRecord is what one load generator (a shard) says about its own run,
// written beside its JTL as <jtl>.run.json. A merged report lists the
// generators from these records and flags a shard that failed, started
// late or was saturated; `report --wait-for-shards N` waits for N of them.
type RunRecord struct {
	Generator string    `json:"generator"` // host or pod name
	Shard     int       `json:"shard"`     // 1-based, as --shard i/N
	Shards    int       `json:"shards"`
	Plan      string    `json:"plan"`
	StartAt   time.Time `json:"startAt,omitzero"` // the common start asked for
	Started   time.Time `json:"started"`
	Ended     time.Time `json:"ended"`
	// LateMs is how much later than StartAt this shard started, beyond the
	// tolerance; 0 when on time.
	LateMs    int64    `json:"lateMs"`
	ExitCode  int      `json:"exitCode"`
	Saturated bool     `json:"saturated"`
	Health    []string `json:"health,omitempty"` // reasons, when saturated
	Samples   int64    `json:"samples"`
	Errors    int64    `json:"errors"`
	JTL       string   `json:"jtl"`
	// Stats are the shard's exact statistics: `gometer report` merges the
	// records of all shards without their JTLs (see GenerateFromSummaries).
	Stats *StatsSnapshot `json:"stats,omitempty"`
}

// RunRecordPath is where the record of a JTL is written.
func RunRecordPath(jtl string) string { return jtl + ".run.json" }

// WriteRunRecord writes r beside its JTL.
func WriteRunRecord(r RunRecord) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(RunRecordPath(r.JTL), func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// ReadRunRecords reads the records beside the given JTLs; a JTL without one
// (an unsharded run, or JMeter's) is skipped.
func ReadRunRecords(jtls []string) ([]RunRecord, error) {
	var out []RunRecord
	for _, j := range jtls {
		b, err := os.ReadFile(RunRecordPath(j))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		r, err := parseRunRecord(RunRecordPath(j), b)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Problem says what is wrong with this generator's run, "" when nothing.
func (r RunRecord) Problem() string {
	switch {
	case r.ExitCode != 0 && r.ExitCode != 3:
		return fmt.Sprintf("exited with code %d", r.ExitCode)
	case r.LateMs > 0:
		return fmt.Sprintf("started %s late", time.Duration(r.LateMs)*time.Millisecond)
	case r.Saturated:
		return "generator saturated"
	}
	return ""
}

// shardProblems lists the generators' problems and the shards that never
// reported (of want; 0: unknown).
func shardProblems(recs []RunRecord, want int) []string {
	var out []string
	seen := map[int]bool{}
	for _, r := range recs {
		seen[r.Shard] = true
		if p := r.Problem(); p != "" {
			out = append(out, fmt.Sprintf("shard %d/%d (%s) %s", r.Shard, r.Shards, r.Generator, p))
		}
		if want == 0 {
			want = r.Shards
		}
	}
	for i := 1; i <= want && len(recs) > 0; i++ {
		if !seen[i] {
			out = append(out, fmt.Sprintf("shard %d/%d wrote no run record (it did not finish)", i, want))
		}
	}
	return out
}

func parseRunRecord(path string, b []byte) (RunRecord, error) {
	var r RunRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("report: %s is not a gometer run record: %w", path, err)
	}
	if r.Shards < 1 || r.Shard < 1 || r.Shard > r.Shards {
		return r, fmt.Errorf("report: %s: shard %d of %d is not a shard", path, r.Shard, r.Shards)
	}
	return r, nil
}

// mergedVerdict is the verdict of a (possibly merged) run: the thresholds'
// on the statistics (unless the caller set one), then what the shards' run
// records say — a failed or missing shard fails it, a late or saturated
// one is named.
func mergedVerdict(opts GenerateOptions, st *Stats, recs []RunRecord, probs []string) (*Verdict, []Violation) {
	verdict := opts.Verdict
	var violations []Violation
	if len(opts.Thresholds) > 0 {
		violations = EvaluateThresholds(opts.Thresholds, st)
		if verdict == nil {
			verdict = ThresholdVerdict(violations)
		}
	}
	if len(probs) > 0 {
		v := Verdict{OK: false, Text: "FAIL — " + strings.Join(probs, "; ")}
		if verdict != nil {
			v.OK = verdict.OK && !shardsIncomplete(recs, probs)
			v.Text = verdict.Text + " — shards: " + strings.Join(probs, "; ")
		}
		verdict = &v
	}
	return verdict, violations
}
