package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gometer/gometer"
	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/internal/target"
)

// demoPlan is the bundled plan the demo runs, with demoStreams (a
// WebSocket price stream and a PostgreSQL order book) merged into it.
const (
	demoPlan    = "testdata/demo/trading.jmx"
	demoStreams = "testdata/demo/streams.jmx"
)

// cmdDemo starts the built-in trading/payment API on a free loopback port
// and, when it can, a PostgreSQL for the order book, runs the bundled plans
// against them in one run, writes demo-results.jtl and a report.
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
	dir, planPath, err := writeDemoPlan(demoPlan, demoStreams)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: demo plan: %v\n", err)
		return exitFailed
	}
	defer os.RemoveAll(dir)
	dbProps, stopDB := demoDatabase(stdout)
	defer stopDB()

	srv := target.New(target.Options{Realistic: true})
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
	}, append(dbProps, o.propArgs...)...)
	fmt.Fprintf(stdout, "Running %s with %s for %ds against it …\n", demoPlan, demoStreams, secs)
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

// demoDatabase starts a PostgreSQL for the order book and returns the
// properties that turn that part of the plan on; without one it says so in
// one line and the order book stays off (its groups have no users).
func demoDatabase(stdout io.Writer) ([]propArg, func()) {
	pg, err := realserver.StartPostgres()
	if err == nil {
		if err = pg.CreateDB("orderbook"); err != nil {
			pg.Stop()
		}
	}
	if err != nil {
		reason := err.Error()
		if errors.Is(err, realserver.ErrMissing) {
			reason = "PostgreSQL 15 is not installed (apt-get install postgresql)"
		}
		fmt.Fprintf(stdout, "Order book (JDBC) left out: %s\n", firstLine(reason))
		return nil, func() {}
	}
	fmt.Fprintf(stdout, "Order book database: PostgreSQL on 127.0.0.1:%d\n", pg.Port)
	return []propArg{{'J', "db_url", pg.JDBCURL("orderbook")}, {'J', "db_user", pg.User}, {'J', "db_users", "3"}, {'J', "db_setup", "1"}}, pg.Stop
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// writeDemoPlan copies a bundled plan into a new temporary folder (the
// caller removes it) and returns the folder and the plan's path there; the
// test-plan children of extra plans are merged into it, so one run (and
// one report) holds them all.
func writeDemoPlan(name string, extra ...string) (dir, path string, err error) {
	data, err := gometer.DemoPlans.ReadFile(name)
	if err != nil {
		return "", "", err
	}
	for _, x := range extra {
		more, err := gometer.DemoPlans.ReadFile(x)
		if err != nil {
			return "", "", err
		}
		if data, err = mergePlan(data, more); err != nil {
			return "", "", fmt.Errorf("%s into %s: %w", x, name, err)
		}
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

// mergePlan appends the elements under extra's test plan to those under
// base's: both are JMeter plans as saved (one TestPlan, its hashTree last).
func mergePlan(base, extra []byte) ([]byte, error) {
	const end = "</hashTree>"
	inner := func(p []byte) (open, close int, err error) {
		tp := bytes.Index(p, []byte("</TestPlan>"))
		if tp < 0 {
			return 0, 0, errors.New("no TestPlan")
		}
		o := bytes.Index(p[tp:], []byte("<hashTree>"))
		outer := bytes.LastIndex(p, []byte(end))
		c := -1
		if outer > 0 {
			c = bytes.LastIndex(p[:outer], []byte(end))
		}
		if o < 0 || c < tp+o {
			return 0, 0, errors.New("no hashTree under the TestPlan")
		}
		return tp + o + len("<hashTree>"), c, nil
	}
	_, bc, err := inner(base)
	if err != nil {
		return nil, err
	}
	eo, ec, err := inner(extra)
	if err != nil {
		return nil, err
	}
	out := append(append(append([]byte(nil), base[:bc]...), extra[eo:ec]...), base[bc:]...)
	return out, nil
}
