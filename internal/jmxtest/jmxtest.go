// Package jmxtest builds plan elements for tests from the XML a .jmx file
// holds, and opens the shared corpus of real plans. It exists so that the
// packages that compile elements (extractor, assertion, report …) test them
// the way the engine will see them, parsed by jmx, without each keeping a
// copy of the same scaffolding. It is for tests only: nothing in the
// program imports it.
package jmxtest

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gometer/gometer/jmx"
)

// Element parses one element written as in a .jmx file (its properties
// inside) under a minimal test plan, and returns it with its file
// ("test.jmx") and line set as the engine would see them.
func Element(t testing.TB, xml string) *jmx.Element {
	t.Helper()
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Plan"/>
    <hashTree>
` + xml + `
      <hashTree/>
    </hashTree>
  </hashTree>
</jmeterTestPlan>
`
	plan, err := jmx.Parse([]byte(doc), "test.jmx")
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	tp := plan.TestPlan()
	if tp == nil || len(tp.Children) != 1 {
		t.Fatalf("expected one element under the test plan")
	}
	return tp.Children[0]
}

// Props renders name, value pairs as stringProps (values escaped).
func Props(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteString(`<stringProp name="` + kv[i] + `">` + Escape(kv[i+1]) + "</stringProp>\n")
	}
	return b.String()
}

// Escape escapes text for an XML element or attribute, as JMeter saves it
// (a carriage return as &#13; so that it survives the parser).
func Escape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\r", "&#13;")
	return r.Replace(s)
}

// CorpusFiles lists the real plans of the shared corpus (../shared/corpus
// beside the module), and skips the test when the folder is absent.
func CorpusFiles(t testing.TB) []string {
	t.Helper()
	_, self, _, ok := runtime.Caller(0)
	var files []string
	if ok {
		// self is internal/jmxtest/jmxtest.go inside the module.
		files, _ = filepath.Glob(filepath.Join(filepath.Dir(self), "..", "..", "..", "shared", "corpus", "*.jmx"))
	}
	if len(files) == 0 {
		t.Skip("corpus folder not present")
	}
	return files
}

// CorpusElements parses every corpus plan and returns all their elements,
// depth first. Plans jmx cannot parse are left out: the jmx package's own
// tests judge those.
func CorpusElements(t testing.TB) []*jmx.Element {
	t.Helper()
	var out []*jmx.Element
	for _, f := range CorpusFiles(t) {
		plan, err := jmx.ParseFile(f)
		if err != nil {
			continue
		}
		for _, root := range plan.Roots {
			jmx.Walk(root, func(e *jmx.Element) bool {
				out = append(out, e)
				return true
			})
		}
	}
	return out
}

// BuildCorpus calls build on every corpus element whose class handles
// accepts, reports each error it returns, and returns how many built: the
// check that a package compiles everything it claims in real plans.
func BuildCorpus(t testing.TB, handles func(class string) bool, build func(*jmx.Element) error) int {
	t.Helper()
	built := 0
	for _, e := range CorpusElements(t) {
		if !handles(e.Class()) {
			continue
		}
		if err := build(e); err != nil {
			t.Errorf("%v", err)
		} else {
			built++
		}
	}
	return built
}
