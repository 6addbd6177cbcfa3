package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The raw fast path answers "GET /fast HTTP/1.1" without net/http: one read
// and one write per request on a kept-alive connection. On one core a Go
// net/http server tops out below what the fastest generators send, which
// would make S1 measure the target; this path lifts that ceiling. Any other
// request (another path, a body, HTTP/1.0, Connection: close, an oversized
// header) hands the connection, with the bytes already read, to the normal
// server, which then keeps it.

// fastBody matches internal/target's /fast body in size and kind.
var fastBody = []byte(`{"status":"ok","service":"gometer-target","path":"/fast","pad":"0123456789abcdefghijklmnopqrstuvw"}` + "\n")

// fastResponse is the whole /fast answer for one second (the Date header changes).
type fastResponse struct {
	sec  int64
	resp []byte
}

// response returns the raw answer, rebuilt when the second changes.
func (c *counting) response() []byte {
	now := time.Now()
	if r := c.fastResp.Load(); r != nil && r.sec == now.Unix() {
		return r.resp
	}
	// Same header set and order as net/http writes for /fast.
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Length: " + strconv.Itoa(len(fastBody)) +
		"\r\nContent-Type: application/json\r\nDate: " + now.UTC().Format(http.TimeFormat) + "\r\n\r\n")
	resp = append(resp, fastBody...)
	c.fastResp.Store(&fastResponse{sec: now.Unix(), resp: resp})
	return resp
}

// serveHybrid accepts connections, serving /fast itself and everything else
// through hs.
func (c *counting) serveHybrid(ln net.Listener, hs *http.Server) error {
	hand := &chanListener{addr: ln.Addr(), ch: make(chan net.Conn), done: make(chan struct{})}
	go hs.Serve(hand)
	defer hand.Close()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go c.serveConn(conn, hand)
	}
}

const maxRawHeader = 4096

func (c *counting) serveConn(conn net.Conn, hand *chanListener) {
	br := bufio.NewReaderSize(conn, maxRawHeader)
	for {
		n, err := headerEnd(br)
		if err != nil {
			if errors.Is(err, errHandOver) {
				hand.give(conn, br)
			} else {
				conn.Close()
			}
			return
		}
		head, _ := br.Peek(n)
		if !isFastGet(head) {
			hand.give(conn, br)
			return
		}
		c.arrive()
		br.Discard(n)
		// Counted before the write, as net/http's handlers are counted before
		// their buffered answer is flushed.
		c.raw.Add(1)
		c.answered()
		if _, err := conn.Write(c.response()); err != nil {
			conn.Close()
			return
		}
	}
}

var errHandOver = errors.New("not for the raw path")

// headerEnd waits for a complete request header in br and returns its
// length, including the blank line.
func headerEnd(br *bufio.Reader) (int, error) {
	for {
		if n := br.Buffered(); n > 0 {
			buf, _ := br.Peek(n)
			if i := bytes.Index(buf, []byte("\r\n\r\n")); i >= 0 {
				return i + 4, nil
			}
			if n == maxRawHeader {
				return 0, errHandOver
			}
		}
		// Wait for at least one more byte.
		if _, err := br.Peek(br.Buffered() + 1); err != nil {
			if br.Buffered() > 0 {
				return 0, errHandOver // let net/http answer the partial request
			}
			return 0, err
		}
	}
}

// isFastGet reports whether head is a GET of /fast (any query) over
// HTTP/1.1 without a body and without asking to close.
func isFastGet(head []byte) bool {
	line, rest, ok := bytes.Cut(head, []byte("\r\n"))
	if !ok {
		return false
	}
	method, line, _ := bytes.Cut(line, []byte(" "))
	target, proto, _ := bytes.Cut(line, []byte(" "))
	if string(method) != "GET" || string(proto) != "HTTP/1.1" {
		return false
	}
	if path, _, _ := bytes.Cut(target, []byte("?")); string(path) != "/fast" {
		return false
	}
	for len(rest) > 0 {
		var h []byte
		h, rest, _ = bytes.Cut(rest, []byte("\r\n"))
		name, value, _ := bytes.Cut(h, []byte(":"))
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if string(bytes.TrimSpace(value)) != "0" {
				return false
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")), bytes.EqualFold(name, []byte("Expect")):
			return false
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.Contains(bytes.ToLower(value), []byte("close")) {
				return false
			}
		}
	}
	return true
}

// chanListener feeds handed-over connections to the net/http server.
type chanListener struct {
	addr net.Addr
	ch   chan net.Conn
	done chan struct{}
	once sync.Once
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return l.addr }

// give hands conn to the server with what br has read but not consumed.
func (l *chanListener) give(conn net.Conn, br *bufio.Reader) {
	buffered, _ := br.Peek(br.Buffered())
	pc := &prefixConn{Conn: conn, r: io.MultiReader(bytes.NewReader(bytes.Clone(buffered)), conn)}
	select {
	case l.ch <- pc:
	case <-l.done:
		conn.Close()
	}
}

// prefixConn reads the handed-over bytes before the rest of the connection.
type prefixConn struct {
	net.Conn
	r io.Reader
}

func (p *prefixConn) Read(b []byte) (int, error) { return p.r.Read(b) }
