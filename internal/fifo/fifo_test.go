package fifo

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestQueueOrderAndPeek(t *testing.T) {
	m := New(nil)
	for _, v := range []string{"a", "b", "c"} {
		m.Put("q", v, Stop{})
	}
	if m.Len("q") != 3 || m.Peek("q") != "a" || m.Len("other") != 0 || m.Peek("other") != "" {
		t.Fatalf("len %d peek %q", m.Len("q"), m.Peek("q"))
	}
	for _, want := range []string{"a", "b", "c"} {
		if v, how := m.Pop("q", 0, Stop{}); v != want || how != Popped {
			t.Fatalf("pop %q %v, want %q", v, how, want)
		}
	}
	if _, how := m.Pop("q", 0, Stop{}); how != TimedOut {
		t.Fatalf("pop of an empty queue without waiting: %v", how)
	}
}

// Many producers and consumers: every value is taken exactly once.
func TestConcurrentPutPop(t *testing.T) {
	m := New(func() int { return 4 }) // small capacity: puts wait too
	const per, workers = 200, 4
	var wg sync.WaitGroup
	got := make(chan string, per*workers)
	for w := 0; w < workers; w++ {
		wg.Add(2)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				m.Put("q", string(rune('A'+w))+string(rune(i)), Stop{})
			}
		}(w)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				v, how := m.Pop("q", -1, Stop{})
				if how != Popped {
					t.Errorf("pop: %v", how)
					return
				}
				got <- v
			}
		}()
	}
	wg.Wait()
	close(got)
	seen := map[string]bool{}
	for v := range got {
		if seen[v] {
			t.Fatalf("%q taken twice", v)
		}
		seen[v] = true
	}
	if len(seen) != per*workers {
		t.Fatalf("%d values taken, want %d", len(seen), per*workers)
	}
}

func TestWaitsEndOnStop(t *testing.T) {
	m := New(func() int { return 1 })
	halt := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	popped := make(chan PopResult)
	go func() { _, how := m.Pop("empty", -1, Stop{Halt: halt}); popped <- how }()
	close(halt)
	if how := <-popped; how != Interrupt {
		t.Fatalf("pop after halt: %v", how)
	}
	m.Put("full", "x", Stop{})
	put := make(chan bool)
	go func() { put <- m.Put("full", "y", Stop{Ctx: ctx}) }()
	cancel()
	if <-put {
		t.Fatal("put into a full queue succeeded after the context ended")
	}
}

func TestPopTimeout(t *testing.T) {
	m := New(nil)
	start := time.Now()
	if _, how := m.Pop("q", 20*time.Millisecond, Stop{}); how != TimedOut {
		t.Fatalf("got %v", how)
	}
	if time.Since(start) < 20*time.Millisecond {
		t.Fatal("returned before the timeout")
	}
	if Timeout(0) != 0 || Timeout(-5) != 0 || Timeout(1<<63-1) != -1 || Timeout(3) != 3*time.Second {
		t.Fatal("Timeout conversion")
	}
}
