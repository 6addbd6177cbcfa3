package java

import (
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/internal/javatime"
)

// javaDate is a java.util.Date.
type javaDate struct{ t time.Time }

func (d *javaDate) javaClass() string { return "java.util.Date" }

// String is Date.toString: "Sun Dec 06 15:57:08 UTC 2026".
func (d *javaDate) String() string { return d.t.Format("Mon Jan 02 15:04:05 MST 2006") }

func (d *javaDate) Equals(o any) bool {
	x, ok := o.(*javaDate)
	return ok && x.t.Equal(d.t)
}

func (d *javaDate) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "getTime":
		return d.t.UnixMilli(), true, nil
	case "setTime":
		ms, _ := toInt64(args[0])
		d.t = time.UnixMilli(ms).In(d.t.Location())
		return nil, true, nil
	case "toString":
		return d.String(), true, nil
	case "before":
		if o, ok := args[0].(*javaDate); ok {
			return d.t.Before(o.t), true, nil
		}
	case "after":
		if o, ok := args[0].(*javaDate); ok {
			return d.t.After(o.t), true, nil
		}
	case "compareTo":
		if o, ok := args[0].(*javaDate); ok {
			return int32(d.t.Compare(o.t)), true, nil
		}
	case "getDate":
		return int32(d.t.Day()), true, nil
	case "getDay":
		return int32(d.t.Weekday()), true, nil
	case "getHours":
		return int32(d.t.Hour()), true, nil
	case "getMinutes":
		return int32(d.t.Minute()), true, nil
	case "getSeconds":
		return int32(d.t.Second()), true, nil
	case "getMonth":
		return int32(d.t.Month() - 1), true, nil
	case "getYear":
		return int32(d.t.Year() - 1900), true, nil
	case "setDate", "setHours", "setMinutes", "setSeconds", "setMonth", "setYear":
		n, _ := toInt(args[0])
		t := d.t
		y, mo, dd := t.Date()
		h, mi, s := t.Clock()
		switch name {
		case "setDate":
			dd = n
		case "setHours":
			h = n
		case "setMinutes":
			mi = n
		case "setSeconds":
			s = n
		case "setMonth":
			mo = time.Month(n + 1)
		case "setYear":
			y = n + 1900
		}
		d.t = time.Date(y, mo, dd, h, mi, s, t.Nanosecond(), t.Location())
		return nil, true, nil
	case "toInstant":
		return &instant{t: d.t}, true, nil
	case "clone":
		return &javaDate{t: d.t}, true, nil
	}
	if r.groovy {
		switch name {
		case "format":
			if len(args) >= 1 {
				f, err := compileDatePattern(r.toStr(args[0]))
				if err != nil {
					return nil, true, err
				}
				t := d.t
				if len(args) == 2 {
					if z, ok := args[1].(*timeZone); ok {
						t = t.In(z.loc)
					}
				}
				return f.Format(t), true, nil
			}
		case "plus", "minus":
			n, _ := toInt(args[0])
			if name == "minus" {
				n = -n
			}
			return &javaDate{t: d.t.AddDate(0, 0, n)}, true, nil
		}
	}
	return nil, false, nil
}

// durationString is java.time.Duration.toString (PT1H2M3.5S).
func durationString(d time.Duration) string {
	if d == 0 {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteString("PT")
	neg := d < 0
	if neg {
		d = -d
	}
	sign := ""
	if neg {
		sign = "-"
	}
	h := int64(d / time.Hour)
	m := int64(d % time.Hour / time.Minute)
	s := d % time.Minute
	if h > 0 {
		b.WriteString(sign + strconv.FormatInt(h, 10) + "H")
	}
	if m > 0 {
		b.WriteString(sign + strconv.FormatInt(m, 10) + "M")
	}
	if s > 0 {
		secs := int64(s / time.Second)
		frac := int64(s % time.Second)
		b.WriteString(sign + strconv.FormatInt(secs, 10))
		if frac > 0 {
			fs := strconv.FormatInt(frac+1e9, 10)[1:]
			b.WriteString("." + strings.TrimRight(fs, "0"))
		}
		b.WriteString("S")
	}
	return b.String()
}

// ---- patterns (SimpleDateFormat and DateTimeFormatter share the
// java.time pattern engine; SimpleDateFormat's few different letters,
// e.g. 'u' as day-of-week number, follow java.time here)

type dateFormat struct {
	f       *javatime.Format
	pattern string
	loc     *time.Location
	legacy  bool // SimpleDateFormat (java.util.Date values)
}

func compileDatePattern(p string) (*javatime.Format, error) {
	f, err := javatime.Compile(p)
	if err != nil {
		return nil, newExc("java.lang.IllegalArgumentException", err.Error())
	}
	return f, nil
}

func (d *dateFormat) javaClass() string {
	if d.legacy {
		return "java.text.SimpleDateFormat"
	}
	return "java.time.format.DateTimeFormatter"
}

func (d *dateFormat) String() string { return d.pattern }

func (d *dateFormat) zone() *time.Location {
	if d.loc != nil {
		return d.loc
	}
	return time.Local
}

func (d *dateFormat) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "format":
		if len(args) != 1 {
			return nil, false, nil
		}
		t, err := timeOf(args[0])
		if err != nil {
			return nil, true, err
		}
		if d.legacy || isAny[*instant](args[0]) {
			t = t.In(d.zone())
		}
		return d.f.Format(t), true, nil
	case "parse":
		if len(args) < 1 {
			return nil, false, nil
		}
		t, err := d.f.Parse(r.toStr(args[0]), javatime.Defaults{Year: 1970, Loc: d.zone()})
		if err != nil {
			if d.legacy {
				return nil, true, newExc("java.text.ParseException", "Unparseable date: \""+r.toStr(args[0])+"\"")
			}
			return nil, true, newExc("java.time.format.DateTimeParseException", err.Error())
		}
		if d.legacy {
			return &javaDate{t: t}, true, nil
		}
		return &jtime{t: t, kind: ldt}, true, nil
	case "setTimeZone":
		if !d.legacy { // DateTimeFormatter constants are shared and immutable
			return nil, false, nil
		}
		if z, ok := args[0].(*timeZone); ok {
			d.loc = z.loc
		}
		return nil, true, nil
	case "withZone":
		if z, ok := args[0].(*timeZone); ok {
			return &dateFormat{f: d.f, pattern: d.pattern, loc: z.loc}, true, nil
		}
	case "withLocale":
		return d, true, nil
	case "toPattern", "toString":
		return d.pattern, true, nil
	case "setLenient":
		return nil, true, nil
	}
	return nil, false, nil
}

// ---- TimeZone / ZoneId

type timeZone struct {
	loc *time.Location
	id  string
}

func (z *timeZone) javaClass() string { return "java.util.TimeZone" }
func (z *timeZone) String() string    { return z.id }
func (z *timeZone) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "getID", "getId", "toString":
		return z.id, true, nil
	}
	return nil, false, nil
}

func zoneOf(r *runner, v any) (*timeZone, error) {
	if z, ok := v.(*timeZone); ok {
		return z, nil
	}
	id := r.toStr(v)
	switch id {
	case "UTC", "GMT", "Z":
		return &timeZone{loc: time.UTC, id: id}, nil
	}
	if len(id) > 0 && (id[0] == '+' || id[0] == '-') || strings.HasPrefix(id, "GMT+") || strings.HasPrefix(id, "GMT-") || strings.HasPrefix(id, "UTC+") || strings.HasPrefix(id, "UTC-") {
		s := strings.TrimPrefix(strings.TrimPrefix(id, "GMT"), "UTC")
		sign := 1
		if s[0] == '-' {
			sign = -1
		}
		hm := strings.SplitN(s[1:], ":", 2)
		h, _ := strconv.Atoi(hm[0])
		m := 0
		if len(hm) == 2 {
			m, _ = strconv.Atoi(hm[1])
		}
		return &timeZone{loc: time.FixedZone(id, sign*(h*3600+m*60)), id: id}, nil
	}
	loc, err := time.LoadLocation(id)
	if err != nil {
		return nil, newExc("java.time.zone.ZoneRulesException", "Unknown time-zone ID: "+id)
	}
	return &timeZone{loc: loc, id: id}, nil
}

// ---- java.time values

type timeKind int

const (
	ldt timeKind = iota // LocalDateTime
	ld                  // LocalDate
	lt                  // LocalTime
	zdt                 // ZonedDateTime / OffsetDateTime
)

type jtime struct {
	t    time.Time
	kind timeKind
}

type instant struct{ t time.Time }

func (i *instant) javaClass() string { return "java.time.Instant" }

// String is Instant.toString: ISO-8601 in UTC with the shortest fraction
// in groups of three digits.
func (i *instant) String() string {
	t := i.t.UTC()
	return t.Format("2006-01-02T15:04:05") + fraction(t.Nanosecond()) + "Z"
}

func fraction(ns int) string {
	switch {
	case ns == 0:
		return ""
	case ns%1e6 == 0:
		return "." + strconv.Itoa(ns/1e6 + 1000)[1:]
	case ns%1e3 == 0:
		return "." + strconv.Itoa(ns/1e3 + 1e6)[1:]
	}
	return "." + strconv.Itoa(ns + 1e9)[1:]
}

func (i *instant) Equals(o any) bool {
	x, ok := o.(*instant)
	return ok && x.t.Equal(i.t)
}

func (i *instant) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "toEpochMilli":
		return i.t.UnixMilli(), true, nil
	case "getEpochSecond":
		return i.t.Unix(), true, nil
	case "getNano":
		return int32(i.t.Nanosecond()), true, nil
	case "toString":
		return i.String(), true, nil
	case "plusSeconds", "minusSeconds", "plusMillis", "minusMillis":
		n, _ := toInt64(args[0])
		unit := time.Second
		if strings.HasSuffix(name, "Millis") {
			unit = time.Millisecond
		}
		if strings.HasPrefix(name, "minus") {
			n = -n
		}
		return &instant{t: i.t.Add(time.Duration(n) * unit)}, true, nil
	case "isBefore", "isAfter", "compareTo":
		o, ok := args[0].(*instant)
		if !ok {
			return nil, false, nil
		}
		c := i.t.Compare(o.t)
		switch name {
		case "isBefore":
			return c < 0, true, nil
		case "isAfter":
			return c > 0, true, nil
		}
		return int32(c), true, nil
	case "atZone":
		z, err := zoneOf(r, args[0])
		if err != nil {
			return nil, true, err
		}
		return &jtime{t: i.t.In(z.loc), kind: zdt}, true, nil
	}
	return nil, false, nil
}

func (j *jtime) javaClass() string {
	switch j.kind {
	case ld:
		return "java.time.LocalDate"
	case lt:
		return "java.time.LocalTime"
	case zdt:
		return "java.time.ZonedDateTime"
	}
	return "java.time.LocalDateTime"
}

func localTimeString(t time.Time) string {
	s := t.Format("15:04")
	if t.Second() != 0 || t.Nanosecond() != 0 {
		s += t.Format(":05") + fraction(t.Nanosecond())
	}
	return s
}

func (j *jtime) String() string {
	switch j.kind {
	case ld:
		return j.t.Format("2006-01-02")
	case lt:
		return localTimeString(j.t)
	case zdt:
		off := j.t.Format("Z07:00")
		s := j.t.Format("2006-01-02T") + localTimeString(j.t) + off
		if name := j.t.Location().String(); name != "" && name != "Local" && !strings.HasPrefix(name, "+") && !strings.HasPrefix(name, "-") {
			s += "[" + name + "]"
		}
		return s
	}
	return j.t.Format("2006-01-02T") + localTimeString(j.t)
}

func (j *jtime) Equals(o any) bool {
	x, ok := o.(*jtime)
	return ok && x.kind == j.kind && x.t.Equal(j.t)
}

func (j *jtime) invoke(r *runner, name string, args []any) (any, bool, error) {
	with := func(t time.Time) *jtime { return &jtime{t: t, kind: j.kind} }
	n := int64(0)
	if len(args) == 1 {
		n, _ = toInt64(args[0])
	}
	switch name {
	case "format":
		if len(args) == 1 {
			d, ok := args[0].(*dateFormat)
			if !ok {
				return nil, true, newExc("java.lang.IllegalArgumentException", "format needs a DateTimeFormatter")
			}
			return d.f.Format(j.t), true, nil
		}
	case "toString":
		return j.String(), true, nil
	case "plusDays", "minusDays", "plusWeeks", "minusWeeks", "plusMonths", "minusMonths", "plusYears", "minusYears":
		if strings.HasPrefix(name, "minus") {
			n = -n
		}
		switch {
		case strings.HasSuffix(name, "Days"):
			return with(j.t.AddDate(0, 0, int(n))), true, nil
		case strings.HasSuffix(name, "Weeks"):
			return with(j.t.AddDate(0, 0, 7*int(n))), true, nil
		case strings.HasSuffix(name, "Months"):
			return with(addMonthsClamped(j.t, int(n))), true, nil
		}
		return with(addMonthsClamped(j.t, 12*int(n))), true, nil
	case "plusHours", "minusHours", "plusMinutes", "minusMinutes", "plusSeconds", "minusSeconds", "plusNanos", "minusNanos":
		if strings.HasPrefix(name, "minus") {
			n = -n
		}
		unit := time.Hour
		switch {
		case strings.HasSuffix(name, "Minutes"):
			unit = time.Minute
		case strings.HasSuffix(name, "Seconds"):
			unit = time.Second
		case strings.HasSuffix(name, "Nanos"):
			unit = time.Nanosecond
		}
		return with(j.t.Add(time.Duration(n) * unit)), true, nil
	case "plus", "minus":
		if d, ok := args[0].(time.Duration); ok {
			if name == "minus" {
				d = -d
			}
			return with(j.t.Add(d)), true, nil
		}
	case "getYear":
		return int32(j.t.Year()), true, nil
	case "getMonthValue":
		return int32(j.t.Month()), true, nil
	case "getDayOfMonth":
		return int32(j.t.Day()), true, nil
	case "getDayOfYear":
		return int32(j.t.YearDay()), true, nil
	case "getHour":
		return int32(j.t.Hour()), true, nil
	case "getMinute":
		return int32(j.t.Minute()), true, nil
	case "getSecond":
		return int32(j.t.Second()), true, nil
	case "getNano":
		return int32(j.t.Nanosecond()), true, nil
	case "getDayOfWeek":
		wd := j.t.Weekday()
		return strings.ToUpper(wd.String()), true, nil
	case "getMonth":
		return strings.ToUpper(j.t.Month().String()), true, nil
	case "withDayOfMonth", "withHour", "withMinute", "withSecond", "withNano":
		y, mo, d := j.t.Date()
		h, mi, s := j.t.Clock()
		ns := j.t.Nanosecond()
		switch name {
		case "withDayOfMonth":
			d = int(n)
		case "withHour":
			h = int(n)
		case "withMinute":
			mi = int(n)
		case "withSecond":
			s = int(n)
		case "withNano":
			ns = int(n)
		}
		return with(time.Date(y, mo, d, h, mi, s, ns, j.t.Location())), true, nil
	case "toLocalDate":
		return &jtime{t: j.t, kind: ld}, true, nil
	case "toLocalTime":
		return &jtime{t: j.t, kind: lt}, true, nil
	case "toLocalDateTime":
		return &jtime{t: j.t, kind: ldt}, true, nil
	case "atStartOfDay":
		y, mo, d := j.t.Date()
		return &jtime{t: time.Date(y, mo, d, 0, 0, 0, 0, j.t.Location()), kind: ldt}, true, nil
	case "atZone":
		z, err := zoneOf(r, args[0])
		if err != nil {
			return nil, true, err
		}
		y, mo, d := j.t.Date()
		h, mi, s := j.t.Clock()
		return &jtime{t: time.Date(y, mo, d, h, mi, s, j.t.Nanosecond(), z.loc), kind: zdt}, true, nil
	case "toInstant":
		return &instant{t: j.t}, true, nil
	case "toEpochSecond":
		return j.t.Unix(), true, nil
	case "toEpochDay":
		return j.t.Unix() / 86400, true, nil
	case "withZoneSameInstant":
		z, err := zoneOf(r, args[0])
		if err != nil {
			return nil, true, err
		}
		return &jtime{t: j.t.In(z.loc), kind: zdt}, true, nil
	case "isBefore", "isAfter", "isEqual", "compareTo":
		o, ok := args[0].(*jtime)
		if !ok {
			return nil, false, nil
		}
		c := j.t.Compare(o.t)
		switch name {
		case "isBefore":
			return c < 0, true, nil
		case "isAfter":
			return c > 0, true, nil
		case "isEqual":
			return c == 0, true, nil
		}
		return int32(c), true, nil
	}
	return nil, false, nil
}

// timeOf accepts the values a formatter can format.
func timeOf(v any) (time.Time, error) {
	switch x := v.(type) {
	case *javaDate:
		return x.t, nil
	case *jtime:
		return x.t, nil
	case *instant:
		return x.t, nil
	case *calendar:
		return x.t, nil
	}
	if ms, ok := toInt64(v); ok && isIntegral(v) {
		return time.UnixMilli(ms), nil
	}
	return time.Time{}, newExc("java.lang.IllegalArgumentException", "Cannot format given Object as a Date")
}

// ---- Calendar

type calendar struct{ t time.Time }

func (c *calendar) javaClass() string { return "java.util.GregorianCalendar" }

const (
	calEra = iota
	calYear
	calMonth
	calWeekOfYear
	calWeekOfMonth
	calDate
	calDayOfYear
	calDayOfWeek
	calDayOfWeekInMonth
	calAmPm
	calHour
	calHourOfDay
	calMinute
	calSecond
	calMillisecond
)

func (c *calendar) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "getTime":
		return &javaDate{t: c.t}, true, nil
	case "setTime":
		if d, ok := args[0].(*javaDate); ok {
			c.t = d.t
			return nil, true, nil
		}
	case "getTimeInMillis":
		return c.t.UnixMilli(), true, nil
	case "setTimeInMillis":
		ms, _ := toInt64(args[0])
		c.t = time.UnixMilli(ms).In(c.t.Location())
		return nil, true, nil
	case "get":
		f, _ := toInt(args[0])
		t := c.t
		switch f {
		case calYear:
			return int32(t.Year()), true, nil
		case calMonth:
			return int32(t.Month() - 1), true, nil
		case calDate:
			return int32(t.Day()), true, nil
		case calDayOfYear:
			return int32(t.YearDay()), true, nil
		case calDayOfWeek:
			return int32(t.Weekday() + 1), true, nil
		case calHour:
			return int32(t.Hour() % 12), true, nil
		case calHourOfDay:
			return int32(t.Hour()), true, nil
		case calMinute:
			return int32(t.Minute()), true, nil
		case calSecond:
			return int32(t.Second()), true, nil
		case calMillisecond:
			return int32(t.Nanosecond() / 1e6), true, nil
		case calAmPm:
			return int32(t.Hour() / 12), true, nil
		case calWeekOfYear:
			_, w := t.ISOWeek()
			return int32(w), true, nil
		}
		return nil, true, newExc("java.lang.IllegalArgumentException", "unsupported Calendar field "+strconv.Itoa(f))
	case "set", "add":
		if len(args) == 3 && name == "set" {
			y, _ := toInt(args[0])
			m, _ := toInt(args[1])
			d, _ := toInt(args[2])
			h, mi, s := c.t.Clock()
			c.t = time.Date(y, time.Month(m+1), d, h, mi, s, c.t.Nanosecond(), c.t.Location())
			return nil, true, nil
		}
		if len(args) != 2 {
			return nil, false, nil
		}
		f, _ := toInt(args[0])
		n, _ := toInt(args[1])
		t := c.t
		if name == "add" {
			switch f {
			case calYear:
				t = addMonthsClamped(t, 12*n)
			case calMonth:
				t = addMonthsClamped(t, n)
			case calDate, calDayOfYear, calDayOfWeek:
				t = t.AddDate(0, 0, n)
			case calWeekOfYear, calWeekOfMonth:
				t = t.AddDate(0, 0, 7*n)
			case calHour, calHourOfDay:
				t = t.Add(time.Duration(n) * time.Hour)
			case calMinute:
				t = t.Add(time.Duration(n) * time.Minute)
			case calSecond:
				t = t.Add(time.Duration(n) * time.Second)
			case calMillisecond:
				t = t.Add(time.Duration(n) * time.Millisecond)
			default:
				return nil, true, newExc("java.lang.IllegalArgumentException", "unsupported Calendar field "+strconv.Itoa(f))
			}
			c.t = t
			return nil, true, nil
		}
		y, mo, d := t.Date()
		h, mi, s := t.Clock()
		ns := t.Nanosecond()
		switch f {
		case calYear:
			y = n
		case calMonth:
			mo = time.Month(n + 1)
		case calDate:
			d = n
		case calHour, calHourOfDay:
			h = n
		case calMinute:
			mi = n
		case calSecond:
			s = n
		case calMillisecond:
			ns = n * 1e6
		default:
			return nil, true, newExc("java.lang.IllegalArgumentException", "unsupported Calendar field "+strconv.Itoa(f))
		}
		c.t = time.Date(y, mo, d, h, mi, s, ns, t.Location())
		return nil, true, nil
	case "clone":
		return &calendar{t: c.t}, true, nil
	case "getActualMaximum":
		f, _ := toInt(args[0])
		if f == calDate {
			y, m, _ := c.t.Date()
			return int32(time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()), true, nil
		}
	case "setTimeZone":
		if z, ok := args[0].(*timeZone); ok {
			c.t = c.t.In(z.loc)
		}
		return nil, true, nil
	}
	return nil, false, nil
}

func javaDuration(d time.Duration) time.Duration { return d }

func init() {
	register(&class{name: "java.util.Date", is: isAny[*javaDate], ctor: func(r *runner, args []any) (any, error) {
		if len(args) == 1 {
			ms, ok := toInt64(args[0])
			if !ok {
				return nil, newExc("java.lang.IllegalArgumentException", "new Date(String) is not supported")
			}
			return &javaDate{t: time.UnixMilli(ms)}, nil
		}
		return &javaDate{t: time.Now()}, nil
	}})
	newSDF := func(r *runner, args []any) (any, error) {
		p := "M/d/yy, h:mm a"
		if len(args) >= 1 {
			p = r.toStr(args[0])
		}
		f, err := compileDatePattern(p)
		if err != nil {
			return nil, err
		}
		return &dateFormat{f: f, pattern: p, legacy: true}, nil
	}
	register(&class{name: "java.text.SimpleDateFormat", ctor: newSDF, is: isAny[*dateFormat]})
	iso := func(p string) *dateFormat {
		f, err := javatime.Compile(p)
		if err != nil {
			panic(err)
		}
		return &dateFormat{f: f, pattern: p}
	}
	register(&class{name: "java.time.format.DateTimeFormatter", is: isAny[*dateFormat],
		fields: map[string]any{
			"ISO_LOCAL_DATE":       iso("yyyy-MM-dd"),
			"ISO_DATE":             iso("yyyy-MM-dd"),
			"BASIC_ISO_DATE":       iso("yyyyMMdd"),
			"ISO_LOCAL_TIME":       iso("HH:mm:ss"),
			"ISO_LOCAL_DATE_TIME":  iso("yyyy-MM-dd'T'HH:mm:ss"),
			"ISO_OFFSET_DATE_TIME": iso("yyyy-MM-dd'T'HH:mm:ssXXX"),
			"ISO_INSTANT":          &dateFormat{f: mustCompile("yyyy-MM-dd'T'HH:mm:ss'Z'"), pattern: "ISO_INSTANT", loc: time.UTC},
		},
		statics: map[string]staticFn{
			"ofPattern": func(r *runner, args []any) (any, error) {
				if len(args) < 1 {
					return nil, argN(args, 1, "DateTimeFormatter.ofPattern")
				}
				p := r.toStr(args[0])
				f, err := compileDatePattern(p)
				if err != nil {
					return nil, err
				}
				return &dateFormat{f: f, pattern: p}, nil
			},
		}})
	zoneStatics := map[string]staticFn{
		"getTimeZone": func(r *runner, args []any) (any, error) { return zoneOf(r, args[0]) },
		"of":          func(r *runner, args []any) (any, error) { return zoneOf(r, args[0]) },
		"getDefault": func(r *runner, args []any) (any, error) {
			return &timeZone{loc: time.Local, id: time.Local.String()}, nil
		},
		"systemDefault": func(r *runner, args []any) (any, error) {
			return &timeZone{loc: time.Local, id: time.Local.String()}, nil
		},
	}
	register(&class{name: "java.util.TimeZone", statics: zoneStatics, is: isAny[*timeZone]})
	register(&class{name: "java.time.ZoneId", statics: zoneStatics, is: isAny[*timeZone]})
	register(&class{name: "java.time.ZoneOffset", statics: zoneStatics, is: isAny[*timeZone],
		fields: map[string]any{"UTC": &timeZone{loc: time.UTC, id: "Z"}}})
	calCtor := func(r *runner, args []any) (any, error) { return &calendar{t: time.Now()}, nil }
	register(&class{name: "java.util.Calendar", is: isAny[*calendar], statics: map[string]staticFn{"getInstance": func(r *runner, args []any) (any, error) {
		c := &calendar{t: time.Now()}
		if len(args) == 1 {
			if z, ok := args[0].(*timeZone); ok {
				c.t = c.t.In(z.loc)
			}
		}
		return c, nil
	}}, fields: map[string]any{"YEAR": int32(calYear), "MONTH": int32(calMonth), "DATE": int32(calDate), "DAY_OF_MONTH": int32(calDate),
		"DAY_OF_YEAR": int32(calDayOfYear), "DAY_OF_WEEK": int32(calDayOfWeek), "HOUR": int32(calHour), "HOUR_OF_DAY": int32(calHourOfDay),
		"MINUTE": int32(calMinute), "SECOND": int32(calSecond), "MILLISECOND": int32(calMillisecond), "AM_PM": int32(calAmPm),
		"WEEK_OF_YEAR": int32(calWeekOfYear), "WEEK_OF_MONTH": int32(calWeekOfMonth),
		"JANUARY": int32(0), "DECEMBER": int32(11), "SUNDAY": int32(1), "MONDAY": int32(2), "SATURDAY": int32(7)}})
	register(&class{name: "java.util.GregorianCalendar", ctor: calCtor, is: isAny[*calendar]})
	nowIn := func(kind timeKind) staticFn {
		return func(r *runner, args []any) (any, error) {
			t := time.Now()
			if len(args) == 1 {
				z, err := zoneOf(r, args[0])
				if err != nil {
					return nil, err
				}
				t = t.In(z.loc)
			}
			return &jtime{t: t, kind: kind}, nil
		}
	}
	parseIn := func(kind timeKind, def string) staticFn {
		return func(r *runner, args []any) (any, error) {
			if len(args) < 1 {
				return nil, argN(args, 1, "parse")
			}
			p := def
			f, _ := javatime.Compile(def)
			if len(args) == 2 {
				d, ok := args[1].(*dateFormat)
				if !ok {
					return nil, newExc("java.lang.IllegalArgumentException", "parse needs a DateTimeFormatter")
				}
				f, p = d.f, d.pattern
			}
			s := r.toStr(args[0])
			if len(args) == 1 && kind == ldt && len(s) > 19 { // fractions of a second
				f, _ = javatime.Compile("yyyy-MM-dd'T'HH:mm:ss." + strings.Repeat("S", len(s)-20))
			}
			t, err := f.Parse(s, javatime.Defaults{Year: 1970, Loc: time.Local})
			if err != nil {
				return nil, newExc("java.time.format.DateTimeParseException", "Text '"+s+"' could not be parsed with pattern "+p)
			}
			return &jtime{t: t, kind: kind}, nil
		}
	}
	of := func(kind timeKind) staticFn {
		return func(r *runner, args []any) (any, error) {
			v := make([]int, 7)
			for i := range args {
				if i < 7 {
					v[i], _ = toInt(args[i])
				}
			}
			if kind == zdt && len(args) == 8 {
				z, err := zoneOf(r, args[7])
				if err != nil {
					return nil, err
				}
				return &jtime{t: time.Date(v[0], time.Month(v[1]), v[2], v[3], v[4], v[5], v[6], z.loc), kind: zdt}, nil
			}
			if kind == lt {
				return &jtime{t: time.Date(1970, 1, 1, v[0], v[1], v[2], v[3], time.Local), kind: lt}, nil
			}
			return &jtime{t: time.Date(v[0], time.Month(v[1]), v[2], v[3], v[4], v[5], v[6], time.Local), kind: kind}, nil
		}
	}
	register(&class{name: "java.time.LocalDateTime", is: func(v any) bool { j, ok := v.(*jtime); return ok && j.kind == ldt },
		statics: map[string]staticFn{"now": nowIn(ldt), "parse": parseIn(ldt, "yyyy-MM-dd'T'HH:mm:ss"), "of": of(ldt)}})
	register(&class{name: "java.time.LocalDate", is: func(v any) bool { j, ok := v.(*jtime); return ok && j.kind == ld },
		statics: map[string]staticFn{"now": nowIn(ld), "parse": parseIn(ld, "yyyy-MM-dd"), "of": of(ld)}})
	register(&class{name: "java.time.LocalTime", is: func(v any) bool { j, ok := v.(*jtime); return ok && j.kind == lt },
		statics: map[string]staticFn{"now": nowIn(lt), "parse": parseIn(lt, "HH:mm:ss"), "of": of(lt)}})
	register(&class{name: "java.time.ZonedDateTime", is: func(v any) bool { j, ok := v.(*jtime); return ok && j.kind == zdt },
		statics: map[string]staticFn{"now": nowIn(zdt), "parse": parseIn(zdt, "yyyy-MM-dd'T'HH:mm:ssXXX"), "of": of(zdt)}})
	register(&class{name: "java.time.OffsetDateTime", is: func(v any) bool { j, ok := v.(*jtime); return ok && j.kind == zdt },
		statics: map[string]staticFn{"now": nowIn(zdt), "parse": parseIn(zdt, "yyyy-MM-dd'T'HH:mm:ssXXX")}})
	register(&class{name: "java.time.Instant", is: isAny[*instant], statics: map[string]staticFn{
		"now": func(r *runner, args []any) (any, error) { return &instant{t: time.Now()}, nil },
		"ofEpochMilli": func(r *runner, args []any) (any, error) {
			ms, _ := toInt64(args[0])
			return &instant{t: time.UnixMilli(ms)}, nil
		},
		"ofEpochSecond": func(r *runner, args []any) (any, error) {
			s, _ := toInt64(args[0])
			return &instant{t: time.Unix(s, 0)}, nil
		},
		"parse": func(r *runner, args []any) (any, error) {
			t, err := time.Parse(time.RFC3339Nano, r.toStr(args[0]))
			if err != nil {
				return nil, newExc("java.time.format.DateTimeParseException", "Text '"+r.toStr(args[0])+"' could not be parsed")
			}
			return &instant{t: t}, nil
		},
	}})
	durOf := func(unit time.Duration) staticFn {
		return func(r *runner, args []any) (any, error) {
			n, _ := toInt64(args[0])
			return time.Duration(n) * unit, nil
		}
	}
	register(&class{name: "java.time.Duration", is: isAny[time.Duration], statics: map[string]staticFn{
		"ofMillis": durOf(time.Millisecond), "ofSeconds": durOf(time.Second), "ofMinutes": durOf(time.Minute),
		"ofHours": durOf(time.Hour), "ofDays": durOf(24 * time.Hour), "ofNanos": durOf(time.Nanosecond),
		"between": func(r *runner, args []any) (any, error) {
			a, err := timeOf(args[0])
			if err != nil {
				return nil, err
			}
			b, err := timeOf(args[1])
			if err != nil {
				return nil, err
			}
			return b.Sub(a), nil
		},
	}})
	unit := func(name string, d time.Duration) *chronoUnit { return &chronoUnit{name: name, d: d} }
	register(&class{name: "java.time.temporal.ChronoUnit", fields: map[string]any{
		"MILLIS": unit("Millis", time.Millisecond), "SECONDS": unit("Seconds", time.Second), "MINUTES": unit("Minutes", time.Minute),
		"HOURS": unit("Hours", time.Hour), "DAYS": unit("Days", 24*time.Hour), "WEEKS": unit("Weeks", 7*24*time.Hour)}})
	register(&class{name: "java.util.concurrent.TimeUnit", fields: map[string]any{
		"MILLISECONDS": unit("MILLISECONDS", time.Millisecond), "SECONDS": unit("SECONDS", time.Second),
		"MINUTES": unit("MINUTES", time.Minute), "HOURS": unit("HOURS", time.Hour), "DAYS": unit("DAYS", 24*time.Hour),
		"MICROSECONDS": unit("MICROSECONDS", time.Microsecond), "NANOSECONDS": unit("NANOSECONDS", time.Nanosecond)}})
}

func mustCompile(p string) *javatime.Format {
	f, err := javatime.Compile(p)
	if err != nil {
		panic(err)
	}
	return f
}

// chronoUnit is a ChronoUnit or TimeUnit constant.
type chronoUnit struct {
	name string
	d    time.Duration
}

func (u *chronoUnit) javaClass() string { return "java.time.temporal.ChronoUnit" }
func (u *chronoUnit) String() string    { return u.name }
func (u *chronoUnit) invoke(r *runner, name string, args []any) (any, bool, error) {
	n := int64(0)
	if len(args) == 1 {
		n, _ = toInt64(args[0])
	}
	switch name {
	case "between":
		a, err := timeOf(args[0])
		if err != nil {
			return nil, true, err
		}
		b, err := timeOf(args[1])
		if err != nil {
			return nil, true, err
		}
		return int64(b.Sub(a) / u.d), true, nil
	case "sleep":
		return nil, true, sleepMillis(r, int64(time.Duration(n)*u.d/time.Millisecond))
	case "toMillis":
		return int64(time.Duration(n) * u.d / time.Millisecond), true, nil
	case "toSeconds":
		return int64(time.Duration(n) * u.d / time.Second), true, nil
	case "toMinutes":
		return int64(time.Duration(n) * u.d / time.Minute), true, nil
	}
	return nil, false, nil
}

// durationMethod gives java.time.Duration's methods.
func (r *runner) durationMethod(d time.Duration, name string, args []any) (any, bool, error) {
	switch name {
	case "toMillis":
		return int64(d / time.Millisecond), true, nil
	case "getSeconds", "toSeconds":
		return int64(d / time.Second), true, nil
	case "toMinutes":
		return int64(d / time.Minute), true, nil
	case "toHours":
		return int64(d / time.Hour), true, nil
	case "toDays":
		return int64(d / (24 * time.Hour)), true, nil
	case "toNanos":
		return int64(d), true, nil
	case "toString":
		return durationString(d), true, nil
	case "plus", "minus":
		o, ok := args[0].(time.Duration)
		if !ok {
			return nil, false, nil
		}
		if name == "minus" {
			o = -o
		}
		return d + o, true, nil
	case "isNegative":
		return d < 0, true, nil
	}
	return nil, false, nil
}
