package java

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tIdent
	tInt    // Java int literal
	tLong   // 123L
	tDouble // 1.5, 1e3, 1.5d
	tFloat  // 1.5f
	tString // plain string (single-quoted in Groovy, any in Java)
	tGString
	tChar // Java/BeanShell 'c'
	tOp
)

// token is one lexeme. Positions are byte offsets into the script source.
type token struct {
	kind tokKind
	text string // identifier, operator, or decoded string
	pos  int
	end  int  // byte offset just past the token (its image is src[pos:end])
	nl   bool // a newline precedes the token (Groovy statement ends)
	val  any  // numeric value for literals
	// GString parts: literal text between interpolations and the source
	// ranges of the embedded expressions.
	parts []string
	exprs []span
}

type span struct{ start, end int }

type lexer struct {
	src     string
	i, end  int
	groovy  bool
	toks    []token
	lastSig tokKind // kind of the previous token for slashy-string detection
	lastTxt string
}

// lexError is a located syntax error from the lexer.
type lexError struct {
	pos int
	msg string
}

var ops = []string{
	">>>=", "<<=", ">>=", ">>>", "...", "==~", "<=>", "..<", "?.", "?:", "*.", "=~",
	"..", "->", "::", "++", "--", "&&", "||", "==", "!=", "<=", ">=", "+=", "-=", "*=",
	"/=", "%=", "&=", "|=", "^=", "**", "<<", ">>",
}

func lex(src string, start, end int, groovy bool) ([]token, *lexError) {
	l := &lexer{src: src, i: start, end: end, groovy: groovy}
	nl := false
	if start == 0 && strings.HasPrefix(src, "#!") {
		for l.i < l.end && src[l.i] != '\n' {
			l.i++
		}
	}
	for {
		// whitespace and comments
		for l.i < l.end {
			c := src[l.i]
			if c == '\n' {
				nl = true
				l.i++
			} else if c == ' ' || c == '\t' || c == '\r' || c == '\f' {
				l.i++
			} else if c == '\\' && l.i+1 < l.end && (src[l.i+1] == '\n' || src[l.i+1] == '\r') {
				l.i += 2 // Groovy line continuation
			} else if c == '/' && l.i+1 < l.end && src[l.i+1] == '/' {
				for l.i < l.end && src[l.i] != '\n' {
					l.i++
				}
			} else if c == '/' && l.i+1 < l.end && src[l.i+1] == '*' {
				e := strings.Index(src[l.i+2:l.end], "*/")
				if e < 0 {
					return nil, &lexError{l.i, "unterminated comment"}
				}
				if strings.Contains(src[l.i:l.i+2+e], "\n") {
					nl = true
				}
				l.i += e + 4
			} else if c == 0xEF && strings.HasPrefix(src[l.i:], "\uFEFF") {
				l.i += 3
			} else {
				break
			}
		}
		if l.i >= l.end {
			l.toks = append(l.toks, token{kind: tEOF, pos: l.end, nl: true})
			return l.toks, nil
		}
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		t.nl = nl
		t.end = l.i
		nl = false
		l.lastSig, l.lastTxt = t.kind, t.text
		l.toks = append(l.toks, t)
	}
}

func isIdentStart(r rune) bool { return r == '_' || r == '$' || unicode.IsLetter(r) }
func isIdentPart(r rune) bool  { return isIdentStart(r) || unicode.IsDigit(r) }

func (l *lexer) regexAllowed() bool {
	switch l.lastSig {
	case tIdent:
		switch l.lastTxt {
		case "return", "in", "case", "assert", "throw", "else":
			return true
		}
		return false
	case tInt, tLong, tDouble, tFloat, tString, tGString, tChar:
		return false
	case tOp:
		switch l.lastTxt {
		case ")", "]", "}", "++", "--":
			return false
		}
		return true
	}
	return true
}

func (l *lexer) next() (token, *lexError) {
	src := l.src
	start := l.i
	c := src[l.i]
	r, size := rune(c), 1
	if c >= utf8.RuneSelf {
		r, size = utf8.DecodeRuneInString(src[l.i:l.end])
	}
	switch {
	case isIdentStart(r):
		j := l.i + size
		for j < l.end {
			r2, s2 := rune(src[j]), 1
			if src[j] >= utf8.RuneSelf {
				r2, s2 = utf8.DecodeRuneInString(src[j:l.end])
			}
			if !isIdentPart(r2) {
				break
			}
			j += s2
		}
		l.i = j
		return token{kind: tIdent, text: src[start:j], pos: start}, nil
	case c >= '0' && c <= '9' || (c == '.' && l.i+1 < l.end && src[l.i+1] >= '0' && src[l.i+1] <= '9' && l.lastTxt != "."):
		return l.number()
	case c == '"' || c == '\'':
		return l.str(c)
	case c == '/' && l.groovy && l.regexAllowed():
		return l.slashy()
	}
	for _, op := range ops {
		if strings.HasPrefix(src[l.i:l.end], op) {
			l.i += len(op)
			return token{kind: tOp, text: op, pos: start}, nil
		}
	}
	if strings.ContainsRune("+-*/%=<>!~?:;,.()[]{}&|^@", r) {
		l.i++
		return token{kind: tOp, text: src[start:l.i], pos: start}, nil
	}
	return token{}, &lexError{start, "unexpected character " + strconv.QuoteRune(r)}
}

func (l *lexer) number() (token, *lexError) {
	src, start := l.src, l.i
	j := l.i
	isHex := false
	if src[j] == '0' && j+1 < l.end && (src[j+1] == 'x' || src[j+1] == 'X') {
		isHex = true
		j += 2
		for j < l.end && (isHexDigit(src[j]) || src[j] == '_') {
			j++
		}
	} else {
		for j < l.end && (src[j] >= '0' && src[j] <= '9' || src[j] == '_') {
			j++
		}
	}
	isFloat := false
	if !isHex && j+1 < l.end && src[j] == '.' && src[j+1] >= '0' && src[j+1] <= '9' {
		isFloat = true
		j++
		for j < l.end && (src[j] >= '0' && src[j] <= '9' || src[j] == '_') {
			j++
		}
	}
	if !isHex && j < l.end && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < l.end && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < l.end && src[k] >= '0' && src[k] <= '9' {
			isFloat = true
			j = k
			for j < l.end && src[j] >= '0' && src[j] <= '9' {
				j++
			}
		}
	}
	text := strings.ReplaceAll(src[start:j], "_", "")
	suffix := byte(0)
	if j < l.end {
		switch src[j] {
		case 'l', 'L', 'd', 'D', 'f', 'F', 'g', 'G', 'i', 'I':
			suffix = src[j] | 0x20
			j++
		}
	}
	if j < l.end && (isIdentPart(rune(src[j]))) {
		return token{}, &lexError{start, "malformed number"}
	}
	l.i = j
	t := token{text: src[start:j], pos: start}
	if l.groovy && (isFloat && suffix == 0 || suffix == 'g' && isFloat) {
		d, ok := parseDecimal(text)
		if !ok {
			return token{}, &lexError{start, "malformed number"}
		}
		t.kind, t.val = tDouble, d
		return t, nil
	}
	if isFloat || suffix == 'd' || suffix == 'f' {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return token{}, &lexError{start, "malformed number"}
		}
		if suffix == 'f' {
			t.kind, t.val = tFloat, float32(f)
		} else {
			t.kind, t.val = tDouble, f
		}
		return t, nil
	}
	base := 10
	digits := text
	if isHex {
		base, digits = 16, text[2:]
	} else if len(text) > 1 && text[0] == '0' {
		base, digits = 8, text[1:]
	}
	u, err := strconv.ParseUint(digits, base, 64)
	if err != nil {
		return token{}, &lexError{start, "integer number too large"}
	}
	if suffix == 'l' || suffix == 'g' {
		t.kind, t.val = tLong, int64(u)
		return t, nil
	}
	if u > 0xFFFFFFFF || (base == 10 && u > 0x7FFFFFFF && suffix != 'i') {
		if l.groovy { // Groovy widens large literals to Long
			t.kind, t.val = tLong, int64(u)
			return t, nil
		}
		if base == 10 && u == 0x80000000 { // -2147483648
			t.kind, t.val = tLong, int64(u)
			return t, nil
		}
		return token{}, &lexError{start, "integer number too large"}
	}
	t.kind, t.val = tInt, int32(uint32(u))
	return t, nil
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// str scans a string literal. In Groovy, double-quoted and triple
// double-quoted strings are GStrings with $name and ${expr} parts.
func (l *lexer) str(q byte) (token, *lexError) {
	src, start := l.src, l.i
	triple := l.i+2 < l.end && src[l.i+1] == q && src[l.i+2] == q
	if triple {
		l.i += 3
	} else {
		l.i++
	}
	interp := l.groovy && q == '"'
	var b strings.Builder
	var parts []string
	var exprs []span
	for {
		if l.i >= l.end {
			return token{}, &lexError{start, "unterminated string literal"}
		}
		c := src[l.i]
		if triple {
			if c == q && l.i+2 < l.end && src[l.i+1] == q && src[l.i+2] == q {
				l.i += 3
				break
			}
		} else if c == q {
			l.i++
			break
		} else if c == '\n' {
			return token{}, &lexError{start, "unterminated string literal"}
		}
		if c == '\\' {
			if err := l.escape(&b, start); err != nil {
				return token{}, err
			}
			continue
		}
		if interp && c == '$' && l.i+1 < l.end {
			if src[l.i+1] == '{' {
				e, ok := matchBrace(src, l.i+1, l.end)
				if !ok {
					return token{}, &lexError{l.i, "unterminated ${ in string"}
				}
				parts = append(parts, b.String())
				b.Reset()
				exprs = append(exprs, span{l.i + 2, e})
				l.i = e + 1
				continue
			}
			r, _ := utf8.DecodeRuneInString(src[l.i+1 : l.end])
			if isIdentStart(r) && r != '$' {
				j := l.i + 1
				for {
					k := j
					for k < l.end {
						r2, s2 := utf8.DecodeRuneInString(src[k:l.end])
						if !isIdentPart(r2) || r2 == '$' {
							break
						}
						k += s2
					}
					j = k
					if j+1 < l.end && src[j] == '.' {
						r3, _ := utf8.DecodeRuneInString(src[j+1 : l.end])
						if isIdentStart(r3) && r3 != '$' {
							j++
							continue
						}
					}
					break
				}
				parts = append(parts, b.String())
				b.Reset()
				exprs = append(exprs, span{l.i + 1, j})
				l.i = j
				continue
			}
		}
		b.WriteByte(c)
		l.i++
	}
	s := b.String()
	if interp && len(exprs) > 0 {
		parts = append(parts, s)
		return token{kind: tGString, pos: start, parts: parts, exprs: exprs}, nil
	}
	if q == '\'' && !l.groovy && !triple {
		if n := utf8.RuneCountInString(s); n == 1 {
			r, _ := utf8.DecodeRuneInString(s)
			return token{kind: tChar, text: s, pos: start, val: Char(r)}, nil
		}
	}
	return token{kind: tString, text: s, pos: start}, nil
}

func (l *lexer) escape(b *strings.Builder, start int) *lexError {
	src := l.src
	if l.i+1 >= l.end {
		return &lexError{start, "unterminated string literal"}
	}
	c := src[l.i+1]
	l.i += 2
	switch c {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 's':
		b.WriteByte(' ')
	case '0', '1', '2', '3', '4', '5', '6', '7':
		v := int(c - '0')
		for k := 0; k < 2 && l.i < l.end && src[l.i] >= '0' && src[l.i] <= '7' && v*8+int(src[l.i]-'0') <= 0377; k++ {
			v = v*8 + int(src[l.i]-'0')
			l.i++
		}
		b.WriteRune(rune(v))
	case 'u':
		for l.i < l.end && src[l.i] == 'u' {
			l.i++
		}
		if l.i+4 > l.end {
			return &lexError{l.i, "illegal unicode escape"}
		}
		v, err := strconv.ParseUint(src[l.i:l.i+4], 16, 32)
		if err != nil {
			return &lexError{l.i, "illegal unicode escape"}
		}
		l.i += 4
		r := rune(v)
		if utf16IsHigh(r) && l.i+6 <= l.end && src[l.i] == '\\' && src[l.i+1] == 'u' {
			if v2, err := strconv.ParseUint(src[l.i+2:l.i+6], 16, 32); err == nil && utf16IsLow(rune(v2)) {
				r = (r-0xD800)<<10 + (rune(v2) - 0xDC00) + 0x10000
				l.i += 6
			}
		}
		b.WriteRune(r)
	case '\n':
		// line continuation inside Groovy strings
	case '\\', '\'', '"', '$', '/':
		b.WriteByte(c)
	default:
		if l.groovy {
			return &lexError{l.i - 2, "illegal escape sequence \\" + string(c)}
		}
		return &lexError{l.i - 2, "illegal escape character \\" + string(c)}
	}
	return nil
}

func utf16IsHigh(r rune) bool { return r >= 0xD800 && r < 0xDC00 }
func utf16IsLow(r rune) bool  { return r >= 0xDC00 && r < 0xE000 }

// slashy scans a Groovy /regex/ string: backslashes stay as written except
// before a slash; $ interpolation applies.
func (l *lexer) slashy() (token, *lexError) {
	src, start := l.src, l.i
	l.i++
	if l.i < l.end && (src[l.i] == '/' || src[l.i] == '*') {
		return token{}, &lexError{start, "unexpected /"}
	}
	var b strings.Builder
	var parts []string
	var exprs []span
	for {
		if l.i >= l.end {
			return token{}, &lexError{start, "unterminated slashy string"}
		}
		c := src[l.i]
		if c == '/' {
			l.i++
			break
		}
		if c == '\\' && l.i+1 < l.end && src[l.i+1] == '/' {
			b.WriteByte('/')
			l.i += 2
			continue
		}
		if c == '$' && l.i+1 < l.end && src[l.i+1] == '{' {
			e, ok := matchBrace(src, l.i+1, l.end)
			if !ok {
				return token{}, &lexError{l.i, "unterminated ${ in string"}
			}
			parts = append(parts, b.String())
			b.Reset()
			exprs = append(exprs, span{l.i + 2, e})
			l.i = e + 1
			continue
		}
		if c == '$' && l.i+1 < l.end {
			r, _ := utf8.DecodeRuneInString(src[l.i+1 : l.end])
			if isIdentStart(r) && r != '$' {
				j := l.i + 1
				for j < l.end {
					r2, s2 := utf8.DecodeRuneInString(src[j:l.end])
					if !isIdentPart(r2) || r2 == '$' {
						break
					}
					j += s2
				}
				parts = append(parts, b.String())
				b.Reset()
				exprs = append(exprs, span{l.i + 1, j})
				l.i = j
				continue
			}
		}
		b.WriteByte(c)
		l.i++
	}
	if len(exprs) > 0 {
		parts = append(parts, b.String())
		return token{kind: tGString, pos: start, parts: parts, exprs: exprs}, nil
	}
	return token{kind: tString, text: b.String(), pos: start}, nil
}

// matchBrace returns the index of the } matching the { at open, skipping
// nested braces and string literals.
func matchBrace(src string, open, end int) (int, bool) {
	depth := 0
	for i := open; i < end; i++ {
		switch src[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i, true
			}
		case '"', '\'':
			q := src[i]
			for i++; i < end && src[i] != q; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		}
	}
	return 0, false
}
