package java

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/extractor/jregex"
)

// A regex match that runs out of its budget inside a script is an
// exception the script sees (and can catch), naming the pattern and the
// property that changes the budget — not a silent "no match".
func TestRegexOverBudgetInScriptIsAnException(t *testing.T) {
	const input = `def s = "a" * 26 + "b"` + "\n"
	cases := []struct{ name, src string }{
		{"==~", `s ==~ /(a+)+$/`},
		{"=~ then find", `def m = (s =~ /(a+)+$/); m.find()`},
		{"String.matches", `s.matches('(a+)+$')`},
		{"String.replaceAll", `s.replaceAll('(a+)+$', "x")`},
		{"Pattern.compile.matcher", `java.util.regex.Pattern.compile('(a+)+$').matcher(s).find()`},
		{"Pattern.matches", `java.util.regex.Pattern.matches('(a+)+$', s)`},
		{"String.split", `s.split('(a+)+$')`},
		{"findAll", `s.findAll(/(a+)+$/)`},
		{"switch case", `switch (s) { case ~/(a+)+$/: "yes"; break; default: "no" }`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, v, err := runScript(t, Groovy, input+c.src, map[string]any{RegexTimeoutBinding: 30 * time.Millisecond})
			var exc *Exception
			if !errors.As(err, &exc) {
				t.Fatalf("got %v, %v; want an exception", v, err)
			}
			if exc.Class != "java.lang.RuntimeException" || !strings.Contains(exc.Message, "(a+)+$") ||
				!strings.Contains(exc.Message, jregex.PropMatchTimeout) || !strings.Contains(exc.Message, "30ms") {
				t.Errorf("exception %s: %s", exc.Class, exc.Message)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("the script ran %v", d)
			}
		})
	}
	// A script can catch it like any runtime exception.
	_, v, err := runScript(t, Groovy, input+`def r = "no"; try { s ==~ /(a+)+$/ } catch (RuntimeException e) { r = "caught" }; r`,
		map[string]any{RegexTimeoutBinding: 30 * time.Millisecond})
	if err != nil || v != "caught" {
		t.Errorf("catch: %v, %v", v, err)
	}
	// Within its budget the same pattern matches as before.
	_, v, err = runScript(t, Groovy, `("a" * 8) ==~ /(a+)+$/`, nil)
	if err != nil || v != true {
		t.Errorf("short input: %v, %v", v, err)
	}
}
