package extractor

import (
	"strconv"
	"strings"
	"sync"

	"github.com/antchfx/xpath"

	"github.com/gometer/gometer/extractor/target"
	"github.com/gometer/gometer/extractor/xdoc"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// xpathExtractor is JMeter's XPathExtractor (XPath 1, version 2 false) and
// XPath2Extractor (version 2 true). They differ in their property names,
// default match number (-1 and 0), the value of an element (first child's
// text vs. full string value) and XPath2's namespace bindings.
type xpathExtractor struct {
	name     string
	v2       bool
	scope    target.Scope
	refName  target.Str
	query    target.Str
	expr     *xdoc.Query
	exprs    sync.Map // query text -> *xdoc.Query for queries with ${}
	ns       map[string]string
	def      target.Str
	matchNr  target.Str
	fragment bool
	tolerant bool
	// matchDef is the match number when the property's text is not a
	// number: JMeter reads a present but blank or bad value as 0 (random),
	// and only an absent one as XPath 1's default -1.
	matchDef int
}

func newXPath(el *jmx.Element) (Extractor, error)  { return newXPathCommon(el, false) }
func newXPath2(el *jmx.Element) (Extractor, error) { return newXPathCommon(el, true) }

func newXPathCommon(el *jmx.Element, v2 bool) (Extractor, error) {
	p := "XPathExtractor."
	defMatch := "-1"
	if v2 {
		p, defMatch = "XPathExtractor2.", "0"
	}
	x := &xpathExtractor{name: el.Name, v2: v2, fragment: el.Bool(p+"fragment", false)}
	if !v2 && !el.Has(p+"matchNumber") {
		x.matchDef = -1
	}
	if !v2 {
		x.tolerant = el.Bool(p+"tolerant", false)
	} else {
		x.ns = xdoc.ParseNamespaces(el.Str(p + "namespaces"))
	}
	var err error
	if x.scope, err = target.ParseScope(el, "Sample.scope"); err != nil {
		return nil, err
	}
	ps := target.NewProps(el)
	x.refName = ps.Str(p + "refname")
	x.query = ps.Str(p + "xpathQuery")
	x.def = ps.Str(p + "default")
	x.matchNr = ps.StrOr(p+"matchNumber", defMatch)
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if q, ok := x.query.Literal(); ok && strings.TrimSpace(q) != "" {
		if x.expr, err = xdoc.Compile(q, x.ns); err != nil {
			return nil, target.Errorf(el, "bad XPath %q: %v", q, err)
		}
	}
	return x, nil
}

func (x *xpathExtractor) compiled(q string) (*xdoc.Query, error) {
	if x.expr != nil {
		return x.expr, nil
	}
	if e, ok := x.exprs.Load(q); ok {
		return e.(*xdoc.Query), nil
	}
	e, err := xdoc.Compile(q, x.ns)
	if err != nil {
		return nil, err
	}
	x.exprs.Store(q, e)
	return e, nil
}

func (x *xpathExtractor) Process(c *functions.Context, r *sample.Result) {
	if r == nil || c == nil {
		return
	}
	vars := c.Vars
	ref := x.refName.Eval(c)
	vars.Put(ref, x.def.Eval(c))
	prevCount := 0
	if s, ok := vars.Get(ref + "_matchNr"); ok {
		prevCount, _ = strconv.Atoi(s)
	}
	vars.Put(ref+"_matchNr", "0")
	vars.Remove(ref + "_1")
	n := x.matchNr.Int(c, x.matchDef)
	q := x.query.Eval(c)
	if strings.TrimSpace(q) == "" {
		return // JMeter logs "Empty XPath expression" and extracts nothing
	}
	e, err := x.compiled(q)
	if err != nil {
		x.fail(r, err.Error())
		return
	}
	var inputs []string
	if x.scope.Kind == target.Variable {
		if v, ok := vars.Get(x.scope.Variable.Eval(c)); ok && v != "" {
			inputs = []string{v}
		}
	} else {
		for _, s := range x.scope.Samples(r) {
			if x.v2 {
				// JMeter's XPath2Extractor reads the parent sample once per
				// sample in scope (a long-standing quirk kept here).
				s = r
			}
			inputs = append(inputs, string(s.Body))
		}
	}
	var matches []*string
	for _, in := range inputs {
		doc, err := xdoc.Parse(in, x.tolerant)
		if err != nil {
			x.fail(r, err.Error())
			return
		}
		res, err := xdoc.Eval(e, doc)
		if err != nil {
			x.fail(r, err.Error())
			return
		}
		matches = append(matches, x.values(c, res, n)...)
	}
	vars.Put(ref+"_matchNr", strconv.Itoa(len(matches)))
	if len(matches) > 0 && matches[0] != nil {
		vars.Put(ref, *matches[0])
	}
	for i, m := range matches {
		if m != nil {
			vars.Put(ref+"_"+strconv.Itoa(i+1), *m)
		}
	}
	vars.Remove(ref + "_" + strconv.Itoa(len(matches)+1))
	removeNumbered(vars, ref, len(matches)+2, prevCount)
}

// fail records a parse or evaluation problem as JMeter does: a failed
// assertion result on the sample, without failing the sample.
func (x *xpathExtractor) fail(r *sample.Result, msg string) {
	r.Assertions = append(r.Assertions, sample.AssertionResult{
		Name: x.name, Failure: true, FailureMessage: msg + "\nSee log file for further details.",
	})
}

// values turns one document's result into strings; nil stands for a node
// without a value (JMeter's null: counted, but no variable set).
func (x *xpathExtractor) values(c *functions.Context, res xdoc.Result, n int) []*string {
	if !res.IsNodes {
		s := xdoc.ScalarString(res.Scalar)
		return []*string{&s}
	}
	nodes := res.Nodes
	value := func(node xpath.NodeNavigator) *string {
		var s string
		switch {
		case x.fragment:
			s = xdoc.Fragment(node)
		case x.v2:
			s = xdoc.StringValue(node)
		default:
			v, ok := xdoc.FirstChildValue(node)
			if !ok {
				return nil
			}
			s = v
		}
		return &s
	}
	if x.v2 {
		switch {
		case n < 0:
		case n > len(nodes) || len(nodes) == 0:
			return nil
		case n == 0:
			i := randIntN(c, len(nodes))
			nodes = nodes[i : i+1]
		default:
			nodes = nodes[n-1 : n]
		}
	} else if n >= 0 {
		idx := n
		if n == 0 && len(nodes) > 0 {
			idx = randIntN(c, len(nodes)) + 1
		}
		if idx < 1 || idx > len(nodes) {
			return nil
		}
		nodes = nodes[idx-1 : idx]
	}
	out := make([]*string, 0, len(nodes))
	for _, node := range nodes {
		out = append(out, value(node))
	}
	return out
}
