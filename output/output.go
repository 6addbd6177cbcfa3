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
	// Shards is how many generators share the run (--shard i/N); 0 or 1
	// when this one is alone.
	Shards int
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
	// InFlight reports the samples in progress and how long the oldest of
	// them has been waiting (a server that never answers shows here before
	// any sample ends). nil when unknown.
	InFlight func() (n int, oldest time.Duration)
	// Planned is how long the plan is scheduled to run (thread groups with a
	// scheduler); 0 when it ends on loop counts instead.
	Planned time.Duration
}

// Prop is r.Property(name), or "" when r.Property is nil.
func (r Run) Prop(name string) string {
	if r.Property == nil {
		return ""
	}
	return r.Property(name)
}

// Needs lists the parts of a sample that an output reads beyond the
// summary fields (label, times, codes, sizes, success). The engine leaves
// the others empty when no output in a sample's scope reads them, which
// saves work on every request.
type Needs struct {
	// RequestDetails: request headers, sampler data (the request text).
	RequestDetails bool
	// ResponseBodies: the response data of every sample.
	ResponseBodies bool
}

// Or is what either n or o needs.
func (n Needs) Or(o Needs) Needs {
	return Needs{RequestDetails: n.RequestDetails || o.RequestDetails, ResponseBodies: n.ResponseBodies || o.ResponseBodies}
}

// Needer is implemented by an output that reads more than the summary
// fields; the answer must follow from the output's configuration alone, so
// that it is known before the run starts. Outputs that do not implement it
// need nothing extra.
type Needer interface {
	Needs() Needs
}

// NeedsOf is what o needs (nothing when it does not say).
func NeedsOf(o Output) Needs {
	if n, ok := o.(Needer); ok {
		return n.Needs()
	}
	return Needs{}
}
