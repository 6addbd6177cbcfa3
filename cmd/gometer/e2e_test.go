package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"github.com/gometer/gometer/internal/realserver"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/skipped"
)

// binPath is the gometer binary built once for the end-to-end tests.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gometer-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "gometer")
	out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building gometer: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := skipped.Main(m, "cmd/gometer")
	os.RemoveAll(dir)
	os.Exit(code)
}

// request is what the test server saw.
type request struct {
	Method, Path, Query, Body string
	Header                    http.Header
}

// recorder is a real HTTP server on loopback that records what it receives.
type recorder struct {
	mu   sync.Mutex
	reqs []request
	srv  *httptest.Server
}

func newRecorder(t *testing.T, h http.HandlerFunc) *recorder {
	rec := &recorder{}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, request{r.Method, r.URL.Path, r.URL.RawQuery, string(body), r.Header.Clone()})
		rec.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (r *recorder) port() string {
	_, p, _ := net.SplitHostPort(r.srv.Listener.Addr().String())
	return p
}

func (r *recorder) requests() []request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]request(nil), r.reqs...)
}

type runResult struct {
	code           int
	stdout, stderr string
}

func runGometer(t testing.TB, dir string, timeout time.Duration, args ...string) runResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("gometer %v did not finish in %v\nstdout:\n%s\nstderr:\n%s", args, timeout, out.String(), errb.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("gometer %v: %v", args, err)
	}
	return runResult{code, out.String(), errb.String()}
}

func readJTL(t *testing.T, path string) (header []string, rows []map[string]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s is not valid CSV: %v", path, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s is empty", path)
	}
	header = recs[0]
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range header {
			if i < len(r) {
				m[h] = r[i]
			}
		}
		rows = append(rows, m)
	}
	return header, rows
}

func repoFile(parts ...string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(append([]string{filepath.Dir(file), "..", ".."}, parts...)...)
}

const jmeter56Header = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect"

func TestRunBasicPlan(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	res := runGometer(t, dir, 60*time.Second, "-n", "-t", repoFile("testdata", "e2e", "basic.jmx"), "-l", jtl, "-J", "port="+rec.port(), "-Jusers=2", "-Jloops=3")
	if res.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	reqs := rec.requests()
	var gets, posts, missing int
	for _, r := range reqs {
		if got := r.Header.Get("X-Account"); got != "ACC-42" {
			t.Errorf("%s %s: X-Account = %q, want the UDV value ACC-42", r.Method, r.Path, got)
		}
		switch {
		case r.Method == "GET" && r.Path == "/market":
			gets++
			if r.Query != "symbol=EUR+USD" {
				t.Errorf("GET /market query = %q, want symbol=EUR+USD", r.Query)
			}
		case r.Method == "POST" && r.Path == "/orders":
			posts++
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("POST Content-Type = %q", ct)
			}
			if !strings.HasPrefix(r.Body, `{"account":"ACC-42","user":`) {
				t.Errorf("POST body = %q", r.Body)
			}
		case r.Path == "/missing":
			missing++
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.Path)
		}
	}
	if gets != 6 || posts != 6 || missing != 6 {
		t.Errorf("server saw %d GET /market, %d POST /orders, %d /missing; want 6 each (2 users x 3 loops)", gets, posts, missing)
	}
	header, rows := readJTL(t, jtl)
	if got := strings.Join(header, ","); got != jmeter56Header {
		t.Errorf("JTL header\n got %s\nwant %s", got, jmeter56Header)
	}
	if len(rows) != 18 {
		t.Fatalf("JTL has %d rows, want 18", len(rows))
	}
	byLabel := map[string]int{}
	for _, r := range rows {
		byLabel[r["label"]]++
		switch r["label"] {
		case "Missing page":
			if r["responseCode"] != "404" || r["success"] != "false" {
				t.Errorf("Missing page row: code %s success %s", r["responseCode"], r["success"])
			}
		default:
			if r["responseCode"] != "200" || r["success"] != "true" {
				t.Errorf("%s row: code %s success %s", r["label"], r["responseCode"], r["success"])
			}
		}
		if !strings.HasPrefix(r["threadName"], "Traders 1-") {
			t.Errorf("threadName %q", r["threadName"])
		}
		if !strings.HasPrefix(r["URL"], "http://127.0.0.1:"+rec.port()+"/") {
			t.Errorf("URL %q", r["URL"])
		}
	}
	if byLabel["Market data"] != 6 || byLabel["Place order"] != 6 || byLabel["Missing page"] != 6 {
		t.Errorf("rows per label %v", byLabel)
	}
	if !strings.Contains(res.stdout, "summary =     18 in ") {
		t.Errorf("no summariser total line in stdout:\n%s", res.stdout)
	}
	// Appending: a second run adds rows without a second header.
	res = runGometer(t, dir, 60*time.Second, "run", repoFile("testdata", "e2e", "basic.jmx"), "-l", jtl, "-Jport="+rec.port(), "-Jusers=1", "-Jloops=1")
	if res.code != 0 {
		t.Fatalf("second run exit %d: %s", res.code, res.stderr)
	}
	_, rows = readJTL(t, jtl)
	if len(rows) != 21 {
		t.Errorf("after appending, JTL has %d rows, want 21", len(rows))
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.jmx")
	os.WriteFile(broken, []byte("<?xml version=\"1.0\"?>\n<jmeterTestPlan>\n  <hashTree>\n    <TestPlan testname=\"x\">\n"), 0o644)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"usage", []string{"--no-such-flag"}, 2, "unknown flag"},
		{"missing plan", []string{"-n", "-t", filepath.Join(dir, "nope.jmx")}, 1, "nope.jmx"},
		{"broken xml", []string{"-n", "-t", broken}, 1, "broken.jmx:"},
		{"version", []string{"version"}, 0, "gometer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runGometer(t, dir, 30*time.Second, c.args...)
			if res.code != c.code {
				t.Errorf("exit %d, want %d\nstdout:%s\nstderr:%s", res.code, c.code, res.stdout, res.stderr)
			}
			if !strings.Contains(res.stdout+res.stderr, c.want) {
				t.Errorf("output does not mention %q:\n%s%s", c.want, res.stdout, res.stderr)
			}
			if strings.Contains(res.stderr, "goroutine ") || strings.Contains(res.stderr, "panic:") {
				t.Errorf("Go stack trace printed:\n%s", res.stderr)
			}
		})
	}
}

func TestHelpListsFlags(t *testing.T) {
	res := runGometer(t, t.TempDir(), 30*time.Second, "-h")
	for _, f := range []string{"-n", "-t", "-l", "-J", "-q", "-p", "-e", "-o", "-g", "validate", "demo", "compare"} {
		if !strings.Contains(res.stdout, f) {
			t.Errorf("help does not mention %s", f)
		}
	}
}

// TestSIGTERMKeepsEverySample stops a long run and checks that every request
// the server answered is in the JTL, the last line complete, and the exit 143.
func TestSIGTERMKeepsEverySample(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		io.WriteString(w, "ok")
	})
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	cmd := exec.Command(binPath, "-n", "-t", repoFile("testdata", "e2e", "basic.jmx"), "-l", jtl, "-Jport="+rec.port(), "-Jusers=4", "-Jloops=-1")
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(rec.requests()) < 40 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("gometer did not stop within 30 s of SIGTERM\n%s", out.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 143 {
		t.Errorf("exit %d after SIGTERM, want 143\n%s", code, out.String())
	}
	data, err := os.ReadFile(jtl)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(data, []byte("\n")) {
		t.Errorf("JTL's last line is incomplete")
	}
	_, rows := readJTL(t, jtl)
	if n := len(rec.requests()); len(rows) != n {
		t.Errorf("JTL has %d rows, server answered %d requests", len(rows), n)
	}
}

func TestValidate(t *testing.T) {
	res := runGometer(t, t.TempDir(), 30*time.Second, "validate", repoFile("testdata", "e2e", "basic.jmx"))
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	for _, want := range []string{"Traders", "Market data", "Place order"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("validate output lacks %q:\n%s", want, res.stdout)
		}
	}
	dir := t.TempDir()
	plan := filepath.Join(dir, "unsupported.jmx")
	data, _ := os.ReadFile(repoFile("testdata", "e2e", "basic.jmx"))
	s := strings.Replace(string(data), `<HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Missing page">`,
		`<JSR223Sampler guiclass="TestBeanGUI" testclass="JSR223Sampler" testname="Script"><stringProp name="scriptLanguage">javascript</stringProp><stringProp name="script">var ok = 1;&#10;sampler.setImageParser(true);</stringProp></JSR223Sampler><hashTree/><HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Missing page">`, 1)
	os.WriteFile(plan, []byte(s), 0o644)
	res = runGometer(t, dir, 30*time.Second, "validate", plan)
	if res.code != 1 {
		t.Errorf("validate of a plan with a JSR223Sampler: exit %d, want 1\n%s", res.code, res.stdout)
	}
	if !strings.Contains(res.stdout, "Script") || !strings.Contains(res.stdout, "unsupported.jmx:") || !strings.Contains(res.stdout, "line 2:1") || !strings.Contains(res.stdout, "sampler.setImageParser") {
		t.Errorf("validate does not name the element and line:\n%s", res.stdout)
	}
	// run refuses it, naming the element, before sending anything.
	rec := newRecorder(t, nil)
	res = runGometer(t, dir, 30*time.Second, "-n", "-t", plan, "-Jport="+rec.port())
	if res.code != 1 || !strings.Contains(res.stderr, "Script") {
		t.Errorf("run of an unsupported plan: exit %d, stderr:\n%s", res.code, res.stderr)
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent by a plan that was refused", n)
	}
}

func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("demo runs for several seconds")
	}
	dir := t.TempDir()
	res := runGometer(t, dir, 90*time.Second, "demo", "--duration", "4s")
	if res.code != 0 {
		t.Fatalf("demo exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	_, rows := readJTL(t, filepath.Join(dir, "demo-results.jtl"))
	if len(rows) < 5 {
		t.Errorf("demo wrote %d rows", len(rows))
	}
	if _, err := os.Stat(filepath.Join(dir, "demo-report", "index.html")); err != nil {
		t.Errorf("demo report: %v", err)
	}
	screenshotDemo(t, filepath.Join(dir, "demo-report", "index.html"))
	sc := bufio.NewScanner(strings.NewReader(res.stdout))
	found := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "summary =") {
			found = true
		}
	}
	if !found {
		t.Errorf("demo printed no summary line:\n%s", res.stdout)
	}
	// one report holds HTTP, WebSocket and (with a PostgreSQL here) JDBC samples
	ok := map[string]int{}
	for _, r := range rows {
		if r["success"] == "true" {
			ok[r["label"]]++
		}
	}
	want := []string{"Login", "Price stream: subscribe", "Price stream: read quote"}
	if _, err := os.Stat(filepath.Join(realserver.PostgresBin, "postgres")); err == nil {
		want = append(want, "Order book: create table", "Order book: place order", "Order book: best bid and ask")
	} else if !strings.Contains(res.stdout, "Order book (JDBC) left out: ") {
		t.Errorf("without PostgreSQL the demo did not say it left the order book out:\n%s", res.stdout)
	}
	for _, l := range want {
		if ok[l] == 0 {
			t.Errorf("demo: no successful %q sample (successful samples by label: %v)", l, ok)
		}
	}
}

// On a machine without PostgreSQL the demo's merged plan runs with the
// order book off: the JDBC configuration is compiled but never connects,
// and HTTP and WebSocket samples run as usual.
func TestDemoPlanWithoutDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo plan for a few seconds")
	}
	dir, plan, err := writeDemoPlan(demoPlan, demoStreams)
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	d := newDemoServer(t, nil)
	rows := runDemoPlan(t, d, plan, 90*time.Second, "duration=3", "rampup=1", "think_min=10", "think_range=40",
		"db_url=jdbc:postgresql://127.0.0.1:1/none")
	labels := map[string]int{}
	for _, r := range rows {
		if r["success"] != "true" {
			t.Errorf("%s failed: %s %s", r["label"], r["responseCode"], r["responseMessage"])
		}
		labels[r["label"]]++
	}
	if labels["Price stream: read quote"] == 0 || labels["Dashboard"] == 0 {
		t.Errorf("labels %v", labels)
	}
	for l := range labels {
		if strings.HasPrefix(l, "Order book") {
			t.Errorf("order book sample %q without a database", l)
		}
	}
}

// TestFailOnThresholds checks the CI gate: exit 3 and a table when a
// threshold is passed, 0 when it holds, and the report's verdict line.
func TestFailOnThresholds(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	plan := repoFile("testdata", "e2e", "basic.jmx")
	// One request in three answers 404: 33 % errors.
	res := runGometer(t, dir, 60*time.Second, "-n", "-t", plan, "-l", filepath.Join(dir, "a.jtl"), "-e", "-o", filepath.Join(dir, "rep"),
		"-Jport="+rec.port(), "-Jusers=1", "-Jloops=3", "--fail-on", "error%>10", "--fail-on", "label:Market data:p95<100000ms")
	if res.code != 3 {
		t.Fatalf("exit %d, want 3\n%s%s", res.code, res.stdout, res.stderr)
	}
	if !strings.Contains(res.stdout, "error%>10") || strings.Contains(res.stdout, "p95<100000ms |") && !strings.Contains(res.stdout, "Market data") {
		t.Errorf("violation table does not name the failed threshold:\n%s", res.stdout)
	}
	page, err := os.ReadFile(filepath.Join(dir, "rep", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "threshold(s) exceeded") {
		t.Errorf("the report's verdict does not say the thresholds failed")
	}
	res = runGometer(t, dir, 60*time.Second, "-n", "-t", plan, "-l", filepath.Join(dir, "b.jtl"),
		"-Jport="+rec.port(), "-Jusers=1", "-Jloops=3", "--fail-on", "error%>50")
	if res.code != 0 {
		t.Errorf("a threshold that holds: exit %d, want 0\n%s", res.code, res.stdout)
	}
	res = runGometer(t, dir, 30*time.Second, "-n", "-t", plan, "--fail-on", "p95>>5")
	if res.code != 2 {
		t.Errorf("a malformed threshold: exit %d, want 2 (usage)", res.code)
	}
}

// TestReportFromJTL makes a report from an existing JTL with JMeter's -g
// spelling and with `report`, and refuses a foreign non-empty folder.
func TestReportFromJTL(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	jtl := filepath.Join(dir, "r.jtl")
	if res := runGometer(t, dir, 60*time.Second, "-n", "-t", repoFile("testdata", "e2e", "basic.jmx"), "-l", jtl, "-Jport="+rec.port()); res.code != 0 {
		t.Fatalf("run: exit %d %s", res.code, res.stderr)
	}
	res := runGometer(t, dir, 60*time.Second, "-g", jtl, "-o", filepath.Join(dir, "rep1"))
	if res.code != 0 {
		t.Fatalf("-g: exit %d %s", res.code, res.stderr)
	}
	for _, f := range []string{"index.html", "statistics.json"} {
		if _, err := os.Stat(filepath.Join(dir, "rep1", f)); err != nil {
			t.Errorf("-g did not write %s", f)
		}
	}
	stats, _ := os.ReadFile(filepath.Join(dir, "rep1", "statistics.json"))
	for _, key := range []string{`"Total"`, `"Market data"`, `"sampleCount" : 6`, `"pct1ResTime"`} {
		if !strings.Contains(string(stats), key) {
			t.Errorf("statistics.json lacks %s", key)
		}
	}
	foreign := filepath.Join(dir, "foreign")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("keep me"), 0o644)
	if res := runGometer(t, dir, 30*time.Second, "report", jtl, "-o", foreign, "-f"); res.code != 1 {
		t.Errorf("report into a folder with a foreign file, even with -f: exit %d, want 1", res.code)
	}
	if _, err := os.Stat(filepath.Join(foreign, "notes.txt")); err != nil {
		t.Errorf("-f deleted a file that is not part of a report")
	}
	if res := runGometer(t, dir, 30*time.Second, "report", jtl, "-o", filepath.Join(dir, "rep1")); res.code != 1 {
		t.Errorf("report into a previous report without -f: exit %d, want 1", res.code)
	}
	if res := runGometer(t, dir, 30*time.Second, "report", jtl, "-o", filepath.Join(dir, "rep1"), "-f"); res.code != 0 {
		t.Errorf("report over a previous report with -f: exit %d, want 0: %s", res.code, res.stderr)
	}

	// A file that is no JTL at all is an error naming its first line, not an
	// empty report; the list of skipped rows stays short.
	notJTL := filepath.Join(dir, "notes.jtl")
	var text strings.Builder
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&text, "line %d of some notes, not results\n", i)
	}
	os.WriteFile(notJTL, []byte(text.String()), 0o644)
	res = runGometer(t, dir, 30*time.Second, "-g", notJTL, "-o", filepath.Join(dir, "rep2"))
	if res.code != 1 || !strings.Contains(res.stderr, "not a JTL") || !strings.Contains(res.stderr, "notes.jtl:1:") ||
		!strings.Contains(res.stderr, "skipped 40 more malformed rows") {
		t.Errorf("-g with a file that is not a JTL: exit %d\n%s", res.code, res.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "rep2", "index.html")); err == nil {
		t.Errorf("a report was written from a file that is not a JTL")
	}
}

// screenshotDemo keeps a picture of the demo report as a test artifact
// (in $GOMETER_ARTIFACTS when set), drawn by a real headless Chromium.
func screenshotDemo(t *testing.T, page string) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Log("chromium not installed: no screenshot of the demo report")
		return
	}
	out := os.Getenv("GOMETER_ARTIFACTS")
	if out == "" {
		out = t.TempDir()
	}
	os.MkdirAll(out, 0o755)
	shot := filepath.Join(out, "demo-report.png")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--no-first-run", "--user-data-dir="+t.TempDir(), "--window-size=1400,2000",
		"--screenshot="+shot, "file://"+page)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("chromium screenshot of the demo report: %v\n%s", err, b)
		return
	}
	if fi, err := os.Stat(shot); err != nil || fi.Size() < 10000 {
		t.Errorf("demo report screenshot missing or blank: %v", err)
		return
	}
	t.Logf("demo report screenshot: %s", shot)
}

// TestShardSplitsUsers runs one plan as two shards: together they send what
// one unsharded run sends, each about half.
func TestShardSplitsUsers(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	plan := repoFile("testdata", "e2e", "basic.jmx")
	var rows []int
	for _, shard := range []string{"1/2", "2/2"} {
		jtl := filepath.Join(dir, strings.ReplaceAll(shard, "/", "of")+".jtl")
		res := runGometer(t, dir, 60*time.Second, "-n", "-t", plan, "-l", jtl, "-Jport="+rec.port(), "-Jusers=4", "-Jloops=1", "--shard", shard)
		if res.code != 0 {
			t.Fatalf("shard %s: exit %d %s", shard, res.code, res.stderr)
		}
		_, r := readJTL(t, jtl)
		rows = append(rows, len(r))
	}
	if rows[0]+rows[1] != 12 || rows[0] == 0 || rows[1] == 0 {
		t.Errorf("shards wrote %v rows, want two non-empty parts of 12 (4 users x 3 samplers)", rows)
	}
	if n := len(rec.requests()); n != 12 {
		t.Errorf("server saw %d requests from both shards, want 12", n)
	}
}
