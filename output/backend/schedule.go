package backend

import (
	"sync"
	"time"
)

// Clock is the time source of the backend outputs; tests drive sends with a
// manual clock instead of waiting for real intervals.
type Clock interface {
	Now() time.Time
	// Ticker delivers a tick every d until stop is called.
	Ticker(d time.Duration) (c <-chan time.Time, stop func())
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

func (RealClock) Now() time.Time { return time.Now() }
func (RealClock) Ticker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Every calls f(now) every interval from its own goroutine, first at once
// when immediate is set (JMeter's scheduleAtFixedRate with no initial delay).
// The returned stop ends the schedule and waits for a running f.
func Every(c Clock, interval time.Duration, immediate bool, f func(now time.Time)) (stop func()) {
	ticks, stopTicker := c.Ticker(interval)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if immediate {
			f(c.Now())
		}
		for {
			select {
			case <-quit:
				return
			case now := <-ticks:
				f(now)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			stopTicker()
			close(quit)
			wg.Wait()
		})
	}
}

// ManualClock is a Clock whose ticks a test sends: Tick fires every ticker
// made from it once, at the clock's current time.
type manualTicker struct {
	c    chan time.Time
	done chan struct{}
}

type ManualClock struct {
	mu      sync.Mutex
	now     time.Time
	tickers []manualTicker
	afters  []chan time.Time
}

// NewManualClock starts at now.
func NewManualClock(now time.Time) *ManualClock { return &ManualClock{now: now} }

func (m *ManualClock) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

func (m *ManualClock) Ticker(time.Duration) (<-chan time.Time, func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := manualTicker{make(chan time.Time), make(chan struct{})}
	m.tickers = append(m.tickers, t)
	var once sync.Once
	return t.c, func() { once.Do(func() { close(t.done) }) }
}

// After fires when Expire is called (never on its own).
func (m *ManualClock) After(time.Duration) <-chan time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := make(chan time.Time, 1)
	m.afters = append(m.afters, c)
	return c
}

// Advance moves the clock forward by d.
func (m *ManualClock) Advance(d time.Duration) {
	m.mu.Lock()
	m.now = m.now.Add(d)
	m.mu.Unlock()
}

// Tick advances by d and delivers one tick to every ticker, waiting until
// each has taken it (so the tick's work has started when Tick returns);
// stopped tickers are skipped.
func (m *ManualClock) Tick(d time.Duration) {
	m.Advance(d)
	m.mu.Lock()
	ts, now := append([]manualTicker(nil), m.tickers...), m.now
	m.mu.Unlock()
	for _, t := range ts {
		select {
		case t.c <- now:
		case <-t.done:
		}
	}
}

// Expire fires every pending After.
func (m *ManualClock) Expire() {
	m.mu.Lock()
	as := m.afters
	m.afters = nil
	now := m.now
	m.mu.Unlock()
	for _, c := range as {
		c <- now
	}
}
