package java

import (
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
)

// org.apache.commons.lang3 (RandomStringUtils, StringUtils, RandomUtils,
// DateUtils) and JMeter's JMeterUtils property helpers.

const (
	alphaChars   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	numericChars = "0123456789"
)

func randomFrom(n int, set string) string {
	if set == "" {
		return ""
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = set[rand.IntN(len(set))]
	}
	return string(b)
}

func randomStrings(set string) staticFn {
	return func(r *runner, args []any) (any, error) {
		if len(args) < 1 {
			return nil, argN(args, 1, "RandomStringUtils")
		}
		n, _ := toInt(args[0])
		if len(args) == 2 { // (minInclusive, maxExclusive)
			hi, _ := toInt(args[1])
			if hi > n {
				n += rand.IntN(hi - n)
			}
		}
		if n < 0 {
			return nil, newExc("java.lang.IllegalArgumentException", "Requested random string length "+itoa(n)+" is less than 0.")
		}
		if n > 1<<24 {
			return nil, newExc("java.lang.OutOfMemoryError", "string too large")
		}
		return randomFrom(n, set), nil
	}
}

func strOrNil(r *runner, v any) (string, bool) {
	if v == nil {
		return "", false
	}
	return r.toStr(v), true
}

func init() {
	ascii := func() string {
		var b strings.Builder
		for c := 32; c < 127; c++ {
			b.WriteByte(byte(c))
		}
		return b.String()
	}()
	register(&class{name: "org.apache.commons.lang3.RandomStringUtils", statics: map[string]staticFn{
		"randomAlphanumeric": randomStrings(alphaChars + numericChars),
		"randomAlphabetic":   randomStrings(alphaChars),
		"randomNumeric":      randomStrings(numericChars),
		"randomAscii":        randomStrings(ascii),
		"randomPrint":        randomStrings(ascii),
		"random": func(r *runner, args []any) (any, error) {
			if len(args) == 0 {
				return nil, argN(args, 1, "RandomStringUtils.random")
			}
			n, _ := toInt(args[0])
			if n < 0 || n > 1<<24 {
				return nil, newExc("java.lang.IllegalArgumentException", "Requested random string length "+itoa(n)+" is less than 0.")
			}
			switch len(args) {
			case 1:
				return randomFrom(n, alphaChars+numericChars+ascii), nil
			case 2:
				return randomFrom(n, r.toStr(args[1])), nil
			case 3:
				set := ""
				if truth(args[1]) {
					set += alphaChars
				}
				if truth(args[2]) {
					set += numericChars
				}
				if set == "" {
					set = ascii
				}
				return randomFrom(n, set), nil
			}
			return nil, newExc("java.lang.UnsupportedOperationException", "RandomStringUtils.random with these arguments")
		},
	}})
	register(&class{name: "org.apache.commons.lang3.RandomUtils", statics: map[string]staticFn{
		"nextInt": func(r *runner, args []any) (any, error) {
			if len(args) == 0 {
				return int32(rand.Int32()), nil
			}
			lo, _ := toInt(args[0])
			hi, _ := toInt(args[1])
			if hi < lo || lo < 0 {
				return nil, newExc("java.lang.IllegalArgumentException", "Start value must be smaller or equal to end value.")
			}
			if hi == lo {
				return int32(lo), nil
			}
			return int32(lo + rand.IntN(hi-lo)), nil
		},
		"nextLong": func(r *runner, args []any) (any, error) {
			if len(args) == 0 {
				return rand.Int64(), nil
			}
			lo, _ := toInt64(args[0])
			hi, _ := toInt64(args[1])
			if hi <= lo {
				return lo, nil
			}
			return lo + rand.Int64N(hi-lo), nil
		},
		"nextBoolean": func(r *runner, args []any) (any, error) { return rand.IntN(2) == 1, nil },
		"nextDouble":  func(r *runner, args []any) (any, error) { return rand.Float64(), nil },
	}})
	s1 := func(fn func(string) any, nilv any) staticFn {
		return func(r *runner, args []any) (any, error) {
			if len(args) != 1 {
				return nil, argN(args, 1, "StringUtils")
			}
			s, ok := strOrNil(r, args[0])
			if !ok {
				return nilv, nil
			}
			return fn(s), nil
		}
	}
	s2 := func(fn func(a, b string) any, nilv any) staticFn {
		return func(r *runner, args []any) (any, error) {
			if len(args) != 2 {
				return nil, argN(args, 2, "StringUtils")
			}
			a, ok1 := strOrNil(r, args[0])
			b, ok2 := strOrNil(r, args[1])
			if !ok1 || !ok2 {
				return nilv, nil
			}
			return fn(a, b), nil
		}
	}
	blank := func(s string) bool { return strings.TrimFunc(s, unicode.IsSpace) == "" }
	padFn := func(left bool) staticFn {
		return func(r *runner, args []any) (any, error) {
			s, ok := strOrNil(r, args[0])
			if !ok {
				return nil, nil
			}
			n, _ := toInt(args[1])
			p := " "
			if len(args) == 3 {
				p = r.toStr(args[2])
				if p == "" {
					p = " "
				}
			}
			k := n - len([]rune(s))
			if k <= 0 {
				return s, nil
			}
			fill := []rune(strings.Repeat(p, k/len([]rune(p))+1))[:k]
			if left {
				return string(fill) + s, nil
			}
			return s + string(fill), nil
		}
	}
	register(&class{name: "org.apache.commons.lang3.StringUtils", fields: map[string]any{"EMPTY": "", "SPACE": " "}, statics: map[string]staticFn{
		"isEmpty":    s1(func(s string) any { return s == "" }, true),
		"isNotEmpty": s1(func(s string) any { return s != "" }, false),
		"isBlank":    s1(func(s string) any { return blank(s) }, true),
		"isNotBlank": s1(func(s string) any { return !blank(s) }, false),
		"trim":       s1(func(s string) any { return strings.TrimFunc(s, func(c rune) bool { return c <= ' ' }) }, nil),
		"strip":      s1(func(s string) any { return strings.TrimFunc(s, unicode.IsSpace) }, nil),
		"trimToEmpty": func(r *runner, args []any) (any, error) {
			s, _ := strOrNil(r, args[0])
			return strings.TrimFunc(s, func(c rune) bool { return c <= ' ' }), nil
		},
		"upperCase": s1(func(s string) any { return strings.ToUpper(s) }, nil),
		"lowerCase": s1(func(s string) any { return strings.ToLower(s) }, nil),
		"capitalize": s1(func(s string) any {
			v, _, _ := (&runner{groovy: true}).groovyStringMethod(s, "capitalize", nil)
			return v
		}, nil),
		"reverse": s1(func(s string) any { v, _, _ := (&runner{groovy: true}).groovyStringMethod(s, "reverse", nil); return v }, nil),
		"isNumeric": s1(func(s string) any {
			if s == "" {
				return false
			}
			for _, c := range s {
				if !unicode.IsDigit(c) {
					return false
				}
			}
			return true
		}, false),
		"isAlpha": s1(func(s string) any {
			if s == "" {
				return false
			}
			for _, c := range s {
				if !unicode.IsLetter(c) {
					return false
				}
			}
			return true
		}, false),
		"equals":           s2(func(a, b string) any { return a == b }, false),
		"equalsIgnoreCase": s2(func(a, b string) any { return strings.EqualFold(a, b) }, false),
		"contains":         s2(func(a, b string) any { return strings.Contains(a, b) }, false),
		"containsIgnoreCase": s2(func(a, b string) any {
			return strings.Contains(strings.ToLower(a), strings.ToLower(b))
		}, false),
		"startsWith": s2(func(a, b string) any { return strings.HasPrefix(a, b) }, false),
		"endsWith":   s2(func(a, b string) any { return strings.HasSuffix(a, b) }, false),
		"remove":     s2(func(a, b string) any { return strings.ReplaceAll(a, b, "") }, nil),
		"countMatches": s2(func(a, b string) any {
			if b == "" {
				return int32(0)
			}
			return int32(strings.Count(a, b))
		}, int32(0)),
		"substringBefore": s2(func(a, b string) any {
			if i := strings.Index(a, b); i >= 0 {
				return a[:i]
			}
			return a
		}, nil),
		"substringAfter": s2(func(a, b string) any {
			if i := strings.Index(a, b); i >= 0 {
				return a[i+len(b):]
			}
			return ""
		}, nil),
		"substringBeforeLast": s2(func(a, b string) any {
			if i := strings.LastIndex(a, b); i >= 0 && b != "" {
				return a[:i]
			}
			return a
		}, nil),
		"substringAfterLast": s2(func(a, b string) any {
			if i := strings.LastIndex(a, b); i >= 0 && b != "" {
				return a[i+len(b):]
			}
			return ""
		}, nil),
		"substringBetween": func(r *runner, args []any) (any, error) {
			s, ok := strOrNil(r, args[0])
			if !ok || len(args) < 2 {
				return nil, nil
			}
			open := r.toStr(args[1])
			cl := open
			if len(args) == 3 {
				cl = r.toStr(args[2])
			}
			i := strings.Index(s, open)
			if i < 0 {
				return nil, nil
			}
			rest := s[i+len(open):]
			j := strings.Index(rest, cl)
			if j < 0 {
				return nil, nil
			}
			return rest[:j], nil
		},
		"replace": func(r *runner, args []any) (any, error) {
			s, ok := strOrNil(r, args[0])
			if !ok {
				return nil, nil
			}
			return strings.ReplaceAll(s, r.toStr(args[1]), r.toStr(args[2])), nil
		},
		"defaultString": func(r *runner, args []any) (any, error) {
			if args[0] == nil {
				if len(args) == 2 {
					return args[1], nil
				}
				return "", nil
			}
			return args[0], nil
		},
		"defaultIfEmpty": func(r *runner, args []any) (any, error) {
			if s, ok := strOrNil(r, args[0]); !ok || s == "" {
				return args[1], nil
			}
			return args[0], nil
		},
		"defaultIfBlank": func(r *runner, args []any) (any, error) {
			if s, ok := strOrNil(r, args[0]); !ok || blank(s) {
				return args[1], nil
			}
			return args[0], nil
		},
		"leftPad":  padFn(true),
		"rightPad": padFn(false),
		"repeat": func(r *runner, args []any) (any, error) {
			n, _ := toInt(args[1])
			if n <= 0 {
				return "", nil
			}
			return r.stringMethodValue(r.toStr(args[0]), "repeat", []any{int32(n)})
		},
		"join": func(r *runner, args []any) (any, error) {
			if len(args) == 0 || args[0] == nil {
				return nil, nil
			}
			sep := ""
			items := args
			if len(args) >= 2 {
				if l, err := r.toList(args[0]); err == nil && !isAny[string](args[0]) {
					items = l.S
					sep = r.toStr(args[1])
				}
			} else if l, err := r.toList(args[0]); err == nil {
				items = l.S
			}
			parts := make([]string, len(items))
			for i, e := range items {
				if e != nil {
					parts[i] = r.toStr(e)
				}
			}
			return strings.Join(parts, sep), nil
		},
		"split": func(r *runner, args []any) (any, error) {
			s, ok := strOrNil(r, args[0])
			if !ok {
				return nil, nil
			}
			var parts []string
			if len(args) == 1 {
				parts = strings.Fields(s)
			} else {
				seps := r.toStr(args[1])
				parts = strings.FieldsFunc(s, func(c rune) bool { return strings.ContainsRune(seps, c) })
			}
			l := &List{Array: true, Elem: tkString}
			for _, p := range parts {
				l.S = append(l.S, p)
			}
			return l, nil
		},
		"left": func(r *runner, args []any) (any, error) {
			s, ok := strOrNil(r, args[0])
			if !ok {
				return nil, nil
			}
			n, _ := toInt(args[1])
			rs := []rune(s)
			return string(rs[:max(0, min(n, len(rs)))]), nil
		},
		"right": func(r *runner, args []any) (any, error) {
			s, ok := strOrNil(r, args[0])
			if !ok {
				return nil, nil
			}
			n, _ := toInt(args[1])
			rs := []rune(s)
			return string(rs[len(rs)-max(0, min(n, len(rs))):]), nil
		},
		"abbreviate": func(r *runner, args []any) (any, error) {
			s, ok := strOrNil(r, args[0])
			if !ok {
				return nil, nil
			}
			n, _ := toInt(args[1])
			if n < 4 {
				return nil, newExc("java.lang.IllegalArgumentException", "Minimum abbreviation width is 4")
			}
			rs := []rune(s)
			if len(rs) <= n {
				return s, nil
			}
			return string(rs[:n-3]) + "...", nil
		},
		"chomp": s1(func(s string) any { return strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r") }, nil),
	}})
	dateAdd := func(unit string) staticFn {
		return func(r *runner, args []any) (any, error) {
			d, ok := args[0].(*javaDate)
			if !ok {
				return nil, newExc("java.lang.IllegalArgumentException", "The date must not be null")
			}
			n, _ := toInt(args[1])
			t := d.t
			switch unit {
			case "days":
				t = t.AddDate(0, 0, n)
			case "weeks":
				t = t.AddDate(0, 0, 7*n)
			case "months":
				t = addMonthsClamped(t, n)
			case "years":
				t = addMonthsClamped(t, 12*n)
			case "hours":
				t = t.Add(time.Duration(n) * time.Hour)
			case "minutes":
				t = t.Add(time.Duration(n) * time.Minute)
			case "seconds":
				t = t.Add(time.Duration(n) * time.Second)
			case "ms":
				t = t.Add(time.Duration(n) * time.Millisecond)
			default: // set*
				y, mo, dd := t.Date()
				h, mi, s := t.Clock()
				ns := t.Nanosecond()
				switch unit {
				case "setHours":
					h = n
				case "setMinutes":
					mi = n
				case "setSeconds":
					s = n
				case "setDays":
					dd = n
				case "setMilliseconds":
					ns = n * 1e6
				}
				t = time.Date(y, mo, dd, h, mi, s, ns, t.Location())
			}
			return &javaDate{t: t}, nil
		}
	}
	register(&class{name: "org.apache.commons.lang3.time.DateUtils", statics: map[string]staticFn{
		"addDays": dateAdd("days"), "addWeeks": dateAdd("weeks"), "addMonths": dateAdd("months"), "addYears": dateAdd("years"),
		"addHours": dateAdd("hours"), "addMinutes": dateAdd("minutes"), "addSeconds": dateAdd("seconds"),
		"addMilliseconds": dateAdd("ms"), "setHours": dateAdd("setHours"), "setMinutes": dateAdd("setMinutes"),
		"setSeconds": dateAdd("setSeconds"), "setDays": dateAdd("setDays"), "setMilliseconds": dateAdd("setMilliseconds"),
	}})
	// JMeterUtils' property helpers go through the "props" binding.
	register(&class{name: "org.apache.jmeter.util.JMeterUtils", statics: map[string]staticFn{
		"getProperty": func(r *runner, args []any) (any, error) {
			if err := argN(args, 1, "JMeterUtils.getProperty"); err != nil {
				return nil, err
			}
			return r.props("getProperty", args)
		},
		"setProperty": func(r *runner, args []any) (any, error) {
			if err := argN(args, 2, "JMeterUtils.setProperty"); err != nil {
				return nil, err
			}
			return r.props("setProperty", []any{r.toStr(args[0]), r.toStr(args[1])})
		},
		"getPropDefault": func(r *runner, args []any) (any, error) {
			if err := argN(args, 2, "JMeterUtils.getPropDefault"); err != nil {
				return nil, err
			}
			v, err := r.props("getProperty", args[:1])
			if err != nil || v == nil {
				return args[1], err
			}
			s := strings.TrimSpace(r.toStr(v))
			switch args[1].(type) {
			case int32:
				if n, err := parseJavaInt(s, 10, 32); err == nil {
					return n, nil
				}
				return args[1], nil
			case int64:
				if n, err := parseJavaInt(s, 10, 64); err == nil {
					return n, nil
				}
				return args[1], nil
			case bool:
				return strings.EqualFold(s, "true"), nil
			case float64:
				if f, err := parseJavaDouble(s); err == nil {
					return f, nil
				}
				return args[1], nil
			}
			return v, nil
		},
		"getJMeterProperties": func(r *runner, args []any) (any, error) { return r.globals["props"], nil },
	}})
}

func (r *runner) props(method string, args []any) (any, error) {
	p, ok := r.globals["props"]
	if !ok || p == nil {
		return nil, newExc("java.lang.IllegalStateException", "JMeter properties are not available to this script")
	}
	return r.invoke(p, method, args)
}

func (r *runner) stringMethodValue(s, name string, args []any) (any, error) {
	v, _, err := r.stringMethod(s, name, args)
	return v, err
}

func addMonthsClamped(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m, 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location()).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return first.AddDate(0, 0, d-1)
}
