package sampler

import (
	"context"
	"testing"
)

// JMeter's CookieManager replaces a predefined cookie only when name, path
// and domain match as written: "127.0.0.1" is replaced by the response's
// cookie "a", "${__P(host)}" is not, and then both are sent.
func TestPredefinedCookieReplacedOnlyOnRawMatch(t *testing.T) {
	srv, rec := cookieServer(t)
	for _, c := range []struct{ domain, want string }{
		{"127.0.0.1", "a=1"},
		{"${__P(host)}", "a=pre; a=1"},
	} {
		s := newSession()
		s.Ctx.Props.Set("host", "127.0.0.1")
		cm := elem("CookieManager", "cm", collection("CookieManager.cookies",
			elemProp("a", "Cookie", sp("Cookie.value", "pre"), sp("Cookie.domain", c.domain), sp("Cookie.path", "/"),
				bp("Cookie.domain_specified", true), bp("Cookie.path_specified", true))))
		get := func(path string) string {
			mustHTTP(t, httpSampler(t, srv.URL, path, "GET", path), HTTPOptions{Cookies: cm, Props: s.Ctx.Props}).Sample(context.Background(), s)
			return rec.last(t).Header.Get("Cookie")
		}
		get("/set")
		if got := get("/x"); got != c.want {
			t.Errorf("domain %s: Cookie %q, want %q", c.domain, got, c.want)
		}
	}
}
