package backend

import (
	"strings"

	"github.com/gometer/gometer/internal/descstat"
	"github.com/gometer/gometer/internal/javahash"
	"github.com/gometer/gometer/sample"
)

// AssertionFailed is the response code JMeter's error metrics give a sample
// whose first assertion message is set.
const AssertionFailed = "Assertion failed"

// ErrorKey is one error kind: response code and message as JMeter's
// ErrorMetric reports them ("0" and "None" when empty, trimmed).
type ErrorKey struct{ Code, Message string }

func errorKeyOf(r *sample.Result) ErrorKey {
	code, msg := r.ResponseCode, r.ResponseMessage
	if fm := r.FailureMessage(); fm != "" {
		code, msg = AssertionFailed, fm
	}
	code, msg = strings.TrimSpace(code), strings.TrimSpace(msg)
	if code == "" {
		code = "0"
	}
	if msg == "" {
		msg = "None"
	}
	return ErrorKey{code, msg}
}

// fold is the case-insensitive identity JMeter's ErrorMetric compares by.
func (k ErrorKey) fold() ErrorKey {
	return ErrorKey{strings.ToLower(k.Code), strings.ToLower(k.Message)}
}

func errorHash(k ErrorKey) int32 { return 31*(31+javahash.String(k.Code)) + javahash.String(k.Message) }

// ErrorCount is one error kind and how many samples had it in the interval.
type ErrorCount struct {
	ErrorKey
	Count int
}

// SamplerMetric aggregates one label's samples (or all samples) between two
// sends, as JMeter's SamplerMetric.
type SamplerMetric struct {
	mode                 WindowMode
	estimator            descstat.Estimator
	ok, ko, all, pct     *descstat.Window
	successes, failures  int
	hits                 int
	sentBytes, recvBytes int64
	errOrder             *javahash.HashMap[ErrorKey] // folded keys, Java iteration order
	errors               map[ErrorKey]*ErrorCount    // folded key → first spelling and count
	scratch              []float64
}

// NewSamplerMetric returns an empty metric with s's windows.
func (s Settings) NewSamplerMetric() *SamplerMetric {
	w := s.LargeWindow
	if s.Mode == Fixed {
		w = s.Window
	}
	return &SamplerMetric{
		mode: s.Mode, estimator: s.Estimator,
		ok: descstat.NewWindow(w), ko: descstat.NewWindow(w), all: descstat.NewWindow(w),
		pct:      descstat.NewWindow(s.Window),
		errOrder: javahash.NewHashMap(-1, errorHash),
		errors:   map[ErrorKey]*ErrorCount{},
	}
}

// MaxErrorKinds bounds the distinct errors kept per interval; further kinds
// are not reported until the next send.
const MaxErrorKinds = 1000

// Counts is JMeter's SampleCount/ErrorCount (an ordinary sample counts 1,
// with 1 error when it failed).
func Counts(r *sample.Result) (n, errs int) {
	if r.SampleCount > 0 {
		return r.SampleCount, r.ErrorCount
	}
	if r.Success {
		return 1, 0
	}
	return 1, 1
}

// Add counts r. cumulated is true for the all-samplers metric, which skips
// the hits and bytes of a transaction sample that has no children.
func (m *SamplerMetric) Add(r *sample.Result, cumulated bool) {
	n, errs := Counts(r)
	if r.Success {
		m.successes += n - errs
	} else {
		m.failures += errs
		k := errorKeyOf(r)
		f := k.fold()
		if e := m.errors[f]; e != nil {
			e.Count += errs
		} else if len(m.errors) < MaxErrorKinds {
			m.errOrder.Put(f)
			m.errors[f] = &ErrorCount{k, errs}
		}
	}
	t := float64(r.Elapsed.Milliseconds())
	m.all.Add(t)
	m.pct.Add(t)
	if r.Success {
		m.ok.Add(t)
	} else {
		m.ko.Add(t)
	}
	if cumulated && r.Transaction && len(r.Subs) == 0 {
		return // a transaction without a parent sample: its children counted already
	}
	m.hits += hits(r)
	m.sentBytes += r.SentBytes
	m.recvBytes += r.Bytes
}

func hits(r *sample.Result) int {
	h := 0
	if !(r.Transaction && len(r.Subs) > 0) {
		n, _ := Counts(r)
		h = n
	}
	for _, s := range r.Subs {
		h += hits(s)
	}
	return h
}

// Reset starts a new interval: counts and errors restart; in Timed mode the
// response-time windows empty too.
func (m *SamplerMetric) Reset() {
	if m.mode == Timed {
		m.ok.Clear()
		m.ko.Clear()
		m.all.Clear()
	}
	m.errOrder.Clear()
	clear(m.errors)
	m.successes, m.failures, m.hits = 0, 0, 0
	m.sentBytes, m.recvBytes = 0, 0
}

// Total is successes plus failures in the interval.
func (m *SamplerMetric) Total() int     { return m.successes + m.failures }
func (m *SamplerMetric) Successes() int { return m.successes }
func (m *SamplerMetric) Failures() int  { return m.failures }
func (m *SamplerMetric) Hits() int      { return m.hits }

// SentBytes and ReceivedBytes are the interval's byte counts.
func (m *SamplerMetric) SentBytes() int64     { return m.sentBytes }
func (m *SamplerMetric) ReceivedBytes() int64 { return m.recvBytes }

// Response-time statistics of successful, failed and all samples (NaN
// when there are none).
func (m *SamplerMetric) OkMin() float64  { return m.ok.Min() }
func (m *SamplerMetric) OkMax() float64  { return m.ok.Max() }
func (m *SamplerMetric) OkMean() float64 { return m.ok.Mean() }
func (m *SamplerMetric) KoMin() float64  { return m.ko.Min() }
func (m *SamplerMetric) KoMax() float64  { return m.ko.Max() }
func (m *SamplerMetric) KoMean() float64 { return m.ko.Mean() }
func (m *SamplerMetric) AllMin() float64 { return m.all.Min() }
func (m *SamplerMetric) AllMax() float64 { return m.all.Max() }
func (m *SamplerMetric) AllMean() float64 {
	return m.all.Mean()
}

// OkPercentile, KoPercentile and AllPercentile take JMeter's float
// percentile (99.9f) widened to double, as JMeter passes it. AllPercentile
// reads the last Window samples whatever the mode, as JMeter does.
func (m *SamplerMetric) OkPercentile(p float32) float64 {
	return m.ok.Percentile(float64(p), m.estimator, &m.scratch)
}
func (m *SamplerMetric) KoPercentile(p float32) float64 {
	return m.ko.Percentile(float64(p), m.estimator, &m.scratch)
}
func (m *SamplerMetric) AllPercentile(p float32) float64 {
	return m.pct.Percentile(float64(p), m.estimator, &m.scratch)
}

// Errors appends the interval's error kinds in JMeter's (HashMap) order.
func (m *SamplerMetric) Errors(dst []ErrorCount) []ErrorCount {
	for _, k := range m.errOrder.Keys(nil) {
		dst = append(dst, *m.errors[k])
	}
	return dst
}

// UserMetric keeps the active-user counts seen with the last Window
// samples, as JMeter's UserMetric (never reset between sends).
type UserMetric struct{ w *descstat.Window }

// NewUserMetric returns an empty user metric.
func (s Settings) NewUserMetric() *UserMetric { return &UserMetric{descstat.NewWindow(s.Window)} }

// Add records the active users when a sample arrived.
func (u *UserMetric) Add(active int) { u.w.Add(float64(active)) }

// Min, Max and Mean are truncated to int as JMeter casts them (0 when no
// sample arrived yet: Java's (int) of NaN).
func (u *UserMetric) Min() int  { return javaInt(u.w.Min()) }
func (u *UserMetric) Max() int  { return javaInt(u.w.Max()) }
func (u *UserMetric) Mean() int { return javaInt(u.w.Mean()) }

func javaInt(f float64) int {
	if f != f {
		return 0
	}
	return int(f)
}
