package sampler

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"gometer/functions"
	"gometer/jmx"
)

// cookieConfig is a compiled CookieManager.
//
// The jar is net/http/cookiejar (RFC 6265), which is close to JMeter's
// default "standard" policy (HttpClient 4's RFC 6265 relaxed spec): host-only
// and domain cookies, path matching, Max-Age/Expires, Secure. Differences:
// no public-suffix list (domain cookies on a public suffix are accepted), and
// the legacy policies (netscape, rfc2109, rfc2965, compatibility, best-match)
// all behave as "standard". Policy "ignoreCookies" disables cookie handling.
type cookieConfig struct {
	el         *jmx.Element
	clearEach  bool
	controlled bool // CookieManager.controlledByThreadGroup
	ignore     bool // policy ignoreCookies
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

// cookieStore is one user's cookie jar for one CookieManager.
type cookieStore struct {
	cfg    *cookieConfig
	jar    *cookiejar.Jar
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
	s.jar, _ = cookiejar.New(nil) // cannot fail without options
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
	scheme := "http"
	if p.secure {
		scheme = "https"
	}
	path := p.path.Eval(c)
	if path == "" {
		path = "/"
	}
	u := &url.URL{Scheme: scheme, Host: host, Path: path}
	ck := &http.Cookie{Name: p.name, Value: value, Path: path, Secure: p.secure}
	if p.domainSet {
		ck.Domain = host
	}
	if p.expires > 0 {
		exp := time.Unix(p.expires, 0)
		if exp.Before(time.Now()) {
			return
		}
		ck.Expires = exp
	}
	s.jar.SetCookies(u, []*http.Cookie{ck})
}

// header returns the Cookie header value for u ("" when none).
func (s *cookieStore) header(c *functions.Context, u *url.URL) string {
	if !s.primed {
		s.prime(c)
	} else if s.cfg.dynamic {
		s.refresh(c)
	}
	cks := s.jar.Cookies(u)
	switch len(cks) {
	case 0:
		return ""
	case 1:
		return cks[0].Name + "=" + cks[0].Value
	}
	var b strings.Builder
	for i, ck := range cks {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(ck.Name)
		b.WriteByte('=')
		b.WriteString(ck.Value)
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
	cks := (&http.Response{Header: http.Header{"Set-Cookie": lines}}).Cookies()
	if len(cks) == 0 {
		return
	}
	if s.cfg.deleteNull {
		for _, ck := range cks {
			if ck.Value == "" {
				ck.MaxAge = -1 // JMeter drops a cookie set to an empty value
			}
		}
	}
	s.jar.SetCookies(u, cks)
	for i := range s.cfg.predefined {
		for _, ck := range cks {
			if ck.Name == s.cfg.predefined[i].name {
				s.replaced[i] = true // JMeter keeps the response's cookie in its place
			}
		}
	}
	if s.cfg.save && c != nil && c.Vars != nil {
		now := time.Now()
		for _, ck := range cks {
			expired := ck.MaxAge < 0 || (!ck.Expires.IsZero() && ck.Expires.Before(now)) || (s.cfg.deleteNull && ck.Value == "")
			if !expired {
				c.Vars.Put(s.cfg.prefix+ck.Name, ck.Value)
			}
		}
	}
}
