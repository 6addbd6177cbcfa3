package java

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// Java strings index UTF-16 code units; ASCII strings (nearly all of them)
// take the byte fast path.
type jstr struct {
	s string
	u []uint16 // nil when s is ASCII
}

func newJstr(s string) jstr {
	if isASCII(s) {
		return jstr{s: s}
	}
	return jstr{s: s, u: utf16.Encode([]rune(s))}
}

func (j jstr) len() int {
	if j.u == nil {
		return len(j.s)
	}
	return len(j.u)
}

func (j jstr) sub(a, b int) string {
	if j.u == nil {
		return j.s[a:b]
	}
	return string(utf16.Decode(j.u[a:b]))
}

func (j jstr) at(i int) Char {
	if j.u == nil {
		return Char(j.s[i])
	}
	return Char(j.u[i])
}

// index converts a byte offset into s to a UTF-16 index.
func (j jstr) index(byteOff int) int {
	if j.u == nil || byteOff < 0 {
		return byteOff
	}
	return len(utf16.Encode([]rune(j.s[:byteOff])))
}

// byteOff converts a UTF-16 index to a byte offset.
func (j jstr) byteOff(i int) int {
	if j.u == nil {
		return i
	}
	return len(string(utf16.Decode(j.u[:i])))
}

func strArg(r *runner, a any) (string, bool) {
	switch x := a.(type) {
	case string:
		return x, true
	case Char:
		return formatValue(x, true), true
	case *strBuilder:
		return x.b.String(), true
	}
	return "", false
}

func sioobe(msg string) error {
	return newExc("java.lang.StringIndexOutOfBoundsException", msg)
}

func (r *runner) stringMethod(s string, name string, args []any) (any, bool, error) {
	n := len(args)
	switch name {
	case "length":
		if n == 0 {
			return int32(newJstr(s).len()), true, nil
		}
	case "size":
		if n == 0 && r.groovy {
			return int32(newJstr(s).len()), true, nil
		}
	case "isEmpty":
		return s == "", true, nil
	case "isBlank":
		return strings.TrimSpace(s) == "", true, nil
	case "charAt":
		if n == 1 {
			i, _ := toInt(args[0])
			j := newJstr(s)
			if i < 0 || i >= j.len() {
				return nil, true, sioobe("index " + strconv.Itoa(i) + ", length " + strconv.Itoa(j.len()))
			}
			return j.at(i), true, nil
		}
	case "substring", "subSequence":
		j := newJstr(s)
		a, _ := toInt(args[0])
		b := j.len()
		if n == 2 {
			b, _ = toInt(args[1])
		}
		if a < 0 || b > j.len() || a > b {
			return nil, true, sioobe("begin " + strconv.Itoa(a) + ", end " + strconv.Itoa(b) + ", length " + strconv.Itoa(j.len()))
		}
		return j.sub(a, b), true, nil
	case "indexOf", "lastIndexOf":
		if n >= 1 {
			sub, ok := strArg(r, args[0])
			if !ok {
				if c, ok := toInt(args[0]); ok {
					sub = string(rune(c))
				}
			}
			j := newJstr(s)
			from := 0
			if name == "lastIndexOf" {
				from = j.len()
			}
			if n == 2 {
				from, _ = toInt(args[1])
			}
			if name == "indexOf" {
				if from < 0 {
					from = 0
				}
				if from > j.len() {
					return int32(-1), true, nil
				}
				off := j.byteOff(from)
				k := strings.Index(s[off:], sub)
				if k < 0 {
					return int32(-1), true, nil
				}
				return int32(j.index(off + k)), true, nil
			}
			if from < 0 {
				return int32(-1), true, nil
			}
			if from > j.len() {
				from = j.len()
			}
			end := j.byteOff(from) + len(sub)
			if end > len(s) {
				end = len(s)
			}
			return int32(j.index(strings.LastIndex(s[:end], sub))), true, nil
		}
	case "contains":
		if n == 1 {
			sub, _ := strArg(r, args[0])
			return strings.Contains(s, sub), true, nil
		}
	case "startsWith":
		if n >= 1 {
			sub, _ := strArg(r, args[0])
			if n == 2 {
				off, _ := toInt(args[1])
				j := newJstr(s)
				if off < 0 || off > j.len() {
					return false, true, nil
				}
				return strings.HasPrefix(s[j.byteOff(off):], sub), true, nil
			}
			return strings.HasPrefix(s, sub), true, nil
		}
	case "endsWith":
		if n == 1 {
			sub, _ := strArg(r, args[0])
			return strings.HasSuffix(s, sub), true, nil
		}
	case "equals":
		if n == 1 {
			o, ok := args[0].(string)
			return ok && o == s, true, nil
		}
	case "equalsIgnoreCase":
		if n == 1 {
			o, ok := args[0].(string)
			return ok && strings.EqualFold(o, s), true, nil
		}
	case "compareTo":
		if n == 1 {
			o, ok := args[0].(string)
			if !ok {
				if args[0] == nil {
					return nil, true, newExc("java.lang.NullPointerException", "compareTo(null)")
				}
				return nil, false, nil
			}
			return int32(compareUTF16(s, o)), true, nil
		}
	case "compareToIgnoreCase":
		if n == 1 {
			o, _ := args[0].(string)
			return int32(compareUTF16(strings.ToLower(strings.ToUpper(s)), strings.ToLower(strings.ToUpper(o)))), true, nil
		}
	case "toUpperCase":
		return strings.ToUpper(s), true, nil
	case "toLowerCase":
		return strings.ToLower(s), true, nil
	case "trim":
		return strings.TrimFunc(s, func(c rune) bool { return c <= ' ' }), true, nil
	case "strip":
		return strings.TrimFunc(s, unicode.IsSpace), true, nil
	case "stripLeading":
		return strings.TrimLeftFunc(s, unicode.IsSpace), true, nil
	case "stripTrailing":
		return strings.TrimRightFunc(s, unicode.IsSpace), true, nil
	case "concat":
		if n == 1 {
			o, _ := strArg(r, args[0])
			return s + o, true, nil
		}
	case "replace":
		if n == 2 {
			a, ok1 := strArg(r, args[0])
			b, ok2 := strArg(r, args[1])
			if ok1 && ok2 {
				return strings.ReplaceAll(s, a, b), true, nil
			}
		}
	case "replaceAll", "replaceFirst":
		if n == 2 {
			re, err := r.regex(r.toStr(args[0]))
			if err != nil {
				return nil, true, err
			}
			if c, ok := args[1].(*Closure); ok && r.groovy {
				v, err := r.replaceClosure(re, s, c, name == "replaceFirst")
				return v, true, err
			}
			v, err := replaceRegex(re, s, r.toStr(args[1]), name == "replaceFirst")
			return v, true, err
		}
	case "matches":
		if n == 1 {
			re, err := r.regex(r.toStr(args[0]))
			if err != nil {
				return nil, true, err
			}
			ok, err := matches(re, s)
			return ok, true, err
		}
	case "split":
		if n >= 1 {
			limit := 0
			if n == 2 {
				limit, _ = toInt(args[1])
			}
			parts, err := r.split(s, r.toStr(args[0]), limit)
			if err != nil {
				return nil, true, err
			}
			l := &List{Array: true, Elem: tkString, S: make([]any, len(parts))}
			for i, p := range parts {
				l.S[i] = p
			}
			return l, true, nil
		}
		if n == 0 && r.groovy {
			f := strings.Fields(s)
			l := &List{Array: true, Elem: tkString, S: make([]any, len(f))}
			for i, p := range f {
				l.S[i] = p
			}
			return l, true, nil
		}
	case "getBytes":
		if n == 0 {
			return []byte(s), true, nil
		}
		cs := charsetName(r, args[0])
		b, err := encodeString(s, cs)
		return b, true, err
	case "toCharArray":
		j := newJstr(s)
		l := &List{Array: true, Elem: tkChar, S: make([]any, j.len())}
		for i := range l.S {
			l.S[i] = j.at(i)
		}
		return l, true, nil
	case "chars":
		return nil, false, nil
	case "hashCode":
		return javaHashCode(s), true, nil
	case "toString", "intern", "toCharSequence":
		return s, true, nil
	case "format": // the static String.format called through an instance
		if _, isStr := args0(args).(string); n >= 1 && isStr {
			v, err := javaFormat(r, r.toStr(args[0]), args[1:])
			return v, true, err
		}
	case "repeat":
		if n == 1 {
			c, _ := toInt(args[0])
			if c < 0 {
				return nil, true, newExc("java.lang.IllegalArgumentException", "count is negative: "+strconv.Itoa(c))
			}
			if len(s)*c > 1<<26 {
				return nil, true, newExc("java.lang.OutOfMemoryError", "Repeating would overflow")
			}
			return strings.Repeat(s, c), true, nil
		}
	case "codePointAt":
		if n == 1 {
			i, _ := toInt(args[0])
			j := newJstr(s)
			if i < 0 || i >= j.len() {
				return nil, true, sioobe("index " + strconv.Itoa(i))
			}
			rr, _ := utf8.DecodeRuneInString(s[j.byteOff(i):])
			return int32(rr), true, nil
		}
	case "lines":
		return nil, false, nil
	}
	if r.groovy {
		return r.groovyStringMethod(s, name, args)
	}
	return nil, false, nil
}

// groovyStringMethod is the GDK on String.
func (r *runner) groovyStringMethod(s string, name string, args []any) (any, bool, error) {
	n := len(args)
	switch name {
	case "toInteger", "asInteger":
		v, err := parseJavaInt(strings.TrimSpace(s), 10, 32)
		return v, true, err
	case "toLong":
		v, err := parseJavaInt(strings.TrimSpace(s), 10, 64)
		return v, true, err
	case "toBigDecimal":
		d, ok := parseDecimal(s)
		if !ok {
			return nil, true, numberFormat(s)
		}
		return d, true, nil
	case "toDouble", "toFloat":
		f, err := parseJavaDouble(s)
		if name == "toFloat" && err == nil {
			return float32(f.(float64)), true, nil
		}
		return f, true, err
	case "toBoolean":
		t := strings.ToLower(strings.TrimSpace(s))
		return t == "true" || t == "y" || t == "1", true, nil
	case "isNumber", "isBigDecimal", "isDouble", "isFloat":
		_, err := parseJavaDouble(s)
		return err == nil, true, nil
	case "isInteger":
		_, err := parseJavaInt(strings.TrimSpace(s), 10, 32)
		return err == nil, true, nil
	case "isLong":
		_, err := parseJavaInt(strings.TrimSpace(s), 10, 64)
		return err == nil, true, nil
	case "reverse":
		rs := []rune(s)
		for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
			rs[i], rs[j] = rs[j], rs[i]
		}
		return string(rs), true, nil
	case "capitalize":
		if s == "" {
			return s, true, nil
		}
		rr, sz := utf8.DecodeRuneInString(s)
		return string(unicode.ToUpper(rr)) + s[sz:], true, nil
	case "uncapitalize":
		if s == "" {
			return s, true, nil
		}
		rr, sz := utf8.DecodeRuneInString(s)
		return string(unicode.ToLower(rr)) + s[sz:], true, nil
	case "tokenize":
		delims := " \t\n\r\f"
		if n == 1 {
			delims = r.toStr(args[0])
		}
		parts := strings.FieldsFunc(s, func(c rune) bool { return strings.ContainsRune(delims, c) })
		l := &List{S: make([]any, len(parts))}
		for i, p := range parts {
			l.S[i] = p
		}
		return l, true, nil
	case "padLeft", "padRight", "center":
		if n >= 1 {
			w, _ := toInt(args[0])
			pad := " "
			if n == 2 {
				pad = r.toStr(args[1])
			}
			cnt := w - len([]rune(s))
			if cnt <= 0 || pad == "" {
				return s, true, nil
			}
			mk := func(k int) string {
				p := strings.Repeat(pad, k/len([]rune(pad))+1)
				return string([]rune(p)[:k])
			}
			switch name {
			case "padLeft":
				return mk(cnt) + s, true, nil
			case "padRight":
				return s + mk(cnt), true, nil
			}
			left := cnt / 2
			return mk(left) + s + mk(cnt-left), true, nil
		}
	case "count":
		if n == 1 {
			sub := r.toStr(args[0])
			if sub == "" {
				return int32(len([]rune(s)) + 1), true, nil
			}
			return int32(strings.Count(s, sub)), true, nil
		}
	case "multiply":
		if n == 1 {
			v, err := r.binop("*", s, args[0])
			return v, true, err
		}
	case "plus":
		if n == 1 {
			return s + r.display(args[0]), true, nil
		}
	case "minus":
		if n == 1 {
			return strings.Replace(s, r.toStr(args[0]), "", 1), true, nil
		}
	case "getAt":
		if n == 1 {
			v, err := r.getIndex(s, args[0])
			return v, true, err
		}
	case "readLines":
		lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
		if len(lines) > 0 && lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
		l := &List{S: make([]any, len(lines))}
		for i, p := range lines {
			l.S[i] = p
		}
		return l, true, nil
	case "eachLine":
		if n == 1 {
			lines, _, _ := r.groovyStringMethod(s, "readLines", nil)
			for i, ln := range lines.(*List).S {
				c, _ := args[0].(*Closure)
				var err error
				if c != nil && len(c.fn.params) == 2 {
					_, err = r.callClosure(c, []any{ln, int32(i)})
				} else {
					_, err = r.call(args[0], ln)
				}
				if err != nil {
					return nil, true, err
				}
			}
			return nil, true, nil
		}
	case "stripIndent":
		return stripIndent(s), true, nil
	case "stripMargin":
		lines := strings.Split(s, "\n")
		for i, ln := range lines {
			t := strings.TrimLeft(ln, " \t")
			if strings.HasPrefix(t, "|") {
				lines[i] = t[1:]
			}
		}
		return strings.Join(lines, "\n"), true, nil
	case "find":
		if n >= 1 {
			re, err := r.regex(r.toStr(args[0]))
			if err != nil {
				return nil, true, err
			}
			idx, err := findAll(re, s, 1)
			if err != nil || len(idx) == 0 {
				return nil, true, err
			}
			if n == 2 {
				m := &matcher{re: re, s: s}
				g, _ := m.groupsOf(r, idx[0])
				v, err := r.call(args[1], g)
				return v, true, err
			}
			return s[idx[0][0]:idx[0][1]], true, nil
		}
	case "findAll":
		if n >= 1 {
			re, err := r.regex(r.toStr(args[0]))
			if err != nil {
				return nil, true, err
			}
			out := &List{}
			m := &matcher{re: re, s: s}
			all, err := findAll(re, s, -1)
			if err != nil {
				return nil, true, err
			}
			for _, idx := range all {
				if n == 2 {
					g, _ := m.groupsOf(r, idx)
					v, err := r.call(args[1], g)
					if err != nil {
						return nil, true, err
					}
					out.S = append(out.S, v)
				} else {
					out.S = append(out.S, s[idx[0]:idx[1]])
				}
			}
			return out, true, nil
		}
	case "each", "collect", "eachWithIndex", "any", "every", "findIndexOf", "toList", "toSet", "first", "last":
		l, _ := r.toList(s)
		return r.listMethod(l, name, args)
	case "toURL", "toURI":
		return s, true, nil
	case "encodeAsBase64":
		return nil, false, nil
	case "decodeBase64":
		b, err := decodeBase64(s)
		return b, true, err
	case "md5", "sha256":
		return nil, false, nil
	case "asType":
		if n == 1 {
			if c, ok := args[0].(*class); ok {
				v, err := r.cast(typeRef{name: c.name, cls: c, kind: boxedKinds[c.name]}, s, true)
				return v, true, err
			}
		}
	case "leftShift":
		if n == 1 {
			sb := &strBuilder{}
			sb.b.WriteString(s)
			sb.b.WriteString(r.display(args[0]))
			return sb, true, nil
		}
	case "next":
		if s == "" {
			return "", true, nil
		}
		rs := []rune(s)
		rs[len(rs)-1]++
		return string(rs), true, nil
	case "isAllWhitespace":
		return strings.TrimSpace(s) == "", true, nil
	case "toUpperCase", "toLowerCase":
		return nil, false, nil
	case "normalize":
		return strings.ReplaceAll(s, "\r\n", "\n"), true, nil
	case "denormalize":
		return s, true, nil
	case "capitalizeFully":
		return cases.Title(language.Und).String(s), true, nil
	}
	return nil, false, nil
}

func stripIndent(s string) string {
	lines := strings.Split(s, "\n")
	minIndent := -1
	for _, ln := range lines {
		if strings.TrimSpace(ln) == "" {
			continue
		}
		ind := len(ln) - len(strings.TrimLeft(ln, " \t"))
		if minIndent < 0 || ind < minIndent {
			minIndent = ind
		}
	}
	if minIndent <= 0 {
		return s
	}
	for i, ln := range lines {
		if len(ln) >= minIndent {
			lines[i] = ln[minIndent:]
		} else {
			lines[i] = strings.TrimLeft(ln, " \t")
		}
	}
	return strings.Join(lines, "\n")
}

// split is String.split: trailing empty strings are removed when limit is
// 0; a leading empty string from a zero-width match at 0 is dropped.
func (r *runner) split(s, pat string, limit int) ([]string, error) {
	if s == "" {
		return []string{""}, nil
	}
	var idx [][]int
	if len(pat) == 1 && !strings.ContainsAny(pat, ".$|()[{^?*+\\") || len(pat) == 2 && pat[0] == '\\' && !isAlnum(pat[1]) {
		lit := pat
		if len(pat) == 2 {
			lit = pat[1:]
		}
		off := 0
		for {
			k := strings.Index(s[off:], lit)
			if k < 0 {
				break
			}
			idx = append(idx, []int{off + k, off + k + len(lit)})
			off += k + len(lit)
		}
	} else {
		re, err := r.regex(pat)
		if err != nil {
			return nil, err
		}
		if idx, err = findAll(re, s, -1); err != nil {
			return nil, err
		}
	}
	var out []string
	last := 0
	for _, m := range idx {
		if limit > 0 && len(out) == limit-1 {
			break
		}
		if m[1] == 0 && m[0] == 0 {
			continue // zero-width match at the beginning
		}
		if m[0] == m[1] && m[0] == len(s) {
			break
		}
		out = append(out, s[last:m[0]])
		last = m[1]
	}
	out = append(out, s[last:])
	if limit == 0 {
		for len(out) > 0 && out[len(out)-1] == "" {
			out = out[:len(out)-1]
		}
		if len(out) == 0 {
			return []string{}, nil
		}
	}
	return out, nil
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// parseJavaInt is Integer.parseInt / Long.parseLong.
func parseJavaInt(s string, base, bits int) (any, error) {
	t := s
	if strings.HasPrefix(t, "+") && len(t) > 1 && t[1] != '-' && t[1] != '+' {
		t = t[1:]
	}
	n, err := strconv.ParseInt(t, base, bits)
	if err != nil || strings.ContainsAny(t, "_") {
		if base != 10 {
			return nil, newExc("java.lang.NumberFormatException", "For input string: \""+s+"\" under radix "+strconv.Itoa(base))
		}
		if s == "" {
			return nil, newExc("java.lang.NumberFormatException", "For input string: \"\"")
		}
		return nil, numberFormat(s)
	}
	if bits == 32 {
		return int32(n), nil
	}
	return n, nil
}

// parseJavaDouble is Double.parseDouble: leading/trailing whitespace is
// allowed, as are a trailing d/f and "Infinity"/"NaN".
func parseJavaDouble(s string) (any, error) {
	t := strings.TrimFunc(s, func(c rune) bool { return c <= ' ' })
	if t == "" {
		if s == "" {
			return nil, newExc("java.lang.NumberFormatException", "empty String")
		}
		return nil, numberFormat(s)
	}
	u := t
	if l := u[len(u)-1]; l == 'd' || l == 'D' || l == 'f' || l == 'F' {
		u = u[:len(u)-1]
	}
	switch strings.TrimLeft(u, "+-") {
	case "Infinity", "NaN":
	case "inf", "Inf", "infinity", "nan", "NAN", "INF":
		return nil, numberFormat(s)
	}
	if strings.ContainsAny(u, "_xXpP") {
		return nil, numberFormat(s)
	}
	f, err := strconv.ParseFloat(u, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, nil
		}
		return nil, numberFormat(s)
	}
	return f, nil
}

func args0(args []any) any {
	if len(args) == 0 {
		return nil
	}
	return args[0]
}
