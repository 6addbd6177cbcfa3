// Package charset converts between Go strings and the bytes of a charset
// named the way Java (and so a JMeter plan) names it: "UTF-8",
// "ISO-8859-1", "windows-1252", "Cp1252", "ISO8859_1", "GB2312",
// "Shift_JIS", "UTF-16" and the other IANA names golang.org/x/text knows.
//
// Conversions follow Java's String(byte[], charset) and String.getBytes:
// bytes that do not decode become U+FFFD, characters a charset cannot
// encode become '?'.
package charset

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// Lookup returns the encoding of a Java charset name; nil (and no error)
// for UTF-8, which is also what an empty name means.
func Lookup(name string) (encoding.Encoding, error) {
	n := strings.TrimSpace(name)
	// The names nearly every plan uses, without an index lookup: request
	// bodies and queries look their charset up per argument.
	switch {
	case n == "" || strings.EqualFold(n, "UTF-8"):
		return nil, nil
	case strings.EqualFold(n, "ISO-8859-1"):
		return charmap.ISO8859_1, nil
	}
	n = javaAlias(n)
	e, err := ianaindex.IANA.Encoding(n)
	if err != nil || e == nil {
		// WHATWG labels cover a few more spellings ("UTF8", "cp1251"); they
		// are asked second because they map Latin-1 to windows-1252.
		if h, herr := htmlindex.Get(n); herr == nil {
			e, err = h, nil
		}
	}
	if err != nil || e == nil {
		return nil, fmt.Errorf("unknown charset %q", name)
	}
	if e == unicode.UTF8 {
		return nil, nil
	}
	return e, nil
}

// javaAlias turns Java's own spellings into IANA names.
func javaAlias(n string) string {
	u := strings.ToUpper(n)
	switch {
	case u == "UTF8":
		return "UTF-8"
	case u == "GB2312" || u == "EUC-CN" || u == "EUC_CN":
		return "GBK" // a superset that decodes GB2312 (EUC-CN) text alike
	case u == "LATIN1" || u == "ISO8859_1" || u == "ISO_8859_1" || u == "8859_1":
		return "ISO-8859-1"
	case strings.HasPrefix(u, "ISO8859_") || strings.HasPrefix(u, "ISO8859-"):
		return "ISO-8859-" + u[len("ISO8859_"):]
	case strings.HasPrefix(u, "CP") && len(u) > 2 && isDigits(u[2:]):
		if strings.HasPrefix(u[2:], "12") {
			return "windows-" + u[2:]
		}
		return "IBM" + u[2:]
	case u == "ASCII":
		return "US-ASCII"
	}
	return n
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Decode returns the text of b in charset name.
func Decode(b []byte, name string) (string, error) {
	e, err := Lookup(name)
	if err != nil {
		return "", err
	}
	switch e {
	case nil:
		if utf8.Valid(b) {
			return string(b), nil
		}
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	case charmap.ISO8859_1:
		r := make([]rune, len(b)) // byte n is U+00nn: no table needed
		for i, x := range b {
			r[i] = rune(x)
		}
		return string(r), nil
	}
	if isASCII(e) {
		r := make([]rune, len(b))
		for i, x := range b {
			r[i] = rune(x)
			if x >= 0x80 {
				r[i] = utf8.RuneError
			}
		}
		return string(r), nil
	}
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("decoding %s: %w", name, err)
	}
	return string(out), nil
}

// Encode returns the bytes of s in charset name; characters the charset
// cannot represent become '?'.
func Encode(s, name string) ([]byte, error) {
	e, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return []byte(s), nil
	}
	limit := rune(-1)
	switch {
	case e == charmap.ISO8859_1:
		limit = 0xFF
	case isASCII(e):
		limit = 0x7F
	}
	if limit >= 0 {
		out := make([]byte, 0, len(s))
		for _, r := range s {
			if r > limit {
				r = '?'
			}
			out = append(out, byte(r))
		}
		return out, nil
	}
	enc := e.NewEncoder()
	if out, err := enc.Bytes([]byte(s)); err == nil {
		return out, nil
	}
	// Something is not representable: encode rune by rune, '?' for those.
	out := make([]byte, 0, len(s))
	var buf [utf8.UTFMax]byte
	for _, r := range s {
		n := utf8.EncodeRune(buf[:], r)
		b, err := enc.Bytes(buf[:n])
		if err != nil {
			b = []byte{'?'}
		}
		out = append(out, b...)
	}
	return out, nil
}

// isASCII reports whether e is the IANA index's US-ASCII, which Java
// decodes byte by byte (0x80 and up are not characters).
func isASCII(e encoding.Encoding) bool {
	n, err := ianaindex.IANA.Name(e)
	return err == nil && n == "US-ASCII"
}
