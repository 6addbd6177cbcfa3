package report

import (
	"fmt"
	"github.com/gometer/gometer/output"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/sample"
)

// Summariser prints JMeter 5.6's console summary lines:
//
//	summary +   1795 in 00:00:04 =  472.9/s Avg:     3 Min:     0 Max:   141 Err:     0 (0.00%) Active: 2 Started: 2 Finished: 0
//	summary =  22175 in 00:00:14 = 1607.5/s Avg:     1 Min:     0 Max:   300 Err:     0 (0.00%)
//
// Like JMeter it is sample-driven: there is no timer. When a sample arrives
// at wall-clock second now with now > last report + 5 and now % interval <= 5,
// the pending delta is printed as a "+" line, followed by a "=" running
// total unless that total is the delta itself (the first report). Lines
// therefore fall on multiples of the interval, and a period in which no
// sample completes prints nothing (as in JMeter). Close prints the final
// "+" (only if something was reported before) and "=" lines.
//
// Rates are wall-clock: a "+" covers the last report (or the start) to the
// last sample added; "=" covers the start to the last report.
type Summariser struct {
	w        io.Writer
	name     string
	interval int64 // seconds
	counts   func() (active, started, finished int)
	now      func() time.Time

	// IgnoreTransactions skips transaction controller samples
	// (summariser.ignore_transaction_controller_sample_result, default true).
	IgnoreTransactions bool

	mu     sync.Mutex
	last   int64 // epoch seconds of the last report
	delta  runningSample
	total  runningSample
	closed bool
	buf    []byte
	err    error
}

// summariserWindow is JMeter's margin (seconds) after an interval boundary
// within which a sample still triggers the report.
const summariserWindow = 5

// runningSample mirrors JMeter's SummariserRunningSample.
type runningSample struct {
	count, errors, sum int64
	min, max           int64
	start, end         int64 // epoch ms
}

func (r *runningSample) reset(nowMs int64) {
	*r = runningSample{min: math.MaxInt64, max: math.MinInt64, start: nowMs, end: nowMs}
}

func (r *runningSample) elapsed() int64 {
	if r.count == 0 {
		return 0
	}
	return r.end - r.start
}

// NewSummariser starts a summariser now (the test start). interval is
// rounded down to whole seconds (minimum 1 s). counts reports the thread
// counts for "+" lines; nil prints zeros.
func NewSummariser(w io.Writer, name string, interval time.Duration, counts func() (active, started, finished int)) *Summariser {
	return NewSummariserClock(w, name, interval, counts, time.Now)
}

// NewSummariserClock is NewSummariser with an injected clock, for tests
// and replays.
func NewSummariserClock(w io.Writer, name string, interval time.Duration, counts func() (active, started, finished int), now func() time.Time) *Summariser {
	sec := int64(interval / time.Second)
	if sec < 1 {
		sec = 1
	}
	s := &Summariser{w: w, name: name, interval: sec, counts: counts, now: now, IgnoreTransactions: true}
	t := now().UnixMilli()
	s.delta.reset(t)
	s.total.reset(t)
	return s
}

func isTransactionResult(r *sample.Result) bool {
	return r.Transaction || strings.HasPrefix(r.ResponseMessage, TransactionPrefix)
}

// Add counts one top-level sample and prints a report when one is due.
// Safe for concurrent use.
func (s *Summariser) Add(r *sample.Result) {
	if r == nil || s.IgnoreTransactions && isTransactionResult(r) {
		return
	}
	t := s.now()
	nowMs := t.UnixMilli()
	now := nowMs / 1000
	sc, ec := sampleCounts(r)
	el := ms(r.Elapsed)

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	d := &s.delta
	d.count += int64(sc)
	d.errors += int64(ec)
	d.sum += el
	d.max = max(d.max, el)
	d.min = min(d.min, el)
	d.end = nowMs
	if now > s.last+summariserWindow && now%s.interval <= summariserWindow {
		s.last = now
		delta := s.delta
		s.moveDelta(nowMs)
		s.print(&delta, '+')
		if s.total.count != delta.count {
			s.print(&s.total, '=')
		}
	}
}

// moveDelta adds the delta into the total and restarts the delta.
func (s *Summariser) moveDelta(nowMs int64) {
	t, d := &s.total, &s.delta
	t.count += d.count
	t.errors += d.errors
	t.sum += d.sum
	t.max = max(t.max, d.max)
	t.min = min(t.min, d.min)
	t.end = nowMs
	d.reset(nowMs)
}

// Start does nothing: the summariser counts from its creation.
func (s *Summariser) Start(output.Run) error { return nil }

// Stop prints the end-of-test lines and returns the first write error.
func (s *Summariser) Stop() error {
	nowMs := s.now().UnixMilli()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return s.err
	}
	s.closed = true
	s.delta.end = nowMs
	if s.delta.count > 0 && s.total.count > 0 {
		delta := s.delta
		s.print(&delta, '+')
	}
	s.moveDelta(nowMs)
	s.print(&s.total, '=')
	return s.err
}

func (s *Summariser) print(r *runningSample, sign byte) {
	var a, st, f int
	if sign == '+' && s.counts != nil {
		a, st, f = s.counts()
	}
	s.buf = appendSummaryLine(s.buf[:0], s.name, sign, r, a, st, f)
	s.buf = append(s.buf, '\n')
	if _, err := s.w.Write(s.buf); err != nil && s.err == nil {
		s.err = fmt.Errorf("summariser: %w", err)
	}
}

func appendRight(dst []byte, s string, width int) []byte {
	for i := len(s); i < width; i++ {
		dst = append(dst, ' ')
	}
	return append(dst, s...)
}

func appendSummaryLine(dst []byte, name string, sign byte, r *runningSample, active, started, finished int) []byte {
	dst = append(dst, name...)
	dst = append(dst, ' ', sign, ' ')
	dst = appendRight(dst, strconv.FormatInt(r.count, 10), 6)
	dst = append(dst, " in "...)
	el := r.elapsed()
	sec := (el + 500) / 1000
	dst = fmt.Appendf(dst, "%02d:%02d:%02d", sec/3600, sec%3600/60, sec%60)
	dst = append(dst, " = "...)
	if el > 0 {
		rate := float64(r.count) / float64(el) * 1000.0
		dst = appendRight(dst, strconv.FormatFloat(rate, 'f', 1, 64), 6)
	} else {
		dst = append(dst, "******"...)
	}
	avg := int64(0)
	if r.count > 0 {
		avg = r.sum / r.count
	}
	dst = append(dst, "/s Avg: "...)
	dst = appendRight(dst, strconv.FormatInt(avg, 10), 5)
	dst = append(dst, " Min: "...)
	dst = appendRight(dst, strconv.FormatInt(r.min, 10), 5)
	dst = append(dst, " Max: "...)
	dst = appendRight(dst, strconv.FormatInt(r.max, 10), 5)
	dst = append(dst, " Err: "...)
	dst = appendRight(dst, strconv.FormatInt(r.errors, 10), 5)
	pct := 0.0
	if r.count > 0 {
		pct = float64(r.errors) / float64(r.count) * 100
	}
	dst = append(dst, " ("...)
	dst = strconv.AppendFloat(dst, pct, 'f', 2, 64)
	dst = append(dst, "%)"...)
	if sign == '+' {
		dst = fmt.Appendf(dst, " Active: %d Started: %d Finished: %d", active, started, finished)
	}
	return dst
}

// SummariserConfig holds the summariser.* properties.
type SummariserConfig struct {
	Name               string // "" disables the summariser
	Interval           time.Duration
	IgnoreTransactions bool
	Out                bool // summariser.out: print to stdout
}

// SummariserConfigFromProps reads summariser.name (default "summary", as
// stock jmeter.properties sets it), summariser.interval (seconds, default
// 30), summariser.out and
// summariser.ignore_transaction_controller_sample_result.
func SummariserConfigFromProps(p PropertySource) (SummariserConfig, error) {
	c := SummariserConfig{Name: "summary", Interval: 30 * time.Second, IgnoreTransactions: true, Out: true}
	if p == nil {
		return c, nil
	}
	if v, ok := p.Get("summariser.name"); ok {
		c.Name = strings.TrimSpace(v)
	}
	if v, ok := p.Get("summariser.interval"); ok && strings.TrimSpace(v) != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n <= 0 {
			return c, fmt.Errorf("property summariser.interval=%q: want a positive number of seconds", v)
		}
		c.Interval = time.Duration(n) * time.Second
	}
	if v, ok := p.Get("summariser.ignore_transaction_controller_sample_result"); ok {
		c.IgnoreTransactions = strings.EqualFold(strings.TrimSpace(v), "true")
	}
	if v, ok := p.Get("summariser.out"); ok {
		c.Out = strings.EqualFold(strings.TrimSpace(v), "true")
	}
	return c, nil
}

// New builds the summariser the configuration describes, writing to w;
// nil when the name is empty (summariser disabled).
func (c SummariserConfig) New(w io.Writer, counts func() (active, started, finished int)) *Summariser {
	if c.Name == "" {
		return nil
	}
	s := NewSummariser(w, c.Name, c.Interval, counts)
	s.IgnoreTransactions = c.IgnoreTransactions
	return s
}
