package extractor

import (
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/sample"
)

const ordersJSON = `{
  "status": "ok",
  "token": "eyJhbGciOi.J9",
  "user": {"id": 42, "name": "Ann", "roles": ["admin", "dev"], "manager": null},
  "orders": [
    {"id": 1001, "total": 19.5, "paid": true,  "items": [{"sku": "A-1", "qty": 2}], "url": "https://shop/o/1001"},
    {"id": 1002, "total": 5.0,  "paid": false, "items": [{"sku": "B-7", "qty": 1}, {"sku": "C-3", "qty": 4}]},
    {"id": 1003, "total": 1e7,  "paid": true,  "items": []}
  ],
  "count": 3,
  "ratio": 0.0001,
  "big": 9007199254740993123
}`

func TestJSONExtractor(t *testing.T) {
	cases := []struct {
		name   string
		props  []string
		body   string
		before map[string]string
		want   map[string]string
	}{
		{"simple string and number", []string{
			"JSONPostProcessor.referenceNames", "token;uid;count",
			"JSONPostProcessor.jsonPathExprs", "$.token;$.user.id;$.count",
			"JSONPostProcessor.match_numbers", "1;1;1",
			"JSONPostProcessor.defaultValues", "NT;NU;NC"},
			ordersJSON, nil,
			map[string]string{"token": "eyJhbGciOi.J9", "uid": "42", "count": "3", "token_matchNr": "1", "uid_matchNr": "1"}},
		{"doubles in Java form", []string{
			"JSONPostProcessor.referenceNames", "t1;t2;t3;ratio",
			"JSONPostProcessor.jsonPathExprs", "$.orders[0].total;$.orders[1].total;$.orders[2].total;$.ratio",
			"JSONPostProcessor.match_numbers", "1;1;1;1",
			"JSONPostProcessor.defaultValues", ";;;"},
			ordersJSON, nil,
			map[string]string{"t1": "19.5", "t2": "5.0", "t3": "1.0E7", "ratio": "1.0E-4"}},
		{"big integer keeps its digits", []string{
			"JSONPostProcessor.referenceNames", "big", "JSONPostProcessor.jsonPathExprs", "$.big",
			"JSONPostProcessor.match_numbers", "1", "JSONPostProcessor.defaultValues", "x"},
			ordersJSON, nil, map[string]string{"big": "9007199254740993123"}},
		{"objects and arrays as compact JSON", []string{
			"JSONPostProcessor.referenceNames", "roles;item;user",
			"JSONPostProcessor.jsonPathExprs", "$.user.roles;$.orders[1].items[1];$.user",
			"JSONPostProcessor.match_numbers", "1;1;1",
			"JSONPostProcessor.defaultValues", "-;-;-"},
			ordersJSON, nil,
			// a top-level object prints in java.util.HashMap order
			map[string]string{"roles": `["admin","dev"]`, "item": `{"sku":"C-3","qty":4}`,
				"user": `{"name":"Ann","id":42,"manager":null,"roles":["admin","dev"]}`}},
		{"slashes escaped inside JSON output", []string{
			"JSONPostProcessor.referenceNames", "o;u",
			"JSONPostProcessor.jsonPathExprs", "$.orders[0];$.orders[0].url",
			"JSONPostProcessor.match_numbers", "1;1",
			"JSONPostProcessor.defaultValues", "-;-"},
			ordersJSON, nil,
			map[string]string{"o": `{"paid":true,"total":19.5,"id":1001,"items":[{"sku":"A-1","qty":2}],"url":"https:\/\/shop\/o\/1001"}`,
				"u": "https://shop/o/1001"}},
		{"null gives the default", []string{
			"JSONPostProcessor.referenceNames", "mgr", "JSONPostProcessor.jsonPathExprs", "$.user.manager",
			"JSONPostProcessor.match_numbers", "1", "JSONPostProcessor.defaultValues", "NOBODY"},
			ordersJSON, nil, map[string]string{"mgr": "NOBODY", "mgr_matchNr": "1"}},
		{"deep scan in document order, all matches, concat", []string{
			"JSONPostProcessor.referenceNames", "id", "JSONPostProcessor.jsonPathExprs", "$..id",
			"JSONPostProcessor.match_numbers", "-1", "JSONPostProcessor.defaultValues", "NF",
			"JSONPostProcessor.compute_concat", "true"},
			ordersJSON, map[string]string{"id_1": "s", "id_2": "s", "id_3": "s", "id_4": "s", "id_5": "stale", "id_6": "stale", "id": "old"},
			map[string]string{"id_matchNr": "4", "id_1": "42", "id_2": "1001", "id_3": "1002", "id_4": "1003",
				"id_5": unset, "id_6": unset, "id_ALL": "42,1001,1002,1003", "id": "old"}},
		{"filter", []string{
			"JSONPostProcessor.referenceNames", "unpaid;skus",
			"JSONPostProcessor.jsonPathExprs", "$.orders[?(@.paid == false)].id;$.orders[?(@.total > 10)].items[*].sku",
			"JSONPostProcessor.match_numbers", "1;-1",
			"JSONPostProcessor.defaultValues", "NONE;NONE"},
			ordersJSON, nil, map[string]string{"unpaid": "1002", "skus_1": "A-1", "skus_matchNr": "1", "skus": unset}},
		{"wildcard, n-th and beyond", []string{
			"JSONPostProcessor.referenceNames", "second;tenth",
			"JSONPostProcessor.jsonPathExprs", "$.orders[*].id;$.orders[*].id",
			"JSONPostProcessor.match_numbers", "2;10",
			"JSONPostProcessor.defaultValues", "D2;D10"},
			ordersJSON, nil, map[string]string{"second": "1002", "second_matchNr": "3", "tenth": "D10", "tenth_matchNr": "3"}},
		{"single result with match -1 is ref_1", []string{
			"JSONPostProcessor.referenceNames", "tok", "JSONPostProcessor.jsonPathExprs", "$.token",
			"JSONPostProcessor.match_numbers", "-1", "JSONPostProcessor.defaultValues", "D",
			"JSONPostProcessor.compute_concat", "true"},
			ordersJSON, nil, map[string]string{"tok_1": "eyJhbGciOi.J9", "tok_matchNr": "1", "tok_ALL": "eyJhbGciOi.J9", "tok": unset}},
		{"path not found", []string{
			"JSONPostProcessor.referenceNames", "x", "JSONPostProcessor.jsonPathExprs", "$.nope.deeper",
			"JSONPostProcessor.match_numbers", "-1", "JSONPostProcessor.defaultValues", "NOTFOUND",
			"JSONPostProcessor.compute_concat", "true"},
			ordersJSON, map[string]string{"x_1": "stale"},
			map[string]string{"x": "NOTFOUND", "x_matchNr": "0", "x_ALL": "", "x_1": unset}},
		{"match number 0 on a single value sets no _matchNr", []string{
			"JSONPostProcessor.referenceNames", "tok", "JSONPostProcessor.jsonPathExprs", "$.token",
			"JSONPostProcessor.match_numbers", "0", "JSONPostProcessor.defaultValues", "D"},
			ordersJSON, map[string]string{"tok_matchNr": "9"}, map[string]string{"tok": "eyJhbGciOi.J9", "tok_matchNr": unset}},
		{"broken JSON gives defaults", []string{
			"JSONPostProcessor.referenceNames", "a;b", "JSONPostProcessor.jsonPathExprs", "$.a;$.b",
			"JSONPostProcessor.defaultValues", "DA;DB"},
			`{"a": [1, 2`, map[string]string{"a_matchNr": "2", "a_1": "x"},
			map[string]string{"a": "DA", "b": "DB", "a_matchNr": unset, "a_1": unset}},
		{"HTML body finds nothing", []string{
			"JSONPostProcessor.referenceNames", "a", "JSONPostProcessor.jsonPathExprs", "$.a",
			"JSONPostProcessor.match_numbers", "-1", "JSONPostProcessor.defaultValues", "DA"},
			"<html>not json</html>", nil,
			map[string]string{"a": "DA", "a_matchNr": "0"}},
		{"empty body gives defaults", []string{
			"JSONPostProcessor.referenceNames", "a", "JSONPostProcessor.jsonPathExprs", "$.a",
			"JSONPostProcessor.defaultValues", "DA"},
			"   ", nil, map[string]string{"a": "DA", "a_matchNr": unset}},
		{"trailing empty default", []string{
			"JSONPostProcessor.referenceNames", "a;b", "JSONPostProcessor.jsonPathExprs", "$.token;$.missing",
			"JSONPostProcessor.match_numbers", "1;1", "JSONPostProcessor.defaultValues", "x;"},
			ordersJSON, nil, map[string]string{"a": "eyJhbGciOi.J9", "b": ""}},
		{"trailing separator after the only default (5.6.3 reading)", []string{
			"JSONPostProcessor.referenceNames", "st", "JSONPostProcessor.jsonPathExprs", "$.nope",
			"JSONPostProcessor.match_numbers", "1", "JSONPostProcessor.defaultValues", "NOT_FOUND;"},
			ordersJSON, nil, map[string]string{"st": "NOT_FOUND"}},
		{"dot before bracket as Jayway allows", []string{
			"JSONPostProcessor.referenceNames", "ids", "JSONPostProcessor.jsonPathExprs", "$.orders.[*].id",
			"JSONPostProcessor.match_numbers", "-1", "JSONPostProcessor.defaultValues", "D"},
			ordersJSON, nil, map[string]string{"ids_matchNr": "3", "ids_2": "1002"}},
		{"expression from a variable, path without $", []string{
			"JSONPostProcessor.referenceNames", "n", "JSONPostProcessor.jsonPathExprs", "user.${field}",
			"JSONPostProcessor.match_numbers", "1", "JSONPostProcessor.defaultValues", "D"},
			ordersJSON, map[string]string{"field": "name"}, map[string]string{"n": "Ann"}},
		{"length function", []string{
			"JSONPostProcessor.referenceNames", "n", "JSONPostProcessor.jsonPathExprs", "$.orders.length()",
			"JSONPostProcessor.match_numbers", "1", "JSONPostProcessor.defaultValues", "D"},
			ordersJSON, nil, map[string]string{"n": "3"}},
		{"variable scope", []string{
			"Sample.scope", "variable", "Scope.variable", "saved",
			"JSONPostProcessor.referenceNames", "v", "JSONPostProcessor.jsonPathExprs", "$.k",
			"JSONPostProcessor.match_numbers", "1", "JSONPostProcessor.defaultValues", "D"},
			"{}", map[string]string{"saved": `{"k":"from-var"}`}, map[string]string{"v": "from-var"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := build(t, "JSONPostProcessor", tc.props...)
			c := newCtx(1)
			for k, v := range tc.before {
				c.Vars.Put(k, v)
			}
			x.Process(c, result(tc.body))
			checkVars(t, c.Vars, tc.want)
		})
	}
}

func TestJSONExtractorRandomAndScope(t *testing.T) {
	x := build(t, "JSONPostProcessor", "JSONPostProcessor.referenceNames", "id",
		"JSONPostProcessor.jsonPathExprs", "$.orders[*].id", "JSONPostProcessor.defaultValues", "D")
	seen := map[string]bool{}
	for seed := uint64(0); seed < 40; seed++ {
		c := newCtx(seed)
		x.Process(c, result(ordersJSON))
		v, _ := c.Vars.Get("id")
		seen[v] = true
		if _, ok := c.Vars.Get("id_matchNr"); ok {
			t.Fatal("random match must not set id_matchNr")
		}
	}
	if len(seen) != 3 || !seen["1001"] || !seen["1002"] || !seen["1003"] {
		t.Fatalf("blank match number should pick at random among 3 ids, saw %v", seen)
	}

	parent := result(`{"id":"p"}`)
	parent.Subs = []*sample.Result{result(`{"id":"c1"}`), result(""), result(`{"id":"c2"}`)}
	for scope, want := range map[string]string{"parent": "p", "children": "c1,c2", "all": "p,c1,c2"} {
		y := build(t, "JSONPostProcessor", "Sample.scope", scope, "JSONPostProcessor.referenceNames", "id",
			"JSONPostProcessor.jsonPathExprs", "$.id", "JSONPostProcessor.match_numbers", "-1",
			"JSONPostProcessor.defaultValues", "D", "JSONPostProcessor.compute_concat", "true")
		c := newCtx(1)
		y.Process(c, parent)
		checkVars(t, c.Vars, map[string]string{"id_ALL": want})
	}
}

func TestJSONExtractorConstructionErrors(t *testing.T) {
	for name, kv := range map[string][]string{
		"count mismatch": {"JSONPostProcessor.referenceNames", "a;b", "JSONPostProcessor.jsonPathExprs", "$.a",
			"JSONPostProcessor.defaultValues", "1;2"},
		"bad path": {"JSONPostProcessor.referenceNames", "a", "JSONPostProcessor.jsonPathExprs", "$.a[?(@.x ==",
			"JSONPostProcessor.defaultValues", ""},
	} {
		el := jmxtest.Element(t, `<JSONPostProcessor guiclass="JSONPostProcessorGui" testclass="JSONPostProcessor" testname="Extract ids">`+
			jmxtest.Props(kv...)+`</JSONPostProcessor>`)
		_, err := New(el)
		if err == nil {
			t.Errorf("%s: want an error", name)
			continue
		}
		if !strings.Contains(err.Error(), "Plan > Extract ids") || !strings.Contains(err.Error(), "test.jmx:") {
			t.Errorf("%s: error %q should name the element and file", name, err)
		}
	}
}

func TestJSONPathPluginExtractor(t *testing.T) {
	cases := []struct {
		path string
		want map[string]string
	}{
		{"$.user.name", map[string]string{"v": "Ann"}},
		{"$.orders[0].total", map[string]string{"v": "19.5"}},
		{"$.orders[1].total", map[string]string{"v": "5.0"}},
		{"$.orders[*].id", map[string]string{"v": "[1001,1002,1003]", "v_matchNr": "3", "v_2": "1002", "v_4": unset}},
		{"$..sku", map[string]string{"v": `["A-1","B-7","C-3"]`, "v_matchNr": "3", "v_3": "C-3", "v_4": unset}},
		{"$.user.roles", map[string]string{"v": `["admin","dev"]`, "v_matchNr": "2", "v_2": "dev", "v_3": unset}},
		{"$.orders[2].items", map[string]string{"v": "DEF", "v_matchNr": "0"}},
		{"$.missing", map[string]string{"v": "DEF", "v_matchNr": "0", "v_1": unset}},
	}
	for _, tc := range cases {
		x := build(t, JSONPathPluginClass, "VAR", "v", "JSONPATH", tc.path, "DEFAULT", "DEF")
		c := newCtx(1)
		for _, k := range []string{"v_1", "v_2", "v_3", "v_4"} {
			c.Vars.Put(k, "stale")
		}
		x.Process(c, result(ordersJSON))
		checkVars(t, c.Vars, tc.want)
	}
}

// INPUT_FORMAT YAML: the plugin reads the body as YAML, then evaluates the
// path on its JSON form; a document that is not a mapping gives the default.
func TestJSONPathPluginExtractorYAML(t *testing.T) {
	const doc = "user:\n  name: Ann\n  roles: [admin, dev]\ntotal: 19.5\n"
	for path, want := range map[string]map[string]string{
		"$.user.name":  {"v": "Ann"},
		"$.user.roles": {"v": `["admin","dev"]`, "v_matchNr": "2", "v_2": "dev"},
		"$.total":      {"v": "19.5"},
	} {
		x := build(t, JSONPathPluginClass, "VAR", "v", "JSONPATH", path, "DEFAULT", "DEF", "INPUT_FORMAT", "YAML")
		c := newCtx(1)
		x.Process(c, result(doc))
		checkVars(t, c.Vars, want)
	}
	x := build(t, JSONPathPluginClass, "VAR", "v", "JSONPATH", "$[0]", "DEFAULT", "DEF", "INPUT_FORMAT", "YAML")
	c := newCtx(1)
	x.Process(c, result("- a\n- b\n"))
	checkVars(t, c.Vars, map[string]string{"v": "DEF", "v_matchNr": "0"})
}
