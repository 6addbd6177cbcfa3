package sampler

import (
	"context"
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/target"
	"github.com/gometer/gometer/internal/testproxy"
)

// startH2Target starts the target's HTTP/2 listeners: h2 over TLS and h2c.
func startH2Target(t *testing.T) (tlsURL, h2cURL string) {
	t.Helper()
	srv := target.New(target.Options{Seed: 1})
	t.Cleanup(func() { srv.Close() })
	var err error
	if tlsURL, err = srv.StartHTTP2("127.0.0.1:0", true); err != nil {
		t.Fatal(err)
	}
	if h2cURL, err = srv.StartHTTP2("127.0.0.1:0", false); err != nil {
		t.Fatal(err)
	}
	return tlsURL, h2cURL
}

// HTTP/2 against the target's HTTP/2 listeners: h2 negotiated by ALPN over
// TLS and h2c with prior knowledge, one multiplexed connection per origin
// per user (connect time on the first sample only), JTL fields filled.
func TestHTTP2OverTLSAndCleartext(t *testing.T) {
	tlsURL, h2cURL := startH2Target(t)
	for _, c := range []struct {
		name, base string
		mode       HTTP2Mode
		want       string
	}{
		{"h2 by ALPN", tlsURL, HTTP2TLS, "HTTP/2.0"},
		{"h2c prior knowledge", h2cURL, HTTP2Always, "HTTP/2.0"},
		{"clear text stays HTTP/1.1 unless h2c", h2cURL, HTTP2TLS, "HTTP/1.1"},
		{"off", tlsURL, HTTP2Off, "HTTP/1.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSession()
			s.HTTP = NewHTTPState(StateOptions{})
			defer s.Close()
			post := mustHTTP(t, httpSampler(t, c.base, "post", "POST", "/echo",
				bp("HTTPSampler.postBodyRaw", true), argsProp(targ{value: `{"qty":5}`})), HTTPOptions{HTTP2: c.mode})
			get := mustHTTP(t, httpSampler(t, c.base, "get", "GET", "/echo"), HTTPOptions{HTTP2: c.mode})
			r1 := post.Sample(context.Background(), s)
			r2 := get.Sample(context.Background(), s)
			for i, r := range []*Result{r1, r2} {
				if !r.Success || r.ResponseCode != "200" {
					t.Fatalf("sample %d: %s %s %s", i+1, r.ResponseCode, r.ResponseMessage, r.Body)
				}
				proto := "HTTP/1.1"
				if strings.Contains(r.ResponseHeaders, "x-proto: HTTP/2.0") {
					proto = "HTTP/2.0"
				}
				if !strings.Contains(strings.ToLower(r.ResponseHeaders), "x-proto: "+strings.ToLower(c.want)) {
					t.Errorf("sample %d served by %s, want %s; headers:\n%s", i+1, proto, c.want, r.ResponseHeaders)
				}
				if r.Bytes <= int64(len(r.Body)) || r.SentBytes <= 0 || r.Latency <= 0 || r.Latency > r.Elapsed {
					t.Errorf("sample %d: bytes %d (body %d) sent %d latency %v elapsed %v", i+1, r.Bytes, len(r.Body), r.SentBytes, r.Latency, r.Elapsed)
				}
			}
			if !strings.Contains(string(r1.Body), `{\"qty\":5}`) && !strings.Contains(string(r1.Body), `"qty":5`) {
				t.Errorf("the POST body did not arrive: %s", r1.Body)
			}
			if r1.Connect <= 0 || r2.Connect != 0 {
				t.Errorf("connect: first %v (want > 0), second %v (want 0: the connection is reused)", r1.Connect, r2.Connect)
			}
		})
	}
}

// A new user on the next iteration (same_user_on_next_iteration off) opens
// a new HTTP/2 connection, as it does for HTTP/1.1.
func TestHTTP2NewUserNewConnection(t *testing.T) {
	srv := target.New(target.Options{Seed: 1})
	defer srv.Close()
	base, err := srv.StartHTTP2("127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	s := newSession()
	s.HTTP = NewHTTPState(StateOptions{})
	defer s.Close()
	get := mustHTTP(t, httpSampler(t, base, "get", "GET", "/echo"), HTTPOptions{HTTP2: HTTP2TLS})
	var connects []bool
	for _, same := range []bool{true, true, false} {
		s.HTTP.StartIteration(same)
		r := get.Sample(context.Background(), s)
		if !r.Success {
			t.Fatalf("%s %s", r.ResponseCode, r.ResponseMessage)
		}
		connects = append(connects, r.Connect > 0)
	}
	if !connects[0] || connects[1] || !connects[2] {
		t.Errorf("new connection per sample: %v, want [true false true]", connects)
	}
}

// Through the run-wide proxy (-H/-P) an https request with HTTP/2 on goes
// through one CONNECT tunnel, negotiates h2 by ALPN end to end inside it and
// multiplexes the user's later requests on it; clear-text h2c stays
// HTTP/1.1 to the proxy.
func TestHTTP2ThroughProxyTunnel(t *testing.T) {
	tlsURL, h2cURL := startH2Target(t)
	px := testproxy.Start(t)
	px.Auth = "Basic dXNlcjpzZWNyZXQ=" // user:secret
	proxy, err := NewProxy("127.0.0.1", px.Port(), "", "", "user", "secret")
	if err != nil {
		t.Fatal(err)
	}
	s := newSession()
	s.HTTP = NewHTTPState(StateOptions{})
	defer s.Close()
	opt := HTTPOptions{HTTP2: HTTP2Always, Proxy: proxy}
	get := mustHTTP(t, httpSampler(t, tlsURL, "get", "GET", "/echo"), opt)
	for i := 0; i < 3; i++ {
		r := get.Sample(context.Background(), s)
		if !r.Success || !strings.Contains(r.ResponseHeaders, "x-proto: HTTP/2.0") || !strings.HasPrefix(r.ResponseHeaders, "HTTP/2.0 200") {
			t.Fatalf("request %d through the tunnel: %s %s\n%s", i+1, r.ResponseCode, r.ResponseMessage, r.ResponseHeaders)
		}
		if (i == 0) != (r.Connect > 0) {
			t.Errorf("request %d: connect %v (only the first opens the tunnel)", i+1, r.Connect)
		}
	}
	r := mustHTTP(t, httpSampler(t, h2cURL, "plain", "GET", "/echo"), opt).Sample(context.Background(), s)
	if !r.Success || !strings.Contains(strings.ToLower(r.ResponseHeaders), "x-proto: http/1.1") {
		t.Errorf("h2c through the proxy: %s %s\n%s", r.ResponseCode, r.ResponseMessage, r.ResponseHeaders)
	}
	host := func(u string) string { return u[strings.Index(u, "//")+2:] }
	want := []testproxy.Seen{
		{Line: "CONNECT " + host(tlsURL) + " HTTP/1.1", ProxyAuth: px.Auth},
		{Line: "GET " + h2cURL + "/echo HTTP/1.1", ProxyAuth: px.Auth},
	}
	checkSeen(t, px, want)
}
