package sampler

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/net/http2"
)

// HTTP2Mode says when an HTTP sampler speaks HTTP/2.
type HTTP2Mode uint8

const (
	// HTTP2Off: HTTP/1.1 only, as JMeter's own HTTP sampler.
	HTTP2Off HTTP2Mode = iota
	// HTTP2TLS: https offers h2 by ALPN (HTTP/1.1 when the server does not
	// take it); http stays HTTP/1.1.
	HTTP2TLS
	// HTTP2Always: as HTTP2TLS, and http URLs speak h2c with prior knowledge.
	HTTP2Always
)

// ParseHTTP2Mode reads the gometer.http2 property: off, on (h2 over TLS by
// ALPN) or h2c (also clear-text HTTP/2 with prior knowledge).
func ParseHTTP2Mode(s string) (HTTP2Mode, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "off", "false", "1.1":
		return HTTP2Off, true
	case "on", "true", "h2", "2":
		return HTTP2TLS, true
	case "h2c":
		return HTTP2Always, true
	}
	return HTTP2Off, false
}

// h2Pool holds a user's HTTP/2 connections, one per origin, shared with
// the workers that fetch its embedded resources: requests to one origin
// are multiplexed on one connection, as browsers do.
type h2Pool struct {
	mu sync.Mutex
	t  *http2.Transport
	m  map[connKey]*http2.ClientConn
}

func (p *h2Pool) get(key connKey) *http2.ClientConn {
	p.mu.Lock()
	defer p.mu.Unlock()
	cc := p.m[key]
	if cc != nil && !cc.CanTakeNewRequest() {
		delete(p.m, key)
		cc = nil
	}
	return cc
}

func (p *h2Pool) put(key connKey, cc *http2.ClientConn) {
	p.mu.Lock()
	if p.m == nil {
		p.m = map[connKey]*http2.ClientConn{}
	}
	if old := p.m[key]; old != nil && old != cc {
		_ = old.Close()
	}
	p.m[key] = cc
	p.mu.Unlock()
}

func (p *h2Pool) close() {
	p.mu.Lock()
	for k, cc := range p.m {
		_ = cc.Close()
		delete(p.m, k)
	}
	p.mu.Unlock()
}

// roundTripAny is roundTrip for a sampler that may speak HTTP/2.
func (st *HTTPState) roundTripAny(ctx context.Context, h *HTTP, req *http.Request, body *reqBody) (*http.Response, error) {
	if resp, err, ok := st.roundTripH2(ctx, h, req, body); ok {
		return resp, err
	}
	cc, err := st.acquire(ctx, req)
	if err != nil {
		return nil, err
	}
	resp, err := st.exchangeOn(ctx, h, cc, req, body)
	if err != nil {
		return nil, st.dropFailed(ctx, h, cc, err)
	}
	return resp, nil
}

// roundTripH2 sends req over HTTP/2 when the sampler asks for it and the
// origin speaks it; ok is false when the request is for the HTTP/1.1 path.
func (st *HTTPState) roundTripH2(ctx context.Context, h *HTTP, req *http.Request, body *reqBody) (resp *http.Response, err error, ok bool) {
	// Through a proxy, h2 goes inside the CONNECT tunnel (TLS and ALPN
	// end to end, as the plugin's client does); clear-text requests stay
	// HTTP/1.1 to the proxy.
	if (st.proxy != nil && req.URL.Scheme != "https") || (req.URL.Scheme == "http" && h.http2 != HTTP2Always) {
		return nil, nil, false
	}
	if st.h2 == nil {
		st.h2 = &h2Pool{t: &http2.Transport{AllowHTTP: true}}
	}
	key := connKey{scheme: req.URL.Scheme, addr: st.connAddr(req.URL)}
	if st.proxy != nil {
		key.proxy = st.proxy.String()
	}
	if cc := st.h2.get(key); cc != nil {
		st.gotConn, st.reused = true, true
		return st.h2Exchange(ctx, h, cc, req, body)
	}
	if st.h1only[key] {
		return nil, nil, false
	}
	st.wantH2 = true
	c, err := st.acquire(ctx, req)
	st.wantH2 = false
	if err != nil {
		return nil, err, true
	}
	if tc, isTLS := c.conn.Conn.(*tls.Conn); isTLS && tc.ConnectionState().NegotiatedProtocol != "h2" {
		// the server chose HTTP/1.1: this request and the next go that way
		if st.h1only == nil {
			st.h1only = map[connKey]bool{}
		}
		st.h1only[key] = true
		resp, err := st.exchangeOn(ctx, h, c, req, body)
		if err != nil {
			return nil, st.dropFailed(ctx, h, c, err), true
		}
		return resp, nil, true
	}
	// HTTP/2 reads frames in the background, on the connection under the
	// counting wrapper (whose per-request read deadline is HTTP/1.1's); the
	// hard-stop watch stays on it.
	cc, err := st.h2.t.NewClientConn(c.conn.Conn)
	if err != nil {
		c.close()
		return nil, err, true
	}
	st.h2.put(key, cc)
	return st.h2Exchange(ctx, h, cc, req, body)
}

// h2Exchange sends one request on an HTTP/2 connection. The response
// timeout bounds the whole exchange; the request context ends when its
// body is closed.
func (st *HTTPState) h2Exchange(ctx context.Context, h *HTTP, cc *http2.ClientConn, req *http.Request, body *reqBody) (*http.Response, error, bool) {
	rctx, cancel := context.WithCancel(ctx)
	if st.readTimeout > 0 {
		rctx, cancel = context.WithTimeout(ctx, st.readTimeout)
	}
	r := req.Clone(rctx)
	r.Header.Del("Connection")
	if body != nil && (!body.empty() || entityMethod(req.Method)) {
		r.Body = body.reader()
		r.ContentLength = body.size()
		if r.Header.Get("Content-Type") == "" && body.contentType != "" {
			r.Header.Set("Content-Type", body.contentType)
		}
	}
	st.h2Sent = int64(len(h2HeaderText(r))) + r.ContentLength
	st.h2Used = true
	resp, err := cc.RoundTrip(r)
	if err != nil {
		cancel()
		return nil, err, true
	}
	st.respHead = h2ResponseHead(resp)
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil, true
}

// cancelBody ends the request's context when the body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// h2ResponseHead is the status line and headers as JMeter's HTTP/2
// sampler shows them: "HTTP/2.0 200 OK" then "name: value" lines.
func h2ResponseHead(resp *http.Response) string {
	var b strings.Builder
	b.WriteString("HTTP/2.0 ")
	b.WriteString(strconv.Itoa(resp.StatusCode))
	if t := http.StatusText(resp.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	b.WriteByte('\n')
	names := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range resp.Header[k] {
			b.WriteString(strings.ToLower(k) + ": " + v + "\n")
		}
	}
	return b.String()
}

// h2HeaderText is the request head's size as text: what the sent-bytes
// count uses for HTTP/2, whose compressed frames have no text form.
func h2HeaderText(r *http.Request) string {
	var b strings.Builder
	b.WriteString(r.Method + " " + r.URL.RequestURI() + " HTTP/2.0\n")
	for k, vs := range r.Header {
		for _, v := range vs {
			b.WriteString(k + ": " + v + "\n")
		}
	}
	return b.String()
}
