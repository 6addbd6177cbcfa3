package websocket

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1" //nolint:gosec
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/sampler"
)

// rawServer is a WebSocket server the test scripts byte by byte: it
// answers one upgrade request (status 101 with the right accept key, or
// what answer says) and hands the connection to the test.
type rawServer struct {
	addr  string
	conns chan net.Conn
}

func startRawServer(t *testing.T, answer func(key string) string) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &rawServer{addr: ln.Addr().String(), conns: make(chan net.Conn, 1)}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		t.Cleanup(func() { c.Close() })
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			c.Close()
			return
		}
		key := req.Header.Get("Sec-WebSocket-Key")
		if answer == nil {
			answer = accept101
		}
		io.WriteString(c, answer(key))
		s.conns <- c
	}()
	return s
}

func accept101(key string) string {
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")) //nolint:gosec
	return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
		base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n"
}

// srvFrame is a frame as a server sends it (unmasked).
func srvFrame(op byte, fin bool, payload []byte) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	b := []byte{b0}
	switch n := len(payload); {
	case n < 126:
		b = append(b, byte(n))
	case n <= 0xffff:
		b = append(b, 126, byte(n>>8), byte(n))
	default:
		b = append(b, 127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	return append(b, payload...)
}

// readClientFrame reads one masked frame the client sent.
func readClientFrame(t *testing.T, c net.Conn) (op byte, payload []byte) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var h [2]byte
	if _, err := io.ReadFull(c, h[:]); err != nil {
		t.Fatalf("reading the client's frame: %v", err)
	}
	if h[1]&0x80 == 0 {
		t.Fatal("the client's frame is not masked")
	}
	n := int(h[1] & 0x7f)
	switch n {
	case 126:
		var l [2]byte
		io.ReadFull(c, l[:])
		n = int(binary.BigEndian.Uint16(l[:]))
	case 127:
		var l [8]byte
		io.ReadFull(c, l[:])
		n = int(binary.BigEndian.Uint64(l[:]))
	}
	var key [4]byte
	io.ReadFull(c, key[:])
	payload = make([]byte, n)
	if _, err := io.ReadFull(c, payload); err != nil {
		t.Fatal(err)
	}
	for i := range payload {
		payload[i] ^= key[i&3]
	}
	return h[0] & 0x0f, payload
}

func openRaw(t *testing.T, ctx context.Context, s *rawServer) (*conn, net.Conn) {
	t.Helper()
	d := dialer{}
	cn, _, err := d.open(ctx, "ws://"+s.addr+"/", false, s.addr, "/", "", 5*time.Second, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cn.drop)
	return cn, <-s.conns
}

func soon() time.Time { return time.Now().Add(10 * time.Second) }

// A read that times out in the middle of a frame leaves the connection
// usable: the bytes it got wait for the next read, which completes the
// frame (the plugin's reads time out and go on the same way).
func TestReadTimeoutMidFrameKeepsTheConnection(t *testing.T) {
	s := startRawServer(t, nil)
	cn, sc := openRaw(t, context.Background(), s)
	f := srvFrame(wireText, true, []byte("quote EURUSD 1.0851"))
	sc.Write(f[:7])
	if _, err := cn.next(time.Now().Add(50 * time.Millisecond)); !errors.Is(err, errReadTimeout) {
		t.Fatalf("first read: %v, want a read timeout", err)
	}
	if cn.broken() {
		t.Fatal("a read timeout broke the connection")
	}
	sc.Write(f[7:])
	got, err := cn.next(soon())
	if err != nil || got.op != opText || string(got.data) != "quote EURUSD 1.0851" {
		t.Fatalf("second read: %v %q %v", got.op, got.data, err)
	}
	// and the connection still writes
	if err := write(cn, wireText, "next"); err != nil {
		t.Fatal(err)
	}
	if op, p := readClientFrame(t, sc); op != wireText || string(p) != "next" {
		t.Fatalf("server got %d %q", op, p)
	}
}

// A fragmented message is one frame for the samplers; a ping between its
// fragments is handed over first (the samplers' filters decide whether it
// is answered), and frames sent with the upgrade response itself are not
// lost.
func TestFragmentsJoinedAndPingsHandedOver(t *testing.T) {
	early := srvFrame(wireBinary, true, []byte{0xca, 0xfe})
	s := startRawServer(t, func(key string) string { return accept101(key) + string(early) })
	cn, sc := openRaw(t, context.Background(), s)
	var stream []byte
	stream = append(stream, srvFrame(wireText, false, []byte("hel"))...)
	stream = append(stream, srvFrame(wirePing, true, []byte("hb"))...)
	stream = append(stream, srvFrame(wireCont, false, []byte("lo "))...)
	stream = append(stream, srvFrame(wireCont, true, bytes.Repeat([]byte("w"), 70000))...)
	go sc.Write(stream)
	want := []struct {
		op   opcode
		data string
	}{{opBinary, "\xca\xfe"}, {opPing, "hb"}, {opText, "hello " + strings.Repeat("w", 70000)}}
	for i, w := range want {
		got, err := cn.next(soon())
		if err != nil || got.op != w.op || string(got.data) != w.data {
			t.Fatalf("frame %d: %v %d bytes %v, want %v %d bytes", i, got.op, len(got.data), err, w.op, len(w.data))
		}
	}
}

// A close frame from the server is handed to the sampler, answered with a
// close frame of the same code, and the connection is done.
func TestServerCloseIsAnsweredAndEndsTheConnection(t *testing.T) {
	s := startRawServer(t, nil)
	cn, sc := openRaw(t, context.Background(), s)
	sc.Write(srvFrame(wireClose, true, []byte{0x03, 0xe9, 'b', 'y', 'e'}))
	f, err := cn.next(soon())
	if err != nil || f.op != opClose || f.String() != "Close frame with status code 1001 and close reason 'bye'" {
		t.Fatalf("%v %q %v", f.op, f.String(), err)
	}
	if !cn.broken() {
		t.Fatal("the connection is still usable after the server closed it")
	}
	if op, p := readClientFrame(t, sc); op != wireClose || !bytes.Equal(p, []byte{0x03, 0xe9}) {
		t.Fatalf("answer %d %x, want close 03e9", op, p)
	}
}

// Hostile frames end the connection with a protocol error and cost no
// more memory than the read limit: a header announcing 1 TB allocates
// nothing; reserved bits, a long control frame and a stray continuation
// are refused.
func TestHostileFramesAreRefused(t *testing.T) {
	for name, b := range map[string][]byte{
		"huge length":        {0x82, 127, 0, 0, 1, 0, 0, 0, 0, 0},
		"reserved bits":      {0xc1, 1, 'x'},
		"long ping":          append([]byte{0x89, 126, 0, 200}, make([]byte, 200)...),
		"stray continuation": {0x80, 1, 'x'},
		"unknown opcode":     {0x83, 0},
	} {
		t.Run(name, func(t *testing.T) {
			s := startRawServer(t, nil)
			cn, sc := openRaw(t, context.Background(), s)
			sc.Write(b)
			_, err := cn.next(soon())
			var pe *ProtocolError
			if !errors.As(err, &pe) || !cn.broken() {
				t.Fatalf("%v (broken %v), want a protocol error", err, cn.broken())
			}
		})
	}
}

// The upgrade answer is checked: another status is the plugin's upgrade
// failure with that code, a wrong accept key is refused, and a server that
// says nothing is bounded by the read timeout.
func TestUpgradeAnswersAreChecked(t *testing.T) {
	for name, tc := range map[string]struct {
		answer func(string) string
		want   string
	}{
		"forbidden":  {func(string) string { return "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n" }, "Http Upgrade failed with status code 403"},
		"bad accept": {func(string) string { return accept101("other") }, "invalid Sec-WebSocket-Accept"},
		"silent":     {func(string) string { return "" }, "timeout"},
		"endless head": {func(string) string {
			return "HTTP/1.1 101 Switching Protocols\r\n" + strings.Repeat("X-Pad: "+strings.Repeat("p", 1000)+"\r\n", 1100)
		}, "head is over"},
	} {
		t.Run(name, func(t *testing.T) {
			s := startRawServer(t, tc.answer)
			d := dialer{}
			_, _, err := d.open(context.Background(), "ws://"+s.addr+"/", false, s.addr, "/", "", time.Second, 100*time.Millisecond)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("%v, want an error with %q", err, tc.want)
			}
		})
	}
}

// A read with no timeout is ended by the run stopping.
func TestStoppingRunEndsAnEndlessRead(t *testing.T) {
	s := startRawServer(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cn, _ := openRaw(t, ctx, s)
	done := make(chan error, 1)
	go func() { _, err := cn.next(time.Time{}); done <- err }()
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the read returned no error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the read did not end when the run stopped")
	}
}

// An echo round trip allocates only the received payload and the frame
// holding it: no buffers per connection, none per write.
func TestEchoRoundTripAllocations(t *testing.T) {
	s := startRawServer(t, nil)
	cn, sc := openRaw(t, context.Background(), s)
	go func() { // echo, allocating nothing (AllocsPerRun counts every goroutine's)
		var h [6]byte
		var in [125]byte
		var out [127]byte
		for {
			if _, err := io.ReadFull(sc, h[:]); err != nil {
				return
			}
			n := int(h[1] & 0x7f)
			if _, err := io.ReadFull(sc, in[:n]); err != nil {
				return
			}
			out[0], out[1] = 0x81, byte(n)
			for i := range n {
				out[2+i] = in[i] ^ h[2+i&3]
			}
			sc.Write(out[:2+n])
		}
	}()
	msg := `{"symbol":"EURUSD","bid":1.08512,"ask":1.08519}`
	allocs := testing.AllocsPerRun(200, func() {
		if err := write(cn, wireText, msg); err != nil {
			t.Fatal(err)
		}
		if f, err := cn.next(time.Time{}); err != nil || string(f.data) != msg {
			t.Fatalf("%q %v", f.data, err)
		}
	})
	if allocs > 1 {
		t.Errorf("%.1f allocations per round trip, want at most 1 (the payload)", allocs)
	}
	if cn.pending != nil {
		t.Errorf("an idle connection holds %d bytes", cap(cn.pending))
	}
}

func FuzzFrameParser(f *testing.F) {
	f.Add(srvFrame(wireText, true, []byte("hi")))
	f.Add(append(srvFrame(wireText, false, []byte("a")), srvFrame(wireCont, true, []byte("b"))...))
	f.Add([]byte{0x82, 127, 0xff, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0x88, 0x82, 1, 2, 3, 4, 5, 6})
	f.Fuzz(func(t *testing.T, b []byte) {
		cn := &conn{}
		total := 0
		for len(b) > 0 {
			fr, n, err := cn.parse(b)
			if err != nil || n == 0 {
				return
			}
			total += len(fr.data)
			if n > len(b) || total > readLimit {
				t.Fatalf("took %d of %d bytes, %d received", n, len(b), total)
			}
			b = b[n:]
		}
	})
}

// A server that streams frames the filters discard cannot grow a sample
// without end: past maxDiscarded sub-results the read fails, bounded.
func TestDiscardedFramesAreBounded(t *testing.T) {
	f, err := filterEl(t, "PingFrameFilter", "filterType", "FilterAll")
	if err != nil {
		t.Fatal(err)
	}
	s := &Sampler{filters: []*Filter{f}}
	srv := startRawServer(t, nil)
	cn, sc := openRaw(t, context.Background(), srv)
	ping := srvFrame(wirePing, true, []byte("hb"))
	go func() {
		for i := 0; i <= maxDiscarded; i++ {
			if _, err := sc.Write(ping); err != nil {
				return
			}
		}
	}()
	c := functions.NewContext(functions.NewVars(), functions.NewProperties(), nil)
	res := &sampler.Result{}
	_, err = s.receive(c, cn, 10*time.Second, res)
	var se *samplerErr
	if !errors.As(err, &se) || !strings.Contains(se.msg, "frames discarded") || len(res.Subs) != maxDiscarded {
		t.Fatalf("%v with %d sub-results, want a bounded failure after %d", err, len(res.Subs), maxDiscarded)
	}
}

// With websocket.thread.stop.policy=wsClose a finishing user sends a close
// frame (1000, "test thread finished") before closing the socket, as the
// plugin does; by default it only closes the socket.
func TestFinishingUserClosesPerThePolicy(t *testing.T) {
	for _, wsClose := range []bool{true, false} {
		srv := startRawServer(t, nil)
		cn, sc := openRaw(t, context.Background(), srv)
		u := &userConns{m: map[string]*conn{"": cn}, wsClose: wsClose}
		u.Close()
		_ = sc.SetReadDeadline(time.Now().Add(10 * time.Second))
		var h [2]byte
		_, err := io.ReadFull(sc, h[:])
		if !wsClose {
			if err == nil {
				t.Errorf("policy none: the server got a frame (%x), want the socket closed", h)
			}
			continue
		}
		if err != nil || h[0]&0x0f != wireClose {
			t.Fatalf("policy wsClose: %x %v, want a close frame", h, err)
		}
		n := int(h[1] & 0x7f)
		rest := make([]byte, 4+n)
		if _, err := io.ReadFull(sc, rest); err != nil {
			t.Fatal(err)
		}
		p := rest[4:]
		for i := range p {
			p[i] ^= rest[i&3]
		}
		if string(p) != "\x03\xe8test thread finished" {
			t.Errorf("close payload %q", p)
		}
		if len(u.m) != 0 {
			t.Error("the user still holds its connection")
		}
	}
}
