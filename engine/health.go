package engine

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Health is the verdict on the load generator itself over a run: whether it
// had the CPU to keep its timers and send requests when due. A saturated
// generator queues requests and wakes users late, and that time shows up as
// response time and lost throughput although the server is not to blame.
type Health struct {
	Watched time.Duration // how long the run was watched
	Cores   int           // CPU cores the Go runtime uses (GOMAXPROCS)

	// CPU is known where the process CPU time can be read (Unix).
	CPUKnown    bool
	MeanCPU     float64 // process CPU time / (watched time × Cores), 0..1
	PeakCPU     float64 // the busiest one-second window, 0..1
	BusySeconds int     // one-second windows above HealthCPULimit
	Seconds     int     // one-second windows measured

	// Timers: every pause a user takes for the timers in scope of a sampler
	// (think time) is compared with when it should have ended.
	Pauses     int64
	LatePauses int64         // pauses that ended more than HealthLateAfter late
	MaxLag     time.Duration // the latest a pause ended
	MeanLag    time.Duration

	Saturated bool
	Reasons   []string // why Saturated, in words
}

// Thresholds of the verdict.
const (
	// HealthCPULimit: a second in which the process used more than this share
	// of its cores counts as busy.
	HealthCPULimit = 0.90
	// HealthBusyShare: the generator is saturated when more than this share
	// of the measured seconds (and at least two) were busy.
	HealthBusyShare = 0.10
	// HealthLateAfter is lateAfter: a pause that ends later than this is late.
	HealthLateAfter = lateAfter
	// HealthLateShare: the generator is saturated when more than this share
	// of the pauses (and at least ten) were late.
	HealthLateShare = 0.01
)

// String is one line for the end of a run's console output.
func (h Health) String() string {
	var b strings.Builder
	b.WriteString("generator health: ")
	if h.CPUKnown {
		fmt.Fprintf(&b, "CPU %.0f%% of %d core(s) on average, %.0f%% at peak, %d of %d s above %.0f%%",
			100*h.MeanCPU, h.Cores, 100*h.PeakCPU, h.BusySeconds, h.Seconds, 100*HealthCPULimit)
	} else {
		b.WriteString("CPU not measured on this platform")
	}
	if h.Pauses > 0 {
		fmt.Fprintf(&b, "; timers: %d pauses, %d late by more than %s, worst %s late",
			h.Pauses, h.LatePauses, HealthLateAfter, h.MaxLag.Round(time.Millisecond))
	}
	if h.Saturated {
		b.WriteString(" — SATURATED: ")
		b.WriteString(strings.Join(h.Reasons, "; "))
		b.WriteString(". Response times and throughput include time the generator itself made requests wait; use fewer users per generator, more cores, or --shard over several machines")
	} else {
		b.WriteString(" — OK")
	}
	return b.String()
}

// healthMonitor collects the figures of Health while a test runs. Timer
// figures come from noteLag (every pause); CPU from the process's CPU time,
// read once a second by a goroutine running while the test runs.
type healthMonitor struct {
	pauses, late, lagSum, lagMax atomic.Int64

	mu      sync.Mutex
	started time.Time
	ended   time.Time
	cpu0    time.Duration // process CPU time at start
	cpuEnd  time.Duration
	cpuOK   bool
	peak    float64
	busy    int
	seconds int
	stop    chan struct{}
	done    chan struct{}
}

// note records one pause that ended d after it was due.
func (m *healthMonitor) note(d time.Duration) {
	if d < 0 {
		d = 0
	}
	m.pauses.Add(1)
	m.lagSum.Add(int64(d))
	if d > lateAfter {
		m.late.Add(1)
	}
	for {
		cur := m.lagMax.Load()
		if int64(d) <= cur || m.lagMax.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}

// start begins watching the CPU; end stops it. A monitor watches one run.
func (m *healthMonitor) start() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.started = time.Now()
	m.cpu0, m.cpuOK = processCPU()
	if !m.cpuOK {
		return
	}
	m.stop, m.done = make(chan struct{}), make(chan struct{})
	go m.watch(m.stop, m.done, m.started, m.cpu0)
}

func (m *healthMonitor) watch(stop <-chan struct{}, done chan<- struct{}, last time.Time, lastCPU time.Duration) {
	defer close(done)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case now := <-tick.C:
			cpu, _ := processCPU()
			share := cpuShare(cpu-lastCPU, now.Sub(last))
			m.mu.Lock()
			m.seconds++
			if share > m.peak {
				m.peak = share
			}
			if share > HealthCPULimit {
				m.busy++
			}
			m.mu.Unlock()
			last, lastCPU = now, cpu
		}
	}
}

func (m *healthMonitor) end() {
	m.mu.Lock()
	stop, done := m.stop, m.done
	m.stop, m.done = nil, nil
	m.ended = time.Now()
	m.cpuEnd, _ = processCPU()
	m.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
}

// cpuShare is the part of the cores that cpu time over wall time used.
func cpuShare(cpu, wall time.Duration) float64 {
	if wall <= 0 {
		return 0
	}
	return float64(cpu) / (float64(wall) * float64(runtime.GOMAXPROCS(0)))
}

// health builds the verdict from what was collected so far.
func (m *healthMonitor) health() Health {
	m.mu.Lock()
	defer m.mu.Unlock()
	h := Health{Cores: runtime.GOMAXPROCS(0), CPUKnown: m.cpuOK && !m.started.IsZero()}
	end, cpuEnd := m.ended, m.cpuEnd
	if end.IsZero() { // still running
		end = time.Now()
		cpuEnd, _ = processCPU()
	}
	if !m.started.IsZero() {
		h.Watched = end.Sub(m.started)
	}
	if h.CPUKnown {
		h.MeanCPU = cpuShare(cpuEnd-m.cpu0, h.Watched)
		h.PeakCPU, h.BusySeconds, h.Seconds = m.peak, m.busy, m.seconds
		if h.Seconds == 0 { // shorter than a second: the mean is the only window
			h.PeakCPU = h.MeanCPU
		}
	}
	h.Pauses, h.LatePauses = m.pauses.Load(), m.late.Load()
	h.MaxLag = time.Duration(m.lagMax.Load())
	if h.Pauses > 0 {
		h.MeanLag = time.Duration(m.lagSum.Load() / h.Pauses)
	}
	if h.CPUKnown && h.BusySeconds >= 2 && float64(h.BusySeconds) > HealthBusyShare*float64(h.Seconds) {
		h.Reasons = append(h.Reasons, fmt.Sprintf("CPU above %.0f%% in %d of %d seconds", 100*HealthCPULimit, h.BusySeconds, h.Seconds))
	}
	if h.LatePauses >= 10 && float64(h.LatePauses) > HealthLateShare*float64(h.Pauses) {
		h.Reasons = append(h.Reasons, fmt.Sprintf("%.1f%% of timer pauses ended more than %s late (worst %s)",
			100*float64(h.LatePauses)/float64(h.Pauses), HealthLateAfter, h.MaxLag.Round(time.Millisecond)))
	}
	h.Saturated = len(h.Reasons) > 0
	return h
}

// GeneratorHealth says whether the generator kept up during Run: its CPU
// use (mean, busiest second) and how late its timers woke. Called after Run
// it covers the whole run; during Run, the run so far.
func (t *Test) GeneratorHealth() Health { return t.health.health() }
