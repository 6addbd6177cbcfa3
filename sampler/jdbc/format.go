package jdbc

import (
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gometer/gometer/internal/javafmt"
)

// PostgreSQL type OIDs whose text form differs from the Java object's
// toString that JMeter writes (ResultSet.getObject(i).toString()).
const (
	oidBool        = 16
	oidBytea       = 17
	oidFloat4      = 700
	oidFloat8      = 701
	oidNumeric     = 1700
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidTimetz      = 1266
	oidVoid        = 2278
)

// pgValue turns a value in PostgreSQL's text form into the text of the Java
// object the PostgreSQL JDBC driver returns for it: Boolean, byte[] (read as
// UTF-8 by JMeter), Float/Double, BigDecimal, java.sql.Time/Timestamp. Other
// types (integers, text, dates, json, uuid, arrays …) read the same.
func pgValue(oid uint32, v []byte) string {
	switch oid {
	case oidBool:
		if len(v) == 1 && v[0] == 't' {
			return "true"
		}
		return "false"
	case oidBytea:
		s := string(v)
		if strings.HasPrefix(s, `\x`) {
			if b, err := hex.DecodeString(s[2:]); err == nil {
				return javaUTF8(b)
			}
		}
		return s
	case oidFloat4:
		if f, err := strconv.ParseFloat(string(v), 32); err == nil {
			return javafmt.Float(float32(f))
		}
	case oidFloat8:
		if f, err := strconv.ParseFloat(string(v), 64); err == nil {
			return javafmt.Double(f)
		}
	case oidNumeric:
		return bigDecimal(string(v))
	case oidTime, oidTimetz:
		s := string(v)
		if i := strings.IndexAny(s, "+-"); i >= 0 && oid == oidTimetz {
			s = s[:i]
		}
		if i := strings.IndexByte(s, '.'); i >= 0 {
			s = s[:i]
		}
		return s
	case oidTimestamp, oidTimestamptz:
		return javaTimestamp(string(v), oid == oidTimestamptz)
	}
	return string(v)
}

// javaUTF8 is new String(bytes, UTF_8): each malformed sequence becomes
// U+FFFD.
func javaUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// javaTimestamp formats "2024-01-02 03:04:05.12[+00]" as java.sql.Timestamp
// does: fraction without trailing zeros, ".0" when there is none. The
// session's time zone is the generator's (as the JDBC driver sets it), so a
// timestamptz's offset is dropped.
func javaTimestamp(s string, tz bool) string {
	if tz {
		// the offset follows the time: the last '+' or '-' after the space
		if sp := strings.IndexByte(s, ' '); sp >= 0 {
			if i := strings.LastIndexAny(s[sp:], "+-"); i >= 0 {
				s = s[:sp+i]
			}
		}
	}
	if len(s) < 19 || s[10] != ' ' { // infinity, BC dates: as PostgreSQL writes them
		return s
	}
	frac := ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		frac = strings.TrimRight(s[i+1:], "0")
		s = s[:i]
	}
	if frac == "" {
		frac = "0"
	}
	return s + "." + frac
}

// bigDecimal formats PostgreSQL's numeric text as BigDecimal.toString:
// plain unless the adjusted exponent is below -6 (then "1.5E-7").
func bigDecimal(s string) string {
	if s == "NaN" {
		return "NaN" // the driver returns Double.NaN
	}
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	scale := 0
	if i := strings.IndexByte(digits, '.'); i >= 0 {
		scale = len(digits) - i - 1
		digits = digits[:i] + digits[i+1:]
	}
	unscaled := strings.TrimLeft(digits, "0")
	if unscaled == "" {
		return s
	}
	adjusted := len(unscaled) - 1 - scale
	if adjusted >= -6 {
		return s
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteByte(unscaled[0])
	if len(unscaled) > 1 {
		b.WriteByte('.')
		b.WriteString(unscaled[1:])
	}
	b.WriteString("E")
	b.WriteString(strconv.Itoa(adjusted))
	return b.String()
}
