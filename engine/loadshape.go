package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// shapeKind is how a thread group starts and stops its users.
type shapeKind uint8

const (
	shapeClassic     shapeKind = iota // ThreadGroup, setUp, tearDown
	shapeUltimate                     // kg.apc.jmeter.threads.UltimateThreadGroup
	shapeStepping                     // kg.apc.jmeter.threads.SteppingThreadGroup
	shapeConcurrency                  // com.blazemeter.jmeter.threads.concurrency.ConcurrencyThreadGroup
	shapeArrivals                     // com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup
	shapeFreeForm                     // com.blazemeter.jmeter.threads.arrivals.FreeFormArrivalsThreadGroup
	shapeOpenModel                    // OpenModelThreadGroup (JMeter 5.5+)
)

const (
	classUltimate    = "kg.apc.jmeter.threads.UltimateThreadGroup"
	classStepping    = "kg.apc.jmeter.threads.SteppingThreadGroup"
	classConcurrency = "com.blazemeter.jmeter.threads.concurrency.ConcurrencyThreadGroup"
	classArrivals    = "com.blazemeter.jmeter.threads.arrivals.ArrivalsThreadGroup"
	classFreeForm    = "com.blazemeter.jmeter.threads.arrivals.FreeFormArrivalsThreadGroup"
	classOpenModel   = "OpenModelThreadGroup"
)

func shapeOf(class string) shapeKind {
	switch class {
	case classUltimate:
		return shapeUltimate
	case classStepping:
		return shapeStepping
	case classConcurrency:
		return shapeConcurrency
	case classArrivals:
		return shapeArrivals
	case classFreeForm:
		return shapeFreeForm
	case classOpenModel:
		return shapeOpenModel
	}
	return shapeClassic
}

// compileShape compiles the plugin groups' own properties: every scalar
// property as a template, and the schedule tables.
func (c *compiler) compileShape(g *group, el *jmx.Element) {
	g.kind = shapeOf(el.Class())
	if g.kind == shapeClassic {
		return
	}
	g.p = make(map[string]*functions.Template)
	for _, p := range el.Props {
		switch p.Kind {
		case jmx.StringProp, jmx.IntProp, jmx.LongProp, jmx.BoolProp, jmx.DoubleProp, jmx.FloatProp:
			g.p[p.Name] = c.template(el, p.Name, "")
		}
	}
	table := ""
	switch g.kind {
	case shapeUltimate:
		table = "ultimatethreadgroupdata"
	case shapeFreeForm:
		table = "Schedule"
	}
	if table != "" {
		for _, row := range el.Collection(table) {
			var cells []*functions.Template
			for _, cell := range row.Items {
				t, err := functions.Compile(cell.Value)
				if err != nil {
					c.badConfig(el, fmt.Errorf("%s: %w", table, err))
					t = functions.Literal(cell.Value)
				}
				cells = append(cells, t)
			}
			g.rows = append(g.rows, cells)
		}
	}
	if g.kind == shapeOpenModel {
		// the schedule is checked at load with the current properties
		sched := g.p["OpenModelThreadGroup.schedule"]
		if sched != nil {
			if _, err := parseOpenModel(sched.Eval(c.evalContext())); err != nil {
				c.badConfig(el, err)
			}
		}
	}
	if mc := el.Elem("ThreadGroup.main_controller"); mc == nil || mc.Class() != "LoopController" && mc.ElementType != "LoopController" {
		// VirtualUserController / OpenModelThreadGroupController: the
		// group's own schedule decides how long users iterate
		g.loops = functions.Literal("-1")
		g.continueForever = false
	}
}

func (g *group) prop(name string, c *functions.Context, def float64) float64 {
	t := g.p[name]
	if t == nil {
		return def
	}
	return evalFloat(t, c, def)
}

// unitFactor converts the dynamic groups' Unit (S seconds, M minutes).
func (g *group) unitFactor(c *functions.Context) float64 {
	if t := g.p["Unit"]; t != nil && strings.EqualFold(strings.TrimSpace(t.Eval(c)), "S") {
		return 1
	}
	return 60
}

// startPlans starts users at their planned times from one starter loop
// (few goroutines sleep while a big group ramps up).
func (gr *groupRun) startPlans(plans []userPlan, ph *phaseState) {
	sort.SliceStable(plans, func(i, j int) bool { return plans[i].start.Before(plans[j].start) })
	tm := time.NewTimer(time.Hour)
	defer tm.Stop()
	for _, p := range plans {
		if d := time.Until(p.start); d > 0 {
			tm.Reset(d)
			select {
			case <-tm.C:
			case <-ph.stop:
				return
			}
		}
		if isClosed(ph.stop) {
			return
		}
		p.start = time.Time{}
		gr.spawn(p, ph)
	}
}

// shardPlans keeps the plans of this shard's users.
func (gr *groupRun) shardPlans(plans []userPlan) []userPlan {
	out := plans[:0]
	for _, p := range plans {
		if gr.t.inShard(p.num - 1) {
			out = append(out, p)
		}
	}
	return out
}

// ultimatePlans follows UltimateThreadGroup: per row of N threads, the k-th
// started thread (k = N … 1 in creation order) starts at
// delay + ramp·k/N, all hold until delay+ramp+hold, then stop over shutdown.
func (gr *groupRun) ultimatePlans(c *functions.Context, base time.Time) []userPlan {
	var rows [][5]float64
	if sched, ok := gr.t.props.Get("threads_schedule"); ok && strings.TrimSpace(sched) != "" {
		var err error
		if rows, err = parseSpawnSchedule(sched); err != nil {
			gr.t.logf("ERROR", "%s: threads_schedule: %v; using the group's own schedule", gr.g.name, err)
			rows = nil
		}
	}
	if rows == nil {
		for _, row := range gr.g.rows {
			var r [5]float64
			for i := range r {
				if i < len(row) {
					r[i] = evalFloat(row[i], c, 0)
				}
			}
			rows = append(rows, r)
		}
	}
	var plans []userPlan
	num := 0
	for _, row := range rows {
		n := int(row[0])
		delay, ramp, hold, shutdown := row[1], row[2], row[3], row[4]
		descent := base.Add(secs(delay + ramp + hold))
		for i := 0; i < n; i++ {
			k := n - i
			num++
			start := base.Add(secs(delay)).Add(time.Duration(math.Floor(1000*ramp*float64(k)/float64(n))) * time.Millisecond)
			end := descent.Add(time.Duration(math.Floor(1000*shutdown*float64(k)/float64(n))) * time.Millisecond)
			plans = append(plans, userPlan{num: num, start: start, end: end})
		}
	}
	return plans
}

// parseSpawnSchedule reads the threads_schedule property of the Ultimate
// thread group: "spawn(threads,delay,ramp,hold,shutdown) …", times with an
// optional s, m, h or d suffix.
func parseSpawnSchedule(s string) ([][5]float64, error) {
	var rows [][5]float64
	rest := strings.TrimSpace(s)
	for rest != "" {
		if !strings.HasPrefix(rest, "spawn(") {
			return nil, fmt.Errorf("expected spawn(...) at %q", rest)
		}
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			return nil, fmt.Errorf("missing ) in %q", rest)
		}
		args := strings.Split(rest[len("spawn("):end], ",")
		if len(args) != 5 {
			return nil, fmt.Errorf("spawn needs 5 values, got %d", len(args))
		}
		var row [5]float64
		for i, a := range args {
			a = strings.TrimSpace(a)
			f := 1.0
			if i > 0 && a != "" {
				switch a[len(a)-1] {
				case 's':
					a = a[:len(a)-1]
				case 'm':
					a, f = a[:len(a)-1], 60
				case 'h':
					a, f = a[:len(a)-1], 3600
				case 'd':
					a, f = a[:len(a)-1], 86400
				}
			}
			v, err := strconv.ParseFloat(a, 64)
			if err != nil {
				return nil, fmt.Errorf("bad value %q", args[i])
			}
			row[i] = v * f
		}
		rows = append(rows, row)
		rest = strings.TrimSpace(rest[end+1:])
	}
	return rows, nil
}

func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// steppingPlans follows SteppingThreadGroup.scheduleThread: after the
// initial delay a first burst, then "Start users count" more every
// "Start users period" + "rampUp", each batch spread over "rampUp"; all hold
// for "flighttime" after the last batch, then "Stop users count" stop every
// "Stop users period", first started first.
func (gr *groupRun) steppingPlans(c *functions.Context, base time.Time) []userPlan {
	g := gr.g
	n := int(g.prop("ThreadGroup.num_threads", c, 0))
	in := int(g.prop("Start users count", c, 0))
	if in <= 0 {
		in = n
	}
	out := int(g.prop("Stop users count", c, 0))
	if out <= 0 {
		out = n
	}
	burst := min(int(g.prop("Start users count burst", c, 0)), n)
	if burst <= 0 {
		burst = in
	}
	ms := func(name string) int64 { return 1000 * int64(g.prop(name, c, 0)) }
	ascent := base.Add(time.Duration(ms("Threads initial delay")) * time.Millisecond)
	period, ramp, flight, outPeriod := ms("Start users period"), ms("rampUp"), ms("flighttime"), ms("Stop users period")
	step := period + ramp
	steps := 1
	if n >= burst {
		steps = int(math.Ceil(float64(n-burst) / float64(in)))
	}
	lastCount := (n - burst) % in
	if lastCount == 0 {
		lastCount = in
	}
	descent := ascent.Add(time.Duration(int64(steps)*step+ramp/int64(max(in, 1))*int64(lastCount)+flight) * time.Millisecond)
	plans := make([]userPlan, 0, n)
	for i := 0; i < n; i++ {
		bucket, size, pos := 0, burst, i
		if i >= burst {
			bucket = 1 + (i-burst)/in
			size = in
			pos = (i - burst) % in
		}
		start := ascent.Add(time.Duration(int64(bucket)*step+int64(pos)*(ramp/int64(max(size, 1)))) * time.Millisecond)
		end := descent.Add(time.Duration(outPeriod*int64(i/out)) * time.Millisecond)
		plans = append(plans, userPlan{num: i + 1, start: start, end: end})
	}
	return plans
}

// runConcurrency keeps the planned number of users running: linear or
// stepped ramp to TargetLevel, then hold; users that end are replaced until
// one reaches the iteration limit (ConcurrencyThreadStarter).
func (gr *groupRun) runConcurrency(c *functions.Context, ph *phaseState) {
	g := gr.g
	unit := g.unitFactor(c)
	target := g.prop("TargetLevel", c, 1) // the whole run's; this shard keeps its share
	ramp := g.prop("RampUp", c, 0) * unit
	hold := g.prop("Hold", c, 0) * unit
	steps := g.prop("Steps", c, 0)
	iters := int(g.prop("Iterations", c, 0))
	start := time.Now()
	end := start.Add(secs(ramp + hold))
	var limited atomic.Bool
	changed := make(chan struct{}, 1)
	done := func(lim bool) {
		if lim {
			limited.Store(true)
		}
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	// A target level that is an expression (__tstFeedback, __P) is read
	// again each time, as the plugin reads its properties every few ms.
	dynamic := g.p["TargetLevel"] != nil && !g.p["TargetLevel"].IsLiteral()
	planned := func() int {
		if dynamic {
			target = g.prop("TargetLevel", c, 1)
		}
		n := concurrencyLevel(time.Since(start).Seconds(), target, ramp, hold, steps)
		if n < 0 {
			return -1
		}
		return gr.t.shareOf(n)
	}
	var running atomic.Int64
	var liveMu sync.Mutex
	var live []*atomic.Bool // the users' kill flags, oldest first
	num := 0
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !limited.Load() && !gr.halt.Load() {
		want := planned()
		if want < 0 {
			break
		}
		for int(running.Load()) < want && !limited.Load() {
			num++
			running.Add(1)
			kill := new(atomic.Bool)
			liveMu.Lock()
			live = append(live, kill)
			liveMu.Unlock()
			finished := func(lim bool) {
				running.Add(-1)
				liveMu.Lock()
				live = slices.DeleteFunc(live, func(k *atomic.Bool) bool { return k == kill })
				liveMu.Unlock()
				done(lim)
			}
			if !gr.spawn(userPlan{num: gr.t.userNum(num - 1), end: end, iters: iters, dynamic: true, kill: kill, done: finished}, ph) {
				running.Add(-1)
				liveMu.Lock()
				live = live[:len(live)-1]
				liveMu.Unlock()
				break // memory is low: no more users
			}
		}
		if dynamic {
			// a lower level retires the newest users (the plugin's users leave
			// at the end of an iteration; these after their current sample)
			liveMu.Lock()
			excess := int(running.Load()) - want
			for i := len(live) - 1; i >= 0 && excess > 0; i-- {
				if !live[i].Load() {
					live[i].Store(true)
				}
				excess--
			}
			liveMu.Unlock()
		}
		select {
		case <-tick.C:
		case <-changed:
		case <-ph.stop:
			return
		}
	}
}

// concurrencyLevel is the Concurrency Thread Group's planned number of users
// at t seconds for the whole run: a linear or stepped ramp to target, then
// hold; -1 once ramp-up and hold are over.
func concurrencyLevel(t, target, ramp, hold, steps float64) int {
	if t >= ramp+hold {
		return -1
	}
	if ramp == 0 || t > ramp {
		return int(math.Round(target))
	}
	if steps > 0 {
		return int(math.Round(target / steps * (math.Floor(t/(ramp/steps)) + 1)))
	}
	return int(math.Round(target / ramp * t))
}

// rateFunc is an arrival rate (per second) at t seconds from the start;
// negative means the schedule is over.
type rateFunc func(t float64) float64

// arrivalsRate follows ArrivalsThreadGroup: TargetLevel arrivals per unit,
// reached by a stepped ramp, then held.
//
// With Steps empty the plugin means a linear ramp, but its
// ArrivalsThreadStarter.getCurrentRate computes the ramp's rate from the
// arrivals so far, slope·sqrt(2·count/slope), which is 0 while count is 0;
// count only grows when the rate is above 0, so no arrival comes before the
// ramp-up ends, and then the full rate does. gometer sends what JMeter with
// the plugin sends (its users compare the two runs), and says so in the log.
func (gr *groupRun) arrivalsRate(c *functions.Context) rateFunc {
	g := gr.g
	unit := g.unitFactor(c)
	target := g.prop("TargetLevel", c, 1) / unit // the whole run's rate
	ramp := g.prop("RampUp", c, 0) * unit
	hold := g.prop("Hold", c, 0) * unit
	steps := g.prop("Steps", c, 0)
	if ramp > 0 && steps <= 0 {
		gr.t.logf("WARN", "%s: Arrivals Thread Group with a ramp-up and no steps: as the plugin does, no arrivals during the %g s ramp-up, then %g/s (set Steps for a ramp)", g.name, ramp, target)
	}
	return func(t float64) float64 {
		if t >= ramp+hold {
			return -1
		}
		if ramp == 0 || t > ramp {
			return target
		}
		if steps > 0 {
			return target / steps * (math.Floor(t/(ramp/steps)) + 1)
		}
		return 0 // the plugin's linear ramp never starts (see above)
	}
}

// freeFormRate follows FreeFormArrivalsThreadGroup: rows of start rate, end
// rate and duration (in Unit), rates changing linearly within a row.
func (gr *groupRun) freeFormRate(c *functions.Context) rateFunc {
	g := gr.g
	unit := g.unitFactor(c)
	type seg struct{ from, to, dur float64 }
	var segs []seg
	for _, row := range g.rows {
		if len(row) < 3 {
			continue
		}
		segs = append(segs, seg{evalFloat(row[0], c, 0) / unit, evalFloat(row[1], c, 0) / unit, evalFloat(row[2], c, 0) * unit})
	}
	return func(t float64) float64 {
		for _, s := range segs {
			if t < s.dur {
				return s.from + (s.to-s.from)*t/s.dur
			}
			t -= s.dur
		}
		return -1
	}
}

// arrivalClock walks an arrival schedule for the whole run: the first
// arrival is at 0 s, each next one 1/rate later; while the rate is 0 it
// looks again 0.2 s later. next returns the k-th arrival (0-based) and its
// time in seconds, or ok=false when the schedule is over.
type arrivalClock struct {
	rate rateFunc
	at   float64
	k    int64
}

func (a *arrivalClock) next() (k int64, at float64, ok bool) {
	for {
		r := a.rate(a.at)
		if r < 0 {
			return 0, 0, false
		}
		if r == 0 {
			a.at += 0.2 // nothing to do yet: look again a little later
			continue
		}
		k, at = a.k, a.at
		a.at += 1 / r
		a.k++
		return k, at, true
	}
}

// runArrivals starts one iteration per arrival on an idle pooled user, or a
// new user while under the concurrency limit; at the limit with no idle
// user the arrival is dropped, as ArrivalsThreadStarter does. Iterations,
// when set, limits the number of arrivals. With shards, the schedule and
// the Iterations count are the whole run's; this copy serves its own
// arrivals and its share of the concurrency limit.
func (gr *groupRun) runArrivals(c *functions.Context, rate rateFunc, ph *phaseState) {
	g := gr.g
	wholeLimit := int(g.prop("ConcurrencyLimit", c, 0))
	limit := gr.t.shareOf(wholeLimit)
	maxArrivals := int64(g.prop("Iterations", c, 0))
	tokens := make(chan struct{})
	var users atomic.Int64
	num := 0
	start := time.Now()
	clock := arrivalClock{rate: rate}
	tm := time.NewTimer(time.Hour)
	defer tm.Stop()
	defer close(tokens)
	for {
		k, at, ok := clock.next()
		if !ok || (maxArrivals > 0 && k >= maxArrivals) || gr.halt.Load() {
			return
		}
		if !gr.t.mine(k) {
			continue
		}
		if d := time.Until(start.Add(secs(at))); d > 0 {
			tm.Reset(d)
			select {
			case <-tm.C:
			case <-ph.stop:
				return
			}
		}
		select {
		case tokens <- struct{}{}: // an idle user takes it
			continue
		default:
		}
		if wholeLimit > 0 && int(users.Load()) >= limit {
			gr.t.logf("DEBUG", "%s: arrival dropped at the concurrency limit %d", g.name, limit)
			continue
		}
		num++
		users.Add(1)
		if !gr.spawn(userPlan{num: gr.t.userNum(num - 1), tokens: tokens, dynamic: true, done: func(bool) { users.Add(-1) }}, ph) {
			users.Add(-1) // memory is low: the arrival is dropped
			continue
		}
		select {
		case tokens <- struct{}{}:
		case <-ph.stop:
			return
		}
	}
}

// openModel is a parsed OpenModelThreadGroup schedule.
type openModel []omStep

type omStep struct {
	kind string  // rate, random, even, pause
	rate float64 // per second (rate)
	dur  float64 // seconds (arrivals, pause)
}

// parseOpenModel reads the schedule language: rate(N/unit),
// random_arrivals(d), even_arrivals(d), pause(d); comments /* */ and //.
func parseOpenModel(src string) (openModel, error) {
	src = stripComments(src)
	var m openModel
	rest := strings.TrimSpace(src)
	for rest != "" {
		open := strings.IndexByte(rest, '(')
		closeIdx := strings.IndexByte(rest, ')')
		if open < 0 || closeIdx < open {
			return nil, fmt.Errorf("open model schedule: cannot read %q", rest)
		}
		name := strings.TrimSpace(rest[:open])
		arg := strings.TrimSpace(rest[open+1 : closeIdx])
		rest = strings.TrimSpace(rest[closeIdx+1:])
		switch name {
		case "rate":
			r, err := parseRate(arg)
			if err != nil {
				return nil, err
			}
			m = append(m, omStep{kind: "rate", rate: r})
		case "random_arrivals", "even_arrivals", "pause":
			d, err := parseDurationWords(arg)
			if err != nil {
				return nil, fmt.Errorf("open model schedule: %s(%s): %w", name, arg, err)
			}
			kind := strings.TrimSuffix(name, "_arrivals")
			m = append(m, omStep{kind: kind, dur: d})
		default:
			return nil, fmt.Errorf("open model schedule: unknown step %q", name)
		}
	}
	return m, nil
}

func stripComments(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "/*"):
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return b.String()
			}
			i += j + 3
		case strings.HasPrefix(s[i:], "//"):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return b.String()
			}
			i += j
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// parseRate reads "10/sec", "5/min", "100/hour", "2/d" or a bare number
// (per second) into arrivals per second.
func parseRate(s string) (float64, error) {
	num, unit, _ := strings.Cut(strings.ReplaceAll(s, " ", ""), "/")
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("open model schedule: rate %q", s)
	}
	f, ok := unitSeconds(unit)
	if !ok {
		return 0, fmt.Errorf("open model schedule: rate unit %q", unit)
	}
	return v / f, nil
}

func unitSeconds(u string) (float64, bool) {
	switch strings.ToLower(u) {
	case "", "s", "sec", "second", "seconds":
		return 1, true
	case "ms":
		return 0.001, true
	case "m", "min", "minute", "minutes":
		return 60, true
	case "h", "hour", "hours":
		return 3600, true
	case "d", "day", "days":
		return 86400, true
	}
	return 0, false
}

// parseDurationWords reads "30s", "10 min", "1h 30m", "90".
func parseDurationWords(s string) (float64, error) {
	total := 0.0
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	for s != "" {
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if i == 0 {
			return 0, fmt.Errorf("bad duration near %q", s)
		}
		v, err := strconv.ParseFloat(s[:i], 64)
		if err != nil {
			return 0, err
		}
		s = strings.TrimLeft(s[i:], " ")
		j := 0
		for j < len(s) && unicode.IsLetter(rune(s[j])) {
			j++
		}
		f, ok := unitSeconds(s[:j])
		if !ok {
			return 0, fmt.Errorf("bad duration unit %q", s[:j])
		}
		total += v * f
		s = strings.TrimLeft(s[j:], " ")
	}
	return total, nil
}

// arrivalTimes lists the arrival times (seconds) of an open model schedule
// (at most max); rates change linearly between rate() steps across arrival
// steps.
func (m openModel) arrivalTimes(rng *rand.Rand, max int) []float64 {
	var out []float64
	m.arrivals(rng, func(at float64) bool {
		out = append(out, at)
		return len(out) < max
	})
	return out
}

// arrivals calls each with the arrival times in order, without holding the
// whole schedule in memory, until the schedule ends or each returns false.
func (m openModel) arrivals(rng *rand.Rand, each func(at float64) bool) {
	t := 0.0
	rate := 0.0
	for i, st := range m {
		switch st.kind {
		case "rate":
			rate = st.rate
		case "pause":
			t += st.dur
		case "random", "even":
			// a rate() right after the arrivals sets where the rate ends up
			from, to := rate, rate
			if i+1 < len(m) && m[i+1].kind == "rate" {
				to = m[i+1].rate
			}
			// expected arrivals up to x: integral of the linear rate
			cum := func(x float64) float64 { return from*x + (to-from)*x*x/(2*st.dur) }
			totalN := cum(st.dur)
			n := 0.0
			for {
				if st.kind == "even" {
					n++
				} else {
					n += rng.ExpFloat64()
				}
				if n > totalN {
					break
				}
				if !each(t + invertCum(cum, n, st.dur)) {
					return
				}
			}
			t += st.dur
			rate = to
		}
	}
}

// invertCum finds x in [0,d] with cum(x) = n (cum is non-decreasing).
func invertCum(cum func(float64) float64, n, d float64) float64 {
	lo, hi := 0.0, d
	for i := 0; i < 50; i++ {
		mid := (lo + hi) / 2
		if cum(mid) < n {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// runOpenModel starts a new user for each arrival; each does one iteration.
func (gr *groupRun) runOpenModel(c *functions.Context, ph *phaseState) error {
	g := gr.g
	src := ""
	if t := g.p["OpenModelThreadGroup.schedule"]; t != nil {
		src = t.Eval(c)
	}
	m, err := parseOpenModel(src)
	if err != nil {
		return err
	}
	seed := uint64(rand.Int64())
	if gr.t.opts.Shards > 1 {
		seed = shardSeed(g.el) // every shard draws the same schedule
	}
	if t := g.p["OpenModelThreadGroup.random_seed"]; t != nil {
		if v, err := strconv.ParseInt(strings.TrimSpace(t.Eval(c)), 10, 64); err == nil && v != 0 {
			seed = uint64(v)
		}
	}
	start := time.Now()
	tm := time.NewTimer(time.Hour)
	defer tm.Stop()
	i := 0
	m.arrivals(rand.New(rand.NewPCG(seed, seed)), func(at float64) bool {
		if d := time.Until(start.Add(secs(at))); d > 0 {
			tm.Reset(d)
			select {
			case <-tm.C:
			case <-ph.stop:
				return false
			}
		}
		if gr.t.inShard(i) {
			gr.spawn(userPlan{num: i + 1, iters: 1}, ph)
		}
		i++
		return true
	})
	return nil
}

// shapeDescription summarises a plugin group's load for Describe.
func (g *group) shapeDescription(c *functions.Context) string {
	switch g.kind {
	case shapeUltimate:
		n := 0
		for _, r := range g.rows {
			if len(r) > 0 {
				n += int(evalFloat(r[0], c, 0))
			}
		}
		return fmt.Sprintf("Ultimate Thread Group: %d threads in %d schedule rows", n, len(g.rows))
	case shapeStepping:
		return fmt.Sprintf("Stepping Thread Group: %d threads", int(g.prop("ThreadGroup.num_threads", c, 0)))
	case shapeConcurrency:
		return fmt.Sprintf("Concurrency Thread Group: target %g, ramp-up %g, steps %g, hold %g (unit %g s)", g.prop("TargetLevel", c, 1), g.prop("RampUp", c, 0), g.prop("Steps", c, 0), g.prop("Hold", c, 0), g.unitFactor(c))
	case shapeArrivals:
		return fmt.Sprintf("Arrivals Thread Group: %g arrivals per %g s, ramp-up %g, hold %g", g.prop("TargetLevel", c, 1), g.unitFactor(c), g.prop("RampUp", c, 0), g.prop("Hold", c, 0))
	case shapeFreeForm:
		return fmt.Sprintf("Free-Form Arrivals Thread Group: %d schedule rows", len(g.rows))
	case shapeOpenModel:
		if t := g.p["OpenModelThreadGroup.schedule"]; t != nil {
			return "Open Model Thread Group: " + t.Eval(c)
		}
	}
	return ""
}
