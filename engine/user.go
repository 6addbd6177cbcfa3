package engine

import (
	"context"
	"math"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/sampler"
	"github.com/gometer/gometer/script"
)

// flow is what a node tells its parent after it ran.
type flow uint8

const (
	flowNext           flow = iota // carry on with the next sibling
	flowNextThreadLoop             // abandon the thread-group iteration (startnextloop)
	flowNextLoop                   // next pass of the innermost loop (Flow Control Action)
	flowBreakLoop                  // leave the innermost loop
	flowStop                       // the virtual user stops
)

// node is a sampler or a controller in a compiled group. The tree is shared
// by all users of a group; per-user state lives in the vuser's slots.
type node interface {
	run(u *vuser) flow
	describe() (kind, name string, children []node)
}

type timer interface {
	// delay returns the pause before the sampler; it may block (SyncTimer).
	delay(u *vuser) time.Duration
}

type preProcessor interface{ process(u *vuser) }

type postProcessor interface {
	process(u *vuser, r *sample.Result)
}

// checker judges a sample, appending to r.Assertions and clearing
// r.Success on failure.
type checker interface {
	check(u *vuser, r *sample.Result)
}

// iterListener runs at the start of each iteration of its controller (CSV
// Data Set, Counter, Random Variable, per-iteration User Parameters). It
// returns flowStop to end the user (CSV at EOF with stopThread).
type iterListener interface {
	iterationStart(u *vuser) flow
}

// slot is one element's per-user state.
type slot struct {
	n, m int64
	done bool
	v    any
}

// vuser is one virtual user: a goroutine with its own variables, HTTP state
// and controller state.
type vuser struct {
	t    *Test
	gr   *groupRun
	ctx  *functions.Context
	vars *functions.Vars
	sess sampler.Session
	name string
	num  int // 1-based thread number in its group
	stop bool
	// stopAtIterStart: the stop came from an iteration listener (a CSV
	// data set at EOF), which JMeter raises outside any sample, so no
	// transaction sample is written for it even in parent mode
	stopAtIterStart bool
	endTime         time.Time // zero without scheduler
	// runCtx is what the user's samples run under: the run's hard-stop
	// context, with a deadline past endTime when there is one (a sample
	// still in flight then is interrupted); stopRun releases it.
	runCtx  context.Context
	stopRun context.CancelFunc
	ph      *phaseState
	kill    *atomic.Bool // a starter asks this user to stop (dynamic groups)
	dynamic bool         // started by a Concurrency/Arrivals starter, not scheduled
	slots   []slot
	passes  []int // pass number (1-based) of each enclosing iterating controller
	tx      []*txFrame
	prev    functions.Previous
	samples uint64 // samples taken (Gosched guard for empty loops)
	lastPkg *samplerNode
	sleeper *time.Timer
	out     []delivery // samples waiting for the collector
	outMu   sync.Mutex // out, against abandonStuck
	// busy is the sampler whose sample is under way (from its start to its
	// delivery), busySince when it started (UnixNano, 0 between samples):
	// Test.InFlight reads them, and abandonStuck for a user that does not
	// stop.
	busy      atomic.Pointer[samplerNode]
	busySince atomic.Int64
	// scripts: the bindings' side of this user, the sampler being run and
	// the last sample (`prev`); set only in plans with scripts
	senv       *script.Env
	cur        *samplerNode
	lastResult *sample.Result
	rename     string              // the current sample's label from a script (sampler.setName)
	sreq       *script.HTTPRequest // the current HTTP request as scripts changed it
	// params are the Parameterized Controllers the user is inside, outermost
	// first: each sets its variables again before every sample
	params []*parameterizedController
	// branch is set on a Parallel Controller's branch of a user: its run
	branch *parallelRun
}

// halted reports whether the user must not start another sample.
func (u *vuser) halted() bool {
	if u.stop {
		return true
	}
	if (u.kill != nil && u.kill.Load()) || (u.gr != nil && u.gr.halt.Load()) {
		u.stop = true
		return true
	}
	select {
	case <-u.ph.stop:
		u.stop = true
		return true
	default:
		return false
	}
}

// sleep pauses for d unless the phase is stopped; false means stopped.
func (u *vuser) sleep(d time.Duration) bool {
	if d <= 0 {
		return !u.halted()
	}
	deadline := u.arm(d)
	select {
	case <-u.sleeper.C:
		u.woke(deadline)
		return !u.halted()
	case <-u.ph.stop:
		u.sleeper.Stop()
		u.stop = true
		return false
	}
}

// arm hands over queued samples before a real pause and starts the user's
// timer; it returns the deadline. sleep's helpers are not inlined so that
// the frame a waiting user holds stays small (see runUser).
//
//go:noinline
func (u *vuser) arm(d time.Duration) time.Time {
	if d > time.Millisecond {
		u.flush()
	}
	deadline := time.Now().Add(d)
	if u.sleeper == nil {
		u.sleeper = time.NewTimer(d)
	} else {
		u.sleeper.Reset(d)
	}
	return deadline
}

// woke notes how late the timer fired.
//
//go:noinline
func (u *vuser) woke(deadline time.Time) { u.t.noteLag(time.Since(deadline)) }

// delay sums the timers and sleeps once; a pause that would pass the
// scheduler's end stops the user instead (JMeterThread.delay).
func (u *vuser) delay(timers []timer) bool {
	var total time.Duration
	for _, tm := range timers {
		d := tm.delay(u)
		// timer.factor scales the "modifiable" timers (constant and random
		// ones), not the throughput and synchronising timers
		if f := u.t.timerFactor; f != 1 {
			if m, ok := tm.(interface{ modifiable() bool }); ok && m.modifiable() {
				d = time.Duration(math.Round(float64(d.Milliseconds())*f)) * time.Millisecond
			}
		}
		total += d
	}
	if total <= 0 {
		return !u.halted()
	}
	if !u.endTime.IsZero() && total > time.Until(u.endTime) {
		if u.dynamic {
			// a dynamic group's user is not a scheduled JMeterThread: it
			// pauses until the group stops it at the end
			u.sleep(time.Until(u.endTime))
		}
		u.stop = true
		return false
	}
	return u.sleep(total)
}

// pushPass/popPass track the passes of enclosing loops (OnceOnlyController).
func (u *vuser) pushPass(n int) { u.passes = append(u.passes, n) }
func (u *vuser) popPass()       { u.passes = u.passes[:len(u.passes)-1] }
func (u *vuser) pass() int {
	if len(u.passes) == 0 {
		return 1
	}
	return u.passes[len(u.passes)-1]
}

// yieldIfIdle keeps a loop whose pass sampled nothing from starving others.
func (u *vuser) yieldIfIdle(before uint64) {
	if u.samples == before {
		runtime.Gosched()
	}
}

// samplerNode is one sampler with everything in its scope resolved.
type samplerNode struct {
	el        *jmx.Element
	smp       sampler.Sampler
	action    *testAction // Flow Control Action: no sample
	label     *functions.Template
	pres      []preProcessor
	timers    []timer
	posts     []postProcessor
	asserts   []checker
	listeners []output.Output // scoped listeners (files, backend listeners)
	actions   []*resultAction
	script    *scriptSampler  // JSR223/BeanShell/BSF Sampler
	par       *parallel       // Parallel Controller
	slisten   []postProcessor // script listeners in scope
	global    bool            // also to Options.Outputs (false inside a parent-mode transaction)
}

func (s *samplerNode) describe() (string, string, []node) {
	if s.par != nil {
		kids := make([]node, len(s.par.kids))
		for i, k := range s.par.kids {
			kids[i] = k.n
		}
		return s.el.Class(), s.el.Name, kids
	}
	return s.el.Class(), s.el.Name, nil
}

const lastSampleOK = "JMeterThread.last_sample_ok"

func (s *samplerNode) run(u *vuser) flow {
	if u.halted() {
		return flowStop
	}
	c := u.ctx
	c.SamplerName = s.el.Name
	u.cur = s
	u.rename = ""
	u.sreq = nil
	for _, p := range u.params {
		p.apply(u)
	}
	for _, p := range s.pres {
		p.process(u)
	}
	if u.stop { // a pre-processor stopped the user (end of its data …)
		return flowStop
	}
	if !u.delay(s.timers) {
		return flowStop
	}
	if u.sreq != nil && u.sreq.Changed { // scripts changed the request (sampler.setPath …)
		if h, ok := s.smp.(*sampler.HTTP); ok {
			h.UseScriptRequest(&u.sess, u.sreq)
		}
	}
	if s.action != nil {
		return s.action.perform(u)
	}
	return s.sample(u)
}

// sample takes the sample and hands it on. It is apart from run so that the
// frame a user keeps while it waits in a timer stays small (see runUser).
//
//go:noinline
func (s *samplerNode) sample(u *vuser) flow {
	c := u.ctx
	u.busySince.Store(time.Now().UnixNano())
	u.busy.Store(s)
	var r *sample.Result
	then := flowNext // what a Parallel Controller's branches ask of the user
	if s.par != nil {
		r, then = s.par.sample(u)
	} else if s.script != nil {
		r = s.script.sampleScript(u)
	} else {
		r = s.smp.Sample(u.runCtx, &u.sess)
	}
	if r == nil {
		u.busy.Store(nil)
		u.busySince.Store(0)
		u.rename = ""
		return then
	}
	u.samples++
	if r.Label == "" {
		r.Label = s.label.Eval(c)
	}
	if u.rename != "" {
		relabel(r, u.rename)
		u.rename = ""
	}
	if r.Ignore {
		// a sampler script's SampleResult.setIgnore(): no post-processing,
		// no listeners (JMeterThread)
		u.vars.Put(lastSampleOK, strconv.FormatBool(r.Success))
		return u.afterSample(r, flowNext)
	}
	u.fillThreadInfo(r)
	if tr := u.t.opts.Trace; tr != nil && tr.Active() {
		tr.Sampled(r)
	}
	if u.t.scriptsInPlan {
		u.lastResult = r
		c.LastResult = r
	}
	u.prev = functions.Previous{Body: r.Body, Headers: r.ResponseHeaders, Code: r.ResponseCode, Message: r.ResponseMessage, URL: r.URL}
	c.Previous = &u.prev
	for _, p := range s.posts {
		p.process(u, r)
	}
	for _, a := range s.asserts {
		a.check(u, r)
	}
	if r.SampleCount == 0 {
		r.SampleCount = 1
	}
	r.ErrorCount = 0
	if !r.Success {
		r.ErrorCount = 1
	}
	u.vars.Put(lastSampleOK, strconv.FormatBool(r.Success))
	u.lastPkg = s
	logical := flowNext
	if !r.Success {
		for _, a := range s.actions {
			logical = a.apply(r, logical)
		}
	}
	if r.Ignore { // set by a post-processor or an assertion script
		return u.afterSample(r, logical)
	}
	for _, l := range s.slisten {
		l.process(u, r)
	}
	u.deliver(r, s.listeners, s.global)
	u.busy.Store(nil)
	u.busySince.Store(0)
	u.addToTransactions(r, len(u.tx))
	if f := u.afterSample(r, logical); f != flowNext || then == flowNext {
		return f
	}
	return then
}

// fillThreadInfo sets thread name and counts on a result and its sub-results.
func (u *vuser) fillThreadInfo(r *sample.Result) {
	grp := int(u.gr.active.Load())
	if u.branch != nil {
		grp = int(u.branch.active.Load()) // the plugin's threads are in a group of their own
	}
	all := int(u.t.active.Load())
	r.ThreadName = u.name
	r.GrpThreads, r.AllThreads = grp, all
	for _, s := range r.Subs {
		s.ThreadName = u.name
		s.GrpThreads, s.AllThreads = grp, all
	}
}

// afterSample applies the result's stop flags and the group's
// on_sample_error policy, then logical (a Result Status Action Handler's
// loop action, flowNext for none) and the scheduler's end time.
func (u *vuser) afterSample(r *sample.Result, logical flow) flow {
	g := u.gr.g
	failed := !r.Success
	if u.branch != nil {
		failed = false // the plugin's threads have no on_sample_error of their own
	}
	f := flowNext
	if r.StopThread || (failed && g.onError == onErrorStopThread) {
		u.stop = true
		f = flowStop
	}
	if r.StopTest || (failed && g.onError == onErrorStopTest) {
		u.t.stopGraceful()
		u.stop = true
		f = flowStop
	}
	if r.StopTestNow || (failed && g.onError == onErrorStopTestNow) {
		u.t.StopNow()
		u.stop = true
		f = flowStop
	}
	if f == flowNext && (r.StartNextLoop || (failed && g.onError == onErrorStartNextLoop)) {
		f = flowNextThreadLoop
	}
	if f == flowNext {
		f = logical
	}
	if !u.endTime.IsZero() && !time.Now().Before(u.endTime) {
		u.stop = true
		f = flowStop
	}
	if f == flowNext && u.halted() {
		f = flowStop
	}
	return f
}
