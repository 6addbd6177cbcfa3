package prometheus

import (
	"testing"
	"time"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// BenchmarkAdd is the endpoint's cost per sample on the users' side.
func BenchmarkAdd(b *testing.B) {
	o, err := New("127.0.0.1:0", output.Run{})
	if err != nil {
		b.Fatal(err)
	}
	if err := o.Start(output.Run{}); err != nil {
		b.Fatal(err)
	}
	defer o.Stop()
	labels := []string{"Home", "Login", "Search", "Checkout"}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		// The samples are made once: the benchmark measures Add alone.
		rs := make([]*sample.Result, 40)
		for i := range rs {
			rs[i] = &sample.Result{Label: labels[i%4], ResponseCode: "200", Success: i%10 != 0, Elapsed: time.Duration(i%50) * time.Millisecond}
		}
		i := 0
		for pb.Next() {
			o.Add(rs[i%len(rs)])
			i++
		}
	})
}
