// Package corpus finds the shared corpus of real-world plans that tests
// read in place (most of its plans carry no licence, so none is copied into
// the repository): the folder GOMETER_CORPUS names, else shared/corpus next
// to the repository's root.
package corpus

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gometer/gometer/internal/skipped"
)

// Env names the variable that points a test run (a worktree elsewhere, a
// CI checkout) to the corpus folder.
const Env = "GOMETER_CORPUS"

// Dir returns the corpus folder, or reports the test as needing it (see
// package skipped: said in the default output, never silent).
func Dir(t testing.TB) string {
	t.Helper()
	if d := find(); d != "" {
		return d
	}
	skipped.Need(t, "corpus", "../shared/corpus is not present ("+Env+" names the corpus folder)")
	return ""
}

// Plans returns the corpus's plans, or reports the test as needing them.
func Plans(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(Dir(t), "*.jmx"))
	if len(files) == 0 {
		skipped.Need(t, "corpus", "the corpus folder holds no plans ("+Env+" names the corpus folder)")
	}
	return files
}

func find() string {
	if d := os.Getenv(Env); d != "" {
		return d
	}
	// walk up from the test's package folder to the module root (go.mod)
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(filepath.Dir(dir), "shared", "corpus")
			if _, err := os.Stat(d); err == nil {
				return d
			}
			return ""
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}
