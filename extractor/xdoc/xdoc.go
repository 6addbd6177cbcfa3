// Package xdoc parses responses as XML (strictly) or HTML (tolerantly, in
// place of JMeter's JTidy option) and evaluates XPath on them with
// github.com/antchfx/xpath, turning results into the strings JMeter's XPath
// extractors and assertions produce.
package xdoc

import (
	"bufio"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/antchfx/htmlquery"
	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
)

// Parse reads body as XML, or as HTML when tolerant is set (any markup is
// accepted then, as JTidy repairs it).
func Parse(body string, tolerant bool) (xpath.NodeNavigator, error) {
	if tolerant {
		doc, err := htmlquery.Parse(strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		return htmlquery.CreateXPathNavigator(doc), nil
	}
	if err := WellFormed(body, true); err != nil {
		return nil, err
	}
	doc, err := xmlquery.Parse(bufio.NewReader(strings.NewReader(body)))
	if err != nil {
		return nil, err
	}
	if doc.FirstChild == nil || !hasElement(doc) {
		return nil, fmt.Errorf("Premature end of file.")
	}
	return xmlquery.CreateXPathNavigator(doc), nil
}

func hasElement(doc *xmlquery.Node) bool {
	for n := doc.FirstChild; n != nil; n = n.NextSibling {
		if n.Type == xmlquery.ElementNode {
			return true
		}
	}
	return false
}

// Query is a compiled XPath expression that many goroutines may evaluate
// at once. (An antchfx xpath.Expr keeps evaluation state, so each
// evaluation borrows its own copy from a pool.)
type Query struct {
	src  string
	ns   map[string]string
	pool sync.Pool
}

// Compile compiles an XPath expression with optional prefix→URI bindings.
func Compile(expr string, ns map[string]string) (*Query, error) {
	e, err := compile(expr, ns)
	if err != nil {
		return nil, err
	}
	q := &Query{src: expr, ns: ns}
	q.pool.Put(e)
	return q, nil
}

func compile(expr string, ns map[string]string) (*xpath.Expr, error) {
	if len(ns) > 0 {
		return xpath.CompileWithNS(expr, ns)
	}
	return xpath.Compile(expr)
}

// String is the expression as written.
func (q *Query) String() string { return q.src }

// ParseNamespaces reads XPath2's "prefix=uri" lines.
func ParseNamespaces(s string) map[string]string {
	var m map[string]string
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(strings.TrimRight(line, "\r"), "=")
		if !ok || k == "" {
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		m[k] = v
	}
	return m
}

// Result is an evaluated expression: a node list, or a scalar (number,
// string, boolean).
type Result struct {
	Nodes   []xpath.NodeNavigator
	IsNodes bool
	Scalar  any
}

// Eval evaluates q with root as the context node.
func Eval(q *Query, root xpath.NodeNavigator) (res Result, err error) {
	e, _ := q.pool.Get().(*xpath.Expr)
	if e == nil {
		if e, err = compile(q.src, q.ns); err != nil {
			return res, err
		}
	}
	defer func() {
		if p := recover(); p != nil { // antchfx panics on some type errors
			err = fmt.Errorf("%v", p)
			return // the expression's state is unknown: do not reuse it
		}
		q.pool.Put(e)
	}()
	switch v := e.Evaluate(root).(type) {
	case *xpath.NodeIterator:
		res.IsNodes = true
		for v.MoveNext() {
			res.Nodes = append(res.Nodes, v.Current().Copy())
		}
	default:
		res.Scalar = v
	}
	return res, nil
}

// ScalarString prints a scalar result as Xalan's XObject.toString: whole
// numbers without a fraction, booleans as true/false.
func ScalarString(v any) string {
	switch t := v.(type) {
	case float64:
		switch {
		case math.IsNaN(t):
			return "NaN"
		case math.IsInf(t, 1):
			return "Infinity"
		case math.IsInf(t, -1):
			return "-Infinity"
		case t == math.Trunc(t) && math.Abs(t) < 1e15:
			return strconv.FormatInt(int64(t), 10)
		}
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	case string:
		return t
	}
	return fmt.Sprint(v)
}

// FirstChildValue is JMeter's XPathExtractor value for a node: for an
// element the value of its first child (text, or nothing when that child is
// an element or absent), for other nodes their own value.
func FirstChildValue(n xpath.NodeNavigator) (string, bool) {
	switch n.NodeType() {
	case xpath.ElementNode:
		c := n.Copy()
		if !c.MoveToChild() {
			return "", false
		}
		switch c.NodeType() {
		case xpath.TextNode, xpath.CommentNode:
			return c.Value(), true
		}
		return "", false
	case xpath.RootNode:
		return "", false
	}
	return n.Value(), true
}

// StringValue is the XPath string value of a node (all descendant text).
func StringValue(n xpath.NodeNavigator) string { return n.Value() }

// Fragment serializes a node as XML (JMeter's "return entire XPath
// fragment"); attribute and text nodes give their value.
func Fragment(n xpath.NodeNavigator) string {
	switch t := n.(type) {
	case *xmlquery.NodeNavigator:
		if n.NodeType() == xpath.ElementNode {
			return t.Current().OutputXML(true)
		}
	case *htmlquery.NodeNavigator:
		if n.NodeType() == xpath.ElementNode {
			return htmlquery.OutputHTML(t.Current(), true)
		}
	}
	return n.Value()
}
