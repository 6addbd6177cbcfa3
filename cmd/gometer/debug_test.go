package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
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
