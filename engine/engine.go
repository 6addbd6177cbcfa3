package engine

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/sampler"
	"github.com/gometer/gometer/sampler/jdbc"
	"github.com/gometer/gometer/script"
)

// Options configure a compiled test.
type Options struct {
	Props *functions.Properties
	// Outputs receive every top-level sample of the run (the -l JTL, the
	// summariser, statistics). The engine only calls Add: starting and
	// stopping them is the caller's (the runner's). What they read beyond
	// the summary fields (output.Needer) decides what samples carry.
	Outputs []output.Output
	// OpenListener makes the output of a listener element in the plan (a
	// ResultCollector, a BackendListener); that output receives only the
	// samples in the element's scope, as JMeter's listener scoping does. It
	// is called once per element; nil output: the element does nothing
	// (a ResultCollector without a file). An error wrapping ErrUnsupported
	// is a skippable problem, any other a configuration error. The caller
	// owns the outputs it made, also when Compile fails. nil: collectors are
	// ignored and backend listeners are unsupported.
	OpenListener func(el *jmx.Element) (output.Output, error)
	// SkipUnsupported compiles anyway, leaving out elements gometer cannot
	// run; each one is listed by Warnings.
	SkipUnsupported bool
	TLSVerify       bool
	// Trace, when set, is told each timer's pause, each sample and the
	// variables post-processors set (gometer debug); nil in normal runs.
	Trace Tracer
	// Proxy is the run-wide HTTP proxy (JMeter's -H/-P/-N/-u/-a), nil for none.
	Proxy *sampler.Proxy
	// Log receives engine messages; nil discards them.
	Log func(level, msg string)
	// Debug, when set (DEBUG is on for gometer.engine), receives a line for
	// each element's decision: controllers' conditions and choices,
	// transactions' start and end, timers' delays, variables extractors
	// set, modules and includes resolved. nil in normal runs, which then
	// pay nothing for it.
	Debug func(msg string)
	// Shared is the run-wide function state; nil creates one.
	Shared *functions.Shared
	// Shard and Shards split the load between Shards copies of gometer
	// running the same plan (0-based Shard; Shards 0 or 1: everything). Each
	// copy runs the users whose 0-based number modulo Shards is Shard, at
	// the times the whole plan gives them; rate- and level-based groups take
	// 1/Shards of their target.
	Shard, Shards int
	// StartAt, when set, is when the load starts: Run waits until then
	// (shards on several machines start together). A start later than
	// StartAtTolerance is logged and reported by LateStart.
	StartAt          time.Time
	StartAtTolerance time.Duration
}

// Problem is one element that cannot be run (or was skipped).
type Problem struct {
	File  string
	Line  int
	Path  string
	Class string
	Msg   string
	// Script is the language of a JSR223, BeanShell or BSF element gometer
	// cannot run ("groovy", "beanshell" …), empty for other problems.
	Script string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		if p.Class != "" {
			fmt.Fprintf(&b, " (%s)", p.Class)
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found while compiling a plan; it is an error
// that prints one line per problem.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Test is a compiled plan, ready to run once.
type Test struct {
	opts     Options
	plan     *jmx.Plan
	props    *functions.Properties
	shared   *functions.Shared
	monitors *script.Monitors // the locks of `synchronized` in scripts, run-wide
	warnings []Problem
	notes    []Problem    // accepted, not done (see Notes)
	perfmon  []PerfMonRow // PerfMon rows of this machine, read by gometer

	clientCerts  *sampler.ClientCerts // javax.net.ssl.keyStore's selected entries, or nil
	httpOpts     sampler.StateOptions // every user's HTTP state is made with these (httpOptions)
	httpOptsOnce sync.Once

	udvs           []udv // global variables in evaluation order
	setup          []*group
	main           []*group
	teardown       []*group
	serialize      bool
	teardownOnStop bool

	nslots        int            // per-user state slots (controllers, data elements)
	readsPrev     int8           // 0 unknown, 1 no, 2 some expression reads the previous response
	scripts       map[string]int // script elements compiled, by language (nil: none)
	scriptsInPlan bool           // the plan holds script elements or functions
	bindingMaps   sync.Pool      // JSR223/BSF bindings recycled between calls and users
	locks         sync.Map       // CriticalSectionController locks by name
	state         sync.Map       // run-wide element state shared by users, by sharedKey
	batches       sync.Pool      // *[]delivery buffers returned by the collector

	// run state
	active, started, finished atomic.Int64
	hardCtx                   context.Context
	hardCancel                context.CancelFunc
	phase                     atomic.Pointer[phaseState]
	stoppedGraceful           atomic.Bool // a graceful stop was requested (ctx or stoptest)
	stoppedHard               atomic.Bool
	results                   chan []delivery
	resMu                     sync.RWMutex // send (R) against closeResults (W)
	resClosed                 bool
	hardStop                  chan struct{} // closed by StopNow
	hardStopOnce              sync.Once
	ran                       atomic.Bool
	crashed                   atomic.Int64 // users ended by a panic
	sampleVars                []string     // sample_variables: variables written with each sample
	lagMax                    atomic.Int64 // worst timer oversleep (ns) since the last Lag call
	lagLate                   atomic.Int64 // pauses that overslept by more than lateAfter
	timerFactor               float64
	startedAt                 time.Time       // when Run began (JMeter's test start time)
	lateStart                 time.Duration   // start after Options.StartAt beyond the tolerance
	global                    *functions.Vars // global variables after UDV evaluation

	health      healthMonitor // GeneratorHealth's figures
	live        liveUsers     // running users and groups, for InFlight and GroupCounts
	globalsOnce sync.Once

	mem            *memGuard // stops starting users when memory runs low
	includesParsed int       // included files parsed (each once)
	// maxDataFile is the largest data file read (datafile.PropMaxMB).
	maxDataFile int64
	// regexTimeout is the budget of one backtracking regex match in
	// scripts (jregex.PropMatchTimeout; extractors get theirs at compile).
	regexTimeout time.Duration
	// endGrace is how long a sample in flight at its group's scheduled end
	// may go on before it is interrupted with endCause.
	endGrace time.Duration
	endCause error

	jdbc *jdbc.Pools // JDBC connection pools by variable name; nil without JDBC elements

	closeMu sync.Mutex
	closers []io.Closer // files elements opened during the run, closed when it ends
}

// closeAtEnd closes c when the run ends.
func (t *Test) closeAtEnd(c io.Closer) {
	t.closeMu.Lock()
	t.closers = append(t.closers, c)
	t.closeMu.Unlock()
}

func (t *Test) closeAll() {
	t.closeMu.Lock()
	defer t.closeMu.Unlock()
	for _, c := range t.closers {
		_ = c.Close()
	}
	t.closers = nil
}

// phaseState lets users of one phase (setUp, main, tearDown) be asked to stop.
type phaseState struct {
	once sync.Once
	stop chan struct{}
}

func newPhase() *phaseState { return &phaseState{stop: make(chan struct{})} }

func (p *phaseState) halt() { p.once.Do(func() { close(p.stop) }) }

// delivery is one sample on its way to outputs.
type delivery struct {
	res       *sample.Result
	listeners []output.Output
	global    bool // also to Options.Outputs
}

// Warnings lists the elements left out because of SkipUnsupported.
func (t *Test) Warnings() []Problem { return t.warnings }

// Counts reports active, started and finished virtual users.
func (t *Test) Counts() (active, started, finished int) {
	return int(t.active.Load()), int(t.started.Load()), int(t.finished.Load())
}

// lateAfter is how much a pause may overrun before it counts as late: a
// generator short of CPU wakes its users late and under-delivers load.
const lateAfter = 20 * time.Millisecond

func (t *Test) noteLag(d time.Duration) {
	t.health.note(d)
	if d > lateAfter {
		t.lagLate.Add(1)
	}
	for {
		cur := t.lagMax.Load()
		if int64(d) <= cur || t.lagMax.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}

// Lag reports how late timers and pauses woke since the previous call: the
// worst overrun, and how many overran by more than 20 ms. A summariser can
// warn that the generator is saturated (think times and rates not kept)
// instead of blaming the server.
func (t *Test) Lag() (worst time.Duration, late int64) {
	return time.Duration(t.lagMax.Swap(0)), t.lagLate.Swap(0)
}

// StopNow stops the test hard: no new samples, and requests in flight are
// cancelled (they are recorded as failed samples).
func (t *Test) StopNow() {
	t.hardStopOnce.Do(func() { close(t.hardStop) })
	t.stoppedHard.Store(true)
	t.stoppedGraceful.Store(true)
	if p := t.phase.Load(); p != nil {
		p.halt()
	}
	if t.hardCancel != nil {
		t.hardCancel()
	}
}

// stopGraceful asks every running user to stop after its current sample.
func (t *Test) stopGraceful() {
	t.stoppedGraceful.Store(true)
	if p := t.phase.Load(); p != nil {
		p.halt()
	}
}

func (t *Test) logf(level, format string, args ...any) {
	if t.opts.Log != nil {
		t.opts.Log(level, fmt.Sprintf(format, args...))
	}
}

// stuckAfter is how long a stop-now waits for users to end before it
// leaves behind those stuck in work nothing can cancel.
const stuckAfter = 500 * time.Millisecond

// abandonStuck ends the run without the users still running after a
// stop-now: each one's samples waiting for delivery are handed over, its
// sample in flight is recorded as interrupted, and whatever it produces
// later is dropped (send, once the results are closed).
func (t *Test) abandonStuck() {
	now := time.Now()
	n := 0
	t.live.mu.Lock()
	users := make([]*vuser, 0, len(t.live.users))
	for u := range t.live.users {
		users = append(users, u)
	}
	t.live.mu.Unlock()
	for _, u := range users {
		u.outMu.Lock()
		batch := u.out
		u.out = nil
		if s := u.busy.Load(); s != nil {
			start := time.Unix(0, u.busySince.Load())
			batch = append(batch, delivery{res: interrupted(s, u.name, start, now), listeners: s.listeners, global: s.global})
			n++
		}
		u.outMu.Unlock()
		if len(batch) > 0 {
			t.send(batch)
		}
	}
	t.logf("WARN", "stopped now: %d sample(s) still in flight after %v recorded as interrupted", n, stuckAfter)
}

// interrupted is the failed sample written for a user stuck in s.
func interrupted(s *samplerNode, thread string, start, now time.Time) *sample.Result {
	label := s.el.Name // the label template needs the stuck user's variables
	if s.label.IsLiteral() {
		label = s.label.Raw()
	}
	msg := fmt.Sprintf("interrupted: the sample did not end within %v of the stop", stuckAfter)
	return &sample.Result{
		Label: label, Start: start, Elapsed: now.Sub(start), ThreadName: thread,
		ResponseCode:    "Non HTTP response code: java.lang.InterruptedException",
		ResponseMessage: "Non HTTP response message: " + msg,
		DataType:        "text", Body: []byte("java.lang.InterruptedException: " + msg + "\n"),
		SampleCount: 1, ErrorCount: 1,
	}
}

// httpOptions are the options of every user's HTTP state: the run's
// certificate checks, properties and client certificates (set at compile).
func (t *Test) httpOptions() *sampler.StateOptions {
	t.httpOptsOnce.Do(func() {
		t.httpOpts = sampler.StateOptions{TLSVerify: t.opts.TLSVerify, Props: t.props, ClientCerts: t.clientCerts}
	})
	return &t.httpOpts
}
