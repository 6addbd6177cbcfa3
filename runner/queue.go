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
	waiting bool // the loop waits for a sample
	inHand  int  // samples the loop took and has not delivered yet
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
	// Only a waiting loop needs a wake-up: while it delivers, samples
	// just pile up and it takes them all at once.
	wake := q.waiting
	q.waiting = false
	q.mu.Unlock()
	if wake {
		q.cond.Signal()
	}
}

// loop hands queued samples to the output, taking all that are queued at
// once; a sample is delivered, queued, in hand or counted as dropped.
func (q *queued) loop() {
	defer close(q.done)
	var batch []*sample.Result
	for {
		q.mu.Lock()
		q.inHand = 0
		for q.n == 0 && !q.closed {
			q.waiting = true
			q.cond.Wait()
		}
		if q.n == 0 {
			q.mu.Unlock()
			return
		}
		for q.n > 0 {
			batch = append(batch, q.buf[q.head])
			q.buf[q.head] = nil
			q.head = (q.head + 1) % len(q.buf)
			q.n--
		}
		q.inHand = len(batch)
		q.mu.Unlock()
		for i, r := range batch {
			q.out.Add(r)
			batch[i] = nil
			q.mu.Lock()
			q.inHand--
			q.mu.Unlock()
		}
		batch = batch[:0]
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
		left := q.n + max(q.inHand-1, 0) // the sample the output holds is not counted
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
