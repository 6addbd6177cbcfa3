package charset

import "testing"

// Request arguments are encoded one by one in the sample's charset, so the
// common names are looked up without allocating.

func BenchmarkEncodeUTF8(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Encode("hello world", "UTF-8")
	}
}
func BenchmarkLookupUTF8lower(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Lookup("utf-8")
	}
}
