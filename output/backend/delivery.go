package backend

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Sender writes one batch to a metrics server. Send must give up when ctx
// ends; Close releases its connections.
type Sender interface {
	Send(ctx context.Context, body []byte) error
	Close() error
}

// DeliveryConfig configures a Delivery.
type DeliveryConfig struct {
	Name    string        // for log messages: "InfluxDB http://…"
	Sender  Sender        //
	Timeout time.Duration // per send
	Queue   int           // batches waiting at most; the oldest is dropped past it
	Log     func(level, msg string)
	Clock   Clock
}

// Stats counts what a Delivery did.
type Stats struct {
	Sent, Failed, Dropped int64
	LastError             string
}

// Delivery sends batches from one goroutine, in order, each with a timeout.
// Enqueue never blocks: when the server is slower than the test, the oldest
// waiting batch is dropped and counted. Failures are logged at most once per
// LogEvery, and summed up by Close.
type Delivery struct {
	cfg   DeliveryConfig
	mu    sync.Mutex
	queue [][]byte
	wake  chan struct{}
	stop  chan struct{} // closed by Close: drain what is queued, then exit
	done  chan struct{}
	ctx   context.Context
	abort context.CancelFunc
	stats Stats
	// failure log rate limit
	lastLog    time.Time
	unreported int64
}

// LogEvery is the shortest gap between two failure messages of a Delivery.
const LogEvery = 30 * time.Second

// DefaultQueue is how many batches may wait: at a 5 s interval, about a
// minute and a half of an unreachable server.
const DefaultQueue = 16

// NewDelivery starts the sending goroutine.
func NewDelivery(cfg DeliveryConfig) *Delivery {
	if cfg.Queue < 1 {
		cfg.Queue = DefaultQueue
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.Log == nil {
		cfg.Log = func(string, string) {}
	}
	d := &Delivery{cfg: cfg, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	d.ctx, d.abort = context.WithCancel(context.Background())
	go d.loop()
	return d
}

// Enqueue queues one batch (the Delivery keeps body).
func (d *Delivery) Enqueue(body []byte) {
	if len(body) == 0 {
		return
	}
	d.mu.Lock()
	if len(d.queue) >= d.cfg.Queue {
		d.queue[0] = nil
		d.queue = d.queue[1:]
		d.stats.Dropped++
	}
	d.queue = append(d.queue, body)
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *Delivery) next() ([]byte, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.queue) == 0 {
		return nil, false
	}
	b := d.queue[0]
	d.queue[0] = nil
	d.queue = d.queue[1:]
	return b, true
}

func (d *Delivery) loop() {
	defer close(d.done)
	for {
		for {
			b, ok := d.next()
			if !ok {
				break
			}
			d.send(b)
		}
		select {
		case <-d.wake:
		case <-d.stop:
			for {
				b, ok := d.next()
				if !ok || d.ctx.Err() != nil {
					return
				}
				d.send(b)
			}
		}
	}
}

func (d *Delivery) send(b []byte) {
	ctx, cancel := context.WithTimeout(d.ctx, d.cfg.Timeout)
	err := d.cfg.Sender.Send(ctx, b)
	cancel()
	d.mu.Lock()
	defer d.mu.Unlock()
	if err == nil {
		d.stats.Sent++
		return
	}
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("no answer within %v: %w", d.cfg.Timeout, err)
	}
	d.stats.Failed++
	d.stats.LastError = err.Error()
	now := d.cfg.Clock.Now()
	if d.lastLog.IsZero() || now.Sub(d.lastLog) >= LogEvery {
		msg := fmt.Sprintf("%s: send failed: %v", d.cfg.Name, err)
		if d.unreported > 0 {
			msg += fmt.Sprintf(" (%d more failures since the last message)", d.unreported)
		}
		d.cfg.Log("warn", msg)
		d.lastLog, d.unreported = now, 0
	} else {
		d.unreported++
	}
}

// Close sends what is queued, waiting at most wait, then gives up on the
// rest (counted as dropped), closes the sender and returns the counts. A
// summary is logged when anything failed or was dropped.
func (d *Delivery) Close(wait time.Duration) Stats {
	close(d.stop)
	select {
	case <-d.wake:
	default:
	}
	timer := d.cfg.Clock.After(wait)
	select {
	case <-d.done:
	case <-timer:
		d.abort()
		<-d.done
	}
	d.abort()
	d.mu.Lock()
	d.stats.Dropped += int64(len(d.queue))
	d.queue = nil
	st := d.stats
	d.mu.Unlock()
	if err := d.cfg.Sender.Close(); err != nil {
		d.cfg.Log("warn", fmt.Sprintf("%s: close: %v", d.cfg.Name, err))
	}
	if st.Failed > 0 || st.Dropped > 0 {
		d.cfg.Log("warn", fmt.Sprintf("%s: %d of %d sends failed, %d batches dropped; last error: %s",
			d.cfg.Name, st.Failed, st.Sent+st.Failed, st.Dropped, st.LastError))
	}
	return st
}

// Stats returns the counts so far.
func (d *Delivery) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stats
}
