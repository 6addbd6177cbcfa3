package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var logLine = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARN|ERROR) [a-z.]+: `)

func readLog(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no log file: %v", err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	for _, l := range lines {
		if !logLine.MatchString(l) {
			t.Errorf("log line not in JMeter's layout: %q", l)
		}
	}
	return lines
}

func countWith(lines []string, frag string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, frag) {
			n++
		}
	}
	return n
}

// A run logs to jmeter.log in the working directory (replaced each run) in
// JMeter's layout; -j names the file; -L DEBUG adds each request's line;
// -L category=LEVEL sets one category.
func TestLogFileAndLevels(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	plan := repoFile("testdata", "e2e", "basic.jmx")
	args := []string{"-n", "-t", plan, "-Jport=" + rec.port(), "-Jusers=1", "-Jloops=1", "-i", "log4j2.xml"}
	os.WriteFile(filepath.Join(dir, "jmeter.log"), []byte("left from an earlier run\n"), 0o644)
	if res := runGometer(t, dir, 60*time.Second, args...); res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	lines := readLog(t, filepath.Join(dir, "jmeter.log"))
	if countWith(lines, " WARN gometer: -i log4j2.xml is ignored") != 1 || countWith(lines, " DEBUG ") != 0 {
		t.Errorf("default jmeter.log:\n%s", strings.Join(lines, "\n"))
	}

	res := runGometer(t, dir, 60*time.Second, append(args, "-j", "debug.log", "-L", "DEBUG")...)
	if res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	lines = readLog(t, filepath.Join(dir, "debug.log"))
	want := " DEBUG gometer.sampler: Market data [Traders 1-1]: GET http://127.0.0.1:" + rec.port() + "/market?symbol=EUR+USD -> 200 OK, "
	if countWith(lines, want) != 1 || countWith(lines, " DEBUG gometer.sampler: ") != 3 {
		t.Errorf("-L DEBUG: want each request's line, e.g. %q:\n%s", want, strings.Join(lines, "\n"))
	}

	// JMeter's category names map to gometer's: the HTTP sampler's lines only.
	res = runGometer(t, dir, 60*time.Second, append(args, "-j", "http.log", "-L", "jmeter.protocol.http=DEBUG", "-L", "WARN")...)
	if res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	lines = readLog(t, filepath.Join(dir, "http.log"))
	if countWith(lines, " DEBUG gometer.sampler: ") != 3 || countWith(lines, " INFO ") != 0 {
		t.Errorf("-L jmeter.protocol.http=DEBUG -L WARN:\n%s", strings.Join(lines, "\n"))
	}
	if res := runGometer(t, dir, 30*time.Second, append(args, "-L", "LOUD")...); res.code != 2 || !strings.Contains(res.stderr, "-L \"LOUD\"") {
		t.Errorf("-L LOUD: exit %d %s", res.code, res.stderr)
	}
}

// -L gometer.engine=DEBUG (or JMeter's jmeter.control=DEBUG) logs each
// element's decision: controllers, transactions, timers, extractors,
// modules and includes; without it the log holds none of them.
func TestDebugLogSaysEachDecision(t *testing.T) {
	rec := debugTarget(t)
	dir := t.TempDir()
	plan := repoFile("testdata", "debug", "decisions.jmx")
	res := runGometer(t, dir, 60*time.Second, "run", plan, "-Jport="+rec.port(), "--quiet", "-L", "jmeter.control=DEBUG", "-j", "d.log")
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	lines := readLog(t, filepath.Join(dir, "d.log"))
	for _, c := range []struct {
		frag string
		n    int // -k: k to 6
	}{
		{`DEBUG gometer.engine: Module Controller "reuse" (` + plan + `:115) runs Decisions > shared steps (` + plan + `:10)`, 1},
		{`DEBUG gometer.engine: Include Controller "include part" (` + plan + `:117) includes ` + repoFile("testdata", "debug", "decisions-part.jmx"), 1},
		{`Users 1-1: "Get token" (after "login") set token = "T-123"`, 1},
		{`Users 1-1: "Get token" (after "login") changed no variable`, 1}, // the second login finds the same token
		{`Users 1-1: If Controller "has token": condition "${__jexl3(\"${token}\" == \"T-123\")}" evaluates to "true": runs its children`, 2},
		{`Users 1-1: If Controller "never": condition "false" evaluates to "false": skips its children`, 2},
		{`Users 1-1: timer "Think" delays the next sample by 7 ms`, 2},
		{`Users 1-1: Loop Controller "three times": pass 3 of 3`, 2},
		{`Users 1-1: While Controller "twice": condition "true" (last sample ok: false) before pass 2: goes on`, 2},
		{`Users 1-1: While Controller "twice": condition "false" (last sample ok: false) before pass 3: ends`, 2},
		{`Users 1-1: Switch Controller "pick b": value "b" runs GenericController "b"`, 2},
		{`Users 1-1: Throughput Controller "half": skips its children this iteration (0 execution(s) in 1 iteration(s) of this user; target 50.0% of iterations)`, 1},
		{`Users 1-1: Throughput Controller "half": runs its children this iteration (1 execution(s) in 2 iteration(s) of this user; target 50.0% of iterations)`, 1},
		{`Users 1-1: Once Only Controller "once": first pass, runs its children`, 1},
		{`Users 1-1: Once Only Controller "once": ran already, skips its children`, 1},
		{`Users 1-1: Interleave Controller "alternate": runs child 1 of 2 (HTTPSamplerProxy "i1")`, 1},
		{`Users 1-1: Interleave Controller "alternate": runs child 2 of 2 (HTTPSamplerProxy "i2")`, 1},
		{`Users 1-1: Random Controller "any": picks child `, 2},
		{`Users 1-1: Transaction Controller "checkout": starts`, 2},
		{`Users 1-1: Transaction Controller "checkout": ends: 1 sample(s), 1 failing, `, 2},
		{`Users 1-1: Runtime Controller "for 1 s": runs its children for 1 s`, 2},
		// three passes of 400 ms fit in 1 s; on a loaded machine maybe two
		{`Users 1-1: timer "rt pause" delays the next sample by 400 ms`, -4},
	} {
		if got := countWith(lines, c.frag); got != c.n && (c.n >= 0 || got < -c.n || got > 6) {
			t.Errorf("%d line(s) with %q, want %d", got, c.frag, c.n)
		}
	}
	if t.Failed() {
		t.Logf("log:\n%s", strings.Join(lines, "\n"))
	}

	// INFO (the default): none of it.
	if res := runGometer(t, dir, 60*time.Second, "run", plan, "-Jport="+rec.port(), "--quiet", "-j", "i.log"); res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if lines := readLog(t, filepath.Join(dir, "i.log")); countWith(lines, " DEBUG ") != 0 {
		t.Errorf("DEBUG lines at the default level:\n%s", strings.Join(lines, "\n"))
	}
}
