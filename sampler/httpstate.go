package sampler

import (
	"context"
	"crypto/tls"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http2"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// StateOptions configure a virtual user's HTTP state.
type StateOptions struct {
	// TLSVerify turns certificate verification on; JMeter accepts any
	// certificate, so the default is off.
	TLSVerify bool
	// Props are the run's properties (httpclient4.time_to_live …); may be nil.
	Props *functions.Properties
	// ClientCerts are offered when a server asks for a client certificate;
	// nil offers none.
	ClientCerts *ClientCerts
}

// HTTPState is a virtual user's HTTP state: its connections, cookie jars,
// caches and DNS caches. JMeter keeps all of these per thread, so the server
// sees as many connections as there are users. It is owned by one goroutine.
type HTTPState struct {
	next         *sampleEdit                   // pre-processors' changes to the next sample only
	rewriteSaved map[*URLRewriter]string       // URL Re-writing Modifiers' cached session ids
	dropped      map[*HTTP][]bool              // the samplers' own arguments scripts removed for this user
	headerLists  map[*jmx.Element][]httpHeader // header managers as scripts changed them for this user
	opt          StateOptions
	dialer       net.Dialer
	tlsConf      *tls.Config
	ttl          time.Duration // httpclient4.time_to_live: a pooled connection older than this is not reused
	// validateAfter is httpclient4.validate_after_inactivity: idle longer
	// than this, a connection is checked before reuse.
	validateAfter time.Duration
	idle          []*clientConn // idle connections, most recently used last; few, so a slice beats a map
	memo          *urlMemo      // the last URL built from templates, parsed
	addrHost      string        // connAddr's last host, scheme and address
	addrScheme    string
	addr          string

	// Per-sample bookkeeping, set before a request and read after it.
	connectTimeout time.Duration
	readTimeout    time.Duration
	// respDeadline bounds the whole response (head and body) by the
	// response timeout from when the request was sent; zero: per read only.
	respDeadline time.Time
	dns          *dnsState // DNS cache manager in scope of the current sample, or nil
	proxy        *url.URL  // the current sampler's proxy, or nil
	local        net.IP    // source address of the current sampler (ipSource), or nil
	certAlias    string    // client certificate alias the user's variable named at this request
	gotConn      bool
	reused       bool
	connAt       time.Time
	conn         *countConn // connection of the current request

	// Bytes read from / written to this user's connections (plaintext,
	// after TLS).
	read    atomic.Int64
	written atomic.Int64
	// active is set while a sample's request is under way (the response
	// timeout applies). respHead is the current response's status line and
	// headers as received, each line ended by "\n". x is the exchange's
	// scratch space, taken from the sampler's pool for one sample.
	active   bool
	respHead string
	// startedAt is when the current request began, when it is the
	// sample's first (zero otherwise: the clock is read).
	startedAt time.Time
	x         *exchScratch

	cookies map[*jmx.Element]*cookieStore
	caches  map[*jmx.Element]*cacheStore
	dnss    map[*jmx.Element]*dnsState
	// shareMu guards the three maps above once they are shared with
	// parallel branches or download workers (nil before: one owner).
	shareMu *sync.Mutex
	digest  map[string]*digestChallenge // auth URL → last Digest challenge

	// workers download embedded resources in parallel; each has its own
	// connections and shares this user's cookie jars, caches and DNS caches.
	workers []*HTTPState

	// HTTP/2: connections by origin (shared with the workers), origins that
	// answered ALPN with HTTP/1.1, and the current request's figures.
	h2     *h2Pool
	h1only map[connKey]bool
	wantH2 bool  // the connection being dialled offers h2 by ALPN
	h2Used bool  // the current request went over HTTP/2
	h2Sent int64 // its request head (as text) and body size
}

// workerStates returns n worker states, created on first use.
func (st *HTTPState) workerStates(n int) []*HTTPState {
	for len(st.workers) < n {
		w := NewHTTPState(st.opt)
		st.workers = append(st.workers, w)
	}
	if st.h2 == nil {
		st.h2 = &h2Pool{t: &http2.Transport{AllowHTTP: true}}
	}
	st.share()
	for _, w := range st.workers[:n] {
		w.cookies, w.caches, w.dnss, w.h2, w.shareMu = st.cookies, st.caches, st.dnss, st.h2, st.shareMu
	}
	return st.workers[:n]
}

// share makes the cookie, cache and DNS maps ready to be shared.
func (st *HTTPState) share() {
	if st.shareMu == nil {
		st.shareMu = &sync.Mutex{}
	}
	st.shareMu.Lock()
	if st.cookies == nil {
		st.cookies = map[*jmx.Element]*cookieStore{}
	}
	if st.caches == nil {
		st.caches = map[*jmx.Element]*cacheStore{}
	}
	if st.dnss == nil {
		st.dnss = map[*jmx.Element]*dnsState{}
	}
	st.shareMu.Unlock()
}

// Branch returns the HTTP state of a branch of the same user running in
// parallel with others (the Parallel Controller plugin runs each child on
// a thread of its own): connections of its own, opened afresh as the
// plugin's new threads do, and the user's cookie jars, caches and DNS
// caches. Close it when the branch ends.
func (st *HTTPState) Branch() *HTTPState {
	st.share()
	b := NewHTTPState(st.opt)
	b.cookies, b.caches, b.dnss, b.shareMu = st.cookies, st.caches, st.dnss, st.shareMu
	return b
}

// NewHTTPState returns the HTTP state of one virtual user.
func NewHTTPState(opt StateOptions) *HTTPState {
	st := &HTTPState{opt: opt, ttl: 60 * time.Second, validateAfter: 4900 * time.Millisecond}
	st.dialer = net.Dialer{KeepAlive: 30 * time.Second}
	if opt.Props != nil {
		if v, ok := opt.Props.Get("httpclient4.time_to_live"); ok {
			if ms, err := parseInt(v); err == nil && ms > 0 {
				st.ttl = time.Duration(ms) * time.Millisecond
			}
		}
		if v, ok := opt.Props.Get("httpclient4.validate_after_inactivity"); ok {
			if ms, err := parseInt(v); err == nil && ms >= 0 {
				st.validateAfter = time.Duration(ms) * time.Millisecond
			}
		}
	}
	return st
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
		st.closeIdle()
		if st.h2 != nil {
			st.h2.close()
		}
		st.h1only = nil
		st.tlsConf = nil // a new user: new TLS sessions
		for _, w := range st.workers {
			w.Close()
		}
		st.workers = nil
	}
}

// Close closes the idle connections.
func (st *HTTPState) Close() {
	st.closeIdle()
	if st.h2 != nil {
		st.h2.close()
	}
	for _, w := range st.workers {
		w.Close()
	}
}

// begin prepares the per-request bookkeeping; call before a request.
func (st *HTTPState) begin(connectTO, readTO time.Duration, dns *dnsState) {
	st.connectTimeout = connectTO
	st.readTimeout = readTO
	st.respDeadline = time.Time{}
	st.dns = dns
	st.gotConn = false
	st.reused = false
	st.conn = nil
	st.active = true
	st.respHead = ""
	st.startedAt = time.Time{}
	st.h2Used = false
}

// end stops the response timeout.
func (st *HTTPState) end() {
	st.active = false
}

func (st *HTTPState) dial(ctx context.Context, network, addr string) (*countConn, error) {
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

func (st *HTTPState) dialTLS(ctx context.Context, network, addr string) (*countConn, error) {
	raw, err := st.dialRaw(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return st.handshake(ctx, raw, addr)
}

// handshake runs the TLS handshake on raw for addr.
func (st *HTTPState) handshake(ctx context.Context, raw net.Conn, addr string) (*countConn, error) {
	host, _, _ := net.SplitHostPort(addr)
	if st.tlsConf == nil {
		st.newTLSConfig()
	}
	cfg := st.tlsConf.Clone()
	cfg.ServerName = host
	if st.opt.ClientCerts != nil {
		cfg.GetClientCertificate = st.clientCertificate
	}
	if st.wantH2 {
		cfg.NextProtos = []string{"h2", "http/1.1"}
	}
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

// countConn counts the bytes a user's connection reads and writes and applies the response (socket) timeout per read.
type countConn struct {
	net.Conn
	st       *HTTPState
	deadline bool // a read deadline is set
}

func (c *countConn) Read(p []byte) (int, error) {
	if to := c.st.readTimeoutNow(); to > 0 {
		dl := time.Now().Add(to)
		if rd := c.st.respDeadline; !rd.IsZero() && rd.Before(dl) {
			dl = rd // a body that trickles in is still bounded as a whole
		}
		_ = c.Conn.SetReadDeadline(dl)
		c.deadline = true
	} else if c.deadline {
		_ = c.Conn.SetReadDeadline(time.Time{})
		c.deadline = false
	}
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.st.read.Add(int64(n))
	}
	return n, err
}

func (c *countConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.st.written.Add(int64(n))
	return n, err
}

// readTimeoutNow is the response timeout of the sample in progress.
func (st *HTTPState) readTimeoutNow() time.Duration {
	if !st.active {
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
	st.closeIdle()
}
