// Package runner is the one run pipeline that `gometer run`, the demo and
// bench/profile share: it reads the run's settings from the properties,
// compiles the plan, makes every output (the -l JTL, the plan's own result
// files, the summariser, the end-of-run statistics, Backend Listeners, and
// live outputs such as Prometheus and the console), tells the engine what
// they read, starts them, runs, stops them in order and prints JMeter's end
// of run with gometer's summary. The caller maps the Result to exit codes.
//
// Outputs that must not lose a sample (JTL files, statistics, summariser)
// get every sample in the engine's delivery goroutine; live outputs get a
// bounded queue each (dropping the oldest when their destination is slow),
// so a metrics server that hangs never slows the users.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/engine"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/flexfile"
	"github.com/gometer/gometer/output/prometheus"
	"github.com/gometer/gometer/report"
	"github.com/gometer/gometer/sampler"
)

// Config is one run.
type Config struct {
	// PlanPath is the .jmx file; Props the run's properties, loaded by the
	// caller (defaults or -p, user.properties, -q, -J).
	PlanPath string
	Props    *functions.Properties
	// Results is the -l file ("" none); Force deletes result files first.
	Results string
	Force   bool

	SkipUnsupported, TLSVerify bool
	Shard, Shards              int
	// StartAt, when set, is when the load starts (shards start together).
	StartAt time.Time
	// Proxy is the run-wide HTTP proxy, nil for none.
	Proxy *sampler.Proxy
	// Stats configures the end-of-run statistics (percentiles).
	Stats report.StatsOptions

	// Backends makes Backend Listener clients by class name (see
	// InfluxDBClient …); a plan's listener whose class is missing is an
	// unsupported element.
	Backends map[string]BackendFactory
	// Outputs are more lossless outputs for the whole run: they get every
	// sample, in the engine's delivery goroutine, so they must be quick.
	Outputs []output.Output
	// Live are more outputs for the whole run that may lose samples rather
	// than slow the test (Prometheus, the console): each gets a bounded
	// queue (gometer.output.queue_size) that drops the oldest when full.
	Live []output.Output
	// Trace, when set, is the engine's tracer (`run --trace N`); it is
	// usually also one of Outputs, where it gets the samples it prints.
	Trace engine.Tracer

	// Stdout receives JMeter's console lines and the end summary; Stderr
	// gometer's warnings. Log receives the run's log messages.
	Stdout, Stderr io.Writer
	Log            func(level, msg string)
	// Debug, when set, receives the engine's DEBUG lines (engine.Options.Debug).
	Debug func(msg string)
	// Ready is called once the test has started.
	Ready func()
}

// Default queue settings of live outputs (properties
// gometer.output.queue_size and gometer.output.stop_timeout).
const (
	defaultLiveQueue  = 10000
	defaultOutputWait = 10 * time.Second
	defaultGrace      = 10 * time.Second
)

// Runner is a compiled run, ready to start.
type Runner struct {
	cfg        Config
	plan       *jmx.Plan
	test       *engine.Test
	saveCfg    report.SaveConfig
	files      report.JTLFiles
	outs       []*slot
	stats      *report.StatsOutput
	errors     *report.TopErrors
	grace      time.Duration
	outputWait time.Duration
	liveQueue  int
	summariser string // the summariser's name, "" when there is none

	mu      sync.Mutex
	writers []*report.JTLWriter // result files, watched for write failures
}

// slot is one output of the run, with the name its messages use.
type slot struct {
	name     string
	out      output.Output
	lossless bool
	queue    *queued // live outputs
	started  bool
}

func (r *Runner) add(name string, o output.Output, lossless bool) *slot {
	s := &slot{name: name, out: o, lossless: lossless}
	if q, ok := o.(*queued); ok {
		s.queue = q
	}
	r.outs = append(r.outs, s)
	return s
}

// New loads and compiles the plan and makes the run's outputs. A plan that
// cannot run returns engine.Problems; nothing is written then.
func New(cfg Config) (*Runner, error) {
	if cfg.Props == nil {
		cfg.Props = functions.NewProperties()
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	if cfg.Log == nil {
		cfg.Log = func(string, string) {}
	}
	r := &Runner{cfg: cfg}
	p := cfg.Props
	var err error
	if r.grace, err = seconds(p, "gometer.shutdown_grace", defaultGrace); err != nil {
		return nil, err
	}
	if r.outputWait, err = seconds(p, "gometer.output.stop_timeout", defaultOutputWait); err != nil {
		return nil, err
	}
	r.liveQueue = defaultLiveQueue
	if v, ok := p.Get("gometer.output.queue_size"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("property gometer.output.queue_size=%q: want a positive number of samples", v)
		}
		r.liveQueue = n
	}
	if r.saveCfg, err = report.SaveConfigFromProps(p); err != nil {
		return nil, err
	}
	sumCfg, err := report.SummariserConfigFromProps(p)
	if err != nil {
		return nil, err
	}
	backends, err := propertyBackends(p)
	if err != nil {
		return nil, err
	}
	if r.plan, err = jmx.ParseFile(cfg.PlanPath); err != nil {
		return nil, fmt.Errorf("cannot load %w", err)
	}

	// Run-wide outputs. The -l file and the summariser are made at Start,
	// so that a refused plan leaves no header-only JTL and prints no
	// summary of nothing; what they read is known now from their
	// configuration.
	var global []output.Output
	if cfg.Results != "" {
		path := cfg.Results
		l := &lazy{needs: r.saveCfg.Needs(), make: func(output.Run) (output.Output, error) {
			if cfg.Force {
				if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
					return nil, fmt.Errorf("-f: cannot delete %s: %w", path, err)
				}
			}
			w, err := r.files.Open(path, r.saveCfg)
			if err != nil {
				return nil, err
			}
			r.watch(w.JTLWriter)
			return w, nil
		}}
		r.add("results file "+path, l, true)
		global = append(global, l)
	}
	r.stats = report.NewStatsOutput(report.NewStats(cfg.Stats))
	r.add("statistics", r.stats, true)
	r.errors = report.NewTopErrors()
	r.add("error summary", r.errors, true)
	global = append(global, r.stats, r.errors)
	if sumCfg.Out && sumCfg.Name != "" {
		r.summariser = sumCfg.Name
		l := &lazy{make: func(output.Run) (output.Output, error) {
			return sumCfg.New(cfg.Stdout, r.counts), nil
		}}
		r.add("summariser", l, true)
		global = append(global, l)
	}
	for _, b := range backends {
		q, err := r.newBackend("backend listener "+b.kind+" (properties "+BackendPropertyPrefix+b.kind+".*)", b.class, b.args, defaultBackendQueue)
		if err != nil {
			return nil, fmt.Errorf("property %s%s.*: %w", BackendPropertyPrefix, b.kind, err)
		}
		global = append(global, q)
	}
	for i, o := range cfg.Outputs {
		r.add(fmt.Sprintf("output %d (%T)", i+1, o), o, true)
		global = append(global, o)
	}
	for i, o := range cfg.Live {
		q := newQueued(o, r.liveQueue, r.outputWait)
		r.add(fmt.Sprintf("live output %d (%T)", i+1, o), q, false)
		global = append(global, q)
	}

	r.test, err = engine.Compile(r.plan, engine.Options{
		Props:           p,
		Outputs:         global,
		OpenListener:    r.openListener,
		SkipUnsupported: cfg.SkipUnsupported,
		TLSVerify:       cfg.TLSVerify,
		Proxy:           cfg.Proxy,
		Shard:           cfg.Shard,
		Shards:          cfg.Shards,
		StartAt:         cfg.StartAt,
		Log:             cfg.Log,
		Trace:           cfg.Trace,
		Debug:           cfg.Debug,
	})
	if err != nil {
		r.release()
		return nil, err
	}
	return r, nil
}

// openListener makes the output of a listener element of the plan.
func (r *Runner) openListener(el *jmx.Element) (output.Output, error) {
	switch el.Class() {
	case "ResultCollector":
		// A listener with a filename writes its own JTL with its own
		// saveConfig and its errors-only / successes-only filter, as
		// JMeter's does; listeners naming one file share its writer.
		name := strings.TrimSpace(el.Str("filename"))
		if name == "" {
			return nil, nil
		}
		if r.cfg.Force {
			os.Remove(name)
		}
		w, err := r.files.Open(name, report.SaveConfigForListener(el, r.saveCfg))
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", el.Path(), el.Where(), err)
		}
		r.watch(w.JTLWriter)
		f := &report.FilterOutput{Out: w,
			ErrorsOnly:  el.Bool("ResultCollector.error_logging", false),
			SuccessOnly: el.Bool("ResultCollector.success_only_logging", false)}
		r.add("listener "+el.Path()+" ("+name+")", f, true)
		return f, nil
	case flexfile.Class:
		// jmeter-plugins' Flexible File Writer: its own record format
		w, err := flexfile.New(el, r.cfg.Props)
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", el.Path(), el.Where(), err)
		}
		r.add("flexible file writer "+el.Path(), w, true)
		return w, nil
	case "BackendListener":
		return r.newBackend("backend listener "+el.Path(), strings.TrimSpace(el.Str("classname")), listenerArgs(el), backendQueue(el))
	case prometheus.PluginClass:
		// The JMeter Prometheus plugin's listener: its collectors on
		// prometheus.ip:prometheus.port, behind a bounded queue like a
		// Backend Listener.
		cols := prometheus.PluginCollectors(el)
		l := &lazy{needs: prometheus.PluginNeeds(cols), make: func(run output.Run) (output.Output, error) {
			return prometheus.NewPlugin(cols, run)
		}}
		q := newQueued(l, r.liveQueue, r.outputWait)
		r.add("prometheus listener "+el.Path(), q, false)
		return q, nil
	}
	return nil, nil
}

func (r *Runner) watch(w *report.JTLWriter) {
	r.mu.Lock()
	r.writers = append(r.writers, w)
	r.mu.Unlock()
}

// release stops the outputs made for a run that will not start (they hold
// files opened at compile time).
func (r *Runner) release() {
	for _, s := range r.outs {
		if _, isLazy := s.out.(*lazy); !isLazy && s.queue == nil {
			_ = s.out.Stop()
		}
	}
	r.outs = nil
}

// Test is the compiled test (warnings, counts).
func (r *Runner) Test() *engine.Test { return r.test }

// Grace is how long samples in flight may take after a graceful stop
// (gometer.shutdown_grace) before they are cancelled.
func (r *Runner) Grace() time.Duration { return r.grace }

// StopNow stops the test at once: samples in flight are cancelled.
func (r *Runner) StopNow() { r.test.StopNow() }

func (r *Runner) counts() (int, int, int) { return r.test.Counts() }

// Result is how a run went.
type Result struct {
	// Err is the engine's error (a cancelled context is none).
	Err error
	// WriteErr is set when a results file could not be written during the
	// run (which stopped it).
	WriteErr error
	// StopErr joins the errors of lossless outputs when they stopped
	// (flushing a JTL failed): their results are incomplete.
	StopErr error
	// Stats are the end-of-run statistics (every JTL row).
	Stats *report.Stats
	// Dropped is, for each live output that lost samples (its destination
	// was slower than the test), how many.
	Dropped map[string]int64
	// Health says whether the generator kept up.
	Health engine.Health
}

// Run starts the outputs, runs the test until it ends or ctx is cancelled
// (then samples in flight get Grace before they are cancelled), stops the
// outputs and prints the end of the run. The error is set when the run
// could not start (an output failed to start); nothing was sent then.
func (r *Runner) Run(ctx context.Context) (*Result, error) {
	out := r.cfg.Stdout
	if r.summariser != "" {
		fmt.Fprintf(out, "Creating summariser <%s>\n", r.summariser)
	}
	fmt.Fprintf(out, "Created the tree successfully using %s\n", r.cfg.PlanPath)
	start := time.Now()
	if err := r.start(start); err != nil {
		r.stop()
		return nil, err
	}
	fmt.Fprintf(out, "Starting standalone test @ %s (%d)\n", javaDate(start), start.UnixMilli())

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A graceful stop gives samples in flight a bounded time: a request to
	// a server that never answers must not keep the run alive.
	ended := make(chan struct{})
	defer close(ended)
	go func() {
		select {
		case <-ctx.Done():
		case <-ended:
			return
		}
		tm := time.NewTimer(r.grace)
		defer tm.Stop()
		select {
		case <-tm.C:
			fmt.Fprintf(r.cfg.Stderr, "gometer: samples still in flight after %v: stopping now\n", r.grace)
			r.test.StopNow()
		case <-ended:
		}
	}()
	// A results file that cannot be written stops the run: a JTL with a
	// silent gap is worse than no JTL.
	var writeErr error
	var writeMu sync.Mutex
	r.mu.Lock()
	writers := append([]*report.JTLWriter(nil), r.writers...)
	r.mu.Unlock()
	for _, w := range writers {
		go func() {
			select {
			case <-w.Failed():
				writeMu.Lock()
				if writeErr == nil {
					writeErr = w.Err()
					fmt.Fprintf(r.cfg.Stderr, "gometer: cannot write results to %s: %v; stopping the test\n", w.Path(), writeErr)
				}
				writeMu.Unlock()
				cancel()
			case <-ended:
			}
		}()
	}
	if r.cfg.Ready != nil {
		r.cfg.Ready()
	}
	gcDone := make(chan struct{})
	go tuneGC(r.test, gcDone)
	runErr := r.test.Run(ctx)
	close(gcDone)
	if errors.Is(runErr, context.Canceled) {
		runErr = nil
	}

	// Outputs stop first so that the summariser's last lines come before
	// "Tidying up", as in JMeter's console.
	res := &Result{Err: runErr, Stats: r.stats.Stats()}
	res.StopErr, res.Dropped = r.stop()
	writeMu.Lock()
	res.WriteErr = writeErr
	writeMu.Unlock()
	end := time.Now()
	fmt.Fprintf(out, "Tidying up ...    @ %s (%d)\n", javaDate(end), end.UnixMilli())
	if res.StopErr != nil {
		fmt.Fprintf(r.cfg.Stderr, "gometer: writing results: %v\n", res.StopErr)
		return res, nil
	}
	if runErr != nil {
		fmt.Fprintf(r.cfg.Stderr, "gometer: %v\n", runErr)
	}
	fmt.Fprintln(out, "... end of run")
	fmt.Fprintln(out)
	// Whether the generator itself kept up: if not, part of what the table
	// shows as response time is gometer's own queueing.
	res.Health = r.test.GeneratorHealth()
	fmt.Fprintln(out, res.Health.String())
	r.cfg.Log("INFO", res.Health.String())
	if res.Health.Saturated {
		fmt.Fprintf(r.cfg.Stderr, "gometer: warning: the load generator was saturated (%s); response times include time requests waited in gometer\n", strings.Join(res.Health.Reasons, "; "))
	}
	fmt.Fprintln(out)
	if err := report.PrintLabelTable(out, res.Stats); err != nil {
		fmt.Fprintf(r.cfg.Stderr, "gometer: %v\n", err)
	}
	r.errors.Print(out, 5)
	for _, name := range slices.Sorted(maps.Keys(res.Dropped)) {
		fmt.Fprintf(out, "%s: %d sample(s) dropped (its destination was slower than the test)\n", name, res.Dropped[name])
	}
	return res, nil
}

// start starts every output in order; the first failure aborts the run.
func (r *Runner) start(at time.Time) error {
	gen, _ := os.Hostname()
	if r.cfg.Shards > 1 {
		gen = fmt.Sprintf("%s-%d", gen, r.cfg.Shard)
	}
	run := output.Run{
		Plan:      r.cfg.PlanPath,
		Start:     at,
		Generator: gen,
		Shards:    r.cfg.Shards,
		Log:       r.cfg.Log,
		Threads:   r.test.GroupCounts,
		Lifetime: func() (int, int) {
			_, started, finished := r.test.Counts()
			return started, finished
		},
		Property: func(name string) string { return r.cfg.Props.GetOr(name, "") },
		InFlight: r.test.InFlight,
		Planned:  r.test.Planned(),
	}
	if tp := r.plan.TestPlan(); tp != nil {
		run.TestName = tp.Name
	}
	for _, s := range r.outs {
		if err := s.out.Start(run); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		s.started = true
	}
	return nil
}

// stop stops the started outputs, live ones first (the console clears its
// status line), then the others in reverse order of starting; it returns
// the joined errors of lossless outputs and the drops of live ones. The
// errors of live outputs are warnings: the test's results are complete.
func (r *Runner) stop() (error, map[string]int64) {
	var errs []error
	dropped := map[string]int64{}
	var mu sync.Mutex // stopOne runs for live outputs at once
	stopOne := func(s *slot) {
		if !s.started {
			if s.queue == nil {
				if _, isLazy := s.out.(*lazy); !isLazy {
					_ = s.out.Stop() // release what the constructor opened
				}
			}
			return
		}
		s.started = false
		err := s.out.Stop()
		mu.Lock()
		defer mu.Unlock()
		if s.queue != nil {
			if n := s.queue.Dropped(); n > 0 {
				dropped[s.name] = n
				r.cfg.Log("WARN", fmt.Sprintf("%s: %d sample(s) dropped: its destination was slower than the test", s.name, n))
			}
		}
		if err == nil {
			return
		}
		if s.lossless {
			errs = append(errs, err)
			return
		}
		r.cfg.Log("WARN", fmt.Sprintf("%s: %v", s.name, err))
		fmt.Fprintf(r.cfg.Stderr, "gometer: warning: %s: %v\n", s.name, err)
	}
	// Live outputs stop together: each may wait for its destination (up
	// to gometer.output.stop_timeout), and those waits must not add up.
	var wg sync.WaitGroup
	for _, s := range r.outs {
		if !s.lossless {
			wg.Go(func() { stopOne(s) })
		}
	}
	wg.Wait()
	for i := len(r.outs) - 1; i >= 0; i-- {
		if r.outs[i].lossless {
			stopOne(r.outs[i])
		}
	}
	return errors.Join(errs...), dropped
}

// seconds reads a property in seconds (fractions allowed).
func seconds(p *functions.Properties, name string, def time.Duration) (time.Duration, error) {
	v, ok := p.Get(name)
	if !ok || strings.TrimSpace(v) == "" {
		return def, nil
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || secs < 0 {
		return 0, fmt.Errorf("property %s=%q: want seconds", name, v)
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// javaDate prints a time the way JMeter 5.6's console does ("2026 Nov 26 23:12:32 UTC").
func javaDate(t time.Time) string { return t.Format("2006 Jan 02 15:04:05 MST") }

// manyUsers is the number of active users from which tuneGC trades a little
// CPU for memory. It is reached well before a ramp-up of a thousand users
// ends, so that the peak the run reaches is already under the lower
// headroom (1,000 users holding WebSocket connections: 45 MB peak at the
// default, 40 MB so).
const manyUsers = 500

// tuneGC lowers the garbage collector's headroom once a run has many users
// (unless GOGC is set): each waiting user keeps a few KB live, and Go's
// default headroom would double that (10,000 users: 234 MB at GOGC=100,
// 157 MB at 25, for about 5 % more CPU). Small runs keep the default, where
// the extra collections would cost throughput instead. It looks every half
// second so a fast ramp-up does not outrun it.
func tuneGC(test *engine.Test, done <-chan struct{}) {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			if active, _, _ := test.Counts(); active >= manyUsers {
				debug.SetGCPercent(25)
				return
			}
		}
	}
}
