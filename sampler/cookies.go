package sampler

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/script"
)

// cookieConfig is a compiled CookieManager.
//
// The store behaves as JMeter's CookieManager with its default "standard"
// policy (HttpClient 4's RFC 6265 relaxed spec): host-only and domain
// cookies, default and explicit paths, Secure; a Set-Cookie replaces the
// cookie of the same name, domain and path. Like JMeter, a cookie is
// dropped only when it arrives already expired (Max-Age=0 still counts as
// live) and expiry is not checked when cookies are sent. Differences: no
// public-suffix list, and the legacy policies (netscape, rfc2109, rfc2965,
// compatibility, best-match) behave as "standard". Policy "ignoreCookies"
// disables cookie handling.
type cookieConfig struct {
	el         *jmx.Element
	clearEach  bool
	controlled bool // CookieManager.controlledByThreadGroup
	ignore     bool // policy ignoreCookies
	// netscape: the "compatibility" family of policies (HttpClient's
	// DefaultCookieSpec, which treats version-less cookies as Netscape
	// drafts): no Max-Age, Expires only as "EEE, dd-MMM-yy HH:mm:ss z"
	// (a cookie with another date is rejected), cookies sent in the order
	// they were stored.
	netscape   bool
	predefined []predefCookie
	dynamic    bool   // some predefined value is an expression: re-evaluated per request
	save       bool   // CookieManager.save.cookies
	prefix     string // CookieManager.name.prefix
	deleteNull bool   // CookieManager.delete_null_cookies: an empty value removes the cookie
}

type predefCookie struct {
	name   string
	value  *functions.Template
	domain *functions.Template // evaluated like every property, e.g. ${__P(host)}
	path   *functions.Template
	// domainSet is Cookie.domain_specified: a domain cookie (also sent to
	// subdomains); otherwise host-only. Absent reads as false, as in JMeter.
	domainSet bool
	secure    bool
	expires   int64 // seconds since the epoch; 0 = session cookie
}

func compileCookies(el *jmx.Element, props *functions.Properties) (*cookieConfig, error) {
	c := &cookieConfig{
		el:         el,
		clearEach:  el.Bool("CookieManager.clearEachIteration", false),
		controlled: el.Bool("CookieManager.controlledByThreadGroup", false),
		ignore:     strings.EqualFold(el.Str("CookieManager.policy"), "ignoreCookies"),
		netscape:   netscapePolicy(el.Str("CookieManager.policy")),
		prefix:     "COOKIE_",
		deleteNull: true,
	}
	if props != nil {
		c.deleteNull = !strings.EqualFold(strings.TrimSpace(props.GetOr("CookieManager.delete_null_cookies", "true")), "false")
		c.save = strings.EqualFold(strings.TrimSpace(props.GetOr("CookieManager.save.cookies", "false")), "true")
		c.prefix = strings.TrimSpace(props.GetOr("CookieManager.name.prefix", "COOKIE_"))
	}
	for _, item := range el.Collection("CookieManager.cookies") {
		ce := item.Elem
		if ce == nil {
			continue
		}
		name := item.Name
		if name == "" {
			name = ce.Name
		}
		if name == "" {
			continue
		}
		p := predefCookie{
			name:      name,
			domainSet: ce.Bool("Cookie.domain_specified", false),
			secure:    ce.Bool("Cookie.secure", false),
			expires:   ce.Int("Cookie.expires", 0),
		}
		for _, f := range []struct {
			prop string
			tpl  **functions.Template
		}{{"Cookie.value", &p.value}, {"Cookie.domain", &p.domain}, {"Cookie.path", &p.path}} {
			t, err := functions.Compile(ce.Str(f.prop))
			if err != nil {
				return nil, fmt.Errorf("%s (%s): cookie %q: %s: %w", el.Path(), el.Where(), name, f.prop, err)
			}
			*f.tpl = t
		}
		c.predefined = append(c.predefined, p)
		c.dynamic = c.dynamic || !p.value.IsLiteral()
	}
	return c, nil
}

func netscapePolicy(p string) bool {
	switch strings.ToLower(strings.TrimSpace(p)) {
	case "compatibility", "netscape", "default", "best-match", "rfc2109", "rfc2965":
		return true
	}
	return false
}

// cookieStore is one user's cookie jar for one CookieManager.
type cookieStore struct {
	// mu: parallel branches and download workers of one user share the jar
	mu     sync.Mutex
	cfg    *cookieConfig
	jar    cookieList
	primed bool // predefined cookies added
	// JMeter evaluates a predefined cookie's value on every request, so one
	// holding ${var} follows the variable; vals is each value as last set,
	// replaced marks those a response has since replaced or removed.
	vals     []string
	replaced []bool
}

func newCookieStore(cfg *cookieConfig) *cookieStore {
	s := &cookieStore{cfg: cfg}
	s.reset()
	return s
}

// reset empties the jar; the predefined cookies are added again before the
// next request (they may hold ${} that needs the user's variables).
func (s *cookieStore) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jar = cookieList{}
	s.primed = false
	if n := len(s.cfg.predefined); n > 0 {
		s.vals = make([]string, n)
		s.replaced = make([]bool, n)
	}
}

func (s *cookieStore) prime(c *functions.Context) {
	s.primed = true
	for i := range s.cfg.predefined {
		s.setPredefined(c, i, s.cfg.predefined[i].value.Eval(c))
	}
}

// refresh re-evaluates the predefined cookies whose value is an expression
// and stores those whose value changed, unless a response replaced them.
func (s *cookieStore) refresh(c *functions.Context) {
	for i := range s.cfg.predefined {
		p := &s.cfg.predefined[i]
		if p.value.IsLiteral() || s.replaced[i] {
			continue
		}
		if v := p.value.Eval(c); v != s.vals[i] {
			s.setPredefined(c, i, v)
		}
	}
}

func (s *cookieStore) setPredefined(c *functions.Context, i int, value string) {
	p := &s.cfg.predefined[i]
	s.vals[i] = value
	host := strings.TrimPrefix(strings.TrimSpace(p.domain.Eval(c)), ".")
	if host == "" {
		return // JMeter's cookie then matches no host
	}
	path := p.path.Eval(c)
	if path == "" {
		path = "/"
	}
	ck := &jarCookie{name: p.name, value: value, domain: strings.ToLower(host), path: path,
		secure: p.secure, hostOnly: !p.domainSet,
		predef: true, rawDomain: p.domain.Raw(), rawPath: p.path.Raw()}
	if p.expires > 0 {
		exp := time.Unix(p.expires, 0)
		if exp.Before(time.Now()) {
			return
		}
		ck.expires = exp
	}
	s.jar.add(ck)
}

// header returns the Cookie header value for u ("" when none).
func (s *cookieStore) header(c *functions.Context, u *url.URL) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.primed {
		s.prime(c)
	} else if s.cfg.dynamic {
		s.refresh(c)
	}
	cks := s.jar.match(u, !s.cfg.netscape)
	switch len(cks) {
	case 0:
		return ""
	case 1:
		return cks[0].name + "=" + cks[0].value
	}
	var b strings.Builder
	for i, ck := range cks {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(ck.name)
		b.WriteByte('=')
		b.WriteString(ck.value)
	}
	return b.String()
}

// store saves the response's Set-Cookie headers and, when
// CookieManager.save.cookies is on, exports them as variables.
func (s *cookieStore) store(c *functions.Context, u *url.URL, h http.Header) {
	lines := h.Values("Set-Cookie")
	if len(lines) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	host := strings.ToLower(u.Hostname())
	for _, line := range lines {
		ck := parseSetCookie(line, host, u.EscapedPath(), now, s.cfg.netscape)
		if ck == nil {
			continue // malformed, or for another domain (CookieManager.check.cookies)
		}
		for i := range s.cfg.predefined {
			p := &s.cfg.predefined[i]
			if ck.name == p.name && p.domain.Raw() == ck.domain && p.path.Raw() == ck.path {
				s.replaced[i] = true // JMeter keeps the response's cookie in its place
			}
		}
		s.jar.remove(ck)
		if s.cfg.deleteNull && ck.value == "" {
			continue // JMeter drops a cookie set to an empty value
		}
		if !ck.expires.IsZero() && ck.expires.Before(now) {
			continue // arrived expired: removed
		}
		s.jar.add(ck)
		if s.cfg.save && c != nil && c.Vars != nil {
			c.Vars.Put(s.cfg.prefix+ck.name, ck.value)
		}
	}
}

// addFromScript adds a cookie a script gave the cookie manager
// (CookieManager.add): it replaces the cookie of the same name, domain and
// path; an empty value only removes it (CookieManager.delete_null_cookies).
func (s *cookieStore) addFromScript(c *functions.Context, sc *script.Cookie) {
	ck := &jarCookie{name: sc.Name, value: sc.Value, domain: strings.ToLower(sc.Domain), path: sc.Path,
		hostOnly: !sc.DomainSpecified, secure: sc.Secure}
	if sc.Expires > 0 {
		ck.expires = time.Unix(sc.Expires, 0)
	}
	s.jar.remove(ck)
	if s.cfg.deleteNull && ck.value == "" {
		return
	}
	s.jar.add(ck)
	if s.cfg.save && c != nil && c.Vars != nil {
		c.Vars.Put(s.cfg.prefix+ck.name, ck.value)
	}
}

// jarCookie is one stored cookie.
type jarCookie struct {
	name, value  string
	domain, path string
	hostOnly     bool // no Domain attribute: sent to this host only
	secure       bool
	expires      time.Time // zero: session cookie
	seq          int       // insertion order
	// A predefined cookie is matched (for replacement) on its properties as
	// written: JMeter's CookieManager compares name, path and domain strings
	// unevaluated, so one with domain ${__P(host)} is never replaced by a
	// response's cookie and both are sent.
	predef             bool
	rawDomain, rawPath string
}

// matchKey is the domain and path JMeter's CookieManager.match compares.
func (c *jarCookie) matchKey() (string, string) {
	if c.predef {
		return c.rawDomain, c.rawPath
	}
	return c.domain, c.path
}

// cookieList is a user's cookies in insertion order.
type cookieList struct {
	list []*jarCookie
	seq  int
}

// add stores ck after removing the cookie it replaces.
func (l *cookieList) add(ck *jarCookie) {
	l.remove(ck)
	l.seq++
	ck.seq = l.seq
	l.list = append(l.list, ck)
}

// remove drops the cookie with the same name, domain and path.
func (l *cookieList) remove(ck *jarCookie) {
	cd, cp := ck.matchKey()
	for i, x := range l.list {
		if xd, xp := x.matchKey(); x.name == ck.name && xd == cd && xp == cp {
			l.list = append(l.list[:i], l.list[i+1:]...)
			return
		}
	}
}

// match returns the cookies to send to u, with sorted the longest paths
// first (then oldest first) as HttpClient's RFC 6265 spec formats them, else
// in stored order. Expiry is not checked, as in JMeter.
func (l *cookieList) match(u *url.URL, sorted bool) []*jarCookie {
	if len(l.list) == 0 {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	secure := u.Scheme == "https"
	var out []*jarCookie
	for _, ck := range l.list {
		if ck.secure && !secure {
			continue
		}
		if !domainMatch(host, ck.domain, ck.hostOnly) || !pathMatch(path, ck.path) {
			continue
		}
		out = append(out, ck)
	}
	if sorted && len(out) > 1 {
		sort.SliceStable(out, func(i, j int) bool { return len(out[i].path) > len(out[j].path) })
	}
	return out
}

func domainMatch(host, domain string, hostOnly bool) bool {
	if host == domain {
		return true
	}
	return !hostOnly && net.ParseIP(host) == nil && strings.HasSuffix(host, "."+domain)
}

// pathMatch is RFC 6265 path-match.
func pathMatch(reqPath, cookiePath string) bool {
	if reqPath == cookiePath {
		return true
	}
	if strings.HasPrefix(reqPath, cookiePath) {
		return strings.HasSuffix(cookiePath, "/") || reqPath[len(cookiePath)] == '/'
	}
	return false
}

// parseSetCookie parses one Set-Cookie value received from host for
// reqPath, as HttpClient's RFC 6265 relaxed spec: Max-Age wins over
// Expires, a Domain must cover the host, the default path is the request's
// directory. nil when the cookie is malformed or rejected.
func parseSetCookie(line, host, reqPath string, now time.Time, netscape bool) *jarCookie {
	parts := strings.Split(line, ";")
	name, value, ok := strings.Cut(parts[0], "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return nil
	}
	value = strings.TrimSpace(value)
	if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
		value = value[1 : len(value)-1]
	}
	ck := &jarCookie{name: name, value: value, domain: host, hostOnly: true}
	var maxAge, expires string
	hasMaxAge := false
	for _, attr := range parts[1:] {
		k, v, _ := strings.Cut(attr, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		switch k {
		case "domain":
			d := strings.ToLower(strings.TrimPrefix(v, "."))
			if d == "" {
				continue
			}
			if d != host && (net.ParseIP(host) != nil || !strings.HasSuffix(host, "."+d)) {
				return nil // "Illegal domain attribute": not stored
			}
			ck.domain, ck.hostOnly = d, false
		case "path":
			if strings.HasPrefix(v, "/") {
				ck.path = v
			}
		case "secure":
			ck.secure = true
		case "max-age":
			maxAge, hasMaxAge = v, true
		case "expires":
			expires = v
		}
	}
	if ck.path == "" {
		ck.path = defaultCookiePath(reqPath)
	}
	if netscape {
		if expires != "" {
			t, err := time.Parse("Mon, 02-Jan-06 15:04:05 MST", expires)
			if err != nil {
				if t, err = time.Parse("Mon, 02-Jan-2006 15:04:05 MST", expires); err != nil {
					return nil // "Invalid 'expires' attribute": the cookie is rejected
				}
			}
			ck.expires = t
		}
	} else {
		switch {
		case hasMaxAge:
			if n, err := strconv.ParseInt(maxAge, 10, 64); err == nil {
				ck.expires = now.Add(time.Duration(n) * time.Second)
				if n == 0 {
					ck.expires = now // expires "now": still stored, as in JMeter
				}
			}
		case expires != "":
			if t, err := http.ParseTime(expires); err == nil {
				ck.expires = t
			} else if t, err := time.Parse("Mon, 02-Jan-2006 15:04:05 MST", expires); err == nil {
				ck.expires = t
			}
		}
	}
	if ck.expires.Equal(time.Unix(0, 0)) {
		ck.expires = time.Time{} // JMeter keeps expiry 0 (the epoch) as a session cookie
	}
	return ck
}

// defaultCookiePath is RFC 6265's default-path: the request path up to its
// last '/', or "/".
func defaultCookiePath(p string) string {
	if p == "" || p[0] != '/' {
		return "/"
	}
	i := strings.LastIndexByte(p, '/')
	if i == 0 {
		return "/"
	}
	return p[:i]
}

// Cookies is a Cookie Manager as a sampler of another protocol reads it
// (the WebSocket samplers send its cookies with their upgrade request):
// the user's jar of that manager, the one the HTTP samplers under it fill.
type Cookies struct{ cfg *cookieConfig }

// CompileCookies compiles a Cookie Manager for another protocol's
// sampler; nil when the manager ignores cookies.
func CompileCookies(el *jmx.Element, props *functions.Properties) (*Cookies, error) {
	cfg, err := compileCookies(el, props)
	if err != nil || cfg.ignore {
		return nil, err
	}
	return &Cookies{cfg}, nil
}

// Header is the Cookie header value the user's jar holds for u ("" when
// none).
func (c *Cookies) Header(s *Session, u *url.URL) string {
	return s.httpState(nil).cookieStore(c.cfg).header(s.Ctx, u)
}
