package functions

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/gometer/gometer/script"
)

// Script functions: __groovy, __BeanShell and __javaScript. A one-line
// __groovy or __javaScript expression the expr subset covers (see
// expression.go) runs there, compiled once and allocation-light; anything
// else (statements, closures, other classes) runs on the script
// interpreters with JMeter's bindings. __BeanShell always runs on the
// interpreter (its top-level variables persist per user and call site).

// scriptCall is one compiled script function text: an expression or a program.
type scriptCall struct {
	e   *Expr
	p   *script.Program
	err error
}

type scriptKey struct {
	lang script.Language
	src  string
}

// compileScriptCall compiles src for a script function.
func compileScriptCall(name string, lang script.Language, src string) scriptCall {
	if lang != script.BeanShell {
		el := JavaScript
		if lang == script.Groovy {
			el = Groovy
		}
		if e, err := compileExpr(src, el); err == nil {
			return scriptCall{e: e}
		}
	}
	p, err := script.Compile(lang, name, src)
	return scriptCall{p: p, err: err}
}

// scriptCallAt returns the compiled text, compiling it once per run.
func (s *Shared) scriptCallAt(name string, lang script.Language, src string) scriptCall {
	k := scriptKey{lang, src}
	if v, ok := s.scripts.Load(k); ok {
		return v.(scriptCall)
	}
	sc := compileScriptCall(name, lang, src)
	if s.exprCount.Add(1) <= exprCacheMax {
		s.scripts.Store(k, sc)
	}
	return sc
}

func buildScriptFunc(name string, lang script.Language) func(args []*Template) (evalFunc, error) {
	return func(args []*Template) (evalFunc, error) {
		var fixed *scriptCall
		if s, ok := literalArg(args, 0); ok {
			sc := compileScriptCall(name, lang, s)
			if sc.err != nil {
				return nil, &argError{index: 0, msg: "argument 1 " + sc.err.Error(), unsupported: true}
			}
			fixed = &sc
		} else if exprSkeletonOK(args[0], lang) {
			// the expression path may well take it at run time
		} else if _, err := script.Compile(lang, name, skeletonOf(args[0])); err != nil {
			var ce *script.CompileError
			if errors.As(err, &ce) && ce.Construct != "" {
				// a construct gometer cannot run, whatever the variables hold
				return nil, &argError{index: 0, msg: "argument 1 " + err.Error(), unsupported: true}
			}
		}
		src, v := args[0], varArg{arg(args, 1)}
		site := new(byte) // per-user state of this call site (BeanShell's variables)
		return func(c *Context) string {
			sc := fixed
			if sc == nil {
				got := c.shared().scriptCallAt(name, lang, src.Eval(c))
				sc = &got
			}
			var out string
			var err error
			switch {
			case sc.err != nil:
				err = sc.err
			case sc.e != nil:
				out, err = sc.e.EvalString(c)
			default:
				out, err = c.runScript(site, name, sc.p)
			}
			if err != nil {
				if !script.Stopped(err) {
					c.logf("WARN", "%s: error running script: %s", name, scriptFailure(err))
				}
				return ""
			}
			v.store(c, out)
			return out
		}, nil
	}
}

// scriptFailure is a script function's error as JMeter's log shows it:
// BeanShell's text for __BeanShell (with the line inside the script).
func scriptFailure(err error) string {
	var re *script.RunError
	if errors.As(err, &re) && re.Lang == script.BeanShell && re.BeanShell() != nil {
		s := re.BeanShellString("")
		if re.Line > 0 {
			s += " (script line " + strconv.Itoa(re.Line) + ":" + strconv.Itoa(re.Col) + ")"
		}
		return s
	}
	return err.Error()
}

// exprSkeletonOK reports whether a dynamic text looks like an expression
// the expr subset runs.
func exprSkeletonOK(t *Template, lang script.Language) bool {
	switch lang {
	case script.JavaScript:
		return checkSkeleton(t, JavaScript) == nil
	case script.Groovy:
		return checkSkeleton(t, Groovy) == nil
	}
	return false
}

// skeletonOf is a template's text with each ${} reference as "0".
func skeletonOf(t *Template) string {
	var b strings.Builder
	for _, p := range t.parts {
		if p.kind == partLit {
			b.WriteString(p.text)
		} else {
			b.WriteString("0")
		}
	}
	return b.String()
}

// runScript runs a script function's program with the function bindings
// (log, ctx, vars, props, threadName, OUT, sampler and the previous result
// as prev, SampleResult and sampleResult).
func (c *Context) runScript(site *byte, name string, p *script.Program) (string, error) {
	env := c.scriptEnv()
	g, _ := c.userState(site).(map[string]any)
	if g == nil {
		g = make(map[string]any, 12)
		c.setUserState(site, g)
	}
	if p.Lang != script.BeanShell {
		clear(g)
	}
	env.BindFunction(g, name)
	prev := g["prev"]
	if prev != nil {
		g["SampleResult"] = prev
		g["sampleResult"] = prev
	}
	if p.Lang == script.BeanShell {
		g["Sampler"] = g["sampler"]
	}
	ctx := c.RunCtx
	if ctx == nil {
		ctx = context.Background()
	}
	out, err := p.Run(ctx, g)
	if err != nil || out == nil {
		return "", err
	}
	return script.ToString(out), nil
}

// scriptEnv is the user's side of the script bindings, refreshed per call.
func (c *Context) scriptEnv() *script.Env {
	e := c.senv
	if e == nil {
		e = &script.Env{}
		c.senv = e
	}
	e.Vars, e.Props = c.vars(), c.props()
	e.ThreadNum, e.ThreadName, e.GroupName, e.Iteration = c.ThreadNum, c.ThreadName, c.ThreadGroupName, c.Iteration
	e.SamplerName = c.SamplerName
	e.Prev = c.LastResult
	e.Log = c.Log
	e.RegexTimeout = c.shared().RegexTimeout
	return e
}
