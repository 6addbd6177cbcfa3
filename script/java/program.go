// Package java interprets the Java-family scripting languages JMeter plans
// carry: Groovy (JSR223's default), JSR223 "java" and BeanShell. A script is
// parsed once by Compile into a tree whose names are already resolved; Run
// evaluates it per call with the caller's bindings. Values are plain Go
// values: string, int32 (Java int), int64 (long), float64 (double), float32,
// bool, Char, nil, []byte, *List, *Map, and Go objects from the bindings,
// whose methods are called by reflection (obj.getFoo() → GetFoo()).
//
// What the interpreter cannot run is reported by Compile with its line and
// column: unknown classes, static methods and constructs. Runtime failures
// are *Exception values carrying the Java exception class.
package java

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/extractor/jregex"
)

// Dialect selects the language rules.
type Dialect int

const (
	Groovy Dialect = iota
	Java
	BeanShell
)

func (d Dialect) String() string {
	switch d {
	case Groovy:
		return "groovy"
	case Java:
		return "java"
	case BeanShell:
		return "beanshell"
	}
	return "unknown"
}

// CompileError is a located error in a script: Line and Col are 1-based
// positions inside the script text, Construct names what is not supported
// ("class org.json.JSONObject", "method String.fooBar", "construct 'switch rule'").
type CompileError struct {
	Line, Col int
	Msg       string
	Construct string
}

func (e *CompileError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
}

// Exception is a Java exception raised (or thrown) while a script runs.
type Exception struct {
	Class   string // e.g. "java.lang.NullPointerException"
	Message string // Java's getMessage(); may be empty
	Line    int    // 1-based position in the script where it surfaced
	Col     int
	Cause   error
	hasMsg  bool
}

func (e *Exception) Error() string {
	s := e.Class
	if e.hasMsg || e.Message != "" {
		s += ": " + e.Message
	}
	if e.Line > 0 {
		s += fmt.Sprintf(" (script line %d:%d)", e.Line, e.Col)
	}
	return s
}

// Unwrap gives the cause (a Go error from a binding, for example).
func (e *Exception) Unwrap() error { return e.Cause }

// String is Java's Throwable.toString.
func (e *Exception) String() string {
	if e.hasMsg || e.Message != "" {
		return e.Class + ": " + e.Message
	}
	return e.Class
}

func newExc(class, msg string) *Exception {
	return &Exception{Class: class, Message: msg, hasMsg: true}
}

// Program is a compiled script. It is immutable and safe for concurrent Run
// calls from many users.
type Program struct {
	name    string
	src     string
	d       Dialect
	main    *funcDef
	methods map[string][]*funcDef
	classes map[string]*classDecl
	// BaseDir resolves relative file paths (java.io.File and friends); the
	// binding "__basedir" overrides it per call.
	BaseDir string
	re      jregex.Cache // patterns with the default budget
	reMore  jregex.Cache // patterns with another budget (RegexTimeoutBinding)
	mons    *Monitors    // used when the caller gives no "__monitors"
	// delegates: the script uses a builder, whose closures send
	// receiver-less calls to a delegate
	delegates bool
	// statics holds the static fields of the script's classes: like a
	// class in JMeter's cached compiled script, shared by every run
	statics sync.Map // staticKey → value
}

// RegexTimeoutBinding is the binding (a time.Duration) that sets the
// budget of one backtracking regex match: the run's
// gometer.regex_match_timeout_ms, as extractors have. Absent: jregex's
// default; negative: none.
const RegexTimeoutBinding = "__regex_timeout"

// Name is the name given to Compile.
func (p *Program) Name() string { return p.name }

// Source is the script text compiled.
func (p *Program) Source() string { return p.src }

// Compile parses src once. name is used in messages. On failure the error
// is a *CompileError, or an errors.Join of several, each with the line and
// column inside the script and the construct that is not supported.
func Compile(name, src string, d Dialect) (prog *Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			if sp, ok := r.(syntaxPanic); ok {
				prog, err = nil, sp.err
				return
			}
			prog, err = nil, &CompileError{Line: 1, Col: 1, Msg: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	groovy := d == Groovy
	toks, lerr := lex(src, 0, len(src), groovy)
	if lerr != nil {
		line, col := lineCol(src, lerr.pos)
		return nil, &CompileError{Line: line, Col: col, Msg: lerr.msg}
	}
	p := &parser{src: src, toks: toks, d: d, groovy: groovy,
		imports: map[string]*class{}, named: map[string]bool{},
		methods: map[string][]*funcDef{}, classes: map[string]*classDecl{},
		assigns: map[string]bool{}}
	for i := range toks {
		if toks[i].kind == tIdent && toks[i].text == "JsonBuilder" {
			p.builders = true
		}
	}
	main := p.parseProgram()
	p.linkClasses()
	for _, u := range p.unknown {
		if p.assigns[u.name] || knownBindings[u.name] || p.classes[u.name] != nil || p.methods[u.name] != nil {
			continue
		}
		p.errorAt(u.pos, "unknown class "+u.name, "class "+u.name)
	}
	for _, c := range p.calls {
		if p.methods[c.name] != nil || builtinFuncs[c.name] || p.assigns[c.name] || p.classes[c.name] != nil {
			continue
		}
		p.errorAt(c.pos, "unknown method "+c.name+"()", "method "+c.name)
	}
	if len(p.errs) == 1 {
		return nil, p.errs[0]
	}
	if len(p.errs) > 1 {
		errs := make([]error, len(p.errs))
		for i, e := range p.errs {
			errs[i] = e
		}
		return nil, errors.Join(errs...)
	}
	return &Program{name: name, src: src, d: d, main: main, methods: p.methods, classes: p.classes, mons: NewMonitors(), delegates: p.builders}, nil
}

// ToString renders a script value as the dialect's toString does: what a
// JSR223 sampler's return value becomes as a response body, what
// "" + value gives (Groovy prints maps as [a:1], Java as {a=1}).
func ToString(v any, d Dialect) string {
	return formatValue(v, d == Groovy)
}

// knownBindings are the capitalised names JMeter binds for scripts; they
// are variables, not classes.
var knownBindings = map[string]bool{
	"SampleResult": true, "AssertionResult": true, "OUT": true, "Label": true, "FileName": true,
	"Parameters": true, "Response": true, "ResponseCode": true, "ResponseMessage": true,
	"ResponseHeaders": true, "RequestHeaders": true, "SampleLabel": true, "SamplerData": true,
	"Failure": true, "FailureMessage": true, "ResponseData": true, "IsSuccess": true,
}

func lineCol(src string, pos int) (int, int) {
	if pos > len(src) {
		pos = len(src)
	}
	line := 1 + strings.Count(src[:pos], "\n")
	start := strings.LastIndexByte(src[:pos], '\n') + 1
	return line, 1 + len([]rune(src[start:pos]))
}

// Run executes the program with the given bindings. Reading an undeclared
// name looks it up in globals; in Groovy an assignment to an undeclared
// name writes into globals; in BeanShell every top-level variable lives in
// globals. ctx cancels a running script. The result is the value of the
// last statement or of return. A runtime failure is an *Exception.
func (p *Program) Run(ctx context.Context, globals map[string]any) (result any, err error) {
	if globals == nil {
		globals = map[string]any{}
	}
	r := &runner{ctx: ctx, prog: p, globals: globals, groovy: p.d == Groovy}
	if d, ok := globals[RegexTimeoutBinding].(time.Duration); ok {
		r.reTimeout = d
	}
	defer func() {
		if rec := recover(); rec != nil {
			result = nil
			err = &Exception{Class: "java.lang.Error", Message: fmt.Sprintf("internal interpreter error: %v", rec)}
		}
	}()
	f := &frame{slots: make([]any, p.main.nslots)}
	var last any
	for _, s := range p.main.body.list {
		v, e := r.execTop(s, f)
		if e != nil {
			if e == errReturn {
				return r.ret, nil
			}
			err := r.finish(e)
			if x, ok := err.(*Exception); ok && !r.groovy {
				// BeanShell reports it wrapped, naming the script and node
				return nil, r.evalError(x, s.p())
			}
			return nil, err
		}
		last = v
	}
	return last, nil
}

func (r *runner) finish(e error) error {
	switch x := e.(type) {
	case *Exception:
		return x
	case *ctlSig:
		what := "break"
		if x.cont {
			what = "continue"
		}
		return &Exception{Class: "java.lang.IllegalStateException", Message: what + " outside of a loop"}
	}
	return e
}

// output of println/print: the binding "__stdout" (an io.Writer) or stdout.
func (r *runner) stdout() io.Writer {
	if w, ok := r.globals["__stdout"].(io.Writer); ok {
		return w
	}
	return os.Stdout
}

func (r *runner) baseDir() string {
	if s, ok := r.globals["__basedir"].(string); ok && s != "" {
		return s
	}
	return r.prog.BaseDir
}
