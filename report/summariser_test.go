package report

import (
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/sample"
)

type fakeClock struct{ ms int64 }

func (c *fakeClock) now() time.Time { return time.UnixMilli(c.ms) }

func TestSummaryLineFormat(t *testing.T) {
	plus := runningSample{count: 1795, sum: 1795*3 + 100, min: 0, max: 141, start: 0, end: 3796}
	got := string(appendSummaryLine(nil, "summary", '+', &plus, 2, 2, 0))
	want := "summary +   1795 in 00:00:04 =  472.9/s Avg:     3 Min:     0 Max:   141 Err:     0 (0.00%) Active: 2 Started: 2 Finished: 0"
	if got != want {
		t.Fatalf("\n got %q\nwant %q", got, want)
	}
	eq := runningSample{count: 22175, sum: 22175 + 5, min: 0, max: 300, start: 1000, end: 1000 + 13795}
	got = string(appendSummaryLine(nil, "summary", '=', &eq, 9, 9, 9))
	want = "summary =  22175 in 00:00:14 = 1607.5/s Avg:     1 Min:     0 Max:   300 Err:     0 (0.00%)"
	if got != want {
		t.Fatalf("\n got %q\nwant %q", got, want)
	}
	// Wide values push the line instead of being cut; hours are unbounded.
	big := runningSample{count: 12345678, errors: 7314, sum: 0, min: 0, max: 123456, start: 0, end: 100*3600*1000 + 1499}
	got = string(appendSummaryLine(nil, "s", '=', &big, 0, 0, 0))
	want = "s = 12345678 in 100:00:01 =   34.3/s Avg:     0 Min:     0 Max: 123456 Err:  7314 (0.06%)"
	if got != want {
		t.Fatalf("\n got %q\nwant %q", got, want)
	}
	// Empty: JMeter's sentinels and the infinite-rate marker.
	var empty runningSample
	empty.reset(5)
	got = string(appendSummaryLine(nil, "summary", '=', &empty, 0, 0, 0))
	want = "summary =      0 in 00:00:00 = ******/s Avg:     0 Min: 9223372036854775807 Max: -9223372036854775808 Err:     0 (0.00%)"
	if got != want {
		t.Fatalf("\n got %q\nwant %q", got, want)
	}
}

func TestSummariserSequence(t *testing.T) {
	const t0 = 1_000_000_006_000 // epoch second 1000000006: 6 s past a 10 s boundary
	clk := &fakeClock{ms: t0}
	var out strings.Builder
	active, started, finished := 2, 3, 1
	s := NewSummariserClock(&out, "summary", 10*time.Second, func() (int, int, int) { return active, started, finished }, clk.now)
	add := func(at int64, elapsedMs int64, ok bool) {
		clk.ms = t0 + at
		s.Add(&sample.Result{Label: "x", Elapsed: time.Duration(elapsedMs) * time.Millisecond, Success: ok})
	}
	add(500, 3, true)
	add(900, 0, true)
	add(1000, 141, false)
	if out.Len() != 0 {
		t.Fatalf("reported before the boundary: %q", out.String())
	}
	add(4200, 4, true) // second …010: boundary → first report, no "=" line
	add(5000, 10, true)
	add(10000, 20, true) // …016: more than 5 s after the boundary
	add(14500, 30, false)
	add(15000, 1000, true) // …021: too soon after the last report
	clk.ms = t0 + 15100
	s.Add(&sample.Result{Label: "TC", Elapsed: time.Hour, ResponseMessage: TransactionPrefix + "3, number of failing samples : 0"})
	active, finished = 0, 3
	clk.ms = t0 + 17000
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"summary +      4 in 00:00:04 =    1.0/s Avg:    37 Min:     0 Max:   141 Err:     1 (25.00%) Active: 2 Started: 3 Finished: 1",
		"summary +      3 in 00:00:10 =    0.3/s Avg:    20 Min:    10 Max:    30 Err:     1 (33.33%) Active: 2 Started: 3 Finished: 1",
		"summary =      7 in 00:00:15 =    0.5/s Avg:    29 Min:     0 Max:   141 Err:     2 (28.57%)",
		"summary +      1 in 00:00:03 =    0.4/s Avg:  1000 Min:  1000 Max:  1000 Err:     0 (0.00%) Active: 0 Started: 3 Finished: 3",
		"summary =      8 in 00:00:17 =    0.5/s Avg:   151 Min:     0 Max:  1000 Err:     2 (25.00%)",
	}, "\n") + "\n"
	if out.String() != want {
		t.Fatalf("\n got:\n%s\nwant:\n%s", out.String(), want)
	}
	s.Add(&sample.Result{Label: "late"}) // after Close: ignored
	if s.Stop() != nil || out.String() != want {
		t.Fatal("second Close or late Add changed the output")
	}
}

func TestSummariserShortRunAndTransactions(t *testing.T) {
	clk := &fakeClock{ms: 1_000_000_007_000}
	var out strings.Builder
	s := NewSummariserClock(&out, "summary", 30*time.Second, nil, clk.now)
	s.IgnoreTransactions = false
	clk.ms += 1000
	s.Add(&sample.Result{Elapsed: 10 * time.Millisecond, Success: true})
	s.Add(&sample.Result{Elapsed: 20 * time.Millisecond, Transaction: true, SampleCount: 1, ErrorCount: 1})
	clk.ms += 2000
	s.Stop()
	want := "summary =      2 in 00:00:03 =    0.7/s Avg:    15 Min:    10 Max:    20 Err:     1 (50.00%)\n"
	if out.String() != want {
		t.Fatalf("\n got %q\nwant %q", out.String(), want)
	}
	// No samples at all.
	out.Reset()
	s = NewSummariserClock(&out, "summary", 30*time.Second, nil, clk.now)
	s.Stop()
	if !strings.Contains(out.String(), "Min: 9223372036854775807 Max: -9223372036854775808") {
		t.Fatalf("empty run: %q", out.String())
	}
}

func TestSummariserReportsAtStartInsideWindow(t *testing.T) {
	// A run starting 2 s after a boundary reports on its first sample, as JMeter does.
	clk := &fakeClock{ms: 1_000_000_022_000} // 1000000020 is a multiple of 30
	var out strings.Builder
	s := NewSummariserClock(&out, "summary", 30*time.Second, nil, clk.now)
	clk.ms += 400
	s.Add(&sample.Result{Elapsed: 5 * time.Millisecond, Success: true})
	if !strings.HasPrefix(out.String(), "summary +      1 in 00:00:00 =    2.5/s") {
		t.Fatalf("got %q", out.String())
	}
}

func TestSummariserConcurrent(t *testing.T) {
	var out strings.Builder
	s := NewSummariser(&out, "summary", 30*time.Second, nil)
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				s.Add(&sample.Result{Elapsed: time.Millisecond, Success: i%10 != 0})
			}
		}()
	}
	wg.Wait()
	s.Stop()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "summary =  16000 in ") || !strings.Contains(last, "Err:  1600 (10.00%)") {
		t.Fatalf("last line %q", last)
	}
}

func TestSummariserConfigFromProps(t *testing.T) {
	p := functions.NewProperties()
	c, err := SummariserConfigFromProps(p)
	if err != nil || c.Name != "summary" || c.Interval != 30*time.Second || !c.IgnoreTransactions {
		t.Fatalf("%+v %v", c, err)
	}
	p.Set("summariser.interval", "5")
	p.Set("summariser.name", "")
	p.Set("summariser.ignore_transaction_controller_sample_result", "false")
	c, err = SummariserConfigFromProps(p)
	if err != nil || c.Name != "" || c.Interval != 5*time.Second || c.IgnoreTransactions {
		t.Fatalf("%+v %v", c, err)
	}
	if c.New(io.Discard, nil) != nil {
		t.Fatal("an empty name must disable the summariser")
	}
	c.Name = "sum"
	if s := c.New(io.Discard, nil); s == nil || s.IgnoreTransactions || s.interval != 5 {
		t.Fatalf("New: %+v", s)
	}
	p.Set("summariser.interval", "soon")
	if _, err := SummariserConfigFromProps(p); err == nil || !strings.Contains(err.Error(), "summariser.interval") {
		t.Fatalf("err %v", err)
	}
}
