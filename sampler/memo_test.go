package sampler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestDynamicURLFollowsVariables: a URL built from variables is parsed once
// per distinct value, and each request still goes where the variables say,
// with bad URLs failing every time.
func TestDynamicURLFollowsVariables(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("path=" + r.URL.RequestURI()))
	}))
	defer srv.Close()
	el := httpSampler(t, srv.URL, "dyn", "GET", "/p/${n}", sp("HTTPSampler.domain", "${host}"))
	h := mustHTTP(t, el, HTTPOptions{})
	s := newSession()
	s.Ctx.Vars.Put("host", "127.0.0.1")
	for _, n := range []string{"a", "a", "b", "b", "a"} {
		s.Ctx.Vars.Put("n", n)
		r := h.Sample(context.Background(), s)
		if !r.Success || string(r.Body) != "path=/p/"+n || !strings.HasSuffix(r.URL, "/p/"+n) {
			t.Fatalf("n=%s: %s %q %s", n, r.ResponseCode, r.Body, r.URL)
		}
	}
	for i := 0; i < 2; i++ {
		s.Ctx.Vars.Put("n", "a b%zz")
		if r := h.Sample(context.Background(), s); r.Success || !strings.Contains(r.ResponseCode, "URISyntaxException") {
			t.Fatalf("bad URL %d: %s %s", i, r.ResponseCode, r.ResponseMessage)
		}
	}
	s.Ctx.Vars.Put("n", "c")
	s.Ctx.Vars.Put("host", "localhost")
	if r := h.Sample(context.Background(), s); !r.Success || !strings.Contains(r.URL, "localhost") || string(r.Body) != "path=/p/c" {
		t.Fatalf("new host: %s %s %q", r.ResponseCode, r.URL, r.Body)
	}
}

func TestStatusCode(t *testing.T) {
	for _, c := range []int{100, 200, 204, 299, 301, 304, 404, 418, 500, 503, 599, 999} {
		if got := statusCode(c); got != strconv.Itoa(c) {
			t.Errorf("statusCode(%d) = %q", c, got)
		}
	}
}

// BenchmarkHTTPSampleDynamicURL: the engine's S1 plan takes host and port
// from properties (${__P(host)}), so its URL is built per request.
func BenchmarkHTTPSampleDynamicURL(b *testing.B) {
	resp := "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n" + strings.Repeat("x", 100)
	addr, _ := rawServer(b, resp)
	host, port, _ := strings.Cut(addr, ":")
	el := httpSampler(b, "http://"+addr, "bench", "GET", "/bench", sp("HTTPSampler.domain", "${host}"), sp("HTTPSampler.port", "${port}"))
	h := mustHTTP(b, el, HTTPOptions{DiscardBody: true, Lean: true})
	s := newSession()
	s.Ctx.Vars.Put("host", host)
	s.Ctx.Vars.Put("port", port)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := h.Sample(ctx, s); !r.Success {
			b.Fatalf("%s %s", r.ResponseCode, r.ResponseMessage)
		}
	}
}

// TestURLPortAsJavaPrints: the port is printed as a number whatever its
// spelling in the plan; the default port is left out.
func TestURLPortAsJavaPrints(t *testing.T) {
	el := httpSampler(t, "http://example.invalid", "p", "GET", "/x", sp("HTTPSampler.port", "${port}"))
	h := mustHTTP(t, el, HTTPOptions{})
	s := newSession()
	for in, want := range map[string]string{"8080": "http://example.invalid:8080/x", "08080": "http://example.invalid:8080/x",
		"+8080": "http://example.invalid:8080/x", "80": "http://example.invalid/x", " 81 ": "http://example.invalid:81/x", "x": "http://example.invalid/x"} {
		s.Ctx.Vars.Put("port", in)
		got, err := h.buildURL(s.Ctx, "GET", "UTF-8")
		if err != nil || got != want {
			t.Errorf("port %q: %q %v, want %q", in, got, err, want)
		}
	}
}
