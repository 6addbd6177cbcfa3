package extractor

import (
	"os"
	"path/filepath"
	"testing"

	"gometer/jmx"
)

// TestCorpus compiles every extractor in the shared corpus of real plans
// (skipped when the folder is absent): each one this package claims must
// build without error.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "*.jmx"))
	if len(files) == 0 {
		t.Skip("no corpus")
	}
	built := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := jmx.Parse(data, f)
		if err != nil {
			continue // the jmx package's own tests cover unparsable files
		}
		for _, root := range plan.Roots {
			jmx.Walk(root, func(e *jmx.Element) bool {
				if !Handles(e.Class()) {
					return true
				}
				if _, err := New(e); err != nil {
					t.Errorf("%v", err)
				} else {
					built++
				}
				return true
			})
		}
	}
	t.Logf("%d extractors built from %d plans", built, len(files))
}
