// Package skipped lets tests that need something outside the repository
// (JMeter, the public plan corpus, Chromium, a database server) skip loudly:
// each skip is counted and Main prints a one-line summary per package at the
// end of the run, in the default `go test ./...` output and not only
// under -v.
//
// `go test` shows a passing package's output only with -v, so the summary is
// written to the go command's own standard error (see summaryWriter), and a
// package that skipped something is not cached by go test: a cached replay
// would print "ok" without the summary.
package skipped

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// RequireEnv is the variable CI sets: what CI installs must then be there,
// and a test needing it fails instead of skipping.
const RequireEnv = "GOMETER_REQUIRE_SERVERS"

// Things CI provides (see .ci/run); the rest (JMeter, the corpus) may be
// absent in CI too.
var providedByCI = map[string]bool{"Chromium": true, "InfluxDB": true, "Prometheus": true, "Graphite carbon": true, "PostgreSQL": true, "Redis": true, "MariaDB": true}

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
	markUncacheable(pkgMarker)
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
	pkgMarker = markerPath()
	code := m.Run()
	if line := Summary(pkg); line != "" {
		if pkgMarker != "" {
			touch(pkgMarker)
		}
		w, closeW := summaryWriter()
		fmt.Fprintln(w, line)
		closeW()
	}
	return code
}

// pkgMarker is the file a skipping test opens so that go test's cache sees a
// just-modified input and does not store the result: go refuses to cache a
// run whose opened files changed within the last two seconds, and rechecks
// only files inside the module, so the marker lives in the package's
// directory (the test's working directory; the name is in .gitignore and,
// starting with a dot, ignored by the go tool). Set once by Main before any
// test runs.
var pkgMarker string

// markerName is the marker's file name in the package directory.
const markerName = ".gometer-skipped"

func markerPath() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	return filepath.Join(wd, markerName)
}

// markUncacheable opens the marker so go test's log of opened files names it.
func markUncacheable(path string) {
	if path == "" {
		return
	}
	if f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
		f.Close()
	}
}

// touch makes the marker just modified when the test binary exits.
func touch(path string) {
	now := time.Now()
	if err := os.Chtimes(path, now, now); err != nil {
		markUncacheable(path)
	}
}

// summaryWriter is the go command's standard error when reachable, else its
// standard output, else the test binary's standard error (shown by go test
// only with -v or on failure).
func summaryWriter() (io.Writer, func()) {
	if testing.Verbose() {
		return os.Stdout, func() {}
	}
	for _, fd := range []int{2, 1} {
		if f := parentFD(fd); f != nil {
			return f, func() { f.Close() }
		}
	}
	return os.Stderr, func() {}
}
