package functions

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/expr-lang/expr"

	"github.com/gometer/gometer/internal/javafmt"
)

// num is a JEXL/JS number: an integer when isInt, else a float.
type num struct {
	i     int64
	f     float64
	isInt bool
}

func (n num) float() float64 {
	if n.isInt {
		return float64(n.i)
	}
	return n.f
}

func (n num) value() any {
	if n.isInt {
		return n.i
	}
	return n.f
}

// toNum coerces a value to a number. JEXL (strict, as JMeter configures it)
// rejects null and non-numeric strings; JavaScript yields 0 or NaN.
func toNum(v any, lang Language) (num, error) {
	switch x := v.(type) {
	case int:
		return num{i: int64(x), isInt: true}, nil
	case int64:
		return num{i: x, isInt: true}, nil
	case float64:
		return num{f: x}, nil
	case bool:
		if x {
			return num{i: 1, isInt: true}, nil
		}
		return num{i: 0, isInt: true}, nil
	case nil:
		if lang == JavaScript {
			return num{i: 0, isInt: true}, nil
		}
		return num{}, errors.New("null operand")
	case string:
		s := strings.TrimSpace(x)
		if s == "" && lang == JavaScript {
			return num{i: 0, isInt: true}, nil
		}
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return num{i: i, isInt: true}, nil
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "xXpP_") {
			return num{f: f}, nil
		}
		if lang == JavaScript {
			return num{f: math.NaN()}, nil
		}
		return num{}, fmt.Errorf("%q is not a number", x)
	}
	if lang == JavaScript {
		return num{f: math.NaN()}, nil
	}
	return num{}, fmt.Errorf("%v is not a number", v)
}

func isString(v any) bool { _, ok := v.(string); return ok }

func isNumber(v any) bool {
	switch v.(type) {
	case int, int64, float64:
		return true
	}
	return false
}

// javaString renders a value as Java's toString would.
func javaString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return javafmt.Double(x)
	case time.Time:
		return x.String()
	}
	return fmt.Sprint(v)
}

// jsString renders a value as JavaScript's String() would.
func jsString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case float64:
		return jsNumber(x)
	}
	return javaString(v)
}

func jsNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	a := math.Abs(f)
	if a >= 1e21 || a < 1e-6 {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		mant, exp, _ := strings.Cut(s, "e")
		e, _ := strconv.Atoi(exp)
		sign := "+"
		if e < 0 {
			sign, e = "-", -e
		}
		return mant + "e" + sign + strconv.Itoa(e)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func truthy(v any, lang Language) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		if lang == JavaScript {
			return x != ""
		}
		return x != "" && x != "false"
	case int:
		return x != 0
	case int64:
		return x != 0
	case float64:
		return x != 0 && !math.IsNaN(x)
	}
	return true
}

func looseEqual(a, b any, lang Language) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if sa, ok := a.(string); ok {
		if sb, ok := b.(string); ok {
			return sa == sb
		}
	}
	_, ba := a.(bool)
	_, bb := b.(bool)
	if lang == JEXL && (ba || bb) {
		return truthy(a, lang) == truthy(b, lang)
	}
	if isNumber(a) || isNumber(b) || ba || bb {
		na, err1 := toNum(a, lang)
		nb, err2 := toNum(b, lang)
		if err1 != nil || err2 != nil {
			return false
		}
		if na.isInt && nb.isInt {
			return na.i == nb.i
		}
		return na.float() == nb.float()
	}
	return javaString(a) == javaString(b)
}

func strictEqual(a, b any) bool {
	switch {
	case a == nil || b == nil:
		return a == nil && b == nil
	case isNumber(a) && isNumber(b):
		na, _ := toNum(a, JavaScript)
		nb, _ := toNum(b, JavaScript)
		return na.float() == nb.float()
	case isString(a) && isString(b):
		return a.(string) == b.(string)
	}
	ab, ok1 := a.(bool)
	bb, ok2 := b.(bool)
	return ok1 && ok2 && ab == bb
}

// compare returns -1, 0, 1; ok is false when the values are not comparable
// (NaN in JavaScript).
func compare(a, b any, lang Language) (int, bool, error) {
	sa, aStr := a.(string)
	sb, bStr := b.(string)
	if aStr && bStr {
		if lang == JavaScript {
			return strings.Compare(sa, sb), true, nil
		}
		// JEXL compares numerically when both look like numbers.
		na, err1 := toNum(sa, lang)
		nb, err2 := toNum(sb, lang)
		if err1 != nil || err2 != nil {
			return strings.Compare(sa, sb), true, nil
		}
		return cmpNum(na, nb)
	}
	na, err := toNum(a, lang)
	if err != nil {
		return 0, false, err
	}
	nb, err := toNum(b, lang)
	if err != nil {
		return 0, false, err
	}
	return cmpNum(na, nb)
}

func cmpNum(a, b num) (int, bool, error) {
	if a.isInt && b.isInt {
		switch {
		case a.i < b.i:
			return -1, true, nil
		case a.i > b.i:
			return 1, true, nil
		}
		return 0, true, nil
	}
	x, y := a.float(), b.float()
	switch {
	case math.IsNaN(x) || math.IsNaN(y):
		return 0, false, nil
	case x < y:
		return -1, true, nil
	case x > y:
		return 1, true, nil
	}
	return 0, true, nil
}

func arith(op byte, a, b any, lang Language) (any, error) {
	if op == '+' && (isString(a) || isString(b)) {
		toS := javaString
		if lang == JavaScript {
			toS = jsString
		} else {
			toS = func(v any) string {
				if v == nil {
					return ""
				}
				return javaString(v)
			}
		}
		return toS(a) + toS(b), nil
	}
	na, err := toNum(a, lang)
	if err != nil {
		return nil, err
	}
	nb, err := toNum(b, lang)
	if err != nil {
		return nil, err
	}
	if na.isInt && nb.isInt && !(lang != JEXL && op == '/') {
		x, y := na.i, nb.i
		switch op {
		case '+':
			return x + y, nil
		case '-':
			return x - y, nil
		case '*':
			return x * y, nil
		case '/', '%':
			if y == 0 {
				if lang == JavaScript {
					break
				}
				return nil, errors.New("division by zero")
			}
			if op == '/' {
				return x / y, nil
			}
			return x % y, nil
		}
	}
	x, y := na.float(), nb.float()
	switch op {
	case '+':
		return x + y, nil
	case '-':
		return x - y, nil
	case '*':
		return x * y, nil
	case '/':
		if y == 0 && lang != JavaScript {
			return nil, errors.New("division by zero")
		}
		return x / y, nil
	default:
		if y == 0 && lang != JavaScript {
			return nil, errors.New("division by zero")
		}
		return math.Mod(x, y), nil
	}
}

// str returns the receiver of a string method; a null receiver is an error.
func str(v any, method string) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case nil:
		return "", fmt.Errorf("cannot call %s() on null", method)
	}
	return javaString(v), nil
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// substringUnits slices s by UTF-16 indexes as Java does.
func substringUnits(s string, begin, end int) (string, error) {
	u := utf16.Encode([]rune(s))
	if end < 0 {
		end = len(u)
	}
	if begin < 0 || end > len(u) || begin > end {
		return "", fmt.Errorf("index out of range: %d..%d of %d", begin, end, len(u))
	}
	return string(utf16.Decode(u[begin:end])), nil
}

func intArg(v any, lang Language) (int, error) {
	n, err := toNum(v, lang)
	if err != nil {
		return 0, err
	}
	if n.isInt {
		return int(n.i), nil
	}
	if math.IsNaN(n.f) {
		return 0, nil
	}
	return int(n.f), nil
}

// exprFunctions returns the functions translated expressions call.
func exprFunctions(lang Language) []expr.Option {
	var opts []expr.Option
	add := func(name string, fn func(p ...any) (any, error), types ...any) {
		opts = append(opts, expr.Function(name, fn, types...))
	}
	bin := func(name string, f func(a, b any) (any, error)) {
		add(name, func(p ...any) (any, error) {
			if len(p) != 2 {
				return nil, fmt.Errorf("%s: bad arguments", name)
			}
			return f(p[0], p[1])
		})
	}
	for _, op := range []byte("+-*/%") {
		op := op
		name := map[byte]string{'+': "_add", '-': "_sub", '*': "_mul", '/': "_div", '%': "_mod"}[op]
		bin(name, func(a, b any) (any, error) { return arith(op, a, b, lang) })
	}
	bin("_eq", func(a, b any) (any, error) { return looseEqual(a, b, lang), nil })
	bin("_ne", func(a, b any) (any, error) { return !looseEqual(a, b, lang), nil })
	bin("_seq", func(a, b any) (any, error) { return strictEqual(a, b), nil })
	bin("_sne", func(a, b any) (any, error) { return !strictEqual(a, b), nil })
	cmp := func(name string, ok func(int) bool) {
		bin(name, func(a, b any) (any, error) {
			r, comparable, err := compare(a, b, lang)
			if err != nil {
				return nil, err
			}
			return comparable && ok(r), nil
		})
	}
	cmp("_lt", func(r int) bool { return r < 0 })
	cmp("_gt", func(r int) bool { return r > 0 })
	cmp("_le", func(r int) bool { return r <= 0 })
	cmp("_ge", func(r int) bool { return r >= 0 })
	bin("_startsWith", func(a, b any) (any, error) { return strings.HasPrefix(javaString(a), javaString(b)), nil })
	bin("_endsWith", func(a, b any) (any, error) { return strings.HasSuffix(javaString(a), javaString(b)), nil })
	bin("_matches", func(a, b any) (any, error) { return fullMatch(javaString(a), javaString(b)) })
	add("_truthy", func(p ...any) (any, error) { return truthy(p[0], lang), nil }, new(func(any) bool))
	add("_neg", func(p ...any) (any, error) {
		n, err := toNum(p[0], lang)
		if err != nil {
			return nil, err
		}
		if n.isInt {
			return -n.i, nil
		}
		return -n.f, nil
	})
	add("_num", func(p ...any) (any, error) {
		n, err := toNum(p[0], lang)
		if err != nil {
			return nil, err
		}
		return n.value(), nil
	})
	add("empty", func(p ...any) (any, error) {
		switch x := p[0].(type) {
		case nil:
			return true, nil
		case string:
			return x == "", nil
		}
		return false, nil
	})
	add("size", func(p ...any) (any, error) {
		switch x := p[0].(type) {
		case nil:
			return int64(0), nil
		case string:
			return int64(utf16Len(x)), nil
		}
		return nil, errors.New("size() of a non-string")
	})
	addMethods(add, lang)
	addStatics(add, lang)
	return opts
}

// javaGroupRefs turns Java replacement group references ($1) into Go's
// (${1}) and keeps escaped dollars literal.
func javaGroupRefs(r string) string {
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		switch {
		case r[i] == '\\' && i+1 < len(r):
			i++
			if r[i] == '$' {
				b.WriteString("$$")
			} else {
				b.WriteByte(r[i])
			}
		case r[i] == '$':
			j := i + 1
			for j < len(r) && r[j] >= '0' && r[j] <= '9' {
				j++
			}
			if j == i+1 {
				b.WriteString("$$")
				continue
			}
			b.WriteString("${" + r[i+1:j] + "}")
			i = j - 1
		default:
			b.WriteByte(r[i])
		}
	}
	return b.String()
}

func fullMatch(s, re string) (bool, error) {
	rx, err := regexp.Compile(`^(?:` + re + `)$`)
	if err != nil {
		return false, err
	}
	return rx.MatchString(s), nil
}

func addMethods(add func(string, func(p ...any) (any, error), ...any), lang Language) {
	toStr := javaString
	if lang == JavaScript {
		toStr = jsString
	}
	// m registers a method taking a string receiver and n extra arguments.
	m := func(name string, minArgs, maxArgs int, f func(s string, p []any) (any, error)) {
		add("_m_"+name, func(p ...any) (any, error) {
			if len(p)-1 < minArgs || len(p)-1 > maxArgs {
				return nil, fmt.Errorf("%s(): wrong number of arguments", name)
			}
			if p[0] == nil {
				return nil, fmt.Errorf("cannot call %s() on null", name)
			}
			s, ok := p[0].(string)
			if !ok {
				s = toStr(p[0])
			}
			return f(s, p[1:])
		})
	}
	m("equals", 1, 1, func(s string, p []any) (any, error) {
		o, ok := p[0].(string)
		return ok && o == s, nil
	})
	m("equalsIgnoreCase", 1, 1, func(s string, p []any) (any, error) {
		o, ok := p[0].(string)
		return ok && strings.EqualFold(o, s), nil
	})
	m("length", 0, 0, func(s string, p []any) (any, error) { return int64(utf16Len(s)), nil })
	m("contains", 1, 1, func(s string, p []any) (any, error) { return strings.Contains(s, toStr(p[0])), nil })
	m("includes", 1, 1, func(s string, p []any) (any, error) { return strings.Contains(s, toStr(p[0])), nil })
	m("startsWith", 1, 1, func(s string, p []any) (any, error) { return strings.HasPrefix(s, toStr(p[0])), nil })
	m("endsWith", 1, 1, func(s string, p []any) (any, error) { return strings.HasSuffix(s, toStr(p[0])), nil })
	m("toUpperCase", 0, 0, func(s string, p []any) (any, error) { return strings.ToUpper(s), nil })
	m("toLowerCase", 0, 0, func(s string, p []any) (any, error) { return strings.ToLower(s), nil })
	m("trim", 0, 0, func(s string, p []any) (any, error) { return strings.TrimSpace(s), nil })
	m("isEmpty", 0, 0, func(s string, p []any) (any, error) { return s == "", nil })
	m("toString", 0, 0, func(s string, p []any) (any, error) { return s, nil })
	m("concat", 1, 1, func(s string, p []any) (any, error) { return s + toStr(p[0]), nil })
	m("replace", 2, 2, func(s string, p []any) (any, error) {
		if lang == JavaScript { // JS replaces the first occurrence of a string
			return strings.Replace(s, toStr(p[0]), toStr(p[1]), 1), nil
		}
		return strings.ReplaceAll(s, toStr(p[0]), toStr(p[1])), nil
	})
	m("split", 1, 1, func(s string, p []any) (any, error) {
		sep := toStr(p[0])
		var parts []string
		if lang == JavaScript {
			parts = strings.Split(s, sep)
		} else { // Java's String.split: a regex, trailing empty strings dropped
			rx, err := regexp.Compile(sep)
			if err != nil {
				return nil, err
			}
			parts = rx.Split(s, -1)
			for len(parts) > 0 && parts[len(parts)-1] == "" {
				parts = parts[:len(parts)-1]
			}
		}
		out := make([]any, len(parts))
		for i, x := range parts {
			out[i] = x
		}
		return out, nil
	})
	if lang == Groovy {
		toInt := func(s string, p []any) (any, error) {
			v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%q is not an integer", s)
			}
			return v, nil
		}
		m("toInteger", 0, 0, toInt)
		m("toLong", 0, 0, toInt)
		toF := func(s string, p []any) (any, error) {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return nil, fmt.Errorf("%q is not a number", s)
			}
			return v, nil
		}
		m("toDouble", 0, 0, toF)
		m("toBigDecimal", 0, 0, toF)
		m("toBoolean", 0, 0, func(s string, p []any) (any, error) {
			t := strings.ToLower(strings.TrimSpace(s))
			return t == "true" || t == "y" || t == "1", nil
		})
		m("isInteger", 0, 0, func(s string, p []any) (any, error) {
			_, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
			return err == nil, nil
		})
		m("isNumber", 0, 0, func(s string, p []any) (any, error) {
			_, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			return err == nil, nil
		})
		m("size", 0, 0, func(s string, p []any) (any, error) { return int64(utf16Len(s)), nil })
	}
	m("replaceAll", 2, 2, func(s string, p []any) (any, error) {
		rx, err := regexp.Compile(toStr(p[0]))
		if err != nil {
			return nil, err
		}
		return rx.ReplaceAllString(s, javaGroupRefs(toStr(p[1]))), nil
	})
	m("matches", 1, 1, func(s string, p []any) (any, error) { return fullMatch(s, toStr(p[0])) })
	m("indexOf", 1, 1, func(s string, p []any) (any, error) {
		i := strings.Index(s, toStr(p[0]))
		if i < 0 {
			return int64(-1), nil
		}
		return int64(utf16Len(s[:i])), nil
	})
	m("lastIndexOf", 1, 1, func(s string, p []any) (any, error) {
		i := strings.LastIndex(s, toStr(p[0]))
		if i < 0 {
			return int64(-1), nil
		}
		return int64(utf16Len(s[:i])), nil
	})
	m("charAt", 1, 1, func(s string, p []any) (any, error) {
		i, err := intArg(p[0], lang)
		if err != nil {
			return nil, err
		}
		return substringUnits(s, i, i+1)
	})
	m("substring", 1, 2, func(s string, p []any) (any, error) {
		b, err := intArg(p[0], lang)
		if err != nil {
			return nil, err
		}
		e := -1
		if len(p) > 1 {
			if e, err = intArg(p[1], lang); err != nil {
				return nil, err
			}
		}
		if lang == JavaScript { // JS clamps and swaps
			n := utf16Len(s)
			b, e = clamp(b, 0, n), clamp(e, 0, n)
			if len(p) == 1 {
				e = n
			}
			if b > e {
				b, e = e, b
			}
		}
		return substringUnits(s, b, e)
	})
	m("substr", 1, 2, func(s string, p []any) (any, error) {
		n := utf16Len(s)
		b, err := intArg(p[0], lang)
		if err != nil {
			return nil, err
		}
		if b < 0 {
			b = max(n+b, 0)
		}
		b = clamp(b, 0, n)
		l := n - b
		if len(p) > 1 {
			if l, err = intArg(p[1], lang); err != nil {
				return nil, err
			}
		}
		return substringUnits(s, b, clamp(b+max(l, 0), b, n))
	})
	m("slice", 1, 2, func(s string, p []any) (any, error) {
		n := utf16Len(s)
		rel := func(v any) (int, error) {
			i, err := intArg(v, lang)
			if i < 0 {
				i += n
			}
			return clamp(i, 0, n), err
		}
		b, err := rel(p[0])
		if err != nil {
			return nil, err
		}
		e := n
		if len(p) > 1 {
			if e, err = rel(p[1]); err != nil {
				return nil, err
			}
		}
		if e < b {
			e = b
		}
		return substringUnits(s, b, e)
	})
	add("_p_length", func(p ...any) (any, error) {
		s, err := str(p[0], "length")
		if err != nil {
			return nil, err
		}
		return int64(utf16Len(s)), nil
	})
	add("_m_toFixed", func(p ...any) (any, error) {
		if len(p) < 1 || len(p) > 2 {
			return nil, errors.New("toFixed(): wrong number of arguments")
		}
		n, err := toNum(p[0], lang)
		if err != nil {
			return nil, err
		}
		d := 0
		if len(p) == 2 {
			if d, err = intArg(p[1], lang); err != nil {
				return nil, err
			}
		}
		return strconv.FormatFloat(n.float(), 'f', clamp(d, 0, 100), 64), nil
	})
	add("_m_getTime", func(p ...any) (any, error) {
		t, ok := p[0].(time.Time)
		if !ok {
			return nil, errors.New("getTime() needs a Date")
		}
		return t.UnixMilli(), nil
	})
	// Objects: vars, props, ctx, log.
	add("_m_get", func(p ...any) (any, error) {
		if len(p) != 2 {
			return nil, errors.New("get(): wrong number of arguments")
		}
		k := javaString(p[1])
		switch x := p[0].(type) {
		case *Vars:
			if v, ok := x.Get(k); ok {
				return v, nil
			}
			return nil, nil
		case *Properties:
			if v, ok := x.Get(k); ok {
				return v, nil
			}
			return nil, nil
		}
		return nil, errors.New("get() needs vars or props")
	})
	add("_m_getProperty", func(p ...any) (any, error) {
		if len(p) < 2 || len(p) > 3 {
			return nil, errors.New("getProperty(): wrong number of arguments")
		}
		x, ok := p[0].(*Properties)
		if !ok {
			return nil, errors.New("getProperty() needs props")
		}
		if v, ok := x.Get(javaString(p[1])); ok {
			return v, nil
		}
		if len(p) == 3 {
			return p[2], nil
		}
		return nil, nil
	})
	put := func(p ...any) (any, error) {
		if len(p) != 3 {
			return nil, errors.New("put(): wrong number of arguments")
		}
		k, v := javaString(p[1]), toStr(p[2])
		switch x := p[0].(type) {
		case *Vars:
			x.Put(k, v)
			return nil, nil
		case *Properties:
			old, ok := x.Get(k)
			x.Set(k, v)
			if ok {
				return old, nil
			}
			return nil, nil
		}
		return nil, errors.New("put() needs vars or props")
	}
	add("_m_put", put)
	add("_m_setProperty", put)
	add("_m_remove", func(p ...any) (any, error) {
		if len(p) != 2 {
			return nil, errors.New("remove(): wrong number of arguments")
		}
		if x, ok := p[0].(*Vars); ok {
			k := javaString(p[1])
			old, had := x.Get(k)
			x.Remove(k)
			if had {
				return old, nil
			}
			return nil, nil
		}
		return nil, errors.New("remove() needs vars")
	})
	add("_m_getThreadNum", func(p ...any) (any, error) {
		if c, ok := p[0].(*Context); ok && len(p) == 1 {
			return int64(c.ThreadNum), nil
		}
		return nil, errors.New("getThreadNum() needs ctx")
	})
	for _, level := range []string{"info", "warn", "error", "debug"} {
		level := level
		add("_m_"+level, func(p ...any) (any, error) {
			l, ok := p[0].(*exprLog)
			if !ok || len(p) < 2 {
				return nil, fmt.Errorf("%s() needs log and a message", level)
			}
			l.c.logf(strings.ToUpper(level), "%s", toStr(p[1]))
			return nil, nil
		})
	}
}

// encodeURIComponent escapes all but A-Z a-z 0-9 - _ . ! ~ * ' ( ).
func encodeURIComponent(s string) string {
	const upperhex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if isLetter(ch) || (ch >= '0' && ch <= '9') || strings.IndexByte("-_.!~*'()", ch) >= 0 {
			b.WriteByte(ch)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperhex[ch>>4])
		b.WriteByte(upperhex[ch&15])
	}
	return b.String()
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

func addStatics(add func(string, func(p ...any) (any, error), ...any), lang Language) {
	f1 := func(name string, f func(float64) float64) {
		add(name, func(p ...any) (any, error) {
			if len(p) != 1 {
				return nil, fmt.Errorf("%s: wrong number of arguments", name)
			}
			n, err := toNum(p[0], lang)
			if err != nil {
				return nil, err
			}
			if n.isInt && name != "_Math_random" {
				return f(float64(n.i)), nil
			}
			return f(n.float()), nil
		})
	}
	add("_Math_random", func(p ...any) (any, error) { return rand.Float64(), nil })
	f1("_Math_floor", math.Floor)
	f1("_Math_ceil", math.Ceil)
	f1("_Math_round", func(x float64) float64 { return math.Floor(x + 0.5) })
	f1("_Math_abs", math.Abs)
	add("_Math_pow", func(p ...any) (any, error) {
		if len(p) != 2 {
			return nil, errors.New("Math.pow: wrong number of arguments")
		}
		a, err1 := toNum(p[0], lang)
		b, err2 := toNum(p[1], lang)
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		return math.Pow(a.float(), b.float()), nil
	})
	minmax := func(name string, pick func(a, b float64) float64, start float64) {
		add(name, func(p ...any) (any, error) {
			r := start
			for _, v := range p {
				n, err := toNum(v, lang)
				if err != nil {
					return nil, err
				}
				r = pick(r, n.float())
			}
			return r, nil
		})
	}
	minmax("_Math_max", math.Max, math.Inf(-1))
	minmax("_Math_min", math.Min, math.Inf(1))
	parseIntFn := func(p ...any) (any, error) {
		if len(p) < 1 || len(p) > 2 {
			return nil, errors.New("parseInt: wrong number of arguments")
		}
		s := strings.TrimSpace(jsString(p[0]))
		radix := 10
		if len(p) == 2 {
			r, err := intArg(p[1], lang)
			if err != nil {
				return nil, err
			}
			if r != 0 {
				radix = r
			}
		}
		if lang != JavaScript { // Integer.parseInt is strict
			v, err := strconv.ParseInt(s, radix, 64)
			if err != nil {
				return nil, fmt.Errorf("%q is not an integer", s)
			}
			return v, nil
		}
		neg := false
		if s != "" && (s[0] == '-' || s[0] == '+') {
			neg, s = s[0] == '-', s[1:]
		}
		if radix == 16 || len(p) == 1 {
			if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
				s, radix = s[2:], 16
			}
		}
		j := 0
		for j < len(s) {
			d := strings.IndexByte("0123456789abcdefghijklmnopqrstuvwxyz", s[j]|0x20)
			if d < 0 || d >= radix {
				break
			}
			j++
		}
		if j == 0 {
			return math.NaN(), nil
		}
		v, err := strconv.ParseInt(s[:j], radix, 64)
		if err != nil {
			return math.NaN(), nil
		}
		if neg {
			v = -v
		}
		return v, nil
	}
	add("parseInt", parseIntFn)
	add("_Integer_parseInt", parseIntFn)
	add("_Long_parseLong", parseIntFn)
	parseFloatFn := func(p ...any) (any, error) {
		if len(p) != 1 {
			return nil, errors.New("parseFloat: wrong number of arguments")
		}
		s := strings.TrimSpace(jsString(p[0]))
		// the longest numeric prefix
		for j := len(s); j > 0; j-- {
			if f, err := strconv.ParseFloat(s[:j], 64); err == nil && !strings.ContainsAny(s[:j], "xXpP_") {
				return f, nil
			}
		}
		if lang != JavaScript {
			return nil, fmt.Errorf("%q is not a number", s)
		}
		return math.NaN(), nil
	}
	add("parseFloat", parseFloatFn)
	add("_Double_parseDouble", parseFloatFn)
	add("Number", func(p ...any) (any, error) {
		if len(p) == 0 {
			return int64(0), nil
		}
		n, _ := toNum(p[0], JavaScript)
		return n.value(), nil
	})
	add("isNaN", func(p ...any) (any, error) {
		if len(p) != 1 {
			return nil, errors.New("isNaN: wrong number of arguments")
		}
		n, _ := toNum(p[0], JavaScript)
		return !n.isInt && math.IsNaN(n.f), nil
	})
	strFn := func(p ...any) (any, error) {
		if len(p) != 1 {
			return nil, errors.New("String: wrong number of arguments")
		}
		if lang == JavaScript {
			return jsString(p[0]), nil
		}
		return javaString(p[0]), nil
	}
	add("String", strFn)
	add("_String_valueOf", strFn)
	add("encodeURIComponent", func(p ...any) (any, error) {
		if len(p) != 1 {
			return nil, errors.New("encodeURIComponent: wrong number of arguments")
		}
		return encodeURIComponent(jsString(p[0])), nil
	})
	add("decodeURIComponent", func(p ...any) (any, error) {
		if len(p) != 1 {
			return nil, errors.New("decodeURIComponent: wrong number of arguments")
		}
		return url.PathUnescape(jsString(p[0]))
	})
	add("_Date_now", func(p ...any) (any, error) { return time.Now().UnixMilli(), nil })
	add("_newDate", func(p ...any) (any, error) { return time.Now(), nil })
}
