package script

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/gometer/gometer/script/java"
)

// Program is one compiled script. It is immutable and safe for concurrent
// use: every Run gets its own globals.
type Program struct {
	Lang Language
	Name string
	r    runner
}

// runner is what each engine compiles a script into.
type runner interface {
	run(ctx context.Context, globals map[string]any) (any, error)
}

// CompileError is a script the interpreter cannot compile: a syntax error,
// or a class, method or construct gometer does not run. Line and Col are
// 1-based positions inside the script text (0 when unknown).
type CompileError struct {
	Lang      Language
	Name      string // the element or function the script belongs to
	Line, Col int
	Msg       string
	Construct string // the construct named, e.g. "org.json.JSONObject"
}

func (e *CompileError) Error() string {
	var b strings.Builder
	b.WriteString(e.Lang.String())
	b.WriteString(" script")
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d:%d", e.Line, e.Col)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Construct != "" && !strings.Contains(e.Msg, e.Construct) {
		fmt.Fprintf(&b, " (%s)", e.Construct)
	}
	return b.String()
}

// Compile compiles src in lang. name identifies the script in messages.
// A failure is a *CompileError (several joined with errors.Join when the
// interpreter reports more than one).
func Compile(lang Language, name, src string) (*Program, error) {
	var (
		r   runner
		err error
	)
	if c := findUnsupported(src); c != nil {
		c.Lang, c.Name = lang, name
		return nil, c
	}
	switch lang {
	case JavaScript:
		r, err = compileJS(name, src)
	default:
		r, err = compileJava(name, src, lang)
	}
	if err != nil {
		return nil, err
	}
	return &Program{Lang: lang, Name: name, r: r}, nil
}

// Run runs the program with the given globals (the bindings). For the Java
// family, undeclared assignments of a Groovy script and a BeanShell
// script's top-level variables are written into globals; JavaScript's
// globals are dropped after the run. ctx stops a script stuck in a loop.
func (p *Program) Run(ctx context.Context, globals map[string]any) (any, error) {
	return p.r.run(ctx, globals)
}

// RunError is an exception a script raised (or the interpreter raised for
// it) while it ran.
type RunError struct {
	Lang    Language
	Class   string // Java class of the exception, e.g. java.lang.NullPointerException
	Message string
	Line    int
	Col     int
	Err     error  // the interpreter's own error
	Script  string // the text that ran (Java-family scripts)
}

func (e *RunError) Error() string {
	s := e.Class
	if e.Message != "" {
		if s != "" {
			s += ": "
		}
		s += e.Message
	}
	if e.Line > 0 {
		s += fmt.Sprintf(" (script line %d:%d)", e.Line, e.Col)
	}
	return s
}

func (e *RunError) Unwrap() error { return e.Err }

// JMeterString renders the error as JMeter shows the exception of a
// JSR223 element (ScriptException.toString()): the text JMeter puts in a
// failed sampler's response message or a failed assertion's message.
func (e *RunError) JMeterString() string {
	msg := e.Class
	if e.Message != "" {
		if msg != "" {
			msg += ": "
		}
		msg += e.Message
	}
	if e.Lang == Groovy && java.IsError(e.Class) {
		// Groovy's engine wraps Exceptions only: an Error (AssertionError,
		// JUnit's ComparisonFailure…) reaches JMeter as itself
		return msg
	}
	return "javax.script.ScriptException: " + msg
}

// BeanShell is BeanShell 2.0b6's description of the failure of a Java or
// BeanShell script (nil for other languages).
func (e *RunError) BeanShell() *java.EvalError {
	var ee *java.EvalError
	if errors.As(e.Err, &ee) {
		return ee
	}
	return nil
}

// BeanShellString renders the error as a BeanShell element shows it
// (JMeterException.toString() around BeanShell's EvalError message); file
// is the element's script file ("" for its inline script).
func (e *RunError) BeanShellString(file string) string {
	const prefix = "org.apache.jorphan.util.JMeterException: Error invoking bsh method: "
	ee := e.BeanShell()
	if ee == nil {
		return prefix + "eval\t" + e.Error()
	}
	if file != "" {
		return prefix + "source\t" + ee.Message(file)
	}
	return prefix + "eval\t" + ee.Message(java.InlineSource(e.Script))
}

// JSR223String renders the error as a JSR223 element shows it. A Java or
// BeanShell script runs on BeanShell's JSR223 engine, whose
// ScriptException carries BeanShell's full EvalError text; fromFile: the
// script was read from the element's file.
func (e *RunError) JSR223String(fromFile bool) string {
	if ee := e.BeanShell(); ee != nil {
		source := java.FileSource
		if !fromFile {
			source = java.InlineSource(e.Script)
		}
		return ee.ScriptException(source)
	}
	return e.JMeterString()
}

// Stopped reports whether err is the run being stopped by its context.
func Stopped(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrStopped)
}

// ErrStopped is returned when a run was interrupted by its context.
var ErrStopped = errors.New("script stopped: the test is stopping")

// findUnsupported names, at load time, a change to the current sampler
// that gometer does not make (sampler.setImageParser …), instead of failing
// on every sample.
func findUnsupported(src string) *CompileError {
	const recv = "sampler"
	for i := 0; ; {
		j := strings.Index(src[i:], recv)
		if j < 0 {
			return nil
		}
		at := i + j
		i = at + len(recv)
		if at > 0 && (isIdent(src[at-1]) || src[at-1] == '.') {
			continue
		}
		k := i
		for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
			k++
		}
		if k >= len(src) || src[k] != '.' {
			continue
		}
		k++
		for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
			k++
		}
		start := k
		for k < len(src) && isIdent(src[k]) {
			k++
		}
		method := src[start:k]
		if samplerMethods[method] {
			continue
		}
		if strings.HasPrefix(method, "set") || strings.HasPrefix(method, "add") || strings.HasPrefix(method, "remove") || strings.HasPrefix(method, "clear") {
			line, col := position(src, at)
			return &CompileError{Line: line, Col: col, Construct: recv + "." + method,
				Msg: "changing the current sampler from a script (" + recv + "." + method + ") is not supported"}
		}
	}
}

// samplerMethods are the methods of `sampler`, as scripts name them.
var samplerMethods = func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeOf(&Sampler{})
	for i := 0; i < t.NumMethod(); i++ {
		n := t.Method(i).Name
		m[strings.ToLower(n[:1])+n[1:]] = true
	}
	return m
}()

func isIdent(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// position converts a byte offset into a 1-based line and column.
func position(src string, off int) (line, col int) {
	line = 1 + strings.Count(src[:off], "\n")
	col = off - strings.LastIndexByte(src[:off], '\n')
	return line, col
}
