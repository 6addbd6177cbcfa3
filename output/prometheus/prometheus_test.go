package prometheus

import (
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/backendtest"
	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/output"
)

func start(t *testing.T, run output.Run) *Output {
	t.Helper()
	o, err := New("127.0.0.1:0", run)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Start(run); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Stop() })
	return o.(*Output)
}

func threads() (map[string]int, int) { return map[string]int{"Users": 3, "Admins": 1}, 4 }

// A real Prometheus scrapes the endpoint; PromQL returns the counts the
// JTL holds, per label, with the generator label on every series.
func TestRealPrometheusScrapes(t *testing.T) {
	samples, err := backendtest.ReadJTL("../../testdata/backend/jmeter.jtl")
	if err != nil {
		t.Fatal(err)
	}
	o := start(t, output.Run{Generator: "gen-1", Threads: threads})
	for _, s := range samples {
		o.Add(s)
	}
	rows, failed := len(samples), 0
	perLabel := map[string]int{}
	for _, s := range samples {
		perLabel[s.Label]++
		if !s.Success {
			failed++
		}
	}
	p := realserver.StartPrometheus(t, o.Addr())
	one := func(want float64) func([]realserver.Sample) bool {
		return func(r []realserver.Sample) bool { return len(r) == 1 && r[0].Value == want }
	}
	p.WaitFor(t, `sum(gometer_samples_total{generator="gen-1"})`, 60*time.Second, one(float64(rows)))
	p.WaitFor(t, `sum(gometer_errors_total)`, 10*time.Second, one(float64(failed)))
	p.WaitFor(t, `sum(gometer_response_time_seconds_count)`, 10*time.Second, one(float64(rows)))
	byLabel := p.Query(t, `sum by (label) (gometer_samples_total)`)
	if len(byLabel) != len(perLabel) {
		t.Fatalf("labels %v, JTL has %v", byLabel, perLabel)
	}
	for _, s := range byLabel {
		if float64(perLabel[s.Metric["label"]]) != s.Value {
			t.Errorf("label %q: %v samples, JTL %d", s.Metric["label"], s.Value, perLabel[s.Metric["label"]])
		}
	}
	p.WaitFor(t, `gometer_active_users{thread_group="Users",generator="gen-1"}`, 10*time.Second, one(3))
	if r := p.Query(t, `count(gometer_samples_total{generator=""})`); len(r) != 0 {
		t.Errorf("series without generator label: %v", r)
	}
}

// The exposition carries classic buckets and, to a client asking for the
// protobuf format, native buckets.
func TestExposition(t *testing.T) {
	samples, err := backendtest.ReadJTL("../../testdata/backend/jmeter.jtl")
	if err != nil {
		t.Fatal(err)
	}
	o := start(t, output.Run{Threads: threads})
	for _, s := range samples {
		o.Add(s)
	}
	resp, err := http.Get("http://" + o.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(b)
	for _, want := range []string{
		`gometer_samples_total{code="200",generator="local",label="Home",success="true"} 6`,
		`gometer_errors_total{code="500",generator="local",label="Fail 500"} 6`,
		`gometer_response_time_seconds_bucket{generator="local",label="Home",success="true",le="0.025"} 6`,
		`gometer_active_users{generator="local",thread_group="Admins"} 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("exposition lacks %s", want)
		}
	}
	req, _ := http.NewRequest("GET", "http://"+o.Addr()+"/metrics", nil)
	req.Header.Set("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	dec := expfmt.NewDecoder(resp.Body, expfmt.ResponseFormat(resp.Header))
	native := 0
	for {
		var mf dto.MetricFamily
		if err := dec.Decode(&mf); err != nil {
			break
		}
		if mf.GetName() != "gometer_response_time_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			h := m.GetHistogram()
			if len(h.GetPositiveSpan()) > 0 || h.GetZeroCount() > 0 {
				native++
			}
			if len(h.GetBucket()) != len(Buckets) {
				t.Errorf("%d classic buckets, want %d", len(h.GetBucket()), len(Buckets))
			}
		}
	}
	if native == 0 {
		t.Fatal("no native histogram buckets in the protobuf exposition")
	}
}
