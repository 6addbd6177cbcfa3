// Package skipped lets tests that need something outside the repository
// (JMeter, the public plan corpus, Chromium, a database server) skip loudly:
// each skip is counted and Main prints a one-line summary per package at the
// end of the run, in the default `go test ./...` output and not only
// under -v.
//
// `go test` shows a passing package's output only with -v, so the summary is
// written to the go command's own standard error (Linux: /proc/<ppid>/fd/2)
// when that is a terminal or a pipe (CI logs, `go test ./... | tee`), else
// to the test binary's (shown with -v or on failure).
package skipped

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
)

// RequireEnv is the variable CI sets: what CI installs must then be there,
// and a test needing it fails instead of skipping.
const RequireEnv = "GOMETER_REQUIRE_SERVERS"

// Things CI provides (see .ci/run); the rest (JMeter, the corpus) may be
// absent in CI too.
var providedByCI = map[string]bool{"Chromium": true, "InfluxDB": true, "Prometheus": true, "Graphite carbon": true, "PostgreSQL": true, "Redis": true}

// counts is per test binary: one package's tests.
var counts = struct {
	sync.Mutex
	n      map[string]int
	reason map[string]string
}{n: map[string]int{}, reason: map[string]string{}}

// Need skips t because what (e.g. "JMeter", "Chromium", "corpus") is
// missing, for reason. Under GOMETER_REQUIRE_SERVERS=1 a thing CI provides
// fails the test instead.
func Need(t testing.TB, what, reason string) {
	t.Helper()
	if providedByCI[what] && os.Getenv(RequireEnv) == "1" {
		t.Fatalf("needs %s, which %s=1 requires: %s", what, RequireEnv, reason)
	}
	counts.Lock()
	counts.n[what]++
	counts.reason[what] = reason
	counts.Unlock()
	t.Skipf("needs %s: %s", what, reason)
}

// Summary is the one-line account of what was skipped, "" when nothing was.
func Summary(pkg string) string {
	counts.Lock()
	defer counts.Unlock()
	if len(counts.n) == 0 {
		return ""
	}
	names := make([]string, 0, len(counts.n))
	for w := range counts.n {
		names = append(names, w)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, w := range names {
		parts[i] = fmt.Sprintf("%d test(s) need %s (%s)", counts.n[w], w, counts.reason[w])
	}
	return fmt.Sprintf("SKIPPED in %s: %s", pkg, strings.Join(parts, "; "))
}

// Main runs the package's tests and prints the summary; use it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(skipped.Main(m, "report")) }
func Main(m *testing.M, pkg string) int {
	code := m.Run()
	if line := Summary(pkg); line != "" {
		w, closeW := summaryWriter()
		fmt.Fprintln(w, line)
		closeW()
	}
	return code
}

// summaryWriter is the go command's standard error when reachable.
func summaryWriter() (io.Writer, func()) {
	if testing.Verbose() {
		return os.Stdout, func() {}
	}
	path := fmt.Sprintf("/proc/%d/fd/2", os.Getppid())
	// A terminal or a pipe only: on a regular file the go command's next
	// write, at its own offset, would overwrite the line.
	if fi, err := os.Stat(path); err != nil || fi.Mode().IsRegular() {
		return os.Stderr, func() {}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return os.Stderr, func() {}
	}
	return f, func() { f.Close() }
}
