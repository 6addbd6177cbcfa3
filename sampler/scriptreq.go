package sampler

import (
	"net/http"
	"strings"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/script"
)

// A script's `sampler` changes the HTTP request JMeter is about to send by
// mutating the user's clone of the sampler; after the sample JMeter
// restores the clone's running version, so a changed path, domain, port,
// method, flag or added argument lasts for that sample only. Removing one
// of the sampler's own arguments is not undone (the argument list is
// restored by reference, not by copy): the user's later samples of that
// sampler go without it. Likewise the headers a script adds to or removes
// from the header manager of a sampler that has only one are the user's
// manager's from then on (for every sampler in its scope); with several
// managers in scope JMeter merges them into a copy for each sample, so the
// change lasts for that sample.

// ScriptRequest is the request of the user's next sample of h as a script
// sees it: h's settings evaluated for the user, without the arguments
// scripts removed earlier.
func (h *HTTP) ScriptRequest(s *Session) *script.HTTPRequest {
	c := s.Ctx
	method, _ := h.methodEncoding(c)
	req := &script.HTTPRequest{
		Method:          method,
		Protocol:        strings.ToLower(strings.TrimSpace(h.protocol.Eval(c))),
		Domain:          h.domain.Eval(c),
		Port:            h.port.Eval(c),
		Path:            h.path.Eval(c),
		Encoding:        strings.TrimSpace(h.encoding.Eval(c)),
		FollowRedirects: h.follow,
		AutoRedirects:   h.auto,
		KeepAlive:       h.keepAlive,
		PostBodyRaw:     h.postBodyRaw,
	}
	var (
		dropped []bool
		headers = h.headers
	)
	if st := s.HTTP; st != nil {
		dropped = st.dropped[h]
		if hs, ok := h.userHeaders(st); ok {
			headers = hs
		}
	}
	args := make([]*script.Argument, 0, len(h.args))
	for i := range h.args {
		if i < len(dropped) && dropped[i] {
			continue
		}
		a := &h.args[i]
		args = append(args, &script.Argument{Name: a.name.Eval(c), Value: a.value.Eval(c), Meta: a.meta,
			Encode: a.encode, ContentType: a.contentType, Orig: i})
	}
	req.Args = script.NewArguments(req, args)
	if h.headerManager {
		list := make([]*script.Header, 0, len(headers))
		for i, hh := range headers {
			list = append(list, &script.Header{Name: hh.wire, Value: hh.value.Eval(c), Orig: i})
		}
		req.Headers = script.NewHeaderManager(req, list)
	}
	if h.cookies != nil {
		req.Cookies = script.NewCookieManager(req)
	}
	req.URLOf = func(r *script.HTTPRequest) (string, error) {
		l := *h
		l.applyScript(r)
		method, enc := l.methodEncoding(c)
		return l.buildURL(c, method, enc)
	}
	return req
}

// UseScriptRequest makes the user's next sample of h the request r a
// script changed, and keeps the removal of h's own arguments for the
// user's later samples (JMeter's sampler keeps it; the arguments merged
// from HTTP Request Defaults come back with the next sample, as JMeter
// merges them anew each time).
func (h *HTTP) UseScriptRequest(s *Session, r *script.HTTPRequest) {
	s.httpState(h)
	st := s.HTTP
	if len(h.args) > 0 {
		kept := make([]bool, len(h.args))
		for _, a := range r.Args.List {
			if a.Orig >= 0 && a.Orig < len(kept) {
				kept[a.Orig] = true
			}
		}
		var dropped []bool
		own := len(h.args) - h.mergedArgs // a merged default comes back with the next sample
		for i, k := range kept {
			if !k && i < own {
				if dropped == nil {
					dropped = make([]bool, len(h.args))
				}
				dropped[i] = true
			}
		}
		if dropped != nil {
			if st.dropped == nil {
				st.dropped = map[*HTTP][]bool{}
			}
			st.dropped[h] = dropped
		}
	}
	if r.Cookies != nil && len(r.Cookies.Added) > 0 && h.cookies != nil {
		jar := st.cookieStore(h.cookies)
		for _, c := range r.Cookies.Added {
			jar.addFromScript(s.Ctx, c)
		}
		r.Cookies.Added = nil
	}
	if r.HeadersChanged && len(h.mgrs) == 1 {
		// the sampler's only manager is the user's manager itself: what a
		// script adds or removes stays in it (a value changed on one of its
		// own headers is restored)
		cur, ok := h.userHeaders(st)
		if !ok {
			cur = h.headers
		}
		kept := make([]httpHeader, 0, len(r.Headers.List))
		for _, x := range r.Headers.List {
			switch {
			case x.Orig >= 0 && x.Orig < len(cur):
				kept = append(kept, cur[x.Orig])
			case x.Orig < 0:
				kept = append(kept, literalHeader(x.Name, x.Value))
			}
		}
		if st.headerLists == nil {
			st.headerLists = map[*jmx.Element][]httpHeader{}
		}
		st.headerLists[h.mgrs[0].el] = kept
	}
	st.edit(h).script = r
}

// userHeaders merges the header managers in scope with the user's own
// versions of those that scripts changed; false when none was.
func (h *HTTP) userHeaders(st *HTTPState) ([]httpHeader, bool) {
	if st.headerLists == nil {
		return nil, false
	}
	var lists [][]httpHeader
	for i, m := range h.mgrs {
		if l, ok := st.headerLists[m.el]; ok {
			if lists == nil {
				lists = make([][]httpHeader, len(h.mgrs))
				for j := range i {
					lists[j] = h.mgrs[j].list
				}
			}
			lists[i] = l
		} else if lists != nil {
			lists[i] = m.list
		}
	}
	if lists == nil {
		return nil, false
	}
	hs, _ := mergeHeaders(lists)
	return hs, true
}

func literalHeader(name, value string) httpHeader {
	name = strings.TrimSpace(name)
	return httpHeader{name: http.CanonicalHeaderKey(name), wire: name, value: functions.Literal(value), lit: []string{value}}
}

// withoutDropped filters out the arguments dropped for the user.
func withoutDropped(args []httpArg, dropped []bool) []httpArg {
	out := make([]httpArg, 0, len(args))
	for i, a := range args {
		if i >= len(dropped) || !dropped[i] {
			out = append(out, a)
		}
	}
	return out
}

// applyScript sets h (a copy for one sample) to the request r.
func (h *HTTP) applyScript(r *script.HTTPRequest) {
	h.staticURL, h.staticParsed, h.staticErr = "", nil, nil
	h.method = functions.Literal(r.Method)
	h.protocol = functions.Literal(r.Protocol)
	h.domain = functions.Literal(r.Domain)
	h.port = functions.Literal(r.Port)
	h.path = functions.Literal(r.Path)
	h.encoding = functions.Literal(r.Encoding)
	h.follow, h.auto = r.FollowRedirects && !r.AutoRedirects, r.AutoRedirects
	h.keepAlive, h.postBodyRaw = r.KeepAlive, r.PostBodyRaw
	h.args = make([]httpArg, 0, len(r.Args.List))
	for _, a := range r.Args.List {
		ct := a.ContentType
		if ct == "" {
			ct = "text/plain"
		}
		h.args = append(h.args, httpArg{name: functions.Literal(a.Name), value: functions.Literal(a.Value),
			encode: a.Encode, meta: a.Meta, contentType: ct})
	}
	if r.Headers != nil {
		h.headerManager = true
		h.headers = make([]httpHeader, 0, len(r.Headers.List))
		h.hasUA = false
		for _, x := range r.Headers.List {
			hh := literalHeader(x.Name, x.Value)
			if hh.wire == "" || hh.name == "Content-Length" {
				continue
			}
			h.headers = append(h.headers, hh)
			h.hasUA = h.hasUA || hh.name == "User-Agent"
		}
	}
}

// forUser is h with the arguments and headers scripts changed for the
// user for good; false when there are none.
func (h *HTTP) forUser(st *HTTPState) (*HTTP, bool) {
	d := st.dropped[h]
	hs, changed := h.userHeaders(st)
	if d == nil && !changed {
		return nil, false
	}
	l := *h
	l.mgrs = nil // the copy is for one sample and holds the user's changes
	l.staticURL, l.staticParsed, l.staticErr = "", nil, nil
	if d != nil {
		l.args = withoutDropped(l.args, d)
	}
	if changed {
		l.headers = hs
		l.hasUA = false
		for _, x := range hs {
			l.hasUA = l.hasUA || x.name == "User-Agent"
		}
	}
	return &l, true
}
