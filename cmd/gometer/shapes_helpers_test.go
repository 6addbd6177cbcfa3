package main

import (
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Helpers for the controller, timer and load-shape tests: a loopback server
// that records when each request arrived and finished, and a runner for the
// plans in testdata/shapes.

// hit is one request the timed server saw.
type hit struct {
	Path   string
	User   string // the u= query parameter (the plan sends ${__threadNum})
	Group  string // the g= query parameter, when the plan sends one
	Header http.Header
	At     time.Time // arrival
	Done   time.Time // response written
}

// timedServer answers every request at once with {"ok":true} except:
// /slow/{ms} waits ms before answering, /fail and ?fail=true answer 500,
// /items?u=N answers {"items":["N-0",…,"N-N"]}.
type timedServer struct {
	mu   sync.Mutex
	hits []hit
	srv  *httptest.Server
}

func newTimedServer(t *testing.T) *timedServer {
	ts := &timedServer{}
	ts.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		io.Copy(io.Discard, r.Body)
		q := r.URL.Query()
		code := 200
		body := `{"ok":true}`
		switch {
		case r.URL.Path == "/items":
			// user N gets N+1 items named N-0, N-1, …
			n, _ := strconv.Atoi(q.Get("u"))
			items := make([]string, n+1)
			for i := range items {
				items[i] = fmt.Sprintf("%q", fmt.Sprintf("%d-%d", n, i))
			}
			body = `{"items":[` + strings.Join(items, ",") + `]}`
		case q.Get("fail") == "true":
			code = 500
		case strings.HasPrefix(r.URL.Path, "/slow/"):
			ms, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/slow/"))
			time.Sleep(time.Duration(ms) * time.Millisecond)
		case r.URL.Path == "/fail":
			code = 500
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		io.WriteString(w, body)
		ts.mu.Lock()
		ts.hits = append(ts.hits, hit{r.URL.Path, q.Get("u"), q.Get("g"), r.Header.Clone(), at, time.Now()})
		ts.mu.Unlock()
	}))
	t.Cleanup(ts.srv.Close)
	return ts
}

func (ts *timedServer) port() string {
	_, p, _ := net.SplitHostPort(ts.srv.Listener.Addr().String())
	return p
}

// all returns the hits in arrival order.
func (ts *timedServer) all() []hit {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	out := append([]hit(nil), ts.hits...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// filter keeps the hits whose path starts with prefix.
func filter(hs []hit, prefix string) []hit {
	var out []hit
	for _, h := range hs {
		if strings.HasPrefix(h.Path, prefix) {
			out = append(out, h)
		}
	}
	return out
}

// byUser groups hits by their u= parameter, in arrival order.
func byUser(hs []hit) map[string][]hit {
	m := map[string][]hit{}
	for _, h := range hs {
		m[h.User] = append(m[h.User], h)
	}
	return m
}

// countPaths counts hits per path.
func countPaths(hs []hit) map[string]int {
	m := map[string]int{}
	for _, h := range hs {
		m[h.Path]++
	}
	return m
}

// runShape runs testdata/shapes/<plan> against ts with -Jport and the extra
// properties; it fails the test unless gometer exits 0. It returns the JTL rows.
func runShape(t *testing.T, ts *timedServer, plan string, timeout time.Duration, props ...string) []map[string]string {
	t.Helper()
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	args := []string{"-n", "-t", repoFile("testdata", "shapes", plan), "-l", jtl, "-Jport=" + ts.port()}
	for _, p := range props {
		args = append(args, "-J"+p)
	}
	res := runGometer(t, dir, timeout, args...)
	if res.code != 0 {
		t.Fatalf("gometer exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	_, rows := readJTL(t, jtl)
	return rows
}

// rowsByLabel counts JTL rows per label.
func rowsByLabel(rows []map[string]string) map[string]int {
	m := map[string]int{}
	for _, r := range rows {
		m[r["label"]]++
	}
	return m
}

// tpExecutions is how many of n iterations a percent-mode Throughput
// Controller runs: JMeter decides at iteration i (0-based), with e
// executions so far, to run when (100·e+50)/(i+1) < percent; the percent is
// a Java float.
func tpExecutions(percent float64, n int) int {
	p := float64(float32(percent))
	e := 0
	for i := 0; i < n; i++ {
		if (100*float64(e)+50)/float64(i+1) < p {
			e++
		}
	}
	return e
}

// activeUsers counts the distinct users with a request arriving within
// [from, to] seconds after t0.
func activeUsers(hs []hit, t0 time.Time, from, to float64) int {
	seen := map[string]bool{}
	for _, h := range hs {
		s := h.At.Sub(t0).Seconds()
		if s >= from && s <= to {
			seen[h.Group+"/"+h.User] = true
		}
	}
	return len(seen)
}

// jtlTime is a row's timeStamp.
func jtlTime(t *testing.T, r map[string]string) time.Time {
	ms, err := strconv.ParseInt(r["timeStamp"], 10, 64)
	if err != nil {
		t.Fatalf("timeStamp %q: %v", r["timeStamp"], err)
	}
	return time.UnixMilli(ms)
}

// within reports whether got is within frac (relative) of want.
func within(got, want, frac float64) bool {
	return math.Abs(got-want) <= frac*want
}

func describeHits(hs []hit, t0 time.Time) string {
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "  %7.3fs %s u=%s g=%s\n", h.At.Sub(t0).Seconds(), h.Path, h.User, h.Group)
	}
	return b.String()
}
