// Package influxdb is JMeter's InfluxDB Backend Listener
// (org.apache.jmeter.visualizers.backend.influxdb.InfluxdbBackendListenerClient)
// and its raw variant (InfluxDBRawBackendListenerClient): the same line
// protocol, measurement, tags, fields and value formats JMeter 5.6.3
// writes, so that dashboards and continuous queries built on JMeter's data
// work unchanged. Numbers are written without type suffix, so InfluxDB
// stores every numeric field as a float, as it does for JMeter.
package influxdb

import (
	"fmt"
	"math"
	"slices"
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
const Class = "org.apache.jmeter.visualizers.backend.influxdb.InfluxdbBackendListenerClient"

// The tag values JMeter writes.
const (
	cumulated   = "all" // the summary over all samplers (its map key and transaction tag)
	eventsTable = "events"
)

// MaxLabels bounds the samplers tracked one by one; samples of further
// labels count in the summary only (a plan that puts ids in labels must
// not grow memory without end).
const MaxLabels = 10000

// knownArgs are the listener's own arguments; TAG_ arguments with these
// names are not user tags (JMeter's DEFAULT_ARGS).
var knownArgs = map[string]bool{"influxdbMetricsSender": true, "influxdbUrl": true, "application": true,
	"measurement": true, "summaryOnly": true, "samplersRegex": true, "percentiles": true, "testTitle": true, "eventTags": true}

type percentile struct {
	value float32
	field string // "pct99.0"
}

type config struct {
	senderClass  string
	url, token   string
	application  string // escaped
	measurement  string // escaped
	summaryOnly  bool
	regex        *jregex.Regex
	percentiles  []percentile // in JMeter's HashMap order
	testTitle    string
	eventTags    string // escaped
	userTags     string // ",k=v,…" escaped
	interval     time.Duration
	connect      time.Duration
	socket       time.Duration
	settings     backend.Settings
	invalidPcts  []string
	sendersQueue int
}

// TagValue escapes a tag value (or measurement) as JMeter does: trimmed,
// with space, comma, equals sign and newline escaped.
func TagValue(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, " ,=\n") {
		return s
	}
	return tagEscaper.Replace(s)
}

var tagEscaper = strings.NewReplacer(" ", `\ `, ",", `\,`, "=", `\=`, "\n", `\n`)

// FieldString escapes a string field value as JMeter does: trimmed, double
// quotes escaped.
func FieldString(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), `"`, `\"`) }

func parseConfig(args map[string]string, run output.Run) (*config, error) {
	c := &config{
		senderClass: strings.TrimSpace(backend.Arg(args, "influxdbMetricsSender", HTTPSenderClass)),
		url:         backend.Arg(args, "influxdbUrl", ""),
		token:       backend.Arg(args, "influxdbToken", ""),
		application: TagValue(backend.Arg(args, "application", "")),
		measurement: TagValue(backend.Arg(args, "measurement", "jmeter")),
		summaryOnly: strings.EqualFold(backend.Arg(args, "summaryOnly", "false"), "true"),
		testTitle:   backend.Arg(args, "testTitle", "Test"),
		eventTags:   TagValue(backend.Arg(args, "eventTags", "")),
		interval:    backend.DurationProp(run, "backend_influxdb.send_interval", 5, time.Second),
		connect:     backend.DurationProp(run, "backend_influxdb.connection_timeout", 1000, time.Millisecond),
		socket:      backend.DurationProp(run, "backend_influxdb.socket_timeout", 3000, time.Millisecond),
	}
	if c.senderClass == "" {
		c.senderClass = HTTPSenderClass
	}
	if c.senderClass != HTTPSenderClass && c.senderClass != UDPSenderClass {
		return nil, fmt.Errorf("influxdbMetricsSender %q is not supported (want %s or %s)", c.senderClass, HTTPSenderClass, UDPSenderClass)
	}
	if c.interval <= 0 {
		return nil, fmt.Errorf("property backend_influxdb.send_interval must be at least 1 (seconds)")
	}
	re, err := jregex.Compile(backend.Arg(args, "samplersRegex", ""))
	if err != nil {
		return nil, fmt.Errorf("samplersRegex: %w", err)
	}
	c.regex = re
	c.percentiles, c.invalidPcts = parsePercentiles(backend.Arg(args, "percentiles", ""))
	c.userTags = userTags(args)
	if c.settings, err = backend.ReadSettings(run); err != nil {
		return nil, err
	}
	return c, nil
}

// userTags are the TAG_name arguments with a value, as ",name=value"
// (escaped). JMeter adds them in the plan's argument order; the map gives
// none, so they are sorted by name (InfluxDB itself orders tags by key).
func userTags(args map[string]string) string {
	var names []string
	for name, v := range args {
		if strings.TrimSpace(name) != "" && !knownArgs[strings.TrimSpace(name)] && strings.HasPrefix(name, "TAG_") && strings.TrimSpace(v) != "" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var b strings.Builder
	for _, name := range names {
		b.WriteByte(',')
		b.WriteString(TagValue(strings.TrimSpace(name)[4:]))
		b.WriteByte('=')
		b.WriteString(TagValue(args[name]))
	}
	return b.String()
}

// parsePercentiles reads "99;95;90" as JMeter: each value a Java float,
// keyed by its "0.##" form (duplicates collapse), iterated in HashMap order.
func parsePercentiles(s string) (ps []percentile, invalid []string) {
	parts := strings.Split(s, ";")
	order := javahash.NewHashMap(len(parts), javahash.String)
	byKey := map[string]float32{}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		v, err := strconv.ParseFloat(p, 32)
		if err != nil || math.IsNaN(v) {
			invalid = append(invalid, p)
			continue
		}
		f := float32(v)
		key := TagValue(backend.PercentileKey(f))
		order.Put(key)
		byKey[key] = f
	}
	for _, k := range order.Keys(nil) {
		ps = append(ps, percentile{byKey[k], "pct" + javafmt.Float(byKey[k])})
	}
	return ps, invalid
}

// Output is the InfluxDB backend listener.
type Output struct {
	cfg   *config
	run   output.Run
	clock backend.Clock

	mu       sync.Mutex
	metrics  map[string]*backend.SamplerMetric
	order    *javahash.ConcurrentMap[string]
	matches  map[string]bool
	users    *backend.UserMetric
	pending  []byte // lines waiting for the next send
	overflow int    // samples of labels past MaxLabels
	maxUsers int    // fallback for startedT when the run gives no lifetime counts

	delivery *backend.Delivery
	stopTick func()
	keys     []string
	errs     []backend.ErrorCount
}

// New builds the listener from the BackendListener's arguments.
func New(args map[string]string, run output.Run) (output.Output, error) {
	return newOutput(args, run, backend.RealClock{})
}

func newOutput(args map[string]string, run output.Run, clock backend.Clock) (*Output, error) {
	cfg, err := parseConfig(args, run)
	if err != nil {
		return nil, fmt.Errorf("InfluxDB backend listener: %w", err)
	}
	if _, err := cfg.sender(); err != nil {
		return nil, fmt.Errorf("InfluxDB backend listener: %w", err)
	}
	return &Output{cfg: cfg, run: run, clock: clock}, nil
}

func (c *config) sender() (backend.Sender, error) {
	if c.senderClass == UDPSenderClass {
		return newUDPSender(strings.TrimSpace(c.url))
	}
	return newHTTPSender(c.url, c.token, c.connect, c.socket)
}

func (o *Output) log(level, msg string) {
	if o.run.Log != nil {
		o.run.Log(level, msg)
	}
}

// Start sends the "started" annotation and the first lines at once, then
// every backend_influxdb.send_interval seconds.
func (o *Output) Start(run output.Run) error {
	o.run = run // settings were read from New's run; Start's gives the live counts
	if run.Shards > 1 && !strings.Contains(o.cfg.userTags, ",generator=") {
		// several generators write the same series: without a tag of their
		// own, InfluxDB keeps one point per series and timestamp, so the
		// shards' points would overwrite each other instead of adding up
		o.cfg.userTags += ",generator=" + TagValue(run.Generator)
	}
	for _, p := range o.cfg.invalidPcts {
		o.log("error", fmt.Sprintf("InfluxDB backend listener: percentile %q is not a number, ignored", p))
	}
	s, err := o.cfg.sender()
	if err != nil {
		return err
	}
	o.metrics = map[string]*backend.SamplerMetric{}
	o.order = javahash.NewConcurrentMap(javahash.String)
	o.matches = map[string]bool{}
	o.users = o.cfg.settings.NewUserMetric()
	o.delivery = backend.NewDelivery(backend.DeliveryConfig{
		Name: "InfluxDB " + o.cfg.url, Sender: s, Timeout: o.cfg.connect + o.cfg.socket,
		Log: o.log, Clock: o.clock,
	})
	o.mu.Lock()
	o.annotation(true, o.clock.Now())
	o.mu.Unlock()
	o.stopTick = backend.Every(o.clock, o.cfg.interval, true, o.flush)
	return nil
}

// Add aggregates one sample; the lines are built at the next send.
func (o *Output) Add(r *sample.Result) {
	o.mu.Lock()
	o.users.Add(r.AllThreads)
	o.maxUsers = max(o.maxUsers, r.AllThreads)
	if !o.cfg.summaryOnly && o.match(r.Label) {
		if m := o.metric(r.Label); m != nil {
			m.Add(r, false)
		} else {
			o.overflow++
		}
	}
	o.metric(cumulated).Add(r, true)
	o.mu.Unlock()
}

func (o *Output) match(label string) bool {
	if m, ok := o.matches[label]; ok {
		return m
	}
	m := o.cfg.regex.Find(label)
	if len(o.matches) < MaxLabels {
		o.matches[label] = m
	}
	return m
}

func (o *Output) metric(label string) *backend.SamplerMetric {
	if m := o.metrics[label]; m != nil {
		return m
	}
	if len(o.metrics) > MaxLabels && label != cumulated {
		return nil
	}
	m := o.cfg.settings.NewSamplerMetric()
	o.metrics[label] = m
	o.order.Put(label)
	return m
}

// Stop sends the "ended" annotation and the last lines, waiting at most
// 5 s for them (as JMeter waits for its last request).
func (o *Output) Stop() error {
	if o.stopTick == nil {
		return nil
	}
	o.stopTick()
	o.mu.Lock()
	o.annotation(false, o.clock.Now())
	o.mu.Unlock()
	o.flush(o.clock.Now())
	st := o.delivery.Close(5 * time.Second)
	if o.overflow > 0 {
		o.log("warn", fmt.Sprintf("InfluxDB backend listener: more than %d sampler labels; %d samples counted in the summary line only", MaxLabels, o.overflow))
	}
	o.log("info", fmt.Sprintf("InfluxDB backend listener: %d sends, %d failed, %d dropped", st.Sent+st.Failed, st.Failed, st.Dropped))
	return nil
}

// Stats reports the sends so far.
func (o *Output) Stats() backend.Stats { return o.delivery.Stats() }

// flush writes the interval's lines (JMeter's sendMetrics) and queues them.
func (o *Output) flush(now time.Time) {
	o.mu.Lock()
	ts := now.UnixMilli()
	o.keys = o.order.Keys(o.keys[:0])
	for _, k := range o.keys {
		m := o.metrics[k]
		if k == cumulated {
			o.cumulatedLines(m, ts)
		} else {
			o.samplerLines(TagValue(k), m, ts)
		}
		m.Reset()
	}
	o.internalLine(ts)
	body := o.pending
	o.pending = nil
	o.mu.Unlock()
	o.delivery.Enqueue(body)
}

func (o *Output) line(measurement string, ts int64, tags, fields func(b []byte) []byte) {
	b := append(o.pending, measurement...)
	b = tags(b)
	b = append(b, ' ')
	b = fields(b)
	b = append(b, ' ')
	b = strconv.AppendInt(b, ts, 10)
	b = append(b, "000000\n"...)
	o.pending = b
}

func (o *Output) appendTags(b []byte, transaction string) []byte {
	b = append(b, ",application="...)
	b = append(b, o.cfg.application...)
	b = append(b, ",transaction="...)
	return append(b, transaction...)
}

func appendDouble(b []byte, name string, v float64) []byte {
	b = append(b, name...)
	return append(b, javafmt.Double(v)...)
}

func (o *Output) samplerLines(transaction string, m *backend.SamplerMetric, ts int64) {
	o.statusLine(transaction, "all", m.Total(), m, m.AllMean(), m.AllMin(), m.AllMax(), m.AllPercentile, ts)
	o.statusLine(transaction, "ok", m.Successes(), m, m.OkMean(), m.OkMin(), m.OkMax(), m.OkPercentile, ts)
	o.statusLine(transaction, "ko", m.Failures(), m, m.KoMean(), m.KoMin(), m.KoMax(), m.KoPercentile, ts)
	o.errs = m.Errors(o.errs[:0])
	for _, e := range o.errs {
		if e.Count <= 0 {
			continue
		}
		o.line(o.cfg.measurement, ts, func(b []byte) []byte {
			b = o.appendTags(b, transaction)
			b = append(b, ",responseCode="...)
			b = append(b, TagValue(e.Code)...)
			b = append(b, ",responseMessage="...)
			b = append(b, TagValue(e.Message)...)
			return append(b, o.cfg.userTags...)
		}, func(b []byte) []byte {
			b = append(b, "count="...)
			return strconv.AppendInt(b, int64(e.Count), 10)
		})
	}
}

func (o *Output) statusLine(transaction, status string, count int, m *backend.SamplerMetric,
	mean, lo, hi float64, pct func(float32) float64, ts int64) {
	if count <= 0 {
		return
	}
	o.line(o.cfg.measurement, ts, func(b []byte) []byte {
		b = o.appendTags(b, transaction)
		b = append(b, ",statut="...)
		b = append(b, status...)
		return append(b, o.cfg.userTags...)
	}, func(b []byte) []byte {
		b = append(b, "count="...)
		b = strconv.AppendInt(b, int64(count), 10)
		if !math.IsNaN(mean) {
			b = appendDouble(b, ",avg=", mean)
		}
		if !math.IsNaN(lo) {
			b = appendDouble(b, ",min=", lo)
		}
		if !math.IsNaN(hi) {
			b = appendDouble(b, ",max=", hi)
		}
		b = append(b, ",hit="...)
		b = strconv.AppendInt(b, int64(m.Hits()), 10)
		b = append(b, ",sb="...)
		b = strconv.AppendInt(b, m.SentBytes(), 10)
		b = append(b, ",rb="...)
		b = strconv.AppendInt(b, m.ReceivedBytes(), 10)
		for _, p := range o.cfg.percentiles {
			b = append(b, ',')
			b = appendDouble(append(b, p.field...), "=", pct(p.value))
		}
		return b
	})
}

// cumulatedLines is the transaction=all line. As in JMeter, its avg, min
// and max are those of the successful samples.
func (o *Output) cumulatedLines(m *backend.SamplerMetric, ts int64) {
	if m.Total() <= 0 {
		return
	}
	o.line(o.cfg.measurement, ts, func(b []byte) []byte {
		b = o.appendTags(b, cumulated)
		b = append(b, ",statut=all"...)
		return append(b, o.cfg.userTags...)
	}, func(b []byte) []byte {
		b = append(b, "count="...)
		b = strconv.AppendInt(b, int64(m.Total()), 10)
		b = append(b, ",countError="...)
		b = strconv.AppendInt(b, int64(m.Failures()), 10)
		if v := m.OkMean(); !math.IsNaN(v) {
			b = appendDouble(b, ",avg=", v)
		}
		if v := m.OkMin(); !math.IsNaN(v) {
			b = appendDouble(b, ",min=", v)
		}
		if v := m.OkMax(); !math.IsNaN(v) {
			b = appendDouble(b, ",max=", v)
		}
		b = append(b, ",hit="...)
		b = strconv.AppendInt(b, int64(m.Hits()), 10)
		b = append(b, ",sb="...)
		b = strconv.AppendInt(b, m.SentBytes(), 10)
		b = append(b, ",rb="...)
		b = strconv.AppendInt(b, m.ReceivedBytes(), 10)
		for _, p := range o.cfg.percentiles {
			b = append(b, ',')
			b = appendDouble(append(b, p.field...), "=", m.AllPercentile(p.value))
		}
		return b
	})
}

// internalLine is the transaction=internal line: active users over the
// last samples, users started and finished so far.
func (o *Output) internalLine(ts int64) {
	started, finished := backend.Lifetime(o.run, o.maxUsers)
	o.line(o.cfg.measurement, ts, func(b []byte) []byte {
		b = o.appendTags(b, "internal")
		return append(b, o.cfg.userTags...)
	}, func(b []byte) []byte {
		b = append(b, "minAT="...)
		b = strconv.AppendInt(b, int64(o.users.Min()), 10)
		b = append(b, ",maxAT="...)
		b = strconv.AppendInt(b, int64(o.users.Max()), 10)
		b = append(b, ",meanAT="...)
		b = strconv.AppendInt(b, int64(o.users.Mean()), 10)
		b = append(b, ",startedT="...)
		b = strconv.AppendInt(b, int64(started), 10)
		b = append(b, ",endedT="...)
		return strconv.AppendInt(b, int64(finished), 10)
	})
}

// annotation is the events line Grafana shows at the test's start and end.
func (o *Output) annotation(start bool, now time.Time) {
	text := o.cfg.testTitle + " ended"
	if start {
		text = o.cfg.testTitle + " started"
	}
	o.line(eventsTable, now.UnixMilli(), func(b []byte) []byte {
		b = append(b, ",application="...)
		b = append(b, o.cfg.application...)
		b = append(b, ",title=ApacheJMeter"...)
		b = append(b, o.cfg.userTags...)
		if o.cfg.eventTags != "" {
			b = append(b, ",tags="...)
			b = append(b, o.cfg.eventTags...)
		}
		return b
	}, func(b []byte) []byte {
		b = append(b, `text="`...)
		b = append(b, FieldString(text)...)
		return append(b, '"')
	})
}
