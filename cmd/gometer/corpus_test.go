package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/skipped"
)

// TestCorpusValidate runs `gometer validate` over the public plans of
// ../shared/corpus (when the folder is there) and records, per plan, whether
// gometer accepts it. Every plan either validates (exit 0) or lists what
// stops it with file and line (exit 1); none panics. The README states the
// figure; fewer accepted plans than it says is a regression.
func TestCorpusValidate(t *testing.T) {
	dir := os.Getenv("GOMETER_CORPUS") // a worktree elsewhere can point to the corpus
	if dir == "" {
		dir = repoFile("..", "shared", "corpus")
	}
	plans, _ := filepath.Glob(filepath.Join(dir, "*.jmx"))
	if len(plans) == 0 {
		skipped.Need(t, "corpus", dir+" is not present (GOMETER_CORPUS names the corpus folder)")
	}
	const readmeFigure = 32 // "of the 55 public plans … 32 validate clean" (README)
	// The plans that validated clean when the figure was taken (by number):
	// one of them refused later is a regression, named here.
	wantClean := map[string]bool{}
	for _, n := range strings.Fields("01 02 03 04 06 07 08 09 10 11 12 13 14 16 18 19 20 21 22 24 26 27 29 30 31 35 36 38 39 40 41 42 43 48 53 55") {
		wantClean[n] = true
	}
	accepted := 0
	var table strings.Builder
	for _, p := range plans {
		res := runGometer(t, t.TempDir(), 60*time.Second, "validate", p)
		name := filepath.Base(p)
		num, _, _ := strings.Cut(name, "-")
		switch res.code {
		case 0:
			accepted++
			table.WriteString("  ok       " + name + "\n")
		case 1:
			out := res.stdout + res.stderr
			if !strings.Contains(out, name+":") {
				t.Errorf("%s: refused without naming the file and line:\n%s", name, out)
			}
			if wantClean[num] {
				t.Errorf("%s validated clean before and is refused now:\n%s", name, out)
			}
			table.WriteString("  refused  " + name + ": " + strings.Join(corpusReasons(out), "; ") + "\n")
		default:
			t.Errorf("%s: validate exit %d\n%s%s", name, res.code, res.stdout, res.stderr)
		}
		if strings.Contains(res.stderr, "panic:") || strings.Contains(res.stderr, "goroutine ") {
			t.Errorf("%s: Go panic or stack trace:\n%s", name, res.stderr)
		}
	}
	t.Logf("corpus: %d of %d plans validate clean\n%s", accepted, len(plans), table.String())
	if accepted < readmeFigure {
		t.Errorf("only %d corpus plans validate clean; the README says %d", accepted, readmeFigure)
	}
}

// corpusReasons are what validate says stops a plan: each element's class
// and the start of its message, once.
func corpusReasons(out string) []string {
	seen := map[string]bool{}
	var reasons []string
	for _, line := range strings.Split(out, "\n") {
		i := strings.Index(line, ".jmx:")
		if i < 0 {
			continue
		}
		rest := line[i:]
		j := strings.LastIndex(rest, "): ")
		if j < 0 {
			continue
		}
		k := strings.LastIndex(rest[:j], "(")
		r := rest[k+1:j] + ": " + rest[j+3:]
		if len(r) > 90 {
			r = r[:90] + "…"
		}
		if !seen[r] {
			seen[r] = true
			reasons = append(reasons, r)
		}
	}
	return reasons
}

// TestCompareRuns compares two runs of one plan: same labels side by side,
// exit 0 within limits, 4 (regression, not 1 "cannot read") when the error
// rate grew past the limit; columns are named by file.
func TestCompareRuns(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	plan := repoFile("testdata", "e2e", "basic.jmx")
	a, b := filepath.Join(dir, "a.jtl"), filepath.Join(dir, "b.jtl")
	for _, jtl := range []string{a, b} {
		if res := runGometer(t, dir, 60*time.Second, "-n", "-t", plan, "-l", jtl, "-Jport="+rec.port()); res.code != 0 {
			t.Fatalf("run: exit %d %s", res.code, res.stderr)
		}
	}
	res := runGometer(t, dir, 30*time.Second, "compare", a, b, "--max-error-rate-increase", "1pp")
	if res.code != 0 {
		t.Fatalf("compare of two equal runs: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	for _, label := range []string{"Market data", "Place order", "Missing page"} {
		if !strings.Contains(res.stdout, label) {
			t.Errorf("compare output lacks label %q:\n%s", label, res.stdout)
		}
	}
	// A run where every request fails: the error rate grows by 2/3.
	rec2 := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", 503) })
	c := filepath.Join(dir, "c.jtl")
	if res := runGometer(t, dir, 60*time.Second, "-n", "-t", plan, "-l", c, "-Jport="+rec2.port()); res.code != 0 {
		t.Fatalf("run: exit %d %s", res.code, res.stderr)
	}
	res = runGometer(t, dir, 30*time.Second, "compare", a, c, "--max-error-rate-increase", "1pp")
	if res.code != 4 || !strings.Contains(res.stdout, "a.jtl → c.jtl") || strings.Count(res.stdout, "| Place order ") != 1 {
		t.Errorf("compare with a regression: exit %d, want 4, one row per label\n%s", res.code, res.stdout)
	}
	res = runGometer(t, dir, 30*time.Second, "compare", a, c, "--detail")
	if res.code != 0 || !strings.Contains(res.stdout, " a.jtl |   c.jtl |") || !strings.Contains(res.stdout, "| throughput/s ") {
		t.Errorf("compare --detail: exit %d\n%s", res.code, res.stdout)
	}
	// A file that cannot be read is exit 1, told apart from a regression.
	res = runGometer(t, dir, 30*time.Second, "compare", a, filepath.Join(dir, "none.jtl"))
	if res.code != 1 {
		t.Errorf("compare with a missing file: exit %d, want 1", res.code)
	}
}
