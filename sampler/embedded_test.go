package sampler

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

func TestHTTPEmbeddedResources(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		switch r.URL.Path {
		case "/page":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<html><head><link rel="stylesheet" href="/s.css"><script src="app.js"></script>
<link rel="canonical" href="/not-a-resource"></head>
<body background="/bg.png"><img src="/a.png"><img src="/a.png"><img src="data:image/png;base64,AAAA">
<a href="/link-not-fetched">x</a><iframe src="/frame"></iframe><div style="background: url('/div.png')"></div>
<!--[if IE]><img src="/ie-only.png"><![endif]--></body></html>`)
		case "/frame":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<img src="/in-frame.png">`)
		case "/s.css":
			w.Header().Set("Content-Type", "text/css")
			// JMeter fetches a stylesheet's @import targets, not its url() values.
			io.WriteString(w, `@import "more.css"; @import url( 'other.css' ) screen; /* @import "commented.css"; */
body { background: url(/from-css.png) }`)
		case "/missing.png":
			w.WriteHeader(404)
		default:
			w.Header().Set("Content-Type", "image/png")
			io.WriteString(w, "png")
		}
	}))
	defer srv.Close()
	el := httpSampler(t, srv.URL, "home", "GET", "/page", bp("HTTPSampler.image_parser", true))
	res := mustHTTP(t, el, HTTPOptions{DiscardBody: true}).Sample(context.Background(), newSession())
	if !res.Success || res.ResponseCode != "200" || !strings.Contains(string(res.Body), "<html>") {
		t.Fatalf("page: %s %s", res.ResponseCode, res.ResponseMessage)
	}
	var paths []string
	for _, r := range rec.all() {
		paths = append(paths, r.Path)
	}
	sort.Strings(paths)
	want := "/a.png,/app.js,/bg.png,/div.png,/frame,/in-frame.png,/more.css,/other.css,/page,/s.css"
	if got := strings.Join(paths, ","); got != want {
		t.Errorf("fetched %s\nwant    %s", got, want)
	}
	// page + s.css + app.js + bg.png + a.png + frame + div.png
	if len(res.Subs) != 7 || res.Subs[0].Label != "home-0" || res.Subs[6].Label != "home-6" {
		t.Fatalf("subs %d", len(res.Subs))
	}
	var sum int64
	for _, sub := range res.Subs {
		sum += sub.Bytes
	}
	if res.Bytes != sum {
		t.Errorf("bytes %d, sum %d", res.Bytes, sum)
	}
	// The same page with parallel downloads: same resources, same order of sub-results.
	cm := elem("CookieManager", "cm")
	el = httpSampler(t, srv.URL, "home", "GET", "/page", bp("HTTPSampler.image_parser", true),
		bp("HTTPSampler.concurrentDwn", true), sp("HTTPSampler.concurrentPool", "4"))
	s := newSession()
	par := mustHTTP(t, el, HTTPOptions{Cookies: cm}).Sample(context.Background(), s)
	if !par.Success || len(par.Subs) != len(res.Subs) {
		t.Fatalf("parallel: success %v subs %d", par.Success, len(par.Subs))
	}
	for i := range par.Subs {
		if par.Subs[i].URL != res.Subs[i].URL || par.Subs[i].Label != res.Subs[i].Label {
			t.Errorf("parallel sub %d: %s %s, sequential %s %s", i, par.Subs[i].Label, par.Subs[i].URL, res.Subs[i].Label, res.Subs[i].URL)
		}
	}
	remotes := map[string]bool{}
	for _, r := range rec.all() {
		remotes[r.Remote] = true
	}
	if len(remotes) < 3 {
		t.Errorf("parallel downloads used %d connections in total", len(remotes))
	}
	s.HTTP.Close()

	// A failing resource fails the page sample with JMeter's message.
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/p" {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<img src="/missing.png"><img src="/skip/me.png">`)
			return
		}
		w.WriteHeader(404)
	}))
	defer srv2.Close()
	el = httpSampler(t, srv2.URL, "p", "GET", "/p", bp("HTTPSampler.image_parser", true), sp("HTTPSampler.embedded_url_exclude_re", ".*/skip/.*"))
	res = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if res.Success || len(res.Subs) != 2 || !strings.HasPrefix(res.ResponseMessage, "Embedded resource download error:"+srv2.URL+"/missing.png code:404") {
		t.Errorf("failing resource: success %v subs %d msg %q", res.Success, len(res.Subs), res.ResponseMessage)
	}
}
