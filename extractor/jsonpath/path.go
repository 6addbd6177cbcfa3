package jsonpath

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/ohler55/ojg/jp"
)

// Path is a compiled JSONPath expression, safe for concurrent use.
type Path struct {
	src      string
	x        jp.Expr
	fn       string // trailing Jayway function: length, size, min, max, avg, sum, stddev, first, last
	definite bool
}

var trailingFunc = regexp.MustCompile(`\.(length|size|min|max|avg|sum|stddev|first|last)\(\)\s*$`)

// Compile parses a Jayway-style expression. A path that starts with neither
// "$" nor "@" gets "$." in front, as Jayway does (so ".id" is a deep scan).
func Compile(expr string) (*Path, error) {
	src := strings.TrimSpace(expr)
	if src == "" {
		return nil, fmt.Errorf("empty JSONPath expression")
	}
	p := &Path{src: src}
	body := src
	if m := trailingFunc.FindStringSubmatchIndex(body); m != nil {
		p.fn = body[m[2]:m[3]]
		body = body[:m[0]]
	}
	// Jayway prepends "$." to a path that starts with neither "$" nor "@":
	// ".id" becomes the deep scan "$..id", "[0]" becomes "$.[0]" (read as
	// "$[0]") and "a.b" becomes "$.a.b".
	if !strings.HasPrefix(body, "$") && !strings.HasPrefix(body, "@") {
		body = "$." + body
	}
	if strings.HasSuffix(body, ".") {
		return nil, fmt.Errorf("bad JSONPath %q: Path must not end with a '.' or '..'", expr)
	}
	x, err := jp.ParseString(jaywayOps(regexFlags(dotBracket(body))))
	if err != nil {
		return nil, fmt.Errorf("bad JSONPath %q: %v", expr, err)
	}
	p.x = x
	p.definite = isDefinite(x)
	return p, nil
}

// dotBracket drops a single "." before "[" ("$.[*].id", "$.a.[0]"), which
// Jayway reads as if the dot were absent; ".." (deep scan) is kept, and
// quoted text and filters are left alone.
func dotBracket(s string) string {
	if !strings.Contains(s, ".[") {
		return s
	}
	var b strings.Builder
	var quote byte
	depth := 0 // inside (...) of a filter or function
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && i+1 < len(s) {
				b.WriteByte(c)
				i++
				c = s[i]
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '.' && depth == 0 && i+1 < len(s) && s[i+1] == '[' && (i == 0 || s[i-1] != '.'):
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

var flaggedRegex = regexp.MustCompile(`=~\s*/((?:[^/\\]|\\.)*)/([imsx]+)`)

// regexFlags moves the flags of a filter's regular expression literal
// ("=~ /abc/i", Jayway syntax) inside it ("=~ /(?i)abc/"), which ojg reads.
func regexFlags(s string) string {
	if !strings.Contains(s, "=~") {
		return s
	}
	return flaggedRegex.ReplaceAllStringFunc(s, func(m string) string {
		g := flaggedRegex.FindStringSubmatch(m)
		flags := strings.ReplaceAll(g[2], "x", "") // Go has no extended mode
		if flags == "" {
			return "=~ /" + g[1] + "/"
		}
		return "=~ /(?" + flags + ")" + g[1] + "/"
	})
}

var (
	ninOp  = regexp.MustCompile(`(@(?:\.[\w$-]+|\[[^\]]*\])*)\s+nin\s+(\[[^\]]*\])`)
	sizeOp = regexp.MustCompile(`(@(?:\.[\w$-]+|\[[^\]]*\])*)\s+size\s+(\d+)`)
)

// jaywayOps rewrites Jayway filter operators ojg lacks into ones it has:
// "@.a nin [..]" as "!(@.a in [..])" and "@.a size 2" as
// "length(@.a) == 2".
func jaywayOps(s string) string {
	if !strings.Contains(s, "?(") {
		return s
	}
	s = ninOp.ReplaceAllString(s, "!($1 in $2)")
	return sizeOp.ReplaceAllString(s, "length($1) == $2")
}

// String is the expression as written.
func (p *Path) String() string { return p.src }

// Definite reports whether the path can select at most one value (no deep
// scan, wildcard, filter, slice or union), as Jayway's isPathDefinite.
func (p *Path) Definite() bool {
	return p.definite && (p.fn == "" || p.fn == "length" || p.fn == "size")
}

func isDefinite(x jp.Expr) bool {
	for _, f := range x {
		switch f.(type) {
		case jp.Root, jp.At, jp.Child, jp.Nth, jp.Bracket:
		default:
			return false
		}
	}
	return true
}

// Find evaluates the path on a parsed document and returns every value it
// selects, in document order (Jayway with ALWAYS_RETURN_LIST). A trailing
// function yields its single result.
func (p *Path) Find(doc any) []any {
	res := get(p.x, doc)
	if p.fn == "" {
		return res
	}
	var in any
	if p.definite {
		if len(res) == 0 {
			return nil
		}
		in = res[0]
	} else {
		in = res
	}
	v, ok := applyFunc(p.fn, in)
	if !ok {
		return nil
	}
	return []any{v}
}

// Read evaluates the path as Jayway's JsonPath.read does with the default
// configuration: a definite path yields the value itself (found=false and
// an error message when it is missing), an indefinite one the list of
// matches as []any.
func (p *Path) Read(doc any) (value any, err error) {
	if !p.Definite() {
		return p.Find(doc), nil
	}
	if p.fn != "" {
		r := p.Find(doc)
		if len(r) == 0 {
			return nil, fmt.Errorf("No results for path: %s", p.bracket(len(p.x)))
		}
		return r[0], nil
	}
	cur := doc
	for i, f := range p.x {
		switch t := f.(type) {
		case jp.Root, jp.At, jp.Bracket:
			continue
		case jp.Child:
			o, ok := cur.(*Object)
			if !ok {
				return nil, fmt.Errorf("Expected to find an object with property ['%s'] in path %s but found '%s'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.",
					string(t), p.bracket(i), javaClass(cur))
			}
			v, has := o.ValueForKey(string(t))
			if !has {
				if i == len(p.x)-1 {
					return nil, fmt.Errorf("No results for path: %s", p.bracket(len(p.x)))
				}
				return nil, fmt.Errorf("Missing property in path %s", p.bracket(i+1))
			}
			cur = v
		case jp.Nth:
			a, ok := cur.([]any)
			if !ok {
				return nil, fmt.Errorf("Filter: [%d] can only be applied to arrays. Current context is: %s", int(t), AssertionString(cur))
			}
			n := int(t)
			if n < 0 {
				n += len(a)
			}
			if n < 0 || n >= len(a) {
				return nil, fmt.Errorf("No results for path: %s", p.bracket(len(p.x)))
			}
			cur = a[n]
		}
	}
	return cur, nil
}

// get evaluates x on data with Jayway's semantics; ojg parses the
// expression and evaluates filter scripts and slices. Where Jayway differs
// from ojg (and RFC 9535) this follows Jayway:
//   - "..": deep scans visit a node first, then its members in document
//     order, depth first;
//   - a filter applied to an object tests the object itself (arrays have
//     their elements tested);
//   - "..[?(...)]" tests every object reached by the scan;
//   - several quoted names ("$['a','b']") select one object holding those
//     of the members that exist.
func get(x jp.Expr, data any) []any {
	nodes := []any{data}
	for i, f := range x {
		switch f.(type) {
		case jp.Root, jp.At, jp.Bracket:
			continue
		case jp.Descent:
			return descend(x[i+1:], nodes)
		}
		var next []any
		for _, n := range nodes {
			next = step(f, n, next)
		}
		nodes = next
		if len(nodes) == 0 {
			return nil
		}
	}
	return nodes
}

// step applies one fragment to one node, appending the results to out.
func step(f jp.Frag, n any, out []any) []any {
	switch t := f.(type) {
	case jp.Child:
		if o, ok := n.(*Object); ok {
			if v, has := o.ValueForKey(string(t)); has {
				out = append(out, v)
			}
		}
	case jp.Nth:
		if a, ok := n.([]any); ok {
			i := int(t)
			if i < 0 {
				i += len(a)
			}
			if i >= 0 && i < len(a) {
				out = append(out, a[i])
			}
		}
	case jp.Wildcard:
		switch c := n.(type) {
		case *Object:
			out = append(out, c.vals...)
		case []any:
			out = append(out, c...)
		}
	case jp.Union:
		if multiName(t) {
			if o, ok := n.(*Object); ok {
				m := &Object{}
				for _, k := range t {
					if v, has := o.ValueForKey(k.(string)); has {
						m.SetValueForKey(k.(string), v)
					}
				}
				out = append(out, m)
			}
			break
		}
		for _, k := range t {
			switch key := k.(type) {
			case string:
				out = step(jp.Child(key), n, out)
			case int64:
				out = step(jp.Nth(int(key)), n, out)
			}
		}
	case *jp.Filter:
		switch c := n.(type) {
		case *Object:
			if passes(t, c) {
				out = append(out, c)
			}
		case []any:
			for _, e := range c {
				if passes(t, e) {
					out = append(out, e)
				}
			}
		}
	default: // slices and anything else: as ojg evaluates them
		out = append(out, jp.Expr{jp.At('@'), f}.Get(n)...)
	}
	return out
}

// passes runs a filter script with @ bound to v.
func passes(f *jp.Filter, v any) bool {
	return len(jp.Expr{jp.At('@'), f}.Get([]any{v})) > 0
}

func multiName(u jp.Union) bool {
	if len(u) < 2 {
		return false
	}
	for _, k := range u {
		if _, ok := k.(string); !ok {
			return false
		}
	}
	return true
}

// descend evaluates rest (the fragments after "..") on every node reached
// from bases, in Jayway's scan order.
func descend(rest jp.Expr, bases []any) []any {
	var out []any
	filter, isFilter := (*jp.Filter)(nil), false
	if len(rest) > 0 {
		filter, isFilter = rest[0].(*jp.Filter)
	}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case *Object:
			if isFilter {
				if passes(filter, t) {
					out = append(out, get(append(jp.Expr{jp.At('@')}, rest[1:]...), t)...)
				}
			} else {
				out = append(out, get(append(jp.Expr{jp.At('@')}, rest...), t)...)
			}
			for _, c := range t.vals {
				walk(c)
			}
		case []any:
			if !isFilter {
				out = append(out, get(append(jp.Expr{jp.At('@')}, rest...), t)...)
			}
			for _, c := range t {
				walk(c)
			}
		}
	}
	for _, b := range bases {
		walk(b)
	}
	return out
}

// bracket renders the first n fragments in Jayway's normalized form,
// e.g. $['data'][0]['id'].
func (p *Path) bracket(n int) string {
	var b strings.Builder
	b.WriteByte('$')
	for _, f := range p.x[:n] {
		switch t := f.(type) {
		case jp.Child:
			b.WriteString("['")
			b.WriteString(string(t))
			b.WriteString("']")
		case jp.Nth:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(int(t)))
			b.WriteByte(']')
		}
	}
	return b.String()
}

func javaClass(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "net.minidev.json.JSONArray"
	case string:
		return "java.lang.String"
	case int64:
		return "java.lang.Integer"
	case float64:
		return "java.lang.Double"
	case bool:
		return "java.lang.Boolean"
	case BigInt:
		return "java.math.BigInteger"
	}
	return "java.util.LinkedHashMap"
}

func applyFunc(fn string, in any) (any, bool) {
	switch fn {
	case "length", "size":
		switch t := in.(type) {
		case []any:
			return int64(len(t)), true
		case *Object:
			return int64(t.Len()), true
		case string:
			return int64(len([]rune(t))), true
		}
		return nil, false
	case "first", "last":
		a, ok := in.([]any)
		if !ok || len(a) == 0 {
			return nil, false
		}
		if fn == "first" {
			return a[0], true
		}
		return a[len(a)-1], true
	}
	a, ok := in.([]any)
	if !ok {
		return nil, false
	}
	var nums []float64
	for _, e := range a {
		switch t := e.(type) {
		case int64:
			nums = append(nums, float64(t))
		case float64:
			nums = append(nums, t)
		}
	}
	if len(nums) == 0 {
		return nil, false
	}
	switch fn {
	case "min", "max":
		m := nums[0]
		for _, v := range nums[1:] {
			if (fn == "min" && v < m) || (fn == "max" && v > m) {
				m = v
			}
		}
		return m, true
	case "sum":
		s := 0.0
		for _, v := range nums {
			s += v
		}
		return s, true
	case "avg", "stddev":
		s := 0.0
		for _, v := range nums {
			s += v
		}
		avg := s / float64(len(nums))
		if fn == "avg" {
			return avg, true
		}
		sq := 0.0
		for _, v := range nums {
			sq += v * v
		}
		return math.Sqrt(sq/float64(len(nums)) - avg*avg), true
	}
	return nil, false
}

// ParseExpected reads an expected value as json-smart's permissive
// JSONValue.parse does: JSON when it parses, else the text itself.
func ParseExpected(s string) any {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil
	}
	p := parser{s: t}
	v, err := p.value(0)
	if err != nil {
		return s
	}
	p.ws()
	if p.i != len(t) {
		return s
	}
	return v
}

// Equal compares two parsed values as Java's Objects.equals does on
// json-smart values: numbers only equal numbers of the same kind, objects
// compare as maps (member order ignored), arrays element by element.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i, k := range x.keys {
			v, has := y.ValueForKey(k)
			if !has || !Equal(x.vals[i], v) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}
