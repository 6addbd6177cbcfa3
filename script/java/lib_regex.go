package java

import (
	"strconv"
	"strings"

	"github.com/gometer/gometer/extractor/jregex"
)

// regex compiles a Java pattern through the shared JMeter regex engine
// choice (RE2 when equivalent, else a backtracking engine), memoised per
// program.
func (r *runner) regex(p string) (*jregex.Regex, error) {
	var re *jregex.Regex
	var err error
	if r.reTimeout == 0 || r.reTimeout == jregex.DefaultMatchTimeout {
		re, err = r.prog.re.Get(p)
	} else {
		re, err = r.prog.reMore.GetWith(p, r.reTimeout)
	}
	if err != nil {
		return nil, newExc("java.util.regex.PatternSyntaxException", err.Error())
	}
	return re, nil
}

// regexErr turns a match that ran out of its budget (see
// jregex.PropMatchTimeout) into an exception the script sees: Java would
// keep backtracking for minutes, gometer stops the match and says why.
func regexErr(err error) error {
	if err == nil {
		return nil
	}
	return newExc("java.lang.RuntimeException", err.Error())
}

// findAll is re.FindAllIndex with the budget as an exception.
func findAll(re *jregex.Regex, s string, n int) ([][]int, error) {
	idx, err := re.FindAllIndexErr(s, n)
	return idx, regexErr(err)
}

// matches is re.Matches with the budget as an exception.
func matches(re *jregex.Regex, s string) (bool, error) {
	ok, err := re.MatchesErr(s)
	return ok, regexErr(err)
}

// pattern is a java.util.regex.Pattern.
type pattern struct {
	re    *jregex.Regex
	src   string
	flags int32
}

func (p *pattern) javaClass() string { return "java.util.regex.Pattern" }
func (p *pattern) String() string    { return p.src }

func (r *runner) compilePattern(src string, flags int32) (*pattern, error) {
	full := src
	var f string
	if flags&2 != 0 {
		f += "i"
	}
	if flags&8 != 0 {
		f += "m"
	}
	if flags&32 != 0 {
		f += "s"
	}
	if f != "" {
		full = "(?" + f + ")" + src
	}
	re, err := r.regex(full)
	if err != nil {
		return nil, err
	}
	return &pattern{re: re, src: src, flags: flags}, nil
}

func (p *pattern) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "matcher":
		if len(args) == 1 {
			m, err := newMatcher(p.re, r.toStr(args[0]))
			return m, true, err
		}
	case "pattern", "toString":
		return p.src, true, nil
	case "split":
		if len(args) >= 1 {
			parts, err := r.split(r.toStr(args[0]), p.re.String(), 0)
			if err != nil {
				return nil, true, err
			}
			l := &List{Array: true, Elem: tkString}
			for _, s := range parts {
				l.S = append(l.S, s)
			}
			return l, true, nil
		}
	case "flags":
		return p.flags, true, nil
	case "isCase":
		ok, err := matches(p.re, r.toStr(args[0]))
		return ok, true, err
	}
	return nil, false, nil
}

// matcher is a java.util.regex.Matcher (also Groovy's =~ result). Its
// matches are found when it is made (or reset), so a match out of budget
// is an exception there rather than a silent "no match" later.
type matcher struct {
	re      *jregex.Regex
	s       string
	matches [][]int
	cur     int // index of the current match, -1 before find()
	pos     int // next find() position in matches
}

func newMatcher(re *jregex.Regex, s string) (*matcher, error) {
	all, err := findAll(re, s, -1)
	if err != nil {
		return nil, err
	}
	return &matcher{re: re, s: s, cur: -1, matches: all}, nil
}

func (m *matcher) javaClass() string { return "java.util.regex.Matcher" }

func (m *matcher) all() [][]int { return m.matches }

// find is Matcher.find(): advance to the next match.
func (m *matcher) find() bool {
	all := m.all()
	if m.pos < len(all) {
		m.cur = m.pos
		m.pos++
		return true
	}
	m.cur = -1
	return false
}

func (m *matcher) group(i int) (any, error) {
	if m.cur < 0 {
		return nil, newExc("java.lang.IllegalStateException", "No match found")
	}
	idx := m.matches[m.cur]
	if i < 0 || 2*i+1 >= len(idx) {
		return nil, newExc("java.lang.IndexOutOfBoundsException", "No group "+strconv.Itoa(i))
	}
	if idx[2*i] < 0 {
		return nil, nil
	}
	return m.s[idx[2*i]:idx[2*i+1]], nil
}

// groupsOf is a Groovy match: the whole match when there are no groups,
// else [match, g1, g2...].
func (m *matcher) groupsOf(r *runner, idx []int) (any, error) {
	if len(idx) == 2 {
		return m.s[idx[0]:idx[1]], nil
	}
	l := &List{}
	for i := 0; 2*i+1 < len(idx); i++ {
		if idx[2*i] < 0 {
			l.S = append(l.S, nil)
			continue
		}
		l.S = append(l.S, m.s[idx[2*i]:idx[2*i+1]])
	}
	return l, nil
}

func (m *matcher) groupList(r *runner, n int) (any, error) {
	all := m.all()
	if n < 0 {
		n += len(all)
	}
	if n < 0 || n >= len(all) {
		return nil, newExc("java.lang.IndexOutOfBoundsException", "index is out of range 0.."+strconv.Itoa(len(all)-1)+" (index = "+strconv.Itoa(n)+")")
	}
	return m.groupsOf(r, all[n])
}

func (m *matcher) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "find":
		if len(args) == 1 {
			start, _ := toInt(args[0])
			all := m.all()
			m.pos = len(all)
			for i, idx := range all {
				if idx[0] >= start {
					m.pos = i
					break
				}
			}
		}
		return m.find(), true, nil
	case "matches":
		ok, err := matches(m.re, m.s)
		if ok {
			m.cur = -1
			for i, idx := range m.matches {
				if idx[0] == 0 && idx[1] == len(m.s) {
					m.cur, m.pos = i, i+1
				}
			}
		}
		return ok, true, err
	case "lookingAt":
		all := m.all()
		if len(all) > 0 && all[0][0] == 0 {
			m.cur, m.pos = 0, 1
			return true, true, nil
		}
		return false, true, nil
	case "group":
		i := 0
		if len(args) == 1 {
			if _, isName := args[0].(string); isName {
				return nil, true, newExc("java.lang.UnsupportedOperationException", "named groups are not supported")
			}
			i, _ = toInt(args[0])
		}
		v, err := m.group(i)
		return v, true, err
	case "groupCount":
		return int32(m.re.Groups()), true, nil
	case "start", "end":
		if m.cur < 0 {
			return nil, true, newExc("java.lang.IllegalStateException", "No match available")
		}
		i := 0
		if len(args) == 1 {
			i, _ = toInt(args[0])
		}
		idx := m.matches[m.cur]
		k := 2 * i
		if name == "end" {
			k++
		}
		if k >= len(idx) {
			return nil, true, newExc("java.lang.IndexOutOfBoundsException", "No group "+strconv.Itoa(i))
		}
		return int32(newJstr(m.s).index(idx[k])), true, nil
	case "reset":
		m.cur, m.pos = -1, 0
		if len(args) == 1 {
			s := r.toStr(args[0])
			all, err := findAll(m.re, s, -1)
			if err != nil {
				return nil, true, err
			}
			m.s, m.matches = s, all
		}
		return m, true, nil
	case "replaceAll", "replaceFirst":
		v, err := replaceRegex(m.re, m.s, r.toStr(args[0]), name == "replaceFirst")
		return v, true, err
	case "hitEnd":
		return m.pos >= len(m.all()), true, nil
	case "getCount", "size":
		return int32(len(m.all())), true, nil
	case "getAt":
		n, _ := toInt(args[0])
		v, err := m.groupList(r, n)
		return v, true, err
	case "asBoolean":
		return m.find(), true, nil
	case "each":
		err := r.iterate(m, func(v any) (bool, error) {
			_, err := r.call(args[0], v)
			return true, err
		})
		return nil, true, err
	case "collect", "findAll", "toList":
		l, err := r.toList(m)
		if err != nil {
			return nil, true, err
		}
		if name == "toList" {
			return l, true, nil
		}
		return r.listMethod(l, name, args)
	}
	return nil, false, nil
}

// replaceRegex is String.replaceAll with Java's replacement syntax ($1,
// ${name} is not supported, \$ for a literal dollar).
func replaceRegex(re *jregex.Regex, s, repl string, first bool) (string, error) {
	n := -1
	if first {
		n = 1
	}
	all, err := findAll(re, s, n)
	if err != nil || len(all) == 0 {
		return s, err
	}
	var b strings.Builder
	last := 0
	for _, idx := range all {
		b.WriteString(s[last:idx[0]])
		if err := expandRepl(&b, repl, s, idx); err != nil {
			return "", err
		}
		last = idx[1]
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

func expandRepl(b *strings.Builder, repl, s string, idx []int) error {
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		switch c {
		case '\\':
			i++
			if i >= len(repl) {
				return newExc("java.lang.IllegalArgumentException", "character to be escaped is missing")
			}
			b.WriteByte(repl[i])
		case '$':
			i++
			if i >= len(repl) {
				return newExc("java.lang.IllegalArgumentException", "Illegal group reference: group index is missing")
			}
			if repl[i] < '0' || repl[i] > '9' {
				return newExc("java.lang.IllegalArgumentException", "Illegal group reference")
			}
			g := int(repl[i] - '0')
			// Java takes more digits while the group number stays valid
			for i+1 < len(repl) && repl[i+1] >= '0' && repl[i+1] <= '9' && 2*(g*10+int(repl[i+1]-'0'))+1 < len(idx) {
				i++
				g = g*10 + int(repl[i]-'0')
			}
			if 2*g+1 >= len(idx) {
				return newExc("java.lang.IndexOutOfBoundsException", "No group "+strconv.Itoa(g))
			}
			if idx[2*g] >= 0 {
				b.WriteString(s[idx[2*g]:idx[2*g+1]])
			}
		default:
			b.WriteByte(c)
		}
	}
	return nil
}

func (r *runner) replaceClosure(re *jregex.Regex, s string, c *Closure, first bool) (string, error) {
	n := -1
	if first {
		n = 1
	}
	m := &matcher{re: re, s: s}
	all, err := findAll(re, s, n)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	last := 0
	for _, idx := range all {
		b.WriteString(s[last:idx[0]])
		g, _ := m.groupsOf(r, idx)
		v, err := r.callClosure(c, []any{g})
		if err != nil {
			return "", err
		}
		b.WriteString(r.display(v))
		last = idx[1]
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

func init() {
	register(&class{name: "java.util.regex.Pattern", is: isAny[*pattern],
		fields: map[string]any{"CASE_INSENSITIVE": int32(2), "MULTILINE": int32(8), "DOTALL": int32(32), "UNICODE_CASE": int32(64), "COMMENTS": int32(4)},
		statics: map[string]staticFn{
			"compile": func(r *runner, args []any) (any, error) {
				if len(args) < 1 {
					return nil, argN(args, 1, "Pattern.compile")
				}
				var flags int32
				if len(args) == 2 {
					f, _ := toInt64(args[1])
					flags = int32(f)
				}
				return r.compilePattern(r.toStr(args[0]), flags)
			},
			"matches": func(r *runner, args []any) (any, error) {
				if err := argN(args, 2, "Pattern.matches"); err != nil {
					return nil, err
				}
				re, err := r.regex(r.toStr(args[0]))
				if err != nil {
					return nil, err
				}
				return matches(re, r.toStr(args[1]))
			},
			"quote": func(r *runner, args []any) (any, error) {
				s := r.toStr(args[0])
				return "\\Q" + strings.ReplaceAll(s, "\\E", "\\E\\\\E\\Q") + "\\E", nil
			},
		}})
	register(&class{name: "java.util.regex.Matcher", is: isAny[*matcher], statics: map[string]staticFn{
		"quoteReplacement": func(r *runner, args []any) (any, error) {
			s := r.toStr(args[0])
			s = strings.ReplaceAll(s, "\\", "\\\\")
			return strings.ReplaceAll(s, "$", "\\$"), nil
		},
	}})
}
