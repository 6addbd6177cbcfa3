package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// badPlan is one file of testdata/bad and what gometer must say about it.
type badPlan struct {
	file string
	// at lists the places the message must name: a file (relative to
	// testdata/bad; "" is the plan itself) and a text on the line meant.
	// A text of "" names the file without a line (the empty file).
	at []place
	// want are further texts the message must contain (element path, what
	// is wrong).
	want []string
	// known, when set, skips the case: gometer does not refuse this yet.
	known string
}

type place struct {
	file, text string
}

var badPlans = []badPlan{
	{file: "malformed-xml.jmx", at: []place{{"", "</TestPlna>"}}, want: []string{"malformed XML", "<TestPlan>"}},
	{file: "truncated.jmx", at: []place{{"", "\x00eof"}}, want: []string{"unexpected end of file", "truncated"}},
	{file: "binary.jmx", at: []place{{"", "\x00"}}, want: []string{"not a JMeter test plan"}},
	{file: "empty.jmx", at: []place{{"", ""}}, want: []string{"empty file"}},
	{file: "wrong-root.jmx", at: []place{{"", "<project"}}, want: []string{"<project>", "jmeterTestPlan"}},
	{file: "unknown-element.jmx", at: []place{{"", `testname="Fancy"`}}, want: []string{"Bad Plan > Users > Fancy", "FancyPluginSampler"}},
	// JMeter sends an unterminated ${ literally; gometer refuses it.
	{file: "unterminated-var.jmx", at: []place{{"", `testname="Search"`}}, want: []string{"Bad Plan > Users > Search", "unterminated"}},
	{file: "malformed-function.jmx", at: []place{{"", `testname="Search"`}}, want: []string{"Bad Plan > Users > Search", "__Random", "missing )"}},
	{file: "random-not-number.jmx", at: []place{{"", `testname="Search"`}}, want: []string{"Bad Plan > Users > Search", "__Random", `"ten" is not a number`}},
	{file: "wrong-arg-count.jmx", at: []place{{"", `testname="Search"`}}, want: []string{"Bad Plan > Users > Search", "__Random", "arguments"}},
	// JMeter runs 0 users for a thread count that is not a number.
	{file: "threads-not-number.jmx", at: []place{{"", `testname="Users"`}}, want: []string{"Bad Plan > Users", `"abc" is not a number`}},
	// JMeter starts and writes "Min: 9223372036854775807" for a negative duration.
	{file: "scheduler-negative.jmx", at: []place{{"", `testname="Users"`}}, want: []string{"Bad Plan > Users", `ThreadGroup.duration: "-20" is out of range`}},
	{file: "csv-missing.jmx", at: []place{{"", `testname="Accounts"`}}, want: []string{"Bad Plan > Users > Accounts", "no-such-accounts.csv"}},
	{file: "include-missing.jmx", at: []place{{"", `testname="Login fragment"`}}, want: []string{"Bad Plan > Users > Login fragment", "no-such-fragment.jmx"}},
	{file: "include-cycle.jmx", at: []place{{"fragments/cycle-b.jmx", `testname="Include cycle-a"`}}, want: []string{"Include cycle-a", "cycle-a.jmx", "includes itself"}},
	// JMeter would include its own plan (thread groups dropped): a run of nothing.
	{file: "include-self.jmx", at: []place{{"", `testname="Include me"`}}, want: []string{"Bad Plan > Users > Include me", "include-self.jmx includes itself"}},
	// JMeter reports the missing quote; reading on would make the rest of the file one value.
	{file: "csv-unterminated-quote.jmx", at: []place{{"", `testname="Accounts"`}}, want: []string{"Bad Plan > Users > Accounts", "unterminated.csv", "line 2", "no closing quote"}},
	{file: "module-nowhere.jmx", at: []place{{"", `testname="Reuse login"`}}, want: []string{"Bad Plan > Users > Reuse login", "Shared fragments > Login", "not found"}},
	{file: "no-enabled-thread-group.jmx", at: []place{{"", `testclass="TestPlan"`}}, want: []string{"Bad Plan", "thread group"}},
	{file: "several-problems.jmx",
		at: []place{
			{"", `testname="Fancy"`}, {"", `testname="Accounts"`}, {"", `testname="Search"`},
			{"", `testname="Reuse login"`}, {"", `testname="Login fragment"`},
		},
		want: []string{"FancyPluginSampler", "no-such-accounts.csv", `"ten" is not a number`, "not found", "no-such-fragment.jmx"}},
}

// lineOf returns the 1-based line of the first occurrence of text in the
// file; "\x00eof" means the last line.
func lineOf(t *testing.T, path, text string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if text == "\x00eof" {
		return bytes.Count(data, []byte("\n")) + 1
	}
	i := bytes.Index(data, []byte(text))
	if i < 0 {
		t.Fatalf("%s does not contain %q", path, text)
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

// checkBadOutput asserts that out names every place and wanted text of c,
// and holds no Go panic or stack trace.
func checkBadOutput(t *testing.T, c badPlan, out string) {
	t.Helper()
	dir := repoFile("testdata", "bad")
	for _, p := range c.at {
		f := p.file
		if f == "" {
			f = c.file
		}
		name := filepath.Base(f)
		if p.text == "" {
			if !strings.Contains(out, name) {
				t.Errorf("the message does not name %s:\n%s", name, out)
			}
			continue
		}
		where := fmt.Sprintf("%s:%d:", name, lineOf(t, filepath.Join(dir, f), p.text))
		if !strings.Contains(out, where) {
			t.Errorf("the message does not name %s (the line of %q):\n%s", where, p.text, out)
		}
	}
	for _, w := range c.want {
		if !strings.Contains(out, w) {
			t.Errorf("the message does not say %q:\n%s", w, out)
		}
	}
	for _, trace := range []string{"goroutine ", "panic:", "runtime error", ".go:"} {
		if strings.Contains(out, trace) {
			t.Errorf("output holds a Go panic or stack trace (%q):\n%s", trace, out)
		}
	}
}

// jtlRows counts the data rows (lines after the header) of a JTL that may
// not exist.
func jtlRows(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, line := range strings.Split(string(data), "\n") {
		if i > 0 && strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n
}

// TestBadPlansAreRefused runs every bad plan against a listening server:
// exit 1, a message naming file, line and element, nothing sent, no rows.
func TestBadPlansAreRefused(t *testing.T) {
	entries, err := filepath.Glob(repoFile("testdata", "bad", "*.jmx"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, c := range badPlans {
		covered[c.file] = true
	}
	for _, e := range entries {
		if !covered[filepath.Base(e)] {
			t.Errorf("testdata/bad/%s has no case in badPlans", filepath.Base(e))
		}
	}
	rec := newRecorder(t, nil)
	for _, c := range badPlans {
		t.Run(strings.TrimSuffix(c.file, ".jmx"), func(t *testing.T) {
			if c.known != "" {
				t.Skip("known: " + c.known + ", see issue 8")
			}
			plan := repoFile("testdata", "bad", c.file)
			dir := t.TempDir()
			jtl := filepath.Join(dir, "out.jtl")
			before := len(rec.requests())
			res := runGometer(t, dir, 30*time.Second, "-n", "-t", plan, "-l", jtl, "-Jport="+rec.port())
			if res.code != 1 {
				t.Errorf("exit %d, want 1", res.code)
			}
			checkBadOutput(t, c, res.stdout+res.stderr)
			if n := len(rec.requests()) - before; n != 0 {
				t.Errorf("%d request(s) reached the server", n)
			}
			if n := jtlRows(t, jtl); n != 0 {
				t.Errorf("the JTL has %d row(s)", n)
			}
			if strings.Contains(res.stdout, "Starting standalone test") {
				t.Errorf("the test was started:\n%s", res.stdout)
			}

			res = runGometer(t, dir, 30*time.Second, "validate", plan, "-Jport="+rec.port())
			if res.code != 1 {
				t.Errorf("validate: exit %d, want 1", res.code)
			}
			checkBadOutput(t, c, res.stdout+res.stderr)
			if n := len(rec.requests()) - before; n != 0 {
				t.Errorf("validate: %d request(s) reached the server", n)
			}
		})
	}
}

// TestRefusedPlanPrintsNoEmptySummary: a plan refused before it starts must
// not print a summariser line of nothing (JMeter's "Min:
// 9223372036854775807"), nor leave a results file behind.
func TestRefusedPlanPrintsNoEmptySummary(t *testing.T) {

	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	res := runGometer(t, dir, 30*time.Second, "-n", "-t", repoFile("testdata", "bad", "csv-missing.jmx"), "-l", jtl, "-Jport=1")
	if res.code != 1 {
		t.Errorf("exit %d, want 1", res.code)
	}
	if strings.Contains(res.stdout, "9223372036854775807") || strings.Contains(res.stdout, "summary =") {
		t.Errorf("a refused plan printed a summary:\n%s", res.stdout)
	}
	if _, err := os.Stat(jtl); err == nil {
		t.Errorf("a refused plan left %s behind", jtl)
	}
}

// TestEndlessPlanInput: a device or a pipe that never ends, named as the
// plan by mistake, is refused quickly with bounded memory.
func TestEndlessPlanInput(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "endless.jmx")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	// The writer feeds text (no NUL) until gometer closes its end.
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		block := bytes.Repeat([]byte("<a>text</a>\n"), 1<<12)
		for {
			if _, err := f.Write(block); err != nil {
				return
			}
		}
	}()
	basic := repoFile("testdata", "e2e", "basic.jmx")
	cases := []struct {
		file, want string
		args       []string
	}{
		{"/dev/zero", "binary data", []string{"-n", "-t", "/dev/zero"}},
		{fifo, "larger than", []string{"-n", "-t", fifo}},
		{"/dev/zero", "larger than", []string{"-n", "-t", basic, "-q", "/dev/zero", "-Jport=1"}},
	}
	for _, c := range cases {
		if _, err := os.Stat(c.file); err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, binPath, append(c.args, "-l", filepath.Join(dir, "out.jtl"))...)
		out, _ := cmd.CombinedOutput()
		timedOut := ctx.Err() != nil
		cancel()
		if timedOut {
			t.Fatalf("%v did not end within 60 s", c.args)
		}
		if code := cmd.ProcessState.ExitCode(); code != 1 {
			t.Errorf("%v: exit %d, want 1\n%s", c.args, code, out)
		}
		if !strings.Contains(string(out), c.file) || !strings.Contains(string(out), c.want) {
			t.Errorf("%v: the message does not name %s and say %q:\n%s", c.args, c.file, c.want, out)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss*1024 > 512<<20 {
			t.Errorf("%v: peak RSS %d MiB", c.args, ru.Maxrss>>10)
		}
	}
}
