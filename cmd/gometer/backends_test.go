package main

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/backendtest"
	"github.com/gometer/gometer/internal/realserver"
)

// A plan carrying JMeter's InfluxDB (aggregate and raw) and Graphite
// Backend Listeners runs unchanged: a real InfluxDB stores series whose
// counts add up to the JTL's rows, Graphite receives the same totals, and a
// real Prometheus scraping --prometheus-listen holds the same count.
func TestBackendListenersAndPrometheusAgainstRealServers(t *testing.T) {
	db := realserver.StartInfluxDB(t)
	for _, name := range []string{"jmeter", "summary", "raw"} {
		db.CreateDatabase(t, name)
	}
	graphite := backendtest.NewTCPRecorder(t)
	_, gport, _ := net.SplitHostPort(graphite.Addr)
	promAddr := fmt.Sprintf("127.0.0.1:%d", realserver.FreePort(t))
	prom := realserver.StartPrometheus(t, promAddr)
	// Prometheus learns of a new target a few seconds after it starts: wait
	// until it is scraping (the target is down until gometer runs).
	prom.WaitFor(t, `up{job="gometer"}`, 30*time.Second, func(r []realserver.Sample) bool { return len(r) == 1 })
	_, port := startTarget(t)
	u, _ := url.Parse(db.URL)

	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	res := runGometer(t, dir, 120*time.Second, "-n", "-t", repoFile("testdata", "backend", "listeners.jmx"), "-l", jtl,
		"-Jhost=127.0.0.1", "-Jport="+port, "-Jmetrics_port="+u.Port(), "-Jgraphite_port="+gport,
		"--prometheus-listen", promAddr,
		// keep /metrics up for a few 1 s scrapes after the short run (5,
		// not fewer: a loaded machine delays Prometheus's scrapes)
		"-Jgometer.prometheus.delay=5", "-j", filepath.Join(dir, "gometer.log"))
	log, _ := os.ReadFile(filepath.Join(dir, "gometer.log"))
	if res.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	for _, want := range []string{"InfluxDB backend listener: 2 sends, 0 failed, 0 dropped", "Graphite backend listener:"} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).Match(log) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	_, rows := readJTL(t, jtl)
	failed := 0
	perLabel := map[string]int{}
	// The raw listener writes one point per sample, keyed (as JMeter's) by
	// label, status, thread and start millisecond: InfluxDB keeps one point
	// per key, so samples sharing one are stored once.
	rawKeys := map[string]bool{}
	for _, r := range rows {
		perLabel[r["label"]]++
		rawKeys[r["label"]+"|"+r["success"]+"|"+r["threadName"]+"|"+r["timeStamp"]] = true
		if r["success"] != "true" {
			failed++
		}
	}
	if len(rows) != 36 {
		t.Fatalf("%d JTL rows, want 36 (6 loops of 6 samples)", len(rows))
	}

	sum := func(database, q string) float64 {
		s := db.Query(t, database, q)
		if len(s) == 0 || len(s[0].Values) == 0 {
			t.Fatalf("%s: no data", q)
		}
		return s[0].Values[0][1].(float64)
	}
	if got := sum("jmeter", `SELECT sum("count") FROM jmeter WHERE "transaction"='all' AND "statut"='all'`); got != float64(len(rows)) {
		t.Errorf("InfluxDB summary count %v, JTL rows %d", got, len(rows))
	}
	if got := sum("jmeter", `SELECT sum("countError") FROM jmeter WHERE "transaction"='all'`); got != float64(failed) {
		t.Errorf("InfluxDB countError %v, JTL failures %d", got, failed)
	}
	for label, n := range perLabel {
		if got := sum("jmeter", `SELECT sum("count") FROM jmeter WHERE "transaction"='`+label+`' AND "statut"='all'`); got != float64(n) {
			t.Errorf("InfluxDB %s count %v, JTL %d", label, got, n)
		}
	}
	if got := sum("summary", `SELECT sum("count") FROM "jm summary" WHERE "transaction"='all'`); got != float64(len(rows)) {
		t.Errorf("summaryOnly listener count %v, JTL rows %d", got, len(rows))
	}
	if got := sum("raw", `SELECT count("duration") FROM jmeter_raw`); got != float64(len(rawKeys)) {
		t.Errorf("raw listener points %v, JTL rows %d with %d distinct point keys", got, len(rows), len(rawKeys))
	}
	if got := sum("jmeter", `SELECT count("text") FROM events`); got != 2 {
		t.Errorf("%v annotations, want started and ended", got)
	}

	data := graphite.WaitFor(t, "jmeter.test.endedT", 10*time.Second)
	total := 0
	for _, m := range regexp.MustCompile(`(?m)^jmeter\.all\.a\.count (\d+) `).FindAllStringSubmatch(data, -1) {
		n, _ := strconv.Atoi(m[1])
		total += n
	}
	if total != len(rows) {
		t.Errorf("Graphite jmeter.all.a.count adds up to %d, JTL rows %d", total, len(rows))
	}

	// gometer has exited: its target is down and Prometheus has marked the
	// series stale, so an instant query of them is empty. The last scraped
	// values are read over a range (range selectors skip stale markers).
	prom.WaitFor(t, lastScraped("sum", "gometer_samples_total"), 20*time.Second, func(r []realserver.Sample) bool {
		return len(r) == 1 && r[0].Value == float64(len(rows))
	})
}

// A plan carrying the JMeter Prometheus plugin's listener serves its
// collectors on prometheus.port; a real Prometheus scraping the run holds
// counts equal to the JTL's.
func TestPrometheusPluginListenerAgainstRealPrometheus(t *testing.T) {
	port := realserver.FreePort(t)
	prom := realserver.StartPrometheus(t, fmt.Sprintf("127.0.0.1:%d", port))
	prom.WaitFor(t, `up{job="gometer"}`, 30*time.Second, func(r []realserver.Sample) bool { return len(r) == 1 })
	_, tport := startTarget(t)
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	res := runGometer(t, dir, 120*time.Second, "-n", "-t", repoFile("testdata", "backend", "prometheus-plugin-run.jmx"), "-l", jtl,
		"-Jhost=127.0.0.1", "-Jport="+tport, "-Jprometheus.port="+strconv.Itoa(port), "-Jprometheus.delay=5")
	if res.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	_, rows := readJTL(t, jtl)
	failed := 0
	for _, r := range rows {
		if r["success"] != "true" {
			failed++
		}
	}
	// The run has ended: see lastScraped.
	prom.WaitFor(t, lastScraped("sum", "count_total"), 20*time.Second, func(r []realserver.Sample) bool {
		return len(r) == 1 && r[0].Value == float64(len(rows))
	})
	prom.WaitFor(t, lastScraped("sum", "ratio_failure"), 10*time.Second, func(r []realserver.Sample) bool {
		return len(r) == 1 && r[0].Value == float64(failed)
	})
	prom.WaitFor(t, lastScraped("sum", `rt_as_hist_count{label="Home"}`), 10*time.Second, func(r []realserver.Sample) bool {
		return len(r) == 1 && r[0].Value == 6
	})
}

// lastScraped is a PromQL query aggregating (with agg) each series' last
// scraped value of a counter from a target that is gone: once a scrape of
// an exited process fails, Prometheus writes stale markers and an instant
// query of the series is empty, whereas a range selector skips those
// markers (and a counter's maximum is its last value). Querying the series
// directly raced the first failed scrape and lost on a loaded machine.
func lastScraped(agg, series string) string {
	return agg + "(max_over_time(" + series + "[10m]))"
}
