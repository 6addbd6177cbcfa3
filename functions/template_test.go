package functions

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// testContext returns a context with a fixed clock and seeded randomness.
func testContext() *Context {
	c := NewContext(nil, nil, nil)
	c.Now = func() time.Time { return time.Date(2024, 3, 5, 14, 7, 9, 123456789, time.UTC) }
	c.ThreadNum = 3
	c.ThreadGroupName = "Users"
	c.ThreadName = "Users 1-3"
	c.SamplerName = "Login"
	c.Iteration = 7
	c.PlanFile = "/plans/shop.jmx"
	return c
}

func TestTemplateSyntax(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "hello world", "hello world"},
		{"plain keeps escapes", `a\,b\\c\$d`, `a\,b\\c\$d`},
		{"var", "${user}", "alice"},
		{"var in text", "id=${user}&x=1", "id=alice&x=1"},
		{"two vars", "${user}${user}", "alicealice"},
		{"undefined var literal", "x${nope}y", "x${nope}y"},
		{"unknown function literal", "${__nope(a,b)}", "${__nope(a,b)}"},
		{"unknown function no args", "${__nope}", "${__nope}"},
		{"escaped dollar", `\${user} ${user}`, "${user} alice"},
		{"escaped comma top level", `a\,b ${user}`, "a,b alice"},
		{"escaped backslash", `a\\b ${user}`, `a\b alice`},
		{"other backslash kept", `a\nb ${user}`, `a\nb alice`},
		{"trailing backslash", `${user}\`, `alice\`},
		{"dollar dollar", "$${user}", "$alice"},
		{"unterminated", "abc${user", "abc${user"},
		{"unterminated alone", "${user", "${user"},
		{"empty ref", "${}", "${}"},
		{"braces only", "{a} $ {b}", "{a} $ {b}"},
		{"json", `{"a":"${user}","b":{}}`, `{"a":"alice","b":{}}`},
		{"function", "${__threadNum}", "3"},
		{"function empty parens", "${__threadNum()}", "3"},
		{"nested", "${__P(${key},${__threadNum})}", "3"},
		{"nested prop set", "${__P(${user},dflt)}", "from-prop"},
		{"escaped comma arg", `${__P(missing,a\,b)}`, "a,b"},
		{"escaped paren in arg keeps backslash", `${__P(missing,a\)b)}`, `a\)b`},
		{"balanced parens in arg", `${__P(missing,f(x))}`, "f(x)"},
		{"whitespace kept", "${__P(missing, spaced )}", "spaced"}, // __P trims values
		{"V builds name", "${__V(u${n})}", "bob"},
		{"var name with paren", "${a(b)}", "${a(b)}"},
		{"space before paren is a var", "${__P (x)}", "${__P (x)}"},
		{"unicode", "héllo ${user} ✓", "héllo alice ✓"},
		{"escaped brace in name", `${us\er}`, "alice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := testContext()
			c.Vars.Put("user", "alice")
			c.Vars.Put("key", "threads")
			c.Vars.Put("n", "2")
			c.Vars.Put("u2", "bob")
			c.Props.Set("alice", "from-prop")
			c.Props.Set("threads", "3")
			tpl, err := Compile(tc.in)
			if err != nil {
				t.Fatalf("Compile(%q): %v", tc.in, err)
			}
			if got := tpl.Eval(c); got != tc.want {
				t.Errorf("Eval(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if tpl.Raw() != tc.in {
				t.Errorf("Raw = %q", tpl.Raw())
			}
		})
	}
}

func TestAppendEval(t *testing.T) {
	c := testContext()
	c.Vars.Put("a", "1")
	buf := []byte("x=")
	buf = MustCompile("${a}-${__threadNum}-lit").AppendEval(buf, c)
	buf = MustCompile(`raw\,`).AppendEval(buf, c)
	if string(buf) != `x=1-3-litraw\,` {
		t.Errorf("AppendEval = %q", buf)
	}
	var nilT *Template
	if got := nilT.AppendEval([]byte("k"), c); string(got) != "k" {
		t.Errorf("nil template appended %q", got)
	}
}

func TestIsLiteral(t *testing.T) {
	for in, want := range map[string]bool{
		"":               true,
		"abc":            true,
		`a\${b}`:         true,
		"${a}":           false,
		"x${__UUID()}":   false,
		"${unterminated": true,
	} {
		if got := MustCompile(in).IsLiteral(); got != want {
			t.Errorf("IsLiteral(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		in, msg string
		pos     int
	}{
		{"${__Random(ten,1000)}", `__Random: argument 1 "ten" is not a number`, 11},
		{"x ${__Random(1,ten)}", `__Random: argument 2 "ten" is not a number`, 15},
		{"${__Random(1)}", "__Random: expected 2 to 3 arguments, got 1", 0},
		{"${__Random}", "__Random: expected 2 to 3 arguments, got 0", 0},
		{"${__Random(1,2,v,x)}", "__Random: expected 2 to 3 arguments, got 4", 0},
		{"${__Random(1,2", "__Random: missing ) to close the argument list", 0},
		{"${__Random(1,2)", "__Random: expected } after the argument list", 0},
		{"${__Random(1,2)x}", "__Random: expected } after the argument list", 0},
		{"${__P()}", "__P: expected 1 to 2 arguments, got 0", 0},
		{"${__UUID(x)}", "__UUID: expected 0 arguments, got 1", 0},
		{"${__intSum(1,x,y)}", `__intSum: argument 2 "x" is not a number`, 13},
		{"${__time(yyyy-MM-dd jj)}", `__time: argument 1 pattern "yyyy-MM-dd jj": unsupported pattern letter 'j'`, 9},
		{"${__P(${__Random(a,b)})}", `__Random: argument 1 "a" is not a number`, 17},
		// JMeter splits on commas inside parentheses too, and an escaped ")"
		// does not close an opened "(".
		{"${__P(missing,f(x,y))}", "__P: expected 1 to 2 arguments, got 3", 0},
		{`${__P(missing,(a\)b)}`, "__P: missing ) to close the argument list", 0},
		{"${__counter}", "__counter: expected 1 to 2 arguments, got 0", 0},
		{"${__char(zz)}", `__char: argument 1 "zz" is not a character code`, 9},
		{"${__digest(MD7,x)}", `__digest: argument 1 "MD7" is not a known digest algorithm`, 11},
		{"${__changeCase(x,SIDEWAYS)}", `__changeCase: argument 2 "SIDEWAYS" is not UPPER, LOWER or CAPITALIZE`, 17},
	}
	for _, tc := range tests {
		_, err := Compile(tc.in)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Compile(%q) error = %v, want *Error", tc.in, err)
			continue
		}
		if e.Msg != tc.msg || e.Pos != tc.pos || e.Input != tc.in {
			t.Errorf("Compile(%q) = {Msg %q Pos %d}, want {Msg %q Pos %d}", tc.in, e.Msg, e.Pos, tc.msg, tc.pos)
		}
		if !strings.Contains(e.Error(), tc.msg) {
			t.Errorf("Error() = %q", e.Error())
		}
	}
}

func TestNestingLimit(t *testing.T) {
	deep := strings.Repeat("${__P(", 200) + "x" + strings.Repeat(")}", 200)
	if _, err := Compile(deep); err == nil || !strings.Contains(err.Error(), "nested more than") {
		t.Errorf("deep nesting: %v", err)
	}
	ok := strings.Repeat("${__P(", 20) + "x" + strings.Repeat(")}", 20)
	if got := MustCompile(ok).Eval(testContext()); got != "1" {
		t.Errorf("20 levels = %q", got)
	}
}

func TestWarnings(t *testing.T) {
	if w := MustCompile("a ${b} c").Warnings(); len(w) != 0 {
		t.Errorf("clean string has warnings %v", w)
	}
	w := MustCompile("id=${user").Warnings()
	if len(w) != 1 || w[0].Pos != 3 || !strings.Contains(w[0].Msg, "unterminated") {
		t.Errorf("warnings = %v", w)
	}
	if w := MustCompile("x ${a} ${b").Warnings(); len(w) != 1 || w[0].Pos != 7 {
		t.Errorf("second reference unterminated: %v", w)
	}
}

func TestUnsupportedFunctions(t *testing.T) {
	// scripts the interpreter cannot run: a class gometer does not have
	_, err := Compile("${__BeanShell(new org.json.JSONObject())}")
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "org.json.JSONObject") {
		t.Fatalf("__BeanShell: err = %v, want ErrUnsupported", err)
	}
	_, err = Compile("${__groovy(import org.json.JSONObject; 1)}")
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("__groovy script: err = %v, want ErrUnsupported", err)
	}
	_, err = Compile("${__Random(x,1)}")
	if errors.Is(err, ErrUnsupported) {
		t.Fatalf("a bad argument is not 'unsupported'")
	}
	tpl := MustCompile("${__notAFunction(a,1,2)} ${__other}")
	if got := tpl.UnknownFunctions(); len(got) != 2 || got[0] != "__notAFunction" || got[1] != "__other" {
		t.Errorf("UnknownFunctions = %v", got)
	}
}

// A failing __BeanShell gives "" and logs BeanShell's own text, as JMeter's
// log shows the JMeterException around BeanShell's EvalError.
func TestBeanShellFunctionFailureLogged(t *testing.T) {
	tpl, err := Compile(`${__BeanShell(int n = Integer.parseInt("q"); return n;)}`)
	if err != nil {
		t.Fatal(err)
	}
	c := testContext()
	var logs []string
	c.Log = func(level, msg string) { logs = append(logs, level+" "+msg) }
	if got := tpl.Eval(c); got != "" {
		t.Errorf("got %q", got)
	}
	want := "WARN __BeanShell: error running script: org.apache.jorphan.util.JMeterException: Error invoking bsh method: eval\t" +
		"Sourced file: inline evaluation of: ``int n = Integer.parseInt(\"q\"); return n;'' : Typed variable declaration : Method Invocation Integer.parseInt (script line 1:17)"
	if len(logs) != 1 || logs[0] != want {
		t.Errorf("logged %q\nwant %q", logs, want)
	}
}
