package prometheus

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/backendtest"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
)

// The plugin element's collectors, read from a plan, count the samples of
// the golden run as their definitions say.
func TestPluginCollectors(t *testing.T) {
	plan, err := jmx.ParseFile("../../testdata/backend/prometheus-listener.jmx")
	if err != nil {
		t.Fatal(err)
	}
	var el *jmx.Element
	for _, c := range plan.TestPlan().Children {
		if c.Tag == PluginClass {
			el = c
		}
	}
	if el == nil {
		t.Fatal("no PrometheusListener in the plan")
	}
	cols := PluginCollectors(el)
	if len(cols) != 6 || cols[1].Type != "SUMMARY" || strings.Join(cols[1].Labels, ",") != "label,code" {
		t.Fatalf("collectors %+v", cols)
	}
	props := map[string]string{"prometheus.port": "0"}
	run := output.Run{Property: func(n string) string { return props[n] }}
	p, err := NewPlugin(cols, run)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(run); err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	samples, err := backendtest.ReadJTL("../../testdata/backend/jmeter.jtl")
	if err != nil {
		t.Fatal(err)
	}
	ok, assertFail := 0, 0
	for _, s := range samples {
		p.Add(s)
		if s.Success {
			ok++
		}
		assertFail += len(s.Assertions)
	}
	resp, err := http.Get("http://" + p.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(b)
	for _, want := range []string{
		`count_total{label="Home",thread_group="Users"} 6`,
		`failure_total{code="500"} 6`,
		`failure_total{code="404"} 6`,
		`rt_as_hist_bucket{label="Home",le="100"} 6`,
		`rt_as_hist_count{label="Fail 500"} 6`,
		`rt_as_summary_count{code="200",label="Home"} 6`,
		`rt_as_summary{code="200",label="Home",quantile="0.99"}`,
		`ratio_total 36`,
		`ratio_success ` + strconv.Itoa(ok),
		`assertions_total{label="null"} ` + strconv.Itoa(assertFail),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("exposition lacks %s", want)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}

// A definition the plugin would reject is an error at start.
func TestPluginRejectsBadDefinitions(t *testing.T) {
	for _, c := range []Collector{
		{Name: "x", Type: "COUNTER", Measuring: "ResponseTime"},
		{Name: "y", Type: "HISTOGRAM", Measuring: "CountTotal"},
		{Name: "z", Type: "NOPE"},
		{Name: "bad name", Type: "COUNTER", Measuring: "CountTotal"},
		{Name: "h", Type: "HISTOGRAM", Measuring: "ResponseTime", Buckets: "5,1"},
		{Name: "h2", Type: "HISTOGRAM", Measuring: "ResponseTime", Labels: []string{"le"}},
		{Name: "s", Type: "SUMMARY", Measuring: "ResponseTime", Buckets: "1.5,0.1"},
	} {
		if _, err := NewPlugin([]Collector{c}, output.Run{}); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}
