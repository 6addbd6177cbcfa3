package sampler

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// cannedServer answers every request with resp, closing the connection
// after each answer when closeAfter is set; it counts connections.
func cannedServer(t *testing.T, resp string, closeAfter bool) (addr string, conns *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	conns = new(atomic.Int32)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func(c net.Conn) {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					for { // a GET or HEAD request: headers only
						line, err := br.ReadString('\n')
						if err != nil {
							return
						}
						if line == "\r\n" {
							break
						}
					}
					if _, err := io.WriteString(c, resp); err != nil || closeAfter {
						return
					}
				}
			}(c)
		}
	}()
	return ln.Addr().String(), conns
}

func TestResponseReaderWireForms(t *testing.T) {
	long := strings.Repeat("v", 6000) // longer than the read buffer
	cases := []struct {
		name, method, resp string
		closeAfter         bool
		body, headers      string // headers: the sample's response header text ("" = not checked)
		header, value      string // one parsed header to check
		conns              int32  // connections for two samples
		fail               string // a failure message part, when the sample must fail
	}{
		{name: "content-length", resp: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
			body: "ok", headers: "HTTP/1.1 200 OK\nContent-Length: 2\n", conns: 1},
		{name: "chunked with trailer", resp: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n",
			body: "hello world", header: "Content-Type", value: "text/plain", conns: 1},
		{name: "bare LF line ends", resp: "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 2\n\nok",
			body: "ok", headers: "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 2\n", conns: 1},
		// A folded line joins the previous one with a space, as HttpClient keeps it.
		{name: "folded header", resp: "HTTP/1.1 200 OK\r\nX-A: one\r\n\t two \r\nContent-Length: 0\r\n\r\n",
			headers: "HTTP/1.1 200 OK\nX-A: one two \nContent-Length: 0\n", header: "X-A", value: "one two", conns: 1},
		{name: "space before colon", resp: "HTTP/1.1 200 OK\r\nContent-Type : text/html\r\nContent-Length: 1\r\n\r\nx",
			body: "x", header: "Content-Type", value: "text/html", conns: 1},
		{name: "long header line", resp: "HTTP/1.1 200 OK\r\nX-Long: " + long + "\r\nContent-Length: 1\r\n\r\nx",
			body: "x", header: "X-Long", value: long, conns: 1},
		{name: "HTTP/1.0 closes", resp: "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", body: "ok", conns: 2},
		{name: "HTTP/1.0 keep-alive", resp: "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok", body: "ok", conns: 1},
		{name: "Connection close", resp: "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", closeAfter: true, body: "ok", conns: 2},
		{name: "body to end of connection", resp: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close", closeAfter: true, body: "until close", conns: 2},
		{name: "interim 100 skipped", resp: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
			body: "ok", headers: "HTTP/1.1 201 Created\nContent-Length: 2\n", conns: 1},
		{name: "endless interim answers", resp: strings.Repeat("HTTP/1.1 100 Continue\r\n\r\n", 50), closeAfter: true, fail: "ClientProtocolException"},
		{name: "204 without length", resp: "HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n", conns: 1},
		{name: "HEAD with length", method: "HEAD", resp: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", conns: 1},
		{name: "repeated equal lengths", resp: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", body: "ok", conns: 1},
		{name: "differing lengths", resp: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", fail: "multiple Content-Length"},
		{name: "bad length", resp: "HTTP/1.1 200 OK\r\nContent-Length: x2\r\n\r\nok", fail: "bad Content-Length"},
		{name: "short body", resp: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", closeAfter: true, fail: "expected: 10; received: 3"},
		{name: "bad status line", resp: "HTTP/1.1 OK\r\n\r\n", closeAfter: true, fail: "ClientProtocolException"},
		{name: "header without colon", resp: "HTTP/1.1 200 OK\r\nnonsense\r\n\r\n", closeAfter: true, fail: "ClientProtocolException"},
		{name: "closed before answering", resp: "", closeAfter: true, fail: "NoHttpResponseException"},
		// Protocol errors say what was wrong (JMeter: "Non HTTP response message: null").
		{name: "garbage", resp: "THIS IS NOT HTTP\r\n\x00\x01 garbage\r\n\r\n", closeAfter: true, fail: `ClientProtocolException / Non HTTP response message: malformed HTTP response: the status line "THIS IS NOT HTTP" does not start with an HTTP version`},
		{name: "bad status line says so", resp: "HTTP/1.1 OK\r\n\r\n", closeAfter: true, fail: `malformed HTTP status code "OK"`},
		{name: "header without colon says so", resp: "HTTP/1.1 200 OK\r\nnonsense\r\n\r\n", closeAfter: true, fail: `malformed HTTP header line "nonsense"`},
		{name: "too many header lines", resp: "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-A: 1\r\n\t2\r\n", 1001) + "\r\n", closeAfter: true, fail: "Non HTTP response message: too many response headers (1001, limit 1000)"},
		{name: "header block over 1 MB", resp: "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-A: "+strings.Repeat("a", 1000)+"\r\n", 1100) + "\r\n", closeAfter: true, fail: "header block larger than 1 MB"},
		{name: "bad chunk size", resp: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", closeAfter: true, fail: "MalformedChunkCodingException / Non HTTP response message: Bad chunk header (chunked transfer coding)"},
		{name: "chunked body cut short", resp: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nhel", closeAfter: true, fail: "Premature end of chunk coded message body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr, conns := cannedServer(t, tc.resp, tc.closeAfter)
			method := tc.method
			if method == "" {
				method = "GET"
			}
			h := mustHTTP(t, httpSampler(t, "http://"+addr, tc.name, method, "/r"), HTTPOptions{})
			s := newSession()
			for i := 0; i < 2; i++ {
				res := h.Sample(context.Background(), s)
				if tc.fail != "" {
					if res.Success || !strings.Contains(res.ResponseCode+" / "+res.ResponseMessage, tc.fail) {
						t.Fatalf("sample %d: %s / %s, want a failure naming %q", i, res.ResponseCode, res.ResponseMessage, tc.fail)
					}
					continue
				}
				if !res.Success {
					t.Fatalf("sample %d failed: %s %s", i, res.ResponseCode, res.ResponseMessage)
				}
				if string(res.Body) != tc.body {
					t.Errorf("sample %d: body %q, want %q", i, res.Body, tc.body)
				}
				if tc.headers != "" && res.ResponseHeaders != tc.headers {
					t.Errorf("sample %d: headers %q, want %q", i, res.ResponseHeaders, tc.headers)
				}
				if tc.header == "Content-Type" && res.ContentType != tc.value {
					t.Errorf("sample %d: content type %q, want %q", i, res.ContentType, tc.value)
				}
				if res.Bytes != int64(len(tc.resp)) {
					t.Errorf("sample %d: bytes %d, want %d", i, res.Bytes, len(tc.resp))
				}
			}
			if tc.fail == "" && conns.Load() != tc.conns {
				t.Errorf("%d connections for two samples, want %d", conns.Load(), tc.conns)
			}
		})
	}
}

// TestResponseReaderHeaderValues checks the parsed header map, which
// cookies, caching, redirects and Digest authentication read.
func TestResponseReaderHeaderValues(t *testing.T) {
	raw := "HTTP/1.1 302 Found\r\nset-cookie: a=1\r\nSet-Cookie: b=2\r\nLOCATION:  /next \r\nPragma: no-cache\r\nContent-Length: 0\r\n\r\n"
	st := NewHTTPState(StateOptions{})
	cc := &clientConn{br: bufio.NewReader(strings.NewReader(raw))}
	resp, err := st.readResponse(cc, &http.Request{Method: "GET"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 302 || resp.Status != "302 Found" || resp.Proto != "HTTP/1.1" {
		t.Errorf("status %d %q %q", resp.StatusCode, resp.Status, resp.Proto)
	}
	if got := resp.Header["Set-Cookie"]; len(got) != 2 || got[0] != "a=1" || got[1] != "b=2" {
		t.Errorf("Set-Cookie %q", got)
	}
	if got := resp.Header.Get("Location"); got != "/next" {
		t.Errorf("Location %q", got)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control from Pragma %q, want no-cache as net/http sets it", got)
	}
	if resp.ContentLength != 0 || resp.Body != http.NoBody {
		t.Errorf("length %d body %T", resp.ContentLength, resp.Body)
	}
}

// FuzzResponseReader compares the lean reader with net/http's: whatever
// net/http reads, the lean reader reads alike (status, headers, body);
// it may accept more (HttpClient is lenient) but never panics.
func FuzzResponseReader(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n",
		"HTTP/1.0 404 Not Found\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nbody",
		"HTTP/1.1 204 No Content\r\nA: b\r\n c\r\n\r\n",
		"HTTP/1.1 301 Moved\nLocation: /x\nContent-Length: 0\n\n",
		"HTTP/1.1 200 OK\r\n" + strings.Repeat("A: b\r\n c\r\n", 1001) + "\r\n", // over the header-line limit
	} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, raw []byte, head bool) {
		method := "GET"
		if head {
			method = "HEAD"
		}
		req := &http.Request{Method: method}
		st := NewHTTPState(StateOptions{})
		cc := &clientConn{br: bufio.NewReaderSize(bytes.NewReader(raw), 64)}
		mine, err := st.readResponse(cc, req)
		var mineBody []byte
		var mineErr error
		if err == nil {
			mineBody, mineErr = io.ReadAll(mine.Body)
		}

		theirs, terr := http.ReadResponse(bufio.NewReaderSize(bytes.NewReader(raw), 64), req)
		// net/http's loop over interim answers lives in its Transport:
		// compare final answers only.
		if terr != nil || err != nil || (theirs.StatusCode >= 100 && theirs.StatusCode < 200) {
			return
		}
		for k := range theirs.Header {
			if strings.ContainsAny(k, " \t") {
				// "Name :" — net/http keeps the space in the name (and so
				// ignores e.g. "Content-Length :"), HttpClient and gometer
				// trim it: framing may differ.
				return
			}
		}
		theirBody, theirErr := io.ReadAll(theirs.Body)
		if mine.StatusCode != theirs.StatusCode || mine.Status != theirs.Status || mine.Proto != theirs.Proto {
			t.Fatalf("status %d %q %q, net/http %d %q %q", mine.StatusCode, mine.Status, mine.Proto, theirs.StatusCode, theirs.Status, theirs.Proto)
		}
		if mineErr != nil && theirErr == nil {
			t.Fatalf("body error %v, net/http read it", mineErr)
		}
		// (A bare LF ending the trailer section is one leniency: net/http
		// fails it, HttpClient and gometer accept it.)
		if mineErr == nil && theirErr == nil && !bytes.Equal(mineBody, theirBody) {
			t.Fatalf("body %q, net/http %q", mineBody, theirBody)
		}
		if mine.Close != theirs.Close || mine.ContentLength != theirs.ContentLength {
			t.Fatalf("close %v length %d, net/http %v %d", mine.Close, mine.ContentLength, theirs.Close, theirs.ContentLength)
		}
		for k, v := range theirs.Header {
			if k == "Trailer" || k == "Connection" {
				continue // net/http moves or drops these
			}
			// Values compare with white space collapsed: around folded lines
			// net/http and HttpClient (which gometer follows) keep different
			// spaces.
			if got := mine.Header[k]; trimJoin(got) != trimJoin(v) {
				t.Fatalf("header %s %q, net/http %q", k, got, v)
			}
		}
	})
}

func trimJoin(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(out, "\x00")
}

// A header block without end is refused at 1 MB, as one endless line or as
// endless lines, instead of growing without bound.
func TestResponseReaderHeaderLimit(t *testing.T) {
	for name, raw := range map[string]string{
		"many lines": "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-A: b\r\n", 200_000),
		"one line":   "HTTP/1.1 200 OK\r\nX-A: " + strings.Repeat("b", 2<<20) + "\r\n\r\n",
	} {
		st := NewHTTPState(StateOptions{})
		cc := &clientConn{br: bufio.NewReader(strings.NewReader(raw))}
		_, err := st.readResponse(cc, &http.Request{Method: "GET"})
		if err != errHeaderTooLarge {
			t.Errorf("%s: %v, want the 1 MB limit", name, err)
		}
		if je := asJava(err, nil); je.class != "org.apache.http.client.ClientProtocolException" {
			t.Errorf("%s: reported as %s", name, je.class)
		}
	}
}
