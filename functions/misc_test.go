package functions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVarsAndProperties(t *testing.T) {
	v := NewVars()
	v.Put("b", "2")
	v.Put("a", "1")
	c := v.Clone()
	c.Put("a", "changed")
	if got, _ := v.Get("a"); got != "1" {
		t.Errorf("clone shares storage: %q", got)
	}
	if v.Len() != 2 || strings.Join(v.Names(), ",") != "a,b" {
		t.Errorf("Len/Names = %d %v", v.Len(), v.Names())
	}
	v.Remove("a")
	if _, ok := v.Get("a"); ok || v.Len() != 1 {
		t.Error("Remove")
	}
	p := NewProperties()
	p.Set("x", "1")
	if old, ok := p.Swap("x", "2"); !ok || old != "1" {
		t.Errorf("Swap = %q %v", old, ok)
	}
	p.Remove("x")
	if _, ok := p.Get("x"); ok {
		t.Error("property not removed")
	}
}

func TestExprHelpers(t *testing.T) {
	if _, err := CompileGroovy(`${x} == "ok"`); err == nil {
		t.Fatal("a leftover ${x} must not compile")
	}
	if _, err := CompileGroovy(`"${x}" == "ok"`); err != nil {
		t.Fatalf("${x} inside a string literal is text: %v", err)
	}
	e, err := CompileGroovy(`vars.get("x") == "ok"`)
	if err != nil {
		t.Fatal(err)
	}
	c := NewContext(nil, nil, nil)
	c.Vars.Put("x", "ok")
	if ok, err := e.EvalBool(c); !ok || err != nil {
		t.Errorf("EvalBool = %v %v", ok, err)
	}
	if e.Source() != `vars.get("x") == "ok"` {
		t.Errorf("Source = %q", e.Source())
	}
	if s, err := EvalExpression(c, Groovy, `"10".toInteger() / 4`); err != nil || s != "2.5" {
		t.Errorf("Groovy division = %q %v", s, err)
	}
	if _, err := EvalExpression(c, JEXL, "1 +"); err == nil {
		t.Error("broken expression: no error")
	}
	// JavaScript truthiness and comparisons.
	for src, want := range map[string]string{
		`!0`: "true", `!"0"`: "false", `!null`: "true", `"b" > "a"`: "true", `"10" < "9"`: "true",
		`10 < "9"`: "false", `null == 0`: "false", `true == 1`: "true", `parseInt("ff", 16)`: "255",
		`isNaN(parseInt("x"))`: "true", `Number("2") + 1`: "3", `Math.pow(2, 10)`: "1024", `Math.min(3, 1)`: "1",
		`Math.abs(-2.5)`: "2.5", `Math.ceil(1.2)`: "2", `parseFloat("2.5kg")`: "2.5", `"abc".charAt(1)`: "b",
		`"abc".indexOf("c")`: "2", `"abcabc".lastIndexOf("b")`: "4", `"x".concat("y")`: "xy", `"a".includes("a")`: "true",
		`"Ab".toLowerCase().startsWith("a") && "ab".endsWith("b")`: "true", `"".isEmpty()`: "true",
	} {
		got, err := EvalExpression(c, JavaScript, src)
		if err != nil || got != want {
			t.Errorf("JS %s = %q %v, want %q", src, got, err, want)
		}
	}
	for src, want := range map[string]string{
		`"10" < "9"`: "false", `"b" > "a"`: "true", `true == "true"`: "true", `"false" ? 1 : 2`: "2", `"x" ? 1 : 2`: "1",
		`"ABC".equalsIgnoreCase("abc")`: "true", `"a.b".matches("a.b")`: "true", `Integer.parseInt("7") * 2`: "14",
		`String.valueOf(1.5)`: "1.5", `-(2.5)`: "-2.5", `+"3"`: "3", `7 % 0.5`: "0.0",
	} {
		got, err := EvalExpression(c, JEXL, src)
		if err != nil || got != want {
			t.Errorf("JEXL %s = %q %v, want %q", src, got, err, want)
		}
	}
}

func TestCSVReadDelimiterProperty(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.txt"), []byte("a;b|c\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := NewContext(nil, nil, nil)
	c.PlanFile = filepath.Join(dir, "p.jmx")
	c.Props.Set("csvread.delimiter", ";|")
	if got := evalOnce(t, c, "${__CSVRead(d.txt,2)}"); got != "c" {
		t.Errorf("multi-character delimiter set: %q", got)
	}
}

func TestUnescapeAndBase64(t *testing.T) {
	for in, want := range map[string]string{
		`a\tb`: "a\tb", `\101\60`: "A0", `\u00e9\uu00e9`: "éé", `\q`: "q", `tail\`: `tail\`, `\r\f\b`: "\r\f\b",
	} {
		if got := unescapeJava(in); got != want {
			t.Errorf("unescapeJava(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"aGk=": "hi", "aGk": "hi", "a-_w": "k\xef\xf0", " aGk= \n": "hi", "": "",
	} {
		if got := base64DecodeLenient(in); got != want {
			t.Errorf("base64DecodeLenient(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExprVMReuseAfterError(t *testing.T) {
	c := NewContext(nil, nil, nil)
	bad, _ := CompileJEXL(`vars.get("none").length()`)
	good, _ := CompileJEXL(`[1, 2, 3][2] + size("ab")`)
	for i := 0; i < 3; i++ {
		if _, err := bad.EvalString(c); err == nil {
			t.Fatal("no error")
		}
		if s, err := good.EvalString(c); err != nil || s != "5" {
			t.Fatalf("after an error: %q %v", s, err)
		}
	}
}
