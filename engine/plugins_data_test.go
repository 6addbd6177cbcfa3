package engine

import (
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
	v := el{tag: classVarsFromCSV, gui: "TestBeanGUI", name: "ops", props: sp("delimiter", `\t`) + sp("filename", f) + sp("variablesPrefix", "Op_")}
	xml := planXML(v, tg("G", 1, 0, "1", "", get(srv, "a", "/op/${Op_login}/${Op_logout}")))
	run(t, xml, nil)
	if got := joined(srv); got != "/op/7/9" {
		t.Fatalf("got %s", got)
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
