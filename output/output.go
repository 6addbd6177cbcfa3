// Package output is the seam between a run and everything that consumes its
// samples: JTL writers, the summariser, in-run statistics, backend listeners
// (InfluxDB, Graphite), Prometheus and the live console.
//
// Every output has the same lifecycle, driven by the runner: Start once
// before the first sample, Add for every top-level sample (from many
// goroutines at once), Stop once after the last Add. Stop flushes; an output
// whose destination is slow or down drops its own copies and says so, it
// never blocks Add for long and never loses the JTL's rows.
package output

import (
	"time"

	"github.com/gometer/gometer/sample"
)

// Output consumes the samples of one run.
type Output interface {
	// Start is called once, before the first Add. An error aborts the run
	// before any request is sent.
	Start(Run) error
	// Add receives one top-level sample (sub-results hang below it). It is
	// called from many goroutines at once; it may keep r but never modifies
	// it, and returns quickly (an output with a slow destination queues).
	Add(r *sample.Result)
	// Stop is called once after the last Add; it flushes and releases.
	Stop() error
}

// Run describes the run an output is part of.
type Run struct {
	// Plan is the test plan's file name; TestName the test plan element's name.
	Plan, TestName string
	// Start is when the run started (the first user may start later).
	Start time.Time
	// Generator names this load generator (host name, or the shard) so that
	// several generators' live metrics sum correctly.
	Generator string
	// Log receives the output's own messages ("info", "warn", "error").
	Log func(level, msg string)
	// Threads reports the current user counts: active users per thread group
	// and in all. nil when unknown.
	Threads func() (byGroup map[string]int, total int)
	// Lifetime reports how many users have started and how many have
	// finished so far in the whole run (JMeter's startedThreads and
	// finishedThreads, which the backend listeners send). nil when unknown.
	Lifetime func() (started, finished int)
	// Property returns a JMeter property's value (jmeter.properties, -J,
	// -q files), "" when unset: outputs read their settings from it
	// (backend_influxdb.send_interval, backend_metrics_window, …). nil
	// means no property is set.
	Property func(name string) string
}

// Prop is r.Property(name), or "" when r.Property is nil.
func (r Run) Prop(name string) string {
	if r.Property == nil {
		return ""
	}
	return r.Property(name)
}
