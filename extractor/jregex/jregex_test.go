package jregex

import (
	"errors"
	"strings"
	"testing"
	"time"
)

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

// A pattern that backtracks catastrophically gives up after its budget
// with a TimeoutError instead of running for minutes; the plain methods
// count it as no match.
func TestMatchBudget(t *testing.T) {
	re, err := Compile(`^(a+)+$`)
	if err != nil || !re.Backtracking() {
		t.Fatalf("compile: %v (backtracking %v)", err, re != nil && re.Backtracking())
	}
	re.SetMatchTimeout(100 * time.Millisecond)
	in := strings.Repeat("a", 40) + "b"
	for name, f := range map[string]func() error{
		"Find":    func() error { _, err := re.FindErr(in); return err },
		"Matches": func() error { _, err := re.MatchesErr(in); return err },
		"FindAll": func() error { _, err := re.FindAllErr(in, 0); return err },
	} {
		start := time.Now()
		err := f()
		var te *TimeoutError
		if !errors.As(err, &te) || te.Budget != 100*time.Millisecond || !strings.Contains(err.Error(), PropMatchTimeout) {
			t.Errorf("%s: %v", name, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s took %v with a 100 ms budget", name, d)
		}
	}
	if re.Find(in) || re.Matches(in) || len(re.FindAll(in, 0)) != 0 {
		t.Errorf("a match out of budget counted as a match")
	}
	// a budget does not change ordinary matches
	if ms, err := re.FindAllErr("aaa", 0); err != nil || len(ms) != 1 {
		t.Errorf("aaa: %v %v", ms, err)
	}
	c := &Cache{MatchTimeout: 50 * time.Millisecond}
	cre, err := c.Get(`^(a|aa)+$`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cre.MatchesErr(in); err == nil {
		t.Errorf("cached pattern: no budget")
	}
}

func TestDangerousPatterns(t *testing.T) {
	for p, want := range map[string]string{
		`^(a+)+$`:                "(a+)+",
		`(\w*,)*x$`:              `(\w*,)*`,
		`^((ab)*c?)+$`:           "((ab)*c?)+",
		`(x)(?:[a-z]+\d*){2,}\1`: `(?:[a-z]+\d*){2,}`,
		`^(a+)$`:                 "",
		`(a|b)+$`:                "",
		`"id":"(.+?)"`:           "", // RE2: linear time whatever the shape
		`(a+)+`:                  "", // RE2 too
		`(?<=x)(a{1,3})+\1`:      "",
		`^([^"]+[,;])+(?=end)`:   `([^"]+[,;])+`,
	} {
		re, err := Compile(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if got := re.Dangerous(); got != want {
			t.Errorf("Dangerous(%s) = %q, want %q", p, got, want)
		}
	}
}

// FuzzDangerous: the load-time check never panics and names a part of the
// pattern.
func FuzzDangerous(f *testing.F) {
	for _, p := range []string{`^(a+)+$`, `(\w*,)*x$`, `[(]+)+$`, `(?:a{2,})*$`, `\(a+\)+$`, `((((`, `)+*$`, `a{2,`, `[^]]+$`} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if part := nestedRepeat(p); part != "" && !strings.Contains(p, part) {
			t.Fatalf("%q: %q is not part of it", p, part)
		}
		if re, err := Compile(p); err == nil {
			_ = re.Dangerous()
		}
	})
}
