package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"gometer/functions"
	"gometer/jmx"
)

// buildTimer compiles one timer element.
func (c *compiler) buildTimer(el *jmx.Element) (timer, error) {
	switch el.Class() {
	case "ConstantTimer":
		return &constantTimer{delayMS: c.template(el, "ConstantTimer.delay", "0")}, nil
	case "UniformRandomTimer", "GaussianRandomTimer", "PoissonRandomTimer":
		return &randomTimer{
			class:  el.Class(),
			offset: c.template(el, "ConstantTimer.delay", "0"),
			rng:    c.template(el, "RandomTimer.range", "0"),
		}, nil
	case "ConstantThroughputTimer":
		return &throughputTimer{
			el:         el,
			slot:       c.newSlot(),
			throughput: c.template(el, "throughput", "0"),
			mode:       int(el.Int("calcMode", 0)),
		}, nil
	case "PreciseThroughputTimer":
		return c.buildPreciseTimer(el)
	case classShapingTimer:
		return c.buildShapingTimer(el)
	case "SyncTimer":
		return &syncTimer{
			el:        el,
			groupSize: c.template(el, "groupSize", "0"),
			timeout:   c.template(el, "timeoutInMs", "0"),
		}, nil
	}
	return nil, fmt.Errorf("unsupported timer %s", el.Class())
}

// evalFloat evaluates a template as a number; def when it is not one.
func evalFloat(t *functions.Template, c *functions.Context, def float64) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(t.Eval(c)), 64)
	if err != nil {
		return def
	}
	return v
}

type constantTimer struct{ delayMS *functions.Template }

func (t *constantTimer) modifiable() bool { return true }
func (t *randomTimer) modifiable() bool   { return true }

func (t *constantTimer) delay(u *vuser) time.Duration {
	return time.Duration(evalInt(t.delayMS, u.ctx, 0)) * time.Millisecond
}

// randomTimer is the Uniform, Gaussian and Poisson random timers: an offset
// plus a random part.
type randomTimer struct {
	class       string
	offset, rng *functions.Template
}

func (t *randomTimer) delay(u *vuser) time.Duration {
	off := float64(evalInt(t.offset, u.ctx, 0))
	r := evalFloat(t.rng, u.ctx, 0)
	var ms float64
	switch t.class {
	case "UniformRandomTimer":
		ms = math.Abs(u.ctx.Rand.Float64()*r + off)
	case "GaussianRandomTimer":
		ms = math.Abs(u.ctx.Rand.NormFloat64()*r + off)
	default:
		ms = math.Abs(float64(poisson(u.ctx.Rand, math.Round(r))) + off)
	}
	return time.Duration(int64(ms)) * time.Millisecond
}

// poisson draws a Poisson-distributed number with mean lambda.
func poisson(r *rand.Rand, lambda float64) int64 {
	if lambda <= 0 {
		return 0
	}
	if lambda > 500 { // normal approximation keeps the loop short
		return int64(math.Max(0, math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	l := math.Exp(-lambda)
	var k int64
	p := 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// throughputTimer is the Constant Throughput Timer: it spaces samples so the
// target (samples per minute) is met by this thread, all threads, the
// group's threads, or a schedule shared by all (or the group's) threads.
type throughputTimer struct {
	el         *jmx.Element
	slot       int
	throughput *functions.Template
	mode       int
}

// sharedSchedule is the next slot of a shared throughput schedule.
type sharedSchedule struct {
	mu   sync.Mutex
	last time.Time
}

func (t *throughputTimer) delay(u *vuser) time.Duration {
	tput := evalFloat(t.throughput, u.ctx, 0)
	if tput <= 0 {
		return 0
	}
	per := time.Duration(60000.0 / tput * float64(time.Millisecond))
	now := time.Now()
	switch t.mode {
	case 3, 4: // shared schedule: all threads, or all threads of the group
		key := sharedKey{el: t.el}
		if t.mode == 4 {
			key.gr = u.gr
		}
		v, _ := u.t.state.LoadOrStore(key, &sharedSchedule{})
		s := v.(*sharedSchedule)
		s.mu.Lock()
		defer s.mu.Unlock()
		next := s.last.Add(per)
		if next.Before(now) {
			next = now
		}
		s.last = next
		return next.Sub(now)
	}
	spacing := per
	switch t.mode {
	case 1:
		spacing = per * time.Duration(max(1, u.t.active.Load()))
	case 2:
		spacing = per * time.Duration(max(1, u.gr.active.Load()))
	}
	st := &u.slots[t.slot] // st.n: last scheduled time, Unix ns
	target := time.Unix(0, st.n).Add(spacing)
	if st.n == 0 || target.Before(now) {
		st.n = now.UnixNano()
		return 0
	}
	st.n = target.UnixNano()
	return target.Sub(now)
}

// sharedKey identifies state shared by users: per element, optionally per
// group run.
type sharedKey struct {
	el  *jmx.Element
	gr  *groupRun
	key string
}

// syncTimer blocks users until groupSize of them arrived (or the timeout).
type syncTimer struct {
	el        *jmx.Element
	groupSize *functions.Template
	timeout   *functions.Template
}

type barrier struct {
	mu      sync.Mutex
	waiting int
	release chan struct{}
}

func (t *syncTimer) delay(u *vuser) time.Duration {
	n := int(evalInt(t.groupSize, u.ctx, 0))
	if n <= 0 {
		n = u.gr.shape.threads
	}
	if n <= 1 {
		return 0
	}
	v, _ := u.t.state.LoadOrStore(sharedKey{el: t.el, gr: u.gr}, &barrier{release: make(chan struct{})})
	b := v.(*barrier)
	b.mu.Lock()
	b.waiting++
	ch := b.release
	if b.waiting >= n {
		b.waiting = 0
		close(b.release)
		b.release = make(chan struct{})
		b.mu.Unlock()
		return 0
	}
	b.mu.Unlock()
	u.flush() // the wait may be long
	var timeout <-chan time.Time
	if ms := evalInt(t.timeout, u.ctx, 0); ms > 0 {
		tm := time.NewTimer(time.Duration(ms) * time.Millisecond)
		defer tm.Stop()
		timeout = tm.C
	}
	select {
	case <-ch:
	case <-timeout:
		// JMeter resets the barrier on timeout: everyone waiting goes on.
		b.mu.Lock()
		if b.release == ch {
			b.waiting = 0
			close(b.release)
			b.release = make(chan struct{})
		}
		b.mu.Unlock()
	case <-u.ph.stop:
	}
	return 0
}

// preciseTimer is the Precise Throughput Timer: Poisson arrivals at the
// configured rate, shared by the users of a group.
type preciseTimer struct {
	el         *jmx.Element
	throughput *functions.Template
	period     *functions.Template
	batchSize  *functions.Template
	batchDelay *functions.Template
	seed       int64
	seedSet    bool
}

func (c *compiler) buildPreciseTimer(el *jmx.Element) (timer, error) {
	t := &preciseTimer{
		el:         el,
		throughput: c.template(el, "throughput", "100"),
		period:     c.template(el, "throughputPeriod", "3600"),
		batchSize:  c.template(el, "batchSize", "1"),
		batchDelay: c.template(el, "batchThreadDelay", "0"),
	}
	if s := strings.TrimSpace(el.Str("randomSeed")); s != "" && s != "0" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err == nil {
			t.seed, t.seedSet = v, true
		}
	}
	return t, nil
}

type arrivals struct {
	mu      sync.Mutex
	rng     *rand.Rand
	next    time.Time
	inBatch int
}

func (t *preciseTimer) delay(u *vuser) time.Duration {
	tput := evalFloat(t.throughput, u.ctx, 0)
	period := evalFloat(t.period, u.ctx, 3600)
	if tput <= 0 || period <= 0 {
		return 0
	}
	batch := max(1, int(evalInt(t.batchSize, u.ctx, 1)))
	batchDelay := time.Duration(evalInt(t.batchDelay, u.ctx, 0)) * time.Millisecond
	rate := tput / period / float64(batch) // batches per second
	v, _ := u.t.state.LoadOrStore(sharedKey{el: t.el, gr: u.gr}, &arrivals{})
	a := v.(*arrivals)
	now := time.Now()
	a.mu.Lock()
	if a.rng == nil {
		seed := uint64(t.seed)
		if !t.seedSet {
			seed = rand.Uint64()
		}
		a.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		a.next = now
	}
	if a.inBatch >= batch {
		a.inBatch = 0
		gap := time.Duration(a.rng.ExpFloat64() / rate * float64(time.Second))
		a.next = a.next.Add(gap)
	}
	at := a.next.Add(time.Duration(a.inBatch) * batchDelay)
	a.inBatch++
	a.mu.Unlock()
	if !u.endTime.IsZero() && at.After(u.endTime) {
		u.stop = true // JMeter stops the thread when its next arrival is past the end
		return 0
	}
	if d := at.Sub(now); d > 0 {
		return d
	}
	return 0
}

// classShapingTimer is the jmeter-plugins Throughput Shaping Timer.
const classShapingTimer = "kg.apc.jmeter.timers.VariableThroughputTimer"

// shapingTimer paces the samples of all users sharing it to a requests-per-
// second schedule (rows of start RPS, end RPS, duration s, changing
// linearly within a row). When the schedule is over it stops the test, as
// the plugin does.
type shapingTimer struct {
	el   *jmx.Element
	rows [][3]*functions.Template
}

func (c *compiler) buildShapingTimer(el *jmx.Element) (timer, error) {
	t := &shapingTimer{el: el}
	for _, row := range el.Collection("load_profile") {
		if len(row.Items) < 3 {
			return nil, fmt.Errorf("load_profile row needs start RPS, end RPS and duration")
		}
		var r [3]*functions.Template
		for i := range r {
			tpl, err := functions.Compile(row.Items[i].Value)
			if err != nil {
				return nil, fmt.Errorf("load_profile: %w", err)
			}
			r[i] = tpl
		}
		t.rows = append(t.rows, r)
	}
	if len(t.rows) == 0 {
		return nil, fmt.Errorf("Throughput Shaping Timer has no load_profile rows")
	}
	return t, nil
}

type shapingState struct {
	mu    sync.Mutex
	start time.Time
	next  time.Time
	rows  [][3]float64
}

// rate is the target rate (per second) at t seconds; -1 past the schedule.
func (s *shapingState) rate(t float64) float64 {
	for _, r := range s.rows {
		if t < r[2] {
			return r[0] + (r[1]-r[0])*t/r[2]
		}
		t -= r[2]
	}
	return -1
}

func (t *shapingTimer) delay(u *vuser) time.Duration {
	v, _ := u.t.state.LoadOrStore(sharedKey{el: t.el}, &shapingState{})
	s := v.(*shapingState)
	now := time.Now()
	s.mu.Lock()
	if s.rows == nil {
		for _, r := range t.rows {
			s.rows = append(s.rows, [3]float64{evalFloat(r[0], u.ctx, 0), evalFloat(r[1], u.ctx, 0), evalFloat(r[2], u.ctx, 0)})
		}
		s.start, s.next = now, now
	}
	slot := s.next
	if slot.Before(now) {
		slot = now
	}
	for {
		r := s.rate(slot.Sub(s.start).Seconds())
		if r < 0 {
			s.mu.Unlock()
			u.t.logf("INFO", "%s: load profile finished, stopping the test", t.el.Path())
			u.t.stopGraceful()
			u.stop = true
			return 0
		}
		if r > 0 {
			s.next = slot.Add(time.Duration(float64(time.Second) / r))
			break
		}
		slot = slot.Add(100 * time.Millisecond) // no load in this part of the profile
	}
	s.mu.Unlock()
	return slot.Sub(now)
}
