package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/engine"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/monitor"
	"github.com/gometer/gometer/output"
)

// planMonitorVar names the plan's global variables that hold monitors:
// gometer.monitors (specs separated by ';') and gometer.monitors.<any name>
// (one spec each), in the Test Plan's or a User Defined Variables element.
const planMonitorVar = "gometer.monitors"

// monitorOutputs makes the recorder of the --monitor specs (and of property
// gometer.monitors, specs separated by ';'); the series goes beside the JTL,
// or to property gometer.monitor.file. The recorder is made whenever it has
// somewhere to write, so that monitors the plan defines (known once it is
// compiled: addPlanMonitors) can join it; with none it does nothing.
func monitorOutputs(o *options, props *functions.Properties) (*monitor.Recorder, []output.Output, error) {
	specs := append([]string(nil), o.monitors...)
	specs = append(specs, splitSpecs(props.GetOr("gometer.monitors", ""))...)
	var parsed []monitor.Spec
	for _, s := range specs {
		sp, err := monitor.ParseSpec(s)
		if err != nil {
			return nil, nil, err
		}
		parsed = append(parsed, sp)
	}
	path := props.GetOr("gometer.monitor.file", "")
	if path == "" {
		if o.results == "" {
			if len(parsed) > 0 {
				return nil, nil, fmt.Errorf("--monitor needs -l (the series is written beside the JTL) or -Jgometer.monitor.file=…")
			}
			return nil, nil, nil
		}
		path = monitor.SeriesPath(o.results)
	}
	rec := monitor.NewRecorder(parsed, path)
	return rec, []output.Output{rec}, nil
}

func splitSpecs(s string) []string {
	var out []string
	for _, s := range strings.Split(s, ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// planMonitors are the monitors test defines: the rows of its PerfMon
// Metrics Collectors that name this machine (at the collector's interval,
// property jmeterPlugin.perfmon.interval), and the specs in its
// gometer.monitors variables. A spec that cannot be read is an error
// naming the variable; an empty value is no monitor (so a plan can take it
// from a property, ${__P(db_monitor,)}, and JMeter runs it unchanged).
func planMonitors(test *engine.Test, props *functions.Properties) ([]monitor.Spec, error) {
	var out []monitor.Spec
	rows := test.PerfMonRows()
	if len(rows) > 0 {
		ms, err := strconv.Atoi(strings.TrimSpace(props.GetOr(monitor.PerfMonIntervalProperty, "1000")))
		if err != nil || ms <= 0 {
			return nil, fmt.Errorf("property %s=%q: want milliseconds", monitor.PerfMonIntervalProperty, props.GetOr(monitor.PerfMonIntervalProperty, ""))
		}
		for _, r := range rows {
			// JMeter resolves functions in a listener's properties too
			params, err := test.Evaluate(r.Params)
			if err != nil {
				return nil, fmt.Errorf("%s (%s): %v", r.Path, r.Where, err)
			}
			sp, err := monitor.FromPerfMon(r.Metric, params, time.Duration(ms)*time.Millisecond)
			if err != nil {
				return nil, fmt.Errorf("%s (%s): %v", r.Path, r.Where, err)
			}
			out = append(out, sp)
		}
	}
	for _, v := range test.Globals(planMonitorVar) {
		if v[0] != planMonitorVar && !strings.HasPrefix(v[0], planMonitorVar+".") {
			continue
		}
		for _, s := range splitSpecs(v[1]) {
			sp, err := monitor.ParseSpec(s)
			if err != nil {
				return nil, fmt.Errorf("plan variable %s: %v", v[0], err)
			}
			out = append(out, sp)
		}
	}
	return out, nil
}

// addPlanMonitors joins the plan's monitors to rec; without a place for the
// series (no -l) they are a warning, not a failed run.
func addPlanMonitors(rec *monitor.Recorder, test *engine.Test, props *functions.Properties, stderr io.Writer) error {
	specs, err := planMonitors(test, props)
	if err != nil || len(specs) == 0 {
		return err
	}
	if rec == nil {
		fmt.Fprintf(stderr, "gometer: warning: the plan defines %d monitor(s); they need -l (the series is written beside the JTL) or -Jgometer.monitor.file=…, so they do not run\n", len(specs))
		return nil
	}
	rec.AddMonitors(specs...)
	return nil
}
