package java

import (
	"strconv"
	"strings"
	"time"
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
				return f.format(t), true, nil
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
