package javahash

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// testdata/order.out is what Java 17 printed for testdata/order.jsh
// (`jshell testdata/order.jsh > testdata/order.out`); the cases here are the
// same, in the same order.
var cases = [][3]string{
	{"hash", "3", "99;95;90"}, {"hash", "3", "90;95;99"}, {"hash", "4", "99.9;50;75;25"}, {"hash", "1", "99"},
	{"hash", "2", "a.pct90;a.pct95"}, {"hash", "-1", "500|internal server error;404|not found;assertion failed|x;0|none;200|ok"},
	{"chm", "-1", "all;Home;Login;Search;Checkout"},
	{"chm", "-1", "all;T01;T02;T03;T04;T05;T06;T07;T08;T09;T10;T11;T12;T13;T14;T15;T16;T17;T18;T19;T20;T21;T22;T23;T24;T25;T26;T27;T28;T29;T30"},
	{"chm", "-1", "__cumulated__;HTTP Request;HTTP Request-0;HTTP Request-1;Debug Sampler;JSR223 Sampler;é ü;日本"},
}

func TestOrderMatchesJava(t *testing.T) {
	b, err := os.ReadFile("testdata/order.out")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("%d lines in testdata/order.out, %d cases", len(lines), len(cases))
	}
	for i, c := range cases {
		keys := strings.Split(c[2], ";")
		var got []string
		if c[0] == "chm" {
			m := NewConcurrentMap(String)
			for _, k := range keys {
				m.Put(k)
			}
			m.Put(keys[0]) // present already: no change
			got = m.Keys(nil)
		} else {
			n, _ := strconv.Atoi(c[1])
			m := NewHashMap(n, String)
			for _, k := range keys {
				m.Put(k)
			}
			got = m.Keys(nil)
		}
		if line := c[0] + " " + c[1] + " " + strings.Join(got, ";"); line != lines[i] {
			t.Errorf("case %d:\n got  %s\n java %s", i, line, lines[i])
		}
	}
}

func TestStringHash(t *testing.T) {
	// "Aa" and "BB" collide in Java; "" hashes to 0.
	if String("Aa") != String("BB") || String("") != 0 || String("99") != 1824 {
		t.Fatalf("String hashes: Aa=%d BB=%d 99=%d", String("Aa"), String("BB"), String("99"))
	}
}
