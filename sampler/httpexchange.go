package sampler

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// The store lookups lock st.shareMu when the maps are shared with parallel
// branches or download workers, which may create a store concurrently.

func (st *HTTPState) cookieStore(cfg *cookieConfig) *cookieStore {
	if st.shareMu != nil {
		st.shareMu.Lock()
		defer st.shareMu.Unlock()
	}
	s := st.cookies[cfg.el]
	if s == nil {
		if st.cookies == nil {
			st.cookies = map[*jmx.Element]*cookieStore{}
		}
		s = newCookieStore(cfg)
		st.cookies[cfg.el] = s
	}
	return s
}

func (st *HTTPState) cacheStore(cfg *cacheConfig) *cacheStore {
	if st.shareMu != nil {
		st.shareMu.Lock()
		defer st.shareMu.Unlock()
	}
	s := st.caches[cfg.el]
	if s == nil {
		if st.caches == nil {
			st.caches = map[*jmx.Element]*cacheStore{}
		}
		s = newCacheStore(cfg)
		st.caches[cfg.el] = s
	}
	return s
}

func (st *HTTPState) dnsState(cfg *dnsConfig) *dnsState {
	if st.shareMu != nil {
		st.shareMu.Lock()
		defer st.shareMu.Unlock()
	}
	s := st.dnss[cfg.el]
	if s == nil {
		if st.dnss == nil {
			st.dnss = map[*jmx.Element]*dnsState{}
		}
		s = newDNSState(cfg)
		st.dnss[cfg.el] = s
	}
	return s
}

// exchange performs one HTTP request (one JMeter HC4 sample without
// redirect following) and returns its Result, or nil when a cache manager
// holds a fresh copy of the URL.
//
// Its state lives in an exState in the pooled scratch space and each step
// is a function of its own, so that the frames on the goroutine's stack
// while it waits for the network stay small: a virtual user whose deepest
// sample fits in the 4 KB stack it idles with never has its stack grown and
// shrunk again, which with 10,000 users is tens of megabytes.
func (h *HTTP) exchange(ctx context.Context, s *Session, st *HTTPState, u *url.URL, urlStr, method string, body *reqBody) *Result {
	x := h.bufs.getExch()
	st.x = x
	e := &x.ex
	e.c, e.u, e.urlStr, e.method, e.body = s.Ctx, u, urlStr, method, body
	res := h.exchangeIn(ctx, st, e)
	st.x = nil
	st.respHead = "" // the result holds it; an idle user need not
	h.bufs.putExch(x)
	return res
}

// exState is one exchange's state (see exchange).
type exState struct {
	c         *functions.Context
	u         *url.URL
	urlStr    string
	method    string
	body      *reqBody
	res       *Result
	req       *http.Request
	resp      *http.Response
	start     time.Time
	connect   time.Duration
	r0, w0    int64
	cto, rto  time.Duration
	dns       *dnsState
	cache     *cacheStore
	jar       *cookieStore
	digestTry bool
	visited   map[string]bool // auto redirects: URLs seen (HttpClient refuses circular redirects)
	autoHdr   http.Header     // auto redirects: the headers the next hop repeats
	// the body as read
	data  []byte
	first time.Time
	got   int64
	rerr  error
}

// errFresh: the cache manager holds a fresh copy; no request, no sample.
var errFresh = errors.New("fresh in the cache")

func (h *HTTP) exchangeIn(ctx context.Context, st *HTTPState, e *exState) *Result {
	e.res = &Result{Method: e.method, URL: e.urlStr, SampleCount: 1}
	h.exchangeSetup(st, e)
	var err error
	for hop := 0; ; hop++ {
		if err = h.sendHop(ctx, st, e, hop); err != nil {
			break
		}
		if h.answerDigest(st, e) {
			continue
		}
		var again bool
		if again, err = h.autoRedirect(st, e, hop); !again {
			break
		}
	}
	if err == errFresh {
		return nil
	}
	if err != nil {
		return h.exchangeFailed(st, e, err)
	}
	// The body is read here rather than in exchangeDone, whose frame is large.
	e.data, e.first, e.got, e.rerr = h.readBody(st, e.resp)
	return h.exchangeDone(ctx, st, e)
}

// exchangeSetup resolves the sample's timeouts and managers and starts its clock.
func (h *HTTP) exchangeSetup(st *HTTPState, e *exState) {
	c := e.c
	e.cto = h.timeout(c, h.connectTO, 0)
	e.rto = h.timeout(c, h.responseTO, h.defaultTimeout)
	if h.dns != nil {
		e.dns = st.dnsState(h.dns)
	}
	if h.cache != nil {
		e.cache = st.cacheStore(h.cache)
	}
	if h.cookies != nil {
		e.jar = st.cookieStore(h.cookies)
	}
	e.start = time.Now()
	e.res.Start = e.start
	// JMeter answers a Digest challenge within the sample but does not keep
	// it: every sample starts unauthenticated and is challenged again.
	clear(st.digest)
}

// sendHop builds the hop's request and sends it; e.resp is its response.
func (h *HTTP) sendHop(ctx context.Context, st *HTTPState, e *exState, hop int) error {
	if e.autoHdr != nil {
		e.req = h.redirectRequest(e.req, e.autoHdr, e.u, e.method, e.body)
	} else {
		req, err := h.newRequest(ctx, e.c, st, e.u, e.urlStr, e.method, e.body, e.res, e.jar, e.cache)
		e.req = req
		if err != nil {
			return err
		}
		// Fresh in the cache: no request, no sample (checked on the
		// request's headers, which a Vary response depends on).
		if hop == 0 && e.cache != nil && e.method == "GET" && e.cache.fresh(e.urlStr, req.Header, e.start) {
			return errFresh
		}
	}
	e.r0, e.w0 = st.read.Load(), st.written.Load()
	st.proxy = h.proxyURL(e.c, e.u.Hostname())
	local, err := h.localAddr(e.c)
	if err != nil {
		return err
	}
	st.setLocal(local)
	st.pickAlias(e.c)
	st.begin(e.cto, e.rto, e.dns)
	if hop == 0 {
		st.startedAt = e.start // saves getConn a clock read
	}
	resp, err := st.roundTrip(ctx, h, e.req, e.body)
	e.resp = resp
	if st.gotConn && !st.reused {
		e.connect = st.connAt.Sub(e.start)
	}
	return err
}

// answerDigest answers a Digest challenge once, inside the same sample;
// true when the request is to be sent again.
func (h *HTTP) answerDigest(st *HTTPState, e *exState) bool {
	resp := e.resp
	if resp.StatusCode != 401 || h.auth == nil || e.digestTry {
		return false
	}
	ae, key := h.auth.match(e.c, e.u, e.urlStr)
	if ae == nil || !ae.digest {
		return false
	}
	ch := parseDigest(resp.Header.Get("WWW-Authenticate"))
	if ch == nil {
		return false
	}
	e.digestTry = true
	drain(resp)
	st.end()
	if st.digest == nil {
		st.digest = map[string]*digestChallenge{}
	}
	st.digest[key] = ch
	return true
}

// autoRedirect follows a redirect within the sample when auto_redirects
// is on, as HttpClient does (LaxRedirectStrategy): again reports whether
// another hop is to be sent; err fails the sample.
func (h *HTTP) autoRedirect(st *HTTPState, e *exState, hop int) (again bool, err error) {
	resp := e.resp
	if !h.auto || !autoRedirect(resp.StatusCode, e.method) {
		return false, nil
	}
	loc := resp.Header.Get("Location")
	next, perr := e.u.Parse(encodeSpaces(loc))
	if loc == "" || perr != nil || next.Host == "" {
		return false, nil // HttpClient returns the redirect response itself
	}
	next.Fragment = ""
	if e.visited == nil {
		e.visited = map[string]bool{} // the first URL is not in it, as in HttpClient
	}
	switch ns := next.String(); {
	case e.visited[ns]:
		err = &javaError{"org.apache.http.client.ClientProtocolException", "org.apache.http.client.CircularRedirectException: Circular redirect to '" + ns + "'"}
	case hop >= h.maxRedirects:
		err = &javaError{"org.apache.http.client.ClientProtocolException", "org.apache.http.client.RedirectException: Maximum redirects (" + strconv.Itoa(h.maxRedirects) + ") exceeded"}
	default:
		e.visited[ns] = true
	}
	drain(resp)
	st.end()
	if err != nil {
		e.resp = nil
		return false, err
	}
	// HttpClient ignores cookies (JMeter registers no cookie spec with it):
	// Set-Cookie of intermediate responses is lost, and each hop repeats
	// the original request's headers, Cookie included.
	if resp.StatusCode != 307 && resp.StatusCode != 308 {
		if e.method != "HEAD" {
			e.method = "GET"
		}
		e.body = nil
	}
	e.u, e.urlStr = next, next.String()
	e.res.URL, e.res.Method = e.urlStr, e.method
	e.autoHdr = h.redirectHeaders(e.req, e.c, e.u, e.urlStr, e.body)
	return true, nil
}

// exchangeFailed is the sample of an exchange that got no response.
func (h *HTTP) exchangeFailed(st *HTTPState, e *exState, err error) *Result {
	res := e.res
	st.end()
	res.Elapsed = time.Since(e.start)
	res.Connect = e.connect
	if e.req != nil && !h.lean {
		res.RequestHeaders = h.requestHeaderText(e.req, e.body)
		res.SamplerData = samplerData(e.method, e.urlStr, e.body, res.Cookies)
	}
	setError(res, asJava(err, e.u))
	return res
}

// exchangeDone reads the response body and fills the sample from the response.
func (h *HTTP) exchangeDone(ctx context.Context, st *HTTPState, e *exState) *Result {
	res, resp, req := e.res, e.resp, e.req
	data, first, got, rerr := e.data, e.first, e.got, e.rerr
	end := time.Now()
	latency := end.Sub(e.start) // empty body: latency ends when reading finds nothing
	if !first.IsZero() {
		latency = first.Sub(e.start)
	}
	if b, ok := resp.Body.(*connBody); ok {
		b.at = end
	}
	resp.Body.Close()
	st.end()
	res.Elapsed = end.Sub(e.start)
	res.Latency = latency
	res.Connect = e.connect
	if !h.lean {
		res.RequestHeaders = h.requestHeaderText(req, e.body)
		res.SamplerData = samplerData(e.method, e.urlStr, e.body, res.Cookies)
		if e.body != nil {
			res.QueryString = e.body.shown
		}
	}
	if rerr != nil {
		if ctx.Err() != nil {
			rerr = context.Cause(ctx) // the run is stopping: the connection was closed under the read
		}
		je := asJava(rerr, e.u)
		if je.class == "org.apache.http.ConnectionClosedException" && resp.ContentLength >= 0 {
			je = &javaError{je.class, je.msg + " (expected: " + strconv.FormatInt(resp.ContentLength, 10) +
				"; received: " + strconv.FormatInt(got, 10) + ")"}
		}
		setError(res, je)
		return res
	}
	res.Bytes = st.read.Load() - e.r0
	res.SentBytes = st.written.Load() - e.w0
	if st.h2Used {
		// multiplexed frames: the head as text plus the body, as JMeter counts
		res.Bytes, res.SentBytes = int64(len(st.respHead))+got, st.h2Sent
	}
	res.ResponseHeaders = st.respHead // status line and headers as received
	res.ResponseCode = statusCode(resp.StatusCode)
	res.ResponseMessage = reasonPhrase(resp)
	res.Success = resp.StatusCode >= 200 && resp.StatusCode <= 399
	if !res.Success {
		res.ErrorCount = 1
	}
	if ct := lastHeader(resp.Header, "Content-Type"); ct != "" {
		res.ContentType = ct
		res.Encoding = charsetOf(ct)
		res.DataType = "text"
		if isBinaryType(ct) {
			res.DataType = "bin"
		}
	}
	if data != nil {
		if h.md5 {
			res.Body = data
		} else {
			res.Body = decodeBody(data, resp.Header.Get("Content-Encoding"), h.maxStore)
		}
	}
	if e.jar != nil {
		e.jar.store(e.c, e.u, resp.Header)
	}
	if e.cache != nil {
		e.cache.save(e.urlStr, e.method, resp.StatusCode, resp.Header, req.Header, end)
	}
	if isRedirect(res) {
		loc := lastHeader(resp.Header, "Location")
		if loc == "" {
			setError(res, &javaError{"java.lang.IllegalArgumentException", "Missing location header in redirect for " + e.method + " " + e.urlStr + " HTTP/1.1"})
			return res
		}
		res.RedirectLocation = loc
	}
	return res
}

// newRequest builds the request with JMeter's headers: Connection, the
// header managers', Content-Type of the entity, User-Agent, Cookie,
// conditional cache headers and Authorization.
func (h *HTTP) newRequest(ctx context.Context, c *functions.Context, st *HTTPState, u *url.URL, urlStr, method string, body *reqBody, res *Result, jar *cookieStore, cache *cacheStore) (*http.Request, error) {
	if !validMethod(method) {
		return nil, &javaError{"java.lang.IllegalArgumentException", "Unexpected method: '" + method + "'"}
	}
	// The request and its header map are scratch space, reused: nothing
	// holds them past the sample (redirect hops copy what they repeat).
	x := st.scratch()
	req := &x.req
	// Zeroed, then set field by field: a composite literal would be built
	// in a temporary on the stack, and a deeper stack per user costs memory
	// at 10,000 users.
	*req = http.Request{}
	req.Method, req.Proto, req.ProtoMajor, req.ProtoMinor = method, "HTTP/1.1", 1, 1
	hdr := x.reqHdr
	if hdr == nil {
		hdr = make(http.Header, len(h.headers)+4)
		x.reqHdr = hdr
	} else {
		clear(hdr)
	}
	if h.keepAlive {
		hdr["Connection"] = keepAliveValue[:1:1]
	} else {
		hdr["Connection"] = closeValue[:1:1]
		req.Close = true
	}
	host := ""
	for i := range h.headers {
		x := &h.headers[i]
		if x.name == "Host" {
			host = h.hostHeader(x.value.Eval(c), u)
			continue
		}
		if prev := hdr[x.name]; len(prev) == 0 && x.lit != nil {
			hdr[x.name] = x.lit[:1:1] // shared; an append copies
		} else {
			hdr[x.name] = append(prev, x.value.Eval(c))
		}
	}
	if body != nil && body.contentType != "" && (body.forceCT || len(hdr["Content-Type"]) == 0) {
		hdr["Content-Type"] = []string{body.contentType}
	}
	if !h.hasUA {
		hdr["User-Agent"] = h.uaValue[:1:1] // "" suppresses Go's default
	}
	if h.java && len(hdr["Accept"]) == 0 {
		hdr["Accept"] = javaAccept[:1:1]
	}
	if jar != nil {
		if ck := jar.header(c, u); ck != "" {
			hdr["Cookie"] = []string{ck}
			res.Cookies = ck
		}
	} else if v := hdr["Cookie"]; len(v) > 0 {
		res.Cookies = strings.Join(v, "; ")
	}
	if cache != nil {
		cache.conditional(urlStr, hdr)
	}
	if h.auth != nil && len(hdr["Authorization"]) == 0 {
		if ae, key := h.auth.match(c, u, urlStr); ae != nil && ae.unsupported == "" {
			if !ae.digest {
				hdr["Authorization"] = []string{basicAuth(ae.user.Eval(c), ae.pass.Eval(c))}
			} else if ch := st.digest[key]; ch != nil {
				hdr["Authorization"] = []string{ch.authorization(ae.user.Eval(c), ae.pass.Eval(c), method, u.RequestURI())}
			}
		}
	}
	req.URL = wireURL(u)
	req.Host = host
	req.Header = hdr
	if body != nil {
		req.ContentLength = body.size() // written by writeRequest
	}
	return req, nil
}

// Shared one-element header values; the [:1:1] slices make any append copy.
var (
	keepAliveValue = []string{"keep-alive"}
	closeValue     = []string{"close"}
	javaAccept     = []string{JavaAccept}
)

// hostHeader applies a Host header from a header manager as JMeter's HC4
// sampler does: the last ":digits" (after Java's split on ':') is the
// port, else the URL's; the port is dropped when it is the scheme's default
// (HttpClient writes Host from that virtual host), so "name:80" on an http
// URL is sent as "name". The value is not trimmed: JMeter does not trim it.
// The Java implementation sends the header as written.
func (h *HTTP) hostHeader(v string, u *url.URL) string {
	if h.java {
		return v
	}
	port := -1
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
	}
	name := v
	if i := strings.LastIndexByte(strings.TrimRight(v, ":"), ':'); i >= 0 {
		if n, ok := digits(v[i+1:]); ok {
			port = n
		}
	}
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		if _, ok := digits(v[i+1:]); ok {
			name = v[:i] // replaceFirst(":\\d+$", "")
		}
	}
	def := 80
	if u.Scheme == "https" {
		def = 443
	}
	if port < 0 || port == def {
		return name
	}
	return name + ":" + strconv.Itoa(port)
}

// digits parses a non-empty run of ASCII digits that fits an int32 (Java's
// Integer.parseInt).
func digits(s string) (int, bool) {
	if s == "" || len(s) > 10 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, n <= 1<<31-1
}

func (h *HTTP) timeout(c *functions.Context, t *functions.Template, def time.Duration) time.Duration {
	s := strings.TrimSpace(t.Eval(c))
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return def
	}
	return time.Duration(n) * time.Millisecond
}

// autoRedirect is HttpClient 4's LaxRedirectStrategy as JMeter configures
// it: 303 always; 301, 302, 307 and 308 for GET, POST, HEAD and DELETE.
func autoRedirect(code int, method string) bool {
	switch code {
	case 303:
		return true
	case 301, 302, 307, 308:
		return method == "GET" || method == "POST" || method == "HEAD" || method == "DELETE"
	}
	return false
}

// redirectHeaders are the headers an auto-redirect hop sends: the original
// request's (HttpClient copies them), without the entity's default
// Content-Type and with pre-emptive Basic auth for the new URL.
func (h *HTTP) redirectHeaders(prev *http.Request, c *functions.Context, u *url.URL, urlStr string, body *reqBody) http.Header {
	nh := make(http.Header, len(prev.Header))
	for k, v := range prev.Header {
		nh[k] = v
	}
	ctFromManager := false
	for i := range h.headers {
		if h.headers[i].name == "Content-Type" {
			ctFromManager = true
		}
	}
	if body == nil && !ctFromManager {
		delete(nh, "Content-Type")
	}
	delete(nh, "Authorization")
	if h.auth != nil {
		if ae, _ := h.auth.match(c, u, urlStr); ae != nil && !ae.digest && ae.unsupported == "" {
			nh["Authorization"] = []string{basicAuth(ae.user.Eval(c), ae.pass.Eval(c))}
		}
	}
	return nh
}

// redirectRequest builds an auto-redirect hop from the previous request.
func (h *HTTP) redirectRequest(prev *http.Request, hdr http.Header, u *url.URL, method string, body *reqBody) *http.Request {
	req := &http.Request{Method: method, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		URL: wireURL(u), Header: hdr, Host: prev.Host, Close: prev.Close}
	if body != nil {
		req.ContentLength = body.size()
	}
	return req
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// readBody reads the whole body (JMeter always does), keeping at most
// maxStore bytes unless the body is discarded, or only its MD5 with
// HTTPSampler.md5. first is when the first body bytes arrived (JMeter's
// latency end); zero for an empty body.
func (h *HTTP) readBody(st *HTTPState, resp *http.Response) (data []byte, first time.Time, got int64, err error) {
	if h.md5 {
		return h.readBodyMD5(resp)
	}
	keep := !h.discard
	var buf []byte
	if keep {
		size := int64(512)
		if n := resp.ContentLength; n >= 0 {
			size = n
		}
		buf = make([]byte, 0, min(size, h.maxStore)+1)
	}
	scratch := h.bufs.getScratch()
	for {
		var p []byte
		if keep && int64(len(buf)) < h.maxStore {
			if len(buf) == cap(buf) {
				buf = append(buf, 0)[:len(buf)]
			}
			p = buf[len(buf):cap(buf)]
			if room := h.maxStore - int64(len(buf)); int64(len(p)) > room {
				p = p[:room]
			}
		} else {
			p = *scratch // counted (and timed), not kept
		}
		n, rerr := resp.Body.Read(p)
		if n > 0 {
			if first.IsZero() {
				first = time.Now()
			}
			got += int64(n)
			if keep && int64(len(buf)) < h.maxStore {
				buf = buf[:len(buf)+n]
			}
		}
		if rerr != nil {
			if rerr == io.EOF {
				rerr = nil
			}
			h.bufs.putScratch(scratch)
			return buf, first, got, rerr
		}
	}
}

// readBodyMD5 reads the whole body and returns the hex MD5 of it as the data.
func (h *HTTP) readBodyMD5(resp *http.Response) (data []byte, first time.Time, got int64, err error) {
	scratch := h.bufs.getScratch()
	defer h.bufs.putScratch(scratch)
	sum := md5.New()
	for {
		n, rerr := resp.Body.Read(*scratch)
		if n > 0 {
			if first.IsZero() {
				first = time.Now()
			}
			got += int64(n)
			sum.Write((*scratch)[:n])
		}
		if rerr == io.EOF {
			return []byte(hex.EncodeToString(sum.Sum(nil))), first, got, nil
		}
		if rerr != nil {
			return nil, first, got, rerr
		}
	}
}

// decodeBody undoes a gzip, deflate or br Content-Encoding for the stored body,
// as JMeter's HttpClient does; bytes on the wire are counted before this.
// At most limit decoded bytes are kept, as JMeter stores at most
// httpsampler.max_bytes_to_store_per_request of the decoded stream: a small
// compressed body that expands to gigabytes (a decompression bomb) costs
// no more memory than any other body.
func decodeBody(data []byte, ce string, limit int64) []byte {
	ce = strings.ToLower(strings.TrimSpace(ce))
	var r io.Reader
	switch ce {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return data
		}
		r = zr
	case "deflate":
		r = flate.NewReader(bytes.NewReader(data))
	case "br":
		r = brotli.NewReader(bytes.NewReader(data))
	default:
		return data
	}
	out, err := io.ReadAll(io.LimitReader(r, limit))
	if err != nil && len(out) == 0 {
		return data
	}
	return out
}

func lastHeader(h http.Header, name string) string {
	v := h[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

func reasonPhrase(resp *http.Response) string {
	s := resp.Status
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return ""
}

// charsetOf extracts charset=… from a Content-Type.
func charsetOf(ct string) string {
	i := strings.Index(strings.ToLower(ct), "charset=")
	if i < 0 {
		return ""
	}
	cs := ct[i+len("charset="):]
	if j := strings.IndexByte(cs, ';'); j >= 0 {
		cs = cs[:j]
	}
	cs = strings.TrimSpace(cs)
	if len(cs) >= 2 && (cs[0] == '"' || cs[0] == '\'') {
		cs = cs[1 : len(cs)-1]
	}
	return cs
}

// isBinaryType is SampleResult.isBinaryType: image/, audio/ and video/ are
// binary except a few textual manifests and SVG.
func isBinaryType(ct string) bool {
	for _, t := range []string{"audio/x-mpegurl", "audio/mpegurl", "video/f4m", "image/svg+xml"} {
		if strings.HasPrefix(ct, t) {
			return false
		}
	}
	return strings.HasPrefix(ct, "image/") || strings.HasPrefix(ct, "audio/") || strings.HasPrefix(ct, "video/")
}

// requestHeaderText lists the request headers as JMeter shows them: the
// headers as written on the wire (HttpClient's order and names), one
// "Name: value" line each, Cookie left out.
func (h *HTTP) requestHeaderText(req *http.Request, body *reqBody) string {
	var buf bytes.Buffer
	bw := h.bufs.w.Get().(*bufio.Writer)
	bw.Reset(&buf)
	_ = h.writeRequestPart(bw, req, body, false, false)
	bw.Flush()
	bw.Reset(nil)
	h.bufs.w.Put(bw)
	head := buf.Bytes()
	if i := bytes.Index(head, []byte("\r\n")); i >= 0 {
		head = head[i+2:] // the request line
	}
	var b strings.Builder
	b.Grow(len(head))
	for len(head) > 0 {
		i := bytes.Index(head, []byte("\r\n"))
		if i <= 0 {
			break
		}
		line := head[:i]
		head = head[i+2:]
		if len(line) > 7 && strings.EqualFold(string(line[:7]), "cookie:") {
			continue
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// samplerData is HTTPSampleResult.getSamplerData: request line, the body
// for methods that may have one, and the cookies sent.
func samplerData(method, urlStr string, body *reqBody, cookies string) string {
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte(' ')
	b.WriteString(urlStr)
	b.WriteByte('\n')
	if method != "HEAD" && method != "OPTIONS" && method != "TRACE" {
		b.WriteString("\n")
		b.WriteString(method)
		b.WriteString(" data:\n")
		if body != nil {
			b.WriteString(body.shown)
		}
		b.WriteByte('\n')
	}
	if cookies != "" {
		b.WriteString("\nCookie Data:\n")
		b.WriteString(cookies)
	} else {
		b.WriteString("\n[no cookies]")
	}
	b.WriteByte('\n')
	return b.String()
}

// validMethod reports whether m is an HTTP token, as a request method must be.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}

// wireURL is the URL HttpClient 4 puts on the request line: its URI
// normalisation drops empty path segments except a trailing one, so
// "/a//b/" goes out as "/a/b/". The sample keeps the URL the plan built.
func wireURL(u *url.URL) *url.URL {
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") || !strings.Contains(p, "//") {
		return u
	}
	segs := strings.Split(p[1:], "/")
	kept := segs[:0]
	for i, s := range segs {
		if s != "" || i == len(segs)-1 {
			kept = append(kept, s)
		}
	}
	raw := "/" + strings.Join(kept, "/")
	path, err := url.PathUnescape(raw)
	if err != nil {
		return u
	}
	v := *u
	v.Path, v.RawPath = path, raw
	return &v
}
