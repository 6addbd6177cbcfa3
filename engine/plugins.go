package engine

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gometer/gometer/assertion"
	"github.com/gometer/gometer/extractor"
	"github.com/gometer/gometer/extractor/jregex"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/sampler"
	"github.com/gometer/gometer/sampler/raw"
	"github.com/gometer/gometer/sampler/tcp"
)

// handledElsewhere classifies classes that other packages implement.
func handledElsewhere(class string) (kind, bool) {
	if extractor.Handles(class) {
		return kPost, true
	}
	if assertion.Handles(class) {
		return kAssertion, true
	}
	return kUnknown, false
}

// extractorPost adapts an extractor to the engine's post-processor.
type extractorPost struct{ x extractor.Extractor }

func (p extractorPost) process(u *vuser, r *sample.Result) { p.x.Process(u.ctx, r) }

func (c *compiler) buildPost(el *jmx.Element) (postProcessor, error) {
	if el.Class() == "JDBCPostProcessor" {
		p, err := c.buildJDBCProcessor(el)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
	if el.Class() == classFifoPut {
		return c.buildFifoPut(el), nil
	}
	if extractor.Handles(el.Class()) {
		x, err := extractor.NewWith(el, extractor.Options{RegexMatchTimeout: c.regexTimeout()})
		if err != nil {
			return nil, err
		}
		c.warnDangerousRegex(el, extractor.Dangerous(x))
		return extractorPost{x}, nil
	}
	return nil, fmt.Errorf("%w: post-processor %s", errUnsupported, el.Class())
}

// assertionCheck adapts an assertion, applied with JMeter's sub-sample scope.
type assertionCheck struct{ a assertion.Assertion }

func (a assertionCheck) check(u *vuser, r *sample.Result) { assertion.Apply(a.a, u.ctx, r) }

// assertionIter starts an assertion's per-user state over at each
// iteration of its nearest enclosing controller (Compare Assertion).
type assertionIter struct{ a assertion.IterationListener }

func (a assertionIter) iterationStart(u *vuser) flow {
	a.a.IterationStart(u.ctx)
	return flowNext
}

// assertionIterListener is the iteration listener of an assertion that
// needs one, else nil.
func assertionIterListener(ch checker) iterListener {
	if ac, ok := ch.(assertionCheck); ok {
		if il, ok := ac.a.(assertion.IterationListener); ok {
			return assertionIter{il}
		}
	}
	return nil
}

func (c *compiler) buildAssertion(el *jmx.Element) (checker, error) {
	a, err := assertion.NewWith(el, assertion.Options{RegexMatchTimeout: c.regexTimeout()})
	if err != nil {
		return nil, err
	}
	c.warnDangerousRegex(el, assertion.Dangerous(a))
	return assertionCheck{a}, nil
}

func (c *compiler) buildOtherSampler(el *jmx.Element) (sampler.Sampler, error) {
	switch el.Class() {
	case "DebugSampler":
		return sampler.NewDebug(el)
	case "kg.apc.jmeter.samplers.DummySampler":
		return sampler.NewDummy(el)
	case "JDBCSampler":
		return c.buildJDBC(el)
	case "TCPSampler":
		return tcp.New(el, c.t.props)
	case "SystemSampler":
		return c.buildSystem(el)
	case raw.Class:
		return raw.New(el, c.t.props)
	}
	return nil, fmt.Errorf("%w: sampler %s", errUnsupported, el.Class())
}

var errUnsupported = ErrUnsupported

// ErrUnsupported marks an element gometer cannot run; Compile reports it as
// a problem that SkipUnsupported may skip.
var ErrUnsupported = errors.New("unsupported element")

// errCannotRun marks an element whose settings cannot work here (a missing
// data file …): reported like an unsupported element, so it can be skipped.
var errCannotRun = errors.New("cannot run")

// problemOrBad reports an unsupported element as a (skippable) problem and
// any other build error as a configuration error.
func (c *compiler) problemOrBad(el *jmx.Element, err error) {
	if errors.Is(err, errCannotRun) {
		c.problem(el, "%s", strings.TrimSuffix(err.Error(), ": "+errCannotRun.Error()))
		return
	}
	if isUnsupportedMsg(el, err) {
		c.problem(el, "%s", trimLocation(el, err))
		return
	}
	if errors.Is(err, errUnsupported) || errors.Is(err, extractor.ErrUnsupported) || errors.Is(err, assertion.ErrUnsupported) {
		c.problem(el, "%v", err)
		return
	}
	c.badConfig(el, errors.New(trimLocation(el, err)))
}

// isUnsupportedMsg recognises "… is not supported" errors from samplers.
func isUnsupportedMsg(el *jmx.Element, err error) bool {
	return strings.Contains(err.Error(), "not supported")
}

// trimLocation drops the "path (file:line): " prefix other packages put on
// their errors; the Problem carries the location already.
func trimLocation(el *jmx.Element, err error) string {
	msg := err.Error()
	prefix := el.Path() + " (" + el.Where() + "): "
	return strings.TrimPrefix(msg, prefix)
}

// regexTimeout is the budget of one backtracking regex match: the property
// jregex.PropMatchTimeout (milliseconds), else jregex's default.
func (c *compiler) regexTimeout() time.Duration {
	v, ok := c.t.props.Get(jregex.PropMatchTimeout)
	if !ok {
		return jregex.DefaultMatchTimeout
	}
	ms, reason := parseWhole(strings.TrimSpace(v), numberRange{lo: 0, hi: maxSeconds * 1000})
	if reason != "" {
		c.t.logf("WARN", "property %s=%q %s: using %v", jregex.PropMatchTimeout, v, reason, jregex.DefaultMatchTimeout)
		return jregex.DefaultMatchTimeout
	}
	if ms == 0 {
		return -1 // no budget
	}
	return time.Duration(ms) * time.Millisecond
}

// warnDangerousRegex warns at load about a pattern with a shape known to
// backtrack catastrophically; each match is still cut at its budget.
func (c *compiler) warnDangerousRegex(el *jmx.Element, part string) {
	if part == "" {
		return
	}
	budget := fmt.Sprintf("each match gives up after %v (%s)", c.regexTimeout(), jregex.PropMatchTimeout)
	if c.regexTimeout() < 0 {
		budget = fmt.Sprintf("and %s=0 lets a match run for ever", jregex.PropMatchTimeout)
	}
	c.t.logf("WARN", "%s: %s: regular expression part %q repeats a group that itself repeats: it can backtrack for a very long time on some responses; %s",
		el.Where(), el.Path(), part, budget)
}
