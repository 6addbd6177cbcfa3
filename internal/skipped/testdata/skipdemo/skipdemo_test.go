// Package skipdemo is a fixture for internal/skipped's own test: one test
// that skips for want of something, one that passes.
package skipdemo

import (
	"os"
	"testing"

	"github.com/gometer/gometer/internal/skipped"
)

func TestMain(m *testing.M) { os.Exit(skipped.Main(m, "skipdemo")) }

func TestNeedsTheFixtureThing(t *testing.T) {
	skipped.Need(t, "the fixture thing", "never present")
}

func TestRuns(t *testing.T) {}
