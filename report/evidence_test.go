package report

import (
	"math"
	"strings"
	"testing"
)

// The ranking puts the signal that moved with the response time first,
// says from what to what, leaves out one that did not move with it, and
// totals each statement's time over the run.
func TestEvidenceRanksWhatMovedWithTheResponseTime(t *testing.T) {
	const g = 1000
	pct := map[int64]float64{}
	var lines []MonitorLine
	for i := int64(0); i < 12; i++ {
		b := 1_700_000_000_000 + i*g
		p95 := 10 + float64(i*i) // latency climbs
		pct[b] = p95
		lines = append(lines,
			MonitorLine{T: b + 100, Source: "postgres", Name: "pg.stmt.mean_ms", V: 4 + 2*float64(i*i), Label: "UPDATE accounts SET balance = $1"},
			MonitorLine{T: b + 100, Source: "postgres", Name: "pg.stmt.total_ms", V: 40 + 20*float64(i*i), Label: "UPDATE accounts SET balance = $1"},
			MonitorLine{T: b + 100, Source: "postgres", Name: "pg.stmt.calls", V: 10, Label: "UPDATE accounts SET balance = $1"},
			MonitorLine{T: b + 100, Source: "postgres", Name: "pg.stmt.total_ms", V: 5, Label: "SELECT 1"},
			MonitorLine{T: b + 100, Source: "postgres", Name: "pg.stmt.calls", V: 50, Label: "SELECT 1"},
			MonitorLine{T: b + 200, Source: "redis", Name: "redis.hit_rate_pct", V: 99 - 3*float64(i), Label: ""},
			MonitorLine{T: b + 300, Source: "host", Name: "host.load1", V: 1 + math.Sin(float64(i)*2.4), Label: ""}, // noise
		)
	}
	ev := evidence(lines, pct, g, "95th pct")
	if ev == nil || len(ev.Movers) < 2 {
		t.Fatalf("movers: %+v", ev)
	}
	first := ev.Movers[0]
	if !strings.HasPrefix(first.Signal, "pg.stmt.") || first.R < 0.99 {
		t.Errorf("first mover %+v: want the UPDATE's time (r≈1)", first)
	}
	var hit *Mover
	for i, m := range ev.Movers {
		if m.Signal == "host.load1" {
			t.Errorf("noise ranked as a mover: %+v", m)
		}
		if m.Signal == "redis.hit_rate_pct" {
			hit = &ev.Movers[i]
		}
	}
	if hit == nil || hit.R > -0.9 || hit.High >= hit.Low {
		t.Fatalf("the falling hit rate: %+v", hit)
	}
	s := hit.Sentence()
	if !strings.Contains(s, "95th pct rose") || !strings.Contains(s, "against redis.hit_rate_pct") {
		t.Errorf("sentence %q", s)
	}
	if len(ev.TopQueries) != 2 || ev.TopQueries[0].Query != "UPDATE accounts SET balance = $1" || ev.TopQueries[0].Calls != 120 {
		t.Errorf("top queries %+v", ev.TopQueries)
	}
	if m := ev.TopQueries[1]; m.Query != "SELECT 1" || m.MeanMs != 0.1 {
		t.Errorf("second query %+v", m)
	}
}

func TestEvidenceNeedsEnoughIntervals(t *testing.T) {
	pct := map[int64]float64{0: 1, 1000: 5}
	lines := []MonitorLine{{T: 0, Name: "x", V: 1}, {T: 1000, Name: "x", V: 5}}
	if ev := evidence(lines, pct, 1000, "p95"); ev == nil || len(ev.Movers) != 0 {
		t.Errorf("two intervals ranked a mover: %+v", ev)
	}
}
