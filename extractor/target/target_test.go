package target

import (
	"strings"
	"testing"

	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

func TestSamplesOrderAndDepth(t *testing.T) {
	mk := func(label string, subs ...*sample.Result) *sample.Result {
		return &sample.Result{Label: label, Subs: subs}
	}
	// a chain deeper than JMeter looks, and two branches
	deep := mk("a1a1a1a1a1", mk("a1a1a1a1a1a1"))
	root := mk("p", mk("a", mk("a1", mk("a1a1", mk("a1a1a1", mk("a1a1a1a1", deep))))), mk("b", mk("b1")))
	labels := func(rs []*sample.Result) string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Label)
		}
		return strings.Join(out, ",")
	}
	// direct children first, then each child's descendants depth first,
	// down to five levels below the sample (AbstractScopedTestElement)
	if got, want := labels((Scope{Kind: Children}).Samples(root)), "a,b,a1,a1a1,a1a1a1,a1a1a1a1,b1"; got != want {
		t.Errorf("children: %s\nwant %s", got, want)
	}
	if got := labels((Scope{Kind: All}).Samples(root)); !strings.HasPrefix(got, "p,a,b,") {
		t.Errorf("all: %s", got)
	}
	if got := labels((Scope{Kind: Parent}).Samples(root)); got != "p" {
		t.Errorf("parent: %s", got)
	}
	if got := (Scope{Kind: Variable}).Samples(root); len(got) != 0 {
		t.Errorf("variable scope looks at no sample")
	}
}

func TestFields(t *testing.T) {
	r := &sample.Result{Body: []byte(`<p>a &amp; b</p>`), ResponseHeaders: "H", RequestHeaders: "Q", URL: "U", ResponseCode: "C", ResponseMessage: "M"}
	for v, want := range map[string]string{
		"false": `<p>a &amp; b</p>`, "": `<p>a &amp; b</p>`, "TRUE": "H", "request_headers": "Q", "url": "U", "URL": "U",
		"code": "C", "message": "M", "unescaped": `<p>a & b</p>`, "as_document": "a & b", "bogus": `<p>a &amp; b</p>`,
	} {
		if got := ParseField(v).Text(r); strings.TrimSpace(got) != want {
			t.Errorf("field %q: %q, want %q", v, got, want)
		}
	}
	if got := DocumentText([]byte("<html><head><title>T</title><script>var x=1;</script></head><body><h1>Hi</h1><p>one</p><p>two</p></body></html>")); got != "Hi\none\ntwo\n" && got != "Hi\none\ntwo" {
		t.Errorf("document text %q", got)
	}
	if got := DocumentText([]byte(`{"a":1}`)); got != `{"a":1}` {
		t.Errorf("non-markup document %q", got)
	}
}

func TestProps(t *testing.T) {
	plan, err := jmx.Parse([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2">
  <hashTree>
    <RegexExtractor guiclass="X" testclass="RegexExtractor" testname="ex">
      <stringProp name="a">fixed</stringProp>
      <stringProp name="b">${v}</stringProp>
      <stringProp name="bad">${__Random(1,2,3,4,5,6,7)}</stringProp>
    </RegexExtractor>
    <hashTree/>
  </hashTree>
</jmeterTestPlan>`), "p.jmx")
	if err != nil {
		t.Fatal(err)
	}
	el := plan.Roots[0]
	ps := NewProps(el)
	a, b, c := ps.Str("a"), ps.Str("b"), ps.StrOr("missing", "dflt")
	if err := ps.Err(); err != nil {
		t.Fatal(err)
	}
	if v, ok := a.Literal(); !ok || v != "fixed" {
		t.Errorf("a = %q, %v", v, ok)
	}
	if _, ok := b.Literal(); ok || b.Raw() != "${v}" {
		t.Errorf("b is a template: %q", b.Raw())
	}
	if v, _ := c.Literal(); v != "dflt" {
		t.Errorf("absent property takes its default: %q", v)
	}
	ps.Str("bad")
	ps.Str("a")
	err = ps.Err()
	if err == nil || !strings.Contains(err.Error(), "property bad") || !strings.Contains(err.Error(), "p.jmx:") {
		t.Errorf("first error names the property and the place: %v", err)
	}
}
