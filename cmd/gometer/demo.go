package main

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gometer/gometer"
	"github.com/gometer/gometer/internal/target"
)

// demoPlan is the bundled plan the demo runs.
const demoPlan = "testdata/demo/trading.jmx"

// cmdDemo starts the built-in trading/payment API on a free loopback port,
// runs the bundled plan against it, writes demo-results.jtl and a report.
func cmdDemo(o *options, stdout, stderr io.Writer) int {
	if o.bottleneck {
		return cmdDemoBottlenecks(o, stdout, stderr)
	}
	dur := 15 * time.Second
	if o.demoDur != "" {
		d, err := time.ParseDuration(o.demoDur)
		if err != nil || d < time.Second {
			fmt.Fprintf(stderr, "gometer: --duration %q: give a duration like 15s\n", o.demoDur)
			return exitUsage
		}
		dur = d
	}
	dir, planPath, err := writeDemoPlan(demoPlan)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: demo plan: %v\n", err)
		return exitFailed
	}
	defer os.RemoveAll(dir)

	srv := target.New(target.Options{})
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(stderr, "gometer: demo API: %v\n", err)
		return exitFailed
	}
	defer srv.Close()
	u, err := url.Parse(base)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: demo API address %q: %v\n", base, err)
		return exitFailed
	}
	host, port, _ := net.SplitHostPort(u.Host)
	fmt.Fprintf(stdout, "Demo trading/payment API listening on %s\n", base)

	run := *o
	run.command = "run"
	run.plan = planPath
	if run.results == "" {
		run.results = "demo-results.jtl"
	}
	if run.reportOut == "" {
		run.reportOut = "demo-report"
	}
	run.report = true
	run.force = true
	secs := int(dur / time.Second)
	run.propArgs = append([]propArg{
		{'J', "host", host}, {'J', "port", port},
		{'J', "duration", fmt.Sprint(secs)},
		// Livelier than the plan's defaults, so 15 s show every action.
		{'J', "users", "20"}, {'J', "rampup", "3"}, {'J', "think_min", "200"}, {'J', "think_range", "1300"},
		{'J', "summariser.interval", "10"},
	}, o.propArgs...)
	fmt.Fprintf(stdout, "Running %s for %ds against it …\n", demoPlan, secs)
	code, reportPath := runPlan(&run, stdout, stderr, nil)
	if code == exitOK || code == exitThresholds {
		fmt.Fprintf(stdout, "\nResults: %s\n", run.results)
		if reportPath != "" {
			abs, _ := filepath.Abs(reportPath)
			fmt.Fprintf(stdout, "Open the report: file://%s\n", strings.TrimPrefix(abs, "file://"))
		}
		fmt.Fprintf(stdout, "The demo API answered %d requests.\n", srv.Count())
	}
	return code
}

// writeDemoPlan copies a bundled plan into a new temporary folder (the
// caller removes it) and returns the folder and the plan's path there.
func writeDemoPlan(name string) (dir, path string, err error) {
	data, err := gometer.DemoPlans.ReadFile(name)
	if err != nil {
		return "", "", err
	}
	if dir, err = os.MkdirTemp("", "gometer-demo-"); err != nil {
		return "", "", err
	}
	path = filepath.Join(dir, filepath.Base(name))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		os.RemoveAll(dir)
		return "", "", err
	}
	return dir, path, nil
}
