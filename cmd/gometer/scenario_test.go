package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/target"
)

// The seed scenario (issue 5, item 4): the demo plans run by the real CLI
// against the demo API, scaled down with -J properties, checked from the
// server's recording and the JTL.

// demoServer is internal/target on loopback, recording into a buffer;
// wrap, when not nil, sits in front of the target's handler.
type demoServer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	srv *httptest.Server
}

func (d *demoServer) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.buf.Write(p)
}

func newDemoServer(t *testing.T, wrap func(http.Handler) http.Handler) *demoServer {
	d := &demoServer{}
	tg := target.New(target.Options{Record: d, Seed: 5})
	h := tg.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	d.srv = httptest.NewServer(h)
	t.Cleanup(d.srv.Close)
	return d
}

func (d *demoServer) port() string { return d.srv.URL[strings.LastIndex(d.srv.URL, ":")+1:] }

func (d *demoServer) records(t *testing.T) []target.Record {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	recs, err := target.ReadRecords(bytes.NewReader(d.buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// runDemoPlan runs a plan against d with -J properties and returns its JTL rows.
func runDemoPlan(t *testing.T, d *demoServer, plan string, timeout time.Duration, props ...string) []map[string]string {
	t.Helper()
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	args := []string{"-n", "-t", plan, "-l", jtl, "-Jhost=127.0.0.1", "-Jport=" + d.port()}
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

func bearer(r target.Record) string {
	for _, v := range r.Headers["Authorization"] {
		if tok, ok := strings.CutPrefix(v, "Bearer "); ok {
			return tok
		}
	}
	return ""
}

// loginName is the username of a login request's JSON body.
func loginName(t *testing.T, r target.Record) string {
	var body struct{ Username, Password string }
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
		t.Fatalf("login body %q: %v", r.Body, err)
	}
	return body.Username
}

// tradingActions are the trader's weighted actions in plan order, with the
// percents the plan gives its Throughput Controllers (weight/21).
var tradingActions = []struct {
	letter  byte
	percent float64
	weight  float64
}{
	{'D', 47.62, 10}, // dashboard
	{'M', 23.81, 5},  // market data
	{'P', 14.29, 3},  // portfolio
	{'O', 9.52, 2},   // place order
	{'C', 4.76, 1},   // cancel (list orders, then delete when one is pending)
}

// expectedActions is what JMeter's per-user percent-mode Throughput
// Controllers run over n iterations, one letter per action.
func expectedActions(n int) string {
	var b strings.Builder
	exec := make([]int, len(tradingActions))
	for i := 0; i < n; i++ {
		for k, a := range tradingActions {
			if (100*float64(exec[k])+50)/float64(i+1) < float64(float32(a.percent)) {
				exec[k]++
				b.WriteByte(a.letter)
			}
		}
	}
	return b.String()
}

func TestScenarioTrading(t *testing.T) {
	const users, hfUsers = 5, 2
	d := newDemoServer(t, nil)
	rows := runDemoPlan(t, d, repoFile("testdata", "demo", "trading.jmx"), 90*time.Second,
		fmt.Sprint("users=", users), fmt.Sprint("hf_users=", hfUsers), "rampup=1", "duration=8",
		"think_min=10", "think_range=40", "hf_think_min=10", "hf_think_range=40")
	recs := d.records(t)

	// Login once per user, each with its own name.
	logins := map[string]int{}
	for _, r := range recs {
		if r.Method == "POST" && r.Path == "/api/login" {
			logins[loginName(t, r)]++
			if r.Status != 200 {
				t.Errorf("login status %d", r.Status)
			}
		}
	}
	for i := 1; i <= users; i++ {
		if n := logins[fmt.Sprint("trader", i)]; n != 1 {
			t.Errorf("trader%d logged in %d times, want once", i, n)
		}
	}
	for i := 1; i <= hfUsers; i++ {
		if n := logins[fmt.Sprint("hft", i)]; n != 1 {
			t.Errorf("hft%d logged in %d times, want once", i, n)
		}
	}
	if len(logins) != users+hfUsers {
		t.Errorf("logins %v", logins)
	}

	// Every other request carries a Bearer token from a login; one token
	// per user. Split the requests by token, in arrival order.
	perToken := map[string][]target.Record{}
	var tokens []string
	for _, r := range recs {
		if r.Path == "/api/login" {
			continue
		}
		tok := bearer(r)
		if tok == "" || tok == "${token}" || tok == "NOT_FOUND" {
			t.Fatalf("%s %s sent Authorization %q, want the token from the login", r.Method, r.Path, r.Headers["Authorization"])
		}
		if _, ok := perToken[tok]; !ok {
			tokens = append(tokens, tok)
		}
		perToken[tok] = append(perToken[tok], r)
	}
	if len(perToken) != users+hfUsers {
		t.Fatalf("%d distinct tokens, want one per user (%d)", len(perToken), users+hfUsers)
	}

	totals := map[byte]int{}
	traders, hf := 0, 0
	for _, tok := range tokens {
		rs := perToken[tok]
		if rs[0].Method == "POST" && strings.Contains(rs[0].Body, `"side":"SELL"`) {
			// a high-frequency trader: orders only
			hf++
			for _, r := range rs {
				if r.Method != "POST" || r.Path != "/api/orders" || !strings.Contains(r.Body, `"side":"SELL"`) || r.Status != 201 {
					t.Errorf("high-frequency trader sent %s %s (%d) %s", r.Method, r.Path, r.Status, r.Body)
					break
				}
			}
			continue
		}
		traders++
		// The trader's actions, one letter each; a cancel is the order
		// list, optionally followed by the DELETE of a pending order.
		var seq strings.Builder
		for i, r := range rs {
			switch {
			case r.Method == "GET" && r.Path == "/api/dashboard":
				seq.WriteByte('D')
			case r.Method == "GET" && r.Path == "/api/market":
				seq.WriteByte('M')
			case r.Method == "GET" && r.Path == "/api/portfolio":
				seq.WriteByte('P')
				if r.Status != 200 {
					t.Errorf("portfolio with the Bearer token answered %d", r.Status)
				}
			case r.Method == "POST" && r.Path == "/api/orders":
				seq.WriteByte('O')
				if !strings.Contains(r.Body, `"side":"BUY"`) || r.Status != 201 {
					t.Errorf("trader order (%d) %s", r.Status, r.Body)
				}
			case r.Method == "GET" && r.Path == "/api/orders":
				seq.WriteByte('C')
			case r.Method == "DELETE" && strings.HasPrefix(r.Path, "/api/orders/"):
				if i == 0 || rs[i-1].Path != "/api/orders" || rs[i-1].Method != "GET" {
					t.Errorf("DELETE %s not right after listing the orders", r.Path)
				}
				if r.Status != 200 {
					t.Errorf("DELETE %s answered %d: the plan cancels only a PENDING order", r.Path, r.Status)
				}
			default:
				t.Errorf("trader sent %s %s", r.Method, r.Path)
			}
		}
		got := seq.String()
		// Deterministic as in JMeter: the actions are a prefix of the
		// controllers' schedule (the run may end inside an iteration).
		want := expectedActions(len(got) + 5)
		if !strings.HasPrefix(want, got) {
			n := 0
			for n < len(got) && got[n] == want[n] {
				n++
			}
			t.Errorf("trader's actions differ from JMeter's throughput schedule at action %d:\n got %.80s\nwant %.80s", n, got[max(0, n-20):], want[max(0, n-20):])
		}
		if len(got) < 40 {
			t.Errorf("trader ran only %d actions: too few to check the mix", len(got))
		}
		for i := range got {
			totals[got[i]]++
		}
	}
	if traders != users || hf != hfUsers {
		t.Errorf("%d traders and %d high-frequency traders, want %d and %d", traders, hf, users, hfUsers)
	}
	// The mix over all traders: within one percentage point of 10:5:3:2:1.
	sum := 0
	for _, n := range totals {
		sum += n
	}
	t.Logf("trader actions over the run: %d (D %d, M %d, P %d, O %d, C %d)", sum, totals['D'], totals['M'], totals['P'], totals['O'], totals['C'])
	for _, a := range tradingActions {
		share, want := float64(totals[a.letter])/float64(sum), a.weight/21
		if share < want-0.01 || share > want+0.01 {
			t.Errorf("action %c: %.3f of %d actions, want %.3f (mix %v)", a.letter, share, sum, want, totals)
		}
	}

	// JTL: labels as the plan names them, the order's Duration Assertion
	// did not fire on a fast server.
	byLabel := rowsByLabel(rows)
	for _, l := range []string{"Login", "HF login", "Dashboard", "Market data", "Portfolio", "Place order", "List orders", "HF place order"} {
		if byLabel[l] == 0 {
			t.Errorf("no JTL row labelled %q (%v)", l, byLabel)
		}
	}
	for _, r := range rows {
		if r["success"] == "true" {
			continue
		}
		if strings.Contains(r["failureMessage"], "lasted too long") && atoi(t, r["elapsed"]) > 2000 {
			// the plan's own rule on a machine too loaded to answer in 2 s
			t.Logf("order slower than 2 s: %s elapsed %s", r["label"], r["elapsed"])
			continue
		}
		t.Errorf("JTL row %s failed: %s %s", r["label"], r["responseCode"], r["failureMessage"])
	}
}

// The high-frequency group sends 10 orders per iteration, and an order
// slower than 2 s fails by the plan's Duration Assertion. To count
// iterations exactly, a copy of trading.jmx gives that group 3 loops
// instead of its scheduler (everything else unchanged).
func TestScenarioTradingHighFrequency(t *testing.T) {
	src, err := os.ReadFile(repoFile("testdata", "demo", "trading.jmx"))
	if err != nil {
		t.Fatal(err)
	}
	head, tail, ok := strings.Cut(string(src), `testname="High-frequency traders"`)
	if !ok {
		t.Fatal("trading.jmx has no High-frequency traders group")
	}
	for _, rep := range [][2]string{
		{`<boolProp name="ThreadGroup.scheduler">true</boolProp>`, `<boolProp name="ThreadGroup.scheduler">false</boolProp>`},
		{`<intProp name="LoopController.loops">-1</intProp>`, `<intProp name="LoopController.loops">3</intProp>`},
	} {
		if !strings.Contains(tail, rep[0]) {
			t.Fatalf("high-frequency group lacks %s", rep[0])
		}
		tail = strings.Replace(tail, rep[0], rep[1], 1)
	}
	plan := filepath.Join(t.TempDir(), "trading-hf3.jmx")
	if err := os.WriteFile(plan, []byte(head+`testname="High-frequency traders"`+tail), 0o644); err != nil {
		t.Fatal(err)
	}

	// The 5th order the server receives answers after 2.2 s.
	var orders atomic.Int64
	d := newDemoServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == "POST" && r.URL.Path == "/api/orders" && orders.Add(1) == 5 {
				time.Sleep(2200 * time.Millisecond)
			}
			h.ServeHTTP(w, r)
		})
	})
	rows := runDemoPlan(t, d, plan, 90*time.Second, "users=1", "hf_users=2", "rampup=0", "duration=2",
		"think_min=10", "think_range=40", "hf_think_min=10", "hf_think_range=40")

	sell := map[string]int{}
	for _, r := range d.records(t) {
		if r.Method == "POST" && r.Path == "/api/orders" && strings.Contains(r.Body, `"side":"SELL"`) {
			sell[bearer(r)]++
		}
	}
	if len(sell) != 2 {
		t.Fatalf("SELL orders from %d users, want 2: %v", len(sell), sell)
	}
	for _, n := range sell {
		if n != 30 {
			t.Errorf("a high-frequency trader sent %d orders in 3 iterations, want 10 per iteration (30)", n)
		}
	}

	// Exactly one order row failed, by the Duration Assertion.
	var slow []map[string]string
	for _, r := range rows {
		if r["success"] == "false" {
			slow = append(slow, r)
		}
	}
	if len(slow) != 1 {
		t.Fatalf("%d failed rows, want the one slow order", len(slow))
	}
	r := slow[0]
	if r["label"] != "Place order" && r["label"] != "HF place order" || r["responseCode"] != "201" ||
		!strings.Contains(r["failureMessage"], "lasted too long") || atoi(t, r["elapsed"]) < 2000 {
		t.Errorf("slow order row: label %s code %s elapsed %s failure %q", r["label"], r["responseCode"], r["elapsed"], r["failureMessage"])
	}
}

func TestScenarioPayments(t *testing.T) {
	const users = 5
	d := newDemoServer(t, nil)
	rows := runDemoPlan(t, d, repoFile("testdata", "demo", "payments.jmx"), 90*time.Second,
		fmt.Sprint("users=", users), "duration=10", "rampup=1")
	recs := d.records(t)
	logins := map[string]int{}
	payments := 0
	for _, r := range recs {
		switch {
		case r.Method == "POST" && r.Path == "/api/login":
			logins[loginName(t, r)]++
		case r.Method == "POST" && r.Path == "/api/payments":
			payments++
			var body struct {
				Amount   float64
				Currency string
				To       string
			}
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
				t.Fatalf("payment body %q: %v", r.Body, err)
			}
			if body.Amount < 10 || body.Amount > 1000 || body.Amount != float64(int(body.Amount)) {
				t.Errorf("payment amount %v, want a whole number within 10-1000", body.Amount)
			}
			if r.Status != 201 || bearer(r) == "" || !strings.HasPrefix(body.To, "ACC-") {
				t.Errorf("payment %s answered %d", r.Body, r.Status)
			}
		default:
			t.Errorf("unexpected %s %s", r.Method, r.Path)
		}
	}
	if len(logins) != users {
		t.Errorf("logins %v, want payer1..payer%d once each", logins, users)
	}
	for name, n := range logins {
		if n != 1 {
			t.Errorf("%s logged in %d times", name, n)
		}
	}
	// 2 s think time before every request for 10 s: about 5 payments each.
	if payments < 3*users || payments > 6*users {
		t.Errorf("%d payments from %d users in 10 s with 2 s think time, want about %d", payments, users, 5*users)
	}
	// JTL: every payment accepted; per user, payments 2 s apart.
	last := map[string]time.Time{}
	for _, r := range rows {
		if r["success"] != "true" {
			t.Errorf("%s row failed: %s", r["label"], r["failureMessage"])
		}
		if r["label"] != "Send payment" {
			continue
		}
		at := jtlTime(t, r)
		if prev, ok := last[r["threadName"]]; ok && at.Sub(prev) < 1990*time.Millisecond {
			t.Errorf("%s: payments %v apart, want the 2 s think time", r["threadName"], at.Sub(prev))
		}
		last[r["threadName"]] = at
	}
}
