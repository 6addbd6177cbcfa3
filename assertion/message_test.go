package assertion

import (
	"testing"

	"github.com/gometer/gometer/sample"
)

// The JTL failureMessage is JMeter's getFirstAssertionFailureMessage: the
// first non-null message. JSON and XPath assertions start from "" (non-null)
// even when they hold; Response, Size and Duration assertions leave it null.
func TestFirstNonNullFailureMessage(t *testing.T) {
	xpathOK := func() Assertion { return build(t, "XPathAssertion", "", "XPath.xpath", "//order") }
	xpathNegatedOK := func() Assertion {
		return build(t, "XPathAssertion", "", "XPath.xpath", "//refund", "XPath.negate", "true")
	}
	jsonOK := func() Assertion { return build(t, "JSONPathAssertion", "", "JSON_PATH", "$.a") }
	respOK := func() Assertion {
		return build(t, "ResponseAssertion", patterns("order"), "Assertion.test_field", "Assertion.response_data", "Assertion.test_type", "2")
	}
	respFails := func() Assertion {
		return build(t, "ResponseAssertion", patterns("nope"), "Assertion.test_field", "Assertion.response_data", "Assertion.test_type", "2")
	}
	cases := []struct {
		name    string
		body    string
		as      []func() Assertion
		msg     string
		success bool
	}{
		{"passing xpath masks a later failure", ordersXML, []func() Assertion{xpathOK, respFails}, "", false},
		{"passing response assertion does not", ordersXML, []func() Assertion{respOK, respFails}, "Test failed: text expected to contain /nope/", false},
		{"negated xpath that holds keeps its message", ordersXML, []func() Assertion{xpathNegatedOK}, "No Nodes Matched //refund", true},
		{"passing json path masks too", `{"a":1}`, []func() Assertion{jsonOK, respFails}, "", false},
		{"all null", ordersXML, []func() Assertion{respOK}, "", true},
	}
	for _, tc := range cases {
		r := &sample.Result{Body: []byte(tc.body), ResponseCode: "200", Success: true}
		for _, a := range tc.as {
			Apply(a(), newCtx(1), r)
		}
		if got := r.FailureMessage(); got != tc.msg || r.Success != tc.success {
			t.Errorf("%s: message %q success %v, want %q %v", tc.name, got, r.Success, tc.msg, tc.success)
		}
	}
}
