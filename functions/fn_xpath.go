package functions

import (
	"bytes"
	"strings"
	"sync"

	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
)

// xpathFile is one (file, expression) pair of __XPath, shared by all users:
// the matching node values and the next one to hand out.
type xpathFile struct {
	values []string
	err    error
	mu     sync.Mutex
	next   int
}

// nodeValue is what JMeter returns for a node: its first child's value (the
// text of an element), or the node's own value (an attribute).
func nodeValue(n *xmlquery.Node) string {
	if n.Type == xmlquery.AttributeNode {
		return n.InnerText()
	}
	if c := n.FirstChild; c != nil {
		if c.Type == xmlquery.TextNode || c.Type == xmlquery.CharDataNode {
			return c.Data
		}
		return ""
	}
	if n.Type == xmlquery.TextNode || n.Type == xmlquery.CharDataNode {
		return n.Data
	}
	return ""
}

func (s *Shared) xpathOpen(key string, path func() string, expr *xpath.Expr) *xpathFile {
	if v, ok := s.xpaths.Load(key); ok {
		return v.(*xpathFile)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.xpaths.Load(key); ok {
		return v.(*xpathFile)
	}
	f := &xpathFile{}
	data, err := s.readRegularFile(path())
	if err == nil {
		var doc *xmlquery.Node
		if doc, err = xmlquery.Parse(bytes.NewReader(data)); err == nil {
			for _, n := range xmlquery.QuerySelectorAll(doc, expr) {
				f.values = append(f.values, nodeValue(n))
			}
		}
	}
	f.err = err
	s.xpaths.Store(key, f)
	return f
}

// buildXPath implements __XPath(file, xpath): each call returns the value of
// the next node the expression matches in the XML file, shared by all users
// and wrapping at the end.
func buildXPath(args []*Template) (evalFunc, error) {
	var fixed *xpath.Expr
	if s, ok := literalArg(args, 1); ok {
		e, err := xpath.Compile(s)
		if err != nil {
			return nil, badArg(1, "%q is not a valid XPath: %v", s, err)
		}
		fixed = e
	}
	return func(c *Context) string {
		name, src := args[0].Eval(c), args[1].Eval(c)
		expr := fixed
		if expr == nil {
			var err error
			if expr, err = xpath.Compile(src); err != nil {
				c.logf("ERROR", "__XPath: %q: %v", src, err)
				return ""
			}
		}
		f := c.shared().xpathOpen(name+"\x00"+src, func() string { return resolvePath(c, name) }, expr)
		if f.err != nil {
			c.logf("ERROR", "__XPath: %s: %v", name, f.err)
			return ""
		}
		if len(f.values) == 0 {
			c.logf("WARN", "__XPath: no nodes match %s in %s", strings.TrimSpace(src), name)
			return ""
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		v := f.values[f.next]
		f.next = (f.next + 1) % len(f.values)
		return v
	}, nil
}
