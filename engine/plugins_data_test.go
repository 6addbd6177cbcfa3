package engine

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The plugin sets its variables each time it is asked for its next sampler,
// evaluating every value before it sets any: a value naming a variable the
// same controller sets sees the old value, a post-processor's change is
// undone before the next sample, and the variables hold after it ends.
func TestParameterizedController(t *testing.T) {
	srv := newServer(t)
	extract := el{tag: "RegexExtractor", gui: "RegexExtractorGui", name: "re", props: sp("RegexExtractor.useHeaders", "false") +
		sp("RegexExtractor.refname", "who") + sp("RegexExtractor.regex", `ok /(\w+)/`) + sp("RegexExtractor.template", "$1$") +
		sp("RegexExtractor.default", "none") + sp("RegexExtractor.match_number", "1")}
	pc := el{tag: classParameterized, gui: classParameterized + "Gui", name: "params",
		props: `<elementProp name="ParameterizedController" elementType="Arguments">` +
			argsCollection("who", "alice", "again", "${who}-2", "who", "ignored") + `</elementProp>`,
		kids: []el{get(srv, "a", "/p/${who}", extract, headers("h", "X-Again", "${again}")), get(srv, "b", "/q/${who}")}}
	xml := planXML(tg("G", 1, 0, "2", "", pc, get(srv, "c", "/after/${who}")))
	run(t, xml, nil)
	var got []string
	for _, r := range srv.requests() {
		got = append(got, r.path+" "+r.header.Get("X-Again"))
	}
	want := "/p/alice ${who}-2,/q/alice ,/after/alice ,/p/alice alice-2,/q/alice ,/after/alice "
	if strings.Join(got, ",") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, ","), want)
	}
}

func TestVariablesFromCSVFile(t *testing.T) {
	srv := newServer(t)
	f := writeFile(t, t.TempDir(), "vars.tsv", "login\t7\nlogout\t9\n")
	v := el{tag: classVarsFromFile, gui: "TestBeanGUI", name: "ops", props: sp("delimiter", `\t`) + sp("filename", f) + sp("variablesPrefix", "Op_")}
	xml := planXML(v, tg("G", 1, 0, "1", "", get(srv, "a", "/op/${Op_login}/${Op_logout}")))
	run(t, xml, nil)
	if got := joined(srv); got != "/op/7/9" {
		t.Fatalf("got %s", got)
	}
}

// The current Variables From CSV: skipped header lines, "#" comments, the
// first two columns only, a lone column, a quoted value over several lines,
// a later line winning, a path from a property, and the values also stored
// as properties when asked (a property already set is kept).
func TestVariablesFromCSV(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	writeFile(t, dir, "vars.csv", "name;value\n#skipped;no\nhost;example;ignored\nlone\nnote;\"one\ntwo\nthree\"\nhost;final\r\nkept;x\n")
	v := el{tag: classVarsFromCSV, gui: classVarsFromCSV + "Gui", name: "vars",
		props: sp("filename", "${__P(varsfile)}") + sp("variablesPrefix", "V_") + sp("delimiter", ";") + `<intProp name="skipLines">1</intProp>` + bp("storeSysProp", true)}
	xml := planXML(v, tg("G", 1, 0, "1", "",
		get(srv, "a", "/v/${V_host}/${V_lone}./${__urlencode(${V_note})}/${__P(V_host)}/${__P(V_kept)}/${__isVarDefined(V_#skipped)}")))
	run(t, xml, map[string]string{"varsfile": filepath.Join(dir, "vars.csv"), "V_kept": "prop"})
	if got := joined(srv); got != "/v/final/./one\ntwo\nthree/final/prop/false" {
		t.Fatalf("got %s", got)
	}
}

func TestVarsFromCSVParsing(t *testing.T) {
	for _, c := range []struct {
		data, sep string
		skip      int
		want      string
	}{
		{"a,1\nb,2", ",", 0, "a=1 b=2"},
		{"a,1\rb,2\r\n\nc", ",", 0, "a=1 b=2 c="},
		{"h\na::1::2", "::", 1, "a=1"},
		{"a,\"x\ny\"", ",", 0, "a=x\ny"},
		{",v\na,", ",", 0, "=v a="},
	} {
		var got []string
		for _, kv := range varsFromCSV(c.data, "", c.sep, c.skip) {
			got = append(got, kv[0]+"="+kv[1])
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%q: got %q, want %q", c.data, strings.Join(got, " "), c.want)
		}
	}
	if got := varsFromCSVFile("a,1\nb,2,3\nc\n", "P", ","); len(got) != 2 || got[0] != [2]string{"Pa", "1"} || got[1] != [2]string{"Pc", ""} {
		t.Errorf("deprecated element: %v", got)
	}
}

func TestRandomCSVDataSet(t *testing.T) {
	srv := newServer(t)
	f := writeFile(t, t.TempDir(), "r.csv", "a\nb\nc\nd\n")
	rc := el{tag: classRandomCSV, gui: classRandomCSV + "Gui", name: "rnd", props: sp("filename", f) + sp("delimiter", ",") + sp("variableNames", "x") +
		bp("randomOrder", true) + bp("ignoreFirstLine", false) + bp("rewindOnTheEndOfList", false) + bp("independentListPerThread", false)}
	xml := planXML(tg("G", 2, 0, "-1", "", rc, get(srv, "a", "/r/${x}")))
	run(t, xml, nil)
	p := srv.paths()
	sorted := sortedCopy(p)
	if strings.Join(sorted, ",") != "/r/a,/r/b,/r/c,/r/d" {
		t.Fatalf("each record once, then the users stop: %v", p)
	}
	if sort.StringsAreSorted(p) && len(p) == 4 {
		t.Logf("records happened to come in file order")
	}
}
