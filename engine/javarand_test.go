package engine

import "testing"

// Reference values printed by Java 17's java.util.Random and DecimalFormat.
func TestJavaRandomMatchesJava(t *testing.T) {
	r := newJavaRandom(42)
	want := []struct{ bound, v int32 }{{100, 30}, {100, 63}, {7, 6}, {1 << 20, 50268}, {2147483647, 662969970}}
	for i, w := range want {
		if got := r.nextInt(w.bound); got != w.v {
			t.Fatalf("seed 42 draw %d nextInt(%d) = %d, want %d", i, w.bound, got, w.v)
		}
	}
	q := newJavaRandom(-123456789)
	for i, w := range []struct{ bound, v int32 }{{1000, 933}, {16, 12}, {3, 1}} {
		if got := q.nextInt(w.bound); got != w.v {
			t.Fatalf("seed -123456789 draw %d nextInt(%d) = %d, want %d", i, w.bound, got, w.v)
		}
	}
}

func TestDecimalFormatGrouping(t *testing.T) {
	for _, c := range []struct {
		pattern string
		v       int64
		want    string
	}{
		{"#,###", 1234567, "1,234,567"},
		{"0,000", 5, "0,005"},
		{"#,##0", -1234, "-1,234"},
		{"#,###", 0, "0"},
		{"000", 7, "007"},
		{"", 1234, "1234"},
	} {
		if got := newDecimalFormat(c.pattern).format(c.v); got != c.want {
			t.Errorf("%q of %d = %q, want %q", c.pattern, c.v, got, c.want)
		}
	}
}
