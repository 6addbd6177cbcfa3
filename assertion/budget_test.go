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
