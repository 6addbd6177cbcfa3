// Package javatime formats and parses dates with java.time (DateTimeFormatter)
// patterns, as JMeter 5.6 does in its time functions and as scripts do with
// DateTimeFormatter and SimpleDateFormat.
package javatime

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Format is a compiled java.time DateTimeFormatter pattern (JMeter 5.6
// uses java.time for __time, __timeShift, __dateTimeConvert, __RandomDate).
// Supported: the letters in javaLetters, quoted text ('T'; two quotes for
// one) and any other non-letter as literal text; optional sections ([ ])
// and the reserved characters { } # are compile errors. Names are English,
// as with JMeter's default locale on an English system, unless lang says
// otherwise.
type Format struct {
	pattern string
	toks    []jtok
	lang    *LangNames // full month and day names of a locale; nil: English
}

// LangNames are the full month and day names of one language, for the
// locale argument of __timeShift and __RandomDate (format and standalone
// forms coincide in these languages).
type LangNames struct {
	months [12]string
	days   [7]string // Sunday first
}

// LocaleNames returns the names for a Java locale such as "fr_FR"; ok is
// false for a language gometer has no names for. English gives nil.
func LocaleNames(locale string) (*LangNames, bool) {
	lang := strings.ToLower(locale)
	if i := strings.IndexAny(lang, "_-"); i >= 0 {
		lang = lang[:i]
	}
	split := func(months, days string) *LangNames {
		var n LangNames
		copy(n.months[:], strings.Fields(months))
		copy(n.days[:], strings.Fields(days))
		return &n
	}
	switch lang {
	case "", "en":
		return nil, true
	case "fr":
		return split("janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
			"dimanche lundi mardi mercredi jeudi vendredi samedi"), true
	case "de":
		return split("Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
			"Sonntag Montag Dienstag Mittwoch Donnerstag Freitag Samstag"), true
	case "es":
		return split("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
			"domingo lunes martes miércoles jueves viernes sábado"), true
	case "it":
		return split("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
			"domenica lunedì martedì mercoledì giovedì venerdì sabato"), true
	case "pt":
		return split("janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
			"domingo segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado"), true
	case "nl":
		return split("januari februari maart april mei juni juli augustus september oktober november december",
			"zondag maandag dinsdag woensdag donderdag vrijdag zaterdag"), true
	}
	return nil, false
}

// inLocale returns the format using the locale's full names. Abbreviated
// and narrow names stay English: JMeter's locales abbreviate in ways
// gometer does not reproduce, so usesAbbreviatedNames lets callers refuse.
func (f *Format) InLocale(n *LangNames) *Format {
	if n == nil {
		return f
	}
	c := *f
	c.lang = n
	return &c
}

// usesAbbreviatedNames reports whether the pattern has short or narrow
// month or day names (MMM, E, EEEEE …).
func (f *Format) UsesAbbreviatedNames() bool {
	for _, tk := range f.toks {
		switch tk.letter {
		case 'M', 'L':
			if tk.count == 3 || tk.count == 5 {
				return true
			}
		case 'E':
			if tk.count != 4 {
				return true
			}
		case 'e', 'c':
			if tk.count == 3 || tk.count == 5 {
				return true
			}
		}
	}
	return false
}

func (f *Format) monthName(m time.Month, count int) string {
	if f.lang != nil && count == 4 {
		return f.lang.months[m-1]
	}
	s := m.String()
	switch count {
	case 3:
		return s[:3]
	case 5:
		return s[:1]
	}
	return s
}

// dayName renders a day; short is true for the abbreviated form.
func (f *Format) dayName(d time.Weekday, full, narrow bool) string {
	if f.lang != nil && full {
		return f.lang.days[d]
	}
	s := d.String()
	switch {
	case narrow:
		return s[:1]
	case !full:
		return s[:3]
	}
	return s
}

type jtok struct {
	letter byte // 0 for literal text
	count  int
	lit    string
}

const javaLetters = "GyuYMLdDHhkKmsSnNAaEeczZXxOVwWQqF"

func Compile(p string) (*Format, error) {
	f := &Format{pattern: p}
	for i := 0; i < len(p); {
		ch := p[i]
		switch {
		case ch == '\'':
			j := i + 1
			var lit strings.Builder
			closed := false
			for j < len(p) {
				if p[j] == '\'' {
					if j+1 < len(p) && p[j+1] == '\'' {
						lit.WriteByte('\'')
						j += 2
						continue
					}
					closed = true
					j++
					break
				}
				lit.WriteByte(p[j])
				j++
			}
			if !closed {
				return nil, fmt.Errorf("pattern %q: unterminated quote", p)
			}
			if j == i+2 { // '' outside quotes is one quote
				f.add(jtok{lit: "'"})
			} else {
				f.add(jtok{lit: lit.String()})
			}
			i = j
		case ('a' <= ch && ch <= 'z') || ('A' <= ch && ch <= 'Z'):
			j := i
			for j < len(p) && p[j] == ch {
				j++
			}
			n := j - i
			if !strings.ContainsRune(javaLetters, rune(ch)) {
				return nil, fmt.Errorf("pattern %q: unsupported pattern letter '%c'", p, ch)
			}
			if err := checkLetterCount(ch, n); err != nil {
				return nil, fmt.Errorf("pattern %q: %v", p, err)
			}
			f.toks = append(f.toks, jtok{letter: ch, count: n})
			i = j
		case ch == '[' || ch == ']' || ch == '{' || ch == '}' || ch == '#':
			return nil, fmt.Errorf("pattern %q: '%c' (optional sections and reserved characters) is not supported", p, ch)
		default:
			f.add(jtok{lit: string(ch)})
			i++
		}
	}
	return f, nil
}

func (f *Format) add(t jtok) {
	if n := len(f.toks); n > 0 && f.toks[n-1].letter == 0 {
		f.toks[n-1].lit += t.lit
		return
	}
	f.toks = append(f.toks, t)
}

func checkLetterCount(ch byte, n int) error {
	max := 0
	switch ch {
	case 'd', 'H', 'h', 'k', 'K', 'm', 's':
		max = 2
	case 'D':
		max = 3
	case 'M', 'L', 'E', 'G', 'Z', 'X', 'x':
		max = 5
	case 'a':
		max = 1
	case 'z', 'O':
		max = 4
	case 'V':
		if n != 2 {
			return fmt.Errorf("pattern letter 'V' must be VV")
		}
		return nil
	case 'S', 'n':
		max = 9
	case 'y', 'u', 'Y', 'A', 'N':
		max = 19
	case 'w', 'e', 'c', 'Q', 'q':
		if ch == 'w' {
			max = 2
		} else if ch == 'c' {
			max = 5
			if n == 2 {
				return fmt.Errorf("invalid pattern letters: cc")
			}
		} else {
			max = 5
		}
	case 'W', 'F':
		max = 1
	default:
		return nil
	}
	if n > max {
		return fmt.Errorf("too many pattern letters: %s", strings.Repeat(string(ch), n))
	}
	return nil
}

func pad(b []byte, v int64, width int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func offsetText(b []byte, off int, colon, seconds, zForZero bool) []byte {
	if off == 0 && zForZero {
		return append(b, 'Z')
	}
	sign := byte('+')
	if off < 0 {
		sign = '-'
		off = -off
	}
	b = append(b, sign)
	b = pad(b, int64(off/3600), 2)
	if colon {
		b = append(b, ':')
	}
	b = pad(b, int64(off/60%60), 2)
	if seconds && off%60 != 0 {
		if colon {
			b = append(b, ':')
		}
		b = pad(b, int64(off%60), 2)
	}
	return b
}

// format renders t in its own location.
func (f *Format) Format(t time.Time) string {
	var buf [64]byte // stays on the stack for usual patterns
	b := buf[:0]
	_, off := t.Zone()
	for _, tk := range f.toks {
		n := tk.count
		switch tk.letter {
		case 0:
			b = append(b, tk.lit...)
		case 'G':
			if n == 4 {
				b = append(b, "Anno Domini"...)
			} else if n == 5 {
				b = append(b, 'A')
			} else {
				b = append(b, "AD"...)
			}
		case 'y', 'u':
			if n == 2 {
				b = pad(b, int64(t.Year()%100), 2)
			} else {
				b = pad(b, int64(t.Year()), n)
			}
		case 'Y':
			y := weekYear(t)
			if n == 2 {
				b = pad(b, int64(y%100), 2)
			} else {
				b = pad(b, int64(y), n)
			}
		case 'w':
			b = pad(b, int64(weekOfWeekYear(t)), n)
		case 'W':
			first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
			b = pad(b, int64((t.Day()+int(first.Weekday())-1)/7+1), n)
		case 'F':
			b = pad(b, int64((t.Day()-1)/7+1), n)
		case 'e', 'c':
			if n <= 2 {
				b = pad(b, int64(t.Weekday())+1, n)
			} else {
				b = append(b, f.dayName(t.Weekday(), n == 4, n == 5)...)
			}
		case 'Q', 'q':
			q := (int(t.Month())-1)/3 + 1
			switch n {
			case 1, 2:
				b = pad(b, int64(q), n)
			case 3:
				b = append(b, 'Q')
				b = strconv.AppendInt(b, int64(q), 10)
			case 4:
				b = append(b, [...]string{"1st", "2nd", "3rd", "4th"}[q-1]...)
				b = append(b, " quarter"...)
			default:
				b = strconv.AppendInt(b, int64(q), 10)
			}
		case 'M', 'L':
			if n <= 2 {
				b = pad(b, int64(t.Month()), n)
			} else {
				b = append(b, f.monthName(t.Month(), n)...)
			}
		case 'd':
			b = pad(b, int64(t.Day()), n)
		case 'D':
			b = pad(b, int64(t.YearDay()), n)
		case 'H':
			b = pad(b, int64(t.Hour()), n)
		case 'k':
			h := t.Hour()
			if h == 0 {
				h = 24
			}
			b = pad(b, int64(h), n)
		case 'K':
			b = pad(b, int64(t.Hour()%12), n)
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			b = pad(b, int64(h), n)
		case 'm':
			b = pad(b, int64(t.Minute()), n)
		case 's':
			b = pad(b, int64(t.Second()), n)
		case 'S':
			var ns [9]byte
			v := t.Nanosecond()
			for k := 8; k >= 0; k-- {
				ns[k] = byte('0' + v%10)
				v /= 10
			}
			b = append(b, ns[:n]...)
		case 'n':
			b = pad(b, int64(t.Nanosecond()), n)
		case 'N':
			h, m, s := t.Clock()
			b = pad(b, int64((h*3600+m*60+s))*1e9+int64(t.Nanosecond()), n)
		case 'A':
			h, m, s := t.Clock()
			b = pad(b, int64((h*3600+m*60+s))*1000+int64(t.Nanosecond()/1e6), n)
		case 'a':
			if t.Hour() < 12 {
				b = append(b, "AM"...)
			} else {
				b = append(b, "PM"...)
			}
		case 'E':
			b = append(b, f.dayName(t.Weekday(), n == 4, n == 5)...)
		case 'z':
			name, _ := t.Zone()
			b = append(b, name...)
		case 'Z':
			switch n {
			case 4:
				b = append(b, "GMT"...)
				if off != 0 {
					b = offsetText(b, off, true, true, false)
				}
			case 5:
				b = offsetText(b, off, true, true, true)
			default:
				b = offsetText(b, off, false, true, false)
			}
		case 'X', 'x':
			z := tk.letter == 'X'
			if off == 0 && z {
				b = append(b, 'Z')
				break
			}
			switch n {
			case 1:
				if off%3600 == 0 {
					sign := byte('+')
					o := off
					if o < 0 {
						sign, o = '-', -o
					}
					b = append(b, sign)
					b = pad(b, int64(o/3600), 2)
				} else {
					b = offsetText(b, off, false, false, false)
				}
			case 2:
				b = offsetText(b, off, false, false, false)
			case 3:
				b = offsetText(b, off, true, false, false)
			case 4:
				b = offsetText(b, off, false, true, false)
			default:
				b = offsetText(b, off, true, true, false)
			}
		case 'O':
			b = append(b, "GMT"...)
			if off != 0 {
				if n == 4 {
					b = offsetText(b, off, true, true, false)
				} else {
					sign := byte('+')
					o := off
					if o < 0 {
						sign, o = '-', -o
					}
					b = append(b, sign)
					b = strconv.AppendInt(b, int64(o/3600), 10)
					if o%3600 != 0 {
						b = append(b, ':')
						b = pad(b, int64(o/60%60), 2)
					}
				}
			}
		case 'V':
			name := t.Location().String()
			if name == "Local" {
				name, _ = t.Zone()
			}
			b = append(b, name...)
		}
	}
	return string(b)
}

// weekYear is the week-based year with Sunday-start weeks and week 1 the
// one holding January 1st: the last days of December may belong to the
// next year.
func weekYear(t time.Time) int {
	y := t.Year()
	if t.Month() == time.December {
		sat := t.AddDate(0, 0, 6-int(t.Weekday()))
		if sat.Year() > y {
			return y + 1
		}
	}
	return y
}

// weekOfWeekYear numbers weeks (Sunday to Saturday) from the one holding
// January 1st of the week-based year.
func weekOfWeekYear(t time.Time) int {
	y := weekYear(t)
	jan1 := time.Date(y, time.January, 1, 0, 0, 0, 0, t.Location())
	start := jan1.AddDate(0, 0, -int(jan1.Weekday()))
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	return int(day.Sub(start).Hours()/24)/7 + 1
}

// isNumeric reports whether a token is parsed as digits.
func (tk jtok) isNumeric() bool {
	switch tk.letter {
	case 'y', 'u', 'Y', 'd', 'D', 'H', 'k', 'K', 'h', 'm', 's', 'S', 'n', 'N', 'A', 'w', 'W', 'F':
		return true
	case 'M', 'L', 'e', 'c', 'Q', 'q':
		return tk.count <= 2
	}
	return false
}

// fixedWidth returns the width of a fixed-width numeric token, or 0.
func (tk jtok) fixedWidth() int {
	switch tk.letter {
	case 'y', 'u', 'Y':
		if tk.count == 2 {
			return 2
		}
		return 0
	case 'S':
		return tk.count
	case 'n', 'N', 'A':
		return 0
	}
	if tk.count >= 2 {
		return tk.count
	}
	return 0
}

// Defaults are the values used for fields a pattern does not contain.
type Defaults struct {
	Year int
	Loc  *time.Location
}

// parse reads s with the pattern. Fields missing from the pattern take the
// defaults: day and month 1, time 00:00, the given year and zone.
func (f *Format) Parse(s string, def Defaults) (time.Time, error) {
	year, month, day := def.Year, 1, 1
	hour, minute, sec, nanos := 0, 0, 0, 0
	pm, havePM, h12 := false, false, false
	var loc *time.Location
	fail := func(what string) (time.Time, error) {
		return time.Time{}, fmt.Errorf("text %q could not be parsed with pattern %q: %s", s, f.pattern, what)
	}
	pos := 0
	for i, tk := range f.toks {
		if tk.letter == 0 {
			if !strings.HasPrefix(s[pos:], tk.lit) {
				return fail(fmt.Sprintf("expected %q at offset %d", tk.lit, pos))
			}
			pos += len(tk.lit)
			continue
		}
		if tk.isNumeric() {
			width := tk.fixedWidth()
			maxw := width
			if width == 0 {
				// Adjacent value parsing: leave room for the fixed-width
				// numeric fields that directly follow.
				reserve := 0
				for _, nx := range f.toks[i+1:] {
					if !nx.isNumeric() || nx.fixedWidth() == 0 {
						break
					}
					reserve += nx.fixedWidth()
				}
				avail := 0
				for pos+avail < len(s) && s[pos+avail] >= '0' && s[pos+avail] <= '9' {
					avail++
				}
				maxw = avail - reserve
				if maxw < 1 {
					maxw = 1
				}
			}
			sign := 1
			if (tk.letter == 'y' || tk.letter == 'u') && width == 0 && pos < len(s) && (s[pos] == '-' || s[pos] == '+') {
				if s[pos] == '-' {
					sign = -1
				}
				pos++
			}
			j := pos
			for j < len(s) && j-pos < maxw && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j == pos || (width > 0 && j-pos != width) || (width == 0 && j-pos < tk.count && tk.letter != 'S') {
				return fail(fmt.Sprintf("expected %d digit(s) for '%c' at offset %d", max(width, 1), tk.letter, pos))
			}
			digits := s[pos:j]
			v, _ := strconv.ParseInt(digits, 10, 64)
			pos = j
			switch tk.letter {
			case 'y', 'u', 'Y': // Y: the week-based year, read as the year
				if tk.count == 2 {
					year = 2000 + int(v)
				} else {
					year = sign * int(v)
				}
			case 'M', 'L':
				month = int(v)
			case 'd':
				day = int(v)
			case 'D':
				// day of year: resolve against January 1st
				month, day = 1, int(v)
			case 'H':
				hour = int(v)
			case 'k':
				hour = int(v) % 24
			case 'K', 'h':
				hour, h12 = int(v)%12, true
			case 'm':
				minute = int(v)
			case 's':
				sec = int(v)
			case 'S':
				d := digits
				for len(d) < 9 {
					d += "0"
				}
				n, _ := strconv.Atoi(d[:9])
				nanos = n
			case 'n':
				nanos = int(v)
			case 'N':
				nanos = int(v % 1e9)
				t := v / 1e9
				hour, minute, sec = int(t/3600), int(t/60%60), int(t%60)
			case 'A':
				nanos = int(v%1000) * 1e6
				t := v / 1000
				hour, minute, sec = int(t/3600), int(t/60%60), int(t%60)
			}
			continue
		}
		rest := s[pos:]
		switch tk.letter {
		case 'M', 'L':
			found := false
			for m := time.January; m <= time.December; m++ {
				name := f.monthName(m, tk.count)
				if len(rest) >= len(name) && strings.EqualFold(rest[:len(name)], name) {
					month, found = int(m), true
					pos += len(name)
					break
				}
			}
			if !found {
				return fail(fmt.Sprintf("expected a month name at offset %d", pos))
			}
		case 'Q', 'q':
			j := 0
			for j < len(rest) && rest[j] != ' ' && !(rest[j] >= '0' && rest[j] <= '9' && j > 1) {
				j++
			}
			if j == 0 {
				return fail("expected a quarter")
			}
			pos += j
			if tk.count == 4 && strings.HasPrefix(s[pos:], " quarter") {
				pos += len(" quarter")
			}
		case 'E', 'e', 'c':
			found := false
			for d := time.Sunday; d <= time.Saturday; d++ {
				name := f.dayName(d, tk.count == 4, tk.count == 5)
				if len(rest) >= len(name) && strings.EqualFold(rest[:len(name)], name) {
					found = true
					pos += len(name)
					break
				}
			}
			if !found {
				return fail(fmt.Sprintf("expected a day name at offset %d", pos))
			}
		case 'a':
			if len(rest) < 2 {
				return fail("expected AM or PM")
			}
			switch strings.ToUpper(rest[:2]) {
			case "AM":
				havePM, pm = true, false
			case "PM":
				havePM, pm = true, true
			default:
				return fail(fmt.Sprintf("expected AM or PM at offset %d", pos))
			}
			pos += 2
		case 'G':
			switch {
			case strings.HasPrefix(rest, "Anno Domini"):
				pos += len("Anno Domini")
			case strings.HasPrefix(rest, "AD"):
				pos += 2
			default:
				return fail("expected AD")
			}
		case 'Z', 'X', 'x', 'O':
			if strings.HasPrefix(rest, "GMT") && (tk.letter == 'O' || tk.letter == 'Z') {
				pos += 3
				rest = rest[3:]
				if rest == "" || (rest[0] != '+' && rest[0] != '-') {
					loc = time.UTC
					break
				}
				// localized offset: GMT+H, GMT+HH:MM, GMT+HH:MM:SS
				off, n, ok := parseLocalizedOffset(rest)
				if !ok {
					return fail(fmt.Sprintf("expected a GMT offset at offset %d", pos))
				}
				loc = time.FixedZone("", off)
				pos += n
				break
			}
			if len(rest) > 0 && rest[0] == 'Z' && tk.letter != 'x' {
				loc = time.UTC
				pos++
				break
			}
			off, n, ok := parseOffset(rest)
			if !ok {
				return fail(fmt.Sprintf("expected a zone offset at offset %d", pos))
			}
			loc = time.FixedZone("", off)
			pos += n
		case 'z', 'V':
			j := 0
			for j < len(rest) && (isLetter(rest[j]) || rest[j] == '/' || rest[j] == '_') {
				j++
			}
			name := rest[:j]
			switch {
			case name == "UTC" || name == "GMT" || name == "Z" || name == "UT":
				loc = time.UTC
			default:
				if l, err := time.LoadLocation(name); err == nil && name != "" && name != "Local" {
					loc = l
				} else if zn, off := time.Now().In(def.Loc).Zone(); zn == name && name != "" {
					loc = time.FixedZone(name, off)
				} else {
					return fail(fmt.Sprintf("unknown time zone %q", name))
				}
			}
			pos += j
		}
	}
	if pos != len(s) {
		return fail(fmt.Sprintf("unparsed text %q", s[pos:]))
	}
	if h12 && havePM && pm {
		hour += 12
	}
	if month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return fail("field out of range")
	}
	if loc == nil {
		loc = def.Loc
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nanos, loc)
	if t.Day() != day && f.hasLetter('d') {
		return fail("invalid date")
	}
	return t, nil
}

func (f *Format) hasLetter(ch byte) bool {
	for _, tk := range f.toks {
		if tk.letter == ch {
			return true
		}
	}
	return false
}

func isLetter(b byte) bool { return ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') }

// parseLocalizedOffset reads the part after "GMT": +H, +HH, +H:MM, +HH:MM
// or +HH:MM:SS.
func parseLocalizedOffset(s string) (off, n int, ok bool) {
	if len(s) < 2 || (s[0] != '+' && s[0] != '-') {
		return 0, 0, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	i := 1
	h := 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		h = h*10 + int(s[i]-'0')
		i++
	}
	if i == 1 {
		return 0, 0, false
	}
	secs := h * 3600
	for _, unit := range []int{60, 1} {
		if i+3 <= len(s) && s[i] == ':' && s[i+1] >= '0' && s[i+1] <= '9' && s[i+2] >= '0' && s[i+2] <= '9' {
			secs += (int(s[i+1]-'0')*10 + int(s[i+2]-'0')) * unit
			i += 3
		} else {
			break
		}
	}
	return sign * secs, i, true
}

// parseOffset reads +HH, +HHMM, +HH:MM, +HHMMSS or +HH:MM:SS.
func parseOffset(s string) (off, n int, ok bool) {
	if len(s) < 3 || (s[0] != '+' && s[0] != '-') {
		return 0, 0, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	num := func(i int) (int, bool) {
		if i+2 > len(s) || s[i] < '0' || s[i] > '9' || s[i+1] < '0' || s[i+1] > '9' {
			return 0, false
		}
		return int(s[i]-'0')*10 + int(s[i+1]-'0'), true
	}
	h, ok := num(1)
	if !ok {
		return 0, 0, false
	}
	n = 3
	secs := h * 3600
	for k := 0; k < 2; k++ {
		i := n
		if i < len(s) && s[i] == ':' {
			i++
		}
		v, ok := num(i)
		if !ok {
			break
		}
		if k == 0 {
			secs += v * 60
		} else {
			secs += v
		}
		n = i + 2
	}
	return sign * secs, n, true
}
