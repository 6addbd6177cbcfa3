package console

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// schedule feeds ticks by hand: each send returns once the console took it.
type schedule struct{ c chan time.Time }

func newSchedule() *schedule { return &schedule{c: make(chan time.Time)} }

func (s *schedule) ticks(time.Duration) (<-chan time.Time, func()) { return s.c, func() {} }

var t0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func res(ms int, ok bool) *sample.Result {
	return &sample.Result{Label: "x", Elapsed: time.Duration(ms) * time.Millisecond, Success: ok}
}

// run is what the engine would report: users and samples in flight change
// over the schedule.
type runState struct {
	users, inFlight int
	oldest          time.Duration
}

func startConsole(t *testing.T, terminal bool, interval time.Duration, st *runState) (*Console, *schedule, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	s := newSchedule()
	c := New(Options{Out: &out, Terminal: terminal, Interval: interval, Ticks: s.ticks})
	err := c.Start(output.Run{Start: t0, Planned: time.Minute,
		Threads:  func() (map[string]int, int) { return nil, st.users },
		InFlight: func() (int, time.Duration) { return st.inFlight, st.oldest }})
	if err != nil {
		t.Fatal(err)
	}
	return c, s, &out
}

// On a terminal the status line is redrawn in place every second with the
// last second's figures; other lines written meanwhile clear it first; Stop
// leaves a clean line.
func TestTerminalStatusLine(t *testing.T) {
	st := &runState{users: 3, inFlight: 2, oldest: 1500 * time.Millisecond}
	c, s, out := startConsole(t, true, 30*time.Second, st)
	for i, ms := range []int{10, 20, 30, 400} {
		c.Add(res(ms, i != 3))
	}
	s.c <- t0.Add(time.Second)
	fmt.Fprint(c.Writer(), "summary +      4 in 00:00:01\n")
	st.users, st.inFlight = 5, 0
	for _, ms := range []int{5, 7} {
		c.Add(res(ms, true))
	}
	s.c <- t0.Add(3 * time.Second)
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	want := "\r\033[K00:00:01 / 00:01:00  users 3  4.0 req/s  err 25.00%  p95 400 ms  samples 4  in flight 2 (oldest 1.5s)" +
		"\r\033[Ksummary +      4 in 00:00:01\n" +
		"\r\033[K00:00:03 / 00:01:00  users 5  1.0 req/s  err 0.00%  p95 7 ms  samples 6  in flight 0" +
		"\r\033[K"
	if got := out.String(); got != want {
		t.Errorf("terminal output\n got %q\nwant %q", got, want)
	}
}

// A status line wider than the terminal is cut to fit, so that it can be
// redrawn in place.
func TestTerminalWidth(t *testing.T) {
	var out bytes.Buffer
	s := newSchedule()
	c := New(Options{Out: &out, Terminal: true, Ticks: s.ticks, Width: func() int { return 21 }})
	c.Start(output.Run{Start: t0, Planned: time.Minute})
	s.c <- t0.Add(time.Second)
	c.Stop()
	if got, want := out.String(), "\r\033[K00:00:01 / 00:01:00 \r\033[K"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Not on a terminal (a CI log), a plain line per interval, no control
// characters; a server that never answers shows users waiting.
func TestPlainLinesPerInterval(t *testing.T) {
	st := &runState{users: 10, inFlight: 10, oldest: 9 * time.Second}
	c, s, out := startConsole(t, false, 10*time.Second, st)
	for sec := 1; sec <= 25; sec++ {
		if sec <= 10 {
			c.Add(res(100, true))
		}
		if sec == 12 {
			st.oldest = 11500 * time.Millisecond
		}
		// ticks jitter by a few ms; lines stay on the interval's multiples
		s.c <- t0.Add(time.Duration(sec)*time.Second + time.Duration(sec%3)*time.Millisecond)
	}
	c.Stop()
	want := "00:00:10 / 00:01:00  users 10  1.0 req/s  err 0.00%  p95 100 ms  samples 10  in flight 10 (oldest 9.0s)\n" +
		"00:00:20 / 00:01:00  users 10  0.0 req/s  err 0.00%  p95 -  samples 10  in flight 10 (oldest 11.5s)\n"
	if got := out.String(); got != want {
		t.Errorf("plain output\n got %q\nwant %q", got, want)
	}
	if w := c.Writer(); w != out {
		t.Error("not on a terminal, other lines go straight through")
	}
}

// The percentile stays exact-enough when an interval has more samples than
// the console keeps (a uniform sample of them).
func TestPercentileOfManySamples(t *testing.T) {
	st := &runState{}
	c, s, out := startConsole(t, false, time.Second, st)
	for i := 0; i < 4*maxKept; i++ {
		c.Add(res(i%100, true)) // uniform 0..99 ms: p95 is 94
	}
	s.c <- t0.Add(time.Second)
	c.Stop()
	line := out.String()
	i := strings.Index(line, "p95 ")
	var p int
	if i < 0 {
		t.Fatalf("no p95 in %q", line)
	}
	fmt.Sscanf(line[i+4:], "%d", &p)
	if p < 92 || p > 96 {
		t.Errorf("p95 %d ms from a uniform 0..99 ms, want about 94: %q", p, line)
	}
	if !strings.Contains(line, fmt.Sprintf("samples %d", 4*maxKept)) {
		t.Errorf("sample count: %q", line)
	}
}
