package influxdb

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/backend"
	"github.com/gometer/gometer/sample"
)

// RawClass is the BackendListener classname of the raw client: one point
// per sample instead of aggregates.
const RawClass = "org.apache.jmeter.visualizers.backend.influxdb.InfluxDBRawBackendListenerClient"

// MaxRawPending bounds the lines waiting for the sender (bytes); past it new
// samples are not written and are counted.
const MaxRawPending = 8 << 20

// Raw is the InfluxDB raw backend listener.
type Raw struct {
	cfg         *config
	measurement string // as given: JMeter does not escape it here
	run         output.Run
	clock       backend.Clock

	mu       sync.Mutex
	pending  []byte
	skipped  int
	wake     chan struct{}
	quit     chan struct{}
	done     chan struct{}
	delivery *backend.Delivery
}

// NewRaw builds the raw listener from the BackendListener's arguments.
func NewRaw(args map[string]string, run output.Run) (output.Output, error) {
	return newRaw(args, run, backend.RealClock{})
}

func newRaw(args map[string]string, run output.Run, clock backend.Clock) (*Raw, error) {
	cfg, err := parseConfig(args, run)
	if err != nil {
		return nil, fmt.Errorf("InfluxDB raw backend listener: %w", err)
	}
	if _, err := cfg.sender(); err != nil {
		return nil, fmt.Errorf("InfluxDB raw backend listener: %w", err)
	}
	return &Raw{cfg: cfg, measurement: backend.Arg(args, "measurement", "jmeter"), run: run, clock: clock}, nil
}

// Start starts the sender; lines go out as samples arrive, in batches.
func (o *Raw) Start(run output.Run) error {
	o.run = run
	s, err := o.cfg.sender()
	if err != nil {
		return err
	}
	o.delivery = backend.NewDelivery(backend.DeliveryConfig{
		Name: "InfluxDB raw " + o.cfg.url, Sender: s, Timeout: o.cfg.connect + o.cfg.socket,
		Log: func(l, m string) {
			if o.run.Log != nil {
				o.run.Log(l, m)
			}
		}, Clock: o.clock,
	})
	o.wake, o.quit, o.done = make(chan struct{}, 1), make(chan struct{}), make(chan struct{})
	go o.loop()
	return nil
}

// Add writes the sample's point: status, transaction and thread name tags;
// duration, ttfb and connectTime fields in ms; the sample's start time.
func (o *Raw) Add(r *sample.Result) {
	_, errs := backend.Counts(r)
	status := "ok"
	if errs != 0 {
		status = "ko"
	}
	o.mu.Lock()
	if len(o.pending) >= MaxRawPending {
		o.skipped++
		o.mu.Unlock()
		return
	}
	b := append(o.pending, o.measurement...)
	b = append(b, ",status="...)
	b = append(b, status...)
	b = append(b, ",transaction="...)
	b = append(b, TagValue(strings.Trim(r.Label, "\" "))...)
	b = append(b, ",threadName="...)
	b = appendNoSpace(b, r.ThreadName)
	b = append(b, " duration="...)
	b = strconv.AppendInt(b, r.Elapsed.Milliseconds(), 10)
	b = append(b, ",ttfb="...)
	b = strconv.AppendInt(b, r.Latency.Milliseconds(), 10)
	b = append(b, ",connectTime="...)
	b = strconv.AppendInt(b, r.Connect.Milliseconds(), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, r.Start.UnixMilli(), 10)
	o.pending = append(b, "000000\n"...)
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// appendNoSpace is StringUtils.deleteWhitespace.
func appendNoSpace(b []byte, s string) []byte {
	for _, c := range s {
		if !unicode.IsSpace(c) {
			b = append(b, string(c)...)
		}
	}
	return b
}

func (o *Raw) take() []byte {
	o.mu.Lock()
	defer o.mu.Unlock()
	b := o.pending
	o.pending = nil
	return b
}

func (o *Raw) loop() {
	defer close(o.done)
	for {
		select {
		case <-o.wake:
			o.delivery.Enqueue(o.take())
		case <-o.quit:
			return
		}
	}
}

// Stop sends what is left, waiting at most 5 s.
func (o *Raw) Stop() error {
	if o.quit == nil {
		return nil
	}
	close(o.quit)
	<-o.done
	o.delivery.Enqueue(o.take())
	st := o.delivery.Close(5 * time.Second)
	if o.run.Log != nil {
		if o.skipped > 0 {
			o.run.Log("warn", fmt.Sprintf("InfluxDB raw backend listener: %d samples not written (sender too slow)", o.skipped))
		}
		o.run.Log("info", fmt.Sprintf("InfluxDB raw backend listener: %d sends, %d failed, %d dropped", st.Sent+st.Failed, st.Failed, st.Dropped))
	}
	return nil
}
