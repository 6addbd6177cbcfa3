package sampler

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// A virtual user idles with a 4 KB stack: the garbage collector halves a
// stack while less than a quarter of it (counting 800 bytes of guard) is in
// use. userLoop waits in a frame of idleFrame bytes, which keeps its stack
// at 4 KB (neither 8 KB nor 2 KB), and samples through sampleIn, whose
// frame adds samplePad: together about 770 bytes above the sampler, like
// the engine's frames above a sample (user goroutine, loop, sampler node:
// some 670 bytes in Go 1.26) plus a small margin. The sample path fits
// with about 300 bytes to spare; a test failure means a change deepened it.
const (
	idleFrame = 512
	samplePad = 128
)

//go:noinline
func userLoop(h *HTTP, s *Session, start <-chan struct{}, done func(*Result)) {
	var pad [idleFrame]byte
	for range start {
		res := sampleIn(h, s)
		pad[len(res.ResponseCode)%idleFrame]++
		done(res)
	}
	runtime.KeepAlive(&pad)
}

//go:noinline
func sampleIn(h *HTTP, s *Session) *Result {
	var pad [samplePad]byte
	res := h.Sample(context.Background(), s)
	pad[len(res.ResponseCode)%samplePad]++
	runtime.KeepAlive(&pad)
	return res
}

// TestSampleFitsSmallStack guards the stack depth of an HTTP sample on a
// kept-alive connection: it must fit in the 4 KB stack an idle user is
// shrunk to, or every sample grows the stack to 8 KB and the garbage
// collector shrinks it again, which at 10,000 users costs tens of MB of
// memory and CPU for the copies. See exchange.
func TestSampleFitsSmallStack(t *testing.T) {
	big := strings.Repeat("b", 256<<10) // read from the socket in many reads
	for _, body := range []string{"ok", big} {
		resp := "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
		for _, discard := range []bool{true, false} {
			t.Run(fmt.Sprintf("body %d discard %v", len(body), discard), func(t *testing.T) {
				sampleStackGrowth(t, resp, HTTPOptions{DiscardBody: discard, Lean: true})
			})
		}
	}
}

func sampleStackGrowth(t *testing.T, resp string, opt HTTPOptions) {
	addr, _ := cannedServer(t, resp, false)
	h := mustHTTP(t, httpSampler(t, "http://"+addr, "stack", "GET", "/s"), opt)
	const users = 200
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	done := func(r *Result) {
		if !r.Success {
			mu.Lock()
			failed++
			mu.Unlock()
		}
		wg.Done()
	}
	starts := make([]chan struct{}, users)
	for i := range starts {
		starts[i] = make(chan struct{})
		go userLoop(h, newSession(), starts[i], done)
	}
	defer func() {
		for _, c := range starts {
			close(c)
		}
	}()
	round := func() {
		wg.Add(users)
		for _, c := range starts {
			c <- struct{}{}
		}
		wg.Wait()
	}
	stacks := func() uint64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.StackInuse
	}
	round() // connects: a dial is deep, the stacks grow
	// StackInuse counts every goroutine of the process, so a goroutine
	// outside the test (the server's, one left by an earlier test, the
	// runtime's) growing during a round inflates one measurement; on a
	// loaded machine that happened. Such noise only adds, whereas a too deep
	// sample path grows every user's stack in every round: the smallest
	// growth of a few rounds is the sample path's.
	grown := int64(math.MaxInt64)
	for range 3 {
		for range 3 {
			runtime.GC() // waiting users are shrunk, by halves, to 4 KB
		}
		before := stacks()
		round() // on the kept-alive connections
		after := stacks()
		t.Logf("stacks: %d before, %d after", before, after)
		grown = min(grown, (int64(after)-int64(before))/users)
		if grown <= 1024 {
			break
		}
	}
	round()
	if failed > 0 {
		t.Fatalf("%d samples failed", failed)
	}
	if grown > 1024 {
		t.Errorf("a kept-alive sample grew each user's stack by %d bytes: the sample path is too deep for a 4 KB stack", grown)
	}
}
