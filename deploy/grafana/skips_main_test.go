package grafana

import (
	"os"
	"testing"

	"github.com/gometer/gometer/internal/skipped"
)

// TestMain ends the package's run with a line naming what was skipped
// (tests that need a server, JMeter or the corpus), visible without -v.
func TestMain(m *testing.M) { os.Exit(skipped.Main(m, "deploy/grafana")) }
