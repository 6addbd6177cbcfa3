package jdbc

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// javaError is an exception JMeter's JDBC sampler catches outside
// SQLException: the sample's response code is "000" and its message the
// exception's toString.
type javaError struct {
	class string // e.g. java.lang.NumberFormatException
	msg   string
}

func (e *javaError) Error() string {
	if e.msg == "" {
		return e.class
	}
	return e.class + ": " + e.msg
}

// decimalRE is what new BigDecimal(String) accepts.
var decimalRE = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// sqlError is a java.sql.SQLException (or a driver's subclass): the sample's
// response code is "<SQLState> <vendor code>".
type sqlError struct {
	class string // e.g. org.postgresql.util.PSQLException
	state string // "null" when the exception carries none
	code  int
	msg   string
}

func (e *sqlError) Error() string { return e.class + ": " + e.msg }

// splitCSV splits one line of comma-separated values as JMeter's
// CSVSaveService.csvSplitString does: double quotes group, a doubled quote
// is a quote, reading stops at the first unquoted line end.
func splitCSV(line string) ([]string, error) {
	const (
		initial = iota
		plain
		quoted
		embedded
	)
	var out []string
	var b strings.Builder
	state := initial
	push := false
	i := 0
	for ; i < len(line); i++ {
		ch := line[i]
		push = false
		eol := ch == '\n' || ch == '\r'
		switch state {
		case initial:
			switch {
			case ch == '"':
				state = quoted
			case ch == ',' || eol:
				push = true
			default:
				b.WriteByte(ch)
				state = plain
			}
		case plain:
			switch {
			case ch == '"':
				b.WriteByte(ch)
				return nil, &javaError{"java.io.IOException", "Cannot have quote-char in plain field:[" + b.String() + "]"}
			case ch == ',' || eol:
				push, state = true, initial
			default:
				b.WriteByte(ch)
			}
		case quoted:
			if ch == '"' {
				state = embedded
			} else {
				b.WriteByte(ch)
			}
		case embedded:
			switch {
			case ch == '"':
				b.WriteByte('"')
				state = quoted
			case ch == ',' || eol:
				push, state = true, initial
			default:
				b.WriteByte('"')
				return nil, &javaError{"java.io.IOException", "Cannot have single quote-char in quoted field:[" + b.String() + "]"}
			}
		}
		if push {
			if ch == '\r' && i+1 < len(line) && line[i+1] == '\n' {
				i++
			}
			out = append(out, b.String())
			b.Reset()
		}
		if eol && state != quoted {
			return out, nil
		}
	}
	if state == quoted {
		return nil, &javaError{"java.io.IOException", "Missing trailing quote-char in quoted field:[\"" + b.String() + "]"}
	}
	if b.Len() > 0 || push || state == embedded {
		out = append(out, b.String())
	}
	return out, nil
}

// java.sql.Types codes of the type names parameters use.
const (
	tBit          = -7
	tTinyint      = -6
	tSmallint     = 5
	tInteger      = 4
	tBigint       = -5
	tFloat        = 6
	tReal         = 7
	tDouble       = 8
	tNumeric      = 2
	tDecimal      = 3
	tChar         = 1
	tVarchar      = 12
	tLongvarchar  = -1
	tDate         = 91
	tTime         = 92
	tTimestamp    = 93
	tBinary       = -2
	tVarbinary    = -3
	tLongvarbin   = -4
	tNull         = 0
	tOther        = 1111
	tBoolean      = 16
	tNchar        = -15
	tNvarchar     = -9
	tLongnvarchar = -16
)

// jdbcTypes are java.sql.Types' field names (lower case) and values.
var jdbcTypes = map[string]int{
	"bit": tBit, "tinyint": tTinyint, "smallint": tSmallint, "integer": tInteger, "bigint": tBigint,
	"float": tFloat, "real": tReal, "double": tDouble, "numeric": tNumeric, "decimal": tDecimal,
	"char": tChar, "varchar": tVarchar, "longvarchar": tLongvarchar, "date": tDate, "time": tTime,
	"timestamp": tTimestamp, "binary": tBinary, "varbinary": tVarbinary, "longvarbinary": tLongvarbin,
	"null": tNull, "other": tOther, "java_object": 2000, "distinct": 2001, "struct": 2002, "array": 2003,
	"blob": 2004, "clob": 2005, "ref": 2006, "datalink": 70, "boolean": tBoolean, "rowid": -8,
	"nchar": tNchar, "nvarchar": tNvarchar, "longnvarchar": tLongnvarchar, "nclob": 2011, "sqlxml": 2009,
	"ref_cursor": 2012, "time_with_timezone": 2013, "timestamp_with_timezone": 2014,
}

// jdbcType resolves a parameter type name (any case) or a number in Java's
// Integer.decode syntax.
func jdbcType(name string) (int, error) {
	if v, ok := jdbcTypes[strings.ToLower(name)]; ok {
		return v, nil
	}
	if v, err := javaDecode(name); err == nil {
		return v, nil
	}
	return 0, &sqlError{class: "java.sql.SQLException", state: "null", msg: "Invalid data type: " + name}
}

// javaDecode is Integer.decode: optional sign, then 0x/0X/# hex, 0 octal
// or decimal.
func javaDecode(s string) (int, error) {
	neg := false
	t := s
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		neg = t[0] == '-'
		t = t[1:]
	}
	base := 10
	switch {
	case strings.HasPrefix(t, "0x") || strings.HasPrefix(t, "0X"):
		base, t = 16, t[2:]
	case strings.HasPrefix(t, "#"):
		base, t = 16, t[1:]
	case len(t) > 1 && t[0] == '0':
		base, t = 8, t[1:]
	}
	if t == "" || t[0] == '-' || t[0] == '+' {
		return 0, strconv.ErrSyntax
	}
	v, err := strconv.ParseInt(t, base, 32)
	if neg {
		v = -v
	}
	if err != nil || v < math.MinInt32 || v > math.MaxInt32 {
		return 0, strconv.ErrSyntax
	}
	return int(v), nil
}

// param is one statement parameter, its value checked and normalised as
// the Java setter JMeter calls for its type would.
type param struct {
	text  string // value to send, in the database's text form
	bytes bool   // text holds raw bytes (BINARY types)
	null  bool
	typ   int // java.sql.Types
	out   bool
	in    bool
}

// parseParams turns the sampler's argument values and types into
// parameters, failing where JMeter's sampler fails.
func parseParams(values, types string) ([]param, error) {
	if strings.TrimSpace(values) == "" {
		return nil, nil
	}
	args, err := splitCSV(values)
	if err != nil {
		return nil, err
	}
	typeNames := strings.Split(types, ",")
	if len(args) != len(typeNames) {
		return nil, &sqlError{class: "java.sql.SQLException", state: "null",
			msg: fmt.Sprintf("number of arguments (%d) and number of types (%d) are not equal", len(args), len(typeNames))}
	}
	ps := make([]param, len(args))
	for i, a := range args {
		tn := typeNames[i]
		dir := ""
		if parts := strings.Split(tn, " "); len(parts) > 1 {
			dir, tn = parts[0], parts[1]
		}
		typ, err := jdbcType(tn)
		if err != nil {
			return nil, err
		}
		p := param{typ: typ}
		p.out = strings.EqualFold(dir, "OUT") || strings.EqualFold(dir, "INOUT")
		p.in = !strings.EqualFold(dir, "OUT")
		if p.in {
			if a == nullMarker {
				p.null = true
			} else if err := p.set(a); err != nil {
				return nil, err
			}
		}
		ps[i] = p
	}
	return ps, nil
}

// nullMarker is the argument value that stands for SQL NULL
// (jdbcsampler.nullmarker's default).
const nullMarker = "]NULL["

func numberFormat(s string) error {
	return &javaError{"java.lang.NumberFormatException", "For input string: \"" + s + "\""}
}

// set checks and normalises a value as the PreparedStatement setter for p's
// type would parse it.
func (p *param) set(a string) error {
	switch p.typ {
	case tInteger, tSmallint, tTinyint, tBigint:
		bits := map[int]int{tInteger: 32, tSmallint: 16, tTinyint: 8, tBigint: 64}[p.typ]
		v, err := strconv.ParseInt(a, 10, bits)
		if err != nil {
			// Byte/Short.parseByte name a value out of their range
			if _, e32 := strconv.ParseInt(a, 10, 32); e32 == nil && bits < 32 {
				return &javaError{"java.lang.NumberFormatException", fmt.Sprintf("Value out of range. Value:\"%s\" Radix:10", a)}
			}
			return numberFormat(a)
		}
		p.text = strconv.FormatInt(v, 10)
	case tDecimal, tNumeric:
		if !decimalRE.MatchString(a) {
			return &javaError{"java.lang.NumberFormatException", "Character array is missing \"exponent\" mark 'e' or 'E'."}
		}
		p.text = a
	case tDouble, tFloat, tReal:
		s := strings.TrimSpace(a)
		s = strings.TrimRight(s, "dDfF")
		v, err := strconv.ParseFloat(s, 64)
		if err != nil && !strings.Contains(err.Error(), "range") {
			if a == "" {
				return &javaError{"java.lang.NumberFormatException", "empty String"}
			}
			return numberFormat(a)
		}
		if p.typ == tReal {
			p.text = strconv.FormatFloat(float64(float32(v)), 'g', -1, 32)
		} else {
			p.text = strconv.FormatFloat(v, 'g', -1, 64)
		}
	case tBit, tBoolean:
		p.text = strconv.FormatBool(strings.EqualFold(a, "true"))
	case tDate:
		t, err := time.Parse("2006-1-2", a)
		if err != nil {
			return &javaError{"java.lang.IllegalArgumentException", ""}
		}
		p.text = t.Format("2006-01-02")
	case tTime:
		t, err := time.Parse("15:04:05", a)
		if err != nil {
			return &javaError{"java.lang.IllegalArgumentException", ""}
		}
		p.text = t.Format("15:04:05")
	case tTimestamp:
		t, err := time.Parse("2006-1-2 15:04:05.999999999", a)
		if err != nil {
			return &javaError{"java.lang.IllegalArgumentException", "Timestamp format must be yyyy-mm-dd hh:mm:ss[.fffffffff]"}
		}
		p.text = t.Format("2006-01-02 15:04:05.999999999")
	case tBinary, tVarbinary, tLongvarbin:
		p.text, p.bytes = a, true
	case tNull:
		p.null = true
	default:
		p.text = a
	}
	return nil
}
