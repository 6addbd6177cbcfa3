package script

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gometer/gometer/script/java"
)

// HTTPRequest is the current HTTP sampler as a script sees it through
// `sampler`, for one sample of one user: the sampler package builds it
// from the sampler's settings, scripts read and change it, and the engine
// hands a changed request back to the sampler before the sample is taken.
// As in JMeter, a change lasts for this sample only (JMeter restores the
// sampler's running version after each sample), except the removal of one
// of the sampler's own arguments, which the sampler keeps for the user.
type HTTPRequest struct {
	Method, Protocol, Domain, Path, Encoding string
	Port                                     string // as written; "" is the protocol's default
	FollowRedirects, AutoRedirects           bool
	KeepAlive, PostBodyRaw                   bool
	Args                                     *Arguments
	// Headers is the header manager in scope (the merged one when several
	// are), nil when there is none; Cookies the cookie manager, likewise.
	Headers *HeaderManager
	Cookies *CookieManager
	// URLOf builds the URL JMeter's getUrl() gives for the request.
	URLOf func(*HTTPRequest) (string, error)
	// Changed is set by every change a script makes, HeadersChanged by
	// those to the header manager.
	Changed, HeadersChanged bool
}

// Arguments is an HTTP sampler's argument list (JMeter's Arguments).
type Arguments struct {
	List []*Argument
	req  *HTTPRequest
}

// Argument is one argument. Orig is the index of the sampler's own
// argument it stands for, -1 for one a script added.
type Argument struct {
	Name, Value, Meta string
	Encode            bool
	ContentType       string
	Orig              int
	req               *HTTPRequest
}

// NewArguments makes the argument list of req.
func NewArguments(req *HTTPRequest, list []*Argument) *Arguments {
	for _, a := range list {
		a.req = req
	}
	return &Arguments{List: list, req: req}
}

func (r *HTTPRequest) changed() {
	if r != nil {
		r.Changed = true
	}
}

func (r *HTTPRequest) headersChanged() {
	if r != nil {
		r.Changed, r.HeadersChanged = true, true
	}
}

// JavaClass names the class JMeter's scripts see (sampler.getClass().getName()).
func (r *HTTPRequest) JavaClass() string { return httpSamplerClass }

const httpSamplerClass = "org.apache.jmeter.protocol.http.sampler.HTTPSamplerProxy"

func (a *Arguments) JavaClass() string { return "org.apache.jmeter.config.Arguments" }
func (a *Arguments) add(x *Argument) {
	x.req = a.req
	a.List = append(a.List, x)
	a.req.changed()
}
func (a *Arguments) GetArgumentCount() int { return len(a.List) }
func (a *Arguments) Size() int             { return len(a.List) }

// GetArgument returns the argument at i (null beyond the end).
func (a *Arguments) GetArgument(i int) *Argument {
	if i < 0 || i >= len(a.List) {
		return nil
	}
	return a.List[i]
}

// AddArgument adds an argument: (name, value[, metadata]) or an Argument.
func (a *Arguments) AddArgument(x any, more ...string) {
	switch v := x.(type) {
	case *Argument:
		a.add(v)
	default:
		arg := &Argument{Name: ToString(x), Meta: "=", Encode: true, Orig: -1}
		if len(more) > 0 {
			arg.Value = more[0]
		}
		if len(more) > 1 {
			arg.Meta = more[1]
		}
		a.add(arg)
	}
}

// RemoveArgument removes by index, by name, by name and value, or the
// given argument.
func (a *Arguments) RemoveArgument(x any, value ...string) {
	keep := a.List[:0]
	for i, arg := range a.List {
		var drop bool
		switch v := x.(type) {
		case int32:
			drop = i == int(v)
		case int:
			drop = i == v
		case int64:
			drop = int64(i) == v
		case *Argument:
			drop = arg == v || arg.Name == v.Name && arg.Value == v.Value
		default:
			drop = arg.Name == ToString(x) && (len(value) == 0 || arg.Value == value[0])
		}
		if !drop {
			keep = append(keep, arg)
		}
	}
	if len(keep) != len(a.List) {
		clear(a.List[len(keep):])
		a.List = keep
		a.req.changed()
	}
}

func (a *Arguments) RemoveAllArguments() {
	clear(a.List)
	a.List = a.List[:0]
	a.req.changed()
}

// GetArgumentsAsMap maps names to values (the first of a repeated name wins).
func (a *Arguments) GetArgumentsAsMap() map[string]any {
	m := make(map[string]any, len(a.List))
	for _, x := range a.List {
		if _, ok := m[x.Name]; !ok {
			m[x.Name] = x.Value
		}
	}
	return m
}

// ToString is Arguments.toString(): name=value pairs joined with &.
func (a *Arguments) ToString() string {
	var b strings.Builder
	for i, x := range a.List {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(x.Name)
		b.WriteString(x.Meta)
		b.WriteString(x.Value)
	}
	return b.String()
}
func (a *Arguments) String() string { return a.ToString() }

// NewHTTPArgument is `new HTTPArgument(name, value[, metadata[, alreadyEncoded]])`
// or `new Argument(name, value[, metadata])`.
func NewHTTPArgument(args []any) (any, error) {
	a := &Argument{Meta: "=", Encode: true, Orig: -1}
	if len(args) > 0 {
		a.Name = ToString(args[0])
	}
	if len(args) > 1 {
		a.Value = ToString(args[1])
	}
	if len(args) > 2 {
		if b, ok := args[2].(bool); ok {
			if b {
				a.Name, a.Value = queryDecode(a.Name), queryDecode(a.Value)
			}
		} else if args[2] != nil {
			a.Meta = ToString(args[2])
		}
	}
	return a, nil
}

func (a *Argument) JavaClass() string     { return "org.apache.jmeter.protocol.http.util.HTTPArgument" }
func (a *Argument) GetName() string       { return a.Name }
func (a *Argument) GetValue() string      { return a.Value }
func (a *Argument) GetMetaData() string   { return a.Meta }
func (a *Argument) IsAlwaysEncoded() bool { return a.Encode }
func (a *Argument) SetName(n string)      { a.Name = n; a.req.changed() }
func (a *Argument) SetValue(v string)     { a.Value = v; a.req.changed() }
func (a *Argument) SetMetaData(m string)  { a.Meta = m; a.req.changed() }
func (a *Argument) SetAlwaysEncoded(b bool) {
	a.Encode = b
	a.req.changed()
}
func (a *Argument) SetContentType(t string) { a.ContentType = t; a.req.changed() }
func (a *Argument) ToString() string        { return a.Name + a.Meta + a.Value }
func (a *Argument) String() string          { return a.ToString() }

// HeaderManager is the header manager of the current sampler.
type HeaderManager struct {
	List []*Header
	req  *HTTPRequest
}

// NewHeaderManager makes req's header manager.
func NewHeaderManager(req *HTTPRequest, list []*Header) *HeaderManager {
	m := &HeaderManager{List: list, req: req}
	for _, h := range list {
		h.m = m
	}
	return m
}

// Header is one header (JMeter's Header: name, value). Orig is the index
// of the manager's own header it stands for, -1 for one a script added.
type Header struct {
	Name, Value string
	Orig        int
	m           *HeaderManager
}

// NewHeader is `new Header(name, value)`.
func NewHeader(args []any) (any, error) {
	h := &Header{Orig: -1}
	if len(args) > 0 {
		h.Name = ToString(args[0])
	}
	if len(args) > 1 {
		h.Value = ToString(args[1])
	}
	return h, nil
}

func (h *Header) JavaClass() string { return "org.apache.jmeter.protocol.http.control.Header" }
func (h *Header) GetName() string   { return h.Name }
func (h *Header) GetValue() string  { return h.Value }
func (h *Header) SetName(n string) {
	h.Name = n
	if h.m != nil {
		h.m.req.headersChanged()
	}
}
func (h *Header) SetValue(v string) {
	h.Value = v
	if h.m != nil {
		h.m.req.headersChanged()
	}
}
func (h *Header) ToString() string { return h.Name + "\t" + h.Value }
func (h *Header) String() string   { return h.ToString() }

// headerProp is one entry of getHeaders() (a property whose object value
// is the header).
type headerProp struct{ h *Header }

func (p headerProp) GetName() string         { return p.h.Name }
func (p headerProp) GetStringValue() string  { return p.h.ToString() }
func (p headerProp) GetObjectValue() *Header { return p.h }
func (p headerProp) ToString() string        { return p.h.ToString() }
func (m *HeaderManager) JavaClass() string {
	return "org.apache.jmeter.protocol.http.control.HeaderManager"
}
func (m *HeaderManager) Size() int               { return len(m.List) }
func (m *HeaderManager) GetHeaders() []any       { return m.props() }
func (m *HeaderManager) GetHeader(i int) *Header { return m.Get(i) }

func (m *HeaderManager) props() []any {
	out := make([]any, len(m.List))
	for i, h := range m.List {
		out[i] = headerProp{h}
	}
	return out
}

// Get returns the header at i (null beyond the end).
func (m *HeaderManager) Get(i int) *Header {
	if i < 0 || i >= len(m.List) {
		return nil
	}
	return m.List[i]
}

// Add appends a header.
func (m *HeaderManager) Add(h *Header) {
	if h == nil {
		return
	}
	h.m = m
	m.List = append(m.List, h)
	m.req.headersChanged()
}

// Remove removes the header at i.
func (m *HeaderManager) Remove(i int) {
	if i < 0 || i >= len(m.List) {
		return
	}
	m.List = append(m.List[:i], m.List[i+1:]...)
	m.req.headersChanged()
}

// RemoveHeaderNamed removes every header of that name (any case).
func (m *HeaderManager) RemoveHeaderNamed(name string) {
	keep := m.List[:0]
	for _, h := range m.List {
		if !strings.EqualFold(h.Name, name) {
			keep = append(keep, h)
		}
	}
	if len(keep) != len(m.List) {
		clear(m.List[len(keep):])
		m.List = keep
		m.req.headersChanged()
	}
}

// GetFirstHeaderNamed returns the first header of that name (any case), or null.
func (m *HeaderManager) GetFirstHeaderNamed(name string) *Header {
	for _, h := range m.List {
		if strings.EqualFold(h.Name, name) {
			return h
		}
	}
	return nil
}

// Clear removes every header.
func (m *HeaderManager) Clear() {
	m.List = nil
	m.req.headersChanged()
}

// URL is the java.net.URL of getUrl().
type URL struct {
	s string
	u *url.URL
}

func (u *URL) JavaClass() string      { return "java.net.URL" }
func (u *URL) ToString() string       { return u.s }
func (u *URL) String() string         { return u.s }
func (u *URL) ToExternalForm() string { return u.s }
func (u *URL) GetProtocol() string    { return u.u.Scheme }
func (u *URL) GetHost() string        { return u.u.Hostname() }
func (u *URL) GetPath() string        { return u.u.EscapedPath() }
func (u *URL) GetAuthority() string   { return u.u.Host }

// GetQuery is the query, or null when there is none.
func (u *URL) GetQuery() any {
	if u.u.RawQuery == "" && !u.u.ForceQuery {
		return nil
	}
	return u.u.RawQuery
}

// GetFile is the path and query.
func (u *URL) GetFile() string {
	if q := u.GetQuery(); q != nil {
		return u.GetPath() + "?" + q.(string)
	}
	return u.GetPath()
}

// GetPort is the port, -1 when the URL names none.
func (u *URL) GetPort() int {
	if p := u.u.Port(); p != "" {
		n, _ := strconv.Atoi(p)
		return n
	}
	return -1
}

// GetDefaultPort is the protocol's port.
func (u *URL) GetDefaultPort() int {
	if u.u.Scheme == "https" {
		return 443
	}
	return 80
}

// queryDecode is URLDecoder.decode (UTF-8; a bad escape is kept as written).
func queryDecode(s string) string {
	if v, err := url.QueryUnescape(s); err == nil {
		return v
	}
	return s
}

// Sampler is `sampler`: the current sampler. For an HTTP sampler it reads
// and changes the request of the sample about to be taken.
type Sampler struct{ e *Env }

func (s *Sampler) r() *HTTPRequest {
	if s.e.Request != nil {
		if r := s.e.Request(); r != nil {
			return r
		}
	}
	// a sampler that is not HTTP: reads give nothing, changes go nowhere
	return &HTTPRequest{Args: &Arguments{}}
}

func (s *Sampler) GetName() string { return s.e.SamplerName }

// SetName renames the sample about to be taken.
func (s *Sampler) SetName(name string) {
	s.e.SamplerName = name
	if s.e.Rename != nil {
		s.e.Rename(name)
	}
}
func (s *Sampler) String() string   { return s.e.SamplerName }
func (s *Sampler) ToString() string { return s.e.SamplerName }

// GetClass is sampler.getClass() (JavaScript; the Java family answers it itself).
func (s *Sampler) GetClass() *ClassInfo {
	if s.e.Request != nil && s.e.Request() != nil {
		return &ClassInfo{Name: httpSamplerClass}
	}
	return &ClassInfo{Name: "org.apache.jmeter.samplers.AbstractSampler"}
}

// JavaClass names the sampler's JMeter class.
func (s *Sampler) JavaClass() string { return s.GetClass().Name }

// ClassInfo is a java.lang.Class.
type ClassInfo struct{ Name string }

func (c *ClassInfo) GetName() string { return c.Name }
func (c *ClassInfo) GetSimpleName() string {
	return c.Name[strings.LastIndexByte(c.Name, '.')+1:]
}
func (c *ClassInfo) ToString() string { return "class " + c.Name }

func (s *Sampler) GetMethod() string { return s.r().Method }
func (s *Sampler) SetMethod(m string) {
	r := s.r()
	r.Method = m
	r.changed()
}

// GetPath is the path with spaces as %20, as HTTPSamplerBase.getPath.
func (s *Sampler) GetPath() string { return strings.ReplaceAll(s.r().Path, " ", "%20") }

// SetPath sets the path; for a GET or DELETE whose path is not a full URL
// a query string becomes arguments (decoded as the given encoding, UTF-8
// by default).
func (s *Sampler) SetPath(p string, enc ...string) {
	r := s.r()
	full := strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://")
	if i := strings.IndexByte(p, '?'); i >= 0 && !full && (r.Method == "GET" || r.Method == "DELETE") {
		r.Path = p[:i]
		s.parseArguments(p[i+1:])
	} else {
		r.Path = p
	}
	r.changed()
}

// parseArguments adds the arguments of a query string, each decoded.
func (s *Sampler) parseArguments(q string) {
	for _, kv := range strings.Split(q, "&") {
		name, value, meta := kv, "", ""
		if i := strings.IndexByte(kv, '='); i >= 0 {
			name, value, meta = kv[:i], kv[i+1:], "="
		}
		if name != "" {
			s.AddEncodedArgument(name, value, meta)
		}
	}
}

func (s *Sampler) GetDomain() string { return s.r().Domain }
func (s *Sampler) SetDomain(d string) {
	r := s.r()
	r.Domain = d
	r.changed()
}

// GetProtocol is the protocol, http when unset.
func (s *Sampler) GetProtocol() string {
	if p := s.r().Protocol; p != "" {
		return p
	}
	return "http"
}
func (s *Sampler) SetProtocol(p string) {
	r := s.r()
	r.Protocol = strings.ToLower(p)
	r.changed()
}

// GetPort is the port, the protocol's default when unset.
func (s *Sampler) GetPort() int {
	if n, err := strconv.Atoi(strings.TrimSpace(s.r().Port)); err == nil && n != 0 {
		return n
	}
	if strings.EqualFold(s.GetProtocol(), "https") {
		return 443
	}
	return 80
}
func (s *Sampler) SetPort(p int) {
	r := s.r()
	r.Port = strconv.Itoa(p)
	r.changed()
}

// GetContentEncoding is the content encoding, UTF-8 when unset.
func (s *Sampler) GetContentEncoding() string {
	if e := s.r().Encoding; e != "" {
		return e
	}
	return "UTF-8"
}
func (s *Sampler) SetContentEncoding(e string) {
	r := s.r()
	r.Encoding = e
	r.changed()
}
func (s *Sampler) GetFollowRedirects() bool { return s.r().FollowRedirects }
func (s *Sampler) SetFollowRedirects(b bool) {
	r := s.r()
	r.FollowRedirects = b
	r.changed()
}
func (s *Sampler) GetAutoRedirects() bool { return s.r().AutoRedirects }
func (s *Sampler) SetAutoRedirects(b bool) {
	r := s.r()
	r.AutoRedirects = b
	r.changed()
}
func (s *Sampler) GetUseKeepAlive() bool { return s.r().KeepAlive }
func (s *Sampler) SetUseKeepAlive(b bool) {
	r := s.r()
	r.KeepAlive = b
	r.changed()
}
func (s *Sampler) GetPostBodyRaw() bool { return s.r().PostBodyRaw }
func (s *Sampler) SetPostBodyRaw(b bool) {
	r := s.r()
	r.PostBodyRaw = b
	r.changed()
}

// GetArguments is the request's argument list; changes to it change the request.
func (s *Sampler) GetArguments() *Arguments { return s.r().Args }
func (s *Sampler) HasArguments() bool       { return len(s.r().Args.List) > 0 }

// AddArgument adds an argument that is encoded when sent.
func (s *Sampler) AddArgument(name, value string, meta ...string) {
	m := "="
	if len(meta) > 0 {
		m = meta[0]
	}
	s.r().Args.add(&Argument{Name: name, Value: value, Meta: m, Encode: true, Orig: -1})
}

// AddNonEncodedArgument adds an argument sent as written (with a content
// type for multipart bodies).
func (s *Sampler) AddNonEncodedArgument(name, value, meta string, contentType ...string) {
	a := &Argument{Name: name, Value: value, Meta: meta, Orig: -1}
	if len(contentType) > 0 {
		a.ContentType = contentType[0]
	}
	s.r().Args.add(a)
}

// AddEncodedArgument adds an argument given URL-encoded: it is decoded,
// and encoded again when sent.
func (s *Sampler) AddEncodedArgument(name, value string, more ...string) {
	meta := "="
	if len(more) > 0 {
		meta = more[0]
	}
	s.r().Args.add(&Argument{Name: queryDecode(name), Value: queryDecode(value), Meta: meta, Encode: true, Orig: -1})
}

// GetHeaderManager is the header manager in scope, null when there is none.
func (s *Sampler) GetHeaderManager() any {
	if m := s.r().Headers; m != nil {
		return m
	}
	return nil
}

// SetHeaderManager puts a header manager on the request (its headers
// join those in scope, which win on a name they share, as HeaderManager.merge).
func (s *Sampler) SetHeaderManager(m *HeaderManager) {
	r := s.r()
	if m == nil {
		return
	}
	if r.Headers == nil {
		m.req = r
		r.Headers = m
		r.headersChanged()
		return
	}
	for _, h := range m.List {
		if r.Headers.GetFirstHeaderNamed(h.Name) == nil {
			r.Headers.Add(&Header{Name: h.Name, Value: h.Value, Orig: -1})
		}
	}
}

// newHeaderManager is `new HeaderManager()`.
func newHeaderManager(args []any) (any, error) { return &HeaderManager{}, nil }

// The JMeter classes a script may create to change the current sampler.
func init() {
	java.RegisterClass("org.apache.jmeter.protocol.http.control.Header", NewHeader)
	java.RegisterClass("org.apache.jmeter.protocol.http.control.HeaderManager", newHeaderManager)
	java.RegisterClass("org.apache.jmeter.protocol.http.util.HTTPArgument", NewHTTPArgument)
	java.RegisterClass("org.apache.jmeter.config.Argument", NewHTTPArgument)
}

// GetUrl is the URL the request goes to (java.net.URL).
func (s *Sampler) GetUrl() (*URL, error) {
	r := s.r()
	if r.URLOf == nil {
		return &URL{s: "", u: &url.URL{}}, nil
	}
	str, err := r.URLOf(r)
	if err != nil {
		return nil, &RunError{Class: "java.net.MalformedURLException", Message: err.Error(), Err: err}
	}
	u, err := url.Parse(str)
	if err != nil {
		u = &url.URL{Path: str}
	}
	return &URL{s: str, u: u}, nil
}

// GetURL is GetUrl under its other spelling.
func (s *Sampler) GetURL() (*URL, error) { return s.GetUrl() }

// CookieManager is the cookie manager in scope of the current sampler, as
// a script reaches it (sampler.getCookieManager()): cookies it adds go to
// the user's jar before the sample, for good, as in JMeter.
type CookieManager struct {
	Added []*Cookie
	req   *HTTPRequest
}

// NewCookieManager makes req's cookie manager.
func NewCookieManager(req *HTTPRequest) *CookieManager { return &CookieManager{req: req} }

func (m *CookieManager) JavaClass() string {
	return "org.apache.jmeter.protocol.http.control.CookieManager"
}

// Add adds a cookie (replacing one of the same name, domain and path).
func (m *CookieManager) Add(c *Cookie) {
	if c == nil {
		return
	}
	m.Added = append(m.Added, c)
	m.req.changed()
}

// Cookie is JMeter's Cookie: new Cookie(name, value, domain, path, secure,
// expires[, pathSpecified, domainSpecified]); expires in seconds since the
// epoch, 0 for a session cookie.
type Cookie struct {
	Name, Value, Domain, Path string
	Secure                    bool
	Expires                   int64
	DomainSpecified           bool
}

// NewCookie is `new Cookie(…)`.
func NewCookie(args []any) (any, error) {
	c := &Cookie{Path: "/", DomainSpecified: true}
	str := func(i int) string {
		if i < len(args) && args[i] != nil {
			return ToString(args[i])
		}
		return ""
	}
	c.Name, c.Value, c.Domain = str(0), str(1), str(2)
	if len(args) > 3 {
		c.Path = str(3)
	}
	if len(args) > 4 {
		c.Secure = strings.EqualFold(str(4), "true")
	}
	if len(args) > 5 {
		c.Expires, _ = strconv.ParseInt(str(5), 10, 64)
	}
	if len(args) > 7 {
		c.DomainSpecified = strings.EqualFold(str(7), "true")
	}
	return c, nil
}

func (c *Cookie) JavaClass() string  { return "org.apache.jmeter.protocol.http.control.Cookie" }
func (c *Cookie) GetName() string    { return c.Name }
func (c *Cookie) GetValue() string   { return c.Value }
func (c *Cookie) GetDomain() string  { return c.Domain }
func (c *Cookie) GetPath() string    { return c.Path }
func (c *Cookie) GetSecure() bool    { return c.Secure }
func (c *Cookie) GetExpires() int64  { return c.Expires }
func (c *Cookie) SetValue(v string)  { c.Value = v }
func (c *Cookie) SetDomain(d string) { c.Domain = d }
func (c *Cookie) SetPath(p string)   { c.Path = p }
func (c *Cookie) ToString() string {
	return c.Domain + "\tTRUE\t" + c.Path + "\t" + strconv.FormatBool(c.Secure) + "\t" + strconv.FormatInt(c.Expires, 10) + "\t" + c.Name + "\t" + c.Value
}
func (c *Cookie) String() string { return c.ToString() }

// GetCookieManager is the cookie manager in scope, null when there is none.
func (s *Sampler) GetCookieManager() any {
	if m := s.r().Cookies; m != nil {
		return m
	}
	return nil
}

func init() {
	java.RegisterClass("org.apache.jmeter.protocol.http.control.Cookie", NewCookie)
}
