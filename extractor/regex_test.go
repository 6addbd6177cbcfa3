package extractor

import (
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/sample"
)

const loginPage = `<!DOCTYPE html>
<html><head><title>Sign in</title></head>
<body>
<form action="/login" method="post">
  <input type="hidden" name="csrf" value="a1b2c3">
  <input type="hidden" name="session" value="S-77">
  <a href="/item?id=11&amp;cat=books">Dune</a>
  <a href="/item?id=12&amp;cat=books">Emma</a>
  <a href="/item?id=13&amp;cat=music">Kind of Blue</a>
</form>
</body></html>`

func TestRegexExtractor(t *testing.T) {
	headers := "HTTP/1.1 302 Found\r\nLocation: https://shop.example/cart?sid=XYZ\r\nSet-Cookie: JSESSIONID=abc123; Path=/\r\n"
	base := func() *sample.Result {
		r := result(loginPage)
		r.ResponseHeaders = headers
		r.RequestHeaders = "Accept: text/html\nAuthorization: Bearer tok-9\n"
		r.URL = "https://shop.example/login?next=%2Fhome"
		r.ResponseCode = "302"
		r.ResponseMessage = "Found"
		return r
	}
	cases := []struct {
		name   string
		props  []string
		before map[string]string
		want   map[string]string
	}{
		{"first match with groups", []string{
			"RegexExtractor.refname", "csrf", "RegexExtractor.regex", `name="csrf" value="([^"]+)"`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1", "RegexExtractor.default", "NOT_FOUND"},
			nil,
			map[string]string{"csrf": "a1b2c3", "csrf_g": "1", "csrf_g0": `name="csrf" value="a1b2c3"`, "csrf_g1": "a1b2c3", "csrf_matchNr": unset}},
		{"template with literals and group 0", []string{
			"RegexExtractor.refname", "item", "RegexExtractor.regex", `id=(\d+)&amp;cat=(\w+)`,
			"RegexExtractor.template", "[$2$/$1$] $0$ $$ $x$", "RegexExtractor.match_number", "3"},
			nil,
			map[string]string{"item": "[music/13] id=13&amp;cat=music $$ $x$", "item_g": "2", "item_g2": "music"}},
		{"match number beyond matches keeps default and drops groups", []string{
			"RegexExtractor.refname", "item", "RegexExtractor.regex", `id=(\d+)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "9", "RegexExtractor.default", "none"},
			map[string]string{"item": "old", "item_g": "1", "item_g0": "id=1", "item_g1": "1"},
			map[string]string{"item": "none", "item_g": unset, "item_g0": unset, "item_g1": unset}},
		{"no default leaves the old value", []string{
			"RegexExtractor.refname", "item", "RegexExtractor.regex", `nomatch(\d+)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1"},
			map[string]string{"item": "old"},
			map[string]string{"item": "old"}},
		{"empty default when asked", []string{
			"RegexExtractor.refname", "item", "RegexExtractor.regex", `nomatch(\d+)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1", "RegexExtractor.default_empty_value", "true"},
			map[string]string{"item": "old"},
			map[string]string{"item": ""}},
		{"all matches with stale clean-up", []string{
			"RegexExtractor.refname", "id", "RegexExtractor.regex", `id=(\d+)&amp;cat=(\w+)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "-1", "RegexExtractor.default", "NF"},
			map[string]string{"id_matchNr": "5", "id_4": "x", "id_4_g": "1", "id_4_g0": "x", "id_4_g1": "x", "id_5": "y",
				"id_g": "2", "id_g0": "a", "id_g1": "b", "id_g2": "c", "id": "stale"},
			map[string]string{"id": "NF", "id_matchNr": "3", "id_1": "11", "id_2": "12", "id_3": "13",
				"id_1_g": "2", "id_1_g1": "11", "id_1_g2": "books", "id_3_g0": "id=13&amp;cat=music",
				"id_4": unset, "id_4_g": unset, "id_4_g1": unset, "id_5": unset,
				"id_g": unset, "id_g0": unset, "id_g2": unset}},
		{"single match after all-matches removes numbered vars", []string{
			"RegexExtractor.refname", "id", "RegexExtractor.regex", `id=(\d+)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "2"},
			map[string]string{"id_matchNr": "2", "id_1": "a", "id_1_g": "1", "id_1_g1": "a", "id_2": "b"},
			map[string]string{"id": "12", "id_matchNr": unset, "id_1": unset, "id_1_g": unset, "id_1_g1": unset, "id_2": unset}},
		{"response headers", []string{
			"RegexExtractor.useHeaders", "true", "RegexExtractor.refname", "sid", "RegexExtractor.regex", `Location: \S+sid=(\w+)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1"},
			nil, map[string]string{"sid": "XYZ"}},
		{"request headers", []string{
			"RegexExtractor.useHeaders", "request_headers", "RegexExtractor.refname", "tok", "RegexExtractor.regex", `Bearer (\S+)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1"},
			nil, map[string]string{"tok": "tok-9"}},
		{"URL", []string{
			"RegexExtractor.useHeaders", "URL", "RegexExtractor.refname", "next", "RegexExtractor.regex", `next=([^&]+)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1"},
			nil, map[string]string{"next": "%2Fhome"}},
		{"code and message", []string{
			"RegexExtractor.useHeaders", "code", "RegexExtractor.refname", "code", "RegexExtractor.regex", `(\d)\d\d`,
			"RegexExtractor.template", "$1$xx", "RegexExtractor.match_number", "1"},
			nil, map[string]string{"code": "3xx"}},
		{"message", []string{
			"RegexExtractor.useHeaders", "message", "RegexExtractor.refname", "m", "RegexExtractor.regex", `F(.*)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1"},
			nil, map[string]string{"m": "ound"}},
		{"unescaped body", []string{
			"RegexExtractor.useHeaders", "unescaped", "RegexExtractor.refname", "q", "RegexExtractor.regex", `id=12&cat=(\w+)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1", "RegexExtractor.default", "NF"},
			nil, map[string]string{"q": "books"}},
		{"body as document", []string{
			"RegexExtractor.useHeaders", "as_document", "RegexExtractor.refname", "t", "RegexExtractor.regex", `Kind of (\w+)`,
			"RegexExtractor.template", "$0$", "RegexExtractor.match_number", "1", "RegexExtractor.default", "NF"},
			nil, map[string]string{"t": "Kind of Blue"}},
		{"back-reference (backtracking engine)", []string{
			"RegexExtractor.refname", "tag", "RegexExtractor.regex", `<(\w+)>([^<]*)</\1>`,
			"RegexExtractor.template", "$1$=$2$", "RegexExtractor.match_number", "1"},
			nil, map[string]string{"tag": "title=Sign in"}},
		{"look-ahead", []string{
			"RegexExtractor.refname", "v", "RegexExtractor.regex", `value="(\w+)(?=-)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1"},
			nil, map[string]string{"v": "S"}},
		{"optional group that did not take part", []string{
			"RegexExtractor.refname", "o", "RegexExtractor.regex", `name="(csrf)"( foo)?`,
			"RegexExtractor.template", "$1$:$2$", "RegexExtractor.match_number", "1"},
			map[string]string{"o_g2": "stale"},
			map[string]string{"o": "csrf:null", "o_g": "2", "o_g1": "csrf", "o_g2": unset}},
		{"template group beyond the pattern abandons", []string{
			"RegexExtractor.refname", "bad", "RegexExtractor.regex", `id=(\d+)`,
			"RegexExtractor.template", "$3$", "RegexExtractor.match_number", "1", "RegexExtractor.default", "D"},
			nil, map[string]string{"bad": "D", "bad_g": unset}},
		{"pattern from a variable", []string{
			"RegexExtractor.refname", "v", "RegexExtractor.regex", `name="${field}" value="([^"]+)"`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1"},
			map[string]string{"field": "session"}, map[string]string{"v": "S-77"}},
		{"variable scope", []string{
			"Sample.scope", "variable", "Scope.variable", "src",
			"RegexExtractor.refname", "v", "RegexExtractor.regex", `(\d+)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "-1"},
			map[string]string{"src": "a1 b22 c333"}, map[string]string{"v_matchNr": "3", "v_3": "333"}},
		{"variable scope, variable missing", []string{
			"Sample.scope", "variable", "Scope.variable", "nosuch",
			"RegexExtractor.refname", "v", "RegexExtractor.regex", `(\d+)`,
			"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "-1", "RegexExtractor.default", "D"},
			nil, map[string]string{"v": "D", "v_matchNr": "0"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := build(t, "RegexExtractor", tc.props...)
			c := newCtx(1)
			for k, v := range tc.before {
				c.Vars.Put(k, v)
			}
			x.Process(c, base())
			checkVars(t, c.Vars, tc.want)
		})
	}
}

func TestRegexExtractorScope(t *testing.T) {
	parent := result(`<a id="p1"></a><a id="p2"></a>`)
	redirect := result(`<a id="r1"></a>`)
	final := result(`<a id="f1"></a>`)
	redirect.Subs = []*sample.Result{result(`<a id="deep1"></a>`)}
	parent.Subs = []*sample.Result{redirect, final}
	cases := []struct {
		scope string
		want  map[string]string
	}{
		{"", map[string]string{"id_matchNr": "2", "id_1": "p1", "id_2": "p2", "id_3": unset}},
		{"parent", map[string]string{"id_matchNr": "2", "id_2": "p2"}},
		{"children", map[string]string{"id_matchNr": "3", "id_1": "r1", "id_2": "f1", "id_3": "deep1"}},
		{"all", map[string]string{"id_matchNr": "5", "id_1": "p1", "id_3": "r1", "id_4": "f1", "id_5": "deep1"}},
	}
	for _, tc := range cases {
		t.Run("scope="+tc.scope, func(t *testing.T) {
			kv := []string{"RegexExtractor.refname", "id", "RegexExtractor.regex", `id="(\w+)"`,
				"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "-1"}
			if tc.scope != "" {
				kv = append(kv, "Sample.scope", tc.scope)
			}
			x := build(t, "RegexExtractor", kv...)
			c := newCtx(1)
			x.Process(c, parent)
			checkVars(t, c.Vars, tc.want)
		})
	}
	// match number counts across the samples in scope
	x := build(t, "RegexExtractor", "Sample.scope", "all", "RegexExtractor.refname", "id",
		"RegexExtractor.regex", `id="(\w+)"`, "RegexExtractor.template", "$1$", "RegexExtractor.match_number", "4")
	c := newCtx(1)
	x.Process(c, parent)
	checkVars(t, c.Vars, map[string]string{"id": "f1"})
}

func TestRegexExtractorRandom(t *testing.T) {
	x := build(t, "RegexExtractor", "RegexExtractor.refname", "id", "RegexExtractor.regex", `id=(\d+)`,
		"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "0")
	seen := map[string]int{}
	for seed := uint64(0); seed < 60; seed++ {
		c := newCtx(seed)
		x.Process(c, result(loginPage))
		v, _ := c.Vars.Get("id")
		seen[v]++
	}
	if len(seen) != 3 || seen["11"] == 0 || seen["12"] == 0 || seen["13"] == 0 {
		t.Fatalf("random match over 60 users picked %v, want each of 11, 12, 13", seen)
	}
	// blank match number is 0 (random) too
	y := build(t, "RegexExtractor", "RegexExtractor.refname", "id", "RegexExtractor.regex", `id=(\d+)`,
		"RegexExtractor.template", "$1$")
	c := newCtx(3)
	y.Process(c, result(loginPage))
	if v, _ := c.Vars.Get("id"); v != "11" && v != "12" && v != "13" {
		t.Fatalf("blank match number: id=%q", v)
	}
}

func TestRegexExtractorNilResult(t *testing.T) {
	x := build(t, "RegexExtractor", "RegexExtractor.refname", "id", "RegexExtractor.regex", `id=(\d+)`,
		"RegexExtractor.template", "$1$", "RegexExtractor.default", "D")
	c := newCtx(1)
	x.Process(c, nil)
	if c.Vars.Len() != 0 {
		t.Fatalf("nil result set variables: %v", c.Vars.Names())
	}
}

func TestRegexExtractorBadPattern(t *testing.T) {
	el := jmxtest.Element(t, `<RegexExtractor guiclass="RegexExtractorGui" testclass="RegexExtractor" testname="Get token">`+
		jmxtest.Props("RegexExtractor.refname", "t", "RegexExtractor.regex", `token=(\w+`)+`</RegexExtractor>`)
	_, err := New(el)
	if err == nil {
		t.Fatal("want an error for an unclosed group")
	}
	for _, want := range []string{"test.jmx:", "Plan > Get token", "token=(\\w+"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if _, err := New(jmxtest.Element(t, `<RegexExtractor testclass="RegexExtractor" testname="p">`+
		jmxtest.Props("RegexExtractor.regex", `a*+b`)+`</RegexExtractor>`)); err == nil {
		t.Error("possessive quantifier: want an error")
	}
}

func TestHandles(t *testing.T) {
	for _, c := range []string{"RegexExtractor", "JSONPostProcessor", "BoundaryExtractor", JSONPathPluginClass} {
		if !Handles(c) {
			t.Errorf("Handles(%s) = false", c)
		}
	}
	if Handles("JSR223PostProcessor") {
		t.Error("Handles(JSR223PostProcessor) = true")
	}
	if _, err := New(jmxtest.Element(t, `<BeanShellPostProcessor testclass="BeanShellPostProcessor" testname="d"/>`)); err != ErrUnsupported {
		t.Errorf("New(BeanShellPostProcessor) error = %v, want ErrUnsupported", err)
	}
}

// Values must not share memory with the body the sampler may reuse.
func TestExtractedValuesOutliveTheBody(t *testing.T) {
	r := result(`token="abc123" <b>[xyz]</b>`)
	c := newCtx(1)
	build(t, "RegexExtractor", "RegexExtractor.refname", "t", "RegexExtractor.regex", `token="(\w+)"`,
		"RegexExtractor.template", "$1$", "RegexExtractor.match_number", "1").Process(c, r)
	build(t, "BoundaryExtractor", "BoundaryExtractor.refname", "b", "BoundaryExtractor.lboundary", "[",
		"BoundaryExtractor.rboundary", "]", "BoundaryExtractor.match_number", "1").Process(c, r)
	for i := range r.Body {
		r.Body[i] = '#'
	}
	checkVars(t, c.Vars, map[string]string{"t": "abc123", "t_g1": "abc123", "b": "xyz"})
}
