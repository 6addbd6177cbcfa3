// Package testproxy is a small forwarding HTTP proxy for tests: it forwards
// absolute-form requests (http) and opens CONNECT tunnels (https), and
// records each request line with its Proxy-Authorization header, so tests
// can check what a client sent to its proxy.
package testproxy

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Seen is one request the proxy received.
type Seen struct {
	Line      string // "GET http://host:port/path HTTP/1.1" or "CONNECT host:port HTTP/1.1"
	ProxyAuth string // the Proxy-Authorization header, "" when absent
}

// Proxy is a running proxy on a loopback port.
type Proxy struct {
	// Auth, when set, is the Proxy-Authorization value required; other
	// requests get 407.
	Auth string

	ln    net.Listener
	mu    sync.Mutex
	seen  []Seen
	conns map[net.Conn]bool // open client connections, closed on stop
	wg    sync.WaitGroup
}

// Start listens on a free loopback port; the test's cleanup stops it.
func Start(t testing.TB) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(p.stop)
	return p
}

// Addr is host:port of the proxy.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Port is the proxy's port as text.
func (p *Proxy) Port() string { _, port, _ := net.SplitHostPort(p.Addr()); return port }

// Seen returns the requests received so far.
func (p *Proxy) Seen() []Seen {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Seen(nil), p.seen...)
}

// stop closes the listener and every client connection (a client's idle
// keep-alive connection would otherwise hold its handler), then waits.
func (p *Proxy) stop() {
	p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns[c] = true
		p.mu.Unlock()
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.handle(c)
			p.mu.Lock()
			delete(p.conns, c)
			p.mu.Unlock()
		}()
	}
}

func (p *Proxy) handle(c net.Conn) {
	defer c.Close()
	// A bound on a stuck client keeps the test's cleanup from waiting forever.
	c.SetDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		p.mu.Lock()
		p.seen = append(p.seen, Seen{Line: req.Method + " " + req.RequestURI + " " + req.Proto, ProxyAuth: req.Header.Get("Proxy-Authorization")})
		p.mu.Unlock()
		if p.Auth != "" && req.Header.Get("Proxy-Authorization") != p.Auth {
			io.WriteString(c, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
			continue
		}
		if req.Method == http.MethodConnect {
			p.tunnel(c, br, req.RequestURI)
			return
		}
		if !p.forward(c, req) {
			return
		}
	}
}

// tunnel connects to addr and copies bytes both ways until either side closes.
func (p *Proxy) tunnel(c net.Conn, br *bufio.Reader, addr string) {
	up, err := net.Dial("tcp", addr)
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return
	}
	defer up.Close()
	io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{})
	go func() {
		io.Copy(up, br)
		up.(*net.TCPConn).CloseWrite()
		close(done)
	}()
	io.Copy(c, up)
	c.(*net.TCPConn).CloseWrite()
	<-done
}

// forward sends an absolute-form request to its origin and relays the answer.
func (p *Proxy) forward(c net.Conn, req *http.Request) bool {
	up, err := net.Dial("tcp", req.URL.Host)
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return false
	}
	defer up.Close()
	req.Header.Del("Proxy-Authorization")
	req.Header.Del("Proxy-Connection")
	if err := req.Write(up); err != nil {
		return false
	}
	resp, err := http.ReadResponse(bufio.NewReader(up), req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	return resp.Write(c) == nil
}
