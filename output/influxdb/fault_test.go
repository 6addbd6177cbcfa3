package influxdb

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/backendtest"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/backend"
	"github.com/gometer/gometer/sample"
)

type logs struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logs) log(level, msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, level+": "+msg)
}

func (l *logs) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.msgs, "\n")
}

// faultTimeouts are the listener's connect and socket timeouts (ms) for a
// server that never answers: short, so that sends time out and batches
// queue up within the test.
var faultTimeouts = map[string]string{"backend_influxdb.connection_timeout": "200", "backend_influxdb.socket_timeout": "300"}

// faultRun drives a listener through 40 send intervals with 100,000 samples
// while the metrics server misbehaves; every Add must return without
// waiting for the server, and Stop must end within its bound (stopWait of
// real time, then the manual clock expires Stop's own 5 s wait).
func faultRun(t *testing.T, url string, props map[string]string, stopWait time.Duration) (backend.Stats, string) {
	t.Helper()
	l := &logs{}
	run := output.Run{Log: l.log, Property: func(n string) string { return props[n] }}
	clock := backend.NewManualClock(time.Now())
	o, err := newOutput(map[string]string{"influxdbUrl": url + "/write?db=x", "percentiles": "90;99"}, run, clock)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Start(run); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := &sample.Result{Label: "s", Start: time.Now(), Elapsed: 5 * time.Millisecond, ResponseCode: "200", Success: true, AllThreads: 3}
		for i := 0; i < 40; i++ {
			for j := 0; j < 2500; j++ {
				o.Add(r)
			}
			clock.Tick(5 * time.Second)
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Add or the send schedule waited for the metrics server")
	}
	stopped := make(chan error)
	go func() { stopped <- o.Stop() }()
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(stopWait):
		clock.Expire() // Stop's 5 s wait for the last sends, as the manual clock keeps it
		if err := <-stopped; err != nil {
			t.Fatal(err)
		}
	}
	return o.Stats(), l.text()
}

func TestServerDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there any more
	st, log := faultRun(t, "http://"+addr, faultTimeouts, 5*time.Second)
	if st.Sent != 0 || st.Failed == 0 {
		t.Fatalf("stats %+v: want failures and no sends", st)
	}
	if !strings.Contains(log, "send failed") || !strings.Contains(log, "sends failed") {
		t.Fatalf("log does not report the failures:\n%s", log)
	}
	// 200 s of simulated outage, one message per 30 s at most.
	if n := strings.Count(log, "send failed"); n > 7 {
		t.Fatalf("%d failure messages for one outage, want them rate-limited:\n%s", n, log)
	}
}

func TestServerAnswers500(t *testing.T) {
	rec := backendtest.NewRecorder(t)
	rec.Status = func() int { return http.StatusInternalServerError }
	// The recorder answers at once, so generous timeouts and a long real
	// wait for Stop cost nothing here; with the 300 ms fault timeouts a
	// loaded machine turned some 500s into timeouts (or aborted the last
	// send at Stop) whose writes the recorder saw late or never, and the
	// count of failures no longer matched the writes received.
	generous := map[string]string{"backend_influxdb.connection_timeout": "30000", "backend_influxdb.socket_timeout": "30000"}
	st, log := faultRun(t, rec.URL, generous, 60*time.Second)
	// 42 batches: the first at start, one per tick, the last at Stop.
	if st.Failed != int64(rec.Count()) || st.Failed+st.Dropped != 42 {
		t.Fatalf("stats %+v for %d writes received: every batch failed or was dropped, and is counted", st, rec.Count())
	}
	if !strings.Contains(log, "HTTP 500") {
		t.Fatalf("log does not name the status:\n%s", log)
	}
}

func TestServerStalls(t *testing.T) {
	rec := backendtest.NewRecorder(t)
	release := make(chan struct{})
	rec.Hold = func(r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
	t.Cleanup(func() { close(release) })
	st, log := faultRun(t, rec.URL, faultTimeouts, 5*time.Second)
	if st.Sent != 0 || st.Failed == 0 || st.Dropped == 0 {
		t.Fatalf("stats %+v: a stalled server times sends out and the oldest batches are dropped", st)
	}
	if !strings.Contains(log, "no answer within") || !strings.Contains(log, fmt.Sprintf("%d batches dropped", st.Dropped)) {
		t.Fatalf("log does not report timeouts and drops:\n%s", log)
	}
}
