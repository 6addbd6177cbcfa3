package sampler

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"net/url"
	"strings"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// authConfig is a compiled AuthManager: Basic (sent pre-emptively, as with
// JMeter's default httpclient4.auth.preemptive=true) and Digest (answered
// after the server's 401 challenge, inside the same sample).
type authConfig struct {
	el      *jmx.Element
	entries []authEntry
}

type authEntry struct {
	url, user, pass *functions.Template
	digest          bool
	// unsupported names a mechanism gometer cannot apply (KERBEROS): the
	// row still takes part in matching, as in JMeter, and the engine
	// refuses the plan only when some request would use it
	unsupported string
	row, line   int
}

func compileAuth(el *jmx.Element) (*authConfig, error) {
	c := &authConfig{el: el}
	for i, item := range el.Collection("AuthManager.auth_list") {
		a := item.Elem
		if a == nil {
			continue
		}
		mech := strings.ToUpper(strings.TrimSpace(a.StrOr("Authorization.mechanism", "BASIC")))
		if mech == "" {
			mech = "BASIC"
		}
		e := authEntry{row: i + 1, line: a.Line}
		if e.line == 0 {
			e.line = item.Line
		}
		if mech != "BASIC" && mech != "DIGEST" && mech != "BASIC_DIGEST" {
			e.unsupported = mech
		}
		var err error
		for _, f := range []struct {
			dst  **functions.Template
			prop string
		}{{&e.url, "Authorization.url"}, {&e.user, "Authorization.username"}, {&e.pass, "Authorization.password"}} {
			if *f.dst, err = functions.Compile(a.Str(f.prop)); err != nil {
				return nil, fmt.Errorf("%s (%s): authorization %d %s: %w", el.Path(), el.Where(), i+1, f.prop, err)
			}
		}
		e.digest = mech == "DIGEST"
		c.entries = append(c.entries, e)
	}
	return c, nil
}

// match returns the first entry whose URL is a prefix of the request URL,
// written with or without its default port (JMeter 5.6.3 takes the first
// match in table order, not the longest).
func (c *authConfig) match(ctx *functions.Context, u *url.URL, s1 string) (*authEntry, string) {
	if c == nil || len(c.entries) == 0 {
		return nil, ""
	}
	s2 := ""
	port := u.Port()
	def := "80"
	if u.Scheme == "https" {
		def = "443"
	}
	if port == "" {
		v := *u
		v.Host = u.Host + ":" + def
		v.RawQuery, v.Fragment = "", ""
		s2 = v.String()
	} else if port == def {
		v := *u
		v.Host = u.Hostname()
		v.RawQuery, v.Fragment = "", ""
		s2 = v.String()
	}
	for i := range c.entries {
		e := &c.entries[i]
		p := e.url.Eval(ctx)
		if strings.HasPrefix(s1, p) || (s2 != "" && strings.HasPrefix(s2, p)) {
			return e, p
		}
	}
	return nil, ""
}

// AuthRow is an Authorization Manager row gometer cannot apply that a
// request of a sampler would use.
type AuthRow struct {
	Manager   *jmx.Element
	Row, Line int
	Mechanism string
	URL       string // the row's URL prefix
}

func probeable(ts ...*functions.Template) bool {
	for _, t := range ts {
		if !t.Probeable() {
			return false
		}
	}
	return true
}

// UnusableAuth returns the Authorization Manager row that this sampler's
// request would use (JMeter takes the first row whose URL prefixes the
// request's) when gometer cannot apply it. c holds what is known before the
// run (properties, plan variables); known is false when the URL or a row
// depends on more, and row is then the first unusable row that might
// match. A redirect or embedded resource to another URL is not foreseen.
func (h *HTTP) UnusableAuth(c *functions.Context) (row *AuthRow, known bool) {
	if h.auth == nil {
		return nil, true
	}
	var first *authEntry
	for i := range h.auth.entries {
		if h.auth.entries[i].unsupported != "" {
			first = &h.auth.entries[i]
			break
		}
	}
	if first == nil {
		return nil, true
	}
	use := func(e *authEntry, known bool) (*AuthRow, bool) {
		return &AuthRow{Manager: h.auth.el, Row: e.row, Line: e.line, Mechanism: e.unsupported, URL: e.url.Raw()}, known
	}
	u, s := h.staticParsed, h.staticURL
	if u == nil {
		urlTpls := []*functions.Template{h.protocol, h.domain, h.port, h.path, h.method, h.encoding}
		for i := range h.args {
			urlTpls = append(urlTpls, h.args[i].name, h.args[i].value)
		}
		if !probeable(urlTpls...) {
			return use(first, false)
		}
		method, enc := h.methodEncoding(c)
		var err error
		if s, err = h.buildURL(c, method, enc); err != nil || strings.Contains(s, "${") {
			return use(first, false)
		}
		if u, err = h.parse(s); err != nil {
			return nil, true // the sample fails before any authorization
		}
	}
	for i := range h.auth.entries {
		if e := &h.auth.entries[i]; !probeable(e.url) || strings.Contains(e.url.Eval(c), "${") {
			return use(first, false)
		}
	}
	if m, _ := h.auth.match(c, u, s); m != nil && m.unsupported != "" {
		return use(m, true)
	}
	return nil, true
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// digestChallenge is a parsed WWW-Authenticate: Digest header.
type digestChallenge struct {
	realm, nonce, opaque, algorithm, qop string
	nc                                   int
}

func parseDigest(h string) *digestChallenge {
	h = strings.TrimSpace(h)
	if len(h) < 7 || !strings.EqualFold(h[:7], "digest ") {
		return nil
	}
	c := &digestChallenge{}
	rest := h[7:]
	for rest != "" {
		rest = strings.TrimLeft(rest, " ,")
		eq := strings.IndexByte(rest, '=')
		if eq < 0 {
			break
		}
		key := strings.ToLower(strings.TrimSpace(rest[:eq]))
		rest = rest[eq+1:]
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				val, rest = rest[1:], ""
			} else {
				val, rest = rest[1:1+end], rest[2+end:]
			}
		} else {
			end := strings.IndexByte(rest, ',')
			if end < 0 {
				val, rest = rest, ""
			} else {
				val, rest = rest[:end], rest[end:]
			}
		}
		switch key {
		case "realm":
			c.realm = val
		case "nonce":
			c.nonce = val
		case "opaque":
			c.opaque = val
		case "algorithm":
			c.algorithm = val
		case "qop":
			for _, q := range strings.Split(val, ",") {
				if strings.TrimSpace(q) == "auth" {
					c.qop = "auth"
				}
			}
		}
	}
	if c.nonce == "" {
		return nil
	}
	return c
}

// authorization computes the Digest Authorization header for one request.
func (c *digestChallenge) authorization(user, pass, method, uri string) string {
	var h func() hash.Hash = md5.New
	alg := strings.ToUpper(c.algorithm)
	if strings.HasPrefix(alg, "SHA-256") {
		h = sha256.New
	}
	sum := func(s string) string {
		x := h()
		x.Write([]byte(s))
		return hex.EncodeToString(x.Sum(nil))
	}
	ha1 := sum(user + ":" + c.realm + ":" + pass)
	var cnonce string
	if strings.HasSuffix(alg, "-SESS") || c.qop != "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		cnonce = hex.EncodeToString(b)
	}
	if strings.HasSuffix(alg, "-SESS") {
		ha1 = sum(ha1 + ":" + c.nonce + ":" + cnonce)
	}
	ha2 := sum(method + ":" + uri)
	var b strings.Builder
	fmt.Fprintf(&b, `Digest username="%s", realm="%s", nonce="%s", uri="%s"`, user, c.realm, c.nonce, uri)
	if c.qop != "" {
		c.nc++
		nc := fmt.Sprintf("%08x", c.nc)
		resp := sum(ha1 + ":" + c.nonce + ":" + nc + ":" + cnonce + ":" + c.qop + ":" + ha2)
		fmt.Fprintf(&b, `, response="%s", qop=%s, nc=%s, cnonce="%s"`, resp, c.qop, nc, cnonce)
	} else {
		fmt.Fprintf(&b, `, response="%s"`, sum(ha1+":"+c.nonce+":"+ha2))
	}
	if c.algorithm != "" {
		b.WriteString(", algorithm=" + c.algorithm)
	}
	if c.opaque != "" {
		b.WriteString(`, opaque="` + c.opaque + `"`)
	}
	return b.String()
}
