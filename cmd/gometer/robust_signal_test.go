package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// step is one HTTP request of a generated plan, to 127.0.0.1.
type step struct {
	label, path     string
	responseTimeout string // ms; "" none
}

// loopPlan writes a plan with one thread group of users (ramp-up in
// seconds, loops -1 for ever) running steps against port.
func loopPlan(t *testing.T, dir, port string, users, ramp, loops int, steps ...step) string {
	t.Helper()
	var b strings.Builder
	for _, s := range steps {
		fmt.Fprintf(&b, `
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="%s">
          <elementProp name="HTTPsampler.Arguments" elementType="Arguments"><collectionProp name="Arguments.arguments"/></elementProp>
          <stringProp name="HTTPSampler.domain">127.0.0.1</stringProp>
          <stringProp name="HTTPSampler.port">%s</stringProp>
          <stringProp name="HTTPSampler.protocol">http</stringProp>
          <stringProp name="HTTPSampler.path">%s</stringProp>
          <stringProp name="HTTPSampler.method">GET</stringProp>
          <boolProp name="HTTPSampler.use_keepalive">true</boolProp>
          <stringProp name="HTTPSampler.response_timeout">%s</stringProp>
        </HTTPSamplerProxy>
        <hashTree/>`, html.EscapeString(s.label), port, html.EscapeString(s.path), s.responseTimeout)
	}
	plan := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Signal Plan"/>
    <hashTree>
      <ThreadGroup guiclass="ThreadGroupGui" testclass="ThreadGroup" testname="Users">
        <stringProp name="ThreadGroup.on_sample_error">continue</stringProp>
        <elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" testclass="LoopController" testname="Loop Controller">
          <stringProp name="LoopController.loops">%d</stringProp>
          <boolProp name="LoopController.continue_forever">false</boolProp>
        </elementProp>
        <stringProp name="ThreadGroup.num_threads">%d</stringProp>
        <stringProp name="ThreadGroup.ramp_time">%d</stringProp>
        <boolProp name="ThreadGroup.scheduler">false</boolProp>
        <stringProp name="ThreadGroup.duration"></stringProp>
        <stringProp name="ThreadGroup.delay"></stringProp>
        <boolProp name="ThreadGroup.same_user_on_next_iteration">true</boolProp>
      </ThreadGroup>
      <hashTree>%s
      </hashTree>
    </hashTree>
  </hashTree>
</jmeterTestPlan>
`, loops, users, ramp, b.String())
	path := filepath.Join(dir, "plan.jmx")
	if err := os.WriteFile(path, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// running is a gometer process started in the background.
type running struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

type lockedWriter struct{ r *running }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.r.mu.Lock()
	defer w.r.mu.Unlock()
	return w.r.out.Write(p)
}

func (r *running) output() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.String()
}

// startGometer starts gometer; the process is killed at the end of the
// test if it is still running.
func startGometer(t *testing.T, dir string, args ...string) *running {
	t.Helper()
	r := &running{cmd: exec.Command(binPath, args...), done: make(chan struct{})}
	r.cmd.Dir = dir
	r.cmd.Stdout, r.cmd.Stderr = lockedWriter{r}, lockedWriter{r}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r.cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			r.cmd.Process.Kill()
			<-r.done
		}
	})
	return r
}

// wait returns the exit code, or fails the test when the process does not
// end within d.
func (r *running) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-r.done:
		return r.cmd.ProcessState.ExitCode()
	case <-time.After(d):
		t.Fatalf("gometer did not end within %v\n%s", d, r.output())
		return -1
	}
}

func (r *running) exited() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// waitFor polls cond for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// checkJTLComplete asserts the JTL ends with a complete line and returns its rows.
func checkJTLComplete(t *testing.T, jtl string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(jtl)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(data, []byte("\n")) {
		t.Errorf("the JTL's last line is incomplete: %q", data[max(0, len(data)-80):])
	}
	_, rows := readJTL(t, jtl)
	return rows
}

func TestSIGINTExits130(t *testing.T) {
	srv, port := startTarget(t)
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	plan := loopPlan(t, dir, port, 3, 0, -1, step{label: "Slow", path: "/delay/20"}, step{label: "Echo", path: "/echo"})
	before := srv.Count()
	reportDir := filepath.Join(dir, "report")
	r := startGometer(t, dir, "-n", "-t", plan, "-l", jtl, "-e", "-o", reportDir)
	if !waitFor(30*time.Second, func() bool { return srv.Count()-before >= 30 }) {
		t.Fatalf("the run did not get going:\n%s", r.output())
	}
	r.cmd.Process.Signal(syscall.SIGINT)
	if code := r.wait(t, 60*time.Second); code != 130 {
		t.Errorf("exit %d after SIGINT, want 130\n%s", code, r.output())
	}
	out := r.output()
	if !strings.Contains(out, "stopped by SIGINT") {
		t.Errorf("no line says the run was stopped by SIGINT:\n%s", out)
	}
	rows := checkJTLComplete(t, jtl)
	if got := srv.Count() - before; int64(len(rows)) != got {
		t.Errorf("JTL has %d rows, the server answered %d requests", len(rows), got)
	}
	// Every output has every sample: the summariser's last total and the
	// report's statistics agree with the JTL.
	total := -1
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "summary = ") {
			fmt.Sscanf(strings.TrimPrefix(line, "summary = "), "%d", &total)
		}
	}
	if total != len(rows) {
		t.Errorf("the summariser's total is %d, the JTL has %d rows\n%s", total, len(rows), out)
	}
	data, err := os.ReadFile(filepath.Join(reportDir, "statistics.json"))
	if err != nil {
		t.Fatalf("no report after SIGINT: %v\n%s", err, out)
	}
	var stats map[string]struct {
		SampleCount int `json:"sampleCount"`
	}
	if err := json.Unmarshal(data, &stats); err != nil {
		t.Fatal(err)
	}
	if got := stats["Total"].SampleCount; got != len(rows) {
		t.Errorf("the report counts %d samples, the JTL has %d rows", got, len(rows))
	}
}

// TestSecondSignalStopsAtOnce: with every user stuck in a request that is
// never answered, the first SIGTERM waits for them; the second stops at
// once, and the JTL still has every answered sample and a complete last line.
func TestSecondSignalStopsAtOnce(t *testing.T) {
	srv, port := startTarget(t)
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	// Each user answers "Quick" then hangs in "Stuck" (no response timeout).
	plan := loopPlan(t, dir, port, 3, 0, -1, step{label: "Quick", path: "/status/200"}, step{label: "Stuck", path: "/fault/hang"})
	before := srv.Count()
	r := startGometer(t, dir, "-n", "-t", plan, "-l", jtl)
	if !waitFor(30*time.Second, func() bool { return srv.Count()-before >= 3 }) {
		t.Fatalf("the users did not start:\n%s", r.output())
	}
	time.Sleep(300 * time.Millisecond) // let them reach the hanging request
	r.cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(time.Second)
	if r.exited() {
		t.Fatalf("gometer ended on the first SIGTERM although requests were in flight\n%s", r.output())
	}
	sent := time.Now()
	r.cmd.Process.Signal(syscall.SIGTERM)
	code := r.wait(t, 30*time.Second)
	if d := time.Since(sent); d > 10*time.Second {
		t.Errorf("the second signal took %v to stop the run", d)
	}
	if code != 143 {
		t.Errorf("exit %d, want 143\n%s", code, r.output())
	}
	rows := checkJTLComplete(t, jtl)
	quick, stuck := byLabel(rows, "Quick"), byLabel(rows, "Stuck")
	if got := srv.Count() - before; int64(len(quick)) != got || got < 3 {
		t.Errorf("JTL has %d Quick rows, the server answered %d requests", len(quick), got)
	}
	// The requests cut short are failed samples, not lost ones.
	if len(stuck) != 3 {
		t.Errorf("%d Stuck rows, want one per user (3)", len(stuck))
	}
	for _, s := range stuck {
		if s["success"] != "false" || !strings.HasPrefix(s["responseCode"], nonHTTPCode) {
			t.Errorf("Stuck row: %s %s %s", s["success"], s["responseCode"], s["responseMessage"])
		}
	}
}

// TestSIGTERMDuringRampUp: users not started yet never start, those running
// end, every answered sample is in the JTL.
func TestSIGTERMDuringRampUp(t *testing.T) {
	srv, port := startTarget(t)
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	// 20 users over 20 s: one more each second.
	plan := loopPlan(t, dir, port, 20, 20, -1, step{label: "Slow", path: "/delay/50"})
	before := srv.Count()
	r := startGometer(t, dir, "-n", "-t", plan, "-l", jtl)
	if !waitFor(30*time.Second, func() bool { return srv.Count()-before >= 20 }) {
		t.Fatalf("the run did not get going:\n%s", r.output())
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	sent := time.Now()
	code := r.wait(t, 30*time.Second)
	if d := time.Since(sent); d > 10*time.Second {
		t.Errorf("stopping during ramp-up took %v", d)
	}
	if code != 143 {
		t.Errorf("exit %d, want 143\n%s", code, r.output())
	}
	rows := checkJTLComplete(t, jtl)
	if got := srv.Count() - before; int64(len(rows)) != got {
		t.Errorf("JTL has %d rows, the server answered %d requests", len(rows), got)
	}
	users := map[string]bool{}
	for _, row := range rows {
		users[row["threadName"]] = true
	}
	if len(users) == 0 || len(users) >= 20 {
		t.Errorf("%d users sampled; the ramp-up was stopped early, want some but not all 20", len(users))
	}
}

// TestJTLWriteFailureStopsTheRun: results that cannot be written stop an
// endless run with a clear message and exit 1.
func TestJTLWriteFailureStopsTheRun(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	srv, port := startTarget(t)
	dir := t.TempDir()
	plan := loopPlan(t, dir, port, 2, 0, -1, step{label: "Echo", path: "/echo"})
	before := srv.Count()
	r := startGometer(t, dir, "-n", "-t", plan, "-l", "/dev/full")
	if code := r.wait(t, 60*time.Second); code != 1 {
		t.Errorf("exit %d, want 1\n%s", code, r.output())
	}
	out := r.output()
	if !strings.Contains(out, "/dev/full") || !strings.Contains(out, "no space left on device") {
		t.Errorf("the message does not name the file and the cause:\n%s", out)
	}
	if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic:") {
		t.Errorf("Go stack trace:\n%s", out)
	}
	if srv.Count() == before {
		t.Errorf("no request was sent: the failure was not met mid-run")
	}
}

// TestUnwritableJTLPath: a results file that cannot be created is refused
// before anything is sent.
func TestUnwritableJTLPath(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	var jtl string
	if os.Geteuid() == 0 {
		// root writes into read-only directories: use a path below a file.
		f := filepath.Join(dir, "file")
		os.WriteFile(f, []byte("x"), 0o644)
		jtl = filepath.Join(f, "out.jtl")
	} else {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		jtl = filepath.Join(ro, "out.jtl")
	}
	res := runGometer(t, dir, 30*time.Second, "-n", "-t", repoFile("testdata", "e2e", "basic.jmx"), "-l", jtl, "-Jport="+rec.port(), "-Jusers=1", "-Jloops=1")
	if res.code != 1 {
		t.Errorf("exit %d, want 1\n%s%s", res.code, res.stdout, res.stderr)
	}
	if !strings.Contains(res.stderr, jtl) {
		t.Errorf("the message does not name %s:\n%s", jtl, res.stderr)
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent although the results file cannot be written", n)
	}
}

// TestFirstSignalGraceIsBounded: after one SIGTERM, requests in flight get a
// bounded grace period, then the run stops and flushes like a second signal.
func TestFirstSignalGraceIsBounded(t *testing.T) {

	srv, port := startTarget(t)
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	plan := loopPlan(t, dir, port, 2, 0, -1, step{label: "Quick", path: "/status/200"}, step{label: "Stuck", path: "/fault/hang"})
	before := srv.Count()
	r := startGometer(t, dir, "-n", "-t", plan, "-l", jtl)
	if !waitFor(30*time.Second, func() bool { return srv.Count()-before >= 2 }) {
		t.Fatalf("the users did not start:\n%s", r.output())
	}
	time.Sleep(300 * time.Millisecond)
	r.cmd.Process.Signal(syscall.SIGTERM)
	if code := r.wait(t, 90*time.Second); code != 143 {
		t.Errorf("exit %d, want 143\n%s", code, r.output())
	}
	rows := checkJTLComplete(t, jtl)
	if got := srv.Count() - before; int64(len(byLabel(rows, "Quick"))) != got {
		t.Errorf("JTL has %d Quick rows, the server answered %d", len(byLabel(rows, "Quick")), got)
	}
}
