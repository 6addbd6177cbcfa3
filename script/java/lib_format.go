package java

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// javaFormat is java.util.Formatter (String.format) for the conversions
// scripts use: %s %S %d %x %X %o %f %e %E %g %b %c %n %%, with argument
// indexes, flags (-#+ 0,( ), width and precision. Date/time conversions
// (%t) are rejected with Java's exception.
func javaFormat(r *runner, f string, args []any) (string, error) {
	if len(args) == 1 { // an Object[] passed for the varargs
		if l, ok := args[0].(*List); ok && l.Array && (l.Elem == tkAny || l.Elem == tkObject || l.Elem == tkString) {
			args = l.S
		}
	}
	var b strings.Builder
	next := 0
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		// argument index
		argIdx := -1
		k := j
		for k < len(f) && f[k] >= '0' && f[k] <= '9' {
			k++
		}
		if k < len(f) && f[k] == '$' && k > j {
			n, _ := strconv.Atoi(f[j:k])
			argIdx = n - 1
			j = k + 1
		} else if j < len(f) && f[j] == '<' {
			argIdx = next - 1
			j++
		}
		flags := ""
		for j < len(f) && strings.IndexByte("-#+ 0,(", f[j]) >= 0 {
			flags += string(f[j])
			j++
		}
		width := -1
		k = j
		for k < len(f) && f[k] >= '0' && f[k] <= '9' {
			k++
		}
		if k > j {
			width, _ = strconv.Atoi(f[j:k])
			j = k
		}
		prec := -1
		if j < len(f) && f[j] == '.' {
			k = j + 1
			for k < len(f) && f[k] >= '0' && f[k] <= '9' {
				k++
			}
			if k == j+1 {
				return "", newExc("java.util.UnknownFormatConversionException", "Conversion = '.'")
			}
			prec, _ = strconv.Atoi(f[j+1 : k])
			j = k
		}
		if j >= len(f) {
			return "", newExc("java.util.UnknownFormatConversionException", "Conversion = '%'")
		}
		conv := f[j]
		i = j
		switch conv {
		case 'n':
			b.WriteByte('\n')
			continue
		case '%':
			b.WriteString(pad("%", width, strings.Contains(flags, "-"), false))
			continue
		}
		var arg any
		if argIdx < 0 {
			argIdx = next
			next++
		}
		if argIdx >= len(args) || argIdx < 0 {
			return "", newExc("java.util.MissingFormatArgumentException", "Format specifier '%"+string(conv)+"'")
		}
		arg = args[argIdx]
		left := strings.Contains(flags, "-")
		var s string
		switch conv {
		case 's', 'S':
			s = r.display(arg)
			if prec >= 0 && utf8.RuneCountInString(s) > prec {
				s = string([]rune(s)[:prec])
			}
			if conv == 'S' {
				s = strings.ToUpper(s)
			}
		case 'b', 'B':
			switch x := arg.(type) {
			case nil:
				s = "false"
			case bool:
				s = strconv.FormatBool(x)
			default:
				s = "true"
			}
			if conv == 'B' {
				s = strings.ToUpper(s)
			}
		case 'c', 'C':
			switch x := arg.(type) {
			case Char:
				s = formatValue(x, true)
			case nil:
				s = "null"
			default:
				n, ok := toInt64(arg)
				if !ok || !isIntegral(arg) {
					return "", badConv(conv, arg)
				}
				s = string(rune(n))
			}
			if conv == 'C' {
				s = strings.ToUpper(s)
			}
		case 'd':
			if arg == nil {
				s = "null"
				break
			}
			var n *big.Int
			if bi, ok := arg.(*big.Int); ok {
				n = bi
			} else if isIntegral(arg) {
				if _, isChar := arg.(Char); isChar {
					return "", badConv(conv, arg)
				}
				x, _ := toInt64(arg)
				n = big.NewInt(x)
			} else {
				return "", badConv(conv, arg)
			}
			s = formatInteger(n, flags, width)
			b.WriteString(s)
			continue
		case 'x', 'X', 'o':
			if arg == nil {
				s = "null"
				break
			}
			if !isIntegral(arg) {
				return "", badConv(conv, arg)
			}
			x, _ := toInt64(arg)
			var u uint64
			switch arg.(type) {
			case int32:
				u = uint64(uint32(x))
			case int16:
				u = uint64(uint16(x))
			case int8:
				u = uint64(uint8(x))
			default:
				u = uint64(x)
			}
			base := 16
			if conv == 'o' {
				base = 8
			}
			s = strconv.FormatUint(u, base)
			if strings.Contains(flags, "#") {
				if base == 16 {
					s = "0x" + s
				} else {
					s = "0" + s
				}
			}
			if conv == 'X' {
				s = strings.ToUpper(s)
			}
			if strings.Contains(flags, "0") && width > len(s) {
				s = strings.Repeat("0", width-len(s)) + s
			}
		case 'f', 'e', 'E', 'g', 'G':
			if arg == nil {
				s = "null"
				break
			}
			if isIntegral(arg) {
				return "", badConv(conv, arg)
			}
			if d, ok := arg.(*Decimal); ok && conv == 'f' {
				p := prec
				if p < 0 {
					p = 6
				}
				rd, _ := d.setScale(int32(p), "HALF_UP")
				mag := strings.TrimPrefix(rd.plain(), "-")
				if strings.Contains(flags, ",") {
					ip, fp, hasF := strings.Cut(mag, ".")
					mag = groupDigits(ip)
					if hasF {
						mag += "." + fp
					}
				}
				b.WriteString(signAndPad(rd.u.Sign() < 0, mag, flags, width))
				continue
			}
			x, ok := toFloat(arg)
			if !ok {
				return "", badConv(conv, arg)
			}
			s = formatFloat(x, conv, flags, width, prec)
			b.WriteString(s)
			continue
		case 't', 'T':
			return "", newExc("java.util.UnknownFormatConversionException", "date/time conversions (%t) are not supported")
		default:
			return "", newExc("java.util.UnknownFormatConversionException", "Conversion = '"+string(conv)+"'")
		}
		b.WriteString(pad(s, width, left, false))
	}
	return b.String(), nil
}

func badConv(c byte, arg any) error {
	return newExc("java.util.IllegalFormatConversionException", string(c)+" != "+javaClassName(arg))
}

func pad(s string, width int, left, zero bool) string {
	n := utf8.RuneCountInString(s)
	if width <= n {
		return s
	}
	if left {
		return s + strings.Repeat(" ", width-n)
	}
	return strings.Repeat(" ", width-n) + s
}

func groupDigits(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	pre := len(digits) % 3
	if pre > 0 {
		b.WriteString(digits[:pre])
	}
	for i := pre; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// signAndPad applies the sign flags, zero padding and width to the
// magnitude digits.
func signAndPad(neg bool, mag, flags string, width int) string {
	prefix, suffix := "", ""
	switch {
	case neg && strings.Contains(flags, "("):
		prefix, suffix = "(", ")"
	case neg:
		prefix = "-"
	case strings.Contains(flags, "+"):
		prefix = "+"
	case strings.Contains(flags, " "):
		prefix = " "
	}
	s := prefix + mag + suffix
	if strings.Contains(flags, "0") && width > len(s) {
		return prefix + strings.Repeat("0", width-len(s)) + mag + suffix
	}
	return pad(s, width, strings.Contains(flags, "-"), false)
}

func formatInteger(n *big.Int, flags string, width int) string {
	neg := n.Sign() < 0
	mag := new(big.Int).Abs(n).String()
	if strings.Contains(flags, ",") {
		mag = groupDigits(mag)
	}
	return signAndPad(neg, mag, flags, width)
}

// roundHalfUp rounds the exact decimal expansion of x to prec fraction
// digits the way Java's Formatter does (RoundingMode.HALF_UP).
func roundHalfUp(x float64, prec int) string {
	exact := new(big.Float).SetFloat64(math.Abs(x)).Text('f', 1100)
	intPart, frac, _ := strings.Cut(exact, ".")
	for len(frac) < prec+1 {
		frac += "0"
	}
	keep := intPart + frac[:prec]
	if frac[prec] >= '5' {
		d := []byte(keep)
		k := len(d) - 1
		for k >= 0 {
			if d[k] == '9' {
				d[k] = '0'
				k--
				continue
			}
			d[k]++
			break
		}
		keep = string(d)
		if k < 0 {
			keep = "1" + keep
		}
	}
	ip := keep[:len(keep)-prec]
	fp := keep[len(keep)-prec:]
	ip = strings.TrimLeft(ip, "0")
	if ip == "" {
		ip = "0"
	}
	if prec == 0 {
		return ip
	}
	return ip + "." + fp
}

func formatFloat(x float64, conv byte, flags string, width, prec int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		s := "NaN"
		if math.IsInf(x, 1) {
			s = "Infinity"
			if strings.Contains(flags, "+") {
				s = "+Infinity"
			}
		} else if math.IsInf(x, -1) {
			s = "-Infinity"
			if strings.Contains(flags, "(") {
				s = "(Infinity)"
			}
		}
		return pad(s, width, strings.Contains(flags, "-"), false)
	}
	if prec < 0 {
		prec = 6
	}
	neg := math.Signbit(x) && x != 0 || (x == 0 && math.Signbit(x))
	var mag string
	switch conv {
	case 'f':
		mag = roundHalfUp(x, prec)
		if strings.Contains(flags, ",") {
			ip, fp, hasF := strings.Cut(mag, ".")
			mag = groupDigits(ip)
			if hasF {
				mag += "." + fp
			}
		}
	case 'e', 'E':
		mag = strconv.FormatFloat(math.Abs(x), 'e', prec, 64)
		mant, exp, _ := strings.Cut(mag, "e")
		e, _ := strconv.Atoi(exp)
		sign := "+"
		if e < 0 {
			sign, e = "-", -e
		}
		es := strconv.Itoa(e)
		if len(es) < 2 {
			es = "0" + es
		}
		mag = mant + "e" + sign + es
		if conv == 'E' {
			mag = strings.ToUpper(mag)
		}
	default: // g
		if prec == 0 {
			prec = 1
		}
		a := math.Abs(x)
		if a != 0 && (a < 1e-4 || a >= math.Pow(10, float64(prec))) {
			return formatFloat(x, map[byte]byte{'g': 'e', 'G': 'E'}[conv], flags, width, prec-1)
		}
		digits := prec
		if a != 0 {
			digits = prec - 1 - int(math.Floor(math.Log10(a)))
		} else {
			digits = prec - 1
		}
		if digits < 0 {
			digits = 0
		}
		mag = roundHalfUp(x, digits)
	}
	return signAndPad(neg, mag, flags, width)
}
