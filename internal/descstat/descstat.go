// Package descstat computes the windowed statistics JMeter's backend
// listeners report, with the same arithmetic as the Apache Commons Math 3.6
// DescriptiveStatistics they use: a rolling window of the last N values,
// a two-pass mean, and the percentile estimators JMeter exposes through
// backend_metrics_percentile_estimator (LEGACY by default). Matching that
// arithmetic bit for bit is what lets gometer's lines equal JMeter's.
package descstat

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// MaxWindow bounds a window whose size is "infinite" (JMeter's -1): memory
// must stay bounded whatever the run's length.
const MaxWindow = 1 << 20

// Window keeps the last Size values added (oldest first), as a
// DescriptiveStatistics with that window size.
type Window struct {
	buf   []float64
	start int // index of the oldest value when full
	size  int
	full  bool
}

// NewWindow returns a window of the given size; size < 1 means "unbounded"
// and is capped at MaxWindow.
func NewWindow(size int) *Window {
	if size < 1 || size > MaxWindow {
		size = MaxWindow
	}
	return &Window{size: size}
}

// Add appends v, dropping the oldest value when the window is full.
func (w *Window) Add(v float64) {
	if !w.full {
		w.buf = append(w.buf, v)
		if len(w.buf) == w.size {
			w.full = true
		}
		return
	}
	w.buf[w.start] = v
	w.start++
	if w.start == w.size {
		w.start = 0
	}
}

// Clear empties the window (keeping its storage).
func (w *Window) Clear() { w.buf, w.start, w.full = w.buf[:0], 0, false }

// N is the number of values held.
func (w *Window) N() int { return len(w.buf) }

// each calls f for every value, oldest first (Commons Math's element order).
func (w *Window) each(f func(float64)) {
	for _, v := range w.buf[w.start:] {
		f(v)
	}
	for _, v := range w.buf[:w.start] {
		f(v)
	}
}

// Min is the smallest value, NaN when empty.
func (w *Window) Min() float64 {
	if len(w.buf) == 0 {
		return math.NaN()
	}
	m := math.Inf(1)
	w.each(func(v float64) { m = math.Min(m, v) })
	return m
}

// Max is the largest value, NaN when empty.
func (w *Window) Max() float64 {
	if len(w.buf) == 0 {
		return math.NaN()
	}
	m := math.Inf(-1)
	w.each(func(v float64) { m = math.Max(m, v) })
	return m
}

// Mean is Commons Math's Mean: the sum over n, corrected by the mean of the
// deviations (which can change the last bits); NaN when empty.
func (w *Window) Mean() float64 {
	n := float64(len(w.buf))
	if n == 0 {
		return math.NaN()
	}
	sum := 0.0
	w.each(func(v float64) { sum += v })
	xbar := sum / n
	corr := 0.0
	w.each(func(v float64) { corr += v - xbar })
	return xbar + corr/n
}

// Percentile is the p-th percentile (0 < p <= 100) by estimator e; NaN when
// empty, the only value when there is one. scratch is reused between calls.
func (w *Window) Percentile(p float64, e Estimator, scratch *[]float64) float64 {
	n := len(w.buf)
	switch n {
	case 0:
		return math.NaN()
	case 1:
		return w.buf[0]
	}
	s := append((*scratch)[:0], w.buf...)
	slices.Sort(s)
	*scratch = s
	return e.estimate(s, p/100)
}

// Estimator is one of Commons Math's Percentile.EstimationType values.
type Estimator int

// The estimation types, named as in backend_metrics_percentile_estimator.
const (
	Legacy Estimator = iota
	R1
	R2
	R3
	R4
	R5
	R6
	R7
	R8
	R9
)

var estimatorNames = []string{"LEGACY", "R_1", "R_2", "R_3", "R_4", "R_5", "R_6", "R_7", "R_8", "R_9"}

// ParseEstimator reads an estimator name as JMeter's property holds it.
func ParseEstimator(s string) (Estimator, error) {
	for i, n := range estimatorNames {
		if strings.TrimSpace(s) == n {
			return Estimator(i), nil
		}
	}
	return Legacy, fmt.Errorf("unknown percentile estimator %q (want one of %s)", s, strings.Join(estimatorNames, ", "))
}

func (e Estimator) String() string { return estimatorNames[e] }

// index is the estimator's 1-based fractional position of quantile p in n
// sorted values.
func (e Estimator) index(p float64, n int) float64 {
	l := float64(n)
	switch e {
	case R1:
		if p == 0 {
			return 0
		}
		return l*p + 0.5
	case R2:
		switch p {
		case 1:
			return l
		case 0:
			return 0
		}
		return l*p + 0.5
	case R3:
		if p <= 0.5/l {
			return 0
		}
		return math.RoundToEven(l * p)
	case R4:
		switch {
		case p < 1/l:
			return 0
		case p == 1:
			return l
		}
		return l * p
	case R5:
		switch {
		case p < 0.5/l:
			return 0
		case p >= (l-0.5)/l:
			return l
		}
		return l*p + 0.5
	case R6:
		switch {
		case p < 1/(l+1):
			return 0
		case p >= l/(l+1):
			return l
		}
		return (l + 1) * p
	case R7:
		switch p {
		case 0:
			return 0
		case 1:
			return l
		}
		return 1 + (l-1)*p
	case R8:
		third := 1.0 / 3
		switch {
		case p < 2*third/(l+third):
			return 0
		case p >= (l-third)/(l+third):
			return l
		}
		return (l+third)*p + third
	case R9:
		switch {
		case p < (5.0/8)/(l+0.25):
			return 0
		case p >= (l-3.0/8)/(l+0.25):
			return l
		}
		return (l+0.25)*p + 3.0/8
	default: // Legacy
		switch p {
		case 0:
			return 0
		case 1:
			return l
		}
		return p * (l + 1)
	}
}

func (e Estimator) estimate(sorted []float64, p float64) float64 {
	pos := e.index(p, len(sorted))
	switch e {
	case R1:
		return interpolate(sorted, math.Ceil(pos-0.5))
	case R2:
		return (interpolate(sorted, math.Ceil(pos-0.5)) + interpolate(sorted, math.Floor(pos+0.5))) / 2
	}
	return interpolate(sorted, pos)
}

// interpolate is Commons Math's default estimate: linear between the
// neighbours of the 1-based position pos, clamped to the ends.
func interpolate(s []float64, pos float64) float64 {
	n := len(s)
	if pos < 1 {
		return s[0]
	}
	if pos >= float64(n) {
		return s[n-1]
	}
	f := math.Floor(pos)
	i := int(f)
	lo, hi := s[i-1], s[i]
	return lo + (pos-f)*(hi-lo)
}
