package target

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Fault endpoints misbehave on purpose, for robustness tests. Those that
// take over the connection (reset, hang, badhttp, truncate, headers) are not counted
// as answered.

// hijack takes the raw connection, or answers 500 when that is impossible
// (e.g. HTTP/2).
func hijack(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, bool) {
	rw, ok := w.(*respWriter)
	if !ok {
		http.Error(w, "hijacking not supported", http.StatusInternalServerError)
		return nil, nil, false
	}
	c, brw, err := rw.Hijack()
	if err != nil {
		http.Error(w, "hijacking not supported: "+err.Error(), http.StatusInternalServerError)
		return nil, nil, false
	}
	return c, brw, true
}

// faultReset starts a 1 MiB response, sends 1 KiB of it and resets the
// connection (TCP RST), so the client sees "connection reset" mid-body.
func (s *Server) faultReset(w http.ResponseWriter, r *http.Request) {
	c, brw, ok := hijack(w)
	if !ok {
		return
	}
	brw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1048576\r\n\r\n")
	brw.Write(s.block[:1024])
	brw.Flush()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0) // close sends RST instead of FIN
	}
	c.Close()
}

// faultHang accepts the request and never answers, until the client closes
// the connection or the server closes.
func (s *Server) faultHang(w http.ResponseWriter, r *http.Request) {
	c, _, ok := hijack(w)
	if !ok {
		return
	}
	gone := make(chan struct{})
	go func() {
		io.Copy(io.Discard, c) // returns when the client closes or the conn is closed
		close(gone)
	}()
	select {
	case <-gone:
	case <-s.done:
	}
	c.Close()
}

// faultDrip sends ?bytes= bytes (default 10) one at a time, pausing ?ms=
// milliseconds (default 100) before each; Content-Length announces the total.
func (s *Server) faultDrip(w http.ResponseWriter, r *http.Request) {
	n, ok := queryInt(w, r, "bytes", 10, 0, 1<<20)
	if !ok {
		return
	}
	ms, ok := queryInt(w, r, "ms", 100, 0, maxDelayMs)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.FormatInt(n, 10))
	w.WriteHeader(http.StatusOK)
	flush(w)
	for i := int64(0); i < n; i++ {
		if !s.wait(r.Context(), time.Duration(ms)*time.Millisecond) {
			abandon(w)
			return
		}
		if _, err := w.Write([]byte{'*'}); err != nil {
			return
		}
		flush(w)
	}
}

func flush(w http.ResponseWriter) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// faultBig streams ?mb= MiB (default 64, at most 16384) of seeded bytes.
func (s *Server) faultBig(w http.ResponseWriter, r *http.Request) {
	mb, ok := queryInt(w, r, "mb", 64, 0, 16384)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.FormatInt(mb<<20, 10))
	if r.Method == http.MethodHead {
		return
	}
	s.writeBlocks(w, mb<<20)
}

// faultBadHTTP answers with bytes that are not an HTTP response.
func (s *Server) faultBadHTTP(w http.ResponseWriter, r *http.Request) {
	c, brw, ok := hijack(w)
	if !ok {
		return
	}
	brw.WriteString("THIS IS NOT HTTP\r\n\x00\x01\x02 garbage\r\n\r\n")
	brw.Flush()
	c.Close()
}

// faultHeaders answers 200 with ?n= header lines (default 5000, at most
// 200000) before a short body: more headers than any real server sends.
func (s *Server) faultHeaders(w http.ResponseWriter, r *http.Request) {
	n, ok := queryInt(w, r, "n", 5000, 0, 200000)
	if !ok {
		return
	}
	c, brw, ok := hijack(w)
	if !ok {
		return
	}
	brw.WriteString("HTTP/1.1 200 OK\r\n")
	for i := int64(0); i < n; i++ {
		brw.WriteString("X-H" + strconv.FormatInt(i, 10) + ": v\r\n")
	}
	brw.WriteString("Content-Length: 2\r\nConnection: close\r\n\r\nok")
	brw.Flush()
	c.Close()
}

// faultLoop redirects to itself forever.
func (s *Server) faultLoop(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Location", "/fault/loop")
	writeJSON(w, http.StatusFound, map[string]string{"location": "/fault/loop"})
}

// faultTruncate announces 1000 bytes, sends 100 and closes normally (FIN):
// a premature end of body rather than a reset.
func (s *Server) faultTruncate(w http.ResponseWriter, r *http.Request) {
	c, brw, ok := hijack(w)
	if !ok {
		return
	}
	brw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n")
	brw.Write(s.block[:100])
	brw.Flush()
	c.Close()
}
