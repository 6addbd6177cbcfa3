package assertion

import "testing"

func BenchmarkResponseAssertionContains(b *testing.B) {
	a := build(b, "ResponseAssertion", patterns(`Welcome back, \w+`, "orders"), "Assertion.test_field", "Assertion.response_data")
	c := newCtx(1)
	b.ReportAllocs()
	for b.Loop() {
		r := baseSample()
		Apply(a, c, r)
	}
}
