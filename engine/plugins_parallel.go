package engine

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/sampler"
)

// classParallel is BlazeMeter's Parallel Controller ("jpgc-parallel").
// JMeter sees it as a sampler (pre-processors, timers, post-processors and
// assertions in its scope apply to it) that also holds children.
const classParallel = "com.blazemeter.jmeter.controller.ParallelSampler"

// parallel runs each sampler or controller child at once, each as a
// branch of the user (the plugin starts a JMeter thread per child and
// waits for all of them), at most limit at a time when LIMIT_MAX_THREAD_NUMBER
// is on. With PARENT_SAMPLE the children's samples become sub-results of one
// sample named after the controller (code 200, "OK", failed when one of
// them failed) and reach no listener themselves; without it they are
// reported one by one and the controller makes no sample.
//
// A branch has the user's thread number and variables, its cookie jars,
// caches and DNS caches, and connections of its own, opened afresh each time
// as on the plugin's new threads. What a branch sets in its variables is
// back in the user's when the branch ends (the plugin's threads share one
// map; a branch here works on a copy taken when it starts, and its changes
// are merged in the order the branches end, so a later branch sees what an
// earlier one that ended set). The controller state of its subtree (loop
// counts, once-only flags) persists between runs as in JMeter.
//
// As in the plugin's threads, the thread group's on_sample_error does not
// apply inside a branch, a sample's "stop thread" ends only its branch, a
// Flow Control Action stopping the thread also stops the user once the
// controller is done, and "start next thread loop" in a branch makes the user
// start its next iteration once the controller is done.
type parallel struct {
	el     *jmx.Element
	kids   []parallelKid
	parent bool
	limit  int    // 0: no limit
	items  string // the sample's sampler data: "Parallel items:" and the children's names
}

// parallelKid is one child and the slots its subtree's elements own.
type parallelKid struct {
	n      node
	name   string
	lo, hi int
}

// parallelRun is one run of the controller: what its branches tell the user.
type parallelRun struct {
	active     atomic.Int32 // branches running (their samples' grpThreads)
	stopParent atomic.Bool  // a Flow Control Action stopped a branch's thread
	nextLoop   atomic.Bool  // a branch asked for the next thread loop
	mu         sync.Mutex   // the user's variables and slots while branches merge into them
	subs       []*sample.Result
	collect    bool
}

func (c *compiler) buildParallel(el *jmx.Element, cx cctx) (*parallel, error) {
	p := &parallel{el: el, parent: el.Bool("PARENT_SAMPLE", false)}
	if el.Bool("LIMIT_MAX_THREAD_NUMBER", false) {
		n := el.Int("MAX_THREAD_NUMBER", 6)
		if n < 1 {
			return nil, fmt.Errorf("MAX_THREAD_NUMBER is %d: the plugin's thread pool needs at least one thread", n)
		}
		p.limit = int(n)
	}
	// Iteration listeners (a CSV Data Set) registered on the controller
	// itself never fire: the plugin's addIterationListener does nothing.
	holder := &ctrlBase{el: el, name: el.Name, slot: -1}
	childCx := cx.with(c.levelOf(el), holder)
	childCx.parentTx = nil // a branch is a thread of its own, outside any transaction
	var items strings.Builder
	items.WriteString("Parallel items:\n")
	for _, ch := range el.Children {
		s, ok := c.runnable(ch)
		if !ok || (s.kind != kSampler && s.kind != kController) {
			continue
		}
		lo := c.t.nslots
		var n node
		if s.kind == kSampler {
			n = c.compileSampler(ch, childCx)
		} else {
			n = c.compileController(ch, childCx)
		}
		if n == nil {
			continue
		}
		p.kids = append(p.kids, parallelKid{n: n, name: ch.Name, lo: lo, hi: c.t.nslots})
		items.WriteString(ch.Name + "\n")
	}
	p.items = items.String()
	return p, nil
}

// sample runs the branches and returns the controller's sample (nil
// without PARENT_SAMPLE) and what the user does next.
func (p *parallel) sample(u *vuser) (*sample.Result, flow) {
	run := &parallelRun{collect: p.parent}
	res := &sample.Result{ResponseCode: "200", ResponseMessage: "OK", Success: true, SamplerData: p.items, SampleCount: 1}
	var sem chan struct{}
	if p.limit > 0 {
		sem = make(chan struct{}, p.limit)
	}
	if u.sess.HTTP == nil {
		u.sess.HTTP = sampler.NewHTTPState(*u.t.httpOptions())
	}
	var wg sync.WaitGroup
	res.Start = time.Now()
	for i := range p.kids {
		k := &p.kids[i]
		st := u.sess.HTTP.Branch() // connects lazily
		wg.Add(1)
		go func() {
			defer wg.Done()
			if sem != nil {
				sem <- struct{}{}
				defer func() { <-sem }()
			}
			u.runBranch(p, k, run, st)
		}()
	}
	wg.Wait()
	f := flowNext
	switch {
	case run.stopParent.Load():
		u.stop = true
		f = flowStop
	case run.nextLoop.Load():
		f = flowNextThreadLoop
	}
	if !p.parent {
		return nil, f
	}
	end := time.Now()
	if len(run.subs) > 0 {
		end = run.subs[0].End()
	}
	for _, s := range run.subs {
		res.Bytes += s.Bytes
		res.SentBytes += s.SentBytes
		if e := s.End(); e.After(end) {
			end = e
		}
		if !s.Success {
			res.Success = false
		}
	}
	res.Subs = run.subs
	res.Elapsed = end.Sub(res.Start)
	return res, f
}

// runBranch runs one child as a branch of u and merges what it changed
// back into u.
func (u *vuser) runBranch(p *parallel, k *parallelKid, run *parallelRun, st *sampler.HTTPState) {
	run.mu.Lock()
	before := u.vars.Clone()
	vars := u.vars.Clone()
	b := &vuser{
		t:       u.t,
		gr:      u.gr,
		vars:    vars,
		num:     u.num,
		name:    u.name + " - " + p.el.Name + " - " + k.name,
		endTime: u.endTime,
		runCtx:  u.runCtx,
		ph:      u.ph,
		kill:    u.kill,
		dynamic: u.dynamic,
		slots:   make([]slot, len(u.slots)),
		passes:  append([]int(nil), u.passes...),
		branch:  run,
	}
	copy(b.slots[k.lo:k.hi], u.slots[k.lo:k.hi])
	run.mu.Unlock()

	b.ctx = u.t.newUserContext(vars)
	b.ctx.ThreadNum = u.ctx.ThreadNum
	b.ctx.ThreadName = b.name
	b.ctx.ThreadGroupName = u.ctx.ThreadGroupName
	b.ctx.Iteration = u.ctx.Iteration
	b.ctx.RunCtx = u.ctx.RunCtx
	b.sess.Ctx = b.ctx
	b.sess.HTTP = st
	run.active.Add(1)
	func() {
		defer u.gr.recoverUser(u.num) // a bug in an element ends the branch, not the run
		switch k.n.run(b) {
		case flowNextThreadLoop:
			run.nextLoop.Store(true)
		}
	}()
	run.active.Add(-1)
	b.flush()
	b.sess.Close()

	run.mu.Lock()
	mergeVars(u.vars, before, vars)
	copy(u.slots[k.lo:k.hi], b.slots[k.lo:k.hi])
	run.mu.Unlock()
}

// mergeVars applies to dst what changed from before to after: values set
// or changed, variables removed.
func mergeVars(dst, before, after *functions.Vars) {
	for _, n := range after.Names() {
		if s, ok := after.Get(n); ok {
			if old, had := before.Get(n); !had || old != s {
				dst.Put(n, s)
			}
			continue
		}
		if o, ok := after.GetObject(n); ok {
			dst.PutObject(n, o)
		}
	}
	for _, n := range before.Names() {
		if _, ok := after.GetObject(n); !ok {
			dst.Remove(n)
		}
	}
}

// collectSub keeps a branch's sample as a sub-result of the controller's
// sample (PARENT_SAMPLE): every sample the branch would report, as the
// plugin's listener notifier adds each one it is given.
func (r *parallelRun) collectSub(s *sample.Result) {
	r.mu.Lock()
	r.subs = append(r.subs, s)
	r.mu.Unlock()
}
