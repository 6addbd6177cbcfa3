package extractor

import (
	"strconv"
	"strings"

	"github.com/gometer/gometer/extractor/target"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// boundaryExtractor is JMeter's BoundaryExtractor: the text between a left
// and a right boundary, found by plain substring search.
type boundaryExtractor struct {
	scope      target.Scope
	field      target.Str
	refName    target.Str
	left       target.Str
	right      target.Str
	matchNr    target.Str
	def        target.Str
	defIsEmpty target.Str
}

func newBoundary(el *jmx.Element) (Extractor, error) {
	x := &boundaryExtractor{}
	var err error
	if x.scope, err = target.ParseScope(el, "Sample.scope"); err != nil {
		return nil, err
	}
	ps := target.NewProps(el)
	x.field = ps.StrOr("BoundaryExtractor.useHeaders", "false")
	x.refName = ps.Str("BoundaryExtractor.refname")
	x.left = ps.Str("BoundaryExtractor.lboundary")
	x.right = ps.Str("BoundaryExtractor.rboundary")
	x.matchNr = ps.Str("BoundaryExtractor.match_number")
	x.def = ps.Str("BoundaryExtractor.default")
	x.defIsEmpty = ps.StrOr("BoundaryExtractor.default_empty_value", "false")
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if ref, ok := x.refName.Literal(); ok && ref == "" {
		return nil, target.Errorf(el, "BoundaryExtractor.refname (the variable name) is missing")
	}
	return x, nil
}

func (x *boundaryExtractor) Process(c *functions.Context, r *sample.Result) {
	if r == nil || c == nil {
		return
	}
	ref := x.refName.Eval(c)
	if ref == "" {
		return // JMeter throws: the variable name is mandatory
	}
	vars := c.Vars
	if def := x.def.Eval(c); strings.TrimSpace(def) != "" || x.defIsEmpty.Bool(c, false) {
		vars.Put(ref, def)
	}
	n := x.matchNr.Int(c, 0)
	left, right := x.left.Eval(c), x.right.Eval(c)
	prevCount := previousCount(vars, ref)

	var matches []string
	if x.scope.Kind == target.Variable {
		in, _ := c.Vars.Get(x.scope.Variable.Eval(c))
		matches = boundaries(left, right, n, in)
	} else {
		field := target.ParseField(x.field.Eval(c))
		for _, s := range x.scope.Samples(r) {
			for _, m := range boundaries(left, right, -1, field.View(s)) {
				matches = append(matches, strings.Clone(m)) // m points into the body
			}
		}
		if n > 0 { // the n-th over all samples
			if n <= len(matches) {
				matches = matches[n-1 : n]
			} else {
				matches = nil
			}
		}
	}
	matchCount := 0
	switch {
	case n >= 0 && len(matches) == 0:
	case n == 0:
		vars.Put(ref, matches[randIntN(c, len(matches))])
	case n > 0:
		if len(matches) == 1 {
			vars.Put(ref, matches[0])
		}
	default:
		matchCount = len(matches)
		vars.Put(ref+"_matchNr", strconv.Itoa(matchCount))
		for i, m := range matches {
			vars.Put(ref+"_"+strconv.Itoa(i+1), m)
		}
	}
	removeNumbered(vars, ref, matchCount+1, prevCount)
}

// boundaries lists the texts between left and right in s. As in JMeter the
// search for the next left boundary resumes just after the previous left
// boundary (so matches may overlap), an empty boundary means the start or
// end of the text, and a blank input has no match. With n > 0 only the n-th
// match is returned.
func boundaries(left, right string, n int, s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	switch {
	case left == "" && right == "":
		return []string{s}
	case left == "":
		if i := strings.Index(s, right); i >= 0 {
			return []string{s[:i]}
		}
		return nil
	case right == "":
		if i := strings.Index(s, left); i >= 0 {
			return []string{s[i+len(left):]}
		}
		return nil
	}
	var out []string
	found := 0
	for start := 0; ; start += len(left) {
		i := strings.Index(s[start:], left)
		if i < 0 {
			break
		}
		start += i
		from := start + len(left)
		j := strings.Index(s[from:], right)
		if j < 0 {
			break
		}
		found++
		if n <= 0 {
			out = append(out, s[from:from+j])
		} else if found == n {
			return []string{s[from : from+j]}
		}
	}
	return out
}
