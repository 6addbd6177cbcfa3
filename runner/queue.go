package runner

import (
	"fmt"
	"sync"
	"time"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// queued gives a live output (backend listener, Prometheus, console) its
// own bounded queue and goroutine: Add never waits for the destination, and
// when the destination falls behind the oldest samples are dropped and
// counted. Lossless outputs (JTL files, statistics) are never queued.
type queued struct {
	out  output.Output
	wait time.Duration // how long Stop waits for the destination

	mu      sync.Mutex
	cond    sync.Cond
	buf     []*sample.Result // ring of len cap
	head, n int
	dropped int64
	closed  bool
	done    chan struct{}
}

func newQueued(out output.Output, capacity int, wait time.Duration) *queued {
	q := &queued{out: out, wait: wait, buf: make([]*sample.Result, max(capacity, 1)), done: make(chan struct{})}
	q.cond.L = &q.mu
	return q
}

func (q *queued) Needs() output.Needs { return output.NeedsOf(q.out) }

func (q *queued) Start(r output.Run) error {
	if err := q.out.Start(r); err != nil {
		close(q.done)
		return err
	}
	go q.loop()
	return nil
}

func (q *queued) Add(r *sample.Result) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	if q.n == len(q.buf) {
		q.buf[q.head] = nil
		q.head = (q.head + 1) % len(q.buf)
		q.n--
		q.dropped++
	}
	q.buf[(q.head+q.n)%len(q.buf)] = r
	q.n++
	if q.n == 1 {
		q.cond.Signal()
	}
	q.mu.Unlock()
}

// loop hands queued samples to the output one at a time, so that a sample
// is either delivered, in the queue, or counted as dropped.
func (q *queued) loop() {
	defer close(q.done)
	for {
		q.mu.Lock()
		for q.n == 0 && !q.closed {
			q.cond.Wait()
		}
		if q.n == 0 {
			q.mu.Unlock()
			return
		}
		r := q.buf[q.head]
		q.buf[q.head] = nil
		q.head = (q.head + 1) % len(q.buf)
		q.n--
		q.mu.Unlock()
		q.out.Add(r)
	}
}

// Stop lets the output take what is queued, then stops it, waiting at most
// q.wait for both: a destination that never answers must not keep the run
// from ending. Samples it did not take count as dropped.
func (q *queued) Stop() error {
	q.mu.Lock()
	q.closed = true
	q.cond.Broadcast()
	q.mu.Unlock()
	deadline := time.NewTimer(q.wait)
	defer deadline.Stop()
	select {
	case <-q.done:
	case <-deadline.C:
		q.mu.Lock()
		left := q.n
		q.dropped += int64(left)
		q.mu.Unlock()
		return fmt.Errorf("still busy after %v: %d queued sample(s) not delivered", q.wait, left)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- q.out.Stop() }()
	select {
	case err := <-stopped:
		return err
	case <-deadline.C:
		return fmt.Errorf("did not stop within %v", q.wait)
	}
}

// Dropped is how many samples the output did not get.
func (q *queued) Dropped() int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.dropped
}
