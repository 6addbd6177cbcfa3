package engine

import (
	"fmt"
	"github.com/gometer/gometer/sampler"
	"github.com/gometer/gometer/sampler/raw"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// buildData compiles the config elements that act at each iteration start
// of their enclosing controller.
func (c *compiler) buildData(el *jmx.Element) (iterListener, error) {
	switch el.Class() {
	case "CSVDataSet":
		return c.buildCSV(el)
	case classRandomCSV:
		return c.buildRandomCSV(el)
	case "CounterConfig":
		return &counter{
			el:      el,
			slot:    c.newSlot(),
			start:   c.template(el, "CounterConfig.start", "0"),
			end:     c.template(el, "CounterConfig.end", ""),
			incr:    c.template(el, "CounterConfig.incr", "1"),
			name:    c.template(el, "CounterConfig.name", ""),
			format:  newDecimalFormat(el.Str("CounterConfig.format")),
			perUser: el.Bool("CounterConfig.per_user", false),
			reset:   el.Bool("CounterConfig.reset_on_tg_iteration", false),
			global:  math.MinInt64,
		}, nil
	case "RandomVariableConfig":
		r := &randomVar{
			el:      el,
			slot:    c.newSlot(),
			name:    c.template(el, "variableName", ""),
			format:  c.template(el, "outputFormat", ""),
			min:     c.template(el, "minimumValue", "1"),
			max:     c.template(el, "maximumValue", ""),
			perUser: el.Bool("perThread", false),
		}
		if s := strings.TrimSpace(el.Str("randomSeed")); s != "" {
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("randomSeed %q is not a number", s)
			}
			r.seed, r.seeded = v, true
		}
		if !r.perUser {
			if r.seeded {
				r.sharedJava = newJavaRandom(r.seed)
			} else {
				seed := rand.Uint64()
				r.shared = rand.New(rand.NewPCG(seed, seed))
			}
		}
		return r, nil
	}
	return nil, fmt.Errorf("unsupported config element %s", el.Class())
}

// counter is the Counter config element.
type counter struct {
	el               *jmx.Element
	slot             int
	start, end, incr *functions.Template
	name             *functions.Template
	format           decimalFormat
	perUser, reset   bool
	mu               sync.Mutex
	global           int64
}

func (c *counter) iterationStart(u *vuser) flow {
	start := evalInt(c.start, u.ctx, 0)
	end := evalInt(c.end, u.ctx, math.MaxInt64)
	incr := evalInt(c.incr, u.ctx, 0) // JMeter reads an empty increment as 0: the counter stays
	name := c.name.Eval(u.ctx)
	if !c.perUser {
		c.mu.Lock()
		if c.global == math.MinInt64 || c.global > end {
			c.global = start
		}
		v := c.global
		c.global += incr
		c.mu.Unlock()
		u.vars.Put(name, c.format.format(v))
		return flowNext
	}
	st := &u.slots[c.slot] // n: current value, m: iteration it was last set in, done: initialised
	if !st.done {
		st.done = true
		st.n = start
		st.m = int64(u.ctx.Iteration)
	}
	if c.reset && int64(u.ctx.Iteration) != st.m {
		st.n = start
	}
	st.m = int64(u.ctx.Iteration)
	u.vars.Put(name, c.format.format(st.n))
	st.n += incr
	if st.n > end {
		st.n = start
	}
	return flowNext
}

// randomVar is the Random Variable config element.
type randomVar struct {
	el                     *jmx.Element
	slot                   int
	name, format, min, max *functions.Template
	perUser                bool
	seed                   int64
	seeded                 bool
	mu                     sync.Mutex
	shared                 *rand.Rand
	sharedJava             *javaRandom // seeded and shared: JMeter's one java.util.Random
}

// iterationStart draws min + nextInt(max-min+1) as JMeter does: nothing
// when max < min, a range capped at Java's int maximum, and with a seed the
// exact java.util.Random sequence (one per user with perThread).
func (r *randomVar) iterationStart(u *vuser) flow {
	lo := evalInt(r.min, u.ctx, 1)
	hi := evalInt(r.max, u.ctx, math.MaxInt32)
	if hi < lo {
		return flowNext // JMeter logs "maximum must be >= minimum" and sets nothing
	}
	span := hi - lo + 1
	if span <= 0 || span > math.MaxInt32 {
		span = math.MaxInt32
	}
	var n int64
	switch {
	case r.perUser && r.seeded:
		st := &u.slots[r.slot]
		if st.v == nil {
			st.v = newJavaRandom(r.seed)
		}
		n = lo + int64(st.v.(*javaRandom).nextInt(int32(span)))
	case r.perUser:
		n = lo + int64(u.ctx.Rand.Uint64N(uint64(span)))
	case r.seeded:
		r.mu.Lock()
		n = lo + int64(r.sharedJava.nextInt(int32(span)))
		r.mu.Unlock()
	default:
		r.mu.Lock()
		n = lo + int64(r.shared.Uint64N(uint64(span)))
		r.mu.Unlock()
	}
	f := newDecimalFormat(r.format.Eval(u.ctx))
	u.vars.Put(r.name.Eval(u.ctx), f.format(n))
	return flowNext
}

// decimalFormat is the part of java.text.DecimalFormat that counters and
// random variables use: literal prefix/suffix, a minimum digit count and
// grouping ("#,###": a comma every three digits).
type decimalFormat struct {
	prefix, suffix string
	minDigits      int
	group          int // digits per group; 0: no grouping
	plain          bool
}

func newDecimalFormat(p string) decimalFormat {
	if p == "" {
		return decimalFormat{plain: true}
	}
	start := strings.IndexAny(p, "0#")
	if start < 0 {
		return decimalFormat{prefix: strings.ReplaceAll(p, "'", ""), plain: false}
	}
	end := start
	for end < len(p) && (p[end] == '0' || p[end] == '#' || p[end] == ',') {
		end++
	}
	f := decimalFormat{prefix: strings.ReplaceAll(p[:start], "'", ""), suffix: strings.ReplaceAll(p[end:], "'", "")}
	f.minDigits = strings.Count(p[start:end], "0")
	if i := strings.LastIndexByte(p[start:end], ','); i >= 0 {
		f.group = end - start - i - 1
	}
	return f
}

func (f decimalFormat) format(v int64) string {
	if f.plain {
		return strconv.FormatInt(v, 10)
	}
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	if len(s) < f.minDigits {
		s = strings.Repeat("0", f.minDigits-len(s)) + s
	}
	if f.group > 0 && len(s) > f.group {
		var b strings.Builder
		for i, d := range []byte(s) {
			if i > 0 && (len(s)-i)%f.group == 0 {
				b.WriteByte(',')
			}
			b.WriteByte(d)
		}
		s = b.String()
	}
	if neg {
		s = "-" + s
	}
	return f.prefix + s + f.suffix
}

// userParameters is the User Parameters pre-processor: user k takes column
// k mod columns; per-iteration ones act at iteration start instead.
type userParameters struct {
	names   []string
	columns [][]*functions.Template
}

func (c *compiler) buildUserParameters(el *jmx.Element) (*userParameters, error) {
	up := &userParameters{}
	for _, p := range el.Collection("UserParameters.names") {
		up.names = append(up.names, p.Value)
	}
	for _, col := range el.Collection("UserParameters.thread_values") {
		var vals []*functions.Template
		for _, p := range col.Items {
			t, err := functions.Compile(p.Value)
			if err != nil {
				return nil, fmt.Errorf("value %q: %w", p.Value, err)
			}
			vals = append(vals, t)
		}
		up.columns = append(up.columns, vals)
	}
	return up, nil
}

func (p *userParameters) set(u *vuser) {
	if len(p.columns) == 0 {
		return
	}
	col := p.columns[(u.num-1)%len(p.columns)]
	for i, name := range p.names {
		if i < len(col) {
			u.vars.Put(name, col[i].Eval(u.ctx))
		}
	}
}

func (p *userParameters) process(u *vuser)             { p.set(u) }
func (p *userParameters) iterationStart(u *vuser) flow { p.set(u); return flowNext }

// buildPre compiles a pre-processor; per-iteration User Parameters come back
// as an iteration listener instead.
func (c *compiler) buildPre(el *jmx.Element) (preProcessor, iterListener, error) {
	switch el.Class() {
	case "JDBCPreProcessor":
		p, err := c.buildJDBCProcessor(el)
		if err != nil {
			return nil, nil, err
		}
		return p.jdbcProcessor, nil, nil
	case "UserParameters":
		up, err := c.buildUserParameters(el)
		if err != nil {
			return nil, nil, err
		}
		if el.Bool("UserParameters.per_iteration", false) {
			return nil, up, nil
		}
		return up, nil, nil
	}
	switch el.Class() {
	case "AnchorModifier":
		return linkParser{}, nil, nil
	case "RegExUserParameters":
		r, err := sampler.NewRegexUserParameters(el)
		if err != nil {
			return nil, nil, err
		}
		return regexParams{r}, nil, nil
	case raw.SourceClass:
		p, err := c.buildRawSource(el)
		if err != nil {
			return nil, nil, err
		}
		return p, nil, nil
	case classFifoPop:
		p, err := c.buildFifoPop(el)
		if err != nil {
			return nil, nil, err
		}
		return p, nil, nil
	case "URLRewritingModifier":
		r, err := sampler.NewURLRewriter(el)
		if err != nil {
			return nil, nil, err
		}
		return urlRewriter{r}, nil, nil
	}
	return nil, nil, fmt.Errorf("unsupported pre-processor %s", el.Class())
}

// urlRewriter is the HTTP URL Re-writing Modifier (see sampler.URLRewriter).
type urlRewriter struct{ r *sampler.URLRewriter }

func (w urlRewriter) process(u *vuser) {
	if u.cur == nil {
		return
	}
	if h, ok := u.cur.smp.(*sampler.HTTP); ok {
		w.r.Rewrite(h, &u.sess, u.prev.Body, u.samples > 0)
	}
}

// regexParams is RegEx User Parameters (see sampler.RegexUserParameters).
type regexParams struct{ r *sampler.RegexUserParameters }

func (p regexParams) process(u *vuser) {
	if u.cur == nil {
		return
	}
	if h, ok := u.cur.smp.(*sampler.HTTP); ok {
		p.r.Apply(h, &u.sess)
	}
}

// linkParser is the HTML Link Parser: it points the HTTP sample about to
// be taken at a link or form of the previous response (see sampler.ChooseLink).
type linkParser struct{}

func (linkParser) process(u *vuser) {
	if u.cur == nil {
		return
	}
	if h, ok := u.cur.smp.(*sampler.HTTP); ok {
		sampler.ChooseLink(h, &u.sess, u.prev.Body, u.prev.URL)
	}
}
