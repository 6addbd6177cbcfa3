package engine

import (
	"maps"
	"slices"
	"time"

	"github.com/gometer/gometer/sample"
)

// Tracer sees what users do in detail, for `gometer debug` and `run
// --trace`: the timers' pauses, each sample as taken, and the variables
// post-processors set. Normal runs have none; with one, timers and
// post-processors are wrapped at compile time, so a run without a tracer
// pays nothing.
type Tracer interface {
	// Active is false once the tracer wants nothing more (it traced its
	// first N samples): the wrappers then skip their own work.
	Active() bool
	// Timer reports one timer's pause before thread's next sample.
	Timer(thread, element string, d time.Duration)
	// Sampled reports a sample right after it was taken, before its
	// post-processors and assertions run.
	Sampled(r *sample.Result)
	// Variable reports a variable a post-processor set (or changed) while
	// handling r; value "" with removed true when it removed it.
	Variable(r *sample.Result, element, name, value string, removed bool)
}

// tracedTimer reports the pause of the timer it wraps.
type tracedTimer struct {
	timer
	name string
	tr   Tracer
}

func (t tracedTimer) delay(u *vuser) time.Duration {
	d := t.timer.delay(u)
	if t.tr.Active() {
		t.tr.Timer(u.name, t.name, d)
	}
	return d
}

// modifiable forwards the wrapped timer's answer (timer.factor scales only
// constant and random timers).
func (t tracedTimer) modifiable() bool {
	m, ok := t.timer.(interface{ modifiable() bool })
	return ok && m.modifiable()
}

// tracedPost reports the variables the post-processor it wraps set, by
// comparing the user's variables before and after it.
type tracedPost struct {
	postProcessor
	name string
	tr   Tracer
}

func (p tracedPost) process(u *vuser, r *sample.Result) {
	if !p.tr.Active() {
		p.postProcessor.process(u, r)
		return
	}
	before := map[string]string{}
	for _, n := range u.vars.Names() {
		before[n], _ = u.vars.Get(n)
	}
	p.postProcessor.process(u, r)
	after := u.vars.Names()
	seen := make(map[string]bool, len(after))
	changed := 0
	for _, n := range after {
		seen[n] = true
		v, _ := u.vars.Get(n)
		if old, ok := before[n]; !ok || old != v {
			p.tr.Variable(r, p.name, n, v, false)
			changed++
		}
	}
	for _, n := range slices.Sorted(maps.Keys(before)) {
		if !seen[n] {
			p.tr.Variable(r, p.name, n, "", true)
			changed++
		}
	}
	if changed == 0 {
		if q, ok := p.tr.(quietPostTracer); ok {
			q.Unchanged(r, p.name)
		}
	}
}

// quietPostTracer is told of a post-processor that changed no variable (the
// DEBUG log says so; the trace shows changes only).
type quietPostTracer interface {
	Unchanged(r *sample.Result, element string)
}
