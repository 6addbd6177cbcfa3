package script

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/script/java"
)

// VarStore is a virtual user's variables (functions.Vars): strings, plus
// the objects scripts keep with vars.putObject.
type VarStore interface {
	Get(name string) (string, bool)
	Put(name, value string)
	Remove(name string)
	Names() []string
	GetObject(name string) (any, bool)
	PutObject(name string, v any)
}

// PropStore is the run's JMeter properties (functions.Properties), shared
// by every user and safe for concurrent use.
type PropStore interface {
	Get(name string) (string, bool)
	Set(name, value string)
	Remove(name string)
	Names() []string
}

// Control lets a script stop the test (ctx.getEngine().stopTest(),
// SampleResult.setStopTest … act through the result's flags instead).
type Control interface {
	StopTest(now bool)
}

// Env is one virtual user's side of the bindings. The engine keeps one per
// user and refreshes its fields before each script; the binding objects
// point to it, so they are built once per user, not per call.
type Env struct {
	Vars         VarStore
	Props        PropStore
	ThreadNum    int // 1-based, as __threadNum
	ThreadName   string
	GroupName    string
	GroupThreads int
	Iteration    int
	Prev         *sample.Result // the previous sample (nil before the first)
	SamplerName  string
	// Request is the current HTTP request, the same for every script of
	// one sample (nil result when the sampler is not HTTP).
	Request func() *HTTPRequest
	// Rename gives the current sample another label (sampler.setName in a
	// pre-processor: for this sample only, as JMeter restores the name).
	Rename  func(name string)
	Log     func(level, msg string)
	Out     io.Writer
	Control Control
	// RegexTimeout is the budget of one backtracking regex match in a
	// script (0: the default; < 0: none), as for extractors.
	RegexTimeout time.Duration
	// Monitors are the locks of `synchronized`, one table for the run so
	// that users locking a shared object (props, a string) exclude each
	// other; nil gives each compiled script its own table.
	Monitors *Monitors

	vars   Vars
	props  Props
	ctx    Ctx
	prev   SampleResult
	log    Logger
	out    Out
	smp    Sampler
	inited bool
}

func (e *Env) init() {
	if e.inited {
		return
	}
	e.inited = true
	e.vars.e, e.props.e, e.ctx.e, e.prev.e, e.log.e, e.out.e, e.smp.e = e, e, e, e, e, e, e
}

// Bind sets the bindings every JSR223 element gets (log, Label, FileName,
// Parameters, args, ctx, vars, props, OUT, sampler, prev) for the element
// called label into globals (other entries are kept: BeanShell's variables
// persist between calls).
func (e *Env) Bind(globals map[string]any, label, fileName, parameters string) {
	e.init()
	e.log.name = label
	globals["log"] = &e.log
	globals["Label"] = label
	globals["FileName"] = fileName
	globals["Parameters"] = parameters
	globals["args"] = SplitArgs(parameters)
	globals["ctx"] = &e.ctx
	globals["vars"] = &e.vars
	globals["props"] = &e.props
	globals["OUT"] = &e.out
	globals["sampler"] = e.Sampler()
	globals["prev"] = e.PrevResult()
	if e.Monitors != nil {
		globals["__monitors"] = e.Monitors
	}
	e.bindRegexTimeout(globals)
}

// bindRegexTimeout passes the regex budget to the interpreter.
func (e *Env) bindRegexTimeout(globals map[string]any) {
	if e.RegexTimeout != 0 {
		globals[java.RegexTimeoutBinding] = e.RegexTimeout
	} else {
		delete(globals, java.RegexTimeoutBinding)
	}
}

// BindFunction fills globals for the __groovy/__BeanShell/__javaScript
// functions (no Label/FileName/Parameters; threadName besides).
func (e *Env) BindFunction(globals map[string]any, name string) {
	e.init()
	clear(globals)
	e.log.name = name
	globals["log"] = &e.log
	globals["ctx"] = &e.ctx
	globals["vars"] = &e.vars
	globals["props"] = &e.props
	globals["OUT"] = &e.out
	globals["threadName"] = e.ThreadName
	globals["sampler"] = e.Sampler()
	globals["prev"] = e.PrevResult()
	e.bindRegexTimeout(globals)
}

// PrevResult is `prev`: the previous sample, nil before the first.
func (e *Env) PrevResult() any {
	e.init()
	if e.Prev == nil {
		return nil
	}
	e.prev.r = e.Prev
	return &e.prev
}

// Sampler is `sampler`: the current sampler, nil when there is none.
func (e *Env) Sampler() any {
	e.init()
	if e.SamplerName == "" && e.Request == nil {
		return nil
	}
	return &e.smp
}

// Result wraps r as a script's SampleResult.
func (e *Env) Result(r *sample.Result) *SampleResult {
	e.init()
	return &SampleResult{r: r, e: e}
}

// SplitArgs splits parameters on spaces as JMeter's JOrphanUtils.split
// (runs of spaces give no empty items).
func SplitArgs(s string) []any {
	out := make([]any, 0, strings.Count(s, " ")+1)
	for _, x := range strings.Split(s, " ") {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (e *Env) logf(level, msg string) {
	if e.Log != nil {
		e.Log(level, msg)
	}
}

// Vars is `vars` (JMeterVariables).
type Vars struct{ e *Env }

// Get returns the variable or nil (Java's null) when it is not set.
func (v *Vars) Get(name string) any {
	if s, ok := v.e.Vars.Get(name); ok {
		return s
	}
	return nil
}
func (v *Vars) Put(name string, value string) { v.e.Vars.Put(name, value) }
func (v *Vars) PutObject(name string, value any) {
	if s, ok := value.(string); ok {
		v.e.Vars.Put(name, s)
		return
	}
	v.e.Vars.PutObject(name, value)
}
func (v *Vars) GetObject(name string) any {
	if o, ok := v.e.Vars.GetObject(name); ok {
		return o
	}
	return nil
}

// Remove deletes the variable and returns its former value (or nil).
func (v *Vars) Remove(name string) any {
	old := v.GetObject(name)
	v.e.Vars.Remove(name)
	return old
}
func (v *Vars) GetIteration() int     { return v.e.Iteration }
func (v *Vars) GetThreadName() string { return v.e.ThreadName }
func (v *Vars) PutAll(m map[string]any) {
	for k, x := range m {
		v.PutObject(k, x)
	}
}

// EntrySet returns the variables as entries (getKey/getValue), sorted by name.
func (v *Vars) EntrySet() []any {
	names := v.e.Vars.Names()
	out := make([]any, 0, len(names))
	for _, n := range names {
		out = append(out, &Entry{Key: n, Value: v.GetObject(n)})
	}
	return out
}

// GetIterator is EntrySet as JMeter's getIterator.
func (v *Vars) GetIterator() []any { return v.EntrySet() }

// Entry is a Map.Entry.
type Entry struct {
	Key   string
	Value any
}

func (e *Entry) GetKey() string { return e.Key }
func (e *Entry) GetValue() any  { return e.Value }
func (e *Entry) String() string { return e.Key + "=" + ToString(e.Value) }

// Props is `props` (JMeter's java.util.Properties, shared by all users).
type Props struct{ e *Env }

func (p *Props) Get(key any) any {
	if s, ok := p.e.Props.Get(ToString(key)); ok {
		return s
	}
	return nil
}

// GetProperty returns the property, or def (when given) or nil when unset.
func (p *Props) GetProperty(key string, def ...string) any {
	if s, ok := p.e.Props.Get(key); ok {
		return s
	}
	if len(def) > 0 {
		return def[0]
	}
	return nil
}

// Put stores value's string form and returns the previous value (or nil).
func (p *Props) Put(key, value any) any {
	old := p.Get(key)
	p.e.Props.Set(ToString(key), ToString(value))
	return old
}
func (p *Props) SetProperty(key, value string) any { return p.Put(key, value) }
func (p *Props) Remove(key any) any {
	old := p.Get(key)
	p.e.Props.Remove(ToString(key))
	return old
}
func (p *Props) ContainsKey(key any) bool { _, ok := p.e.Props.Get(ToString(key)); return ok }
func (p *Props) StringPropertyNames() []any {
	names := p.e.Props.Names()
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = n
	}
	return out
}
func (p *Props) Size() int { return len(p.e.Props.Names()) }

// Ctx is `ctx` (JMeterContext).
type Ctx struct{ e *Env }

// GetThreadNum is 0-based, as JMeterContext's (unlike __threadNum).
func (c *Ctx) GetThreadNum() int       { return c.e.ThreadNum - 1 }
func (c *Ctx) GetVariables() *Vars     { return &c.e.vars }
func (c *Ctx) GetProperties() *Props   { return &c.e.props }
func (c *Ctx) GetPreviousResult() any  { return c.e.PrevResult() }
func (c *Ctx) GetCurrentSampler() any  { return c.e.Sampler() }
func (c *Ctx) GetPreviousSampler() any { return nil }
func (c *Ctx) GetThreadGroup() *Group  { return &Group{e: c.e} }
func (c *Ctx) GetThread() *Thread      { return &Thread{e: c.e} }
func (c *Ctx) GetEngine() *Engine      { return &Engine{e: c.e} }
func (c *Ctx) IsSamplingStarted() bool { return true }
func (c *Ctx) GetIteration() int       { return c.e.Iteration }
func (c *Ctx) GetThreadName() string   { return c.e.ThreadName }

// Group is ctx.getThreadGroup().
type Group struct{ e *Env }

func (g *Group) GetName() string         { return g.e.GroupName }
func (g *Group) GetNumThreads() int      { return g.e.GroupThreads }
func (g *Group) GetNumberOfThreads() int { return g.e.GroupThreads }

// Thread is ctx.getThread().
type Thread struct{ e *Env }

func (t *Thread) GetThreadName() string { return t.e.ThreadName }
func (t *Thread) GetThreadNum() int     { return t.e.ThreadNum - 1 }

// Engine is ctx.getEngine(): what a script may ask of the running test.
type Engine struct{ e *Env }

// StopTest stops the test: gracefully, or at once with stopTest(true).
func (g *Engine) StopTest(now ...bool) {
	if g.e.Control != nil {
		g.e.Control.StopTest(len(now) > 0 && now[0])
	}
}
func (g *Engine) AskThreadsToStop() { g.StopTest(false) }

// Logger is `log` (an SLF4J logger named after the element).
type Logger struct {
	e    *Env
	name string
}

func (l *Logger) emit(level, format string, args []any) {
	l.e.logf(level, l.name+": "+slf4j(format, args))
}
func (l *Logger) Info(msg any, args ...any)  { l.emit("INFO", ToString(msg), args) }
func (l *Logger) Warn(msg any, args ...any)  { l.emit("WARN", ToString(msg), args) }
func (l *Logger) Error(msg any, args ...any) { l.emit("ERROR", ToString(msg), args) }
func (l *Logger) Debug(msg any, args ...any) { l.emit("DEBUG", ToString(msg), args) }
func (l *Logger) Trace(msg any, args ...any) {}
func (l *Logger) IsDebugEnabled() bool       { return false }
func (l *Logger) IsInfoEnabled() bool        { return true }
func (l *Logger) IsWarnEnabled() bool        { return true }
func (l *Logger) IsErrorEnabled() bool       { return true }

// slf4j replaces each {} with the next argument, as SLF4J's formatter; a
// trailing error argument is appended.
func slf4j(format string, args []any) string {
	if len(args) == 0 {
		return format
	}
	var b strings.Builder
	i := 0
	for {
		j := strings.Index(format, "{}")
		if j < 0 || i >= len(args) {
			b.WriteString(format)
			break
		}
		if j > 0 && format[j-1] == '\\' {
			b.WriteString(format[:j-1])
			b.WriteString("{}")
			format = format[j+2:]
			continue
		}
		b.WriteString(format[:j])
		b.WriteString(ToString(args[i]))
		i++
		format = format[j+2:]
	}
	for ; i < len(args); i++ {
		if err, ok := args[i].(error); ok {
			b.WriteString(" ")
			b.WriteString(err.Error())
		}
	}
	return b.String()
}

// Out is `OUT` (System.out).
type Out struct{ e *Env }

func (o *Out) w() io.Writer {
	if o.e.Out == nil {
		return io.Discard
	}
	return o.e.Out
}
func (o *Out) Println(v ...any) {
	if len(v) == 0 {
		fmt.Fprintln(o.w())
		return
	}
	fmt.Fprintln(o.w(), ToString(v[0]))
}
func (o *Out) Print(v any) { fmt.Fprint(o.w(), ToString(v)) }

// AssertionResult is `AssertionResult` of a JSR223 Assertion.
type AssertionResult struct{ A *sample.AssertionResult }

func (a *AssertionResult) SetFailure(b bool)          { a.A.Failure = b }
func (a *AssertionResult) SetError(b bool)            { a.A.Error = b }
func (a *AssertionResult) SetFailureMessage(m string) { a.A.FailureMessage = m; a.A.MessageSet = true }
func (a *AssertionResult) IsFailure() bool            { return a.A.Failure }
func (a *AssertionResult) IsError() bool              { return a.A.Error }
func (a *AssertionResult) GetFailureMessage() any {
	if !a.A.MessageSet && a.A.FailureMessage == "" {
		return nil
	}
	return a.A.FailureMessage
}
func (a *AssertionResult) GetName() string  { return a.A.Name }
func (a *AssertionResult) SetName(n string) { a.A.Name = n }
func (a *AssertionResult) SetResultForFailure(m string) {
	a.A.Failure, a.A.FailureMessage, a.A.MessageSet = true, m, true
}

// MonitorKey makes `synchronized (props)` one lock for all users: each
// user's props is its own value over the run's one property set.
func (p *Props) MonitorKey() any { return p.e.Props }

// Monitors is the run's table of script locks (see Env.Monitors).
type Monitors = java.Monitors

// NewMonitors returns an empty lock table for one run.
func NewMonitors() *Monitors { return java.NewMonitors() }
