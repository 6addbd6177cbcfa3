package target

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	maxDelayMs   = 600_000
	maxBytes     = 64 << 20
	maxRedirects = 1000
	maxEchoBody  = 10 << 20
)

// fastBody is the /fast answer: 100 bytes, built once.
var fastBody = []byte(`{"status":"ok","service":"gometer-target","path":"/fast","pad":"0123456789abcdefghijklmnopqrstuvw"}` + "\n")

// Header values shared by every /fast and /fixed answer; never mutated.
var (
	hdrJSON    = []string{"application/json"}
	hdrFastLen = []string{strconv.Itoa(len(fastBody))}
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	// Demo API.
	mux.HandleFunc("POST /api/login", s.login)
	mux.HandleFunc("GET /api/market", s.market)
	mux.HandleFunc("GET /api/dashboard", s.dashboard)
	mux.HandleFunc("GET /api/portfolio", s.portfolio)
	mux.HandleFunc("POST /api/orders", s.placeOrder)
	mux.HandleFunc("GET /api/orders", s.listOrders)
	mux.HandleFunc("GET /api/orders/{id}", s.getOrder)
	mux.HandleFunc("DELETE /api/orders/{id}", s.cancelOrder)
	mux.HandleFunc("POST /api/payments", s.pay)
	mux.HandleFunc("GET /api/payments", s.listPayments)
	// Test helpers.
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("/echo", s.echo)
	mux.HandleFunc("/ws/echo", s.wsEcho)
	mux.HandleFunc("/ws/push", s.wsPush)
	mux.HandleFunc("/ws/slowclose", s.wsSlowClose)
	mux.HandleFunc("/ws/feed", s.wsFeed)
	mux.HandleFunc("/ws/prices", s.wsPrices)
	mux.HandleFunc("/echo/", s.echo)
	mux.HandleFunc("/sink", s.sink)
	mux.HandleFunc("/status/{code}", s.status)
	mux.HandleFunc("/redirect/{n}", s.redirect)
	mux.HandleFunc("/redirect-to", s.redirectTo)
	mux.HandleFunc("/delay/{ms}", s.delay)
	mux.HandleFunc("GET /bytes/{n}", s.bytes)
	mux.HandleFunc("GET /cookies", s.cookies)
	mux.HandleFunc("GET /cookies/set", s.setCookies)
	mux.HandleFunc("GET /cookies/delete", s.deleteCookies)
	mux.HandleFunc("GET /html", s.static("text/html; charset=utf-8", htmlPage))
	mux.HandleFunc("GET /xml", s.static("application/xml", xmlDoc))
	mux.HandleFunc("GET /json", s.static("application/json", jsonDoc))
	// Benchmark endpoints.
	mux.HandleFunc("/fast", s.fast)
	mux.HandleFunc("/fixed/{ms}", s.fixed)
	// Faults.
	mux.HandleFunc("/fault/reset", s.faultReset)
	mux.HandleFunc("/fault/hang", s.faultHang)
	mux.HandleFunc("/fault/drip", s.faultDrip)
	mux.HandleFunc("/fault/big", s.faultBig)
	mux.HandleFunc("/fault/badhttp", s.faultBadHTTP)
	mux.HandleFunc("/fault/loop", s.faultLoop)
	mux.HandleFunc("/fault/headers", s.faultHeaders)
	mux.HandleFunc("/fault/truncate", s.faultTruncate)
	mux.HandleFunc("/fault/bomb", s.faultBomb)
	s.conformanceRoutes(mux)
	return mux
}

// seededBytes returns n reproducible pseudo-random bytes.
func seededBytes(seed int64, n int) []byte {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5851f42d4c957f2d))
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := rng.Uint64()
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// wait sleeps d, returning false early when the client goes away or the
// server closes.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

// intArg parses a path value or query value in [lo, hi], writing 400 if it is not.
func intArg(w http.ResponseWriter, name, v string, lo, hi int64) (int64, bool) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("%s must be an integer from %d to %d, got %q", name, lo, hi, v))
		return 0, false
	}
	return n, true
}

// queryInt reads an optional integer query parameter.
func queryInt(w http.ResponseWriter, r *http.Request, name string, def, lo, hi int64) (int64, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	return intArg(w, name, v, lo, hi)
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	writeBody(w, http.StatusOK, "text/plain; charset=utf-8", []byte(indexText))
}

const indexText = `gometer demo target
Demo API: POST /api/login, GET /api/market, GET /api/dashboard, GET /api/portfolio,
  POST|GET /api/orders, GET|DELETE /api/orders/{id}, POST|GET /api/payments
Helpers: /echo, /status/{code}, /redirect/{n}, /redirect-to?url=&status=, /delay/{ms},
  /bytes/{n}, /cookies, /cookies/set?name=value&path=, /cookies/delete?name, /html, /xml, /json
Bench: /fast, /fixed/{ms}
Faults: /fault/reset, /fault/hang, /fault/drip?bytes=&ms=, /fault/big?mb=, /fault/badhttp,
  /fault/loop, /fault/truncate
`

// echo answers with what it received: method, path, raw query, parsed
// arguments, headers (repeated values joined with ", "), host, body and, for
// form bodies, the parsed form.
// sink reads the whole request body, whatever its size, and answers with
// the number of bytes read (uploads of any size).
func (s *Server) sink(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, r.Body)
	if err != nil {
		abandon(w)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintf(w, "%d\n", n)
}

func (s *Server) echo(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxEchoBody+1))
	if err != nil {
		abandon(w)
		return
	}
	if len(body) > maxEchoBody {
		writeError(w, http.StatusRequestEntityTooLarge, "echo body larger than 10 MiB")
		return
	}
	hdr := make(map[string]string, len(r.Header))
	for k, v := range r.Header {
		hdr[k] = strings.Join(v, ", ")
	}
	args := r.URL.Query()
	if args == nil {
		args = url.Values{}
	}
	out := map[string]any{
		"method":  r.Method,
		"path":    r.URL.Path,
		"query":   r.URL.RawQuery,
		"args":    args,
		"headers": hdr,
		"host":    r.Host,
		"body":    string(body),
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" {
		if form, err := url.ParseQuery(string(body)); err == nil {
			out["form"] = form
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// status answers with the code in the path. 3xx answers carry no Location,
// which lets plans test a redirect without one.
func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	code, ok := intArg(w, "code", r.PathValue("code"), 200, 599)
	if !ok {
		return
	}
	if code == http.StatusNoContent || code == http.StatusNotModified {
		w.WriteHeader(int(code))
		return
	}
	writeJSON(w, int(code), map[string]any{"status": code, "text": http.StatusText(int(code))})
}

// redirect answers /redirect/n with a 302 to /redirect/n-1, and /redirect/0 with 200.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request) {
	n, ok := intArg(w, "n", r.PathValue("n"), 0, maxRedirects)
	if !ok {
		return
	}
	if n == 0 {
		writeJSON(w, http.StatusOK, map[string]any{"redirected": true, "method": r.Method})
		return
	}
	w.Header().Set("Location", "/redirect/"+strconv.FormatInt(n-1, 10))
	writeJSON(w, http.StatusFound, map[string]any{"hopsLeft": n - 1})
}

// redirectTo answers with a redirect to ?url= (status ?status=, default 302).
func (s *Server) redirectTo(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	if target == "" {
		writeError(w, http.StatusBadRequest, "url is required")
		return
	}
	code, ok := queryInt(w, r, "status", http.StatusFound, 300, 399)
	if !ok {
		return
	}
	w.Header().Set("Location", target)
	writeJSON(w, int(code), map[string]any{"location": target})
}

func (s *Server) delay(w http.ResponseWriter, r *http.Request) {
	ms, ok := intArg(w, "ms", r.PathValue("ms"), 0, maxDelayMs)
	if !ok {
		return
	}
	if !s.wait(r.Context(), time.Duration(ms)*time.Millisecond) {
		abandon(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"delayMs": ms})
}

// bytes answers with n reproducible bytes (the seed decides them).
func (s *Server) bytes(w http.ResponseWriter, r *http.Request) {
	n, ok := intArg(w, "n", r.PathValue("n"), 0, maxBytes)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.FormatInt(n, 10))
	if r.Method == http.MethodHead {
		return
	}
	s.writeBlocks(w, n)
}

// writeBlocks writes n bytes of the seeded block, repeated.
func (s *Server) writeBlocks(w http.ResponseWriter, n int64) bool {
	for n > 0 {
		chunk := s.block[:min(n, int64(len(s.block)))]
		if _, err := w.Write(chunk); err != nil {
			return false
		}
		n -= int64(len(chunk))
	}
	return true
}

// queryPairs splits a raw query into name/value pairs in the order sent.
func queryPairs(raw string) [][2]string {
	var out [][2]string
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		out = append(out, [2]string{k, v})
	}
	return out
}

// setCookies sets one cookie per query parameter other than "path"
// (default "/"), in the order given, and lists them.
func (s *Server) setCookies(w http.ResponseWriter, r *http.Request) {
	pairs := queryPairs(r.URL.RawQuery)
	path := "/"
	for _, p := range pairs {
		if p[0] == "path" {
			path = p[1]
		}
	}
	set := map[string]string{}
	for _, p := range pairs {
		if p[0] == "path" || p[0] == "" {
			continue
		}
		http.SetCookie(w, &http.Cookie{Name: p[0], Value: p[1], Path: path})
		set[p[0]] = p[1]
	}
	writeJSON(w, http.StatusOK, map[string]any{"set": set, "path": path})
}

// deleteCookies expires the named cookies (?name1&name2&path=).
func (s *Server) deleteCookies(w http.ResponseWriter, r *http.Request) {
	pairs := queryPairs(r.URL.RawQuery)
	path := "/"
	for _, p := range pairs {
		if p[0] == "path" {
			path = p[1]
		}
	}
	var deleted []string
	for _, p := range pairs {
		if p[0] == "path" || p[0] == "" {
			continue
		}
		http.SetCookie(w, &http.Cookie{Name: p[0], Value: "", Path: path, MaxAge: -1})
		deleted = append(deleted, p[0])
	}
	writeJSON(w, http.StatusOK, map[string]any{"deleted": deleted, "path": path})
}

// cookies lists the cookies received.
func (s *Server) cookies(w http.ResponseWriter, r *http.Request) {
	got := map[string]string{}
	for _, c := range r.Cookies() {
		got[c.Name] = c.Value
	}
	writeJSON(w, http.StatusOK, map[string]any{"cookies": got})
}

func (s *Server) static(contentType, body string) http.HandlerFunc {
	b := []byte(body)
	return func(w http.ResponseWriter, r *http.Request) { writeBody(w, http.StatusOK, contentType, b) }
}

// fast is the throughput endpoint: a fixed 100-byte body, no allocation
// beyond what net/http does.
func (s *Server) fast(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = hdrJSON
	h["Content-Length"] = hdrFastLen
	w.Write(fastBody)
}

// fixed answers /fast's body after exactly ms milliseconds.
func (s *Server) fixed(w http.ResponseWriter, r *http.Request) {
	ms, err := strconv.Atoi(r.PathValue("ms"))
	if err != nil || ms < 0 || ms > maxDelayMs {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("ms must be an integer from 0 to %d", maxDelayMs))
		return
	}
	if !s.wait(r.Context(), time.Duration(ms)*time.Millisecond) {
		abandon(w)
		return
	}
	s.fast(w, r)
}

const htmlPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>gometer test page</title>
<meta name="description" content="A fixed page for extractor and assertion tests">
</head>
<body>
<h1 class="title">Hello from the gometer target</h1>
<p id="intro">Prices are <b>fixed</b> &amp; deterministic.</p>
<ul id="links">
<li><a href="/json" class="link" data-id="1">JSON document</a></li>
<li><a href="/xml" class="link" data-id="2">XML document</a></li>
<li><a href="/echo?from=html" class="link" data-id="3">Echo</a></li>
</ul>
<form id="login" action="/api/login" method="post">
<input type="hidden" name="csrf" value="csrf-7f3a9c">
<input type="text" name="username" value="">
<input type="password" name="password" value="">
<input type="submit" value="Log in">
</form>
</body>
</html>
`

const xmlDoc = `<?xml version="1.0" encoding="UTF-8"?>
<catalog>
  <book id="b1" lang="en">
    <title>Performance Testing Basics</title>
    <author>Ada Load</author>
    <price currency="USD">29.99</price>
  </book>
  <book id="b2" lang="fr">
    <title>Tests de charge</title>
    <author>Jean Requete</author>
    <price currency="EUR">35.50</price>
  </book>
  <book id="b3" lang="en">
    <title>Latency in Practice</title>
    <author>Tim Percentile</author>
    <price currency="USD">42.00</price>
  </book>
</catalog>
`

const jsonDoc = `{
  "store": {
    "name": "gometer books",
    "open": true,
    "books": [
      {"id": 1, "title": "Performance Testing Basics", "author": "Ada Load", "price": 29.99, "tags": ["intro", "load"]},
      {"id": 2, "title": "Tests de charge", "author": "Jean Requete", "price": 35.5, "tags": ["fr"]},
      {"id": 3, "title": "Latency in Practice", "author": "Tim Percentile", "price": 42, "tags": []}
    ],
    "manager": {"name": "Rita Ramp", "email": "rita@example.test"},
    "closedOn": null
  },
  "count": 3
}
`
