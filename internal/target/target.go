// Package target is a deterministic HTTP server for gometer's demo, its
// conformance suite, its robustness tests and its benchmarks.
//
// It serves a small fintech demo API under /api (login, market data,
// dashboard, portfolio, orders, payments), helpers that conformance plans use
// (/echo, /status, /redirect, /cookies, /html, /xml, /json …), two benchmark
// endpoints (/fast, /fixed/{ms}) and misbehaving endpoints under /fault for
// robustness tests. All state is in memory and every identifier is derived
// from per-user counters or the seed, so the same requests from the same
// users give the same answers whatever the interleaving of users.
//
// Demo API (JSON unless noted):
//
//	POST   /api/login        {"username","password"} as JSON or form; password must be "secret".
//	                         200 {"token","userId","username"} + Set-Cookie SESSION=…; Path=/api
//	                         400 missing field, 401 wrong password.
//	GET    /api/market       {"currency","symbols":[{"symbol","name","price","change"}]} (prices fixed per seed)
//	GET    /api/dashboard    HTML page: title "Trading Dashboard", links to the API
//	GET    /api/portfolio    needs Authorization: Bearer <token> (else 401); cash, positions from filled orders
//	POST   /api/orders       {"symbol","side","qty","price"} → 201 {"orderId","status":"PENDING",…}; 400 invalid
//	GET    /api/orders       {"orders":[…],"count"} of the caller, oldest first
//	GET    /api/orders/{id}  one order of the caller, 404 otherwise
//	DELETE /api/orders/{id}  PENDING → 200 CANCELLED; FILLED/CANCELLED → 409; unknown or another user's → 404
//	POST   /api/payments     {"amount","currency","to"} → 201 {"paymentId","status"}; amount outside 10–1000 → 422
//	GET    /api/payments     the caller's payments
//
// Orders, order lists and payments need a Bearer token or the SESSION cookie
// (401 otherwise). An order stays PENDING until its user has placed two more
// orders, then it is FILLED: a deterministic stand-in for matching, so plans
// see a mix of pending and filled orders.
//
// Start serves plain HTTP; StartTLS serves the same handler over HTTPS with
// a self-signed certificate (both may run at once, sharing state).
//
// Every request handled to completion with an HTTP response is counted
// (Count); requests whose connection a fault endpoint hijacks or abandons,
// and requests whose client went away before the handler finished writing,
// are not.
package target

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Server.
type Options struct {
	// Record receives one JSON line (a Record) per request when not nil.
	Record io.Writer
	// Seed makes market prices, tokens and generated bodies reproducible.
	Seed int64
	// Logf receives server-side errors (bad requests from clients, failed
	// record writes). Nil discards them.
	Logf func(string, ...any)
	// Realistic makes the /api routes answer like a service under load
	// rather than at once (the demo uses it): see realism.go.
	Realistic bool
}

// Server is the target. Create it with New; it is an http.Handler and can
// also listen by itself with Start.
type Server struct {
	opts    Options
	handler http.Handler // the routes, without counting and recording
	count   atomic.Int64 // requests answered
	seq     atomic.Int64 // requests received, for Record.Seq
	done    chan struct{}
	once    sync.Once
	rec     recorder
	state   *state
	realMu  sync.Mutex
	realRnd *mrand.Rand // Options.Realistic's draws, seeded by Options.Seed
	pool    sync.Pool   // *respWriter
	block   []byte      // 64 KiB of seeded bytes for /bytes and /fault/big

	mu      sync.Mutex // guards the fields below
	plain   *http.Server
	secure  *http.Server
	others  []*http.Server // HTTP/2 and WebSocket listeners
	tlsCert *x509.Certificate
}

// New returns a server ready to handle requests.
func New(opts Options) *Server {
	s := &Server{
		opts:  opts,
		done:  make(chan struct{}),
		state: newState(opts.Seed),
		block: seededBytes(opts.Seed, 64<<10),
	}
	s.rec.w = opts.Record
	if opts.Realistic {
		seed := uint64(opts.Seed)
		if seed == 0 {
			seed = mrand.Uint64()
		}
		s.realRnd = mrand.New(mrand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	}
	s.pool.New = func() any { return new(respWriter) }
	s.handler = s.routes()
	return s
}

// Handler returns the server as an http.Handler (counting and recording included).
func (s *Server) Handler() http.Handler { return s }

// Count returns how many requests were answered with a complete HTTP response.
// A request is counted when its handler returns, which for a large or flushed
// body can be a moment after the client has read the end of it; compare
// counts once the client is done.
func (s *Server) Count() int64 { return s.count.Load() }

// Start listens on addr (e.g. "127.0.0.1:0") and serves in the background.
// It returns the base URL, e.g. "http://127.0.0.1:41234".
func (s *Server) Start(addr string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.plain != nil {
		return "", errors.New("target: server already started")
	}
	srv, u, err := s.listen(addr, nil)
	if err != nil {
		return "", err
	}
	s.plain = srv
	return "http://" + u, nil
}

// StartTLS is Start over HTTPS (HTTP/1.1, so the fault endpoints work too)
// with a self-signed certificate for 127.0.0.1, ::1 and localhost, made
// afresh; Certificate returns it for clients that verify. A server can run
// one plain and one TLS listener at once, sharing state and counts.
func (s *Server) StartTLS(addr string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.secure != nil {
		return "", errors.New("target: TLS server already started")
	}
	cert, leaf, err := selfSigned()
	if err != nil {
		return "", fmt.Errorf("target: certificate: %w", err)
	}
	srv, u, err := s.listen(addr, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}})
	if err != nil {
		return "", err
	}
	s.secure, s.tlsCert = srv, leaf
	return "https://" + u, nil
}

// Certificate returns the TLS server's certificate, nil before StartTLS.
func (s *Server) Certificate() *x509.Certificate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tlsCert
}

// listen starts serving on addr, with TLS when cfg is set, and returns the
// listening host:port. The caller holds s.mu.
func (s *Server) listen(addr string, cfg *tls.Config) (*http.Server, string, error) {
	select {
	case <-s.done:
		return nil, "", errors.New("target: server closed")
	default:
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("target: listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: time.Minute,
		ErrorLog:          log.New(logWriter{s.logf}, "", 0),
		TLSConfig:         cfg,
	}
	if cfg != nil {
		ln = tls.NewListener(ln, cfg)
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logf("target: serve: %v", err)
		}
	}()
	return srv, ln.Addr().String(), nil
}

// selfSigned makes an ECDSA certificate for the loopback names.
func selfSigned() (tls.Certificate, *x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "gometer target"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, leaf, nil
}

// Close stops listening, closes all connections and releases handlers that
// are waiting (/fault/hang, /delay). It is safe to call more than once.
func (s *Server) Close() error {
	s.once.Do(func() { close(s.done) })
	s.mu.Lock()
	servers := append([]*http.Server{s.plain, s.secure}, s.others...)
	s.mu.Unlock()
	var errs []error
	for _, srv := range servers {
		if srv != nil {
			errs = append(errs, srv.Close())
		}
	}
	return errors.Join(errs...)
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// logWriter turns http.Server's error log into Logf calls.
type logWriter struct{ logf func(string, ...any) }

func (w logWriter) Write(p []byte) (int, error) {
	w.logf("%s", trimNewline(p))
	return len(p), nil
}

func trimNewline(p []byte) []byte {
	for len(p) > 0 && (p[len(p)-1] == '\n' || p[len(p)-1] == '\r') {
		p = p[:len(p)-1]
	}
	return p
}

// ServeHTTP counts and, when asked, records each request around the routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	seq := s.seq.Add(1)
	var rec *Record
	if s.rec.w != nil {
		rec = s.rec.begin(seq, r)
	}
	rw := s.pool.Get().(*respWriter)
	rw.reset(w)
	if !s.opts.Realistic || !s.realism(rw, r) {
		s.handler.ServeHTTP(rw, r)
	}
	if !rw.hijacked && !rw.failed {
		if !rw.wroteHeader {
			// net/http will send 200 with an empty body after we return.
			rw.status = http.StatusOK
		}
		s.count.Add(1)
	}
	if rec != nil {
		if !rw.hijacked && !rw.failed {
			rec.Status = rw.status
		}
		s.rec.end(rec, s.logf)
	}
	rw.reset(nil)
	s.pool.Put(rw)
}

// respWriter notes the status, write failures and hijacking of a response.
type respWriter struct {
	w           http.ResponseWriter
	status      int
	wroteHeader bool
	failed      bool
	hijacked    bool
}

func (rw *respWriter) reset(w http.ResponseWriter) {
	*rw = respWriter{w: w}
}

func (rw *respWriter) Header() http.Header { return rw.w.Header() }

func (rw *respWriter) WriteHeader(code int) {
	if !rw.wroteHeader && code >= 200 {
		rw.status = code
		rw.wroteHeader = true
	}
	rw.w.WriteHeader(code)
}

func (rw *respWriter) Write(p []byte) (int, error) {
	if !rw.wroteHeader {
		rw.status = http.StatusOK
		rw.wroteHeader = true
	}
	n, err := rw.w.Write(p)
	if err != nil {
		rw.failed = true
	}
	return n, err
}

// Flush passes through to the connection so slow bodies really trickle.
func (rw *respWriter) Flush() {
	if err := http.NewResponseController(rw.w).Flush(); err != nil {
		rw.failed = true
	}
}

// Hijack hands the raw connection to a fault handler; the request is then
// not counted as answered.
func (rw *respWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, brw, err := http.NewResponseController(rw.w).Hijack()
	if err == nil {
		rw.hijacked = true
	}
	return c, brw, err
}

// abandon marks the request as not answered (the client went away or the
// server is closing), so it is neither counted nor recorded with a status.
func abandon(w http.ResponseWriter) {
	if rw, ok := w.(*respWriter); ok {
		rw.failed = true
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rw *respWriter) Unwrap() http.ResponseWriter { return rw.w }
