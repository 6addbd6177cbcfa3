package target

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

func TestCacheEndpointValidators(t *testing.T) {
	_, base := start(t, Options{})
	get := func(path string, hdr ...string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	cases := []struct {
		path string
		hdr  []string
		code int
	}{
		{"/cache/etag", nil, 200},
		{"/cache/etag", []string{"If-None-Match", `"v1"`}, 304},
		{"/cache/etag", []string{"If-None-Match", `W/"v1", "x"`}, 304},
		{"/cache/etag", []string{"If-None-Match", `"other"`}, 200},
		{"/cache/lastmod", []string{"If-Modified-Since", cacheLastModified}, 304},
		{"/cache/lastmod", []string{"If-Modified-Since", "Tue, 03 Jan 2006 15:04:05 GMT"}, 200},
		{"/cache/both", []string{"If-None-Match", `"no"`, "If-Modified-Since", cacheLastModified}, 200},
		{"/cache/nope", nil, 404},
	}
	for _, c := range cases {
		if r := get(c.path, c.hdr...); r.StatusCode != c.code {
			t.Errorf("%s %v: status %d, want %d", c.path, c.hdr, r.StatusCode, c.code)
		}
	}
	r := get("/cache/maxage")
	if r.Header.Get("Cache-Control") != "max-age=3600" || r.Header.Get("ETag") != `"m1"` {
		t.Errorf("maxage headers: %v", r.Header)
	}
	if r := get("/cache/expires"); r.Header.Get("Expires") == "" || r.Header.Get("Last-Modified") != cacheLastModified {
		t.Errorf("expires headers: %v", r.Header)
	}
}

func TestResourcesPage(t *testing.T) {
	_, base := start(t, Options{})
	for path, want := range map[string]string{"/page/resources": "text/html; charset=utf-8", "/page/style.css": "text/css"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != want || len(b) == 0 {
			t.Errorf("%s: %d %q %d bytes", path, resp.StatusCode, resp.Header.Get("Content-Type"), len(b))
		}
	}
}

func TestRawCookies(t *testing.T) {
	_, base := start(t, Options{})
	resp, err := http.Get(base + "/cookies/raw?h=a%3D1%3B+Path%3D%2F&h=b%3D2%3B+Max-Age%3D0")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := resp.Header.Values("Set-Cookie")
	if len(got) != 2 || got[0] != "a=1; Path=/" || got[1] != "b=2; Max-Age=0" {
		t.Errorf("Set-Cookie %q", got)
	}
}

func TestNumbersDocIsJSON(t *testing.T) {
	_, base := start(t, Options{})
	resp, err := http.Get(base + "/json/numbers")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("not JSON: %v %q", err, resp.Header.Get("Content-Type"))
	}
	if v["s"] != "tab\there \"quoted\" é中 / slash" {
		t.Errorf("s = %q", v["s"])
	}
}

func TestCookieRedirect(t *testing.T) {
	_, base := start(t, Options{})
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/cookies/redirect?h=a%3D1&url=%2Fcookies&status=303")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/cookies" || resp.Header.Get("Set-Cookie") != "a=1" {
		t.Errorf("%d %v", resp.StatusCode, resp.Header)
	}
}
