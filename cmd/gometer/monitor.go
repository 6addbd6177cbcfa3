package main

import (
	"fmt"
	"strings"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/monitor"
	"github.com/gometer/gometer/output"
)

// monitorOutputs makes the recorder of the --monitor specs (and of property
// gometer.monitors, specs separated by ';'); the series goes beside the JTL,
// or to property gometer.monitor.file.
func monitorOutputs(o *options, props *functions.Properties) ([]output.Output, error) {
	specs := append([]string(nil), o.monitors...)
	for _, s := range strings.Split(props.GetOr("gometer.monitors", ""), ";") {
		if s = strings.TrimSpace(s); s != "" {
			specs = append(specs, s)
		}
	}
	if len(specs) == 0 {
		return nil, nil
	}
	var parsed []monitor.Spec
	for _, s := range specs {
		sp, err := monitor.ParseSpec(s)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, sp)
	}
	path := props.GetOr("gometer.monitor.file", "")
	if path == "" {
		if o.results == "" {
			return nil, fmt.Errorf("--monitor needs -l (the series is written beside the JTL) or -Jgometer.monitor.file=…")
		}
		path = monitor.SeriesPath(o.results)
	}
	return []output.Output{monitor.NewRecorder(parsed, path)}, nil
}
