// Package javafmt prints numbers the way the Java runtime behind JMeter
// does, so that values gometer writes into variables, JTL files and
// statistics.json read the same as JMeter's. It covers Double.toString and
// Float.toString only; locale-dependent formats (DecimalFormat,
// String.format) stay with the code that needs them.
package javafmt

import (
	"math"
	"strconv"
	"strings"
)

// Double formats f as Java's Double.toString: the shortest digits that read
// back as f, in plain notation with at least one fraction digit when
// 1e-3 <= |f| < 1e7 ("5.0", "0.001"), otherwise as "d.dddE±n" ("1.0E7",
// "1.0E-4"); NaN, Infinity and -Infinity as words.
func Double(f float64) string { return format(f, 64) }

// Float is Double for a Java float (Float.toString): the shortest digits
// that read back as the same float32.
func Float(f float32) string { return format(float64(f), 32) }

func format(f float64, bitSize int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bitSize)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, bitSize) // 1.5E+07
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}
