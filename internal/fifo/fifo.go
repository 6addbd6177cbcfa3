// Package fifo holds the named string queues of jmeter-plugins'
// Inter-Thread Communication (the __fifoPut/__fifoPop/__fifoGet/__fifoSize
// functions and the FIFO pre- and post-processors): one set of queues for
// the whole run, shared by every user of every thread group.
//
// A pop waits for a value like the plugin's blocking poll, up to its
// timeout, but unlike the plugin it also gives up when the run stops, so a
// user waiting on a queue nobody fills never holds the run open.
package fifo

import (
	"context"
	"sync"
	"time"
)

// Plugin property names (seconds; capacity in items).
const (
	PropTimeout  = "kg.apc.jmeter.functions.FifoTimeout"
	PropCapacity = "kg.apc.jmeter.functions.FifoCapacity"
)

// Interrupted is what the plugin stores and returns when a blocked put or
// pop is interrupted (here: when the run stops).
const Interrupted = "INTERRUPTED"

// Map is the run's queues by name. The zero value is not usable: use New.
type Map struct {
	mu       sync.Mutex
	queues   map[string]*queue
	capacity func() int // items per queue, read when a queue is made; <= 0: unbounded
}

type queue struct {
	items   []string
	head    int
	changed chan struct{} // closed and replaced on every put and pop
}

// New returns an empty set of queues; capacity (may be nil) is asked for
// each new queue's capacity, as the plugin reads its property then.
func New(capacity func() int) *Map {
	return &Map{queues: map[string]*queue{}, capacity: capacity}
}

// Stop says when a blocked put or pop must give up: either channel closing
// or the context ending stops it (nil members never do).
type Stop struct {
	Ctx  context.Context
	Halt <-chan struct{}
}

func (s Stop) done() <-chan struct{} {
	if s.Ctx == nil {
		return nil
	}
	return s.Ctx.Done()
}

// get returns the queue called name, making it; m.mu is held.
func (m *Map) get(name string) *queue {
	q := m.queues[name]
	if q == nil {
		q = &queue{changed: make(chan struct{})}
		m.queues[name] = q
	}
	return q
}

func (q *queue) len() int { return len(q.items) - q.head }

func (q *queue) notify() {
	close(q.changed)
	q.changed = make(chan struct{})
}

func (m *Map) limit() int {
	if m.capacity == nil {
		return 0
	}
	return m.capacity()
}

// Put appends v to the queue called name. When the queue is full (a
// capacity is set) it waits for a pop; it returns false if stop ends the
// wait first.
func (m *Map) Put(name, v string, stop Stop) bool {
	m.mu.Lock()
	q := m.get(name)
	for {
		if c := m.limit(); c <= 0 || q.len() < c {
			break
		}
		ch := q.changed
		m.mu.Unlock()
		select {
		case <-ch:
		case <-stop.done():
			return false
		case <-stop.Halt:
			return false
		}
		m.mu.Lock()
		q = m.get(name) // a Clear may have replaced it
	}
	q.items = append(q.items, v)
	q.notify()
	m.mu.Unlock()
	return true
}

// PopResult says how a Pop ended.
type PopResult uint8

const (
	Popped    PopResult = iota // a value was taken
	TimedOut                   // the timeout passed with the queue empty
	Interrupt                  // stop ended the wait
)

// Pop takes the oldest value of the queue called name, waiting up to
// timeout for one (timeout < 0: no limit; 0: no wait).
func (m *Map) Pop(name string, timeout time.Duration, stop Stop) (string, PopResult) {
	var expired <-chan time.Time
	m.mu.Lock()
	for {
		q := m.get(name)
		if q.len() > 0 {
			v := q.items[q.head]
			q.items[q.head] = ""
			q.head++
			if q.head == len(q.items) {
				q.items, q.head = q.items[:0], 0
			} else if q.head > 64 && q.head*2 > len(q.items) {
				q.items, q.head = append(q.items[:0:0], q.items[q.head:]...), 0
			}
			q.notify()
			m.mu.Unlock()
			return v, Popped
		}
		if timeout == 0 {
			m.mu.Unlock()
			return "", TimedOut
		}
		ch := q.changed
		m.mu.Unlock()
		if expired == nil && timeout > 0 {
			t := time.NewTimer(timeout)
			defer t.Stop()
			expired = t.C
		}
		select {
		case <-ch:
		case <-expired:
			return "", TimedOut
		case <-stop.done():
			return "", Interrupt
		case <-stop.Halt:
			return "", Interrupt
		}
		m.mu.Lock()
	}
}

// Peek returns the oldest value of the queue called name without taking
// it, "" when the queue is empty (as __fifoGet).
func (m *Map) Peek(name string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	q := m.get(name)
	if q.len() == 0 {
		return ""
	}
	return q.items[q.head]
}

// Len is the number of values in the queue called name.
func (m *Map) Len(name string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.get(name).len()
}

// Clear empties every queue (the plugin's processors do at test start and
// end); waiters are woken and see empty queues.
func (m *Map) Clear() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for name, q := range m.queues {
		q.notify()
		delete(m.queues, name)
	}
}

// Timeout converts the plugin's timeout in seconds (a Java long) to a
// Pop timeout: a negative or zero number does not wait, and one too large
// for a time.Duration (the default Long.MAX_VALUE) waits without limit.
func Timeout(seconds int64) time.Duration {
	const most = int64(1<<63-1) / int64(time.Second)
	switch {
	case seconds <= 0:
		return 0
	case seconds >= most:
		return -1
	}
	return time.Duration(seconds) * time.Second
}
