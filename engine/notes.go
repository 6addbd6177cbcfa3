package engine

import (
	"fmt"
	"os"
	"strings"

	"github.com/gometer/gometer/jmx"
)

// Notes are elements gometer accepts without doing what they do in JMeter,
// where that is worth saying but never blocks the load (a monitoring
// listener that needs an agent on the servers). validate and run print them.
func (t *Test) Notes() []Problem { return t.notes }

// PerfMonRow is one metric row of a PerfMon Metrics Collector that names
// this machine: gometer reads it itself (package monitor) instead of asking
// a PerfMon Server Agent.
type PerfMonRow struct {
	Host, Port string
	Metric     string // the collector's type: CPU, Memory, Disks I/O, Network I/O
	Params     string // its metric parameters, e.g. "pid=1234:percent"
	Path       string // the element, for messages
	Where      string // file:line
}

// PerfMonRows are the rows of the plan's enabled PerfMon collectors that
// gometer's host and process monitors take over; the rows it cannot read
// are notes.
func (t *Test) PerfMonRows() []PerfMonRow { return t.perfmon }

// perfMonLocal are the collector's metric types gometer's monitors read on
// this machine (from /proc).
var perfMonLocal = map[string]bool{"cpu": true, "memory": true, "disks i/o": true, "network i/o": true}

// isThisHost reports whether a PerfMon row's host is the machine gometer
// runs on.
func isThisHost(h string) bool {
	h = strings.ToLower(strings.Trim(strings.TrimSpace(h), "[]"))
	switch h {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	if name, err := os.Hostname(); err == nil && h != "" {
		name = strings.ToLower(name)
		short, _, _ := strings.Cut(name, ".")
		return h == name || h == short
	}
	return false
}

// noteIgnored records a note for an ignored element that users may expect
// to do something.
func (c *compiler) noteIgnored(el *jmx.Element) {
	if el.Class() != "kg.apc.jmeter.perfmon.PerfMonCollector" {
		return
	}
	var remote []string
	seen := map[string]bool{}
	rows := 0
	for _, row := range el.Collection("metricConnections") {
		var f []string
		for _, it := range row.Items {
			f = append(f, strings.TrimSpace(it.Value))
		}
		if len(f) < 3 {
			continue
		}
		rows++
		params := ""
		if len(f) > 3 {
			params = f[3]
		}
		if isThisHost(f[0]) && perfMonLocal[strings.ToLower(f[2])] {
			c.t.perfmon = append(c.t.perfmon, PerfMonRow{Host: f[0], Port: f[1], Metric: f[2], Params: params, Path: el.Path(), Where: el.Where()})
			continue
		}
		m := f[0] + ":" + f[1] + " " + f[2]
		if params != "" {
			m += " (" + params + ")"
		}
		if !seen[m] {
			seen[m] = true
			remote = append(remote, m)
		}
	}
	if rows > 0 && len(remote) == 0 {
		return // all read by gometer's own monitors
	}
	what := "server metrics"
	if len(remote) > 0 {
		what = strings.Join(remote, ", ")
	}
	p := Problem{File: orDefault(el.File, c.plan.File), Line: el.Line, Path: el.Path(), Class: el.Class(),
		Msg: fmt.Sprintf("PerfMon Metrics Collector: gometer does not collect %s (other hosts need the PerfMon Server Agent; on this machine gometer reads CPU, Memory, Disks I/O and Network I/O itself); the load runs without it", what)}
	c.t.notes = append(c.t.notes, p)
	c.t.logf("WARN", "%s", p.String())
}
