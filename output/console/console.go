// Package console is the live view of a run on gometer's standard output:
// on a terminal a status line redrawn every second, like k6's; otherwise
// (a CI log) a plain line at the summariser's interval. It shows elapsed
// and planned time, active users, the last interval's request rate, error
// share and 95th percentile, the samples so far, and the samples in flight
// with the age of the oldest — so a server that never answers shows users
// waiting instead of silence.
package console

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// Options configure a console.
type Options struct {
	// Out receives the status (gometer's standard output).
	Out io.Writer
	// Terminal: Out is a terminal; the status line is redrawn in place
	// every second. Otherwise a plain line is written every Interval.
	Terminal bool
	// Interval between plain lines (the summariser's interval); 0: 30 s.
	Interval time.Duration
	// Width is the terminal's width in columns (0: unknown); a longer
	// status line is cut, since a wrapped one cannot be redrawn in place.
	Width func() int
	// Ticks returns the clock's ticks, one a second, and a function that
	// stops them; nil uses a real ticker. Tests give a schedule as data.
	Ticks func(every time.Duration) (<-chan time.Time, func())
}

// maxKept bounds the response times kept per interval for the percentile;
// past it a uniform sample of them is kept (reservoir).
const maxKept = 1 << 16

// Console is an output.Output.
type Console struct {
	opt Options
	run output.Run

	mu        sync.Mutex
	lineShown bool // a status line is on the terminal (not ended by a newline)
	total     int64
	n, errs   int64    // samples and errors in the current interval
	elapsed   []uint32 // response times (ms) in the current interval, at most maxKept
	seen      int64    // response times offered to elapsed in this interval
	rnd       *rand.Rand
	from      time.Time // start of the current interval
	next      time.Time // when the next plain line is due (not on a terminal)

	stopTicks func()
	quit      chan struct{}
	done      chan struct{}
}

// New returns a console writing to o.Out.
func New(o Options) *Console {
	if o.Interval <= 0 {
		o.Interval = 30 * time.Second
	}
	if o.Ticks == nil {
		o.Ticks = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		}
	}
	return &Console{opt: o, rnd: rand.New(rand.NewPCG(1, 2))}
}

func (c *Console) Start(run output.Run) error {
	c.run = run
	c.from = run.Start
	c.next = run.Start.Add(c.opt.Interval)
	ticks, stop := c.opt.Ticks(time.Second)
	c.stopTicks = stop
	c.quit = make(chan struct{})
	c.done = make(chan struct{})
	go func() {
		defer close(c.done)
		for {
			select {
			case now, ok := <-ticks:
				if !ok {
					return
				}
				c.tick(now)
			case <-c.quit:
				return
			}
		}
	}()
	return nil
}

func (c *Console) Add(r *sample.Result) {
	n, errs := 1, 0
	if r.SampleCount > 0 {
		n, errs = r.SampleCount, r.ErrorCount
	} else if !r.Success {
		errs = 1
	}
	ms := r.Elapsed.Milliseconds()
	c.mu.Lock()
	c.total += int64(n)
	c.n += int64(n)
	c.errs += int64(errs)
	c.seen++
	v := uint32(min(max(ms, 0), 1<<32-1))
	if len(c.elapsed) < maxKept {
		c.elapsed = append(c.elapsed, v)
	} else if i := c.rnd.Int64N(c.seen); i < maxKept {
		c.elapsed[i] = v
	}
	c.mu.Unlock()
}

// tick draws the status line (terminal) or writes a line when an interval
// is over (otherwise).
func (c *Console) tick(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.opt.Terminal {
		// Lines fall on multiples of the interval from the start, as the
		// summariser's do, whatever the ticks' jitter.
		if now.Before(c.next) {
			return
		}
		for !now.Before(c.next) {
			c.next = c.next.Add(c.opt.Interval)
		}
	}
	line := c.status(now)
	if c.opt.Terminal {
		if c.opt.Width != nil {
			if w := c.opt.Width(); w > 1 && len(line) >= w {
				line = line[:w-1]
			}
		}
		fmt.Fprintf(c.opt.Out, "\r\033[K%s", line)
		c.lineShown = true
	} else {
		fmt.Fprintf(c.opt.Out, "%s\n", line)
	}
	c.n, c.errs, c.seen = 0, 0, 0
	c.elapsed = c.elapsed[:0]
	c.from = now
}

// status is the line for the interval ending now; c.mu is held.
func (c *Console) status(now time.Time) string {
	var b strings.Builder
	el := now.Sub(c.run.Start)
	b.WriteString(clock(el))
	if c.run.Planned > 0 {
		b.WriteString(" / " + clock(c.run.Planned))
	}
	if c.run.Threads != nil {
		_, users := c.run.Threads()
		fmt.Fprintf(&b, "  users %d", users)
	}
	secs := now.Sub(c.from).Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(c.n) / secs
	}
	fmt.Fprintf(&b, "  %.1f req/s", rate)
	errPct := 0.0
	if c.n > 0 {
		errPct = 100 * float64(c.errs) / float64(c.n)
	}
	fmt.Fprintf(&b, "  err %.2f%%", errPct)
	if len(c.elapsed) > 0 {
		slices.Sort(c.elapsed)
		// nearest rank
		k := max(0, (95*len(c.elapsed)+99)/100-1)
		fmt.Fprintf(&b, "  p95 %d ms", c.elapsed[k])
	} else {
		b.WriteString("  p95 -")
	}
	fmt.Fprintf(&b, "  samples %d", c.total)
	if c.run.InFlight != nil {
		n, oldest := c.run.InFlight()
		fmt.Fprintf(&b, "  in flight %d", n)
		if n > 0 {
			fmt.Fprintf(&b, " (oldest %s)", age(oldest))
		}
	}
	return b.String()
}

// Stop ends the ticks and clears the status line, so that what follows
// (the summariser's last lines, the end summary) starts on a clean line.
func (c *Console) Stop() error {
	if c.done != nil {
		c.stopTicks()
		close(c.quit)
		<-c.done
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clearLocked()
	return nil
}

func (c *Console) clearLocked() {
	if c.lineShown {
		io.WriteString(c.opt.Out, "\r\033[K")
		c.lineShown = false
	}
}

// Writer returns a writer for the other lines written to the same output
// during the run (the summariser's): on a terminal each write first clears
// the status line, which the next tick draws again below.
func (c *Console) Writer() io.Writer {
	if !c.opt.Terminal {
		return c.opt.Out
	}
	return consoleWriter{c}
}

type consoleWriter struct{ c *Console }

func (w consoleWriter) Write(p []byte) (int, error) {
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	w.c.clearLocked()
	return w.c.opt.Out.Write(p)
}

// clock prints a duration as hh:mm:ss.
func clock(d time.Duration) string {
	s := int64(d / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// age prints how long a request has been waiting.
func age(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return clock(d)
}
