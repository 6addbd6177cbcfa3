package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gometer/gometer/engine"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/console"
	"github.com/gometer/gometer/output/graphite"
	"github.com/gometer/gometer/output/influxdb"
	"github.com/gometer/gometer/output/prometheus"
	"github.com/gometer/gometer/report"
	"github.com/gometer/gometer/runner"
	"github.com/gometer/gometer/trace"
	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalWidth returns the current width of terminal w (0 when unknown).
func terminalWidth(w io.Writer) func() int {
	return func() int {
		f, ok := w.(*os.File)
		if !ok {
			return 0
		}
		cols, _, err := term.GetSize(int(f.Fd()))
		if err != nil {
			return 0
		}
		return cols
	}
}

// backendFactories are the Backend Listener clients gometer runs, by
// JMeter class name (a plan's BackendListener elements and the
// gometer.backend.* properties).
func backendFactories() map[string]runner.BackendFactory {
	return map[string]runner.BackendFactory{
		runner.InfluxDBClient:    influxdb.New,
		runner.InfluxDBRawClient: influxdb.NewRaw,
		runner.GraphiteClient:    graphite.New,
	}
}

func cmdRun(o *options, stdout, stderr io.Writer) int {
	code, _ := runPlan(o, stdout, stderr, nil)
	return code
}

// runPlan runs o.plan through the runner. ready, when set, is called once
// the test has started (the demo uses it). It returns the exit code and the
// path of the report when one was written.
func runPlan(o *options, stdout, stderr io.Writer, ready func()) (int, string) {
	fail := func(format string, a ...any) (int, string) {
		fmt.Fprintf(stderr, "gometer: "+format+"\n", a...)
		return exitFailed, ""
	}
	cfg, err := loadConfig(o, o.plan)
	if err != nil {
		return fail("%v", err)
	}
	props := cfg.props
	logger, closeLog, err := openLog(o, stderr, defaultLogFile)
	if err != nil {
		return fail("%v", err)
	}
	defer closeLog()
	logConfig(logger, o, cfg)

	thresholds, err := report.ParseThresholds(thresholdSpecs(o, props))
	if err != nil {
		fmt.Fprintf(stderr, "gometer: --fail-on: %v\n", err)
		return exitUsage, ""
	}
	statsOpts, err := statsOptions(o, props)
	if err != nil {
		return fail("%v", err)
	}
	// Report preconditions are checked before anything runs, as JMeter does.
	if o.report {
		if err := checkReportFolder(o.reportOut, o.force); err != nil {
			return fail("%v", err)
		}
		if !o.force {
			if fi, err := os.Stat(o.results); err == nil && fi.Size() > 0 {
				return fail("results file %s is not empty: a report needs a fresh file (use -f to delete it first)", o.results)
			}
		}
	}

	var startAt time.Time
	if o.startAt != "" {
		if startAt, err = parseStartAt(o.startAt); err != nil {
			return fail("%v", err)
		}
	}
	live, err := liveOutputs(o, props)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: --prometheus-listen: %v\n", err)
		return exitUsage, ""
	}
	if !o.quiet {
		// The live status shares stdout with JMeter's console lines: on a
		// terminal they go through it, so that they never land inside the
		// status line.
		sumCfg, err := report.SummariserConfigFromProps(props)
		if err != nil {
			return fail("%v", err)
		}
		c := console.New(console.Options{Out: stdout, Terminal: isTerminal(stdout), Interval: sumCfg.Interval, Width: terminalWidth(stdout)})
		live = append(live, c)
		stdout = c.Writer()
	}
	recorder, monitors, err := monitorOutputs(o, props)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitUsage, ""
	}
	var tracer *trace.Recorder
	if o.debug.trace > 0 {
		w := stderr
		if o.debug.traceFile != "" {
			f, err := os.Create(o.debug.traceFile)
			if err != nil {
				return fail("--trace-file: %v", err)
			}
			defer f.Close()
			w = f
		}
		// The run goes on once the first N samples are shown.
		tracer = newTracer(o, w, o.debug.trace, nil)
		monitors = append(monitors, tracer)
	}
	r, err := runner.New(runner.Config{
		PlanPath:        o.plan,
		Props:           props,
		Results:         o.results,
		Force:           o.force,
		SkipUnsupported: o.skipUnsup,
		TLSVerify:       o.tlsVerify,
		Proxy:           cfg.proxy,
		Shard:           o.shard,
		Shards:          o.shards,
		StartAt:         startAt,
		Stats:           statsOpts,
		Backends:        backendFactories(),
		Live:            live,
		Outputs:         withSampleLog(monitors, logger),
		Stdout:          stdout,
		Stderr:          stderr,
		Log:             logFunc(logger.With(categoryKey, "gometer.engine")),
		Debug:           engineDebug(logger),
		Ready:           ready,
		Trace:           traceOrNil(tracer),
	})
	if err != nil {
		var probs engine.Problems
		if errors.As(err, &probs) {
			fmt.Fprintf(stderr, "gometer: %s cannot run: %d problem(s):\n", o.plan, len(probs))
			skippable := false
			for _, p := range probs {
				fmt.Fprintf(stderr, "  %s\n", p.String())
				skippable = skippable || strings.Contains(p.Msg, "unsupported")
			}
			if skippable {
				fmt.Fprintln(stderr, "gometer: fix the plan, or run with --skip-unsupported to skip the unsupported elements")
			}
			return exitFailed, ""
		}
		return fail("%v", err)
	}
	if err := addPlanMonitors(recorder, r.Test(), props, stderr); err != nil {
		return fail("%v", err)
	}
	for _, w := range r.Test().Warnings() {
		fmt.Fprintf(stderr, "gometer: skipping %s\n", w.String())
	}
	for _, n := range r.Test().Notes() {
		fmt.Fprintf(stderr, "gometer: note: %s\n", n.String())
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	var stopSignal os.Signal
	var sigMu sync.Mutex
	go func() {
		n := 0
		for s := range sigs {
			n++
			sigMu.Lock()
			if stopSignal == nil {
				stopSignal = s
			}
			sigMu.Unlock()
			if n == 1 {
				fmt.Fprintf(stderr, "gometer: %v received: stopping (no new samples; waiting up to %v for those in flight). Send it again to stop at once.\n", s, r.Grace())
				cancel()
			} else {
				fmt.Fprintf(stderr, "gometer: %v received again: stopping now\n", s)
				r.StopNow()
			}
		}
	}()
	res, err := r.Run(ctx)
	if err != nil {
		return fail("%v", err)
	}
	if res.StopErr != nil {
		return exitFailed, ""
	}

	// Thresholds are evaluated before the report so that its verdict line
	// says what the exit code says.
	var violations []report.Violation
	if len(thresholds) > 0 {
		violations = report.EvaluateThresholds(thresholds, res.Stats)
	}
	reportPath := ""
	if o.report {
		ropts := report.GenerateOptions{Props: props, Force: o.force, Title: o.title}
		if len(thresholds) > 0 {
			ropts.Verdict = thresholdVerdict(violations)
		}
		if _, err := report.Generate([]string{o.results}, o.reportOut, ropts); err != nil {
			fmt.Fprintf(stderr, "gometer: report: %v\n", err)
			return exitFailed, ""
		}
		reportPath = filepath.Join(o.reportOut, "index.html")
		fmt.Fprintf(stdout, "Report: %s\n", reportPath)
	}

	code := exitOK
	if res.Err != nil || res.WriteErr != nil {
		code = exitFailed
	}
	if len(violations) > 0 {
		fmt.Fprintln(stdout)
		report.PrintViolations(stdout, violations)
		code = exitThresholds
	}
	sigMu.Lock()
	s := stopSignal
	sigMu.Unlock()
	switch s {
	case syscall.SIGINT:
		fmt.Fprintln(stderr, "gometer: the run was stopped by SIGINT; results so far are written")
		code = exitSIGINT
	case syscall.SIGTERM:
		fmt.Fprintln(stderr, "gometer: the run was stopped by SIGTERM; results so far are written")
		code = exitSIGTERM
	}
	if err := writeRunRecord(o, o.plan, res.Stats, startAt, r.Test(), res.Health, code); err != nil {
		fmt.Fprintf(stderr, "gometer: writing the shard's run record: %v\n", err)
		code = exitFailed
	}
	return code, reportPath
}

// traceOrNil keeps a nil *trace.Recorder a nil engine.Tracer.
func traceOrNil(t *trace.Recorder) engine.Tracer {
	if t == nil {
		return nil
	}
	return t
}

// thresholdVerdict is the report's verdict line for --fail-on results.
func thresholdVerdict(v []report.Violation) *report.Verdict { return report.ThresholdVerdict(v) }

func thresholdSpecs(o *options, props *functions.Properties) []string {
	specs := append([]string(nil), o.failOn...)
	if s, ok := props.Get("gometer.fail_on"); ok {
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
			if part = strings.TrimSpace(part); part != "" {
				specs = append(specs, part)
			}
		}
	}
	return specs
}

func statsOptions(o *options, props *functions.Properties) (report.StatsOptions, error) {
	if o.percentile != "" {
		props.Set("gometer.percentiles", o.percentile)
	}
	return report.StatsOptionsFromProps(props)
}

// checkReportFolder refuses, before the run, a folder the report step would
// refuse after it: non-empty without -f, or holding files gometer did not
// write.
func checkReportFolder(dir string, force bool) error {
	return report.CheckOutputDir(dir, force)
}

// liveOutputs are the run-wide live outputs the command line asks for: the
// Prometheus endpoint (--prometheus-listen or gometer.prometheus.listen).
func liveOutputs(o *options, props *functions.Properties) ([]output.Output, error) {
	addr := o.promListen
	if addr == "" {
		addr = strings.TrimSpace(props.GetOr(prometheus.ListenProperty, ""))
	}
	if addr == "" {
		return nil, nil
	}
	p, err := prometheus.New(addr, output.Run{})
	if err != nil {
		return nil, err
	}
	return []output.Output{p}, nil
}
