package engine

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/javafmt"
	"github.com/gometer/gometer/jmx"
)

// classShapingTimer is the jmeter-plugins Throughput Shaping Timer.
const classShapingTimer = "kg.apc.jmeter.timers.VariableThroughputTimer"

// shapeRow is one row of a Throughput Shaping Timer's schedule: the rate
// goes from `from` to `to` requests per second over dur seconds.
type shapeRow struct {
	from, to float64
	dur      int64
}

// rateAt is the plugin's getRPSForSecond: the target rate during whole
// second sec of the schedule and the schedule's total duration. Within a row
// the rate moves linearly from its start, and a second on a row's end still
// belongs to that row (it has the row's end rate). Past the schedule the
// rate is -1.
func rateAt(rows []shapeRow, sec int64) (rate float64, total int64) {
	rate = -1
	done := false
	t := float64(sec)
	for _, r := range rows {
		total += r.dur
		if done {
			continue
		}
		if t-float64(r.dur) <= 0 {
			rate = r.from + t*(r.to-r.from)/float64(r.dur) // 0/0 is NaN, as in Java
			done = true
		} else {
			t -= float64(r.dur)
		}
	}
	return rate, total
}

// maxProfileRows bounds the rows a load_profile property may expand to (a
// step() of tiny steps is a schedule no one means).
const maxProfileRows = 100000

var profileSplit = regexp.MustCompile(`[(,]`)

// parseLoadProfile reads the load_profile property as the plugin does:
// chunks ending in ")" of const(N, T), line(N, K, T) and step(N, K, S, T),
// rates whole numbers, durations in seconds with s, m, h and d suffixes
// (1h30m). A chunk the plugin cannot read is left out with a warning, as it
// does; so is a step() that would never end (a step of 0 going down, on which
// the plugin loops for ever) or that expands to more than maxProfileRows rows.
func parseLoadProfile(s string) (rows []shapeRow, warnings []string) {
	chunks := strings.Split(s, ")")
	for len(chunks) > 0 && chunks[len(chunks)-1] == "" { // Java's split drops trailing empty strings
		chunks = chunks[:len(chunks)-1]
	}
	for _, chunk := range chunks {
		r, err := parseProfileChunk(chunk)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("load_profile chunk %q ignored: %v", chunk, err))
			continue
		}
		if len(rows)+len(r) > maxProfileRows {
			warnings = append(warnings, fmt.Sprintf("load_profile chunk %q ignored: more than %d rows in all", chunk, maxProfileRows))
			continue
		}
		rows = append(rows, r...)
	}
	return rows, warnings
}

func parseProfileChunk(chunk string) ([]shapeRow, error) {
	parts := profileSplit.Split(chunk, -1)
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	kind := strings.ToLower(strings.TrimSpace(parts[0]))
	ints := map[string]int{"const": 1, "line": 2, "step": 3}[kind]
	if ints == 0 {
		return nil, fmt.Errorf("unknown load type %q (const, line or step)", strings.TrimSpace(parts[0]))
	}
	if len(parts) < ints+2 {
		return nil, fmt.Errorf("%s needs %d values", kind, ints+1)
	}
	v := make([]int64, ints)
	for i := range v {
		n, err := strconv.ParseInt(strings.TrimSpace(parts[1+i]), 10, 32)
		if err != nil {
			return nil, err
		}
		v[i] = n
	}
	d, err := shortSeconds(parts[1+ints])
	if err != nil {
		return nil, err
	}
	switch kind {
	case "const":
		return []shapeRow{{float64(v[0]), float64(v[0]), d}}, nil
	case "line":
		return []shapeRow{{float64(v[0]), float64(v[1]), d}}, nil
	}
	from, to, inc := v[0], v[1], v[2]
	if from > to {
		inc = -inc
	}
	// the plugin's loop: up to and including `to` when rising, down to but
	// not including it when falling
	more := func(n int64) bool { return (inc > 0 && n <= to) || (inc <= 0 && n > to) }
	if inc == 0 && more(from) {
		return nil, fmt.Errorf("a step of 0 never reaches %d", to)
	}
	var rows []shapeRow
	for n := from; more(n); n += inc {
		if len(rows) == maxProfileRows {
			return nil, fmt.Errorf("more than %d steps", maxProfileRows)
		}
		rows = append(rows, shapeRow{float64(n), float64(n), d})
	}
	return rows, nil
}

// shortSeconds reads a duration such as "90", "10s", "1m30s" or "1d11h23m6s"
// (JMeterPluginsUtils.getSecondsForShortString): digits then a unit, s, m, h
// or d in either case; trailing digits are seconds.
func shortSeconds(s string) (int64, error) {
	s = strings.TrimSpace(s)
	var total int64
	cur := ""
	for _, c := range s {
		if c >= '0' && c <= '9' {
			cur += string(c)
			continue
		}
		var mul int64
		switch c {
		case 's', 'S':
			mul = 1
		case 'm', 'M':
			mul = 60
		case 'h', 'H':
			mul = 3600
		case 'd', 'D':
			mul = 86400
		default:
			return 0, fmt.Errorf("duration %q: unit %q is not s, m, h or d", s, c)
		}
		n, err := strconv.ParseInt(cur, 10, 32)
		if err != nil {
			return 0, fmt.Errorf("duration %q: %q is not a number", s, cur)
		}
		total += n * mul
		cur = ""
	}
	if cur != "" {
		n, err := strconv.ParseInt(cur, 10, 32)
		if err != nil {
			return 0, fmt.Errorf("duration %q: %q is not a number", s, cur)
		}
		total += n
	}
	if total > math.MaxInt32 {
		return 0, fmt.Errorf("duration %q is longer than the plugin can count", s)
	}
	return total, nil
}

// shapingTimer paces the samples of all users sharing it (the plugin's
// element is not cloned per thread) to a requests-per-second schedule.
//
// The schedule comes from the load_profile property when it is set (the
// timer's own "<name>.load_profile" first), else from the plan's rows,
// whose cells may hold ${} and are read again at each new second. As in
// the plugin the target rate is fixed per whole second (the schedule's
// value at that second) and within a second the n-th sample may start
// n·1000/rate ms into it: ceil(rate) samples a second, at least one (a rate
// of 0 still lets the second's first sample through; a rate that is not a
// number lets every sample through). At each new second the timer
// publishes <name>_rps, <name>_cntSent (samples of the second before),
// <name>_cntDelayed (users waiting in it) and <name>_totalDuration, which
// __tstFeedback reads. When the schedule is over it stops its thread groups.
//
// Differences: the plugin's seconds are those of the JVM's monotonic clock,
// so its first second is cut short; gometer's start at the first sample.
// Waiting users take the free places in the order they asked rather than
// in the order the JVM wakes them. At the end the plugin stops the thread
// group of the user that sees it (the whole test if threads keep coming in
// later seconds); gometer stops the group of each user that reaches it, so
// every group using the timer stops and the others run on.
type shapingTimer struct {
	el      *jmx.Element
	name    string
	rows    [][3]*functions.Template // the plan's rows
	profile []shapeRow               // from the load_profile property, when set
}

func (c *compiler) buildShapingTimer(el *jmx.Element) (timer, error) {
	t := &shapingTimer{el: el, name: el.Name}
	prop := "load_profile"
	if el.Name != "" && c.t != nil && c.t.props != nil && strings.TrimSpace(c.t.props.GetOr(el.Name+".load_profile", "")) != "" {
		prop = el.Name + ".load_profile"
	}
	if c.t != nil && c.t.props != nil {
		if v := c.t.props.GetOr(prop, ""); v != "" {
			rows, warns := parseLoadProfile(v)
			for _, w := range warns {
				c.t.logf("WARN", "%s: %s: %s", el.Where(), el.Path(), w)
			}
			t.profile = rows
			if t.profile == nil {
				t.profile = []shapeRow{}
			}
			c.t.logf("INFO", "%s: %s: load profile from property %s (%d rows; the plan's rows are not used)", el.Where(), el.Path(), prop, len(rows))
			return t, nil
		}
	}
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
		return nil, fmt.Errorf("Throughput Shaping Timer has no load_profile rows (nor a load_profile property)")
	}
	return t, nil
}

// schedule is the rows as numbers now: the property's, or the plan's cells
// read as JMeter's properties read them (a rate that is not a number is 0,
// so is a duration that is not a whole number).
func (t *shapingTimer) schedule(c *functions.Context) []shapeRow {
	if t.profile != nil {
		return t.profile
	}
	rows := make([]shapeRow, len(t.rows))
	for i, r := range t.rows {
		rows[i] = shapeRow{from: javaDouble(r[0].Eval(c)), to: javaDouble(r[1].Eval(c)), dur: javaInt(r[2].Eval(c))}
	}
	return rows
}

// javaDouble is JMeter's getDoubleValue of a string: Double.parseDouble
// (blanks around and a d/f suffix allowed), 0 when it is not a number.
func javaDouble(s string) float64 {
	s = strings.TrimSpace(s)
	if n := len(s); n > 0 && strings.ContainsRune("dDfF", rune(s[n-1])) {
		s = s[:n-1]
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return v
}

// javaInt is JMeter's getIntValue of a string: Integer.parseInt, 0 when it
// is not one.
func javaInt(s string) int64 {
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0
	}
	return v
}

// shapingState is the timer's shared state for the run.
type shapingState struct {
	mu      sync.Mutex
	started bool
	start   time.Time
	pace    tstPacer
	slots   int64 // slots handed out over the whole run, all shards
}

// tstPacer hands out the schedule's places in time, as data: every time is
// milliseconds from the timer's start.
type tstPacer struct {
	cur     int64     // the second the last call or place was in
	rate    []float64 // rate of second cur, cur+1 … (computed when first needed)
	sent    []int64   // places taken in second cur, cur+1 …
	waiting []int64   // places handed out and not yet reached, in order
}

// secondIdx makes second k (>= cur) known; rate(k) gives its rate.
func (p *tstPacer) secondIdx(k int64, rate func(sec int64) float64) int {
	i := int(k - p.cur)
	for len(p.rate) <= i {
		p.rate = append(p.rate, rate(p.cur+int64(len(p.rate))))
		p.sent = append(p.sent, 0)
	}
	return i
}

// advance moves the current second to that of `now` (ms), returning
// whether it changed and the places taken in the second it leaves.
func (p *tstPacer) advance(now int64) (changed bool, sentBefore int64) {
	k := now / 1000
	for len(p.waiting) > 0 && p.waiting[0] <= now {
		p.waiting = p.waiting[1:]
	}
	if k == p.cur && len(p.rate) > 0 {
		return false, 0
	}
	if len(p.sent) > 0 {
		sentBefore = p.sent[0]
	}
	if d := int(k - p.cur); d < len(p.rate) {
		p.rate, p.sent = p.rate[d:], p.sent[d:]
	} else {
		p.rate, p.sent = p.rate[:0], p.sent[:0]
	}
	p.cur = k
	return true, sentBefore
}

// place returns the time (ms) of the next free place at or after now, or
// ok false and the time the schedule ends when it is over by then. mine says whether a place is
// this generator's (shards take every N-th); others' are skipped.
func (p *tstPacer) place(now int64, rate func(sec int64) float64, mine func() bool) (at int64, ok bool) {
	k, m := now/1000, now%1000
	for {
		i := p.secondIdx(k, rate)
		r := p.rate[i]
		if r < 0 {
			return k * 1000, false
		}
		n := p.sent[i]
		off := int64(0)
		if n > 0 && !math.IsNaN(r) {
			// the n-th sample of a second waits while ms < n·(1000/rate)
			x := float64(n) * (1000 / r)
			if x >= 1000 || math.IsInf(x, 0) {
				k, m = k+1, 0
				continue
			}
			off = int64(math.Ceil(x))
		}
		if off > 999 {
			k, m = k+1, 0
			continue
		}
		p.sent[i]++
		at = k*1000 + max(m, off)
		if !mine() {
			m = max(m, off)
			continue
		}
		if at > now {
			p.waiting = append(p.waiting, at)
		}
		return at, true
	}
}

func (t *shapingTimer) delay(u *vuser) time.Duration {
	v, _ := u.t.state.LoadOrStore(sharedKey{el: t.el}, &shapingState{})
	s := v.(*shapingState)
	now := time.Now()
	s.mu.Lock()
	if !s.started {
		s.started, s.start = true, now
	}
	nowMS := now.Sub(s.start).Milliseconds()
	rate := func(sec int64) float64 {
		r, _ := rateAt(t.schedule(u.ctx), sec)
		return r
	}
	if changed, sent := s.pace.advance(nowMS); changed {
		i := s.pace.secondIdx(s.pace.cur, rate)
		if t.name != "" && u.t.props != nil {
			_, total := rateAt(t.schedule(u.ctx), 0)
			p := u.t.props
			p.Set(t.name+"_totalDuration", strconv.FormatInt(total, 10))
			p.Set(t.name+"_cntDelayed", strconv.Itoa(len(s.pace.waiting)))
			p.Set(t.name+"_cntSent", strconv.FormatInt(sent, 10))
			p.Set(t.name+"_rps", javafmt.Double(s.pace.rate[i]))
		}
	}
	at, ok := s.pace.place(nowMS, rate, func() bool { s.slots++; return u.t.mine(s.slots - 1) })
	s.mu.Unlock()
	if !ok {
		// the users with places before the end still take them: this one
		// waits for the end, where the plugin's first thread to see it stops
		if u.sleep(time.Duration(at-nowMS) * time.Millisecond) {
			if u.gr != nil && u.gr.g != nil {
				// the plugin stops the thread group of the user that saw the end
				u.t.logf("INFO", "%s: load profile finished, stopping thread group %s", t.el.Path(), u.gr.g.name)
				u.gr.halt.Store(true)
			} else {
				u.t.stopGraceful()
			}
		}
		u.stop = true
		return 0
	}
	return time.Duration(at-nowMS) * time.Millisecond
}
