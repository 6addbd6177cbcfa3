package monitor

import (
	"strings"
	"testing"
	"time"
)

// Whatever a --monitor value, a plan variable or a PerfMon row holds, the
// parsers answer with a spec or an error, never a panic, and a spec they
// accept has a kind and an interval of at least 100 ms.
func FuzzMonitorSpecs(f *testing.F) {
	for _, s := range []string{"host", "process:12", "process:name=java#1", "postgres://u:p@h:5432/db?interval=2s&top=5",
		"redis://:pw@h:6379/0", "http://127.0.0.1:9/metrics?interval=1s", "https://[::1]:9/x", "process:name=#", "http://",
		"postgres://%zz", "host?interval=1ns", "CPU\x00pid=1", "Memory\x00name=a#-1", "Disks I/O\x00pid=3:reads", "JMX\x00x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if sp, err := ParseSpec(s); err == nil && (sp.Kind == "" || sp.Interval < 100*time.Millisecond) {
			t.Errorf("ParseSpec(%q) = %+v", s, sp)
		}
		metric, params, _ := strings.Cut(s, "\x00")
		if sp, err := FromPerfMon(metric, params, time.Second); err == nil && (sp.Kind != "host" && sp.Kind != "process") {
			t.Errorf("FromPerfMon(%q, %q) = %+v", metric, params, sp)
		}
	})
}
