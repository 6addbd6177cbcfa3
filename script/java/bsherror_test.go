package java

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
)

// bshErrorCase is one script whose failure real BeanShell 2.0b6 described
// (testdata/bsherrors, made by BshErrors.java through regen.sh).
type bshErrorCase struct {
	Name   string `json:"name"`
	Script string `json:"script"`
	Bsh    string `json:"bsh"`
	JSR223 string `json:"jsr223"`
}

// TestBeanShellErrorTexts checks that a failing Java/BeanShell script is
// reported with BeanShell 2.0b6's own texts: the EvalError message JMeter's
// BeanShell elements show and the ScriptException its JSR223 engine gives.
func TestBeanShellErrorTexts(t *testing.T) {
	data, err := os.ReadFile("testdata/bsherrors/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []bshErrorCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	// cases gometer refuses when it loads the script (a method or
	// construct it names as unknown), so they never fail at run time
	refused := map[string]bool{"unknown method": true}
	// BeanShell's JSR223 engine keeps script-level variables in its
	// bindings, where one holding null reads as undefined: passed as an
	// argument it fails the call ("Undefined argument"). gometer runs such
	// a call (as BeanShell elements do), so only their text is compared.
	engineDiffers := map[string]bool{"parseInt null": true}
	for _, c := range cases {
		for _, d := range []Dialect{BeanShell, Java} {
			t.Run(c.Name+"/"+d.String(), func(t *testing.T) {
				p, err := Compile("t", c.Script, d)
				if refused[c.Name] {
					if err == nil {
						t.Fatalf("compiled a script gometer should refuse")
					}
					return
				}
				if err != nil {
					t.Fatalf("compile: %v", err)
				}
				_, err = p.Run(context.Background(), map[string]any{})
				var ee *EvalError
				if !errors.As(err, &ee) {
					if c.Bsh == "" && c.JSR223 == "" {
						return
					}
					t.Fatalf("want an EvalError, got %v", err)
				}
				src := InlineSource(c.Script)
				if got := ee.Message(src); c.Bsh != "" && got != c.Bsh {
					t.Errorf("BeanShell message:\n got %q\nwant %q", got, c.Bsh)
				}
				if got := ee.ScriptException(src); c.JSR223 != "" && !engineDiffers[c.Name] && got != c.JSR223 {
					t.Errorf("JSR223 message:\n got %q\nwant %q", got, c.JSR223)
				}
			})
		}
	}
}
