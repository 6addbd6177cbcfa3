package sampler

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/testproxy"
)

// The run-wide proxy (JMeter's -H/-P/-u/-a): http requests go to it in
// absolute form, https ones through a CONNECT tunnel, both with the
// credentials as Basic Proxy-Authorization.
func TestRunWideProxyHTTPAndHTTPS(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "plain "+r.URL.Path)
	}))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "secure "+r.URL.Path)
	}))
	defer secure.Close()
	px := testproxy.Start(t)
	px.Auth = "Basic dXNlcjpzZWNyZXQ=" // user:secret
	proxy, err := NewProxy("127.0.0.1", px.Port(), "", "", "user", "secret")
	if err != nil {
		t.Fatal(err)
	}
	opt := HTTPOptions{Proxy: proxy}
	s := newSession()
	res := mustHTTP(t, httpSampler(t, plain.URL, "p", "GET", "/a?x=1"), opt).Sample(context.Background(), s)
	if !res.Success || string(res.Body) != "plain /a" {
		t.Fatalf("http via proxy: %s %s %q", res.ResponseCode, res.ResponseMessage, res.Body)
	}
	res = mustHTTP(t, httpSampler(t, secure.URL, "s", "GET", "/b"), opt).Sample(context.Background(), s)
	if !res.Success || string(res.Body) != "secure /b" {
		t.Fatalf("https via proxy: %s %s %q", res.ResponseCode, res.ResponseMessage, res.Body)
	}
	plainHost := strings.TrimPrefix(plain.URL, "http://")
	secureHost := strings.TrimPrefix(secure.URL, "https://")
	want := []testproxy.Seen{
		{Line: "GET http://" + plainHost + "/a?x=1 HTTP/1.1", ProxyAuth: px.Auth},
		{Line: "CONNECT " + secureHost + " HTTP/1.1", ProxyAuth: px.Auth},
	}
	checkSeen(t, px, want)
}

// checkSeen compares what the proxy received with want, in order.
func checkSeen(t *testing.T, px *testproxy.Proxy, want []testproxy.Seen) {
	t.Helper()
	got := px.Seen()
	if len(got) != len(want) {
		t.Fatalf("proxy saw %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("proxy request %d: %q, want %q", i, got[i], want[i])
		}
	}
}

// Wrong credentials: the proxy's 407 is the sample's answer for http, and a
// failed tunnel (JMeter's IOException text) for https.
func TestRunWideProxyRefusesCredentials(t *testing.T) {
	px := testproxy.Start(t)
	px.Auth = "Basic dXNlcjpzZWNyZXQ="
	proxy, err := NewProxy("127.0.0.1", px.Port(), "http", "", "user", "wrong")
	if err != nil {
		t.Fatal(err)
	}
	res := mustHTTP(t, httpSampler(t, "http://target.invalid:81", "p", "GET", "/"), HTTPOptions{Proxy: proxy}).Sample(context.Background(), newSession())
	if res.Success || res.ResponseCode != "407" {
		t.Errorf("http with wrong proxy credentials: %q %q", res.ResponseCode, res.ResponseMessage)
	}
	res = mustHTTP(t, httpSampler(t, "https://target.invalid:443", "s", "GET", "/"), HTTPOptions{Proxy: proxy}).Sample(context.Background(), newSession())
	if res.Success || !strings.Contains(res.ResponseMessage, "Unable to tunnel through proxy") {
		t.Errorf("https with wrong proxy credentials: %q %q", res.ResponseCode, res.ResponseMessage)
	}
}

// Hosts listed in http.nonProxyHosts (-N) are reached directly; a sampler's
// own proxy wins over the run-wide one.
func TestRunWideProxyExclusionsAndSamplerProxy(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "direct")
	}))
	defer srv.Close()
	runWide := testproxy.Start(t)
	own := testproxy.Start(t)
	for _, exclude := range []string{"127.0.0.1", "*.0.0.1", "example.org|127.0.0.1"} {
		proxy, err := NewProxy("127.0.0.1", runWide.Port(), "", exclude, "", "")
		if err != nil {
			t.Fatal(err)
		}
		res := mustHTTP(t, httpSampler(t, srv.URL, "d", "GET", "/"), HTTPOptions{Proxy: proxy}).Sample(context.Background(), newSession())
		if !res.Success || string(res.Body) != "direct" {
			t.Errorf("excluded %q: %s %q", exclude, res.ResponseCode, res.Body)
		}
	}
	if got := runWide.Seen(); len(got) != 0 {
		t.Errorf("excluded hosts went through the proxy: %q", got)
	}
	proxy, _ := NewProxy("127.0.0.1", runWide.Port(), "", "", "", "")
	el := httpSampler(t, srv.URL, "o", "GET", "/own", sp("HTTPSampler.proxyHost", "127.0.0.1"), sp("HTTPSampler.proxyPort", own.Port()))
	res := mustHTTP(t, el, HTTPOptions{Proxy: proxy}).Sample(context.Background(), newSession())
	if !res.Success || len(own.Seen()) != 1 || len(runWide.Seen()) != 0 {
		t.Errorf("sampler proxy: %s; own saw %q, run-wide saw %q", res.ResponseCode, own.Seen(), runWide.Seen())
	}
}

func TestNewProxyChecksItsSettings(t *testing.T) {
	if p, err := NewProxy("", "", "", "", "", ""); p != nil || err != nil {
		t.Errorf("no host: %v %v", p, err)
	}
	for _, c := range [][3]string{{"h", "", ""}, {"h", "x", ""}, {"h", "70000", ""}, {"h", "8080", "https"}} {
		if _, err := NewProxy(c[0], c[1], c[2], "", "", ""); err == nil {
			t.Errorf("NewProxy(%q, %q, %q) accepted", c[0], c[1], c[2])
		}
	}
	p, _ := NewProxy("h", "8080", "", "", "u", "pw")
	if p.String() != "http://u:xxxxx@h:8080" {
		t.Errorf("String() = %q", p.String())
	}
}
