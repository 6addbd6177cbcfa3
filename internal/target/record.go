package target

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"unicode/utf8"
)

// maxRecordedBody bounds the body kept in a Record; the handler still reads
// the whole body.
const maxRecordedBody = 1 << 20

// Record is one received request, written as one JSON line.
//
// Headers holds every request header except those that change with the
// connection rather than with the plan: Host (it carries the random port)
// and the hop-by-hop headers Connection, Keep-Alive, Proxy-Connection, TE,
// Trailer, Transfer-Encoding and Upgrade. Header names are in Go's canonical
// form; repeated headers keep every value in order. Client-specific headers
// such as User-Agent are kept: normalising them is the comparison's job.
type Record struct {
	Seq     int64               `json:"seq"` // arrival order, from 1
	Method  string              `json:"method"`
	Path    string              `json:"path"`
	Query   string              `json:"query"` // raw query, as sent
	Headers map[string][]string `json:"headers"`
	// Cookies are the received cookies as "name=value", in the order sent.
	Cookies []string `json:"cookies,omitempty"`
	// Body is the request body; base64 when it is not valid UTF-8
	// (BodyBase64), cut at 1 MiB (BodyTruncated). BodyLen is the full length.
	Body          string `json:"body"`
	BodyBase64    bool   `json:"bodyBase64,omitempty"`
	BodyTruncated bool   `json:"bodyTruncated,omitempty"`
	BodyLen       int64  `json:"bodyLen"`
	// Status is the response code, 0 when no HTTP response was completed
	// (a fault endpoint hijacked the connection, or the client went away).
	Status int `json:"status"`
}

// volatileHeader reports whether a canonical header name is left out of
// records (see Record).
func volatileHeader(name string) bool {
	switch name {
	case "Host", "Connection", "Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade":
		return true
	}
	return false
}

// recorder serialises record lines onto one writer.
type recorder struct {
	mu sync.Mutex
	w  io.Writer
}

// begin captures the request part of a record. It reads up to
// maxRecordedBody of the body and puts it back in front of the rest, so the
// handler sees the body unchanged.
func (rc *recorder) begin(seq int64, r *http.Request) *Record {
	rec := &Record{
		Seq:     seq,
		Method:  r.Method,
		Path:    r.URL.Path,
		Query:   r.URL.RawQuery,
		Headers: make(map[string][]string, len(r.Header)),
	}
	for name, vals := range r.Header {
		if volatileHeader(name) {
			continue
		}
		rec.Headers[name] = append([]string(nil), vals...)
	}
	for _, c := range r.Cookies() {
		rec.Cookies = append(rec.Cookies, c.Name+"="+c.Value)
	}
	if r.Body != nil && r.Body != http.NoBody {
		buf, err := io.ReadAll(io.LimitReader(r.Body, maxRecordedBody+1))
		rec.BodyLen = int64(len(buf))
		if len(buf) > maxRecordedBody {
			rec.BodyTruncated = true
		}
		// Hand the handler what was read, then whatever is left (or the error).
		rest := r.Body
		r.Body = readCloser{io.MultiReader(bytes.NewReader(buf), errOr(err, rest)), rest}
		if len(buf) > maxRecordedBody {
			buf = buf[:maxRecordedBody]
		}
		if utf8.Valid(buf) {
			rec.Body = string(buf)
		} else {
			rec.Body = base64.StdEncoding.EncodeToString(buf)
			rec.BodyBase64 = true
		}
	}
	return rec
}

// end writes the record as one line.
func (rc *recorder) end(rec *Record, logf func(string, ...any)) {
	line, err := json.Marshal(rec)
	if err != nil {
		logf("target: encode record: %v", err)
		return
	}
	line = append(line, '\n')
	rc.mu.Lock()
	_, err = rc.w.Write(line)
	rc.mu.Unlock()
	if err != nil {
		logf("target: write record: %v", err)
	}
}

type readCloser struct {
	io.Reader
	io.Closer
}

// errOr returns a reader failing with err, or r when err is nil.
func errOr(err error, r io.Reader) io.Reader {
	if err != nil {
		return errReader{err}
	}
	return r
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// ReadRecords parses a recording written by a Server (one JSON object per line).
func ReadRecords(r io.Reader) ([]Record, error) {
	var out []Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 8*maxRecordedBody)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(b, &rec); err != nil {
			return out, fmt.Errorf("target: recording line %d: %w", line, err)
		}
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("target: reading recording: %w", err)
	}
	return out, nil
}
