package sampler

import (
	"net/url"
	"strconv"
)

// urlMemo is the last URL a user's HTTP samplers built from templates
// (${__P(host)} and the like make a URL dynamic, though it rarely changes):
// when the built string is the same again, the checked and parsed form is
// reused instead of parsing per request.
type urlMemo struct {
	s string
	u url.URL
}

// parsedURL checks and parses s (checkJavaURI, parseURL), remembering the
// result for the next request of the same user.
func (st *HTTPState) parsedURL(s string) (*url.URL, error) {
	if m := st.memo; m != nil && m.s == s {
		cp := m.u
		return &cp, nil
	}
	if err := checkJavaURI(s); err != nil {
		return nil, err
	}
	u, err := parseURL(s)
	if err != nil {
		return nil, err
	}
	if st.memo == nil {
		st.memo = new(urlMemo)
	}
	st.memo.s, st.memo.u = s, *u
	return u, nil
}

// connAddr is canonicalAddr(u), remembered for the user's last host.
func (st *HTTPState) connAddr(u *url.URL) string {
	if st.addrHost != u.Host || st.addrScheme != u.Scheme || st.addr == "" {
		st.addrHost, st.addrScheme, st.addr = u.Host, u.Scheme, canonicalAddr(u)
	}
	return st.addr
}

// statusCode is strconv.Itoa(code) without an allocation for the usual codes.
func statusCode(code int) string {
	switch code {
	case 200:
		return "200"
	case 201:
		return "201"
	case 202:
		return "202"
	case 204:
		return "204"
	case 301:
		return "301"
	case 302:
		return "302"
	case 303:
		return "303"
	case 304:
		return "304"
	case 307:
		return "307"
	case 308:
		return "308"
	case 400:
		return "400"
	case 401:
		return "401"
	case 403:
		return "403"
	case 404:
		return "404"
	case 409:
		return "409"
	case 429:
		return "429"
	case 500:
		return "500"
	case 502:
		return "502"
	case 503:
		return "503"
	case 504:
		return "504"
	}
	return strconv.Itoa(code)
}
