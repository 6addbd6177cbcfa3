package grafana

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/backendtest"
	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/influxdb"
	"github.com/gometer/gometer/output/prometheus"
)

type dashboard struct {
	UID           string  `json:"uid"`
	Title         string  `json:"title"`
	SchemaVersion int     `json:"schemaVersion"`
	Panels        []panel `json:"panels"`
	Templating    struct {
		List []struct {
			Name  string `json:"name"`
			Type  string `json:"type"`
			Query any    `json:"query"`
		} `json:"list"`
	} `json:"templating"`
	Annotations struct {
		List []struct {
			Query string `json:"query"`
		} `json:"list"`
	} `json:"annotations"`
}

type panel struct {
	ID      int              `json:"id"`
	Title   string           `json:"title"`
	Type    string           `json:"type"`
	GridPos map[string]int   `json:"gridPos"`
	Targets []map[string]any `json:"targets"`
}

var variable = regexp.MustCompile(`\$[A-Za-z_{]`)

func load(t *testing.T, name string) *dashboard {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: not valid JSON: %v", name, err)
	}
	if d.UID == "" || d.Title == "" || d.SchemaVersion < 30 || len(d.Panels) == 0 {
		t.Fatalf("%s: uid %q title %q schemaVersion %d, %d panels", name, d.UID, d.Title, d.SchemaVersion, len(d.Panels))
	}
	ids := map[int]bool{}
	for _, p := range d.Panels {
		if ids[p.ID] || p.Title == "" || p.Type == "" || len(p.Targets) == 0 || p.GridPos["w"] == 0 || p.GridPos["h"] == 0 {
			t.Errorf("%s: panel %d %q (%s): needs a unique id, a title, a type, a size and targets", name, p.ID, p.Title, p.Type)
		}
		ids[p.ID] = true
	}
	return &d
}

// queries returns every query of the dashboard under key (panel targets,
// variables, annotations), with the dashboard variables replaced by values
// that select everything.
func queries(d *dashboard, key string, vars map[string]string) []string {
	var out []string
	expand := func(q string) string {
		// longest names first: $send_intervals before $send_interval
		for _, k := range []string{"$send_intervals", "$send_interval", "$measurement_name", "$application", "$transaction",
			"$percentile", "$timeFilter", "$__interval", "$__rate_interval", "$__range", "$generator", "$label"} {
			if v, ok := vars[k]; ok {
				q = strings.ReplaceAll(q, k, v)
			}
		}
		return q
	}
	for _, p := range d.Panels {
		for _, t := range p.Targets {
			if q, ok := t[key].(string); ok {
				out = append(out, expand(q))
			}
		}
	}
	for _, v := range d.Templating.List {
		if q, ok := v.Query.(string); ok && v.Type == "query" {
			out = append(out, expand(q))
		}
	}
	for _, a := range d.Annotations.List {
		if a.Query != "" {
			out = append(out, expand(a.Query))
		}
	}
	return out
}

// Every InfluxQL query of the InfluxDB dashboard, run against a real
// InfluxDB holding what gometer's listener wrote for the golden run's
// samples, returns data: each measurement, field and tag it names exists.
func TestInfluxDBDashboardQueriesData(t *testing.T) {
	d := load(t, "gometer-influxdb.json")
	db := realserver.StartInfluxDB(t)
	db.CreateDatabase(t, "jmeter")
	samples, err := backendtest.ReadJTL("../../testdata/backend/jmeter.jtl")
	if err != nil {
		t.Fatal(err)
	}
	o, err := influxdb.New(map[string]string{"influxdbUrl": db.URL + "/write?db=jmeter", "application": "shop",
		"percentiles": "90;95;99", "testTitle": "Dashboard check"}, output.Run{})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Start(output.Run{}); err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		o.Add(s)
	}
	if err := o.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, pct := range []string{"95.0", "90.0", "99.0"} {
		vars := map[string]string{"$send_intervals": "5s", "$send_interval": "5", "$measurement_name": "jmeter",
			"$application": ".*", "$transaction": ".*", "$percentile": pct, "$timeFilter": "time > now() - 1h AND time < now() + 1h", "$__interval": "5s"}
		for _, q := range queries(d, "query", vars) {
			if variable.MatchString(q) {
				t.Errorf("query keeps an unknown variable: %s", q)
				continue
			}
			if !strings.HasPrefix(q, "SHOW") {
				q = strings.Replace(q, "fill(null)", "fill(none)", 1)
			}
			if s := db.Query(t, "jmeter", q); len(s) == 0 || len(s[0].Values) == 0 {
				t.Errorf("no data for %s", q)
			}
		}
	}
}

var metricName = regexp.MustCompile(`gometer_[a-z_]+`)

// Every PromQL expression of the Prometheus dashboard, evaluated by a real
// Prometheus scraping gometer's endpoint, returns data.
func TestPrometheusDashboardQueriesData(t *testing.T) {
	d := load(t, "gometer-prometheus.json")
	samples, err := backendtest.ReadJTL("../../testdata/backend/jmeter.jtl")
	if err != nil {
		t.Fatal(err)
	}
	run := output.Run{Generator: "g1", Threads: func() (map[string]int, int) { return map[string]int{"Users": 2}, 2 }}
	out, err := prometheus.New("127.0.0.1:0", run)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Start(run); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { out.Stop() })
	o := out.(*prometheus.Output)
	p := realserver.StartPrometheus(t, o.Addr())
	// Rates need two scrapes with growing counters: add half, wait for a
	// scrape of it, then the rest.
	for _, s := range samples[:len(samples)/2] {
		o.Add(s)
	}
	p.WaitFor(t, "sum(gometer_samples_total)", 60*time.Second, func(r []realserver.Sample) bool { return len(r) == 1 })
	for _, s := range samples[len(samples)/2:] {
		o.Add(s)
	}
	p.WaitFor(t, "sum(gometer_samples_total)", 30*time.Second, func(r []realserver.Sample) bool {
		return len(r) == 1 && r[0].Value == float64(len(samples))
	})
	vars := map[string]string{"$__rate_interval": "1m", "$__range": "5m", "$generator": ".*", "$label": ".*"}
	for _, q := range queries(d, "expr", vars) {
		if variable.MatchString(q) {
			t.Errorf("expression keeps an unknown variable: %s", q)
			continue
		}
		if strings.HasPrefix(q, "label_values(") {
			// a Grafana variable function: the metric it reads must exist
			q = metricName.FindString(q)
		}
		if r := p.Query(t, q); len(r) == 0 {
			t.Errorf("no data for %s", q)
		}
	}
}
