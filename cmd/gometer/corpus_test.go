package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/corpus"
)

// TestCorpusValidate runs `gometer validate` over the public plans of
// ../shared/corpus (when the folder is there) and records, per plan, whether
// gometer accepts it. Every plan either validates (exit 0) or lists what
// stops it with file and line (exit 1); none panics. It reports three
// figures: plans clean as they stand; plans clean once the files the
// corpus does not carry are there (stand-ins: one-line data files, plans
// with an empty Test Fragment for included plans, found by name through
// --data-dir, as a user who has the real files would run them); and plans that also need an explicit opt-in
// (-Jgometer.allow_commands=true for an OS Process sampler). The README
// states the first figure; fewer accepted plans than it says is a
// regression.
func TestCorpusValidate(t *testing.T) {
	plans := corpus.Plans(t)
	const readmeFigure = 36 // "of the 55 public plans … 36 validate clean" (README)
	// The plans that validated clean when the figure was taken (by number):
	// one of them refused later is a regression, named here.
	wantClean := map[string]bool{}
	for _, n := range strings.Fields("01 02 03 04 06 07 08 09 10 11 12 13 14 16 18 19 20 21 22 24 26 27 29 30 31 35 36 38 39 40 41 42 43 48 53 55") {
		wantClean[n] = true
	}
	// Plans clean once their data files are there, and those that also need
	// the opt-in: one of them refused later is a regression too.
	wantWithData := map[string]bool{}
	for _, n := range strings.Fields("28 32 37 44 45 46 47 51") {
		wantWithData[n] = true
	}
	wantWithOptIn := map[string]bool{"33": true}
	clean, withData, withOptIn := 0, 0, 0
	var table strings.Builder
	for _, p := range plans {
		res := runGometer(t, t.TempDir(), 60*time.Second, "validate", p)
		name := filepath.Base(p)
		num, _, _ := strings.Cut(name, "-")
		out := res.stdout + res.stderr
		how := ""
		switch res.code {
		case 0:
			clean++
			how = "ok"
		case 1:
			if !strings.Contains(out, name+":") {
				t.Errorf("%s: refused without naming the file and line:\n%s", name, out)
			}
			if wantClean[num] {
				t.Errorf("%s validated clean before and is refused now:\n%s", name, out)
			}
			// again with stand-ins for the data files it names, then with
			// the opt-in for programs
			files := missingDataFiles(out)
			args := []string{"validate"}
			if len(files) > 0 {
				args = append(args, "--data-dir", standIns(t, files))
			}
			if len(files) > 0 {
				if r := runGometer(t, t.TempDir(), 60*time.Second, append(args, p)...); r.code == 0 {
					withData++
					how = "ok with stand-ins for " + strings.Join(files, ", ")
					break
				} else {
					out = r.stdout + r.stderr
				}
			}
			if strings.Contains(out, "gometer.allow_commands=true") {
				if r := runGometer(t, t.TempDir(), 60*time.Second, append(args, "-Jgometer.allow_commands=true", p)...); r.code == 0 {
					withOptIn++
					how = "ok with -Jgometer.allow_commands=true"
					if len(files) > 0 {
						how += " and stand-ins for " + strings.Join(files, ", ")
					}
					break
				} else {
					out = r.stdout + r.stderr
				}
			}
			how = "refused: " + strings.Join(corpusReasons(out), "; ")
		default:
			t.Errorf("%s: validate exit %d\n%s%s", name, res.code, res.stdout, res.stderr)
		}
		if strings.HasPrefix(how, "refused") && (wantWithData[num] || wantWithOptIn[num]) {
			t.Errorf("%s validated with its data files (or opt-in) before and is refused now: %s", name, how)
		}
		if strings.Contains(res.stderr, "panic:") || strings.Contains(res.stderr, "goroutine ") {
			t.Errorf("%s: Go panic or stack trace:\n%s", name, res.stderr)
		}
		fmt.Fprintf(&table, "  %-52s %s\n", name, how)
	}
	t.Logf("corpus: %d of %d plans validate clean as they stand; %d more with stand-ins for files the corpus does not carry (%d in all); %d more with an explicit opt-in (%d in all)\n%s",
		clean, len(plans), withData, clean+withData, withOptIn, clean+withData+withOptIn, table.String())
	if clean < readmeFigure {
		t.Errorf("only %d corpus plans validate clean; the README says %d", clean, readmeFigure)
	}
}

// missingFileRef finds the data files validate says are missing: "CSV file
// "…" not found", "variables file "…" not found", "raw data file …".
var missingFileRef = regexp.MustCompile(`(?:(?:CSV|variables|raw data) file|included plan) ("(?:[^"\\]|\\.)*") not found`)

// missingDataFiles are the base names of the data files out names as
// missing, each once, sorted.
func missingDataFiles(out string) []string {
	seen := map[string]bool{}
	var names []string
	for _, m := range missingFileRef.FindAllStringSubmatch(out, -1) {
		n, err := strconv.Unquote(m[1])
		if err != nil {
			continue
		}
		if i := strings.LastIndexAny(n, `/\`); i >= 0 { // a Windows path from the author's machine too
			n = n[i+1:]
		}
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// standIns writes a stand-in for each named file into a new folder and
// returns it: a one-line data file, or for an included plan (.jmx) a plan
// with one empty Test Fragment.
func standIns(t *testing.T, names []string) string {
	dir := t.TempDir()
	for _, n := range names {
		text := "stand-in,1\n"
		if strings.HasSuffix(strings.ToLower(n), ".jmx") {
			text = standInPlan
		}
		if err := os.WriteFile(filepath.Join(dir, n), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const standInPlan = `<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="stand-in"/>
    <hashTree>
      <TestFragmentController guiclass="TestFragmentControllerGui" testclass="TestFragmentController" testname="stand-in"/>
      <hashTree/>
    </hashTree>
  </hashTree>
</jmeterTestPlan>
`

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
	// the columns are named by file; their widths follow the figures in them
	if res.code != 0 || !regexp.MustCompile(`\|\s+a\.jtl \|\s+c\.jtl \|`).MatchString(res.stdout) || !strings.Contains(res.stdout, "| throughput/s ") {
		t.Errorf("compare --detail: exit %d\n%s", res.code, res.stdout)
	}
	// A file that cannot be read is exit 1, told apart from a regression.
	res = runGometer(t, dir, 30*time.Second, "compare", a, filepath.Join(dir, "none.jtl"))
	if res.code != 1 {
		t.Errorf("compare with a missing file: exit %d, want 1", res.code)
	}
}
