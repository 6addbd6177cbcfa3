package functions

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnsupported is wrapped by compile errors for JMeter functions gometer
// knows but cannot run (__groovy, __BeanShell …), so callers can report them
// as unsupported elements rather than as broken input.
var ErrUnsupported = errors.New("unsupported function")

// Error is a compile error in a ${} string.
type Error struct {
	Input       string // the whole string being compiled
	Pos         int    // byte offset of the offending "${" (or argument) in Input
	Msg         string // e.g. `__Random: argument 1 "ten" is not a number`
	Unsupported bool   // the function exists in JMeter but gometer cannot run it
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (at offset %d in %q)", e.Msg, e.Pos, e.Input)
}

// Unwrap lets errors.Is(err, ErrUnsupported) classify unsupported functions.
func (e *Error) Unwrap() error {
	if e.Unsupported {
		return ErrUnsupported
	}
	return nil
}

// evalFunc is a compiled function call: its arguments are already compiled
// and captured, so evaluation does no parsing and no name lookup.
type evalFunc func(c *Context) string

type partKind uint8

const (
	partLit partKind = iota
	partVar
	partCall
)

type part struct {
	kind  partKind
	text  string // literal text, or the variable name
	undef string // for a variable: "${name}", written when the variable is unset
	fn    evalFunc
}

func (p *part) eval(c *Context) string {
	switch p.kind {
	case partLit:
		return p.text
	case partVar:
		if c != nil && c.Vars != nil {
			if v, ok := c.Vars.Get(p.text); ok {
				return v
			}
		}
		return p.undef
	default:
		return p.fn(c)
	}
}

// Template is a compiled string that may contain ${} references. It is
// immutable after Compile and safe to evaluate from many goroutines, each
// with its own Context.
type Template struct {
	raw   string
	parts []part
	hint  int // literal byte count, to size the output buffer
	lit   bool
	// unknown lists names that look like functions (start with "__") but are
	// not known, so they were kept as literal variable references.
	unknown []string
	// warnings are findings that JMeter tolerates (an unterminated "${").
	warnings []*Error
}

// Compile parses s once. A string without any ${} reference is literal and
// evaluates to itself unchanged (JMeter leaves such strings alone, escapes
// included). Literal function arguments are validated here.
func Compile(s string) (*Template, error) {
	p := &parser{input: s}
	t, err := p.compile(0, len(s), false)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// MustCompile is Compile that panics on error; for tests and literals.
func MustCompile(s string) *Template {
	t, err := Compile(s)
	if err != nil {
		panic(err)
	}
	return t
}

// Literal returns a template that evaluates to s without interpreting it.
func Literal(s string) *Template {
	return &Template{raw: s, parts: []part{{kind: partLit, text: s}}, lit: true, hint: len(s)}
}

// Eval evaluates the template for one virtual user. A literal template
// returns its string without allocating; a template that is a single
// variable reference returns the variable's value without allocating.
func (t *Template) Eval(c *Context) string {
	if t == nil {
		return ""
	}
	if c == nil {
		c = &Context{}
	}
	switch len(t.parts) {
	case 0:
		return ""
	case 1:
		return t.parts[0].eval(c)
	}
	var b strings.Builder
	b.Grow(t.hint + 16)
	for i := range t.parts {
		b.WriteString(t.parts[i].eval(c))
	}
	return b.String()
}

// AppendEval appends the evaluated template to dst, for callers that build
// a larger buffer (request bodies, URLs) without an intermediate string.
func (t *Template) AppendEval(dst []byte, c *Context) []byte {
	if t == nil {
		return dst
	}
	if c == nil {
		c = &Context{}
	}
	for i := range t.parts {
		dst = append(dst, t.parts[i].eval(c)...)
	}
	return dst
}

// CallsOnly reports whether every function the template calls is one
// allowed accepts and none has a ${} reference in its arguments, so that
// evaluating it before the run (to check a plan) has no side effect that
// allowed did not vouch for.
func (t *Template) CallsOnly(allowed func(name string) bool) bool {
	if t == nil || t.lit {
		return true
	}
	refs := 0
	for i := range t.parts {
		switch t.parts[i].kind {
		case partCall:
			if !allowed(t.parts[i].text) {
				return false
			}
			refs++
		case partVar:
			refs++
		}
	}
	return strings.Count(t.raw, "${") == refs
}

// pureFunctions read properties or the environment and transform text:
// evaluating them before the run changes nothing.
var pureFunctions = map[string]bool{"__P": true, "__property": true, "__urlencode": true, "__urldecode": true,
	"__lowercase": true, "__uppercase": true, "__machineName": true, "__machineIP": true, "__env": true}

// Probeable reports whether the template can be evaluated to check a plan
// before it runs (only variables and side-effect-free functions).
func (t *Template) Probeable() bool {
	return t.CallsOnly(func(name string) bool { return pureFunctions[name] })
}

// IsLiteral reports whether the template has no ${} reference.
func (t *Template) IsLiteral() bool { return t == nil || t.lit }

// Raw returns the source string.
func (t *Template) Raw() string {
	if t == nil {
		return ""
	}
	return t.raw
}

// String returns the source string.
func (t *Template) String() string { return t.raw }

// UnknownFunctions returns the names starting with "__" that are not known
// functions; like JMeter, they are treated as (normally unset) variables and
// stay literal. Callers may warn about them (often a missing plugin).
func (t *Template) UnknownFunctions() []string {
	if t == nil {
		return nil
	}
	return t.unknown
}

// Warnings returns what JMeter tolerates but is most likely a mistake: an
// unterminated "${" (kept as literal text). Strict callers (validate, CI
// runs) may treat these as errors.
func (t *Template) Warnings() []*Error {
	if t == nil {
		return nil
	}
	return t.warnings
}

// literalValue returns the value of an all-literal template.
func (t *Template) literalValue() (string, bool) {
	if !t.lit {
		return "", false
	}
	if len(t.parts) == 0 {
		return "", true
	}
	return t.parts[0].text, true
}

// parser follows JMeter's FunctionParser: a one-pass scan where "\" escapes
// "$", "," and "\" (and is kept before any other character), "${" starts a
// reference, a known function name followed by "(" starts an argument list
// split on unescaped commas at nesting depth 0, and "}" ends the reference.
type parser struct {
	input    string
	unknown  []string
	warnings []*Error
	depth    int // nesting of function calls being compiled
}

// maxNesting bounds nested function calls, so hostile input cannot exhaust
// the stack; real plans nest a handful deep.
const maxNesting = 64

func (p *parser) errorf(pos int, format string, args ...any) *Error {
	return &Error{Input: p.input, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// compile compiles input[start:end]. arg is true for a function argument,
// whose literal text is always escape-processed; a top-level string without
// references keeps its raw text (JMeter does not touch it at all).
func (p *parser) compile(start, end int, arg bool) (*Template, error) {
	s := p.input
	t := &Template{raw: s[start:end]}
	var buf []byte
	prev := byte(' ')
	flush := func() {
		if len(buf) > 0 {
			t.parts = append(t.parts, part{kind: partLit, text: string(buf)})
			t.hint += len(buf)
			buf = buf[:0]
		}
	}
	i := start
	for i < end {
		ch := s[i]
		switch {
		case ch == '\\':
			if i+1 >= end {
				buf = append(buf, '\\')
				i++
				continue
			}
			next := s[i+1]
			if next != '$' && next != ',' && next != '\\' {
				buf = append(buf, '\\')
			}
			buf = append(buf, next)
			prev = ' '
			i += 2
		case ch == '{' && prev == '$':
			buf = buf[:len(buf)-1] // drop the '$'
			flush()
			pt, next, err := p.reference(i-1, i+1, end)
			if err != nil {
				return nil, err
			}
			t.parts = append(t.parts, pt)
			if pt.kind == partLit {
				t.hint += len(pt.text)
			}
			prev = ' '
			i = next
		default:
			buf = append(buf, ch)
			prev = ch
			i++
		}
	}
	flush()
	t.parts = mergeLiterals(t.parts)
	t.lit = true
	for _, pt := range t.parts {
		if pt.kind != partLit {
			t.lit = false
		}
	}
	if t.lit && !arg {
		// No reference at all: JMeter keeps the property as written.
		t.parts = t.parts[:0]
		if t.raw != "" {
			t.parts = append(t.parts, part{kind: partLit, text: t.raw})
		}
		t.hint = len(t.raw)
	}
	t.unknown = p.unknown
	t.warnings = p.warnings
	return t, nil
}

func mergeLiterals(ps []part) []part {
	out := ps[:0]
	for _, pt := range ps {
		if pt.kind == partLit && len(out) > 0 && out[len(out)-1].kind == partLit {
			out[len(out)-1].text += pt.text
			continue
		}
		out = append(out, pt)
	}
	return out
}

// reference parses after "${" (at dollar; body starts at i) and returns the
// part and the index just after it.
func (p *parser) reference(dollar, i, end int) (part, int, error) {
	s := p.input
	var name []byte
	prev := byte(' ')
	for i < end {
		ch := s[i]
		switch {
		case ch == '\\':
			if i+1 >= end {
				name = append(name, '\\')
				i++
				continue
			}
			name = append(name, s[i+1])
			prev = ' '
			i += 2
		case ch == '(' && prev != ' ':
			fname := string(name)
			spec := lookup(fname)
			if spec == nil {
				// Not a function: JMeter keeps reading it as a variable name.
				name = append(name, ch)
				i++
				continue
			}
			argSpans, next, ok := p.params(i+1, end)
			if !ok {
				return part{}, 0, p.errorf(dollar, "%s: missing ) to close the argument list", fname)
			}
			if next >= end || s[next] != '}' {
				return part{}, 0, p.errorf(dollar, "%s: expected } after the argument list", fname)
			}
			fn, err := p.call(dollar, fname, spec, argSpans)
			if err != nil {
				return part{}, 0, err
			}
			return part{kind: partCall, text: fname, fn: fn}, next + 1, nil
		case ch == '}':
			fname := string(name)
			if spec := lookup(fname); spec != nil {
				fn, err := p.call(dollar, fname, spec, nil)
				if err != nil {
					return part{}, 0, err
				}
				return part{kind: partCall, text: fname, fn: fn}, i + 1, nil
			}
			if strings.HasPrefix(fname, "__") {
				n := fname
				if k := strings.IndexByte(n, '('); k >= 0 {
					n = n[:k]
				}
				p.unknown = append(p.unknown, n)
			}
			return part{kind: partVar, text: fname, undef: "${" + fname + "}"}, i + 1, nil
		default:
			name = append(name, ch)
			prev = ch
			i++
		}
	}
	// Unterminated "${…": keep the text as written. (JMeter keeps it too when
	// it is the whole string; with other text around it JMeter drops the "${",
	// which only loses information, so gometer does not copy that.)
	p.warnings = append(p.warnings, p.errorf(dollar, "unterminated ${ (no closing })"))
	return part{kind: partLit, text: s[dollar:end]}, end, nil
}

type span struct{ start, end int }

// params splits an argument list starting after "(" and returns the raw
// argument spans and the index after the closing ")". ok is false when the
// list is not closed.
func (p *parser) params(i, end int) ([]span, int, bool) {
	s := p.input
	var out []span
	argStart := i
	prev := byte(' ')
	depthFn, depthParen := 0, 0
	for i < end {
		ch := s[i]
		switch {
		case ch == '\\':
			if i+1 >= end {
				i++
				continue
			}
			prev = ' '
			i += 2
			continue
		case ch == ',' && depthFn == 0:
			out = append(out, span{argStart, i})
			argStart = i + 1
		case ch == ')' && depthFn == 0 && depthParen == 0:
			if argStart == i && len(out) == 0 {
				return nil, i + 1, true // f() has no arguments
			}
			out = append(out, span{argStart, i})
			return out, i + 1, true
		case ch == '{' && prev == '$':
			depthFn++
			prev = ch
		case ch == '}' && depthFn > 0:
			depthFn--
			prev = ch
		case ch == ')' && depthFn == 0 && depthParen > 0:
			depthParen--
			prev = ch
		case ch == '(' && depthFn == 0:
			depthParen++
			prev = ch
		default:
			prev = ch
		}
		i++
	}
	return nil, end, false
}

// call compiles the arguments and builds the function.
func (p *parser) call(dollar int, name string, spec *funcSpec, spans []span) (evalFunc, error) {
	n := len(spans)
	if n < spec.min || (spec.max >= 0 && n > spec.max) {
		return nil, p.errorf(dollar, "%s: %s, got %d", name, countText(spec.min, spec.max), n)
	}
	if spec.unsupported != "" {
		e := p.errorf(dollar, "%s: %s", name, spec.unsupported)
		e.Unsupported = true
		return nil, e
	}
	if p.depth >= maxNesting {
		return nil, p.errorf(dollar, "%s: function calls nested more than %d deep", name, maxNesting)
	}
	p.depth++
	defer func() { p.depth-- }()
	args := make([]*Template, n)
	for k, sp := range spans {
		t, err := p.compile(sp.start, sp.end, true)
		if err != nil {
			return nil, err
		}
		args[k] = t
	}
	fn, err := spec.build(args)
	if err != nil {
		var ae *argError
		if errors.As(err, &ae) {
			pos := dollar
			if ae.index < len(spans) {
				pos = spans[ae.index].start
			}
			e := p.errorf(pos, "%s: %s", name, ae.msg)
			e.Unsupported = ae.unsupported
			return nil, e
		}
		return nil, p.errorf(dollar, "%s: %v", name, err)
	}
	return fn, nil
}

func countText(min, max int) string {
	switch {
	case max < 0:
		return fmt.Sprintf("expected at least %d argument%s", min, plural(min))
	case min == max:
		return fmt.Sprintf("expected %d argument%s", min, plural(min))
	default:
		return fmt.Sprintf("expected %d to %d arguments", min, max)
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// argError is returned by builders for a bad literal argument; index is
// 0-based, the message names it 1-based.
type argError struct {
	index       int
	msg         string
	unsupported bool // the argument uses something gometer cannot run
}

func (e *argError) Error() string { return e.msg }

func badArg(index int, format string, args ...any) error {
	return &argError{index: index, msg: fmt.Sprintf("argument %d ", index+1) + fmt.Sprintf(format, args...)}
}
