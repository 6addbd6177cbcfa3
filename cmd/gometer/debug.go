package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gometer/gometer/engine"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/trace"
)

// cmdDebug runs the plan as one user doing one iteration of every thread
// group (or only its first --samples N samples) and prints each sample in
// full: request, response, variables set, assertions, timers.
func cmdDebug(o *options, stdout, stderr io.Writer) int {
	cfg, err := loadConfig(o, o.plan)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	plan, err := jmx.ParseFile(o.plan)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: cannot load %v\n", err)
		return exitFailed
	}
	for _, note := range oneUserOneIteration(plan) {
		fmt.Fprintf(stderr, "gometer: debug: %s\n", note)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := newTracer(o, stdout, o.debug.samples, cancel)
	logger, closeLog, err := openLog(o, stderr, "")
	if err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	defer closeLog()
	logConfig(logger, o, cfg)
	test, err := engine.Compile(plan, engine.Options{
		Props: cfg.props, Outputs: []output.Output{rec}, Trace: rec, Proxy: cfg.proxy,
		SkipUnsupported: o.skipUnsup, TLSVerify: o.tlsVerify, Log: logFunc(logger), Debug: engineDebug(logger),
		// The plan's own listeners write nothing while debugging.
		OpenListener: func(*jmx.Element) (output.Output, error) { return nil, nil },
	})
	if err != nil {
		var probs engine.Problems
		if errors.As(err, &probs) {
			fmt.Fprintf(stderr, "gometer: %s cannot run: %d problem(s):\n", o.plan, len(probs))
			for _, p := range probs {
				fmt.Fprintf(stderr, "  %s\n", p.String())
			}
			return exitFailed
		}
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	for _, w := range test.Warnings() {
		fmt.Fprintf(stderr, "gometer: skipping %s\n", w.String())
	}
	if err := rec.Start(output.Run{Plan: o.plan}); err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	runErr := test.Run(ctx)
	if err := rec.Stop(); err != nil {
		fmt.Fprintf(stderr, "gometer: writing the trace: %v\n", err)
		return exitFailed
	}
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		fmt.Fprintf(stderr, "gometer: %v\n", runErr)
		return exitFailed
	}
	shown, failed := rec.Counts()
	fmt.Fprintf(stderr, "gometer: debug: %d sample(s), %d failed\n", shown, failed)
	return exitOK
}

// newTracer is the per-sample printer of `debug` and `run --trace`, showing
// at most max samples (0: all) and calling onLimit, when set, after them.
func newTracer(o *options, w io.Writer, max int, onLimit func()) *trace.Recorder {
	return trace.New(w, trace.Options{JSON: o.debug.json, MaxSamples: max, BodyLimit: o.debug.bodyLimit, OnLimit: onLimit})
}

// oneUserOneIteration rewrites every thread group of the plan to one user,
// one iteration, no ramp-up, delay or scheduler; plugin groups become plain
// thread groups (setUp and tearDown groups stay what they are). It returns
// what it changed, for the user to read.
func oneUserOneIteration(plan *jmx.Plan) []string {
	var notes []string
	var walk func(el *jmx.Element)
	walk = func(el *jmx.Element) {
		switch {
		case el.Tag == "ThreadGroup" || el.Tag == "SetupThreadGroup" || el.Tag == "PostThreadGroup":
		case strings.HasSuffix(el.Tag, "ThreadGroup"):
			notes = append(notes, fmt.Sprintf("%s (%s) runs as a plain thread group", el.Path(), el.Where()))
			el.Tag = "ThreadGroup"
		default:
			for _, ch := range el.Children {
				walk(ch)
			}
			return
		}
		setProp(el, "ThreadGroup.num_threads", "1")
		setProp(el, "ThreadGroup.ramp_time", "0")
		setProp(el, "ThreadGroup.scheduler", "false")
		setProp(el, "ThreadGroup.delayedStart", "false")
		setProp(el, "ThreadGroup.same_user_on_next_iteration", "true")
		loop := el.Elem("ThreadGroup.main_controller")
		if loop == nil {
			loop = &jmx.Element{Tag: "LoopController", ElementType: "LoopController", Name: "ThreadGroup.main_controller", Enabled: true, Parent: el}
			el.Props = append(el.Props, &jmx.Property{Name: "ThreadGroup.main_controller", Kind: jmx.ElementProp, Elem: loop})
		}
		setProp(loop, "LoopController.loops", "1")
		setProp(loop, "LoopController.continue_forever", "false")
	}
	for _, r := range plan.Roots {
		walk(r)
	}
	return notes
}

// setProp sets a scalar property, replacing its value or adding it.
func setProp(el *jmx.Element, name, value string) {
	if p := el.Prop(name); p != nil {
		p.Value = value
		return
	}
	el.Props = append(el.Props, &jmx.Property{Name: name, Kind: jmx.StringProp, Value: value})
}
