package extractor

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/jmespath/go-jmespath"

	"github.com/gometer/gometer/extractor/jsonpath"
	"github.com/gometer/gometer/extractor/target"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/javafmt"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// jmesExtractor is JMeter's JMESPathExtractor, on
// github.com/jmespath/go-jmespath. Results print as Jackson does (compact
// JSON, strings unquoted). The library works on Go maps, which forget
// member order, so objects taken from the document are printed from an
// ordered parse of the same text. Known differences from JMeter: objects
// the expression builds ({b: x, a: y}) print with sorted members, and a
// double with no fraction outside a document object prints as an integer
// (5 where Jackson writes 5.0).
type jmesExtractor struct {
	scope   target.Scope
	refName target.Str
	expr    target.Str
	compl   *jmespath.JMESPath
	cache   sync.Map // expression -> *jmespath.JMESPath
	matchNr target.Str
	def     target.Str
}

func newJMESPath(el *jmx.Element) (Extractor, error) {
	x := &jmesExtractor{}
	var err error
	if x.scope, err = target.ParseScope(el, "Sample.scope"); err != nil {
		return nil, err
	}
	ps := target.NewProps(el)
	x.refName = ps.Str("JMESExtractor.referenceName")
	x.expr = ps.Str("JMESExtractor.jmesPathExpr")
	x.matchNr = ps.Str("JMESExtractor.matchNumber")
	x.def = ps.Str("JMESExtractor.defaultValue")
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if e, ok := x.expr.Literal(); ok {
		if x.compl, err = jmespath.Compile(strings.TrimSpace(e)); err != nil {
			return nil, target.Errorf(el, "bad JMESPath %q: %v", e, err)
		}
	}
	return x, nil
}

func (x *jmesExtractor) compiled(c *functions.Context) (*jmespath.JMESPath, error) {
	if x.compl != nil {
		return x.compl, nil
	}
	e := strings.TrimSpace(x.expr.Eval(c))
	if j, ok := x.cache.Load(e); ok {
		return j.(*jmespath.JMESPath), nil
	}
	j, err := jmespath.Compile(e)
	if err != nil {
		return nil, err
	}
	x.cache.Store(e, j)
	return j, nil
}

func (x *jmesExtractor) Process(c *functions.Context, r *sample.Result) {
	if c == nil || (r == nil && x.scope.Kind != target.Variable) {
		return
	}
	vars := c.Vars
	ref := x.refName.Eval(c)
	def := x.def.Eval(c)
	n := 0
	if s := strings.TrimSpace(x.matchNr.Eval(c)); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			return // JMeter throws on a bad match number
		}
	}
	clearOldRefVars(vars, ref)
	var inputs []string
	if x.scope.Kind == target.Variable {
		v, _ := vars.Get(x.scope.Variable.Eval(c))
		inputs = []string{v}
	} else {
		for _, s := range x.scope.Samples(r) {
			if b := string(s.Body); strings.TrimSpace(b) != "" {
				inputs = append(inputs, b)
			}
		}
	}
	if len(inputs) == 0 {
		vars.Put(ref, def)
		return
	}
	j, err := x.compiled(c)
	if err != nil {
		vars.Put(ref, def)
		return
	}
	var results []string
	for _, in := range inputs {
		var doc any
		if err := json.Unmarshal([]byte(in), &doc); err != nil {
			vars.Put(ref, def)
			return
		}
		v, err := j.Search(doc)
		if err != nil {
			vars.Put(ref, def)
			return
		}
		if v == nil {
			continue
		}
		order := orderIndex{objs: map[uintptr]*jsonpath.Object{}}
		var shadow any
		if ordered, err := jsonpath.Parse(in); err == nil {
			order.add(doc, ordered)
			order.nums = numberTexts(ordered)
			if order.ambiguous(v) { // rare: search again to tell 1 from 1.0
				if sv, err := j.Search(order.shadowDoc(ordered)); err == nil {
					shadow = sv
				}
			}
		}
		if list, ok := v.([]any); ok {
			sl, _ := shadow.([]any)
			for i, e := range list {
				var se any
				if len(sl) == len(list) {
					se = sl[i]
				}
				results = append(results, order.jacksonShadow(e, se))
			}
		} else {
			results = append(results, order.jacksonShadow(v, shadow))
		}
	}
	switch {
	case len(results) == 0:
		vars.Put(ref, def)
		vars.Put(ref+"_matchNr", "0")
		return
	case len(results) == 1:
		name := ref
		if n < 0 {
			name = ref + "_1"
		}
		vars.Put(name, results[0])
	case n < 0:
		for i, s := range results {
			vars.Put(ref+"_"+strconv.Itoa(i+1), s)
		}
	case n == 0:
		vars.Put(ref, results[randIntN(c, len(results))])
	case n > len(results):
		vars.Put(ref, def)
	default:
		vars.Put(ref, results[n-1])
	}
	vars.Put(ref+"_matchNr", strconv.Itoa(len(results)))
}

// orderIndex maps the objects of a map-based parse to the same objects of
// an ordered parse, by map identity, and numbers (float64 in the map-based
// parse JMESPath needs) to the text Jackson prints for their literal.
type orderIndex struct {
	objs map[uintptr]*jsonpath.Object
	nums map[float64]string
	// Shadow search: the query also runs on a copy of the document whose
	// numbers are tokens naming the literal, so a number taken from the
	// document prints as Jackson prints that very node (1 vs 1.0 even when
	// both occur). texts and vals are indexed by token.
	texts []string
	vals  []float64
}

// shadowToken marks a number in the shadow document; no JSON text holds
// a NUL in a plain member value that also parses as a token of the index.
const shadowToken = "\x00#"

// shadowDoc copies an ordered parse into JMESPath's map form with each
// number replaced by a token string.
func (ix *orderIndex) shadowDoc(o any) any {
	num := func(f float64, text string) any {
		ix.texts = append(ix.texts, text)
		ix.vals = append(ix.vals, f)
		return shadowToken + strconv.Itoa(len(ix.texts)-1)
	}
	switch t := o.(type) {
	case int64:
		return num(float64(t), strconv.FormatInt(t, 10))
	case jsonpath.BigInt:
		f, _ := strconv.ParseFloat(string(t), 64)
		return num(f, string(t))
	case float64:
		return num(t, javafmt.Double(t))
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = ix.shadowDoc(e)
		}
		return out
	case *jsonpath.Object:
		out := make(map[string]any, t.Len())
		for i := 0; i < t.Len(); i++ {
			k, e := t.At(i)
			out[k] = ix.shadowDoc(e)
		}
		return out
	}
	return o
}

// ambiguous reports whether v holds a number whose text the value alone
// does not decide (the document writes that value both as 1 and 1.0).
func (ix orderIndex) ambiguous(v any) bool {
	switch t := v.(type) {
	case float64:
		_, ok := ix.nums[t]
		return !ok
	case []any:
		for _, e := range t {
			if ix.ambiguous(e) {
				return true
			}
		}
	case map[string]any:
		if ix.objs[reflect.ValueOf(t).Pointer()] != nil {
			return false // printed from the ordered parse
		}
		for _, e := range t {
			if ix.ambiguous(e) {
				return true
			}
		}
	}
	return false
}

// jacksonShadow prints v using the shadow result s for its numbers when the
// two have the same shape; otherwise (numbers computed or compared by the
// query) as jackson does by value.
func (ix orderIndex) jacksonShadow(v, s any) string {
	if str, ok := v.(string); ok {
		return str
	}
	if ix.texts != nil {
		var b bytes.Buffer
		if ix.writeShadow(&b, v, s) {
			return b.String()
		}
	}
	return ix.jackson(v)
}

func (ix orderIndex) writeShadow(b *bytes.Buffer, v, s any) bool {
	switch t := v.(type) {
	case float64:
		tok, ok := s.(string)
		if !ok || !strings.HasPrefix(tok, shadowToken) {
			return false
		}
		i, err := strconv.Atoi(tok[len(shadowToken):])
		if err != nil || i < 0 || i >= len(ix.vals) || ix.vals[i] != t {
			return false
		}
		b.WriteString(ix.texts[i])
		return true
	case []any:
		sl, ok := s.([]any)
		if !ok || len(sl) != len(t) {
			return false
		}
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			if !ix.writeShadow(b, e, sl[i]) {
				return false
			}
		}
		b.WriteByte(']')
		return true
	case map[string]any:
		if _, ok := s.(map[string]any); !ok {
			return false
		}
	case string:
		if s != v {
			return false
		}
	}
	ix.write(b, v) // objects print from the ordered parse, which keeps number kinds
	return true
}

// numberTexts maps each number of an ordered parse to Jackson's text for
// it: integers as written (IntNode, LongNode, BigIntegerNode: "1",
// "9007199254740993"), other literals as doubles ("1.0", "1000.0" for 1e3).
// A value written both ways is left out (printed by its float value).
func numberTexts(o any) map[float64]string {
	nums := map[float64]string{}
	clash := map[float64]bool{}
	put := func(f float64, s string) {
		if clash[f] {
			return
		}
		if prev, ok := nums[f]; ok && prev != s {
			delete(nums, f)
			clash[f] = true
			return
		}
		nums[f] = s
	}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case int64:
			put(float64(t), strconv.FormatInt(t, 10))
		case jsonpath.BigInt:
			if f, err := strconv.ParseFloat(string(t), 64); err == nil {
				put(f, string(t))
			}
		case float64:
			put(t, javafmt.Double(t))
		case []any:
			for _, e := range t {
				walk(e)
			}
		case *jsonpath.Object:
			for i := 0; i < t.Len(); i++ {
				_, e := t.At(i)
				walk(e)
			}
		}
	}
	walk(o)
	return nums
}

func (ix orderIndex) add(m any, o any) {
	switch t := m.(type) {
	case map[string]any:
		obj, ok := o.(*jsonpath.Object)
		if !ok {
			return
		}
		ix.objs[reflect.ValueOf(t).Pointer()] = obj
		for i := 0; i < obj.Len(); i++ {
			k, v := obj.At(i)
			ix.add(t[k], v)
		}
	case []any:
		a, ok := o.([]any)
		if !ok || len(a) != len(t) {
			return
		}
		for i := range t {
			ix.add(t[i], a[i])
		}
	}
}

// jackson prints a result as Jackson's writeValueAsString, strings without
// quotes.
func (ix orderIndex) jackson(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	var b bytes.Buffer
	ix.write(&b, v)
	return b.String()
}

func (ix orderIndex) write(b *bytes.Buffer, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case jsonpath.BigInt:
		b.WriteString(string(t))
	case float64:
		if s, ok := ix.nums[t]; ok {
			b.WriteString(s)
		} else if t == math.Trunc(t) && math.Abs(t) < 1e15 {
			b.WriteString(strconv.FormatInt(int64(t), 10))
		} else {
			b.WriteString(javafmt.Double(t))
		}
	case string:
		quote(b, t)
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			ix.write(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		if o := ix.objs[reflect.ValueOf(t).Pointer()]; o != nil {
			writeOrdered(b, o)
			return
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			quote(b, k)
			b.WriteByte(':')
			ix.write(b, t[k])
		}
		b.WriteByte('}')
	default:
		q, _ := json.Marshal(t)
		b.Write(q)
	}
}

// writeOrdered writes a value of the ordered parse, where members keep
// document order and doubles keep their kind ("5.0" stays a double, as
// Jackson's DoubleNode prints it).
func writeOrdered(b *bytes.Buffer, v any) {
	switch t := v.(type) {
	case float64:
		b.WriteString(javafmt.Double(t))
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeOrdered(b, e)
		}
		b.WriteByte(']')
	case *jsonpath.Object:
		b.WriteByte('{')
		for i := 0; i < t.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			k, e := t.At(i)
			quote(b, k)
			b.WriteByte(':')
			writeOrdered(b, e)
		}
		b.WriteByte('}')
	default:
		orderIndex{}.write(b, v)
	}
}

// quote writes s as a JSON string without HTML escaping (Jackson leaves
// <, > and & alone).
func quote(b *bytes.Buffer, s string) {
	var q bytes.Buffer
	enc := json.NewEncoder(&q)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Write(bytes.TrimRight(q.Bytes(), "\n"))
}
