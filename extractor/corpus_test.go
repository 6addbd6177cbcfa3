package extractor

import (
	"testing"

	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/jmx"
)

// TestCorpus compiles every extractor in the shared corpus of real plans
// (skipped when the folder is absent): each one this package claims must
// build without error.
func TestCorpus(t *testing.T) {
	built := jmxtest.BuildCorpus(t, Handles, func(e *jmx.Element) error {
		_, err := New(e)
		return err
	})
	t.Logf("%d extractors built", built)
}
