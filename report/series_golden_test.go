package report

import (
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gometer/gometer/functions"
)

type goldenGraph struct {
	Granularity int64 `json:"granularity"`
	Series      []struct {
		Label string   `json:"label"`
		Data  [][2]any `json:"data"` // numbers, or "NaN" where JMeter had no value
	} `json:"series"`
}

// collectGolden feeds a golden JTL to a collector made from the case's
// properties; fixedGranularity sets JMeter's fixed 60 s buckets, which the
// over-time graphs compare against.
func collectGolden(t *testing.T, c goldenCase, fixedGranularity bool) *Collector {
	t.Helper()
	p := functions.NewProperties()
	if c.props != "" {
		loadProps(t, p, c.props)
	}
	if fixedGranularity {
		p.Set("gometer.report.fixed_granularity", "true")
	}
	ro, err := ReportOptionsFromProps(p)
	if err != nil {
		t.Fatal(err)
	}
	col := NewCollector(ro)
	rd, err := OpenJTL(goldenJTL(t, c.jtl), ReadOptions{Props: p, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	for {
		x, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		col.AddSample(x)
	}
	return col
}

// The over-time graphs against JMeter 5.6.3's graph data (same 60 s buckets).
func TestGoldenGraphs(t *testing.T) {
	for _, c := range goldenCases {
		path := filepath.Join(goldenDir(), c.name+".graphs.json")
		b, err := os.ReadFile(path)
		if err != nil {
			continue // not every case keeps its graphs
		}
		t.Run(c.name, func(t *testing.T) {
			var want map[string]goldenGraph
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			col := collectGolden(t, c, true)
			charts := col.series.Charts(col.stats)
			// our id → JMeter's id, and series name mapping
			pairs := []struct {
				ours, theirs string
				rename       map[string]string
				tol          float64 // relative; 0 = 1e-9
			}{
				{"hitsPerSecond", "hitsPerSecond", map[string]string{"Hits": "hitsPerSecond"}, 0},
				{"codesPerSecond", "codesPerSecond", nil, 0},
				{"transactionsPerSecond", "transactionsPerSecond", nil, 0},
				{"totalTPS", "totalTPS", nil, 0},
				{"bytesThroughputOverTime", "bytesThroughputOverTime", nil, 0},
				{"responseTimesOverTime", "responseTimesOverTime", nil, 0},
				{"latenciesOverTime", "latenciesOverTime", nil, 0},
				{"connectTimeOverTime", "connectTimeOverTime", nil, 0},
				{"activeThreadsOverTime", "activeThreadsOverTime", nil, 0},
				{"responseTimeDistribution", "responseTimeDistribution", nil, 0},
				{"responseTimePercentilesOverTime", "responseTimePercentilesOverTime", nil, 0.01},
				{"timeVsThreads", "timeVsThreads", nil, 0},
				{"responseTimeVsRequest", "responseTimeVsRequest", nil, 0.01},
				{"latencyVsRequest", "latenciesVsRequest", nil, 0.01},
			}
			for _, p := range pairs {
				ours := chartByID(charts, p.ours)
				theirs, ok := want[p.theirs]
				if !ok {
					t.Errorf("JMeter has no %s", p.theirs)
					continue
				}
				if ours.X == "time" && ours.Granularity != theirs.Granularity {
					t.Errorf("%s granularity %d, JMeter %d", p.ours, ours.Granularity, theirs.Granularity)
				}
				mine := map[string]map[float64]float64{}
				for _, s := range ours.Series {
					name := s.Name
					if r, ok := p.rename[name]; ok {
						name = r
					}
					m := map[float64]float64{}
					for _, pt := range s.Points {
						m[pt[0]] = pt[1]
					}
					mine[name] = m
				}
				seen := map[string]bool{}
				for _, s := range theirs.Series {
					seen[s.Label] = true
					if p.ours == "timeVsThreads" && strings.HasSuffix(s.Label, "-Aggregated") {
						continue // JMeter's one-point "<label>-Aggregated" series is not drawn by gometer
					}
					m, ok := mine[s.Label]
					if !ok {
						// JMeter keeps a series for an empty transaction controller's
						// label although it counts nothing there; gometer draws none.
						if !allZero(s.Data) {
							t.Errorf("%s: JMeter series %q missing", p.ours, s.Label)
						}
						continue
					}
					for _, raw := range s.Data {
						pt, num := numPair(raw)
						if !num {
							continue
						}
						got, ok := m[pt[0]]
						tol := p.tol
						if tol == 0 {
							tol = 1e-9
						}
						if !ok || math.Abs(got-pt[1]) > tol*math.Max(1, math.Abs(pt[1]))+boolf(p.tol > 0) {
							t.Errorf("%s/%s at %v: ours %v (present %v), JMeter %v", p.ours, s.Label, pt[0], got, ok, pt[1])
						}
					}
					// points JMeter does not draw must be zero on our side
					have := map[float64]bool{}
					for _, raw := range s.Data {
						if pt, num := numPair(raw); num {
							have[pt[0]] = true
						}
					}
					for x, y := range m {
						if !have[x] && y != 0 {
							t.Errorf("%s/%s: extra point %v=%v", p.ours, s.Label, x, y)
						}
					}
				}
				for name, m := range mine {
					if !seen[name] && len(m) > 0 {
						t.Errorf("%s: series %q not in JMeter's graph", p.ours, name)
					}
				}
			}
		})
	}
}

func allZero(data [][2]any) bool {
	for _, raw := range data {
		if pt, ok := numPair(raw); ok && pt[1] != 0 {
			return false
		}
	}
	return true
}

func numPair(p [2]any) ([2]float64, bool) {
	x, ok1 := p[0].(float64)
	y, ok2 := p[1].(float64)
	return [2]float64{x, y}, ok1 && ok2
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// The percentile curve and the synthetic distribution against JMeter's.
func TestGoldenDistributionGraphs(t *testing.T) {
	for _, c := range goldenCases {
		b, err := os.ReadFile(filepath.Join(goldenDir(), c.name+".graphs.json"))
		if err != nil {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			var want map[string]goldenGraph
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			col := collectGolden(t, c, true)
			charts := col.series.Charts(col.stats)
			syn := chartByID(charts, "syntheticResponseTimeDistribution").Series[0].Points
			for _, s := range want["syntheticResponseTimeDistribution"].Series {
				for _, raw := range s.Data {
					pt, _ := numPair(raw)
					if syn[int(pt[0])][1] != pt[1] {
						t.Errorf("synthetic %q: ours %v, JMeter %v", s.Label, syn[int(pt[0])][1], pt[1])
					}
				}
			}
			curves := map[string][][2]float64{}
			for _, s := range chartByID(charts, "responseTimePercentiles").Series {
				curves[s.Name] = s.Points
			}
			bad := 0
			for _, s := range want["responseTimePercentiles"].Series {
				ours, ok := curves[s.Label]
				if !ok {
					if !allZero(s.Data) {
						t.Errorf("percentile curve %q missing", s.Label)
					}
					continue
				}
				byX := map[float64]float64{}
				for _, p := range ours {
					byX[math.Round(p[0]*10)/10] = p[1]
				}
				for _, raw := range s.Data {
					pt, ok := numPair(raw)
					if !ok {
						continue
					}
					if got := byX[math.Round(pt[0]*10)/10]; got != pt[1] {
						if bad < 10 {
							t.Errorf("percentile curve %q at %v%%: ours %v, JMeter %v", s.Label, pt[0], got, pt[1])
						}
						bad++
					}
				}
			}
		})
	}
}
