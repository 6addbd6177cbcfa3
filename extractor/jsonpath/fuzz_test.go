package jsonpath

import "testing"

// FuzzParseFind: any input either fails to parse or evaluates and prints
// without panicking.
func FuzzParseFind(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":null}],"c":"\u00e9"}`, `[1,2,3]`, `'x'`, `{"a":1e400}`, `-`, `{"a":"\ud800"}`} {
		f.Add(s)
	}
	paths := []*Path{}
	for _, e := range []string{"$..a", "$.a[*].b", "$..[?(@.b == null)]", "$.a.length()", `$['a','c']`, "$.a[-1:]"} {
		p, err := Compile(e)
		if err != nil {
			f.Fatal(err)
		}
		paths = append(paths, p)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := Parse(s)
		if err != nil {
			return
		}
		for _, p := range paths {
			for _, v := range p.Find(doc) {
				ExtractorString(v)
				AssertionString(v)
			}
			p.Read(doc)
		}
	})
}
