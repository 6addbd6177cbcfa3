package sampler

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/gometer/gometer/jmx"
)

func TestHTTPFollowRedirects(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		switch r.URL.Path {
		case "/start":
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "abc", Path: "/"})
			w.Header().Set("Location", "/a/../middle")
			w.WriteHeader(302)
		case "/middle":
			w.Header().Set("Location", "/final page")
			w.WriteHeader(303)
		case "/final page":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html>done</html>")
		case "/loop":
			w.Header().Set("Location", "/loop")
			w.WriteHeader(301)
		case "/noloc":
			w.WriteHeader(302)
		}
	}))
	defer srv.Close()
	cm := elem("CookieManager", "cookies")
	s := newSession()
	el := httpSampler(t, srv.URL, "login", "POST", "/start", argsProp(targ{name: "u", value: "x"}))
	res := mustHTTP(t, el, HTTPOptions{Cookies: cm}).Sample(context.Background(), s)
	if len(res.Subs) != 3 {
		t.Fatalf("subs %d: %+v", len(res.Subs), res)
	}
	for i, sub := range res.Subs {
		if want := "login-" + strconv.Itoa(i); sub.Label != want {
			t.Errorf("sub %d label %q", i, sub.Label)
		}
	}
	if res.Label != "login" || res.ResponseCode != "200" || !res.Success || string(res.Body) != "<html>done</html>" {
		t.Errorf("parent %q %q %v %q", res.Label, res.ResponseCode, res.Success, res.Body)
	}
	if res.URL != srv.URL+"/final%20page" || res.Method != "GET" {
		t.Errorf("parent url %q method %q", res.URL, res.Method)
	}
	if res.Subs[0].ResponseCode != "302" || res.Subs[0].Method != "POST" || res.Subs[1].ResponseCode != "303" || res.Subs[1].Method != "GET" {
		t.Errorf("hops %+v %+v", res.Subs[0], res.Subs[1])
	}
	var sum int64
	for _, sub := range res.Subs {
		sum += sub.Bytes
	}
	if res.Bytes != sum || sum == 0 {
		t.Errorf("parent bytes %d, sum of hops %d", res.Bytes, sum)
	}
	last := res.Subs[2]
	if !res.Start.Equal(res.Subs[0].Start) || res.End().Before(last.End()) {
		t.Errorf("parent time %v..%v does not span hops ending %v", res.Start, res.End(), last.End())
	}
	reqs := rec.all()
	if len(reqs) != 3 || reqs[1].Path != "/middle" || reqs[1].Method != "GET" || reqs[2].Path != "/final page" {
		t.Fatalf("server saw %+v", reqs)
	}
	if reqs[1].Header.Get("Cookie") != "sid=abc" {
		t.Errorf("cookie not sent on redirect hop: %v", reqs[1].Header)
	}

	// Redirect loop: max redirects then an error sub-result.
	s.Ctx.Props.Set("httpsampler.max_redirects", "3")
	el = httpSampler(t, srv.URL, "loop", "GET", "/loop")
	res = mustHTTP(t, el, HTTPOptions{Props: s.Ctx.Props}).Sample(context.Background(), s)
	if res.Success || len(res.Subs) != 5 || !strings.Contains(res.ResponseMessage, "Exceeded maximum number of redirects: 3") {
		t.Errorf("loop: success %v subs %d msg %q", res.Success, len(res.Subs), res.ResponseMessage)
	}

	// 302 without Location is an error, as in JMeter.
	el = httpSampler(t, srv.URL, "noloc", "GET", "/noloc")
	res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	if res.Success || res.ResponseCode != "Non HTTP response code: java.lang.IllegalArgumentException" {
		t.Errorf("noloc: %q %q", res.ResponseCode, res.ResponseMessage)
	}

	// follow_redirects off: the 302 itself, successful, no subs.
	el = httpSampler(t, srv.URL, "nofollow", "GET", "/start", bp("HTTPSampler.follow_redirects", false))
	res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	if !res.Success || res.ResponseCode != "302" || len(res.Subs) != 0 {
		t.Errorf("no follow: %q subs %d", res.ResponseCode, len(res.Subs))
	}

	// auto_redirects: one result, final URL; a POST is redirected too (LaxRedirectStrategy).
	// HttpClient ignores cookies: the cookie set by the first hop is not sent on later hops.
	s2 := newSession()
	el = httpSampler(t, srv.URL, "auto", "POST", "/start", bp("HTTPSampler.follow_redirects", false), bp("HTTPSampler.auto_redirects", true))
	n0 := len(rec.all())
	res = mustHTTP(t, el, HTTPOptions{Cookies: cm}).Sample(context.Background(), s2)
	if !res.Success || res.ResponseCode != "200" || len(res.Subs) != 0 || !strings.HasSuffix(res.URL, "/final%20page") || res.Method != "GET" {
		t.Errorf("auto: %q subs %d url %q method %q", res.ResponseCode, len(res.Subs), res.URL, res.Method)
	}
	hops := rec.all()[n0:]
	if len(hops) != 3 || hops[0].Method != "POST" || hops[1].Method != "GET" || hops[1].Header.Get("Cookie") != "" {
		t.Errorf("auto hops %+v", hops)
	}
	// A redirect loop: HttpClient's circular redirect error.
	el = httpSampler(t, srv.URL, "autoloop", "GET", "/loop", bp("HTTPSampler.follow_redirects", false), bp("HTTPSampler.auto_redirects", true))
	res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s2)
	if res.Success || res.ResponseCode != "Non HTTP response code: org.apache.http.client.ClientProtocolException" ||
		!strings.Contains(res.ResponseMessage, "CircularRedirectException") {
		t.Errorf("auto loop: %q %q", res.ResponseCode, res.ResponseMessage)
	}
}

func TestHTTPNetworkFailures(t *testing.T) {
	s := newSession()
	// Refused: a port that was just closed.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	el := httpSampler(t, "http://"+addr, "refused", "GET", "/")
	res := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	if res.Success || res.ResponseCode != "Non HTTP response code: org.apache.http.conn.HttpHostConnectException" ||
		res.ResponseMessage != "Non HTTP response message: Connect to "+addr+" [/127.0.0.1] failed: Connection refused" {
		t.Errorf("refused: %q %q", res.ResponseCode, res.ResponseMessage)
	}
	if res.Label != "refused" || res.ErrorCount != 1 || len(res.Body) == 0 || res.Connect <= 0 || res.Latency != 0 {
		t.Errorf("refused result %+v", res)
	}

	// Response timeout.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	el = httpSampler(t, slow.URL, "slow", "GET", "/", sp("HTTPSampler.response_timeout", "200"))
	startT := time.Now()
	res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	if res.ResponseCode != "Non HTTP response code: java.net.SocketTimeoutException" || res.ResponseMessage != "Non HTTP response message: Read timed out" {
		t.Errorf("timeout: %q %q", res.ResponseCode, res.ResponseMessage)
	}
	if d := time.Since(startT); d > 2500*time.Millisecond || res.Elapsed < 150*time.Millisecond {
		t.Errorf("timeout took %v, elapsed %v", d, res.Elapsed)
	}

	// Server closes without answering.
	ln2, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln2.Close()
	go func() {
		for {
			c, err := ln2.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 1024)
			c.Read(buf)
			c.Close()
		}
	}()
	el = httpSampler(t, "http://"+ln2.Addr().String(), "closed", "GET", "/")
	res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	if res.ResponseCode != "Non HTTP response code: org.apache.http.NoHttpResponseException" ||
		res.ResponseMessage != "Non HTTP response message: "+ln2.Addr().String()+" failed to respond" {
		t.Errorf("no response: %q %q", res.ResponseCode, res.ResponseMessage)
	}

	// Server resets the connection.
	ln3, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln3.Close()
	go func() {
		for {
			c, err := ln3.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 1024)
			c.Read(buf)
			c.(*net.TCPConn).SetLinger(0)
			c.Close()
		}
	}()
	el = httpSampler(t, "http://"+ln3.Addr().String(), "reset", "GET", "/")
	res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	if res.Success || (res.ResponseCode != "Non HTTP response code: java.net.SocketException" && res.ResponseCode != "Non HTTP response code: org.apache.http.NoHttpResponseException") {
		t.Errorf("reset: %q %q", res.ResponseCode, res.ResponseMessage)
	}

	// Truncated body.
	addr4 := closingServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nshort")
	el = httpSampler(t, "http://"+addr4, "trunc", "GET", "/")
	res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	if res.Success || res.ResponseCode != "Non HTTP response code: org.apache.http.ConnectionClosedException" ||
		res.ResponseMessage != "Non HTTP response message: Premature end of Content-Length delimited message body (expected: 100; received: 5)" {
		t.Errorf("truncated: %q %q", res.ResponseCode, res.ResponseMessage)
	}

	// Unknown host: a DNS cache manager whose custom resolver (a loopback
	// DNS server) answers NXDOMAIN.
	dns := elem("DNSCacheManager", "dns", bp("DNSCacheManager.isCustomResolver", true),
		collection("DNSCacheManager.servers", sp("", nxdomainServer(t))))
	el = httpSampler(t, "http://nosuchhost.invalid:80", "unknown", "GET", "/")
	res = mustHTTP(t, el, HTTPOptions{DNS: dns}).Sample(context.Background(), s)
	if res.ResponseCode != "Non HTTP response code: java.net.UnknownHostException" {
		t.Errorf("unknown host: %q %q", res.ResponseCode, res.ResponseMessage)
	}

	// Bad URL.
	el = httpSampler(t, "http://127.0.0.1:1", "bad", "GET", "http://[::1")
	res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	if res.Success || !strings.HasPrefix(res.ResponseCode, "Non HTTP response code: ") {
		t.Errorf("bad url: %q", res.ResponseCode)
	}
}

func TestHTTPConnectTimeout(t *testing.T) {
	// A loopback listener with backlog 0 that never accepts: once its queue is
	// full, further SYNs are dropped and a connect hangs until the timeout.
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Skip(err)
	}
	defer syscall.Close(fd)
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Skip(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Skip(err)
	}
	sa, _ := syscall.Getsockname(fd)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
	for i := 0; i < 4; i++ {
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			defer c.Close()
		}
	}
	el := httpSampler(t, "http://"+addr, "cto", "GET", "/", sp("HTTPSampler.connect_timeout", "300"))
	start := time.Now()
	res := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Skipf("connect did not hang (%s)", res.ResponseCode)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("connect timeout of 300ms took %v", d)
	}
	if res.ResponseCode != "Non HTTP response code: org.apache.http.conn.ConnectTimeoutException" {
		t.Errorf("connect timeout: %q %q", res.ResponseCode, res.ResponseMessage)
	}
}

func TestHTTPTLSSelfSigned(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "secure")
	}))
	defer srv.Close()
	el := httpSampler(t, srv.URL, "tls", "GET", "/x")
	s := newSession()
	res := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	if !res.Success || string(res.Body) != "secure" || !strings.HasPrefix(res.URL, "https://") {
		t.Fatalf("tls: %q %q %q", res.ResponseCode, res.ResponseMessage, res.Body)
	}
	if res.Connect <= 0 || res.Bytes < int64(len("HTTP/1.1 200 OK\r\n\r\nsecure")) || res.Bytes > 400 {
		t.Errorf("tls connect %v bytes %d", res.Connect, res.Bytes)
	}
	res2 := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	if res2.Connect != 0 {
		t.Errorf("tls reuse connect %v", res2.Connect)
	}
	// Verification on: the self-signed certificate is rejected.
	res = mustHTTP(t, el, HTTPOptions{TLSVerify: true}).Sample(context.Background(), newSession())
	if res.Success || res.ResponseCode != "Non HTTP response code: javax.net.ssl.SSLHandshakeException" {
		t.Errorf("verify: %q %q", res.ResponseCode, res.ResponseMessage)
	}
}

func cookieServer(t *testing.T) (*httptest.Server, *recorder) {
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		switch r.URL.Path {
		case "/set":
			http.SetCookie(w, &http.Cookie{Name: "a", Value: "1", Path: "/"})
			http.SetCookie(w, &http.Cookie{Name: "scoped", Value: "2", Path: "/app"})
		case "/del":
			http.SetCookie(w, &http.Cookie{Name: "a", Value: "", Path: "/", MaxAge: -1})
		case "/empty":
			w.Header().Add("Set-Cookie", "a=; Path=/")
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

// TestPredefinedCookieFieldsEvaluated: JMeter evaluates a predefined
// cookie's domain and path like any property, so ${__P(host)} as domain
// sends the cookie to that host, on every request and again after the
// iteration clears the jar.
func TestPredefinedCookieFieldsEvaluated(t *testing.T) {
	srv, rec := cookieServer(t)
	s := newSession()
	s.Ctx.Props.Set("host", "127.0.0.1")
	s.Ctx.Vars.Put("p", "/")
	cm := elem("CookieManager", "cm", bp("CookieManager.clearEachIteration", true),
		collection("CookieManager.cookies",
			elemProp("pre", "Cookie", sp("Cookie.value", "v1"), sp("Cookie.domain", "${__P(host)}"), sp("Cookie.path", "${p}"),
				bp("Cookie.secure", false), bp("Cookie.domain_specified", true), bp("Cookie.path_specified", true)),
			elemProp("hostonly", "Cookie", sp("Cookie.value", "h"), sp("Cookie.domain", "${__P(host)}"), sp("Cookie.path", "/other"))))
	get := func(path string) string {
		mustHTTP(t, httpSampler(t, srv.URL, path, "GET", path), HTTPOptions{Cookies: cm, Props: s.Ctx.Props}).Sample(context.Background(), s)
		return rec.last(t).Header.Get("Cookie")
	}
	if c := get("/x"); c != "pre=v1" {
		t.Errorf("first request cookies %q, want pre=v1", c)
	}
	if c := get("/other"); c != "hostonly=h; pre=v1" {
		t.Errorf("cookies on /other %q", c)
	}
	s.HTTP.StartIteration(true)
	if c := get("/x"); c != "pre=v1" {
		t.Errorf("after clearEachIteration %q, want pre=v1", c)
	}
}

// JMeter evaluates a predefined cookie's value on every request: one
// holding ${v} follows v, until a response sets a cookie of that name.
func TestPredefinedCookieFollowsVariable(t *testing.T) {
	srv, rec := cookieServer(t)
	s := newSession()
	cm := elem("CookieManager", "cm", collection("CookieManager.cookies",
		elemProp("a", "Cookie", sp("Cookie.value", "${v}"), sp("Cookie.domain", "127.0.0.1"), sp("Cookie.path", "/"))))
	get := func(path string) string {
		mustHTTP(t, httpSampler(t, srv.URL, path, "GET", path), HTTPOptions{Cookies: cm, Props: s.Ctx.Props}).Sample(context.Background(), s)
		return rec.last(t).Header.Get("Cookie")
	}
	s.Ctx.Vars.Put("v", "one")
	if c := get("/x"); c != "a=one" {
		t.Errorf("first request %q", c)
	}
	s.Ctx.Vars.Put("v", "two")
	if c := get("/x"); c != "a=two" {
		t.Errorf("after the variable changed %q, want a=two", c)
	}
	get("/set") // the response sets a=1
	s.Ctx.Vars.Put("v", "three")
	if c := get("/x"); c != "a=1" {
		t.Errorf("after the response's cookie %q, want a=1", c)
	}
}

func TestHTTPCookies(t *testing.T) {
	srv, rec := cookieServer(t)
	props := newSession().Ctx.Props
	props.Set("CookieManager.save.cookies", "true")
	cm := elem("CookieManager", "cm", bp("CookieManager.clearEachIteration", true),
		collection("CookieManager.cookies", elemProp("pre", "Cookie",
			sp("Cookie.value", "${v}"), sp("Cookie.domain", "127.0.0.1"), sp("Cookie.path", "/"), bp("Cookie.secure", false))))
	s := newSession()
	s.Ctx.Props = props
	s.Ctx.Vars.Put("v", "pv")
	get := func(path string) *Result {
		return mustHTTP(t, httpSampler(t, srv.URL, path, "GET", path), HTTPOptions{Cookies: cm, Props: props}).Sample(context.Background(), s)
	}
	get("/set")
	if c := rec.last(t).Header.Get("Cookie"); c != "pre=pv" {
		t.Errorf("first request cookies %q", c)
	}
	if v, _ := s.Ctx.Vars.Get("COOKIE_a"); v != "1" {
		t.Errorf("COOKIE_a = %q", v)
	}
	res := get("/other")
	if c := rec.last(t).Header.Get("Cookie"); !strings.Contains(c, "a=1") || strings.Contains(c, "scoped") || !strings.Contains(c, "pre=pv") {
		t.Errorf("cookies on /other %q", c)
	}
	if !strings.Contains(res.SamplerData, "Cookie Data:\n") || res.Cookies == "" {
		t.Errorf("sampler data %q", res.SamplerData)
	}
	get("/app/x")
	if c := rec.last(t).Header.Get("Cookie"); !strings.Contains(c, "scoped=2") {
		t.Errorf("cookies on /app/x %q", c)
	}
	get("/del")
	get("/other")
	if c := rec.last(t).Header.Get("Cookie"); strings.Contains(c, "a=") {
		t.Errorf("deleted cookie still sent: %q", c)
	}
	get("/set")
	get("/empty") // an empty value deletes the cookie (CookieManager.delete_null_cookies)
	get("/other")
	if c := rec.last(t).Header.Get("Cookie"); strings.Contains(c, "a=") {
		t.Errorf("cookie set to empty still sent: %q", c)
	}
	get("/set")
	s.HTTP.StartIteration(true) // clearEachIteration
	get("/other")
	if c := rec.last(t).Header.Get("Cookie"); c != "pre=pv" {
		t.Errorf("after clear: %q", c)
	}
	// Another user has its own jar.
	s2 := newSession()
	mustHTTP(t, httpSampler(t, srv.URL, "x", "GET", "/other"), HTTPOptions{Cookies: cm}).Sample(context.Background(), s2)
	if c := rec.last(t).Header.Get("Cookie"); c != "pre=${v}" {
		t.Errorf("second user cookies %q", c)
	}
	// No cookie manager: cookies are not kept.
	s3 := newSession()
	mustHTTP(t, httpSampler(t, srv.URL, "x", "GET", "/set"), HTTPOptions{}).Sample(context.Background(), s3)
	mustHTTP(t, httpSampler(t, srv.URL, "x", "GET", "/other"), HTTPOptions{}).Sample(context.Background(), s3)
	if c := rec.last(t).Header.Get("Cookie"); c != "" {
		t.Errorf("cookies without manager %q", c)
	}
}

func TestHTTPCacheManager(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		switch r.URL.Path {
		case "/fresh":
			w.Header().Set("Cache-Control", "max-age=3600")
		case "/etag":
			w.Header().Set("Cache-Control", "no-cache")
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(304)
				return
			}
		case "/nostore":
			w.Header().Set("Cache-Control", "no-store, max-age=3600")
		case "/vary":
			w.Header().Set("Cache-Control", "max-age=3600")
			w.Header().Set("Vary", "X-Lang")
		}
		io.WriteString(w, "body")
	}))
	defer srv.Close()
	cache := elem("CacheManager", "cache", bp("clearEachIteration", true), bp("useExpires", true))
	s := newSession()
	get := func(path string) *Result {
		return mustHTTP(t, httpSampler(t, srv.URL, path, "GET", path), HTTPOptions{Cache: cache}).Sample(context.Background(), s)
	}
	if r := get("/fresh"); r == nil || r.ResponseCode != "200" {
		t.Fatalf("first fetch %+v", r)
	}
	if r := get("/fresh"); r != nil {
		t.Errorf("fresh entry: want no sample, got %s", r.ResponseCode)
	}
	if n := len(rec.all()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
	get("/etag")
	r := get("/etag")
	last := rec.last(t)
	if r == nil || r.ResponseCode != "304" || !r.Success || last.Header.Get("If-None-Match") != `"v1"` || last.Header.Get("If-Modified-Since") == "" {
		t.Errorf("conditional: %+v %v", r, last.Header)
	}
	get("/nostore")
	if r := get("/nostore"); r == nil {
		t.Errorf("no-store response served from cache")
	}
	// Vary: each variant of the named request header is cached on its own.
	lang := func(v string) *Result {
		hm := elem("HeaderManager", "hm", collection("HeaderManager.headers",
			elemProp("", "Header", sp("Header.name", "X-Lang"), sp("Header.value", v))))
		return mustHTTP(t, httpSampler(t, srv.URL, "v", "GET", "/vary"), HTTPOptions{Cache: cache, Headers: []*jmx.Element{hm}}).Sample(context.Background(), s)
	}
	if get("/vary") == nil || lang("fr") == nil {
		t.Errorf("first request of each variant must be sent")
	}
	if get("/vary") != nil || lang("fr") != nil {
		t.Errorf("cached variants were requested again")
	}
	if lang("de") == nil {
		t.Errorf("a new variant must be sent")
	}
	s.HTTP.StartIteration(true)
	if r := get("/fresh"); r == nil {
		t.Errorf("cache not cleared at iteration start")
	}
	// POST is not answered from the cache.
	el := httpSampler(t, srv.URL, "p", "POST", "/fresh")
	if r := mustHTTP(t, el, HTTPOptions{Cache: cache}).Sample(context.Background(), s); r == nil {
		t.Errorf("POST served from cache")
	}
}

func TestHTTPAuthBasicAndDigest(t *testing.T) {
	const realm, nonce = "test", "n0nce"
	digestReqs := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/basic"):
			u, p, ok := r.BasicAuth()
			if !ok || u != "alice" || p != "s3cret" {
				w.WriteHeader(401)
				return
			}
			io.WriteString(w, "hi "+u)
		case strings.HasPrefix(r.URL.Path, "/digest"):
			digestReqs++
			a := r.Header.Get("Authorization")
			if !strings.HasPrefix(a, "Digest ") {
				w.Header().Set("WWW-Authenticate", `Digest realm="`+realm+`", nonce="`+nonce+`", qop="auth"`)
				w.WriteHeader(401)
				return
			}
			ch := parseDigestFields(a)
			ha1 := md5hex("bob:" + realm + ":pw")
			ha2 := md5hex(r.Method + ":" + ch["uri"])
			want := md5hex(ha1 + ":" + nonce + ":" + ch["nc"] + ":" + ch["cnonce"] + ":auth:" + ha2)
			if ch["response"] != want {
				w.WriteHeader(403)
				return
			}
			io.WriteString(w, "digest ok")
		}
	}))
	defer srv.Close()
	am := elem("AuthManager", "auth", collection("AuthManager.auth_list",
		elemProp("", "Authorization", sp("Authorization.url", srv.URL+"/basic"), sp("Authorization.username", "alice"),
			sp("Authorization.password", "${pw}"), sp("Authorization.mechanism", "BASIC")),
		elemProp("", "Authorization", sp("Authorization.url", srv.URL+"/digest"), sp("Authorization.username", "bob"),
			sp("Authorization.password", "pw"), sp("Authorization.mechanism", "DIGEST"))))
	s := newSession()
	s.Ctx.Vars.Put("pw", "s3cret")
	res := mustHTTP(t, httpSampler(t, srv.URL, "b", "GET", "/basic/x"), HTTPOptions{Auth: am}).Sample(context.Background(), s)
	if res.ResponseCode != "200" || string(res.Body) != "hi alice" {
		t.Errorf("basic: %s %q", res.ResponseCode, res.Body)
	}
	res = mustHTTP(t, httpSampler(t, srv.URL, "o", "GET", "/other"), HTTPOptions{Auth: am}).Sample(context.Background(), s)
	if res.ResponseCode != "200" {
		t.Errorf("unmatched URL should not fail: %s", res.ResponseCode)
	}
	for i := 0; i < 2; i++ { // each sample is challenged again, as in JMeter
		digestReqs = 0
		res = mustHTTP(t, httpSampler(t, srv.URL, "d", "GET", "/digest/y"), HTTPOptions{Auth: am}).Sample(context.Background(), s)
		if res.ResponseCode != "200" || string(res.Body) != "digest ok" || digestReqs != 2 {
			t.Errorf("digest %d: %s %q after %d requests", i, res.ResponseCode, res.Body, digestReqs)
		}
	}
	// A Kerberos row is compiled, never applied, and named (with its row)
	// when the sampler's request would use it.
	bad := elem("AuthManager", "auth", collection("AuthManager.auth_list",
		elemProp("", "Authorization", sp("Authorization.url", "http://x"), sp("Authorization.mechanism", "KERBEROS")),
		elemProp("", "Authorization", sp("Authorization.url", srv.URL+"/k"), sp("Authorization.mechanism", "KERBEROS"))))
	for path, want := range map[string]int{"/": 0, "/k/1": 2} {
		h := mustHTTP(t, httpSampler(t, srv.URL, "k", "GET", path), HTTPOptions{Auth: bad})
		row, known := h.UnusableAuth(newSession().Ctx)
		switch {
		case want == 0 && row != nil, want != 0 && (row == nil || row.Row != want || row.Mechanism != "KERBEROS" || !known):
			t.Errorf("%s: unusable row %+v known=%v, want row %d", path, row, known, want)
		}
		if res := h.Sample(context.Background(), newSession()); res.RequestHeaders != "" && strings.Contains(res.RequestHeaders, "Authorization") {
			t.Errorf("%s: a Kerberos row sends nothing: %s", path, res.RequestHeaders)
		}
	}
}

func parseDigestFields(h string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(h, "Digest "), ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok {
			out[k] = strings.Trim(v, `"`)
		}
	}
	return out
}

func md5hex(s string) string {
	x := md5.Sum([]byte(s))
	return hex.EncodeToString(x[:])
}

func TestHTTPDNSStaticHost(t *testing.T) {
	srv, rec := echoServer(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	dns := elem("DNSCacheManager", "dns", collection("DNSCacheManager.hosts",
		elemProp("", "StaticHost", sp("StaticHost.Name", "api.gometer.test"), sp("StaticHost.Address", "127.0.0.1"))))
	el := httpSampler(t, "http://api.gometer.test:"+port, "dns", "GET", "/via-dns")
	res := mustHTTP(t, el, HTTPOptions{DNS: dns}).Sample(context.Background(), newSession())
	if !res.Success {
		t.Fatalf("static host: %s %s", res.ResponseCode, res.ResponseMessage)
	}
	if got := rec.last(t); got.Host != "api.gometer.test:"+port || got.Path != "/via-dns" {
		t.Errorf("server saw host %q path %q", got.Host, got.Path)
	}
}

func TestHTTPGzipBodyDecodedBytesOnWire(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(strings.Repeat("gometer ", 200)))
	zw.Close()
	resp := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", gz.Len(), gz.String())
	addr, _ := rawServer(t, resp)
	hm := elem("HeaderManager", "hm", collection("HeaderManager.headers",
		elemProp("", "Header", sp("Header.name", "Accept-Encoding"), sp("Header.value", "gzip"))))
	res := mustHTTP(t, httpSampler(t, "http://"+addr, "gz", "GET", "/"), HTTPOptions{Headers: []*jmx.Element{hm}}).Sample(context.Background(), newSession())
	if string(res.Body) != strings.Repeat("gometer ", 200) {
		t.Errorf("body not decoded: %d bytes", len(res.Body))
	}
	if res.Bytes != int64(len(resp)) {
		t.Errorf("bytes %d want wire size %d", res.Bytes, len(resp))
	}
}

func TestHTTPBodyStoreLimitAndDiscard(t *testing.T) {
	big := strings.Repeat("x", 5000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, big) }))
	defer srv.Close()
	s := newSession()
	s.Ctx.Props.Set("httpsampler.max_bytes_to_store_per_request", "1000")
	res := mustHTTP(t, httpSampler(t, srv.URL, "big", "GET", "/"), HTTPOptions{Props: s.Ctx.Props}).Sample(context.Background(), s)
	if len(res.Body) != 1000 || res.Bytes < 5000 {
		t.Errorf("stored %d bytes, counted %d", len(res.Body), res.Bytes)
	}
	res = mustHTTP(t, httpSampler(t, srv.URL, "big", "GET", "/"), HTTPOptions{DiscardBody: true}).Sample(context.Background(), s)
	if len(res.Body) != 0 || res.Bytes < 5000 || !res.Success {
		t.Errorf("discard: stored %d bytes, counted %d", len(res.Body), res.Bytes)
	}
}

func TestHTTPMultipart(t *testing.T) {
	rec := &recorder{}
	var parts []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			t.Errorf("parse multipart: %v", err)
		}
		for k, v := range r.MultipartForm.Value {
			parts = append(parts, k+"="+v[0])
		}
		for k, fs := range r.MultipartForm.File {
			f, _ := fs[0].Open()
			b, _ := io.ReadAll(f)
			parts = append(parts, k+":"+fs[0].Filename+":"+string(b))
		}
		rec.add(r)
	}))
	defer srv.Close()
	dir := t.TempDir()
	path := dir + "/up.txt"
	if err := writeFile(path, "file-content"); err != nil {
		t.Fatal(err)
	}
	files := elemProp("HTTPsampler.Files", "HTTPFileArgs", collection("HTTPFileArgs.files",
		elemProp(path, "HTTPFileArg", sp("File.path", path), sp("File.paramname", "doc"), sp("File.mimetype", "text/plain"))))
	el := httpSampler(t, srv.URL, "mp", "POST", "/up", bp("HTTPSampler.DO_MULTIPART_POST", true), files, argsProp(targ{name: "field", value: "v1"}))
	res := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if !res.Success {
		t.Fatalf("multipart: %s %s", res.ResponseCode, res.ResponseMessage)
	}
	got := strings.Join(parts, ",")
	if !strings.Contains(got, "field=v1") || !strings.Contains(got, "doc:up.txt:file-content") {
		t.Errorf("parts %q", got)
	}
	if ct := rec.last(t).Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/form-data; boundary=") {
		t.Errorf("content type %q", ct)
	}
	if strings.Contains(res.SamplerData, "file-content") || !strings.Contains(res.SamplerData, "<actual file content, not shown here>") {
		t.Errorf("sampler data shows file: %q", res.SamplerData)
	}

	// Browser-compatible parts: no part Content-Type for values, but the
	// request's Content-Type still names the charset (HttpClient's builder).
	browser := httpSampler(t, srv.URL, "mp", "POST", "/up", bp("HTTPSampler.DO_MULTIPART_POST", true),
		bp("HTTPSampler.BROWSER_COMPATIBLE_MULTIPART", true), files, argsProp(targ{name: "field", value: "v1"}))
	res = mustHTTP(t, browser, HTTPOptions{}).Sample(context.Background(), newSession())
	if ct := rec.last(t).Header.Get("Content-Type"); !res.Success || !strings.HasSuffix(ct, "; charset=UTF-8") {
		t.Errorf("browser-compatible: %s, content type %q", res.ResponseCode, ct)
	}

	// An empty MIME type fails as HttpClient's ContentType.parse does, and
	// nothing is sent.
	n := len(rec.reqs)
	noMime := elemProp("HTTPsampler.Files", "HTTPFileArgs", collection("HTTPFileArgs.files",
		elemProp(path, "HTTPFileArg", sp("File.path", path), sp("File.paramname", "doc"), sp("File.mimetype", ""))))
	res = mustHTTP(t, httpSampler(t, srv.URL, "mp", "POST", "/up", bp("HTTPSampler.DO_MULTIPART_POST", true), noMime), HTTPOptions{}).Sample(context.Background(), newSession())
	if res.Success || res.ResponseCode != "Non HTTP response code: org.apache.http.ParseException" ||
		res.ResponseMessage != "Non HTTP response message: Invalid content type: " || len(rec.reqs) != n {
		t.Errorf("empty MIME type: %s / %s, %d requests", res.ResponseCode, res.ResponseMessage, len(rec.reqs)-n)
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }

// closingServer answers one request per connection with resp and closes it.
func closingServer(t *testing.T, resp string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 4096)
			c.Read(buf)
			io.WriteString(c, resp)
			c.Close()
		}
	}()
	return ln.Addr().String()
}

// nxdomainServer is a loopback UDP DNS server answering every query with
// NXDOMAIN; it returns its host:port.
func nxdomainServer(t *testing.T) string {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 12 {
				continue
			}
			resp := append([]byte(nil), buf[:n]...)
			resp[2] = 0x81 // QR, RD
			resp[3] = 0x83 // RA, NXDOMAIN
			resp[6], resp[7], resp[8], resp[9], resp[10], resp[11] = 0, 0, 0, 0, 0, 0
			pc.WriteTo(resp, from)
		}
	}()
	return pc.LocalAddr().String()
}

func TestHTTPSamplerProxy(t *testing.T) {
	var got []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.RequestURI+" auth="+r.Header.Get("Proxy-Authorization"))
		io.WriteString(w, "via proxy")
	}))
	defer proxy.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(proxy.URL, "http://"))
	el := httpSampler(t, "http://target.invalid:8081", "p", "GET", "/thing",
		sp("HTTPSampler.proxyHost", "127.0.0.1"), sp("HTTPSampler.proxyPort", port),
		sp("HTTPSampler.proxyUser", "u"), sp("HTTPSampler.proxyPass", "p"))
	res := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if !res.Success || string(res.Body) != "via proxy" {
		t.Fatalf("proxy: %s %s", res.ResponseCode, res.ResponseMessage)
	}
	if len(got) != 1 || got[0] != "http://target.invalid:8081/thing auth=Basic dTpw" {
		t.Errorf("proxy saw %q", got)
	}
}

func TestHTTPRedirect307AndHead(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		if r.URL.Path == "/tmp" {
			w.Header().Set("Location", "/dest")
			w.WriteHeader(307)
			return
		}
		io.WriteString(w, "dest")
	}))
	defer srv.Close()
	s := newSession()
	// 307 after a POST is not followed (JMeter follows 307 only for GET and HEAD).
	res := mustHTTP(t, httpSampler(t, srv.URL, "p", "POST", "/tmp"), HTTPOptions{}).Sample(context.Background(), s)
	if res.ResponseCode != "307" || len(res.Subs) != 0 || !res.Success {
		t.Errorf("POST 307: %s subs %d", res.ResponseCode, len(res.Subs))
	}
	// HEAD stays HEAD across a redirect.
	res = mustHTTP(t, httpSampler(t, srv.URL, "h", "HEAD", "/tmp"), HTTPOptions{}).Sample(context.Background(), s)
	if res.ResponseCode != "200" || len(res.Subs) != 2 || rec.last(t).Method != "HEAD" {
		t.Errorf("HEAD 307: %s subs %d method %s", res.ResponseCode, len(res.Subs), rec.last(t).Method)
	}
}

func TestHTTPContentEncodingLatin1(t *testing.T) {
	srv, rec := echoServer(t)
	el := httpSampler(t, srv.URL, "l1", "POST", "/l1", sp("HTTPSampler.contentEncoding", "ISO-8859-1"),
		argsProp(targ{name: "name", value: "café", encode: true}))
	mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	got := rec.last(t)
	if got.Body != "name=caf%E9" || got.Header.Get("Content-Type") != "application/x-www-form-urlencoded; charset=ISO-8859-1" {
		t.Errorf("latin1 form: %q %q", got.Body, got.Header.Get("Content-Type"))
	}
	el = httpSampler(t, srv.URL, "u8", "GET", "/u8", argsProp(targ{name: "q", value: "café", encode: true}))
	mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if got := rec.last(t); got.RawQuery != "q=caf%C3%A9" {
		t.Errorf("utf-8 query %q", got.RawQuery)
	}
}

func TestHTTPIPSource(t *testing.T) {
	srv, rec := echoServer(t)
	el := httpSampler(t, srv.URL, "src", "GET", "/", sp("HTTPSampler.ipSource", "127.0.0.2"))
	res := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if !res.Success {
		if runtime.GOOS == "linux" { // the whole of 127/8 is the loopback there
			t.Fatalf("cannot bind 127.0.0.2: %s", res.ResponseMessage)
		}
		t.Skipf("cannot bind 127.0.0.2 on %s: %s", runtime.GOOS, res.ResponseMessage)
	}
	if host, _, _ := net.SplitHostPort(rec.last(t).Remote); host != "127.0.0.2" {
		t.Errorf("source address %s", host)
	}
}

// A device name stands for the interface's first address of the kind asked
// for (HTTPSampler.ipSourceType 1 any, 2 IPv4, 3 IPv6); what cannot be
// found fails the sample as JMeter's UnknownHostException.
func TestHTTPIPSourceDevice(t *testing.T) {
	srv, rec := echoServer(t)
	lo := ""
	ifs, _ := net.Interfaces()
	for _, i := range ifs {
		if i.Flags&net.FlagLoopback != 0 {
			lo = i.Name
			break
		}
	}
	if lo == "" {
		t.Skip("no loopback interface")
	}
	el := httpSampler(t, srv.URL, "dev", "GET", "/", sp("HTTPSampler.ipSource", lo), sp("HTTPSampler.ipSourceType", "2"))
	res := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if !res.Success {
		t.Fatalf("device %s: %s %s", lo, res.ResponseCode, res.ResponseMessage)
	}
	if host, _, _ := net.SplitHostPort(rec.last(t).Remote); host != "127.0.0.1" {
		t.Errorf("device %s IPv4: source address %s", lo, host)
	}
	for _, c := range []struct{ src, typ, code, msg string }{
		{"nosuchdevice0", "1", "Non HTTP response code: java.net.UnknownHostException", "Non HTTP response message: Cannot find interface nosuchdevice0"},
		{"nosuch.invalid", "0", "Non HTTP response code: java.net.UnknownHostException", "Non HTTP response message: nosuch.invalid: Name or service not known"},
	} {
		el := httpSampler(t, srv.URL, "bad", "GET", "/", sp("HTTPSampler.ipSource", c.src), sp("HTTPSampler.ipSourceType", c.typ))
		res := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
		if res.Success || res.ResponseCode != c.code || res.ResponseMessage != c.msg {
			t.Errorf("%s: %v %q %q", c.src, res.Success, res.ResponseCode, res.ResponseMessage)
		}
	}
}

func TestHTTPContentEncodingShiftJIS(t *testing.T) {
	srv, rec := echoServer(t)
	el := httpSampler(t, srv.URL, "sj", "POST", "/sj", sp("HTTPSampler.contentEncoding", "Shift_JIS"),
		argsProp(targ{name: "k", value: "日本", encode: true}))
	mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	got := rec.last(t)
	if got.Body != "k=%93%FA%96%7B" || got.Header.Get("Content-Type") != "application/x-www-form-urlencoded; charset=Shift_JIS" {
		t.Errorf("shift_jis form: %q %q", got.Body, got.Header.Get("Content-Type"))
	}
}

func TestHTTPResponseTimeoutOnReusedConnection(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-time.After(3 * time.Second):
			case <-r.Context().Done():
			}
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	s := newSession()
	fast := mustHTTP(t, httpSampler(t, srv.URL, "fast", "GET", "/fast", sp("HTTPSampler.response_timeout", "300")), HTTPOptions{})
	slow := mustHTTP(t, httpSampler(t, srv.URL, "slow", "GET", "/slow", sp("HTTPSampler.response_timeout", "300")), HTTPOptions{})
	if r := fast.Sample(context.Background(), s); !r.Success {
		t.Fatalf("fast: %s", r.ResponseMessage)
	}
	time.Sleep(400 * time.Millisecond) // longer than the timeout: the idle connection must survive
	if r := fast.Sample(context.Background(), s); !r.Success || r.Connect != 0 {
		t.Fatalf("fast again: %s connect %v (idle connection was closed by a stale deadline?)", r.ResponseMessage, r.Connect)
	}
	start := time.Now()
	r := slow.Sample(context.Background(), s)
	if d := time.Since(start); d > 2500*time.Millisecond {
		t.Errorf("response timeout not applied on a reused connection: took %v", d)
	}
	if r.ResponseCode != "Non HTTP response code: java.net.SocketTimeoutException" {
		t.Errorf("slow: %q %q", r.ResponseCode, r.ResponseMessage)
	}
}

func TestHTTPOddResponses(t *testing.T) {
	s := newSession()
	for _, tc := range []struct {
		name, resp, code string
		success          bool
	}{
		{"garbage", "garbage\r\n\r\n", "Non HTTP response code: org.apache.http.client.ClientProtocolException", false},
		{"weird code", "HTTP/1.1 299 Fine\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", "299", true},
		{"no reason", "HTTP/1.1 200\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", "200", true},
		{"http/1.0 eof body", "HTTP/1.0 200 OK\r\n\r\nuntil close", "200", true},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "200", true},
	} {
		addr := closingServer(t, tc.resp)
		res := mustHTTP(t, httpSampler(t, "http://"+addr, tc.name, "GET", "/"), HTTPOptions{}).Sample(context.Background(), s)
		if res.ResponseCode != tc.code || res.Success != tc.success {
			t.Errorf("%s: code %q (%q) success %v", tc.name, res.ResponseCode, res.ResponseMessage, res.Success)
		}
		if tc.success && res.Bytes != int64(len(tc.resp)) {
			t.Errorf("%s: bytes %d, wire %d", tc.name, res.Bytes, len(tc.resp))
		}
	}
}

func TestHTTPBrotliBodyDecoded(t *testing.T) {
	var buf bytes.Buffer
	bw := brotli.NewWriter(&buf)
	bw.Write([]byte(strings.Repeat("brotli ", 100)))
	bw.Close()
	resp := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", buf.Len(), buf.String())
	addr, _ := rawServer(t, resp)
	res := mustHTTP(t, httpSampler(t, "http://"+addr, "br", "GET", "/"), HTTPOptions{}).Sample(context.Background(), newSession())
	if string(res.Body) != strings.Repeat("brotli ", 100) || res.Bytes != int64(len(resp)) {
		t.Errorf("br body %d bytes, counted %d of %d", len(res.Body), res.Bytes, len(resp))
	}
}

func TestHTTPCancelAndStaleConnection(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	res := mustHTTP(t, httpSampler(t, slow.URL, "c", "GET", "/"), HTTPOptions{}).Sample(ctx, newSession())
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancel took %v", d)
	}
	if res.ResponseCode != "Non HTTP response code: java.io.InterruptedIOException" {
		t.Errorf("cancelled: %q %q", res.ResponseCode, res.ResponseMessage)
	}

	// A server that drops each connection after one response without saying
	// so. Reused at once, the dead connection fails the sample as in JMeter
	// (no retry); idle longer than httpclient4.validate_after_inactivity, it
	// is found stale and replaced.
	addr := closingServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	props := newSession().Ctx.Props
	props.Set("httpclient4.validate_after_inactivity", "30")
	h := mustHTTP(t, httpSampler(t, "http://"+addr, "s", "GET", "/"), HTTPOptions{Props: props})
	s := newSession()
	s.HTTP = NewHTTPState(StateOptions{Props: props})
	if r := h.Sample(context.Background(), s); !r.Success {
		t.Fatalf("first: %s", r.ResponseMessage)
	}
	time.Sleep(100 * time.Millisecond) // idle past the validation threshold; the close has arrived
	r := h.Sample(context.Background(), s)
	if !r.Success || r.Connect == 0 {
		t.Errorf("stale connection not replaced: %s %s connect %v", r.ResponseCode, r.ResponseMessage, r.Connect)
	}
	s2 := newSession()
	h.Sample(context.Background(), s2)
	time.Sleep(50 * time.Millisecond)
	s2.HTTP.validateAfter = time.Hour // as if idle for less than the threshold
	r = h.Sample(context.Background(), s2)
	if r.Success || (r.ResponseCode != "Non HTTP response code: org.apache.http.NoHttpResponseException" &&
		r.ResponseCode != "Non HTTP response code: java.net.SocketException") {
		t.Errorf("dead connection reused without check: %s %s", r.ResponseCode, r.ResponseMessage)
	}
}

func TestCookieStoreJMeterQuirks(t *testing.T) {
	now := time.Now()
	u, _ := url.Parse("http://127.0.0.1:8080/cookies/raw")
	var l cookieList
	for _, line := range []string{
		"a=1; Path=/",
		"old=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT", // the epoch reads as 0: a session cookie
		"zero=1; Max-Age=0",                            // expires now: still stored
		"neg=1; Max-Age=-5",                            // already expired
		"p=1; Path=/cookies/raw",
		"other=1; Domain=example.com",
	} {
		ck := parseSetCookie(line, "127.0.0.1", u.EscapedPath(), now, false)
		if ck == nil || (!ck.expires.IsZero() && ck.expires.Before(now)) {
			continue
		}
		l.add(ck)
	}
	var got []string
	for _, ck := range l.match(u, true) {
		got = append(got, ck.name)
	}
	if want := "p,old,zero,a"; strings.Join(got, ",") != want {
		t.Errorf("standard: %v, want %s", got, want)
	}
	// compatibility: Max-Age ignored, an RFC 1123 Expires rejects the cookie, stored order.
	var n cookieList
	for _, line := range []string{"a=1; Path=/", "old=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "ns=1; Expires=Fri, 01-Jan-2100 00:00:00 GMT", "p=1; Path=/cookies/raw", "neg=1; Max-Age=-5"} {
		if ck := parseSetCookie(line, "127.0.0.1", u.EscapedPath(), now, true); ck != nil {
			n.add(ck)
		}
	}
	got = nil
	for _, ck := range n.match(u, false) {
		got = append(got, ck.name)
	}
	if want := "a,ns,p,neg"; strings.Join(got, ",") != want {
		t.Errorf("compatibility: %v, want %s", got, want)
	}
}

// Java charset names JMeter users write (Cp1252) are understood, and a
// character the charset cannot hold is sent as '?' as String.getBytes does.
func TestHTTPContentEncodingJavaNames(t *testing.T) {
	srv, rec := echoServer(t)
	for _, c := range []struct{ enc, value, body string }{
		{"Cp1252", "5€", "v=5%80"},
		{"windows-1251", "Ж中", "v=%C6%3F"},
	} {
		el := httpSampler(t, srv.URL, "e", "POST", "/e", sp("HTTPSampler.contentEncoding", c.enc),
			argsProp(targ{name: "v", value: c.value, encode: true}))
		mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
		if got := rec.last(t); got.Body != c.body {
			t.Errorf("%s: body %q, want %q", c.enc, got.Body, c.body)
		}
	}
}
