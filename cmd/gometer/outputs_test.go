package main

import (
	"github.com/gometer/gometer/internal/backendtest"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The -l file saves what its configuration asks for, also when the plan has
// no listener of its own: with requestHeaders on, every XML sample carries
// the request headers it sent (JMeter 5.6.3 writes them; they used to be
// empty because the engine only asked the plan's listeners what they read).
func TestResultsFileSavesRequestHeaders(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.xml")
	res := runGometer(t, dir, 60*time.Second, "-n", "-t", repoFile("testdata", "e2e", "basic.jmx"), "-l", out,
		"-J", "port="+rec.port(), "-Jusers=1", "-Jloops=1",
		"-Jjmeter.save.saveservice.output_format=xml", "-Jjmeter.save.saveservice.requestHeaders=true")
	if res.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	headers := regexp.MustCompile(`(?s)<requestHeader class="java.lang.String">(.*?)</requestHeader>`).FindAllStringSubmatch(string(data), -1)
	if len(headers) != 3 {
		t.Fatalf("%d requestHeader elements, want 3 (one per sample):\n%s", len(headers), data)
	}
	for _, h := range headers {
		if !strings.Contains(h[1], "X-Account: ACC-42") {
			t.Errorf("request headers %q, want the plan's X-Account header", h[1])
		}
	}
	if n := len(rec.requests()); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
}

// silentServer accepts connections and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// Against a server that never answers, the live status (plain lines when
// stdout is not a terminal, at the summariser's interval) shows the users
// waiting with the age of the oldest request; the end summary names the
// error. --quiet leaves the status out.
func TestLiveStatusShowsWaitingUsers(t *testing.T) {
	port := silentServer(t)
	dir := t.TempDir()
	plan := loopPlan(t, dir, port, 3, 0, 1, step{label: "Login", path: "/login", responseTimeout: "4000"})
	res := runGometer(t, dir, 60*time.Second, "-n", "-t", plan, "-Jsummariser.interval=1")
	if res.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	if strings.Contains(res.stdout, "\033[") {
		t.Errorf("terminal control characters in a non-terminal stdout:\n%q", res.stdout)
	}
	if !regexp.MustCompile(`(?m)^00:00:0\d  users 3  0\.0 req/s  err 0\.00%  p95 -  samples 0  in flight 3 \(oldest \d\.\ds\)$`).MatchString(res.stdout) {
		t.Errorf("no status line showing 3 users waiting:\n%s", res.stdout)
	}
	if !regexp.MustCompile(`Top errors \(3 in all\):\n +3  .*(?i:timeout|timed out).*  \(first: Login\)`).MatchString(res.stdout) {
		t.Errorf("end summary does not name the timeouts:\n%s", res.stdout)
	}
	quiet := runGometer(t, dir, 60*time.Second, "-n", "-t", plan, "-Jsummariser.interval=1", "--quiet")
	if strings.Contains(quiet.stdout, "in flight") {
		t.Errorf("--quiet printed the live status:\n%s", quiet.stdout)
	}
}

// A property adds JMeter's InfluxDB Backend Listener to a plan that has
// none: every sample reaches it (the "all" lines' counts add up to the
// JTL's rows), with the arguments the properties give.
func TestBackendListenerFromProperties(t *testing.T) {
	rec := newRecorder(t, nil)
	influx := backendtest.NewRecorder(t)
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	res := runGometer(t, dir, 60*time.Second, "-n", "-t", repoFile("testdata", "e2e", "basic.jmx"), "-l", jtl,
		"-J", "port="+rec.port(), "-Jusers=2", "-Jloops=3",
		"-Jgometer.backend.influxdb.url="+influx.URL+"/write?db=jmeter", "-Jgometer.backend.influxdb.application=ci run")
	if res.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	_, rows := readJTL(t, jtl)
	total := 0
	for _, w := range influx.Writes() {
		if w.URL != "/write?db=jmeter" {
			t.Errorf("write to %s", w.URL)
		}
		for _, line := range strings.Split(w.Body, "\n") {
			m := regexp.MustCompile(`^jmeter,application=ci\\ run,transaction=all,statut=all count=([0-9.]+),`).FindStringSubmatch(line)
			if m != nil {
				n, _ := strconv.ParseFloat(m[1], 64)
				total += int(n)
			}
		}
	}
	if total != len(rows) || len(rows) != 18 {
		t.Errorf("the listener counted %d samples, the JTL has %d rows (want 18)\nwrites: %+v", total, len(rows), influx.Writes())
	}
}
