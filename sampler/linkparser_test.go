package sampler

import (
	"context"
	"testing"
)

// The HTML Link Parser follows <base href>, frames and forms of the
// previous page, skips javascript: links, and leaves the sample alone when
// nothing matches.
func TestLinkParserChoices(t *testing.T) {
	srv, rec := echoServer(t)
	page := srv.URL + "/dir/page.html"
	body := []byte(`junk before <html><head><base href="/base/"></head><body>
<a href="javascript:go('x')">js</a>
<a href="item?id=7&amp;k=v">item</a>
<form action="/submit"><input name="tok" value="a%20b"><select name="color"><option value="red">R</option><option>blue</option></select></form>
</body></html>`)
	frames := []byte(`<html><head><base href="/base/"></head><frameset><frame src="/frames/top.html"><frame src="nav.html"></frameset></html>`)
	s := newSession()
	cases := []struct {
		path   string
		args   []targ
		method string
		want   string // path?query or body seen by the server
	}{
		{"/base/it.*", nil, "GET", "/base/item?id=7&k=v"},
		{"/frames/.*", nil, "GET", "/frames/top.html"},
		{"/base/nav.*", nil, "GET", "/base/nav.html"},
		{"/sub.*", []targ{{name: "tok", value: ".*"}, {name: "color", value: "b.*"}}, "POST", "/submit tok=a+b&color=blue"},
		{"/none", nil, "GET", "/none"},
	}
	for _, c := range cases {
		h := mustHTTP(t, httpSampler(t, srv.URL, "x", c.method, c.path, argsProp(c.args...)), HTTPOptions{})
		b := body
		if c.path == "/frames/.*" || c.path == "/base/nav.*" {
			b = frames
		}
		ChooseLink(h, s, b, page)
		h.Sample(context.Background(), s)
		got := rec.last(t)
		seen := got.Path
		if got.RawQuery != "" {
			seen += "?" + got.RawQuery
		}
		if got.Body != "" {
			seen += " " + got.Body
		}
		if seen != c.want {
			t.Errorf("%s: server saw %q, want %q", c.path, seen, c.want)
		}
	}
	// a choice is for the sampler it was made for only
	h := mustHTTP(t, httpSampler(t, srv.URL, "x", "GET", "/base/it.*"), HTTPOptions{})
	other := mustHTTP(t, httpSampler(t, srv.URL, "y", "GET", "/other"), HTTPOptions{})
	ChooseLink(h, s, body, page)
	other.Sample(context.Background(), s)
	if got := rec.last(t).Path; got != "/other" {
		t.Errorf("another sampler went to %s", got)
	}
}
