package jmx

import (
	"errors"
	"testing"
)

// FuzzParse checks that no input panics or hangs, that a failure is always a
// *Error with a position, and that every element of a success has one.
func FuzzParse(f *testing.F) {
	for _, s := range []string{allKinds, treePlan, nestedPlan, "", "<jmeterTestPlan/>", "<jmeterTestPlan><hashTree><TestPlan testname=\"&#x0;\"/></hashTree></jmeterTestPlan>junk"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz.jmx")
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Col < 1 || pe.Error() == "" {
				t.Fatalf("bad error %T %v", err, err)
			}
			return
		}
		for _, r := range p.Roots {
			Walk(r, func(e *Element) bool {
				if e.Line < 1 || e.Col < 1 {
					t.Fatalf("element %q without a position", e.Tag)
				}
				_ = e.Path()
				return true
			})
		}
	})
}
