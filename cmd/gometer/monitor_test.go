package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/internal/skipped"
	"github.com/gometer/gometer/report"
)

// A run with --monitor postgres against a real PostgreSQL: the series beside
// the JTL counts exactly the statements the JDBC samplers ran, and the
// report shows them (charts, statements by total time).
func TestMonitorPostgresDuringARun(t *testing.T) {
	pg := postgresWithStatements(t)
	dir := t.TempDir()
	jtl := filepath.Join(dir, "orders.jtl")
	res := runGometer(t, dir, 120*time.Second, "-n", "-t", repoFile("testdata", "monitor", "orders.jmx"), "-l", jtl,
		"-Jdb_url="+pg.JDBCURL("postgres"), "-Jdb_user="+pg.User, "-Jusers=4", "-Jloops=25",
		"--monitor", pg.URL("postgres")+"&interval=300ms", "--monitor", "host?interval=300ms",
		"-e", "-o", filepath.Join(dir, "report"))
	if res.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	_, rows := readJTL(t, jtl)
	samples := map[string]int{}
	for _, r := range rows {
		if r["success"] != "true" {
			t.Fatalf("a JDBC sample failed: %v", r)
		}
		samples[r["label"]]++
	}
	f, err := os.Open(jtl + ".monitor.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	calls := map[string]float64{}
	hosts := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l report.MonitorLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("series line %q: %v", sc.Text(), err)
		}
		if l.Name == "pg.stmt.calls" {
			calls[l.Label] += l.V
		}
		if l.Source == "host" {
			hosts++
		}
	}
	// what the monitor saw per statement equals what the samplers ran
	for label, query := range map[string]string{
		"order by id":        "select id, amount from orders where id = $1",
		"orders of customer": "select count(*) from orders where customer = $1",
		"pay order":          "update orders set amount = amount + $2 where id = $1",
	} {
		if samples[label] != 100 {
			t.Fatalf("%s: %d samples, want 4 users x 25", label, samples[label])
		}
		got := 0.0
		for q, n := range calls {
			if normalise(q) == normalise(query) {
				got += n
			}
		}
		if int(got) != samples[label] {
			t.Errorf("%s: the monitor counted %v calls of %q, the run made %d (monitor saw %v)", label, got, query, samples[label], calls)
		}
	}
	if hosts == 0 {
		t.Error("no host readings")
	}
	html, err := os.ReadFile(filepath.Join(dir, "report", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(html)
	for _, want := range []string{`id="evidence"`, "Statements by total time", "from orders where customer", `Servers (monitors)`, "pg.connections"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(res.stderr+res.stdout, "password") {
		t.Errorf("credentials in the output")
	}
}

// postgresWithStatements is a real PostgreSQL with pg_stat_statements
// created in database postgres.
func postgresWithStatements(t *testing.T) *realserver.Postgres {
	pg := realserver.PostgresT(t)
	db, err := pgx.Connect(t.Context(), pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(t.Context())
	if _, err := db.Exec(t.Context(), `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`); err != nil {
		t.Fatal(err)
	}
	return pg
}

var spaces = regexp.MustCompile(`\s+`)

func normalise(q string) string {
	return strings.ToLower(spaces.ReplaceAllString(strings.TrimSpace(q), " "))
}

// A monitor whose server is down is a warning; the test runs and exits 0.
func TestMonitorThatCannotConnectIsAWarning(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	res := runGometer(t, dir, 60*time.Second, "-n", "-t", repoFile("testdata", "e2e", "basic.jmx"), "-l", filepath.Join(dir, "r.jtl"),
		"-Jport="+rec.port(), "-Jusers=1", "-Jloops=1", "--monitor", "redis://:hunter2@127.0.0.1:1/0")
	if res.code != 0 || !strings.Contains(res.stderr, "monitor redis not started") || strings.Contains(res.stderr, "hunter2") {
		t.Errorf("exit %d, stderr %q", res.code, res.stderr)
	}
	if res := runGometer(t, dir, 30*time.Second, "-n", "-t", repoFile("testdata", "e2e", "basic.jmx"), "--monitor", "host"); res.code != exitUsage || !strings.Contains(res.stderr, "needs -l") {
		t.Errorf("--monitor without -l: exit %d %q", res.code, res.stderr)
	}
}

// Monitors defined in the plan, as a JMeter user keeps them in the same
// .jmx: User Defined Variables gometer.monitors.* (PostgreSQL and Redis,
// from properties) and a PerfMon Metrics Collector whose rows naming this
// machine become the host and process monitors, at the collector's
// interval. A row for another host stays a note naming it.
func TestMonitorsDefinedInThePlan(t *testing.T) {
	pg := postgresWithStatements(t)
	rd := realserver.StartRedis(t)
	ctx := t.Context()
	rc := redis.NewClient(&redis.Options{Addr: rd.Addr})
	defer rc.Close()
	info, err := rc.Info(ctx, "server").Result()
	if err != nil {
		t.Fatal(err)
	}
	pid := regexp.MustCompile(`process_id:(\d+)`).FindStringSubmatch(info)
	if pid == nil {
		t.Fatalf("no process_id in INFO server:\n%s", info)
	}
	dir := t.TempDir()
	jtl := filepath.Join(dir, "orders.jtl")
	res := runGometer(t, dir, 120*time.Second, "-n", "-t", repoFile("testdata", "monitor", "inplan.jmx"), "-l", jtl,
		"-Jdb_url="+pg.JDBCURL("postgres"), "-Jdb_user="+pg.User, "-Jusers=4", "-Jloops=25",
		"-Jpg_monitor="+pg.URL("postgres")+"&interval=300ms", "-Jredis_monitor="+rd.URL()+"?interval=300ms",
		"-Jredis_pid="+pid[1], "-JjmeterPlugin.perfmon.interval=250", "-Jthink=20")
	if res.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	_, rows := readJTL(t, jtl)
	samples := map[string]int{}
	for _, r := range rows {
		samples[r["label"]]++
	}
	lines, err := report.ReadMonitorSeries([]string{jtl})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0.0
	sources := map[string]int{}
	hostReadings := map[int64]bool{}
	var rss float64
	for _, l := range lines {
		src := l.Source
		if strings.HasPrefix(src, "postgres") {
			src = "postgres"
		}
		sources[src]++
		if src == "host" {
			hostReadings[l.T] = true
		}
		if l.Name == "pg.stmt.calls" && normalise(l.Label) == normalise("select count(*) from orders where customer = $1") {
			calls += l.V
		}
		if l.Source == "process:"+pid[1] && l.Name == "process.rss_bytes" {
			rss = l.V
		}
	}
	for _, src := range []string{"postgres", "redis", "host", "process:" + pid[1]} {
		if sources[src] == 0 {
			t.Errorf("no readings from %s (sources %v)\n%s", src, sources, res.stderr)
		}
	}
	// the in-plan PostgreSQL monitor counts what the samplers ran
	if int(calls) != samples["orders of customer"] || calls == 0 {
		t.Errorf("monitor counted %v calls of the customer query; the run made %d", calls, samples["orders of customer"])
	}
	// the process row reads the Redis server's own memory: within what
	// the server itself reports as its resident set
	mem, err := rc.Info(ctx, "memory").Result()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`used_memory_rss:(\d+)`).FindStringSubmatch(mem)
	if m == nil {
		t.Fatalf("no used_memory_rss in INFO memory")
	}
	serverRSS, _ := strconv.ParseFloat(m[1], 64)
	if rss <= 0 || rss < serverRSS/2 || rss > serverRSS*2 {
		t.Errorf("process monitor RSS %v, Redis says %v", rss, serverRSS)
	}
	// the host CPU row at the collector's interval (250 ms), not the
	// default 5 s: a reading before, one after, and one per 250 ms of the
	// run (one tick may be lost to a loaded machine)
	first, last := int64(1<<62), int64(0)
	for _, r := range rows {
		ts, _ := strconv.ParseInt(r["timeStamp"], 10, 64)
		el, _ := strconv.ParseInt(r["elapsed"], 10, 64)
		first, last = min(first, ts), max(last, ts+el)
	}
	t.Logf("%d host readings in %d ms", len(hostReadings), last-first)
	if want := 2 + int((last-first)/250) - 1; len(hostReadings) < want {
		t.Errorf("%d host readings in a %d ms run, want %d: the PerfMon interval was not used", len(hostReadings), last-first, want)
	}
	if !strings.Contains(res.stderr, "db.example:4444 Disks I/O") || strings.Contains(res.stderr, "localhost:4444 CPU") {
		t.Errorf("want a note for the remote row only:\n%s", res.stderr)
	}
}

// Without -l the plan's monitors are a warning and the test runs.
func TestPlanMonitorsWithoutResultsAreAWarning(t *testing.T) {
	pg := realserver.PostgresT(t)
	dir := t.TempDir()
	res := runGometer(t, dir, 120*time.Second, "-n", "-t", repoFile("testdata", "monitor", "inplan.jmx"),
		"-Jdb_url="+pg.JDBCURL("postgres"), "-Jdb_user="+pg.User, "-Jusers=1", "-Jloops=1", "-Jpg_monitor="+pg.URL("postgres"))
	if res.code != 0 || !strings.Contains(res.stderr, "monitor(s); they need -l") {
		t.Errorf("exit %d\n%s", res.code, res.stderr)
	}
	// validate lists them, with no password
	res = runGometer(t, dir, 60*time.Second, "validate", repoFile("testdata", "monitor", "inplan.jmx"),
		"-Jpg_monitor=postgres://app:hunter2@127.0.0.1:1/shop", "-Jredis_pid=1", "-JjmeterPlugin.perfmon.interval=2000")
	for _, want := range []string{"Monitors in the plan", "postgres postgres://app:xxxxx@127.0.0.1:1/shop every 5s", "host  every 2s", "process 1 every 2s"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("validate lacks %q:\n%s", want, res.stdout)
		}
	}
	if strings.Contains(res.stdout+res.stderr, "hunter2") {
		t.Error("validate printed the password")
	}
}

// The gometer.monitors variables leave the plan a plan JMeter runs: real
// JMeter 5.6.3 loads testdata/monitor/inplan.jmx (without its PerfMon
// collector, a plugin this installation lacks) with the monitor properties
// given, and every sample against the real PostgreSQL succeeds.
func TestJMeterRunsAPlanWithMonitorVariables(t *testing.T) {
	home := os.Getenv("JMETER_HOME")
	if home == "" {
		skipped.Need(t, "JMeter", "JMETER_HOME is not set")
	}
	const driver = "/usr/share/java/postgresql.jar"
	if _, err := os.Stat(driver); err != nil {
		skipped.Need(t, "JMeter", "no PostgreSQL JDBC driver at "+driver+" (Debian's libpostgresql-jdbc-java)")
	}
	pg := realserver.PostgresT(t)
	src, err := os.ReadFile(repoFile("testdata", "monitor", "inplan.jmx"))
	if err != nil {
		t.Fatal(err)
	}
	plan := string(src)
	i := strings.Index(plan, "<kg.apc.jmeter.perfmon.PerfMonCollector")
	end := "</kg.apc.jmeter.perfmon.PerfMonCollector>\n<hashTree/>\n"
	j := strings.Index(plan, end)
	if i < 0 || j < i || !strings.Contains(plan, "gometer.monitors.db") {
		t.Fatal("inplan.jmx: no PerfMon collector or monitor variables")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.jmx")
	if err := os.WriteFile(path, []byte(plan[:i]+plan[j+len(end):]), 0o644); err != nil {
		t.Fatal(err)
	}
	jtl := filepath.Join(dir, "r.jtl")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(home, "bin", "jmeter"), "-n", "-t", path, "-l", jtl, "-j", filepath.Join(dir, "jmeter.log"),
		"-Jplugin_dependency_paths="+driver, "-Jdb_url="+pg.JDBCURL("postgres"), "-Jdb_user="+pg.User, "-Jusers=1", "-Jloops=2",
		"-Jpg_monitor="+pg.URL("postgres"), "-Jredis_monitor=redis://127.0.0.1:1/0")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("JMeter: %v\n%s", err, out)
	}
	_, rows := readJTL(t, jtl)
	if len(rows) != 2+3*2 {
		t.Fatalf("JMeter wrote %d samples, want the 2 setup and 3 x 2 orders samples:\n%s", len(rows), out)
	}
	for _, r := range rows {
		if r["success"] != "true" {
			t.Errorf("JMeter sample failed: %v", r)
		}
	}
}
