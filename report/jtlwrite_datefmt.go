package report

import (
	"fmt"
	"strconv"
	"time"
)

// tsLayout is a compiled Java SimpleDateFormat pattern, used when
// jmeter.save.saveservice.timestamp_format is not "ms". Formatting appends
// to a buffer without allocating.
type tsLayout struct {
	toks []tsTok
}

type tsTok struct {
	letter byte   // 0 for a literal
	count  int    // repetitions of the letter
	lit    string // literal text
}

// Pattern letters SimpleDateFormat knows; any other ASCII letter is an error there too.
const javaPatternLetters = "GyYMLwWDdFEuaHkKhmsSzZX"

func compileTimestampLayout(p string) (*tsLayout, error) {
	l := &tsLayout{}
	lit := []byte{}
	flush := func() {
		if len(lit) > 0 {
			l.toks = append(l.toks, tsTok{lit: string(lit)})
			lit = lit[:0]
		}
	}
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\'':
			if i+1 < len(p) && p[i+1] == '\'' {
				lit = append(lit, '\'')
				i += 2
				continue
			}
			j := i + 1
			for {
				if j >= len(p) {
					return nil, fmt.Errorf("unterminated quote at position %d", i)
				}
				if p[j] == '\'' {
					if j+1 < len(p) && p[j+1] == '\'' {
						lit = append(lit, '\'')
						j += 2
						continue
					}
					break
				}
				lit = append(lit, p[j])
				j++
			}
			i = j + 1
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			if !containsByte(javaPatternLetters, c) {
				return nil, fmt.Errorf("illegal pattern character '%c'", c)
			}
			n := 1
			for i+n < len(p) && p[i+n] == c {
				n++
			}
			if c == 'X' && n > 3 {
				return nil, fmt.Errorf("invalid ISO 8601 format: length=%d", n)
			}
			flush()
			l.toks = append(l.toks, tsTok{letter: c, count: n})
			i += n
		default:
			lit = append(lit, c)
			i++
		}
	}
	flush()
	return l, nil
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

func appendPadded(dst []byte, v int64, width int) []byte {
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	digits := 1
	for x := v; x >= 10; x /= 10 {
		digits++
	}
	for ; digits < width; digits++ {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, v, 10)
}

func (l *tsLayout) appendFormat(dst []byte, t time.Time) []byte {
	for _, k := range l.toks {
		n := k.count
		switch k.letter {
		case 0:
			dst = append(dst, k.lit...)
		case 'G':
			dst = append(dst, "AD"...)
		case 'y', 'Y':
			y := t.Year()
			if k.letter == 'Y' {
				y, _ = t.ISOWeek()
			}
			if n == 2 {
				dst = appendPadded(dst, int64(y%100), 2)
			} else {
				dst = appendPadded(dst, int64(y), n)
			}
		case 'M', 'L':
			m := t.Month()
			switch {
			case n >= 4:
				dst = append(dst, m.String()...)
			case n == 3:
				dst = append(dst, m.String()[:3]...)
			default:
				dst = appendPadded(dst, int64(m), n)
			}
		case 'w':
			_, w := t.ISOWeek()
			dst = appendPadded(dst, int64(w), n)
		case 'W':
			dst = appendPadded(dst, int64((t.Day()-1+int(t.AddDate(0, 0, 1-t.Day()).Weekday()))/7+1), n)
		case 'D':
			dst = appendPadded(dst, int64(t.YearDay()), n)
		case 'd':
			dst = appendPadded(dst, int64(t.Day()), n)
		case 'F':
			dst = appendPadded(dst, int64((t.Day()-1)/7+1), n)
		case 'E':
			if n >= 4 {
				dst = append(dst, t.Weekday().String()...)
			} else {
				dst = append(dst, t.Weekday().String()[:3]...)
			}
		case 'u':
			wd := int64(t.Weekday())
			if wd == 0 {
				wd = 7
			}
			dst = appendPadded(dst, wd, n)
		case 'a':
			if t.Hour() < 12 {
				dst = append(dst, "AM"...)
			} else {
				dst = append(dst, "PM"...)
			}
		case 'H':
			dst = appendPadded(dst, int64(t.Hour()), n)
		case 'k':
			h := t.Hour()
			if h == 0 {
				h = 24
			}
			dst = appendPadded(dst, int64(h), n)
		case 'K':
			dst = appendPadded(dst, int64(t.Hour()%12), n)
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			dst = appendPadded(dst, int64(h), n)
		case 'm':
			dst = appendPadded(dst, int64(t.Minute()), n)
		case 's':
			dst = appendPadded(dst, int64(t.Second()), n)
		case 'S':
			dst = appendPadded(dst, int64(t.Nanosecond()/1e6), n)
		case 'z':
			name, _ := t.Zone()
			dst = append(dst, name...)
		case 'Z':
			_, off := t.Zone()
			dst = appendOffset(dst, off, true, false)
		case 'X':
			_, off := t.Zone()
			if off == 0 {
				dst = append(dst, 'Z')
				break
			}
			dst = appendOffset(dst, off, n >= 2, n == 3)
		}
	}
	return dst
}

func appendOffset(dst []byte, off int, minutes, colon bool) []byte {
	if off < 0 {
		dst = append(dst, '-')
		off = -off
	} else {
		dst = append(dst, '+')
	}
	dst = appendPadded(dst, int64(off/3600), 2)
	if minutes {
		if colon {
			dst = append(dst, ':')
		}
		dst = appendPadded(dst, int64(off%3600/60), 2)
	}
	return dst
}
