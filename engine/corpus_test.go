package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gometer/gometer/jmx"

	"github.com/gometer/gometer/internal/corpus"
)

// TestCorpusCompiles loads every plan of the shared corpus (when present):
// each one either compiles or fails with a list of problems naming file,
// line and element path; none panics.
func TestCorpusCompiles(t *testing.T) {
	files := corpus.Plans(t)
	ok := 0
	for _, f := range files {
		plan, err := jmx.ParseFile(f)
		if err != nil {
			t.Logf("%s: parse: %v", filepath.Base(f), err)
			continue
		}
		_, err = Compile(plan, Options{})
		if err == nil {
			ok++
			continue
		}
		ps, isProblems := err.(Problems)
		if !isProblems {
			t.Errorf("%s: error is not a problem list: %v", filepath.Base(f), err)
			continue
		}
		for _, p := range ps {
			if p.File == "" || p.Line <= 0 || p.Path == "" {
				t.Errorf("%s: problem without location: %+v", filepath.Base(f), p)
			}
		}
		if testing.Verbose() || os.Getenv("CORPUS_VERBOSE") != "" {
			t.Logf("%s:\n  %s", filepath.Base(f), strings.ReplaceAll(err.Error(), "\n", "\n  "))
		}
	}
	t.Logf("%d of %d corpus plans compile", ok, len(files))
}
