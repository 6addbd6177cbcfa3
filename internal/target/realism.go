package target

import (
	"math"
	"net/http"
	"strings"
	"time"
)

// Shape of a realistic answer time: log-normal around a median of a few
// milliseconds, with rare slow answers (a pause, a slow query) making the
// tail, and a few overload errors.
const (
	realMedian   = 3 * time.Millisecond
	realSigma    = 0.55  // of the log-normal: p95 about 2.5x the median
	realSlowP    = 0.02  // share of answers 20–120 ms slower
	realStallP   = 0.002 // share of answers 300–600 ms slower
	realFailP    = 0.008 // share of /api calls but login answered 503
	realFailBody = `{"error":"service busy, try again"}`
)

// realism delays an /api request as Options.Realistic asks and reports
// whether it answered it itself (an overload error). The delay is the
// simulated service time of the target, not synchronisation.
func (s *Server) realism(w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		return false
	}
	s.realMu.Lock()
	rnd := s.realRnd
	d := time.Duration(float64(realMedian) * math.Exp(realSigma*rnd.NormFloat64()))
	switch p := rnd.Float64(); {
	case p < realStallP:
		d += 300*time.Millisecond + time.Duration(rnd.Int64N(int64(300*time.Millisecond)))
	case p < realStallP+realSlowP:
		d += 20*time.Millisecond + time.Duration(rnd.Int64N(int64(100*time.Millisecond)))
	}
	fail := r.URL.Path != "/api/login" && rnd.Float64() < realFailP
	s.realMu.Unlock()
	t := time.NewTimer(d)
	select {
	case <-t.C:
	case <-r.Context().Done():
		t.Stop()
	}
	// login never fails, so that one error stays one error
	if fail {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(realFailBody))
		return true
	}
	return false
}
