package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/trace"
)

// debugTarget answers the debug plan: a token on /login, a basket without
// items on /basket/<token> (so its assertion fails).
func debugTarget(t *testing.T) *recorder {
	return newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/login":
			io.WriteString(w, `{"token":"T-123"}`)
		case strings.HasPrefix(r.URL.Path, "/basket/"):
			io.WriteString(w, `{"empty":true}`)
		default:
			http.NotFound(w, r)
		}
	})
}

// `gometer debug` runs one user for one iteration although the plan asks
// for 20 users x 50 loops, and shows each sample in full.
func TestDebugShowsEachSample(t *testing.T) {
	rec := debugTarget(t)
	dir := t.TempDir()
	res := runGometer(t, dir, 60*time.Second, "debug", repoFile("testdata", "debug", "login.jmx"), "-Jport="+rec.port())
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if n := len(rec.requests()); n != 2 {
		t.Errorf("the server saw %d requests, want 2 (one user, one iteration)", n)
	}
	port := rec.port()
	for _, want := range []string{
		"── #1 Login — 200 OK — ok —",
		"   > POST http://127.0.0.1:" + port + "/login\n",
		"   > Content-Type: application/json\n",
		"   > {\"user\":\"ada\",\"password\":\"secret\"}\n",
		"   < HTTP/1.1 200 OK\n",
		"   < {\"token\":\"T-123\"}\n",
		"   var     token = \"T-123\" (Get token)\n",
		"── #2 Basket — 200 OK — FAILED —",
		"   timer   Think: 25 ms\n",
		"   > GET http://127.0.0.1:" + port + "/basket/T-123\n",
		"   assert  Basket has items: FAILED Test failed: text expected to contain /items/\n",
	} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("debug output lacks %q", want)
		}
	}
	if !strings.Contains(res.stderr, "debug: 2 sample(s), 1 failed") {
		t.Errorf("no closing count:\n%s", res.stderr)
	}
	if t.Failed() {
		t.Logf("stdout:\n%s", res.stdout)
	}
}

// --json prints one object per sample for tools; --samples stops early.
func TestDebugJSONAndSampleLimit(t *testing.T) {
	rec := debugTarget(t)
	dir := t.TempDir()
	res := runGometer(t, dir, 60*time.Second, "debug", "--json", "--samples", "1", "--body-limit", "5",
		repoFile("testdata", "debug", "login.jmx"), "-Jport="+rec.port())
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	var steps []trace.Step
	sc := bufio.NewScanner(strings.NewReader(res.stdout))
	for sc.Scan() {
		var s trace.Step
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("not JSON Lines: %v\n%s", err, res.stdout)
		}
		steps = append(steps, s)
	}
	if len(steps) != 1 {
		t.Fatalf("--samples 1 gave %d samples:\n%s", len(steps), res.stdout)
	}
	s := steps[0]
	if s.Label != "Login" || s.Request.Method != "POST" || s.Request.Body != `{"use` || s.Request.BodyBytes != 34 ||
		s.Response.Code != "200" || s.Response.Body != `{"tok` || !s.Response.Truncated ||
		len(s.Variables) == 0 || s.Variables[0] != (trace.Variable{Element: "Get token", Name: "token", Value: "T-123"}) {
		t.Errorf("step %+v", s)
	}
}

// `run --trace N` shows a normal run's first N samples as debug does, each
// with its own user's timers, while the run goes on to its end.
func TestRunTraceShowsFirstSamples(t *testing.T) {
	rec := debugTarget(t)
	dir := t.TempDir()
	res := runGometer(t, dir, 120*time.Second, "run", repoFile("testdata", "debug", "login.jmx"), "-Jport="+rec.port(),
		"-l", "r.jtl", "--quiet", "--trace", "30", "--trace-file", "trace.txt")
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if _, rows := readJTL(t, dir+"/r.jtl"); len(rows) != 2000 {
		t.Errorf("the run wrote %d samples, want 2000 (20 users x 50 loops x 2): --trace must not stop it", len(rows))
	}
	b, err := os.ReadFile(dir + "/trace.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	steps := strings.Split(text, "── #")[1:]
	if len(steps) != 30 {
		t.Fatalf("trace holds %d samples, want 30:\n%s", len(steps), text)
	}
	baskets := 0
	seen := map[string]bool{} // users whose first Login was shown
	for _, s := range steps {
		head, _, _ := strings.Cut(s, "\n")
		user := head[strings.LastIndex(head, " — ")+len(" — "):]
		timers := strings.Count(s, "   timer   ")
		switch {
		case strings.Contains(s, " Login — "):
			// a variable shows where it changes: the user's first login
			if first := !seen[user]; first != strings.Contains(s, "   var     token = \"T-123\" (Get token)") {
				t.Errorf("first login of %s: %v, yet the extracted variable shown: %v:\n%s", user, first, !first, s)
			}
			seen[user] = true
			if timers != 0 {
				t.Errorf("a Login sample shows %d timer(s), want none (Think is Basket's):\n%s", timers, s)
			}
		case strings.Contains(s, " Basket — "):
			baskets++
			if timers != 1 || !strings.Contains(s, "   timer   Think: 25 ms\n") {
				t.Errorf("a Basket sample shows %d timer(s), want its own user's Think only:\n%s", timers, s)
			}
			if !strings.Contains(s, "   assert  Basket has items: FAILED") {
				t.Errorf("a Basket sample without its assertion:\n%s", s)
			}
		default:
			t.Errorf("unexpected sample:\n%s", s)
		}
	}
	if baskets == 0 {
		t.Errorf("no Basket sample among the first 30:\n%s", text)
	}
	if strings.Contains(res.stderr, "── #") {
		t.Errorf("--trace-file given, yet the trace went to stderr")
	}

	// Without --trace-file the trace goes to stderr; --json makes it JSON Lines.
	res = runGometer(t, dir, 120*time.Second, "run", repoFile("testdata", "debug", "login.jmx"), "-Jport="+rec.port(),
		"--quiet", "--trace", "2", "--json")
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	n := 0
	for _, line := range strings.Split(res.stderr, "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var s trace.Step
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("not a JSON step: %v\n%s", err, line)
		}
		if s.Label != "Login" && s.Label != "Basket" || s.Response.Code != "200" {
			t.Errorf("step %+v", s)
		}
		n++
	}
	if n != 2 {
		t.Errorf("stderr holds %d JSON steps, want 2:\n%s", n, res.stderr)
	}
}
