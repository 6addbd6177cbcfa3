package engine

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gometer/gometer/sample"
)

// debugLog writes one DEBUG line about an element's decision, in the spirit
// of JMeter's DEBUG logging of its controllers, timers and extractors. It
// is nil when DEBUG is off (Options.Debug unset): every call site tests it
// first, so that a run without DEBUG builds no message and allocates
// nothing for it.
type debugLog func(msg string)

// logf writes "<thread>: <message>".
func (d debugLog) logf(u *vuser, format string, args ...any) {
	d(u.name + ": " + fmt.Sprintf(format, args...))
}

// logTracer turns the tracer's reports (timers' pauses, variables set by
// post-processors) into DEBUG lines; it never stands down.
type logTracer struct{ d debugLog }

func (l logTracer) Active() bool { return true }

func (l logTracer) Timer(thread, element string, d time.Duration) {
	l.d(thread + ": timer " + strconv.Quote(element) + " delays the next sample by " + strconv.FormatInt(d.Milliseconds(), 10) + " ms")
}

func (l logTracer) Sampled(*sample.Result) {}

func (l logTracer) Variable(r *sample.Result, element, name, value string, removed bool) {
	if removed {
		l.d(fmt.Sprintf("%s: %q (after %q) removed variable %s", r.ThreadName, element, r.Label, name))
		return
	}
	l.d(fmt.Sprintf("%s: %q (after %q) set %s = %q", r.ThreadName, element, r.Label, name, value))
}

// Unchanged logs a post-processor that set nothing new (an extractor that
// found the same value, or none and no default).
func (l logTracer) Unchanged(r *sample.Result, element string) {
	l.d(fmt.Sprintf("%s: %q (after %q) changed no variable", r.ThreadName, element, r.Label))
}

// tracers sends the reports to each tracer still active.
type tracers []Tracer

func (ts tracers) Active() bool {
	for _, t := range ts {
		if t.Active() {
			return true
		}
	}
	return false
}

func (ts tracers) Timer(thread, element string, d time.Duration) {
	for _, t := range ts {
		if t.Active() {
			t.Timer(thread, element, d)
		}
	}
}

func (ts tracers) Sampled(r *sample.Result) {
	for _, t := range ts {
		if t.Active() {
			t.Sampled(r)
		}
	}
}

func (ts tracers) Variable(r *sample.Result, element, name, value string, removed bool) {
	for _, t := range ts {
		if t.Active() {
			t.Variable(r, element, name, value, removed)
		}
	}
}

func (ts tracers) Unchanged(r *sample.Result, element string) {
	for _, t := range ts {
		if q, ok := t.(quietPostTracer); ok && t.Active() {
			q.Unchanged(r, element)
		}
	}
}

// withDebug adds the DEBUG log of timers and extractors to the run's tracer.
func withDebug(tr Tracer, d debugLog) Tracer {
	switch {
	case d == nil:
		return tr
	case tr == nil:
		return logTracer{d}
	}
	return tracers{tr, logTracer{d}}
}
