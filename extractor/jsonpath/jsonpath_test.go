package jsonpath

import (
	"testing"
)

func TestDecimalFormat(t *testing.T) {
	for f, want := range map[float64]string{1.5: "1.5", 5: "5.0", 1e7: "10000000.0", 1e-4: "0.0001"} {
		if got := decimalFormat(f); got != want {
			t.Errorf("decimalFormat(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestParseAndStringify(t *testing.T) {
	doc, err := Parse(`{"b":1,"a":{"y":[1,2.0,"s/t",null,true],"x":"\u20ac\n"},'q':'single',"n":-0,"big":123456789012345678901,"b":2,}`)
	if err != nil {
		t.Fatal(err)
	}
	o := doc.(*Object)
	if v, _ := o.ValueForKey("b"); v != int64(2) || o.Keys()[0] != "b" {
		t.Errorf("a repeated key keeps its first place and takes the last value: %v %v", o.Keys(), v)
	}
	a, _ := o.ValueForKey("a")
	s, _ := ExtractorString(a)
	// a top-level object: HashMap order; nested values: document order, web escaping
	if want := `{"x":"\u20AC\n","y":[1,2.0,"s\/t",null,true]}`; s != want {
		t.Errorf("object: %s, want %s", s, want)
	}
	if v, _ := o.ValueForKey("n"); v != int64(0) {
		t.Errorf("-0 is integer 0: %#v", v)
	}
	if v, _ := o.ValueForKey("big"); v != BigInt("123456789012345678901") {
		t.Errorf("big: %#v", v)
	}
	if _, ok := ExtractorString(nil); ok {
		t.Error("null must report ok=false")
	}
	if AssertionString(nil) != "null" || AssertionString(2.0) != "2.0" || AssertionString(int64(3)) != "3" {
		t.Error("AssertionString")
	}
	for _, bad := range []string{`{"a":1`, `[1,2`, `{"a" 1}`, `{"a":tru}`, ``, `"abc`} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q): want an error", bad)
		}
	}
}

func TestHashMapOrder(t *testing.T) {
	// the order java.util.HashMap iterates these keys after new HashMap(map)
	keys := []string{"id", "name", "roles", "manager"}
	var got []string
	for _, i := range hashMapOrder(keys) {
		got = append(got, keys[i])
	}
	want := []string{"name", "id", "manager", "roles"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	if javaHash("hello") != 99162322 || javaHash("") != 0 {
		t.Errorf("javaHash: %d", javaHash("hello"))
	}
}

func TestPaths(t *testing.T) {
	doc, _ := Parse(`{"a":[{"id":1,"k":{"id":2}},{"id":3}],"id":0,"s":"x"}`)
	cases := []struct {
		expr string
		want []string
		def  bool
	}{
		{"$..id", []string{"0", "1", "2", "3"}, false},
		{"$.a[*].id", []string{"1", "3"}, false},
		{"$.a.[1].id", []string{"3"}, true},
		{"a[0].k.id", []string{"2"}, true},
		{"$.a[?(@.id == 3)].id", []string{"3"}, false},
		{"$.a.length()", []string{"2"}, true},
		{"$..id.max()", []string{"3.0"}, false},
		{"$.nope", nil, true},
		{"$.a[0].k[?(@.id == 2)].id", []string{"2"}, false},           // a filter on an object tests the object
		{"$..[?(@.id >= 0)].id", []string{"0", "1", "2", "3"}, false}, // the scan tests the root object too
		{`$.a[0]['id','nope','k']`, []string{`{"id":1,"k":{"id":2}}`}, false},
		{`$..['id','s']`, []string{`{"id":0,"s":"x"}`, `{"id":1}`, `{"id":2}`, `{"id":3}`}, false},
		{"$.a[-1:]", []string{`{"id":3}`}, false},
		{"$..[?(@.s =~ /X/i)].id", []string{"0"}, false},
		{"$.a[?(@.id nin [1, 2])].id", []string{"3"}, false},
		{"$[?(@.a size 2)].id", []string{"0"}, false},
	}
	for _, tc := range cases {
		p, err := Compile(tc.expr)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		var got []string
		for _, v := range p.Find(doc) {
			s, _ := ExtractorString(v)
			got = append(got, s)
		}
		if len(got) != len(tc.want) || p.Definite() != tc.def {
			t.Errorf("%s: %v definite=%v, want %v definite=%v", tc.expr, got, p.Definite(), tc.want, tc.def)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: %v, want %v", tc.expr, got, tc.want)
			}
		}
	}
	if _, err := Compile("$.a[?(@.x =="); err == nil {
		t.Error("bad path: want an error")
	}
	if !Equal(ParseExpected(`{"b":2,"a":1}`), mustParse(`{"a":1,"b":2}`)) || Equal(ParseExpected("1"), 1.0) || !Equal(ParseExpected("abc"), "abc") {
		t.Error("Equal")
	}
}

func mustParse(s string) any {
	v, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

// A path without "$" gets "$." in front, as Jayway's compiler does: a
// leading "." therefore makes a deep scan.
func TestPathWithoutRoot(t *testing.T) {
	doc, err := Parse(`{"id":1,"a":{"id":2,"b":[{"id":3}]},"list":[7,8]}`)
	if err != nil {
		t.Fatal(err)
	}
	for expr, want := range map[string]string{
		".id":       "[1,2,3]",
		"a.id":      "[2]",
		"a.b[0].id": "[3]",
		"$.id":      "[1]",
		"list[1]":   "[8]",
	} {
		p, err := Compile(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if got := AssertionString(p.Find(doc)); got != want {
			t.Errorf("%s found %s, want %s", expr, got, want)
		}
	}
	if p, _ := Compile(".id"); p.Definite() {
		t.Error(".id is a deep scan: indefinite")
	}
	for _, bad := range []string{"a.", "$..", "."} {
		if _, err := Compile(bad); err == nil {
			t.Errorf("%q: want an error (a path must not end with '.')", bad)
		}
	}
}
