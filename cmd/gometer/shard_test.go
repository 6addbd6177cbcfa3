package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gometer/gometer/report"
)

func TestShardAutoFromKubernetesIndex(t *testing.T) {
	t.Setenv("JOB_COMPLETION_INDEX", "2")
	t.Setenv("GOMETER_SHARDS", "4")
	o, err := parseArgs([]string{"-n", "-t", "p.jmx", "--shard", "auto"})
	if err != nil || o.shard != 2 || o.shards != 4 {
		t.Fatalf("--shard auto with index 2 of 4: shard %d of %d, %v", o.shard, o.shards, err)
	}
	if o, err = parseArgs([]string{"-n", "-t", "p.jmx", "--shard", "auto/3"}); err != nil || o.shard != 2 || o.shards != 3 {
		t.Fatalf("--shard auto/3: %+v %v", o, err)
	}
	for _, c := range []struct{ index, count, arg, want string }{
		{"", "4", "auto", "JOB_COMPLETION_INDEX"},
		{"4", "4", "auto", "only 4 shards"},
		{"x", "4", "auto", "not a shard number"},
		{"1", "", "auto", "shard count"},
		{"1", "zero", "auto", "not a shard count"},
	} {
		t.Setenv("JOB_COMPLETION_INDEX", c.index)
		t.Setenv("GOMETER_SHARDS", c.count)
		_, err := parseArgs([]string{"-n", "-t", "p.jmx", "--shard", c.arg})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("index %q count %q: %v, want a usage error naming %q", c.index, c.count, err, c.want)
		}
	}
}

func TestStartAtForms(t *testing.T) {
	want := time.Date(2026, 12, 6, 18, 0, 0, 0, time.UTC)
	for _, s := range []string{"2026-12-06T18:00:00Z", "2026-12-06T19:00:00+01:00", strconv.FormatInt(want.UnixMilli(), 10)} {
		got, err := parseStartAt(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("--start-at %s: %v %v", s, got, err)
		}
	}
	for _, s := range []string{"tomorrow", "-5", "2026-12-06 18:00"} {
		if _, err := parseStartAt(s); err == nil {
			t.Errorf("--start-at %q accepted", s)
		}
	}
	// on the command line a bad time is a usage error (exit 2), before anything runs
	res := runGometer(t, t.TempDir(), 10*time.Second, "-n", "-t", "p.jmx", "--start-at", "tomorrow")
	if res.code != exitUsage || !strings.Contains(res.stderr, "--start-at") {
		t.Errorf("--start-at tomorrow: exit %d %q", res.code, res.stderr)
	}
}

// JMeter's remote-testing flags name the gometer way instead of "unknown flag".
func TestDistributedFlagsNameShards(t *testing.T) {
	for _, args := range [][]string{{"-n", "-t", "p.jmx", "-r"}, {"-n", "-t", "p.jmx", "-R", "h1,h2"}, {"-n", "-t", "p.jmx", "-Rh1"}, {"-X"}} {
		res := runGometer(t, t.TempDir(), 10*time.Second, args...)
		if res.code != exitUsage || !strings.Contains(res.stderr, "--shard i/N") || !strings.Contains(res.stderr, "k8s render") {
			t.Errorf("gometer %v: exit %d, stderr %q", args, res.code, res.stderr)
		}
	}
}

func TestK8sRenderCommand(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "Checkout Flow.jmx")
	src, err := os.ReadFile(repoFile("testdata", "shards", "mixed.jmx"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(plan, src, 0o644)
	res := runGometer(t, dir, 30*time.Second, "k8s", "render", "--plan", plan, "--shards", "3", "--start-at", "2026-12-06T18:00:00Z", "-J", "port=8080", "--fail-on", "error%>1")
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	for _, want := range []string{"name: checkout-flow-shards", "completionMode: Indexed", "- --start-at\n", "2026-12-06T18:00:00Z", "- -Jport=8080", "- report", "- error%>1"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("manifests lack %q", want)
		}
	}
	if res := runGometer(t, dir, 30*time.Second, "k8s", "render", "--shards", "3"); res.code == 0 || !strings.Contains(res.stderr, "--plan") {
		t.Errorf("render without a plan: exit %d %q", res.code, res.stderr)
	}
}

// N gometer processes, each one shard of the same plan with the same
// --start-at, together send what one unsharded run sends: the same samples
// per label and the same users; their JTLs merge into one report whose
// statistics equal those of the concatenated samples, and the report lists
// the generators.
func TestShardedRunMergesLikeOneRun(t *testing.T) {
	plan := repoFile("testdata", "shards", "mixed.jmx")
	single := newRecorder(t, nil)
	dir := t.TempDir()
	one := filepath.Join(dir, "single.jtl")
	if res := runGometer(t, dir, 90*time.Second, "-n", "-t", plan, "-l", one, "-Jport="+single.port()); res.code != 0 {
		t.Fatalf("single run: exit %d %s", res.code, res.stderr)
	}
	_, wantRows := readJTL(t, one)

	const N = 3
	sharded := newRecorder(t, nil)
	// far enough ahead that three processes have loaded the plan on a
	// loaded 2-core machine (1.5 s was not: a late shard skips what it missed)
	startAt := time.Now().Add(6 * time.Second).UTC().Format(time.RFC3339Nano)
	var wg sync.WaitGroup
	results := make([]runResult, N)
	for i := range N {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jtl := filepath.Join(dir, "shard-"+strconv.Itoa(i)+".jtl")
			results[i] = runGometer(t, dir, 90*time.Second, "-n", "-t", plan, "-l", jtl, "-Jport="+sharded.port(),
				"--shard", strconv.Itoa(i+1)+"/"+strconv.Itoa(N), "--start-at", startAt)
		}()
	}
	wg.Wait()
	var gotRows []map[string]string
	for i, r := range results {
		if r.code != 0 {
			t.Fatalf("shard %d: exit %d %s", i+1, r.code, r.stderr)
		}
		_, rows := readJTL(t, filepath.Join(dir, "shard-"+strconv.Itoa(i)+".jtl"))
		if len(rows) == 0 {
			t.Errorf("shard %d sent nothing", i+1)
		}
		gotRows = append(gotRows, rows...)
		for _, row := range rows {
			if ts, _ := strconv.ParseInt(row["timeStamp"], 10, 64); ts < mustStart(t, startAt).UnixMilli() {
				t.Errorf("shard %d: a sample at %d, before the common start", i+1, ts)
			}
		}
	}
	key := func(rows []map[string]string) (labels map[string]int, users []string) {
		labels = map[string]int{}
		seen := map[string]bool{}
		for _, r := range rows {
			labels[r["label"]]++
			// an arrival group's pool of users is per process; the other
			// groups' users are the same people in both runs
			if !seen[r["threadName"]] && !strings.HasPrefix(r["threadName"], "Payers") {
				seen[r["threadName"]] = true
				users = append(users, r["threadName"])
			}
		}
		slices.Sort(users)
		return
	}
	wl, wu := key(wantRows)
	gl, gu := key(gotRows)
	if len(wl) != 3 || wl["setup"] != 1 || wl["quote"] != 28 || wl["pay"] != 25 {
		t.Fatalf("the single run itself is off: %v", wl)
	}
	for l, n := range wl {
		if gl[l] != n {
			t.Errorf("label %s: %d samples over %d shards, %d in one run", l, gl[l], N, n)
		}
	}
	if !slices.Equal(gu, wu) {
		t.Errorf("the shards' users differ from one run's:\n got %v\nwant %v", gu, wu)
	}
	if len(sharded.requests()) != len(single.requests()) {
		t.Errorf("the server saw %d requests from the shards, %d from one run", len(sharded.requests()), len(single.requests()))
	}

	// merge: one report from the shard files equals one from the same rows in one file
	all := filepath.Join(dir, "all.jtl")
	concat(t, all, dir, N)
	res := runGometer(t, dir, 60*time.Second, "report", "--wait-for-shards", "3", "--wait-timeout", "10s", "-o", filepath.Join(dir, "merged"), "--fail-on", "error%>50", filepath.Join(dir, "shard-*.jtl"))
	if res.code != 0 {
		t.Fatalf("merged report: exit %d %s", res.code, res.stderr)
	}
	if res := runGometer(t, dir, 60*time.Second, "report", "-o", filepath.Join(dir, "concat"), all); res.code != 0 {
		t.Fatalf("report of the concatenation: exit %d %s", res.code, res.stderr)
	}
	merged, _ := os.ReadFile(filepath.Join(dir, "merged", "statistics.json"))
	whole, _ := os.ReadFile(filepath.Join(dir, "concat", "statistics.json"))
	if len(merged) == 0 || string(merged) != string(whole) {
		t.Errorf("statistics of the merged shards differ from those of the concatenated samples")
	}
	// the same statistics from the shards' run records alone (no rows)
	if res := runGometer(t, dir, 60*time.Second, "report", "--wait-for-shards", "3", "-o", filepath.Join(dir, "summaries"), filepath.Join(dir, "shard-*.jtl.run.json")); res.code != 0 {
		t.Fatalf("report from run records: exit %d %s", res.code, res.stderr)
	}
	fromRecords, _ := os.ReadFile(filepath.Join(dir, "summaries", "statistics.json"))
	if string(fromRecords) != string(whole) {
		t.Errorf("statistics from the run records differ from those of the samples:\n%s\nvs\n%s", fromRecords, whole)
	}
	html, _ := os.ReadFile(filepath.Join(dir, "merged", "index.html"))
	if !strings.Contains(string(html), `id="generators"`) || strings.Count(string(html), `<td>1/3</td>`)+strings.Count(string(html), `<td>2/3</td>`)+strings.Count(string(html), `<td>3/3</td>`) != 3 {
		t.Errorf("the merged report does not list the three generators")
	}
	recs, err := report.ReadRunRecords([]string{filepath.Join(dir, "shard-1.jtl")})
	if err != nil || len(recs) != 1 || recs[0].Shard != 2 || recs[0].Shards != 3 || recs[0].ExitCode != 0 || recs[0].Samples == 0 {
		t.Errorf("run record of shard 2: %+v %v", recs, err)
	}
}

// A shard that failed or never finished makes the merged verdict fail
// (exit 1): the merged numbers miss part of the load.
func TestMergedReportFlagsBadShards(t *testing.T) {
	dir := t.TempDir()
	jtl := func(name string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n"+
			"1700000000000,12,a,200,OK,t 1-1,text,true,,10,5,1,1,http://x/,3,0,1\n"), 0o644)
		return p
	}
	rec := func(p string, shard, code int, late int64) {
		b, _ := json.Marshal(report.RunRecord{Generator: "pod-" + strconv.Itoa(shard), Shard: shard, Shards: 3, ExitCode: code, LateMs: late, JTL: p, Samples: 1})
		os.WriteFile(report.RunRecordPath(p), b, 0o644)
	}
	a, b, c := jtl("s1.jtl"), jtl("s2.jtl"), jtl("s3.jtl")
	rec(a, 1, 0, 0)
	rec(b, 2, 0, 2500)
	// shard 3 wrote its JTL but no record: it did not finish
	res := runGometer(t, dir, 30*time.Second, "report", "-o", filepath.Join(dir, "r"), a, b, c)
	if res.code != exitFailed || !strings.Contains(res.stderr, "shard 3/3 wrote no run record") || !strings.Contains(res.stderr, "shard 2/3 (pod-2) started 2.5s late") {
		t.Errorf("exit %d, stderr %q", res.code, res.stderr)
	}
	rec(c, 3, 1, 0)
	res = runGometer(t, dir, 30*time.Second, "report", "-o", filepath.Join(dir, "r2"), a, b, c)
	if res.code != exitFailed || !strings.Contains(res.stderr, "exited with code 1") {
		t.Errorf("a failed shard: exit %d, stderr %q", res.code, res.stderr)
	}
	rec(c, 3, 0, 0)
	res = runGometer(t, dir, 30*time.Second, "report", "-o", filepath.Join(dir, "r3"), "--fail-on", "p95>5ms", filepath.Join(dir, "s*.jtl"))
	if res.code != exitThresholds {
		t.Errorf("a threshold exceeded on the merged data: exit %d, stderr %q", res.code, res.stderr)
	}
	res = runGometer(t, dir, 30*time.Second, "report", "--wait-for-shards", "4", "--wait-timeout", "1ms", "-o", filepath.Join(dir, "r4"), filepath.Join(dir, "s*.jtl"))
	if res.code != exitFailed || !strings.Contains(res.stderr, "only 3 of 4 shards finished") || !strings.Contains(res.stderr, "shard 4/4 wrote no run record") {
		t.Errorf("waiting for a fourth shard: exit %d, stderr %q", res.code, res.stderr)
	}
}

func mustStart(t *testing.T, s string) time.Time {
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// concat writes the rows of shard-0 … shard-N-1 into one JTL.
func concat(t *testing.T, out, dir string, n int) {
	var b strings.Builder
	for i := range n {
		data, err := os.ReadFile(filepath.Join(dir, "shard-"+strconv.Itoa(i)+".jtl"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitAfter(string(data), "\n")
		if i > 0 {
			lines = lines[1:] // header once
		}
		b.WriteString(strings.Join(lines, ""))
	}
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
