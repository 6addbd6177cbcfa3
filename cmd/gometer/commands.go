package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/engine"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/monitor"
	"github.com/gometer/gometer/report"
	"github.com/gometer/gometer/runner"
)

// cmdValidate loads and compiles a plan without sending anything, prints
// what would run and every element that cannot.
func cmdValidate(o *options, stdout, stderr io.Writer) int {
	props, err := loadProperties(o, o.plan)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	plan, err := jmx.ParseFile(o.plan)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: cannot load %v\n", err)
		return exitFailed
	}
	test, err := engine.Compile(plan, engine.Options{Props: props, SkipUnsupported: true, OpenListener: runner.CheckListeners(backendFactories())})
	if err != nil {
		var probs engine.Problems
		if errors.As(err, &probs) {
			fmt.Fprintf(stdout, "%s: %d problem(s):\n", o.plan, len(probs))
			for _, p := range probs {
				fmt.Fprintf(stdout, "  %s\n", p.String())
			}
			printScriptCount(stdout, probs)
			return exitFailed
		}
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	test.Describe(stdout)
	printAcceptedScripts(stdout, test.Scripts())
	specs, err := planMonitors(test, props)
	if err != nil {
		fmt.Fprintf(stdout, "\n%s: %v\n", o.plan, err)
		return exitFailed
	}
	if len(specs) > 0 {
		fmt.Fprintln(stdout, "\nMonitors in the plan (read during a run with -l):")
		for _, sp := range specs {
			fmt.Fprintf(stdout, "  %s %s every %s\n", sp.Kind, monitor.Redact(sp.Target), sp.Interval)
		}
	}
	if w := test.Warnings(); len(w) > 0 {
		// The description above names each of them in place ("skipped: …").
		fmt.Fprintf(stdout, "\n%s: %d element(s) gometer cannot run (marked \"skipped\" above, with file and line)\n", o.plan, len(w))
		printScriptCount(stdout, w)
		return exitFailed
	}
	fmt.Fprintf(stdout, "\n%s: every element can run\n", o.plan)
	return exitOK
}

// printScriptCount sums up the script elements (JSR223, BeanShell, BSF)
// among the problems by language: they are the usual reason a real plan
// cannot run, and the count says how much porting a plan needs.
func printScriptCount(w io.Writer, probs []engine.Problem) {
	byLang := map[string]int{}
	total := 0
	for _, p := range probs {
		if p.Script != "" {
			byLang[p.Script]++
			total++
		}
	}
	if total == 0 {
		return
	}
	langs := make([]string, 0, len(byLang))
	for l := range byLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	parts := make([]string, len(langs))
	for i, l := range langs {
		parts[i] = fmt.Sprintf("%s %d", l, byLang[l])
	}
	fmt.Fprintf(w, "%d script element(s): %s\n", total, strings.Join(parts, ", "))
}

// printAcceptedScripts sums up the script elements gometer runs, by language.
func printAcceptedScripts(w io.Writer, byLang map[string]int) {
	total := 0
	langs := make([]string, 0, len(byLang))
	for l, n := range byLang {
		langs = append(langs, l)
		total += n
	}
	if total == 0 {
		return
	}
	sort.Strings(langs)
	parts := make([]string, len(langs))
	for i, l := range langs {
		parts[i] = fmt.Sprintf("%s %d", l, byLang[l])
	}
	fmt.Fprintf(w, "%d script element(s) accepted: %s\n", total, strings.Join(parts, ", "))
}

// cmdReport renders the HTML report and statistics.json from JTL files.
func cmdReport(o *options, stdout, stderr io.Writer) int {
	props, err := loadProperties(o, "")
	if err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	if _, err := statsOptions(o, props); err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	thresholds, err := report.ParseThresholds(thresholdSpecs(o, props))
	if err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitUsage
	}
	if o.waitShards > 0 {
		if err := waitForShards(o, stderr); err != nil {
			fmt.Fprintf(stderr, "gometer: %v\n", err)
			// report what there is: the verdict names the missing shards
		}
	}
	files, err := expandResults(o.reportOnly)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	o.reportOnly = files
	if err := checkReportFolder(o.reportOut, o.force); err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	ropts := report.GenerateOptions{Props: props, Force: o.force, Title: o.title, Progress: stderr, Thresholds: thresholds, Shards: o.waitShards}
	ropts.Read.Strict = o.strict
	ropts.Read.Props = props
	// The first malformed rows are named; a file of them is one line of count.
	const shownBad = 10
	var bad int
	ropts.Read.OnBadRow = func(err error) {
		if bad++; bad <= shownBad {
			fmt.Fprintf(stderr, "gometer: skipped: %v\n", err)
		}
	}
	generate := report.Generate
	if allRunRecords(o.reportOnly) {
		generate = report.GenerateFromSummaries // statistics only, from the shards' records
	}
	sum, err := generate(o.reportOnly, o.reportOut, ropts)
	if bad > shownBad {
		fmt.Fprintf(stderr, "gometer: skipped %d more malformed rows\n", bad-shownBad)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gometer: report: %v\n", err)
		return exitFailed
	}
	if sum.BadRows > 0 {
		fmt.Fprintf(stderr, "gometer: warning: %d malformed row(s) skipped, %d read (--strict stops at the first)\n", sum.BadRows, sum.RowsRead)
	}
	fmt.Fprintf(stdout, "Report: %s\n", filepath.Join(o.reportOut, "index.html"))
	return reportExitCode(sum, stdout, stderr)
}

// cmdCompare prints two runs side by side and fails on regressions.
func cmdCompare(o *options, stdout, stderr io.Writer) int {
	props, err := loadProperties(o, "")
	if err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	sopts, err := statsOptions(o, props)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	var sides [2]*report.Stats
	for i, f := range o.positional {
		st, err := readStats(f, sopts, report.ReadOptions{Props: props, Strict: o.strict})
		if err != nil {
			fmt.Fprintf(stderr, "gometer: %v\n", err)
			return exitFailed
		}
		sides[i] = st
	}
	limits, err := compareLimits(o.compare)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitUsage
	}
	rep := report.Compare(sides[0], sides[1], limits)
	rep.NameA, rep.NameB = runNames(o.positional[0], o.positional[1])
	print := rep.Print
	if o.compare.detail {
		print = rep.PrintDetail
	}
	if err := print(stdout); err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		return exitFailed
	}
	if rep.Exceeded() {
		return exitRegression
	}
	return exitOK
}

func readStats(path string, sopts report.StatsOptions, ropts report.ReadOptions) (*report.Stats, error) {
	r, err := report.OpenJTL(path, ropts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	st := report.NewStats(sopts)
	for {
		s, err := r.Next()
		if errors.Is(err, io.EOF) {
			return st, nil
		}
		if err != nil {
			return nil, err
		}
		st.Add(s)
	}
}

// compareLimits reads "10%" as a fraction 0.10 and "1pp" (or "1") as
// percentage points.
func compareLimits(f compareFlags) (report.CompareLimits, error) {
	var l report.CompareLimits
	frac := func(name, s string) (float64, error) {
		if s == "" {
			return 0, nil
		}
		v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
		if err != nil {
			return 0, usagef("--%s: %q is not a percentage like 10%%", name, s)
		}
		return v / 100, nil
	}
	pp := func(name, s string) (float64, error) {
		if s == "" {
			return 0, nil
		}
		v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(s), "pp"), "%"), 64)
		if err != nil {
			return 0, usagef("--%s: %q is not percentage points like 1pp", name, s)
		}
		return v, nil
	}
	var err error
	if l.MaxP95Regression, err = frac("max-p95-regression", f.maxP95Regression); err != nil {
		return l, err
	}
	if l.MaxMeanRegression, err = frac("max-mean-regression", f.maxMeanRegression); err != nil {
		return l, err
	}
	if l.MaxThroughputDrop, err = frac("max-throughput-drop", f.maxThroughputDrop); err != nil {
		return l, err
	}
	if l.MaxErrorRateIncrease, err = pp("max-error-rate-increase", f.maxErrorIncrease); err != nil {
		return l, err
	}
	if f.minDelta != "" {
		d, err := time.ParseDuration(strings.TrimSpace(f.minDelta))
		if err != nil {
			ms, ferr := strconv.ParseFloat(strings.TrimSpace(f.minDelta), 64)
			if ferr != nil {
				return l, usagef("--min-delta: %q is not a duration like 5ms", f.minDelta)
			}
			d = time.Duration(ms * float64(time.Millisecond))
		}
		if d < 0 {
			return l, usagef("--min-delta: %q is negative", f.minDelta)
		}
		l.MinDelta = float64(d) / float64(time.Millisecond)
	}
	return l, nil
}

// runNames are the two files as the comparison names them: their base
// names, or the paths as given when the base names are the same.
func runNames(a, b string) (string, string) {
	if ba, bb := filepath.Base(a), filepath.Base(b); ba != bb {
		return ba, bb
	}
	return a, b
}
