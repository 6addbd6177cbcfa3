package java

import "strings"

// A minimal java.util.stream: stream() gives a copy of the collection and
// these methods work on lists; terminal operations that may find nothing
// return an Optional.

type optional struct {
	v       any
	present bool
}

func (o *optional) javaClass() string { return "java.util.Optional" }
func (o *optional) String() string {
	if !o.present {
		return "Optional.empty"
	}
	return "Optional[" + formatValue(o.v, true) + "]"
}

func (o *optional) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "isPresent":
		return o.present, true, nil
	case "isEmpty":
		return !o.present, true, nil
	case "get", "orElseThrow":
		if !o.present {
			return nil, true, newExc("java.util.NoSuchElementException", "No value present")
		}
		return o.v, true, nil
	case "orElse":
		if o.present {
			return o.v, true, nil
		}
		return args[0], true, nil
	case "orElseGet":
		if o.present {
			return o.v, true, nil
		}
		v, err := r.call(args[0])
		return v, true, err
	case "ifPresent":
		if o.present {
			_, err := r.call(args[0], o.v)
			return nil, true, err
		}
		return nil, true, nil
	case "map":
		if !o.present {
			return o, true, nil
		}
		v, err := r.call(args[0], o.v)
		return &optional{v: v, present: v != nil}, true, err
	}
	return nil, false, nil
}

// collector is a java.util.stream.Collectors result.
type collector struct {
	kind string
	args []any
}

func (c *collector) javaClass() string { return "java.util.stream.Collector" }
func (c *collector) invoke(*runner, string, []any) (any, bool, error) {
	return nil, false, nil
}

func (r *runner) collect(s []any, c *collector) (any, error) {
	switch c.kind {
	case "toList":
		return &List{S: append([]any(nil), s...)}, nil
	case "toSet":
		return newHashSet(s), nil // Collectors.toSet gives a HashSet
	case "joining":
		parts := make([]string, len(s))
		for i, e := range s {
			parts[i] = r.toStr(e)
		}
		sep, pre, suf := "", "", ""
		if len(c.args) >= 1 {
			sep = r.toStr(c.args[0])
		}
		if len(c.args) == 3 {
			pre, suf = r.toStr(c.args[1]), r.toStr(c.args[2])
		}
		return pre + strings.Join(parts, sep) + suf, nil
	case "counting":
		return int64(len(s)), nil
	case "toMap", "groupingBy":
		m := &Map{h: newHashTable(hashMapKind, -1)} // both collect into a HashMap
		for _, e := range s {
			k, err := r.call(c.args[0], e)
			if err != nil {
				return nil, err
			}
			if c.kind == "groupingBy" {
				g, ok := m.Get(k)
				if !ok {
					g = &List{}
					m.Put(k, g)
				}
				g.(*List).S = append(g.(*List).S, e)
				continue
			}
			v, err := r.call(c.args[1], e)
			if err != nil {
				return nil, err
			}
			if _, dup := m.Get(k); dup {
				return nil, newExc("java.lang.IllegalStateException", "Duplicate key "+r.toStr(k))
			}
			m.Put(k, v)
		}
		return m, nil
	}
	return nil, newExc("java.lang.UnsupportedOperationException", "Collectors."+c.kind)
}

// streamMethod gives the stream operations on a list; ok is false for
// names that are not stream operations.
func (r *runner) streamMethod(l *List, name string, args []any) (any, bool, error) {
	s := l.S
	n := len(args)
	switch name {
	case "map", "mapToInt", "mapToLong", "mapToDouble", "mapToObj":
		if n != 1 {
			return nil, false, nil
		}
		out := &List{S: make([]any, 0, len(s))}
		for _, e := range s {
			v, err := r.call(args[0], e)
			if err != nil {
				return nil, true, err
			}
			out.S = append(out.S, v)
		}
		return out, true, nil
	case "boxed", "parallel", "sequential":
		return l, true, nil
	case "distinct":
		out := &List{}
		for _, e := range s {
			if !listContains(out.S, e) {
				out.S = append(out.S, e)
			}
		}
		return out, true, nil
	case "limit", "skip":
		k, _ := toInt(args[0])
		k = max(0, min(k, len(s)))
		if name == "limit" {
			return &List{S: append([]any(nil), s[:k]...)}, true, nil
		}
		return &List{S: append([]any(nil), s[k:]...)}, true, nil
	case "anyMatch", "allMatch", "noneMatch":
		for _, e := range s {
			v, err := r.call(args[0], e)
			if err != nil {
				return nil, true, err
			}
			t := truth(v)
			if name == "anyMatch" && t {
				return true, true, nil
			}
			if name == "allMatch" && !t {
				return false, true, nil
			}
			if name == "noneMatch" && t {
				return false, true, nil
			}
		}
		return name != "anyMatch", true, nil
	case "findFirst", "findAny":
		if len(s) == 0 {
			return &optional{}, true, nil
		}
		return &optional{v: s[0], present: true}, true, nil
	case "reduce":
		var acc any
		start := 0
		if n == 2 {
			acc = args[0]
		} else if len(s) == 0 {
			return &optional{}, true, nil
		} else {
			acc, start = s[0], 1
		}
		for _, e := range s[start:] {
			v, err := r.call(args[n-1], acc, e)
			if err != nil {
				return nil, true, err
			}
			acc = v
		}
		if n == 2 {
			return acc, true, nil
		}
		return &optional{v: acc, present: true}, true, nil
	case "collect":
		if c, ok := args0(args).(*collector); ok {
			v, err := r.collect(s, c)
			return v, true, err
		}
	case "count":
		if n == 0 {
			return int64(len(s)), true, nil
		}
	case "sorted":
		out := append([]any(nil), s...)
		var cmp any
		if n == 1 {
			cmp = args[0]
		}
		return &List{S: out}, true, r.sortList(out, cmp)
	case "average":
		if n == 0 {
			if len(s) == 0 {
				return &optional{}, true, nil
			}
			sum := 0.0
			for _, e := range s {
				f, _ := toFloat(e)
				sum += f
			}
			return &optional{v: sum / float64(len(s)), present: true}, true, nil
		}
	}
	return nil, false, nil
}

func init() {
	col := func(kind string) staticFn {
		return func(r *runner, args []any) (any, error) { return &collector{kind: kind, args: args}, nil }
	}
	register(&class{name: "java.util.stream.Collectors", statics: map[string]staticFn{
		"toList": col("toList"), "toSet": col("toSet"), "joining": col("joining"), "counting": col("counting"),
		"toMap": col("toMap"), "groupingBy": col("groupingBy"),
	}})
	register(&class{name: "java.util.Optional", is: isAny[*optional], statics: map[string]staticFn{
		"of":         func(r *runner, args []any) (any, error) { return &optional{v: args[0], present: true}, nil },
		"ofNullable": func(r *runner, args []any) (any, error) { return &optional{v: args[0], present: args[0] != nil}, nil },
		"empty":      func(r *runner, args []any) (any, error) { return &optional{}, nil },
	}})
	register(&class{name: "java.util.stream.IntStream", statics: map[string]staticFn{
		"range": func(r *runner, args []any) (any, error) {
			a, _ := toInt64(args[0])
			b, _ := toInt64(args[1])
			if b <= a {
				return &List{}, nil
			}
			return (&rangeVal{from: a, to: b, excl: true}).list(), nil
		},
		"rangeClosed": func(r *runner, args []any) (any, error) {
			a, _ := toInt64(args[0])
			b, _ := toInt64(args[1])
			if b < a {
				return &List{}, nil
			}
			return (&rangeVal{from: a, to: b}).list(), nil
		},
	}})
}
