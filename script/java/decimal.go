package java

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
)

// Decimal is a java.math.BigDecimal: unscaled × 10^-scale. Groovy makes
// decimal literals (1.5, 1e3) and integer division results BigDecimals, so
// 0.1 + 0.2 prints 0.3 and 1/3 prints 0.3333333333 as in Groovy.
type Decimal struct {
	u     *big.Int
	scale int32
}

var bigTen = big.NewInt(10)

func pow10(n int32) *big.Int { return new(big.Int).Exp(bigTen, big.NewInt(int64(n)), nil) }

func newDecimal(u *big.Int, scale int32) *Decimal { return &Decimal{u: u, scale: scale} }

// parseDecimal reads a BigDecimal literal or string ("1.50", "-3", "1e10").
func parseDecimal(s string) (*Decimal, bool) {
	if d, ok := parseSmallDecimal(s); ok {
		return d, true
	}
	t := strings.TrimSpace(s)
	exp := int64(0)
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		e, err := strconv.ParseInt(t[i+1:], 10, 32)
		if err != nil {
			return nil, false
		}
		exp, t = e, t[:i]
	}
	scale := int32(0)
	if i := strings.IndexByte(t, '.'); i >= 0 {
		scale = int32(len(t) - i - 1)
		t = t[:i] + t[i+1:]
	}
	if t == "" || t == "-" || t == "+" {
		return nil, false
	}
	u, ok := new(big.Int).SetString(t, 10)
	if !ok {
		return nil, false
	}
	return &Decimal{u: u, scale: scale - int32(exp)}, true
}

// parseSmallDecimal is the allocation-light path for plain decimals of up
// to 18 digits ("12.50", "-3.5"), the common case in JSON bodies.
func parseSmallDecimal(s string) (*Decimal, bool) {
	if len(s) == 0 || len(s) > 20 {
		return nil, false
	}
	i, neg := 0, false
	if s[0] == '-' || s[0] == '+' {
		neg, i = s[0] == '-', 1
	}
	var n uint64
	digits, scale, dot := 0, int32(0), false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			n = n*10 + uint64(c-'0')
			digits++
			if dot {
				scale++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return nil, false
		}
	}
	if digits == 0 || digits > 18 {
		return nil, false
	}
	v := int64(n)
	if neg {
		v = -v
	}
	return &Decimal{u: big.NewInt(v), scale: scale}, true
}

func decimalOf(v any) (*Decimal, bool) {
	switch x := v.(type) {
	case *Decimal:
		return x, true
	case *big.Int:
		return &Decimal{u: x}, true
	case float64, float32:
		f, _ := toFloat(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, false
		}
		// BigDecimal.valueOf(double): the shortest repr of the double
		return parseDecimal(strconv.FormatFloat(f, 'g', -1, 64))
	}
	if n, ok := toInt64(v); ok && isIntegral(v) {
		return &Decimal{u: big.NewInt(n)}, true
	}
	return nil, false
}

func (d *Decimal) javaClass() string { return "java.math.BigDecimal" }

func (d *Decimal) precision() int {
	s := new(big.Int).Abs(d.u).String()
	if s == "0" {
		return 1
	}
	return len(s)
}

// String is BigDecimal.toString: plain unless the exponent is positive or
// the number is very small, then scientific ("1E+10").
func (d *Decimal) String() string {
	digits := new(big.Int).Abs(d.u).String()
	neg := d.u.Sign() < 0
	adjusted := int64(len(digits)) - 1 - int64(d.scale)
	var out string
	if d.scale >= 0 && adjusted >= -6 {
		if d.scale == 0 {
			out = digits
		} else if int(d.scale) >= len(digits) {
			out = "0." + strings.Repeat("0", int(d.scale)-len(digits)) + digits
		} else {
			out = digits[:len(digits)-int(d.scale)] + "." + digits[len(digits)-int(d.scale):]
		}
	} else {
		out = digits[:1]
		if len(digits) > 1 {
			out += "." + digits[1:]
		}
		out += "E"
		if adjusted >= 0 {
			out += "+"
		}
		out += strconv.FormatInt(adjusted, 10)
	}
	if neg {
		return "-" + out
	}
	return out
}

func (d *Decimal) plain() string {
	if d.scale <= 0 {
		return new(big.Int).Mul(d.u, pow10(-d.scale)).String()
	}
	digits := new(big.Int).Abs(d.u).String()
	if int(d.scale) >= len(digits) {
		digits = strings.Repeat("0", int(d.scale)-len(digits)+1) + digits
	}
	s := digits[:len(digits)-int(d.scale)] + "." + digits[len(digits)-int(d.scale):]
	if d.u.Sign() < 0 {
		return "-" + s
	}
	return s
}

func (d *Decimal) float() float64 {
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// align returns both unscaled values at the larger scale.
func align(a, b *Decimal) (*big.Int, *big.Int, int32) {
	switch {
	case a.scale == b.scale:
		return a.u, b.u, a.scale
	case a.scale > b.scale:
		return a.u, new(big.Int).Mul(b.u, pow10(a.scale-b.scale)), a.scale
	}
	return new(big.Int).Mul(a.u, pow10(b.scale-a.scale)), b.u, b.scale
}

func (d *Decimal) cmp(o *Decimal) int {
	x, y, _ := align(d, o)
	return x.Cmp(y)
}

// setScale rounds to n fraction digits (HALF_UP unless mode says otherwise).
func (d *Decimal) setScale(n int32, mode string) (*Decimal, error) {
	if n >= d.scale {
		return &Decimal{u: new(big.Int).Mul(d.u, pow10(n-d.scale)), scale: n}, nil
	}
	div := pow10(d.scale - n)
	q, rem := new(big.Int).QuoRem(d.u, div, new(big.Int))
	if rem.Sign() != 0 {
		twice := new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2))
		c := twice.Cmp(div)
		up := false
		switch mode {
		case "HALF_UP", "":
			up = c >= 0
		case "HALF_DOWN":
			up = c > 0
		case "HALF_EVEN":
			up = c > 0 || c == 0 && q.Bit(0) == 1
		case "UP":
			up = true
		case "DOWN":
		case "CEILING":
			up = d.u.Sign() > 0
		case "FLOOR":
			up = d.u.Sign() < 0
		case "UNNECESSARY":
			return nil, newExc("java.lang.ArithmeticException", "Rounding necessary")
		}
		if up {
			if d.u.Sign() < 0 {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
	}
	return &Decimal{u: q, scale: n}, nil
}

func decimalArith(op string, a, b *Decimal, groovy bool) (any, error) {
	switch op {
	case "+", "-":
		x, y, s := align(a, b)
		z := new(big.Int)
		if op == "+" {
			z.Add(x, y)
		} else {
			z.Sub(x, y)
		}
		return &Decimal{u: z, scale: s}, nil
	case "*":
		return &Decimal{u: new(big.Int).Mul(a.u, b.u), scale: a.scale + b.scale}, nil
	case "/":
		return decimalDiv(a, b)
	case "%":
		if b.u.Sign() == 0 {
			return nil, newExc("java.lang.ArithmeticException", "Division by zero")
		}
		x, y, s := align(a, b)
		return &Decimal{u: new(big.Int).Rem(x, y), scale: s}, nil
	case "**":
		n, ok := b.intExact()
		if !ok || n < 0 || n > 9999 {
			return math.Pow(a.float(), b.float()), nil
		}
		return &Decimal{u: new(big.Int).Exp(a.u, big.NewInt(n), nil), scale: a.scale * int32(n)}, nil
	}
	return nil, newExc("java.lang.UnsupportedOperationException", "BigDecimal "+op)
}

func (d *Decimal) intExact() (int64, bool) {
	if d.scale > 0 {
		q, r := new(big.Int).QuoRem(d.u, pow10(d.scale), new(big.Int))
		if r.Sign() != 0 || !q.IsInt64() {
			return 0, false
		}
		return q.Int64(), true
	}
	v := new(big.Int).Mul(d.u, pow10(-d.scale))
	return v.Int64(), v.IsInt64()
}

// decimalDiv is Groovy's BigDecimal division: exact when the quotient
// terminates, else rounded HALF_UP to at most 10 fraction digits.
func decimalDiv(a, b *Decimal) (any, error) {
	if b.u.Sign() == 0 {
		return nil, newExc("java.lang.ArithmeticException", "Division by zero")
	}
	if a.u.Sign() == 0 {
		return &Decimal{u: new(big.Int), scale: max(a.scale-b.scale, 0)}, nil
	}
	// terminating? the reduced denominator has only factors 2 and 5
	g := new(big.Int).GCD(nil, nil, new(big.Int).Abs(a.u), new(big.Int).Abs(b.u))
	den := new(big.Int).Quo(new(big.Int).Abs(b.u), g)
	two, five := big.NewInt(2), big.NewInt(5)
	k := int32(0)
	for new(big.Int).Rem(den, two).Sign() == 0 {
		den.Quo(den, two)
		k++
	}
	k5 := int32(0)
	for new(big.Int).Rem(den, five).Sign() == 0 {
		den.Quo(den, five)
		k5++
	}
	if den.Cmp(big.NewInt(1)) == 0 {
		extra := max(k, k5)
		pref := a.scale - b.scale
		for e := int32(0); e <= extra; e++ {
			num := new(big.Int).Mul(a.u, pow10(e))
			q, r := new(big.Int).QuoRem(num, b.u, new(big.Int))
			if r.Sign() == 0 {
				return &Decimal{u: q, scale: pref + e}, nil
			}
		}
	}
	prec := int32(max(a.precision(), b.precision()) + 10)
	// integer digits of the quotient
	qi := new(big.Int).Quo(new(big.Int).Mul(a.u, pow10(b.scale)), new(big.Int).Mul(b.u, pow10(a.scale)))
	intDigits := int32(0)
	if qi.Sign() != 0 {
		intDigits = int32(len(new(big.Int).Abs(qi).String()))
	}
	scale := int32(10)
	if intDigits > 0 {
		scale = min(max(prec-intDigits, a.scale, b.scale), 10)
	}
	// round HALF_UP at scale: q = a / b * 10^scale
	num := new(big.Int).Mul(a.u, pow10(scale+b.scale))
	den2 := new(big.Int).Mul(b.u, pow10(a.scale))
	q, r := new(big.Int).QuoRem(num, den2, new(big.Int))
	if r.Sign() != 0 {
		twice := new(big.Int).Mul(new(big.Int).Abs(r), big.NewInt(2))
		if twice.Cmp(new(big.Int).Abs(den2)) >= 0 {
			if (num.Sign() < 0) != (den2.Sign() < 0) {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
	}
	return &Decimal{u: q, scale: scale}, nil
}

func (r *runner) decimalMethod(d *Decimal, name string, args []any) (any, bool, error) {
	switch name {
	case "setScale":
		if len(args) >= 1 {
			n, _ := toInt(args[0])
			mode := "UNNECESSARY"
			if len(args) == 2 {
				mode = roundingName(args[1])
			}
			v, err := d.setScale(int32(n), mode)
			return v, true, err
		}
	case "toString":
		return d.String(), true, nil
	case "toPlainString":
		return d.plain(), true, nil
	case "scale":
		return d.scale, true, nil
	case "precision":
		return int32(d.precision()), true, nil
	case "unscaledValue":
		return d.u, true, nil
	case "signum":
		return int32(d.u.Sign()), true, nil
	case "negate":
		return &Decimal{u: new(big.Int).Neg(d.u), scale: d.scale}, true, nil
	case "abs":
		return &Decimal{u: new(big.Int).Abs(d.u), scale: d.scale}, true, nil
	case "stripTrailingZeros":
		u, s := new(big.Int).Set(d.u), d.scale
		for u.Sign() != 0 {
			q, rem := new(big.Int).QuoRem(u, bigTen, new(big.Int))
			if rem.Sign() != 0 {
				break
			}
			u, s = q, s-1
		}
		if u.Sign() == 0 {
			s = 0
		}
		return &Decimal{u: u, scale: s}, true, nil
	case "add", "subtract", "multiply", "divide", "remainder", "pow":
		if len(args) >= 1 {
			o, ok := decimalOf(args[0])
			if !ok {
				return nil, true, newExc("java.lang.ClassCastException", "not a number")
			}
			op := map[string]string{"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "remainder": "%", "pow": "**"}[name]
			if name == "divide" && len(args) >= 2 {
				// divide(x, scale, mode) or divide(x, mode)
				scale, mode := d.scale, roundingName(args[len(args)-1])
				if len(args) == 3 {
					n, _ := toInt(args[1])
					scale = int32(n)
				}
				exact := &Decimal{u: new(big.Int).Mul(d.u, pow10(scale+o.scale+2)), scale: d.scale + scale + o.scale + 2}
				q := &Decimal{u: new(big.Int).Quo(exact.u, o.u), scale: exact.scale - o.scale}
				v, err := q.setScale(scale, mode)
				return v, true, err
			}
			if name == "divide" {
				v, err := decimalDiv(d, o)
				if err == nil {
					if _, exact := v.(*Decimal); exact && d.u.Sign() != 0 && !terminates(d, o) {
						return nil, true, newExc("java.lang.ArithmeticException", "Non-terminating decimal expansion; no exact representable decimal result.")
					}
				}
				return v, true, err
			}
			v, err := decimalArith(op, d, o, r.groovy)
			return v, true, err
		}
	case "compareTo":
		if o, ok := decimalOf(args[0]); ok {
			return int32(d.cmp(o)), true, nil
		}
	case "equals":
		o, ok := args[0].(*Decimal)
		return ok && o.scale == d.scale && o.u.Cmp(d.u) == 0, true, nil
	case "max", "min":
		o, ok := decimalOf(args[0])
		if !ok {
			return nil, false, nil
		}
		if (d.cmp(o) >= 0) == (name == "max") {
			return d, true, nil
		}
		return o, true, nil
	case "toBigInteger":
		v, _ := d.setScale(0, "DOWN")
		return v.u, true, nil
	}
	return r.numberMethod(d.float(), name, args)
}

func terminates(a, b *Decimal) bool {
	g := new(big.Int).GCD(nil, nil, new(big.Int).Abs(a.u), new(big.Int).Abs(b.u))
	den := new(big.Int).Quo(new(big.Int).Abs(b.u), g)
	for _, p := range []int64{2, 5} {
		bp := big.NewInt(p)
		for new(big.Int).Rem(den, bp).Sign() == 0 {
			den.Quo(den, bp)
		}
	}
	return den.Cmp(big.NewInt(1)) == 0
}

func roundingName(v any) string {
	switch x := v.(type) {
	case *roundingMode:
		return x.name
	case int32:
		return []string{"UP", "DOWN", "CEILING", "FLOOR", "HALF_UP", "HALF_DOWN", "HALF_EVEN", "UNNECESSARY"}[min(max(int(x), 0), 7)]
	}
	return formatValue(v, true)
}

type roundingMode struct{ name string }

func (m *roundingMode) javaClass() string { return "java.math.RoundingMode" }
func (m *roundingMode) String() string    { return m.name }
func (m *roundingMode) invoke(r *runner, name string, args []any) (any, bool, error) {
	if name == "name" || name == "toString" {
		return m.name, true, nil
	}
	return nil, false, nil
}

func init() {
	modes := map[string]any{}
	for _, n := range []string{"UP", "DOWN", "CEILING", "FLOOR", "HALF_UP", "HALF_DOWN", "HALF_EVEN", "UNNECESSARY"} {
		modes[n] = &roundingMode{name: n}
	}
	register(&class{name: "java.math.RoundingMode", fields: modes, is: isAny[*roundingMode]})
	fromAny := func(r *runner, args []any) (any, error) {
		if len(args) < 1 {
			return nil, argN(args, 1, "BigDecimal")
		}
		if s, ok := args[0].(string); ok {
			d, ok := parseDecimal(s)
			if !ok {
				msg, has := decimalSyntaxError(s)
				return nil, &Exception{Class: "java.lang.NumberFormatException", Message: msg, hasMsg: has}
			}
			return d, nil
		}
		if f, ok := args[0].(float64); ok && len(args) == 1 {
			// new BigDecimal(double) keeps the exact binary value
			d, _ := parseDecimal(new(big.Float).SetFloat64(f).Text('f', -1))
			return d, nil
		}
		d, ok := decimalOf(args[0])
		if !ok {
			return nil, newExc("java.lang.NumberFormatException", "not a number: "+r.toStr(args[0]))
		}
		if len(args) == 2 && isIntegral(args[0]) { // valueOf(unscaled, scale)
			s, _ := toInt(args[1])
			d = &Decimal{u: d.u, scale: int32(s)}
		}
		return d, nil
	}
	register(&class{name: "java.math.BigDecimal", is: isAny[*Decimal], ctor: fromAny,
		fields: map[string]any{"ZERO": &Decimal{u: big.NewInt(0)}, "ONE": &Decimal{u: big.NewInt(1)}, "TEN": &Decimal{u: big.NewInt(10)},
			"ROUND_UP": int32(0), "ROUND_DOWN": int32(1), "ROUND_CEILING": int32(2), "ROUND_FLOOR": int32(3),
			"ROUND_HALF_UP": int32(4), "ROUND_HALF_DOWN": int32(5), "ROUND_HALF_EVEN": int32(6)},
		statics: map[string]staticFn{"valueOf": func(r *runner, args []any) (any, error) {
			if len(args) == 1 {
				if d, ok := decimalOf(args[0]); ok {
					return d, nil
				}
			}
			return fromAny(r, args)
		}}})
}

// decimalSyntaxError is the message of Java 17's BigDecimal(String) for a
// text it refuses (has is false where Java's exception has none).
func decimalSyntaxError(s string) (msg string, has bool) {
	rs := []rune(s)
	i := 0
	if len(rs) > 0 && (rs[0] == '+' || rs[0] == '-') {
		i++
		if len(rs) == 1 {
			return "No digits found.", true
		}
	}
	compact := len(rs)-i <= 18 // Java parses short texts on another path
	dot := false
	for ; i < len(rs); i++ {
		switch c := rs[i]; {
		case unicode.IsDigit(c):
		case c == '.':
			if dot {
				return "Character array contains more than one decimal point.", true
			}
			dot = true
		case c == 'e' || c == 'E':
			exp := rs[i+1:]
			if len(exp) > 0 && (exp[0] == '+' || exp[0] == '-') {
				exp = exp[1:]
			}
			for _, d := range exp {
				if !unicode.IsDigit(d) {
					return "Not a digit.", true
				}
			}
			return "", false
		default:
			if compact {
				return "Character " + string(c) + " is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark.", true
			}
			return "Character array is missing \"e\" notation exponential mark.", true
		}
	}
	return "", false
}
