package javafmt

import (
	"math"
	"strconv"
	"testing"
)

// The expected strings are what Java 17's Double.toString and
// Float.toString print for the same values.
func TestDouble(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{1.5, "1.5"}, {5, "5.0"}, {0, "0.0"}, {math.Copysign(0, -1), "-0.0"}, {-2.25, "-2.25"},
		{1e7, "1.0E7"}, {9999999, "9999999.0"}, {0.001, "0.001"}, {0.0001, "1.0E-4"},
		{123456789.125, "1.23456789125E8"}, {12345678.9, "1.23456789E7"}, {1e-10, "1.0E-10"}, {-1.5e300, "-1.5E300"},
		{100, "100.0"}, {0.30000000000000004, "0.30000000000000004"},
		{math.Inf(1), "Infinity"}, {math.Inf(-1), "-Infinity"}, {math.NaN(), "NaN"},
	} {
		if got := Double(c.f); got != c.want {
			t.Errorf("Double(%v) = %s, want %s", c.f, got, c.want)
		}
	}
}

func TestFloat(t *testing.T) {
	for _, c := range []struct {
		f    float32
		want string
	}{
		{0.1, "0.1"}, {33.333332, "33.333332"}, {100, "100.0"}, {1e7, "1.0E7"}, {1e-5, "1.0E-5"},
		{float32(math.NaN()), "NaN"},
	} {
		if got := Float(c.f); got != c.want {
			t.Errorf("Float(%v) = %s, want %s", c.f, got, c.want)
		}
	}
}

// Every finite result reads back as the value it came from.
func FuzzDoubleRoundTrip(f *testing.F) {
	for _, v := range []float64{0, 1, 1e7, 1e-3, 5e-324, math.MaxFloat64} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		s := Double(v)
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || back != v {
			t.Fatalf("Double(%v) = %q reads back as %v (%v)", v, s, back, err)
		}
	})
}
