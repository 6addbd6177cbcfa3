package functions

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxPropertiesSize bounds what LoadPropertiesFile reads.
const maxPropertiesSize = 32 << 20

// LoadPropertiesFile reads a Java .properties file (jmeter.properties,
// user.properties, -q/-p files) into props, later keys overriding earlier
// ones. The format is java.util.Properties': "key=value", "key: value" and
// "key value"; lines starting with # or ! are comments; a line ending in an
// odd number of backslashes continues on the next (whose leading blanks are
// dropped); \t \n \r \f \uXXXX are escapes and a backslash before any other
// character keeps that character. Java reads such files as ISO-8859-1;
// gometer reads them as UTF-8 when they are valid UTF-8 (what editors write
// today) and as ISO-8859-1 otherwise.
func LoadPropertiesFile(path string, into *Properties) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("properties: %w", err)
	}
	defer f.Close()
	// Bounded: a device or endless pipe given by mistake (-q /dev/zero)
	// must fail rather than take all memory.
	data, err := io.ReadAll(io.LimitReader(f, maxPropertiesSize+1))
	if err != nil {
		return fmt.Errorf("properties: %w", err)
	}
	if len(data) > maxPropertiesSize {
		return fmt.Errorf("properties file %s: larger than %d MiB, not a properties file", path, maxPropertiesSize>>20)
	}
	pairs, err := ParseProperties(data)
	if err != nil {
		return fmt.Errorf("properties file %s: %w", path, err)
	}
	for _, kv := range pairs {
		into.Set(kv[0], kv[1])
	}
	return nil
}

// ParseProperties parses .properties content into key/value pairs in file
// order. Errors name the line.
func ParseProperties(data []byte) ([][2]string, error) {
	var text string
	if utf8.Valid(data) {
		text = string(data)
	} else {
		r := make([]rune, len(data))
		for i, b := range data {
			r[i] = rune(b)
		}
		text = string(r)
	}
	text = strings.TrimPrefix(text, "\uFEFF")
	var out [][2]string
	lines := splitNaturalLines(text)
	for i := 0; i < len(lines); i++ {
		lineNo := i + 1
		line := strings.TrimLeft(lines[i], " \t\f")
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		// Join continuation lines.
		for endsWithOddBackslashes(line) && i+1 < len(lines) {
			i++
			line = line[:len(line)-1] + strings.TrimLeft(lines[i], " \t\f")
		}
		if endsWithOddBackslashes(line) { // a continuation at end of file
			line = line[:len(line)-1]
		}
		key, value, err := splitKeyValue(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", lineNo, err)
		}
		out = append(out, [2]string{key, value})
	}
	return out, nil
}

// splitNaturalLines splits on \n, \r\n and \r.
func splitNaturalLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			out = append(out, s[start:i])
			start = i + 1
		case '\r':
			out = append(out, s[start:i])
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func endsWithOddBackslashes(s string) bool {
	n := 0
	for i := len(s) - 1; i >= 0 && s[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

func splitKeyValue(line string) (string, string, error) {
	// The key ends at the first unescaped '=', ':' or blank.
	end := len(line)
	for i := 0; i < len(line); i++ {
		ch := line[i]
		if ch == '\\' {
			i++
			continue
		}
		if ch == '=' || ch == ':' || ch == ' ' || ch == '\t' || ch == '\f' {
			end = i
			break
		}
	}
	rest := line[end:]
	rest = strings.TrimLeft(rest, " \t\f")
	if rest != "" && (rest[0] == '=' || rest[0] == ':') {
		rest = strings.TrimLeft(rest[1:], " \t\f")
	}
	key, err := unescapeProperty(line[:end])
	if err != nil {
		return "", "", err
	}
	value, err := unescapeProperty(rest)
	if err != nil {
		return "", "", err
	}
	return key, value, nil
}

func unescapeProperty(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch != '\\' {
			b.WriteByte(ch)
			continue
		}
		i++
		if i >= len(s) {
			break
		}
		switch n := s[i]; n {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 'f':
			b.WriteByte('\f')
		case 'u':
			if i+5 > len(s) {
				return "", fmt.Errorf("malformed \\uxxxx escape in %q", s)
			}
			v, err := strconv.ParseUint(s[i+1:i+5], 16, 16)
			if err != nil {
				return "", fmt.Errorf("malformed \\uxxxx escape in %q", s)
			}
			r := rune(v)
			// Join a UTF-16 surrogate pair written as two escapes.
			if r >= 0xD800 && r < 0xDC00 && i+11 <= len(s) && s[i+5] == '\\' && s[i+6] == 'u' {
				if lo, err := strconv.ParseUint(s[i+7:i+11], 16, 16); err == nil && lo >= 0xDC00 && lo < 0xE000 {
					r = (r-0xD800)<<10 + (rune(lo) - 0xDC00) + 0x10000
					i += 6
				}
			}
			b.WriteRune(r)
			i += 4
		default:
			b.WriteByte(n)
		}
	}
	return b.String(), nil
}
