package sampler

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/gometer/gometer/functions"
)

// The Java implementation sends what HttpURLConnection sends: its own
// Accept and User-Agent, forms without a charset and values encoded only
// when always_encode is set, no entity for PUT's named arguments, and no
// URI check of the query.
func TestJavaImplementationOnTheWire(t *testing.T) {
	srv, rec := echoServer(t)
	java := sp("HTTPSampler.implementation", "Java")
	args := argsProp(targ{name: "a", value: "1 2"}, targ{name: "b", value: "1 2&x", encode: true})

	mustHTTP(t, httpSampler(t, srv.URL, "form", "POST", "/form", java, args), HTTPOptions{}).Sample(context.Background(), newSession())
	got := rec.last(t)
	if got.Body != "a=1 2&b=1+2%26x" || got.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("form: %q %q", got.Body, got.Header.Get("Content-Type"))
	}
	if got.Header.Get("Accept") != JavaAccept || got.Header.Get("User-Agent") != JavaUserAgent {
		t.Errorf("headers: %v", got.Header)
	}

	mustHTTP(t, httpSampler(t, srv.URL, "put", "PUT", "/put", java, args), HTTPOptions{}).Sample(context.Background(), newSession())
	if got := rec.last(t); got.Body != "" || got.Header.Get("Content-Type") != "" {
		t.Errorf("PUT with named arguments sends no entity: %q %v", got.Body, got.Header)
	}

	get := argsProp(targ{name: "c", value: "é/1"})
	mustHTTP(t, httpSampler(t, srv.URL, "get", "GET", "/get", java, get), HTTPOptions{}).Sample(context.Background(), newSession())
	if got := rec.last(t); got.RawQuery != "c=é/1" {
		t.Errorf("query sent as written: %q", got.RawQuery)
	}

	res := mustHTTP(t, httpSampler(t, srv.URL, "patch", "PATCH", "/p", java), HTTPOptions{}).Sample(context.Background(), newSession())
	if res.Success || res.ResponseCode != "Non HTTP response code: java.net.ProtocolException" {
		t.Errorf("PATCH: %s", res.ResponseCode)
	}

	// HttpClient 4 for comparison: charset in the type, everything encoded
	mustHTTP(t, httpSampler(t, srv.URL, "hc4", "POST", "/form", sp("HTTPSampler.implementation", "HttpClient3.1"), args), HTTPOptions{}).Sample(context.Background(), newSession())
	if got := rec.last(t); got.Body != "a=1+2&b=1+2%26x" || got.Header.Get("Content-Type") != "application/x-www-form-urlencoded; charset=UTF-8" || got.Header.Get("Accept") != "" {
		t.Errorf("HttpClient3.1 runs as HttpClient 4: %q %v", got.Body, got.Header)
	}
}

func TestImplementationValues(t *testing.T) {
	props := functions.NewProperties()
	for v, java := range map[string]bool{"": false, "HttpClient4": false, "HttpClient3.1": false, "Java": true, "HTTPSampler": true, "${impl}": false} {
		h, err := NewHTTP(httpSampler(t, "http://127.0.0.1:1", "x", "GET", "/", sp("HTTPSampler.implementation", v)), HTTPOptions{Props: props})
		if err != nil || h.JavaImplementation() != java {
			t.Errorf("%q: java=%v err=%v", v, h != nil && h.JavaImplementation(), err)
		}
	}
	for _, v := range []string{"HTTPSampler2", "httpclient4", "Jetty"} {
		_, err := NewHTTP(httpSampler(t, "http://127.0.0.1:1", "x", "GET", "/", sp("HTTPSampler.implementation", v)), HTTPOptions{Props: props})
		var ie ErrImplementation
		if !errors.As(err, &ie) || ie.Value != v {
			t.Errorf("%q: want ErrImplementation, got %v", v, err)
		}
	}
	props.Set("jmeter.httpsampler", "Java")
	if h, err := NewHTTP(httpSampler(t, "http://127.0.0.1:1", "x", "GET", "/"), HTTPOptions{Props: props}); err != nil || !h.JavaImplementation() {
		t.Errorf("blank implementation follows jmeter.httpsampler: %v", err)
	}
}

// A Host header from a header manager is sent as HttpClient 4 writes the
// virtual host JMeter makes of it: a port equal to the scheme's default is
// dropped, a missing one is the URL's.
func TestHostHeaderPort(t *testing.T) {
	hc4, java := &HTTP{}, &HTTP{java: true}
	for _, c := range []struct{ url, value, want string }{
		{"http://127.0.0.1:8081/", "example.test:80", "example.test"},
		{"http://127.0.0.1:8081/", "example.test:443", "example.test:443"},
		{"https://127.0.0.1:8081/", "example.test:443", "example.test"},
		{"http://127.0.0.1:8081/", "example.test", "example.test:8081"},
		{"http://127.0.0.1/", "example.test", "example.test"},
		{"http://127.0.0.1:8081/", "Example.Test:080", "Example.Test"},
		{"http://127.0.0.1:8081/", "example.test:", "example.test::8081"},
		{"http://127.0.0.1:8081/", "[::1]:80", "[::1]"},
		{"http://127.0.0.1:8081/", " example.test:80 ", " example.test:80 :8081"},
	} {
		u := mustURL(t, c.url)
		if got := hc4.hostHeader(c.value, u); got != c.want {
			t.Errorf("%s with Host %q: sent %q, want %q", c.url, c.value, got, c.want)
		}
		if got := java.hostHeader(c.value, u); got != c.value {
			t.Errorf("Java implementation: %q, want it unchanged", got)
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
