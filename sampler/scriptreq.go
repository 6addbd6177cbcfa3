package sampler

import (
	"net/http"
	"strings"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/script"
)

// A script's `sampler` changes the HTTP request JMeter is about to send by
// mutating the user's clone of the sampler; after the sample JMeter
// restores the clone's running version, so a changed path, domain, port,
// method, flag or added argument lasts for that sample only. Removing one
// of the sampler's own arguments is not undone (the argument list is
// restored by reference, not by copy): the user's later samples of that
// sampler go without it.

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
	var dropped []bool
	if s.HTTP != nil {
		dropped = s.HTTP.dropped[h]
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
		list := make([]*script.Header, 0, len(h.headers))
		for _, hh := range h.headers {
			list = append(list, &script.Header{Name: hh.wire, Value: hh.value.Eval(c)})
		}
		req.Headers = script.NewHeaderManager(req, list)
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
// user's later samples.
func (h *HTTP) UseScriptRequest(s *Session, r *script.HTTPRequest) {
	if s.HTTP == nil {
		s.HTTP = NewHTTPState(StateOptions{TLSVerify: h.tlsVerify, Props: h.props})
	}
	st := s.HTTP
	if len(h.args) > 0 {
		kept := make([]bool, len(h.args))
		for _, a := range r.Args.List {
			if a.Orig >= 0 && a.Orig < len(kept) {
				kept[a.Orig] = true
			}
		}
		var dropped []bool
		for i, k := range kept {
			if !k {
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
	st.edit(h).script = r
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
			name := strings.TrimSpace(x.Name)
			cn := http.CanonicalHeaderKey(name)
			if name == "" || cn == "Content-Length" {
				continue
			}
			h.headers = append(h.headers, httpHeader{name: cn, wire: name, value: functions.Literal(x.Value), lit: []string{x.Value}})
			h.hasUA = h.hasUA || cn == "User-Agent"
		}
	}
}
