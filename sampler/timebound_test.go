package sampler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/target"
)

func startFaultTarget(t *testing.T) string {
	t.Helper()
	srv := target.New(target.Options{Seed: 1})
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return base
}

// A body that trickles in (each byte well within the response timeout) is
// still bounded by the response timeout as a whole; with
// gometer.response_timeout_per_read=true the timeout applies per read only,
// as JMeter's socket timeout does.
func TestResponseTimeoutBoundsATricklingBody(t *testing.T) {
	base := startFaultTarget(t)
	el := httpSampler(t, base, "drip", "GET", "/fault/drip?bytes=20&ms=100", sp("HTTPSampler.response_timeout", "400"))

	start := time.Now()
	r := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	took := time.Since(start)
	if r.Success || !strings.Contains(r.ResponseCode, "SocketTimeoutException") {
		t.Errorf("a 2 s trickle under a 400 ms timeout: success=%v %q %q", r.Success, r.ResponseCode, r.ResponseMessage)
	}
	if took >= 1800*time.Millisecond {
		t.Errorf("the sample took %v: the timeout did not bound the whole body", took)
	}

	props := functions.NewProperties()
	props.Set(PropTimeoutPerRead, "true")
	r = mustHTTP(t, el, HTTPOptions{Props: props}).Sample(context.Background(), newSession())
	if !r.Success || len(r.Body) != 20 {
		t.Errorf("per read (JMeter's way): success=%v %q body %d bytes", r.Success, r.ResponseMessage, len(r.Body))
	}
}

// A cancelled context (the scheduler's end, a hard stop) interrupts a body
// that never ends; the sample records the cause.
func TestContextEndsANeverEndingBody(t *testing.T) {
	base := startFaultTarget(t)
	el := httpSampler(t, base, "drip", "GET", "/fault/drip?bytes=100000&ms=50")
	cause := &InterruptedError{Reason: "stopped at the scheduler's end"}
	ctx, cancel := context.WithDeadlineCause(context.Background(), time.Now().Add(300*time.Millisecond), cause)
	defer cancel()
	done := make(chan *Result, 1)
	go func() { done <- mustHTTP(t, el, HTTPOptions{}).Sample(ctx, newSession()) }()
	select {
	case r := <-done:
		if r.Success || !strings.Contains(r.ResponseMessage, "stopped at the scheduler's end") {
			t.Errorf("success=%v %q %q", r.Success, r.ResponseCode, r.ResponseMessage)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the sample did not end after its context did")
	}
}

// A response with more header lines than the limit fails its sample with a
// protocol error that gives the count and the limit; one within the limit
// is read as usual.
func TestTooManyResponseHeaders(t *testing.T) {
	base := startFaultTarget(t)
	el := httpSampler(t, base, "headers", "GET", "/fault/headers?n=5000")
	r := mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	want := "Non HTTP response message: too many response headers (5002, limit 1000)"
	if r.Success || r.ResponseCode != "Non HTTP response code: org.apache.http.client.ClientProtocolException" || r.ResponseMessage != want {
		t.Errorf("5000 headers: success=%v %q %q, want %q", r.Success, r.ResponseCode, r.ResponseMessage, want)
	}
	el = httpSampler(t, base, "headers", "GET", "/fault/headers?n=998")
	r = mustHTTP(t, el, HTTPOptions{}).Sample(context.Background(), newSession())
	if !r.Success || string(r.Body) != "ok" {
		t.Errorf("1000 headers (the limit): success=%v %q %q body %q", r.Success, r.ResponseCode, r.ResponseMessage, r.Body)
	}
}
