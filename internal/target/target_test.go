package target

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// start runs a target on a free loopback port for the test.
func start(t *testing.T, opts Options) (*Server, string) {
	t.Helper()
	s := New(opts)
	u, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, u
}

// client is a bounded HTTP client that does not follow redirects.
func client() *http.Client {
	return &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

type resp struct {
	code   int
	header http.Header
	body   []byte
}

// do sends one request and reads the whole answer.
func do(t *testing.T, c *http.Client, method, u, body string, hdr ...string) resp {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, u, err)
	}
	return resp{res.StatusCode, res.Header, b}
}

// eventually polls cond for up to 5 s: the server counts and records a
// request when its handler returns, which can be just after the client has
// seen the end of a large or flushed response.
func eventually(cond func() bool) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

func decode(t *testing.T, r resp) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

func wantCode(t *testing.T, what string, r resp, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("%s: status %d, want %d; body %s", what, r.code, code, r.body)
	}
}

// login logs in with a JSON body and returns the token.
func login(t *testing.T, c *http.Client, base, user string) string {
	t.Helper()
	r := do(t, c, "POST", base+"/api/login", fmt.Sprintf(`{"username":%q,"password":"secret"}`, user),
		"Content-Type", "application/json")
	wantCode(t, "login "+user, r, 200)
	tok, _ := decode(t, r)["token"].(string)
	if tok == "" {
		t.Fatalf("login %s: no token in %s", user, r.body)
	}
	return tok
}

func TestLogin(t *testing.T) {
	_, base := start(t, Options{Seed: 7})
	c := client()

	r := do(t, c, "POST", base+"/api/login", `{"username":"alice","password":"secret"}`, "Content-Type", "application/json")
	wantCode(t, "json login", r, 200)
	m := decode(t, r)
	tok1, _ := m["token"].(string)
	id1 := m["userId"]
	if !strings.HasPrefix(tok1, "tk_") || m["username"] != "alice" || id1 == nil {
		t.Fatalf("login answer %s", r.body)
	}
	sc := r.header.Get("Set-Cookie")
	if !strings.HasPrefix(sc, "SESSION=s_") || !strings.Contains(sc, "Path=/api") {
		t.Fatalf("Set-Cookie = %q", sc)
	}

	// Form login, and raw JSON without a content type, for the same user.
	r = do(t, c, "POST", base+"/api/login", "username=alice&password=secret", "Content-Type", "application/x-www-form-urlencoded")
	wantCode(t, "form login", r, 200)
	m2 := decode(t, r)
	if m2["userId"] != id1 || m2["token"] == tok1 {
		t.Fatalf("second login: userId %v (want %v), token %v (want a new one)", m2["userId"], id1, m2["token"])
	}
	r = do(t, c, "POST", base+"/api/login", `{"username":"alice","password":"secret"}`)
	wantCode(t, "sniffed JSON login", r, 200)

	wantCode(t, "wrong password", do(t, c, "POST", base+"/api/login", `{"username":"alice","password":"nope"}`), 401)
	wantCode(t, "missing password", do(t, c, "POST", base+"/api/login", `{"username":"alice"}`), 400)
	wantCode(t, "bad JSON", do(t, c, "POST", base+"/api/login", `{"username":`), 400)
	wantCode(t, "GET login", do(t, c, "GET", base+"/api/login", ""), 405)

	// Same seed and same sequence → same tokens; another seed → others.
	_, base2 := start(t, Options{Seed: 7})
	_, base3 := start(t, Options{Seed: 8})
	if got := login(t, c, base2, "alice"); got != tok1 {
		t.Errorf("same seed gave token %s, want %s", got, tok1)
	}
	if got := login(t, c, base3, "alice"); got == tok1 {
		t.Errorf("different seed gave the same token %s", got)
	}
}

func TestMarketAndDashboard(t *testing.T) {
	_, base := start(t, Options{Seed: 1})
	_, same := start(t, Options{Seed: 1})
	_, other := start(t, Options{Seed: 2})
	c := client()

	r := do(t, c, "GET", base+"/api/market", "")
	wantCode(t, "market", r, 200)
	var mk struct {
		Currency string  `json:"currency"`
		Symbols  []quote `json:"symbols"`
	}
	if err := json.Unmarshal(r.body, &mk); err != nil {
		t.Fatal(err)
	}
	if mk.Currency != "USD" || len(mk.Symbols) != 8 {
		t.Fatalf("market = %s", r.body)
	}
	for _, q := range mk.Symbols {
		if q.Symbol == "" || q.Price <= 0 {
			t.Errorf("bad quote %+v", q)
		}
	}
	if r2 := do(t, c, "GET", same+"/api/market", ""); !bytes.Equal(r2.body, r.body) {
		t.Errorf("same seed, different market:\n%s\n%s", r.body, r2.body)
	}
	if r3 := do(t, c, "GET", other+"/api/market", ""); bytes.Equal(r3.body, r.body) {
		t.Errorf("different seed, same market")
	}

	r = do(t, c, "GET", base+"/api/dashboard", "")
	wantCode(t, "dashboard", r, 200)
	page := string(r.body)
	for _, want := range []string{"<title>Trading Dashboard</title>", `href="/api/market"`, "Welcome, guest", `data-symbol="AAPL"`} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("dashboard Content-Type %q", ct)
	}
	// With the session cookie the page greets the user.
	jar, _ := cookiejar.New(nil)
	cj := client()
	cj.Jar = jar
	do(t, cj, "POST", base+"/api/login", `{"username":"bob","password":"secret"}`)
	if r := do(t, cj, "GET", base+"/api/dashboard", ""); !strings.Contains(string(r.body), "Welcome, bob") {
		t.Errorf("dashboard with session does not greet bob:\n%s", r.body)
	}
}

func TestPortfolioNeedsBearer(t *testing.T) {
	_, base := start(t, Options{})
	c := client()
	r := do(t, c, "GET", base+"/api/portfolio", "")
	wantCode(t, "no auth", r, 401)
	if r.header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	wantCode(t, "bad token", do(t, c, "GET", base+"/api/portfolio", "", "Authorization", "Bearer tk_nope"), 401)
	tok := login(t, c, base, "carol")
	r = do(t, c, "GET", base+"/api/portfolio", "", "Authorization", "Bearer "+tok)
	wantCode(t, "portfolio", r, 200)
	m := decode(t, r)
	if m["cash"] != 100000.0 || m["username"] != "carol" {
		t.Fatalf("portfolio %s", r.body)
	}
}

func TestOrders(t *testing.T) {
	_, base := start(t, Options{})
	c := client()
	tok := login(t, c, base, "dave")
	auth := []string{"Authorization", "Bearer " + tok, "Content-Type", "application/json"}

	wantCode(t, "order without auth", do(t, c, "POST", base+"/api/orders", `{"symbol":"AAPL","side":"BUY","qty":1,"price":1}`), 401)
	for _, bad := range []string{
		`{"symbol":"ZZZZ","side":"BUY","qty":1,"price":1}`,
		`{"symbol":"AAPL","side":"HOLD","qty":1,"price":1}`,
		`{"symbol":"AAPL","side":"BUY","qty":0,"price":1}`,
		`{"symbol":"AAPL","side":"BUY","qty":1.5,"price":1}`,
		`{"symbol":"AAPL","side":"BUY","qty":1,"price":-3}`,
		`not json`,
	} {
		wantCode(t, "invalid order "+bad, do(t, c, "POST", base+"/api/orders", bad, auth...), 400)
	}

	var ids []string
	for i, body := range []string{
		`{"symbol":"AAPL","side":"BUY","qty":10,"price":100.5}`,
		`{"symbol":"msft","side":"sell","qty":"2","price":"400"}`, // strings and lower case are accepted
		`{"symbol":"TSLA","side":"BUY","qty":1,"price":250}`,
	} {
		r := do(t, c, "POST", base+"/api/orders", body, auth...)
		wantCode(t, "place order", r, 201)
		m := decode(t, r)
		id, _ := m["orderId"].(string)
		if m["status"] != "PENDING" || !strings.HasSuffix(id, fmt.Sprintf("-%d", i+1)) {
			t.Fatalf("order %d answer %s", i+1, r.body)
		}
		if loc := r.header.Get("Location"); loc != "/api/orders/"+id {
			t.Errorf("Location %q", loc)
		}
		ids = append(ids, id)
	}

	// Order 1 is filled once order 3 is placed; 2 and 3 are pending.
	r := do(t, c, "GET", base+"/api/orders", "", auth...)
	wantCode(t, "list", r, 200)
	var list struct {
		Orders []order `json:"orders"`
		Count  int     `json:"count"`
	}
	if err := json.Unmarshal(r.body, &list); err != nil {
		t.Fatal(err)
	}
	if list.Count != 3 || list.Orders[0].Status != "FILLED" || list.Orders[1].Status != "PENDING" || list.Orders[2].Status != "PENDING" {
		t.Fatalf("orders %s", r.body)
	}
	if r := do(t, c, "GET", base+"/api/orders?status=pending", "", auth...); decode(t, r)["count"] != 2.0 {
		t.Errorf("pending filter: %s", r.body)
	}
	if r := do(t, c, "GET", base+"/api/orders?limit=1", "", auth...); !strings.Contains(string(r.body), ids[2]) || decode(t, r)["count"] != 1.0 {
		t.Errorf("limit=1 should give the newest order: %s", r.body)
	}
	wantCode(t, "get one", do(t, c, "GET", base+"/api/orders/"+ids[1], "", auth...), 200)

	// Portfolio reflects the filled buy of 10 AAPL at 100.50.
	m := decode(t, do(t, c, "GET", base+"/api/portfolio", "", auth...))
	if m["cash"] != 100000-1005.0 || m["openOrders"] != 2.0 || !strings.Contains(fmt.Sprint(m["positions"]), "AAPL") {
		t.Errorf("portfolio after fill: %v", m)
	}

	// Cancel: pending → 200, again → 409, filled → 409, unknown → 404.
	r = do(t, c, "DELETE", base+"/api/orders/"+ids[2], "", auth...)
	wantCode(t, "cancel pending", r, 200)
	if decode(t, r)["status"] != "CANCELLED" {
		t.Errorf("cancel answer %s", r.body)
	}
	wantCode(t, "cancel twice", do(t, c, "DELETE", base+"/api/orders/"+ids[2], "", auth...), 409)
	wantCode(t, "cancel filled", do(t, c, "DELETE", base+"/api/orders/"+ids[0], "", auth...), 409)
	wantCode(t, "cancel unknown", do(t, c, "DELETE", base+"/api/orders/ORD-1-999", "", auth...), 404)

	// Another user cannot see or cancel dave's orders.
	other := login(t, c, base, "erin")
	wantCode(t, "foreign cancel", do(t, c, "DELETE", base+"/api/orders/"+ids[1], "", "Authorization", "Bearer "+other), 404)
	if r := do(t, c, "GET", base+"/api/orders", "", "Authorization", "Bearer "+other); decode(t, r)["count"] != 0.0 {
		t.Errorf("erin sees orders: %s", r.body)
	}
	// The SESSION cookie works instead of a token.
	r = do(t, c, "POST", base+"/api/login", `{"username":"dave","password":"secret"}`)
	sess := strings.SplitN(r.header.Get("Set-Cookie"), ";", 2)[0]
	if r := do(t, c, "GET", base+"/api/orders", "", "Cookie", sess); decode(t, r)["count"] != 3.0 {
		t.Errorf("orders by session cookie: %s", r.body)
	}
}

func TestPayments(t *testing.T) {
	_, base := start(t, Options{})
	c := client()
	tok := login(t, c, base, "frank")
	auth := []string{"Authorization", "Bearer " + tok}
	wantCode(t, "no auth", do(t, c, "POST", base+"/api/payments", `{"amount":50,"currency":"EUR","to":"x"}`), 401)
	for _, tc := range []struct {
		body   string
		code   int
		status string
	}{
		{`{"amount":10,"currency":"EUR","to":"ACC-1"}`, 201, "COMPLETED"},
		{`{"amount":"500","currency":"usd","to":"ACC-1"}`, 201, "COMPLETED"},
		{`{"amount":500.01,"currency":"GBP","to":"ACC-2"}`, 201, "PENDING_REVIEW"},
		{`{"amount":1000,"currency":"GBP","to":"ACC-2"}`, 201, "PENDING_REVIEW"},
		{`{"amount":9.99,"currency":"EUR","to":"ACC-1"}`, 422, ""},
		{`{"amount":1001,"currency":"EUR","to":"ACC-1"}`, 422, ""},
		{`{"amount":50,"currency":"EURO","to":"ACC-1"}`, 400, ""},
		{`{"amount":50,"currency":"EUR"}`, 400, ""},
		{`{"amount":"lots","currency":"EUR","to":"ACC-1"}`, 400, ""},
		{`amount=20&currency=EUR&to=ACC-3`, 201, "COMPLETED"},
	} {
		r := do(t, c, "POST", base+"/api/payments", tc.body, auth...)
		wantCode(t, tc.body, r, tc.code)
		if tc.status != "" {
			m := decode(t, r)
			if m["status"] != tc.status || !strings.HasPrefix(fmt.Sprint(m["paymentId"]), "PAY-") {
				t.Errorf("%s → %s", tc.body, r.body)
			}
		}
	}
	if r := do(t, c, "GET", base+"/api/payments", "", auth...); decode(t, r)["count"] != 5.0 {
		t.Errorf("payments list %s", r.body)
	}
}

func TestEcho(t *testing.T) {
	_, base := start(t, Options{})
	c := client()
	r := do(t, c, "POST", base+"/echo/x?a=1&b=two+words", "name=J%C3%BCrgen&x=1",
		"Content-Type", "application/x-www-form-urlencoded", "X-Test", "yes")
	wantCode(t, "echo", r, 200)
	m := decode(t, r)
	if m["method"] != "POST" || m["path"] != "/echo/x" || m["query"] != "a=1&b=two+words" || m["body"] != "name=J%C3%BCrgen&x=1" {
		t.Fatalf("echo %s", r.body)
	}
	if h := m["headers"].(map[string]any); h["X-Test"] != "yes" {
		t.Errorf("echo headers %v", h)
	}
	if f := fmt.Sprint(m["form"]); f != "map[name:[Jürgen] x:[1]]" {
		t.Errorf("echo form %s", f)
	}
	if a := fmt.Sprint(m["args"]); a != "map[a:[1] b:[two words]]" {
		t.Errorf("echo args %s", a)
	}
	for _, method := range []string{"PUT", "PATCH", "DELETE", "OPTIONS"} {
		if m := decode(t, do(t, c, method, base+"/echo", "")); m["method"] != method {
			t.Errorf("%s echoed as %v", method, m["method"])
		}
	}
}

func TestStatusAndRedirects(t *testing.T) {
	_, base := start(t, Options{})
	c := client()
	for _, code := range []int{200, 201, 302, 404, 500, 503} {
		wantCode(t, "status", do(t, c, "GET", fmt.Sprintf("%s/status/%d", base, code), ""), code)
	}
	r := do(t, c, "GET", base+"/status/204", "")
	wantCode(t, "204", r, 204)
	if len(r.body) != 0 {
		t.Errorf("204 with body %q", r.body)
	}
	wantCode(t, "status 99", do(t, c, "GET", base+"/status/99", ""), 400)
	wantCode(t, "status abc", do(t, c, "GET", base+"/status/abc", ""), 400)

	r = do(t, c, "GET", base+"/redirect/3", "")
	wantCode(t, "redirect", r, 302)
	if loc := r.header.Get("Location"); loc != "/redirect/2" {
		t.Errorf("Location %q", loc)
	}
	// Following: exactly 3 hops, then 200.
	hops := 0
	follow := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { hops++; return nil }}
	r = do(t, follow, "GET", base+"/redirect/3", "")
	wantCode(t, "followed", r, 200)
	if hops != 3 {
		t.Errorf("hops %d, want 3", hops)
	}

	r = do(t, c, "GET", base+"/redirect-to?url="+url.QueryEscape("/echo?z=1")+"&status=307", "")
	wantCode(t, "redirect-to", r, 307)
	if loc := r.header.Get("Location"); loc != "/echo?z=1" {
		t.Errorf("Location %q", loc)
	}
	wantCode(t, "redirect-to default", do(t, c, "GET", base+"/redirect-to?url=/json", ""), 302)
	wantCode(t, "redirect-to no url", do(t, c, "GET", base+"/redirect-to", ""), 400)
	wantCode(t, "redirect-to bad status", do(t, c, "GET", base+"/redirect-to?url=/&status=200", ""), 400)
}

func TestDelayAndFixed(t *testing.T) {
	_, base := start(t, Options{})
	c := client()
	for _, p := range []string{"/delay/150", "/fixed/150"} {
		t0 := time.Now()
		r := do(t, c, "GET", base+p, "")
		d := time.Since(t0)
		wantCode(t, p, r, 200)
		if d < 150*time.Millisecond || d > 5*time.Second {
			t.Errorf("%s took %v", p, d)
		}
	}
	wantCode(t, "fixed bad", do(t, c, "GET", base+"/fixed/x", ""), 400)
	wantCode(t, "delay bad", do(t, c, "GET", base+"/delay/-1", ""), 400)
}

func TestFast(t *testing.T) {
	_, base := start(t, Options{})
	r := do(t, client(), "GET", base+"/fast", "")
	wantCode(t, "fast", r, 200)
	if len(r.body) != 100 || !json.Valid(r.body) || r.header.Get("Content-Length") != "100" {
		t.Fatalf("fast body %d bytes %q, headers %v", len(r.body), r.body, r.header)
	}
}

func TestBytes(t *testing.T) {
	_, base := start(t, Options{Seed: 3})
	_, same := start(t, Options{Seed: 3})
	c := client()
	for _, n := range []int{0, 1, 1000, 200_000} {
		r := do(t, c, "GET", fmt.Sprintf("%s/bytes/%d", base, n), "")
		wantCode(t, "bytes", r, 200)
		if len(r.body) != n {
			t.Errorf("/bytes/%d gave %d bytes", n, len(r.body))
		}
		if r2 := do(t, c, "GET", fmt.Sprintf("%s/bytes/%d", same, n), ""); !bytes.Equal(r.body, r2.body) {
			t.Errorf("/bytes/%d differs between servers with the same seed", n)
		}
	}
	wantCode(t, "too many bytes", do(t, c, "GET", base+"/bytes/999999999999", ""), 400)
}

func TestCookies(t *testing.T) {
	_, base := start(t, Options{})
	r := do(t, client(), "GET", base+"/cookies/set?b=2&a=1&path=/cookies", "")
	wantCode(t, "set", r, 200)
	sc := r.header.Values("Set-Cookie")
	if len(sc) != 2 || sc[0] != "b=2; Path=/cookies" || sc[1] != "a=1; Path=/cookies" {
		t.Fatalf("Set-Cookie %q", sc)
	}

	jar, _ := cookiejar.New(nil)
	c := client()
	c.Jar = jar
	do(t, c, "GET", base+"/cookies/set?root=r", "")
	do(t, c, "GET", base+"/cookies/set?api=x&path=/api", "")
	m := decode(t, do(t, c, "GET", base+"/cookies", ""))
	if got := fmt.Sprint(m["cookies"]); got != "map[root:r]" {
		t.Errorf("/cookies saw %s (the /api cookie must not be sent)", got)
	}
	r = do(t, c, "GET", base+"/cookies/delete?root", "")
	if sc := r.header.Get("Set-Cookie"); !strings.Contains(sc, "Max-Age=0") {
		t.Errorf("delete Set-Cookie %q", sc)
	}
	if got := fmt.Sprint(decode(t, do(t, c, "GET", base+"/cookies", ""))["cookies"]); got != "map[]" {
		t.Errorf("after delete /cookies saw %s", got)
	}
}

func TestDocuments(t *testing.T) {
	_, base := start(t, Options{})
	c := client()
	r := do(t, c, "GET", base+"/html", "")
	if !strings.Contains(string(r.body), "<title>gometer test page</title>") || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("/html: %s", r.body)
	}
	r = do(t, c, "GET", base+"/xml", "")
	var cat struct {
		Books []struct {
			ID string `xml:"id,attr"`
		} `xml:"book"`
	}
	if err := xml.Unmarshal(r.body, &cat); err != nil || len(cat.Books) != 3 {
		t.Errorf("/xml: %v, %d books", err, len(cat.Books))
	}
	r = do(t, c, "GET", base+"/json", "")
	if !json.Valid(r.body) || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("/json invalid: %s", r.body)
	}
	r = do(t, c, "GET", base+"/", "")
	if !strings.Contains(string(r.body), "/api/login") {
		t.Errorf("index: %s", r.body)
	}
	wantCode(t, "unknown path", do(t, c, "GET", base+"/nope", ""), 404)
}

func TestFaults(t *testing.T) {
	s, base := start(t, Options{})
	c := client()

	get := func(p string, timeout time.Duration) ([]byte, error) {
		cl := &http.Client{Timeout: timeout}
		res, err := cl.Get(base + p)
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		return io.ReadAll(res.Body)
	}

	if _, err := get("/fault/reset", 5*time.Second); err == nil {
		t.Error("/fault/reset: no error")
	}
	if _, err := get("/fault/truncate", 5*time.Second); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("/fault/truncate: %v, want unexpected EOF", err)
	}
	if _, err := get("/fault/badhttp", 5*time.Second); err == nil || !strings.Contains(err.Error(), "malformed HTTP") {
		t.Errorf("/fault/badhttp: %v", err)
	}
	t0 := time.Now()
	if _, err := get("/fault/hang", 300*time.Millisecond); err == nil || !strings.Contains(err.Error(), "Timeout") {
		t.Errorf("/fault/hang: %v", err)
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("/fault/hang timeout took %v", d)
	}
	if _, err := get("/fault/loop", 5*time.Second); err == nil || !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Errorf("/fault/loop: %v", err)
	}
	t0 = time.Now()
	b, err := get("/fault/drip?bytes=5&ms=40", 10*time.Second)
	if err != nil || string(b) != "*****" || time.Since(t0) < 200*time.Millisecond {
		t.Errorf("/fault/drip: %q %v after %v", b, err, time.Since(t0))
	}
	b, err = get("/fault/big?mb=3", 30*time.Second)
	if err != nil || len(b) != 3<<20 {
		t.Errorf("/fault/big: %d bytes, %v", len(b), err)
	}
	wantCode(t, "big bad mb", do(t, c, "GET", base+"/fault/big?mb=x", ""), 400)

	// Answered: loop (10 requests before the client gives up), drip, big, big bad mb. Not: reset, truncate, badhttp, hang.
	if !eventually(func() bool { return s.Count() == 13 }) {
		t.Errorf("Count = %d, want 13", s.Count())
	}
}

func TestHangReleasedByClose(t *testing.T) {
	s := New(Options{})
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := (&http.Client{Timeout: 20 * time.Second}).Get(base + "/fault/hang")
		errc <- err
	}()
	time.Sleep(100 * time.Millisecond)
	t0 := time.Now()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if err == nil {
			t.Error("hanging request succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not release /fault/hang")
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("release took %v", d)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Start("127.0.0.1:0"); err == nil {
		t.Error("Start after Close succeeded")
	}
}

// syncBuffer is a bytes.Buffer safe for the recorder and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestRecord(t *testing.T) {
	var buf syncBuffer
	_, base := start(t, Options{Record: &buf})
	c := client()
	do(t, c, "POST", base+"/echo?q=1&q=2", `{"k":"v"}`, "Content-Type", "application/json",
		"Authorization", "Bearer abc", "Cookie", "a=1; b=2", "User-Agent", "test-agent")
	do(t, c, "PUT", base+"/status/418", "\xff\xfe binary")
	(&http.Client{Timeout: 5 * time.Second}).Get(base + "/fault/reset")

	var recs []Record
	eventually(func() bool {
		var err error
		recs, err = ReadRecords(strings.NewReader(buf.String()))
		if err != nil {
			t.Fatal(err)
		}
		return len(recs) == 3
	})
	if len(recs) != 3 {
		t.Fatalf("%d records:\n%s", len(recs), buf.String())
	}
	r := recs[0]
	if r.Seq != 1 || r.Method != "POST" || r.Path != "/echo" || r.Query != "q=1&q=2" || r.Body != `{"k":"v"}` ||
		r.BodyLen != 9 || r.Status != 200 {
		t.Errorf("record 1: %+v", r)
	}
	for _, h := range []string{"Content-Type", "Authorization", "Cookie", "User-Agent", "Content-Length"} {
		if len(r.Headers[h]) == 0 {
			t.Errorf("record lacks header %s: %v", h, r.Headers)
		}
	}
	for _, h := range []string{"Host", "Connection"} {
		if _, ok := r.Headers[h]; ok {
			t.Errorf("record keeps volatile header %s", h)
		}
	}
	if strings.Join(r.Cookies, ";") != "a=1;b=2" {
		t.Errorf("cookies %v", r.Cookies)
	}
	if r := recs[1]; r.Status != 418 || !r.BodyBase64 || r.Body != "//4gYmluYXJ5" {
		t.Errorf("record 2: %+v", r)
	}
	if r := recs[2]; r.Status != 0 || r.Path != "/fault/reset" {
		t.Errorf("record 3 (hijacked): %+v", r)
	}
	if _, err := ReadRecords(strings.NewReader("{bad\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad recording: %v", err)
	}
}

// TestConcurrentUsers runs many users at once: ids stay per user, nothing
// is lost, and the answers match the count.
func TestConcurrentUsers(t *testing.T) {
	s, base := start(t, Options{})
	const users, orders = 16, 20
	var wg sync.WaitGroup
	errs := make(chan error, users)
	for u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Timeout: 10 * time.Second}
			post := func(path, body, tok string) (map[string]any, error) {
				req, _ := http.NewRequest("POST", base+path, strings.NewReader(body))
				if tok != "" {
					req.Header.Set("Authorization", "Bearer "+tok)
				}
				res, err := c.Do(req)
				if err != nil {
					return nil, err
				}
				defer res.Body.Close()
				var m map[string]any
				return m, json.NewDecoder(res.Body).Decode(&m)
			}
			m, err := post("/api/login", fmt.Sprintf(`{"username":"u%d","password":"secret"}`, u), "")
			if err != nil {
				errs <- err
				return
			}
			tok, _ := m["token"].(string)
			for i := 1; i <= orders; i++ {
				m, err := post("/api/orders", `{"symbol":"V","side":"BUY","qty":1,"price":10}`, tok)
				if err != nil {
					errs <- err
					return
				}
				if want := fmt.Sprintf("-%d", i); !strings.HasSuffix(fmt.Sprint(m["orderId"]), want) {
					errs <- fmt.Errorf("user %d order %d got id %v", u, i, m["orderId"])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got, want := s.Count(), int64(users*(orders+1)); got != want {
		t.Errorf("Count = %d, want %d", got, want)
	}
}

func TestHandlerWithoutStart(t *testing.T) {
	s := New(Options{})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	defer s.Close()
	r := do(t, client(), "GET", ts.URL+"/fast", "")
	wantCode(t, "fast via httptest", r, 200)
	if s.Count() != 1 {
		t.Errorf("Count = %d", s.Count())
	}
}

// BenchmarkFastHandler measures the server-side cost of one /fast answer.
func BenchmarkFastHandler(b *testing.B) {
	s := New(Options{})
	req := httptest.NewRequest("GET", "/fast", nil)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		w.Body.Reset()
		s.ServeHTTP(w, req)
	}
}

func TestTLS(t *testing.T) {
	s, plain := start(t, Options{})
	secure, err := s.StartTLS("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secure, "https://127.0.0.1:") {
		t.Fatalf("StartTLS URL %q", secure)
	}
	if _, err := s.StartTLS("127.0.0.1:0"); err == nil {
		t.Error("second StartTLS succeeded")
	}
	// Any certificate is fine for an insecure client (JMeter's default);
	// a verifying client needs the server's certificate in its pool.
	insecure := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	tok := login(t, client(), plain, "tess") // state is shared between listeners
	r := do(t, insecure, "GET", secure+"/api/portfolio", "", "Authorization", "Bearer "+tok)
	wantCode(t, "portfolio over TLS", r, 200)

	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	verifying := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	wantCode(t, "verified TLS", do(t, verifying, "GET", secure+"/fast", ""), 200)
	if _, err := (&http.Client{Timeout: 10 * time.Second}).Get(secure + "/fast"); err == nil {
		t.Error("a client without the certificate accepted it")
	}
	// Plain HTTP to the TLS port fails; hijacking faults work over TLS too.
	if res, err := (&http.Client{Timeout: 10 * time.Second}).Get(strings.Replace(secure, "https", "http", 1) + "/fast"); err == nil {
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("plain HTTP to the TLS port: %d", res.StatusCode)
		}
	}
	if res, err := insecure.Get(secure + "/fault/reset"); err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
		if err == nil {
			t.Error("/fault/reset over TLS read a whole body")
		}
	}
	if !eventually(func() bool { return s.Count() == 3 }) { // login, portfolio, verified /fast
		t.Errorf("Count = %d, want 3", s.Count())
	}
}
