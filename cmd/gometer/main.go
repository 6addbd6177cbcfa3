// Command gometer runs Apache JMeter test plans headless and reports on their results.
//
//	gometer -n -t plan.jmx -l results.jtl [-e -o report/]   run a plan (JMeter's spelling)
//	gometer run plan.jmx [flags]                            the same
//	gometer validate plan.jmx                               what would run, and what cannot
//	gometer report results.jtl [more.jtl …] -o report/      HTML report and statistics.json from JTLs
//	gometer compare baseline.jtl current.jtl                side-by-side statistics, exit 4 on regression
//	gometer demo                                            run the bundled demo against a built-in API
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gometer/gometer/engine"
	"github.com/gometer/gometer/functions"
)

// Exit codes CI can gate on.
const (
	exitOK         = 0
	exitFailed     = 1 // the plan could not be loaded or run, or a report could not be made
	exitUsage      = 2
	exitThresholds = 3 // the run finished but --fail-on thresholds were exceeded
	exitRegression = 4 // compare: the second run regressed past a limit
	exitSIGINT     = 130
	exitSIGTERM    = 143
)

var version = "0.1.0-dev"

// versionLine names gometer's version — the module version when built by
// `go install …@version` — and the Go release that built it.
func versionLine() string {
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	return fmt.Sprintf("gometer %s (JMeter 5.6.3 compatible; %s %s/%s)", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func main() {
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

// realMain is the whole program minus os.Exit, so tests can run it in-process.
func realMain(args []string, stdout, stderr io.Writer) int {
	o, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitFailed
	}
	switch o.command {
	case "help":
		printHelp(stdout)
		return exitOK
	case "version":
		fmt.Fprintln(stdout, versionLine())
		return exitOK
	case "run":
		return cmdRun(o, stdout, stderr)
	case "validate":
		return cmdValidate(o, stdout, stderr)
	case "debug":
		return cmdDebug(o, stdout, stderr)
	case "report":
		return cmdReport(o, stdout, stderr)
	case "compare":
		return cmdCompare(o, stdout, stderr)
	case "demo":
		return cmdDemo(o, stdout, stderr)
	case "k8s":
		return cmdK8s(o.positional, stdout, stderr, time.Now)
	}
	fmt.Fprintf(stderr, "gometer: unknown command %q\n", o.command)
	return exitUsage
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `gometer — runs Apache JMeter (.jmx) test plans headless, JMeter 5.6.3 compatible.

Usage:
  gometer -n -t plan.jmx -l results.jtl [-e -o report/] [-Jname=value …]
  gometer run plan.jmx [-l results.jtl] [flags]
  gometer validate plan.jmx
  gometer debug plan.jmx [--samples N] [--json] [--body-limit 2048]   one user, one iteration, every sample in full
  gometer report results.jtl [more.jtl …] -o report/ [-f]     (also: gometer -g results.jtl -o report/)
  gometer compare baseline.jtl current.jtl [--max-p95-regression 10%] [--max-error-rate-increase 1pp]
                 [--max-mean-regression 10%] [--max-throughput-drop 20%] [--min-delta 5ms] [--detail]
  gometer demo [--duration 15s] [-o demo-report/] [--bottlenecks]   (--bottlenecks: real PostgreSQL + Redis, four classic faults)
  gometer k8s render --plan plan.jmx --shards N [--data file]… [--image img] [--start-in 2m] [-J name=value]…
  gometer version

JMeter flags:
  -n                 non-GUI mode (accepted; gometer is always headless)
  -t plan.jmx        the test plan
  -l results.jtl     JTL results file (appended to when it exists, as JMeter does)
  -j file            log file (default jmeter.log in the working directory, replaced by each run)
  -L [category=]level  log level: DEBUG, INFO, WARN, ERROR (repeatable; jmeter.protocol.http=DEBUG logs each request)
  -J name=value      set a property (also -Jname=value; -Jname alone removes it); -G is taken as -J
  -q file            additional properties file (repeatable; -q and -J apply in the order given)
  -p file            properties file used instead of bin/jmeter.properties (or the built-in defaults)
  -d folder          JMeter installation whose bin/*.properties to read (default: $JMETER_HOME)
  -D name=value      set a system property; -S file: system properties file (${__P} sees both)
  -H host -P port    HTTP proxy for every request (-N 'a|*.b' hosts to reach directly,
                     -u user -a password Basic proxy credentials)
  -i file            log4j2 configuration: accepted and ignored
  -e -o folder       HTML report after the run (needs -l)
  -g results.jtl     report only, from an existing JTL
  -f                 delete the results file first; let -o reuse a folder holding a previous report

gometer flags:
  --skip-unsupported run even when the plan has elements gometer cannot run (each is named)
  --tls-verify       verify server certificates (JMeter accepts any)
  --data-dir folder  a data file (CSV) missing at the plan's path is looked up there by its base name,
                     e.g. C:/Users/me/users.csv as folder/users.csv (also -Jgometer.data_dir=folder)
  --prometheus-listen addr
                     serve live metrics on http://addr/metrics during the run, e.g. :9270
                     (also -Jgometer.prometheus.listen=addr)
  --quiet            no live status (on a terminal a status line every second, otherwise a line
                     per summariser interval: users, req/s, errors, p95, samples, requests in flight)
  --fail-on expr     exit 3 when a threshold is passed, e.g. 'error%>1', 'p95>500ms' (repeatable)
  --percentiles m    report percentiles: exact (default) or jmeter (JMeter 5.6's 20,000-sample window)
  --strict           stop reading a JTL at the first malformed row
  --shard i/N        run the i-th of N exact parts of the plan's load (N copies of gometer share one
                     plan; their JTLs merge in one report); --shard auto reads JOB_COMPLETION_INDEX
                     and GOMETER_SHARDS (a Kubernetes Indexed Job)
  --start-at T       wait until T (RFC 3339 or Unix ms), then start: shards start together
  --monitor spec     sample a server during the run, beside the JTL (<jtl>.monitor.jsonl):
                     postgres://user@host:port/db, redis://host:port, host, process:PID;
                     ?interval=5s (default), &top=10 (statements kept per reading); repeatable
  --trace N          (run) print the run's first N samples in full, as debug does (to stderr;
                     --trace-file F writes them to F; --json for JSON Lines; --body-limit bytes)
  --wait-for-shards N  (report) wait until N shards have written their run records
  --wait-timeout d   (report) how long to wait for them (default 1h)

Exit codes: 0 the test ran (failed samples included) / the report or comparison was made;
1 the plan, a JTL or a properties file could not be read, or results could not be written; 2 usage;
3 --fail-on thresholds exceeded; 4 compare: a regression past a limit; 130/143 stopped by SIGINT/SIGTERM.
debug exits 0 when the plan ran (failed samples are shown, not counted), 1 when it cannot load.
Properties, in JMeter's order: -p, else $JMETER_HOME/bin/jmeter.properties, else built-in defaults;
then user.properties (working directory, else $JMETER_HOME/bin, else beside the plan), system.properties,
then -q/-J/-S/-D in command-line order.
`)
	printSupported(w)
}

// printSupported lists the elements gometer runs; anything else in a plan is
// named (with its line) by validate and refused by run.
func printSupported(w io.Writer) {
	fmt.Fprintln(w, "\nElements gometer runs (others are listed by `gometer validate` with path and line):")
	groups := engine.Supported()
	for _, g := range []string{"thread groups", "samplers", "controllers", "config elements", "pre-processors", "post-processors", "assertions", "timers", "listeners"} {
		if len(groups[g]) == 0 {
			continue
		}
		printWrapped(w, "  "+g+": ", groups[g])
	}
	printWrapped(w, "  functions: ", functions.FunctionNames())
}

// printWrapped prints a list after a heading, wrapped at 100 columns.
func printWrapped(w io.Writer, head string, items []string) {
	line := head
	indent := strings.Repeat(" ", 4)
	for i, it := range items {
		if i < len(items)-1 {
			it += ","
		}
		if len(line)+1+len(it) > 100 && line != head {
			fmt.Fprintln(w, line)
			line = indent
		} else if line != head && line != indent {
			line += " "
		}
		line += it
	}
	fmt.Fprintln(w, line)
}
