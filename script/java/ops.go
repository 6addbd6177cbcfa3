package java

import (
	"math"
	"math/big"
	"strings"
)

// numeric rank for binary promotion
const (
	rInt = iota
	rLong
	rDecimal
	rFloat
	rDouble
)

func rank(v any) (int, bool) {
	switch v.(type) {
	case int32, Char, int16, int8, int:
		return rInt, true
	case int64:
		return rLong, true
	case float32:
		return rFloat, true
	case float64:
		return rDouble, true
	case *Decimal:
		return rDecimal, true
	}
	return 0, false
}

func (r *runner) noOp(op string, a, b any) error {
	if a == nil || b == nil {
		if r.groovy {
			return newExc("java.lang.NullPointerException", "Cannot execute null"+op+formatValue(b, true))
		}
		return newExc("java.lang.NullPointerException", "null value in operator '"+op+"'")
	}
	return newExc("groovy.lang.MissingMethodException", "No signature of method: "+javaClassName(a)+"."+opMethod(op)+"() is applicable for argument types: ("+javaClassName(b)+") values: ["+r.toStr(b)+"]")
}

func opMethod(op string) string {
	switch op {
	case "+":
		return "plus"
	case "-":
		return "minus"
	case "*":
		return "multiply"
	case "/":
		return "div"
	case "%":
		return "mod"
	case "**":
		return "power"
	case "<<":
		return "leftShift"
	case ">>":
		return "rightShift"
	}
	return op
}

func (r *runner) binop(op string, a, b any) (any, error) {
	if op != "==" && op != "!=" && (isAny[bshVoid](a) || isAny[bshVoid](b)) {
		if op != "+" || !isAny[string](a) && !isAny[string](b) {
			return nil, errVoid()
		}
	}
	switch op {
	case "==":
		return r.eq(a, b), nil
	case "!=":
		return !r.eq(a, b), nil
	case "<", ">", "<=", ">=":
		c, ok := compareValues(a, b)
		if !ok || (!r.groovy && (a == nil || b == nil)) {
			if a == nil || b == nil {
				if r.groovy {
					return false, nil
				}
				return nil, newExc("java.lang.NullPointerException", "null value in comparison")
			}
			return nil, newExc("java.lang.IllegalArgumentException", "Cannot compare "+javaClassName(a)+" with value '"+r.toStr(a)+"' and "+javaClassName(b)+" with value '"+r.toStr(b)+"'")
		}
		if fa, ok := a.(float64); ok && math.IsNaN(fa) {
			return false, nil
		}
		if fb, ok := b.(float64); ok && math.IsNaN(fb) {
			return false, nil
		}
		switch op {
		case "<":
			return c < 0, nil
		case ">":
			return c > 0, nil
		case "<=":
			return c <= 0, nil
		}
		return c >= 0, nil
	case "<=>":
		c, ok := compareValues(a, b)
		if !ok {
			return nil, newExc("java.lang.IllegalArgumentException", "Cannot compare "+javaClassName(a)+" with "+javaClassName(b))
		}
		return int32(sign(c)), nil
	case "=~":
		re, err := r.regex(r.toStr(b))
		if err != nil {
			return nil, err
		}
		return newMatcher(re, r.toStr(a))
	case "==~":
		re, err := r.regex(r.toStr(b))
		if err != nil {
			return nil, err
		}
		return matches(re, r.toStr(a))
	case "in":
		return r.isCase(b, a)
	}
	// string concatenation
	if op == "+" {
		switch x := a.(type) {
		case string:
			return x + r.display(b), nil
		case *List:
			out := &List{S: append(make([]any, 0, len(x.S)+1), x.S...)}
			if y, ok := b.(*List); ok {
				out.S = append(out.S, y.S...)
			} else {
				out.S = append(out.S, b)
			}
			return out, nil
		case *Map:
			if y, ok := b.(*Map); ok {
				out := x.clone()
				for i, k := range y.keys {
					out.Put(k, y.vals[i])
				}
				return out, nil
			}
		case nil:
			if s, ok := b.(string); ok {
				return "null" + s, nil
			}
		case *javaDate:
			if n, ok := toInt64(b); ok && r.groovy {
				return &javaDate{t: x.t.AddDate(0, 0, int(n))}, nil
			}
		}
		if s, ok := b.(string); ok {
			if _, isBool := a.(bool); isBool && r.groovy {
				return nil, r.noOp(op, a, b) // Boolean has no plus(String) in Groovy
			}
			return r.display(a) + s, nil
		}
	}
	if op == "-" {
		switch x := a.(type) {
		case string:
			if r.groovy {
				return strings.Replace(x, r.toStr(b), "", 1), nil
			}
		case *List:
			out := &List{}
			rm, isList := b.(*List)
			for _, e := range x.S {
				drop := false
				if isList {
					for _, y := range rm.S {
						if valuesEqual(e, y) {
							drop = true
							break
						}
					}
				} else {
					drop = valuesEqual(e, b)
				}
				if !drop {
					out.S = append(out.S, e)
				}
			}
			return out, nil
		case *javaDate:
			if n, ok := toInt64(b); ok && r.groovy {
				return &javaDate{t: x.t.AddDate(0, 0, -int(n))}, nil
			}
			if y, ok := b.(*javaDate); ok && r.groovy {
				return int32(x.t.Sub(y.t).Hours() / 24), nil
			}
		}
	}
	if op == "*" && r.groovy {
		if s, ok := a.(string); ok {
			n, ok := toInt(b)
			if !ok || n < 0 {
				return nil, r.noOp(op, a, b)
			}
			if len(s)*n > 1<<26 {
				return nil, newExc("java.lang.OutOfMemoryError", "string too large")
			}
			return strings.Repeat(s, n), nil
		}
		if l, ok := a.(*List); ok {
			n, ok := toInt(b)
			if !ok || n < 0 || len(l.S)*n > 1<<24 {
				return nil, r.noOp(op, a, b)
			}
			out := &List{}
			for i := 0; i < n; i++ {
				out.S = append(out.S, l.S...)
			}
			return out, nil
		}
	}
	if ca, ok := a.(*Closure); ok && (op == ">>" || op == "<<") {
		if cb, ok := b.(*Closure); ok {
			first, second := ca, cb
			if op == "<<" {
				first, second = cb, ca
			}
			return &Closure{fn: &funcDef{name: "composed", closure: true, varargs: true, params: []param{{name: "args"}}, nslots: 1,
				exprBody: &composeCall{first: first, second: second}}}, nil
		}
	}
	if op == "<<" {
		switch x := a.(type) {
		case *List:
			x.S = append(x.S, b)
			return x, nil
		case *strBuilder:
			x.b.WriteString(r.display(b))
			return x, nil
		case *Map:
			if m, ok := b.(*Map); ok {
				for i, k := range m.keys {
					x.Put(k, m.vals[i])
				}
				return x, nil
			}
		}
	}
	if ba, ok := a.(bool); ok {
		if bb, ok := b.(bool); ok {
			switch op {
			case "&":
				return ba && bb, nil
			case "|":
				return ba || bb, nil
			case "^":
				return ba != bb, nil
			}
		}
	}
	if bi, ok := a.(*big.Int); ok {
		return bigOp(op, bi, b)
	}
	if bi, ok := b.(*big.Int); ok && isIntegral(a) {
		x, _ := toInt64(a)
		return bigOp(op, big.NewInt(x), bi)
	}
	ra, ok1 := rank(a)
	rb, ok2 := rank(b)
	if !ok1 && a != nil && r.groovy {
		// Groovy operator overloading: a.plus(b), a.leftShift(b), ...
		switch a.(type) {
		case jobject, *instance:
			return r.invoke(a, opMethod(op), []any{b})
		}
	}
	if !ok1 || !ok2 {
		return nil, r.noOp(op, a, b)
	}
	return r.arith(op, a, b, max(ra, rb))
}

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

func (r *runner) eq(a, b any) bool {
	if r.groovy {
		return valuesEqual(a, b)
	}
	// Java/BeanShell: primitives by value; strings are compared by value
	// here too (BeanShell interns literals, and scripts rely on it).
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch a.(type) {
	case string, bool, int32, int64, float64, float32, Char, int16, int8, int:
		return valuesEqual(a, b)
	}
	return identical(a, b)
}

func identical(a, b any) bool {
	defer func() { _ = recover() }()
	return a == b
}

func (r *runner) arith(op string, a, b any, k int) (any, error) {
	switch k {
	case rInt:
		x, _ := toInt64(a)
		y, _ := toInt64(b)
		xi, yi := int32(x), int32(y)
		switch op {
		case "+":
			return xi + yi, nil
		case "-":
			return xi - yi, nil
		case "*":
			return xi * yi, nil
		case "/":
			if yi == 0 {
				if r.groovy {
					return nil, newExc("java.lang.ArithmeticException", "Division by zero")
				}
				return nil, newExc("java.lang.ArithmeticException", "/ by zero")
			}
			if r.groovy {
				return decimalDiv(&Decimal{u: big.NewInt(int64(xi))}, &Decimal{u: big.NewInt(int64(yi))})
			}
			if xi == math.MinInt32 && yi == -1 {
				return xi, nil
			}
			return xi / yi, nil
		case "%":
			if yi == 0 {
				return nil, newExc("java.lang.ArithmeticException", "/ by zero")
			}
			if yi == -1 {
				return int32(0), nil
			}
			return xi % yi, nil
		case "**":
			return intPow(int64(xi), int64(yi), true), nil
		case "<<":
			return xi << (uint32(yi) & 31), nil
		case ">>":
			return xi >> (uint32(yi) & 31), nil
		case ">>>":
			return int32(uint32(xi) >> (uint32(yi) & 31)), nil
		case "&":
			return xi & yi, nil
		case "|":
			return xi | yi, nil
		case "^":
			return xi ^ yi, nil
		}
	case rLong:
		x, _ := toInt64(a)
		y, _ := toInt64(b)
		switch op {
		case "+":
			return x + y, nil
		case "-":
			return x - y, nil
		case "*":
			return x * y, nil
		case "/":
			if y == 0 {
				if r.groovy {
					return nil, newExc("java.lang.ArithmeticException", "Division by zero")
				}
				return nil, newExc("java.lang.ArithmeticException", "/ by zero")
			}
			if r.groovy {
				return decimalDiv(&Decimal{u: big.NewInt(x)}, &Decimal{u: big.NewInt(y)})
			}
			if x == math.MinInt64 && y == -1 {
				return x, nil
			}
			return x / y, nil
		case "%":
			if y == 0 {
				return nil, newExc("java.lang.ArithmeticException", "/ by zero")
			}
			if y == -1 {
				return int64(0), nil
			}
			return x % y, nil
		case "**":
			return intPow(x, y, false), nil
		case "<<":
			if _, ok := a.(int32); ok {
				return int32(x) << (uint64(y) & 31), nil
			}
			return x << (uint64(y) & 63), nil
		case ">>":
			if _, ok := a.(int32); ok {
				return int32(x) >> (uint64(y) & 31), nil
			}
			return x >> (uint64(y) & 63), nil
		case ">>>":
			if _, ok := a.(int32); ok {
				return int32(uint32(x) >> (uint64(y) & 31)), nil
			}
			return int64(uint64(x) >> (uint64(y) & 63)), nil
		case "&":
			return x & y, nil
		case "|":
			return x | y, nil
		case "^":
			return x ^ y, nil
		}
	case rDecimal:
		x, ok1 := decimalOf(a)
		y, ok2 := decimalOf(b)
		if !ok1 || !ok2 {
			return nil, r.noOp(op, a, b)
		}
		return decimalArith(op, x, y, r.groovy)
	case rFloat, rDouble:
		x, _ := toFloat(a)
		y, _ := toFloat(b)
		var v float64
		switch op {
		case "+":
			v = x + y
		case "-":
			v = x - y
		case "*":
			v = x * y
		case "/":
			v = x / y
		case "%":
			v = math.Mod(x, y)
		case "**":
			v = math.Pow(x, y)
		default:
			return nil, r.noOp(op, a, b)
		}
		if k == rFloat {
			return float32(v), nil
		}
		return v, nil
	}
	return nil, r.noOp(op, a, b)
}

func intPow(x, y int64, isInt bool) any {
	if y < 0 {
		return math.Pow(float64(x), float64(y))
	}
	res := big.NewInt(1).Exp(big.NewInt(x), big.NewInt(y), nil)
	if res.IsInt64() {
		v := res.Int64()
		if isInt && v >= math.MinInt32 && v <= math.MaxInt32 {
			return int32(v)
		}
		return v
	}
	return res
}

func bigOp(op string, x *big.Int, b any) (any, error) {
	var y *big.Int
	switch v := b.(type) {
	case *big.Int:
		y = v
	default:
		n, ok := toInt64(b)
		if !ok {
			return nil, newExc("java.lang.IllegalArgumentException", "unsupported BigInteger operation")
		}
		y = big.NewInt(n)
	}
	z := new(big.Int)
	switch op {
	case "+":
		return z.Add(x, y), nil
	case "-":
		return z.Sub(x, y), nil
	case "*":
		return z.Mul(x, y), nil
	case "/":
		if y.Sign() == 0 {
			return nil, newExc("java.lang.ArithmeticException", "BigInteger divide by zero")
		}
		return z.Quo(x, y), nil
	case "%":
		if y.Sign() == 0 {
			return nil, newExc("java.lang.ArithmeticException", "BigInteger divide by zero")
		}
		return z.Rem(x, y), nil
	}
	return nil, newExc("java.lang.UnsupportedOperationException", "BigInteger "+op)
}

func (r *runner) unop(op string, v any) (any, error) {
	switch op {
	case "!":
		return !truth(v), nil
	case "-":
		switch x := v.(type) {
		case int32:
			return -x, nil
		case int64:
			return -x, nil
		case float64:
			return -x, nil
		case float32:
			return -x, nil
		case Char:
			return -int32(x), nil
		case int16:
			return -int32(x), nil
		case int8:
			return -int32(x), nil
		case *big.Int:
			return new(big.Int).Neg(x), nil
		case *Decimal:
			return &Decimal{u: new(big.Int).Neg(x.u), scale: x.scale}, nil
		case *List:
			if r.groovy {
				out := &List{}
				for _, e := range x.S {
					n, err := r.unop("-", e)
					if err != nil {
						return nil, err
					}
					out.S = append(out.S, n)
				}
				return out, nil
			}
		}
	case "+":
		if isNumber(v) {
			return v, nil
		}
		if c, ok := v.(Char); ok {
			return int32(c), nil
		}
	case "~":
		switch x := v.(type) {
		case int32:
			return ^x, nil
		case int64:
			return ^x, nil
		case Char:
			return ^int32(x), nil
		case string:
			if r.groovy {
				return r.compilePattern(x, 0)
			}
		}
	}
	if v == nil {
		return nil, newExc("java.lang.NullPointerException", "Cannot execute "+op+"null")
	}
	return nil, newExc("groovy.lang.MissingMethodException", "No signature of method: "+javaClassName(v)+".negative() is applicable")
}
