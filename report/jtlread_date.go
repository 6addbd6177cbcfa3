package report

import (
	"strings"
	"time"
)

// parseJavaDate reads a timestamp written with a SimpleDateFormat pattern
// (compiled by compileTimestampLayout) and returns epoch milliseconds. Like
// a non-lenient SimpleDateFormat it checks field ranges and ignores text
// after the pattern; a zone in the text wins over loc.
func parseJavaDate(l *tsLayout, b []byte, loc *time.Location) (int64, bool) {
	year, month, day := 1970, 1, 1
	hour, minute, sec, milli := 0, 0, 0, 0
	yearDay := 0
	pm, hour12 := -1, false
	twoDigitYear := false
	var zone *time.Location
	i := 0
	for k, t := range l.toks {
		if t.letter == 0 {
			if len(b)-i < len(t.lit) || string(b[i:i+len(t.lit)]) != t.lit {
				return 0, false
			}
			i += len(t.lit)
			continue
		}
		switch t.letter {
		case 'M', 'L':
			if t.count >= 3 {
				m, n := matchName(b[i:], monthNames[:])
				if m < 0 {
					return 0, false
				}
				month, i = m+1, i+n
				continue
			}
		case 'E':
			d, n := matchName(b[i:], dayNames[:])
			if d < 0 {
				return 0, false
			}
			i += n
			continue
		case 'a':
			switch {
			case hasFoldPrefix(b[i:], "AM"):
				pm = 0
			case hasFoldPrefix(b[i:], "PM"):
				pm = 1
			default:
				return 0, false
			}
			i += 2
			continue
		case 'G':
			if !hasFoldPrefix(b[i:], "AD") {
				return 0, false
			}
			i += 2
			continue
		case 'z', 'Z', 'X':
			z, n := parseZone(b[i:])
			if n == 0 {
				return 0, false
			}
			zone, i = z, i+n
			continue
		}
		// A number: as many digits as there are, unless the next field is
		// also a number written right after it; then exactly count digits.
		width := -1
		if k+1 < len(l.toks) && isNumericTok(l.toks[k+1]) {
			width = t.count
		}
		v, n := readDigits(b[i:], width)
		if n == 0 {
			return 0, false
		}
		i += n
		switch t.letter {
		case 'y', 'Y', 'u':
			if t.letter == 'u' {
				continue // day number of week: informational
			}
			year = v
			twoDigitYear = t.count <= 2 && n == 2
		case 'M', 'L':
			month = v
		case 'd':
			day = v
		case 'D':
			yearDay = v
		case 'H':
			hour = v
			if v > 23 {
				return 0, false
			}
		case 'k':
			if v < 1 || v > 24 {
				return 0, false
			}
			hour = v % 24
		case 'K':
			if v > 11 {
				return 0, false
			}
			hour, hour12 = v, true
		case 'h':
			if v < 1 || v > 12 {
				return 0, false
			}
			hour, hour12 = v%12, true
		case 'm':
			minute = v
		case 's':
			sec = v
		case 'S':
			milli = v
		}
	}
	if hour12 && pm == 1 {
		hour += 12
	} else if !hour12 && pm == 1 && hour < 12 {
		hour += 12
	}
	if month < 1 || month > 12 || minute > 59 || sec > 59 || milli > 999 {
		return 0, false
	}
	if zone == nil {
		zone = loc
	}
	if zone == nil {
		zone = time.Local
	}
	if twoDigitYear {
		// SimpleDateFormat puts a two-digit year within 80 years before and 20 after now.
		now := time.Now().Year()
		base := now - 80
		year = base - base%100 + year
		if year < base {
			year += 100
		}
	}
	var t time.Time
	if yearDay > 0 && day == 1 && month == 1 {
		t = time.Date(year, 1, 1, hour, minute, sec, milli*1e6, zone).AddDate(0, 0, yearDay-1)
	} else {
		if day < 1 || day > daysIn(month, year) {
			return 0, false
		}
		t = time.Date(year, time.Month(month), day, hour, minute, sec, milli*1e6, zone)
	}
	return t.UnixMilli(), true
}

var monthNames = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
var dayNames = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

func isNumericTok(t tsTok) bool {
	switch t.letter {
	case 0, 'E', 'a', 'G', 'z', 'Z', 'X':
		return false
	case 'M', 'L':
		return t.count < 3
	}
	return true
}

func daysIn(month, year int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// readDigits reads up to width digits (all when width < 0).
func readDigits(b []byte, width int) (int, int) {
	v, n := 0, 0
	for n < len(b) && b[n] >= '0' && b[n] <= '9' && (width < 0 || n < width) && n < 10 {
		v = v*10 + int(b[n]-'0')
		n++
	}
	return v, n
}

func hasFoldPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && strings.EqualFold(string(b[:len(p)]), p)
}

// matchName matches a full or three-letter English name, longest first.
func matchName(b []byte, names []string) (int, int) {
	for i, n := range names {
		if hasFoldPrefix(b, n) {
			return i, len(n)
		}
	}
	for i, n := range names {
		if hasFoldPrefix(b, n[:3]) {
			return i, 3
		}
	}
	return -1, 0
}

// parseZone reads Z, UTC, GMT, GMT+hh:mm, +hh, +hhmm or +hh:mm.
func parseZone(b []byte) (*time.Location, int) {
	n := 0
	switch {
	case hasFoldPrefix(b, "UTC"), hasFoldPrefix(b, "GMT"):
		n = 3
		if len(b) == 3 || (b[3] != '+' && b[3] != '-') {
			return time.UTC, 3
		}
	case len(b) > 0 && b[0] == 'Z':
		return time.UTC, 1
	}
	if n >= len(b) || (b[n] != '+' && b[n] != '-') {
		return nil, 0
	}
	sign := 1
	if b[n] == '-' {
		sign = -1
	}
	n++
	h, k := readDigits(b[n:], 2)
	if k == 0 {
		return nil, 0
	}
	n += k
	m := 0
	if n < len(b) && b[n] == ':' {
		n++
	}
	if mm, k := readDigits(b[n:], 2); k == 2 {
		m = mm
		n += 2
	}
	if h > 23 || m > 59 {
		return nil, 0
	}
	return time.FixedZone("", sign*(h*3600+m*60)), n
}
