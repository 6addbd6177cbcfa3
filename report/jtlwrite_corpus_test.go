package report

import (
	"os"
	"path/filepath"
	"testing"

	"gometer/jmx"
)

// TestSaveConfigForCorpusListeners reads every listener of the shared real
// plans (skipped when the corpus is absent): each yields a valid
// configuration whose header the JTL reader's column names cover.
func TestSaveConfigForCorpusListeners(t *testing.T) {
	files, _ := filepath.Glob("/work/shared/corpus/*.jmx")
	if len(files) == 0 {
		t.Skip("corpus not present")
	}
	known := map[string]bool{}
	for _, n := range []string{"timeStamp", "elapsed", "label", "responseCode", "responseMessage", "threadName", "dataType", "success", "failureMessage", "bytes", "sentBytes", "grpThreads", "allThreads", "URL", "Filename", "Latency", "Encoding", "SampleCount", "ErrorCount", "Hostname", "IdleTime", "Connect"} {
		known[n] = true
	}
	n := 0
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			continue
		}
		plan, err := jmx.ParseFile(f)
		if err != nil {
			continue // the parser's own tests judge the plans
		}
		for _, r := range plan.Roots {
			jmx.Walk(r, func(e *jmx.Element) bool {
				if e.Tag != "ResultCollector" {
					return true
				}
				n++
				c := SaveConfigForListener(e, DefaultSaveConfig())
				if err := c.Validate(); err != nil {
					t.Errorf("%s %s: %v", f, e.Path(), err)
				}
				for _, col := range splitJava(c.Header(), ",") {
					if !known[col] {
						t.Errorf("%s %s: header column %q", f, e.Path(), col)
					}
				}
				return true
			})
		}
	}
	t.Logf("%d listeners checked", n)
}
