// Package raw runs jmeter-plugins' HTTP Raw Request sampler
// (kg.apc.jmeter.samplers.HTTPRawSampler): it opens a TCP connection,
// writes the request text exactly as the plan holds it (then a file's bytes,
// if named), reads until the server closes the connection and, when asked,
// parses the answer very simply as HTTP. It also reads the Raw Data Source
// pre-processor's length-prefixed files (see Source).
package raw

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sampler"
)

// Class is the sampler's class in a plan.
const Class = "kg.apc.jmeter.samplers.HTTPRawSampler"

// Plugin properties.
const (
	PropDataLimit  = "kg.apc.jmeter.samplers.ResultDataLimit"   // bytes of response kept
	PropRecvBuffer = "kg.apc.jmeter.samplers.ReceiveBufferSize" // bytes per read
	PropFileChunk  = "kg.apc.jmeter.samplers.FileReadChunkSize" // bytes per file write
)

// MaxKept bounds what one sample keeps of a response whatever
// PropDataLimit says: the rest is read and counted, not kept.
const MaxKept = 16 << 20

// Sampler is a compiled HTTPRawSampler.
type Sampler struct {
	label, host, port, timeout, data, file *functions.Template
	parse                                  bool
	keepAlive                              bool
	limit, recvBuf, fileChunk              int
}

// New compiles the element; props are the run's JMeter properties.
func New(el *jmx.Element, props *functions.Properties) (*Sampler, error) {
	s := &Sampler{
		parse:     el.Bool("parse", false),
		keepAlive: el.Bool("keepalive", false),
		limit:     props.IntOr(PropDataLimit, 1<<31-1),
		recvBuf:   props.IntOr(PropRecvBuffer, 4096),
		fileChunk: props.IntOr(PropFileChunk, 4096),
	}
	if s.limit > MaxKept || s.limit < 0 {
		s.limit = MaxKept
	}
	if s.recvBuf < 1 || s.recvBuf > 1<<20 {
		return nil, fmt.Errorf("%s=%d: between 1 and %d bytes", PropRecvBuffer, s.recvBuf, 1<<20)
	}
	if s.fileChunk < 1 || s.fileChunk > 1<<20 {
		return nil, fmt.Errorf("%s=%d: between 1 and %d bytes", PropFileChunk, s.fileChunk, 1<<20)
	}
	for _, f := range []struct {
		dst  **functions.Template
		src  string
		name string
	}{
		{&s.label, el.Name, "name"}, {&s.host, el.Str("hostname"), "hostname"}, {&s.port, el.Str("port"), "port"},
		{&s.timeout, el.Str("timeout"), "timeout"}, {&s.data, el.Str("data"), "data"}, {&s.file, el.Str("fileName"), "fileName"},
	} {
		t, err := functions.Compile(f.src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		*f.dst = t
	}
	return s, nil
}

// javaException is a Java exception's toString, which the plugin puts in
// the response message (and, with its stack trace, the response data).
type javaException struct{ class, msg string }

func (e *javaException) Error() string {
	if e.msg == "" {
		return e.class
	}
	return e.class + ": " + e.msg
}

// Sample sends the request and reads the answer to the end of the
// connection. Every sample opens its own connection: the plugin reads each
// response until the server closes, so there is never one left to reuse
// ("keep-alive" changes nothing, as the plugin's own notes admit).
func (s *Sampler) Sample(ctx context.Context, sess *sampler.Session) *sampler.Result {
	c := sess.Ctx
	res := &sampler.Result{Label: s.label.Eval(c), DataType: "text", SampleCount: 1, ResponseCode: "200", Success: true}
	data := s.data.Eval(c)
	res.SamplerData = data
	res.Start = time.Now()
	body, n, err := s.exchange(ctx, c, data, res)
	res.Elapsed = time.Since(res.Start)
	res.Bytes = n
	if err != nil {
		msg := err.Error()
		var je *javaException
		if !errors.As(err, &je) {
			msg = (&javaException{"java.io.IOException", msg}).Error()
		}
		res.Success, res.ErrorCount = false, 1
		res.ResponseCode, res.ResponseMessage = "500", msg
		res.Body = []byte(msg + "\r\n")
		return res
	}
	res.Body = body
	if s.parse {
		parseResponse(res)
	}
	return res
}

// javaInt is Integer.parseInt: no spaces allowed.
func javaInt(s string) (int, bool) {
	n, err := strconv.ParseInt(s, 10, 32)
	return int(n), err == nil
}

func (s *Sampler) exchange(ctx context.Context, c *functions.Context, data string, res *sampler.Result) ([]byte, int64, error) {
	host, portText := s.host.Eval(c), s.port.Eval(c)
	port, ok := javaInt(portText)
	if !ok {
		port = 80 // the plugin: "Wrong port number …, defaulting to 80"
	}
	timeout := time.Duration(0)
	if t, ok := javaInt(s.timeout.Eval(c)); ok && t > 0 {
		timeout = time.Duration(t) * time.Millisecond
	}
	d := net.Dialer{Timeout: timeout}
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, 0, connectError(err, host, addr)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() }) // a stopping run ends a blocked read
	defer stop()
	if data != "" {
		if _, err := io.WriteString(conn, data); err != nil {
			return nil, 0, &javaException{"java.io.IOException", err.Error()}
		}
	}
	if name := s.file.Eval(c); name != "" {
		if err := s.sendFile(conn, name); err != nil {
			return nil, 0, err
		}
	}
	buf := make([]byte, s.recvBuf)
	var kept []byte
	var total int64
	first := true
	for {
		if timeout > 0 {
			_ = conn.SetReadDeadline(time.Now().Add(timeout))
		}
		n, err := conn.Read(buf)
		if n > 0 {
			if first {
				res.Latency = time.Since(res.Start)
				first = false
			}
			total += int64(n)
			// as the plugin: a whole read is kept while what is kept is
			// not over the limit
			if len(kept) <= s.limit {
				kept = append(kept, buf[:n]...)
			}
		}
		if errors.Is(err, io.EOF) {
			return kept, total, nil
		}
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return kept, total, &javaException{"java.net.SocketTimeoutException", "Timeout exceeded while reading from socket"}
			}
			if ctx.Err() != nil {
				return kept, total, &javaException{"java.nio.channels.ClosedByInterruptException", ""}
			}
			return kept, total, &javaException{"java.io.IOException", err.Error()}
		}
	}
}

// sendFile writes a file's bytes as they are (no variables), in chunks.
func (s *Sampler) sendFile(conn net.Conn, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return &javaException{"java.io.FileNotFoundException", name + " (No such file or directory)"}
	}
	defer f.Close()
	if _, err := io.CopyBuffer(writerOnly{conn}, f, make([]byte, s.fileChunk)); err != nil {
		return &javaException{"java.io.IOException", err.Error()}
	}
	return nil
}

// writerOnly hides ReadFrom so that CopyBuffer uses the chunk size.
type writerOnly struct{ io.Writer }

func connectError(err error, host, addr string) error {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		return &javaException{"java.nio.channels.UnresolvedAddressException", ""}
	case errors.Is(err, os.ErrDeadlineExceeded) || strings.Contains(err.Error(), "i/o timeout"):
		// InetSocketAddress's text: "/ip:port" for an address, else
		// "name/ip:port" (the address is not known here: "name:port")
		where := addr
		if net.ParseIP(host) != nil {
			where = "/" + addr
		}
		return &javaException{"java.net.SocketTimeoutException", "Failed to connect to " + where}
	case strings.Contains(err.Error(), "refused"):
		return &javaException{"java.net.ConnectException", "Connection refused"}
	}
	return &javaException{"java.io.IOException", err.Error()}
}
