package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// refusedBeforeStart runs plan with args and asserts gometer refuses it at
// load: exit 1, the wanted texts and the plan's line, nothing sent, no
// JTL rows, no "Starting".
func refusedBeforeStart(t *testing.T, rec *recorder, plan, line string, want []string, args ...string) {
	t.Helper()
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	before := len(rec.requests())
	res := runGometer(t, dir, 30*time.Second, append([]string{"-n", "-t", plan, "-l", jtl, "-Jport=" + rec.port()}, args...)...)
	out := res.stdout + res.stderr
	if res.code != 1 {
		t.Errorf("%v: exit %d, want 1\n%s", args, res.code, out)
	}
	where := fmt.Sprintf("%s:%d:", filepath.Base(plan), lineOf(t, plan, line))
	for _, w := range append(want, where) {
		if !strings.Contains(out, w) {
			t.Errorf("%v: the message does not say %q:\n%s", args, w, out)
		}
	}
	if strings.Contains(res.stdout, "Starting standalone test") || strings.Contains(out, "9223372036854775807") {
		t.Errorf("%v: the test was started:\n%s", args, out)
	}
	if n := len(rec.requests()) - before; n != 0 {
		t.Errorf("%v: %d request(s) reached the server", args, n)
	}
	if n := jtlRows(t, jtl); n != 0 {
		t.Errorf("%v: the JTL has %d row(s)", args, n)
	}
}

// TestNumbersThatAreNotNumbers: thread counts and times that are not whole
// numbers, or would overflow once turned into nanoseconds, are load errors
// naming the value and the line.
func TestNumbersThatAreNotNumbers(t *testing.T) {
	rec := newRecorder(t, nil)
	plan := repoFile("testdata", "bad", "scheduler-negative.jmx")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-Jthreads=NaN", "-Jduration=5"}, `ThreadGroup.num_threads: "NaN" is not a number`},
		{[]string{"-Jthreads=Infinity", "-Jduration=5"}, `"Infinity" is not a number`},
		{[]string{"-Jthreads=1e30", "-Jduration=5"}, `"1e30" is out of range`},
		{[]string{"-Jthreads=99999999999999999999", "-Jduration=5"}, `"99999999999999999999" is out of range`},
		{[]string{"-Jthreads=-5", "-Jduration=5"}, `"-5" is out of range`},
		{[]string{"-Jthreads=2.7", "-Jduration=5"}, `"2.7" is not a whole number`},
		{[]string{"-Jduration=18446744074"}, `ThreadGroup.duration: "18446744074" is out of range (0s to 9223372036s)`},
		{[]string{"-Jduration=5", "-Jramp=18446744074"}, `ThreadGroup.ramp_time: "18446744074" is out of range`},
		{[]string{"-Jduration=-20"}, `ThreadGroup.duration: "-20" is out of range`},
		// far more users than the machine's memory holds
		{[]string{"-Jthreads=1000000000", "-Jduration=5"}, "users need about 14 TB of memory"},
		{[]string{"-Jthreads=50", "-Jduration=5", "-Jgometer.max_threads=10"}, "50 users (about 800 KB of memory) is more than gometer.max_threads=10"},
	}
	for _, c := range cases {
		refusedBeforeStart(t, rec, plan, `testname="Users"`, []string{"Bad Plan > Users", c.want}, c.args...)
	}
}

// TestOpenFileLimitWarning: a run whose users need more connections than
// the process may open is warned about before it starts, naming both
// numbers and shards as the way out.
func TestOpenFileLimitWarning(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to lower the open-file limit with")
	}
	rec := newRecorder(t, nil)
	plan := repoFile("testdata", "bad", "scheduler-negative.jmx")
	dir := t.TempDir()
	cmd := exec.Command("sh", "-c", `ulimit -n 100 && exec "$@"`, "sh", binPath, "-n", "-t", plan, "-l", filepath.Join(dir, "out.jtl"),
		"-Jport="+rec.port(), "-Jthreads=200", "-Jduration=1", "-Jramp=0")
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput()
	for _, w := range []string{"200 users", "at most 100 files", "--shard"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("the output does not say %q:\n%s", w, out)
		}
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit %d, want 0 (a warning only)\n%s", code, out)
	}
}

// scheduledPlan is loopPlan's plan with the scheduler on for secs seconds.
func scheduledPlan(t *testing.T, dir, port string, users, secs int, steps ...step) string {
	t.Helper()
	path := loopPlan(t, dir, port, users, 0, -1, steps...)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), `<boolProp name="ThreadGroup.scheduler">false</boolProp>`, `<boolProp name="ThreadGroup.scheduler">true</boolProp>`, 1)
	s = strings.Replace(s, `<stringProp name="ThreadGroup.duration"></stringProp>`, fmt.Sprintf(`<stringProp name="ThreadGroup.duration">%d</stringProp>`, secs), 1)
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTimeBoundsHold: a scheduled run ends on time although its responses
// trickle in a byte at a time (the response timeout bounds each whole
// response) or never end (with no timeout, samples in flight are
// interrupted gometer.shutdown_grace after the scheduled end).
func TestTimeBoundsHold(t *testing.T) {
	_, port := startTarget(t)
	cases := []struct {
		name string
		st   step
		args []string
		want string
	}{
		{"trickle", step{label: "Trickle", path: "/fault/drip?bytes=1000000&ms=100", responseTimeout: "500"}, nil, "java.net.SocketTimeoutException"},
		{"endless", step{label: "Endless", path: "/fault/drip?bytes=1000000&ms=100"}, []string{"-Jgometer.shutdown_grace=1"}, "scheduled end"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			jtl := filepath.Join(dir, "out.jtl")
			plan := scheduledPlan(t, dir, port, 2, 2, c.st)
			start := time.Now()
			res := runGometer(t, dir, 60*time.Second, append([]string{"-n", "-t", plan, "-l", jtl}, c.args...)...)
			took := time.Since(start)
			if res.code != 0 {
				t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
			}
			// 2 s of schedule, 1 s of grace; generous for a loaded machine
			// yet far below the never-ending body
			if took > 12*time.Second {
				t.Errorf("a 2 s plan ran %v", took)
			}
			rows := checkJTLComplete(t, jtl)
			if len(rows) == 0 {
				t.Fatal("no rows")
			}
			for _, r := range rows {
				if r["success"] != "false" || !strings.Contains(r["responseCode"]+r["responseMessage"], c.want) {
					t.Errorf("row: %s %s %s", r["success"], r["responseCode"], r["responseMessage"])
				}
			}
		})
	}
}

// runawayPlan writes a plan whose users each answer "Quick" from the
// target, then run a regex extractor with a catastrophically backtracking
// pattern over a variable in "Work" (a Debug Sampler). With a marker path,
// each user appends a byte to that file just before the extractor, so a
// test can tell when the users are in it.
func runawayPlan(t *testing.T, dir, port string, users, loops int, marker ...string) string {
	t.Helper()
	mark := ""
	if len(marker) > 0 {
		mark = fmt.Sprintf(`<JSR223PostProcessor guiclass="TestBeanGUI" testclass="JSR223PostProcessor" testname="Entering">
            <stringProp name="scriptLanguage">groovy</stringProp>
            <stringProp name="script">new File(%q).append("x")</stringProp>
          </JSR223PostProcessor>
          <hashTree/>
          `, marker[0])
	}
	plan := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Runaway Plan">
      <elementProp name="TestPlan.user_defined_variables" elementType="Arguments">
        <collectionProp name="Arguments.arguments">
          <elementProp name="input" elementType="Argument">
            <stringProp name="Argument.name">input</stringProp>
            <stringProp name="Argument.value">%sb</stringProp>
          </elementProp>
        </collectionProp>
      </elementProp>
    </TestPlan>
    <hashTree>
      <ThreadGroup guiclass="ThreadGroupGui" testclass="ThreadGroup" testname="Users">
        <elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" testclass="LoopController" testname="Loop Controller">
          <stringProp name="LoopController.loops">%d</stringProp>
          <boolProp name="LoopController.continue_forever">false</boolProp>
        </elementProp>
        <stringProp name="ThreadGroup.num_threads">%d</stringProp>
        <stringProp name="ThreadGroup.ramp_time">0</stringProp>
      </ThreadGroup>
      <hashTree>
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Quick">
          <stringProp name="HTTPSampler.domain">127.0.0.1</stringProp>
          <stringProp name="HTTPSampler.port">%s</stringProp>
          <stringProp name="HTTPSampler.path">/status/200</stringProp>
          <stringProp name="HTTPSampler.method">GET</stringProp>
        </HTTPSamplerProxy>
        <hashTree/>
        <DebugSampler guiclass="TestBeanGUI" testclass="DebugSampler" testname="Work">
          <boolProp name="displayJMeterProperties">false</boolProp>
          <boolProp name="displayJMeterVariables">false</boolProp>
          <boolProp name="displaySystemProperties">false</boolProp>
        </DebugSampler>
        <hashTree>
          %s<RegexExtractor guiclass="RegexExtractorGui" testclass="RegexExtractor" testname="Runaway">
            <stringProp name="RegexExtractor.useHeaders">false</stringProp>
            <stringProp name="RegexExtractor.refname">v</stringProp>
            <stringProp name="RegexExtractor.regex">^(a+)+$</stringProp>
            <stringProp name="RegexExtractor.template">$1$</stringProp>
            <stringProp name="RegexExtractor.default">NONE</stringProp>
            <stringProp name="RegexExtractor.match_number">1</stringProp>
            <stringProp name="Sample.scope">variable</stringProp>
            <stringProp name="Scope.variable">input</stringProp>
          </RegexExtractor>
          <hashTree/>
        </hashTree>
      </hashTree>
    </hashTree>
  </hashTree>
</jmeterTestPlan>
`, strings.Repeat("a", 60), loops, users, port, mark)
	path := filepath.Join(dir, "runaway.jmx")
	if err := os.WriteFile(path, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunawayRegexIsBounded: a catastrophically backtracking pattern is
// warned about at load (file, line, the part that repeats) and each match
// gives up after its budget, failing the sample with a message naming the
// extractor and the property.
func TestRunawayRegexIsBounded(t *testing.T) {
	_, port := startTarget(t)
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	plan := runawayPlan(t, dir, port, 2, 2)
	res := runGometer(t, dir, 60*time.Second, "-n", "-t", plan, "-l", jtl, "-Jgometer.regex_match_timeout_ms=200")
	out := res.stdout + res.stderr
	if res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, out)
	}
	where := fmt.Sprintf("runaway.jmx:%d", lineOf(t, plan, `testname="Runaway"`))
	for _, w := range []string{where, "(a+)+", "gometer.regex_match_timeout_ms"} {
		if !strings.Contains(out, w) {
			t.Errorf("the load warning does not say %q:\n%s", w, out)
		}
	}
	_, rows := readJTL(t, jtl)
	work := byLabel(rows, "Work")
	if len(work) != 4 {
		t.Fatalf("%d Work rows, want 4", len(work))
	}
	for _, r := range work {
		if r["success"] != "false" || !strings.Contains(r["failureMessage"], "gave up after 200ms") {
			t.Errorf("Work row: %s %q", r["success"], r["failureMessage"])
		}
	}
}

// TestSecondSignalEndsStuckUsers: with no regex budget the users are stuck
// in work nothing can cancel; the second SIGTERM still ends the process
// within a second or so, the JTL is complete and the stuck samples are
// written as interrupted.
func TestSecondSignalEndsStuckUsers(t *testing.T) {
	srv, port := startTarget(t)
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	marker := filepath.Join(dir, "entering")
	plan := runawayPlan(t, dir, port, 3, 1, marker)
	before := srv.Count()
	r := startGometer(t, dir, "-n", "-t", plan, "-l", jtl, "-Jgometer.regex_match_timeout_ms=0")
	if !waitFor(30*time.Second, func() bool { return srv.Count()-before >= 3 }) {
		t.Fatalf("the users did not start:\n%s", r.output())
	}
	// every user is about to run the endless match
	if !waitFor(30*time.Second, func() bool { b, _ := os.ReadFile(marker); return len(b) >= 3 }) {
		t.Fatalf("the users did not reach the extractor:\n%s", r.output())
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	if !waitFor(30*time.Second, func() bool { return strings.Contains(r.output(), "Send it again to stop at once") }) {
		t.Fatalf("no answer to the first signal:\n%s", r.output())
	}
	if r.exited() {
		t.Fatalf("gometer ended on the first signal although its users are stuck\n%s", r.output())
	}
	sent := time.Now()
	r.cmd.Process.Signal(syscall.SIGTERM)
	code := r.wait(t, 30*time.Second)
	// half a second of waiting for the users, then flushing: "within a
	// second", with room for a loaded machine
	if d := time.Since(sent); d > 5*time.Second {
		t.Errorf("the second signal took %v to end the process", d)
	}
	if code != 143 {
		t.Errorf("exit %d, want 143\n%s", code, r.output())
	}
	rows := checkJTLComplete(t, jtl)
	if q := byLabel(rows, "Quick"); len(q) != 3 {
		t.Errorf("%d Quick rows, want 3 (recorded before the stop)", len(q))
	}
	// every user is stuck in "Work" and written as interrupted
	work := byLabel(rows, "Work")
	if len(work) != 3 || !strings.Contains(r.output(), fmt.Sprintf("stopped now: %d sample(s) still in flight", len(work))) {
		t.Errorf("%d Work rows, want one per stuck user\n%s", len(work), r.output())
	}
	for _, w := range work {
		if w["success"] != "false" || !strings.Contains(w["responseMessage"], "interrupted") {
			t.Errorf("Work row: %s %s %s", w["success"], w["responseCode"], w["responseMessage"])
		}
	}
}

// TestDecompressionBombMemoryFlat: gzip and deflate responses that expand
// to 4 GiB each, read by an assertion, are decoded only up to the stored
// body limit: the run succeeds with flat memory.
func TestDecompressionBombMemoryFlat(t *testing.T) {
	_, port := startTarget(t)
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	plan := loopPlan(t, dir, port, 2, 0, 2,
		step{label: "GzipBomb", path: "/fault/bomb?mb=4096&enc=gzip"},
		step{label: "DeflateBomb", path: "/fault/bomb?mb=4096&enc=deflate"})
	data, err := os.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	// an assertion reads each body, so it is kept and decoded
	assert := `<hashTree>
          <ResponseAssertion guiclass="AssertionGui" testclass="ResponseAssertion" testname="Zeros">
            <collectionProp name="Asserion.test_strings"><stringProp name="1">\x00{16}</stringProp></collectionProp>
            <stringProp name="Assertion.test_field">Assertion.response_data</stringProp>
            <intProp name="Assertion.test_type">2</intProp>
          </ResponseAssertion>
          <hashTree/>
        </hashTree>`
	s := strings.ReplaceAll(string(data), "</HTTPSamplerProxy>\n        <hashTree/>", "</HTTPSamplerProxy>\n        "+assert)
	if err := os.WriteFile(plan, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binPath, "-n", "-t", plan, "-l", jtl, "-Jjmeter.save.saveservice.assertion_results_failure_message=true")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss*1024 > 300<<20 {
		t.Errorf("peak RSS %d MiB for 8 bodies of 4 GiB each (10 MB stored)", ru.Maxrss>>10)
	}
	_, rows := readJTL(t, jtl)
	if len(rows) != 8 {
		t.Fatalf("%d rows, want 8\n%s", len(rows), out)
	}
	for _, r := range rows {
		if r["success"] != "true" {
			t.Errorf("%s: %s %s %s", r["label"], r["responseCode"], r["responseMessage"], r["failureMessage"])
		}
	}
}

// TestDataFilesThatAreNotFiles: a CSV Data Set, Variables From CSV, body
// file or upload naming a device, a FIFO or a file over the limit is
// refused at load, quickly and with bounded memory, naming the file and
// the limit's property.
func TestDataFilesThatAreNotFiles(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "endless.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, bytes.Repeat([]byte("user,secret\n"), 200_000), 0o600); err != nil { // 2.4 MB
		t.Fatal(err)
	}
	csvPlan, err := os.ReadFile(repoFile("testdata", "bad", "csv-missing.jmx"))
	if err != nil {
		t.Fatal(err)
	}
	varsFromCSV := `<kg.apc.jmeter.config.VariablesFromCSVFile guiclass="TestBeanGUI" testclass="kg.apc.jmeter.config.VariablesFromCSVFile" testname="Accounts">
          <stringProp name="filename">no-such-accounts.csv</stringProp>
          <stringProp name="delimiter">,</stringProp>
        </kg.apc.jmeter.config.VariablesFromCSVFile>`
	randomCSV := `<com.blazemeter.jmeter.RandomCSVDataSetConfig guiclass="com.blazemeter.jmeter.RandomCSVDataSetConfigGui" testclass="com.blazemeter.jmeter.RandomCSVDataSetConfig" testname="Accounts">
          <stringProp name="filename">no-such-accounts.csv</stringProp>
          <stringProp name="fileEncoding">UTF-8</stringProp>
          <stringProp name="delimiter">,</stringProp>
          <stringProp name="variableNames">a,b</stringProp>
        </com.blazemeter.jmeter.RandomCSVDataSetConfig>`
	bodyFile := `<HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Accounts">
          <stringProp name="HTTPSampler.path">/upload</stringProp>
          <stringProp name="HTTPSampler.method">POST</stringProp>
          <elementProp name="HTTPsampler.Files" elementType="HTTPFileArgs">
            <collectionProp name="HTTPFileArgs.files">
              <elementProp name="no-such-accounts.csv" elementType="HTTPFileArg">
                <stringProp name="File.path">no-such-accounts.csv</stringProp>
                <stringProp name="File.paramname">file</stringProp>
                <stringProp name="File.mimetype">text/csv</stringProp>
              </elementProp>
            </collectionProp>
          </elementProp>
        </HTTPSamplerProxy>`
	csvStart := strings.Index(string(csvPlan), "<CSVDataSet")
	csvEnd := strings.Index(string(csvPlan), "</CSVDataSet>") + len("</CSVDataSet>")
	kinds := map[string]string{
		"csv":    string(csvPlan),
		"vars":   string(csvPlan[:csvStart]) + varsFromCSV + string(csvPlan[csvEnd:]),
		"body":   string(csvPlan[:csvStart]) + bodyFile + string(csvPlan[csvEnd:]),
		"random": string(csvPlan[:csvStart]) + randomCSV + string(csvPlan[csvEnd:]),
	}
	for _, kind := range []string{"csv", "vars", "body", "random"} {
		for _, c := range []struct {
			file, want string
			args       []string
		}{
			{"/dev/zero", "is not a regular file (a device)", nil},
			{fifo, "is not a regular file (a named pipe)", nil},
			{big, "is larger than 1 MB, the limit for a data file (property gometer.max_data_file_mb)", []string{"-Jgometer.max_data_file_mb=1"}},
		} {
			plan := filepath.Join(dir, kind+".jmx")
			if err := os.WriteFile(plan, []byte(strings.ReplaceAll(kinds[kind], "no-such-accounts.csv", c.file)), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			cmd := exec.CommandContext(ctx, binPath, append([]string{"-n", "-t", plan, "-l", filepath.Join(dir, "out.jtl"), "-Jport=" + rec.port()}, c.args...)...)
			out, _ := cmd.CombinedOutput()
			timedOut := ctx.Err() != nil
			cancel()
			if timedOut {
				t.Fatalf("%s %s: did not end within 60 s", kind, c.file)
			}
			if code := cmd.ProcessState.ExitCode(); code != 1 {
				t.Errorf("%s %s: exit %d, want 1\n%s", kind, c.file, code, out)
			}
			where := fmt.Sprintf("%s.jmx:%d:", kind, lineOf(t, plan, `testname="Accounts"`))
			for _, w := range []string{where, c.file, c.want} {
				if !strings.Contains(string(out), w) {
					t.Errorf("%s %s: the message does not say %q:\n%s", kind, c.file, w, out)
				}
			}
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss*1024 > 256<<20 {
				t.Errorf("%s %s: peak RSS %d MiB", kind, c.file, ru.Maxrss>>10)
			}
		}
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d request(s) sent", n)
	}
}

// TestModuleExpansionRefused: a plan of a few kilobytes whose Module
// Controllers copy fragments that copy fragments (10 per level, 6 levels:
// 10^6 samplers) is refused at load, quickly and with bounded memory,
// naming the modules that explode and the property.
func TestModuleExpansionRefused(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	path := func(name string) string {
		return `<collectionProp name="ModuleController.node_path"><stringProp name="1">Test Plan</stringProp><stringProp name="2">Bomb Plan</stringProp><stringProp name="3">` + name + `</stringProp></collectionProp>`
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3"><hashTree>
<TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Bomb Plan"/><hashTree>
<ThreadGroup guiclass="ThreadGroupGui" testclass="ThreadGroup" testname="Users">
  <elementProp name="ThreadGroup.main_controller" elementType="LoopController"><stringProp name="LoopController.loops">1</stringProp><boolProp name="LoopController.continue_forever">false</boolProp></elementProp>
  <stringProp name="ThreadGroup.num_threads">1</stringProp><stringProp name="ThreadGroup.ramp_time">0</stringProp>
</ThreadGroup><hashTree>
<ModuleController guiclass="ModuleControllerGui" testclass="ModuleController" testname="Top">` + path("L6") + `</ModuleController><hashTree/>
</hashTree>
<TestFragmentController guiclass="TestFragmentControllerGui" testclass="TestFragmentController" testname="L0"/><hashTree>
<HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Leaf">
  <stringProp name="HTTPSampler.domain">127.0.0.1</stringProp><stringProp name="HTTPSampler.port">` + rec.port() + `</stringProp><stringProp name="HTTPSampler.path">/leaf</stringProp><stringProp name="HTTPSampler.method">GET</stringProp>
</HTTPSamplerProxy><hashTree/>
</hashTree>
`)
	for k := 1; k <= 6; k++ {
		fmt.Fprintf(&b, `<TestFragmentController guiclass="TestFragmentControllerGui" testclass="TestFragmentController" testname="L%d"/><hashTree>`+"\n", k)
		for i := 1; i <= 10; i++ {
			fmt.Fprintf(&b, `<ModuleController guiclass="ModuleControllerGui" testclass="ModuleController" testname="L%d copy %d">%s</ModuleController><hashTree/>`+"\n", k, i, path(fmt.Sprintf("L%d", k-1)))
		}
		b.WriteString("</hashTree>\n")
	}
	b.WriteString("</hashTree></hashTree></jmeterTestPlan>\n")
	plan := filepath.Join(dir, "bomb.jmx")
	if err := os.WriteFile(plan, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, "-n", "-t", plan, "-l", filepath.Join(dir, "out.jtl"))
	out, _ := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("a %d-byte plan did not load within 60 s", b.Len())
	}
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("exit %d, want 1\n%s", code, out)
	}
	// located on the innermost module being expanded, the chain from the top
	chain := fmt.Sprintf("Bomb Plan > L6 > L6 copy 1 (line %d)", lineOf(t, plan, `testname="L6 copy 1"`))
	for _, w := range []string{"bomb.jmx:", chain, "expands to too many elements", "gometer.max_plan_elements", "Users > Top (line", "→"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("the message does not say %q:\n%s", w, out)
		}
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss*1024 > 512<<20 {
		t.Errorf("peak RSS %d MiB", ru.Maxrss>>10)
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d request(s) sent", n)
	}
}

// TestReportFolderCheckedBeforeTheRun: -e -o DIR -f where DIR holds a file
// gometer did not write is refused before anything is sent (not after the
// whole test, by the report step), and the file is kept.
func TestReportFolderCheckedBeforeTheRun(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	out := filepath.Join(dir, "report")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(out, "notes.txt")
	if err := os.WriteFile(notes, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runGometer(t, dir, 30*time.Second, "-n", "-t", repoFile("testdata", "bad", "scheduler-negative.jmx"),
		"-Jduration=1", "-Jport="+rec.port(), "-l", filepath.Join(dir, "r.jtl"), "-e", "-o", out, "-f")
	if res.code != 1 || !strings.Contains(res.stderr, "notes.txt") || !strings.Contains(res.stderr, "not part of a gometer report") {
		t.Errorf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if strings.Contains(res.stdout, "Starting standalone test") || len(rec.requests()) != 0 {
		t.Errorf("the test ran (%d requests):\n%s", len(rec.requests()), res.stdout)
	}
	if data, err := os.ReadFile(notes); err != nil || string(data) != "mine" {
		t.Errorf("notes.txt: %q %v", data, err)
	}
}

// TestReportOfAbsurdElapsed: a JTL with negative and near-int64 elapsed
// values gives a report whose mean lies within [min, max].
func TestReportOfAbsurdElapsed(t *testing.T) {
	dir := t.TempDir()
	jtl := filepath.Join(dir, "absurd.jtl")
	rows := "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n" +
		"1700000000000,9223372036854775806,A,200,OK,t 1-1,text,true,,1,1,1,1,null,0,0,0\n" +
		"1700000000001,9223372036854775806,A,200,OK,t 1-1,text,true,,1,1,1,1,null,0,0,0\n" +
		"1700000000002,5,A,200,OK,t 1-1,text,true,,1,1,1,1,null,0,0,0\n" +
		"1700000000003,-7,B,200,OK,t 1-1,text,true,,1,1,1,1,null,0,0,0\n" +
		"1700000000004,13,B,200,OK,t 1-1,text,true,,1,1,1,1,null,0,0,0\n"
	if err := os.WriteFile(jtl, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "report")
	res := runGometer(t, dir, 60*time.Second, "-g", jtl, "-o", out)
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "statistics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var stats map[string]struct {
		Mean float64 `json:"meanResTime"`
		Min  float64 `json:"minResTime"`
		Max  float64 `json:"maxResTime"`
	}
	if err := json.Unmarshal(data, &stats); err != nil {
		t.Fatal(err)
	}
	for label, s := range stats {
		if s.Mean < s.Min || s.Mean > s.Max {
			t.Errorf("%s: mean %v outside [%v, %v]", label, s.Mean, s.Min, s.Max)
		}
	}
	if len(stats) != 3 {
		t.Errorf("%d rows in statistics.json", len(stats))
	}
}
