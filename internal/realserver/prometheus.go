package realserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Prometheus is a running Prometheus server.
type Prometheus struct {
	URL string
}

// StartPrometheus starts Debian's prometheus scraping target (host:port,
// path /metrics) every second, storing in a temporary directory.
func StartPrometheus(t testing.TB, target string) *Prometheus {
	t.Helper()
	bin := need(t, "Prometheus", "prometheus", "prometheus")
	dir := t.TempDir()
	port := FreePort(t)
	conf := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: gometer
    static_configs:
      - targets: [%q]
`, target)
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	start(t, dir, "prometheus", exec.Command(bin, "--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address=127.0.0.1:"+strconv.Itoa(port)))
	p := &Prometheus{URL: fmt.Sprintf("http://127.0.0.1:%d", port)}
	waitUntil(t, "prometheus", filepath.Join(dir, "prometheus.log"), 60*time.Second, func() bool {
		resp, err := http.Get(p.URL + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return p
}

// Sample is one element of an instant vector.
type Sample struct {
	Metric map[string]string
	Value  float64
}

// Query evaluates a PromQL instant query.
func (p *Prometheus) Query(t testing.TB, q string) []Sample {
	t.Helper()
	resp, err := http.Get(p.URL + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("query %q: %v", q, err)
	}
	if r.Status != "success" {
		t.Fatalf("query %q: %s", q, r.Error)
	}
	var out []Sample
	for _, s := range r.Data.Result {
		v, _ := strconv.ParseFloat(fmt.Sprint(s.Value[1]), 64)
		out = append(out, Sample{s.Metric, v})
	}
	return out
}

// WaitFor polls q until ok accepts its result or timeout passes (Prometheus
// scrapes on its own schedule).
func (p *Prometheus) WaitFor(t testing.TB, q string, timeout time.Duration, ok func([]Sample) bool) []Sample {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		r := p.Query(t, q)
		if ok(r) {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("query %q: %v after %v", q, r, timeout)
		}
		time.Sleep(200 * time.Millisecond) // polling the server's scrapes, not synchronising test steps
	}
}
