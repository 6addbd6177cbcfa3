package report

import (
	"math"
	"strings"
	"testing"
)

// A run whose latency steps up after 6 of 12 intervals: the rise is found
// at the step, each classic fault is named from the signals that changed
// (a statement that got slower and reads like a scan, one run many times
// per request, a cache whose hit rate fell with evictions, a pool whose
// waits rose), and noise or load-independent signals are not ranked.
func TestEvidenceNamesWhatChangedWhenLatencyRose(t *testing.T) {
	const g = 1000
	const t0 = 1_700_000_000_000
	pct := map[int64]float64{}
	var lines []MonitorLine
	const scan = "SELECT count(*) FROM orders WHERE customer = $1"
	const items = "SELECT count(*) FROM order_items WHERE order_id = $1"
	for i := int64(0); i < 12; i++ {
		b := t0 + i*g
		after := i >= 6
		step := func(before, after_ float64) float64 {
			if after {
				return after_ + float64(i%2)
			}
			return before + float64(i%2)
		}
		pct[b] = step(20, 300)
		lines = append(lines,
			MonitorLine{T: b + 100, Source: "postgres", Name: "pg.stmt.mean_ms", V: step(3, 60), Label: scan},
			MonitorLine{T: b + 100, Source: "postgres", Name: "pg.stmt.total_ms", V: step(30, 600), Label: scan},
			MonitorLine{T: b + 100, Source: "postgres", Name: "pg.stmt.calls", V: 10, Label: scan},
			MonitorLine{T: b + 100, Source: "postgres", Name: "pg.stmt.blks_hit", V: 3000, Label: scan},
			MonitorLine{T: b + 100, Source: "postgres", Name: "pg.stmt.calls", V: 200, Label: items},
			MonitorLine{T: b + 100, Source: "postgres", Name: "pg.stmt.total_ms", V: 20, Label: items},
			MonitorLine{T: b + 100, Source: "postgres", Name: "pg.stmt.mean_ms", V: 0.1, Label: items},
			MonitorLine{T: b + 200, Source: "redis", Name: "redis.hit_rate_pct", V: step(97, 40)},
			MonitorLine{T: b + 200, Source: "redis", Name: "redis.evicted_keys", V: step(0, 50)},
			MonitorLine{T: b + 300, Source: "metrics", Name: "prom.shop_db_pool_wait_seconds_total_per_s", V: step(0, 2.5)},
			MonitorLine{T: b + 300, Source: "host", Name: "host.load1", V: 1 + math.Sin(float64(i)*2.4)}, // noise
			MonitorLine{T: b + 300, Source: "host", Name: "host.mem_used_bytes", V: 1e9},                 // flat
		)
	}
	// 40 samples a run interval: the items query runs 5 times per sample
	ev := evidence(lines, pct, g, "95th pct", 12*40)
	if ev == nil || ev.Rise == nil {
		t.Fatalf("no rise found: %+v", ev)
	}
	if ev.Rise.At != t0+6*g || ev.Rise.Before > 21 || ev.Rise.After < 300 {
		t.Errorf("rise %+v: want at the 7th interval, 20 → 300 ms", ev.Rise)
	}
	if s := ev.Rise.Sentence(); !strings.Contains(s, "95th pct rose from 20 ms to 300 ms") {
		t.Errorf("rise sentence %q", s)
	}
	ranked := map[string]Mover{}
	for _, m := range ev.Movers {
		ranked[m.Signal] = m
	}
	for _, noise := range []string{"host.load1", "host.mem_used_bytes", "pg.stmt.calls " + items} {
		if _, ok := ranked[noise]; ok {
			t.Errorf("%s ranked: %+v", noise, ranked[noise])
		}
	}
	if m, ok := ranked["redis.hit_rate_pct"]; !ok || m.Score > -minScore || m.Before < 97 || m.After > 41 {
		t.Errorf("the falling hit rate: %+v", m)
	}
	kinds := map[string]string{}
	for _, f := range ev.Findings {
		kinds[f.Kind] += f.Text + "\n"
	}
	for kind, want := range map[string][]string{
		"slow statement":  {scan, "3.5 ms a call before, 60.5 ms after", "reads 300 shared blocks a call", "index missing"},
		"N+1 query":       {items, "ran 5.0 times per sampled request", "2400 calls for 480 samples"},
		"cache":           {"hit rate fell from 98% to 40%", "evicted per reading rose from 0.500 to 50.5"},
		"connection pool": {"prom.shop_db_pool_wait_seconds_total_per_s rose from 0.500 to 3.0"},
	} {
		for _, w := range want {
			if !strings.Contains(kinds[kind], w) {
				t.Errorf("finding %q lacks %q: %q", kind, w, kinds[kind])
			}
		}
	}
	if len(ev.TopQueries) != 2 || ev.TopQueries[0].Query != scan || ev.TopQueries[1].PerSample != 5 {
		t.Errorf("top queries %+v", ev.TopQueries)
	}
}

// A flat response time has no rise, so nothing is ranked; what the run's
// totals show (an N+1 statement) is still named.
func TestEvidenceWithoutARise(t *testing.T) {
	pct := map[int64]float64{}
	var lines []MonitorLine
	for i := int64(0); i < 10; i++ {
		pct[i*1000] = 50 + float64(i%3)
		lines = append(lines, MonitorLine{T: i * 1000, Name: "pg.stmt.calls", V: 100, Label: "SELECT 1"},
			MonitorLine{T: i * 1000, Name: "redis.hit_rate_pct", V: float64(90 - i*5)})
	}
	ev := evidence(lines, pct, 1000, "p95", 100)
	if ev.Rise != nil || len(ev.Movers) != 0 {
		t.Errorf("flat latency: rise %+v movers %+v", ev.Rise, ev.Movers)
	}
	if len(ev.Findings) != 1 || ev.Findings[0].Kind != "N+1 query" {
		t.Errorf("findings %+v", ev.Findings)
	}
}

func TestEvidenceNeedsEnoughIntervals(t *testing.T) {
	pct := map[int64]float64{0: 1, 1000: 5}
	lines := []MonitorLine{{T: 0, Name: "x", V: 1}, {T: 1000, Name: "x", V: 5}}
	if ev := evidence(lines, pct, 1000, "p95", 2); ev == nil || len(ev.Movers) != 0 || ev.Rise != nil {
		t.Errorf("two intervals ranked a mover: %+v", ev)
	}
}
