package sampler

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/datafile"
	"github.com/gometer/gometer/jmx"
)

// MaxStoredBody is the hard cap on the response body a sample keeps (after
// decoding), whatever httpsampler.max_bytes_to_store_per_request says.
const MaxStoredBody = 1 << 30

// PropTimeoutPerRead, when "true", applies the response timeout to each
// read only, as JMeter's socket timeout does; by default it also bounds the
// whole response, so that a body trickling in a byte at a time cannot hold
// a sample (and the run) beyond it.
const PropTimeoutPerRead = "gometer.response_timeout_per_read"

// The HTTP sampler follows JMeter 5.6.3's HttpClient 4 implementation
// (HTTPSamplerBase, HTTPHC4Impl): requests are written as HC4 writes them
// (header order and names) on the user's own keep-alive connections, and
// side-by-side runs against the same server give byte-identical requests,
// bytes and sentBytes. Where gometer knowingly differs:
//   - User-Agent names Java 17.0.15, the JVM of the reference JMeter run
//     (property gometer.http.user_agent changes it);
//   - the error body is one line (class: message), not a Java stack trace,
//     so a failed sample's byte count (its body length) is smaller;
//   - the stored body is bounded (httpsampler.max_bytes_to_store_per_request,
//     default 10 MB here, unbounded in JMeter); all bytes are counted;
//   - HTTP/1.1 only, like HC4; no Kerberos or NTLM.

// DefaultUserAgent is what JMeter 5.6.3's HttpClient 4 sends when no header
// manager sets a User-Agent (httpclient4.default_user_agent_disabled=false).
// Property gometer.http.user_agent replaces it.
const DefaultUserAgent = "Apache-HttpClient/4.5.14 (Java/17.0.15)"

// HTTPOptions are the config elements in scope of one HTTP sampler and the
// run-wide settings it needs.
type HTTPOptions struct {
	Headers []*jmx.Element // HeaderManager elements in scope, innermost first (inner wins per header name, case-insensitive)
	Cookies *jmx.Element   // CookieManager in scope (outermost wins — the engine picks it), nil = no cookie handling
	Cache   *jmx.Element   // CacheManager or nil
	Auth    *jmx.Element   // AuthManager or nil
	DNS     *jmx.Element   // DNSCacheManager or nil
	Props   *functions.Properties
	// TLSVerify turns certificate verification on (JMeter accepts any certificate).
	TLSVerify bool
	// Proxy is the run-wide proxy (command line or system properties), nil
	// for none; the sampler's own proxy settings win over it.
	Proxy *Proxy
	// DiscardBody: nothing in scope reads the response body (no extractor,
	// assertion or listener that saves it), so it is counted but not kept.
	DiscardBody bool
	// Lean skips the text fields only readers of request details use
	// (RequestHeaders, SamplerData); response headers are still kept.
	Lean bool
	// HTTP2 is when the sampler speaks HTTP/2 (gometer.http2, or a
	// BlazeMeter HTTP/2 sampler).
	HTTP2 HTTP2Mode
	// MergedArguments is how many of the element's arguments, at the end,
	// were merged from HTTP Request Defaults in scope: a script that removes
	// one of those removes it for one sample only, as JMeter merges them
	// into the sampler anew for every sample.
	MergedArguments int
}

// HTTP is a compiled HTTPSamplerProxy. It is immutable and shared by all
// virtual users; per-user state lives in the Session's HTTPState.
type HTTP struct {
	el *jmx.Element

	label, protocol, domain, port, path, method, encoding   *functions.Template
	connectTO, responseTO                                   *functions.Template
	proxyScheme, proxyHost, proxyPort, proxyUser, proxyPass *functions.Template
	ipSource                                                *functions.Template
	ipSourceType                                            int64

	args             []httpArg
	mergedArgs       int // the last mergedArgs of args came from HTTP Request Defaults
	files            []fileArg
	postBodyRaw      bool
	multipart        bool
	browserMultipart bool
	follow, auto     bool
	keepAlive        bool
	java             bool // HTTPJavaImpl: HttpURLConnection's headers, bodies and URLs

	headers       []httpHeader
	hasUA         bool         // a header manager sets User-Agent
	headerManager bool         // a header manager is in scope
	mgrs          []headerList // each header manager in scope, innermost first

	cookies *cookieConfig
	cache   *cacheConfig
	auth    *authConfig
	dns     *dnsConfig

	maxRedirects   int
	maxStore       int64
	defaultTimeout time.Duration
	timeoutPerRead bool // PropTimeoutPerRead: JMeter's socket timeout only
	userAgent      string
	uaValue        []string // userAgent as a header value, built once
	bufs           *bufPools
	tlsVerify      bool
	staticProxy    *Proxy
	props          *functions.Properties
	discard        bool
	md5            bool // HTTPSampler.md5: keep only the MD5 of the body
	imageParser    bool // HTTPSampler.image_parser: fetch embedded resources
	embedded       embeddedConfig
	lean           bool
	http2          HTTP2Mode
	baseDir        string // directory of the plan, for relative file paths
	maxFile        int64  // largest body or upload file (datafile.PropMaxMB)

	// urlList, for the Parallel HTTP Requests plugin sampler, replaces the
	// request with downloads of these URLs (see NewParallelHTTP).
	urlList []*functions.Template

	// When every part of the URL is literal it is built and parsed once.
	staticURL    string
	staticParsed *url.URL
	staticErr    error
}

type httpArg struct {
	name, value *functions.Template
	encode      bool   // HTTPArgument.always_encode
	meta        string // Argument.metadata: "=" between name and value
	contentType string // HTTPArgument.content_type for multipart parts
}

type fileArg struct {
	path, param, mime *functions.Template
}

type httpHeader struct {
	name  string // canonical
	wire  string // as written in the plan, sent on the wire
	value *functions.Template
	lit   []string // the value as a shared one-element slice when it is literal
}

// headerList is the headers of one header manager.
type headerList struct {
	el   *jmx.Element
	list []httpHeader
}

// mergeHeaders merges the header managers in scope, innermost first, as
// JMeter's HeaderManager.merge: the innermost manager keeps every entry
// (repeated names too); an outer one adds a name only when nothing merged
// so far has it, so of its own repeats the first wins. Content-Length is
// never sent from a manager. It reports whether User-Agent is set.
func mergeHeaders(lists [][]httpHeader) ([]httpHeader, bool) {
	var out []httpHeader
	seen := map[string]bool{}
	for mi, list := range lists {
		n := len(out)
		for _, hh := range list {
			if seen[hh.name] || hh.name == "Content-Length" {
				continue
			}
			out = append(out, hh)
			if mi > 0 {
				seen[hh.name] = true
			}
		}
		for _, x := range out[n:] {
			seen[x.name] = true
		}
	}
	return out, seen["User-Agent"]
}

// NewHTTP compiles an HTTPSamplerProxy element (already merged with HTTP
// Request Defaults by the engine). Every template is compiled here, once.
func NewHTTP(el *jmx.Element, opt HTTPOptions) (*HTTP, error) {
	el = lastPropsWin(el)
	h := &HTTP{el: el, props: opt.Props, tlsVerify: opt.TLSVerify, staticProxy: opt.Proxy, discard: opt.DiscardBody, lean: opt.Lean, http2: opt.HTTP2,
		mergedArgs: opt.MergedArguments}
	if el.File != "" {
		h.baseDir = filepath.Dir(el.File)
	}
	where := func(what string, err error) error {
		return fmt.Errorf("%s (%s): %s: %w", el.Path(), el.Where(), what, err)
	}
	var err error
	for _, f := range []struct {
		dst  **functions.Template
		prop string
		def  string
	}{
		{&h.protocol, "HTTPSampler.protocol", ""},
		{&h.domain, "HTTPSampler.domain", ""},
		{&h.port, "HTTPSampler.port", ""},
		{&h.path, "HTTPSampler.path", ""},
		{&h.method, "HTTPSampler.method", "GET"},
		{&h.encoding, "HTTPSampler.contentEncoding", ""},
		{&h.connectTO, "HTTPSampler.connect_timeout", ""},
		{&h.responseTO, "HTTPSampler.response_timeout", ""},
		{&h.proxyScheme, "HTTPSampler.proxyScheme", ""},
		{&h.proxyHost, "HTTPSampler.proxyHost", ""},
		{&h.proxyPort, "HTTPSampler.proxyPort", ""},
		{&h.proxyUser, "HTTPSampler.proxyUser", ""},
		{&h.proxyPass, "HTTPSampler.proxyPass", ""},
		{&h.ipSource, "HTTPSampler.ipSource", ""},
	} {
		if *f.dst, err = functions.Compile(el.StrOr(f.prop, f.def)); err != nil {
			return nil, where(f.prop, err)
		}
	}
	if h.label, err = functions.Compile(el.Name); err != nil {
		return nil, where("name", err)
	}
	if h.java, err = IsJavaImplementation(el, opt.Props); err != nil {
		return nil, fmt.Errorf("%s (%s): %w", el.Path(), el.Where(), err)
	}
	h.postBodyRaw = el.Bool("HTTPSampler.postBodyRaw", false)
	h.multipart = el.Bool("HTTPSampler.DO_MULTIPART_POST", false)
	h.browserMultipart = el.Bool("HTTPSampler.BROWSER_COMPATIBLE_MULTIPART", false)
	h.follow = el.Bool("HTTPSampler.follow_redirects", false)
	h.auto = el.Bool("HTTPSampler.auto_redirects", false)
	if h.auto {
		h.follow = false
	}
	h.keepAlive = el.Bool("HTTPSampler.use_keepalive", false)
	h.md5 = el.Bool("HTTPSampler.md5", false)
	h.ipSourceType = el.Int("HTTPSampler.ipSourceType", 0)
	h.imageParser = el.Bool("HTTPSampler.image_parser", false)
	if h.imageParser {
		h.discard = false // the page is parsed for its resources
	}
	if h.embedded.allow, err = functions.Compile(el.Str("HTTPSampler.embedded_url_re")); err != nil {
		return nil, where("HTTPSampler.embedded_url_re", err)
	}
	if h.embedded.exclude, err = functions.Compile(el.Str("HTTPSampler.embedded_url_exclude_re")); err != nil {
		return nil, where("HTTPSampler.embedded_url_exclude_re", err)
	}
	if h.embedded.concurrent, err = functions.Compile(el.Str("HTTPSampler.concurrentDwn")); err != nil {
		return nil, where("HTTPSampler.concurrentDwn", err)
	}
	if h.embedded.poolSize, err = functions.Compile(el.StrOr("HTTPSampler.concurrentPool", "6")); err != nil {
		return nil, where("HTTPSampler.concurrentPool", err)
	}
	if h.embedded.allow.IsLiteral() {
		h.embedded.allowRE = matcher(h.embedded.allow.Eval(nil))
	}
	if h.embedded.exclude.IsLiteral() {
		h.embedded.excludeRE = matcher(h.embedded.exclude.Eval(nil))
	}
	h.embedded.maxDepth = propInt(opt.Props, "httpsampler.max_frame_depth", 5)
	h.embedded.ignoreFailed = opt.Props != nil &&
		strings.EqualFold(strings.TrimSpace(opt.Props.GetOr("httpsampler.ignore_failed_embedded_resources", "false")), "true")

	if args := el.Elem("HTTPsampler.Arguments"); args != nil {
		for i, item := range args.Collection("Arguments.arguments") {
			a := item.Elem
			if a == nil {
				continue
			}
			var ha httpArg
			if ha.name, err = functions.Compile(a.Str("Argument.name")); err != nil {
				return nil, where(fmt.Sprintf("argument %d name", i+1), err)
			}
			if ha.value, err = functions.Compile(a.Str("Argument.value")); err != nil {
				return nil, where(fmt.Sprintf("argument %d value", i+1), err)
			}
			ha.encode = a.Bool("HTTPArgument.always_encode", false)
			ha.meta = a.StrOr("Argument.metadata", "=")
			if !a.Has("Argument.metadata") && a.Has("HTTPArgument.use_equals") && !a.Bool("HTTPArgument.use_equals", true) {
				ha.meta = ""
			}
			ha.contentType = a.StrOr("HTTPArgument.content_type", "text/plain")
			h.args = append(h.args, ha)
		}
	}
	if files := el.Elem("HTTPsampler.Files"); files != nil {
		for i, item := range files.Collection("HTTPFileArgs.files") {
			f := item.Elem
			if f == nil {
				continue
			}
			var fa fileArg
			for _, x := range []struct {
				dst  **functions.Template
				prop string
			}{{&fa.path, "File.path"}, {&fa.param, "File.paramname"}, {&fa.mime, "File.mimetype"}} {
				if *x.dst, err = functions.Compile(f.Str(x.prop)); err != nil {
					return nil, where(fmt.Sprintf("file %d %s", i+1, x.prop), err)
				}
			}
			h.files = append(h.files, fa)
		}
	}
	h.maxFile = datafile.DefaultMax
	if opt.Props != nil {
		h.maxFile = datafile.Limit(opt.Props.Get)
	}
	// A literal file that is a device, a pipe or too large is refused at
	// load; a missing one fails its samples, as in JMeter.
	for i, fa := range h.files {
		if fa.path.IsLiteral() && fa.path.Raw() != "" {
			if _, err := datafile.Check(h.resolve(fa.path.Raw()), h.maxFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, where(fmt.Sprintf("file %d File.path", i+1), err)
			}
		}
	}

	// Header managers: inner wins per header name (mergeHeaders).
	for _, hm := range opt.Headers {
		var list []httpHeader
		for i, item := range hm.Collection("HeaderManager.headers") {
			he := item.Elem
			if he == nil {
				continue
			}
			name := strings.TrimSpace(he.Str("Header.name"))
			if name == "" {
				continue
			}
			v, err := functions.Compile(he.Str("Header.value"))
			if err != nil {
				return nil, fmt.Errorf("%s (%s): header %d %q: %w", hm.Path(), hm.Where(), i+1, name, err)
			}
			hh := httpHeader{name: http.CanonicalHeaderKey(name), wire: name, value: v}
			if v.IsLiteral() {
				hh.lit = []string{v.Eval(nil)}
			}
			list = append(list, hh)
		}
		h.mgrs = append(h.mgrs, headerList{el: hm, list: list})
	}
	lists := make([][]httpHeader, len(h.mgrs))
	for i, m := range h.mgrs {
		lists[i] = m.list
	}
	h.headers, h.hasUA = mergeHeaders(lists)
	h.headerManager = len(opt.Headers) > 0

	if opt.Cookies != nil {
		if h.cookies, err = compileCookies(opt.Cookies, opt.Props); err != nil {
			return nil, err
		}
		if h.cookies.ignore {
			h.cookies = nil
		}
	}
	if opt.Cache != nil {
		h.cache = compileCache(opt.Cache, opt.Props)
	}
	if opt.Auth != nil {
		if h.auth, err = compileAuth(opt.Auth); err != nil {
			return nil, err
		}
	}
	if opt.DNS != nil {
		if h.dns, err = compileDNS(opt.DNS); err != nil {
			return nil, err
		}
	}

	h.maxRedirects = propInt(opt.Props, "httpsampler.max_redirects", 20)
	h.maxStore = int64(propInt(opt.Props, "httpsampler.max_bytes_to_store_per_request", 10<<20))
	if h.maxStore <= 0 {
		h.maxStore = 10 << 20
	}
	h.maxStore = min(h.maxStore, MaxStoredBody)
	h.defaultTimeout = time.Duration(propInt(opt.Props, "httpclient.timeout", 0)) * time.Millisecond
	if opt.Props != nil {
		h.timeoutPerRead = strings.EqualFold(strings.TrimSpace(opt.Props.GetOr(PropTimeoutPerRead, "false")), "true")
	}
	h.userAgent = DefaultUserAgent
	if opt.Props != nil {
		if v, ok := opt.Props.Get("gometer.http.user_agent"); ok {
			h.userAgent = v
		}
		if strings.EqualFold(strings.TrimSpace(opt.Props.GetOr("httpclient4.default_user_agent_disabled", "false")), "true") {
			h.userAgent = ""
		}
	}
	if h.java && h.userAgent == DefaultUserAgent {
		h.userAgent = JavaUserAgent
	}
	h.uaValue = []string{h.userAgent}
	h.bufs = newBufPools()
	h.precomputeURL()
	return h, nil
}

// precomputeURL builds and parses the URL once when nothing in it depends
// on variables.
func (h *HTTP) precomputeURL() {
	for _, t := range []*functions.Template{h.protocol, h.domain, h.port, h.path, h.method, h.encoding} {
		if !t.IsLiteral() {
			return
		}
	}
	for i := range h.args {
		if !h.args[i].name.IsLiteral() || !h.args[i].value.IsLiteral() {
			return
		}
	}
	method, enc := h.methodEncoding(nil)
	s, err := h.buildURL(nil, method, enc)
	var u *url.URL
	if err == nil {
		u, err = h.parse(s)
	}
	h.staticURL, h.staticParsed, h.staticErr = s, u, err
}

// methodEncoding is the request method (default GET) and content encoding
// (default UTF-8).
func (h *HTTP) methodEncoding(c *functions.Context) (method, enc string) {
	method = strings.TrimSpace(h.method.Eval(c))
	if method == "" {
		method = "GET"
	}
	enc = strings.TrimSpace(h.encoding.Eval(c))
	if enc == "" {
		enc = "UTF-8"
	}
	return method, enc
}

func propInt(p *functions.Properties, name string, def int) int {
	if p == nil {
		return def
	}
	v, ok := p.Get(name)
	if !ok {
		return def
	}
	n, err := parseInt(v)
	if err != nil {
		return def
	}
	return int(n)
}

func parseInt(s string) (int64, error) { return strconv.ParseInt(strings.TrimSpace(s), 10, 64) }

// Sample performs the request for one virtual user.
func (h *HTTP) Sample(ctx context.Context, s *Session) *Result {
	s.httpState(h)
	st := s.HTTP
	if h.urlList != nil {
		return h.sampleURLList(ctx, s, st)
	}
	if e := st.next; e != nil { // pre-processors changed this sample (link parser, URL rewriting)
		st.next = nil
		if e.owner == h {
			return h.edited(s.Ctx, e, st).Sample(ctx, s)
		}
	}
	if st.dropped != nil || st.headerLists != nil { // scripts changed h's arguments or headers for this user
		if l, ok := h.forUser(st); ok {
			return l.Sample(ctx, s)
		}
	}
	c := s.Ctx
	label := h.label.Eval(c)
	method, enc := h.methodEncoding(c)
	var (
		urlStr string
		u      *url.URL
		err    error
	)
	if h.staticURL != "" || h.staticErr != nil {
		urlStr, err = h.staticURL, h.staticErr
		if err == nil {
			cp := *h.staticParsed
			u = &cp
		}
	} else {
		urlStr, err = h.buildURL(c, method, enc)
		if err == nil && h.java {
			u, err = parseJavaURL(urlStr)
		} else if err == nil {
			u, err = st.parsedURL(urlStr)
		}
	}
	if err != nil {
		res := &Result{Label: label, Start: time.Now(), Method: method, URL: urlStr, SampleCount: 1}
		setError(res, err)
		return res
	}
	body, err := h.buildBody(c, method, enc)
	if err != nil {
		res := &Result{Label: label, Start: time.Now(), Method: method, URL: urlStr, SampleCount: 1}
		setError(res, err)
		return res
	}
	return h.fetch(ctx, s, st, u, urlStr, method, body, 0, label)
}

// fetch is HTTPSamplerBase.sample(url, method, false, depth): one request,
// then its redirects and embedded resources as configured. nil means the URL
// was fresh in the cache and JMeter records no sample.
func (h *HTTP) fetch(ctx context.Context, s *Session, st *HTTPState, u *url.URL, urlStr, method string, body *reqBody, depth int, label string) *Result {
	res := h.exchange(ctx, s, st, u, urlStr, method, body)
	if res == nil {
		return nil
	}
	if h.follow && isRedirect(res) {
		res = h.followRedirects(ctx, s, st, res, label)
	}
	if h.imageParser && res.Success && res.DataType == "text" {
		if depth > h.embedded.maxDepth {
			cp := *res
			cp.Subs = nil
			setError(&cp, &javaError{"java.lang.Exception", "Maximum frame/iframe nesting depth exceeded."})
			res.Subs = append(res.Subs, &cp)
			res.Bytes += cp.Bytes
			for i, sr := range res.Subs {
				sr.Label = label + "-" + strconv.Itoa(i)
			}
		} else {
			res = h.downloadResources(ctx, s, st, res, depth, label)
		}
	}
	res.Label = label
	return res
}

// isRedirect is HTTPSampleResult.isRedirect: 301, 302, 303, 308, and 307
// for GET and HEAD.
func isRedirect(r *Result) bool {
	switch r.ResponseCode {
	case "301", "302", "303", "308":
		return true
	case "307":
		return r.Method == "GET" || r.Method == "HEAD"
	}
	return false
}

// followRedirects follows a redirect chain as JMeter's follow_redirects
// does: each request becomes a sub-result (<label>-0, <label>-1 …) and the
// parent takes the last hop's response with bytes summed and time spanning.
func (h *HTTP) followRedirects(ctx context.Context, s *Session, st *HTTPState, first *Result, label string) *Result {
	total := *first
	total.Subs = nil
	subs := []*Result{first}
	last := first
	end := first.End()
	n := 0
	for ; n < h.maxRedirects; n++ {
		loc := encodeSpaces(removeSlashDotDot(last.RedirectLocation))
		method := "GET"
		if last.Method == "HEAD" {
			method = "HEAD"
		}
		base, err := url.Parse(last.URL)
		var next *url.URL
		if p, bad := badPort(loc); bad {
			setError(last, &javaError{"java.net.MalformedURLException", `For input string: "` + p + `"`})
			break
		}
		if err == nil {
			next, err = base.Parse(loc)
		}
		if err == nil && next.Host == "" {
			err = fmt.Errorf("%w: no host in %q", errBadURI, loc)
		}
		if err != nil {
			setError(last, uriError(err))
			break
		}
		next.Fragment = ""
		hop := h.exchange(ctx, s, st, next, next.String(), method, nil)
		if hop == nil {
			break
		}
		last = hop
		subs = append(subs, hop)
		total.Bytes += hop.Bytes
		total.SentBytes += hop.SentBytes
		if e := hop.End(); e.After(end) {
			end = e
		}
		if !isRedirect(hop) {
			break
		}
	}
	if n >= h.maxRedirects {
		x := *last
		x.Subs = nil
		setError(&x, &javaError{"java.io.IOException", "Exceeded maximum number of redirects: " + strconv.Itoa(h.maxRedirects)})
		last = &x
		subs = append(subs, last)
		total.Bytes += x.Bytes
		total.SentBytes += x.SentBytes
	}
	for i, sr := range subs {
		sr.Label = label + "-" + strconv.Itoa(i)
	}
	total.Subs = subs
	total.Elapsed = end.Sub(total.Start)
	total.URL = last.URL
	total.Method = last.Method
	total.RequestHeaders = last.RequestHeaders
	total.SamplerData = last.SamplerData
	total.QueryString = last.QueryString
	total.Body = last.Body
	total.ResponseCode = last.ResponseCode
	total.Success = last.Success
	total.ResponseMessage = last.ResponseMessage
	total.DataType = last.DataType
	total.ResponseHeaders = last.ResponseHeaders
	total.ContentType = last.ContentType
	total.Encoding = last.Encoding
	total.RedirectLocation = last.RedirectLocation
	total.ErrorCount = 0
	if !total.Success {
		total.ErrorCount = 1
	}
	return &total
}

// buildURL is HTTPSamplerBase.getUrl: a full http(s) URL in the path wins
// (and then no arguments are added); otherwise protocol://domain[:port]/path,
// the port left out when it is the protocol's default, and for GET, DELETE
// and OPTIONS the arguments as a query string.
func (h *HTTP) buildURL(c *functions.Context, method, enc string) (string, error) {
	path := encodeSpaces(h.path.Eval(c)) // HTTPSamplerBase.getPath encodes spaces
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path, nil
	}
	protocol := strings.ToLower(strings.TrimSpace(h.protocol.Eval(c)))
	if protocol == "" {
		protocol = "http"
	}
	if protocol != "http" && protocol != "https" {
		return "", &javaError{"java.net.MalformedURLException", "unknown protocol: " + protocol}
	}
	// Not trimmed: JMeter builds the URL with the domain as written, so a
	// blank or spaced domain fails as a URISyntaxException (checkJavaURI).
	domain := h.domain.Eval(c)
	defPort := 80
	if protocol == "https" {
		defPort = 443
	}
	port, portText := defPort, ""
	if ps := strings.TrimSpace(h.port.Eval(c)); ps != "" {
		if p, err := strconv.Atoi(ps); err == nil && p > 0 {
			port = p
			if ps[0] != '0' && ps[0] != '+' {
				portText = ps // already as Itoa would print it
			}
		}
	}
	var b strings.Builder
	b.Grow(len(protocol) + len(domain) + len(path) + 16)
	b.WriteString(protocol)
	b.WriteString("://")
	if strings.Contains(domain, ":") && !strings.HasPrefix(domain, "[") {
		b.WriteString("[" + domain + "]") // IPv6 literal, bracketed as java.net.URL does
	} else {
		b.WriteString(domain)
	}
	if port != defPort {
		b.WriteByte(':')
		if portText == "" {
			portText = strconv.Itoa(port)
		}
		b.WriteString(portText)
	}
	if !strings.HasPrefix(path, "/") {
		b.WriteByte('/')
	}
	b.WriteString(path)
	if method == "GET" || method == "DELETE" || method == "OPTIONS" {
		if len(h.args) > 0 {
			q := h.queryString(c, enc)
			if q != "" {
				if strings.Contains(path, "?") {
					b.WriteByte('&')
				} else {
					b.WriteByte('?')
				}
				b.WriteString(q)
			}
		}
	}
	if domain == "" {
		return b.String(), &javaError{"org.apache.http.client.ClientProtocolException", "Target host is not specified"}
	}
	return b.String(), nil
}

// queryString is HTTPSamplerBase.getQueryString: nameless arguments are
// skipped; names and values are URL-encoded (names in UTF-8, values in the
// content encoding) only when always_encode is set.
func (h *HTTP) queryString(c *functions.Context, enc string) string {
	var b strings.Builder
	first := true
	for i := range h.args {
		a := &h.args[i]
		name := a.name.Eval(c)
		if a.encode {
			name = javaURLEncode(name, "UTF-8")
		}
		if name == "" {
			continue
		}
		if !first {
			b.WriteByte('&')
		}
		first = false
		b.WriteString(name)
		value := a.value.Eval(c)
		meta := a.meta
		if meta == "" && value != "" {
			meta = "="
		}
		b.WriteString(meta)
		if a.encode {
			value = javaURLEncode(value, enc)
		}
		b.WriteString(value)
	}
	return b.String()
}

// parse checks and parses the sampler's own URL as its implementation does.
func (h *HTTP) parse(s string) (*url.URL, error) {
	if h.java {
		return parseJavaURL(s)
	}
	if err := checkJavaURI(s); err != nil {
		return nil, err
	}
	return parseURL(s)
}

// checkJavaURI fails as java.net.URL.toURI() does on the sampler's own
// URL: JMeter reports "Illegal character in query at index 35: …" for a
// space or other character a URI may not hold (non-ASCII letters are
// allowed and sent percent-encoded), and "Malformed escape pair" for a bad %.
func checkJavaURI(s string) error {
	part := "scheme"
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		part, start = "authority", i+3
	}
	for i := start; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '/' && part == "authority":
			part = "path"
		case ch == '?' && (part == "authority" || part == "path"):
			part = "query"
		case ch == '#' && part != "fragment":
			part = "fragment"
		case ch == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return &javaError{"java.net.URISyntaxException", "Malformed escape pair at index " + strconv.Itoa(i) + ": " + s}
			}
		case ch >= 0x80:
			// "other" characters are legal in java.net.URI
		case ch <= ' ' || ch == 0x7f || strings.IndexByte("\"<>\\^`{|}", ch) >= 0,
			(ch == '[' || ch == ']') && part == "path":
			return &javaError{"java.net.URISyntaxException", "Illegal character in " + part + " at index " + strconv.Itoa(i) + ": " + s}
		}
	}
	return nil
}

// parseURL parses a request URL, escaping what a browser (and JMeter's
// URL sanitising for redirects and embedded resources) would: spaces and
// other characters not allowed in a URI.
func parseURL(s string) (*url.URL, error) {
	if p, bad := badPort(s); bad {
		// java.net.URL parses the port as an int before anything else.
		return nil, &javaError{"java.net.MalformedURLException", `For input string: "` + p + `"`}
	}
	u, err := url.Parse(sanitizeURL(s))
	if err != nil {
		return nil, uriError(err)
	}
	if u.Host == "" {
		return nil, &javaError{"org.apache.http.client.ClientProtocolException", "Target host is not specified"}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &javaError{"java.net.MalformedURLException", "unknown protocol: " + u.Scheme}
	}
	// java.net.URL takes any port; the socket address refuses it.
	if p, err := strconv.Atoi(u.Port()); err == nil && p > 65535 {
		return nil, &javaError{"java.lang.IllegalArgumentException", "port out of range:" + u.Port()}
	}
	u.Fragment = ""
	return u, nil
}

// badPort reports an authority whose port is not a number, as in
// "http://host:${port}/" (java.net.URL refuses it; a bad host it accepts).
func badPort(s string) (string, bool) {
	i := strings.Index(s, "://")
	if i < 0 {
		return "", false
	}
	auth := s[i+3:]
	if j := strings.IndexAny(auth, "/?#"); j >= 0 {
		auth = auth[:j]
	}
	if k := strings.LastIndexByte(auth, '@'); k >= 0 {
		auth = auth[k+1:]
	}
	if strings.HasPrefix(auth, "[") { // IPv6 literal
		k := strings.IndexByte(auth, ']')
		if k < 0 {
			return "", false
		}
		auth = auth[k+1:]
	}
	k := strings.LastIndexByte(auth, ':')
	if k < 0 || k == len(auth)-1 {
		return "", false
	}
	p := auth[k+1:]
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return p, true
		}
	}
	return "", false
}

// sanitizeURL percent-encodes bytes that may not appear in a URI (space,
// quotes, braces, non-ASCII …); existing %XX escapes are kept.
func sanitizeURL(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if needsEscape(s[i]) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+16)
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if needsEscape(ch) {
			b = append(b, '%', hex[ch>>4], hex[ch&15])
		} else {
			b = append(b, ch)
		}
	}
	return string(b)
}

func needsEscape(ch byte) bool {
	if ch <= ' ' || ch >= 0x7f {
		return true
	}
	switch ch {
	case '"', '<', '>', '\\', '^', '`', '{', '|', '}':
		return true
	}
	return false
}

// encodeSpaces replaces spaces in a Location with %20, as browsers do.
func encodeSpaces(s string) string { return strings.ReplaceAll(s, " ", "%20") }

// removeSlashDotDot resolves "/../" and "/./" segments in a Location's path
// (httpsampler.redirect.removeslashdotdot, default true).
func removeSlashDotDot(loc string) string {
	if !strings.Contains(loc, "/.") {
		return loc
	}
	u, err := url.Parse(loc)
	if err != nil || u.Path == "" {
		return loc
	}
	ref := &url.URL{Path: u.Path}
	base := &url.URL{Path: "/"}
	if !strings.HasPrefix(u.Path, "/") {
		return loc
	}
	u.Path = base.ResolveReference(ref).Path
	u.RawPath = ""
	return u.String()
}

// proxyURL is the sampler's own proxy (HTTPSampler.proxyHost …), else the
// run-wide one unless target is one of its excluded hosts, or nil.
func (h *HTTP) proxyURL(c *functions.Context, target string) *url.URL {
	host := strings.TrimSpace(h.proxyHost.Eval(c))
	if host == "" {
		return h.staticProxy.For(target)
	}
	scheme := strings.ToLower(strings.TrimSpace(h.proxyScheme.Eval(c)))
	if scheme == "" {
		scheme = "http"
	}
	port := strings.TrimSpace(h.proxyPort.Eval(c))
	if n, err := strconv.Atoi(port); err != nil || n <= 0 {
		port = "8080" // JMeter's default proxy port
	}
	u := &url.URL{Scheme: scheme, Host: net.JoinHostPort(host, port)}
	if user := h.proxyUser.Eval(c); user != "" {
		u.User = url.UserPassword(user, h.proxyPass.Eval(c))
	}
	return u
}

// localAddr is the source address of HTTPSampler.ipSource: a host name or
// IP (type 0), or the first address of a network interface (1 any, 2 IPv4,
// 3 IPv6); nil when unset. A name that does not resolve, or an interface
// that is missing or lacks such an address, fails the sample with JMeter's
// java.net.UnknownHostException.
func (h *HTTP) localAddr(c *functions.Context) (net.IP, error) {
	src := strings.TrimSpace(h.ipSource.Eval(c))
	if src == "" {
		return nil, nil
	}
	if h.ipSourceType <= 0 || h.ipSourceType > 3 {
		if ip := net.ParseIP(src); ip != nil {
			return ip, nil
		}
		a, err := net.ResolveIPAddr("ip", src)
		if err != nil {
			return nil, &javaError{"java.net.UnknownHostException", src + ": Name or service not known"}
		}
		return a.IP, nil
	}
	ifc, err := net.InterfaceByName(src)
	if err != nil {
		return nil, &javaError{"java.net.UnknownHostException", "Cannot find interface " + src}
	}
	addrs, _ := ifc.Addrs()
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		v4 := ipn.IP.To4() != nil
		if h.ipSourceType == 1 || (h.ipSourceType == 2 && v4) || (h.ipSourceType == 3 && !v4) {
			return ipn.IP, nil
		}
	}
	kind := map[int64]string{1: "InetAddress", 2: "Inet4Address", 3: "Inet6Address"}[h.ipSourceType]
	return nil, &javaError{"java.net.UnknownHostException", "Interface " + src + " does not have address of type " + kind}
}

// lastPropsWin returns el with repeated properties reduced to their last
// occurrence: JMeter sets properties in file order, so a later one with the
// same name replaces an earlier one. el itself is returned when no name repeats.
func lastPropsWin(el *jmx.Element) *jmx.Element {
	seen := make(map[string]int, len(el.Props))
	dup := false
	for i, p := range el.Props {
		if _, ok := seen[p.Name]; ok {
			dup = true
		}
		seen[p.Name] = i
	}
	if !dup {
		return el
	}
	cp := *el
	cp.Props = make([]*jmx.Property, 0, len(seen))
	for i, p := range el.Props {
		if seen[p.Name] == i {
			cp.Props = append(cp.Props, p)
		}
	}
	return &cp
}
