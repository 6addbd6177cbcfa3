package extractor

import (
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/extractor/jregex"
	"github.com/gometer/gometer/internal/jmxtest"
)

// A regex extractor whose match runs out of budget fails the sample,
// naming itself and the property; its default value stays.
func TestRegexExtractorMatchBudget(t *testing.T) {
	el := jmxtest.Element(t, `<RegexExtractor guiclass="X" testclass="RegexExtractor" testname="Runaway" enabled="true">`+
		jmxtest.Props("RegexExtractor.refname", "v", "RegexExtractor.regex", `^(a+)+$`, "RegexExtractor.template", "$1$",
			"RegexExtractor.match_number", "1", "RegexExtractor.default", "NOTFOUND")+`</RegexExtractor>`)
	x, err := NewWith(el, Options{RegexMatchTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if why := Dangerous(x); why != "(a+)+" {
		t.Errorf("Dangerous = %q", why)
	}
	c := newCtx(1)
	r := result(strings.Repeat("a", 40) + "b")
	start := time.Now()
	x.Process(c, r)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v with a 100 ms budget", d)
	}
	if r.Success || len(r.Assertions) != 1 || r.Assertions[0].Name != "Runaway" || !r.Assertions[0].Error ||
		!strings.Contains(r.Assertions[0].FailureMessage, jregex.PropMatchTimeout) {
		t.Errorf("sample: success=%v %+v", r.Success, r.Assertions)
	}
	checkVars(t, c.Vars, map[string]string{"v": "NOTFOUND"})

	// the same pattern on an input it matches quickly works as before
	r = result("aaaa")
	x.Process(c, r)
	if !r.Success || len(r.Assertions) != 0 {
		t.Errorf("quick match: %v %+v", r.Success, r.Assertions)
	}
	checkVars(t, c.Vars, map[string]string{"v": "aaaa"})
}
