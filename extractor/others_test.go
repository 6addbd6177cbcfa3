package extractor

import (
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/sample"
)

func TestBoundaryExtractor(t *testing.T) {
	body := `<input name="a" value="one"><input name="b" value="two"><input name="c" value="three">`
	cases := []struct {
		name   string
		props  []string
		body   string
		before map[string]string
		want   map[string]string
	}{
		{"first", []string{"BoundaryExtractor.lboundary", `value="`, "BoundaryExtractor.rboundary", `"`, "BoundaryExtractor.match_number", "1"},
			body, nil, map[string]string{"v": "one"}},
		{"third", []string{"BoundaryExtractor.lboundary", `value="`, "BoundaryExtractor.rboundary", `"`, "BoundaryExtractor.match_number", "3"},
			body, nil, map[string]string{"v": "three"}},
		{"beyond keeps default", []string{"BoundaryExtractor.lboundary", `value="`, "BoundaryExtractor.rboundary", `"`,
			"BoundaryExtractor.match_number", "4", "BoundaryExtractor.default", "NF"},
			body, nil, map[string]string{"v": "NF"}},
		{"all with stale clean-up", []string{"BoundaryExtractor.lboundary", `value="`, "BoundaryExtractor.rboundary", `"`,
			"BoundaryExtractor.match_number", "-1", "BoundaryExtractor.default", "NF"},
			body, map[string]string{"v_matchNr": "5", "v_4": "x", "v_5": "y"},
			map[string]string{"v": "NF", "v_matchNr": "3", "v_1": "one", "v_2": "two", "v_3": "three", "v_4": unset, "v_5": unset}},
		{"blank default is not set", []string{"BoundaryExtractor.lboundary", "<x>", "BoundaryExtractor.rboundary", "</x>",
			"BoundaryExtractor.match_number", "1", "BoundaryExtractor.default", "  "},
			body, map[string]string{"v": "old"}, map[string]string{"v": "old"}},
		{"empty default when asked", []string{"BoundaryExtractor.lboundary", "<x>", "BoundaryExtractor.rboundary", "</x>",
			"BoundaryExtractor.match_number", "1", "BoundaryExtractor.default_empty_value", "true"},
			body, map[string]string{"v": "old"}, map[string]string{"v": ""}},
		{"empty left boundary", []string{"BoundaryExtractor.lboundary", "", "BoundaryExtractor.rboundary", "<input name=\"b\"", "BoundaryExtractor.match_number", "1"},
			body, nil, map[string]string{"v": `<input name="a" value="one">`}},
		{"empty right boundary", []string{"BoundaryExtractor.lboundary", `name="c" `, "BoundaryExtractor.rboundary", "", "BoundaryExtractor.match_number", "1"},
			body, nil, map[string]string{"v": `value="three">`}},
		{"overlapping matches as JMeter finds them", []string{"BoundaryExtractor.lboundary", "a", "BoundaryExtractor.rboundary", "b", "BoundaryExtractor.match_number", "-1"},
			"aab", nil, map[string]string{"v_matchNr": "2", "v_1": "a", "v_2": ""}},
		{"headers", []string{"BoundaryExtractor.useHeaders", "true", "BoundaryExtractor.lboundary", "Location: ", "BoundaryExtractor.rboundary", "\r\n", "BoundaryExtractor.match_number", "1"},
			body, nil, map[string]string{"v": "/next"}},
		{"blank input has no match", []string{"BoundaryExtractor.lboundary", "", "BoundaryExtractor.rboundary", "", "BoundaryExtractor.match_number", "-1"},
			"   ", nil, map[string]string{"v_matchNr": "0"}},
		{"variable scope", []string{"Sample.scope", "variable", "Scope.variable", "src", "BoundaryExtractor.lboundary", "[", "BoundaryExtractor.rboundary", "]", "BoundaryExtractor.match_number", "2"},
			body, map[string]string{"src": "[a][b][c]"}, map[string]string{"v": "b"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := build(t, "BoundaryExtractor", append([]string{"BoundaryExtractor.refname", "v"}, tc.props...)...)
			c := newCtx(1)
			for k, v := range tc.before {
				c.Vars.Put(k, v)
			}
			r := result(tc.body)
			r.ResponseHeaders = "HTTP/1.1 302 Found\r\nLocation: /next\r\n"
			x.Process(c, r)
			checkVars(t, c.Vars, tc.want)
		})
	}
	// scope all: the n-th counts across samples
	parent := result(`[p1][p2]`)
	parent.Subs = []*sample.Result{result(`[c1]`)}
	x := build(t, "BoundaryExtractor", "Sample.scope", "all", "BoundaryExtractor.refname", "v",
		"BoundaryExtractor.lboundary", "[", "BoundaryExtractor.rboundary", "]", "BoundaryExtractor.match_number", "3")
	c := newCtx(1)
	x.Process(c, parent)
	checkVars(t, c.Vars, map[string]string{"v": "c1"})
	if _, err := New(jmxtest.Element(t, `<BoundaryExtractor testclass="BoundaryExtractor" testname="b">`+
		jmxtest.Props("BoundaryExtractor.lboundary", "a")+`</BoundaryExtractor>`)); err == nil {
		t.Error("missing reference name: want an error")
	}
}

const catalogXML = `<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns:p="urn:price">
  <book id="b1" lang="en"><title>Dune</title><p:price>9.99</p:price></book>
  <book id="b2" lang="fr"><title>L'Étranger</title><p:price>7.50</p:price></book>
  <book id="b3" lang="en"><title><em>Emma</em> (annotated)</title><p:price>12.00</p:price></book>
</catalog>`

func TestXPathExtractor(t *testing.T) {
	cases := []struct {
		name   string
		tag    string
		props  []string
		body   string
		before map[string]string
		want   map[string]string
	}{
		{"all titles (XPath 1 default -1)", "XPathExtractor", []string{"XPathExtractor.xpathQuery", "//book/title"}, catalogXML, nil,
			// the third title's first child is an element: counted, but no value
			map[string]string{"v": "Dune", "v_matchNr": "3", "v_1": "Dune", "v_2": "L'Étranger", "v_3": unset}},
		{"attribute, n-th", "XPathExtractor", []string{"XPathExtractor.xpathQuery", "//book[@lang='en']/@id", "XPathExtractor.matchNumber", "2"},
			catalogXML, nil, map[string]string{"v": "b3", "v_matchNr": "1", "v_1": "b3"}},
		{"beyond gives default", "XPathExtractor", []string{"XPathExtractor.xpathQuery", "//book/@id", "XPathExtractor.matchNumber", "7", "XPathExtractor.default", "NONE"},
			catalogXML, map[string]string{"v_matchNr": "4", "v_1": "a", "v_2": "b", "v_3": "c", "v_4": "d"},
			map[string]string{"v": "NONE", "v_matchNr": "0", "v_1": unset, "v_2": unset, "v_4": unset}},
		{"blank match number is random, not all", "XPathExtractor", []string{"XPathExtractor.xpathQuery", "//book/@id", "XPathExtractor.matchNumber", ""},
			catalogXML, nil, map[string]string{"v_matchNr": "1", "v_2": unset}},
		{"count() is a number", "XPathExtractor", []string{"XPathExtractor.xpathQuery", "count(//book)"}, catalogXML, nil,
			map[string]string{"v": "3", "v_matchNr": "1"}},
		{"prefixed names", "XPathExtractor", []string{"XPathExtractor.xpathQuery", "//book[@id='b2']/p:price"}, catalogXML, nil,
			map[string]string{"v": "7.50"}},
		{"fragment", "XPathExtractor", []string{"XPathExtractor.xpathQuery", "//book[@id='b1']/title", "XPathExtractor.fragment", "true"},
			catalogXML, nil, map[string]string{"v": "<title>Dune</title>"}},
		{"tolerant HTML", "XPathExtractor", []string{"XPathExtractor.xpathQuery", "//input[@name='csrf']/@value", "XPathExtractor.tolerant", "true"},
			loginPage, nil, map[string]string{"v": "a1b2c3"}},
		{"HTML without tolerant is a parse failure", "XPathExtractor", []string{"XPathExtractor.xpathQuery", "//input/@value", "XPathExtractor.default", "D"},
			loginPage, nil, map[string]string{"v": "D", "v_matchNr": "0"}},
		{"XPath2 string value and random default", "XPath2Extractor", []string{"XPathExtractor2.xpathQuery", "//book[@id='b3']/title"}, catalogXML, nil,
			map[string]string{"v": "Emma (annotated)", "v_matchNr": "1"}},
		{"XPath2 all with namespaces", "XPath2Extractor", []string{"XPathExtractor2.xpathQuery", "//x:price", "XPathExtractor2.matchNumber", "-1",
			"XPathExtractor2.namespaces", "x=urn:price"}, catalogXML, nil,
			map[string]string{"v_matchNr": "3", "v_1": "9.99", "v_3": "12.00"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := "XPathExtractor."
			if tc.tag == "XPath2Extractor" {
				p = "XPathExtractor2."
			}
			x := build(t, tc.tag, append([]string{p + "refname", "v"}, tc.props...)...)
			c := newCtx(1)
			for k, v := range tc.before {
				c.Vars.Put(k, v)
			}
			r := result(tc.body)
			x.Process(c, r)
			checkVars(t, c.Vars, tc.want)
			if strings.Contains(tc.name, "parse failure") {
				if len(r.Assertions) != 1 || !r.Assertions[0].Failure || !r.Success {
					t.Errorf("parse failure should add a failed assertion but keep the sample: %+v success=%v", r.Assertions, r.Success)
				}
			} else if len(r.Assertions) != 0 {
				t.Errorf("unexpected assertion results %+v", r.Assertions)
			}
		})
	}
	if _, err := New(jmxtest.Element(t, `<XPathExtractor testclass="XPathExtractor" testname="x">`+
		jmxtest.Props("XPathExtractor.refname", "v", "XPathExtractor.xpathQuery", "//book[")+`</XPathExtractor>`)); err == nil {
		t.Error("bad XPath: want an error")
	}
}

func TestHTMLExtractor(t *testing.T) {
	cases := []struct {
		name  string
		props []string
		want  map[string]string
	}{
		{"attribute", []string{"HtmlExtractor.expr", "input[name=csrf]", "HtmlExtractor.attribute", "value", "HtmlExtractor.match_number", "1"},
			map[string]string{"v": "a1b2c3"}},
		{"text, all", []string{"HtmlExtractor.expr", "form a", "HtmlExtractor.match_number", "-1"},
			map[string]string{"v_matchNr": "3", "v_1": "Dune", "v_3": "Kind of Blue"}},
		{"second link href", []string{"HtmlExtractor.expr", "a[href*=books]", "HtmlExtractor.attribute", "href", "HtmlExtractor.match_number", "2"},
			map[string]string{"v": "/item?id=12&cat=books"}},
		{"missing attribute is empty", []string{"HtmlExtractor.expr", "form", "HtmlExtractor.attribute", "data-x", "HtmlExtractor.match_number", "1"},
			map[string]string{"v": ""}},
		{"no match keeps default", []string{"HtmlExtractor.expr", "table td", "HtmlExtractor.match_number", "1", "HtmlExtractor.default", "NF"},
			map[string]string{"v": "NF"}},
		{"unquoted attribute value with a space (JSoup syntax)", []string{"HtmlExtractor.expr", "input[type=hidden][value=S-77]", "HtmlExtractor.attribute", "name", "HtmlExtractor.match_number", "1"},
			map[string]string{"v": "session"}},
		{"whitespace normalised", []string{"HtmlExtractor.expr", "title", "HtmlExtractor.match_number", "1"},
			map[string]string{"v": "Sign in"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := build(t, "HtmlExtractor", append([]string{"HtmlExtractor.refname", "v", "HtmlExtractor.extractor_impl", "JSOUP"}, tc.props...)...)
			c := newCtx(1)
			x.Process(c, result(loginPage))
			checkVars(t, c.Vars, tc.want)
		})
	}
	if _, err := New(jmxtest.Element(t, `<HtmlExtractor testclass="HtmlExtractor" testname="x">`+
		jmxtest.Props("HtmlExtractor.refname", "v", "HtmlExtractor.expr", "a[href")+`</HtmlExtractor>`)); err == nil {
		t.Error("bad selector: want an error")
	}
}

func TestJMESPathExtractor(t *testing.T) {
	cases := []struct {
		expr, match string
		want        map[string]string
	}{
		{"user.name", "1", map[string]string{"v": "Ann", "v_matchNr": "1"}},
		{"orders[*].id", "-1", map[string]string{"v_matchNr": "3", "v_1": "1001", "v_3": "1003"}},
		{"orders[?paid].id", "2", map[string]string{"v": "1003", "v_matchNr": "2"}},
		{"orders[0].items[0]", "1", map[string]string{"v": `{"sku":"A-1","qty":2}`}},
		{"orders[1]", "1", map[string]string{"v": `{"id":1002,"total":5.0,"paid":false,"items":[{"sku":"B-7","qty":1},{"sku":"C-3","qty":4}]}`}},
		{"user.roles", "-1", map[string]string{"v_1": "admin", "v_2": "dev", "v_matchNr": "2"}},
		{"nothing.here", "1", map[string]string{"v": "D", "v_matchNr": "0"}},
		{"length(orders)", "1", map[string]string{"v": "3"}},
	}
	for _, tc := range cases {
		x := build(t, "JMESPathExtractor", "JMESExtractor.referenceName", "v", "JMESExtractor.jmesPathExpr", tc.expr,
			"JMESExtractor.matchNumber", tc.match, "JMESExtractor.defaultValue", "D")
		c := newCtx(1)
		x.Process(c, result(ordersJSON))
		t.Run(tc.expr, func(t *testing.T) { checkVars(t, c.Vars, tc.want) })
	}
}

func TestHTMLExtractorJSoupAttributeSyntax(t *testing.T) {
	if got := jsoupSelector(`article[class=esh-orders-items row] a[title='x=y']`); got != `article[class="esh-orders-items row"] a[title='x=y']` {
		t.Fatalf("jsoupSelector: %s", got)
	}
	x := build(t, "HtmlExtractor", "HtmlExtractor.refname", "v", "HtmlExtractor.expr", "article[class=esh-orders-items row] span",
		"HtmlExtractor.match_number", "-1")
	c := newCtx(1)
	x.Process(c, result(`<section><article class="esh-orders-items row"><span>#1</span></article><article class="esh-orders-items"><span>#2</span></article><article class="esh-orders-items row"><span>#3</span></article></section>`))
	checkVars(t, c.Vars, map[string]string{"v_matchNr": "2", "v_1": "#1", "v_2": "#3"})
}

func TestDebugPostProcessor(t *testing.T) {
	x := build(t, "DebugPostProcessor", "displayJMeterVariables", "true", "displayJMeterProperties", "false")
	c := newCtx(1)
	c.Vars.Put("token", "abc")
	c.Vars.Put("id_10", "x")
	c.Vars.Put("id_2", "y")
	r := result("body")
	r.Label, r.ThreadName, r.Bytes = "Login", "Users 1-1", 100
	r.Start = time.Now().Add(-time.Second)
	r.Elapsed = 10 * time.Millisecond
	r.Subs = []*sample.Result{result("redirect")}
	x.Process(c, r)
	if len(r.Subs) != 2 {
		t.Fatalf("subs %d", len(r.Subs))
	}
	d := r.Subs[1]
	if d.Label != "Login-1" || d.ThreadName != "Users 1-1" || !d.Success || d.ResponseCode != "200" {
		t.Errorf("debug sub-sample %+v", d)
	}
	if want := "JMeterVariables:\nid_2=y\nid_10=x\ntoken=abc\n\n"; string(d.Body) != want {
		t.Errorf("body %q, want %q", d.Body, want)
	}
	if r.Bytes != 100+d.Bytes || r.Elapsed < time.Second {
		t.Errorf("parent not extended: bytes %d elapsed %v", r.Bytes, r.Elapsed)
	}
}
