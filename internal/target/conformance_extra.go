package target

import (
	"net/http"
	"strings"
)

// cacheLastModified is the fixed Last-Modified of every /cache answer, so
// conditional requests carry the same date in every run.
const cacheLastModified = "Mon, 02 Jan 2006 15:04:05 GMT"

// cacheKinds maps /cache/{kind} to the caching headers its answer carries.
// Each kind exercises one rule of a client cache (conformance plans only).
var cacheKinds = map[string][][2]string{
	"etag":    {{"ETag", `"v1"`}},
	"lastmod": {{"Last-Modified", cacheLastModified}},
	"both":    {{"ETag", `"v2"`}, {"Last-Modified", cacheLastModified}},
	"maxage":  {{"Cache-Control", "max-age=3600"}, {"ETag", `"m1"`}},
	"expires": {{"Expires", "Thu, 01 Jan 2099 00:00:00 GMT"}, {"Last-Modified", cacheLastModified}},
	"nocache": {{"Cache-Control", "no-cache"}, {"ETag", `"n1"`}},
	"nostore": {{"Cache-Control", "no-store"}, {"ETag", `"s1"`}},
	"private": {{"Cache-Control", "private, max-age=3600"}},
	"stale":   {{"Cache-Control", "max-age=0"}, {"ETag", `"z1"`}},
	"vary":    {{"Cache-Control", "max-age=3600"}, {"Vary", "X-Lang"}, {"ETag", `"y1"`}},
}

// conformanceRoutes adds the endpoints only conformance plans use.
func (s *Server) conformanceRoutes(mux *http.ServeMux) {
	mux.HandleFunc("/cache/{kind}", s.cache)
	mux.HandleFunc("GET /page/resources", s.static("text/html; charset=utf-8", resourcesPage))
	mux.HandleFunc("GET /page/style.css", s.static("text/css", resourcesCSS))
	mux.HandleFunc("GET /cookies/raw", s.rawCookies)
	mux.HandleFunc("/cookies/redirect", s.cookieRedirect)
	mux.HandleFunc("GET /json/numbers", s.static("application/json", numbersDoc))
	mux.HandleFunc("GET /page/tidy/{name}", s.tidyPage)
}

// numbersDoc holds JSON values whose text differs between JSON libraries
// once extracted: number spellings, escapes, empty containers, nesting.
const numbersDoc = `{
  "int": 42, "neg": -7, "zero": -0, "big": 12345678901234567890, "long": 9007199254740993,
  "one": 1.0, "frac": 0.1, "pi": 3.14159265358979, "exp": 1e3, "small": 1E-7, "bigexp": 2.5e21,
  "t": true, "f": false, "n": null, "s": "tab\there \"quoted\" \u00e9\u4e2d \/ slash",
  "empty": "", "arr": [1, 2.50, "x", null, true, {"k": "v"}, []], "obj": {"b": 2, "a": 1, "nested": {"z": [0.5]}},
  "emptyArr": [], "emptyObj": {}, "list": [{"id": 1, "v": 10}, {"id": 2, "v": 20.0}, {"id": 3}]
}
`

// cookieRedirect answers 302 (or ?status=3xx) to ?url= with each h value as
// a Set-Cookie header: cookies set by a redirect hop.
func (s *Server) cookieRedirect(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code, ok := queryInt(w, r, "status", http.StatusFound, 300, 399)
	if !ok {
		return
	}
	for _, v := range q["h"] {
		w.Header().Add("Set-Cookie", v)
	}
	w.Header().Set("Location", q.Get("url"))
	w.WriteHeader(int(code))
}

// rawCookies sends each h query value as its own Set-Cookie header,
// verbatim, so plans can test attributes (Domain, Expires, Max-Age, Secure,
// quoting) that /cookies/set does not produce.
func (s *Server) rawCookies(w http.ResponseWriter, r *http.Request) {
	vals := r.URL.Query()["h"]
	for _, v := range vals {
		w.Header().Add("Set-Cookie", v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"set": vals})
}

// resourcesPage embeds resources of every kind an HTML parser looks for,
// all on this host: images (one twice, one missing), a script, a stylesheet
// whose url() is itself a resource, a body background and an input image.
const resourcesPage = `<!DOCTYPE html>
<html>
<head>
<title>resources</title>
<link rel="stylesheet" href="/page/style.css">
<script src="/echo?res=script"></script>
</head>
<body background="/echo?res=background">
<img src="/bytes/16" alt="one">
<img src="/bytes/16" alt="same again">
<img src="/status/404" alt="missing">
<input type="image" src="/echo?res=input">
<a href="/echo?res=link-not-fetched">a link is not a resource</a>
</body>
</html>
`

// resourcesCSS names one resource through @import and one through url().
const resourcesCSS = `@import url("/echo?res=css-import");
body { background-image: url("/echo?res=css-image"); }
`

// cache answers with caching headers chosen by kind and honours
// If-None-Match / If-Modified-Since with 304 Not Modified, so a client's
// cache manager can be observed: which requests it sends, and with which
// validators.
func (s *Server) cache(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	hdrs, ok := cacheKinds[kind]
	if !ok {
		writeError(w, http.StatusNotFound, "unknown cache kind "+kind)
		return
	}
	h := w.Header()
	etag, lastMod := "", ""
	for _, kv := range hdrs {
		h.Set(kv[0], kv[1])
		switch kv[0] {
		case "ETag":
			etag = kv[1]
		case "Last-Modified":
			lastMod = kv[1]
		}
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		if (etag != "" && inm != "" && matchETag(inm, etag)) || (inm == "" && lastMod != "" && ims == lastMod) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	writeBody(w, http.StatusOK, "text/plain; charset=utf-8", []byte("cache "+kind+"\n"))
}

// matchETag reports whether an If-None-Match list names etag (or is *).
func matchETag(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}
