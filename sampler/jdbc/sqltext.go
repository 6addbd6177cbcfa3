package jdbc

import (
	"strconv"
	"strings"
)

// numberPlaceholders rewrites JDBC's '?' parameter markers as PostgreSQL's
// $1, $2 … as the PostgreSQL JDBC driver does: markers inside string
// literals, quoted identifiers, dollar-quoted strings and comments are left
// alone, and "??" stands for a literal '?' (an operator). It returns the
// rewritten text and the number of markers.
func numberPlaceholders(sql string) (string, int) {
	if !strings.Contains(sql, "?") {
		return sql, 0
	}
	var b strings.Builder
	b.Grow(len(sql) + 8)
	n := 0
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == '\'' || c == '"':
			j := skipQuoted(sql, i, c)
			b.WriteString(sql[i:j])
			i = j
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				j = len(sql) - i
			}
			b.WriteString(sql[i : i+j])
			i += j
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			j := skipBlockComment(sql, i)
			b.WriteString(sql[i:j])
			i = j
		case c == '$':
			j := skipDollarQuoted(sql, i)
			b.WriteString(sql[i:j])
			i = j
		case c == '?':
			if i+1 < len(sql) && sql[i+1] == '?' {
				b.WriteByte('?')
				i += 2
				continue
			}
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), n
}

// skipQuoted returns the index after the literal or identifier starting at
// i (a doubled quote continues it), or len(sql) when it is not closed.
func skipQuoted(sql string, i int, q byte) int {
	for j := i + 1; j < len(sql); j++ {
		if sql[j] == q {
			if j+1 < len(sql) && sql[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(sql)
}

// skipBlockComment returns the index after the (nestable) comment at i.
func skipBlockComment(sql string, i int) int {
	depth := 0
	for j := i; j+1 < len(sql); j++ {
		switch {
		case sql[j] == '/' && sql[j+1] == '*':
			depth++
			j++
		case sql[j] == '*' && sql[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(sql)
}

// skipDollarQuoted returns the index after a $tag$…$tag$ string starting at
// i, or i+1 when '$' does not open one (a $1 parameter, an identifier's $).
func skipDollarQuoted(sql string, i int) int {
	if i > 0 && isIdentChar(sql[i-1]) {
		return i + 1
	}
	j := i + 1
	for j < len(sql) && sql[j] != '$' {
		if !isIdentChar(sql[j]) || (j == i+1 && sql[j] >= '0' && sql[j] <= '9') {
			return i + 1
		}
		j++
	}
	if j >= len(sql) {
		return i + 1
	}
	tag := sql[i : j+1]
	end := strings.Index(sql[j+1:], tag)
	if end < 0 {
		return len(sql)
	}
	return j + 1 + end + len(tag)
}

func isIdentChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// callEscape rewrites JDBC's call escape ("{call f(?)}", "{? = call f(?)}")
// as the select PostgreSQL's JDBC driver runs for a function; other text is
// returned as it is. ret reports the "? =" form (its marker is the first
// parameter and receives the result).
func callEscape(sql string) (out string, ret bool) {
	fn, ret, ok := callTarget(sql)
	if !ok {
		return sql, false
	}
	// the result marker is not sent: the select returns it
	return "select * from " + fn + " as result", ret
}

// callTarget reads JDBC's call escape: the routine with its arguments
// ("f(?)", "f()" when written without) and whether it is the "? =" form.
func callTarget(sql string) (fn string, ret, ok bool) {
	s := strings.TrimSpace(sql)
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		return "", false, false
	}
	body := strings.TrimSpace(s[1 : len(s)-1])
	if strings.HasPrefix(body, "?") {
		rest := strings.TrimSpace(body[1:])
		if !strings.HasPrefix(rest, "=") {
			return "", false, false
		}
		body, ret = strings.TrimSpace(rest[1:]), true
	}
	if len(body) < 5 || !strings.EqualFold(body[:4], "call") || !isSpace(body[4]) {
		return "", false, false
	}
	fn = strings.TrimSpace(body[5:])
	if !strings.Contains(fn, "(") {
		fn += "()"
	}
	return fn, ret, true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
