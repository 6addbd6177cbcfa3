package target

import (
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

// A realistic target answers /api calls after a few milliseconds, some
// much later, and fails a few with 503; other routes answer at once. The
// delays are lower bounds (a loaded machine only adds to them), so the test
// checks the shape from below and counts the seeded errors.
func TestRealisticAnswers(t *testing.T) {
	s := New(Options{Realistic: true, Seed: 7})
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	const n = 600
	var took []time.Duration
	failed := 0
	for range n {
		start := time.Now()
		resp, err := http.Get(base + "/api/market")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		took = append(took, time.Since(start))
		switch resp.StatusCode {
		case http.StatusOK:
		case http.StatusServiceUnavailable:
			failed++
		default:
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	slices.Sort(took)
	if med := took[n/2]; med < 2*time.Millisecond {
		t.Errorf("median %v, want a few ms", med)
	}
	if p99 := took[n*99/100]; p99 < 20*time.Millisecond {
		t.Errorf("p99 %v, want a tail past 20 ms", p99)
	}
	if failed == 0 || failed > n/20 {
		t.Errorf("%d of %d calls failed, want a few", failed, n)
	}
	t.Logf("median %v, p99 %v, max %v, %d of %d failed", took[n/2], took[n*99/100], took[n-1], failed, n)
}
