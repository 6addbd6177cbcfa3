package extractor

import (
	"strconv"
	"strings"
	"sync"

	"github.com/gometer/gometer/extractor/jsonpath"
	"github.com/gometer/gometer/extractor/target"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// jsonExtractor is JMeter's JSONPostProcessor (JSON Extractor).
type jsonExtractor struct {
	scope   target.Scope
	names   target.Str
	exprs   target.Str
	matchNr target.Str
	defs    target.Str
	concat  target.Str
	// compiled when names, expressions and defaults are literal
	static *jsonPlan
	cache  pathCache
}

// jsonPlan is the per-expression configuration after splitting on ";".
type jsonPlan struct {
	names []string
	paths []*jsonpath.Path
	defs  []string
}

func newJSON(el *jmx.Element) (Extractor, error) {
	x := &jsonExtractor{}
	var err error
	if x.scope, err = target.ParseScope(el, "Sample.scope"); err != nil {
		return nil, err
	}
	ps := target.NewProps(el)
	x.names = ps.Str("JSONPostProcessor.referenceNames")
	x.exprs = ps.Str("JSONPostProcessor.jsonPathExprs")
	x.matchNr = ps.Str("JSONPostProcessor.match_numbers")
	x.defs = ps.Str("JSONPostProcessor.defaultValues")
	x.concat = ps.Str("JSONPostProcessor.compute_concat")
	if err := ps.Err(); err != nil {
		return nil, err
	}
	n, okN := x.names.Literal()
	e, okE := x.exprs.Literal()
	d, okD := x.defs.Literal()
	if okN && okE && okD {
		plan, err := planJSON(n, e, d, nil)
		if err != nil {
			return nil, target.Errorf(el, "%v", err)
		}
		x.static = plan
	}
	return x, nil
}

// splitJava splits like Java's String.split(";"): trailing empty strings
// are dropped.
func splitJava(s string) []string {
	parts := strings.Split(s, ";")
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// planJSON splits the three lists and compiles the expressions. JMeter
// 5.6.3 splits the defaults as Java's split(";") does, dropping trailing
// empty ones, so "NOT_FOUND;" is one default (common in real plans); a
// plan whose last default is meant to be empty ("x;" for two names) fails
// every sample in 5.6.3 and works since a later fix. Both readings are
// accepted here: the 5.6.3 one when its count fits, else the fixed one.
func planJSON(names, exprs, defs string, cache *pathCache) (*jsonPlan, error) {
	p := &jsonPlan{names: splitJava(names), defs: splitJava(defs)}
	if all := strings.Split(defs, ";"); len(p.defs) != len(p.names) && len(all) == len(p.names) {
		p.defs = all
	}
	if len(p.defs) == 0 && len(p.names) == 1 {
		p.defs = []string{""} // "" splits to one empty default in Java
	}
	es := splitJava(exprs)
	if len(p.names) != len(es) || len(p.names) != len(p.defs) {
		return nil, errMismatch{len(p.names), len(es), len(p.defs)}
	}
	for i := range p.names {
		p.names[i] = strings.TrimSpace(p.names[i])
		var path *jsonpath.Path
		var err error
		if cache != nil {
			path, err = cache.get(strings.TrimSpace(es[i]))
		} else {
			path, err = jsonpath.Compile(es[i])
		}
		if err != nil {
			return nil, err
		}
		p.paths = append(p.paths, path)
	}
	return p, nil
}

type errMismatch struct{ names, exprs, defs int }

func (e errMismatch) Error() string {
	return "Mismatch between number of variables, json expressions and default values (" +
		strconv.Itoa(e.names) + " names, " + strconv.Itoa(e.exprs) + " expressions, " +
		strconv.Itoa(e.defs) + " defaults; separate several with ';')"
}

// pathCache compiles expressions only known at run time.
type pathCache struct {
	mu sync.Mutex
	m  map[string]*jsonpath.Path
}

func (c *pathCache) get(expr string) (*jsonpath.Path, error) {
	c.mu.Lock()
	p, ok := c.m[expr]
	c.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := jsonpath.Compile(expr)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) > 256 {
		c.m = make(map[string]*jsonpath.Path)
	}
	c.m[expr] = p
	c.mu.Unlock()
	return p, nil
}

// matchNumbers parses the ";"-separated match numbers; blank means 0
// (random) for every expression, missing trailing entries are 0 too.
func matchNumbers(s string, n int) []int {
	out := make([]int, n)
	if strings.TrimSpace(s) == "" {
		return out
	}
	for i, f := range splitJava(s) {
		if i >= n {
			break
		}
		out[i], _ = strconv.Atoi(strings.TrimSpace(f))
	}
	return out
}

func (x *jsonExtractor) Process(c *functions.Context, r *sample.Result) {
	if c == nil || (r == nil && x.scope.Kind != target.Variable) {
		return
	}
	plan := x.static
	if plan == nil {
		var err error
		plan, err = planJSON(x.names.Eval(c), x.exprs.Eval(c), x.defs.Eval(c), &x.cache)
		if err != nil {
			return // JMeter throws here and extracts nothing
		}
	}
	vars := c.Vars
	docs, parseErr := x.documents(c, r)
	nums := matchNumbers(x.matchNr.Eval(c), len(plan.names))
	concat := x.concat.Bool(c, false)
	for i, ref := range plan.names {
		def := plan.defs[i]
		clearOldRefVars(vars, ref)
		switch {
		case parseErr:
			vars.Put(ref, def) // invalid JSON: the default
		case len(docs) == 0:
			vars.Put(ref, def)
		default:
			var vals []any
			for _, d := range docs {
				vals = append(vals, plan.paths[i].Find(d)...)
			}
			putJSONResults(c, vars, ref, def, nums[i], concat, vals)
		}
	}
}

// documents parses the non-blank bodies in scope (or the scope variable).
// parseErr reports that one of them was not JSON (JMeter then sets every
// variable to its default).
func (x *jsonExtractor) documents(c *functions.Context, r *sample.Result) (docs []any, parseErr bool) {
	var texts []string
	if x.scope.Kind == target.Variable {
		v, ok := c.Vars.Get(x.scope.Variable.Eval(c))
		if !ok {
			return nil, true // Java passes null to the parser, which throws
		}
		texts = []string{v}
	} else {
		for _, s := range x.scope.Samples(r) {
			if b := string(s.Body); strings.TrimSpace(b) != "" {
				texts = append(texts, b)
			}
		}
	}
	for _, t := range texts {
		d, err := jsonpath.Parse(t)
		if err != nil {
			// json-smart (permissive) reads text that does not start like
			// JSON as a plain string, where no path finds anything; broken
			// JSON is an error, and the extractor then sets the defaults.
			if s := strings.TrimSpace(t); s == "" || strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[") {
				return nil, true
			}
			d = t
		}
		docs = append(docs, d)
	}
	return docs, false
}

func clearOldRefVars(v *functions.Vars, ref string) {
	v.Remove(ref + "_matchNr")
	clearNumbered(v, ref)
}

// putJSONResults applies JMeter's rules for one expression's results.
func putJSONResults(c *functions.Context, vars *functions.Vars, ref, def string, n int, concat bool, vals []any) {
	str := func(v any) string {
		if s, ok := jsonpath.ExtractorString(v); ok {
			return s
		}
		return def // JSON null
	}
	switch {
	case len(vals) == 0:
		vars.Put(ref, def)
		vars.Put(ref+"_matchNr", "0")
		if n < 0 && concat {
			vars.Put(ref+"_ALL", "")
		}
		return
	case len(vals) == 1:
		name := ref
		if n < 0 {
			name = ref + "_1"
		}
		s := str(vals[0])
		vars.Put(name, s)
		if n < 0 && concat {
			vars.Put(ref+"_ALL", s)
		}
	case n < 0:
		var all strings.Builder
		for i, v := range vals {
			s := str(v)
			vars.Put(ref+"_"+strconv.Itoa(i+1), s)
			if concat {
				if i > 0 {
					all.WriteByte(',')
				}
				all.WriteString(s)
			}
		}
		if concat {
			vars.Put(ref+"_ALL", all.String())
		}
	case n == 0:
		vars.Put(ref, str(vals[randIntN(c, len(vals))]))
	case n > len(vals):
		vars.Put(ref, def)
	default:
		vars.Put(ref, str(vals[n-1]))
	}
	if n != 0 {
		vars.Put(ref+"_matchNr", strconv.Itoa(len(vals)))
	}
}

// jsonPluginExtractor is the jmeter-plugins JSON Path Extractor
// (com.atlantbh…JSONPathExtractor): one expression, read with Jayway's
// default configuration; a list result sets VAR to the whole list as JSON
// plus VAR_1 … VAR_n and VAR_matchNr.
type jsonPluginExtractor struct {
	ref     target.Str
	expr    target.Str
	path    *jsonpath.Path
	cache   pathCache
	def     target.Str
	subject target.Str // BODY or VAR
	srcVar  target.Str
	yaml    bool // INPUT_FORMAT YAML
}

func newJSONPlugin(el *jmx.Element) (Extractor, error) {
	x := &jsonPluginExtractor{}
	var err error
	ps := target.NewProps(el)
	x.ref = ps.Str("VAR")
	x.expr = ps.Str("JSONPATH")
	x.def = ps.Str("DEFAULT")
	x.subject = ps.StrOr("SUBJECT", "BODY")
	x.srcVar = ps.Str("VARIABLE")
	if err := ps.Err(); err != nil {
		return nil, err
	}
	// the plugin reads YAML for exactly "YAML", JSON for anything else
	x.yaml = el.Str("INPUT_FORMAT") == "YAML"
	if e, ok := x.expr.Literal(); ok {
		if x.path, err = jsonpath.Compile(e); err != nil {
			return nil, target.Errorf(el, "JSONPATH: %v", err)
		}
	}
	return x, nil
}

func (x *jsonPluginExtractor) Process(c *functions.Context, r *sample.Result) {
	if c == nil {
		return
	}
	vars := c.Vars
	ref := x.ref.Eval(c)
	var text string
	if strings.EqualFold(x.subject.Eval(c), "VAR") {
		text, _ = vars.Get(x.srcVar.Eval(c))
	} else if r != nil {
		text = string(r.Body)
	} else {
		return
	}
	fail := func() {
		vars.Put(ref, x.def.Eval(c))
		vars.Put(ref+"_matchNr", "0")
		clearNumbered(vars, ref)
	}
	path := x.path
	if path == nil {
		var err error
		if path, err = x.cache.get(x.expr.Eval(c)); err != nil {
			fail()
			return
		}
	}
	if x.yaml {
		var err error
		if text, err = jsonpath.FromYAML(text); err != nil {
			fail()
			return
		}
	}
	doc, err := jsonpath.Parse(text)
	if strings.TrimSpace(text) == "" || err != nil {
		fail()
		return
	}
	v, err := path.Read(doc)
	if err != nil {
		fail()
		return
	}
	list, isList := v.([]any) // any array, found by a definite path or not
	if !isList {
		vars.Put(ref, jsonpath.AssertionString(v))
		return
	}
	if len(list) == 0 {
		fail()
		return
	}
	vars.Put(ref, jsonpath.AssertionString(list))
	vars.Put(ref+"_matchNr", strconv.Itoa(len(list)))
	clearNumbered(vars, ref)
	for i, e := range list {
		vars.Put(ref+"_"+strconv.Itoa(i+1), jsonpath.AssertionString(e))
	}
}

// clearNumbered removes ref_1, ref_2 … up to the first one missing.
func clearNumbered(v *functions.Vars, ref string) {
	for i := 1; ; i++ {
		name := ref + "_" + strconv.Itoa(i)
		if _, ok := v.Get(name); !ok {
			return
		}
		v.Remove(name)
	}
}
