// Package jregex compiles the regular expressions JMeter plans contain.
//
// JMeter 5.6 runs them with Apache ORO (Perl 5 syntax) by default, or with
// java.util.regex. Both are backtracking engines; Go's regexp (RE2) is not.
// Most patterns in real plans ("id":"(.+?)", name="csrf" value="([^"]*)")
// mean the same in RE2 and run faster there, so a pattern goes to Go's
// regexp whenever it can express it with the same meaning. Patterns that use
// what RE2 lacks (back-references, look-around, atomic groups, \Z, \G) or
// whose meaning differs in RE2 (a bare $, which in Perl also matches before a
// final newline) are compiled with github.com/dlclark/regexp2, a backtracking
// engine with Perl/.NET syntax. A pattern neither engine accepts is an error.
//
// Known differences that remain: in patterns that go to regexp2, named
// groups are numbered after the unnamed ones (.NET rule) and \d \w \s match
// Unicode classes; possessive quantifiers (a*+) are rejected.
package jregex

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/dlclark/regexp2"
)

// A pattern on the backtracking engine can take exponential time on some
// inputs ("(a+)+$" against "aaaa…b"). Each match on that engine therefore
// has a time budget; RE2 patterns run in linear time and need none.
const (
	// DefaultMatchTimeout is the budget of one match on the backtracking
	// engine.
	DefaultMatchTimeout = 2 * time.Second
	// PropMatchTimeout is the property (milliseconds) that changes it.
	PropMatchTimeout = "gometer.regex_match_timeout_ms"
)

// TimeoutError is a match abandoned when its budget ran out.
type TimeoutError struct {
	Pattern string
	Budget  time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("regular expression %q gave up after %v (catastrophic backtracking?): simplify it or raise %s", e.Pattern, e.Budget, PropMatchTimeout)
}

// Regex is a compiled pattern, safe for concurrent use.
type Regex struct {
	src    string
	re     *regexp.Regexp // RE2 path
	whole  *regexp.Regexp // \A(?:src)\z for Matches on the RE2 path
	bt     *regexp2.Regexp
	btAll  *regexp2.Regexp
	groups int // capturing groups, not counting group 0
}

// Compile translates and compiles a JMeter (Perl 5 / Java) pattern.
func Compile(pattern string) (*Regex, error) {
	r := &Regex{src: pattern}
	if !needsBacktracking(pattern) {
		re, err := regexp.Compile(pattern)
		if err == nil {
			r.re = re
			r.whole = regexp.MustCompile(`\A(?:` + pattern + `)\z`)
			r.groups = re.NumSubexp()
			return r, nil
		}
	}
	bt, err := regexp2.Compile(pattern, regexp2.None)
	if err != nil {
		// Perl reads an escaped letter with no meaning (\y, \h in Perl 5)
		// as the letter itself; both engines refuse it.
		if lit := literalEscapes(pattern); lit != pattern {
			if r2, err2 := Compile(lit); err2 == nil {
				r2.src = pattern
				return r2, nil
			}
		}
		return nil, fmt.Errorf("bad regular expression %q: %v", pattern, err)
	}
	all, err := regexp2.Compile(`\A(?:`+pattern+`)\z`, regexp2.None)
	if err != nil {
		return nil, fmt.Errorf("bad regular expression %q: %v", pattern, err)
	}
	r.bt, r.btAll = bt, all
	r.groups = len(bt.GetGroupNumbers()) - 1
	r.SetMatchTimeout(DefaultMatchTimeout)
	return r, nil
}

// SetMatchTimeout changes the budget of each match (d <= 0: none). Call it
// before the pattern is used.
func (r *Regex) SetMatchTimeout(d time.Duration) {
	if r.bt == nil {
		return
	}
	if d <= 0 {
		d = regexp2.DefaultMatchTimeout
	}
	r.bt.MatchTimeout, r.btAll.MatchTimeout = d, d
}

func (r *Regex) timeoutErr(err error) error {
	if err == nil {
		return nil
	}
	return &TimeoutError{Pattern: r.src, Budget: r.bt.MatchTimeout}
}

// String is the pattern as written.
func (r *Regex) String() string { return r.src }

// Groups is the number of capturing groups (group 0 not counted).
func (r *Regex) Groups() int { return r.groups }

// Backtracking reports whether the pattern runs on the backtracking engine.
func (r *Regex) Backtracking() bool { return r.bt != nil }

// Find reports whether the pattern occurs in s (ORO contains, Java find);
// a match out of budget counts as none (FindErr tells it apart).
func (r *Regex) Find(s string) bool {
	ok, _ := r.FindErr(s)
	return ok
}

// Matches reports whether the whole of s matches (ORO/Java matches); a
// match out of budget counts as none (MatchesErr tells it apart).
func (r *Regex) Matches(s string) bool {
	ok, _ := r.MatchesErr(s)
	return ok
}

// FindAll returns up to max successive non-overlapping matches in s (all of
// them when max <= 0), as ORO's repeated contains() walks the input; those
// found before a match ran out of budget (FindAllErr tells it apart).
func (r *Regex) FindAll(s string, max int) []Match {
	ms, _ := r.FindAllErr(s, max)
	return ms
}

// FindErr is Find; the error is a *TimeoutError when the match ran out of
// budget.
func (r *Regex) FindErr(s string) (bool, error) {
	if r.re != nil {
		return r.re.MatchString(s), nil
	}
	ok, err := r.bt.MatchString(s)
	return ok && err == nil, r.timeoutErr(err)
}

// MatchesErr is Matches with the budget error.
func (r *Regex) MatchesErr(s string) (bool, error) {
	if r.whole != nil {
		return r.whole.MatchString(s), nil
	}
	ok, err := r.btAll.MatchString(s)
	return ok && err == nil, r.timeoutErr(err)
}

// Match is one match: group i is Group(i); a group that did not take part
// in the match reports ok=false (Java returns null for it).
type Match struct {
	s   string
	idx []int // RE2: submatch index pairs
	m   *regexp2.Match
}

// NumGroups is the number of capturing groups, not counting group 0.
func (m *Match) NumGroups() int {
	if m.m != nil {
		return m.m.GroupCount() - 1
	}
	return len(m.idx)/2 - 1
}

// Group returns the text of group i and whether it took part in the match.
func (m *Match) Group(i int) (string, bool) {
	if m.m != nil {
		g := m.m.GroupByNumber(i)
		if g == nil || len(g.Captures) == 0 {
			return "", false
		}
		return g.String(), true
	}
	if 2*i+1 >= len(m.idx) || m.idx[2*i] < 0 {
		return "", false
	}
	return m.s[m.idx[2*i]:m.idx[2*i+1]], true
}

// FindAllErr is FindAll; the error is a *TimeoutError when a match ran out
// of budget, and the matches found before it are returned.
func (r *Regex) FindAllErr(s string, max int) ([]Match, error) {
	var out []Match
	if r.re != nil {
		n := max
		if n <= 0 {
			n = -1
		}
		for _, idx := range r.re.FindAllStringSubmatchIndex(s, n) {
			out = append(out, Match{s: s, idx: idx})
		}
		return out, nil
	}
	m, err := r.bt.FindStringMatch(s)
	for m != nil && err == nil {
		out = append(out, Match{m: m})
		if max > 0 && len(out) == max {
			break
		}
		m, err = r.bt.FindNextMatch(m)
	}
	return out, r.timeoutErr(err)
}

// Dangerous says why the pattern may backtrack catastrophically ("" when
// no known shape is found): a repeated group whose content repeats too,
// as in (a+)+ or (\w*,)*. Only the backtracking engine is at risk.
func (r *Regex) Dangerous() string {
	if r.bt == nil {
		return ""
	}
	return nestedRepeat(r.src)
}

// nestedRepeat finds a group with an unbounded quantifier inside that is
// itself quantified without bound, and returns it.
func nestedRepeat(p string) string {
	type open struct {
		at       int
		repeated bool // an unbounded quantifier inside
	}
	var stack []open
	unbounded := func(i int) bool { // is p[i:] an unbounded quantifier?
		if i >= len(p) {
			return false
		}
		switch p[i] {
		case '*', '+':
			return true
		case '{':
			end := strings.IndexByte(p[i:], '}')
			return end > 0 && strings.HasSuffix(p[i:i+end], ",")
		}
		return false
	}
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\':
			i++
			if i < len(p) && unbounded(i+1) && len(stack) > 0 {
				stack[len(stack)-1].repeated = true
			}
		case c == '[':
			j := i + 1
			if j < len(p) && p[j] == '^' {
				j++
			}
			if j < len(p) && p[j] == ']' {
				j++
			}
			for j < len(p) && p[j] != ']' {
				if p[j] == '\\' {
					j++
				}
				j++
			}
			i = j
			if unbounded(i+1) && len(stack) > 0 {
				stack[len(stack)-1].repeated = true
			}
		case c == '(':
			stack = append(stack, open{at: i})
		case c == ')':
			if len(stack) == 0 {
				continue
			}
			g := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if unbounded(i + 1) {
				if g.repeated {
					end := i + 2
					if p[i+1] == '{' {
						end = i + 1 + strings.IndexByte(p[i+1:], '}') + 1
					}
					return p[g.at:end]
				}
				if len(stack) > 0 {
					stack[len(stack)-1].repeated = true
				}
			} else if g.repeated && len(stack) > 0 {
				stack[len(stack)-1].repeated = true
			}
		case c == '*' || c == '+' || c == '{' && unbounded(i):
			if len(stack) > 0 {
				stack[len(stack)-1].repeated = true
			}
		}
	}
	return ""
}

// needsBacktracking scans the pattern for constructs RE2 lacks or reads
// differently. It tracks escapes and character classes so that e.g. "[$]"
// or "\$" do not count.
func needsBacktracking(p string) bool {
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\':
			if i+1 >= len(p) {
				return false
			}
			n := p[i+1]
			i++
			if inClass {
				continue
			}
			switch {
			case n >= '1' && n <= '9': // back-reference
				return true
			case n == 'Z' || n == 'G' || n == 'k':
				return true
			case n == 'Q': // quoted span: skip to \E
				end := strings.Index(p[i+1:], `\E`)
				if end < 0 {
					return false
				}
				i += end + 2
			}
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
			// a ']' right after '[' or '[^' is a literal
			if i+1 < len(p) && p[i+1] == '^' {
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				i++
			}
		case c == '$':
			return true
		case c == '(' && i+2 < len(p) && p[i+1] == '?':
			switch p[i+2] {
			case '=', '!', '>':
				return true
			case '<':
				if i+3 < len(p) && (p[i+3] == '=' || p[i+3] == '!') {
					return true
				}
			}
		}
	}
	return false
}

// Cache compiles patterns that are only known at run time (they contain
// ${} references) and keeps the most recent ones. Safe for concurrent use.
type Cache struct {
	// MatchTimeout, when set, replaces DefaultMatchTimeout for the patterns
	// compiled here; set it before use.
	MatchTimeout time.Duration
	mu           sync.Mutex
	m            map[cacheKey]cacheEntry
}

type cacheKey struct {
	pattern string
	timeout time.Duration
}

type cacheEntry struct {
	re  *Regex
	err error
}

const cacheMax = 256

// Get returns the compiled pattern, compiling it on first use.
func (c *Cache) Get(pattern string) (*Regex, error) {
	return c.GetWith(pattern, c.MatchTimeout)
}

// GetWith is Get for a pattern whose matches have the budget d (0: the
// default; < 0: none); the same pattern with another budget is another
// entry.
func (c *Cache) GetWith(pattern string, d time.Duration) (*Regex, error) {
	k := cacheKey{pattern, d}
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return e.re, e.err
	}
	re, err := Compile(pattern)
	if err == nil && d != 0 {
		re.SetMatchTimeout(d)
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= cacheMax {
		c.m = make(map[cacheKey]cacheEntry)
	}
	c.m[k] = cacheEntry{re, err}
	c.mu.Unlock()
	return re, err
}

// literalEscapes replaces escapes of letters that have no meaning in Perl 5
// by the letter.
func literalEscapes(p string) string {
	const known = "dDwWsSbBAzZGnrtfveaxucpPkQEN"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '\\' && i+1 < len(p) {
			n := p[i+1]
			if (n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z') && !strings.ContainsRune(known, rune(n)) {
				b.WriteByte(n)
			} else {
				b.WriteByte(c)
				b.WriteByte(n)
			}
			i++
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// FindAllIndex returns up to n successive non-overlapping matches in s (all
// of them when n < 0) as byte offsets: pairs of start and end for group 0
// and each capturing group, -1 for a group that did not take part. Those
// found before a match ran out of budget are returned (FindAllIndexErr
// tells it apart).
func (r *Regex) FindAllIndex(s string, n int) [][]int {
	out, _ := r.FindAllIndexErr(s, n)
	return out
}

// FindAllIndexErr is FindAllIndex; the error is a *TimeoutError when a
// match ran out of budget.
func (r *Regex) FindAllIndexErr(s string, n int) ([][]int, error) {
	if r.re != nil || n == 0 {
		if n == 0 {
			return nil, nil
		}
		return r.re.FindAllStringSubmatchIndex(s, n), nil
	}
	var out [][]int
	var byteAt []int // rune index → byte offset, built on first use
	conv := func(ri int) int {
		if byteAt == nil {
			byteAt = make([]int, 0, len(s)+1)
			for i := range s {
				byteAt = append(byteAt, i)
			}
			byteAt = append(byteAt, len(s))
		}
		return byteAt[ri]
	}
	m, err := r.bt.FindStringMatch(s)
	for m != nil && err == nil {
		groups := m.Groups()
		idx := make([]int, 2*len(groups))
		for i := range groups {
			g := &groups[i]
			if len(g.Captures) == 0 {
				idx[2*i], idx[2*i+1] = -1, -1
				continue
			}
			idx[2*i], idx[2*i+1] = conv(g.Index), conv(g.Index+g.Length)
		}
		out = append(out, idx)
		if n >= 0 && len(out) >= n {
			break
		}
		m, err = r.bt.FindNextMatch(m)
	}
	return out, r.timeoutErr(err)
}
