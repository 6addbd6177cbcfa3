package conformance

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/internal/skipped"
)

func repoDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// TestConformance runs every plan of testdata/conformance with gometer
// against the recording target and holds it to what JMeter 5.6.3 did.
func TestConformance(t *testing.T) {
	root := repoDir()
	cases, err := LoadCases(filepath.Join(root, "testdata", "conformance"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no conformance plans found")
	}
	bin := filepath.Join(t.TempDir(), "gometer")
	if out, err := exec.Command("go", "build", "-o", bin, filepath.Join(root, "cmd", "gometer")).CombinedOutput(); err != nil {
		t.Fatalf("building gometer: %v\n%s", err, out)
	}
	agree := 0
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			want, err := ReadGolden(c.Golden())
			if err != nil {
				t.Fatalf("no golden for %s (regenerate with a real JMeter: see internal/conformance/regen): %v", c.Name, err)
			}
			got, out, err := Run(c, GometerTool(bin), t.TempDir())
			if errors.Is(err, realserver.ErrMissing) && !realserver.RequireServers() {
				skipped.Need(t, DatabaseName(c.Rules.Database), fmt.Sprintf("%s needs a database server: %v", c.Name, err))
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			d := Diff(want, got)
			if len(d) > 0 && c.Rules.Pending != "" {
				t.Skipf("known difference (%s):\n  %s", c.Rules.Pending, strings.Join(d, "\n  "))
			}
			if len(d) > 0 {
				t.Errorf("%s differs from JMeter 5.6.3:\n  %s", filepath.Base(c.Plan), strings.Join(d, "\n  "))
				return
			}
			if c.Rules.Pending != "" {
				t.Logf("%s now agrees with JMeter: remove its pending rule", c.Name)
			}
			agree++
		})
	}
	t.Logf("%d of %d conformance plans agree with JMeter 5.6.3", agree, len(cases))
	if os.Getenv("GOMETER_CONFORMANCE_SUMMARY") != "" {
		fmt.Printf("conformance: %d/%d\n", agree, len(cases))
	}
}
