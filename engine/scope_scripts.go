package engine

import (
	"errors"
	"strings"

	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/script"
)

// addScript builds a script element of a scope level in its role.
func (c *compiler) addScript(l *level, el *jmx.Element, k kind) {
	s, err := c.buildScript(el)
	if err != nil {
		c.scriptFailed(el, err)
		return
	}
	switch k {
	case kTimer:
		l.timers = append(l.timers, scriptTimer{s})
	case kPre:
		l.pres = append(l.pres, scriptPre{s})
	case kPost:
		l.posts = append(l.posts, scriptPost{s})
	case kAssertion:
		l.asserts = append(l.asserts, scriptAssertion{s})
	case kListener:
		l.slisten = append(l.slisten, scriptListener{s})
	}
}

// scriptFailed reports a script element that cannot be built: a script the
// interpreter cannot compile is a (skippable) problem counted by language,
// a missing file or a bad setting a configuration error.
func (c *compiler) scriptFailed(el *jmx.Element, err error) {
	if errors.Is(err, errCannotRun) {
		c.problem(el, "%v", err)
		if c.reported[el] {
			c.lastProblem().Script = c.spec0(el).script
		}
		return
	}
	c.badConfig(el, err)
}

func (c *compiler) spec0(el *jmx.Element) classSpec {
	s, _ := c.spec(el)
	return s
}

// scriptCount counts a script element gometer runs, by language.
func (t *Test) scriptCount(l script.Language) {
	if t.scripts == nil {
		t.scripts = map[string]int{}
	}
	t.scripts[l.String()]++
}

// hasScripts reports whether the plan holds a script element or function
// (known once the plan has been scanned, see compilePlan).
func (t *Test) hasScripts() bool { return t.scriptsInPlan }

// Scripts returns how many script elements of each language the test runs.
func (t *Test) Scripts() map[string]int {
	out := make(map[string]int, len(t.scripts))
	for k, v := range t.scripts {
		out[k] = v
	}
	return out
}

// relabel gives a sample the label a script set with sampler.setName; its
// sub-results (redirect hops, resources: "<label>-<n>") follow.
func relabel(r *sample.Result, name string) {
	old := r.Label
	r.Label = name
	for _, s := range r.Subs {
		if rest, ok := strings.CutPrefix(s.Label, old+"-"); ok {
			s.Label = name + "-" + rest
		}
	}
}
