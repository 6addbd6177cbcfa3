package assertion

import (
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/extractor/jregex"
	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/sample"
)

// A response assertion whose pattern runs out of budget is an assertion
// error naming the pattern and the property, not minutes of CPU.
func TestResponseAssertionMatchBudget(t *testing.T) {
	el := jmxtest.Element(t, `<ResponseAssertion guiclass="X" testclass="ResponseAssertion" testname="check" enabled="true">`+
		jmxtest.Props("Assertion.test_field", "Assertion.response_data")+patterns(`^(\w+\s?)+$`)+
		`<intProp name="Assertion.test_type">2</intProp></ResponseAssertion>`)
	a, err := NewWith(el, Options{RegexMatchTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if why := Dangerous(a); why != `(\w+\s?)+` {
		t.Errorf("Dangerous = %q", why)
	}
	r := &sample.Result{Body: []byte(strings.Repeat("word ", 12) + "!"), Success: true}
	start := time.Now()
	res := a.Assert(newCtx(1), r)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v with a 100 ms budget", d)
	}
	if !res.Error || !strings.Contains(res.FailureMessage, jregex.PropMatchTimeout) || !strings.Contains(res.FailureMessage, `(\\w+\\s?)+`) {
		t.Errorf("got %+v", res)
	}
}

// A JSONPath assertion whose expected-value regex runs out of budget is an
// assertion error naming the pattern and the property, not a plain "did
// not match" (nor, inverted, a pass), for the core and the plugin class.
func TestJSONPathAssertionMatchBudget(t *testing.T) {
	body := `{"name":"` + strings.Repeat("word ", 12) + `!"}`
	for _, tag := range []string{"JSONPathAssertion", JSONPathPluginClass} {
		for _, invert := range []string{"false", "true"} {
			el := jmxtest.Element(t, `<`+tag+` guiclass="X" testclass="`+tag+`" testname="check" enabled="true">`+
				jmxtest.Props("JSON_PATH", "$.name", "JSONVALIDATION", "true", "ISREGEX", "true",
					"EXPECTED_VALUE", `^(\w+\s?)+$`, "INVERT", invert)+`</`+tag+`>`)
			a, err := NewWith(el, Options{RegexMatchTimeout: 100 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			r := &sample.Result{Body: []byte(body), Success: true}
			start := time.Now()
			res := a.Assert(newCtx(1), r)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("%s invert=%s: took %v with a 100 ms budget", tag, invert, d)
			}
			if !res.Error || !strings.Contains(res.FailureMessage, jregex.PropMatchTimeout) || !strings.Contains(res.FailureMessage, `(\\w+\\s?)+`) {
				t.Errorf("%s invert=%s: got %+v", tag, invert, res)
			}
		}
	}
}
