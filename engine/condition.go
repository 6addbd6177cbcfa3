package engine

import (
	"fmt"
	"strings"

	"github.com/gometer/gometer/functions"
)

// condition is an IfController condition: in expression mode the evaluated
// text must be "true"; in the legacy mode the evaluated text is a
// JavaScript expression, run by the functions package's evaluator for the
// one-line JavaScript real plans use.
type condition struct {
	tpl        *functions.Template
	expression bool
	static     *functions.Expr // legacy mode with a literal condition
}

func newCondition(src string, expression bool) (*condition, error) {
	tpl, err := functions.Compile(src)
	if err != nil {
		return nil, err
	}
	c := &condition{tpl: tpl, expression: expression}
	if !expression && tpl.IsLiteral() {
		js := strings.TrimSpace(tpl.Raw())
		if js == "true" || js == "false" || js == "" {
			return c, nil // "" is neither true nor false: never holds
		}
		e, err := functions.CompileJavaScript(js)
		if err != nil {
			return nil, fmt.Errorf("condition %q: %w", src, err)
		}
		c.static = e
	}
	if !expression && !tpl.IsLiteral() {
		// The JavaScript is only complete at run time; check its shape now
		// with every ${...} replaced by a number, so that a construct the
		// evaluator lacks fails the load instead of every evaluation.
		probe := strings.TrimSpace(replaceReferences(src, "0"))
		if probe != "0" && probe != `"0"` {
			if _, err := functions.CompileJavaScript(probe); err != nil && strings.Contains(err.Error(), "unsupported") {
				return nil, fmt.Errorf("condition %q: %v: %w", src, err, errCannotRun)
			}
		}
	}
	return c, nil
}

// replaceReferences replaces each ${...} (braces balanced) by with.
func replaceReferences(s, with string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] == '{' {
			depth := 0
			j := i + 1
			for ; j < len(s); j++ {
				if s[j] == '{' {
					depth++
				} else if s[j] == '}' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if j < len(s) {
				b.WriteString(with)
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func (c *condition) holds(u *vuser) bool {
	_, ok := c.check(u)
	return ok
}

// check evaluates the condition: the text it evaluated to (for the DEBUG
// log) and whether it holds.
func (c *condition) check(u *vuser) (string, bool) {
	s := c.tpl.Eval(u.ctx)
	if c.expression {
		// JMeter trims the condition (Java's trim) before comparing, so
		// "TRUE " holds.
		return s, strings.EqualFold(javaTrim(s), "true")
	}
	js := strings.TrimSpace(s)
	switch js {
	case "true":
		return js, true
	case "false", "":
		return js, false
	}
	var v string
	var err error
	if c.static != nil {
		v, err = c.static.EvalString(u.ctx)
	} else {
		// compiled once per run and text, in the functions package's cache
		v, err = functions.EvalExpression(u.ctx, functions.JavaScript, js)
	}
	if err != nil {
		u.t.logf("ERROR", "If Controller condition %q: %v", js, err)
		return js, false
	}
	return js, v == "true"
}

// javaTrim is Java's String.trim: it strips characters up to U+0020 at both
// ends (and only those, unlike strings.TrimSpace).
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}
