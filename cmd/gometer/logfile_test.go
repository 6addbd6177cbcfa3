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
