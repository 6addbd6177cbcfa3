// Package backendtest helps the backend listener tests: it turns a JTL that
// JMeter wrote into the samples gometer's outputs receive (so a golden run's
// exact samples can be replayed), records HTTP writes and plain TCP bytes,
// and normalises line-protocol timestamps.
package backendtest

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gometer/gometer/report"
	"github.com/gometer/gometer/sample"
)

// ReadJTL reads a JTL into samples as the engine would have produced them
// (transaction samples marked, failure messages as assertion results).
func ReadJTL(path string) ([]*sample.Result, error) {
	r, err := report.OpenJTL(path, report.ReadOptions{})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []*sample.Result
	for {
		s, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		res := &sample.Result{
			Label: s.Label, Start: time.UnixMilli(s.TimeStamp),
			Elapsed: time.Duration(s.Elapsed) * time.Millisecond, Latency: time.Duration(s.Latency) * time.Millisecond,
			Connect: time.Duration(s.Connect) * time.Millisecond, Idle: time.Duration(s.IdleTime) * time.Millisecond,
			ResponseCode: s.ResponseCode, ResponseMessage: s.ResponseMessage, ThreadName: s.ThreadName,
			DataType: s.DataType, Success: s.Success, Bytes: s.Bytes, SentBytes: s.SentBytes,
			GrpThreads: s.GrpThreads, AllThreads: s.AllThreads, URL: s.URL,
			SampleCount: s.SampleCount, ErrorCount: s.ErrorCount,
			Transaction: strings.HasPrefix(s.ResponseMessage, report.TransactionPrefix),
		}
		if s.FailureMessage != "" {
			res.Assertions = []sample.AssertionResult{{Failure: true, FailureMessage: s.FailureMessage}}
		}
		out = append(out, res)
	}
}

// Write is one recorded HTTP request.
type Write struct {
	URL, UserAgent, ContentType, Authorization, Body string
}

// Recorder is an HTTP server that stores every request and answers with
// Status (204 by default). Hold, when set, is called before answering (a
// test stalls the server with it).
type Recorder struct {
	URL    string
	Status func() int
	Hold   func(*http.Request)
	mu     sync.Mutex
	writes []Write
	got    chan struct{}
}

// NewRecorder starts a recorder closed by t.Cleanup.
func NewRecorder(t testing.TB) *Recorder {
	rec := &Recorder{got: make(chan struct{}, 1<<16)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if rec.Hold != nil {
			rec.Hold(r)
		}
		rec.mu.Lock()
		rec.writes = append(rec.writes, Write{r.URL.RequestURI(), r.Header.Get("User-Agent"),
			r.Header.Get("Content-Type"), r.Header.Get("Authorization"), string(b)})
		rec.mu.Unlock()
		code := http.StatusNoContent
		if rec.Status != nil {
			code = rec.Status()
		}
		w.WriteHeader(code)
		rec.got <- struct{}{}
	}))
	t.Cleanup(srv.Close)
	rec.URL = srv.URL
	return rec
}

// Wait waits until n requests have been recorded in all (or timeout) and
// returns them.
func (r *Recorder) Wait(t testing.TB, n int, timeout time.Duration) []Write {
	t.Helper()
	deadline := time.After(timeout)
	for {
		r.mu.Lock()
		if len(r.writes) >= n {
			w := append([]Write(nil), r.writes...)
			r.mu.Unlock()
			return w
		}
		r.mu.Unlock()
		select {
		case <-r.got:
		case <-deadline:
			t.Fatalf("recorder: %d writes after %v, want %d", r.Count(), timeout, n)
		}
	}
}

// Writes returns what was recorded so far.
func (r *Recorder) Writes() []Write {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Write(nil), r.writes...)
}

// Count is the number of requests recorded.
func (r *Recorder) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.writes)
}

// TCPRecorder accepts connections and keeps every byte received.
type TCPRecorder struct {
	Addr string
	mu   sync.Mutex
	data []byte
	got  chan struct{}
}

// NewTCPRecorder listens on 127.0.0.1 (closed by t.Cleanup).
func NewTCPRecorder(t testing.TB) *TCPRecorder {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &TCPRecorder{Addr: l.Addr().String(), got: make(chan struct{}, 1<<16)}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 32<<10)
				for {
					n, err := c.Read(buf)
					if n > 0 {
						r.mu.Lock()
						r.data = append(r.data, buf[:n]...)
						r.mu.Unlock()
						r.got <- struct{}{}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return r
}

// WaitFor waits until the bytes received contain want (or timeout).
func (r *TCPRecorder) WaitFor(t testing.TB, want string, timeout time.Duration) string {
	t.Helper()
	deadline := time.After(timeout)
	for {
		r.mu.Lock()
		s := string(r.data)
		r.mu.Unlock()
		if strings.Contains(s, want) {
			return s
		}
		select {
		case <-r.got:
		case <-deadline:
			t.Fatalf("tcp recorder: %q not received within %v; got %q", want, timeout, s)
		}
	}
}

var lineTS = regexp.MustCompile(`(?m) \d+$`)

// NormaliseTimestamps replaces the timestamp ending each line with " T".
func NormaliseTimestamps(s string) string { return lineTS.ReplaceAllString(s, " T") }
