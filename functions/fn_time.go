package functions

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// timeFormatter renders the current time for __time's first argument.
type timeFormatter func(c *Context, now time.Time) (string, error)

// compileTimeFormat turns a __time format into a renderer: "" is epoch
// milliseconds, "/N" divides them by N, an alias name uses its pattern (the
// time.<ALIAS> property can override it), anything else is a java.time pattern.
func compileTimeFormat(format string) (timeFormatter, error) {
	if format == "" {
		return func(_ *Context, now time.Time) (string, error) {
			return strconv.FormatInt(now.UnixMilli(), 10), nil
		}, nil
	}
	if len(format) > 1 && format[0] == '/' && allDigits(format[1:]) {
		div, err := strconv.ParseInt(format[1:], 10, 64)
		if err != nil || div == 0 {
			return nil, fmt.Errorf("bad divisor %q", format)
		}
		return func(_ *Context, now time.Time) (string, error) {
			return strconv.FormatInt(now.UnixMilli()/div, 10), nil
		}, nil
	}
	if def, ok := timeAlias(nil, format); ok {
		deff, err := compileJavaFormat(def)
		if err != nil {
			return nil, err
		}
		name := format
		return func(c *Context, now time.Time) (string, error) {
			p, _ := timeAlias(c, name)
			if p == def {
				return deff.Format(now), nil
			}
			f, err := compileJavaFormat(p)
			if err != nil {
				return "", err
			}
			return f.Format(now), nil
		}, nil
	}
	f, err := compileJavaFormat(format)
	if err != nil {
		return nil, err
	}
	return func(_ *Context, now time.Time) (string, error) { return f.Format(now), nil }, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func buildTime(args []*Template) (evalFunc, error) {
	v := varArg{arg(args, 1)}
	var fixed timeFormatter
	if len(args) == 0 {
		fixed, _ = compileTimeFormat("")
	} else if s, ok := args[0].literalValue(); ok {
		f, err := compileTimeFormat(s)
		if err != nil {
			return nil, badArg(0, "%v", err)
		}
		fixed = f
	}
	format := arg(args, 0)
	return func(c *Context) string {
		f := fixed
		if f == nil {
			var err error
			if f, err = compileTimeFormat(format.Eval(c)); err != nil {
				c.logf("ERROR", "__time: %v", err)
				return ""
			}
		}
		out, err := f(c, c.now())
		if err != nil {
			c.logf("ERROR", "__time: %v", err)
			return ""
		}
		v.store(c, out)
		return out
	}, nil
}

// patternArg compiles a literal java.time pattern argument at compile time
// (nil when empty or dynamic) and checks it.
func patternArg(args []*Template, i int) (*javaFormat, error) {
	s, ok := literalArg(args, i)
	if !ok {
		return nil, nil
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	f, err := compileJavaFormat(s)
	if err != nil {
		return nil, badArg(i, "%v", err)
	}
	return f, nil
}

// patternAt returns the compiled pattern: the precompiled one, or the
// argument compiled now. nil with no error means "no pattern" (empty).
func patternAt(c *Context, pre *javaFormat, args []*Template, i int) (*javaFormat, error) {
	if pre != nil {
		return pre, nil
	}
	s := strings.TrimSpace(evalArg(c, args, i))
	if s == "" {
		return nil, nil
	}
	return compileJavaFormat(s)
}

func buildDateTimeConvert(args []*Template) (evalFunc, error) {
	srcF, err := patternArg(args, 1)
	if err != nil {
		return nil, err
	}
	dstF, err := patternArg(args, 2)
	if err != nil {
		return nil, err
	}
	v := varArg{arg(args, 3)}
	return func(c *Context) string {
		date := args[0].Eval(c)
		now := c.now()
		src, err := patternAt(c, srcF, args, 1)
		if err != nil {
			c.logf("ERROR", "__dateTimeConvert: %v", err)
			return ""
		}
		dst, err := patternAt(c, dstF, args, 2)
		if err != nil || dst == nil {
			c.logf("ERROR", "__dateTimeConvert: bad target format: %v", err)
			return ""
		}
		var t time.Time
		if src == nil {
			ms, err := strconv.ParseInt(strings.TrimSpace(date), 10, 64)
			if err != nil {
				c.logf("ERROR", "__dateTimeConvert: %q is not epoch milliseconds", date)
				return ""
			}
			t = time.UnixMilli(ms)
		} else {
			t, err = src.Parse(date, parseDefaults{Year: now.Year(), Loc: now.Location()})
			if err != nil {
				c.logf("ERROR", "__dateTimeConvert: %v", err)
				return ""
			}
		}
		out := dst.Format(t.In(now.Location()))
		v.store(c, out)
		return out
	}, nil
}

// parseJavaDuration reads an ISO-8601 duration as java.time.Duration.parse
// does: [-]P[nD][T[nH][nM][n.nS]], each number optionally signed.
func parseJavaDuration(s string) (time.Duration, error) {
	orig := s
	bad := func() (time.Duration, error) {
		return 0, fmt.Errorf("%q is not an ISO-8601 duration such as P1D or PT-5M", orig)
	}
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) < 2 || (s[0] != 'P' && s[0] != 'p') {
		return bad()
	}
	s = s[1:]
	var total float64
	inTime, seen := false, false
	for s != "" {
		if s[0] == 'T' || s[0] == 't' {
			if inTime {
				return bad()
			}
			inTime = true
			s = s[1:]
			if s == "" {
				return bad()
			}
			continue
		}
		j := 0
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			j++
		}
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == ',') {
			j++
		}
		if j == 0 || j >= len(s) {
			return bad()
		}
		num, err := strconv.ParseFloat(strings.ReplaceAll(s[:j], ",", "."), 64)
		if err != nil {
			return bad()
		}
		unit := s[j] | 0x20
		switch {
		case !inTime && unit == 'd':
			total += num * 86400
		case inTime && unit == 'h':
			total += num * 3600
		case inTime && unit == 'm':
			total += num * 60
		case inTime && unit == 's':
			total += num
		default:
			return bad()
		}
		if unit != 's' && strings.ContainsAny(s[:j], ".,") {
			return bad()
		}
		seen = true
		s = s[j+1:]
	}
	if !seen {
		return bad()
	}
	d := time.Duration(total * float64(time.Second))
	if neg {
		d = -d
	}
	return d, nil
}

// localeArg checks a literal locale argument against the pattern (nil when
// absent or dynamic).
func localeArg(args []*Template, i int, f *javaFormat) (*langNames, error) {
	s, ok := literalArg(args, i)
	if !ok {
		return nil, nil
	}
	n, ok := localeNames(strings.TrimSpace(s))
	if !ok {
		return nil, badArg(i, "locale %q is not supported (en, fr, de, es, it, pt, nl)", s)
	}
	if n != nil && f != nil && f.UsesAbbreviatedNames() {
		return nil, badArg(i, "abbreviated month or day names in locale %q are not supported", s)
	}
	return n, nil
}

// localeAt returns the names for args[i] evaluated now (English when the
// argument is absent, empty or unknown).
func localeAt(c *Context, args []*Template, i int) *langNames {
	if i >= len(args) {
		return nil
	}
	s := strings.TrimSpace(args[i].Eval(c))
	n, ok := localeNames(s)
	if !ok {
		c.logf("WARN", "locale %q is not supported, using English names", s)
	}
	return n
}

func buildTimeShift(args []*Template) (evalFunc, error) {
	f, err := patternArg(args, 0)
	if err != nil {
		return nil, err
	}
	if s, ok := literalArg(args, 2); ok && strings.TrimSpace(s) != "" {
		if _, err := parseJavaDuration(strings.TrimSpace(s)); err != nil {
			return nil, badArg(2, "%v", err)
		}
	}
	varIdx, locIdx := 3, -1
	if len(args) == 5 {
		varIdx, locIdx = 4, 3 // the 4th argument is then the locale
	}
	if locIdx >= 0 {
		if _, err := localeArg(args, locIdx, f); err != nil {
			return nil, err
		}
	}
	v := varArg{arg(args, varIdx)}
	return func(c *Context) string {
		now := c.now()
		pf, err := patternAt(c, f, args, 0)
		if err != nil {
			c.logf("ERROR", "__timeShift: %v", err)
			return ""
		}
		if pf != nil && locIdx >= 0 {
			pf = pf.InLocale(localeAt(c, args, locIdx))
		}
		t := now
		if date := strings.TrimSpace(args[1].Eval(c)); date != "" {
			if pf != nil {
				pt, err := pf.Parse(date, parseDefaults{Year: now.Year(), Loc: now.Location()})
				if err != nil {
					c.logf("ERROR", "__timeShift: %v", err)
				} else {
					t = pt
				}
			} else if ms, err := strconv.ParseInt(date, 10, 64); err == nil {
				t = time.UnixMilli(ms).In(now.Location())
			} else {
				c.logf("ERROR", "__timeShift: %q is not epoch milliseconds", date)
			}
		}
		if shift := strings.TrimSpace(args[2].Eval(c)); shift != "" {
			d, err := parseJavaDuration(shift)
			if err != nil {
				c.logf("ERROR", "__timeShift: %v", err)
			} else {
				t = t.Add(d)
			}
		}
		var out string
		if pf != nil {
			out = pf.Format(t)
		} else {
			out = strconv.FormatInt(t.UnixMilli(), 10)
		}
		v.store(c, out)
		return out
	}, nil
}

func buildRandomDate(args []*Template) (evalFunc, error) {
	f, err := patternArg(args, 0)
	if err != nil {
		return nil, err
	}
	if f == nil {
		if s, ok := literalArg(args, 0); ok && strings.TrimSpace(s) == "" {
			f, _ = compileJavaFormat("yyyy-MM-dd")
		}
	}
	if _, err := localeArg(args, 3, f); err != nil {
		return nil, err
	}
	v := varArg{arg(args, 4)}
	return func(c *Context) string {
		now := c.now()
		pf := f
		if pf == nil {
			p := strings.TrimSpace(args[0].Eval(c))
			if p == "" {
				p = "yyyy-MM-dd"
			}
			if pf, err = compileJavaFormat(p); err != nil {
				c.logf("ERROR", "__RandomDate: %v", err)
				return ""
			}
		}
		pf = pf.InLocale(localeAt(c, args, 3))
		def := parseDefaults{Year: now.Year(), Loc: time.UTC}
		day := func(t time.Time) int64 { // floor division: dates before 1970 too
			d := t.Unix() / 86400
			if t.Unix()%86400 < 0 {
				d--
			}
			return d
		}
		y, m, d := now.Date()
		start := day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
		if s := strings.TrimSpace(args[1].Eval(c)); s != "" {
			t, err := pf.Parse(s, def)
			if err != nil {
				c.logf("ERROR", "__RandomDate: start: %v", err)
			} else {
				start = day(t)
			}
		}
		endS := strings.TrimSpace(args[2].Eval(c))
		t, err := pf.Parse(endS, def)
		if err != nil {
			c.logf("ERROR", "__RandomDate: end: %v", err)
			return ""
		}
		end := day(t)
		if end <= start {
			c.logf("ERROR", "__RandomDate: end date %q must be after the start date", endS)
			return ""
		}
		pick := start + c.rng().Int64N(end-start)
		out := pf.Format(time.Unix(pick*86400, 0).UTC())
		v.store(c, out)
		return out
	}, nil
}
