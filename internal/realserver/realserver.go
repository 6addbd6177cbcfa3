// Package realserver starts the real servers tests check gometer against
// (InfluxDB, Prometheus, Graphite's carbon-cache, …), each on free loopback
// ports in the test's temporary directory and stopped when the test ends.
// A missing server skips the test with a clear reason, or fails it when
// GOMETER_REQUIRE_SERVERS=1 (CI installs them all).
package realserver

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/skipped"
)

// need returns the path of binary or skips the test, counted in the
// package's skip summary (see internal/skipped), or fails it under
// GOMETER_REQUIRE_SERVERS=1. server names it as skipped.Need knows it.
func need(t testing.TB, server, binary, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(binary)
	if err == nil {
		return p
	}
	skipped.Need(t, server, fmt.Sprintf("%s not installed (Debian package %s)", binary, pkg))
	return ""
}

// FreePort returns a loopback port nothing listens on right now.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// start runs cmd with its output in dir/name.log, killed at cleanup.
func start(t testing.TB, dir, name string, cmd *exec.Cmd) {
	t.Helper()
	log, err := os.Create(dir + "/" + name + ".log")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	// The server dies with the test binary even when a test times out and
	// its cleanups never run.
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		log.Close()
	})
}

// waitUntil polls ok every 50 ms until it holds or the deadline passes,
// then fails the test with the server's log.
func waitUntil(t testing.TB, what, logPath string, timeout time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logPath)
			t.Fatalf("%s not ready within %v; log:\n%s", what, timeout, b)
		}
		time.Sleep(50 * time.Millisecond) // polling a server's readiness, not synchronising test steps
	}
}

// pollProcess runs ready every interval until it reports true, the process
// whose Wait result arrives on done exits (the result is put back for its
// Stop), or limit passes.
func pollProcess(limit, interval time.Duration, done chan error, ready func(ctx context.Context) bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for {
		select {
		case err := <-done:
			done <- err
			return fmt.Errorf("exited: %v", err)
		default:
		}
		if ready(ctx) {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		t := time.NewTimer(interval) // polling interval, not a synchronisation
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}
}

// stopProcess sends sig (the server's clean shutdown), waits up to 20 s
// for done, then kills the process.
func stopProcess(cmd *exec.Cmd, done chan error, sig os.Signal) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// startLogged starts cmd with its output in logPath and returns the channel
// its Wait result arrives on (the log is closed then).
func startLogged(cmd *exec.Cmd, logPath string) (chan error, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait(); logf.Close() }()
	return done, nil
}
