package assertion

import (
	"testing"

	"gometer/internal/jmxtest"
)

// TestCorpus compiles every assertion in the shared corpus of real plans
// (skipped when the folder is absent): each one this package claims must
// build without error.
func TestCorpus(t *testing.T) {
	built := 0
	for _, e := range jmxtest.CorpusElements(t) {
		if !Handles(e.Class()) {
			continue
		}
		if _, err := New(e); err != nil {
			t.Errorf("%v", err)
		} else {
			built++
		}
	}
	t.Logf("%d assertions built", built)
}
