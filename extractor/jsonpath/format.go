package jsonpath

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/gometer/gometer/internal/javafmt"
)

// ExtractorString is how the JSON Extractor turns one result into a
// variable value: strings as they are, numbers in Java form, objects and
// arrays as compact JSON. JSON null gives ok=false (the caller then uses the
// default value).
func ExtractorString(v any) (s string, ok bool) {
	switch t := v.(type) {
	case nil:
		return "", false
	case string:
		return t, true
	case *Object:
		var b strings.Builder
		writeObject(&b, t, true)
		return b.String(), true
	case []any:
		var b strings.Builder
		writeJSON(&b, t)
		return b.String(), true
	}
	return scalarString(v), true
}

// AssertionString is how the JSON Assertion prints a value in messages and
// compares it with a regular expression: null is "null" and doubles use
// DecimalFormat("#.#") with at least one fraction digit and no exponent.
func AssertionString(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case float64:
		return decimalFormat(t)
	}
	s, _ := ExtractorString(v)
	return s
}

func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		return javafmt.Double(t)
	case BigInt:
		return string(t)
	case bool:
		if t {
			return "true"
		}
		return "false"
	case nil:
		return "null"
	}
	return ""
}

// decimalFormat is java.text.DecimalFormat("#.#") with one to 340 fraction
// digits: plain notation, shortest digits, at least ".0".
func decimalFormat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "∞"
	case math.IsInf(f, -1):
		return "-∞"
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// writeJSON writes v as json-smart's toJSONString does (nested objects in
// document order).
func writeJSON(b *strings.Builder, v any) {
	switch t := v.(type) {
	case *Object:
		writeObject(b, t, false)
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	case string:
		writeString(b, t)
	case float64:
		if math.IsInf(t, 0) {
			b.WriteString("null")
		} else {
			b.WriteString(javafmt.Double(t))
		}
	default:
		b.WriteString(scalarString(v))
	}
}

// writeObject writes an object; hashOrder lays the members out in the order
// a java.util.HashMap copy of the object iterates them, which is what JMeter
// prints for a top-level object (it wraps the ordered map in a JSONObject,
// a HashMap).
func writeObject(b *strings.Builder, o *Object, hashOrder bool) {
	b.WriteByte('{')
	order := func(yield func(int) bool) {
		for i := range o.keys {
			if !yield(i) {
				return
			}
		}
	}
	if hashOrder && len(o.keys) > 1 {
		idx := hashMapOrder(o.keys)
		order = func(yield func(int) bool) {
			for _, i := range idx {
				if !yield(i) {
					return
				}
			}
		}
	}
	first := true
	for i := range order {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(b, o.keys[i])
		b.WriteByte(':')
		writeJSON(b, o.vals[i])
	}
	b.WriteByte('}')
}

// hashMapOrder returns member indexes in java.util.HashMap iteration order
// for a map built by copying n entries (new HashMap(map)).
func hashMapOrder(keys []string) []int {
	n := len(keys)
	capacity := tableSizeFor(int(float32(n)/0.75 + 1.0))
	buckets := make([][]int, capacity)
	for i, k := range keys {
		h := uint32(javaHash(k))
		h ^= h >> 16
		j := h & uint32(capacity-1)
		buckets[j] = append(buckets[j], i)
	}
	out := make([]int, 0, n)
	for _, bk := range buckets {
		out = append(out, bk...)
	}
	return out
}

func tableSizeFor(c int) int {
	n := 1
	for n < c {
		n <<= 1
	}
	return n
}

// javaHash is java.lang.String.hashCode over UTF-16 code units.
func javaHash(s string) int32 {
	var h int32
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			h = 31*h + int32(r1)
			h = 31*h + int32(r2)
			continue
		}
		h = 31*h + int32(r)
	}
	return h
}

const hexDigits = "0123456789ABCDEF"

// writeString quotes s with json-smart's "protect for web" escaping: the
// usual escapes, "/" as "\/", and control, C1 and U+2000..U+20FF characters
// as \uXXXX.
func writeString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '/':
			b.WriteString(`\/`)
		default:
			if r <= 0x1F || (r >= 0x7F && r <= 0x9F) || (r >= 0x2000 && r <= 0x20FF) {
				b.WriteString(`\u`)
				b.WriteByte(hexDigits[r>>12&0xF])
				b.WriteByte(hexDigits[r>>8&0xF])
				b.WriteByte(hexDigits[r>>4&0xF])
				b.WriteByte(hexDigits[r&0xF])
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}
