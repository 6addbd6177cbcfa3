// Package tcp runs JMeter's TCP Sampler with its three clients: text
// (TCPClientImpl), hex-encoded binary (BinaryTCPClientImpl) and binary with
// a length prefix (LengthPrefixedBinaryTCPClientImpl). Each user keeps its
// sockets by server and port across samples when "re-use connection" is on.
package tcp

import (
	"context"
	"encoding/binary"
	"encoding/hex"
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

type client uint8

const (
	textClient client = iota
	binaryClient
	prefixedClient
)

// maxResponse bounds what one sample keeps of a response that has no end
// marker: reading stops there and the sample fails.
const maxResponse = 16 << 20

// Sampler is a compiled TCPSampler.
type Sampler struct {
	label, server, port, request *functions.Template
	timeout, connectTimeout, eol *functions.Template
	client                       client
	reuse, closeConn, noDelay    bool
	defaultEOL                   int // tcp.eolByte / tcp.BinaryTCPClient.eomByte (1000: none)
	prefixLen                    int // tcp.binarylength.prefix.length
	charset                      string
}

// New compiles a TCPSampler element; props are the run's JMeter properties.
func New(el *jmx.Element, props *functions.Properties) (*Sampler, error) {
	s := &Sampler{
		reuse:     el.Bool("TCPSampler.reUseConnection", true),
		closeConn: el.Bool("TCPSampler.closeConnection", false),
		noDelay:   el.Bool("TCPSampler.nodelay", false),
		prefixLen: 2,
	}
	class := strings.TrimSpace(el.Str("TCPSampler.classname"))
	if class == "" {
		class = props.GetOr("tcp.handler", "TCPClientImpl")
	}
	class = strings.TrimPrefix(class, "org.apache.jmeter.protocol.tcp.sampler.")
	switch class {
	case "TCPClientImpl":
		s.client, s.defaultEOL = textClient, props.IntOr("tcp.eolByte", 1000)
	case "BinaryTCPClientImpl":
		s.client, s.defaultEOL = binaryClient, props.IntOr("tcp.BinaryTCPClient.eomByte", 1000)
	case "LengthPrefixedBinaryTCPClientImpl":
		s.client = prefixedClient
		s.prefixLen = props.IntOr("tcp.binarylength.prefix.length", 2)
		if s.prefixLen < 1 || s.prefixLen > 8 {
			return nil, fmt.Errorf("tcp.binarylength.prefix.length %d: 1 to 8 bytes", s.prefixLen)
		}
	default:
		return nil, fmt.Errorf("TCP client class %q is not supported (TCPClientImpl, BinaryTCPClientImpl, LengthPrefixedBinaryTCPClientImpl)", class)
	}
	if cs := strings.TrimSpace(props.GetOr("tcp.charset", "")); cs != "" && !strings.EqualFold(cs, "UTF-8") && !strings.EqualFold(cs, "UTF8") {
		return nil, fmt.Errorf("tcp.charset %q is not supported: gometer's TCP text client speaks UTF-8", cs)
	}
	if el.Str("TCPSampler.filename") != "" {
		return nil, errors.New("TCP sampler request from a file (TCPSampler.filename) is not supported")
	}
	for _, f := range []struct {
		dst  **functions.Template
		src  string
		name string
	}{
		{&s.label, el.Name, "name"}, {&s.server, el.Str("TCPSampler.server"), "TCPSampler.server"},
		{&s.port, el.Str("TCPSampler.port"), "TCPSampler.port"}, {&s.request, el.Str("TCPSampler.request"), "TCPSampler.request"},
		{&s.timeout, el.Str("TCPSampler.timeout"), "TCPSampler.timeout"}, {&s.connectTimeout, el.Str("TCPSampler.ctimeout"), "TCPSampler.ctimeout"},
		{&s.eol, el.Str("TCPSampler.EolByte"), "TCPSampler.EolByte"},
	} {
		t, err := functions.Compile(f.src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		*f.dst = t
	}
	return s, nil
}

// javaInt is getPropertyAsInt: 0 when empty or not a number.
func javaInt(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

// sockets are a user's open connections by server and port.
type sockets map[string]net.Conn

func (s sockets) Close() error {
	for k, c := range s {
		c.Close()
		delete(s, k)
	}
	return nil
}

type stateKey struct{}

// Sample writes the request and reads the response as the configured
// client does.
func (s *Sampler) Sample(ctx context.Context, sess *sampler.Session) *sampler.Result {
	c := sess.Ctx
	server, portText := s.server.Eval(c), s.port.Eval(c)
	port := javaInt(portText)
	eolText := strings.TrimSpace(s.eol.Eval(c))
	eol := s.defaultEOL
	if eolText != "" {
		eol = javaInt(eolText)
	}
	useEOL := s.client != prefixedClient && eol >= -128 && eol <= 127
	res := &sampler.Result{Label: s.label.Eval(c), DataType: "text", SampleCount: 1}
	shownEOL := 0
	if useEOL {
		shownEOL = int(int8(eol))
	}
	res.SamplerData = fmt.Sprintf("Host: %s Port: %d\nReuse: %v Close: %v\n[SOLINGER: 0 EOL: %d noDelay: %v]", server, port, s.reuse, s.closeConn, shownEOL, s.noDelay)
	socks, _ := sess.State(stateKey{}).(sockets)
	if socks == nil {
		socks = sockets{}
		sess.SetState(stateKey{}, socks)
	}
	key := server + "#" + strconv.Itoa(port)
	start := time.Now()
	res.Start = start
	conn := socks[key]
	if !s.reuse && conn != nil {
		conn.Close()
		delete(socks, key)
		conn = nil
	}
	if conn == nil {
		d := net.Dialer{Timeout: time.Duration(javaInt(s.connectTimeout.Eval(c))) * time.Millisecond}
		nc, err := d.DialContext(ctx, "tcp", net.JoinHostPort(server, strconv.Itoa(port)))
		res.Connect = time.Since(start)
		if err != nil {
			res.Elapsed = time.Since(start)
			res.ResponseCode, res.ResponseMessage = "500", javaConnectError(err)
			res.ErrorCount = 1
			return res
		}
		if tc, ok := nc.(*net.TCPConn); ok {
			_ = tc.SetNoDelay(s.noDelay)
		}
		conn = nc
		socks[key] = conn
	}
	// a stopping run closes the socket under a blocked read
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	req := s.request.Eval(c)
	res.SamplerData = req
	timeout := time.Duration(javaInt(s.timeout.Eval(c))) * time.Millisecond
	body, err := s.exchange(conn, req, timeout, byte(eol), useEOL, res)
	res.Elapsed = time.Since(start)
	res.Body = []byte(body)
	res.Bytes = int64(len(res.Body))
	if err != nil {
		res.ResponseCode, res.ResponseMessage = "500", err.Error()
		res.ErrorCount = 1
		conn.Close()
		delete(socks, key)
		return res
	}
	res.ResponseCode, res.ResponseMessage, res.Success = "200", "OK", true
	if !s.reuse || s.closeConn {
		conn.Close()
		delete(socks, key)
	}
	return res
}

// javaError is a Java exception's toString.
type javaError struct{ class, msg string }

func (e *javaError) Error() string {
	if e.msg == "" {
		return e.class
	}
	return e.class + ": " + e.msg
}

func readException(msg string) error {
	return &javaError{"org.apache.jmeter.protocol.tcp.sampler.ReadException", msg}
}

func javaConnectError(err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		return "java.net.UnknownHostException: " + dnsErr.Name
	case errors.Is(err, os.ErrDeadlineExceeded) || strings.Contains(err.Error(), "timeout"):
		return "java.net.SocketTimeoutException: Connect timed out"
	case strings.Contains(err.Error(), "refused"):
		return "java.net.ConnectException: Connection refused"
	}
	return "java.io.IOException: " + err.Error()
}

func (s *Sampler) exchange(conn net.Conn, req string, timeout time.Duration, eol byte, useEOL bool, res *sampler.Result) (string, error) {
	var out []byte
	switch s.client {
	case textClient:
		out = []byte(req)
	default:
		b, err := hexBytes(req)
		if err != nil {
			return "", err
		}
		out = b
		if s.client == prefixedClient {
			prefix := make([]byte, 8)
			binary.BigEndian.PutUint64(prefix, uint64(len(b)))
			out = append(prefix[8-s.prefixLen:], b...)
		}
	}
	if _, err := conn.Write(out); err != nil {
		return "", &javaError{"java.net.SocketException", err.Error()}
	}
	setDeadline := func() {
		if timeout > 0 {
			_ = conn.SetReadDeadline(time.Now().Add(timeout))
		} else {
			_ = conn.SetReadDeadline(time.Time{})
		}
	}
	start := res.Start
	if s.client == prefixedClient {
		setDeadline()
		lb := make([]byte, s.prefixLen)
		if _, err := io.ReadFull(conn, lb); err != nil {
			return "", readException("")
		}
		res.Latency = time.Since(start)
		var n uint64
		for _, b := range lb {
			n = n<<8 | uint64(b)
		}
		if n > maxResponse {
			return "", readException(fmt.Sprintf("length prefix %d is more than gometer keeps (%d bytes)", n, maxResponse))
		}
		msg := make([]byte, n)
		got, err := io.ReadFull(conn, msg)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return hex.EncodeToString(msg[:got]), readException("")
		}
		return hex.EncodeToString(msg[:got]), nil
	}
	var buf [4096]byte
	var data []byte
	first := true
	for {
		setDeadline()
		n, err := conn.Read(buf[:])
		if n > 0 {
			if first {
				res.Latency = time.Since(start)
				first = false
			}
			data = append(data, buf[:n]...)
			if useEOL && buf[n-1] == eol {
				break
			}
			if len(data) > maxResponse {
				return s.decode(data), readException(fmt.Sprintf("response longer than %d bytes without its end-of-line byte", maxResponse))
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			timedOut := errors.Is(err, os.ErrDeadlineExceeded)
			if s.client == binaryClient {
				if timedOut && !useEOL {
					break // the binary client takes what came before the timeout
				}
				if timedOut {
					return s.decode(data), readException("Socket timed out while looking for EOM")
				}
				return s.decode(data), readException("Problems while trying to read")
			}
			return s.decode(data), readException("Error reading from server, bytes read: " + strconv.Itoa(len(data)))
		}
	}
	if first {
		res.Latency = time.Since(start)
	}
	return s.decode(data), nil
}

func (s *Sampler) decode(data []byte) string {
	if s.client == textClient {
		return string(data)
	}
	return hex.EncodeToString(data)
}

// hexBytes reads the binary clients' request: hex digits, two per byte.
func hexBytes(s string) ([]byte, error) {
	if len(s)%2 != 0 {
		return nil, &javaError{"java.lang.IllegalArgumentException", "Hex-encoded binary string contains an uneven no. of digits"}
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		for i := 0; i+1 < len(s); i += 2 {
			if _, e := hex.DecodeString(s[i : i+2]); e != nil {
				return nil, &javaError{"java.lang.IllegalArgumentException", "Hex-encoded binary string contains an invalid hex digit in '" + s[i:i+2] + "'"}
			}
		}
		return nil, err
	}
	return b, nil
}
