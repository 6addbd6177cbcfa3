package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/report"
)

// A run with --monitor postgres against a real PostgreSQL: the series beside
// the JTL counts exactly the statements the JDBC samplers ran, and the
// report shows them (charts, statements by total time).
func TestMonitorPostgresDuringARun(t *testing.T) {
	pg := realserver.PostgresT(t)
	ctx := t.Context()
	db, err := pgx.Connect(ctx, pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`); err != nil {
		t.Fatal(err)
	}
	db.Close(ctx)
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
