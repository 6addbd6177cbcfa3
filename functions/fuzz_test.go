package functions

import (
	"strings"
	"testing"
	"time"
)

// FuzzCompile checks that compiling and evaluating any string never panics
// and that literal templates evaluate to themselves.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"", "plain", "${x}", "${__P(a,b)}", `a\,b\${x}\\`, "${__Random(1,10,v)}", "${__time(yyyy-MM-dd'T'HH:mm:ss.SSSXXX)}",
		"${__jexl3(vars.get(\"x\") == \"1\" && 2 > 1)}", "${__javaScript(\"${x}\" !== \"0\")}", "${__V(a${x})}",
		"${__split(a|b,p,|)}", "${__counter(TRUE,c)}", "${__intSum(1,2,s)}", "${", "${__P(", "${__nope(x)}", "$${x}}",
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, s string) {
		tpl, err := Compile(s)
		if err != nil {
			if tpl != nil {
				t.Fatal("template and error")
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		c := NewContext(nil, nil, nil)
		c.AppendFile = nil // never write files from fuzzed input
		c.Now = func() time.Time { return time.Unix(1700000000, 0).UTC() }
		c.PlanFile = dir + "/plan.jmx"
		c.Vars.Put("x", "1")
		c.Vars.Put("a1", "${__evalVar(a1)}") // self-referential
		out := tpl.Eval(c)
		if tpl.IsLiteral() && out != s {
			t.Fatalf("literal %q evaluated to %q", s, out)
		}
		if !strings.Contains(s, "${") && out != s {
			t.Fatalf("string without references %q evaluated to %q", s, out)
		}
		_ = tpl.Eval(c) // stateful functions a second time
	})
}

// FuzzExpression checks that translating, compiling and running any JEXL
// or JavaScript text never panics.
func FuzzExpression(f *testing.F) {
	for _, s := range []string{
		`"a" == "a"`, "1 + 2 * 3", `vars.get("x").length() > 0 ? 1 : 2`, "!empty(x)", `"5" !== "0"`,
		"Math.floor(Math.random() * 10)", `parseInt("0x1f")`, "new Date().getTime()", `"abc".substring(1)`,
		"1 / 0", "-(-1)", "a.b.c", "((((1))))", `props.put("k", "v")`, `"x" =~ "[x"`,
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, src string, js bool) {
		lang := JEXL
		if js {
			lang = JavaScript
		}
		e, err := compileExpr(src, lang)
		if err != nil {
			return
		}
		c := NewContext(nil, nil, nil)
		c.Vars.Put("x", "1")
		_, _ = e.EvalString(c)
	})
}
