package java

import (
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/gometer/gometer/internal/javafmt"
)

func (r *runner) numberMethod(v any, name string, args []any) (any, bool, error) {
	n := len(args)
	switch name {
	case "intValue", "toInteger", "asInteger":
		x, _ := castPrim(tkInt, v)
		return x, true, nil
	case "longValue", "toLong":
		x, _ := castPrim(tkLong, v)
		return x, true, nil
	case "toBigDecimal":
		d, _ := decimalOf(v)
		return d, true, nil
	case "doubleValue", "toDouble":
		x, _ := castPrim(tkDouble, v)
		return x, true, nil
	case "floatValue", "toFloat":
		x, _ := castPrim(tkFloat, v)
		return x, true, nil
	case "shortValue":
		x, _ := castPrim(tkShort, v)
		return x, true, nil
	case "byteValue":
		x, _ := castPrim(tkByte, v)
		return x, true, nil
	case "toString":
		if n == 0 {
			return r.toStr(v), true, nil
		}
	case "compareTo":
		if n == 1 {
			c, ok := compareNumbers(v, args[0])
			if !ok {
				return nil, false, nil
			}
			return int32(c), true, nil
		}
	case "isNaN":
		f, _ := toFloat(v)
		return math.IsNaN(f), true, nil
	case "isInfinite":
		f, _ := toFloat(v)
		return math.IsInf(f, 0), true, nil
	}
	if !r.groovy {
		return nil, false, nil
	}
	switch name {
	case "times":
		if n == 1 {
			cnt, _ := toInt64(v)
			for i := int64(0); i < cnt; i++ {
				if err := r.tick(); err != nil {
					return nil, true, err
				}
				if _, err := r.call(args[0], int32(i)); err != nil {
					return nil, true, err
				}
			}
			return nil, true, nil
		}
	case "upto", "downto":
		if n == 2 {
			a, _ := toInt64(v)
			b, _ := toInt64(args[0])
			step := int64(1)
			if name == "downto" {
				step = -1
			}
			for i := a; (step > 0 && i <= b) || (step < 0 && i >= b); i += step {
				if err := r.tick(); err != nil {
					return nil, true, err
				}
				if _, err := r.call(args[1], (&rangeVal{}).elem(i)); err != nil {
					return nil, true, err
				}
			}
			return nil, true, nil
		}
	case "step":
		if n == 3 {
			a, _ := toInt64(v)
			b, _ := toInt64(args[0])
			st, _ := toInt64(args[1])
			if st == 0 {
				return nil, true, newExc("java.lang.IllegalArgumentException", "step must not be 0")
			}
			for i := a; (st > 0 && i < b) || (st < 0 && i > b); i += st {
				if err := r.tick(); err != nil {
					return nil, true, err
				}
				if _, err := r.call(args[2], (&rangeVal{}).elem(i)); err != nil {
					return nil, true, err
				}
			}
			return nil, true, nil
		}
	case "abs":
		x, err := r.mathAbs(v)
		return x, true, err
	case "round":
		f, _ := toFloat(v)
		if n == 1 {
			d, _ := toInt(args[0])
			p := math.Pow(10, float64(d))
			return math.Floor(f*p+0.5) / p, true, nil
		}
		if _, ok := v.(float32); ok {
			return int32(math.Floor(f + 0.5)), true, nil
		}
		if isIntegral(v) {
			return v, true, nil
		}
		return int64(math.Floor(f + 0.5)), true, nil
	case "intdiv":
		if n == 1 {
			x, _ := toInt64(v)
			y, _ := toInt64(args[0])
			if y == 0 {
				return nil, true, newExc("java.lang.ArithmeticException", "/ by zero")
			}
			if _, ok := v.(int64); ok {
				return x / y, true, nil
			}
			if _, ok := args[0].(int64); ok {
				return x / y, true, nil
			}
			return int32(x / y), true, nil
		}
	case "power":
		if n == 1 {
			x, err := r.binop("**", v, args[0])
			return x, true, err
		}
	case "plus", "minus", "multiply", "div", "mod":
		if n == 1 {
			op := map[string]string{"plus": "+", "minus": "-", "multiply": "*", "div": "/", "mod": "%"}[name]
			x, err := r.binop(op, v, args[0])
			return x, true, err
		}
	case "toBigInteger":
		x, _ := toInt64(v)
		return big.NewInt(x), true, nil
	case "floor", "ceil":
		f, _ := toFloat(v)
		if name == "floor" {
			return math.Floor(f), true, nil
		}
		return math.Ceil(f), true, nil
	}
	return nil, false, nil
}

func (r *runner) mathAbs(v any) (any, error) {
	switch x := v.(type) {
	case int32:
		if x < 0 {
			return -x, nil
		}
		return x, nil
	case int64:
		if x < 0 {
			return -x, nil
		}
		return x, nil
	case float64:
		return math.Abs(x), nil
	case float32:
		return float32(math.Abs(float64(x))), nil
	case Char:
		return int32(x), nil
	}
	return nil, newExc("java.lang.IllegalArgumentException", "abs of "+javaClassName(v))
}

func (r *runner) charMethod(c Char, name string, args []any) (any, bool, error) {
	switch name {
	case "charValue":
		return c, true, nil
	case "toString":
		return formatValue(c, true), true, nil
	case "compareTo":
		if len(args) == 1 {
			o, _ := args[0].(Char)
			return int32(c) - int32(o), true, nil
		}
	case "isDigit", "isLetter", "isWhitespace", "isUpperCase", "isLowerCase", "isLetterOrDigit", "toUpperCase", "toLowerCase":
		v, err := characterStatic(name, []any{c})
		return v, true, err
	}
	if r.groovy {
		return r.numberMethod(int32(c), name, args)
	}
	return nil, false, nil
}

// ---- StringBuilder

type strBuilder struct {
	b strings.Builder
}

func (s *strBuilder) javaClass() string { return "java.lang.StringBuilder" }
func (s *strBuilder) String() string    { return s.b.String() }

func (s *strBuilder) invoke(r *runner, name string, args []any) (any, bool, error) {
	n := len(args)
	switch name {
	case "append":
		if n == 1 {
			if l, ok := args[0].(*List); ok && l.Elem == tkChar && l.Array {
				for _, c := range l.S {
					s.b.WriteString(r.toStr(c))
				}
				return s, true, nil
			}
			s.b.WriteString(r.display(args[0]))
			return s, true, nil
		}
		if n == 3 {
			str := newJstr(r.toStr(args[0]))
			a, _ := toInt(args[1])
			b, _ := toInt(args[2])
			if a < 0 || b > str.len() || a > b {
				return nil, true, newExc("java.lang.IndexOutOfBoundsException", "start "+strconv.Itoa(a)+", end "+strconv.Itoa(b))
			}
			s.b.WriteString(str.sub(a, b))
			return s, true, nil
		}
	case "toString":
		return s.b.String(), true, nil
	case "length":
		return int32(newJstr(s.b.String()).len()), true, nil
	case "setLength":
		if n == 1 {
			l, _ := toInt(args[0])
			cur := s.b.String()
			j := newJstr(cur)
			if l < 0 {
				return nil, true, newExc("java.lang.StringIndexOutOfBoundsException", "String index out of range: "+strconv.Itoa(l))
			}
			s.b.Reset()
			if l <= j.len() {
				s.b.WriteString(j.sub(0, l))
			} else {
				s.b.WriteString(cur + strings.Repeat("\x00", l-j.len()))
			}
			return nil, true, nil
		}
	case "reverse":
		rs := []rune(s.b.String())
		for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
			rs[i], rs[j] = rs[j], rs[i]
		}
		s.b.Reset()
		s.b.WriteString(string(rs))
		return s, true, nil
	case "insert", "deleteCharAt", "delete", "replace", "setCharAt":
		cur := newJstr(s.b.String())
		var out string
		switch name {
		case "insert":
			if n != 2 {
				return nil, false, nil
			}
			i, _ := toInt(args[0])
			if i < 0 || i > cur.len() {
				return nil, true, sioobe("offset " + strconv.Itoa(i) + ", length " + strconv.Itoa(cur.len()))
			}
			out = cur.sub(0, i) + r.display(args[1]) + cur.sub(i, cur.len())
		case "deleteCharAt":
			i, _ := toInt(args[0])
			if i < 0 || i >= cur.len() {
				return nil, true, sioobe("index " + strconv.Itoa(i) + ",length " + strconv.Itoa(cur.len()))
			}
			out = cur.sub(0, i) + cur.sub(i+1, cur.len())
		case "delete", "replace":
			a, _ := toInt(args[0])
			b, _ := toInt(args[1])
			if b > cur.len() {
				b = cur.len()
			}
			if a < 0 || a > b {
				return nil, true, sioobe("start " + strconv.Itoa(a) + ", end " + strconv.Itoa(b) + ", length " + strconv.Itoa(cur.len()))
			}
			mid := ""
			if name == "replace" && n == 3 {
				mid = r.toStr(args[2])
			}
			out = cur.sub(0, a) + mid + cur.sub(b, cur.len())
		case "setCharAt":
			i, _ := toInt(args[0])
			if i < 0 || i >= cur.len() {
				return nil, true, sioobe("index " + strconv.Itoa(i))
			}
			out = cur.sub(0, i) + r.toStr(args[1]) + cur.sub(i+1, cur.len())
		}
		s.b.Reset()
		s.b.WriteString(out)
		if name == "setCharAt" {
			return nil, true, nil
		}
		return s, true, nil
	case "leftShift":
		if n == 1 {
			s.b.WriteString(r.display(args[0]))
			return s, true, nil
		}
	case "substring", "subSequence":
		// String's, but a bad range is named as StringBuilder's check does
		v, ok, err := r.stringMethod(s.b.String(), name, args)
		if e, isExc := err.(*Exception); isExc && strings.HasPrefix(e.Message, "begin ") {
			e.Message = "start " + e.Message[len("begin "):]
		}
		return v, ok, err
	}
	// the read-only String methods
	if v, ok, err := r.stringMethod(s.b.String(), name, args); ok && name != "equals" && name != "hashCode" {
		return v, ok, err
	}
	return nil, false, nil
}

// ---- the java.lang classes

func sleepMillis(r *runner, ms int64) error {
	if ms < 0 {
		return newExc("java.lang.IllegalArgumentException", "timeout value is negative")
	}
	if ms == 0 {
		return nil
	}
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	if r.ctx == nil {
		<-t.C
		return nil
	}
	select {
	case <-t.C:
		return nil
	case <-r.ctx.Done():
		return newExc("java.lang.InterruptedException", "sleep interrupted")
	}
}

func (r *runner) sleep(v any) error {
	ms, ok := toInt64(v)
	if !ok {
		return newExc("java.lang.IllegalArgumentException", "sleep needs a number of milliseconds")
	}
	return sleepMillis(r, ms)
}

func argN(args []any, n int, name string) error {
	if len(args) != n {
		return newExc("groovy.lang.MissingMethodException", "No signature of method: "+name+"() is applicable for "+strconv.Itoa(len(args))+" arguments")
	}
	return nil
}

func characterStatic(name string, args []any) (any, error) {
	if err := argN(args, 1, "Character."+name); err != nil {
		return nil, err
	}
	var c rune
	switch x := args[0].(type) {
	case Char:
		c = rune(x)
	default:
		n, _ := toInt64(x)
		c = rune(n)
	}
	switch name {
	case "isDigit":
		return unicode.IsDigit(c), nil
	case "isLetter":
		return unicode.IsLetter(c), nil
	case "isLetterOrDigit":
		return unicode.IsLetter(c) || unicode.IsDigit(c), nil
	case "isWhitespace":
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b || c >= 0x1c && c <= 0x1f || (unicode.IsSpace(c) && c != 0xa0 && c != 0x2007 && c != 0x202f), nil
	case "isUpperCase":
		return unicode.IsUpper(c), nil
	case "isLowerCase":
		return unicode.IsLower(c), nil
	case "toUpperCase":
		return Char(unicode.ToUpper(c)), nil
	case "toLowerCase":
		return Char(unicode.ToLower(c)), nil
	case "getNumericValue":
		if d := strings.IndexRune("0123456789", c); d >= 0 {
			return int32(d), nil
		}
		if unicode.IsLetter(c) && c < 128 {
			return int32(unicode.ToLower(c)-'a') + 10, nil
		}
		return int32(-1), nil
	case "toString", "valueOf":
		if name == "valueOf" {
			return Char(c), nil
		}
		return string(c), nil
	}
	return nil, newExc("groovy.lang.MissingMethodException", "Character."+name)
}

func init() {
	str := func(r *runner, v any) string { return r.toStr(v) }
	register(&class{name: "java.lang.String", is: isAny[string],
		ctor: func(r *runner, args []any) (any, error) {
			switch len(args) {
			case 0:
				return "", nil
			case 1, 2:
				switch x := args[0].(type) {
				case []byte:
					if len(args) == 2 {
						return decodeBytes(x, charsetName(r, args[1]))
					}
					return string(x), nil
				case string:
					return x, nil
				case *strBuilder:
					return x.b.String(), nil
				case *List:
					var b strings.Builder
					for _, e := range x.S {
						b.WriteString(r.toStr(e))
					}
					return b.String(), nil
				}
			case 3:
				if b, ok := args[0].([]byte); ok {
					off, _ := toInt(args[1])
					n, _ := toInt(args[2])
					if off < 0 || n < 0 || off+n > len(b) {
						return nil, newExc("java.lang.StringIndexOutOfBoundsException", "offset "+strconv.Itoa(off)+", count "+strconv.Itoa(n)+", length "+strconv.Itoa(len(b)))
					}
					return string(b[off : off+n]), nil
				}
			}
			return nil, newExc("java.lang.IllegalArgumentException", "unsupported String constructor")
		},
		statics: map[string]staticFn{
			"valueOf": func(r *runner, args []any) (any, error) {
				if len(args) == 1 {
					if l, ok := args[0].(*List); ok && l.Elem == tkChar {
						var b strings.Builder
						for _, e := range l.S {
							b.WriteString(r.toStr(e))
						}
						return b.String(), nil
					}
					return r.display(args[0]), nil
				}
				return nil, argN(args, 1, "String.valueOf")
			},
			"copyValueOf": func(r *runner, args []any) (any, error) { return r.display(args[0]), nil },
			"format": func(r *runner, args []any) (any, error) {
				if len(args) == 0 {
					return nil, argN(args, 1, "String.format")
				}
				if _, isLocale := args[0].(*locale); isLocale && len(args) > 1 {
					return javaFormat(r, str(r, args[1]), args[2:])
				}
				return javaFormat(r, str(r, args[0]), args[1:])
			},
			"join": func(r *runner, args []any) (any, error) {
				if len(args) < 1 {
					return nil, argN(args, 2, "String.join")
				}
				sep := str(r, args[0])
				var parts []string
				rest := args[1:]
				if len(rest) == 1 {
					if l, err := r.toList(rest[0]); err == nil && !isAny[string](rest[0]) {
						rest = l.S
					}
				}
				for _, p := range rest {
					parts = append(parts, r.toStr(p))
				}
				return strings.Join(parts, sep), nil
			},
		}})
	intParse := func(bits int) staticFn {
		return func(r *runner, args []any) (any, error) {
			if len(args) < 1 || len(args) > 2 {
				return nil, argN(args, 1, "parseInt")
			}
			if args[0] == nil {
				if bits == 32 {
					return nil, newExc("java.lang.NumberFormatException", "Cannot parse null string: null")
				}
				return nil, newExc("java.lang.NumberFormatException", "Cannot parse null string: null")
			}
			s, ok := args[0].(string)
			if !ok {
				if isIntegral(args[0]) && len(args) == 1 {
					return castPrim(map[int]typeKind{32: tkInt, 64: tkLong}[bits], args[0])
				}
				s = r.toStr(args[0])
			}
			base := 10
			if len(args) == 2 {
				base, _ = toInt(args[1])
			}
			return parseJavaInt(s, base, bits)
		}
	}
	toStringRadix := func(r *runner, args []any) (any, error) {
		if len(args) == 2 {
			n, _ := toInt64(args[0])
			b, _ := toInt(args[1])
			return strconv.FormatInt(n, b), nil
		}
		if len(args) != 1 {
			return nil, argN(args, 1, "toString")
		}
		return r.toStr(args[0]), nil
	}
	register(&class{name: "java.lang.Integer", is: isAny[int32],
		fields: map[string]any{"MAX_VALUE": int32(math.MaxInt32), "MIN_VALUE": int32(math.MinInt32), "SIZE": int32(32)},
		ctor: func(r *runner, args []any) (any, error) {
			if s, ok := args[0].(string); ok {
				return parseJavaInt(s, 10, 32)
			}
			return castPrim(tkInt, args[0])
		},
		statics: map[string]staticFn{
			"parseInt": intParse(32), "valueOf": intParse(32), "decode": intParse(32),
			"toString": toStringRadix,
			"toHexString": func(r *runner, args []any) (any, error) {
				n, _ := toInt64(args[0])
				return strconv.FormatUint(uint64(uint32(n)), 16), nil
			},
			"toBinaryString": func(r *runner, args []any) (any, error) {
				n, _ := toInt64(args[0])
				return strconv.FormatUint(uint64(uint32(n)), 2), nil
			},
			"toOctalString": func(r *runner, args []any) (any, error) {
				n, _ := toInt64(args[0])
				return strconv.FormatUint(uint64(uint32(n)), 8), nil
			},
			"max": func(r *runner, args []any) (any, error) { return mathMinMax(r, args, true) },
			"min": func(r *runner, args []any) (any, error) { return mathMinMax(r, args, false) },
			"sum": func(r *runner, args []any) (any, error) { return r.binop("+", args[0], args[1]) },
			"compare": func(r *runner, args []any) (any, error) {
				c, _ := compareNumbers(args[0], args[1])
				return int32(c), nil
			},
			"signum": func(r *runner, args []any) (any, error) {
				n, _ := toInt64(args[0])
				return int32(sign(int(n))), nil
			},
		}})
	register(&class{name: "java.lang.Long", is: isAny[int64],
		fields: map[string]any{"MAX_VALUE": int64(math.MaxInt64), "MIN_VALUE": int64(math.MinInt64)},
		ctor: func(r *runner, args []any) (any, error) {
			if s, ok := args[0].(string); ok {
				return parseJavaInt(s, 10, 64)
			}
			return castPrim(tkLong, args[0])
		},
		statics: map[string]staticFn{
			"parseLong": intParse(64), "valueOf": intParse(64), "decode": intParse(64),
			"toString": toStringRadix,
			"toHexString": func(r *runner, args []any) (any, error) {
				n, _ := toInt64(args[0])
				return strconv.FormatUint(uint64(n), 16), nil
			},
			"max": func(r *runner, args []any) (any, error) { return mathMinMax(r, args, true) },
			"min": func(r *runner, args []any) (any, error) { return mathMinMax(r, args, false) },
			"compare": func(r *runner, args []any) (any, error) {
				c, _ := compareNumbers(args[0], args[1])
				return int32(c), nil
			},
		}})
	dblParse := func(r *runner, args []any) (any, error) {
		if err := argN(args, 1, "parseDouble"); err != nil {
			return nil, err
		}
		if args[0] == nil {
			return nil, newExc("java.lang.NullPointerException", "")
		}
		if s, ok := args[0].(string); ok {
			return parseJavaDouble(s)
		}
		return castPrim(tkDouble, args[0])
	}
	register(&class{name: "java.lang.Double", is: isAny[float64],
		fields: map[string]any{"MAX_VALUE": math.MaxFloat64, "MIN_VALUE": 4.9e-324, "NaN": math.NaN(),
			"POSITIVE_INFINITY": math.Inf(1), "NEGATIVE_INFINITY": math.Inf(-1)},
		ctor: dblParse,
		statics: map[string]staticFn{
			"parseDouble": dblParse, "valueOf": dblParse,
			"toString": func(r *runner, args []any) (any, error) {
				f, _ := toFloat(args[0])
				return javafmt.Double(f), nil
			},
			"isNaN": func(r *runner, args []any) (any, error) {
				f, _ := toFloat(args[0])
				return math.IsNaN(f), nil
			},
			"compare": func(r *runner, args []any) (any, error) {
				c, _ := compareNumbers(args[0], args[1])
				return int32(c), nil
			},
			"max": func(r *runner, args []any) (any, error) { return mathMinMax(r, args, true) },
			"min": func(r *runner, args []any) (any, error) { return mathMinMax(r, args, false) },
		}})
	fltParse := func(r *runner, args []any) (any, error) {
		v, err := dblParse(r, args)
		if err != nil {
			return nil, err
		}
		return castPrim(tkFloat, v)
	}
	register(&class{name: "java.lang.Float", is: isAny[float32], ctor: fltParse,
		fields:  map[string]any{"MAX_VALUE": float32(math.MaxFloat32)},
		statics: map[string]staticFn{"parseFloat": fltParse, "valueOf": fltParse}})
	shortParse := func(r *runner, args []any) (any, error) {
		v, err := intParse(32)(r, args)
		if err != nil {
			return nil, err
		}
		return castPrim(tkShort, v)
	}
	register(&class{name: "java.lang.Short", is: isAny[int16], statics: map[string]staticFn{"parseShort": shortParse, "valueOf": shortParse}})
	byteParse := func(r *runner, args []any) (any, error) {
		v, err := intParse(32)(r, args)
		if err != nil {
			return nil, err
		}
		return castPrim(tkByte, v)
	}
	register(&class{name: "java.lang.Byte", is: isAny[int8], statics: map[string]staticFn{"parseByte": byteParse, "valueOf": byteParse}})
	boolParse := func(r *runner, args []any) (any, error) {
		if err := argN(args, 1, "parseBoolean"); err != nil {
			return nil, err
		}
		if b, ok := args[0].(bool); ok {
			return b, nil
		}
		s, _ := args[0].(string)
		return strings.EqualFold(s, "true"), nil
	}
	register(&class{name: "java.lang.Boolean", is: isAny[bool], ctor: boolParse,
		fields: map[string]any{"TRUE": true, "FALSE": false},
		statics: map[string]staticFn{"parseBoolean": boolParse, "valueOf": boolParse,
			"toString": func(r *runner, args []any) (any, error) { return r.toStr(args[0]), nil },
			"getBoolean": func(r *runner, args []any) (any, error) {
				return strings.EqualFold(os.Getenv(r.toStr(args[0])), "true"), nil
			}}})
	chr := map[string]staticFn{}
	for _, n := range []string{"isDigit", "isLetter", "isLetterOrDigit", "isWhitespace", "isUpperCase",
		"isLowerCase", "toUpperCase", "toLowerCase", "getNumericValue", "toString", "valueOf"} {
		chr[n] = func(r *runner, args []any) (any, error) { return characterStatic(n, args) }
	}
	register(&class{name: "java.lang.Character", is: isAny[Char], statics: chr})
	register(&class{name: "java.lang.Math", statics: mathStatics(), fields: map[string]any{"PI": math.Pi, "E": math.E}})
	register(&class{name: "java.lang.StrictMath", statics: mathStatics(), fields: map[string]any{"PI": math.Pi, "E": math.E}})
	register(&class{name: "java.lang.System", statics: map[string]staticFn{
		"currentTimeMillis": func(r *runner, args []any) (any, error) { return time.Now().UnixMilli(), nil },
		"nanoTime":          func(r *runner, args []any) (any, error) { return time.Now().UnixNano(), nil },
		"getProperty": func(r *runner, args []any) (any, error) {
			if len(args) < 1 {
				return nil, argN(args, 1, "System.getProperty")
			}
			if v, ok := systemProperty(r.toStr(args[0])); ok {
				return v, nil
			}
			if len(args) == 2 {
				return args[1], nil
			}
			return nil, nil
		},
		"getenv": func(r *runner, args []any) (any, error) {
			if len(args) == 0 {
				m := newMap()
				for _, kv := range os.Environ() {
					k, v, _ := strings.Cut(kv, "=")
					m.Put(k, v)
				}
				return m, nil
			}
			v, ok := os.LookupEnv(r.toStr(args[0]))
			if !ok {
				return nil, nil
			}
			return v, nil
		},
		"lineSeparator": func(r *runner, args []any) (any, error) { return "\n", nil },
		"identityHashCode": func(r *runner, args []any) (any, error) {
			return javaHashCode(args[0]), nil
		},
		"arraycopy": func(r *runner, args []any) (any, error) {
			if err := argN(args, 5, "System.arraycopy"); err != nil {
				return nil, err
			}
			sp, _ := toInt(args[1])
			dp, _ := toInt(args[3])
			n, _ := toInt(args[4])
			switch src := args[0].(type) {
			case []byte:
				dst, _ := args[2].([]byte)
				if sp < 0 || dp < 0 || n < 0 || sp+n > len(src) || dp+n > len(dst) {
					return nil, newExc("java.lang.ArrayIndexOutOfBoundsException", "arraycopy: last source index "+strconv.Itoa(sp+n)+" out of bounds")
				}
				copy(dst[dp:dp+n], src[sp:sp+n])
			case *List:
				dst, _ := args[2].(*List)
				if dst == nil || sp < 0 || dp < 0 || n < 0 || sp+n > len(src.S) || dp+n > len(dst.S) {
					return nil, newExc("java.lang.ArrayIndexOutOfBoundsException", "arraycopy: last source index "+strconv.Itoa(sp+n)+" out of bounds")
				}
				copy(dst.S[dp:dp+n], src.S[sp:sp+n])
			}
			return nil, nil
		},
		"exit": func(r *runner, args []any) (any, error) {
			return nil, newExc("java.lang.SecurityException", "System.exit is not allowed in a test plan script")
		},
		"gc": func(r *runner, args []any) (any, error) { return nil, nil },
	}, fields: map[string]any{"out": stdStream{err: false}, "err": stdStream{err: true}}})
	register(&class{name: "java.lang.Thread", statics: map[string]staticFn{
		"sleep": func(r *runner, args []any) (any, error) {
			if len(args) < 1 {
				return nil, argN(args, 1, "Thread.sleep")
			}
			return nil, r.sleep(args[0])
		},
		"currentThread": func(r *runner, args []any) (any, error) { return threadObj{r: r}, nil },
		"yield":         func(r *runner, args []any) (any, error) { runtime.Gosched(); return nil, nil },
	}})
	sb := func(r *runner, args []any) (any, error) {
		b := &strBuilder{}
		if len(args) == 1 {
			if _, isNum := args[0].(int32); !isNum {
				b.b.WriteString(r.toStr(args[0]))
			}
		}
		return b, nil
	}
	register(&class{name: "java.lang.StringBuilder", ctor: sb, is: isAny[*strBuilder]})
	register(&class{name: "java.lang.StringBuffer", ctor: sb, is: isAny[*strBuilder]})
	register(&class{name: "java.util.Objects", statics: map[string]staticFn{
		"equals":  func(r *runner, args []any) (any, error) { return valuesEqual(args[0], args[1]), nil },
		"isNull":  func(r *runner, args []any) (any, error) { return args[0] == nil, nil },
		"nonNull": func(r *runner, args []any) (any, error) { return args[0] != nil, nil },
		"toString": func(r *runner, args []any) (any, error) {
			if args[0] == nil && len(args) == 2 {
				return args[1], nil
			}
			return r.toStr(args[0]), nil
		},
		"requireNonNull": func(r *runner, args []any) (any, error) {
			if args[0] == nil {
				msg := ""
				if len(args) > 1 {
					msg = r.toStr(args[1])
				}
				return nil, newExc("java.lang.NullPointerException", msg)
			}
			return args[0], nil
		},
		"hash": func(r *runner, args []any) (any, error) { return javaHashCode(&List{S: args}), nil },
		"requireNonNullElse": func(r *runner, args []any) (any, error) {
			if args[0] == nil {
				return args[1], nil
			}
			return args[0], nil
		},
	}})
	register(&class{name: "java.math.BigInteger", is: isAny[*big.Int],
		ctor: func(r *runner, args []any) (any, error) {
			b, ok := new(big.Int).SetString(strings.TrimSpace(r.toStr(args[0])), 10)
			if !ok {
				return nil, numberFormat(r.toStr(args[0]))
			}
			return b, nil
		},
		statics: map[string]staticFn{"valueOf": func(r *runner, args []any) (any, error) {
			n, _ := toInt64(args[0])
			return big.NewInt(n), nil
		}}, fields: map[string]any{"ZERO": big.NewInt(0), "ONE": big.NewInt(1), "TEN": big.NewInt(10)}})
}

// stdStream is System.out / System.err.
type stdStream struct{ err bool }

func (s stdStream) javaClass() string { return "java.io.PrintStream" }
func (s stdStream) invoke(r *runner, name string, args []any) (any, bool, error) {
	w := r.stdout()
	if s.err {
		w = os.Stderr
	}
	switch name {
	case "println":
		if len(args) == 0 {
			w.Write([]byte("\n"))
		} else {
			w.Write([]byte(r.display(args[0]) + "\n"))
		}
		return nil, true, nil
	case "print":
		if len(args) == 1 {
			w.Write([]byte(r.display(args[0])))
		}
		return nil, true, nil
	case "printf", "format":
		if len(args) >= 1 {
			out, err := javaFormat(r, r.toStr(args[0]), args[1:])
			if err != nil {
				return nil, true, err
			}
			w.Write([]byte(out))
		}
		return s, true, nil
	case "flush", "close":
		return nil, true, nil
	}
	return nil, false, nil
}

type threadObj struct{ r *runner }

func (threadObj) javaClass() string { return "java.lang.Thread" }
func (t threadObj) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "getName":
		if n, ok := r.globals["__threadName"].(string); ok {
			return n, true, nil
		}
		return "main", true, nil
	case "getId", "threadId":
		return int64(1), true, nil
	case "isInterrupted":
		return r.ctx != nil && r.ctx.Err() != nil, true, nil
	case "interrupt":
		return nil, true, nil
	}
	return nil, false, nil
}

func systemProperty(name string) (string, bool) {
	switch name {
	case "line.separator":
		return "\n", true
	case "file.separator":
		return "/", true
	case "path.separator":
		return ":", true
	case "user.dir":
		d, err := os.Getwd()
		return d, err == nil
	case "user.home":
		d, err := os.UserHomeDir()
		return d, err == nil
	case "java.io.tmpdir":
		return os.TempDir(), true
	case "os.name":
		if runtime.GOOS == "linux" {
			return "Linux", true
		}
		return runtime.GOOS, true
	case "user.name":
		return os.Getenv("USER"), true
	case "file.encoding":
		return "UTF-8", true
	case "java.version":
		return "17", true
	}
	return "", false
}

func mathMinMax(r *runner, args []any, isMax bool) (any, error) {
	if len(args) != 2 {
		return nil, argN(args, 2, "Math.max")
	}
	ra, ok1 := rank(args[0])
	rb, ok2 := rank(args[1])
	if !ok1 || !ok2 {
		return nil, newExc("java.lang.IllegalArgumentException", "Math.max/min needs numbers")
	}
	k := max(ra, rb)
	a, _ := r.arith("+", args[0], int32(0), k)
	b, _ := r.arith("+", args[1], int32(0), k)
	c, _ := compareNumbers(a, b)
	if fa, ok := a.(float64); ok && math.IsNaN(fa) {
		return a, nil
	}
	if fb, ok := b.(float64); ok && math.IsNaN(fb) {
		return b, nil
	}
	if (c >= 0) == isMax {
		return a, nil
	}
	return b, nil
}

func mathStatics() map[string]staticFn {
	f1 := func(name string, fn func(float64) float64) staticFn {
		return func(r *runner, args []any) (any, error) {
			if err := argN(args, 1, "Math."+name); err != nil {
				return nil, err
			}
			x, ok := toFloat(args[0])
			if !ok {
				return nil, newExc("java.lang.IllegalArgumentException", "Math."+name+" needs a number")
			}
			return fn(x), nil
		}
	}
	m := map[string]staticFn{
		"sqrt": f1("sqrt", math.Sqrt), "cbrt": f1("cbrt", math.Cbrt), "floor": f1("floor", math.Floor),
		"ceil": f1("ceil", math.Ceil), "log": f1("log", math.Log), "log10": f1("log10", math.Log10),
		"exp": f1("exp", math.Exp), "sin": f1("sin", math.Sin), "cos": f1("cos", math.Cos),
		"tan": f1("tan", math.Tan), "atan": f1("atan", math.Atan), "asin": f1("asin", math.Asin),
		"acos": f1("acos", math.Acos), "rint": f1("rint", math.RoundToEven),
		"signum": f1("signum", func(x float64) float64 {
			switch {
			case x > 0:
				return 1
			case x < 0:
				return -1
			}
			return x
		}),
		"toRadians": f1("toRadians", func(x float64) float64 { return x / 180 * math.Pi }),
		"toDegrees": f1("toDegrees", func(x float64) float64 { return x * 180 / math.Pi }),
		"random":    func(r *runner, args []any) (any, error) { return rand.Float64(), nil },
		"pow": func(r *runner, args []any) (any, error) {
			if err := argN(args, 2, "Math.pow"); err != nil {
				return nil, err
			}
			a, _ := toFloat(args[0])
			b, _ := toFloat(args[1])
			return math.Pow(a, b), nil
		},
		"atan2": func(r *runner, args []any) (any, error) {
			a, _ := toFloat(args[0])
			b, _ := toFloat(args[1])
			return math.Atan2(a, b), nil
		},
		"hypot": func(r *runner, args []any) (any, error) {
			a, _ := toFloat(args[0])
			b, _ := toFloat(args[1])
			return math.Hypot(a, b), nil
		},
		"abs": func(r *runner, args []any) (any, error) {
			if err := argN(args, 1, "Math.abs"); err != nil {
				return nil, err
			}
			return r.mathAbs(args[0])
		},
		"max": func(r *runner, args []any) (any, error) { return mathMinMax(r, args, true) },
		"min": func(r *runner, args []any) (any, error) { return mathMinMax(r, args, false) },
		"round": func(r *runner, args []any) (any, error) {
			if err := argN(args, 1, "Math.round"); err != nil {
				return nil, err
			}
			switch x := args[0].(type) {
			case float32:
				return f2i(math.Floor(float64(x) + 0.5)), nil
			case float64:
				return f2l(math.Floor(x + 0.5)), nil
			}
			if n, ok := toInt64(args[0]); ok {
				if _, isLong := args[0].(int64); isLong {
					return n, nil
				}
				return int32(n), nil // Math.round(float) after int→float widening
			}
			return nil, newExc("java.lang.IllegalArgumentException", "Math.round needs a number")
		},
		"floorDiv": func(r *runner, args []any) (any, error) {
			a, _ := toInt64(args[0])
			b, _ := toInt64(args[1])
			if b == 0 {
				return nil, newExc("java.lang.ArithmeticException", "/ by zero")
			}
			q := a / b
			if (a%b != 0) && ((a < 0) != (b < 0)) {
				q--
			}
			if isAny[int32](args[0]) && isAny[int32](args[1]) {
				return int32(q), nil
			}
			return q, nil
		},
		"floorMod": func(r *runner, args []any) (any, error) {
			a, _ := toInt64(args[0])
			b, _ := toInt64(args[1])
			if b == 0 {
				return nil, newExc("java.lang.ArithmeticException", "/ by zero")
			}
			m := ((a % b) + b) % b
			if isAny[int32](args[0]) && isAny[int32](args[1]) {
				return int32(m), nil
			}
			return m, nil
		},
		"addExact": func(r *runner, args []any) (any, error) { return r.binop("+", args[0], args[1]) },
	}
	return m
}

func (r *runner) bytesMethod(b []byte, name string, args []any) (any, bool, error) {
	switch name {
	case "size":
		if r.groovy {
			return int32(len(b)), true, nil
		}
	case "encodeBase64":
		return b64Std(b), true, nil
	case "encodeHex":
		return hexLower(b), true, nil
	case "clone":
		return append([]byte(nil), b...), true, nil
	}
	if r.groovy {
		l := &List{S: make([]any, len(b))}
		for i, c := range b {
			l.S[i] = int8(c)
		}
		return r.listMethod(l, name, args)
	}
	return nil, false, nil
}

var _ = utf16.Decode
