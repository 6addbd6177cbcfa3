package monitor

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// SeriesPath is where the monitors' readings of a run whose JTL is jtl are
// written: one JSON object per line (see Line).
func SeriesPath(jtl string) string { return jtl + ".monitor.jsonl" }

// Line is one reading as stored: {"t":<Unix ms>,"src":"postgres",
// "name":"pg.commits_per_s","v":12.5,"label":"…"}.
type Line struct {
	T      int64   `json:"t"`
	Source string  `json:"src"`
	Name   string  `json:"name"`
	V      float64 `json:"v"`
	Label  string  `json:"label,omitempty"`
}

// Recorder runs monitors during a run and writes their readings to a file.
// It is a run output (output.Output) that ignores samples: the runner starts
// it with the other outputs and stops it after the last sample.
type Recorder struct {
	specs []Spec
	path  string
	open  func(context.Context, Spec) (Monitor, error)

	log    func(level, msg string)
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	f      *os.File
	w      *bufio.Writer
	enc    *json.Encoder
	failed map[string]int // failed readings per monitor
	werr   error
}

// NewRecorder records the monitors of specs into path.
func NewRecorder(specs []Spec, path string) *Recorder {
	return &Recorder{specs: specs, path: path, open: Open, failed: map[string]int{}}
}

// AddMonitors adds monitors before the run starts (those a plan defines are known
// once it is compiled). A monitor of the same kind and target as one
// already there is left out.
func (r *Recorder) AddMonitors(specs ...Spec) {
	for _, sp := range specs {
		dup := false
		for _, o := range r.specs {
			dup = dup || (o.Kind == sp.Kind && o.Target == sp.Target)
		}
		if !dup {
			r.specs = append(r.specs, sp)
		}
	}
}

// Specs are the monitors the recorder will run.
func (r *Recorder) Specs() []Spec { return r.specs }

// Start opens the series file and connects every monitor; one that cannot
// connect is a warning, never a failed run. With no monitor it does
// nothing (no file).
func (r *Recorder) Start(run output.Run) error {
	r.log = run.Log
	if r.log == nil {
		r.log = func(string, string) {}
	}
	if len(r.specs) == 0 {
		return nil
	}
	f, err := os.Create(r.path)
	if err != nil {
		return fmt.Errorf("monitor series: %w", err)
	}
	r.f, r.w = f, bufio.NewWriter(f)
	r.enc = json.NewEncoder(r.w)
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	for _, sp := range r.specs {
		cctx, c := context.WithTimeout(ctx, 5*time.Second)
		m, err := r.open(cctx, sp)
		c()
		if err != nil {
			r.log("WARN", fmt.Sprintf("monitor %s not started: %v (the test runs without it)", sp.Kind, err))
			continue
		}
		r.log("INFO", fmt.Sprintf("monitor %s every %s → %s", m.Source(), sp.Interval, r.path))
		if pg, ok := m.(*postgres); ok && !pg.Statements() {
			r.log("WARN", fmt.Sprintf("monitor %s: pg_stat_statements is not installed in this database, so no per-query figures (CREATE EXTENSION pg_stat_statements, with it in shared_preload_libraries)", m.Source()))
		}
		// the first reading is the baseline of every delta: taken before
		// Start returns, so before the first request
		r.read(m, readTimeout)
		r.wg.Add(1)
		go r.loop(ctx, m, sp.Interval)
	}
	return nil
}

// readTimeout bounds one reading. It does not depend on the interval: a
// reading that takes longer only delays the next one (the ticker drops
// ticks), while one cut short would lose the deltas of its interval.
const readTimeout = 5 * time.Second

// read takes one reading of m, with a timeout.
func (r *Recorder) read(m Monitor, timeout time.Duration) {
	rctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	pts, err := m.Sample(rctx, time.Now())
	r.write(pts)
	if err != nil {
		r.mu.Lock()
		r.failed[m.Source()]++
		n := r.failed[m.Source()]
		r.mu.Unlock()
		if n == 1 || n%100 == 0 { // not one log line per reading of a server that is down
			r.log("WARN", fmt.Sprintf("monitor %s: reading %d failed: %v", m.Source(), n, err))
		}
	}
}

// loop reads m every interval, and once more when stopped (so the run's
// last part is covered).
func (r *Recorder) loop(ctx context.Context, m Monitor, every time.Duration) {
	defer r.wg.Done()
	defer m.Close()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.read(m, readTimeout)
		case <-ctx.Done():
			r.read(m, 2*readTimeout) // the last interval's deltas
			return
		}
	}
}

func (r *Recorder) write(pts []Point) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range pts {
		if err := r.enc.Encode(Line{T: p.Time.UnixMilli(), Source: p.Source, Name: p.Name, V: p.Value, Label: p.Label}); err != nil && r.werr == nil {
			r.werr = err
		}
	}
}

// Add ignores samples: monitors read servers, not results.
func (r *Recorder) Add(*sample.Result) {}

// Stop takes a last reading of every monitor and closes the file.
func (r *Recorder) Stop() error {
	if r.cancel == nil {
		return nil
	}
	r.cancel()
	r.wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	for src, n := range r.failed {
		r.log("WARN", fmt.Sprintf("monitor %s: %d reading(s) failed", src, n))
	}
	err := r.w.Flush()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	if r.werr != nil {
		err = r.werr
	}
	return err
}
