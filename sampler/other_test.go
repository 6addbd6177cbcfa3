package sampler

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gometer/gometer/jmx"
)

func TestDebugSampler(t *testing.T) {
	el := elem("DebugSampler", "Debug ${n}", sp("displayJMeterProperties", "true"))
	smp, err := NewDebug(el)
	if err != nil {
		t.Fatal(err)
	}
	s := newSession()
	for k, v := range map[string]string{"n": "1", "a10": "x", "a2": "y", "B": "z"} {
		s.Ctx.Vars.Put(k, v)
	}
	s.Ctx.Props.Set("p.one", "1")
	res := smp.Sample(context.Background(), s)
	want := "JMeterVariables:\nB=z\na2=y\na10=x\nn=1\n\nJMeterProperties:\np.one=1\n\n"
	if string(res.Body) != want {
		t.Errorf("body %q\nwant %q", res.Body, want)
	}
	if res.Label != "Debug 1" || res.ResponseCode != "200" || res.ResponseMessage != "OK" || !res.Success || res.DataType != "text" {
		t.Errorf("result %+v", res)
	}
	if res.Bytes != int64(len(want)) || res.SamplerData != "JMeterVariables\nJMeterProperties\n" {
		t.Errorf("bytes %d sampler data %q", res.Bytes, res.SamplerData)
	}
}

func TestAlphaNumericOrder(t *testing.T) {
	in := []string{"x10", "x9", "x", "x09a", "a", "x9b", "b1"}
	sortAlphaNumeric(in)
	if got := strings.Join(in, ","); got != "a,b1,x,x9,x09a,x9b,x10" {
		t.Errorf("order %s", got)
	}
}

func TestDummySampler(t *testing.T) {
	el := elem("kg.apc.jmeter.samplers.DummySampler", "dummy",
		bp("SUCCESFULL", false), sp("RESPONSE_CODE", "503"), sp("RESPONSE_MESSAGE", "busy ${who}"),
		sp("RESPONSE_DATA", "data"), sp("REQUEST_DATA", "req"), sp("RESPONSE_TIME", "120"),
		sp("LATENCY", "7"), sp("CONNECT", "3"), bp("WAITING", true), sp("URL", "http://x/y"))
	smp, err := NewDummy(el)
	if err != nil {
		t.Fatal(err)
	}
	s := newSession()
	s.Ctx.Vars.Put("who", "me")
	start := time.Now()
	res := smp.Sample(context.Background(), s)
	if time.Since(start) < 100*time.Millisecond || res.Elapsed < 100*time.Millisecond {
		t.Errorf("waiting dummy did not wait: %v", res.Elapsed)
	}
	if res.Success || res.ErrorCount != 1 || res.ResponseCode != "503" || res.ResponseMessage != "busy me" || string(res.Body) != "data" ||
		res.SamplerData != "req" || res.Latency != 7*time.Millisecond || res.Connect != 3*time.Millisecond || res.URL != "http://x/y" {
		t.Errorf("result %+v", res)
	}
	// Legacy property names, not waiting: elapsed is the configured time.
	el = elem("kg.apc.jmeter.samplers.DummySampler", "old", bp("Successful", true),
		sp("Response Code (e.g. 200)", "200"), sp("Response Data", "old-data"), &jmx.Property{Name: "RESPONSE_TIME", Kind: jmx.IntProp, Value: "250"})
	smp, err = NewDummy(el)
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	res = smp.Sample(context.Background(), s)
	if time.Since(start) > 200*time.Millisecond || res.Elapsed != 250*time.Millisecond {
		t.Errorf("non-waiting dummy: took %v, elapsed %v", time.Since(start), res.Elapsed)
	}
	if !res.Success || res.ResponseCode != "200" || string(res.Body) != "old-data" {
		t.Errorf("legacy result %+v", res)
	}
}

func TestStartIterationNewUserDropsConnections(t *testing.T) {
	srv, rec := echoServer(t)
	h := mustHTTP(t, httpSampler(t, srv.URL, "x", "GET", "/"), HTTPOptions{})
	s := newSession()
	h.Sample(context.Background(), s)
	s.HTTP.StartIteration(true)
	h.Sample(context.Background(), s)
	s.HTTP.StartIteration(false)
	r := h.Sample(context.Background(), s)
	all := rec.all()
	if all[0].Remote != all[1].Remote || all[1].Remote == all[2].Remote || r.Connect == 0 {
		t.Errorf("remotes %s %s %s connect %v", all[0].Remote, all[1].Remote, all[2].Remote, r.Connect)
	}
	s.HTTP.Close()
}

// BenchmarkHTTPSample measures the per-sample cost of a keep-alive GET of
// about 100 bytes (run with -benchmem).
func BenchmarkHTTPSample(b *testing.B) {
	body := strings.Repeat("x", 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, body)
	}))
	defer srv.Close()
	for _, bc := range []struct {
		name string
		opt  HTTPOptions
	}{{"full", HTTPOptions{}}, {"lean", HTTPOptions{DiscardBody: true, Lean: true}}} {
		b.Run(bc.name, func(b *testing.B) {
			h := mustHTTP(b, httpSampler(b, srv.URL, "bench", "GET", "/bench"), bc.opt)
			s := newSession()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if r := h.Sample(context.Background(), s); !r.Success {
					b.Fatalf("%s %s", r.ResponseCode, r.ResponseMessage)
				}
			}
		})
	}
}

// BenchmarkIdleUserMemory reports the client-side heap each idle virtual
// user keeps after one keep-alive request (its HTTPState and open socket).
// The loopback server runs in the same process; its per-connection cost is
// measured separately (a connection accepted but never used) and subtracted.
func BenchmarkIdleUserMemory(b *testing.B) {
	const users = 500
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go func(c net.Conn) {
				buf := make([]byte, 512)
				for {
					if _, err := c.Read(buf); err != nil {
						return
					}
					c.Write(resp)
				}
			}(c)
		}
	}()
	defer func() {
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	h := mustHTTP(b, httpSampler(b, "http://"+ln.Addr().String(), "idle", "GET", "/"), HTTPOptions{DiscardBody: true, Lean: true})
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for i := 0; i < b.N; i++ {
		before := heap()
		sessions := make([]*Session, users)
		for u := range sessions {
			sessions[u] = newSession()
			if r := h.Sample(context.Background(), sessions[u]); !r.Success {
				b.Fatal(r.ResponseMessage)
			}
		}
		after := heap()
		// server side: one goroutine and a 512-byte buffer per connection
		b.ReportMetric(float64(after-before)/users-512, "heap-B/user")
		for _, s := range sessions {
			s.HTTP.Close()
		}
		runtime.KeepAlive(sessions)
	}
}

// BenchmarkHTTPSampleRaw is BenchmarkHTTPSample against a minimal loopback
// server that answers with fixed bytes, so the figure is mostly the client.
func BenchmarkHTTPSampleRaw(b *testing.B) {
	resp := "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n" + strings.Repeat("x", 100)
	addr, _ := rawServer(b, resp)
	h := mustHTTP(b, httpSampler(b, "http://"+addr, "bench", "GET", "/bench"), HTTPOptions{DiscardBody: true, Lean: true})
	s := newSession()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := h.Sample(context.Background(), s); !r.Success {
			b.Fatalf("%s %s", r.ResponseCode, r.ResponseMessage)
		}
	}
}
