package engine

import (
	"sort"
	"strings"
	"testing"
)

func TestParameterizedController(t *testing.T) {
	srv := newServer(t)
	pc := func(name, value string, kids ...el) el {
		return el{tag: classParameterized, gui: classParameterized + "Gui", name: name,
			props: `<elementProp name="ParameterizedController" elementType="Arguments">` + argsCollection("who", value, "again", "${who}-2") + `</elementProp>`, kids: kids}
	}
	xml := planXML(tg("G", 1, 0, "1", "",
		pc("first", "alice", get(srv, "a", "/p/${who}/${again}")),
		pc("second", "bob", get(srv, "b", "/p/${who}/${again}")),
	))
	run(t, xml, nil)
	if got := joined(srv); got != "/p/alice/alice-2,/p/bob/bob-2" {
		t.Fatalf("got %s", got)
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
