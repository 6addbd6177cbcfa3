package engine

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// ctrlBase is what every controller has: its children in order and the
// iteration listeners registered on it. Controllers run their children
// recursively; per-user state lives in the user's slot for the controller.
type ctrlBase struct {
	el        *jmx.Element
	name      string
	children  []node
	listeners []iterListener
	slot      int
	dbg       debugLog // nil unless DEBUG is on: test it before logging
}

func (c *ctrlBase) describe() (string, string, []node) {
	return c.el.Class(), c.name, c.children
}

// iterStart fires the iteration listeners, the last registered first (as
// GenericController.fireIterationStart does).
func (c *ctrlBase) iterStart(u *vuser) flow {
	for i := len(c.listeners) - 1; i >= 0; i-- {
		if f := c.listeners[i].iterationStart(u); f != flowNext {
			if f == flowStop {
				u.stopAtIterStart = true
			}
			return f
		}
	}
	return flowNext
}

func (c *ctrlBase) runChildren(u *vuser) flow {
	for _, ch := range c.children {
		if f := ch.run(u); f != flowNext {
			return f
		}
	}
	return flowNext
}

// pass runs one iteration: listeners, then children.
func (c *ctrlBase) pass(u *vuser) flow {
	if f := c.iterStart(u); f != flowNext {
		return f
	}
	return c.runChildren(u)
}

// genericController runs its children once per parent pass (Simple,
// Recording, Test Fragment used by a Module/Include controller).
type genericController struct{ ctrlBase }

func (c *genericController) run(u *vuser) flow { return c.pass(u) }

// loopFlow is how an iterating controller treats a pass's flow: keep going,
// leave the loop normally, or pass the flow up. A continue or break it
// consumes resets JMeterThread.last_sample_ok to true, as JMeterThread does
// after any flow action (after enclosing transactions took their verdict).
func (u *vuser) loopFlow(f flow) (cont bool, up flow) {
	switch f {
	case flowNext:
		return true, flowNext
	case flowNextLoop:
		u.vars.Put(lastSampleOK, "true")
		return true, flowNext
	case flowBreakLoop:
		u.vars.Put(lastSampleOK, "true")
		return false, flowNext
	}
	return false, f
}

// loopController runs its children loops times per parent pass (-1 forever).
type loopController struct {
	ctrlBase
	loops           *functions.Template
	continueForever bool
	idxVar          string
}

func (c *loopController) run(u *vuser) flow {
	st := &u.slots[c.slot]
	if st.done {
		return flowNext
	}
	n := evalInt(c.loops, u.ctx, 0)
	for i := int64(0); n < 0 || i < n; i++ {
		if u.halted() {
			return flowStop
		}
		u.vars.Put(c.idxVar, strconv.FormatInt(i, 10))
		if c.dbg != nil {
			c.dbg.logf(u, "Loop Controller %q: pass %d of %s", c.name, i+1, loopCount(n))
		}
		before := u.samples
		u.pushPass(int(i + 1))
		f := c.pass(u)
		u.popPass()
		cont, up := u.loopFlow(f)
		if !cont {
			if c.dbg != nil {
				c.dbg.logf(u, "Loop Controller %q: left after pass %d (%s)", c.name, i+1, flowName(f))
			}
			if up == flowNext { // this loop's break: JMeter resets its count
				u.vars.Put(c.idxVar, "0")
				if !c.continueForever {
					st.done = true
				}
			}
			return up
		}
		u.yieldIfIdle(before)
	}
	// JMeter's next() writes the index once more as the loop runs out: 0
	// after a loop that continues forever resets (the usual nested loop),
	// else the count it stopped at.
	if c.continueForever || n < 0 {
		u.vars.Put(c.idxVar, "0")
	} else {
		u.vars.Put(c.idxVar, strconv.FormatInt(n, 10))
	}
	if !c.continueForever {
		st.done = true // a loop that does not continue forever never runs again
	}
	return flowNext
}

// whileController repeats its children while the condition holds.
type whileController struct {
	ctrlBase
	cond   *functions.Template
	idxVar string
}

// ended reports JMeter's end-of-loop test: the literal "false", or for a
// blank condition a failed last sample at the end of a pass, or for "LAST"
// a failed last sample at any check.
func (c *whileController) ended(u *vuser, loopEnd bool) bool {
	cnd := strings.TrimSpace(c.cond.Eval(u.ctx))
	lastOK, _ := u.vars.Get(lastSampleOK)
	failed := lastOK != "true"
	end := false
	switch {
	case strings.EqualFold(cnd, "false"):
		end = true
	case cnd == "":
		end = loopEnd && failed
	case strings.EqualFold(cnd, "LAST"):
		end = failed
	}
	if c.dbg != nil {
		verdict, when := "goes on", "before"
		if end {
			verdict = "ends"
		}
		if loopEnd {
			when = "after"
		}
		c.dbg.logf(u, "While Controller %q: condition %q (last sample ok: %s) %s pass %s: %s", c.name, cnd, lastOK, when, c.pass1(u), verdict)
	}
	return end
}

// pass1 is the 1-based pass a check comes before or after, for the DEBUG
// log: the index counts passes from 0.
func (c *whileController) pass1(u *vuser) string {
	v, _ := u.vars.Get(c.idxVar)
	n, _ := strconv.Atoi(v)
	return strconv.Itoa(n + 1)
}

// run checks the condition as JMeter does: after each pass (for a blank
// condition, on the last sample), and before each pass once the index has
// moved on, so "${__jm__w__idx} < 3" runs passes 0, 1 and 2. When the loop
// ends or breaks, the index reads 0 again.
func (c *whileController) run(u *vuser) flow {
	for i := 0; ; i++ {
		if u.halted() {
			return flowStop
		}
		u.vars.Put(c.idxVar, strconv.Itoa(i))
		if c.ended(u, false) {
			break
		}
		before := u.samples
		u.pushPass(i + 1)
		f := c.pass(u)
		u.popPass()
		cont, up := u.loopFlow(f)
		if !cont {
			if up == flowNext { // this loop's break
				u.vars.Put(c.idxVar, "0")
			}
			return up
		}
		if c.ended(u, true) {
			break
		}
		u.yieldIfIdle(before)
	}
	u.vars.Put(c.idxVar, "0")
	return flowNext
}

// ifController runs its children when the condition holds.
type ifController struct {
	ctrlBase
	cond        *condition
	evaluateAll bool
}

func (c *ifController) run(u *vuser) flow {
	if !c.evaluateAll {
		if !c.holds(u) {
			return flowNext
		}
		return c.pass(u)
	}
	if !c.holds(u) {
		return flowNext
	}
	if f := c.iterStart(u); f != flowNext {
		return f
	}
	for i, ch := range c.children {
		if i > 0 && !c.holds(u) {
			return flowNext
		}
		if f := ch.run(u); f != flowNext {
			return f
		}
	}
	return flowNext
}

// holds checks the condition, logging it at DEBUG.
func (c *ifController) holds(u *vuser) bool {
	if c.dbg == nil {
		return c.cond.holds(u)
	}
	text, ok := c.cond.check(u)
	verdict := "skips its children"
	if ok {
		verdict = "runs its children"
	}
	c.dbg.logf(u, "If Controller %q: condition %q evaluates to %q: %s", c.name, c.cond.tpl.Raw(), text, verdict)
	return ok
}

// onceOnlyController runs its children on the first pass of its parent:
// once per user life under a simple parent, once per outer pass under a loop.
type onceOnlyController struct {
	ctrlBase
	underLoop bool
}

func (c *onceOnlyController) run(u *vuser) flow {
	var run bool
	if c.underLoop {
		run = u.pass() == 1
	} else {
		st := &u.slots[c.slot]
		run = !st.done
		st.done = true
	}
	if c.dbg != nil {
		if run {
			c.dbg.logf(u, "Once Only Controller %q: first pass, runs its children", c.name)
		} else {
			c.dbg.logf(u, "Once Only Controller %q: ran already, skips its children", c.name)
		}
	}
	if !run {
		return flowNext
	}
	return c.pass(u)
}

// throughputController decides at each iteration start of its parent whether
// its children run this time (deterministically, as JMeter does).
type throughputController struct {
	ctrlBase
	byPercent bool
	perThread bool
	max       *functions.Template
	percent   *functions.Template
	mu        sync.Mutex
	gExec     int64
	gIter     int64
}

func (c *throughputController) decide(u *vuser, exec, iter int64) bool {
	if !c.byPercent {
		return exec < evalInt(c.max, u.ctx, 1)
	}
	pct, err := strconv.ParseFloat(strings.TrimSpace(c.percent.Eval(u.ctx)), 32)
	if err != nil {
		pct = 100
	}
	return (100.0*float64(exec)+50.0)/float64(iter+1) < pct
}

// iterationStart is called by the parent controller (LoopIterationListener).
func (c *throughputController) iterationStart(u *vuser) flow {
	st := &u.slots[c.slot]
	if c.perThread {
		st.m++ // iterations, 0-based after the first increment (starts at -1)
		run := c.decide(u, st.n, st.m-1)
		if run {
			st.n++
		}
		st.done = run
		if c.dbg != nil {
			c.logDecision(u, run, st.n, st.m)
		}
		return flowNext
	}
	c.mu.Lock()
	c.gIter++
	run := c.decide(u, c.gExec, c.gIter-1)
	if run {
		c.gExec++
	}
	exec, iter := c.gExec, c.gIter
	c.mu.Unlock()
	st.done = run
	if c.dbg != nil {
		c.logDecision(u, run, exec, iter)
	}
	return flowNext
}

func (c *throughputController) logDecision(u *vuser, run bool, exec, iter int64) {
	verdict := "skips its children"
	if run {
		verdict = "runs its children"
	}
	target := "max " + strings.TrimSpace(c.max.Eval(u.ctx)) + " executions"
	if c.byPercent {
		target = strings.TrimSpace(c.percent.Eval(u.ctx)) + "% of iterations"
	}
	scope := "all users"
	if c.perThread {
		scope = "this user"
	}
	c.dbg.logf(u, "Throughput Controller %q: %s this iteration (%d execution(s) in %d iteration(s) of %s; target %s)", c.name, verdict, exec, iter, scope, target)
}

func (c *throughputController) run(u *vuser) flow {
	if !u.slots[c.slot].done { // "done" holds runThisTime here
		return flowNext
	}
	return c.pass(u)
}

// interleaveChild runs one child of an Interleave or Random controller.
// With "ignore sub-controller blocks" (style 0) a simple sub-controller
// gives one of its samplers per visit, continuing where it left off, so its
// samplers interleave with the other children (JMeter's
// IGNORE_SUB_CONTROLLERS); otherwise the whole child runs.
type interleaveChild struct {
	n    node
	flat *genericController // style 0: a simple controller of samplers
	slot int                // its per-user position
}

func (ch *interleaveChild) run(u *vuser) flow {
	if ch.flat == nil || len(ch.flat.children) == 0 {
		return ch.n.run(u)
	}
	st := &u.slots[ch.slot]
	if st.n == 0 {
		if f := ch.flat.iterStart(u); f != flowNext {
			return f
		}
	}
	f := ch.flat.children[st.n].run(u)
	st.n = (st.n + 1) % int64(len(ch.flat.children))
	return f
}

// interleaveChildren wraps a controller's children for interleaving.
func (c *compiler) interleaveChildren(children []node, ignoreBlocks bool) []*interleaveChild {
	out := make([]*interleaveChild, len(children))
	for i, n := range children {
		out[i] = &interleaveChild{n: n}
		if g, ok := n.(*genericController); ok && ignoreBlocks && onlySamplers(g.children) {
			out[i].flat = g
			out[i].slot = c.newSlot()
		}
	}
	return out
}

func onlySamplers(ns []node) bool {
	for _, n := range ns {
		if _, ok := n.(*samplerNode); !ok {
			return false
		}
	}
	return true
}

// randomController runs one child chosen at random per pass.
type randomController struct {
	ctrlBase
	picks []*interleaveChild
}

func (c *randomController) run(u *vuser) flow {
	if len(c.picks) == 0 {
		return flowNext
	}
	if f := c.iterStart(u); f != flowNext {
		return f
	}
	i := u.ctx.Rand.IntN(len(c.picks))
	if c.dbg != nil {
		c.dbg.logf(u, "Random Controller %q: picks child %d of %d (%s)", c.name, i+1, len(c.picks), nodeName(c.picks[i].n))
	}
	return c.picks[i].run(u)
}

// randomOrderController runs every child once per pass, in random order.
type randomOrderController struct{ ctrlBase }

func (c *randomOrderController) run(u *vuser) flow {
	if f := c.iterStart(u); f != flowNext {
		return f
	}
	order := u.ctx.Rand.Perm(len(c.children))
	if c.dbg != nil {
		names := make([]string, len(order))
		for k, i := range order {
			names[k] = nodeName(c.children[i])
		}
		c.dbg.logf(u, "Random Order Controller %q: runs %s", c.name, strings.Join(names, ", "))
	}
	for _, i := range order {
		if f := c.children[i].run(u); f != flowNext {
			return f
		}
	}
	return flowNext
}

// interleaveController runs one child per pass, rotating through them. With
// accrossThreads each user starts at its own offset (thread number modulo
// the children), as InterleaveControl.initialize does.
type interleaveController struct {
	ctrlBase
	across bool
	picks  []*interleaveChild
}

func (c *interleaveController) run(u *vuser) flow {
	if len(c.picks) == 0 {
		return flowNext
	}
	if f := c.iterStart(u); f != flowNext {
		return f
	}
	st := &u.slots[c.slot]
	if !st.done {
		st.done = true
		if c.across {
			st.n = int64((u.num - 1) % len(c.picks))
		}
	}
	i := st.n
	st.n = (st.n + 1) % int64(len(c.picks))
	if c.dbg != nil {
		c.dbg.logf(u, "Interleave Controller %q: runs child %d of %d (%s)", c.name, i+1, len(c.picks), nodeName(c.picks[i].n))
	}
	return c.picks[i].run(u)
}

// switchController runs the child picked by index or by name.
type switchController struct {
	ctrlBase
	value *functions.Template
}

func (c *switchController) pick(u *vuser) node {
	if len(c.children) == 0 {
		return nil
	}
	v := strings.TrimSpace(c.value.Eval(u.ctx))
	if c.dbg != nil {
		ch := c.choose(v)
		if ch == nil {
			c.dbg.logf(u, "Switch Controller %q: value %q matches no child and there is no \"default\": runs nothing", c.name, v)
		} else {
			c.dbg.logf(u, "Switch Controller %q: value %q runs %s", c.name, v, nodeName(ch))
		}
		return ch
	}
	return c.choose(v)
}

// choose is the child value v selects: by index, by name, else "default".
func (c *switchController) choose(v string) node {
	if v == "" {
		return c.children[0]
	}
	if isDigits(v) {
		i, err := strconv.Atoi(v)
		if err != nil || i >= len(c.children) {
			return c.children[0]
		}
		return c.children[i]
	}
	var def node
	for _, ch := range c.children {
		_, name, _ := ch.describe()
		if name == v {
			return ch
		}
		if def == nil && strings.EqualFold(name, "default") {
			def = ch
		}
	}
	return def
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func (c *switchController) run(u *vuser) flow {
	ch := c.pick(u)
	if ch == nil {
		return flowNext
	}
	if f := c.iterStart(u); f != flowNext {
		return f
	}
	return ch.run(u)
}

// foreachController runs its children once per variable inputVal_1,
// inputVal_2 … putting each value into returnVal.
type foreachController struct {
	ctrlBase
	input, output    *functions.Template
	sep              string
	start, end       *functions.Template
	hasStart, hasEnd bool // the index properties are present (even if empty)
	idxVar           string
}

// propInt reads an int property as JMeter's getPropertyAsInt(name, def):
// def only when the property is absent; present but empty or not a Java
// int (spaces included), 0.
func propInt(t *functions.Template, present bool, c *functions.Context, def int64) int64 {
	if !present {
		return def
	}
	v, err := strconv.ParseInt(t.Eval(c), 10, 32)
	if err != nil {
		return 0
	}
	return v
}

// run visits inputVal_(start+1) … inputVal_end: the start index is
// exclusive, the end index inclusive, and the first missing variable ends
// the loop.
func (c *foreachController) run(u *vuser) flow {
	in := c.input.Eval(u.ctx)
	out := c.output.Eval(u.ctx)
	start := propInt(c.start, c.hasStart, u.ctx, 0)
	end := propInt(c.end, c.hasEnd, u.ctx, math.MaxInt32)
	pass := 0
	for i := start + 1; i <= end; i++ {
		v, ok := u.vars.Get(in + c.sep + strconv.FormatInt(i, 10))
		if !ok {
			break
		}
		if u.halted() {
			return flowStop
		}
		u.vars.Put(out, v)
		u.vars.Put(c.idxVar, strconv.FormatInt(i-1, 10)) // JMeter's loopCount: from the start index
		if c.dbg != nil {
			c.dbg.logf(u, "ForEach Controller %q: %s = %q from %s%s%d", c.name, out, v, in, c.sep, i)
		}
		pass++
		u.pushPass(pass)
		f := c.pass(u)
		u.popPass()
		cont, up := u.loopFlow(f)
		if !cont {
			if up == flowNext { // this loop's break: JMeter resets its count
				u.vars.Put(c.idxVar, strconv.FormatInt(start, 10))
			}
			return up
		}
	}
	// When the loop runs out, JMeter resets its index to the start (and so
	// __jm__<name>__idx reads the start index) and its parent asks isDone()
	// once more, which puts inputVal_(start+1) into returnVal again: after
	// the loop, returnVal holds the first value.
	u.vars.Put(c.idxVar, strconv.FormatInt(start, 10))
	if start < end {
		if v, ok := u.vars.Get(in + c.sep + strconv.FormatInt(start+1, 10)); ok {
			u.vars.Put(out, v)
		}
	}
	return flowNext
}

// runtimeController repeats its children until whole seconds have passed.
type runtimeController struct {
	ctrlBase
	seconds *functions.Template
}

func (c *runtimeController) run(u *vuser) flow {
	secs := evalInt(c.seconds, u.ctx, 0)
	if secs <= 0 || len(c.children) == 0 {
		return flowNext
	}
	start := time.Now()
	expired := func() bool { return int64(time.Since(start)/time.Second) >= secs }
	if c.dbg != nil {
		c.dbg.logf(u, "Runtime Controller %q: runs its children for %d s", c.name, secs)
		defer func() {
			c.dbg.logf(u, "Runtime Controller %q: ends after %v", c.name, time.Since(start).Round(time.Millisecond))
		}()
	}
	for !expired() {
		if f := c.iterStart(u); f != flowNext {
			return f
		}
		before := u.samples
		for _, ch := range c.children {
			if expired() {
				return flowNext
			}
			if f := ch.run(u); f != flowNext {
				return f
			}
		}
		u.yieldIfIdle(before)
	}
	return flowNext
}

// criticalSection runs its children holding a lock shared by name.
type criticalSection struct {
	ctrlBase
	lockName *functions.Template
}

func (c *criticalSection) run(u *vuser) flow {
	name := c.lockName.Eval(u.ctx)
	if name == "" {
		name = "global_lock"
	}
	l, _ := u.t.locks.LoadOrStore(name, &sync.Mutex{})
	mu := l.(*sync.Mutex)
	if !mu.TryLock() {
		u.flush() // waiting for the lock may be long
		mu.Lock()
	}
	defer mu.Unlock()
	return c.pass(u)
}

// loopCount is a loop's count as the DEBUG log shows it.
func loopCount(n int64) string {
	if n < 0 {
		return "forever"
	}
	return strconv.FormatInt(n, 10)
}

// flowName says why a loop was left, for the DEBUG log.
func flowName(f flow) string {
	switch f {
	case flowBreakLoop:
		return "break"
	case flowStop:
		return "the user stops"
	}
	return "the iteration ends"
}

// nodeName names a node for the DEBUG log: its kind and name.
func nodeName(n node) string {
	kind, name, _ := n.describe()
	return kind + " " + strconv.Quote(name)
}
