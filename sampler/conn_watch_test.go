package sampler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestCancelReachesReusedConnection: the run's context is watched once per
// connection, so cancelling it still interrupts a request on a kept-alive
// connection; a request under another context is interrupted by that one.
func TestCancelReachesReusedConnection(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	fast := mustHTTP(t, httpSampler(t, srv.URL, "fast", "GET", "/fast"), HTTPOptions{})
	slow := mustHTTP(t, httpSampler(t, srv.URL, "slow", "GET", "/slow"), HTTPOptions{})
	const interrupted = "Non HTTP response code: java.io.InterruptedIOException"

	run, stopRun := context.WithCancel(context.Background())
	defer stopRun()
	s := newSession()
	for i := 0; i < 3; i++ {
		if r := fast.Sample(run, s); !r.Success {
			t.Fatalf("fast %d: %s %s", i, r.ResponseCode, r.ResponseMessage)
		}
	}
	if r := fast.Sample(run, s); r.Connect != 0 {
		t.Fatalf("connection not reused (connect %v)", r.Connect)
	}

	// Another context on the run's connection.
	other, stopOther := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, stopOther)
	start := time.Now()
	r := slow.Sample(other, s)
	if d := time.Since(start); d > 3*time.Second || r.ResponseCode != interrupted {
		t.Errorf("other context: %q after %v", r.ResponseCode, d)
	}

	// The run's own context, on a connection it opened and reused.
	if r := fast.Sample(run, s); !r.Success {
		t.Fatalf("fast after interruption: %s %s", r.ResponseCode, r.ResponseMessage)
	}
	if r := fast.Sample(run, s); !r.Success || r.Connect != 0 {
		t.Fatalf("second fast: %s, connect %v", r.ResponseCode, r.Connect)
	}
	time.AfterFunc(100*time.Millisecond, stopRun)
	start = time.Now()
	r = slow.Sample(run, s)
	if d := time.Since(start); d > 3*time.Second || r.ResponseCode != interrupted {
		t.Errorf("run context: %q after %v", r.ResponseCode, d)
	}
	s.HTTP.Close()
}

// BenchmarkHTTPSampleRunContext is BenchmarkHTTPSampleRaw under a
// cancellable context, as the engine samples (its hard-stop context).
func BenchmarkHTTPSampleRunContext(b *testing.B) {
	resp := "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n" + strings.Repeat("x", 100)
	addr, _ := rawServer(b, resp)
	h := mustHTTP(b, httpSampler(b, "http://"+addr, "bench", "GET", "/bench"), HTTPOptions{DiscardBody: true, Lean: true})
	s := newSession()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := h.Sample(ctx, s); !r.Success {
			b.Fatalf("%s %s", r.ResponseCode, r.ResponseMessage)
		}
	}
}
