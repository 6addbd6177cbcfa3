package sampler

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"gometer/functions"
	"gometer/jmx"
)

// StateOptions configure a virtual user's HTTP state.
type StateOptions struct {
	// TLSVerify turns certificate verification on; JMeter accepts any
	// certificate, so the default is off.
	TLSVerify bool
	// Props are the run's properties (httpclient4.time_to_live …); may be nil.
	Props *functions.Properties
}

// HTTPState is a virtual user's HTTP state: its connections, cookie jars,
// caches and DNS caches. JMeter keeps all of these per thread, so the server
// sees as many connections as there are users. It is owned by one goroutine;
// only the connection counters are touched by the transport's goroutines.
type HTTPState struct {
	opt       StateOptions
	transport *http.Transport
	dialer    net.Dialer
	trace     *httptrace.ClientTrace
	baseCtx   context.Context // last context sampled with, and the same with the trace
	tracedCtx context.Context

	// Per-sample bookkeeping, set before a request and read after it.
	connectTimeout time.Duration
	readTimeout    time.Duration
	dns            *dnsState // DNS cache manager in scope of the current sample, or nil
	proxy          *url.URL  // the current sampler's proxy, or nil
	local          net.IP    // source address of the current sampler (ipSource), or nil
	gotConn        bool
	reused         bool
	connAt         time.Time
	conn           *countConn // connection of the current request

	// Bytes read from / written to all of this user's connections (plaintext,
	// after TLS), and the raw response header block of the current response.
	read    atomic.Int64
	written atomic.Int64
	capMu   sync.Mutex
	capOn   bool
	capBuf  []byte
	capDone bool

	cookies map[*jmx.Element]*cookieStore
	caches  map[*jmx.Element]*cacheStore
	dnss    map[*jmx.Element]*dnsState
	digest  map[string]*digestChallenge // auth URL → last Digest challenge

	scratch []byte // reusable buffer for discarded bodies

	// workers download embedded resources in parallel; each has its own
	// connections and shares this user's cookie jars, caches and DNS caches.
	workers []*HTTPState
}

// workerStates returns n worker states, created on first use.
func (st *HTTPState) workerStates(n int) []*HTTPState {
	for len(st.workers) < n {
		w := NewHTTPState(st.opt)
		st.workers = append(st.workers, w)
	}
	for _, w := range st.workers[:n] {
		w.cookies, w.caches, w.dnss = st.cookies, st.caches, st.dnss
	}
	return st.workers[:n]
}

// NewHTTPState returns the HTTP state of one virtual user.
func NewHTTPState(opt StateOptions) *HTTPState {
	st := &HTTPState{opt: opt}
	st.dialer = net.Dialer{KeepAlive: 30 * time.Second}
	st.newTransport()
	st.trace = &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			st.gotConn = true
			st.reused = info.Reused
			st.connAt = time.Now()
			if c, ok := info.Conn.(*countConn); ok {
				st.conn = c
				// A pooled connection already has a read pending (the
				// transport waits for the next response): arm the
				// response timeout on it too.
				if to := st.readTimeoutNow(); to > 0 {
					_ = c.Conn.SetReadDeadline(time.Now().Add(to))
				}
			}
		},
	}
	return st
}

func (st *HTTPState) newTransport() {
	ttl := 60 * time.Second
	if st.opt.Props != nil {
		if v, ok := st.opt.Props.Get("httpclient4.time_to_live"); ok {
			if ms, err := parseInt(v); err == nil && ms > 0 {
				ttl = time.Duration(ms) * time.Millisecond
			}
		}
	}
	tlsConf := &tls.Config{
		InsecureSkipVerify: !st.opt.TLSVerify, //nolint:gosec // JMeter accepts any certificate unless told otherwise
		ClientSessionCache: tls.NewLRUClientSessionCache(8),
	}
	st.transport = &http.Transport{
		DialContext: st.dial,
		DialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return st.dialTLS(ctx, network, addr, tlsConf)
		},
		Proxy:               func(*http.Request) (*url.URL, error) { return st.proxy, nil },
		DisableCompression:  true, // HC4 as JMeter configures it sends no Accept-Encoding
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     ttl,
		ForceAttemptHTTP2:   false,
	}
}

// StartIteration is called at each thread-group iteration start. It clears
// the cookie jars, caches and DNS caches whose manager asks for it; with
// sameUser false it also drops the connections and TLS sessions, as JMeter
// resets its HTTP clients for a new user.
func (st *HTTPState) StartIteration(sameUser bool) {
	for _, c := range st.cookies {
		if (c.cfg.controlled && !sameUser) || (!c.cfg.controlled && c.cfg.clearEach) {
			c.reset()
		}
	}
	for _, c := range st.caches {
		if (c.cfg.controlled && !sameUser) || (!c.cfg.controlled && c.cfg.clearEach) {
			c.reset()
		}
	}
	for _, d := range st.dnss {
		if d.cfg.clearEach {
			d.reset()
		}
	}
	if !sameUser {
		st.digest = nil
		st.transport.CloseIdleConnections()
		st.newTransport()
		for _, w := range st.workers {
			w.Close()
		}
		st.workers = nil
	}
}

// Close closes the idle connections.
func (st *HTTPState) Close() {
	st.transport.CloseIdleConnections()
	for _, w := range st.workers {
		w.Close()
	}
}

// begin prepares the per-request bookkeeping; call before RoundTrip.
func (st *HTTPState) begin(connectTO, readTO time.Duration, dns *dnsState) {
	st.connectTimeout = connectTO
	st.dns = dns
	st.gotConn = false
	st.reused = false
	st.conn = nil
	st.capMu.Lock()
	st.readTimeout = readTO
	st.capOn = true
	st.capDone = false
	st.capBuf = st.capBuf[:0]
	st.capMu.Unlock()
}

// end clears the read deadline of the connection used, so an idle pooled
// connection is not closed by a response timeout meant for one sample.
func (st *HTTPState) end() {
	if st.readTimeout > 0 && st.conn != nil {
		_ = st.conn.Conn.SetReadDeadline(time.Time{})
	}
	st.capMu.Lock()
	st.capOn = false
	st.capMu.Unlock()
}

// headerBlock returns the raw response header block captured from the wire
// (status line and headers, without the final empty line), or nil.
func (st *HTTPState) headerBlock() []byte {
	st.capMu.Lock()
	defer st.capMu.Unlock()
	if !st.capDone {
		return nil
	}
	return st.capBuf
}

// capture records the bytes of a response until the end of its header block.
func (st *HTTPState) capture(p []byte) {
	st.capMu.Lock()
	if st.capOn && !st.capDone {
		st.capBuf = append(st.capBuf, p...)
		for {
			i := bytes.Index(st.capBuf, []byte("\r\n\r\n"))
			if i < 0 {
				break
			}
			// Skip interim 1xx responses: keep the final header block only.
			if len(st.capBuf) > 9 && bytes.HasPrefix(st.capBuf, []byte("HTTP/")) && st.capBuf[9] == '1' && !bytes.HasPrefix(st.capBuf[9:], []byte("101")) {
				st.capBuf = append(st.capBuf[:0], st.capBuf[i+4:]...)
				continue
			}
			st.capBuf = st.capBuf[:i]
			st.capDone = true
			break
		}
		if len(st.capBuf) > 1<<20 { // pathological header block: give up capturing
			st.capOn = false
		}
	}
	st.capMu.Unlock()
}

func (st *HTTPState) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := st.dialRaw(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &countConn{Conn: c, st: st}, nil
}

func (st *HTTPState) dialRaw(ctx context.Context, network, addr string) (net.Conn, error) {
	d := st.dialer
	if st.connectTimeout > 0 {
		d.Timeout = st.connectTimeout
	}
	if st.local != nil {
		d.LocalAddr = &net.TCPAddr{IP: st.local}
	}
	if st.dns != nil {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		ips, err := st.dns.resolve(ctx, host)
		if err != nil {
			return nil, err
		}
		var firstErr error
		for _, ip := range ips {
			c, err := d.DialContext(ctx, network, net.JoinHostPort(ip, port))
			if err == nil {
				return c, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
		return nil, firstErr
	}
	return d.DialContext(ctx, network, addr)
}

func (st *HTTPState) dialTLS(ctx context.Context, network, addr string, base *tls.Config) (net.Conn, error) {
	raw, err := st.dialRaw(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	host, _, _ := net.SplitHostPort(addr)
	cfg := base.Clone()
	cfg.ServerName = host
	tc := tls.Client(raw, cfg)
	// The handshake reads under the socket (response) timeout, as in HttpClient.
	hctx := ctx
	if to := st.readTimeoutNow(); to > 0 {
		var cancel context.CancelFunc
		hctx, cancel = context.WithTimeout(ctx, to)
		defer cancel()
	}
	if err := tc.HandshakeContext(hctx); err != nil {
		raw.Close()
		return nil, &tlsError{err}
	}
	// Count plaintext bytes above TLS, as HttpClient's connection metrics do.
	return &countConn{Conn: tc, st: st}, nil
}

// tlsError marks a failed TLS handshake.
type tlsError struct{ err error }

func (e *tlsError) Error() string { return e.err.Error() }
func (e *tlsError) Unwrap() error { return e.err }

// countConn counts the bytes a user's connection reads and writes, captures
// response header blocks and applies the response (socket) timeout per read.
type countConn struct {
	net.Conn
	st *HTTPState
}

func (c *countConn) Read(p []byte) (int, error) {
	if to := c.st.readTimeoutNow(); to > 0 {
		_ = c.Conn.SetReadDeadline(time.Now().Add(to))
	}
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.st.read.Add(int64(n))
		c.st.capture(p[:n])
	}
	return n, err
}

func (c *countConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.st.written.Add(int64(n))
	return n, err
}

// readTimeoutNow is the response timeout of the sample in progress; read
// under the capture lock because transport goroutines call it.
func (st *HTTPState) readTimeoutNow() time.Duration {
	st.capMu.Lock()
	defer st.capMu.Unlock()
	if !st.capOn {
		return 0
	}
	return st.readTimeout
}

// setLocal selects the source address for the next request; pooled
// connections bound to another address are dropped.
func (st *HTTPState) setLocal(ip net.IP) {
	if ip.Equal(st.local) {
		return
	}
	st.local = ip
	st.transport.CloseIdleConnections()
}
