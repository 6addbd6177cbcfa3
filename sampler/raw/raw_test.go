package raw

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/sampler"
)

// tcpServer accepts connections on 127.0.0.1:0; each connection's request
// (read until the client's data has arrived, judged by want bytes) goes to
// got and answer writes the reply before the connection closes.
func tcpServer(t *testing.T, want int, answer func(c net.Conn)) (port string, got chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got = make(chan []byte, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, want)
				n, _ := io.ReadFull(c, buf)
				got <- buf[:n]
				answer(c)
			}()
		}
	}()
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	return port, got
}

func newRaw(t *testing.T, props map[string]string, kv ...string) *Sampler {
	t.Helper()
	el := jmxtest.Element(t, `<kg.apc.jmeter.samplers.HTTPRawSampler guiclass="kg.apc.jmeter.samplers.HTTPRawSamplerGui" testclass="kg.apc.jmeter.samplers.HTTPRawSampler" testname="raw">`+
		jmxtest.Props(kv...)+`<boolProp name="parse">`+props["parse"]+`</boolProp></kg.apc.jmeter.samplers.HTTPRawSampler>`)
	p := functions.NewProperties()
	for k, v := range props {
		p.Set(k, v)
	}
	s, err := New(el, p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func session() *sampler.Session { return &sampler.Session{Ctx: functions.NewContext(nil, nil, nil)} }

const reply = "HTTP/1.1 201 Created here\r\nX-A: 1\nX-B: 2\r\n\r\nhello\r\nworld"

// The request goes out byte for byte (the data, then the file's bytes),
// the answer is read to the end of the connection and kept whole.
func TestRawRequestSendsExactBytes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "body.bin")
	fileBytes := []byte{0, 1, 2, 0xff, '\r', '\n'}
	if err := os.WriteFile(file, fileBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	req := "PURGE /x HTTP/1.0\r\nHost: h\r\n\r\n"
	port, got := tcpServer(t, len(req)+len(fileBytes), func(c net.Conn) { io.WriteString(c, reply) })
	s := newRaw(t, map[string]string{"parse": "false"}, "hostname", "127.0.0.1", "port", port, "timeout", "5000", "data", req, "fileName", file)
	r := s.Sample(context.Background(), session())
	if sent := <-got; !bytes.Equal(sent, append([]byte(req), fileBytes...)) {
		t.Fatalf("server got %q", sent)
	}
	if !r.Success || r.ResponseCode != "200" || string(r.Body) != reply || r.Bytes != int64(len(reply)) || r.SamplerData != req {
		t.Fatalf("result %+v body %q", r, r.Body)
	}
	if r.Latency <= 0 || r.Latency > r.Elapsed {
		t.Fatalf("latency %v elapsed %v", r.Latency, r.Elapsed)
	}
}

// Parsing takes the code and message from the first line, the headers up
// to the empty line (each ended by \r\n) and, as the plugin's Scanner does,
// the body up to its first \r\n.
func TestRawRequestParsesResponse(t *testing.T) {
	port, _ := tcpServer(t, 4, func(c net.Conn) { io.WriteString(c, reply) })
	s := newRaw(t, map[string]string{"parse": "true"}, "hostname", "127.0.0.1", "port", port, "timeout", "5000", "data", "GET\n")
	r := s.Sample(context.Background(), session())
	if r.ResponseCode != "201" || r.ResponseMessage != "Created here" || r.ResponseHeaders != "X-A: 1\r\nX-B: 2\r\n" || string(r.Body) != "hello" || !r.Success {
		t.Fatalf("code %q message %q headers %q body %q", r.ResponseCode, r.ResponseMessage, r.ResponseHeaders, r.Body)
	}
	if r.Bytes != int64(len(reply)) {
		t.Fatalf("bytes %d", r.Bytes)
	}
}

func TestParseResponseCases(t *testing.T) {
	for _, c := range []struct {
		in                       string
		code, msg, headers, body string
	}{
		{"HTTP/1.1 404 Not Found\r\n\r\n\r\nbody", "404", "Not Found", "", "body"},
		{"HTTP/1.1 200\r\nA: b\r\n\r\nx", "200", "", "", "HTTP/1.1 200\r\nA: b\r\n\r\nx"}, // no second space: not parsed
		{"HTTP/1.1 700 Odd\r\n\r\nx", "200", "", "", "HTTP/1.1 700 Odd\r\n\r\nx"},         // code out of range
		{"HTTP/1.1 302 Found\n", "302", "Found", "", "HTTP/1.1 302 Found\n"},              // status line only: data kept
		{"HTTP/1.1 500 Bad\r\nA: 1", "500", "Bad", "A: 1\r\n", ""},                        // no body
		{"SSH-2.0-OpenSSH\r\n", "200", "", "", "SSH-2.0-OpenSSH\r\n"},                     // not HTTP
		{"X 200 ok\r\n\r\nbad\xffbyte", "200", "ok", "", "bad\uFFFDbyte"},                 // read as UTF-8
	} {
		r := &sampler.Result{ResponseCode: "200", Body: []byte(c.in)}
		parseResponse(r)
		if r.ResponseCode != c.code || r.ResponseMessage != c.msg || r.ResponseHeaders != c.headers || string(r.Body) != c.body {
			t.Errorf("%q: code %q msg %q headers %q body %q", c.in, r.ResponseCode, r.ResponseMessage, r.ResponseHeaders, r.Body)
		}
	}
}

// A server that never answers: the timeout ends the sample with the
// plugin's SocketTimeoutException; without a timeout, a stopping run does.
func TestRawRequestTimeoutAndStop(t *testing.T) {
	hold := make(chan struct{})
	t.Cleanup(func() { close(hold) })
	port, _ := tcpServer(t, 1, func(c net.Conn) { <-hold })
	s := newRaw(t, map[string]string{"parse": "false"}, "hostname", "127.0.0.1", "port", port, "timeout", "100", "data", "x")
	r := s.Sample(context.Background(), session())
	if r.Success || r.ResponseCode != "500" || r.ResponseMessage != "java.net.SocketTimeoutException: Timeout exceeded while reading from socket" {
		t.Fatalf("timeout: %+v", r)
	}
	s = newRaw(t, map[string]string{"parse": "false"}, "hostname", "127.0.0.1", "port", port, "timeout", "0", "data", "x")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *sampler.Result)
	go func() { done <- s.Sample(ctx, session()) }()
	cancel()
	select {
	case r := <-done:
		if r.Success {
			t.Fatalf("stopped sample succeeded: %+v", r)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a stopping run did not end the read")
	}
}

// The kept response is bounded (ResultDataLimit: whole reads while what is
// kept is not over it); every byte is still read and counted.
func TestRawRequestDataLimit(t *testing.T) {
	big := strings.Repeat("z", 200_000)
	port, _ := tcpServer(t, 1, func(c net.Conn) { io.WriteString(c, big) })
	s := newRaw(t, map[string]string{"parse": "false", PropDataLimit: "10", PropRecvBuffer: "16"}, "hostname", "127.0.0.1", "port", port, "data", "x")
	r := s.Sample(context.Background(), session())
	if !r.Success || r.Bytes != int64(len(big)) || len(r.Body) < 11 || len(r.Body) > 26 {
		t.Fatalf("bytes %d kept %d", r.Bytes, len(r.Body))
	}
}

func TestRawRequestConnectRefused(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	s := newRaw(t, map[string]string{"parse": "false"}, "hostname", "127.0.0.1", "port", port, "data", "x")
	r := s.Sample(context.Background(), session())
	if r.Success || r.ResponseCode != "500" || r.ResponseMessage != "java.net.ConnectException: Connection refused" || string(r.Body) != r.ResponseMessage+"\r\n" {
		t.Fatalf("%+v", r)
	}
}

func FuzzParseResponse(f *testing.F) {
	for _, s := range []string{reply, "HTTP/1.1 200 OK\r\n\r\n", "", "\r\n\r\n", " 1 ", "a 100 \u2028b\u0085c"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &sampler.Result{ResponseCode: "200", Body: append([]byte(nil), data...)}
		parseResponse(r)
		if len(r.Body) > 3*len(data) || len(r.ResponseHeaders) > 2*len(data)+2 {
			t.Fatalf("grew: %d → body %d headers %d", len(data), len(r.Body), len(r.ResponseHeaders))
		}
	})
}
