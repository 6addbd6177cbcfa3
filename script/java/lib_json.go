package java

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gometer/gometer/extractor/jsonpath"
	"github.com/gometer/gometer/internal/javafmt"
)

// JSON parsing straight into script values: objects become *Map (in
// document order, as Groovy's JsonSlurper and json-smart keep them),
// arrays *List, integers int32/int64/BigInteger, decimals float64.

type jsonParser struct {
	kv     []any // members of the objects being parsed: key, value, ...
	s      string
	i      int
	depth  int
	strict bool // JsonSlurper: no single quotes
	mark   bool // mark maps and lists as json-smart objects
}

func jsonErr(p *jsonParser, class, msg string) error {
	return newExc(class, msg+" at offset "+strconv.Itoa(p.i))
}

func (p *jsonParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(class string) (any, error) {
	p.ws()
	if p.i >= len(p.s) {
		return nil, jsonErr(p, class, "unexpected end of JSON input")
	}
	if p.depth >= 1000 {
		return nil, jsonErr(p, class, "JSON nested too deeply")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return &Map{json: p.mark}, nil
		}
		base := len(p.kv)
		for {
			p.ws()
			if p.i >= len(p.s) || (p.s[p.i] != '"' && (p.strict || p.s[p.i] != '\'')) {
				return nil, jsonErr(p, class, "expected a string key")
			}
			k, err := p.str(class)
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, jsonErr(p, class, "expected ':'")
			}
			p.i++
			p.depth++
			v, err := p.value(class)
			p.depth--
			if err != nil {
				return nil, err
			}
			p.kv = append(p.kv, k, v)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				m := p.makeMap(base)
				p.kv = p.kv[:base]
				return m, nil
			}
			return nil, jsonErr(p, class, "expected ',' or '}'")
		}
	case c == '[':
		p.i++
		l := &List{json: p.mark}
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return l, nil
		}
		for {
			p.depth++
			v, err := p.value(class)
			p.depth--
			if err != nil {
				return nil, err
			}
			l.S = append(l.S, v)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return l, nil
			}
			return nil, jsonErr(p, class, "expected ',' or ']'")
		}
	case c == '"' || c == '\'' && !p.strict:
		return p.str(class)
	case c == '-' || c >= '0' && c <= '9':
		return p.number(class)
	case strings.HasPrefix(p.s[p.i:], "true"):
		p.i += 4
		return true, nil
	case strings.HasPrefix(p.s[p.i:], "false"):
		p.i += 5
		return false, nil
	case strings.HasPrefix(p.s[p.i:], "null"):
		p.i += 4
		return nil, nil
	}
	return nil, jsonErr(p, class, "unexpected character '"+string(p.s[p.i])+"'")
}

// makeMap builds an object from the members on the stack since base, in
// one allocation for keys and values; a repeated key keeps its last value
// at its first position, as LinkedHashMap.put does.
func (p *jsonParser) makeMap(base int) *Map {
	kv := p.kv[base:]
	n := len(kv) / 2
	all := make([]any, 2*n)
	keys, vals := all[:0:n], all[n:n:2*n]
	m := &Map{json: p.mark}
	for i := 0; i < len(kv); i += 2 {
		dup := -1
		if n <= 16 {
			for j, k := range keys {
				if k == kv[i] {
					dup = j
					break
				}
			}
		} else if m.idx != nil {
			if j, ok := m.idx[kv[i]]; ok {
				dup = j
			}
		} else {
			m.idx = make(map[any]int, n)
		}
		if dup >= 0 {
			vals[dup] = kv[i+1]
			continue
		}
		if m.idx != nil {
			m.idx[kv[i]] = len(keys)
		}
		keys = append(keys, kv[i])
		vals = append(vals, kv[i+1])
	}
	m.keys, m.vals = keys, vals
	return m
}

func (p *jsonParser) str(class string) (string, error) {
	q := p.s[p.i]
	p.i++
	start := p.i
	// fast path: no escapes
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == q {
			v := p.s[start:p.i]
			p.i++
			return v, nil
		}
		if c == '\\' {
			break
		}
		p.i++
	}
	var b strings.Builder
	b.WriteString(p.s[start:p.i])
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == q {
			p.i++
			return b.String(), nil
		}
		if c != '\\' {
			b.WriteByte(c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.s) {
			break
		}
		e := p.s[p.i]
		p.i++
		switch e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'u':
			if p.i+4 > len(p.s) {
				return "", jsonErr(p, class, "bad unicode escape")
			}
			v, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
			if err != nil {
				return "", jsonErr(p, class, "bad unicode escape")
			}
			p.i += 4
			r := rune(v)
			if utf16IsHigh(r) && p.i+6 <= len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
				if v2, err := strconv.ParseUint(p.s[p.i+2:p.i+6], 16, 32); err == nil && utf16IsLow(rune(v2)) {
					r = utf16.DecodeRune(r, rune(v2))
					p.i += 6
				}
			}
			b.WriteRune(r)
		default:
			b.WriteByte(e)
		}
	}
	return "", jsonErr(p, class, "unterminated string")
}

func (p *jsonParser) number(class string) (any, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	isFloat := false
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c >= '0' && c <= '9' {
			p.i++
		} else if c == '.' || c == 'e' || c == 'E' || ((c == '+' || c == '-') && (p.s[p.i-1] == 'e' || p.s[p.i-1] == 'E')) {
			isFloat = true
			p.i++
		} else {
			break
		}
	}
	t := p.s[start:p.i]
	if isFloat && p.strict { // JsonSlurper: BigDecimal
		d, ok := parseDecimal(t)
		if !ok {
			return nil, jsonErr(p, class, "bad number "+t)
		}
		return d, nil
	}
	if isFloat {
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return nil, jsonErr(p, class, "bad number "+t)
		}
		return f, nil
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		b, ok := new(big.Int).SetString(t, 10)
		if !ok {
			return nil, jsonErr(p, class, "bad number "+t)
		}
		return b, nil
	}
	if n >= math.MinInt32 && n <= math.MaxInt32 {
		return int32(n), nil
	}
	return n, nil
}

func parseJSON(s string, class string, strict, mark bool) (any, error) {
	p := &jsonParser{s: s, strict: strict, mark: mark}
	v, err := p.value(class)
	if err != nil {
		return nil, err
	}
	p.ws()
	if strict && p.i < len(p.s) {
		return nil, jsonErr(p, class, "unexpected text after JSON value")
	}
	return v, nil
}

// ---- output

// jsonWriter renders values as Groovy's JsonOutput (escapeSlash=false,
// non-ASCII as \uXXXX) or json-smart (escapes "/" as "\/", keeps
// non-ASCII).
type jsonStyle int

const (
	groovyJSON jsonStyle = iota
	smartJSON
)

func (r *runner) writeJSON(b *strings.Builder, v any, st jsonStyle, depth int) error {
	if depth > 1000 {
		return newExc("java.lang.StackOverflowError", "JSON too deep")
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeJSONString(b, x, st)
	case Char:
		writeJSONString(b, formatValue(x, true), st)
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int32, int64, int, int16, int8, *big.Int:
		b.WriteString(formatValue(x, true))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return newExc("groovy.json.JsonException", "Number "+javafmt.Double(x)+" can't be serialized as JSON")
		}
		b.WriteString(javafmt.Double(x))
	case float32:
		b.WriteString(javafmt.Float(x))
	case *Decimal:
		b.WriteString(x.String())
	case *Map:
		b.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, r.toStr(k), st)
			b.WriteByte(':')
			if err := r.writeJSON(b, x.vals[i], st, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case *List:
		b.WriteByte('[')
		for i, e := range x.S {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := r.writeJSON(b, e, st, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case []byte:
		l := &List{S: make([]any, len(x))}
		for i, c := range x {
			l.S[i] = int32(int8(c))
		}
		return r.writeJSON(b, l, st, depth)
	case *rangeVal:
		return r.writeJSON(b, x.list(), st, depth)
	case *instance:
		m := newMap()
		for _, c := range lineage(x.decl) {
			for _, f := range c.fields {
				m.Put(f.name, x.fields[f.name])
			}
		}
		return r.writeJSON(b, m, st, depth)
	case *javaDate:
		writeJSONString(b, x.t.UTC().Format("2006-01-02T15:04:05-0700"), st)
	default:
		writeJSONString(b, r.display(v), st)
	}
	return nil
}

func writeJSONString(b *strings.Builder, s string, st jsonStyle) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '/' && st == smartJSON:
			b.WriteString(`\/`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteString(strconv.FormatUint(uint64(c)>>4, 16))
			b.WriteString(strconv.FormatUint(uint64(c)&15, 16))
		case c >= utf8.RuneSelf:
			r, sz := utf8.DecodeRuneInString(s[i:])
			if st == groovyJSON {
				for _, u := range utf16.Encode([]rune{r}) {
					h := strconv.FormatUint(uint64(u), 16)
					b.WriteString(`\u` + strings.Repeat("0", 4-len(h)) + h)
				}
			} else {
				b.WriteString(s[i : i+sz])
			}
			i += sz
			continue
		default:
			b.WriteByte(c)
		}
		i++
	}
	b.WriteByte('"')
}

// prettyJSON is JsonOutput.prettyPrint: four-space indentation, "key": value.
func prettyJSON(s string) (string, error) {
	v, err := parseJSON(s, "groovy.json.JsonException", false, false)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	var walk func(v any, ind int)
	walk = func(v any, ind int) {
		pad := strings.Repeat("    ", ind)
		switch x := v.(type) {
		case *Map:
			if len(x.keys) == 0 {
				b.WriteString("{\n" + pad + "    \n" + pad + "}")
				return
			}
			b.WriteString("{\n")
			for i, k := range x.keys {
				b.WriteString(pad + "    ")
				writeJSONString(&b, formatValue(k, true), groovyJSON)
				b.WriteString(": ")
				walk(x.vals[i], ind+1)
				if i < len(x.keys)-1 {
					b.WriteByte(',')
				}
				b.WriteByte('\n')
			}
			b.WriteString(pad + "}")
		case *List:
			if len(x.S) == 0 {
				b.WriteString("[\n" + pad + "    \n" + pad + "]")
				return
			}
			b.WriteString("[\n")
			for i, e := range x.S {
				b.WriteString(pad + "    ")
				walk(e, ind+1)
				if i < len(x.S)-1 {
					b.WriteByte(',')
				}
				b.WriteByte('\n')
			}
			b.WriteString(pad + "]")
		default:
			var sb strings.Builder
			(&runner{groovy: true}).writeJSON(&sb, x, groovyJSON, 0)
			b.WriteString(sb.String())
		}
	}
	walk(v, 0)
	return b.String(), nil
}

// ---- classes

type jsonSlurper struct{}

func (jsonSlurper) javaClass() string { return "groovy.json.JsonSlurper" }
func (jsonSlurper) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "parseText", "parse":
		if len(args) != 1 {
			return nil, false, nil
		}
		var s string
		switch x := args[0].(type) {
		case string:
			s = x
		case []byte:
			s = string(x)
		case *fileObj:
			b, err := x.read(r)
			if err != nil {
				return nil, true, err
			}
			s = string(b)
		case nil:
			return nil, true, newExc("java.lang.IllegalArgumentException", "Text must not be null")
		default:
			s = r.toStr(x)
		}
		if strings.TrimSpace(s) == "" {
			return nil, true, newExc("java.lang.IllegalArgumentException", "Text must not be null or empty")
		}
		v, err := parseJSON(s, "groovy.json.JsonException", true, false)
		return v, true, err
	case "setType", "setCheckDates", "setChop", "setLazyChop":
		return jsonSlurper{}, true, nil
	}
	return nil, false, nil
}

type jsonBuilder struct{ content any }

func (j *jsonBuilder) javaClass() string { return "groovy.json.JsonBuilder" }
func (j *jsonBuilder) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "toString":
		var b strings.Builder
		err := r.writeJSON(&b, j.content, groovyJSON, 0)
		return b.String(), true, err
	case "toPrettyString":
		var b strings.Builder
		if err := r.writeJSON(&b, j.content, groovyJSON, 0); err != nil {
			return nil, true, err
		}
		s, err := prettyJSON(b.String())
		return s, true, err
	case "getContent":
		return j.content, true, nil
	case "setContent":
		if len(args) == 1 {
			j.content = args[0]
			return nil, true, nil
		}
	case "call":
		switch {
		case len(args) == 1:
			if c, isClosure := args[0].(*Closure); isClosure {
				m, err := r.buildJSON(c)
				j.content = m
				return m, true, err
			}
			j.content = args[0]
			return j.content, true, nil
		case len(args) == 2 && isAny[*Closure](args[1]) && iterableArg(args[0]):
			l, err := r.buildJSONEach(args[0], args[1].(*Closure))
			j.content = l
			return l, true, err
		case len(args) > 1:
			j.content = &List{S: append([]any(nil), args...)}
			return j.content, true, nil
		}
		return nil, false, nil
	case "equals", "hashCode", "getClass", "with", "invokeMethod", "getProperty", "setProperty":
		return nil, false, nil
	}
	// builder.name(...): the content becomes {name: ...}
	var val any
	switch {
	case len(args) == 0:
		val = newMap()
	case len(args) == 1 && isAny[*Map](args[0]):
		val = args[0]
	case len(args) == 1 && isAny[*Closure](args[0]):
		m, err := r.buildJSON(args[0].(*Closure))
		if err != nil {
			return nil, true, err
		}
		val = m
	case len(args) == 2 && isAny[*Map](args[0]) && isAny[*Closure](args[1]):
		m, err := r.buildJSON(args[1].(*Closure))
		if err != nil {
			return nil, true, err
		}
		merged := args[0].(*Map).clone()
		for i, k := range m.keys {
			merged.Put(k, m.vals[i])
		}
		val = merged
	default:
		return nil, true, newExc("groovy.json.JsonException", "Expected no arguments, a single map, a single closure, or a map and closure as arguments.")
	}
	m := newMap()
	m.Put(name, val)
	j.content = m
	return m, true, nil
}

// jsonDelegate is the delegate of a JsonBuilder closure: each call
// name(args) adds an entry to the object being built.
type jsonDelegate struct{ content *Map }

func (d *jsonDelegate) delegateCall(r *runner, name string, args []any) (any, error) {
	var val any
	switch {
	case len(args) == 0:
		val = &List{}
	case len(args) == 1:
		val = args[0]
		if c, ok := args[0].(*Closure); ok {
			m, err := r.buildJSON(c)
			if err != nil {
				return nil, err
			}
			val = m
		}
	case len(args) == 2 && isAny[*Closure](args[1]) && iterableArg(args[0]):
		l, err := r.buildJSONEach(args[0], args[1].(*Closure))
		if err != nil {
			return nil, err
		}
		val = l
	default:
		l := &List{S: make([]any, len(args))}
		for i, a := range args {
			if c, ok := a.(*Closure); ok {
				m, err := r.buildJSON(c)
				if err != nil {
					return nil, err
				}
				a = m
			}
			l.S[i] = a
		}
		val = l
	}
	d.content.Put(name, val)
	return val, nil
}

func iterableArg(v any) bool {
	l, ok := v.(*List)
	return ok && l != nil
}

// buildJSON runs c with a fresh delegate and gives the object it built
// (a LinkedHashMap, as Groovy's).
func (r *runner) buildJSON(c *Closure, args ...any) (*Map, error) {
	d := &jsonDelegate{content: newMap()}
	cc := *c
	cc.delegate = d
	if _, err := r.callClosure(&cc, args); err != nil {
		return nil, err
	}
	return d.content, nil
}

// buildJSONEach builds one object per element of coll.
func (r *runner) buildJSONEach(coll any, c *Closure) (*List, error) {
	out := &List{}
	err := r.iterate(coll, func(e any) (bool, error) {
		m, err := r.buildJSON(c, e)
		out.S = append(out.S, m)
		return true, err
	})
	return out, err
}

func (r *runner) toJSON(v any, st jsonStyle) (string, error) {
	var b strings.Builder
	err := r.writeJSON(&b, v, st, 0)
	return b.String(), err
}

// fromJSONPath converts a value from the jsonpath package into script
// values (JSONArray and LinkedHashMap in Jayway).
func fromJSONPath(v any) any {
	switch x := v.(type) {
	case *jsonpath.Object:
		m := &Map{json: true}
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			m.Put(k, fromJSONPath(e))
		}
		return m
	case []any:
		l := &List{S: make([]any, len(x)), json: true}
		for i, e := range x {
			l.S[i] = fromJSONPath(e)
		}
		return l
	case int64:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return int32(x)
		}
		return x
	case jsonpath.BigInt:
		b, _ := new(big.Int).SetString(string(x), 10)
		return b
	}
	return v
}

// toJSONPath converts script values into the jsonpath package's documents.
func (r *runner) jsonDoc(v any) (any, error) {
	switch x := v.(type) {
	case string:
		d, err := jsonpath.Parse(x)
		if err != nil {
			return nil, newExc("com.jayway.jsonpath.InvalidJsonException", err.Error())
		}
		return d, nil
	case *Map, *List:
		s, err := r.toJSON(x, groovyJSON)
		if err != nil {
			return nil, err
		}
		return r.jsonDoc(s)
	}
	return nil, newExc("java.lang.IllegalArgumentException", "json can not be "+javaClassName(v))
}

func init() {
	register(&class{name: "groovy.json.JsonSlurper", ctor: func(r *runner, args []any) (any, error) { return jsonSlurper{}, nil }})
	register(&class{name: "groovy.json.JsonSlurperClassic", ctor: func(r *runner, args []any) (any, error) { return jsonSlurper{}, nil }})
	register(&class{name: "groovy.json.JsonBuilder", ctor: func(r *runner, args []any) (any, error) {
		j := &jsonBuilder{}
		if len(args) == 1 {
			j.content = args[0]
		}
		return j, nil
	}})
	register(&class{name: "groovy.json.JsonOutput", statics: map[string]staticFn{
		"toJson": func(r *runner, args []any) (any, error) {
			if err := argN(args, 1, "JsonOutput.toJson"); err != nil {
				return nil, err
			}
			return r.toJSON(args[0], groovyJSON)
		},
		"prettyPrint": func(r *runner, args []any) (any, error) {
			if err := argN(args, 1, "JsonOutput.prettyPrint"); err != nil {
				return nil, err
			}
			return prettyJSON(r.toStr(args[0]))
		},
	}})
	smartParse := func(r *runner, args []any) (any, error) {
		if len(args) < 1 {
			return nil, argN(args, 1, "JSONValue.parse")
		}
		v, err := parseJSON(r.toStr(args[0]), "net.minidev.json.parser.ParseException", false, true)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	register(&class{name: "net.minidev.json.JSONValue", statics: map[string]staticFn{
		"parse": smartParse, "parseWithException": smartParse, "parseStrict": smartParse,
		"toJSONString": func(r *runner, args []any) (any, error) { return r.toJSON(args[0], smartJSON) },
		"escape": func(r *runner, args []any) (any, error) {
			s, _ := r.toJSON(r.toStr(args[0]), smartJSON)
			return s[1 : len(s)-1], nil
		},
	}})
	register(&class{name: "net.minidev.json.JSONObject", is: isAny[*Map],
		ctor: func(r *runner, args []any) (any, error) {
			m := &Map{json: true}
			if len(args) == 1 {
				if src, ok := args[0].(*Map); ok {
					for i, k := range src.keys {
						m.Put(k, src.vals[i])
					}
				}
			}
			return m, nil
		},
		statics: map[string]staticFn{"toJSONString": func(r *runner, args []any) (any, error) { return r.toJSON(args[0], smartJSON) }}})
	register(&class{name: "net.minidev.json.JSONArray", is: isAny[*List],
		ctor: func(r *runner, args []any) (any, error) { return &List{json: true}, nil }})
	register(&class{name: "net.minidev.json.parser.JSONParser", fields: map[string]any{"MODE_PERMISSIVE": int32(-1), "DEFAULT_PERMISSIVE_MODE": int32(-1), "MODE_JSON_SIMPLE": int32(1984)},
		ctor: func(r *runner, args []any) (any, error) { return smartParser{}, nil }})
	readPath := func(r *runner, args []any) (any, error) {
		if len(args) < 2 {
			return nil, argN(args, 2, "JsonPath.read")
		}
		doc, err := r.jsonDoc(args[0])
		if err != nil {
			return nil, err
		}
		p, err := jsonpath.Compile(r.toStr(args[1]))
		if err != nil {
			return nil, newExc("com.jayway.jsonpath.InvalidPathException", err.Error())
		}
		v, err := p.Read(doc)
		if err != nil {
			return nil, newExc("com.jayway.jsonpath.PathNotFoundException", err.Error())
		}
		return fromJSONPath(v), nil
	}
	register(&class{name: "com.jayway.jsonpath.JsonPath", statics: map[string]staticFn{
		"read":  readPath,
		"parse": func(r *runner, args []any) (any, error) { return &jsonDocObj{src: args[0]}, nil },
	}})
}

type smartParser struct{}

func (smartParser) javaClass() string { return "net.minidev.json.parser.JSONParser" }
func (smartParser) invoke(r *runner, name string, args []any) (any, bool, error) {
	if name == "parse" && len(args) >= 1 {
		v, err := parseJSON(r.toStr(args[0]), "net.minidev.json.parser.ParseException", false, true)
		return v, true, err
	}
	return nil, false, nil
}

// jsonDocObj is JsonPath.parse(json): a DocumentContext.
type jsonDocObj struct{ src any }

func (d *jsonDocObj) javaClass() string { return "com.jayway.jsonpath.DocumentContext" }
func (d *jsonDocObj) invoke(r *runner, name string, args []any) (any, bool, error) {
	if name == "read" && len(args) >= 1 {
		v, err := registry["com.jayway.jsonpath.JsonPath"].statics["read"](r, []any{d.src, args[0]})
		return v, true, err
	}
	if name == "jsonString" {
		s, err := r.toJSON(d.src, smartJSON)
		return s, true, err
	}
	return nil, false, nil
}

// String is the builder's JSON, what println and "" + builder show.
func (j *jsonBuilder) String() string {
	s, _ := (&runner{groovy: true}).toJSON(j.content, groovyJSON)
	return s
}
