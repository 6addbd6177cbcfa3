package sampler

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The HTTP client is synchronous: the virtual user's goroutine writes the
// request and reads the response on its own keep-alive connection, with no
// transport goroutines per connection and no buffers held while idle
// (bufio readers and writers come from pools shared by the sampler).
// Requests are written in HttpClient's header order (writeRequest) and
// responses read by the lean reader in httpread.go.

// bufPools are shared by all users of a sampler.
type bufPools struct {
	r sync.Pool // *bufio.Reader
	w sync.Pool // *bufio.Writer
	s sync.Pool // *[]byte: scratch space for bodies read and dropped
	x sync.Pool // *exchScratch
}

// exchScratch is what one exchange needs and nothing keeps afterwards: the
// request and response structs, their header maps and the header-reading
// buffers. A user takes one from the sampler's pool per sample, so that an
// idle user (thousands of them wait in think times) holds none.
type exchScratch struct {
	req      http.Request
	reqHdr   http.Header
	resp     http.Response
	respHdr  http.Header
	respVals []string
	head     []byte
	line     []byte
	ex       exState
}

func (p *bufPools) getExch() *exchScratch {
	if x, ok := p.x.Get().(*exchScratch); ok {
		return x
	}
	return &exchScratch{}
}

// putExch returns x to the pool unless an unusual response made it large.
func (p *bufPools) putExch(x *exchScratch) {
	if cap(x.head) > 64<<10 || cap(x.line) > 64<<10 || len(x.respHdr) > 64 || len(x.reqHdr) > 64 {
		return
	}
	x.req, x.resp, x.ex = http.Request{}, http.Response{}, exState{} // drop references
	clear(x.reqHdr)
	clear(x.respHdr)
	clear(x.respVals)
	p.x.Put(x)
}

func newBufPools() *bufPools {
	return &bufPools{
		r: sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }},
		w: sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4096) }},
		s: sync.Pool{New: func() any { b := make([]byte, 16<<10); return &b }},
	}
}

func (p *bufPools) getScratch() *[]byte  { return p.s.Get().(*[]byte) }
func (p *bufPools) putScratch(b *[]byte) { p.s.Put(b) }

// connKey identifies the connections a request may reuse.
type connKey struct {
	scheme, addr, proxy string
}

// clientConn is one pooled connection of a user.
type clientConn struct {
	key    connKey
	conn   *countConn
	br     *bufio.Reader // while a response is read; nil when idle
	idleAt time.Time
	body   connBody // the current response's body
	// The current response's body reader, by transfer coding; kept here
	// so that reading a response allocates no reader.
	sized  sizedBody
	chunks chunkBody
	// done is the Done channel of the context the connection was opened
	// under; stop unregisters the close that context's cancellation
	// triggers. Registering once per connection rather than per request
	// keeps requests off the context's lock, which every user shares.
	done <-chan struct{}
	stop func() bool
}

func (cc *clientConn) close() {
	if cc.stop != nil {
		cc.stop()
	}
	_ = cc.conn.Close()
}

// watch closes the connection when ctx is cancelled (the run stops hard).
func (cc *clientConn) watch(ctx context.Context) {
	if d := ctx.Done(); d != nil {
		conn := cc.conn
		cc.done = d
		cc.stop = context.AfterFunc(ctx, func() { _ = conn.Close() })
	}
}

// errNoResponse: the connection ended before a response (HttpClient's
// NoHttpResponseException).
var errNoResponse = errors.New("the target server failed to respond")

// maxIdlePerKey bounds the idle connections a user keeps per target.
const maxIdlePerKey = 4

// roundTrip sends req and returns the response; its Body must be read and
// closed, which returns the connection to the user's pool when reusable.
// Like JMeter's HttpClient there is no retry: a kept-alive connection is
// checked before reuse only when it has been idle longer than
// httpclient4.validate_after_inactivity (4.9 s), and a server that closes it
// in the meantime fails the sample with NoHttpResponseException.
func (st *HTTPState) roundTrip(ctx context.Context, h *HTTP, req *http.Request, body *reqBody) (*http.Response, error) {
	// Each step is a function of its own: see exchange on stack depth.
	if h.http2 != HTTP2Off {
		return st.roundTripAny(ctx, h, req, body) // off the HTTP/1.1 path: its frame stays small
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

// acquire returns a pooled or new connection for req and notes the connect time.
func (st *HTTPState) acquire(ctx context.Context, req *http.Request) (*clientConn, error) {
	key := connKey{scheme: req.URL.Scheme, addr: st.connAddr(req.URL)}
	if st.proxy != nil {
		key.proxy = st.proxy.String()
	}
	cc, reused, err := st.getConn(ctx, key)
	if err != nil {
		// HttpClient marks the connect end even when connecting fails.
		st.gotConn, st.reused, st.connAt = true, false, time.Now()
		return nil, err
	}
	st.gotConn, st.reused, st.conn = true, reused, cc.conn
	if !reused {
		st.connAt = time.Now() // only a new connection's connect time is reported
	}
	return cc, nil
}

// dropFailed closes a connection whose exchange failed.
func (st *HTTPState) dropFailed(ctx context.Context, h *HTTP, cc *clientConn, err error) error {
	cc.close()
	if cc.br != nil {
		cc.br.Reset(nil)
		h.bufs.r.Put(cc.br)
		cc.br = nil
	}
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}

// exchangeOn writes req on cc and reads the response's head.
func (st *HTTPState) exchangeOn(ctx context.Context, h *HTTP, cc *clientConn, req *http.Request, body *reqBody) (*http.Response, error) {
	var stop func() bool
	if d := ctx.Done(); d != nil && d != cc.done {
		stop = watchConn(ctx, cc.conn) // a context other than the connection's: watch it for this request
	}
	if err := st.writeOn(h, cc, req, body); err != nil {
		if stop != nil {
			stop()
		}
		return nil, err
	}
	if !h.timeoutPerRead && st.readTimeout > 0 {
		st.respDeadline = time.Now().Add(st.readTimeout)
	}
	if cc.br == nil {
		cc.br = h.bufs.r.Get().(*bufio.Reader)
		cc.br.Reset(cc.conn)
	}
	// Let the other users run before reading: under load the response has
	// usually arrived by then, and the read succeeds at once instead of
	// failing, parking the goroutine and waking it through the poller.
	runtime.Gosched()
	resp, err := st.readResponse(cc, req)
	if err != nil {
		if stop != nil {
			stop()
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			err = errNoResponse // the server closed the connection without answering
		}
		return nil, err
	}
	// The body wrapper lives in the connection: one response at a time is
	// read on it, and reusing it saves an allocation per request. Set field
	// by field: a composite literal would take a stack temporary.
	b := &cc.body
	b.rc, b.st, b.cc, b.pools, b.stop = resp.Body, st, cc, h.bufs, stop
	b.reuse = !resp.Close && !req.Close && resp.StatusCode != 101
	b.eof, b.done, b.at = false, false, time.Time{}
	resp.Body = b
	return resp, nil
}

// watchConn closes conn when ctx is cancelled; the returned func unregisters.
func watchConn(ctx context.Context, conn net.Conn) func() bool {
	return context.AfterFunc(ctx, func() { _ = conn.Close() })
}

// writeOn writes req (and its body) on cc.
func (st *HTTPState) writeOn(h *HTTP, cc *clientConn, req *http.Request, body *reqBody) error {
	bw := h.bufs.w.Get().(*bufio.Writer)
	bw.Reset(cc.conn)
	proxied := cc.key.proxy != "" && cc.key.scheme == "http"
	if proxied {
		if u := st.proxy.User; u != nil {
			pw, _ := u.Password()
			req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+pw)))
		}
	}
	err := h.writeRequest(bw, req, body, proxied)
	if err == nil {
		err = bw.Flush()
	}
	bw.Reset(nil)
	h.bufs.w.Put(bw)
	return err
}

// connBody returns the connection to the pool once the body has been read
// to its end, or closes it.
type connBody struct {
	rc    io.ReadCloser
	st    *HTTPState
	cc    *clientConn
	pools *bufPools
	stop  func() bool
	reuse bool
	eof   bool
	done  bool
	// at, when set, is a clock reading taken just before Close (the
	// sample's end): the idle time starts there, saving a clock read.
	at time.Time
}

func (b *connBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

func (b *connBody) Close() error {
	if b.done {
		return nil
	}
	b.done = true
	b.rc.Close()
	cc := b.cc
	cancelled := false
	if b.stop != nil {
		cancelled = !b.stop() // the context fired: the connection was closed
	} else if cc.done != nil {
		select {
		case <-cc.done:
			cancelled = true
		default:
		}
	}
	if b.reuse && b.eof && !cancelled && cc.br.Buffered() == 0 {
		cc.br.Reset(nil)
		b.pools.r.Put(cc.br)
		cc.br = nil
		b.st.putIdle(cc, b.at)
		return nil
	}
	if cc.br != nil {
		cc.br.Reset(nil)
		b.pools.r.Put(cc.br)
		cc.br = nil
	}
	cc.close()
	return nil
}

// putIdle keeps cc for reuse; now is the current time, or zero to read the clock.
func (st *HTTPState) putIdle(cc *clientConn, now time.Time) {
	n := 0
	for _, x := range st.idle {
		if x.key == cc.key {
			n++
		}
	}
	if n >= maxIdlePerKey {
		cc.close()
		return
	}
	if now.IsZero() {
		now = time.Now()
	}
	cc.idleAt = now
	st.idle = append(st.idle, cc)
}

// getConn returns an idle connection for key (most recently used first)
// or dials a new one.
func (st *HTTPState) getConn(ctx context.Context, key connKey) (*clientConn, bool, error) {
	now := st.startedAt
	for i := len(st.idle) - 1; i >= 0; i-- {
		cc := st.idle[i]
		if cc.key != key {
			continue
		}
		st.idle = slices.Delete(st.idle, i, i+1)
		if now.IsZero() {
			now = time.Now()
		}
		idle := now.Sub(cc.idleAt)
		if idle > st.ttl || (idle > st.validateAfter && isStale(cc.conn.Conn)) {
			cc.close()
			continue
		}
		return cc, true, nil
	}
	c, err := st.dialKey(ctx, key)
	if err != nil {
		return nil, false, err
	}
	cc := &clientConn{key: key, conn: c}
	cc.watch(ctx)
	return cc, false, nil
}

// dialKey opens a connection for key: directly, through the proxy for
// http, or through a CONNECT tunnel for https.
func (st *HTTPState) dialKey(ctx context.Context, key connKey) (*countConn, error) {
	if key.proxy == "" {
		if key.scheme == "https" {
			return st.dialTLS(ctx, "tcp", key.addr)
		}
		return st.dial(ctx, "tcp", key.addr)
	}
	pu := st.proxy
	if key.scheme == "http" {
		return st.dial(ctx, "tcp", canonicalAddr(pu))
	}
	raw, err := st.dialRaw(ctx, "tcp", canonicalAddr(pu))
	if err != nil {
		return nil, err
	}
	if err := connectTunnel(raw, key.addr, pu); err != nil {
		raw.Close()
		return nil, err
	}
	return st.handshake(ctx, raw, key.addr)
}

// connectTunnel asks an HTTP proxy for a tunnel to addr.
func connectTunnel(raw net.Conn, addr string, proxy *url.URL) error {
	req := &http.Request{Method: "CONNECT", URL: &url.URL{Opaque: addr}, Host: addr, Header: http.Header{}}
	if u := proxy.User; u != nil {
		pw, _ := u.Password()
		req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+pw)))
	}
	if err := req.Write(raw); err != nil {
		return err
	}
	br := bufio.NewReaderSize(raw, 1024)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return &javaError{"java.io.IOException", "Unable to tunnel through proxy. Proxy returns \"HTTP/1.1 " + resp.Status + "\""}
	}
	if br.Buffered() > 0 {
		return errors.New("proxy sent data after CONNECT")
	}
	return nil
}

// closeIdle closes every idle connection.
func (st *HTTPState) closeIdle() {
	for _, cc := range st.idle {
		cc.close()
	}
	clear(st.idle)
	st.idle = st.idle[:0]
}

// canonicalAddr is host:port of u with the scheme's default port.
func canonicalAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// tlsConfig is the user's TLS configuration, built at the user's first TLS
// connection (most users of a plain-HTTP test never need one) and dropped
// for a new user, so TLS sessions are resumed only within a user.
func (st *HTTPState) newTLSConfig() {
	st.tlsConf = &tls.Config{
		InsecureSkipVerify: !st.opt.TLSVerify, //nolint:gosec // JMeter accepts any certificate unless told otherwise
		ClientSessionCache: tls.NewLRUClientSessionCache(8),
	}
}

// writeRequest writes req as JMeter's HttpClient 4 does: request line,
// Connection, the header managers' headers in their order (names as
// written), conditional headers, Cookie, Content-Length and the entity's
// Content-Type, Host, User-Agent, Authorization; then the body.
func (h *HTTP) writeRequest(w *bufio.Writer, req *http.Request, body *reqBody, proxied bool) error {
	return h.writeRequestPart(w, req, body, proxied, true)
}

// writeRequestPart writes the request head, and the body when withBody.
func (h *HTTP) writeRequestPart(w *bufio.Writer, req *http.Request, body *reqBody, proxied, withBody bool) error {
	w.WriteString(req.Method)
	w.WriteByte(' ')
	if proxied {
		u := *req.URL
		u.Fragment = ""
		w.WriteString(u.String())
	} else {
		w.WriteString(req.URL.RequestURI())
	}
	w.WriteString(" HTTP/1.1\r\n")
	line := func(name, v string) {
		w.WriteString(name)
		w.WriteString(": ")
		if strings.ContainsAny(v, "\r\n") {
			v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
		}
		writeHeaderValue(w, v)
		w.WriteString("\r\n")
	}
	values := func(name, key string) {
		for _, v := range req.Header[key] {
			line(name, v)
		}
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	values("Connection", "Connection")
	for i := range h.headers {
		x := &h.headers[i]
		if x.name == "Connection" || h.headerIndex(x.name) != i {
			continue // written already
		}
		switch {
		case x.name == "Host":
			line(x.wire, host)
		case x.name == "Content-Type" && body != nil && body.forceCT:
			// multipart: the entity's type replaces the manager's, below
		default:
			values(x.wire, x.name)
		}
	}
	for _, k := range [...]string{"If-Modified-Since", "If-None-Match", "Cookie"} {
		if h.headerIndex(k) < 0 {
			values(k, k)
		}
	}
	if body != nil {
		w.WriteString("Content-Length: ")
		w.WriteString(strconv.FormatInt(body.size(), 10))
		w.WriteString("\r\n")
	}
	if h.headerIndex("Content-Type") < 0 || (body != nil && body.forceCT) {
		values("Content-Type", "Content-Type")
	}
	if h.headerIndex("Host") < 0 {
		line("Host", host)
	}
	if h.headerIndex("User-Agent") < 0 {
		if ua := req.Header["User-Agent"]; len(ua) > 0 && ua[0] != "" {
			line("User-Agent", ua[0])
		}
	}
	if h.headerIndex("Authorization") < 0 {
		values("Authorization", "Authorization")
	}
	values("Proxy-Authorization", "Proxy-Authorization")
	for k, vs := range req.Header {
		if headerKnown(k) || h.headerIndex(k) >= 0 {
			continue
		}
		for _, v := range vs {
			line(k, v)
		}
	}
	w.WriteString("\r\n")
	if body != nil && withBody {
		return body.writeTo(w)
	}
	return nil
}

// headerKnown lists the headers writeRequest writes by name.
func headerKnown(k string) bool {
	switch k {
	case "Connection", "If-Modified-Since", "If-None-Match", "Cookie", "Content-Type", "Host",
		"User-Agent", "Authorization", "Proxy-Authorization":
		return true
	}
	return false
}

// headerIndex is the position of the first header manager header named k
// (canonical), or -1.
func (h *HTTP) headerIndex(k string) int {
	for i := range h.headers {
		if h.headers[i].name == k {
			return i
		}
	}
	return -1
}

// writeHeaderValue writes v as HttpClient 4 writes header text: each UTF-16
// code unit as its low byte ("José" goes out in ISO-8859-1; characters
// beyond Latin-1 lose their high byte).
func writeHeaderValue(w *bufio.Writer, v string) {
	ascii := true
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		w.WriteString(v)
		return
	}
	for _, r := range v {
		if r > 0xFFFF {
			r -= 0x10000
			w.WriteByte(byte(0xD800 + (r >> 10)))
			w.WriteByte(byte(0xDC00 + (r & 0x3FF)))
			continue
		}
		w.WriteByte(byte(r))
	}
}
