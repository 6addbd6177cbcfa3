// Package smoke runs the benchmark harness briefly so that it cannot rot:
// every scenario for a few seconds, gometer against whatever peers the
// machine has. The full run is by hand (bench/run.sh); see bench/README.md.
package smoke

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/skipped"
)

func TestMain(m *testing.M) { os.Exit(skipped.Main(m, "bench/smoke")) }

// smokeEnv runs the smoke: it loads both cores for a while, so the default
// `go test ./...` leaves it to .ci/run's own step.
const smokeEnv = "GOMETER_BENCH_SMOKE"

func TestHarnessSmoke(t *testing.T) {
	if os.Getenv(smokeEnv) != "1" {
		skipped.Need(t, "bench smoke", smokeEnv+"=1 runs it; .ci/run does, as a separate step")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	_, file, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(file), "..", "run.sh")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", script, "--smoke")
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("bench/run.sh --smoke did not finish in 5 minutes:\n%s", out)
	}
	if err != nil {
		t.Fatalf("bench/run.sh --smoke: %v\n%s", err, out)
	}
	text := string(out)
	// The harness prints one markdown table with a gometer row per scenario.
	if !strings.Contains(text, "| S1") || !strings.Contains(strings.ToLower(text), "gometer") {
		t.Errorf("the smoke run printed no results table:\n%s", text)
	}
	t.Logf("%s", text)
}
