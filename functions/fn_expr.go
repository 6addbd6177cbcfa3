package functions

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// exprCacheMax bounds the run-wide cache of expressions compiled at run
// time (their text usually contains substituted variables).
const exprCacheMax = 2048

type exprKey struct {
	lang Language
	src  string
}

type exprEntry struct {
	e   *Expr
	err error
}

// expression returns the compiled expression, compiling it once per run.
func (s *Shared) expression(lang Language, src string) (*Expr, error) {
	k := exprKey{lang, src}
	if v, ok := s.exprs.Load(k); ok {
		ent := v.(exprEntry)
		return ent.e, ent.err
	}
	e, err := compileExpr(src, lang)
	if s.exprCount.Add(1) <= exprCacheMax {
		s.exprs.Store(k, exprEntry{e, err})
	}
	return e, err
}

// EvalExpression compiles (once per run, through c.Shared) and evaluates an
// expression whose text is only known at run time, such as an If
// controller condition after ${} substitution. The result is rendered as
// JMeter renders it (see Expr.EvalString).
func EvalExpression(c *Context, lang Language, src string) (string, error) {
	e, err := c.shared().expression(lang, src)
	if err != nil {
		return "", err
	}
	return e.EvalString(c)
}

func buildExprFunc(lang Language, name string) func(args []*Template) (evalFunc, error) {
	return func(args []*Template) (evalFunc, error) {
		var fixed *Expr
		if s, ok := literalArg(args, 0); ok {
			e, err := compileExpr(s, lang)
			if err != nil {
				return nil, badArg(0, "%v", err)
			}
			fixed = e
		} else if err := checkSkeleton(args[0], lang); err != nil {
			return nil, badArg(0, "%v", err)
		}
		src, v := args[0], varArg{arg(args, 1)}
		return func(c *Context) string {
			e := fixed
			if e == nil {
				var err error
				if e, err = c.shared().expression(lang, src.Eval(c)); err != nil {
					c.logf("ERROR", "%s: %v", name, err)
					return ""
				}
			}
			out, err := e.EvalString(c)
			if err != nil {
				c.logf("ERROR", "%s: %v", name, err)
				return ""
			}
			v.store(c, out)
			return out
		}, nil
	}
}

// checkSkeleton finds constructs gometer cannot run in an expression whose
// text is only complete at run time: each ${} reference is replaced by 0
// and the text is translated. Only unsupported names, methods and
// statements are reported; syntax that a variable may complete is not.
func checkSkeleton(t *Template, lang Language) error {
	src := skeletonOf(t)
	if _, err := translate(src, lang); err != nil && !errors.Is(err, errUnterminated) {
		return fmt.Errorf("%s expression %q: %w", lang, t.raw, err)
	}
	return nil
}

func buildJEXL(args []*Template) (evalFunc, error) {
	return buildExprFunc(JEXL, "__jexl3")(args)
}

// regexTemplate is a compiled "$1$-$2$" template: literal text and group numbers.
type regexTemplate []any

func compileRegexTemplate(s string) regexTemplate {
	var out regexTemplate
	for {
		i := strings.IndexByte(s, '$')
		if i < 0 {
			break
		}
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i+1 || j >= len(s) || s[j] != '$' {
			out = append(out, s[:i+1])
			s = s[i+1:]
			continue
		}
		if i > 0 {
			out = append(out, s[:i])
		}
		g, _ := strconv.Atoi(s[i+1 : j])
		out = append(out, g)
		s = s[j+1:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

func (t regexTemplate) render(text string, m []int) string {
	var b strings.Builder
	for _, p := range t {
		switch x := p.(type) {
		case string:
			b.WriteString(x)
		case int:
			if 2*x+1 < len(m) && m[2*x] >= 0 {
				b.WriteString(text[m[2*x]:m[2*x+1]])
			}
		}
	}
	return b.String()
}

// buildRegexFunction implements __regexFunction(regex, template[, match
// number|ALL|RAND[, between[, default[, var[, input var]]]]]) on the previous
// response body (Context.Previous) or on a variable. Regexes use Go's RE2
// syntax, which covers what extractors commonly use (no look-around).
func buildRegexFunction(args []*Template) (evalFunc, error) {
	var fixed *regexp.Regexp
	if s, ok := literalArg(args, 0); ok {
		rx, err := regexp.Compile(s)
		if err != nil {
			return nil, badArg(0, "%q is not a supported regular expression: %v", s, err)
		}
		fixed = rx
	}
	return func(c *Context) string {
		rx := fixed
		if rx == nil {
			var err error
			if rx, err = regexp.Compile(args[0].Eval(c)); err != nil {
				c.logf("ERROR", "__regexFunction: %v", err)
				return ""
			}
		}
		tpl := compileRegexTemplate(args[1].Eval(c))
		index := evalArg(c, args, 2)
		if index == "" {
			index = "1"
		}
		between := evalArg(c, args, 3)
		def := evalArg(c, args, 4)
		name := evalArg(c, args, 5)
		input := evalArg(c, args, 6)
		vars := c.vars()
		if name != "" {
			vars.Put(name, def)
		}
		var text string
		if input != "" {
			text, _ = vars.Get(input)
		} else if c.Previous != nil {
			text = string(c.Previous.Body)
		}
		if text == "" {
			return def
		}
		matches := rx.FindAllStringSubmatchIndex(text, -1)
		if name != "" {
			vars.Put(name+"_matchNr", strconv.Itoa(len(matches)))
		}
		if len(matches) == 0 {
			return def
		}
		result := func(m []int) string {
			if name != "" {
				for g := 0; 2*g+1 < len(m); g++ {
					v := ""
					if m[2*g] >= 0 {
						v = text[m[2*g]:m[2*g+1]]
					}
					vars.Put(name+"_g"+strconv.Itoa(g), v)
				}
			}
			out := tpl.render(text, m)
			if name != "" {
				vars.Put(name, out)
			}
			return out
		}
		switch index {
		case "ALL":
			parts := make([]string, len(matches))
			for i, m := range matches {
				parts[i] = result(m)
			}
			return strings.Join(parts, between)
		case "RAND":
			return result(matches[c.rng().IntN(len(matches))])
		}
		n, err := strconv.Atoi(index)
		if err != nil {
			f, ferr := strconv.ParseFloat(index, 32)
			if ferr != nil {
				c.logf("ERROR", "__regexFunction: bad match number %q", index)
				return def
			}
			n = int(float64(len(matches))*f + .5)
		}
		if n < 1 || n > len(matches) {
			return def
		}
		return result(matches[n-1])
	}, nil
}
