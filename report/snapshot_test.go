package report

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
)

// Statistics merged from the snapshots of several parts equal those of all
// samples in one: every row, with the exact percentiles, through JSON.
func TestSnapshotsMergeExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	labels := []string{"login", "quote", "pay", "rare"}
	whole := NewStats(StatsOptions{})
	parts := []*Stats{NewStats(StatsOptions{}), NewStats(StatsOptions{}), NewStats(StatsOptions{})}
	for i := range 20000 {
		l := labels[rng.IntN(3)]
		if i%997 == 0 {
			l = "rare" // a label with few samples keeps its plain list
		}
		e := int64(rng.ExpFloat64() * 40)
		if i%500 == 0 {
			e = 200_000 + int64(i) // beyond the dense range
		}
		x := &Sample{Label: l, TimeStamp: 1_700_000_000_000 + int64(i)*3, Elapsed: e, Success: i%13 != 0, Bytes: int64(100 + i%50), SentBytes: 20}
		whole.Add(x)
		parts[rng.IntN(len(parts))].Add(x)
	}
	merged := NewStats(StatsOptions{})
	for _, p := range parts {
		b, err := json.Marshal(p.Snapshot())
		if err != nil {
			t.Fatal(err)
		}
		var sn StatsSnapshot
		if err := json.Unmarshal(b, &sn); err != nil {
			t.Fatal(err)
		}
		if err := merged.Merge(sn); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range labels {
		if got, want := merged.Row(l), whole.Row(l); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n merged %+v\n  whole %+v", l, got, want)
		}
	}
	if got, want := merged.Total(), whole.Total(); !reflect.DeepEqual(got, want) {
		t.Errorf("total:\n merged %+v\n  whole %+v", got, want)
	}
	if !reflect.DeepEqual(merged.Distribution("", true), whole.Distribution("", true)) {
		t.Error("total distributions differ")
	}
}

func TestSnapshotMergeRefusesWhatIsNotExact(t *testing.T) {
	jm := NewStats(StatsOptions{Mode: JMeter})
	if err := jm.Merge(StatsSnapshot{}); err != ErrInexactMerge {
		t.Errorf("JMeter mode merge: %v", err)
	}
	bad := StatsSnapshot{Rows: []AccSnapshot{{Label: "a", N: 3, Dist: [][2]int64{{5, 2}}}}}
	if err := NewStats(StatsOptions{}).Merge(bad); err == nil {
		t.Error("a row whose distribution does not add up was merged")
	}
}
