package sampler

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"strings"
)

// The response reader: a lean replacement for http.ReadResponse on the hot
// path. It reads the status line and header lines into the user's buffer,
// turns them into one string that is both the sample's response header text
// (lines as received, each ended by "\n") and the backing store of every
// header key and value, and reads bodies with readers kept in the connection.
// A response costs a handful of allocations instead of one per header line.
// Transfer semantics follow net/http's (and RFC 9112): chunked wins over
// Content-Length, no body for HEAD, 1xx, 204 and 304, a body without either
// runs to the end of the connection. Header lines are parsed as leniently as
// HttpClient does: the name is what precedes the colon, trimmed, and a folded
// continuation line joins the previous value with one space.

// maxHeaderBytes bounds a response header block and maxHeaderLines the
// header lines in it (a folded line counts once; HttpClient 4 sets no such
// bound by default, but no real server comes near it and each line costs a
// map entry); maxBlankLines bounds the empty lines skipped before a status
// line.
const (
	maxHeaderBytes = 1 << 20
	maxHeaderLines = 1000
	maxBlankLines  = 64
)

var errHeaderTooLarge = protoErrorf("malformed HTTP response: header block larger than 1 MB")

// maxInterim bounds the 1xx responses skipped before the final one (as
// net/http's Transport does).
const maxInterim = 5

var errTooManyInterim = protoErrorf("malformed HTTP response: more than 5 interim (1xx) responses")

// readResponse reads the final (non-1xx) response to req from cc, leaving its
// header text in st.respHead. The body must be read and closed by the caller.
func (st *HTTPState) readResponse(cc *clientConn, req *http.Request) (*http.Response, error) {
	for interim := 0; ; interim++ {
		resp, err := st.readHead(cc.br, req)
		if err != nil {
			return nil, err
		}
		// Skip interim responses (100 Continue, 103 Early Hints), a bounded
		// number of them: a server sending nothing else would hold the user.
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != 101 {
			if interim >= maxInterim {
				return nil, errTooManyInterim
			}
			continue
		}
		if err := cc.setBody(resp, req); err != nil {
			return nil, err
		}
		return resp, nil
	}
}

// readHead reads one status line and header block.
func (st *HTTPState) readHead(br *bufio.Reader, req *http.Request) (*http.Response, error) {
	x := st.scratch()
	buf := x.head[:0]
	lines, blank := 0, 0
	for {
		line, err := readLine(br, &x.line)
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			x.head = buf
			return nil, err
		}
		if len(line) == 0 {
			if lines == 0 && blank < maxBlankLines {
				// HttpClient skips empty lines before the status line.
				blank++
				continue
			}
			if lines == 0 {
				x.head = buf
				return nil, protoErrorf("malformed HTTP response: no status line")
			}
			break
		}
		if lines > 0 && (line[0] == ' ' || line[0] == '\t') {
			if lines == 1 {
				x.head = buf
				return nil, foldError(line)
			}
			// A folded value: join it to the previous line with one space.
			buf = append(buf[:len(buf)-1], ' ')
			for len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
				line = line[1:]
			}
			buf = append(buf, line...)
			buf = append(buf, '\n')
		} else {
			if lines > maxHeaderLines { // the status line and maxHeaderLines headers
				size := len(buf) + len(line) + 1
				x.head = buf[:0]
				return nil, tooManyHeaders(br, &x.line, lines, size)
			}
			buf = append(buf, line...)
			buf = append(buf, '\n')
			lines++
		}
		if len(buf) > maxHeaderBytes {
			x.head = buf[:0]
			return nil, errHeaderTooLarge
		}
	}
	x.head = buf
	head := string(buf)
	st.respHead = head
	return st.parseHead(head, lines-1, req)
}

// tooManyHeaders reads the rest of a header block that has more than
// maxHeaderLines header lines (n so far, size bytes), counting its lines
// without keeping them, so that the error can say how many there were.
func tooManyHeaders(br *bufio.Reader, long *[]byte, n, size int) error {
	for {
		line, err := readLine(br, long)
		if err == errHeaderTooLarge {
			return err
		}
		if err != nil || len(line) == 0 {
			break // a block cut short still had too many lines
		}
		if line[0] != ' ' && line[0] != '\t' {
			n++
		}
		if size += len(line) + 1; size > maxHeaderBytes {
			return errHeaderTooLarge
		}
	}
	return protoErrorf("too many response headers (%d, limit %d)", n, maxHeaderLines)
}

// foldError: a continuation line right after the status line.
func foldError(line []byte) error {
	return protoErrorf("malformed HTTP response: header block starts with a continuation line %q", line)
}

// readLine returns the next line without its "\r\n" or "\n". The slice is
// valid until the next read; a line longer than br's buffer is gathered in
// *long.
func readLine(br *bufio.Reader, long *[]byte) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		line, err = readLongLine(br, long, line)
	}
	if err != nil {
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// readLongLine gathers a line longer than br's buffer in *long; part is
// what has been read of it.
func readLongLine(br *bufio.Reader, long *[]byte, part []byte) ([]byte, error) {
	acc := append((*long)[:0], part...)
	err := bufio.ErrBufferFull
	for err == bufio.ErrBufferFull {
		part, err = br.ReadSlice('\n')
		acc = append(acc, part...)
		if len(acc) > maxHeaderBytes {
			return nil, errHeaderTooLarge
		}
	}
	*long = acc
	return acc, err
}

// parseHead parses the header text (status line, then n header lines, each
// ended by "\n"); keys and values are substrings of head. The response and
// its header map are scratch space (st.x), reused by the next response.
func (st *HTTPState) parseHead(head string, n int, req *http.Request) (*http.Response, error) {
	status, rest, _ := strings.Cut(head, "\n")
	x := st.x
	resp := &x.resp
	*resp = http.Response{} // zeroed in place (a literal would use a stack temporary)
	resp.Request = req
	proto, code, ok := strings.Cut(status, " ")
	if !ok {
		return nil, protoErrorf("malformed HTTP response %q", status)
	}
	if resp.ProtoMajor, resp.ProtoMinor, ok = httpVersion(proto); !ok {
		return nil, protoErrorf("malformed HTTP response: the status line %q does not start with an HTTP version", status)
	}
	resp.Proto = proto
	resp.Status = strings.TrimLeft(code, " ")
	code, _, _ = strings.Cut(resp.Status, " ")
	if len(code) != 3 || !isDigits(code) {
		return nil, protoErrorf("malformed HTTP status code %q in the status line %q", code, status)
	}
	resp.StatusCode = int(code[0]-'0')*100 + int(code[1]-'0')*10 + int(code[2]-'0')
	hdr := x.respHdr
	if hdr == nil {
		hdr = make(http.Header, n)
		x.respHdr = hdr
	} else {
		clear(hdr)
	}
	if cap(x.respVals) < n {
		x.respVals = make([]string, n)
	}
	vals := x.respVals[:n]
	for rest != "" {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		colon := strings.IndexByte(line, ':')
		if colon <= 0 {
			return nil, protoErrorf("malformed HTTP header line %q", line)
		}
		name := trimSpaceTab(line[:colon])
		if name == "" || !validName(name) {
			return nil, protoErrorf("malformed HTTP header line %q", line)
		}
		key := http.CanonicalHeaderKey(name)
		value := trimSpaceTab(line[colon+1:])
		if prev, seen := hdr[key]; seen {
			hdr[key] = append(prev, value) // copies: prev's capacity is 1
			continue
		}
		v := vals[:1:1]
		vals = vals[1:]
		v[0] = value
		hdr[key] = v
	}
	resp.Header = hdr
	// net/http's rule, kept so that cache decisions do not change.
	if p := hdr["Pragma"]; len(p) > 0 && p[0] == "no-cache" {
		if _, ok := hdr["Cache-Control"]; !ok {
			hdr["Cache-Control"] = []string{"no-cache"}
		}
	}
	return resp, nil
}

// trimSpaceTab trims spaces and tabs at both ends.
func trimSpaceTab(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	return s[i:j]
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validName: a header name has no white space or control characters.
func validName(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// httpVersion parses "HTTP/major.minor" with one digit each.
func httpVersion(s string) (major, minor int, ok bool) {
	switch s {
	case "HTTP/1.1":
		return 1, 1, true
	case "HTTP/1.0":
		return 1, 0, true
	}
	if len(s) != 8 || !strings.HasPrefix(s, "HTTP/") || s[6] != '.' || !isDigits(s[5:6]) || !isDigits(s[7:]) {
		return 0, 0, false
	}
	return int(s[5] - '0'), int(s[7] - '0'), true
}

// scratch returns the current exchange's scratch space; a caller outside an
// exchange (tests) gets one of its own.
func (st *HTTPState) scratch() *exchScratch {
	if st.x == nil {
		st.x = &exchScratch{}
	}
	return st.x
}

// setBody gives resp its body reader and its Close and ContentLength.
func (cc *clientConn) setBody(resp *http.Response, req *http.Request) error {
	h := resp.Header
	resp.Close = shouldClose(resp)
	chunked := false
	if te, ok := h["Transfer-Encoding"]; ok && resp.ProtoAtLeast(1, 1) {
		if len(te) != 1 || !strings.EqualFold(strings.TrimSpace(te[0]), "chunked") {
			return protoErrorf("malformed HTTP response: unsupported transfer encoding %q", te)
		}
		chunked = true
		resp.TransferEncoding = te
		delete(h, "Transfer-Encoding")
	}
	length := int64(-1)
	if cl := h["Content-Length"]; len(cl) > 0 {
		first := strings.TrimSpace(cl[0])
		for _, v := range cl[1:] {
			if strings.TrimSpace(v) != first {
				return protoErrorf("malformed HTTP response: multiple Content-Length headers that differ %q", cl)
			}
		}
		if len(cl) > 1 {
			h["Content-Length"] = []string{first} // one of several equal values
		}
		n, ok := parseLength(first)
		if !ok {
			return protoErrorf("malformed HTTP response: bad Content-Length %q", first)
		}
		length = n
	}
	noBody := req.Method == "HEAD" || resp.StatusCode/100 == 1 || resp.StatusCode == 204 || resp.StatusCode == 304
	switch {
	case noBody:
		resp.ContentLength = 0
		if req.Method == "HEAD" {
			resp.ContentLength = length // what a GET would have received
		}
		resp.Body = http.NoBody
	case chunked:
		delete(h, "Content-Length")
		resp.ContentLength = -1
		cc.chunks = chunkBody{r: httputil.NewChunkedReader(cc.br), br: cc.br}
		resp.Body = &cc.chunks
	case length == 0:
		resp.ContentLength = 0
		resp.Body = http.NoBody
	case length > 0:
		resp.ContentLength = length
		cc.sized = sizedBody{br: cc.br, n: length}
		resp.Body = &cc.sized
	default:
		// Neither: the body runs to the end of the connection.
		resp.ContentLength = -1
		resp.Close = true
		cc.sized = sizedBody{br: cc.br, n: -1}
		resp.Body = &cc.sized
	}
	return nil
}

func parseLength(s string) (int64, bool) {
	if s == "" || len(s) > 18 || !isDigits(s) {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// shouldClose: HTTP/1.0 closes unless it asks to keep alive, HTTP/1.1 only
// when it says "close".
func shouldClose(resp *http.Response) bool {
	if resp.ProtoMajor < 1 {
		return true
	}
	conn := resp.Header["Connection"]
	if resp.ProtoMajor == 1 && resp.ProtoMinor == 0 {
		return hasToken(conn, "close") || !hasToken(conn, "keep-alive")
	}
	return hasToken(conn, "close")
}

// hasToken reports whether a comma-separated header holds token (any case).
func hasToken(vals []string, token string) bool {
	for _, v := range vals {
		for v != "" {
			var t string
			t, v, _ = strings.Cut(v, ",")
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// sizedBody reads a Content-Length body, or (n < 0) one that ends with the
// connection.
type sizedBody struct {
	br *bufio.Reader
	n  int64
}

func (b *sizedBody) Read(p []byte) (int, error) {
	if b.n == 0 {
		return 0, io.EOF
	}
	if b.n > 0 && int64(len(p)) > b.n {
		p = p[:b.n]
	}
	n, err := b.br.Read(p)
	if b.n < 0 {
		return n, err
	}
	b.n -= int64(n)
	if err == io.EOF {
		return n, io.ErrUnexpectedEOF // shorter than announced
	}
	if b.n == 0 && err == nil {
		err = io.EOF // saves the caller one more Read
	}
	return n, err
}

func (b *sizedBody) Close() error { return nil }

// chunkBody reads a chunked body and then its trailer section, so that the
// connection is left at the next response.
type chunkBody struct {
	r    io.Reader
	br   *bufio.Reader
	long []byte
	done bool
}

func (b *chunkBody) Read(p []byte) (int, error) {
	if b.done {
		return 0, io.EOF
	}
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		return n, &chunkError{err}
	}
	if err == io.EOF {
		for {
			line, lerr := readLine(b.br, &b.long)
			if lerr != nil {
				if lerr == io.EOF {
					lerr = io.ErrUnexpectedEOF
				}
				return n, lerr
			}
			if len(line) == 0 {
				break
			}
		}
		b.done = true
	}
	return n, err
}

func (b *chunkBody) Close() error { return nil }

// ProtocolError is a response that is not HTTP as it should be: the
// sample fails with what was wrong (HttpClient's ClientProtocolException,
// whose message JMeter shows as "null").
type ProtocolError struct{ What string }

func (e *ProtocolError) Error() string { return e.What }

func protoErrorf(format string, args ...any) error {
	return &ProtocolError{What: fmt.Sprintf(format, args...)}
}

// chunkError is a chunked body that breaks off or is not chunked coding.
type chunkError struct{ err error }

func (e *chunkError) Error() string { return "malformed chunked body: " + e.err.Error() }
func (e *chunkError) Unwrap() error { return e.err }
