package report

import (
	"math"
	"testing"
)

// Absurd elapsed values (negative, near the int64 limits) never give a
// mean outside [min, max]: the exact sum would overflow.
func TestMeanWithinMinMaxForAbsurdElapsed(t *testing.T) {
	cases := [][]int64{
		{math.MaxInt64 - 1, math.MaxInt64 - 1, 5},
		{math.MinInt64 + 1, math.MinInt64 + 1, -5},
		{math.MaxInt64, math.MinInt64, 0, 7},
		{-5, 10},
	}
	for _, vals := range cases {
		for _, mode := range []PercentileMode{Exact, JMeter} {
			o := DefaultStatsOptions()
			o.Mode = mode
			s := NewStats(o)
			for i, v := range vals {
				s.Add(smp(int64(i), v, "x", true))
			}
			for _, r := range []LabelStats{s.Row("x"), s.Total()} {
				if math.IsNaN(r.Mean) || r.Mean < r.Min || r.Mean > r.Max {
					t.Errorf("%v %v: mean %v outside [%v, %v]", mode, vals, r.Mean, r.Min, r.Max)
				}
			}
		}
	}
	s := NewStats(DefaultStatsOptions())
	s.Add(smp(0, -5, "y", true))
	s.Add(smp(1, 10, "y", true))
	if m := s.Row("y").Mean; m != 2.5 {
		t.Errorf("mean of -5 and 10 = %v", m)
	}
}
