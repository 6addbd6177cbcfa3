package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gometer/gometer/jmx"
)

// A plan of a few kilobytes can ask for millions of elements: Module
// Controllers that each copy a fragment which itself holds several
// Module Controllers, level upon level, or the same file included many
// times. The compiler counts the elements it builds, copies included, and
// refuses the plan past a limit, naming the chain of modules and includes
// that explodes.
const (
	// PropMaxPlanElements is the property that changes the limit.
	PropMaxPlanElements = "gometer.max_plan_elements"
	// DefaultMaxPlanElements is the limit on elements compiled: the largest
	// public plan seen has ~1,500.
	DefaultMaxPlanElements = 50_000
)

// ErrPlanTooLarge is what the refusal wraps.
var ErrPlanTooLarge = errors.New("the plan expands to too many elements")

func maxPlanElements(get func(string) (string, bool)) int {
	if v, ok := get(PropMaxPlanElements); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
			return n
		}
	}
	return DefaultMaxPlanElements
}

// countElement counts one more compiled element; false once the plan is
// over the limit (reported once, on the innermost module or include being
// expanded), after which nothing more is compiled.
func (c *compiler) countElement(el *jmx.Element) bool {
	if c.exploded {
		return false
	}
	c.expanded++
	if c.expanded <= c.maxExpanded {
		return true
	}
	c.exploded = true
	at := el
	var chain []string
	for _, e := range c.expanding {
		chain = append(chain, fmt.Sprintf("%s (line %d)", e.Path(), e.Line))
		at = e
	}
	from := ""
	if len(chain) > 0 {
		from = "; the copies come from " + strings.Join(chain, " → ")
	}
	c.badConfig(at, fmt.Errorf("%w: more than %d (property %s)%s", ErrPlanTooLarge, c.maxExpanded, PropMaxPlanElements, from))
	return false
}

// includedPlan is an included file, parsed once however often it is
// included.
type includedPlan struct {
	plan *jmx.Plan
	err  error
}

// parseInclude parses file once per compile.
func (c *compiler) parseInclude(file string) (*jmx.Plan, error) {
	if p, ok := c.parsed[file]; ok {
		return p.plan, p.err
	}
	plan, err := jmx.ParseFile(file)
	c.parsed[file] = includedPlan{plan, err}
	c.t.includesParsed++
	return plan, err
}
