package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gometer/gometer/engine"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/report"
	"github.com/gometer/gometer/sample"
)

// defaultProps are the JMeter 5.6.3 defaults gometer's behaviour depends on
// (bin/jmeter.properties as shipped); -p replaces them.
var defaultProps = [][2]string{
	{"summariser.name", "summary"},
	{"summariser.interval", "30"},
	{"sampleresult.timestamp.start", "true"},
}

// loadProperties builds the run's properties in JMeter's order: defaults (or
// -p), user.properties beside the plan, -q files, then -J.
func loadProperties(o *options, planPath string) (*functions.Properties, error) {
	p := functions.NewProperties()
	if o.propFile != "" {
		if err := functions.LoadPropertiesFile(o.propFile, p); err != nil {
			return nil, fmt.Errorf("properties file -p %s: %w", o.propFile, err)
		}
	} else {
		for _, d := range defaultProps {
			p.Set(d[0], d[1])
		}
	}
	if planPath != "" {
		up := filepath.Join(filepath.Dir(planPath), "user.properties")
		if _, err := os.Stat(up); err == nil {
			if err := functions.LoadPropertiesFile(up, p); err != nil {
				return nil, fmt.Errorf("%s: %w", up, err)
			}
		}
	}
	for _, q := range o.addProps {
		if err := functions.LoadPropertiesFile(q, p); err != nil {
			return nil, fmt.Errorf("properties file -q %s: %w", q, err)
		}
	}
	for _, kv := range o.props {
		p.Set(kv.name, kv.value)
	}
	return p, nil
}

// openLog returns the logger for -j/-L; without -j only warnings and errors
// reach stderr.
func openLog(o *options, stderr io.Writer) (*slog.Logger, func(), error) {
	level := slog.LevelInfo
	switch strings.ToUpper(o.logLevel) {
	case "", "INFO":
	case "DEBUG", "TRACE", "ALL":
		level = slog.LevelDebug
	case "WARN", "WARNING":
		level = slog.LevelWarn
	case "ERROR", "FATAL", "OFF":
		level = slog.LevelError
	default:
		// JMeter accepts category=level; keep the level part.
		if _, lv, ok := strings.Cut(o.logLevel, "="); ok {
			o2 := *o
			o2.logLevel = lv
			return openLog(&o2, stderr)
		}
		return nil, nil, usagef("unknown log level %q", o.logLevel)
	}
	if o.logFile == "" {
		if level < slog.LevelWarn {
			level = slog.LevelWarn
		}
		return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})), func() {}, nil
	}
	f, err := os.OpenFile(o.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("log file -j: %w", err)
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: level})), func() { f.Close() }, nil
}

func logFunc(l *slog.Logger) func(level, msg string) {
	return func(level, msg string) {
		switch strings.ToUpper(level) {
		case "DEBUG":
			l.Debug(msg)
		case "WARN", "WARNING":
			l.Warn(msg)
		case "ERROR":
			l.Error(msg)
		default:
			l.Info(msg)
		}
	}
}

// lateOutputs passes results on to outputs opened after the plan compiled
// (the -l file, the summariser). They are added before Run starts and
// closed by the caller.
type lateOutputs struct{ outs []engine.Output }

func (l *lateOutputs) Add(r *sample.Result) {
	for _, o := range l.outs {
		o.Add(r)
	}
}

func (l *lateOutputs) Close() error { return nil }

// javaDate prints a time the way JMeter 5.6's console does ("2026 Nov 26 23:12:32 UTC").
func javaDate(t time.Time) string { return t.Format("2006 Jan 02 15:04:05 MST") }

func cmdRun(o *options, stdout, stderr io.Writer) int {
	code, _ := runPlan(o, stdout, stderr, nil)
	return code
}

// runPlan runs o.plan. ready, when set, is called once the test has started
// (the demo uses it). It returns the exit code and the path of the report
// when one was written.
func runPlan(o *options, stdout, stderr io.Writer, ready func()) (int, string) {
	fail := func(format string, a ...any) (int, string) {
		fmt.Fprintf(stderr, "gometer: "+format+"\n", a...)
		return exitFailed, ""
	}
	props, err := loadProperties(o, o.plan)
	if err != nil {
		return fail("%v", err)
	}
	logger, closeLog, err := openLog(o, stderr)
	if err != nil {
		return fail("%v", err)
	}
	defer closeLog()

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

	plan, err := jmx.ParseFile(o.plan)
	if err != nil {
		return fail("cannot load %v", err)
	}
	saveCfg, err := report.SaveConfigFromProps(props)
	if err != nil {
		return fail("%v", err)
	}

	var outputs []engine.Output
	var closers []func() error
	closeAll := func() error {
		var first error
		for i := len(closers) - 1; i >= 0; i-- {
			if err := closers[i](); err != nil && first == nil {
				first = err
			}
		}
		closers = nil
		return first
	}
	defer closeAll()

	// Every result file of the run (-l and the plan's listeners) is opened
	// through one set, so listeners naming the same file share a writer.
	// The -l file and the summariser are opened only once the plan has
	// compiled: a refused plan leaves no header-only JTL and prints no
	// summary of nothing. Until then they wait in late.
	var files report.JTLFiles
	var writers []*report.JTLWriter
	late := &lateOutputs{}
	stats := report.NewStatsOutput(report.NewStats(statsOpts))
	outputs = append(outputs, late, stats)

	var test *engine.Test
	counts := func() (int, int, int) {
		if test == nil {
			return 0, 0, 0
		}
		return test.Counts()
	}
	sumCfg, err := report.SummariserConfigFromProps(props)
	if err != nil {
		return fail("%v", err)
	}

	opts := engine.Options{
		Props:           props,
		Outputs:         outputs,
		SkipUnsupported: o.skipUnsup,
		TLSVerify:       o.tlsVerify,
		Shard:           o.shard,
		Shards:          o.shards,
		Log:             logFunc(logger),
		// A listener with a filename writes its own JTL with its own saveConfig
		// and its errors-only / successes-only filter, as JMeter's does.
		OpenCollector: func(el *jmx.Element, filename string) (engine.Output, error) {
			if o.force {
				os.Remove(filename)
			}
			w, err := files.Open(filename, report.SaveConfigForListener(el, saveCfg))
			if err != nil {
				return nil, fmt.Errorf("%s (%s): %w", el.Path(), el.Where(), err)
			}
			closers = append(closers, w.Close)
			writers = append(writers, w.JTLWriter)
			return &report.FilterOutput{Out: w,
				ErrorsOnly:  el.Bool("ResultCollector.error_logging", false),
				SuccessOnly: el.Bool("ResultCollector.success_only_logging", false)}, nil
		},
	}
	test, err = engine.Compile(plan, opts)
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
	for _, w := range test.Warnings() {
		fmt.Fprintf(stderr, "gometer: skipping %s\n", w.String())
	}
	if o.results != "" {
		if o.force {
			if err := os.Remove(o.results); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fail("-f: cannot delete %s: %v", o.results, err)
			}
		}
		jtl, err := files.Open(o.results, saveCfg)
		if err != nil {
			return fail("results file: %v", err)
		}
		late.outs = append(late.outs, jtl)
		closers = append(closers, jtl.Close)
		writers = append(writers, jtl.JTLWriter)
	}
	if sumCfg.Out {
		if summariser := sumCfg.New(stdout, counts); summariser != nil {
			fmt.Fprintf(stdout, "Creating summariser <%s>\n", sumCfg.Name)
			late.outs = append(late.outs, summariser)
			closers = append(closers, summariser.Close)
		}
	}
	fmt.Fprintf(stdout, "Created the tree successfully using %s\n", o.plan)
	start := time.Now()
	fmt.Fprintf(stdout, "Starting standalone test @ %s (%d)\n", javaDate(start), start.UnixMilli())

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	grace := 10 * time.Second
	if v, ok := props.Get("gometer.shutdown_grace"); ok {
		secs, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || secs < 0 {
			return fail("property gometer.shutdown_grace=%q: want seconds", v)
		}
		grace = time.Duration(secs * float64(time.Second))
	}
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
				fmt.Fprintf(stderr, "gometer: %v received: stopping (no new samples; waiting up to %v for those in flight). Send it again to stop at once.\n", s, grace)
				cancel()
				// Samples in flight get a bounded grace period; a request
				// to a server that never answers must not keep the run alive.
				time.AfterFunc(grace, func() {
					fmt.Fprintf(stderr, "gometer: samples still in flight after %v: stopping now\n", grace)
					test.StopNow()
				})
			} else {
				fmt.Fprintf(stderr, "gometer: %v received again: stopping now\n", s)
				test.StopNow()
			}
		}
	}()
	// A results file that cannot be written stops the run: a JTL with a
	// silent gap is worse than no JTL.
	var writeErr error
	var writeMu sync.Mutex
	for _, w := range writers {
		go func(w *report.JTLWriter) {
			select {
			case <-w.Failed():
				writeMu.Lock()
				if writeErr == nil {
					writeErr = w.Err()
					fmt.Fprintf(stderr, "gometer: cannot write results to %s: %v; stopping the test\n", w.Path(), writeErr)
				}
				writeMu.Unlock()
				cancel()
			case <-ctx.Done():
			}
		}(w)
	}
	if ready != nil {
		ready()
	}
	gcDone := make(chan struct{})
	go tuneGC(test, gcDone)
	runErr := test.Run(ctx)
	close(gcDone)

	// Outputs are closed first so that the summariser's last lines come
	// before "Tidying up", as in JMeter's console.
	closeErr := closeAll()
	end := time.Now()
	fmt.Fprintf(stdout, "Tidying up ...    @ %s (%d)\n", javaDate(end), end.UnixMilli())
	if closeErr != nil {
		fmt.Fprintf(stderr, "gometer: writing results: %v\n", closeErr)
		return exitFailed, ""
	}
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		fmt.Fprintf(stderr, "gometer: %v\n", runErr)
	}
	fmt.Fprintln(stdout, "... end of run")
	fmt.Fprintln(stdout)
	// Whether the generator itself kept up: if not, part of what the table
	// shows as response time is gometer's own queueing.
	health := test.GeneratorHealth()
	fmt.Fprintln(stdout, health.String())
	logger.Info(health.String())
	if health.Saturated {
		fmt.Fprintf(stderr, "gometer: warning: the load generator was saturated (%s); response times include time requests waited in gometer\n", strings.Join(health.Reasons, "; "))
	}
	fmt.Fprintln(stdout)
	if err := report.PrintLabelTable(stdout, stats.Stats()); err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
	}

	// Thresholds are evaluated before the report so that its verdict line
	// says what the exit code says.
	var violations []report.Violation
	if len(thresholds) > 0 {
		violations = report.EvaluateThresholds(thresholds, stats.Stats())
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
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		code = exitFailed
	}
	writeMu.Lock()
	if writeErr != nil {
		code = exitFailed
	}
	writeMu.Unlock()
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
	return code, reportPath
}

// manyUsers is the number of active users from which tuneGC trades a little
// CPU for memory.
const manyUsers = 2000

// tuneGC lowers the garbage collector's headroom once a run has many users
// (unless GOGC is set): each waiting user keeps a few KB live, and Go's
// default headroom would double that (10,000 users: 234 MB at GOGC=100,
// 157 MB at 25, for about 5 % more CPU). Small runs keep the default, where
// the extra collections would cost throughput instead.
func tuneGC(test *engine.Test, done <-chan struct{}) {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	tick := time.NewTicker(time.Second)
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

// thresholdVerdict is the report's verdict line for --fail-on results.
func thresholdVerdict(v []report.Violation) *report.Verdict {
	if len(v) == 0 {
		return &report.Verdict{OK: true, Text: "PASS — every --fail-on threshold held"}
	}
	first := v[0]
	text := fmt.Sprintf("FAIL — %d threshold(s) exceeded; first: %s on %s", len(v), first.Threshold.Spec, first.Label)
	if first.Reason != "" {
		text += " (" + first.Reason + ")"
	} else if !math.IsNaN(first.Actual) {
		text += fmt.Sprintf(" (actual %.4g)", first.Actual)
	}
	return &report.Verdict{OK: false, Text: text}
}

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

// checkReportFolder refuses a non-empty folder unless force is given (the
// report generator decides what -f may clear).
func checkReportFolder(dir string, force bool) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("cannot write the report to %s: it is an existing file", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) > 0 && !force {
		return fmt.Errorf("cannot write the report to %s: the folder is not empty (use -f to replace a previous report)", dir)
	}
	return nil
}
