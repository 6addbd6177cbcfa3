package skipped

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const fixture = "github.com/gometer/gometer/internal/skipped/testdata/skipdemo"

// goTest runs `go test fixture` with the go command's standard output and
// error sent to the given files (nil: the same file as stdout), and returns
// what each file holds afterwards.
func goTest(t *testing.T, stdout, stderr string, args ...string) (string, string) {
	t.Helper()
	out, err := os.Create(stdout)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	errf := out
	if stderr != "" {
		if errf, err = os.Create(stderr); err != nil {
			t.Fatal(err)
		}
		defer errf.Close()
	}
	cmd := exec.Command("go", append(append([]string{"test"}, args...), fixture)...)
	cmd.Stdout, cmd.Stderr = out, errf
	if err := cmd.Run(); err != nil {
		b, _ := os.ReadFile(stdout)
		t.Fatalf("go test %s: %v\n%s", fixture, err, b)
	}
	o, _ := os.ReadFile(stdout)
	e := o
	if stderr != "" {
		e, _ = os.ReadFile(stderr)
	}
	return string(o), string(e)
}

const want = "SKIPPED in skipdemo: 1 test(s) need the fixture thing (never present)"

// The summary reaches go test's output when that output is plain files,
// shared or not, and a package that skipped is not replayed from go test's
// cache without its summary.
func TestSummaryReachesGoTestOutputInFiles(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the go command is needed to run go test: %v", err)
	}
	dir := t.TempDir()

	// `go test ./... 2>log`: stdout a file, stderr another one.
	out, errs := goTest(t, filepath.Join(dir, "out1"), filepath.Join(dir, "err1"), "-count=1")
	if !strings.Contains(out, "ok  \t"+fixture) {
		t.Errorf("stdout lacks the ok line:\n%s", out)
	}
	if !strings.Contains(errs, want) {
		t.Errorf("stderr file lacks %q:\nstderr: %q\nstdout: %q", want, errs, out)
	}

	// `go test ./... >log 2>&1`: one file, one offset; neither line may
	// overwrite the other.
	both, _ := goTest(t, filepath.Join(dir, "both"), "", "-count=1")
	if !strings.Contains(both, want) || !strings.Contains(both, "ok  \t"+fixture) {
		t.Errorf("shared output lacks the summary or the ok line:\n%q", both)
	}

	// Twice without -count=1: the second run is not a cached "ok" without
	// the summary.
	goTest(t, filepath.Join(dir, "c1"), filepath.Join(dir, "c1e"))
	out, errs = goTest(t, filepath.Join(dir, "c2"), filepath.Join(dir, "c2e"))
	if strings.Contains(out, "(cached)") || !strings.Contains(errs, want) {
		t.Errorf("second run replayed from the cache or lost the summary:\nstdout: %q\nstderr: %q", out, errs)
	}
}
