package report

import (
	"testing"

	"github.com/gometer/gometer/internal/jmxtest"
)

// TestSaveConfigForCorpusListeners reads every listener of the shared real
// plans (skipped when the corpus is absent): each yields a valid
// configuration whose header the JTL reader's column names cover.
func TestSaveConfigForCorpusListeners(t *testing.T) {
	known := map[string]bool{}
	for _, n := range []string{"timeStamp", "elapsed", "label", "responseCode", "responseMessage", "threadName", "dataType", "success", "failureMessage", "bytes", "sentBytes", "grpThreads", "allThreads", "URL", "Filename", "Latency", "Encoding", "SampleCount", "ErrorCount", "Hostname", "IdleTime", "Connect"} {
		known[n] = true
	}
	n := 0
	for _, e := range jmxtest.CorpusElements(t) {
		if e.Tag != "ResultCollector" {
			continue
		}
		n++
		c := SaveConfigForListener(e, DefaultSaveConfig())
		if err := c.Validate(); err != nil {
			t.Errorf("%s (%s): %v", e.Path(), e.Where(), err)
		}
		for _, col := range splitJava(c.Header(), ",") {
			if !known[col] {
				t.Errorf("%s (%s): header column %q", e.Path(), e.Where(), col)
			}
		}
	}
	t.Logf("%d listeners checked", n)
}
