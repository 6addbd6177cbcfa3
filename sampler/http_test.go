package sampler

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// ---- helpers building plan elements as the jmx package would ----

func sp(name, value string) *jmx.Property {
	return &jmx.Property{Name: name, Kind: jmx.StringProp, Value: value}
}

func bp(name string, v bool) *jmx.Property {
	return &jmx.Property{Name: name, Kind: jmx.BoolProp, Value: strconv.FormatBool(v)}
}

type targ struct {
	name, value string
	encode      bool
	meta        string
}

func elem(tag, name string, props ...*jmx.Property) *jmx.Element {
	return &jmx.Element{Tag: tag, Name: name, Enabled: true, Props: props, File: "test.jmx", Line: 7}
}

func collection(name string, items ...*jmx.Property) *jmx.Property {
	return &jmx.Property{Name: name, Kind: jmx.CollectionProp, Items: items}
}

func elemProp(name, typ string, props ...*jmx.Property) *jmx.Property {
	e := &jmx.Element{Tag: "elementProp", Name: name, ElementType: typ, Props: props, Enabled: true}
	return &jmx.Property{Name: name, Kind: jmx.ElementProp, Elem: e}
}

func argsProp(args ...targ) *jmx.Property {
	var items []*jmx.Property
	for _, a := range args {
		meta := a.meta
		if meta == "" {
			meta = "="
		}
		items = append(items, elemProp(a.name, "HTTPArgument",
			bp("HTTPArgument.always_encode", a.encode),
			sp("Argument.value", a.value),
			sp("Argument.metadata", meta),
			sp("Argument.name", a.name)))
	}
	return elemProp("HTTPsampler.Arguments", "Arguments", collection("Arguments.arguments", items...))
}

// httpSampler builds an HTTPSamplerProxy for srv's address.
func httpSampler(t testing.TB, srvURL, name, method, path string, extra ...*jmx.Property) *jmx.Element {
	t.Helper()
	u, err := url.Parse(srvURL)
	if err != nil {
		t.Fatal(err)
	}
	props := []*jmx.Property{
		sp("HTTPSampler.domain", u.Hostname()),
		sp("HTTPSampler.port", u.Port()),
		sp("HTTPSampler.protocol", u.Scheme),
		sp("HTTPSampler.path", path),
		sp("HTTPSampler.method", method),
		bp("HTTPSampler.follow_redirects", true),
		bp("HTTPSampler.use_keepalive", true),
	}
	// later props override earlier ones of the same name
	for _, p := range extra {
		replaced := false
		for i, q := range props {
			if q.Name == p.Name {
				props[i] = p
				replaced = true
			}
		}
		if !replaced {
			props = append(props, p)
		}
	}
	return elem("HTTPSamplerProxy", name, props...)
}

func newSession() *Session {
	return &Session{Ctx: &functions.Context{Vars: functions.NewVars(), Props: functions.NewProperties()}}
}

func mustHTTP(t testing.TB, el *jmx.Element, opt HTTPOptions) *HTTP {
	t.Helper()
	h, err := NewHTTP(el, opt)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// seen is what a test server received.
type seen struct {
	Method, Path, RawQuery, Host string
	Header                       http.Header
	Body                         string
	Remote                       string
}

type recorder struct {
	mu   sync.Mutex
	reqs []seen
}

func (r *recorder) add(req *http.Request) seen {
	b, _ := io.ReadAll(req.Body)
	s := seen{req.Method, req.URL.Path, req.URL.RawQuery, req.Host, req.Header.Clone(), string(b), req.RemoteAddr}
	r.mu.Lock()
	r.reqs = append(r.reqs, s)
	r.mu.Unlock()
	return s
}

func (r *recorder) all() []seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seen(nil), r.reqs...)
}

func (r *recorder) last(t *testing.T) seen {
	t.Helper()
	all := r.all()
	if len(all) == 0 {
		t.Fatal("server received no request")
	}
	return all[len(all)-1]
}

func echoServer(t *testing.T) (*httptest.Server, *recorder) {
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		io.WriteString(w, "hello from "+r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

// ---- tests ----

func TestHTTPGetQueryAndDefaults(t *testing.T) {
	srv, rec := echoServer(t)
	el := httpSampler(t, srv.URL, "get ${who}", "GET", "items",
		argsProp(
			targ{name: "q", value: "a b&c", encode: true},
			targ{name: "raw", value: "x%20y", encode: false},
			targ{name: "", value: "skipped"},
			targ{name: "star", value: "*~", encode: true},
			targ{name: "empty", value: "", encode: true},
		))
	h := mustHTTP(t, el, HTTPOptions{})
	s := newSession()
	s.Ctx.Vars.Put("who", "me")
	res := h.Sample(context.Background(), s)
	if !res.Success || res.ResponseCode != "200" || res.ResponseMessage != "OK" {
		t.Fatalf("result %+v", res)
	}
	got := rec.last(t)
	if got.Method != "GET" || got.Path != "/items" {
		t.Errorf("server saw %s %s", got.Method, got.Path)
	}
	if want := "q=a+b%26c&raw=x%20y&star=*%7E&empty="; got.RawQuery != want {
		t.Errorf("query %q, want %q", got.RawQuery, want)
	}
	if ua := got.Header.Get("User-Agent"); ua != DefaultUserAgent {
		t.Errorf("User-Agent %q", ua)
	}
	if c := got.Header.Get("Connection"); c != "keep-alive" {
		t.Errorf("Connection %q", c)
	}
	if got.Header.Get("Accept-Encoding") != "" {
		t.Errorf("unexpected Accept-Encoding %q", got.Header.Get("Accept-Encoding"))
	}
	if res.Label != "get me" {
		t.Errorf("label %q", res.Label)
	}
	if want := srv.URL + "/items?q=a+b%26c&raw=x%20y&star=*%7E&empty="; res.URL != want {
		t.Errorf("URL %q want %q", res.URL, want)
	}
	if string(res.Body) != "hello from /items" || res.DataType != "text" || res.Encoding != "UTF-8" {
		t.Errorf("body %q type %q enc %q", res.Body, res.DataType, res.Encoding)
	}
	if !strings.HasPrefix(res.ResponseHeaders, "HTTP/1.1 200 OK\n") || !strings.Contains(res.ResponseHeaders, "Content-Type: text/plain; charset=UTF-8\n") {
		t.Errorf("response headers %q", res.ResponseHeaders)
	}
	if !strings.HasPrefix(res.SamplerData, "GET "+res.URL+"\n") || !strings.Contains(res.SamplerData, "[no cookies]") {
		t.Errorf("sampler data %q", res.SamplerData)
	}
	if res.Start.IsZero() || res.Elapsed <= 0 || res.Latency <= 0 || res.Latency > res.Elapsed || res.Connect <= 0 || res.Connect > res.Latency {
		t.Errorf("timings start %v elapsed %v latency %v connect %v", res.Start, res.Elapsed, res.Latency, res.Connect)
	}
	// second request reuses the connection: connect time 0, one TCP connection seen
	res2 := h.Sample(context.Background(), s)
	if res2.Connect != 0 {
		t.Errorf("connect on reused connection = %v", res2.Connect)
	}
	all := rec.all()
	if len(all) != 2 || all[0].Remote != all[1].Remote {
		t.Errorf("connection not reused: %+v", all)
	}
}

func TestHTTPPostFormRawAndMethods(t *testing.T) {
	srv, rec := echoServer(t)
	s := newSession()

	// Form POST, default content type as HC4's UrlEncodedFormEntity.
	el := httpSampler(t, srv.URL, "post", "POST", "/form",
		argsProp(targ{name: "user", value: "jo e", encode: true}, targ{name: "pw", value: "a%2Bb", encode: false}, targ{name: "", value: "ignored"}))
	res := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	got := rec.last(t)
	if got.Method != "POST" || got.Body != "user=jo+e&pw=a%2Bb" || got.RawQuery != "" {
		t.Errorf("form post: %+v", got)
	}
	if ct := got.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded; charset=UTF-8" {
		t.Errorf("form content type %q", ct)
	}
	wantHdrs := "Connection: keep-alive\nContent-Length: 18\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\nHost: " +
		strings.TrimPrefix(srv.URL, "http://") + "\nUser-Agent: " + DefaultUserAgent + "\n"
	if res.RequestHeaders != wantHdrs {
		t.Errorf("request headers\n%q\nwant\n%q", res.RequestHeaders, wantHdrs)
	}
	if !strings.Contains(res.SamplerData, "POST data:\nuser=jo+e&pw=a%2Bb\n") {
		t.Errorf("sampler data %q", res.SamplerData)
	}

	// Raw body with a header manager's content type.
	hm := elem("HeaderManager", "hm", collection("HeaderManager.headers",
		elemProp("", "Header", sp("Header.name", "Content-Type"), sp("Header.value", "application/json")),
		elemProp("", "Header", sp("Header.name", "X-Token"), sp("Header.value", "${tok}"))))
	el = httpSampler(t, srv.URL, "raw", "PUT", "/raw", bp("HTTPSampler.postBodyRaw", true),
		argsProp(targ{name: "", value: `{"id":${id}}`}))
	s.Ctx.Vars.Put("id", "42")
	s.Ctx.Vars.Put("tok", "t0k")
	mustHTTP(t, el, HTTPOptions{Headers: []*jmx.Element{hm}}).Sample(context.Background(), s)
	got = rec.last(t)
	if got.Method != "PUT" || got.Body != `{"id":42}` || got.Header.Get("Content-Type") != "application/json" || got.Header.Get("X-Token") != "t0k" {
		t.Errorf("raw put: %+v", got)
	}

	// Raw body without content type header: HC4's StringEntity default.
	el = httpSampler(t, srv.URL, "raw2", "PATCH", "/p", argsProp(targ{name: "", value: "plain"}))
	mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	got = rec.last(t)
	if got.Method != "PATCH" || got.Body != "plain" || got.Header.Get("Content-Type") != "text/plain; charset=UTF-8" {
		t.Errorf("raw patch: %+v", got)
	}

	// DELETE puts named arguments in the query (and, like HC4, in a form body).
	el = httpSampler(t, srv.URL, "del", "DELETE", "/d?x=1", argsProp(targ{name: "y", value: "2"}))
	mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	got = rec.last(t)
	if got.Method != "DELETE" || got.RawQuery != "x=1&y=2" {
		t.Errorf("delete: %+v", got)
	}

	// HEAD: no query, no body; OPTIONS: query.
	el = httpSampler(t, srv.URL, "head", "HEAD", "/h", argsProp(targ{name: "y", value: "2"}))
	res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	got = rec.last(t)
	if got.Method != "HEAD" || got.RawQuery != "" || got.Body != "" || len(res.Body) != 0 || !res.Success {
		t.Errorf("head: %+v %+v", got, res)
	}
	el = httpSampler(t, srv.URL, "opt", "OPTIONS", "/o", argsProp(targ{name: "y", value: "2"}))
	mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	if got = rec.last(t); got.Method != "OPTIONS" || got.RawQuery != "y=2" {
		t.Errorf("options: %+v", got)
	}
	// Any verb.
	el = httpSampler(t, srv.URL, "propfind", "PROPFIND", "/dav")
	mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
	if got = rec.last(t); got.Method != "PROPFIND" {
		t.Errorf("propfind: %+v", got)
	}
}

func TestHTTPFullURLInPathAndHeaders(t *testing.T) {
	srv, rec := echoServer(t)
	outer := elem("HeaderManager", "outer", collection("HeaderManager.headers",
		elemProp("", "Header", sp("Header.name", "X-A"), sp("Header.value", "outer")),
		elemProp("", "Header", sp("Header.name", "user-agent"), sp("Header.value", "ua-outer")),
		elemProp("", "Header", sp("Header.name", "X-B"), sp("Header.value", "outer-b"))))
	inner := elem("HeaderManager", "inner", collection("HeaderManager.headers",
		elemProp("", "Header", sp("Header.name", "x-a"), sp("Header.value", "inner"))))
	el := httpSampler(t, "http://ignored.invalid:1", "full", "GET", srv.URL+"/abs?k=v", argsProp(targ{name: "dropped", value: "1"}))
	res := mustHTTP(t, el, HTTPOptions{Headers: []*jmx.Element{inner, outer}}).Sample(context.Background(), newSession())
	got := rec.last(t)
	if got.Path != "/abs" || got.RawQuery != "k=v" {
		t.Errorf("full URL path: %+v", got)
	}
	if got.Header.Get("X-A") != "inner" || got.Header.Get("X-B") != "outer-b" || got.Header.Get("User-Agent") != "ua-outer" {
		t.Errorf("merged headers: %v", got.Header)
	}
	if len(got.Header.Values("X-A")) != 1 {
		t.Errorf("X-A sent twice: %v", got.Header.Values("X-A"))
	}
	if !strings.Contains(res.RequestHeaders, "x-a: inner\n") || !strings.HasPrefix(res.RequestHeaders, "Connection: keep-alive\n") {
		t.Errorf("request headers %q", res.RequestHeaders)
	}
}

func TestHTTPDefaultPortOmittedInURL(t *testing.T) {
	el := elem("HTTPSamplerProxy", "x", sp("HTTPSampler.domain", "example.invalid"), sp("HTTPSampler.port", "80"),
		sp("HTTPSampler.path", "a"), sp("HTTPSampler.method", "GET"))
	h := mustHTTP(t, el, HTTPOptions{})
	u, err := h.buildURL(newSession().Ctx, "GET", "UTF-8")
	if err != nil || u != "http://example.invalid/a" {
		t.Errorf("url %q %v", u, err)
	}
	el = elem("HTTPSamplerProxy", "x", sp("HTTPSampler.domain", "example.invalid"), sp("HTTPSampler.port", "8443"),
		sp("HTTPSampler.protocol", "HTTPS"), sp("HTTPSampler.path", "/a"))
	u, err = mustHTTP(t, el, HTTPOptions{}).buildURL(newSession().Ctx, "GET", "UTF-8")
	if err != nil || u != "https://example.invalid:8443/a" {
		t.Errorf("url %q %v", u, err)
	}
}

// rawServer answers every request on a connection with resp and records
// the exact request bytes it read.
func rawServer(t testing.TB, resp string) (addr string, reqBytes func() []int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var mu sync.Mutex
	var sizes []int
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					n := 0
					cl := 0
					for {
						line, err := br.ReadString('\n')
						if err != nil {
							return
						}
						n += len(line)
						if strings.HasPrefix(strings.ToLower(line), "content-length:") {
							cl, _ = strconv.Atoi(strings.TrimSpace(line[len("content-length:"):]))
						}
						if line == "\r\n" {
							break
						}
					}
					if cl > 0 {
						if _, err := io.CopyN(io.Discard, br, int64(cl)); err != nil {
							return
						}
						n += cl
					}
					mu.Lock()
					sizes = append(sizes, n)
					mu.Unlock()
					if _, err := io.WriteString(c, resp); err != nil {
						return
					}
				}
			}(c)
		}
	}()
	return ln.Addr().String(), func() []int {
		mu.Lock()
		defer mu.Unlock()
		return append([]int(nil), sizes...)
	}
}

func TestHTTPBytesAndSentBytesExact(t *testing.T) {
	resp := "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nx-lower: Keep\r\nContent-Length: 10\r\n\r\n0123456789"
	addr, reqs := rawServer(t, resp)
	el := httpSampler(t, "http://"+addr, "bytes", "POST", "/b", argsProp(targ{name: "a", value: "1"}))
	h := mustHTTP(t, el, HTTPOptions{})
	s := newSession()
	for i := 0; i < 2; i++ {
		res := h.Sample(context.Background(), s)
		if !res.Success {
			t.Fatalf("failed: %s %s", res.ResponseCode, res.ResponseMessage)
		}
		if res.Bytes != int64(len(resp)) {
			t.Errorf("bytes %d, want %d", res.Bytes, len(resp))
		}
		sent := reqs()
		if res.SentBytes != int64(sent[len(sent)-1]) {
			t.Errorf("sentBytes %d, server read %d", res.SentBytes, sent[len(sent)-1])
		}
		if res.DataType != "text" || res.ContentType != "application/octet-stream" {
			t.Errorf("type %q %q", res.DataType, res.ContentType)
		}
		// header case and order as on the wire
		want := "HTTP/1.1 200 OK\nContent-Type: application/octet-stream\nx-lower: Keep\nContent-Length: 10\n"
		if res.ResponseHeaders != want {
			t.Errorf("headers %q want %q", res.ResponseHeaders, want)
		}
	}
}

func TestHTTPKeepAliveOff(t *testing.T) {
	srv, rec := echoServer(t)
	el := httpSampler(t, srv.URL, "close", "GET", "/c", bp("HTTPSampler.use_keepalive", false))
	h := mustHTTP(t, el, HTTPOptions{})
	s := newSession()
	r1 := h.Sample(context.Background(), s)
	r2 := h.Sample(context.Background(), s)
	all := rec.all()
	if len(all) != 2 || all[0].Header.Get("Connection") != "close" {
		t.Fatalf("requests %+v", all)
	}
	if all[0].Remote == all[1].Remote {
		t.Errorf("connection reused despite keep-alive off")
	}
	if r1.Connect <= 0 || r2.Connect <= 0 {
		t.Errorf("connect times %v %v, want both > 0", r1.Connect, r2.Connect)
	}
}

func TestHTTPStatusCodes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		if code == 302 {
			w.Header().Set("Location", "/200")
		}
		w.Header().Set("Content-Type", "image/png")
		w.WriteHeader(code)
	}))
	defer srv.Close()
	s := newSession()
	for _, tc := range []struct {
		code    string
		success bool
	}{{"200", true}, {"204", true}, {"302", true}, {"304", true}, {"399", true}, {"404", false}, {"500", false}} {
		el := httpSampler(t, srv.URL, "c", "GET", "/"+tc.code, bp("HTTPSampler.follow_redirects", false))
		res := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), s)
		if res.ResponseCode != tc.code || res.Success != tc.success {
			t.Errorf("code %s: got %s success %v", tc.code, res.ResponseCode, res.Success)
		}
		if tc.code != "204" && tc.code != "304" && res.DataType != "bin" {
			t.Errorf("image/png data type %q", res.DataType)
		}
		if (res.ErrorCount == 1) == tc.success {
			t.Errorf("code %s error count %d", tc.code, res.ErrorCount)
		}
	}
}

func TestHTTPIllegalURLFailsAsJava(t *testing.T) {
	srv, rec := echoServer(t)
	el := httpSampler(t, srv.URL, "bad", "GET", "/echo", argsProp(targ{name: "q", value: "a b", encode: false}))
	res := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if res.Success || res.ResponseCode != "Non HTTP response code: java.net.URISyntaxException" ||
		!strings.HasPrefix(res.ResponseMessage, "Non HTTP response message: Illegal character in query at index ") {
		t.Errorf("space in query: %q %q", res.ResponseCode, res.ResponseMessage)
	}
	// Spaces in the path itself are encoded (HTTPSamplerBase.getPath), unlike in arguments.
	el = httpSampler(t, srv.URL, "space", "GET", "/a b")
	if res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession()); !res.Success || rec.last(t).Path != "/a b" {
		t.Errorf("space in path: %s %s", res.ResponseCode, res.ResponseMessage)
	}
	n0 := len(rec.all())
	el = httpSampler(t, srv.URL, "var", "GET", "/items/${undefined}")
	res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if !strings.Contains(res.ResponseMessage, "Illegal character in path") {
		t.Errorf("unresolved variable in path: %q", res.ResponseMessage)
	}
	if n := len(rec.all()); n != n0 {
		t.Errorf("server received %d requests for invalid URLs", n-n0)
	}
	// Non-ASCII is legal for java.net.URI and is sent percent-encoded.
	el = httpSampler(t, srv.URL, "utf", "GET", "/café")
	res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if !res.Success || rec.last(t).Path != "/café" {
		t.Errorf("non-ASCII path: %s %q", res.ResponseCode, rec.last(t).Path)
	}
}

func TestHTTPLaterDuplicatePropertyWins(t *testing.T) {
	srv, rec := echoServer(t)
	el := httpSampler(t, srv.URL, "mp", "POST", "/mp", argsProp(targ{name: "f", value: "v"}))
	el.Props = append(el.Props, bp("HTTPSampler.DO_MULTIPART_POST", false), bp("HTTPSampler.DO_MULTIPART_POST", true))
	mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if ct := rec.last(t).Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/form-data; boundary=") {
		t.Errorf("content type %q: the later DO_MULTIPART_POST=true should win", ct)
	}
}
