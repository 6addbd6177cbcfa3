package sampler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gometer/gometer/jmx"
)

// HttpClient 4 drops empty path segments (but a trailing one) from the
// request line; the sample's URL keeps the path as the plan built it.
func TestEmptyPathSegmentsCollapsedOnTheWire(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.Header().Set("Location", "/r//b//")
		if strings.HasPrefix(r.URL.Path, "/redir") {
			w.WriteHeader(302)
		}
	}))
	defer srv.Close()
	for path, want := range map[string]string{
		"//api//v1/": "/api/v1/",
		"/a%2F//b":   "/a%2F/b",
		"/plain":     "/plain",
	} {
		res := mustHTTP(t, httpSampler(t, srv.URL, "x", "GET", path), HTTPOptions{}).Sample(context.Background(), newSession())
		last := rec.last(t)
		if got := last.Path; got != mustUnescape(t, want) || res.ResponseCode != "200" {
			t.Errorf("%s: server saw %q (%s), want %q", path, got, res.ResponseCode, want)
		}
		if !strings.HasSuffix(res.URL, path) {
			t.Errorf("%s: sample URL %q changed", path, res.URL)
		}
	}
	el := httpSampler(t, srv.URL, "r", "GET", "/redir", bp("HTTPSampler.follow_redirects", false), bp("HTTPSampler.auto_redirects", true))
	mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if got := rec.last(t).Path; got != "/r/b/" {
		t.Errorf("auto redirect hop: server saw %q, want /r/b/", got)
	}
}

func TestURLErrorsAsJava(t *testing.T) {
	for name, c := range map[string]struct {
		path, domain, code string
	}{
		"port out of range": {"http://127.0.0.1:70000/x", "", "Non HTTP response code: java.lang.IllegalArgumentException"},
		"spaced domain":     {"/x", " ", "Non HTTP response code: java.net.URISyntaxException"},
		"empty domain":      {"/x", "", "Non HTTP response code: org.apache.http.client.ClientProtocolException"},
	} {
		el := httpSampler(t, "http://127.0.0.1:1", name, "GET", c.path, sp("HTTPSampler.domain", c.domain))
		res := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
		if res.ResponseCode != c.code || res.Success {
			t.Errorf("%s: %s %s", name, res.ResponseCode, res.ResponseMessage)
		}
	}
}

func mustUnescape(t *testing.T, s string) string {
	t.Helper()
	return strings.ReplaceAll(s, "%2F", "/")
}

// java.net.URL refuses a port that is not a number (MalformedURLException)
// before it looks at the host; a bad host passes URL and fails toURI.
func TestRedirectLocationBadPortOrHost(t *testing.T) {
	for loc, code := range map[string]string{
		"http://${host}:${port}/x": "Non HTTP response code: java.net.MalformedURLException",
		"http://${host}:80/x":      "Non HTTP response code: java.net.URISyntaxException",
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", loc)
			w.WriteHeader(302)
		}))
		res := mustHTTP(t, httpSampler(t, srv.URL, "r", "GET", "/"), HTTPOptions{}).Sample(context.Background(), newSession())
		srv.Close()
		if res.ResponseCode != code || res.Success {
			t.Errorf("Location %s: %s (%s)", loc, res.ResponseCode, res.ResponseMessage)
		}
	}
}

// HttpClient 4 writes header text one byte per UTF-16 unit (ISO-8859-1 for
// Latin-1 characters, the low byte beyond).
func TestHeaderValuesWrittenAsLatin1(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("X-Name")
	}))
	defer srv.Close()
	hm := elem("HeaderManager", "hm", collection("HeaderManager.headers",
		elemProp("", "Header", sp("Header.name", "X-Name"), sp("Header.value", "José €"))))
	el := httpSampler(t, srv.URL, "h", "GET", "/")
	mustHTTP(t, el, HTTPOptions{Headers: []*jmx.Element{hm}}).Sample(context.Background(), newSession())
	if v := <-got; v != "Jos\xe9 \xac" {
		t.Errorf("X-Name bytes %q", v)
	}
}

// Parameters not marked "encode" are URL-decoded first, as JMeter does
// before HttpClient encodes them; a malformed escape fails the sample.
func TestUnencodedFormArgumentsDecoded(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rec.add(r) }))
	defer srv.Close()
	arg := func(name, value string) *jmx.Property {
		return elemProp(name, "HTTPArgument", bp("HTTPArgument.always_encode", false), sp("Argument.name", name), sp("Argument.value", value), sp("Argument.metadata", "="))
	}
	post := func(value string) *Result {
		el := httpSampler(t, srv.URL, "p", "POST", "/", &jmx.Property{Name: "HTTPsampler.Arguments", Elem: elem("Arguments", "args", collection("Arguments.arguments", arg("a", value)))})
		return mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	}
	if r := post("x%20y+z%26"); !r.Success || rec.last(t).Body != "a=x+y+z%26" {
		t.Errorf("decoded then encoded: %s %q", r.ResponseCode, rec.last(t).Body)
	}
	for _, bad := range []string{"100%", "%zz", "a%4"} {
		if r := post(bad); r.Success || r.ResponseCode != "Non HTTP response code: java.lang.IllegalArgumentException" {
			t.Errorf("%q: %s %s", bad, r.ResponseCode, r.ResponseMessage)
		}
	}
}
