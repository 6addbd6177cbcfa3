package sampler

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
)

// javaError is a failure described as JMeter would report it: the Java
// exception class and its message.
type javaError struct{ class, msg string }

func (e *javaError) Error() string { return e.class + ": " + e.msg }

var errBadURI = errors.New("bad URI")

func uriError(err error) error {
	var je *javaError
	if errors.As(err, &je) {
		return je
	}
	msg := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		msg = ue.Err.Error() + ": " + ue.URL
	}
	return &javaError{"java.net.URISyntaxException", msg}
}

// setError turns r into a failed sample the way HTTPSamplerBase.errorResult
// does: "Non HTTP response code: <class>", "Non HTTP response message: <msg>",
// the exception as the response body.
func setError(r *Result, err error) {
	je := asJava(err, nil)
	r.ResponseCode = "Non HTTP response code: " + je.class
	r.ResponseMessage = "Non HTTP response message: " + je.msg
	r.Success = false
	r.ErrorCount = 1
	r.DataType = "text"
	r.Body = []byte(je.class + ": " + je.msg + "\n")
	// JMeter's byte count falls back to the response data: the stack trace.
	r.Bytes = int64(len(r.Body))
	r.SentBytes = 0
	r.RedirectLocation = ""
}

// asJava maps a Go network error to the exception JMeter 5.6.3 (HttpClient 4
// on Java 17) reports for the same failure.
func asJava(err error, u *url.URL) *javaError {
	var je *javaError
	if errors.As(err, &je) {
		return je
	}
	hostPort := ""
	host := ""
	if u != nil {
		host = u.Hostname()
		hostPort = u.Host
		if u.Port() == "" {
			if u.Scheme == "https" {
				hostPort += ":443"
			} else {
				hostPort += ":80"
			}
		}
	}
	var ie *InterruptedError
	if errors.As(err, &ie) {
		return &javaError{"java.io.InterruptedIOException", ie.Reason}
	}
	var pe *ProtocolError
	if errors.As(err, &pe) {
		// JMeter prints "null" here (the exception has no message of its
		// own); gometer says what was wrong.
		return &javaError{"org.apache.http.client.ClientProtocolException", pe.What}
	}
	var ce *chunkError
	if errors.As(err, &ce) {
		if errors.Is(ce.err, io.ErrUnexpectedEOF) {
			return &javaError{"org.apache.http.ConnectionClosedException", "Premature end of chunk coded message body: closing chunk expected"}
		}
		if isTimeout(ce.err) || errors.Is(ce.err, syscall.ECONNRESET) {
			return asJava(ce.err, u)
		}
		return &javaError{"org.apache.http.MalformedChunkCodingException", "Bad chunk header (chunked transfer coding): " + ce.err.Error()}
	}
	var te *tlsError
	if errors.As(err, &te) {
		var ce *clientCertError
		if errors.As(te.err, &ce) {
			return &javaError{"javax.net.ssl.SSLException", ce.Error()}
		}
		if isTimeout(te.err) {
			return &javaError{"java.net.SocketTimeoutException", "Read timed out"}
		}
		return &javaError{"javax.net.ssl.SSLHandshakeException", te.err.Error()}
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		name := de.Name
		if name == "" {
			name = host
		}
		if de.IsNotFound {
			return &javaError{"java.net.UnknownHostException", name + ": Name or service not known"}
		}
		return &javaError{"java.net.UnknownHostException", name + ": Temporary failure in name resolution"}
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		// java.net.InetAddress prints "name/ip", with no name for an IP literal.
		name := host
		if net.ParseIP(host) != nil {
			name = ""
		}
		target := hostPort + " [" + name + "/" + addrIP(oe.Addr) + "]"
		switch {
		case isTimeout(oe):
			return &javaError{"org.apache.http.conn.ConnectTimeoutException", "Connect to " + target + " failed: Connect timed out"}
		case errors.Is(oe, syscall.ECONNREFUSED):
			return &javaError{"org.apache.http.conn.HttpHostConnectException", "Connect to " + target + " failed: Connection refused"}
		case errors.Is(oe, syscall.ENETUNREACH):
			return &javaError{"org.apache.http.conn.HttpHostConnectException", "Connect to " + target + " failed: Network is unreachable"}
		case errors.Is(oe, syscall.EHOSTUNREACH):
			return &javaError{"java.net.NoRouteToHostException", "No route to host"}
		}
		return &javaError{"org.apache.http.conn.HttpHostConnectException", "Connect to " + target + " failed: " + syscallText(oe.Err)}
	}
	switch {
	case errors.Is(err, errNoResponse):
		return &javaError{"org.apache.http.NoHttpResponseException", hostPort + " failed to respond"}
	case errors.Is(err, context.Canceled):
		return &javaError{"java.io.InterruptedIOException", "Connection has been shut down"}
	case isTimeout(err):
		return &javaError{"java.net.SocketTimeoutException", "Read timed out"}
	case errors.Is(err, syscall.ECONNRESET):
		return &javaError{"java.net.SocketException", "Connection reset"}
	case errors.Is(err, syscall.EPIPE):
		return &javaError{"java.net.SocketException", "Broken pipe"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &javaError{"org.apache.http.ConnectionClosedException", "Premature end of Content-Length delimited message body"}
	case errors.Is(err, io.EOF) || strings.Contains(err.Error(), "server closed") || strings.HasSuffix(err.Error(), "EOF"):
		return &javaError{"org.apache.http.NoHttpResponseException", hostPort + " failed to respond"}
	case strings.Contains(err.Error(), "malformed HTTP"):
		// net/http's reader (a proxy's CONNECT answer): HttpClient wraps
		// the parse error without a message of its own; say what it was.
		return &javaError{"org.apache.http.client.ClientProtocolException", err.Error()}
	}
	return &javaError{"java.io.IOException", err.Error()}
}

func isTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func addrIP(a net.Addr) string {
	if a == nil {
		return ""
	}
	h, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return h
}

func syscallText(err error) string {
	var se *os.SyscallError
	if errors.As(err, &se) {
		err = se.Err
	}
	s := err.Error()
	if s != "" {
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// InterruptedError is the cause a run gives when it cuts samples short (the
// scheduler's end, a stop): the sample fails with its reason.
type InterruptedError struct{ Reason string }

func (e *InterruptedError) Error() string { return e.Reason }
