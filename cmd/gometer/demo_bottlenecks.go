package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/internal/shop"
	"github.com/gometer/gometer/report"
)

const bottleneckPlan = "testdata/demo/bottlenecks.jmx"

// cmdDemoBottlenecks runs the shop demo: a real PostgreSQL and Redis
// (Debian's, started here on free ports and stopped at the end), a service
// with classic faults on top, load that ramps up, the monitors on, and a
// report whose server-side evidence names what slowed it down.
func cmdDemoBottlenecks(o *options, stdout, stderr io.Writer) int {
	dur := 40 * time.Second
	if o.demoDur != "" {
		d, err := time.ParseDuration(o.demoDur)
		if err != nil || d < 10*time.Second {
			fmt.Fprintf(stderr, "gometer: --duration %q: give at least 10s\n", o.demoDur)
			return exitUsage
		}
		dur = d
	}
	pg, err := realserver.StartPostgres()
	if err != nil {
		if errors.Is(err, realserver.ErrMissing) {
			fmt.Fprintf(stderr, "gometer: demo --bottlenecks needs PostgreSQL 15 and Redis on this machine (apt-get install postgresql postgresql-contrib redis-server): %v\n", err)
		} else {
			fmt.Fprintf(stderr, "gometer: starting PostgreSQL: %v\n", err)
		}
		return exitFailed
	}
	defer pg.Stop()
	// a cache far too small for the quotes asked for
	rd, stopRedis, err := realserver.StartRedisServer("--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru")
	if err != nil {
		fmt.Fprintf(stderr, "gometer: demo --bottlenecks needs Redis: %v\n", err)
		return exitFailed
	}
	defer stopRedis()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// the cache starts warm with the quotes the first shoppers ask for, so
	// that its hit rate falls only once more symbols are asked for than fit
	svc, base, err := shop.Start(ctx, shop.Options{PostgresURL: pg.URL("postgres"), RedisAddr: rd.Addr, WarmQuotes: 20})
	if err != nil {
		fmt.Fprintf(stderr, "gometer: demo shop: %v\n", err)
		return exitFailed
	}
	defer svc.Close()
	u, _ := url.Parse(base)
	host, port, _ := net.SplitHostPort(u.Host)
	fmt.Fprintf(stdout, "Demo shop on %s (PostgreSQL on 127.0.0.1:%d, Redis on %s)\n", base, pg.Port, rd.Addr)

	dir, planPath, err := writeDemoPlan(bottleneckPlan)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: demo plan: %v\n", err)
		return exitFailed
	}
	defer os.RemoveAll(dir)
	run := *o
	run.command, run.plan, run.report, run.force = "run", planPath, true, true
	if run.results == "" {
		run.results = "bottlenecks-results.jtl"
	}
	if run.reportOut == "" {
		run.reportOut = "bottlenecks-report"
	}
	os.Remove(run.results)
	interval := max(dur/20, time.Second)
	run.monitors = append(run.monitors,
		pg.URL("postgres")+"&interval="+interval.String(),
		"redis://"+rd.Addr+"/0?interval="+interval.String(),
		base+"/metrics?interval="+interval.String(), // the shop's own: its pool's waits
		"host?interval="+interval.String())
	secs := int(dur / time.Second)
	run.propArgs = append([]propArg{{'J', "host", host}, {'J', "port", port}, {'J', "duration", fmt.Sprint(secs)}, {'J', "summariser.interval", "10"},
		{'J', "jmeter.reportgenerator.overall_granularity", fmt.Sprint(interval.Milliseconds())}}, o.propArgs...)
	fmt.Fprintf(stdout, "Running %s for %ds: shoppers ramp up while the monitors read PostgreSQL, Redis and this host …\n", bottleneckPlan, secs)
	code, reportPath := runPlan(&run, stdout, stderr, nil)
	if code != exitOK && code != exitThresholds {
		return code
	}
	if reportPath != "" {
		abs, _ := filepath.Abs(reportPath)
		fmt.Fprintf(stdout, "\nOpen the report (Server-side evidence, Servers charts): file://%s\n", abs)
	}
	// the same evidence, in short, on the console
	if lines, err := report.ReadMonitorSeries([]string{run.results}); err == nil && len(lines) > 0 {
		fmt.Fprintf(stdout, "Server readings: %d in %s\n", len(lines), report.MonitorPath(run.results))
	}
	// the report's evidence on the console: the JTL is small, so the
	// statistics are simply computed again (into a scratch folder)
	props, _ := loadProperties(&run, run.plan)
	sum, err := report.Generate([]string{run.results}, filepath.Join(dir, "report"), report.GenerateOptions{Props: props})
	if err == nil && sum.Evidence != nil {
		ev := sum.Evidence
		fmt.Fprintln(stdout, "\nWhat changed when latency rose:")
		if ev.Rise != nil {
			fmt.Fprintf(stdout, "  %s\n", ev.Rise.Sentence())
		}
		for _, f := range ev.Findings {
			fmt.Fprintf(stdout, "  - %s: %s\n", f.Kind, f.Text)
		}
		for i, m := range ev.Movers {
			if i == 5 {
				break
			}
			fmt.Fprintf(stdout, "  %d. %s\n", i+1, m.Sentence())
		}
		fmt.Fprintln(stdout, "Statements by total time:")
		for i, q := range sum.Evidence.TopQueries {
			if i == 3 {
				break
			}
			fmt.Fprintf(stdout, "  %.0f calls, %.0f ms in all (%.2f ms each): %s\n", q.Calls, q.TotalMs, q.MeanMs, strings.TrimSpace(q.Query))
		}
	}
	return code
}
