package functions

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// Expressions: JMeter plans use one-line JEXL (__jexl3, __jexl2, If
// controllers with "interpret as variable expression"), JavaScript
// (__javaScript, If/While controller conditions) and Groovy (__groovy
// conditions). gometer translates the subset real plans use into an
// expr-lang/expr program, compiled once:
//
//   - literals: numbers (a JEXL "L" suffix and leading zeros are dropped),
//     'single' and "double" quoted strings with Java escapes, true, false,
//     null (JS: undefined too);
//   - operators: + - * / % (with JEXL/JS typing: "+" concatenates when a
//     side is a string; JEXL divides integers as integers), == != < > <= >=
//     (loose, numbers compared as numbers), JS === and !==, && || ! and the
//     JEXL words and or not eq ne lt gt le ge div mod, JEXL =~ !~ (regex
//     match) =^ =$ (starts/ends with), ternary ?:, safe navigation ?. and
//     parentheses;
//   - identifiers: vars, props, ctx, log, threadName;
//   - methods: vars.get/put, props.get/getProperty/put/setProperty, and on
//     strings equals equalsIgnoreCase length contains startsWith endsWith
//     toUpperCase toLowerCase trim substring indexOf lastIndexOf isEmpty
//     replace replaceAll matches charAt concat split toString, ctx.getThreadNum, log.info/
//     warn/error/debug; functions empty() and size();
//   - JavaScript also: .length, Math.random/floor/ceil/round/abs/max/min/pow,
//     parseInt, parseFloat, Number(), String(), isNaN, encodeURIComponent,
//     decodeURIComponent, Date.now(), new Date().getTime(), toFixed, substr,
//     slice, includes; split() (JS: by a string, JEXL: by a regex) with [i].
//
//   - Groovy: as JEXL (without the word operators), with decimal division
//     and the String methods toInteger toLong toDouble toBigDecimal
//     toBoolean isInteger isNumber size.
//
// Anything else (statements, assignments, closures, other methods) is a
// compile error naming the expression.

// Language selects the expression dialect.
type Language uint8

const (
	// JEXL is __jexl3/__jexl2 and the If and While controllers' conditions.
	JEXL Language = iota
	// JavaScript is __javaScript (Nashorn/Rhino in JMeter): JavaScript's
	// number printing, + on strings, parseInt and friends.
	JavaScript
	// Groovy covers one-line Groovy expressions (__groovy conditions such as
	// "${x}" == "ok" or "${n}".toInteger() > 3): JEXL's Java-like semantics,
	// Groovy's decimal division and toInteger/toLong/toDouble/toBoolean.
	Groovy
)

func (l Language) String() string {
	switch l {
	case JavaScript:
		return "JavaScript"
	case Groovy:
		return "Groovy"
	}
	return "JEXL"
}

// Expr is a compiled expression; safe for concurrent use.
type Expr struct {
	src  string
	lang Language
	prog *vm.Program
}

// exprEnv is what an expression sees.
type exprEnv struct {
	Vars       *Vars       `expr:"vars"`
	Props      *Properties `expr:"props"`
	Ctx        *Context    `expr:"ctx"`
	Log        *exprLog    `expr:"log"`
	ThreadName string      `expr:"threadName"`
}

type exprLog struct{ c *Context }

// CompileJEXL compiles a JEXL expression (the subset described above).
func CompileJEXL(src string) (*Expr, error) { return compileExpr(src, JEXL) }

// CompileJavaScript compiles a one-line JavaScript expression.
func CompileJavaScript(src string) (*Expr, error) { return compileExpr(src, JavaScript) }

// CompileGroovy compiles a one-line Groovy expression (see Groovy).
func CompileGroovy(src string) (*Expr, error) { return compileExpr(src, Groovy) }

func compileExpr(src string, lang Language) (*Expr, error) {
	code, err := translate(src, lang)
	if err != nil {
		return nil, fmt.Errorf("%s expression %q: %w", lang, src, err)
	}
	opts := []expr.Option{
		expr.Env(&exprEnv{}),
		expr.Patch(&patcher{lang: lang}),
		expr.DisableAllBuiltins(),
	}
	opts = append(opts, exprFunctions(lang)...)
	prog, err := expr.Compile(code, opts...)
	if err != nil {
		msg := err.Error()
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return nil, fmt.Errorf("%s expression %q: %s", lang, src, msg)
	}
	return &Expr{src: src, lang: lang, prog: prog}, nil
}

// Source returns the expression as written.
func (e *Expr) Source() string { return e.src }

// Eval runs the expression for one user.
func (e *Expr) Eval(c *Context) (any, error) {
	if c == nil {
		c = &Context{}
	}
	// One VM and environment per user, reused: evaluation allocates little.
	if c.exprVM == nil {
		c.exprVM = &vm.VM{}
		c.exprEnv = &exprEnv{Log: &exprLog{c}}
	}
	env := c.exprEnv
	env.Vars, env.Props, env.Ctx, env.ThreadName = c.vars(), c.props(), c, c.ThreadName
	out, err := c.exprVM.Run(e.prog, env)
	if err != nil {
		msg := err.Error()
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return nil, fmt.Errorf("%s expression %q: %s", e.lang, e.src, msg)
	}
	return out, nil
}

// EvalString runs the expression and renders the result as JMeter does:
// Java's toString for JEXL ("3", "1.5", "3.0", "true", null → ""), and
// JavaScript's for JavaScript ("3", "1.5", null → "null").
func (e *Expr) EvalString(c *Context) (string, error) {
	v, err := e.Eval(c)
	if err != nil {
		return "", err
	}
	if e.lang == JavaScript {
		return jsString(v), nil
	}
	if v == nil {
		return "", nil
	}
	return javaString(v), nil
}

// EvalBool runs the expression and reports whether the result renders as
// "true" (how JMeter's If and While controllers read a condition).
func (e *Expr) EvalBool(c *Context) (bool, error) {
	s, err := e.EvalString(c)
	return s == "true", err
}

var errUnterminated = errors.New("unterminated string literal")

// ---- translation from JEXL / JavaScript source to expr source ----

var jexlWords = map[string]string{
	"eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=",
	"and": "&&", "or": "||", "not": "!", "div": "/", "mod": "%",
	"null": "nil", "true": "true", "false": "false",
}

// staticClasses are class names whose static methods become functions
// named _<Class>_<method>.
var staticClasses = map[string]bool{"Math": true, "Date": true, "Integer": true, "Long": true, "Double": true, "String": true, "Number": true, "Boolean": true, "JSON": true}

func translate(src string, lang Language) (string, error) {
	s := strings.TrimSpace(src)
	for strings.HasSuffix(s, ";") {
		s = strings.TrimSpace(strings.TrimSuffix(s, ";"))
	}
	if s == "" {
		return "", errors.New("empty expression")
	}
	var out strings.Builder
	i := 0
	prevDot := false
	for i < len(s) {
		ch := s[i]
		dot := false
		switch {
		case ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n':
			out.WriteByte(' ')
			i++
			dot = prevDot
		case ch == '"' || ch == '\'':
			v, n, err := readStringLiteral(s[i:])
			if err != nil {
				return "", err
			}
			out.WriteString(strconv.Quote(v))
			i += n
		case ch >= '0' && ch <= '9' || (ch == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' && !prevDot):
			n, lit := readNumber(s[i:])
			out.WriteString(lit)
			i += n
		case isIdentStart(ch):
			j := i + 1
			for j < len(s) && isIdentPart(s[j]) {
				j++
			}
			word := s[i:j]
			next := skipSpace(s, j)
			call := next < len(s) && s[next] == '('
			switch {
			case prevDot:
				if call {
					if !knownMethod(word, lang) {
						return "", fmt.Errorf("unsupported method .%s()", word)
					}
					out.WriteString("_m_" + word)
				} else {
					if lang != JavaScript || word != "length" {
						return "", fmt.Errorf("unsupported property .%s", word)
					}
					out.WriteString("_p_" + word)
				}
				i = j
			case staticClasses[word] && next < len(s) && s[next] == '.':
				k := skipSpace(s, next+1)
				m := k
				for m < len(s) && isIdentPart(s[m]) {
					m++
				}
				name := "_" + word + "_" + s[k:m]
				if !knownStatic(name, lang) {
					return "", fmt.Errorf("unsupported function %s.%s", word, s[k:m])
				}
				out.WriteString(name)
				i = m
			case word == "new":
				// Only "new Date()" is supported.
				k := skipSpace(s, j)
				if strings.HasPrefix(s[k:], "Date") {
					p := skipSpace(s, k+4)
					if p+1 < len(s) && s[p] == '(' && s[skipSpace(s, p+1)] == ')' {
						out.WriteString("_newDate()")
						i = skipSpace(s, p+1) + 1
						break
					}
				}
				return "", errors.New("unsupported 'new'")
			case lang == JEXL && jexlWords[word] != "":
				out.WriteString(" " + jexlWords[word] + " ")
				i = j
			case lang == Groovy && word == "null":
				out.WriteString("nil")
				i = j
			case lang == JavaScript && (word == "null" || word == "undefined"):
				out.WriteString("nil")
				i = j
			case word == "true" || word == "false":
				out.WriteString(word)
				i = j
			case call:
				if !knownFunction(word, lang) {
					return "", fmt.Errorf("unsupported function %s()", word)
				}
				out.WriteString(word)
				i = j
			case word == "vars" || word == "props" || word == "ctx" || word == "log" || word == "threadName":
				out.WriteString(word)
				i = j
			default:
				return "", fmt.Errorf("unknown name %q", word)
			}
		default:
			op, n, err := readOperator(s[i:], lang)
			if err != nil {
				return "", err
			}
			if op == "." {
				dot = true
			}
			out.WriteString(op)
			i += n
		}
		prevDot = dot
	}
	return out.String(), nil
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

func isIdentStart(b byte) bool { return isLetter(b) || b == '_' || b == '$' || b >= 0x80 }
func isIdentPart(b byte) bool  { return isIdentStart(b) || (b >= '0' && b <= '9') }

// readStringLiteral reads a quoted literal with Java/JS escapes.
func readStringLiteral(s string) (string, int, error) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); {
		ch := s[i]
		switch {
		case ch == q:
			return b.String(), i + 1, nil
		case ch == '\\' && i+1 < len(s):
			n := s[i+1]
			i += 2
			switch n {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'u':
				if i+4 <= len(s) {
					if v, err := strconv.ParseUint(s[i:i+4], 16, 16); err == nil {
						b.WriteRune(rune(v))
						i += 4
						continue
					}
				}
				b.WriteByte('u')
			default:
				b.WriteByte(n)
			}
		default:
			_, size := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return "", 0, errUnterminated
}

// readNumber reads a numeric literal and returns it in expr syntax.
func readNumber(s string) (int, string) {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		j := 2
		for j < len(s) && strings.IndexByte("0123456789abcdefABCDEF", s[j]) >= 0 {
			j++
		}
		n := j
		if n < len(s) && (s[n] == 'l' || s[n] == 'L') {
			n++
		}
		return n, s[:j]
	}
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	intPart := s[:j]
	frac := ""
	if j < len(s) && s[j] == '.' && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
		k := j + 1
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		frac = s[j:k]
		j = k
	}
	exp := ""
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && s[k] >= '0' && s[k] <= '9' {
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			exp = s[j:k]
			j = k
		}
	}
	isFloat := frac != "" || exp != ""
	if j < len(s) && strings.IndexByte("lLfFdD", s[j]) >= 0 {
		if s[j] != 'l' && s[j] != 'L' {
			isFloat = true
		}
		j++
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	lit := intPart + frac + exp
	if isFloat && frac == "" && exp == "" {
		lit += ".0"
	}
	return j, lit
}

func readOperator(s string, lang Language) (string, int, error) {
	three := []struct{ in, out string }{
		{"===", " startsWith "}, {"!==", " endsWith "},
	}
	if lang == JavaScript {
		for _, o := range three {
			if strings.HasPrefix(s, o.in) {
				return o.out, 3, nil
			}
		}
	}
	if lang == JEXL && strings.HasPrefix(s, "**") {
		// JEXL 3 has no power operator: JMeter's parser fails on it.
		return "", 0, errors.New(`"**" is not a JEXL operator`)
	}
	if lang == JEXL {
		for _, o := range []struct{ in, out string }{
			{"=~", " matches "}, {"!~", " not matches "}, {"=^", " startsWith "}, {"=$", " endsWith "}, {"?:", " ?? "},
		} {
			if strings.HasPrefix(s, o.in) {
				return o.out, 2, nil
			}
		}
	}
	for _, o := range []string{"==", "!=", "<=", ">=", "&&", "||"} {
		if strings.HasPrefix(s, o) {
			return " " + o + " ", 2, nil
		}
	}
	switch s[0] {
	case '+', '-', '*', '/', '%', '<', '>', '!', '(', ')', '?', ':', ',', '.', '[', ']':
		return string(s[0]), 1, nil
	}
	r, _ := utf8.DecodeRuneInString(s)
	return "", 0, fmt.Errorf("unsupported character %q", r)
}

var stringMethods = map[string]bool{
	"equals": true, "equalsIgnoreCase": true, "length": true, "contains": true, "startsWith": true,
	"endsWith": true, "toUpperCase": true, "toLowerCase": true, "trim": true, "substring": true,
	"indexOf": true, "lastIndexOf": true, "isEmpty": true, "replace": true, "matches": true,
	"charAt": true, "concat": true, "toString": true, "split": true, "replaceAll": true,
	"get": true, "put": true, "getProperty": true, "setProperty": true, "remove": true,
	"getThreadNum": true, "info": true, "warn": true, "error": true, "debug": true,
}

var jsOnlyMethods = map[string]bool{"toFixed": true, "substr": true, "slice": true, "includes": true, "getTime": true}

var groovyOnlyMethods = map[string]bool{"toInteger": true, "toLong": true, "toDouble": true, "toBigDecimal": true,
	"toBoolean": true, "isNumber": true, "isInteger": true, "size": true}

func knownMethod(name string, lang Language) bool {
	if name == "length" {
		return lang != JavaScript
	}
	return stringMethods[name] || (lang == JavaScript && jsOnlyMethods[name]) || (lang == Groovy && groovyOnlyMethods[name])
}

func knownStatic(name string, lang Language) bool {
	switch name {
	case "_Math_random", "_Math_floor", "_Math_ceil", "_Math_round", "_Math_abs", "_Math_max", "_Math_min", "_Math_pow",
		"_Integer_parseInt", "_Long_parseLong", "_Double_parseDouble", "_String_valueOf":
		return true
	case "_Date_now":
		return lang == JavaScript
	}
	return false
}

func knownFunction(name string, lang Language) bool {
	switch name {
	case "empty", "size":
		return true
	case "parseInt", "parseFloat", "Number", "String", "isNaN", "encodeURIComponent", "decodeURIComponent":
		return lang == JavaScript
	}
	return false
}

// ---- AST patching: operators and methods get JEXL/JS semantics ----

type patcher struct {
	lang Language
}

func astCall(name string, args ...ast.Node) ast.Node {
	return &ast.CallNode{Callee: &ast.IdentifierNode{Value: name}, Arguments: args}
}

func (p *patcher) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BinaryNode:
		name := ""
		switch n.Operator {
		case "+":
			name = "_add"
		case "-":
			name = "_sub"
		case "*":
			name = "_mul"
		case "/":
			name = "_div"
		case "%":
			name = "_mod"
		case "==":
			name = "_eq"
		case "!=":
			name = "_ne"
		case "<":
			name = "_lt"
		case ">":
			name = "_gt"
		case "<=":
			name = "_le"
		case ">=":
			name = "_ge"
		case "startsWith":
			name = "_startsWith"
			if p.lang == JavaScript {
				name = "_seq"
			}
		case "endsWith":
			name = "_endsWith"
			if p.lang == JavaScript {
				name = "_sne"
			}
		case "matches":
			name = "_matches"
		case "&&", "||", "and", "or":
			n.Left = astCall("_truthy", n.Left)
			n.Right = astCall("_truthy", n.Right)
			return
		}
		if name != "" {
			ast.Patch(node, astCall(name, n.Left, n.Right))
		}
	case *ast.UnaryNode:
		switch n.Operator {
		case "!", "not":
			n.Node = astCall("_truthy", n.Node)
		case "-":
			ast.Patch(node, astCall("_neg", n.Node))
		case "+":
			ast.Patch(node, astCall("_num", n.Node))
		}
	case *ast.ConditionalNode:
		n.Cond = astCall("_truthy", n.Cond)
	case *ast.MemberNode:
		if s, ok := n.Property.(*ast.StringNode); ok && strings.HasPrefix(s.Value, "_p_") {
			ast.Patch(node, astCall(s.Value, n.Node))
		}
	case *ast.CallNode:
		if m, ok := n.Callee.(*ast.MemberNode); ok {
			if s, ok := m.Property.(*ast.StringNode); ok && strings.HasPrefix(s.Value, "_m_") {
				c := astCall(s.Value, append([]ast.Node{m.Node}, n.Arguments...)...)
				if m.Optional { // x?.m(): null when x is null
					c = &ast.ConditionalNode{
						Cond: &ast.BinaryNode{Operator: "==", Left: m.Node, Right: &ast.NilNode{}},
						Exp1: &ast.NilNode{},
						Exp2: c,
					}
				}
				ast.Patch(node, c)
			}
		}
	}
}
