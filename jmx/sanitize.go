package jmx

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// Real plans are not always well-formed XML 1.0: JMeter's recorder writes
// character references such as &#x0; or &#x1f; for binary request bodies,
// which XStream reads back but encoding/xml rejects. prepare rewrites the
// bytes into UTF-8 that encoding/xml accepts, keeping every newline in place
// so that line numbers stay true.
//
// Control characters (from references or raw bytes) are parked in Unicode
// plane 15's private-use area (U+F0000 + c) and put back after parsing, so a
// recorded body keeps its exact characters. Other characters XML cannot hold
// (surrogates, U+FFFE, U+FFFF, out-of-range references) and invalid UTF-8
// bytes become U+FFFD.

const parkBase = 0xF0000 // control character c is parked as parkBase+c

// prepare returns the bytes to parse, whether parked characters must be
// restored, and a non-nil error for input that is plainly not a text file.
func prepare(data []byte) (buf []byte, parked bool, off int, msg string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:] // UTF-8 byte order mark: invisible, so columns stay right without it
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		data = fromUTF16(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		data = fromUTF16(data[2:], true)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return data, false, i, "binary data (a NUL byte), not a JMeter test plan"
	}
	if isLatin1(declaredEncoding(data)) {
		data = latin1ToUTF8(data)
	}
	if clean(data) {
		return data, false, 0, ""
	}
	buf, parked = rewrite(data)
	return buf, parked, 0, ""
}

// clean reports whether data needs no rewriting: valid UTF-8, no control
// characters other than tab/LF/CR, and no character reference to a
// character XML forbids.
func clean(data []byte) bool {
	for i, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
		if c == '&' && i+1 < len(data) && data[i+1] == '#' {
			if r, _, ok := charRef(data[i:]); ok && !legalXMLChar(r) {
				return false
			}
		}
	}
	return utf8.Valid(data)
}

func legalXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// rewrite does the slow path of prepare.
func rewrite(data []byte) ([]byte, bool) {
	out := make([]byte, 0, len(data)+len(data)/16)
	parked := false
	emit := func(r rune) {
		if r >= 0 && r < 0x20 {
			r = parkBase + r
			parked = true
		} else if !legalXMLChar(r) {
			r = utf8.RuneError
		}
		out = utf8.AppendRune(out, r)
	}
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == '<' && bytes.HasPrefix(data[i:], []byte("<!--")):
			end := bytes.Index(data[i+4:], []byte("-->"))
			i = copyRaw(&out, data, i, end, 4+3, emit)
			continue
		case c == '<' && bytes.HasPrefix(data[i:], []byte("<![CDATA[")):
			end := bytes.Index(data[i+9:], []byte("]]>"))
			i = copyRaw(&out, data, i, end, 9+3, emit)
			continue
		case c == '&' && i+1 < len(data) && data[i+1] == '#':
			if r, n, ok := charRef(data[i:]); ok {
				if legalXMLChar(r) {
					out = append(out, data[i:i+n]...)
				} else {
					emit(r)
				}
				i += n
				continue
			}
			out = append(out, c)
			i++
			continue
		}
		i += appendChar(&out, data[i:], emit)
	}
	return out, parked
}

// copyRaw copies a comment or CDATA section (no references inside) starting
// at i whose terminator was found at rel (relative to i+open, -1 = none),
// fixing raw characters only. It returns the index after the section.
func copyRaw(out *[]byte, data []byte, i, rel, delims int, emit func(rune)) int {
	end := len(data)
	if rel >= 0 {
		end = i + rel + delims
	}
	for j := i; j < end; {
		j += appendChar(out, data[j:end], emit)
	}
	return end
}

// appendChar copies one character from the start of b, repairing raw control
// characters and invalid UTF-8, and returns the bytes consumed.
func appendChar(out *[]byte, b []byte, emit func(rune)) int {
	c := b[0]
	if c < utf8.RuneSelf {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			emit(rune(c))
		} else {
			*out = append(*out, c)
		}
		return 1
	}
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError && n <= 1 {
		emit(utf8.RuneError)
		return 1
	}
	emit(r)
	return n
}

// charRef parses "&#123;" or "&#x1f;" at the start of b.
func charRef(b []byte) (r rune, n int, ok bool) {
	i, base := 2, 10
	if len(b) > 2 && (b[2] == 'x' || b[2] == 'X') {
		i, base = 3, 16
	}
	start := i
	var v int64
	for ; i < len(b) && i-start < 12; i++ {
		d := digit(b[i], base)
		if d < 0 {
			break
		}
		v = v*int64(base) + int64(d)
	}
	if i == start || i >= len(b) || b[i] != ';' {
		return 0, 0, false
	}
	if v > 0x7FFFFFFF {
		v = 0x7FFFFFFF
	}
	return rune(v), i + 1, true
}

func digit(c byte, base int) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case base == 16 && c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case base == 16 && c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// unpark puts back the control characters prepare parked.
func unpark(s string) string {
	if !containsParked(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= parkBase && r < parkBase+0x20 {
			r -= parkBase
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

func containsParked(s string) bool {
	// U+F0000..U+F001F encode as F3 B0 80 80 .. F3 B0 80 9F.
	for i := 0; i+3 < len(s); i++ {
		if s[i] == 0xF3 && s[i+1] == 0xB0 && s[i+2] == 0x80 && s[i+3] >= 0x80 && s[i+3] <= 0x9F {
			return true
		}
	}
	return false
}

func fromUTF16(b []byte, bigEndian bool) []byte {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	out := make([]byte, 0, len(u))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	// The XML declaration may still say UTF-16; encoding/xml must read UTF-8 now.
	return out
}

// declaredEncoding returns the encoding named in the XML declaration, if any.
func declaredEncoding(data []byte) string {
	if !bytes.HasPrefix(data, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := data[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) < 2 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	j := bytes.IndexByte(rest[1:], q)
	if j < 0 {
		return ""
	}
	return string(rest[1 : 1+j])
}

func isLatin1(enc string) bool {
	switch string(bytes.ToLower([]byte(enc))) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "iso-8859-15":
		return true
	}
	return false
}

func latin1ToUTF8(data []byte) []byte {
	out := make([]byte, 0, len(data)+len(data)/8)
	for _, c := range data {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}
