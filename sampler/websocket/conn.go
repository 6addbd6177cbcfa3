package websocket

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // RFC 6455 names SHA-1 for the accept key
	"crypto/tls"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// conn is one open WebSocket connection of a user: a client side of RFC
// 6455 made for the plugin's way of working. Everything happens on the
// user's goroutine, as the plugin does everything on the JMeter thread: a
// sample writes its frame and reads what it waits for; frames the server
// sends meanwhile wait in the socket (the kernel's buffer, then TCP flow
// control, bound them). Nothing runs in the background and no buffer is
// held between samples, so an open idle connection costs its socket and
// this struct — which is what lets a thousand users each keep one open
// cheaply. (A library connection keeps a reader goroutine, buffers and a
// timeout goroutine per connection, and a read that times out breaks it;
// the plugin's reads time out and go on.)
type conn struct {
	nc  net.Conn
	url string
	// reuse is the SamplerData a sample on this open connection starts with.
	reuse string
	// pending is what was received past the last frame taken (usually
	// nothing), or a frame cut short by a read timeout.
	pending []byte
	// frag gathers a fragmented data message until its last frame.
	frag    []byte
	fragOp  opcode
	inFrag  bool
	closing bool  // the client sent its close frame
	err     error // why the connection can no longer be used
	stop    func() bool
}

// readLimit bounds one message (fragments joined), as a library's read
// limit does: a server cannot make a user hold more.
const readLimit = 16 << 20

// bufSize is a pooled read or write buffer's size; most frames fit it.
const bufSize = 4096

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, bufSize); return &b }}

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

func putBuf(bp *[]byte, b []byte) {
	if cap(b) > 16*bufSize { // an outsized frame's buffer is not kept
		return
	}
	*bp = b[:0]
	bufPool.Put(bp)
}

// Frame opcodes on the wire.
const (
	wireCont   = 0x0
	wireText   = 0x1
	wireBinary = 0x2
	wireClose  = 0x8
	wirePing   = 0x9
	wirePong   = 0xa
)

// errEndOfStream is the server closing the TCP connection without a close
// frame (the plugin's wording).
var errEndOfStream = errors.New("end of stream")

// ProtocolError is a frame that breaks RFC 6455.
type ProtocolError struct{ Reason string }

func (e *ProtocolError) Error() string { return "WebSocket protocol error: " + e.Reason }

// UpgradeError is a server that answered the upgrade request with another
// status than 101 Switching Protocols.
type UpgradeError struct{ Status int }

func (e *UpgradeError) Error() string {
	return "Http Upgrade failed with status code " + strconv.Itoa(e.Status)
}

// dialer opens connections for one sampler element.
type dialer struct {
	tls *tls.Config
}

// open connects to url ("ws://host:port/path" or "wss://…"), sends the
// upgrade request and checks the answer. The connect timeout bounds the
// TCP connect and TLS handshake, the read timeout (0: none) the wait for
// the upgrade response, as in the plugin; a stopping run ends any wait.
// It returns the upgrade response's headers and the sizes of the upgrade
// request and response on the wire, which the open sample counts as the
// plugin does.
func (d *dialer) open(ctx context.Context, url string, secure bool, hostport, path, extra string, connectTO, readTO time.Duration) (*conn, upgrade, error) {
	if strings.ContainsAny(path, " \r\n\t") {
		return nil, upgrade{}, fmt.Errorf("the path %q holds white space", path)
	}
	nd := net.Dialer{Timeout: connectTO}
	nc, err := nd.DialContext(ctx, "tcp", hostport)
	if err != nil {
		return nil, upgrade{}, err
	}
	cn := &conn{nc: nc, url: url, reuse: "Connect URL:\n" + url + "\n(using existing connection)\n"}
	cn.stop = context.AfterFunc(ctx, func() { _ = nc.Close() }) // a stopping run ends a blocked read or write
	up, err := cn.handshake(secure, d.tls, hostport, path, extra, connectTO, readTO)
	if err != nil {
		cn.drop()
		return nil, upgrade{}, err
	}
	return cn, up, nil
}

// maxUpgradeHead bounds the upgrade response's status line and headers.
const maxUpgradeHead = 1 << 20

// upgrade is what the open sample reports of the upgrade exchange.
type upgrade struct {
	header         http.Header
	sent, received int // bytes of the request and of the response head
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// extra are more header lines ("Name: value\r\n"), written after Host as
// the plugin writes them.
func (cn *conn) handshake(secure bool, tc *tls.Config, hostport, path, extra string, connectTO, readTO time.Duration) (upgrade, error) {
	var up upgrade
	if secure {
		_ = cn.nc.SetDeadline(time.Now().Add(connectTO))
		cfg := tc.Clone()
		cfg.ServerName, _, _ = net.SplitHostPort(hostport)
		t := tls.Client(cn.nc, cfg)
		if err := t.Handshake(); err != nil {
			return up, err
		}
		cn.nc = t
	}
	var deadline time.Time
	if readTO > 0 {
		deadline = time.Now().Add(readTO)
	}
	_ = cn.nc.SetDeadline(deadline)
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	key := base64.StdEncoding.EncodeToString(nonce[:])
	req := "GET " + path + " HTTP/1.1\r\nHost: " + hostport + "\r\n" + extra + "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := io.WriteString(cn.nc, req); err != nil {
		return up, err
	}
	up.sent = len(req)
	// a server answering with an endless head meets a bound, not our memory
	cr := &countingReader{r: io.LimitReader(cn.nc, maxUpgradeHead)}
	br := bufio.NewReaderSize(cr, 1024)
	resp, err := http.ReadResponse(br, nil)
	if err != nil && cr.n >= maxUpgradeHead {
		return up, fmt.Errorf("the upgrade response's head is over %d bytes", maxUpgradeHead)
	}
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return up, errors.New("Empty response; connection closed.")
		}
		return up, err
	}
	up.received = cr.n - br.Buffered()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return up, &UpgradeError{resp.StatusCode}
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")) //nolint:gosec
	switch {
	case !strings.EqualFold(resp.Header.Get("Upgrade"), "websocket"):
		return up, errors.New("Server response should contain 'Upgrade: websocket' header")
	case !headerHas(resp.Header, "Connection", "upgrade"):
		return up, errors.New("Server response should contain 'Connection: Upgrade' header")
	case resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]):
		return up, errors.New("Server response contains an invalid Sec-WebSocket-Accept header")
	}
	if n := br.Buffered(); n > 0 { // frames the server sent right after the upgrade
		b, _ := br.Peek(n)
		cn.pending = append([]byte(nil), b...)
	}
	_ = cn.nc.SetDeadline(time.Time{})
	up.header = resp.Header
	return up, nil
}

// headerHas reports whether a comma-separated header lists token.
func headerHas(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// fail marks the connection unusable (the first cause is kept).
func (cn *conn) fail(err error) {
	if cn.err == nil {
		cn.err = err
	}
}

// broken reports whether the connection can no longer be used.
func (cn *conn) broken() bool { return cn.err != nil }

// drop closes the TCP connection without a close frame.
func (cn *conn) drop() {
	cn.fail(net.ErrClosed)
	cn.stop()
	_ = cn.nc.Close()
}

// write sends one masked frame with the FIN bit set.
func write[T string | []byte](cn *conn, op byte, payload T) error {
	if cn.err != nil {
		return cn.err
	}
	bp := getBuf()
	b := append((*bp)[:0], 0x80|op)
	switch n := len(payload); {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n <= 0xffff:
		b = append(b, 0x80|126, byte(n>>8), byte(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	var key [4]byte
	binary.LittleEndian.PutUint32(key[:], mrand.Uint32()) // a mask need not be secret, only unpredictable to the page
	b = append(b, key[:]...)
	start := len(b)
	b = append(b, payload...)
	for i := range b[start:] {
		b[start+i] ^= key[i&3]
	}
	_, err := cn.nc.Write(b)
	putBuf(bp, b)
	if err != nil {
		cn.fail(err)
	}
	return err
}

// next reads the next frame: a whole data message (its fragments joined)
// or a control frame, for the sampler to judge; a close frame is answered
// (see answer). The deadline (zero: none)
// bounds the wait; a read that times out leaves the connection usable,
// keeping what it had received for the next read.
func (cn *conn) next(deadline time.Time) (frame, error) {
	if cn.err != nil {
		return frame{}, cn.err
	}
	bp := getBuf()
	buf := append((*bp)[:0], cn.pending...)
	cn.pending = nil
	off := 0 // start of the first frame not yet taken
	keep := func() {
		if off < len(buf) {
			cn.pending = append([]byte(nil), buf[off:]...)
		}
		putBuf(bp, buf)
	}
	deadlineSet := false
	for {
		f, n, err := cn.parse(buf[off:])
		if err != nil {
			keep()
			cn.fail(err)
			return frame{}, err
		}
		if n > 0 {
			off += n
			if f.op == opNone { // a fragment: the message goes on
				continue
			}
			keep()
			return f, cn.answer(f)
		}
		// more bytes are needed: make room, then read
		need := frameNeed(buf[off:])
		if off > 0 {
			m := copy(buf, buf[off:])
			buf, off = buf[:m], 0
		}
		if need > cap(buf) {
			if need > readLimit+14 {
				keep()
				err := &ProtocolError{"frame of " + strconv.Itoa(need) + " bytes is over the read limit of " + strconv.Itoa(readLimit)}
				cn.fail(err)
				return frame{}, err
			}
			nb := make([]byte, len(buf), need)
			copy(nb, buf)
			buf = nb
		}
		if !deadlineSet {
			_ = cn.nc.SetReadDeadline(deadline)
			deadlineSet = true
		}
		m, err := cn.nc.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err != nil && m == 0 {
			keep()
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return frame{}, errReadTimeout
			}
			if errors.Is(err, io.EOF) {
				err = errEndOfStream
			}
			cn.fail(err)
			return frame{}, err
		}
	}
}

// answer sends what RFC 6455 asks for a close frame received: a close
// frame of the same status, unless the client closed first. A ping is not
// answered here: as in the plugin, only a ping filter that discards it
// answers it (with "reply to ping"), so a server that closes connections
// whose pings go unanswered does so under gometer as under JMeter.
func (cn *conn) answer(f frame) error {
	if f.op == opClose {
		if !cn.closing {
			_ = write(cn, wireClose, f.data[:min(len(f.data), 2)])
		}
		cn.fail(&closedError{f})
	}
	return nil
}

// closedError is a connection the server closed with a close frame.
type closedError struct{ f frame }

func (e *closedError) Error() string { return "connection closed by the server (" + e.f.String() + ")" }

// frameNeed is the number of bytes the frame at the start of b takes (its
// header alone while the length is not known yet).
func frameNeed(b []byte) int {
	if len(b) < 2 {
		return 2
	}
	hdr, plen, ok := header(b)
	if !ok {
		return hdr
	}
	return hdr + plen
}

// header decodes a frame header: its size and the payload's length; ok is
// false while b does not hold the whole header (hdr is then its size as
// far as known).
func header(b []byte) (hdr, plen int, ok bool) {
	hdr = 2
	l := int(b[1] & 0x7f)
	switch l {
	case 126:
		hdr = 4
	case 127:
		hdr = 10
	}
	if b[1]&0x80 != 0 {
		hdr += 4
	}
	if len(b) < hdr {
		return hdr, 0, false
	}
	switch l {
	case 126:
		l = int(binary.BigEndian.Uint16(b[2:4]))
	case 127:
		v := binary.BigEndian.Uint64(b[2:10])
		if v > readLimit {
			return hdr, readLimit + 1, true
		}
		l = int(v)
	}
	return hdr, l, true
}

// parse takes one frame off the start of b: n is the bytes it took (0:
// b does not hold a whole frame yet). A data frame that is not the last
// of its message is gathered and gives op opNone.
func (cn *conn) parse(b []byte) (frame, int, error) {
	if len(b) < 2 {
		return frame{}, 0, nil
	}
	hdr, plen, ok := header(b)
	if !ok || len(b) < hdr+plen {
		if ok && plen > readLimit {
			return frame{}, 0, &ProtocolError{"frame over the read limit of " + strconv.Itoa(readLimit) + " bytes"}
		}
		return frame{}, 0, nil
	}
	fin, op := b[0]&0x80 != 0, b[0]&0x0f
	if b[0]&0x70 != 0 {
		return frame{}, 0, &ProtocolError{"reserved bits set"}
	}
	payload := b[hdr : hdr+plen]
	if b[1]&0x80 != 0 { // servers must not mask; unmask what one sent anyway
		key := b[hdr-4 : hdr]
		for i := range payload {
			payload[i] ^= key[i&3]
		}
	}
	n := hdr + plen
	switch op {
	case wirePing, wirePong, wireClose:
		if !fin || plen > 125 {
			return frame{}, 0, &ProtocolError{"control frame fragmented or longer than 125 bytes"}
		}
		fop := opPing
		switch op {
		case wirePong:
			fop = opPong
		case wireClose:
			fop = opClose
		}
		return frame{op: fop, data: append([]byte{}, payload...)}, n, nil
	case wireText, wireBinary:
		if cn.inFrag {
			return frame{}, 0, &ProtocolError{"a new message began before the last one's final fragment"}
		}
		fop := opText
		if op == wireBinary {
			fop = opBinary
		}
		if fin {
			return frame{op: fop, data: append([]byte{}, payload...)}, n, nil
		}
		cn.inFrag, cn.fragOp, cn.frag = true, fop, append([]byte{}, payload...)
		return frame{op: opNone}, n, nil
	case wireCont:
		if !cn.inFrag {
			return frame{}, 0, &ProtocolError{"continuation frame without a message to continue"}
		}
		if len(cn.frag)+plen > readLimit {
			return frame{}, 0, &ProtocolError{"message over the read limit of " + strconv.Itoa(readLimit) + " bytes"}
		}
		cn.frag = append(cn.frag, payload...)
		if !fin {
			return frame{op: opNone}, n, nil
		}
		f := frame{op: cn.fragOp, data: cn.frag}
		cn.inFrag, cn.frag = false, nil
		return f, n, nil
	}
	return frame{}, 0, &ProtocolError{"unsupported frame type: " + strconv.Itoa(int(op))}
}
