package engine

import (
	"context"
	"github.com/gometer/gometer/output"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/sampler"
)

// fakeSampler answers in-process, so the benchmark measures the engine's
// per-sample path (scoping, pre/post-processors, assertions, timers,
// delivery) rather than the network.
type fakeSampler struct {
	body  []byte
	depth int // nested calls of 256 bytes of stack each before answering
}

// deepen uses about 300 bytes of stack per level.
//
//go:noinline
func deepen(n int) int {
	var buf [256]byte
	buf[n%256] = byte(n)
	if n <= 0 {
		return int(buf[0])
	}
	return deepen(n-1) + int(buf[n%256])
}

func (f *fakeSampler) Sample(_ context.Context, s *sampler.Session) *sample.Result {
	if f.depth > 0 {
		deepen(f.depth)
	}
	now := time.Now()
	return &sample.Result{
		Start: now, Elapsed: time.Microsecond, Latency: time.Microsecond,
		ResponseCode: "200", ResponseMessage: "OK", Success: true, DataType: "text",
		Bytes: int64(len(f.body)), Body: f.body, SampleCount: 1,
	}
}

type countOutput struct{ n atomic.Int64 }

func (c *countOutput) Add(*sample.Result)     { c.n.Add(1) }
func (c *countOutput) Start(output.Run) error { return nil }
func (c *countOutput) Stop() error            { return nil }

func replaceSamplers(nodes []node, s sampler.Sampler) {
	for _, n := range nodes {
		if sn, ok := n.(*samplerNode); ok {
			sn.smp = s
			continue
		}
		_, _, kids := n.describe()
		replaceSamplers(kids, s)
	}
}

// BenchmarkPipeline runs b.N samples through one virtual user with a
// typical scope: global variables, a header manager, a timer of 0 ms, a
// counter, a regex extractor and a response assertion, inside a
// transaction controller.
func BenchmarkPipeline(b *testing.B) {
	regex := el{tag: "RegexExtractor", gui: "RegexExtractorGui", name: "re", props: sp("RegexExtractor.useHeaders", "false") +
		sp("RegexExtractor.refname", "tok") + sp("RegexExtractor.regex", `token=(\w+)`) + sp("RegexExtractor.template", "$1$") +
		sp("RegexExtractor.default", "none") + sp("RegexExtractor.match_number", "1")}
	assert := el{tag: "ResponseAssertion", gui: "AssertionGui", name: "ra", props: `<collectionProp name="Asserion.test_strings">` + sp("1", "token") + `</collectionProp>` +
		sp("Assertion.test_field", "Assertion.response_data") + `<intProp name="Assertion.test_type">16</intProp>`}
	counter := ctrl("CounterConfig", "c", sp("CounterConfig.start", "1")+sp("CounterConfig.incr", "1")+sp("CounterConfig.name", "n")+bp("CounterConfig.per_user", true))
	xml := planXML(
		udvs("v", "host", "example.invalid"),
		tgClass("ThreadGroup", "G", "1", "0", "${__P(loops,1)}", "",
			headers("h", "X-A", "1"), counter,
			txCtrl("T", false, true,
				httpSampler(nil, "s", "GET", "http://${host}/p/${n}", "", constTimer(0), regex, assert),
			),
		),
	)
	out := &countOutput{}
	p := functions.NewProperties()
	p.Set("loops", strconv.Itoa(b.N))
	tst, err := compileXML(b, xml, Options{Props: p, Outputs: []output.Output{out}})
	if err != nil {
		b.Fatal(err)
	}
	replaceSamplers(tst.main[0].root.children, &fakeSampler{body: []byte("hello token=abc123 bye")})
	b.ReportAllocs()
	b.ResetTimer()
	if err := tst.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if got := out.n.Load(); got != int64(2*b.N) { // sample + transaction sample
		b.Fatalf("delivered %d samples, want %d", got, 2*b.N)
	}
}

// BenchmarkIdleUsers measures the memory each live virtual user holds: 10,000
// users each take one in-process sample and then wait in a timer, and the
// heap and stacks are read while they all wait (after two collections, which
// shrink stacks that are mostly unused). Reported as bytes/user, split into
// heap-B/user and stack-B/user. In "deep" the sample first uses about 5 KB
// of stack, as the HTTP client does, so the stack grows to 8 KB; a waiting
// user must give that back.
func BenchmarkIdleUsers(b *testing.B) {
	const users = 10000
	for _, bc := range []struct {
		name  string
		depth int
	}{{"flat", 0}, {"deep", 20}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				idleUsers(b, users, &fakeSampler{body: []byte("ok"), depth: bc.depth})
			}
		})
	}
}

func idleUsers(b *testing.B, users int, smp sampler.Sampler) {
	xml := planXML(
		udvs("v", "a", "1", "b", "2"),
		tgClass("ThreadGroup", "G", strconv.Itoa(users), "0", "1", "",
			headers("h", "X-A", "1"),
			httpSampler(nil, "s", "GET", "http://127.0.0.1:1/x", ""),
			httpSampler(nil, "wait", "GET", "http://127.0.0.1:1/y", "", constTimer(1500)),
		),
	)
	out := &countOutput{}
	tst, err := compileXML(b, xml, Options{Outputs: []output.Output{out}})
	if err != nil {
		b.Fatal(err)
	}
	replaceSamplers(tst.main[0].root.children, smp)
	runtime.GC()
	var before, during runtime.MemStats
	runtime.ReadMemStats(&before)
	done := make(chan error)
	go func() { done <- tst.Run(context.Background()) }()
	for {
		time.Sleep(50 * time.Millisecond)
		if a, _, _ := tst.Counts(); a == users {
			break
		}
	}
	time.Sleep(200 * time.Millisecond)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&during)
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	heap := float64(during.HeapInuse) - float64(before.HeapInuse)
	stack := float64(during.StackInuse) - float64(before.StackInuse)
	b.ReportMetric((heap+stack)/float64(users), "bytes/user")
	b.ReportMetric(heap/float64(users), "heap-B/user")
	b.ReportMetric(stack/float64(users), "stack-B/user")
	if got := out.n.Load(); got != int64(2*users) {
		b.Fatalf("delivered %d samples, want %d", got, 2*users)
	}
}

// BenchmarkCSVRows reports the memory a loaded plain CSV file keeps beyond
// its own text, per line (the offset index), and the cost of reading a
// record (split on read).
func BenchmarkCSVRows(b *testing.B) {
	const lines = 200_000
	buf := make([]byte, 0, lines*40)
	for i := range lines {
		buf = append(buf, "user"...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, ",acct-"...)
		buf = strconv.AppendInt(buf, int64(i*7), 10)
		buf = append(buf, ",EUR,note\n"...)
	}
	text := string(buf)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	rows := plainRows(text, ",")
	kept := heap() - before
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := rows.at(i % lines); len(r) != 4 {
			b.Fatalf("record %d: %q", i%lines, r)
		}
	}
	b.ReportMetric(float64(kept)/lines, "index-B/line") // after the loop: ResetTimer clears metrics
	runtime.KeepAlive(rows)
}
