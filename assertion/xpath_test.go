package assertion

import (
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/sample"
)

const ordersXML = `<?xml version="1.0"?>
<orders xmlns:s="urn:state"><order id="1"><s:state>PAID</s:state></order><order id="2"><s:state>OPEN</s:state></order></orders>`

func TestXPathAssertion(t *testing.T) {
	cases := []struct {
		name    string
		tag     string
		kv      []string
		body    string
		fail    bool
		isError bool
		msg     string
	}{
		{"nodes found", "XPathAssertion", []string{"XPath.xpath", "//order[@id='2']"}, ordersXML, false, false, ""},
		{"no nodes", "XPathAssertion", []string{"XPath.xpath", "//order[@id='3']"}, ordersXML, true, false, "No Nodes Matched //order[@id='3']"},
		{"negated, found", "XPathAssertion", []string{"XPath.xpath", "//order", "XPath.negate", "true"}, ordersXML, true, false,
			"Specified XPath was found... Turn off negate if this is not desired"},
		{"negated, none", "XPathAssertion", []string{"XPath.xpath", "//refund", "XPath.negate", "true"}, ordersXML, false, false, ""},
		{"boolean true", "XPathAssertion", []string{"XPath.xpath", "count(//order)=2"}, ordersXML, false, false, ""},
		{"boolean false", "XPathAssertion", []string{"XPath.xpath", "//s:state='CLOSED'"}, ordersXML, true, false, "No Nodes Matched for //s:state='CLOSED'"},
		{"boolean negated", "XPathAssertion", []string{"XPath.xpath", "count(//order)=2", "XPath.negate", "true"}, ordersXML, true, false, "Nodes Matched for count(//order)=2"},
		{"number is not understood", "XPathAssertion", []string{"XPath.xpath", "count(//order)"}, ordersXML, true, false, "Cannot understand: count(//order)"},
		{"not XML", "XPathAssertion", []string{"XPath.xpath", "//order"}, "<html><body><p>a<br></body></html>", false, true,
			`SAXException: The element type "br" must be terminated by the matching end-tag "</br>".`},
		{"tolerant HTML", "XPathAssertion", []string{"XPath.xpath", "//p", "XPath.tolerant", "true"}, "<html><body><p>a<br></body></html>", false, false, ""},
		{"empty", "XPathAssertion", []string{"XPath.xpath", "//p"}, "", true, false, "Response was null"},
		{"XPath2 with namespace", "XPath2Assertion", []string{"XPath.xpath", "//x:state[.='OPEN']", "XPath.namespaces", "x=urn:state"}, ordersXML, false, false, ""},
		{"XPath2 none", "XPath2Assertion", []string{"XPath.xpath", "//order[@id='9']"}, ordersXML, true, false, "No Nodes Matched for //order[@id='9']"},
		{"XPath2 negated boolean", "XPath2Assertion", []string{"XPath.xpath", "count(//order) > 1", "XPath.negate", "true"}, ordersXML, true, false, "Nodes Matched for count(//order) > 1"},
		{"XPath2 not XML", "XPath2Assertion", []string{"XPath.xpath", "//order"}, "oops", false, true, "Exception occurred computing assertion with XPath://order, error:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := build(t, tc.tag, "", tc.kv...)
			r := &sample.Result{Body: []byte(tc.body), Success: true}
			Apply(a, newCtx(1), r)
			got := r.Assertions[0]
			if got.Failure != tc.fail || got.Error != tc.isError {
				t.Fatalf("failure=%v error=%v %q", got.Failure, got.Error, got.FailureMessage)
			}
			if (tc.fail || tc.isError) && !strings.HasPrefix(got.FailureMessage, tc.msg) {
				t.Errorf("message %q, want %q", got.FailureMessage, tc.msg)
			}
			if tc.fail && got.FailureMessage != tc.msg {
				t.Errorf("message %q, want exactly %q", got.FailureMessage, tc.msg)
			}
			if r.Success == (tc.fail || tc.isError) {
				t.Errorf("sample success %v", r.Success)
			}
		})
	}
	if _, err := New(jmxtest.Element(t, `<XPathAssertion testclass="XPathAssertion" testname="x">`+jmxtest.Props("XPath.xpath", "//a[")+`</XPathAssertion>`)); err == nil {
		t.Error("bad XPath: want an error")
	}
	for body, want := range map[string]string{
		ordersXML:          "",
		`{"a":1}`:          "Content is not allowed in prolog.",
		"":                 "Response was null",
		"<r><x></r>":       `The element type "x" must be terminated by the matching end-tag "</x>".`,
		"<!DOCTYPE r><r/>": `DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.`,
	} {
		r := &sample.Result{Body: []byte(body), Success: true}
		Apply(build(t, "XMLAssertion", ""), newCtx(1), r)
		if r.FailureMessage() != want || r.Success != (want == "") {
			t.Errorf("XMLAssertion on %q: %q success=%v", body, r.FailureMessage(), r.Success)
		}
	}
}
