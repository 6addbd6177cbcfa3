package runner

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

type counting struct{ n atomic.Int64 }

func (c *counting) Start(output.Run) error { return nil }
func (c *counting) Stop() error            { return nil }
func (c *counting) Add(*sample.Result)     { c.n.Add(1) }

// Every sample a queue gets is delivered or counted as dropped.
func TestQueueDeliversEverything(t *testing.T) {
	c := &counting{}
	q := newQueued(c, 16, 10*time.Second)
	if err := q.Start(output.Run{}); err != nil {
		t.Fatal(err)
	}
	r := &sample.Result{}
	const n = 100000
	for i := 0; i < n; i++ {
		q.Add(r)
	}
	if err := q.Stop(); err != nil {
		t.Fatal(err)
	}
	if got := c.n.Load() + q.Dropped(); got != n {
		t.Fatalf("delivered %d + dropped %d, want %d in all", c.n.Load(), q.Dropped(), n)
	}
}

// BenchmarkQueuedAdd is the cost the engine's delivery goroutine pays per
// sample for a live output behind a queue.
func BenchmarkQueuedAdd(b *testing.B) {
	c := &counting{}
	q := newQueued(c, 10000, 10*time.Second)
	if err := q.Start(output.Run{}); err != nil {
		b.Fatal(err)
	}
	r := &sample.Result{}
	b.ReportAllocs()
	for b.Loop() {
		q.Add(r)
	}
	b.StopTimer()
	q.Stop()
	if c.n.Load()+q.Dropped() != int64(b.N) {
		b.Fatalf("lost samples: %d + %d of %d", c.n.Load(), q.Dropped(), b.N)
	}
}
