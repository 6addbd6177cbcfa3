package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/internal/skipped"
)

// demo --bottlenecks against real PostgreSQL and Redis: the report's "what
// changed when latency rose" names each of the shop's four faults — the
// unindexed scans of orders (slower per call, reading hundreds of blocks),
// the N+1 items query (calls per sampled request), the cache too small
// (hit rate down, evictions up) and the pool too small (the service's own
// pool-wait metric up) — and the console says the same. The faults are made
// strong on purpose (1000 rows per order placed, 20 item queries per
// statement, a 2 MB cache for quotes of 16 KB, 3 connections for 20
// users), so the findings do not hang on a fine correlation.
func TestDemoBottlenecksNamesTheFaults(t *testing.T) {
	if _, err := os.Stat(filepath.Join(realserver.PostgresBin, "postgres")); err != nil && !realserver.RequireServers() {
		skipped.Need(t, "PostgreSQL", "PostgreSQL 15 is not installed (Debian's postgresql); demo --bottlenecks needs it")
	}
	if _, err := exec.LookPath("redis-server"); err != nil && !realserver.RequireServers() {
		skipped.Need(t, "Redis", "redis-server is not installed (Debian's redis-server); demo --bottlenecks needs it")
	}
	dir := t.TempDir()
	res := runGometer(t, dir, 180*time.Second, "demo", "--bottlenecks", "--duration", "15s", "-Jusers=20")
	if res.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	page, err := os.ReadFile(filepath.Join(dir, "bottlenecks-report", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	i := strings.Index(html, "What changed when latency rose")
	j := strings.Index(html, "Statements by total time")
	if i < 0 || j < i {
		t.Fatalf("the report has no evidence section:\n%s", res.stdout)
	}
	section := html[i:j]
	for fault, re := range map[string]string{
		"missing index": `<b>slow statement</b>: SELECT [^<]*FROM orders WHERE (customer|symbol) = \$1 took [^<]*reads [0-9,]+ shared blocks a call`,
		"N+1":           `<b>N(&#43;|\+)1 query</b>: SELECT count\(\*\) FROM order_items WHERE order_id = \$1 ran [0-9.]+ times per sampled request`,
		"small cache":   `<b>cache</b>: [^<]*(hit rate fell|evicted)`,
		"small pool":    `<b>connection pool</b>: prom\.shop_db_pool_wait`,
	} {
		if !regexp.MustCompile(re).MatchString(section) {
			t.Errorf("the %s fault is not named in what changed when latency rose:\n%s", fault, section)
		}
	}
	// N+1: the items query ran once per order listed: about 20 per
	// statement request, far more often than the requests
	m := regexp.MustCompile(`SELECT count\(\*\) FROM order_items WHERE order_id = \$1</td><td>([0-9,]+)</td>`).FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("the N+1 items query is not in the statements table")
	}
	calls, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	_, rows := readJTL(t, filepath.Join(dir, "bottlenecks-results.jtl"))
	statements := 0
	for _, r := range rows {
		if r["label"] == "statement" {
			statements++
		}
	}
	if statements == 0 || calls < 10*statements {
		t.Errorf("items query calls %d for %d statement requests: want the N+1 pattern (about 20 per request)", calls, statements)
	}
	for _, want := range []string{"What changed when latency rose:", "- N+1 query:", "- connection pool:", "- cache:", "- slow statement:"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("the console lacks %q:\n%s", want, res.stdout)
		}
	}
}
