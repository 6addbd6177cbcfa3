package raw

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gometer/gometer/sampler"
)

// parseResponse is the plugin's "parse response", deliberately simple: the
// data is read as text (UTF-8, JMeter 5.6's default result encoding); the
// first line's second word, when a number from 100 to 599 followed by a
// space, is the response code and the rest of that line the message; the
// lines up to the first empty one are the headers (each ended by "\r\n");
// the body is the next piece of text between "\r\n" separators — so a body
// that itself holds "\r\n" is cut there, as in the plugin. Whatever is not
// found leaves the sample as it is.
func parseResponse(res *sampler.Result) {
	text := javaDecode(res.Body)
	status, rest, ok := nextLine(text)
	if !ok {
		return
	}
	s := strings.IndexByte(status, ' ')
	e := -1
	if s >= 0 {
		e = indexFrom(status, ' ', s+1)
	}
	if s >= e {
		return
	}
	rc := javaTrim(status[s:e])
	n, err := strconv.ParseInt(rc, 10, 32)
	if err != nil || n < 100 || n > 599 {
		return
	}
	res.ResponseCode = rc
	res.ResponseMessage = javaTrim(status[e:])
	if rest == "" {
		return
	}
	var headers strings.Builder
	for rest != "" {
		var line string
		line, rest, _ = nextLine(rest)
		if line == "" {
			break
		}
		headers.WriteString(line)
		headers.WriteString("\r\n")
	}
	res.ResponseHeaders = headers.String()
	// Scanner.next with "\r\n" as the delimiter: skip leading separators,
	// take the text up to the next one
	for strings.HasPrefix(rest, "\r\n") {
		rest = rest[2:]
	}
	if i := strings.Index(rest, "\r\n"); i >= 0 {
		rest = rest[:i]
	}
	res.Body = []byte(rest)
}

func indexFrom(s string, b byte, from int) int {
	if from > len(s) {
		return -1
	}
	if i := strings.IndexByte(s[from:], b); i >= 0 {
		return from + i
	}
	return -1
}

// nextLine is Scanner.nextLine: the text up to a line separator ("\r\n",
// "\n", "\r", U+2028, U+2029, U+0085), which it consumes; false at the end
// of the input.
func nextLine(s string) (line, rest string, ok bool) {
	if s == "" {
		return "", "", false
	}
	for i, r := range s {
		switch r {
		case '\r':
			if strings.HasPrefix(s[i:], "\r\n") {
				return s[:i], s[i+2:], true
			}
			return s[:i], s[i+1:], true
		case '\n', '\u2028', '\u2029', '\u0085':
			return s[:i], s[i+utf8.RuneLen(r):], true
		}
	}
	return s, "", true
}

// javaTrim is String.trim: drops characters up to U+0020 at both ends.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// javaDecode decodes UTF-8 as Java's decoder does for malformed input:
// each bad byte becomes U+FFFD.
func javaDecode(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		sb.WriteRune(r)
		b = b[n:]
	}
	return sb.String()
}
