package assertion

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"gometer/functions"
	"gometer/jmx"
	"gometer/sampler"
)

// element parses one element written as in a .jmx file (its properties
// inside) within a minimal test plan, and returns it.
func element(t testing.TB, xml string) *jmx.Element {
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

// props renders name=value pairs as stringProps.
func props(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteString(`<stringProp name="` + kv[i] + `">` + xmlEscape(kv[i+1]) + "</stringProp>\n")
	}
	return b.String()
}

func xmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\r", "&#13;")
	return r.Replace(s)
}

// build compiles an element of the given tag with the properties (raw
// XML for collection properties may follow in extra).
func build(t testing.TB, tag, extra string, kv ...string) Assertion {
	t.Helper()
	el := element(t, `<`+tag+` guiclass="X" testclass="`+tag+`" testname="check" enabled="true">`+props(kv...)+extra+`</`+tag+`>`)
	a, err := New(el)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

// patterns renders the Asserion.test_strings collection.
func patterns(ps ...string) string {
	var b strings.Builder
	b.WriteString(`<collectionProp name="Asserion.test_strings">`)
	for i, p := range ps {
		b.WriteString(`<stringProp name="` + strconv.Itoa(i) + `">` + xmlEscape(p) + `</stringProp>`)
	}
	b.WriteString(`</collectionProp>`)
	return b.String()
}

func newCtx(seed uint64) *functions.Context {
	return &functions.Context{
		Vars:   functions.NewVars(),
		Props:  functions.NewProperties(),
		Shared: functions.NewShared(),
		Rand:   rand.New(rand.NewPCG(seed, seed)),
	}
}

func result(body string) *sampler.Result {
	return &sampler.Result{Body: []byte(body), ResponseCode: "200", ResponseMessage: "OK", Success: true}
}
