package engine

import (
	"fmt"
	"strings"

	"github.com/gometer/gometer/jmx"
)

// Notes are elements gometer accepts without doing what they do in JMeter,
// where that is worth saying but never blocks the load (a monitoring
// listener that needs an agent on the servers). validate and run print them.
func (t *Test) Notes() []Problem { return t.notes }

// noteIgnored records a note for an ignored element that users may expect
// to do something.
func (c *compiler) noteIgnored(el *jmx.Element) {
	if el.Class() != "kg.apc.jmeter.perfmon.PerfMonCollector" {
		return
	}
	var monitors []string
	seen := map[string]bool{}
	for _, row := range el.Collection("metricConnections") {
		var f []string
		for _, it := range row.Items {
			f = append(f, strings.TrimSpace(it.Value))
		}
		if len(f) < 3 {
			continue
		}
		m := f[0] + ":" + f[1] + " " + f[2]
		if len(f) > 3 && f[3] != "" {
			m += " (" + f[3] + ")"
		}
		if !seen[m] {
			seen[m] = true
			monitors = append(monitors, m)
		}
	}
	what := "server metrics"
	if len(monitors) > 0 {
		what = strings.Join(monitors, ", ")
	}
	p := Problem{File: orDefault(el.File, c.plan.File), Line: el.Line, Path: el.Path(), Class: el.Class(),
		Msg: fmt.Sprintf("PerfMon Metrics Collector: gometer does not collect %s (that needs the PerfMon Server Agent on those hosts); the load runs without it", what)}
	c.t.notes = append(c.t.notes, p)
	c.t.logf("WARN", "%s", p.String())
}
