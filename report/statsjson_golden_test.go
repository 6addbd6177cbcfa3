package report

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"html"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gometer/gometer/functions"
)

// Golden files in testdata/golden were produced by Apache JMeter 5.6.3's
// `jmeter -g` (see testdata/golden/README.md). Floats must agree to a
// relative 1e-9: the figures are computed the same way, only Java's and
// Go's shortest-digit printing may differ in the last place.
const goldenTol = 1e-9

type goldenCase struct {
	name, jtl, props string
}

var goldenCases = []goldenCase{
	{"basic", "basic.jtl", ""},
	{"onlyfail", "onlyfail.jtl", ""},
	{"mixed", "mixed.jtl", ""},
	{"mixed-props", "mixed.jtl", "props.properties"},
	{"window", "window.jtl.gz", ""},
	{"long", "long.jtl", ""},
}

func goldenDir() string { return filepath.Join("testdata", "golden") }

// goldenJTL returns a readable path for the case's JTL (gunzipped to a temp dir when needed).
func goldenJTL(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(goldenDir(), name)
	if !strings.HasSuffix(name, ".gz") {
		return p
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), strings.TrimSuffix(name, ".gz"))
	w, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, zr); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return out
}

// loadProps reads a simple key=value properties file (no continuations).
func loadProps(t *testing.T, p *functions.Properties, name string) {
	t.Helper()
	f, err := os.Open(filepath.Join(goldenDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		p.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
}

func runGolden(t *testing.T, c goldenCase, mode PercentileMode) (string, *functions.Properties) {
	t.Helper()
	p := functions.NewProperties()
	if c.props != "" {
		loadProps(t, p, c.props)
	}
	p.Set("gometer.report.percentiles", mode.String())
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Generate([]string{goldenJTL(t, c.jtl)}, out, GenerateOptions{Props: p}); err != nil {
		t.Fatal(err)
	}
	return out, p
}

func sameNum(a, b any) bool {
	fa, oka := a.(float64)
	fb, okb := b.(float64)
	if !oka || !okb {
		return a == b // strings ("Infinity", labels)
	}
	if fa == fb {
		return true
	}
	return math.Abs(fa-fb) <= goldenTol*math.Max(1, math.Max(math.Abs(fa), math.Abs(fb)))
}

var pctFields = []string{"medianResTime", "pct1ResTime", "pct2ResTime", "pct3ResTime"}

func TestGoldenStatisticsJSON(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			want := readStatsJSON(t, filepath.Join(goldenDir(), c.name+".statistics.json"))
			outJ, _ := runGolden(t, c, JMeter)
			gotJ := readStatsJSON(t, filepath.Join(outJ, "statistics.json"))
			outE, _ := runGolden(t, c, Exact)
			gotE := readStatsJSON(t, filepath.Join(outE, "statistics.json"))
			if !slices.Equal(sortedStrings(want), sortedStrings(gotJ)) {
				t.Fatalf("labels: got %v want %v", sortedStrings(gotJ), sortedStrings(want))
			}
			// The field order of each object is JMeter's.
			raw, _ := os.ReadFile(filepath.Join(outJ, "statistics.json"))
			wantRaw, _ := os.ReadFile(filepath.Join(goldenDir(), c.name+".statistics.json"))
			if fieldOrder(string(raw)) != fieldOrder(string(wantRaw)) {
				t.Errorf("field order differs:\n%s\n%s", fieldOrder(string(raw)), fieldOrder(string(wantRaw)))
			}
			windowed := 0
			for label, w := range want {
				for k, wv := range w {
					if !sameNum(gotJ[label][k], wv) {
						t.Errorf("jmeter mode %q.%s = %v, JMeter %v", label, k, gotJ[label][k], wv)
					}
					isPct := slices.Contains(pctFields, k)
					if !isPct && !sameNum(gotE[label][k], wv) {
						t.Errorf("exact mode %q.%s = %v, JMeter %v", label, k, gotE[label][k], wv)
					}
				}
				n := w["sampleCount"].(float64)
				for _, k := range pctFields {
					if n <= DefaultWindow && !sameNum(gotE[label][k], w[k]) {
						t.Errorf("exact mode %q.%s = %v, JMeter %v (no sample left the window)", label, k, gotE[label][k], w[k])
					}
				}
				if n > DefaultWindow {
					windowed++
					// the early samples were slower: exact percentiles are higher
					if gotE[label]["pct1ResTime"].(float64) <= w["pct1ResTime"].(float64) {
						t.Errorf("exact mode %q p90 %v should exceed JMeter's windowed %v", label, gotE[label]["pct1ResTime"], w["pct1ResTime"])
					}
				}
			}
			if c.name == "window" && windowed != 2 { // GET /big and Total
				t.Errorf("window case: %d rows over the window", windowed)
			}
		})
	}
}

func fieldOrder(s string) string {
	var keys []string
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "    \"") {
			k, _, _ := strings.Cut(strings.TrimSpace(line), " : ")
			keys = append(keys, k)
			if len(keys) == 14 {
				break
			}
		}
	}
	return strings.Join(keys, ",")
}

type dashTable struct {
	Overall *struct {
		Data []any `json:"data"`
	} `json:"overall"`
	Items []struct {
		Data         []any `json:"data"`
		IsController bool  `json:"isController"`
	} `json:"items"`
}

type dashboard struct {
	Requests struct{ OkPercent, KoPercent float64 } `json:"requestsSummary"`
	Apdex    dashTable                              `json:"apdexSummary"`
	Errors   dashTable                              `json:"errorsSummary"`
	Top5     dashTable                              `json:"top5ErrorsBySampler"`
}

// APDEX, the Errors table and Top 5 errors against what JMeter's dashboard shows.
func TestGoldenDashboardTables(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(goldenDir(), c.name+".dashboard.json"))
			if err != nil {
				t.Fatal(err)
			}
			var d dashboard
			if err := json.Unmarshal(b, &d); err != nil {
				t.Fatal(err)
			}
			col := collectGolden(t, c, false)

			// APDEX
			ov := col.apdex.Overall()
			if !sameNum(ov.Apdex, d.Apdex.Overall.Data[0]) {
				t.Errorf("apdex Total %v, JMeter %v", ov.Apdex, d.Apdex.Overall.Data[0])
			}
			ours := map[string]ApdexRow{}
			for _, r := range col.apdex.Rows() {
				ours[r.Label] = r
			}
			if len(ours) != len(d.Apdex.Items) {
				t.Errorf("apdex rows %d, JMeter %d", len(ours), len(d.Apdex.Items))
			}
			for _, it := range d.Apdex.Items {
				l := it.Data[3].(string)
				r := ours[l]
				if !sameNum(r.Apdex, it.Data[0]) || float64(r.Satisfied) != it.Data[1].(float64) || float64(r.Tolerated) != it.Data[2].(float64) || r.IsController != it.IsController {
					t.Errorf("apdex %q: ours %+v, JMeter %v ctrl=%v", l, r, it.Data, it.IsController)
				}
			}

			// Requests summary (pie) = Total error %.
			tot := col.stats.Total()
			if !sameNum(tot.ErrorPct, d.Requests.KoPercent) {
				t.Errorf("KoPercent %v, JMeter %v", tot.ErrorPct, d.Requests.KoPercent)
			}

			// Errors table.
			errs := map[string]ErrorRow{}
			for _, r := range col.errors.Table() {
				errs[r.Type] = r
			}
			if len(errs) != len(d.Errors.Items) {
				t.Errorf("error types %d, JMeter %d", len(errs), len(d.Errors.Items))
			}
			for _, it := range d.Errors.Items {
				typ := html.UnescapeString(it.Data[0].(string))
				r, ok := errs[typ]
				if !ok || float64(r.Count) != it.Data[1].(float64) || !sameNum(r.PctOfErrors, it.Data[2]) || !sameNum(r.PctOfAll, it.Data[3]) {
					t.Errorf("error type %q: ours %+v, JMeter %v", typ, r, it.Data)
				}
			}

			// Top 5 by sampler.
			top := map[string]Top5Row{}
			for _, r := range col.errors.Top5() {
				top[r.Label] = r
			}
			checkTop5 := func(r Top5Row, data []any) {
				if float64(r.Samples) != data[1].(float64) || float64(r.Errors) != data[2].(float64) {
					t.Errorf("top5 %q: ours %d/%d, JMeter %v/%v", r.Label, r.Samples, r.Errors, data[1], data[2])
				}
				// counts must match slot by slot; names too except among ties (JMeter's order is a HashMap's)
				counts := map[float64]int{}
				for i := 4; i < len(data); i += 2 {
					if n, ok := data[i].(float64); ok {
						counts[n]++
					}
				}
				for i := 0; i < 5; i++ {
					var jn any = ""
					if 4+2*i < len(data) {
						jn = data[4+2*i]
					}
					if i >= len(r.Top) {
						if jn != "" {
							t.Errorf("top5 %q slot %d: ours empty, JMeter %v", r.Label, i, jn)
						}
						continue
					}
					if float64(r.Top[i].Count) != jn {
						t.Errorf("top5 %q slot %d count: ours %d, JMeter %v", r.Label, i, r.Top[i].Count, jn)
						continue
					}
					if counts[jn.(float64)] == 1 && html.UnescapeString(data[3+2*i].(string)) != r.Top[i].Type {
						t.Errorf("top5 %q slot %d: ours %q, JMeter %q", r.Label, i, r.Top[i].Type, data[3+2*i])
					}
				}
			}
			nonEmpty := 0
			for _, it := range d.Top5.Items {
				if len(it.Data) == 0 {
					continue
				}
				nonEmpty++
				l := it.Data[0].(string)
				r, ok := top[l]
				if !ok {
					t.Errorf("top5: JMeter lists %q, we do not", l)
					continue
				}
				checkTop5(r, it.Data)
			}
			if nonEmpty != len(top) {
				t.Errorf("top5 rows: ours %d, JMeter %d", len(top), nonEmpty)
			}
			checkTop5(col.errors.Top5Total(), d.Top5.Overall.Data)
		})
	}
}
