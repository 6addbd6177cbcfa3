package engine

import (
	"strconv"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// transactionPrefix starts a transaction sample's response message; JMeter's
// tools recognise transaction samples by it.
const transactionPrefix = "Number of samples in transaction : "

// txController is a TransactionController: it times its children as one
// transaction, either as an extra sample after them (default) or as a parent
// sample holding them as sub-results (parent mode).
type txController struct {
	ctrlBase
	parent        bool
	includeTimers bool
	label         *functions.Template
	listeners     []output.Output // listeners in the controller's own scope
	actions       []*resultAction
	global        bool      // the transaction sample goes to Options.Outputs
	asserts       []checker // parent mode: assertions in the controller's scope
	savers        []*resultSaver
}

// txFrame is one running transaction of a user.
type txFrame struct {
	tc        *txController
	start     time.Time
	calls     int
	failing   int
	bytes     int64
	sent      int64
	latency   time.Duration
	connect   time.Duration
	childTime time.Duration
	code      string
	subs      []*sample.Result
	lastEnd   time.Time // parent mode: end of the latest sub-result
}

func (c *txController) run(u *vuser) flow {
	fr := &txFrame{tc: c, start: time.Now()}
	if c.dbg != nil {
		c.dbg.logf(u, "Transaction Controller %q: starts", c.name)
	}
	u.tx = append(u.tx, fr)
	f := c.pass(u)
	u.tx = u.tx[:len(u.tx)-1]
	if f == flowNext && u.halted() {
		f = flowStop
	}
	// A user that stops (stop thread/test/now, an error that stops it)
	// leaves JMeter's thread loop: a default-mode transaction is never
	// completed, so it writes no sample; a parent-mode one is ended when the
	// stop comes from a sample, not from an iteration listener.
	if f == flowStop && (!c.parent || u.stopAtIterStart) {
		if c.dbg != nil {
			c.dbg.logf(u, "Transaction Controller %q: the user stops before it completes: no sample", c.name)
		}
		return f
	}
	c.finish(u, fr, f != flowNext)
	return f
}

// add counts one sample of the transaction.
func (fr *txFrame) add(r *sample.Result) {
	fr.calls++
	if fr.failing == 0 {
		fr.code = r.ResponseCode
	}
	if !r.Success {
		fr.failing++
	}
	fr.bytes += r.Bytes
	fr.sent += r.SentBytes
	fr.childTime += r.Elapsed
	if fr.tc.parent {
		fr.subs = append(fr.subs, r)
		if e := r.End(); e.After(fr.lastEnd) {
			fr.lastEnd = e
		}
		return
	}
	fr.latency += r.Latency
	fr.connect += r.Connect
}

// addToTransactions gives a sample to the enclosing transactions below depth:
// every default-mode one sees it, up to and including the innermost
// parent-mode one, which takes it as a sub-result.
func (u *vuser) addToTransactions(r *sample.Result, depth int) {
	for i := depth - 1; i >= 0; i-- {
		fr := u.tx[i]
		fr.add(r)
		if fr.tc.parent {
			return
		}
	}
}

// finish builds and delivers the transaction sample. interrupted is true
// when the iteration was cut short (start next loop, stop): JMeter then
// takes success from the last sample and sets no response code.
func (c *txController) finish(u *vuser, fr *txFrame, interrupted bool) {
	end := time.Now()
	if c.parent && c.includeTimers && !fr.lastEnd.IsZero() {
		end = fr.lastEnd // the parent sample ends with its last sub-result
	}
	total := end.Sub(fr.start)
	r := &sample.Result{
		Label:       c.label.Eval(u.ctx),
		Start:       fr.start,
		Elapsed:     total,
		Success:     fr.failing == 0,
		Bytes:       fr.bytes,
		SentBytes:   fr.sent,
		SampleCount: 1,
		Transaction: true,
		Subs:        fr.subs,
	}
	if !c.includeTimers {
		r.Elapsed = min(fr.childTime, total)
		r.Idle = total - r.Elapsed
	}
	r.ResponseMessage = transactionPrefix + strconv.Itoa(fr.calls) + ", number of failing samples : " + strconv.Itoa(fr.failing)
	if c.parent {
		r.ResponseCode = fr.code
	} else {
		r.Latency = fr.latency
		r.Connect = fr.connect
	}
	if !c.parent && interrupted {
		ok, _ := u.vars.Get(lastSampleOK)
		r.Success = ok == "true"
	} else if r.Success {
		r.ResponseCode = "200"
	}
	// only the transaction's own fields: its sub-results have theirs, and
	// may already be with a listener's collector
	r.ThreadName = u.name
	r.GrpThreads, r.AllThreads = int(u.gr.active.Load()), int(u.t.active.Load())
	if c.parent {
		for _, a := range c.asserts {
			a.check(u, r)
		}
		if len(c.asserts) > 0 {
			u.vars.Put(lastSampleOK, strconv.FormatBool(r.Success))
		}
	}
	if !r.Success {
		r.ErrorCount = 1
	}
	if c.dbg != nil {
		c.dbg.logf(u, "Transaction Controller %q: ends: %d sample(s), %d failing, %d ms, success %v", c.name, fr.calls, fr.failing, r.Elapsed.Milliseconds(), r.Success)
	}
	for _, s := range c.savers {
		s.process(u, r)
	}
	u.deliver(r, c.listeners, c.global)
	if c.parent {
		// a default-mode transaction ignores transaction samples, a parent
		// one takes a nested parent sample as a sub-result
		u.addToTransactions(r, len(u.tx))
	}
}
