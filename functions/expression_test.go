package functions

import (
	"strings"
	"testing"
)

func TestJEXL(t *testing.T) {
	tests := []struct{ src, want string }{
		{"1 + 2", "3"},
		{"7 / 2", "3"},
		{"7.0 / 2", "3.5"},
		{"1.5 * 2", "3.0"},
		{"10 % 3", "1"},
		{"-5 + 2", "-3"},
		{"10L + 1", "11"},
		{"'a' + 1", "a1"},
		{`"1" + 2`, "12"},
		{"2 > 1", "true"},
		{"2 <= 1", "false"},
		{"42!=0", "true"},
		{`"abc" == "abc"`, "true"},
		{`"yes" == "1"`, "false"},
		{`"1" == 1`, "true"},
		{"1 == 1.0", "true"},
		{"true && false", "false"},
		{"true || false", "true"},
		{"!false", "true"},
		{"not false", "true"},
		{"1 lt 2 and 3 gt 2", "true"},
		{"1 eq 1 or false", "true"},
		{"2 ge 3", "false"},
		{`"abc".equals("abc")`, "true"},
		{`"abc".equals("abd")`, "false"},
		{`"abc".length()`, "3"},
		{`"Hello".toUpperCase()`, "HELLO"},
		{`"hello".substring(1, 3)`, "el"},
		{`"hello".contains("ell")`, "true"},
		{`"a-b".replace("-", "+")`, "a+b"},
		{`" x ".trim().length()`, "1"},
		{`empty("")`, "true"},
		{`empty(vars.get("nope"))`, "true"},
		{`!empty(vars.get("user"))`, "true"},
		{`vars.get("user")`, "alice"},
		{`vars.get("user").equals("alice")`, "true"},
		{`vars.get("nope") == null`, "true"},
		{`vars.get("n") + 1`, "401"}, // strict JEXL concatenates when a side is a string
		{`vars.get("n") * 2`, "80"},
		{`vars.get("n") > 5`, "true"},
		{`props.get("env")`, "prod"},
		{`props.getProperty("missing", "dflt")`, "dflt"},
		{`vars.get("n") > 5 ? "big" : "small"`, "big"},
		{`size("héllo")`, "5"},
		{`"abc" =~ "a.c"`, "true"},
		{`"abc" !~ "a.c"`, "false"},
		{`"abc" =^ "ab"`, "true"},
		{`threadName`, "Users 1-3"},
		{`ctx.getThreadNum()`, "3"},
		{`"x";`, "x"},
		{`1e3`, "1000.0"},
		{`1 / 3.0`, "0.3333333333333333"},
		{`100000000.0`, "1.0E8"},
		{`null`, ""},
		{`"line\n".length()`, "5"},
		{`'it\'s'`, "it's"},
		{`vars.get("nope")?.length()`, ""},
		{`vars.get("user")?.toUpperCase()`, "ALICE"},
		{`vars.get("nope")?.length() == null`, "true"},
		{`vars.get("user")?.trim()?.length() > 2`, "true"},
		{`"a1b22c".split("[0-9]+")[2]`, "c"},
		{`"a1b22c".replaceAll("([0-9]+)", "<$1>")`, "a<1>b<22>c"},
		{`vars.get("url").replaceAll('&amp;','&')`, "/q?s1=1&s2=2"},
		{`"x".toString() + (1.5).toString()`, "x1.5"},
	}
	for _, tc := range tests {
		c := testContext()
		c.Vars.Put("user", "alice")
		c.Vars.Put("n", "40")
		c.Vars.Put("url", "/q?s1=1&amp;s2=2")
		c.Props.Set("env", "prod")
		e, err := CompileJEXL(tc.src)
		if err != nil {
			t.Errorf("CompileJEXL(%q): %v", tc.src, err)
			continue
		}
		got, err := e.EvalString(c)
		if err != nil {
			t.Errorf("EvalString(%q): %v", tc.src, err)
			continue
		}
		if got != tc.want {
			t.Errorf("JEXL %q = %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestJEXLSideEffects(t *testing.T) {
	c := testContext()
	e, err := CompileJEXL(`vars.put("a", "b")`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Eval(c); err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Vars.Get("a"); v != "b" {
		t.Errorf("vars.put did not store: %q", v)
	}
}

func TestJEXLErrors(t *testing.T) {
	for _, src := range []string{
		"", "x + 1", "a = 1", "foo()", `"abc".frobnicate()`, "new Foo()", `"unterminated`, "1 # 2", "function(){}", "${x} == 1",
	} {
		if _, err := CompileJEXL(src); err == nil {
			t.Errorf("CompileJEXL(%q): no error", src)
		} else if !strings.Contains(err.Error(), "JEXL expression") {
			t.Errorf("CompileJEXL(%q): error %q does not name the expression", src, err)
		}
	}
	// Run-time errors: a null receiver, division by zero.
	c := testContext()
	for _, src := range []string{`vars.get("nope").length()`, "1 / 0", `"abc" * 2`} {
		e, err := CompileJEXL(src)
		if err != nil {
			t.Fatalf("CompileJEXL(%q): %v", src, err)
		}
		if _, err := e.EvalString(c); err == nil {
			t.Errorf("%q: no run-time error", src)
		}
	}
}

func TestJavaScript(t *testing.T) {
	tests := []struct{ src, want string }{
		{"1 + 2", "3"},
		{"7 / 2", "3.5"},
		{"6 / 2", "3"},
		{`"a" + 1`, "a1"},
		{`"5" !== "0"`, "true"},
		{`"0" !== '0'`, "false"},
		{`"0" == 0`, "true"},
		{`"0" === 0`, "false"},
		{"03 < 10", "true"},
		{"012 < 10", "false"},
		{`"abc".length`, "3"},
		{`"abc".length > 2 && true`, "true"},
		{`parseInt("42px") + 1`, "43"},
		{`parseInt("x")`, "NaN"},
		{`parseFloat("1.5") * 2`, "3"},
		{`Math.floor(7.9)`, "7"},
		{`Math.max(1, 5, 3)`, "5"},
		{`Math.round(2.5)`, "3"},
		{`Math.random() < 1`, "true"},
		{`Math.floor(Math.random() * 10) < 10`, "true"},
		{`new Date().getTime() > 0`, "true"},
		{`Date.now() > 0`, "true"},
		{`(1.005).toFixed(1)`, "1.0"},
		{`"hello".substring(3, 1)`, "el"},
		{`"hello".slice(-3)`, "llo"},
		{`"hello".substr(1, 2)`, "el"},
		{`"a-b-c".replace("-", "+")`, "a+b-c"},
		{`null`, "null"},
		{`String(1.5)`, "1.5"},
		{`1e21`, "1e+21"},
		{`vars.get("n") == 40`, "true"},
		{`vars.get("n") + 1`, "401"},
		{`1 > 2 ? "a" : "b"`, "b"},
		{`!""`, "true"},
		{`(1.5).toString()`, "1.5"},
		{`"a,b,c".split(",")[1]`, "b"},
		{`encodeURIComponent("a b&c/é")`, "a%20b%26c%2F%C3%A9"},
		{`decodeURIComponent("a%20b")`, "a b"},
	}
	for _, tc := range tests {
		c := testContext()
		c.Vars.Put("n", "40")
		e, err := CompileJavaScript(tc.src)
		if err != nil {
			t.Errorf("CompileJavaScript(%q): %v", tc.src, err)
			continue
		}
		got, err := e.EvalString(c)
		if err != nil {
			t.Errorf("EvalString(%q): %v", tc.src, err)
			continue
		}
		if got != tc.want {
			t.Errorf("JS %q = %q, want %q", tc.src, got, tc.want)
		}
	}
	for _, src := range []string{"var x = 1; x", "function f(){}", "a.b", `"x".foo()`, "x => x", "/re/.test(s)", "1; 2"} {
		if _, err := CompileJavaScript(src); err == nil {
			t.Errorf("CompileJavaScript(%q): no error", src)
		}
	}
}
