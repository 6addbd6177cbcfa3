package monitor

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// A service's own metrics endpoint, served by the Prometheus client
// library: counters are read as rates over the interval, gauges as values,
// a histogram as the mean of what it observed in the interval; Go's
// runtime families are left out.
func TestPrometheusMonitorReadsAServiceEndpoint(t *testing.T) {
	reg := prometheus.NewRegistry()
	waited := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "app_pool_wait_seconds_total", Help: "h"}, []string{"pool"})
	inUse := prometheus.NewGauge(prometheus.GaugeOpts{Name: "app_pool_in_use", Help: "h"})
	lat := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "app_query_seconds", Help: "h"})
	reg.MustRegister(waited, inUse, lat, prometheus.NewGoCollector())
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer srv.Close()

	sp, err := ParseSpec(srv.URL + "/metrics?interval=2s")
	if err != nil || sp.Kind != "prometheus" || sp.Interval != 2*time.Second || sp.Target != srv.URL+"/metrics" {
		t.Fatalf("%+v %v", sp, err)
	}
	m, err := Open(t.Context(), sp)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	t0 := time.Now()
	waited.WithLabelValues("db").Add(3)
	lat.Observe(0.5)
	if _, err := m.Sample(t.Context(), t0); err != nil {
		t.Fatal(err)
	}
	waited.WithLabelValues("db").Add(4)
	inUse.Set(3)
	lat.Observe(0.1)
	lat.Observe(0.3)
	pts, err := m.Sample(t.Context(), t0.Add(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, label string
		want        float64
	}{
		{"prom.app_pool_wait_seconds_total_per_s", "pool=db", 2}, // 4 s waited in 2 s
		{"prom.app_pool_in_use", "", 3},
		{"prom.app_query_seconds_mean", "", 0.2},
		{"prom.app_query_seconds_count_per_s", "", 1},
	} {
		v, ok := find(pts, c.name, c.label)
		if !ok || math.Abs(v-c.want) > 1e-9 {
			t.Errorf("%s{%s} = %v (%v), want %v", c.name, c.label, v, ok, c.want)
		}
	}
	for _, p := range pts {
		if len(p.Name) > 8 && p.Name[:8] == "prom.go_" {
			t.Errorf("runtime family kept: %s", p.Name)
		}
	}
	// an endpoint that sends more than a scrape may hold: a failed
	// reading, not unbounded memory
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		line := []byte("# TYPE big gauge\n")
		w.Write(line)
		pad := strings.Repeat("x", 1000)
		for i := range promMaxBody/1000 + 100 {
			if _, err := fmt.Fprintf(w, "big{i=\"%d\",l=\"%s\"} 1\n", i, pad); err != nil {
				return
			}
		}
	}))
	defer huge.Close()
	hm := &promMon{url: huge.URL, client: &http.Client{Timeout: readTimeout}}
	if _, err := hm.Sample(t.Context(), time.Now()); err == nil || !strings.Contains(err.Error(), "more than 16 MiB") {
		t.Errorf("a scrape over the size limit: %v", err)
	}
	// an endpoint that does not speak the format is refused at start
	bad := httptest.NewServer(nil)
	defer bad.Close()
	if _, err := Open(t.Context(), Spec{Kind: "prometheus", Target: bad.URL + "/nothing", Interval: time.Second}); err == nil {
		t.Error("a 404 endpoint: want an error")
	}
}
