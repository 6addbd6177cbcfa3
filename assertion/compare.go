package assertion

import (
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/extractor/jregex"
	"github.com/gometer/gometer/extractor/target"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// IterationListener is an assertion with per-user state that starts over
// at each iteration of its nearest enclosing controller (JMeter's
// LoopIterationListener).
type IterationListener interface {
	IterationStart(c *functions.Context)
}

// Compare Assertion's failure messages (JMeter's English resources).
const (
	compareContentDiffers = "Responses differ in content"
	compareTimeDiffers    = "Responses differ in response time by more than" // no space: JMeter's resource text ends there
)

// compareAssertion is JMeter's CompareAssertion: every sample it judges in
// one iteration of its controller is compared with the one before it, by
// content (after the substitutions) and by elapsed time. JMeter keeps the
// iteration's samples and re-compares the whole list at each sample; a
// difference once found is found again at every later sample, so a flag
// and the last sample carry the same outcome in bounded memory.
type compareAssertion struct {
	base
	content bool
	time    target.Str // compareTime in ms; negative: not compared
	skips   []substitution
}

type substitution struct {
	re   *jregex.Regex
	with string
}

// compareState is one user's view of the current iteration.
type compareState struct {
	n              int
	lastContent    string
	contentDiffers bool
	times          []int64 // every elapsed time (compareTime may change per sample)
}

func newCompare(el *jmx.Element) (Assertion, error) {
	a := &compareAssertion{base: base{label: el.Name}, content: el.Bool("compareContent", true)}
	var err error
	if a.time, err = target.PropOr(el, "compareTime", "-1"); err != nil {
		return nil, err
	}
	for _, item := range el.Collection("stringsToSkip") {
		if item.Elem == nil {
			continue
		}
		pattern := item.Elem.Str("regex")
		re, err := jregex.Compile(pattern)
		if err != nil {
			return nil, target.Errorf(el, "stringsToSkip regex %q: %v", pattern, err)
		}
		a.skips = append(a.skips, substitution{re: re, with: item.Elem.Str("substitute")})
	}
	return a, nil
}

func (a *compareAssertion) setMatchTimeout(d time.Duration) {
	for _, s := range a.skips {
		s.re.SetMatchTimeout(d)
	}
}

func (a *compareAssertion) dangerous() string {
	for _, s := range a.skips {
		if d := s.re.Dangerous(); d != "" {
			return d
		}
	}
	return ""
}

// IterationStart forgets the samples of the previous iteration.
func (a *compareAssertion) IterationStart(c *functions.Context) {
	c.SetUserState(a, &compareState{})
}

func (a *compareAssertion) state(c *functions.Context) *compareState {
	st, _ := c.UserState(a).(*compareState)
	if st == nil {
		st = &compareState{}
		c.SetUserState(a, st)
	}
	return st
}

func (a *compareAssertion) Assert(c *functions.Context, r *sample.Result) sample.AssertionResult {
	res := sample.AssertionResult{Name: a.label}
	st := a.state(c)
	st.n++
	elapsed := r.Elapsed.Milliseconds()
	st.times = append(st.times, elapsed)
	if a.content {
		text := a.filter(target.Body.Text(r))
		if st.n > 1 && text != st.lastContent {
			st.contentDiffers = true
		}
		st.lastContent = text
	}
	if st.n < 2 {
		return res
	}
	if a.content && st.contentDiffers {
		res.Failure, res.FailureMessage = true, compareContentDiffers
	}
	limit, err := strconv.ParseInt(strings.TrimSpace(a.time.Eval(c)), 10, 64)
	if err != nil || limit < 0 {
		return res
	}
	for i := 1; i < len(st.times); i++ {
		d := st.times[i] - st.times[i-1]
		if d < 0 {
			d = -d
		}
		if d > limit {
			// JMeter compares time after content: its message is the last set
			res.Failure, res.FailureMessage = true, compareTimeDiffers+strconv.FormatInt(limit, 10)+" ms"
			break
		}
	}
	return res
}

// filter applies the substitutions in order; the substitute is literal
// text, as ORO's StringSubstitution (JMeter's default regex engine) reads it.
func (a *compareAssertion) filter(s string) string {
	for _, sub := range a.skips {
		idx := sub.re.FindAllIndex(s, -1)
		if len(idx) == 0 {
			continue
		}
		var b strings.Builder
		last := 0
		for _, m := range idx {
			b.WriteString(s[last:m[0]])
			b.WriteString(sub.with)
			last = m[1]
		}
		b.WriteString(s[last:])
		s = b.String()
	}
	return s
}
