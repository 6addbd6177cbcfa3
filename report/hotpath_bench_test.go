package report

import (
	"io"
	"testing"
	"time"

	"github.com/gometer/gometer/sample"
)

// benchResults are HTTP results as the sampler returns them, spread over a
// few labels.
func benchResults() []*sample.Result {
	out := make([]*sample.Result, 1024)
	base := time.UnixMilli(1700000000000)
	for i := range out {
		r := httpResult()
		r.Label = "GET /api/item/" + string(rune('a'+i%20))
		r.Start = base.Add(time.Duration(i) * time.Millisecond)
		r.Elapsed = time.Duration(i%300) * time.Millisecond
		r.Success = i%50 != 0
		out[i] = r
	}
	return out
}

// BenchmarkSummariserAdd is the console summariser's cost per sample.
func BenchmarkSummariserAdd(b *testing.B) {
	s := NewSummariser(io.Discard, "summary", 30*time.Second, nil)
	rs := benchResults()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s.Add(rs[i&1023])
	}
}

// BenchmarkResultToStats is what the CLI's end-of-run statistics do per
// sample: flatten the result into a Sample and count it.
func BenchmarkResultToStats(b *testing.B) {
	for _, mode := range []PercentileMode{Exact, JMeter} {
		b.Run(mode.String(), func(b *testing.B) {
			o := DefaultStatsOptions()
			o.Mode = mode
			st := NewStats(o)
			var x Sample
			rs := benchResults()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				ResultToSample(rs[i&1023], &x)
				st.Add(&x)
			}
		})
	}
}

// BenchmarkJTLWriterAdd is the JTL writer's cost per sample as the engine's
// collector calls it (one goroutine), default CSV columns, to io.Discard.
func BenchmarkJTLWriterAdd(b *testing.B) {
	w := NewJTLWriter(io.Discard, DefaultSaveConfig(), true)
	rs := benchResults()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w.Add(rs[i&1023])
	}
	b.StopTimer()
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}
