package functions

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/script"
)

// Vars is one virtual user's variables (JMeterVariables). It is not safe for
// concurrent use: each virtual user owns its own.
type Vars struct {
	m map[string]string
	// o holds the non-string values scripts store with vars.putObject;
	// nil until one does.
	o map[string]any
}

// NewVars returns an empty variable set.
func NewVars() *Vars { return &Vars{m: make(map[string]string)} }

func (v *Vars) Get(name string) (string, bool) { s, ok := v.m[name]; return s, ok }
func (v *Vars) Put(name, value string) {
	v.m[name] = value
	if v.o != nil {
		delete(v.o, name)
	}
}
func (v *Vars) Remove(name string) {
	delete(v.m, name)
	if v.o != nil {
		delete(v.o, name)
	}
}
func (v *Vars) Len() int { return len(v.m) + len(v.o) }

// PutObject stores a non-string value (JMeterVariables.putObject); Get does
// not see it, as JMeter's get() only returns strings.
func (v *Vars) PutObject(name string, value any) {
	if s, ok := value.(string); ok {
		v.Put(name, s)
		return
	}
	delete(v.m, name)
	if v.o == nil {
		v.o = make(map[string]any)
	}
	v.o[name] = value
}

// GetObject returns a value stored by Put or PutObject.
func (v *Vars) GetObject(name string) (any, bool) {
	if s, ok := v.m[name]; ok {
		return s, true
	}
	o, ok := v.o[name]
	return o, ok
}

// Clone copies the set (each thread starts with a copy of the global variables).
func (v *Vars) Clone() *Vars {
	c := &Vars{m: make(map[string]string, len(v.m))}
	for k, s := range v.m {
		c.m[k] = s
	}
	for k, o := range v.o {
		c.PutObject(k, o)
	}
	return c
}

// Names returns the variable names sorted (objects included).
func (v *Vars) Names() []string {
	out := make([]string, 0, len(v.m)+len(v.o))
	for k := range v.m {
		out = append(out, k)
	}
	for k := range v.o {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Properties are JMeter properties: one set for the whole run, shared by all
// virtual users, safe for concurrent use. Reads (every __P on every sample)
// take no lock.
type Properties struct {
	m sync.Map // string → string
}

// NewProperties returns an empty property set.
func NewProperties() *Properties { return &Properties{} }

func (p *Properties) Get(name string) (string, bool) {
	v, ok := p.m.Load(name)
	if !ok {
		return "", false
	}
	return v.(string), true
}

// GetOr returns the property or def when unset.
func (p *Properties) GetOr(name, def string) string {
	if s, ok := p.Get(name); ok {
		return s
	}
	return def
}

// IntOr returns the property as a whole number, or def when unset, not a
// number, or p is nil (JMeter's getPropDefault for an int).
func (p *Properties) IntOr(name string, def int) int {
	if p == nil {
		return def
	}
	if v, ok := p.Get(name); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			return n
		}
	}
	return def
}

func (p *Properties) Set(name, value string) { p.m.Store(name, value) }

// Swap sets the property and returns its previous value, if any.
func (p *Properties) Swap(name, value string) (string, bool) {
	old, ok := p.m.Swap(name, value)
	if !ok {
		return "", false
	}
	return old.(string), true
}

// Remove deletes a property.
func (p *Properties) Remove(name string) { p.m.Delete(name) }

// Names returns the property names sorted.
func (p *Properties) Names() []string {
	var out []string
	p.m.Range(func(k, _ any) bool {
		out = append(out, k.(string))
		return true
	})
	sort.Strings(out)
	return out
}

// Context is what a template sees when it is evaluated: the virtual user's
// variables and identity, the run's properties and shared function state.
// One Context per virtual user for the whole run (per-user function state
// such as __counter(TRUE) lives in it); it is not shared between goroutines.
// Build it with NewContext; Vars, Props, Shared and Rand may be swapped.
type Context struct {
	Vars            *Vars
	Props           *Properties
	Shared          *Shared    // run-wide state of stateful functions (global __counter, __CSVRead files …)
	Rand            *rand.Rand // per-user source of randomness
	ThreadNum       int        // 1-based number of the user within its group (__threadNum)
	ThreadName      string     // "<group> <g>-<t>"
	ThreadGroupName string
	SamplerName     string // label of the sampler being prepared (__samplerName)
	Iteration       int    // thread-group iteration, 1-based (__iterationNum)
	PlanFile        string // path of the .jmx (__TestPlanName, relative file names)
	// Previous is the last sample's response body and headers, for functions
	// such as __regexFunction; nil before the first sample.
	Previous *Previous
	// Log receives __log output; nil discards it.
	Log func(level, msg string)
	// Now is the clock of __time and the date functions; nil means time.Now.
	Now func() time.Time
	// AppendFile writes for __StringToFile (truncating first unless
	// appending); nil disables writing (the function returns "false").
	// NewContext sets WriteFileLocked.
	AppendFile func(path string, data []byte, appendTo bool) error

	// LastResult is the previous sample as scripts see it (prev); the
	// engine sets it in plans with script functions.
	LastResult *sample.Result
	// RunCtx stops a script function stuck in a loop when the test stops;
	// nil never stops.
	RunCtx context.Context
	// Halt closes when the user must stop (a graceful stop of the test):
	// a __fifoPop waiting for a value gives up then. nil never closes.
	Halt <-chan struct{}

	// senv is the user's side of the script bindings (script functions).
	senv *script.Env
	// state is per-user state of individual call sites (__counter(TRUE),
	// the current __CSVRead row …), keyed by the call site.
	state map[any]any
	// evalDepth counts nested __eval/__evalVar evaluations; evalCalls
	// those under the current outermost one, against evalBudget.
	evalDepth, evalCalls, evalBudget int
	// exprVM and exprEnv are reused by every expression this user runs.
	exprVM  *vm.VM
	exprEnv *exprEnv
}

// NewContext returns a Context with a seeded random source and the system
// clock. Any of vars, props and shared may be nil; fresh ones are created.
func NewContext(vars *Vars, props *Properties, shared *Shared) *Context {
	if vars == nil {
		vars = NewVars()
	}
	if props == nil {
		props = NewProperties()
	}
	if shared == nil {
		shared = NewShared()
	}
	return &Context{
		Vars:       vars,
		Props:      props,
		Shared:     shared,
		Rand:       rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
		ThreadNum:  1,
		Iteration:  1,
		Now:        time.Now,
		AppendFile: shared.WriteFileLocked,
	}
}

func (c *Context) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// rng returns the user's random source, creating one on first use so that a
// Context built as a struct literal still works.
func (c *Context) rng() *rand.Rand {
	if c.Rand == nil {
		c.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return c.Rand
}

func (c *Context) vars() *Vars {
	if c.Vars == nil {
		c.Vars = NewVars()
	}
	return c.Vars
}

func (c *Context) props() *Properties {
	if c.Props == nil {
		c.Props = NewProperties()
	}
	return c.Props
}

func (c *Context) shared() *Shared {
	if c.Shared == nil {
		c.Shared = NewShared()
	}
	return c.Shared
}

func (c *Context) userState(key any) any { return c.state[key] }

// UserState is this user's state of one element (key: the element's
// compiled value), nil until SetUserState.
func (c *Context) UserState(key any) any { return c.userState(key) }

// SetUserState keeps this user's state of one element.
func (c *Context) SetUserState(key, v any) { c.setUserState(key, v) }

func (c *Context) setUserState(key, v any) {
	if c.state == nil {
		c.state = make(map[any]any)
	}
	c.state[key] = v
}

// logf sends a message to the Log hook, if any.
func (c *Context) logf(level, format string, args ...any) {
	if c.Log != nil {
		c.Log(level, fmt.Sprintf(format, args...))
	}
}

// putVar stores v under the trimmed name when the name is not empty
// (the optional "variable name" argument of many functions).
func (c *Context) putVar(name, v string) {
	name = strings.TrimSpace(name)
	if name != "" {
		c.vars().Put(name, v)
	}
}

// Previous is the part of the previous sample functions may read.
type Previous struct {
	Body    []byte
	Headers string
	Code    string
	Message string
	URL     string
}
