// Command target serves gometer's deterministic test server
// (internal/target) for the benchmark harness.
//
// It prints its base URL on the first line of stdout (and to -url-file when
// given), and answers GET /__count with the number of requests answered and
// the time between the first and the last of them, so the harness takes
// throughput from the target's own counter rather than from the generator.
// On SIGINT or SIGTERM it prints the same figures as a last line and exits.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gometer/gometer/internal/target"
)

// counting wraps the target to note when the first and last requests ended.
type counting struct {
	srv   *target.Server
	start time.Time    // monotonic base for the stamps below
	first atomic.Int64 // ns after start of the first answered request, -1 before any
	last  atomic.Int64 // ns after start of the latest answered request
	// arrival is the wall-clock time (Unix ns) the first request arrived,
	// for start-up measurements (S4); 0 before any.
	arrival atomic.Int64
	// perSecond counts the requests handled in each second after the first
	// answer, to see ramp-up and the steady rate (S2); later seconds are not kept.
	perSecond [maxSeconds]atomic.Int64
	// raw counts the requests answered here rather than by the target: the
	// /fast requests of the raw fast path (fast.go) and /orders.json.
	raw atomic.Int64
	// fastResp caches the raw /fast response for the current second.
	fastResp atomic.Pointer[fastResponse]
}

// maxSeconds bounds the per-second series (two hours).
const maxSeconds = 7200

func (c *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/__count" {
		c.report(w)
		return
	}
	c.arrive()
	if r.URL.Path == ordersPath {
		c.serveOrders(w, r)
	} else {
		c.srv.ServeHTTP(w, r)
	}
	c.answered()
}

// arrive notes the wall-clock time of the first request.
func (c *counting) arrive() {
	if c.arrival.Load() == 0 {
		c.arrival.CompareAndSwap(0, time.Now().UnixNano())
	}
}

// answered notes the end of a request in the first/last stamps and the
// per-second series.
func (c *counting) answered() {
	now := int64(time.Since(c.start))
	c.first.CompareAndSwap(-1, now)
	if i := (now - c.first.Load()) / int64(time.Second); i >= 0 && i < maxSeconds {
		c.perSecond[i].Add(1)
	}
	// Several requests may end at once; keep the latest stamp.
	for {
		old := c.last.Load()
		if now <= old || c.last.CompareAndSwap(old, now) {
			break
		}
	}
}

// figures are what /__count answers and what is printed at exit.
type figures struct {
	Count   int64   `json:"count"`   // requests answered (target's own counter)
	Seconds float64 `json:"seconds"` // from the first to the last answered request
	RPS     float64 `json:"rps"`     // (Count-1) / Seconds: answers per second between the first and the last
	// FirstArrivalUnixNs is when the first request arrived (0 before any).
	FirstArrivalUnixNs int64 `json:"firstArrivalUnixNs"`
	// PerSecond[i] is the number of requests handled in second i after the first answer.
	PerSecond []int64 `json:"perSecond"`
}

func (c *counting) figures() figures {
	f := figures{Count: c.srv.Count() + c.raw.Load(), FirstArrivalUnixNs: c.arrival.Load()}
	if first := c.first.Load(); first >= 0 {
		f.Seconds = time.Duration(c.last.Load() - first).Seconds()
	}
	if f.Seconds > 0 && f.Count > 1 {
		f.RPS = float64(f.Count-1) / f.Seconds
	}
	n := min(int(f.Seconds)+1, maxSeconds)
	if f.Count == 0 {
		n = 0
	}
	f.PerSecond = make([]int64, n)
	for i := range f.PerSecond {
		f.PerSecond[i] = c.perSecond[i].Load()
	}
	return f
}

func (c *counting) report(w http.ResponseWriter) {
	b, _ := json.Marshal(c.figures())
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(b, '\n'))
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	seed := flag.Int64("seed", 1, "seed for prices, tokens and generated bodies")
	urlFile := flag.String("url-file", "", "also write the base URL to this file")
	rawFast := flag.Bool("raw-fast", true, "answer GET /fast on a lean HTTP/1.1 path instead of net/http, so the target outruns the generators in S1")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the target to this file until it is stopped")
	h2URLFile := flag.String("h2-url-file", "", "also serve HTTP/2 over TLS (h2 by ALPN, self-signed) on another loopback port and write its base URL to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "target: -cpuprofile:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*addr, *seed, *urlFile, *h2URLFile, *rawFast); err != nil {
		fmt.Fprintln(os.Stderr, "target:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(addr string, seed int64, urlFile, h2URLFile string, rawFast bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %q: the benchmark target listens on loopback only", addr)
	}
	c := &counting{srv: target.New(target.Options{Seed: seed, Logf: log.Printf}), start: time.Now()}
	c.first.Store(-1)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: c, ReadHeaderTimeout: time.Minute}
	base := "http://" + ln.Addr().String()
	fmt.Println(base)
	if urlFile != "" {
		if err := os.WriteFile(urlFile, []byte(base+"\n"), 0o644); err != nil {
			return fmt.Errorf("write -url-file: %w", err)
		}
	}
	if h2URLFile != "" {
		// served by the target itself: its requests count in /__count's total
		h2, err := c.srv.StartHTTP2(host+":0", true)
		if err != nil {
			return err
		}
		if err := os.WriteFile(h2URLFile, []byte(h2+"\n"), 0o644); err != nil {
			return fmt.Errorf("write -h2-url-file: %w", err)
		}
	}
	errc := make(chan error, 1)
	if rawFast {
		go func() { errc <- c.serveHybrid(ln, hs) }()
	} else {
		go func() { errc <- hs.Serve(ln) }()
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case err := <-errc:
		return err
	case <-sig:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	hs.Shutdown(ctx)
	c.srv.Close()
	f := c.figures()
	fmt.Printf("answered %d requests in %.3f s (%.1f req/s)\n", f.Count, f.Seconds, f.RPS)
	return nil
}
