package tcp

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/sampler"
)

// server answers each connection as handle says and counts connections.
func server(t *testing.T, handle func(net.Conn)) (port string, conns *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	n := new(atomic.Int32)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			go func() { defer c.Close(); handle(c) }()
		}
	}()
	_, p, _ := net.SplitHostPort(l.Addr().String())
	return p, n
}

// lineEcho answers each line with "ok <line>\n".
func lineEcho(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		io.WriteString(c, "ok "+line)
	}
}

func build(t *testing.T, props *functions.Properties, kv ...string) *Sampler {
	t.Helper()
	el := jmxtest.Element(t, `<TCPSampler guiclass="TCPSamplerGui" testclass="TCPSampler" testname="tcp">`+jmxtest.Props(kv...)+`</TCPSampler>`)
	s, err := New(el, props)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func session() *sampler.Session {
	return &sampler.Session{Ctx: functions.NewContext(functions.NewVars(), functions.NewProperties(), functions.NewShared())}
}

func TestTextClientReusesTheConnectionAndStopsAtTheEOLByte(t *testing.T) {
	port, conns := server(t, lineEcho)
	s := build(t, functions.NewProperties(), "TCPSampler.server", "127.0.0.1", "TCPSampler.port", port,
		"TCPSampler.request", "BUY 10\n", "TCPSampler.EolByte", "10", "TCPSampler.timeout", "5000", "TCPSampler.reUseConnection", "true")
	sess := session()
	defer sess.Close()
	for i := 0; i < 3; i++ {
		r := s.Sample(context.Background(), sess)
		if !r.Success || string(r.Body) != "ok BUY 10\n" || r.ResponseCode != "200" {
			t.Fatalf("sample %d: %v %q %q %q", i, r.Success, r.ResponseCode, r.ResponseMessage, r.Body)
		}
		if (i == 0) != (r.Connect > 0) && i == 0 {
			t.Errorf("sample %d connect %v", i, r.Connect)
		}
	}
	if conns.Load() != 1 {
		t.Errorf("%d connections for 3 samples with re-use on, want 1", conns.Load())
	}
}

func TestTextClientWithoutEOLFailsOnTheReadTimeout(t *testing.T) {
	port, _ := server(t, lineEcho)
	s := build(t, functions.NewProperties(), "TCPSampler.server", "127.0.0.1", "TCPSampler.port", port,
		"TCPSampler.request", "PING\n", "TCPSampler.timeout", "200")
	r := s.Sample(context.Background(), session())
	if r.Success || r.ResponseCode != "500" || string(r.Body) != "ok PING\n" ||
		r.ResponseMessage != "org.apache.jmeter.protocol.tcp.sampler.ReadException: Error reading from server, bytes read: 8" {
		t.Errorf("%v %q %q %q", r.Success, r.ResponseCode, r.ResponseMessage, r.Body)
	}
}

func TestBinaryClients(t *testing.T) {
	// answers each 2-byte-length-prefixed message with its bytes reversed, same framing
	port, conns := server(t, func(c net.Conn) {
		for {
			var n uint16
			if err := binary.Read(c, binary.BigEndian, &n); err != nil {
				return
			}
			b := make([]byte, n)
			if _, err := io.ReadFull(c, b); err != nil {
				return
			}
			for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
				b[i], b[j] = b[j], b[i]
			}
			binary.Write(c, binary.BigEndian, n)
			c.Write(b)
		}
	})
	s := build(t, functions.NewProperties(), "TCPSampler.server", "127.0.0.1", "TCPSampler.port", port,
		"TCPSampler.classname", "org.apache.jmeter.protocol.tcp.sampler.LengthPrefixedBinaryTCPClientImpl",
		"TCPSampler.request", "0102cafe", "TCPSampler.timeout", "5000", "TCPSampler.closeConnection", "true")
	sess := session()
	defer sess.Close()
	for i := 0; i < 2; i++ {
		r := s.Sample(context.Background(), sess)
		if !r.Success || string(r.Body) != "feca0201" {
			t.Fatalf("length-prefixed: %v %q %q", r.Success, r.ResponseMessage, r.Body)
		}
	}
	if conns.Load() != 2 {
		t.Errorf("close connection: %d connections for 2 samples, want 2", conns.Load())
	}
	bad := build(t, functions.NewProperties(), "TCPSampler.server", "127.0.0.1", "TCPSampler.port", port,
		"TCPSampler.classname", "BinaryTCPClientImpl", "TCPSampler.request", "abc")
	if r := bad.Sample(context.Background(), session()); r.Success || r.ResponseMessage != "java.lang.IllegalArgumentException: Hex-encoded binary string contains an uneven no. of digits" {
		t.Errorf("odd hex: %q", r.ResponseMessage)
	}
	// the plain binary client takes what arrived before the timeout when it has no end byte
	raw := build(t, functions.NewProperties(), "TCPSampler.server", "127.0.0.1", "TCPSampler.port", port,
		"TCPSampler.classname", "BinaryTCPClientImpl", "TCPSampler.request", "0003414243", "TCPSampler.timeout", "300")
	if r := raw.Sample(context.Background(), session()); !r.Success || string(r.Body) != "0003434241" {
		t.Errorf("binary: %v %q %q", r.Success, r.ResponseMessage, r.Body)
	}
}

func TestRefusedConnection(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	s := build(t, functions.NewProperties(), "TCPSampler.server", "127.0.0.1", "TCPSampler.port", port, "TCPSampler.request", "x")
	r := s.Sample(context.Background(), session())
	if r.Success || r.ResponseCode != "500" || !strings.Contains(r.ResponseMessage, "Connection refused") {
		t.Errorf("%q %q", r.ResponseCode, r.ResponseMessage)
	}
}

func FuzzHexRequest(f *testing.F) {
	for _, s := range []string{"", "0a", "zz", "abc", "0102cafe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if b, err := hexBytes(s); err == nil && len(b)*2 != len(s) {
			t.Fatalf("%q -> %d bytes", s, len(b))
		}
	})
}
