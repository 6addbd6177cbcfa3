package java

import (
	"reflect"
	"sync"
	"sync/atomic"
)

// Monitors is a table of Java monitors (the locks behind `synchronized`),
// keyed by object identity. Scripts of one test run that share objects
// (props, interned strings, classes) must share one table: the caller
// passes it in the binding "__monitors"; without it a Program uses its own.
// Entries live only while some script holds or waits for them.
type Monitors struct {
	mu sync.Mutex
	m  map[any]*monitor
}

// NewMonitors returns an empty table.
func NewMonitors() *Monitors { return &Monitors{m: map[any]*monitor{}} }

// monitor is a reentrant lock; a channel so that waiting for it can be
// abandoned when the run stops (a deadlock between scripts must not hang
// the test).
type monitor struct {
	ch    chan struct{}
	owner atomic.Pointer[runner]
	depth int // touched by the owner only
	refs  int // guarded by Monitors.mu
}

// MonitorKeyer lets a binding name the shared object it stands for (each
// user's `props` is its own Go value over the run's one property set).
type MonitorKeyer interface{ MonitorKey() any }

// monitorKey is the identity of a lock object: strings by value (Java
// interns literals), references by pointer.
func monitorKey(v any) any {
	switch x := v.(type) {
	case MonitorKeyer:
		return x.MonitorKey()
	case []byte:
		if len(x) == 0 {
			p, _ := refPointer(x)
			return p
		}
		return &x[0]
	}
	if reflect.TypeOf(v).Comparable() {
		return v
	}
	if p, ok := refPointer(v); ok {
		return p
	}
	return reflect.TypeOf(v) // an incomparable plain value: one lock per type
}

func (r *runner) monitors() *Monitors {
	if m, ok := r.globals["__monitors"].(*Monitors); ok && m != nil {
		return m
	}
	return r.prog.mons
}

// lock enters the monitor of obj; the returned func leaves it.
func (r *runner) lock(obj any) (func(), error) {
	if obj == nil {
		return nil, newExc("java.lang.NullPointerException", "synchronized on null")
	}
	t := r.monitors()
	key := monitorKey(obj)
	t.mu.Lock()
	mon := t.m[key]
	if mon == nil {
		mon = &monitor{ch: make(chan struct{}, 1)}
		t.m[key] = mon
	}
	mon.refs++
	t.mu.Unlock()
	release := func() {
		t.mu.Lock()
		if mon.refs--; mon.refs == 0 {
			delete(t.m, key)
		}
		t.mu.Unlock()
	}
	if mon.owner.Load() == r {
		mon.depth++
		return func() { mon.depth--; release() }, nil
	}
	var done <-chan struct{}
	if r.ctx != nil {
		done = r.ctx.Done()
	}
	stopped := func() error {
		release()
		return &Exception{Class: "java.lang.InterruptedException", Message: "script stopped while waiting for a lock", hasMsg: true}
	}
	select {
	case mon.ch <- struct{}{}:
		if r.ctx != nil && r.ctx.Err() != nil {
			// both were ready: a stopped script does not enter the monitor
			<-mon.ch
			return nil, stopped()
		}
	case <-done:
		return nil, stopped()
	}
	mon.owner.Store(r)
	mon.depth = 1
	return func() {
		if mon.depth--; mon.depth == 0 {
			mon.owner.Store(nil)
			<-mon.ch
		}
		release()
	}, nil
}
