package assertion

import (
	"sync"

	"github.com/gometer/gometer/extractor/target"
	"github.com/gometer/gometer/extractor/xdoc"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// xpathAssertion is JMeter's XPathAssertion (XPath 1) and, with v2 set,
// XPath2Assertion: the sample passes when the expression selects nodes or
// is true (or, negated, when it does not).
type xpathAssertion struct {
	base
	v2       bool
	query    target.Str
	expr     *xdoc.Query
	exprs    sync.Map
	ns       map[string]string
	negate   bool
	tolerant bool
}

func newXPath(el *jmx.Element) (Assertion, error)  { return newXPathCommon(el, false) }
func newXPath2(el *jmx.Element) (Assertion, error) { return newXPathCommon(el, true) }

func newXPathCommon(el *jmx.Element, v2 bool) (Assertion, error) {
	b, err := newBase(el)
	if err != nil {
		return nil, err
	}
	a := &xpathAssertion{base: b, v2: v2, negate: el.Bool("XPath.negate", false)}
	if v2 {
		a.ns = xdoc.ParseNamespaces(el.Str("XPath.namespaces"))
	} else {
		a.tolerant = el.Bool("XPath.tolerant", false)
	}
	if a.query, err = target.PropOr(el, "XPath.xpath", "/"); err != nil {
		return nil, err
	}
	if q, ok := a.query.Literal(); ok {
		if a.expr, err = xdoc.Compile(q, a.ns); err != nil {
			return nil, target.Errorf(el, "bad XPath %q: %v", q, err)
		}
	}
	return a, nil
}

func (a *xpathAssertion) compiled(q string) (*xdoc.Query, error) {
	if a.expr != nil {
		return a.expr, nil
	}
	if e, ok := a.exprs.Load(q); ok {
		return e.(*xdoc.Query), nil
	}
	e, err := xdoc.Compile(q, a.ns)
	if err != nil {
		return nil, err
	}
	a.exprs.Store(q, e)
	return e, nil
}

func (a *xpathAssertion) Assert(c *functions.Context, r *sample.Result) sample.AssertionResult {
	res := sample.AssertionResult{Name: a.label, MessageSet: true} // JMeter starts from ""
	var body string
	if a.sc.Kind == target.Variable {
		body, _ = c.Vars.Get(a.sc.Variable.Eval(c))
	} else {
		body = string(r.Body)
	}
	q := a.query.Eval(c)
	if body == "" && (!a.v2 || a.sc.Kind == target.Variable) {
		res.Failure, res.FailureMessage = true, ResponseWasNull
		return res
	}
	e, err := a.compiled(q)
	if err != nil {
		res.Error = true
		if a.v2 {
			res.FailureMessage = "Exception occurred computing assertion with XPath:" + q + ", error:" + err.Error()
		} else {
			res.FailureMessage = "TransformerException: " + err.Error() + " for: " + q
		}
		return res
	}
	doc, err := xdoc.Parse(body, a.tolerant)
	if err != nil {
		res.Error = true
		if a.v2 {
			res.FailureMessage = "Exception occurred computing assertion with XPath:" + q + ", error:" + err.Error()
		} else {
			res.FailureMessage = "SAXException: " + err.Error()
		}
		return res
	}
	out, err := xdoc.Eval(e, doc)
	if err != nil {
		res.Error = true
		res.FailureMessage = "TransformerException: " + err.Error() + " for: " + q
		return res
	}
	if a.v2 {
		ok := true
		switch {
		case out.IsNodes:
			ok = len(out.Nodes) > 0
		default:
			if bv, isBool := out.Scalar.(bool); isBool {
				ok = bv
			}
		}
		res.Failure = ok == a.negate
		if a.negate {
			res.FailureMessage = "Nodes Matched for " + q
		} else {
			res.FailureMessage = "No Nodes Matched for " + q
		}
		return res
	}
	switch {
	case out.IsNodes:
		if len(out.Nodes) == 0 {
			res.Failure = !a.negate
			res.FailureMessage = "No Nodes Matched " + q
			return res
		}
		res.Failure = a.negate
		if a.negate {
			res.FailureMessage = "Specified XPath was found... Turn off negate if this is not desired"
		}
	default:
		bv, isBool := out.Scalar.(bool)
		if !isBool {
			res.Failure = true
			res.FailureMessage = "Cannot understand: " + q
			return res
		}
		res.Failure = bv == a.negate
		if a.negate {
			res.FailureMessage = "Nodes Matched for " + q
		} else {
			res.FailureMessage = "No Nodes Matched for " + q
		}
	}
	return res
}

// xmlAssertion is JMeter's XMLAssertion: the response must be well-formed
// XML (a DOCTYPE is refused). Not scoped.
type xmlAssertion struct{ label string }

func newXML(el *jmx.Element) (Assertion, error) { return &xmlAssertion{label: el.Name}, nil }

func (a *xmlAssertion) Assert(_ *functions.Context, r *sample.Result) sample.AssertionResult {
	res := sample.AssertionResult{Name: a.label}
	if len(r.Body) == 0 {
		res.Failure, res.FailureMessage = true, ResponseWasNull
		return res
	}
	if err := xdoc.WellFormed(target.Body.View(r), false); err != nil {
		res.Error, res.Failure, res.FailureMessage = true, true, err.Error()
	}
	return res
}
