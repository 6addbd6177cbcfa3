package xdoc

import (
	"math"
	"testing"
)

func TestXDoc(t *testing.T) {
	for v, want := range map[any]string{3.0: "3", 2.5: "2.5", math.NaN(): "NaN", true: "true", "s": "s", math.Copysign(0, -1): "0"} {
		if got := ScalarString(v); got != want {
			t.Errorf("ScalarString(%v) = %q, want %q", v, got, want)
		}
	}
	ns := ParseNamespaces("a=urn:a\r\nbad line\nb=http://x/y?q=1\n")
	if len(ns) != 2 || ns["a"] != "urn:a" || ns["b"] != "http://x/y?q=1" {
		t.Errorf("namespaces %v", ns)
	}
	doc, err := Parse(`<r><a k="v">x<b/>y</a><c><!--note--></c><d/></r>`, false)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Compile("/r/*", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Eval(q, doc)
	if err != nil || !res.IsNodes || len(res.Nodes) != 3 {
		t.Fatalf("%v %+v", err, res)
	}
	if v, ok := FirstChildValue(res.Nodes[0]); !ok || v != "x" {
		t.Errorf("first child text %q %v", v, ok)
	}
	if v, ok := FirstChildValue(res.Nodes[1]); !ok || v != "note" {
		t.Errorf("comment child %q %v", v, ok)
	}
	if _, ok := FirstChildValue(res.Nodes[2]); ok {
		t.Error("an empty element has no value")
	}
	if got := StringValue(res.Nodes[0]); got != "xy" {
		t.Errorf("string value %q", got)
	}
	if got := Fragment(res.Nodes[0]); got != `<a k="v">x<b></b>y</a>` && got != `<a k="v">x<b/>y</a>` {
		t.Errorf("fragment %q", got)
	}
	for _, bad := range []string{"", "   ", "<a>", "plain text", "<a></b>"} {
		if _, err := Parse(bad, false); err == nil {
			t.Errorf("Parse(%q) strict: want an error", bad)
		}
	}
	if _, err := Parse("<p>unclosed <b>html", true); err != nil {
		t.Errorf("tolerant parse: %v", err)
	}
}

func TestWellFormedMessages(t *testing.T) {
	cases := map[string]string{
		`<a><b>x</b></a>`:                        "",
		"  \n":                                   "Premature end of file.",
		`{"json":true}`:                          "Content is not allowed in prolog.",
		`<html><body><p>a<br></p></body></html>`: `The element type "br" must be terminated by the matching end-tag "</br>".`,
		`<a><b>`:                                 "XML document structures must start and end within the same entity.",
		`<a>&nbsp;</a>`:                          `The entity "nbsp" was referenced, but not declared.`,
		`<a/><b/>`:                               "The markup in the document following the root element must be well-formed.",
		`<a/>tail`:                               "Content is not allowed in trailing section.",
		`<!DOCTYPE a><a/>`:                       DoctypeDisallowed,
	}
	for in, want := range cases {
		err := WellFormed(in, false)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("WellFormed(%q) = %q, want %q", in, got, want)
		}
	}
	if err := WellFormed(`<!DOCTYPE a><a/>`, true); err != nil {
		t.Errorf("DOCTYPE allowed: %v", err)
	}
}
