// Package backend holds what JMeter's backend listener clients share: the
// per-sampler and per-user metrics they aggregate between sends (with
// JMeter's windows and percentile arithmetic), the schedule that sends them,
// and the delivery that never lets a slow or dead metrics server hold the
// test back. The InfluxDB and Graphite outputs build their wire formats on
// top of it.
package backend

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/internal/descstat"
	"github.com/gometer/gometer/output"
)

// WindowMode is backend_metrics_window_mode.
type WindowMode int

const (
	// Fixed keeps the last Window response times across sends (JMeter's
	// default): averages and percentiles slide over the last N samples.
	Fixed WindowMode = iota
	// Timed clears the response times at every send: the statistics cover
	// one send interval (up to LargeWindow values).
	Timed
)

// Settings are the JMeter properties the backend listeners read.
type Settings struct {
	Window      int // backend_metrics_window (100)
	LargeWindow int // backend_metrics_large_window (5000)
	Mode        WindowMode
	Estimator   descstat.Estimator // backend_metrics_percentile_estimator (LEGACY)
}

// ReadSettings reads the metrics properties of run, with JMeter's defaults.
func ReadSettings(run output.Run) (Settings, error) {
	s := Settings{
		Window:      IntProp(run, "backend_metrics_window", 100),
		LargeWindow: IntProp(run, "backend_metrics_large_window", 5000),
	}
	if v := strings.TrimSpace(run.Prop("backend_metrics_window_mode")); v != "" {
		switch strings.ToUpper(v) {
		case "FIXED":
		case "TIMED":
			s.Mode = Timed
		default:
			return s, fmt.Errorf("property backend_metrics_window_mode=%q: want fixed or timed", v)
		}
	}
	if v := run.Prop("backend_metrics_percentile_estimator"); v != "" {
		e, err := descstat.ParseEstimator(v)
		if err != nil {
			return s, fmt.Errorf("property backend_metrics_percentile_estimator: %w", err)
		}
		s.Estimator = e
	}
	return s, nil
}

// IntProp is JMeterUtils.getPropDefault for an int: the default when unset
// or not a number.
func IntProp(run output.Run, name string, def int) int {
	v := strings.TrimSpace(run.Prop(name))
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 0, 64)
	if err != nil {
		return def
	}
	return int(n)
}

// DurationProp reads an integer property in the given unit.
func DurationProp(run output.Run, name string, def int, unit time.Duration) time.Duration {
	return time.Duration(IntProp(run, name, def)) * unit
}

// Arg is BackendListenerContext.getParameter: the argument's value, or def
// when the listener has no such argument (an empty value stays empty).
func Arg(args map[string]string, name, def string) string {
	if v, ok := args[name]; ok {
		return v
	}
	return def
}

// PercentileKey is DecimalFormat("0.##") of a percentile as JMeter keys its
// percentile maps: at most two decimals, rounded half-even on the float's
// exact binary value, no trailing zeros.
func PercentileKey(f float32) string {
	s := strconv.FormatFloat(float64(f), 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// Lifetime is the run's started and finished user counts (JMeter's
// startedT and endedT). Without them from the run, the most users seen
// active (maxSeen) stand for those started, and those no longer active for
// those finished.
func Lifetime(run output.Run, maxSeen int) (started, finished int) {
	if run.Lifetime != nil {
		return run.Lifetime()
	}
	started = maxSeen
	if run.Threads != nil {
		_, active := run.Threads()
		started = max(started, active)
		return started, started - active
	}
	return started, 0
}
