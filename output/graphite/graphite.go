// Package graphite is JMeter's Graphite Backend Listener
// (org.apache.jmeter.visualizers.backend.graphite.GraphiteBackendListenerClient)
// with its plaintext sender: the same metric paths, values and order as
// JMeter 5.6.3, sent over TCP every backend_graphite.send_interval seconds.
package graphite

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/extractor/jregex"
	"github.com/gometer/gometer/internal/javafmt"
	"github.com/gometer/gometer/internal/javahash"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/backend"
	"github.com/gometer/gometer/sample"
)

// Class is the BackendListener classname this package implements.
const Class = "org.apache.jmeter.visualizers.backend.graphite.GraphiteBackendListenerClient"

// The sender classes of graphiteMetricsSender.
const (
	TextSenderClass   = "org.apache.jmeter.visualizers.backend.graphite.TextGraphiteMetricsSender"
	PickleSenderClass = "org.apache.jmeter.visualizers.backend.graphite.PickleGraphiteMetricsSender"
)

const cumulatedKey = "__cumulated__"

// MaxLabels bounds the samplers tracked one by one.
const MaxLabels = 10000

type pct struct {
	name  string // "ok.pct90"
	value float32
}

// Output is the Graphite backend listener.
type Output struct {
	addr        string
	prefix      string
	summaryOnly bool
	regex       *jregex.Regex   // useRegexpForSamplersList
	list        map[string]bool // otherwise
	okPct       []pct
	koPct       []pct
	allPct      []pct
	interval    time.Duration
	settings    backend.Settings
	run         output.Run
	clock       backend.Clock

	mu       sync.Mutex
	metrics  map[string]*backend.SamplerMetric
	order    *javahash.ConcurrentMap[string]
	users    *backend.UserMetric
	maxUsers int
	keys     []string
	delivery *backend.Delivery
	stopTick func()
}

// Sanitize is JMeter's metric-name cleaning: backslash and space become
// '-', dot becomes '_'.
func Sanitize(s string) string { return sanitizer.Replace(s) }

var sanitizer = strings.NewReplacer(`\`, "-", " ", "-", ".", "_")

// New builds the listener from the BackendListener's arguments.
func New(args map[string]string, run output.Run) (output.Output, error) {
	return newOutput(args, run, backend.RealClock{})
}

func newOutput(args map[string]string, run output.Run, clock backend.Clock) (*Output, error) {
	fail := func(format string, a ...any) (*Output, error) {
		return nil, fmt.Errorf("Graphite backend listener: "+format, a...)
	}
	switch s := strings.TrimSpace(backend.Arg(args, "graphiteMetricsSender", TextSenderClass)); s {
	case TextSenderClass, "":
	case PickleSenderClass:
		return fail("the pickle protocol (%s) is not supported; use %s", s, TextSenderClass)
	default:
		return fail("graphiteMetricsSender %q is not supported (want %s)", s, TextSenderClass)
	}
	port := 2003
	if v, ok := args["graphitePort"]; ok {
		if n, err := strconv.Atoi(v); err == nil {
			port = n
		}
	}
	host := backend.Arg(args, "graphiteHost", "")
	if strings.TrimSpace(host) == "" {
		return fail("graphiteHost is empty")
	}
	o := &Output{
		addr:        net.JoinHostPort(strings.TrimSpace(host), strconv.Itoa(port)),
		prefix:      backend.Arg(args, "rootMetricsPrefix", "jmeter."),
		summaryOnly: strings.EqualFold(backend.Arg(args, "summaryOnly", "true"), "true"),
		interval:    backend.DurationProp(run, "backend_graphite.send_interval", 1, time.Second),
		run:         run, clock: clock,
	}
	if o.interval <= 0 {
		return fail("property backend_graphite.send_interval must be at least 1 (seconds)")
	}
	list := backend.Arg(args, "samplersList", "")
	if strings.EqualFold(backend.Arg(args, "useRegexpForSamplersList", "false"), "true") {
		re, err := jregex.Compile(list)
		if err != nil {
			return fail("samplersList: %v", err)
		}
		o.regex = re
	} else {
		o.list = map[string]bool{}
		for _, s := range strings.Split(list, ";") {
			o.list[s] = true
		}
	}
	// JMeter's default for a missing percentiles argument is "jmeter.",
	// which is no number: no percentile metrics then.
	parts := strings.Split(backend.Arg(args, "percentiles", "jmeter."), ";")
	ok, ko, all := javahash.NewHashMap(len(parts), javahash.String), javahash.NewHashMap(len(parts), javahash.String), javahash.NewHashMap(len(parts), javahash.String)
	vals := map[string]float32{}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		v, err := strconv.ParseFloat(p, 32)
		if err != nil {
			continue
		}
		f := float32(v)
		key := Sanitize(backend.PercentileKey(f))
		for prefix, m := range map[string]*javahash.HashMap[string]{"ok.pct": ok, "ko.pct": ko, "a.pct": all} {
			m.Put(prefix + key)
			vals[prefix+key] = f
		}
	}
	collect := func(m *javahash.HashMap[string]) (ps []pct) {
		for _, k := range m.Keys(nil) {
			ps = append(ps, pct{k, vals[k]})
		}
		return ps
	}
	o.okPct, o.koPct, o.allPct = collect(ok), collect(ko), collect(all)
	var err error
	if o.settings, err = backend.ReadSettings(run); err != nil {
		return fail("%v", err)
	}
	return o, nil
}

// Start begins sending every interval (the first send one interval in).
func (o *Output) Start(run output.Run) error {
	o.run = run
	o.metrics = map[string]*backend.SamplerMetric{}
	o.order = javahash.NewConcurrentMap(javahash.String)
	o.users = o.settings.NewUserMetric()
	o.delivery = backend.NewDelivery(backend.DeliveryConfig{
		Name: "Graphite " + o.addr, Sender: &tcpSender{addr: o.addr}, Timeout: 2 * time.Second,
		Log: o.log, Clock: o.clock,
	})
	o.stopTick = backend.Every(o.clock, o.interval, false, o.flush)
	return nil
}

func (o *Output) log(level, msg string) {
	if o.run.Log != nil {
		o.run.Log(level, msg)
	}
}

// Add aggregates one sample.
func (o *Output) Add(r *sample.Result) {
	o.mu.Lock()
	o.users.Add(r.AllThreads)
	o.maxUsers = max(o.maxUsers, r.AllThreads)
	if !o.summaryOnly {
		var match bool
		if o.regex != nil {
			match = o.regex.Matches(r.Label)
		} else {
			match = o.list[r.Label]
		}
		if match {
			if m := o.metric(r.Label); m != nil {
				m.Add(r, false)
			}
		}
	}
	o.metric(cumulatedKey).Add(r, true)
	o.mu.Unlock()
}

func (o *Output) metric(label string) *backend.SamplerMetric {
	if m := o.metrics[label]; m != nil {
		return m
	}
	if len(o.metrics) > MaxLabels && label != cumulatedKey {
		return nil
	}
	m := o.settings.NewSamplerMetric()
	o.metrics[label] = m
	o.order.Put(label)
	return m
}

// Stop sends the last metrics, waiting at most 5 s.
func (o *Output) Stop() error {
	if o.stopTick == nil {
		return nil
	}
	o.stopTick()
	o.flush(o.clock.Now())
	st := o.delivery.Close(5 * time.Second)
	o.log("info", fmt.Sprintf("Graphite backend listener: %d sends, %d failed, %d dropped", st.Sent+st.Failed, st.Failed, st.Dropped))
	return nil
}

// Stats reports the sends so far.
func (o *Output) Stats() backend.Stats { return o.delivery.Stats() }

type lines struct {
	b      []byte
	prefix string
	ts     []byte
}

func (l *lines) add(context, name, value string) {
	l.b = append(l.b, l.prefix...)
	l.b = append(l.b, context...)
	l.b = append(l.b, '.')
	l.b = append(l.b, name...)
	l.b = append(l.b, ' ')
	l.b = append(l.b, value...)
	l.b = append(l.b, ' ')
	l.b = append(l.b, l.ts...)
	l.b = append(l.b, '\n')
}

func itoa(n int) string { return strconv.Itoa(n) }

func (o *Output) flush(now time.Time) {
	l := &lines{prefix: o.prefix, ts: strconv.AppendInt(nil, now.Unix(), 10)}
	o.mu.Lock()
	o.keys = o.order.Keys(o.keys[:0])
	for _, k := range o.keys {
		m := o.metrics[k]
		ctx := "all"
		if k != cumulatedKey {
			ctx = Sanitize(k)
		}
		o.samplerLines(l, ctx, m)
		m.Reset()
	}
	started, finished := backend.Lifetime(o.run, o.maxUsers)
	l.add("test", "minAT", itoa(o.users.Min()))
	l.add("test", "maxAT", itoa(o.users.Max()))
	l.add("test", "meanAT", itoa(o.users.Mean()))
	l.add("test", "startedT", itoa(started))
	l.add("test", "endedT", itoa(finished))
	o.mu.Unlock()
	o.delivery.Enqueue(l.b)
}

func (o *Output) samplerLines(l *lines, ctx string, m *backend.SamplerMetric) {
	if m.Total() <= 0 {
		return
	}
	d := javafmt.Double
	l.add(ctx, "ok.count", itoa(m.Successes()))
	l.add(ctx, "ko.count", itoa(m.Failures()))
	l.add(ctx, "a.count", itoa(m.Total()))
	l.add(ctx, "h.count", itoa(m.Hits()))
	l.add(ctx, "sb.bytes", strconv.FormatInt(m.SentBytes(), 10))
	l.add(ctx, "rb.bytes", strconv.FormatInt(m.ReceivedBytes(), 10))
	if m.Successes() > 0 {
		l.add(ctx, "ok.min", d(m.OkMin()))
		l.add(ctx, "ok.max", d(m.OkMax()))
		l.add(ctx, "ok.avg", d(m.OkMean()))
		for _, p := range o.okPct {
			l.add(ctx, p.name, d(m.OkPercentile(p.value)))
		}
	}
	if m.Failures() > 0 {
		l.add(ctx, "ko.min", d(m.KoMin()))
		l.add(ctx, "ko.max", d(m.KoMax()))
		l.add(ctx, "ko.avg", d(m.KoMean()))
		for _, p := range o.koPct {
			l.add(ctx, p.name, d(m.KoPercentile(p.value)))
		}
	}
	l.add(ctx, "a.min", d(m.AllMin()))
	l.add(ctx, "a.max", d(m.AllMax()))
	l.add(ctx, "a.avg", d(m.AllMean()))
	for _, p := range o.allPct {
		l.add(ctx, p.name, d(m.AllPercentile(p.value)))
	}
}

// tcpSender writes batches over one kept connection, reconnecting after a
// failure (the failed batch is lost, as with JMeter).
type tcpSender struct {
	addr string
	conn net.Conn
}

func (s *tcpSender) Send(ctx context.Context, body []byte) error {
	if s.conn == nil {
		var d net.Dialer
		dctx, cancel := context.WithTimeout(ctx, time.Second)
		c, err := d.DialContext(dctx, "tcp", s.addr)
		cancel()
		if err != nil {
			return err
		}
		s.conn = c
	}
	dl := time.Now().Add(time.Second)
	if d, ok := ctx.Deadline(); ok && d.Before(dl) {
		dl = d
	}
	_ = s.conn.SetWriteDeadline(dl)
	if _, err := s.conn.Write(body); err != nil {
		s.conn.Close()
		s.conn = nil
		return err
	}
	return nil
}

func (s *tcpSender) Close() error {
	if s.conn != nil {
		err := s.conn.Close()
		s.conn = nil
		return err
	}
	return nil
}
