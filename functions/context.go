// Package functions evaluates JMeter's ${} expressions: variables, properties
// and the __functions. A string is compiled once into a Template and then
// evaluated many times, once per use, against a virtual user's Context.
package functions

import (
	"math/rand/v2"
	"sort"
	"sync"
)

// Vars is one virtual user's variables (JMeterVariables). It is not safe for
// concurrent use: each virtual user owns its own.
type Vars struct {
	m map[string]string
}

// NewVars returns an empty variable set.
func NewVars() *Vars { return &Vars{m: make(map[string]string)} }

func (v *Vars) Get(name string) (string, bool) { s, ok := v.m[name]; return s, ok }
func (v *Vars) Put(name, value string)         { v.m[name] = value }
func (v *Vars) Remove(name string)             { delete(v.m, name) }
func (v *Vars) Len() int                       { return len(v.m) }

// Clone copies the set (each thread starts with a copy of the global variables).
func (v *Vars) Clone() *Vars {
	c := &Vars{m: make(map[string]string, len(v.m))}
	for k, s := range v.m {
		c.m[k] = s
	}
	return c
}

// Names returns the variable names sorted.
func (v *Vars) Names() []string {
	out := make([]string, 0, len(v.m))
	for k := range v.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Properties are JMeter properties: one set for the whole run, shared by all
// virtual users, safe for concurrent use.
type Properties struct {
	mu sync.RWMutex
	m  map[string]string
}

// NewProperties returns an empty property set.
func NewProperties() *Properties { return &Properties{m: make(map[string]string)} }

func (p *Properties) Get(name string) (string, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	s, ok := p.m[name]
	return s, ok
}

// GetOr returns the property or def when unset.
func (p *Properties) GetOr(name, def string) string {
	if s, ok := p.Get(name); ok {
		return s
	}
	return def
}

func (p *Properties) Set(name, value string) {
	p.mu.Lock()
	p.m[name] = value
	p.mu.Unlock()
}

// Names returns the property names sorted.
func (p *Properties) Names() []string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]string, 0, len(p.m))
	for k := range p.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Context is what a template sees when it is evaluated: the virtual user's
// variables and identity, the run's properties and shared function state.
// One Context per virtual user; it is not shared between goroutines.
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
}

// Previous is the part of the previous sample functions may read.
type Previous struct {
	Body    []byte
	Headers string
	Code    string
	Message string
	URL     string
}
