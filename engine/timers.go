package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
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
	return scaleDuration(evalInt(t.delayMS, u.ctx, 0), time.Millisecond)
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
	return scaleDuration(clampInt(ms, 0), time.Millisecond)
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
	if t.mode != 0 && u.t.opts.Shards > 1 {
		// a rate for all threads is the whole run's: each of N copies
		// (with its share of the threads) paces 1/N of it
		per *= time.Duration(u.t.opts.Shards)
	}
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
		tm := time.NewTimer(scaleDuration(ms, time.Millisecond))
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

// preciseTimer is the Precise Throughput Timer. As JMeter's
// ConstantPoissonProcessGenerator it cuts time since the test start into
// windows of `duration` seconds and puts exactly ceil(rate·duration) events
// in each, at uniformly random moments (a Poisson process conditioned on
// its count), so reports show round totals. One schedule serves a whole
// thread group: JMeter keys it by the group alone, so a second Precise timer
// in the same group shares the first one's schedule. batchThreadDelay,
// exactLimit and allowedThroughputSurplus have no effect in JMeter 5.6.3.
type preciseTimer struct {
	el         *jmx.Element
	throughput *functions.Template
	period     *functions.Template
	duration   *functions.Template
	batchSize  *functions.Template
	seed       int64
	seedSet    bool
}

// maxPreciseEvents bounds one window's schedule (8 bytes an event).
const maxPreciseEvents = 1 << 25

func (c *compiler) buildPreciseTimer(el *jmx.Element) (timer, error) {
	t := &preciseTimer{
		el:         el,
		throughput: c.template(el, "throughput", "100"),
		period:     c.template(el, "throughputPeriod", "3600"),
		duration:   c.template(el, "duration", "3600"),
		batchSize:  c.template(el, "batchSize", "1"),
	}
	if s := strings.TrimSpace(el.Str("randomSeed")); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		// JMeter seeds only when the seed's low 32 bits are not all zero
		if err == nil && int32(v) != 0 {
			t.seed, t.seedSet = v, true
		}
	}
	return t, nil
}

// preciseKey is the run-wide state key of a group's precise schedule.
const preciseKey = "PreciseThroughputTimer"

// poissonSchedule is one thread group's event schedule, in seconds since
// the test start.
type poissonSchedule struct {
	mu        sync.Mutex
	owner     *preciseTimer // the timer whose settings drive the schedule
	rnd       *javaRandom
	batchSize int
	batchItem int       // position within the current batch
	lastRate  float64   // events per second when the window was drawn
	windowEnd float64   // end of the last drawn window
	events    []float64 // the window's events, ascending
	pos       int       // next event to hand out
	handed    int64     // events (batches) handed out over the whole run, all shards
}

// rate is the owner's throughput per second, as evaluated now.
func (s *poissonSchedule) rate(c *functions.Context) float64 {
	return evalFloat(s.owner.throughput, c, 0) / float64(int64(evalFloat(s.owner.period, c, 0)))
}

// draw fills the next window with its events.
func (s *poissonSchedule) draw(c *functions.Context, rate float64) error {
	s.lastRate = rate
	if s.batchSize > 1 {
		rate /= float64(s.batchSize)
	}
	s.batchItem = 0
	dur := float64(evalInt(s.owner.duration, c, 0))
	n := math.Ceil(rate * dur)
	if !(n >= 1) || n > maxPreciseEvents { // also NaN and ±Inf
		return fmt.Errorf("%.6g events per %g s window (throughput %s per %s s); need 1 to %d",
			n, dur, s.owner.throughput.Eval(c), s.owner.period.Eval(c), maxPreciseEvents)
	}
	s.events = s.events[:0]
	for range int(n) {
		s.events = append(s.events, s.windowEnd+s.rnd.nextDouble()*dur)
	}
	sort.Float64s(s.events)
	s.pos = 0
	s.windowEnd += dur
	return nil
}

// next is the time of the next event; a batch's events share one time.
func (s *poissonSchedule) next(c *functions.Context) (float64, error) {
	r := s.rate(c)
	if (s.batchItem == 0 && s.pos >= len(s.events)) || math.Abs(r-s.lastRate) >= 1e-5 || math.IsNaN(r) {
		if err := s.draw(c, r); err != nil {
			return 0, err
		}
	}
	if s.batchSize == 1 {
		s.pos++
		return s.events[s.pos-1], nil
	}
	s.batchItem++
	if s.batchItem == 1 {
		s.pos++
	} else if s.batchItem == s.batchSize {
		s.batchItem = 0
	}
	return s.events[s.pos-1], nil
}

// nextOf is the time of this shard's next event: the whole run's schedule
// with the other shards' events (or batches) passed over.
func (s *poissonSchedule) nextOf(t *Test, c *functions.Context) (float64, error) {
	for {
		first := s.batchSize == 1 || s.batchItem == 0
		at, err := s.next(c)
		if err != nil || t.opts.Shards <= 1 {
			return at, err
		}
		if first {
			s.handed++
		}
		if t.mine(s.handed - 1) {
			return at, nil
		}
	}
}

func (t *preciseTimer) delay(u *vuser) time.Duration {
	v, _ := u.t.state.LoadOrStore(sharedKey{gr: u.gr, key: preciseKey}, &poissonSchedule{})
	s := v.(*poissonSchedule)
	s.mu.Lock()
	if s.owner == nil {
		s.owner = t
		s.batchSize = max(1, int(evalInt(t.batchSize, u.ctx, 1)))
		seed := t.seed
		if !t.seedSet {
			seed = rand.Int64()
			if u.t.opts.Shards > 1 {
				seed = int64(shardSeed(t.el)) // the same schedule in every shard
			}
		}
		s.rnd = newJavaRandom(seed)
	}
	at, err := s.nextOf(u.t, u.ctx)
	s.mu.Unlock()
	if err != nil {
		// JMeter's generator fails here and the thread dies
		u.t.logf("ERROR", "%s: %s: %v; stopping the thread", t.el.Where(), t.el.Path(), err)
		u.stop = true
		return 0
	}
	now := time.Now()
	ms := clampInt(at*1000+float64(u.t.startedAt.UnixMilli()-now.UnixMilli()), 0)
	d := scaleDuration(max(0, ms), time.Millisecond)
	if !u.endTime.IsZero() && now.Add(d).After(u.endTime) {
		u.stop = true // JMeter stops the thread when its next event is past the end
		return 0
	}
	return d
}
