package extractor

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

// regexExtractor is JMeter's RegexExtractor.
type regexExtractor struct {
	name       string
	scope      target.Scope
	field      target.Str
	refName    target.Str
	pattern    target.Str
	re         *jregex.Regex // compiled at construction when the pattern is literal
	cache      *jregex.Cache // for patterns with ${}
	template   target.Str
	tpl        []tplPart // parsed template when literal
	matchNr    target.Str
	def        target.Str
	defIsEmpty target.Str
}

// tplPart is literal text, or a group reference when group >= 0.
type tplPart struct {
	text  string
	group int
}

func newRegex(el *jmx.Element) (Extractor, error) {
	x := &regexExtractor{name: el.Name}
	var err error
	if x.scope, err = target.ParseScope(el, "Sample.scope"); err != nil {
		return nil, err
	}
	ps := target.NewProps(el)
	x.field = ps.StrOr("RegexExtractor.useHeaders", "false")
	x.refName = ps.Str("RegexExtractor.refname")
	x.pattern = ps.Str("RegexExtractor.regex")
	x.template = ps.Str("RegexExtractor.template")
	x.matchNr = ps.Str("RegexExtractor.match_number")
	x.def = ps.Str("RegexExtractor.default")
	x.defIsEmpty = ps.StrOr("RegexExtractor.default_empty_value", "false")
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if p, ok := x.pattern.Literal(); ok {
		if x.re, err = jregex.Compile(p); err != nil {
			return nil, target.Errorf(el, "RegexExtractor.regex: %v", err)
		}
	} else {
		x.cache = &jregex.Cache{}
	}
	if t, ok := x.template.Literal(); ok {
		x.tpl = parseTemplate(t)
	}
	return x, nil
}

// parseTemplate splits "$1$-$2$" into literal text and group references.
func parseTemplate(t string) []tplPart {
	var parts []tplPart
	lit := 0
	for i := 0; i < len(t); i++ {
		if t[i] != '$' {
			continue
		}
		j := i + 1
		for j < len(t) && t[j] >= '0' && t[j] <= '9' {
			j++
		}
		if j == i+1 || j >= len(t) || t[j] != '$' {
			continue
		}
		n, err := strconv.Atoi(t[i+1 : j])
		if err != nil {
			continue
		}
		if i > lit {
			parts = append(parts, tplPart{text: t[lit:i], group: -1})
		}
		parts = append(parts, tplPart{group: n})
		lit = j + 1
		i = j
	}
	if lit < len(t) {
		parts = append(parts, tplPart{text: t[lit:], group: -1})
	}
	return parts
}

// generate fills the template from a match. A group number beyond the
// pattern's groups makes JMeter abandon the extraction (ok=false); a group
// that took no part in the match prints as "null", as Java's StringBuilder
// does.
func generate(tpl []tplPart, m *jregex.Match) (string, bool) {
	if len(tpl) == 1 && tpl[0].group >= 0 {
		if tpl[0].group > m.NumGroups() {
			return "", false
		}
		s, ok := m.Group(tpl[0].group)
		if !ok {
			return "null", true
		}
		return strings.Clone(s), true
	}
	var b strings.Builder
	for _, p := range tpl {
		if p.group < 0 {
			b.WriteString(p.text)
			continue
		}
		if p.group > m.NumGroups() {
			return "", false
		}
		s, ok := m.Group(p.group)
		if !ok {
			s = "null"
		}
		b.WriteString(s)
	}
	return b.String(), true
}

func (x *regexExtractor) Process(c *functions.Context, r *sample.Result) {
	if r == nil || c == nil {
		return
	}
	vars := c.Vars
	ref := x.refName.Eval(c)
	matchNumber := x.matchNr.Int(c, 0)
	if def := x.def.Eval(c); def != "" || x.defIsEmpty.Bool(c, false) {
		vars.Put(ref, def)
	}
	re := x.re
	if re == nil {
		var err error
		if re, err = x.cache.Get(x.pattern.Eval(c)); err != nil {
			return // JMeter logs the bad pattern and leaves the default
		}
	}
	tpl := x.tpl
	if tpl == nil {
		tpl = parseTemplate(x.template.Eval(c))
	}
	matches, err := x.matches(c, re, r, matchNumber)
	if err != nil {
		// A match that ran out of its budget fails the sample, naming the
		// extractor; the default value stays.
		r.Success = false
		r.Assertions = append(r.Assertions, sample.AssertionResult{Name: x.name, Error: true, FailureMessage: err.Error()})
		return
	}
	prevCount := previousCount(vars, ref)
	matchCount := 0
	if matchNumber >= 0 {
		if m := pick(c, matches, matchNumber); m != nil {
			s, ok := generate(tpl, m)
			if !ok {
				return
			}
			vars.Put(ref, s)
			saveGroups(vars, ref, m)
		} else {
			removeGroups(vars, ref)
		}
	} else {
		removeGroups(vars, ref)
		matchCount = len(matches)
		vars.Put(ref+"_matchNr", strconv.Itoa(matchCount))
		for i := range matches {
			s, ok := generate(tpl, &matches[i])
			if !ok {
				return
			}
			name := ref + "_" + strconv.Itoa(i+1)
			vars.Put(name, s)
			saveGroups(vars, name, &matches[i])
		}
	}
	for i := matchCount + 1; i <= prevCount; i++ {
		name := ref + "_" + strconv.Itoa(i)
		vars.Remove(name)
		removeGroups(vars, name)
	}
}

// matches collects matches over the samples in scope (or the scope
// variable), stopping early once match number n>0 is reached.
func (x *regexExtractor) matches(c *functions.Context, re *jregex.Regex, r *sample.Result, n int) ([]jregex.Match, error) {
	if x.scope.Kind == target.Variable {
		in, ok := c.Vars.Get(x.scope.Variable.Eval(c))
		if !ok {
			return nil, nil
		}
		return re.FindAllErr(in, max(n, 0))
	}
	field := target.ParseField(x.field.Eval(c))
	var out []jregex.Match
	for _, s := range x.scope.Samples(r) {
		limit := 0
		if n > 0 {
			limit = n - len(out)
		}
		// matches point into the body; values are cloned when stored
		ms, err := re.FindAllErr(field.View(s), limit)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
		if n > 0 && len(out) >= n {
			break
		}
	}
	return out, nil
}

// setMatchTimeout applies the run's regex budget (see NewWith).
func (x *regexExtractor) setMatchTimeout(d time.Duration) {
	if x.re != nil {
		x.re.SetMatchTimeout(d)
	}
	if x.cache != nil {
		x.cache.MatchTimeout = d
	}
}

// Dangerous says why the extractor's pattern may backtrack catastrophically.
func (x *regexExtractor) dangerous() string {
	if x.re == nil {
		return ""
	}
	return x.re.Dangerous()
}

// pick returns match n (1-based), a random one for 0, nil when out of range.
func pick(c *functions.Context, ms []jregex.Match, n int) *jregex.Match {
	if len(ms) == 0 || n > len(ms) {
		return nil
	}
	if n == 0 {
		return &ms[randIntN(c, len(ms))]
	}
	return &ms[n-1]
}

// saveGroups sets base_g0 … base_gN and base_g (the group count), removing
// base_gK left from an earlier match with more groups.
func saveGroups(v *functions.Vars, base string, m *jregex.Match) {
	prefix := base + "_g"
	previous := 0
	if s, ok := v.Get(prefix); ok {
		previous, _ = strconv.Atoi(s)
	}
	groups := m.NumGroups() + 1
	for i := 0; i < groups; i++ {
		name := prefix + strconv.Itoa(i)
		if s, ok := m.Group(i); ok {
			v.Put(name, strings.Clone(s))
		} else {
			v.Remove(name) // Java stores null: the variable reads as unset
		}
	}
	v.Put(prefix, strconv.Itoa(groups-1))
	for i := groups; i <= previous; i++ {
		v.Remove(prefix + strconv.Itoa(i))
	}
}

// removeGroups removes base_g and base_g0 … base_gN.
func removeGroups(v *functions.Vars, base string) {
	prefix := base + "_g"
	groups := 0
	if s, ok := v.Get(prefix); ok {
		groups, _ = strconv.Atoi(s)
	}
	v.Remove(prefix)
	for i := 0; i <= groups; i++ {
		v.Remove(prefix + strconv.Itoa(i))
	}
}
