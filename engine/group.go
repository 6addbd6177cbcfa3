package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

const (
	phaseSetup = iota
	phaseMain
	phaseTeardown
)

type onError uint8

const (
	onErrorContinue onError = iota
	onErrorStartNextLoop
	onErrorStopThread
	onErrorStopTest
	onErrorStopTestNow
)

func parseOnError(s string) onError {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "startnextloop":
		return onErrorStartNextLoop
	case "stopthread":
		return onErrorStopThread
	case "stoptest":
		return onErrorStopTest
	case "stoptestnow":
		return onErrorStopTestNow
	}
	return onErrorContinue
}

// group is a compiled thread group.
type group struct {
	el       *jmx.Element
	name     string
	phase    int
	num      int // group number within its phase, 1-based
	threads  *functions.Template
	ramp     *functions.Template
	duration *functions.Template
	delay    *functions.Template
	loops    *functions.Template

	scheduler       bool
	continueForever bool
	onError         onError
	sameUser        bool
	root            *ctrlBase
	idxVar          string

	kind shapeKind                      // how users are started (plugin groups)
	p    map[string]*functions.Template // plugin groups' properties
	rows [][]*functions.Template        // schedule tables (Ultimate, Free-Form)
}

// shape is a group's load shape, evaluated at group start.
type shape struct {
	threads  int
	ramp     time.Duration
	delay    time.Duration
	duration time.Duration // 0: no end
	loops    int           // -1: forever
}

func (c *compiler) compileGroup(el *jmx.Element, plan *level, ph, num int) *group {
	g := &group{
		el:       el,
		name:     el.Name,
		phase:    ph,
		num:      num,
		threads:  c.template(el, "ThreadGroup.num_threads", "1"),
		ramp:     c.template(el, "ThreadGroup.ramp_time", "0"),
		duration: c.template(el, "ThreadGroup.duration", ""),
		delay:    c.template(el, "ThreadGroup.delay", ""),
		onError:  parseOnError(el.Str("ThreadGroup.on_sample_error")),
		sameUser: el.Bool("ThreadGroup.same_user_on_next_iteration", true),
	}
	g.scheduler = el.Bool("ThreadGroup.scheduler", false)
	g.idxVar = "__jm__" + g.name + "__idx"
	mc := el.Elem("ThreadGroup.main_controller")
	if mc != nil {
		g.loops = c.template(mc, "LoopController.loops", "1")
		// The LoopController's own default is true: a main loop that does
		// not say continue_forever=false never ends (JMeter 5.6.3).
		g.continueForever = mc.Bool("LoopController.continue_forever", true)
	} else {
		g.loops = functions.Literal("1")
	}
	c.compileShape(g, el)
	c.checkNumbersAtLoad(el, g)
	if g.kind == shapeClassic {
		c.checkThreadCapacity(el, g)
	}
	c.group = g
	g.root = &ctrlBase{el: el, name: g.name}
	lv := c.levelOf(el)
	cx := cctx{chain: []*level{plan}}.with(lv, g.root)
	// test-level elements are added after the group's own children, so
	// their iteration listeners register last and fire first (JMeter).
	g.root.listeners = append(g.root.listeners, lv.data...)
	g.root.listeners = append(g.root.listeners, plan.data...)
	g.root.children = c.compileChildren(el, cx)
	g.root.slot = c.newSlot()
	return g
}

func (c *compiler) newSlot() int {
	n := c.t.nslots
	c.t.nslots++
	return n
}

func evalInt(t *functions.Template, c *functions.Context, def int64) int64 {
	s := strings.TrimSpace(t.Eval(c))
	if s == "" {
		return def
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return v // ParseInt saturates
		}
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return def
		}
		return clampInt(f, def)
	}
	return v
}

func (g *group) shape(c *functions.Context) shape {
	s := shape{
		threads: int(min(evalInt(g.threads, c, 0), math.MaxInt32)),
		ramp:    scaleDuration(evalInt(g.ramp, c, 0), time.Second),
		loops:   int(max(min(evalInt(g.loops, c, 0), math.MaxInt32), math.MinInt32)),
	}
	if s.threads < 0 {
		s.threads = 0
	}
	if s.ramp < 0 {
		s.ramp = 0
	}
	if g.scheduler {
		s.duration = scaleDuration(evalInt(g.duration, c, 0), time.Second)
		s.delay = scaleDuration(evalInt(g.delay, c, 0), time.Second)
		if s.delay < 0 {
			s.delay = 0
		}
	}
	return s
}

// groupRun is one run of a group.
type groupRun struct {
	g      *group
	t      *Test
	shape  shape
	start  time.Time // after the scheduler delay
	end    time.Time // zero: no scheduled end
	active atomic.Int64
	wg     sync.WaitGroup
	// halt stops the group's users after their current sample (a Throughput
	// Shaping Timer at the end of its schedule stops the groups it paces)
	halt atomic.Bool
	// the deadline context shared by the users ending at endAt (see
	// deadlineCtx)
	endMu     sync.Mutex
	endAt     time.Time
	endCtx    context.Context
	endCancel context.CancelFunc
}

// deadlineCtx is the context a user ending at end runs its samples under:
// the run's hard stop with a deadline past end. The users of a group mostly
// share one end, and then one context (a thousand users need not keep a
// thousand timers); a user with another end gets its own, which it
// releases (release is nil for the shared one, released with the group).
func (gr *groupRun) deadlineCtx(end time.Time) (ctx context.Context, release context.CancelFunc) {
	t := gr.t
	gr.endMu.Lock()
	defer gr.endMu.Unlock()
	if gr.endCtx == nil {
		gr.endAt = end
		gr.endCtx, gr.endCancel = context.WithDeadlineCause(t.hardCtx, end.Add(t.endGrace), t.endCause)
	}
	if gr.endAt.Equal(end) {
		return gr.endCtx, nil
	}
	return context.WithDeadlineCause(t.hardCtx, end.Add(t.endGrace), t.endCause)
}

// releaseEnd releases the shared deadline context once no user runs.
func (gr *groupRun) releaseEnd() {
	gr.endMu.Lock()
	defer gr.endMu.Unlock()
	if gr.endCancel != nil {
		gr.endCancel()
	}
}

// perThreadDelay is round(ramp*1000/N) ms, as ThreadGroup computes it.
func perThreadDelay(ramp time.Duration, n int) time.Duration {
	if n <= 0 || ramp <= 0 {
		return 0
	}
	ms := math.Round(float64(ramp.Milliseconds()) / float64(n))
	return time.Duration(ms) * time.Millisecond
}

// runGroup starts a group's users at their ramp-up offsets and waits for
// them all to end.
func (t *Test) runGroup(g *group, ph *phaseState) error {
	ctx := t.newUserContext(t.global.Clone())
	ctx.ThreadGroupName = g.name
	if err := g.checkGroupNumbers(ctx, false); err != nil {
		return fmt.Errorf("%s: %s: %w", g.el.Where(), g.el.Path(), err)
	}
	sh := g.shape(ctx)
	if g.kind == shapeClassic && g.scheduler && sh.duration <= 0 {
		return fmt.Errorf("%s: %s: invalid scheduler duration %q (must be > 0)", g.el.Where(), g.el.Path(), g.duration.Raw())
	}
	gr := &groupRun{g: g, t: t, shape: sh}
	t.live.addRun(gr)
	defer t.live.removeRun(gr)
	defer gr.releaseEnd() // every path below waits for the group's users first
	now := time.Now()
	gr.start = now.Add(sh.delay)
	if g.scheduler {
		gr.end = gr.start.Add(sh.duration)
	}
	t.logf("INFO", "starting thread group %s: %d threads, ramp-up %s, loops %d", g.name, sh.threads, sh.ramp, sh.loops)
	switch g.kind {
	case shapeUltimate:
		gr.startPlans(gr.shardPlans(gr.ultimatePlans(ctx, now)), ph)
	case shapeStepping:
		gr.startPlans(gr.shardPlans(gr.steppingPlans(ctx, now)), ph)
	case shapeConcurrency:
		gr.runConcurrency(ctx, ph)
	case shapeArrivals:
		gr.runArrivals(ctx, gr.arrivalsRate(ctx), ph)
	case shapeFreeForm:
		gr.runArrivals(ctx, gr.freeFormRate(ctx), ph)
	case shapeOpenModel:
		if err := gr.runOpenModel(ctx, ph); err != nil {
			gr.wg.Wait()
			return fmt.Errorf("%s: %s: %w", g.el.Where(), g.el.Path(), err)
		}
	}
	if g.kind != shapeClassic {
		gr.wg.Wait()
		return nil
	}
	step := perThreadDelay(sh.ramp, sh.threads)
	starter := time.NewTimer(0)
	defer starter.Stop()
	<-starter.C
	for i := 0; i < sh.threads; i++ {
		at := gr.start.Add(time.Duration(i) * step)
		if d := time.Until(at); d > 0 {
			starter.Reset(d)
			select {
			case <-starter.C:
			case <-ph.stop:
			}
		}
		if isClosed(ph.stop) {
			break
		}
		if !gr.end.IsZero() && !time.Now().Before(gr.end) {
			break // started after the end: JMeter's thread stops at once
		}
		if t.inShard(i) {
			gr.spawn(userPlan{num: i + 1, end: gr.end}, ph)
		}
	}
	gr.wg.Wait()
	return nil
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func (t *Test) newUserContext(vars *functions.Vars) *functions.Context {
	c := functions.NewContext(vars, t.props, t.shared)
	c.PlanFile = t.plan.File
	c.Log = t.opts.Log
	return c
}

// userPlan is how one user lives: its number, when it must end, and for
// arrival-driven groups where its iterations come from.
type userPlan struct {
	num    int           // 1-based thread number
	start  time.Time     // when the user starts (zero: now)
	end    time.Time     // zero: no end
	iters  int           // iteration limit besides the loop controller; 0 none
	tokens chan struct{} // arrival mode: one iteration per token; closed ends
	kill   *atomic.Bool  // set by a starter to stop the user after its sample
	// dynamic users (Concurrency, Arrivals) are stopped by their starter at
	// the end rather than scheduled: a pause past the end is not cut short
	// by stopping at once
	dynamic bool
	done    func(limited bool)
}

// spawn starts one user goroutine.
// spawn starts a user; false when memory is too low to start one.
func (gr *groupRun) spawn(p userPlan, ph *phaseState) bool {
	if gr.t.mem != nil && !gr.t.mem.allow() {
		return false
	}
	gr.wg.Add(1)
	go gr.runUser(&p, ph)
	return true
}

// runUser is one virtual user's life. Its frame and those of the loop it
// runs stay small: a user waiting in a timer holds every frame from here
// down, and the garbage collector halves a goroutine's stack only while
// less than a quarter of it is in use. The set-up happens in newUser, whose
// frame is gone by then, so that after a sample deepened the stack (the
// HTTP client needs about 4 KB more) a waiting user shrinks back to 4 KB.
func (gr *groupRun) runUser(p *userPlan, ph *phaseState) {
	defer gr.wg.Done()
	// A bug in an element must end one user, not the whole run (JMeter logs
	// "Test failed!" and the thread ends).
	defer gr.recoverUser(p.num)
	limited := false
	if p.done != nil {
		defer func() { p.done(limited) }()
	}
	u := gr.newUser(p, ph)
	if u == nil {
		return
	}
	defer u.finish()
	limited = u.loop(p)
}

// recoverUser ends a user that panicked, logging the error.
func (gr *groupRun) recoverUser(num int) {
	if v := recover(); v != nil {
		gr.t.crashed.Add(1)
		buf := make([]byte, 4096)
		buf = buf[:runtime.Stack(buf, false)]
		gr.t.logf("ERROR", "%s %d-%d: internal error, user stopped: %v\n%s", gr.g.name, gr.g.num, num, v, buf)
	}
}

// newUser waits for the user's start and builds it; nil when the user must
// not run.
//
//go:noinline
func (gr *groupRun) newUser(p *userPlan, ph *phaseState) *vuser {
	t, g := gr.t, gr.g
	if !p.start.IsZero() {
		if d := time.Until(p.start); d > 0 {
			tm := time.NewTimer(d)
			select {
			case <-tm.C:
			case <-ph.stop:
				tm.Stop()
				return nil
			}
		}
	}
	if !p.end.IsZero() && !time.Now().Before(p.end) {
		return nil
	}
	vars := t.global.Clone()
	u := &vuser{
		t:       t,
		gr:      gr,
		vars:    vars,
		num:     p.num,
		name:    g.name + " " + strconv.Itoa(g.num) + "-" + strconv.Itoa(p.num),
		endTime: p.end,
		ph:      ph,
		kill:    p.kill,
		dynamic: p.dynamic,
		slots:   make([]slot, t.nslots),
	}
	u.runCtx = t.hardCtx
	if !p.end.IsZero() {
		u.runCtx, u.stopRun = gr.deadlineCtx(p.end)
	}
	u.ctx = t.newUserContext(vars)
	u.ctx.ThreadNum = u.num
	u.ctx.ThreadName = u.name
	u.ctx.ThreadGroupName = g.name
	u.ctx.Iteration = 0
	u.ctx.RunCtx = t.hardCtx
	u.ctx.Halt = ph.stop
	u.sess.Ctx = u.ctx
	u.sess.HTTPOptions = t.httpOptions() // the HTTP state is made when the user first needs it
	vars.Put(lastSampleOK, "true")

	t.started.Add(1)
	t.active.Add(1)
	gr.active.Add(1)
	t.live.add(u)
	return u
}

// finish hands over the user's last samples and releases it.
func (u *vuser) finish() {
	u.flush()
	u.t.live.remove(u)
	u.gr.active.Add(-1)
	u.t.active.Add(-1)
	u.t.finished.Add(1)
	u.sess.Close()
	if u.stopRun != nil {
		u.stopRun()
	}
}

// loop runs the user's iterations; true when it ended on its iteration
// limit (p.iters).
func (u *vuser) loop(p *userPlan) (limited bool) {
	g := u.gr.g
	vars := u.vars
	loops := u.gr.shape.loops
	done := 0
	for !u.halted() {
		if loops >= 0 && done >= loops {
			if !g.continueForever || loops == 0 {
				return false
			}
			// continue_forever: the loop resets and runs again
			done = 0
		}
		if p.iters > 0 && u.ctx.Iteration >= p.iters {
			return true
		}
		if p.tokens != nil && !u.awaitArrival(p.tokens) {
			return false
		}
		done++
		u.ctx.Iteration++
		vars.Put(g.idxVar, strconv.Itoa(u.ctx.Iteration-1))
		if u.sess.HTTP != nil && u.ctx.Iteration > 1 {
			u.sess.HTTP.StartIteration(g.sameUser)
		}
		before := u.samples
		u.pushPass(u.ctx.Iteration)
		f := g.root.iterStart(u)
		if f == flowNext {
			f = g.root.runChildren(u)
		}
		u.popPass()
		switch f {
		case flowStop:
			return false
		case flowBreakLoop:
			if !g.continueForever {
				return false
			}
		}
		if f != flowNext {
			vars.Put(lastSampleOK, "true")
		}
		if !u.endTime.IsZero() && !time.Now().Before(u.endTime) {
			return false
		}
		u.yieldIfIdle(before)
	}
	return false
}

// awaitArrival waits for the next arrival; false when the user must end.
func (u *vuser) awaitArrival(tokens chan struct{}) bool {
	u.flush()
	var end <-chan time.Time
	if !u.endTime.IsZero() {
		tm := time.NewTimer(time.Until(u.endTime))
		defer tm.Stop()
		end = tm.C
	}
	select {
	case _, ok := <-tokens:
		return ok
	case <-u.ph.stop:
		return false
	case <-end:
		return false
	}
}

// Run runs setUp groups, then the main groups, then tearDown groups.
// Cancelling ctx stops gracefully: no new samples start, running ones
// finish. Run returns when every user has ended and every output has
// received every sample; it does not close the outputs.
func (t *Test) Run(ctx context.Context) error {
	if !t.ran.CompareAndSwap(false, true) {
		return errors.New("engine: a Test runs only once")
	}
	defer t.hardCancel()
	defer t.closeAll()
	if !t.waitForStart(ctx) {
		return nil // stopped before the start: nothing was sent
	}
	t.startedAt = time.Now()
	t.timerFactor = 1
	if v, ok := t.props.Get("timer.factor"); ok {
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 {
			t.timerFactor = f
		}
	}
	t.ensureGlobals()
	memDone := make(chan struct{})
	defer close(memDone)
	t.initMemGuard(memDone)
	t.initEndGrace()
	t.warnOpenFiles()
	t.sampleVars = nil
	if v := strings.TrimSpace(t.props.GetOr("sample_variables", "")); v != "" {
		for _, n := range strings.Split(v, ",") {
			t.sampleVars = append(t.sampleVars, strings.TrimSpace(n))
		}
	}

	t.results = make(chan []delivery, 1024)
	collected := make(chan struct{})
	go t.collect(collected)
	t.health.start()
	defer t.health.end()
	if t.jdbc != nil {
		t.jdbc.Start(t.hardCtx)
		defer t.jdbc.Close()
	}

	phasesDone := make(chan error, 1)
	go func() { phasesDone <- t.runPhases(ctx) }()
	var runErr error
	select {
	case runErr = <-phasesDone:
	case <-t.hardStop:
		// Stop now: users that do not end within stuckAfter (stuck in
		// work nothing can cancel: a regex, a blocking read) are left
		// behind; their samples in flight are recorded as interrupted.
		tm := time.NewTimer(stuckAfter)
		select {
		case runErr = <-phasesDone:
		case <-tm.C:
			t.abandonStuck()
		}
		tm.Stop()
	}
	t.closeResults()
	<-collected
	t.closeStreams()
	if n := t.crashed.Load(); n > 0 {
		runErr = errors.Join(runErr, fmt.Errorf("engine: %d virtual user(s) stopped by an internal error (see the log)", n))
	}
	return runErr
}

// runPhases runs setUp, main and tearDown groups in turn.
func (t *Test) runPhases(ctx context.Context) error {
	var runErr error
	phases := []struct {
		groups []*group
		name   string
	}{{t.setup, "setUp"}, {t.main, "main"}, {t.teardown, "tearDown"}}
	for i, p := range phases {
		if len(p.groups) == 0 {
			continue
		}
		if i != phaseMain && !t.runsSetupTeardown() {
			t.logf("INFO", "%s groups run on another shard (gometer.shard.setup_teardown)", p.name)
			continue
		}
		if i == phaseTeardown {
			if t.stoppedHard.Load() || (t.stoppedGraceful.Load() && !t.teardownOnStop) {
				break
			}
		} else if t.stoppedGraceful.Load() || ctx.Err() != nil {
			break
		}
		ph := newPhase()
		t.phase.Store(ph)
		stopWatch := make(chan struct{})
		if i != phaseTeardown {
			go func() {
				select {
				case <-ctx.Done():
					t.stopGraceful()
				case <-stopWatch:
				}
			}()
		} else if t.stoppedGraceful.Load() {
			t.logf("INFO", "running tearDown groups after shutdown")
		}
		if err := t.runPhase(p.groups, ph); err != nil && runErr == nil {
			runErr = err
		}
		close(stopWatch)
	}
	return runErr
}

func (t *Test) runPhase(groups []*group, ph *phaseState) error {
	if t.serialize {
		for _, g := range groups {
			if isClosed(ph.stop) {
				break
			}
			if err := t.runGroup(g, ph); err != nil {
				return err
			}
		}
		return nil
	}
	var wg sync.WaitGroup
	errs := make([]error, len(groups))
	for i, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = t.runGroup(g, ph)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Samples go to the collector in small per-user batches, so that users do
// not contend on the channel for every sample: a batch leaves when it is
// full, when its oldest sample is older than deliverAfter, before the user
// pauses, and when the user ends.
const (
	deliverBatch = 64
	deliverAfter = 50 * time.Millisecond
	slowSample   = 5 * time.Millisecond
)

// deliver queues a finished sample for the outputs.
func (u *vuser) deliver(r *sample.Result, listeners []output.Output, global bool) {
	if u.branch != nil && u.branch.collect {
		u.branch.collectSub(r)
		return
	}
	if !global && len(listeners) == 0 {
		return
	}
	if names := u.t.sampleVars; len(names) > 0 && r.Vars == nil {
		// sample_variables: the user's values when the sample is reported
		r.Vars = make([]string, len(names))
		for i, n := range names {
			r.Vars[i], _ = u.vars.Get(n)
		}
	}
	if u.out == nil {
		if b, ok := u.t.batches.Get().(*[]delivery); ok {
			u.out = (*b)[:0]
		} else {
			u.out = make([]delivery, 0, deliverBatch)
		}
	}
	u.outMu.Lock()
	u.out = append(u.out, delivery{res: r, listeners: listeners, global: global})
	u.outMu.Unlock()
	// Batching pays only for fast samples; a slow one (the server takes a
	// while) goes out at once, so outputs see samples when they end.
	if len(u.out) >= deliverBatch || r.Elapsed > slowSample || r.End().Sub(u.out[0].res.Start) > deliverAfter {
		u.flush()
	}
}

// flush hands the queued samples to the collector.
func (u *vuser) flush() {
	if len(u.out) == 0 {
		return
	}
	u.outMu.Lock()
	u.t.send(u.out)
	u.out = nil
	u.outMu.Unlock()
}

// send hands a batch to the collector, unless the run has ended without
// this user (it was left behind, stuck): then the batch is dropped.
func (t *Test) send(batch []delivery) {
	t.resMu.RLock()
	if !t.resClosed {
		t.results <- batch
	}
	t.resMu.RUnlock()
}

func (t *Test) closeResults() {
	t.resMu.Lock()
	t.resClosed = true
	close(t.results)
	t.resMu.Unlock()
}

// collect fans samples out to the outputs, in arrival order.
func (t *Test) collect(done chan<- struct{}) {
	defer close(done)
	for batch := range t.results {
		for _, d := range batch {
			if d.global {
				for _, o := range t.opts.Outputs {
					o.Add(d.res)
				}
			}
			for _, o := range d.listeners {
				o.Add(d.res)
			}
		}
		clear(batch)
		batch = batch[:0]
		t.batches.Put(&batch)
	}
}

// udv is one global variable.
type udv struct {
	name  string
	value *functions.Template
	set   int // which Arguments element (or the test plan) defines it
}

// evalUDVs evaluates the global variables once, element by element, each
// element's seeing those of the elements before it.
func (t *Test) evalUDVs() {
	vars := functions.NewVars()
	// JMeter preloads the START.* properties into every thread's variables
	// and sets TESTSTART.MS when the test starts.
	now := time.Now()
	for name, def := range map[string]string{
		"START.MS":  strconv.FormatInt(now.UnixMilli(), 10),
		"START.YMD": now.Format("20060102"),
		"START.HMS": now.Format("150405"),
	} {
		vars.Put(name, t.props.GetOr(name, def))
	}
	vars.Put("TESTSTART.MS", strconv.FormatInt(now.UnixMilli(), 10))
	c := t.newUserContext(vars)
	c.ThreadName = "main"
	// JMeter evaluates all of one element's variables before it adds them:
	// they see the variables of earlier elements, not each other's.
	var vals []string
	for i := 0; i < len(t.udvs); {
		j := i
		vals = vals[:0]
		for ; j < len(t.udvs) && t.udvs[j].set == t.udvs[i].set; j++ {
			vals = append(vals, t.udvs[j].value.Eval(c))
		}
		for k, v := range t.udvs[i:j] {
			vars.Put(v.name, vals[k])
		}
		i = j
	}
	t.global = vars
}
