package jregex

import "testing"

func TestEngineChoice(t *testing.T) {
	cases := []struct {
		pattern string
		bt      bool
	}{
		{`"id":"(.+?)"`, false},
		{`name="csrf" value="([^"]*)"`, false},
		{`[$]\d+`, false},        // $ inside a class
		{`price \$(\d+)`, false}, // escaped $
		{`\Q$x\E(\d)`, false},    // $ quoted
		{`^OK$`, true},           // Perl $: also before a final newline
		{`<(\w+)>.*</\1>`, true},
		{`foo(?=bar)`, true},
		{`(?<!x)y`, true},
		{`(?>a+)b`, true},
		{`abc\Z`, true},
		{`(?<name>\d+)`, false}, // named group is fine in RE2
	}
	for _, tc := range cases {
		re, err := Compile(tc.pattern)
		if err != nil {
			t.Errorf("%s: %v", tc.pattern, err)
			continue
		}
		if re.Backtracking() != tc.bt {
			t.Errorf("%s: backtracking=%v, want %v", tc.pattern, re.Backtracking(), tc.bt)
		}
	}
	for _, bad := range []string{`(abc`, `a{2,1}`, `x*+`} {
		if _, err := Compile(bad); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
}

func TestPerlSemantics(t *testing.T) {
	dollar, _ := Compile(`^OK$`)
	if !dollar.Find("OK\n") || !dollar.Find("OK") || dollar.Matches("OK\n") || !dollar.Matches("OK") {
		t.Error("$ should match before a final newline, and matches() must span the whole input")
	}
	m, _ := Compile(`\d+`)
	if !m.Find("abc 123") || m.Matches("abc 123") || !m.Matches("123") {
		t.Error("contains vs matches")
	}
	for _, p := range []string{`(a)(b)?(c)`, `(a)(?=c)(b)?(c)`} {
		re, _ := Compile(p)
		ms := re.FindAll("ac ac", 0)
		if len(ms) != 2 {
			t.Fatalf("%s: %d matches", p, len(ms))
		}
		if g, ok := ms[0].Group(1); !ok || g != "a" {
			t.Errorf("%s: group 1 = %q %v", p, g, ok)
		}
		if _, ok := ms[0].Group(2); ok {
			t.Errorf("%s: group 2 took no part and must say so", p)
		}
		if ms[0].NumGroups() != 3 || re.Groups() != 3 {
			t.Errorf("%s: groups %d/%d", p, ms[0].NumGroups(), re.Groups())
		}
	}
	first, _ := Compile(`x(\d)`)
	if got := first.FindAll("x1 x2 x3", 2); len(got) != 2 {
		t.Errorf("limit: %d", len(got))
	}
	lit, err := Compile(`a\yb\h`)
	if err != nil || !lit.Find("xaybh") || lit.String() != `a\yb\h` {
		t.Errorf("meaningless escapes read as letters: %v", err)
	}
	var c Cache
	a, err1 := c.Get(`a(b)`)
	b, err2 := c.Get(`a(b)`)
	if err1 != nil || err2 != nil || a != b {
		t.Error("cache should return the compiled pattern")
	}
	if _, err := c.Get(`(`); err == nil {
		t.Error("cache should report bad patterns")
	}
}
