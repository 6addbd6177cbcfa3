package monitor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// promMon scrapes a service's own metrics endpoint (Prometheus text
// format): what only the service knows, such as how long requests waited
// for a pooled database connection. Counters become rates per second over
// the interval, gauges their value, histograms and summaries the mean of
// the observations made during the interval and their rate.
type promMon struct {
	url    string
	client *http.Client
	source string
	last   time.Time
	prev   map[string]float64
}

// promMaxBody bounds one scrape; promMaxSeries the readings kept from it.
const (
	promMaxBody   = 16 << 20
	promMaxSeries = 1000
)

func openPrometheus(ctx context.Context, sp Spec) (Monitor, error) {
	u, err := url.Parse(sp.Target)
	if err != nil {
		return nil, fmt.Errorf("metrics monitor: %v", redactErr(err))
	}
	p := &promMon{url: sp.Target, client: &http.Client{Timeout: readTimeout}, source: "metrics " + u.Host + u.Path}
	// the first scrape checks that the endpoint answers in the format
	if _, err := p.scrape(ctx); err != nil {
		return nil, fmt.Errorf("metrics monitor %s: %w", redact(sp.Target), err)
	}
	return p, nil
}

func (p *promMon) Source() string { return p.source }
func (p *promMon) Close() error   { p.client.CloseIdleConnections(); return nil }

func (p *promMon) scrape(ctx context.Context) (map[string]*dto.MetricFamily, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return nil, redactErr(err)
	}
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, redactErr(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	body := &countingReader{r: io.LimitReader(resp.Body, promMaxBody+1)}
	fams, err := parser.TextToMetricFamilies(body)
	if body.n > promMaxBody {
		return nil, fmt.Errorf("the endpoint sent more than %d MiB", promMaxBody>>20)
	}
	if err != nil {
		return nil, fmt.Errorf("not Prometheus text: %w", err)
	}
	return fams, nil
}

// countingReader counts what was read, to tell a body over the limit from
// one that ends there.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// promSkip are families every Go or client library exports about itself,
// left out so that the service's own figures stand out (process_* stays:
// the service's CPU and memory).
func promSkip(name string) bool {
	return (strings.HasPrefix(name, "go_") && !strings.HasPrefix(name, "go_sql_")) || strings.HasPrefix(name, "promhttp_")
}

func (p *promMon) Sample(ctx context.Context, now time.Time) ([]Point, error) {
	fams, err := p.scrape(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(fams))
	for n := range fams {
		if !promSkip(n) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	secs := 0.0
	if !p.last.IsZero() {
		secs = now.Sub(p.last).Seconds()
	}
	cur := map[string]float64{}
	var pts []Point
	add := func(name string, v float64, label string) {
		if len(pts) < promMaxSeries {
			pts = append(pts, Point{Time: now, Source: "metrics", Name: name, Value: v, Label: label})
		}
	}
	// delta of a cumulative value since the previous scrape; false on the
	// first scrape or after a restart of the service (the value fell)
	delta := func(key string, v float64) (float64, bool) {
		cur[key] = v
		o, ok := p.prev[key]
		if !ok || secs <= 0 || v < o {
			return 0, false
		}
		return v - o, true
	}
	for _, n := range names {
		f := fams[n]
		for _, m := range f.GetMetric() {
			label := promLabels(m)
			key := n + "{" + label + "}"
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				if d, ok := delta(key, m.GetCounter().GetValue()); ok {
					add("prom."+n+"_per_s", d/secs, label)
				}
			case dto.MetricType_GAUGE:
				add("prom."+n, m.GetGauge().GetValue(), label)
			case dto.MetricType_UNTYPED:
				add("prom."+n, m.GetUntyped().GetValue(), label)
			case dto.MetricType_HISTOGRAM, dto.MetricType_SUMMARY:
				var sum, count float64
				if h := m.GetHistogram(); h != nil {
					sum, count = h.GetSampleSum(), float64(h.GetSampleCount())
				} else {
					sum, count = m.GetSummary().GetSampleSum(), float64(m.GetSummary().GetSampleCount())
				}
				ds, ok1 := delta(key+"sum", sum)
				dc, ok2 := delta(key+"count", count)
				if ok1 && ok2 {
					add("prom."+n+"_count_per_s", dc/secs, label)
					if dc > 0 {
						add("prom."+n+"_mean", ds/dc, label)
					}
				}
			}
		}
	}
	p.prev, p.last = cur, now
	return pts, nil
}

// promLabels is a series' labels as "name=value,…", sorted.
func promLabels(m *dto.Metric) string {
	ls := m.GetLabel()
	if len(ls) == 0 {
		return ""
	}
	parts := make([]string, 0, len(ls))
	for _, l := range ls {
		parts = append(parts, l.GetName()+"="+l.GetValue())
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}
