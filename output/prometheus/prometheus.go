// Package prometheus serves a run's live metrics on /metrics for Prometheus
// to scrape, with prometheus/client_golang: samples and errors by label,
// response code and success (counters), response time as a histogram with
// classic buckets and native (sparse) buckets, bytes received and sent, and
// active users by thread group. Every series carries a generator label (the
// run's host or shard) so that several generators' series sum correctly.
package prometheus

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// ListenProperty is the property that switches the endpoint on without the
// command-line flag (e.g. -Jgometer.prometheus.listen=:9270).
const ListenProperty = "gometer.prometheus.listen"

// MaxLabels bounds the distinct sample labels exported; samples of further
// labels are counted under OtherLabel, so a plan that puts ids in labels
// cannot grow the series set without end.
const (
	MaxLabels  = 2000
	OtherLabel = "__other__"
)

// Buckets are the classic response-time buckets, in seconds.
var Buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

type key struct {
	label, code string
	ok          bool
}

type series struct {
	samples prometheus.Counter
	errors  prometheus.Counter // nil for successful samples
	elapsed prometheus.Observer
	recv    prometheus.Counter
	sent    prometheus.Counter
}

// Output is the /metrics endpoint of one run.
type Output struct {
	addr string
	run  output.Run
	reg  *prometheus.Registry

	samples, errs, recv, sent *prometheus.CounterVec
	elapsed                   *prometheus.HistogramVec

	cache  sync.Map // key → *series
	mu     sync.Mutex
	labels map[string]bool

	ln  net.Listener
	srv *http.Server
}

// New prepares the endpoint on addr (":9270", "127.0.0.1:0"); Start listens.
func New(addr string, run output.Run) (output.Output, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("prometheus listen address %q: %w", addr, err)
	}
	return &Output{addr: addr, run: run}, nil
}

func (o *Output) register(run output.Run) {
	gen := run.Generator
	if gen == "" {
		gen = "local"
	}
	cl := prometheus.Labels{"generator": gen}
	o.reg = prometheus.NewRegistry()
	o.samples = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gometer_samples_total", ConstLabels: cl,
		Help: "Samples by label, response code and success."}, []string{"label", "code", "success"})
	o.errs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gometer_errors_total", ConstLabels: cl,
		Help: "Failed samples by label and response code."}, []string{"label", "code"})
	o.elapsed = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "gometer_response_time_seconds", ConstLabels: cl,
		Help:    "Sample response time (JMeter's elapsed) by label and success.",
		Buckets: Buckets, NativeHistogramBucketFactor: 1.1, NativeHistogramMaxBucketNumber: 160,
		NativeHistogramMinResetDuration: time.Hour}, []string{"label", "success"})
	o.recv = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gometer_received_bytes_total", ConstLabels: cl,
		Help: "Bytes received (headers and body) by label."}, []string{"label"})
	o.sent = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gometer_sent_bytes_total", ConstLabels: cl,
		Help: "Bytes sent by label."}, []string{"label"})
	o.reg.MustRegister(o.samples, o.errs, o.elapsed, o.recv, o.sent, &usersCollector{run: run, desc: prometheus.NewDesc(
		"gometer_active_users", "Active users (threads) by thread group.", []string{"thread_group"}, cl)})
}

// Start registers the metrics and serves /metrics.
func (o *Output) Start(run output.Run) error {
	o.run = run
	o.labels = map[string]bool{}
	o.register(run)
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("prometheus endpoint: %w", err)
	}
	o.ln = ln
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(o.reg, promhttp.HandlerOpts{EnableOpenMetrics: true}))
	o.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := o.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && run.Log != nil {
			run.Log("error", "prometheus endpoint: "+err.Error())
		}
	}()
	if run.Log != nil {
		run.Log("info", "Prometheus metrics on http://"+ln.Addr().String()+"/metrics")
	}
	return nil
}

// Addr is the address the endpoint listens on (after Start).
func (o *Output) Addr() string { return o.ln.Addr().String() }

// Add counts one sample (its sub-samples are part of it, as in the JTL's
// top-level rows).
func (o *Output) Add(r *sample.Result) {
	k := key{r.Label, r.ResponseCode, r.Success}
	v, ok := o.cache.Load(k)
	if !ok {
		v = o.newSeries(k)
	}
	s := v.(*series)
	n := 1
	if r.SampleCount > 1 {
		n = r.SampleCount
	}
	s.samples.Add(float64(n))
	if s.errors != nil {
		e := r.ErrorCount
		if e == 0 {
			e = 1
		}
		s.errors.Add(float64(e))
	}
	s.elapsed.Observe(r.Elapsed.Seconds())
	s.recv.Add(float64(r.Bytes))
	s.sent.Add(float64(r.SentBytes))
}

func (o *Output) newSeries(k key) any {
	label := k.label
	o.mu.Lock()
	if !o.labels[label] {
		if len(o.labels) >= MaxLabels {
			label = OtherLabel
		} else {
			o.labels[label] = true
		}
	}
	o.mu.Unlock()
	success := strconv.FormatBool(k.ok)
	s := &series{
		samples: o.samples.WithLabelValues(label, k.code, success),
		elapsed: o.elapsed.WithLabelValues(label, success),
		recv:    o.recv.WithLabelValues(label),
		sent:    o.sent.WithLabelValues(label),
	}
	if !k.ok {
		s.errors = o.errs.WithLabelValues(label, k.code)
	}
	v, _ := o.cache.LoadOrStore(k, s)
	return v
}

// Stop closes the endpoint (after the property gometer.prometheus.delay
// seconds, so a last scrape can see the final counts).
func (o *Output) Stop() error {
	if o.srv == nil {
		return nil
	}
	if d, err := strconv.Atoi(o.run.Prop("gometer.prometheus.delay")); err == nil && d > 0 {
		time.Sleep(time.Duration(d) * time.Second) // the user asked the endpoint to outlive the run
	}
	return o.srv.Close()
}

// usersCollector reads the active users when Prometheus scrapes.
type usersCollector struct {
	run  output.Run
	desc *prometheus.Desc
}

func (c *usersCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *usersCollector) Collect(ch chan<- prometheus.Metric) {
	if c.run.Threads == nil {
		return
	}
	groups, _ := c.run.Threads()
	for g, n := range groups {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), g)
	}
}
