package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sampler"
)

// maxSeconds is the longest ramp-up, duration or delay a thread group may
// ask for: the most whole seconds a time.Duration (int64 nanoseconds) holds.
// A longer value would wrap around to a short or negative time.
const maxSeconds = math.MaxInt64 / int64(time.Second)

// numberRange is what a thread group's whole-number property may hold.
type numberRange struct {
	lo, hi int64
	unit   string // "" counts, "s" seconds
}

var (
	threadsRange = numberRange{lo: 0, hi: math.MaxInt32}
	loopsRange   = numberRange{lo: math.MinInt32, hi: math.MaxInt32} // negative: forever
	secondsRange = numberRange{lo: 0, hi: maxSeconds, unit: "s"}
)

// NumberError is a thread group number that cannot be used: not a number,
// not whole, or out of its range.
type NumberError struct {
	Name   string // property name
	Value  string // the evaluated value
	Raw    string // the plan's text, when it differs from Value
	Reason string
}

func (e *NumberError) Error() string {
	msg := fmt.Sprintf("%s: %q %s", e.Name, e.Value, e.Reason)
	if e.Raw != "" && e.Raw != e.Value {
		msg += fmt.Sprintf(" (from %s)", e.Raw)
	}
	return msg
}

// parseWhole reads a whole number in r. JMeter reads these with
// Integer/Long.parseInt and silently uses 0 on failure (a group of "2.7"
// threads runs nobody); gometer refuses them instead.
func parseWhole(v string, r numberRange) (int64, string) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(v, 64)
		switch {
		case ferr == nil && (math.IsNaN(f) || math.IsInf(f, 0)):
			return 0, "is not a number"
		case ferr == nil && f == math.Trunc(f) || ferr == nil && math.Abs(f) > float64(r.hi):
			return 0, r.outOfRange()
		case ferr == nil:
			return 0, "is not a whole number"
		case isDigits(strings.TrimLeft(v, "+-")):
			return 0, r.outOfRange() // 99999999999999999999
		}
		return 0, "is not a number"
	}
	if n < r.lo || n > r.hi {
		return 0, r.outOfRange()
	}
	return n, ""
}

func (r numberRange) outOfRange() string {
	return fmt.Sprintf("is out of range (%d%s to %d%s)", r.lo, r.unit, r.hi, r.unit)
}

// groupNumber is one of a thread group's numbers with the range it must
// fall in.
type groupNumber struct {
	name string
	tpl  *functions.Template
	r    numberRange
}

// numbers lists the group's whole-number properties; duration and delay
// only count when the scheduler is on (JMeter ignores them otherwise).
func (g *group) numbers() []groupNumber {
	ns := []groupNumber{
		{"ThreadGroup.num_threads", g.threads, threadsRange},
		{"ThreadGroup.ramp_time", g.ramp, secondsRange},
		{"LoopController.loops", g.loops, loopsRange},
	}
	if g.scheduler {
		ns = append(ns,
			groupNumber{"ThreadGroup.duration", g.duration, secondsRange},
			groupNumber{"ThreadGroup.delay", g.delay, secondsRange})
	}
	return ns
}

// NumberErrors are every unusable number of one thread group, so that one
// validate run names them all.
type NumberErrors []*NumberError

func (es NumberErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// checkGroupNumbers evaluates a group's numbers in c; at load, a value
// that needs run-time variables is left for when the group starts. The
// error is NumberErrors.
func (g *group) checkGroupNumbers(c *functions.Context, atLoad bool) error {
	var bad NumberErrors
	for _, n := range g.numbers() {
		if err := g.checkNumber(c, n, atLoad); err != nil {
			bad = append(bad, err)
		}
	}
	if len(bad) > 0 {
		return bad
	}
	return nil
}

func (g *group) checkNumber(c *functions.Context, n groupNumber, atLoad bool) *NumberError {
	if n.tpl == nil {
		return nil
	}
	v := strings.TrimSpace(n.tpl.Eval(c))
	if atLoad && strings.Contains(v, "${") {
		// a variable only known at run time: checked when the group starts
		return nil
	}
	if v == "" {
		if n.name == "ThreadGroup.duration" && g.kind == shapeClassic {
			return &NumberError{Name: n.name, Value: v, Raw: n.tpl.Raw(), Reason: "is empty: the scheduler needs a duration > 0"}
		}
		return nil
	}
	if _, reason := parseWhole(v, n.r); reason != "" {
		return &NumberError{Name: n.name, Value: v, Raw: n.tpl.Raw(), Reason: reason}
	}
	if n.name == "ThreadGroup.duration" && g.kind == shapeClassic && v == "0" {
		return &NumberError{Name: n.name, Value: v, Raw: n.tpl.Raw(), Reason: "must be > 0 when the scheduler is on"}
	}
	return nil
}

// checkShapeNumbers checks the plugin groups' numeric properties: whatever
// parses as a number must be finite and small enough to become a duration
// in nanoseconds (their rates, counts and times are all scaled by at most
// a day's seconds).
func (g *group) checkShapeNumbers(c *functions.Context) error {
	for name, t := range g.p {
		v := strings.TrimSpace(t.Eval(c))
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			if isDigits(strings.TrimLeft(v, "+-")) {
				return &NumberError{Name: name, Value: v, Raw: t.Raw(), Reason: "is out of range"}
			}
			continue // text properties (units, file names), checked where used
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return &NumberError{Name: name, Value: v, Raw: t.Raw(), Reason: "is not a number"}
		}
		if math.Abs(f) > float64(maxSeconds)/86400 {
			return &NumberError{Name: name, Value: v, Raw: t.Raw(), Reason: fmt.Sprintf("is out of range (at most %d)", maxSeconds/86400)}
		}
	}
	return nil
}

// checkNumbersAtLoad reports a group whose numbers, evaluated with the
// properties known at load time, cannot be used.
func (c *compiler) checkNumbersAtLoad(el *jmx.Element, g *group) {
	ctx := c.evalContext()
	err := g.checkGroupNumbers(ctx, true)
	if err == nil && g.kind != shapeClassic {
		err = g.checkShapeNumbers(ctx)
	}
	if err != nil {
		c.badConfig(el, err)
	}
}

// clampInt converts a parsed float to int64 without Go's undefined result
// for values outside int64 (NaN gives def).
func clampInt(f float64, def int64) int64 {
	switch {
	case math.IsNaN(f):
		return def
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// scaleDuration is n units as a duration, saturating instead of wrapping
// around: a timer of 10^20 ms waits "forever", not a negative time.
func scaleDuration(n int64, unit time.Duration) time.Duration {
	if n > 0 && n > math.MaxInt64/int64(unit) {
		return math.MaxInt64
	}
	if n < 0 && n < math.MinInt64/int64(unit) {
		return math.MinInt64
	}
	return time.Duration(n) * unit
}

// PropShutdownGrace is how long (seconds) samples in flight may go on after
// a stop was asked or their group's scheduled end passed, before they are
// interrupted. JMeter waits for them however long they take.
const (
	PropShutdownGrace    = "gometer.shutdown_grace"
	defaultShutdownGrace = 10 * time.Second
)

// ShutdownGrace reads PropShutdownGrace: whole or fractional seconds ≥ 0.
func ShutdownGrace(p *functions.Properties) (time.Duration, error) {
	v, ok := p.Get(PropShutdownGrace)
	if !ok {
		return defaultShutdownGrace, nil
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || secs < 0 || math.IsNaN(secs) || secs > float64(maxSeconds) {
		return 0, fmt.Errorf("property %s=%q: want seconds (0 to %d)", PropShutdownGrace, v, maxSeconds)
	}
	return time.Duration(secs * float64(time.Second)), nil
}

func (t *Test) initEndGrace() {
	g, err := ShutdownGrace(t.props)
	if err != nil {
		t.logf("WARN", "%v: using %v", err, defaultShutdownGrace)
		g = defaultShutdownGrace
	}
	t.endGrace = g
	t.endCause = &sampler.InterruptedError{Reason: fmt.Sprintf("interrupted: still running %v after the thread group's scheduled end (%s)", g, PropShutdownGrace)}
}
