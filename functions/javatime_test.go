package functions

import "testing"

func TestNumberRendering(t *testing.T) {
	for f, want := range map[float64]string{
		3: "3.0", 1.5: "1.5", 0.001: "0.001", 0.0001: "1.0E-4", 1e7: "1.0E7", 12345678.9: "1.23456789E7", -2.5: "-2.5",
	} {
		if got := javaString(f); got != want {
			t.Errorf("javaString(%v) = %q, want %q", f, got, want)
		}
	}
	for f, want := range map[float64]string{
		3: "3", 1.5: "1.5", 1e21: "1e+21", 1e-7: "1e-7", 123456789012: "123456789012", -0.5: "-0.5",
	} {
		if got := jsNumber(f); got != want {
			t.Errorf("jsNumber(%v) = %q, want %q", f, got, want)
		}
	}
}
