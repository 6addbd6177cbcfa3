package java

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/gometer/gometer/internal/javafmt"
	"github.com/gometer/gometer/internal/javahash"
)

// Char is a Java char.
type Char uint16

// List is a java.util.List (ArrayList, Groovy list literal) or, with
// Array set, a Java array. Bindings receive it as is through any parameters
// and as []any when a parameter has that type.
type List struct {
	S     []any
	Array bool
	Elem  typeKind
	set   bool      // a Set: add ignores duplicates
	h     hashTable // a HashSet: elements in Java's hash order
	json  bool      // a json-smart JSONArray: toString is JSON
}

// Slice returns the elements.
func (l *List) Slice() []any { return l.S }

func (l *List) String() string { return formatValue(l, true) }

func newList(s []any) *List { return &List{S: s} }

// Map is an insertion-ordered map (LinkedHashMap, Groovy map literal), a
// map in Java's hash order (HashMap, ConcurrentHashMap: h set) or a sorted
// one (TreeMap).
type Map struct {
	keys []any
	vals []any
	idx  map[any]int
	h    hashTable
	tree bool // TreeMap: keys kept sorted
	json bool // a json-smart JSONObject: toString is JSON
}

func newMap() *Map { return &Map{} }

// Len is the number of entries.
func (m *Map) Len() int { return len(m.keys) }

// Keys returns the keys in iteration order.
func (m *Map) Keys() []any { return m.keys }

// Values returns the values in iteration order.
func (m *Map) Values() []any { return m.vals }

func (m *Map) String() string { return formatValue(m, true) }

func hashable(k any) bool {
	switch k.(type) {
	case string, int32, int64, bool, Char, float64, nil, int, float32, int16, int8:
		return true
	}
	t := reflect.TypeOf(k)
	return t.Comparable() && t.Kind() == reflect.Pointer
}

func normKey(k any) any {
	return k
}

func (m *Map) find(k any) int {
	if hashable(k) {
		if m.idx == nil {
			if len(m.keys) < 8 {
				for i, x := range m.keys {
					if x == k {
						return i
					}
				}
				return -1
			}
			m.idx = make(map[any]int, len(m.keys))
			for i, x := range m.keys {
				if hashable(x) {
					m.idx[x] = i
				}
			}
		}
		if i, ok := m.idx[k]; ok {
			return i
		}
		return -1
	}
	for i, x := range m.keys {
		if valuesEqual(x, k) {
			return i
		}
	}
	return -1
}

// Get returns the value for k.
func (m *Map) Get(k any) (any, bool) {
	if i := m.find(k); i >= 0 {
		return m.vals[i], true
	}
	return nil, false
}

// Put sets k to v and returns the previous value.
func (m *Map) Put(k, v any) any {
	if i := m.find(k); i >= 0 {
		old := m.vals[i]
		m.vals[i] = v
		return old
	}
	if m.tree {
		m.insert(sort.Search(len(m.keys), func(i int) bool { c, _ := compareValues(m.keys[i], k); return c > 0 }), k, v)
		return nil
	}
	if m.h.hashed() {
		m.hashPut(k, v)
		return nil
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
	if m.idx != nil && hashable(k) {
		m.idx[k] = len(m.keys) - 1
	}
	return nil
}

// insert puts a new entry at position i.
func (m *Map) insert(i int, k, v any) {
	m.keys = append(m.keys, nil)
	m.vals = append(m.vals, nil)
	copy(m.keys[i+1:], m.keys[i:])
	copy(m.vals[i+1:], m.vals[i:])
	m.keys[i], m.vals[i] = k, v
	m.idx = nil
}

// Remove deletes k and returns its value.
func (m *Map) Remove(k any) any {
	i := m.find(k)
	if i < 0 {
		return nil
	}
	old := m.vals[i]
	m.keys = append(m.keys[:i], m.keys[i+1:]...)
	m.vals = append(m.vals[:i], m.vals[i+1:]...)
	m.idx = nil
	return old
}

func (m *Map) clone() *Map {
	return &Map{keys: append([]any(nil), m.keys...), vals: append([]any(nil), m.vals...), tree: m.tree, h: m.h}
}

// Closure is a Groovy closure or Java lambda.
type Closure struct {
	fn       *funcDef
	up       *frame
	this     *instance
	delegate delegate // set by builders: receiver-less calls go there first
}

// delegate receives the receiver-less calls of a closure a builder runs
// (Groovy's DELEGATE_FIRST).
type delegate interface {
	delegateCall(r *runner, name string, args []any) (any, error)
}

// instance is an object of a class declared in the script.
type instance struct {
	decl   *classDecl
	fields map[string]any
}

// Entry is a Map.Entry.
type Entry struct {
	Key, Value any
	m          *Map
}

type frame struct {
	slots    []any
	up       *frame
	this     *instance
	owner    *classDecl // the class of the method running (static ones too)
	delegate delegate
}

// truth is Groovy truth, used for conditions in every dialect.
func truth(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int32:
		return x != 0
	case int64:
		return x != 0
	case float64:
		return x != 0
	case float32:
		return x != 0
	case Char:
		return x != 0
	case int:
		return x != 0
	case *List:
		return len(x.S) > 0
	case *Map:
		return len(x.keys) > 0
	case []byte:
		return len(x) > 0
	case *matcher:
		return x.find()
	case *big.Int:
		return x.Sign() != 0
	case *Decimal:
		return x.u.Sign() != 0
	case *strBuilder:
		return x.b.Len() > 0
	}
	return true
}

// toStr is String.valueOf / Groovy's toString for display.
func (r *runner) toStr(v any) string {
	return formatValue(v, r == nil || r.groovy)
}

func formatValue(v any, groovy bool) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case int16:
		return strconv.Itoa(int(x))
	case int8:
		return strconv.Itoa(int(x))
	case float64:
		return javafmt.Double(x)
	case float32:
		return javafmt.Float(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	case Char:
		return string(utf16.Decode([]uint16{uint16(x)}))
	case *List:
		if x.json {
			s, _ := (&runner{groovy: groovy}).toJSON(x, smartJSON)
			return s
		}
		var b strings.Builder
		if x.Array && !groovy {
			return fmt.Sprintf("[%s@%x", arrayCode(x.Elem), reflect.ValueOf(x).Pointer()&0xffffff)
		}
		b.WriteByte('[')
		for i, e := range x.S {
			if i > 0 {
				b.WriteString(", ")
			}
			if e == x {
				b.WriteString("(this Collection)")
				continue
			}
			b.WriteString(formatValue(e, groovy))
		}
		b.WriteByte(']')
		return b.String()
	case *Map:
		if x.json {
			s, _ := (&runner{groovy: groovy}).toJSON(x, smartJSON)
			return s
		}
		var b strings.Builder
		if groovy {
			b.WriteByte('[')
			if len(x.keys) == 0 {
				b.WriteByte(':')
			}
		} else {
			b.WriteByte('{')
		}
		for i, k := range x.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(formatValue(k, groovy))
			if groovy {
				b.WriteByte(':')
			} else {
				b.WriteByte('=')
			}
			b.WriteString(formatValue(x.vals[i], groovy))
		}
		if groovy {
			b.WriteByte(']')
		} else {
			b.WriteByte('}')
		}
		return b.String()
	case *Entry:
		return formatValue(x.Key, groovy) + "=" + formatValue(x.Value, groovy)
	case []byte:
		if groovy {
			var b strings.Builder
			b.WriteByte('[')
			for i, c := range x {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(strconv.Itoa(int(int8(c))))
			}
			b.WriteByte(']')
			return b.String()
		}
		return fmt.Sprintf("[B@%x", reflect.ValueOf(x).Pointer()&0xffffff)
	case *Exception:
		return x.String()
	case *big.Int:
		return x.String()
	case *class:
		return "class " + x.name
	case *Closure:
		return fmt.Sprintf("Script1$_run_closure1@%x", reflect.ValueOf(x).Pointer()&0xffffff)
	case *instance:
		if hasMethod(x.decl, "toString") {
			return x.decl.name // replaced by invoke in toStr paths that can run code
		}
		return fmt.Sprintf("%s@%x", x.decl.name, reflect.ValueOf(x).Pointer()&0xffffff)
	case time.Duration:
		return durationString(x)
	case fmt.Stringer:
		return x.String()
	case error:
		return x.Error()
	}
	return fmt.Sprint(v)
}

func arrayCode(k typeKind) string {
	switch k {
	case tkInt:
		return "I"
	case tkLong:
		return "J"
	case tkDouble:
		return "D"
	case tkChar:
		return "C"
	case tkBool:
		return "Z"
	case tkString:
		return "Ljava.lang.String;"
	}
	return "Ljava.lang.Object;"
}

// ---- numbers

func isNumber(v any) bool {
	switch v.(type) {
	case int32, int64, float64, float32, int, int16, int8, *big.Int, *Decimal:
		return true
	}
	return false
}

func isIntegral(v any) bool {
	switch v.(type) {
	case int32, int64, int, int16, int8, Char:
		return true
	}
	return false
}

func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case int:
		return int64(x), true
	case int16:
		return int64(x), true
	case int8:
		return int64(x), true
	case Char:
		return int64(x), true
	case float64:
		return f2l(x), true
	case float32:
		return f2l(float64(x)), true
	case *big.Int:
		return x.Int64(), true
	case *Decimal:
		d, _ := x.setScale(0, "DOWN")
		return d.u.Int64(), true
	}
	return 0, false
}

// f2l is Java's double→long narrowing: NaN is 0, out-of-range saturates.
func f2l(f float64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= 9.223372036854775807e18:
		return math.MaxInt64
	case f <= -9.223372036854775808e18:
		return math.MinInt64
	}
	return int64(f)
}

func f2i(f float64) int32 {
	switch {
	case math.IsNaN(f):
		return 0
	case f >= 2147483647:
		return math.MaxInt32
	case f <= -2147483648:
		return math.MinInt32
	}
	return int32(f)
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case int16:
		return float64(x), true
	case int8:
		return float64(x), true
	case Char:
		return float64(x), true
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, true
	case *Decimal:
		return x.float(), true
	}
	return 0, false
}

func toInt(v any) (int, bool) {
	i, ok := toInt64(v)
	return int(i), ok
}

// ---- equality and ordering

// valuesEqual is Groovy's == (equals, with numbers compared by value).
func valuesEqual(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch x := a.(type) {
	case string:
		switch y := b.(type) {
		case string:
			return x == y
		case Char:
			return x == formatValue(y, true)
		case *strBuilder:
			return false
		}
		return false
	case Char:
		if y, ok := b.(string); ok {
			return formatValue(x, true) == y
		}
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case *List:
		y, ok := b.(*List)
		if !ok || len(x.S) != len(y.S) {
			return false
		}
		for i := range x.S {
			if !valuesEqual(x.S[i], y.S[i]) {
				return false
			}
		}
		return true
	case *Map:
		y, ok := b.(*Map)
		if !ok || len(x.keys) != len(y.keys) {
			return false
		}
		for i, k := range x.keys {
			v, ok := y.Get(k)
			if !ok || !valuesEqual(x.vals[i], v) {
				return false
			}
		}
		return true
	case []byte:
		y, ok := b.([]byte)
		return ok && string(x) == string(y)
	}
	if isNumber(a) || isNumber(b) || isIntegral(a) {
		if c, ok := compareNumbers(a, b); ok {
			return c == 0
		}
		return false
	}
	if eq, ok := a.(interface{ Equals(any) bool }); ok {
		return eq.Equals(b)
	}
	if reflect.TypeOf(a).Comparable() && reflect.TypeOf(b).Comparable() {
		return a == b
	}
	return false
}

func compareNumbers(a, b any) (int, bool) {
	_, da := a.(*Decimal)
	_, db := b.(*Decimal)
	if da || db {
		x, ok1 := decimalOf(a)
		y, ok2 := decimalOf(b)
		if ok1 && ok2 {
			return x.cmp(y), true
		}
	}
	ai, aok := a.(int64)
	bi, bok := b.(int64)
	if !aok {
		if isIntegral(a) {
			ai, aok = toInt64(a)
		}
	}
	if !bok {
		if isIntegral(b) {
			bi, bok = toInt64(b)
		}
	}
	if aok && bok {
		switch {
		case ai < bi:
			return -1, true
		case ai > bi:
			return 1, true
		}
		return 0, true
	}
	af, ok1 := toFloat(a)
	bf, ok2 := toFloat(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	switch {
	case af < bf:
		return -1, true
	case af > bf:
		return 1, true
	case af == bf:
		return 0, true
	}
	// NaN
	if math.IsNaN(af) && math.IsNaN(bf) {
		return 0, true
	}
	if math.IsNaN(af) {
		return 1, true
	}
	return -1, true
}

// compareValues is compareTo for comparable values.
func compareValues(a, b any) (int, bool) {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0, true
		case a == nil:
			return -1, true
		}
		return 1, true
	}
	if c, ok := compareNumbers(a, b); ok {
		return c, true
	}
	switch x := a.(type) {
	case string:
		var y string
		switch yy := b.(type) {
		case string:
			y = yy
		case Char:
			y = formatValue(yy, true)
		default:
			return 0, false
		}
		return compareUTF16(x, y), true
	case bool:
		y, ok := b.(bool)
		if !ok {
			return 0, false
		}
		switch {
		case x == y:
			return 0, true
		case !x:
			return -1, true
		}
		return 1, true
	case *javaDate:
		if y, ok := b.(*javaDate); ok {
			return x.t.Compare(y.t), true
		}
	}
	if c, ok := a.(interface{ CompareTo(any) (int, bool) }); ok {
		return c.CompareTo(b)
	}
	return 0, false
}

// compareUTF16 is String.compareTo: the difference of the first differing
// UTF-16 code units, else of the lengths.
func compareUTF16(a, b string) int {
	if isASCII(a) && isASCII(b) {
		n := min(len(a), len(b))
		for i := 0; i < n; i++ {
			if a[i] != b[i] {
				return int(a[i]) - int(b[i])
			}
		}
		return len(a) - len(b)
	}
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	n := min(len(ua), len(ub))
	for i := 0; i < n; i++ {
		if ua[i] != ub[i] {
			return int(ua[i]) - int(ub[i])
		}
	}
	return len(ua) - len(ub)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// javaHashCode is hashCode() for strings and numbers.
func javaHashCode(v any) int32 {
	switch x := v.(type) {
	case string:
		return javahash.String(x)
	case int32:
		return x
	case int64:
		return int32(x ^ int64(uint64(x)>>32))
	case bool:
		if x {
			return 1231
		}
		return 1237
	case Char:
		return int32(x)
	case float64:
		b := math.Float64bits(x)
		return int32(b ^ b>>32)
	case nil:
		return 0
	case *List:
		h := int32(1)
		for _, e := range x.S {
			h = 31*h + javaHashCode(e)
		}
		return h
	}
	if p, ok := refPointer(v); ok {
		return int32(p & 0x7fffffff) // identity hash
	}
	return javahash.String(fmt.Sprint(v))
}

// refPointer is the address of a reference value (pointer, map, slice,
// func, chan); false for plain values, whose Pointer would panic.
func refPointer(v any) (uintptr, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return rv.Pointer(), true
	}
	return 0, false
}

// javaClassName is getClass().getName() for a value.
func javaClassName(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "java.lang.String"
	case int32:
		return "java.lang.Integer"
	case int64:
		return "java.lang.Long"
	case int:
		return "java.lang.Integer"
	case float64:
		return "java.lang.Double"
	case float32:
		return "java.lang.Float"
	case bool:
		return "java.lang.Boolean"
	case Char:
		return "java.lang.Character"
	case int16:
		return "java.lang.Short"
	case int8:
		return "java.lang.Byte"
	case *List:
		if x.Array {
			return "[" + arrayCode(x.Elem)
		}
		if x.set {
			if x.h.hashed() {
				return "java.util.HashSet"
			}
			return "java.util.LinkedHashSet"
		}
		return "java.util.ArrayList"
	case *Map:
		if x.tree {
			return "java.util.TreeMap"
		}
		switch x.h.kind {
		case hashMapKind:
			return "java.util.HashMap"
		case concHashKind:
			return "java.util.concurrent.ConcurrentHashMap"
		case propsKind:
			return "java.util.Properties"
		}
		return "java.util.LinkedHashMap"
	case []byte:
		return "[B"
	case *Exception:
		return x.Class
	case *Closure:
		return "groovy.lang.Closure"
	case *instance:
		return x.decl.name
	case *big.Int:
		return "java.math.BigInteger"
	case *class, *classDecl:
		return "java.lang.Class"
	case time.Duration:
		return "java.time.Duration"
	case interface{ javaClass() string }:
		return x.javaClass()
	case interface{ JavaClass() string }: // bindings may name their JMeter class
		return x.JavaClass()
	}
	return reflect.TypeOf(v).String()
}
