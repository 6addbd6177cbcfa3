package prometheus

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// PluginClass is the testclass of the JMeter Prometheus plugin's listener
// (github.com/johrstrom/jmeter-prometheus-plugin).
const PluginClass = "com.github.johrstrom.listener.PrometheusListener"

// Collector is one metric a PrometheusListener element defines.
type Collector struct {
	Name, Help string
	Type       string   // COUNTER, HISTOGRAM, SUMMARY, SUCCESS_RATIO (GAUGE: defined, never updated, as in the plugin)
	Labels     []string // label, code, thread_group, a sample_variables name; others read "null"
	Buckets    string   // collector.quantiles_or_buckets
	ListenTo   string   // samples or assertions
	Measuring  string   // ResponseTime, ResponseSize, Latency, IdleTime, ConnectTime, CountTotal, SuccessTotal, FailureTotal, SuccessRatio
}

// PluginCollectors reads a PrometheusListener element's collector
// definitions.
func PluginCollectors(el *jmx.Element) []Collector {
	var out []Collector
	for _, item := range el.Collection("prometheus.collector_definitions") {
		e := item.Elem
		if e == nil {
			continue
		}
		c := Collector{
			Name: e.Str("collector.metric_name"), Help: e.StrOr("collector.help", "default help string"),
			Type: e.StrOr("collector.type", "COUNTER"), Buckets: e.Str("collector.quantiles_or_buckets"),
			ListenTo: e.StrOr("listener.collector.listen_to", "samples"), Measuring: e.StrOr("listener.collector.measuring", "ResponseTime"),
		}
		for _, l := range e.Collection("collector.labels") {
			if l.Value != "" {
				c.Labels = append(c.Labels, l.Value)
			}
		}
		out = append(out, c)
	}
	return out
}

var (
	metricNameRE = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelNameRE  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// updater feeds one collector from samples.
type updater struct {
	c       Collector
	vars    map[string]int // label name → index in sample.Result.Vars
	counter *prometheus.CounterVec
	succ    *prometheus.CounterVec // SUCCESS_RATIO
	fail    *prometheus.CounterVec
	total   *prometheus.CounterVec
	obs     prometheus.ObserverVec
}

// Plugin is the PrometheusListener element: its own collectors on
// prometheus.ip:prometheus.port (default 127.0.0.1:9270) at / and /metrics.
type Plugin struct {
	addr     string
	reg      *prometheus.Registry
	updaters []*updater
	run      output.Run
	srv      *http.Server
	ln       net.Listener
}

// NewPlugin builds the listener's collectors; a definition the plugin
// would reject (bad name, unknown type or measure) is an error here.
func NewPlugin(collectors []Collector, run output.Run) (*Plugin, error) {
	ip := strings.TrimSpace(run.Prop("prometheus.ip"))
	if ip == "" {
		ip = "127.0.0.1"
	}
	port := strings.TrimSpace(run.Prop("prometheus.port"))
	if port == "" {
		port = "9270"
	}
	p := &Plugin{addr: net.JoinHostPort(ip, port), reg: prometheus.NewRegistry(), run: run}
	var varNames []string
	if sv := run.Prop("sample_variables"); sv != "" {
		varNames = strings.Split(sv, ",")
	}
	for _, c := range collectors {
		u, err := newUpdater(c, varNames, p.reg)
		if err != nil {
			return nil, fmt.Errorf("PrometheusListener collector %q: %w", c.Name, err)
		}
		if u != nil {
			p.updaters = append(p.updaters, u)
		}
	}
	return p, nil
}

func register[T prometheus.Collector](reg *prometheus.Registry, c T) (T, error) {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(T); ok {
				return existing, nil
			}
		}
		return c, err
	}
	return c, nil
}

func newUpdater(c Collector, varNames []string, reg *prometheus.Registry) (*updater, error) {
	// The plugin's Java client accepts only the classic metric and label
	// names (client_golang would also take UTF-8 ones).
	if !metricNameRE.MatchString(c.Name) {
		return nil, fmt.Errorf("invalid metric name %q", c.Name)
	}
	for _, l := range c.Labels {
		if !labelNameRE.MatchString(l) {
			return nil, fmt.Errorf("invalid label name %q", l)
		}
	}
	u := &updater{c: c, vars: map[string]int{}}
	for _, l := range c.Labels {
		for i, v := range varNames {
			if strings.EqualFold(v, l) {
				u.vars[l] = i
			}
		}
	}
	var err error
	switch c.Type {
	case "COUNTER":
		switch c.Measuring {
		case "CountTotal", "SuccessTotal", "FailureTotal":
		default:
			return nil, fmt.Errorf("a COUNTER cannot measure %s", c.Measuring)
		}
		u.counter, err = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Name: c.Name, Help: c.Help}, c.Labels))
	case "SUCCESS_RATIO":
		mk := func(suffix string) (*prometheus.CounterVec, error) {
			return register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Name: c.Name + "_" + suffix, Help: c.Help}, c.Labels))
		}
		if u.succ, err = mk("success"); err == nil {
			if u.fail, err = mk("failure"); err == nil {
				u.total, err = mk("total")
			}
		}
	case "HISTOGRAM":
		var buckets []float64
		for _, b := range strings.Split(c.Buckets, ",") {
			if v, perr := strconv.ParseFloat(strings.TrimSpace(b), 64); perr == nil {
				buckets = append(buckets, v)
			}
		}
		if len(buckets) == 0 {
			buckets = []float64{100, 500, 1000, 3000}
		}
		for i := 1; i < len(buckets); i++ {
			if !(buckets[i] > buckets[i-1]) {
				return nil, fmt.Errorf("histogram buckets %q are not in increasing order", c.Buckets)
			}
		}
		if slices.Contains(c.Labels, "le") {
			return nil, fmt.Errorf(`a histogram cannot have a label named "le"`)
		}
		var h *prometheus.HistogramVec
		h, err = register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: c.Name, Help: c.Help, Buckets: buckets}, c.Labels))
		u.obs = h
	case "SUMMARY":
		objectives, window := parseQuantiles(c.Buckets)
		for q := range objectives {
			if !(q >= 0 && q <= 1) {
				return nil, fmt.Errorf("summary quantile %v is not between 0 and 1", q)
			}
		}
		if slices.Contains(c.Labels, "quantile") {
			return nil, fmt.Errorf(`a summary cannot have a label named "quantile"`)
		}
		var s *prometheus.SummaryVec
		s, err = register(reg, prometheus.NewSummaryVec(prometheus.SummaryOpts{Name: c.Name, Help: c.Help,
			Objectives: objectives, MaxAge: window}, c.Labels))
		u.obs = s
	case "GAUGE":
		_, err = register(reg, prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: c.Name, Help: c.Help}, c.Labels))
		return nil, err // the plugin's listener never sets gauges
	default:
		return nil, fmt.Errorf("unknown collector type %q", c.Type)
	}
	if err != nil {
		return nil, err
	}
	if u.obs != nil {
		switch c.Measuring {
		case "ResponseTime", "ResponseSize", "Latency", "IdleTime", "ConnectTime":
		default:
			return nil, fmt.Errorf("a %s cannot measure %s", c.Type, c.Measuring)
		}
	}
	return u, nil
}

// parseQuantiles reads "0.75,0.5|0.95,0.1|0.99,0.01;60": quantile,error
// pairs and an optional window in seconds (defaults as the plugin's).
func parseQuantiles(s string) (map[float64]float64, time.Duration) {
	window := 60 * time.Second
	defs, w, hasWindow := strings.Cut(s, ";")
	if hasWindow {
		if n, err := strconv.ParseInt(strings.TrimSpace(w), 10, 64); err == nil {
			window = time.Duration(n) * time.Second
		}
	}
	obj := map[float64]float64{}
	for _, d := range strings.Split(defs, "|") {
		q, e, ok := strings.Cut(d, ",")
		qv, err1 := strconv.ParseFloat(strings.TrimSpace(q), 64)
		ev, err2 := strconv.ParseFloat(strings.TrimSpace(e), 64)
		if ok && err1 == nil && err2 == nil {
			obj[qv] = ev
		}
	}
	if len(obj) == 0 {
		obj = map[float64]float64{0.75: 0.5, 0.95: 0.1, 0.99: 0.01}
	}
	return obj, window
}

// threadGroup is the thread group part of a JMeter thread name
// ("Users 1-3" → "Users").
func threadGroup(thread string) string {
	if i := strings.LastIndexByte(thread, ' '); i > 0 {
		return thread[:i]
	}
	return thread
}

func (u *updater) labelValues(r *sample.Result, a *sample.AssertionResult) []string {
	vals := make([]string, len(u.c.Labels))
	for i, l := range u.c.Labels {
		var v string
		switch {
		case strings.EqualFold(l, "label"):
			if a != nil {
				v = a.Name
			} else {
				v = r.Label
			}
		case strings.EqualFold(l, "code") && a == nil:
			v = r.ResponseCode
		case strings.EqualFold(l, "thread_group") && a == nil:
			v = threadGroup(r.ThreadName)
		default:
			if idx, ok := u.vars[l]; ok && idx < len(r.Vars) {
				v = r.Vars[idx]
			}
		}
		if v == "" {
			v = "null"
		}
		vals[i] = v
	}
	return vals
}

func (u *updater) update(r *sample.Result) {
	if u.obs != nil {
		var m time.Duration
		switch u.c.Measuring {
		case "ResponseTime":
			m = r.Elapsed
		case "Latency":
			m = r.Latency
		case "IdleTime":
			m = r.Idle
		case "ConnectTime":
			m = r.Connect
		case "ResponseSize":
			u.obs.WithLabelValues(u.labelValues(r, nil)...).Observe(float64(len(r.Body)))
			return
		}
		u.obs.WithLabelValues(u.labelValues(r, nil)...).Observe(float64(m.Milliseconds()))
		return
	}
	if strings.EqualFold(u.c.ListenTo, "assertions") {
		for i := range r.Assertions {
			a := &r.Assertions[i]
			u.inc(u.labelValues(r, a), !a.Failure)
		}
		return
	}
	u.inc(u.labelValues(r, nil), r.Success)
}

func (u *updater) inc(labels []string, ok bool) {
	if u.succ != nil {
		if ok {
			u.succ.WithLabelValues(labels...).Inc()
		} else {
			u.fail.WithLabelValues(labels...).Inc()
		}
		u.total.WithLabelValues(labels...).Inc()
		return
	}
	switch u.c.Measuring {
	case "CountTotal":
		u.counter.WithLabelValues(labels...).Inc()
	case "SuccessTotal":
		if ok {
			u.counter.WithLabelValues(labels...).Inc()
		}
	case "FailureTotal":
		if !ok {
			u.counter.WithLabelValues(labels...).Inc()
		}
	}
}

// Start serves the collectors.
func (p *Plugin) Start(run output.Run) error {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		return fmt.Errorf("PrometheusListener: %w", err)
	}
	p.ln = ln
	h := promhttp.HandlerFor(p.reg, promhttp.HandlerOpts{})
	mux := http.NewServeMux()
	mux.Handle("/", h)
	p.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := p.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && run.Log != nil {
			run.Log("error", "PrometheusListener: "+err.Error())
		}
	}()
	return nil
}

// Addr is where the collectors are served (after Start).
func (p *Plugin) Addr() string { return p.ln.Addr().String() }

// Add updates every collector.
func (p *Plugin) Add(r *sample.Result) {
	for _, u := range p.updaters {
		u.update(r)
	}
}

// Stop waits prometheus.delay seconds (the plugin's property, so a last
// scrape sees the end) and closes the endpoint.
func (p *Plugin) Stop() error {
	if p.srv == nil {
		return nil
	}
	if d, err := strconv.Atoi(strings.TrimSpace(p.run.Prop("prometheus.delay"))); err == nil && d > 0 {
		time.Sleep(time.Duration(d) * time.Second) // the plan asked the endpoint to outlive the run
	}
	return p.srv.Close()
}

// PluginNeeds is what the collectors read beyond the summary fields: the
// response bodies when one measures ResponseSize (the body's length, as the
// plugin's getBodySizeAsLong).
func PluginNeeds(cols []Collector) output.Needs {
	for _, c := range cols {
		if c.Measuring == "ResponseSize" && (c.Type == "HISTOGRAM" || c.Type == "SUMMARY") {
			return output.Needs{ResponseBodies: true}
		}
	}
	return output.Needs{}
}
