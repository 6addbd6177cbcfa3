package jmx

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// FuzzParse checks that no input panics or hangs, that a failure is always a
// *Error with a position, and that every element of a success has one.
func FuzzParse(f *testing.F) {
	for _, s := range []string{allKinds, treePlan, nestedPlan, refPlan, "", "<jmeterTestPlan/>", "<jmeterTestPlan><hashTree><TestPlan testname=\"&#x0;\"/></hashTree></jmeterTestPlan>junk"} {
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
		// The fast path must agree with the strict one whenever the strict one accepts the input.
		if sp, err := parse(data, "fuzz.jmx", true); err == nil {
			if a, b := dump(p), dump(sp); a != b {
				t.Fatalf("fast and strict parses differ:\n%s\n---\n%s", a, b)
			}
		}
	})
}

// dump renders a plan's elements, positions and properties for comparisons.
func dump(p *Plan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "version %q\n", p.Version)
	var props func(ps []*Property, depth int)
	props = func(ps []*Property, depth int) {
		for _, pr := range ps {
			fmt.Fprintf(&b, "%*s%s %q=%q line %d\n", depth, "", pr.Kind, pr.Name, pr.Value, pr.Line)
			if pr.Elem != nil {
				fmt.Fprintf(&b, "%*selem %s %q %d:%d\n", depth, "", pr.Elem.Tag, pr.Elem.Name, pr.Elem.Line, pr.Elem.Col)
				props(pr.Elem.Props, depth+2)
			}
			props(pr.Items, depth+2)
		}
	}
	for _, r := range p.Roots {
		Walk(r, func(e *Element) bool {
			fmt.Fprintf(&b, "%s %s %q %d:%d\n", e.Path(), e.Tag, e.Name, e.Line, e.Col)
			props(e.Props, 2)
			return true
		})
	}
	return b.String()
}
