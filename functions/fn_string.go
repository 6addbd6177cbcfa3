package functions

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// buildString1 wraps a one-argument string transformation.
func buildString1(f func(string) string) func(args []*Template) (evalFunc, error) {
	return func(args []*Template) (evalFunc, error) {
		a := args[0]
		if s, ok := a.literalValue(); ok {
			out := f(s)
			return func(*Context) string { return out }, nil
		}
		return func(c *Context) string { return f(a.Eval(c)) }, nil
	}
}

// urlEncode encodes like java.net.URLEncoder with UTF-8: letters, digits
// and ".-*_" stay, space becomes "+", everything else %XX (upper case).
func urlEncode(s string) string {
	const upperhex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9',
			ch == '.', ch == '-', ch == '*', ch == '_':
			b.WriteByte(ch)
		case ch == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(upperhex[ch>>4])
			b.WriteByte(upperhex[ch&15])
		}
	}
	return b.String()
}

// urlDecode decodes like java.net.URLDecoder: "+" is a space, %XX a byte.
// Malformed input is returned unchanged.
func urlDecode(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '+':
			out = append(out, ' ')
		case '%':
			if i+2 >= len(s) {
				return s
			}
			v, err := hex.DecodeString(s[i+1 : i+3])
			if err != nil {
				return s
			}
			out = append(out, v[0])
			i += 2
		default:
			out = append(out, s[i])
		}
	}
	return string(out)
}

// latin1Names are the HTML entity names of U+00A0…U+00FF, in order.
var latin1Names = [96]string{
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
	"deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
	"Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
	"ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
	"agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
	"eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
}

// escapeHTML escapes markup characters and every non-ASCII character, with
// named references where HTML has a Latin-1 name and decimal ones otherwise
// (the level of escaping JMeter's __escapeHtml applies).
func escapeHTML(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&#39;")
		case r < 0x80:
			b.WriteRune(r)
		case r >= 0xA0 && r <= 0xFF:
			b.WriteString("&" + latin1Names[r-0xA0] + ";")
		default:
			b.WriteString("&#" + strconv.Itoa(int(r)) + ";")
		}
	}
	return b.String()
}

func unescapeHTML(s string) string { return html.UnescapeString(s) }

// escapeXML escapes the five XML markup characters and every non-ASCII
// character (as hexadecimal references).
func escapeXML(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&apos;")
		case r < 0x80:
			b.WriteRune(r)
		default:
			b.WriteString("&#x" + strings.ToUpper(strconv.FormatInt(int64(r), 16)) + ";")
		}
	}
	return b.String()
}

// unescapeJava undoes Java string escapes: \n \t \r \b \f \\ \" \' \uXXXX
// and octal \0-\377. Unknown escapes keep the character.
func unescapeJava(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch != '\\' || i+1 >= len(s) {
			b.WriteByte(ch)
			continue
		}
		i++
		switch n := s[i]; n {
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
		case 'u':
			j := i + 1
			for j < len(s) && s[j] == 'u' {
				j++
			}
			if j+4 <= len(s) {
				if v, err := strconv.ParseUint(s[j:j+4], 16, 16); err == nil {
					b.WriteRune(rune(v))
					i = j + 3
					continue
				}
			}
			b.WriteByte('u')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(s[i:j], 8, 16)
			if v > 0377 {
				j--
				v, _ = strconv.ParseUint(s[i:j], 8, 16)
			}
			b.WriteRune(rune(v))
			i = j - 1
		default:
			b.WriteByte(n)
		}
	}
	return b.String()
}

func buildEscapeRegexp(args []*Template) (evalFunc, error) {
	src, v := args[0], varArg{arg(args, 1)}
	return func(c *Context) string {
		s := src.Eval(c)
		var b strings.Builder
		for _, r := range s {
			if r < 0x80 && !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		out := b.String()
		v.store(c, out)
		return out
	}, nil
}

// decodeJavaLong parses like Long.decode: optional sign, then 0x/0X/# hex,
// a leading 0 octal, or decimal.
func decodeJavaLong(s string) (int64, bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	base := 10
	switch {
	case strings.HasPrefix(s, "0x"), strings.HasPrefix(s, "0X"):
		base, s = 16, s[2:]
	case strings.HasPrefix(s, "#"):
		base, s = 16, s[1:]
	case len(s) > 1 && s[0] == '0':
		base, s = 8, s[1:]
	}
	if s == "" || s[0] == '-' || s[0] == '+' {
		return 0, false
	}
	v, err := strconv.ParseInt(s, base, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func buildChar(args []*Template) (evalFunc, error) {
	for i := range args {
		if s, ok := args[i].literalValue(); ok {
			if _, ok := decodeJavaLong(strings.TrimSpace(s)); !ok {
				return nil, badArg(i, "%q is not a character code", s)
			}
		}
	}
	return func(c *Context) string {
		var b strings.Builder
		for _, a := range args {
			s := strings.TrimSpace(a.Eval(c))
			v, ok := decodeJavaLong(s)
			if !ok {
				c.logf("WARN", "__char: could not parse %q", s)
				continue
			}
			r := rune(uint16(v)) // a Java char is 16 bits
			if !utf8.ValidRune(r) {
				r = utf8.RuneError
			}
			b.WriteRune(r)
		}
		return b.String()
	}, nil
}

func changeCase(s, mode string) (string, bool) {
	switch strings.ToUpper(mode) {
	case "", "UPPER":
		return strings.ToUpper(s), true
	case "LOWER":
		return strings.ToLower(s), true
	case "CAPITALIZE":
		r, n := utf8.DecodeRuneInString(s)
		if n == 0 {
			return s, true
		}
		return string(unicode.ToTitle(r)) + s[n:], true
	}
	return s, false
}

func buildChangeCase(args []*Template) (evalFunc, error) {
	if m, ok := literalArg(args, 1); ok {
		if _, ok := changeCase("", m); !ok {
			return nil, badArg(1, "%q is not UPPER, LOWER or CAPITALIZE", m)
		}
	}
	src, mode, v := args[0], arg(args, 1), varArg{arg(args, 2)}
	return func(c *Context) string {
		m := ""
		if mode != nil {
			m = mode.Eval(c)
		}
		out, ok := changeCase(src.Eval(c), m)
		if !ok {
			c.logf("ERROR", "__changeCase: unknown mode %q", m)
		}
		v.store(c, out)
		return out
	}, nil
}

// newDigest maps Java MessageDigest algorithm names (case-insensitive).
func newDigest(alg string) hash.Hash {
	switch strings.ToUpper(strings.TrimSpace(alg)) {
	case "MD5":
		return md5.New()
	case "SHA-1", "SHA1", "SHA":
		return sha1.New()
	case "SHA-224", "SHA224":
		return sha256.New224()
	case "SHA-256", "SHA256":
		return sha256.New()
	case "SHA-384", "SHA384":
		return sha512.New384()
	case "SHA-512", "SHA512":
		return sha512.New()
	case "SHA-512/224":
		return sha512.New512_224()
	case "SHA-512/256":
		return sha512.New512_256()
	case "SHA3-224":
		return sha3.New224()
	case "SHA3-256":
		return sha3.New256()
	case "SHA3-384":
		return sha3.New384()
	case "SHA3-512":
		return sha3.New512()
	}
	return nil
}

func buildDigest(args []*Template) (evalFunc, error) {
	if a, ok := literalArg(args, 0); ok && newDigest(a) == nil {
		return nil, badArg(0, "%q is not a known digest algorithm", a)
	}
	alg, src, salt, upper, v := args[0], args[1], arg(args, 2), arg(args, 3), varArg{arg(args, 4)}
	return func(c *Context) string {
		a := alg.Eval(c)
		h := newDigest(a)
		if h == nil {
			c.logf("ERROR", "__digest: unknown algorithm %q", a)
			return ""
		}
		h.Write([]byte(src.Eval(c)))
		if salt != nil {
			h.Write([]byte(salt.Eval(c)))
		}
		out := hex.EncodeToString(h.Sum(nil))
		if upper != nil && strings.EqualFold(upper.Eval(c), "true") {
			out = strings.ToUpper(out)
		}
		v.store(c, out)
		return out
	}, nil
}

// buildBase64 implements the jmeter-plugins __base64Encode/__base64Decode.
// Decoding is lenient like commons-codec: padding optional, URL-safe
// alphabet accepted, whitespace ignored.
func buildBase64(encode bool) func(args []*Template) (evalFunc, error) {
	return func(args []*Template) (evalFunc, error) {
		src, v := args[0], varArg{arg(args, 1)}
		return func(c *Context) string {
			s := src.Eval(c)
			var out string
			if encode {
				out = base64.StdEncoding.EncodeToString([]byte(s))
			} else {
				out = base64DecodeLenient(s)
			}
			v.store(c, out)
			return out
		}, nil
	}
}

func base64DecodeLenient(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '-':
			return '+'
		case '_':
			return '/'
		case '=', ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	for len(s) > 0 {
		if b, err := base64.RawStdEncoding.DecodeString(s); err == nil {
			return string(b)
		}
		s = s[:len(s)-1] // drop a dangling partial quantum
	}
	return ""
}
