package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCorpusValidate runs `gometer validate` over the public plans of
// ../shared/corpus (when the folder is there) and records, per plan, whether
// gometer accepts it. Every plan either validates (exit 0) or lists what
// stops it with file and line (exit 1); none panics. The README states the
// figure; fewer accepted plans than it says is a regression.
func TestCorpusValidate(t *testing.T) {
	plans, _ := filepath.Glob(repoFile("..", "shared", "corpus", "*.jmx"))
	if len(plans) == 0 {
		t.Skip("../shared/corpus is not present")
	}
	const readmeFigure = 32 // "of the 55 public plans … 32 validate clean" (README)
	accepted := 0
	var table strings.Builder
	for _, p := range plans {
		res := runGometer(t, t.TempDir(), 60*time.Second, "validate", p)
		name := filepath.Base(p)
		switch res.code {
		case 0:
			accepted++
			table.WriteString("  ok       " + name + "\n")
		case 1:
			out := res.stdout + res.stderr
			if !strings.Contains(out, name+":") {
				t.Errorf("%s: refused without naming the file and line:\n%s", name, out)
			}
			table.WriteString("  refused  " + name + "\n")
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

// TestCompareRuns compares two runs of one plan: same labels side by side,
// exit 0 within limits, 1 when the error rate grew past the limit.
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
	if res.code != 1 {
		t.Errorf("compare with a regression: exit %d, want 1\n%s", res.code, res.stdout)
	}
}
