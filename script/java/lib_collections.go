package java

import (
	"math/rand/v2"
	"sort"
	"strings"
)

func listContains(s []any, v any) bool {
	for _, e := range s {
		if valuesEqual(e, v) {
			return true
		}
	}
	return false
}

// sortList sorts in place with a comparator closure (or natural order);
// the sort is stable like Java's.
func (r *runner) sortList(s []any, cmp any) error {
	var ferr error
	sort.SliceStable(s, func(i, j int) bool {
		if ferr != nil {
			return false
		}
		if cmp != nil {
			c, _ := cmp.(*Closure)
			if c != nil && closureArity(c) == 1 {
				a, err := r.callClosure(c, []any{s[i]})
				if err != nil {
					ferr = err
					return false
				}
				b, err := r.callClosure(c, []any{s[j]})
				if err != nil {
					ferr = err
					return false
				}
				k, _ := compareValues(a, b)
				return k < 0
			}
			v, err := r.call(cmp, s[i], s[j])
			if err != nil {
				ferr = err
				return false
			}
			n, _ := toInt(v)
			return n < 0
		}
		k, ok := compareValues(s[i], s[j])
		if !ok {
			ferr = newExc("java.lang.ClassCastException", javaClassName(s[i])+" cannot be compared with "+javaClassName(s[j]))
		}
		return k < 0
	})
	return ferr
}

func indexErr(i, n int) error {
	return newExc("java.lang.IndexOutOfBoundsException", "Index "+itoa(i)+" out of bounds for length "+itoa(n))
}

// closureArity returns the number of declared parameters.
func closureArity(fn any) int {
	if c, ok := fn.(*Closure); ok {
		if c.fn.implicit {
			return 1
		}
		return len(c.fn.params)
	}
	return 1
}

func (r *runner) listMethod(l *List, name string, args []any) (any, bool, error) {
	n := len(args)
	s := l.S
	if v, ok, err := r.streamMethod(l, name, args); ok || err != nil {
		return v, ok, err
	}
	switch name {
	case "size":
		if n == 0 {
			return int32(len(s)), true, nil
		}
	case "isEmpty":
		return len(s) == 0, true, nil
	case "get", "getAt":
		if n == 1 {
			if name == "getAt" {
				v, err := r.getIndex(l, args[0])
				return v, true, err
			}
			i, _ := toInt(args[0])
			if i < 0 || i >= len(s) {
				return nil, true, indexErr(i, len(s))
			}
			return s[i], true, nil
		}
	case "add", "addLast", "offer", "push", "offerLast", "leftShift":
		if l.Array {
			return nil, true, newExc("java.lang.UnsupportedOperationException", "arrays have a fixed size")
		}
		if n == 1 {
			if l.set {
				added := l.setAdd(args[0])
				if name == "leftShift" {
					return l, true, nil
				}
				return added, true, nil
			}
			if name == "push" && !r.groovy {
				l.S = append([]any{args[0]}, s...)
				return nil, true, nil
			}
			l.S = append(s, args[0])
			if name == "leftShift" {
				return l, true, nil
			}
			return true, true, nil
		}
		if n == 2 {
			i, _ := toInt(args[0])
			if i < 0 || i > len(s) {
				return nil, true, indexErr(i, len(s))
			}
			l.S = append(s[:i], append([]any{args[1]}, s[i:]...)...)
			return nil, true, nil
		}
	case "addFirst", "offerFirst":
		l.S = append([]any{args[0]}, s...)
		return nil, true, nil
	case "addAll":
		if n == 1 {
			src, err := r.toList(args[0])
			if err != nil {
				return nil, true, err
			}
			for _, e := range append([]any(nil), src.S...) {
				if l.set {
					l.setAdd(e)
					continue
				}
				l.S = append(l.S, e)
			}
			return len(src.S) > 0, true, nil
		}
	case "set", "putAt":
		if n == 2 {
			i, _ := toInt(args[0])
			if name == "putAt" {
				return nil, true, r.setIndex(l, args[0], args[1])
			}
			if i < 0 || i >= len(s) {
				return nil, true, indexErr(i, len(s))
			}
			old := s[i]
			s[i] = args[1]
			return old, true, nil
		}
	case "remove", "removeAt":
		if n == 1 {
			if i, ok := args[0].(int32); ok && !l.set {
				if int(i) < 0 || int(i) >= len(s) {
					return nil, true, indexErr(int(i), len(s))
				}
				old := s[i]
				l.S = append(s[:i], s[i+1:]...)
				return old, true, nil
			}
			for i, e := range s {
				if valuesEqual(e, args[0]) {
					l.S = append(s[:i], s[i+1:]...)
					return true, true, nil
				}
			}
			return false, true, nil
		}
		if n == 0 {
			if len(s) == 0 {
				return nil, true, newExc("java.util.NoSuchElementException", "")
			}
			l.S = s[1:]
			return s[0], true, nil
		}
	case "removeAll":
		if n == 1 {
			if c, ok := args[0].(*Closure); ok {
				var out []any
				for _, e := range s {
					v, err := r.callClosure(c, []any{e})
					if err != nil {
						return nil, true, err
					}
					if !truth(v) {
						out = append(out, e)
					}
				}
				changed := len(out) != len(s)
				l.S = out
				return changed, true, nil
			}
			rm, err := r.toList(args[0])
			if err != nil {
				return nil, true, err
			}
			var out []any
			for _, e := range s {
				if !listContains(rm.S, e) {
					out = append(out, e)
				}
			}
			changed := len(out) != len(s)
			l.S = out
			return changed, true, nil
		}
	case "removeIf":
		if n == 1 {
			var out []any
			for _, e := range s {
				v, err := r.call(args[0], e)
				if err != nil {
					return nil, true, err
				}
				if !truth(v) {
					out = append(out, e)
				}
			}
			changed := len(out) != len(s)
			l.S = out
			return changed, true, nil
		}
	case "retainAll":
		if n == 1 {
			keep, err := r.toList(args[0])
			if err != nil {
				return nil, true, err
			}
			var out []any
			for _, e := range s {
				if listContains(keep.S, e) {
					out = append(out, e)
				}
			}
			l.S = out
			return true, true, nil
		}
	case "clear":
		l.S = nil
		return nil, true, nil
	case "contains":
		if n == 1 {
			return listContains(s, args[0]), true, nil
		}
	case "containsAll":
		if n == 1 {
			o, err := r.toList(args[0])
			if err != nil {
				return nil, true, err
			}
			for _, e := range o.S {
				if !listContains(s, e) {
					return false, true, nil
				}
			}
			return true, true, nil
		}
	case "indexOf", "lastIndexOf":
		if n == 1 {
			if name == "indexOf" {
				for i, e := range s {
					if valuesEqual(e, args[0]) {
						return int32(i), true, nil
					}
				}
			} else {
				for i := len(s) - 1; i >= 0; i-- {
					if valuesEqual(s[i], args[0]) {
						return int32(i), true, nil
					}
				}
			}
			return int32(-1), true, nil
		}
	case "subList":
		if n == 2 {
			a, _ := toInt(args[0])
			b, _ := toInt(args[1])
			if a < 0 || b > len(s) || a > b {
				return nil, true, newExc("java.lang.IndexOutOfBoundsException", "fromIndex: "+itoa(a)+", toIndex: "+itoa(b))
			}
			return &List{S: append([]any(nil), s[a:b]...)}, true, nil
		}
	case "iterator", "listIterator":
		it, _ := r.makeIterator(l)
		return it, true, nil
	case "toArray":
		return &List{Array: true, S: append([]any(nil), s...)}, true, nil
	case "stream":
		return &List{S: append([]any(nil), s...)}, true, nil
	case "forEach":
		if n == 1 {
			for _, e := range s {
				if _, err := r.call(args[0], e); err != nil {
					return nil, true, err
				}
			}
			return nil, true, nil
		}
	case "poll", "pollFirst", "pop", "removeFirst":
		if len(s) == 0 {
			if name == "poll" || name == "pollFirst" {
				return nil, true, nil
			}
			return nil, true, newExc("java.util.NoSuchElementException", "")
		}
		if name == "pop" && r.groovy {
			l.S = s[:len(s)-1]
			return s[len(s)-1], true, nil
		}
		l.S = s[1:]
		return s[0], true, nil
	case "pollLast", "removeLast":
		if len(s) == 0 {
			if name == "pollLast" {
				return nil, true, nil
			}
			return nil, true, newExc("java.util.NoSuchElementException", "")
		}
		l.S = s[:len(s)-1]
		return s[len(s)-1], true, nil
	case "peek", "peekFirst", "element", "getFirst", "first":
		if len(s) == 0 {
			if name == "peek" || name == "peekFirst" {
				return nil, true, nil
			}
			return nil, true, newExc("java.util.NoSuchElementException", "Cannot access first() element from an empty List")
		}
		return s[0], true, nil
	case "getLast", "last", "peekLast":
		if len(s) == 0 {
			if name == "peekLast" {
				return nil, true, nil
			}
			return nil, true, newExc("java.util.NoSuchElementException", "Cannot access last() element from an empty List")
		}
		return s[len(s)-1], true, nil
	case "descendingIterator":
		rev := make([]any, len(s))
		for i, e := range s {
			rev[len(s)-1-i] = e
		}
		return &iterator{s: rev}, true, nil
	case "equals":
		if n == 1 {
			return valuesEqual(l, args[0]), true, nil
		}
	case "hashCode":
		return javaHashCode(l), true, nil
	case "toString":
		return r.display(l), true, nil
	case "clone":
		return &List{S: append([]any(nil), s...), Array: l.Array, Elem: l.Elem, set: l.set, h: l.h}, true, nil
	case "sort":
		if !r.groovy {
			var cmp any
			if n == 1 {
				cmp = args[0]
			}
			return nil, true, r.sortList(s, cmp)
		}
	case "length":
		if l.Array {
			return int32(len(s)), true, nil
		}
	case "toJSONString":
		v, err := r.toJSON(l, smartJSON)
		return v, true, err
	}
	if r.groovy {
		return r.gdkList(l, name, args)
	}
	return nil, false, nil
}

// gdkList is the Groovy GDK on collections.
func (r *runner) gdkList(l *List, name string, args []any) (any, bool, error) {
	n := len(args)
	s := l.S
	switch name {
	case "each", "forEach":
		if n == 1 {
			for _, e := range append([]any(nil), s...) {
				if _, err := r.call(args[0], e); err != nil {
					return nil, true, err
				}
			}
			return l, true, nil
		}
	case "eachWithIndex":
		if n == 1 {
			for i, e := range append([]any(nil), s...) {
				if _, err := r.call(args[0], e, int32(i)); err != nil {
					return nil, true, err
				}
			}
			return l, true, nil
		}
	case "reverseEach":
		for i := len(s) - 1; i >= 0; i-- {
			if _, err := r.call(args[0], s[i]); err != nil {
				return nil, true, err
			}
		}
		return l, true, nil
	case "collect", "collectMany", "flatCollect":
		out := &List{}
		for _, e := range s {
			if n == 0 {
				out.S = append(out.S, e)
				continue
			}
			v, err := r.call(args[n-1], e)
			if err != nil {
				return nil, true, err
			}
			if name == "collectMany" {
				sub, err := r.toList(v)
				if err != nil {
					return nil, true, err
				}
				out.S = append(out.S, sub.S...)
				continue
			}
			out.S = append(out.S, v)
		}
		return out, true, nil
	case "collectEntries":
		m := newMap()
		for _, e := range s {
			var v any = e
			if n == 1 {
				var err error
				if v, err = r.call(args[0], e); err != nil {
					return nil, true, err
				}
			}
			switch p := v.(type) {
			case *List:
				if len(p.S) == 2 {
					m.Put(p.S[0], p.S[1])
				}
			case *Map:
				for i, k := range p.keys {
					m.Put(k, p.vals[i])
				}
			case *Entry:
				m.Put(p.Key, p.Value)
			}
		}
		return m, true, nil
	case "find", "findAll", "grep", "filter":
		if name == "find" && n == 0 {
			for _, e := range s {
				if truth(e) {
					return e, true, nil
				}
			}
			return nil, true, nil
		}
		out := &List{set: l.set}
		for _, e := range s {
			var ok bool
			if n == 0 {
				ok = truth(e)
			} else if c, isC := args[0].(*Closure); isC {
				v, err := r.callClosure(c, []any{e})
				if err != nil {
					return nil, true, err
				}
				ok = truth(v)
			} else {
				var err error
				if ok, err = r.isCase(args[0], e); err != nil {
					return nil, true, err
				}
			}
			if ok {
				if name == "find" {
					return e, true, nil
				}
				out.S = append(out.S, e)
			}
		}
		if name == "find" {
			return nil, true, nil
		}
		return out, true, nil
	case "findResult":
		for _, e := range s {
			v, err := r.call(args[n-1], e)
			if err != nil {
				return nil, true, err
			}
			if v != nil {
				return v, true, nil
			}
		}
		if n == 2 {
			return args[0], true, nil
		}
		return nil, true, nil
	case "findIndexOf":
		for i, e := range s {
			v, err := r.call(args[0], e)
			if err != nil {
				return nil, true, err
			}
			if truth(v) {
				return int32(i), true, nil
			}
		}
		return int32(-1), true, nil
	case "any", "every":
		for _, e := range s {
			var v any = e
			if n == 1 {
				var err error
				if v, err = r.call(args[0], e); err != nil {
					return nil, true, err
				}
			}
			if truth(v) == (name == "any") {
				return name == "any", true, nil
			}
		}
		return name == "every", true, nil
	case "count":
		if n == 1 {
			c := 0
			for _, e := range s {
				var ok bool
				if cl, isC := args[0].(*Closure); isC {
					v, err := r.callClosure(cl, []any{e})
					if err != nil {
						return nil, true, err
					}
					ok = truth(v)
				} else {
					ok = valuesEqual(e, args[0])
				}
				if ok {
					c++
				}
			}
			return int32(c), true, nil
		}
	case "inject":
		var acc any
		start := 0
		var fn any
		if n == 2 {
			acc, fn = args[0], args[1]
		} else if n == 1 {
			if len(s) == 0 {
				return nil, true, newExc("java.util.NoSuchElementException", "Cannot call inject() on an empty collection without passing an initial value.")
			}
			acc, fn, start = s[0], args[0], 1
		} else {
			return nil, false, nil
		}
		for _, e := range s[start:] {
			v, err := r.call(fn, acc, e)
			if err != nil {
				return nil, true, err
			}
			acc = v
		}
		return acc, true, nil
	case "join":
		sep := ""
		if n == 1 {
			sep = r.toStr(args[0])
		}
		parts := make([]string, len(s))
		for i, e := range s {
			parts[i] = r.display(e)
		}
		return strings.Join(parts, sep), true, nil
	case "sum":
		var acc any
		if n >= 1 && !isAny[*Closure](args[0]) {
			acc = args[0]
		}
		for _, e := range s {
			if n >= 1 && isAny[*Closure](args[n-1]) {
				v, err := r.call(args[n-1], e)
				if err != nil {
					return nil, true, err
				}
				e = v
			}
			if acc == nil {
				acc = e
				continue
			}
			v, err := r.binop("+", acc, e)
			if err != nil {
				return nil, true, err
			}
			acc = v
		}
		return acc, true, nil
	case "max", "min":
		var best, bestKey any
		for i, e := range s {
			key := e
			if n == 1 && closureArity(args[0]) == 1 {
				v, err := r.call(args[0], e)
				if err != nil {
					return nil, true, err
				}
				key = v
			}
			if i == 0 {
				best, bestKey = e, key
				continue
			}
			var c int
			if n == 1 && closureArity(args[0]) == 2 {
				v, err := r.call(args[0], e, best)
				if err != nil {
					return nil, true, err
				}
				c, _ = toInt(v)
			} else {
				c, _ = compareValues(key, bestKey)
			}
			if (name == "max" && c > 0) || (name == "min" && c < 0) {
				best, bestKey = e, key
			}
		}
		return best, true, nil
	case "sort", "toSorted", "sorted":
		var cmp any
		mutate := name == "sort"
		if n >= 1 {
			if b, ok := args[0].(bool); ok {
				mutate = b
				if n == 2 {
					cmp = args[1]
				}
			} else {
				cmp = args[0]
			}
		}
		target := s
		if !mutate {
			target = append([]any(nil), s...)
		}
		if err := r.sortList(target, cmp); err != nil {
			return nil, true, err
		}
		if mutate {
			return l, true, nil
		}
		return &List{S: target}, true, nil
	case "unique", "toUnique":
		var out []any
		for _, e := range s {
			key := e
			if n == 1 && closureArity(args[0]) == 1 {
				v, err := r.call(args[0], e)
				if err != nil {
					return nil, true, err
				}
				key = v
			}
			dup := false
			for _, o := range out {
				ok := o
				if n == 1 && closureArity(args[0]) == 1 {
					ok, _ = r.call(args[0], o)
				}
				if valuesEqual(ok, key) {
					dup = true
					break
				}
			}
			if !dup {
				out = append(out, e)
			}
		}
		if name == "unique" && (n == 0 || !isAny[bool](args[0]) || args[0].(bool)) {
			l.S = out
			return l, true, nil
		}
		return &List{S: out}, true, nil
	case "reverse":
		out := make([]any, len(s))
		for i, e := range s {
			out[len(s)-1-i] = e
		}
		if n == 1 && truth(args[0]) {
			l.S = out
			return l, true, nil
		}
		return &List{S: out}, true, nil
	case "first", "head":
		if len(s) == 0 {
			return nil, true, newExc("java.util.NoSuchElementException", "Cannot access first() element from an empty List")
		}
		if n == 1 {
			k, _ := toInt(args[0])
			return &List{S: append([]any(nil), s[:min(k, len(s))]...)}, true, nil
		}
		return s[0], true, nil
	case "tail":
		if len(s) == 0 {
			return nil, true, newExc("java.util.NoSuchElementException", "Cannot access tail() for an empty List")
		}
		return &List{S: append([]any(nil), s[1:]...)}, true, nil
	case "take", "drop", "takeRight", "dropRight":
		k, _ := toInt(args[0])
		k = max(0, min(k, len(s)))
		var part []any
		switch name {
		case "take":
			part = s[:k]
		case "drop":
			part = s[k:]
		case "takeRight":
			part = s[len(s)-k:]
		default:
			part = s[:len(s)-k]
		}
		return &List{S: append([]any(nil), part...)}, true, nil
	case "flatten":
		out := &List{}
		var walk func([]any)
		walk = func(xs []any) {
			for _, e := range xs {
				if sub, ok := e.(*List); ok {
					walk(sub.S)
				} else {
					out.S = append(out.S, e)
				}
			}
		}
		walk(s)
		return out, true, nil
	case "groupBy":
		m := newMap()
		for _, e := range s {
			k, err := r.call(args[0], e)
			if err != nil {
				return nil, true, err
			}
			g, ok := m.Get(k)
			if !ok {
				g = &List{}
				m.Put(k, g)
			}
			g.(*List).S = append(g.(*List).S, e)
		}
		return m, true, nil
	case "countBy":
		m := newMap()
		for _, e := range s {
			k, err := r.call(args[0], e)
			if err != nil {
				return nil, true, err
			}
			c, _ := m.Get(k)
			ci, _ := c.(int32)
			m.Put(k, ci+1)
		}
		return m, true, nil
	case "intersect":
		o, err := r.toList(args[0])
		if err != nil {
			return nil, true, err
		}
		out := &List{}
		for _, e := range s {
			if listContains(o.S, e) && !listContains(out.S, e) {
				out.S = append(out.S, e)
			}
		}
		return out, true, nil
	case "plus":
		v, err := r.binop("+", l, args[0])
		return v, true, err
	case "minus":
		v, err := r.binop("-", l, args[0])
		return v, true, err
	case "toList", "asList":
		return &List{S: append([]any(nil), s...)}, true, nil
	case "toSet":
		return newHashSet(s), true, nil // Groovy's toSet is a HashSet
	case "asUnmodifiable":
		out := &List{}
		for _, e := range s {
			if !listContains(out.S, e) || name != "toSet" {
				out.S = append(out.S, e)
			}
		}
		return out, true, nil
	case "shuffle":
		rand.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		return nil, true, nil
	case "indexed":
		m := newMap()
		for i, e := range s {
			m.Put(int32(i), e)
		}
		return m, true, nil
	case "withIndex":
		out := &List{}
		for i, e := range s {
			out.S = append(out.S, &List{S: []any{e, int32(i)}})
		}
		return out, true, nil
	case "collate":
		k, _ := toInt(args[0])
		if k <= 0 {
			return nil, true, newExc("java.lang.IllegalArgumentException", "size must be positive")
		}
		out := &List{}
		for i := 0; i < len(s); i += k {
			out.S = append(out.S, &List{S: append([]any(nil), s[i:min(i+k, len(s))]...)})
		}
		return out, true, nil
	case "transpose":
		return nil, false, nil
	case "average":
		if len(s) == 0 {
			return nil, true, nil
		}
		sum, _, err := r.gdkList(l, "sum", nil)
		if err != nil {
			return nil, true, err
		}
		f, _ := toFloat(sum)
		return f / float64(len(s)), true, nil
	case "isCase":
		return listContains(s, args[0]), true, nil
	case "asType":
		if c, ok := args[0].(*class); ok {
			v, err := r.cast(typeRef{name: c.name, cls: c}, l, true)
			return v, true, err
		}
	case "random":
		if len(s) == 0 {
			return nil, true, nil
		}
		return s[rand.IntN(len(s))], true, nil
	}
	return nil, false, nil
}

func (r *runner) mapMethod(m *Map, name string, args []any) (any, bool, error) {
	n := len(args)
	if m.h.kind == propsKind {
		switch name {
		case "setProperty":
			if n == 2 {
				return m.Put(args[0], args[1]), true, nil
			}
		case "getProperty":
			if n == 1 || n == 2 {
				if v, ok := m.Get(args[0]); ok {
					if s, isStr := v.(string); isStr {
						return s, true, nil
					}
				}
				if n == 2 {
					return args[1], true, nil
				}
				return nil, true, nil
			}
		case "stringPropertyNames":
			return newHashSet(append([]any(nil), m.keys...)), true, nil
		}
	}
	switch name {
	case "get", "getAt":
		if n == 1 {
			v, _ := m.Get(args[0])
			return v, true, nil
		}
		if n == 2 && r.groovy { // Groovy get(key, default) also stores the default
			v, ok := m.Get(args[0])
			if !ok {
				m.Put(args[0], args[1])
				return args[1], true, nil
			}
			return v, true, nil
		}
	case "getOrDefault":
		if n == 2 {
			if v, ok := m.Get(args[0]); ok {
				return v, true, nil
			}
			return args[1], true, nil
		}
	case "put", "putAt":
		if n == 2 {
			return m.Put(args[0], args[1]), true, nil
		}
	case "putIfAbsent":
		if v, ok := m.Get(args[0]); ok && v != nil {
			return v, true, nil
		}
		m.Put(args[0], args[1])
		return nil, true, nil
	case "putAll":
		if o, ok := args[0].(*Map); ok {
			for i, k := range o.keys {
				m.Put(k, o.vals[i])
			}
			return nil, true, nil
		}
	case "remove":
		if n == 1 {
			return m.Remove(args[0]), true, nil
		}
	case "containsKey":
		_, ok := m.Get(args[0])
		return ok, true, nil
	case "containsValue":
		return listContains(m.vals, args[0]), true, nil
	case "size":
		return int32(len(m.keys)), true, nil
	case "isEmpty":
		return len(m.keys) == 0, true, nil
	case "clear":
		m.keys, m.vals, m.idx = nil, nil, nil
		return nil, true, nil
	case "keySet":
		return &List{S: append([]any(nil), m.keys...), set: true}, true, nil
	case "values":
		return &List{S: append([]any(nil), m.vals...)}, true, nil
	case "entrySet":
		out := &List{set: true, S: make([]any, len(m.keys))}
		for i, k := range m.keys {
			out.S[i] = &Entry{Key: k, Value: m.vals[i], m: m}
		}
		return out, true, nil
	case "forEach":
		if n == 1 {
			for i := 0; i < len(m.keys); i++ {
				if _, err := r.call(args[0], m.keys[i], m.vals[i]); err != nil {
					return nil, true, err
				}
			}
			return nil, true, nil
		}
	case "equals":
		return valuesEqual(m, args[0]), true, nil
	case "toString":
		return r.display(m), true, nil
	case "clone":
		return m.clone(), true, nil
	case "computeIfAbsent":
		if v, ok := m.Get(args[0]); ok && v != nil {
			return v, true, nil
		}
		v, err := r.call(args[1], args[0])
		if err != nil {
			return nil, true, err
		}
		if v != nil {
			m.Put(args[0], v)
		}
		return v, true, nil
	case "merge":
		if n == 3 {
			old, ok := m.Get(args[0])
			if !ok || old == nil {
				m.Put(args[0], args[1])
				return args[1], true, nil
			}
			v, err := r.call(args[2], old, args[1])
			if err != nil {
				return nil, true, err
			}
			m.Put(args[0], v)
			return v, true, nil
		}
	case "toJSONString":
		v, err := r.toJSON(m, smartJSON)
		return v, true, err
	case "getAsString":
		v, _ := m.Get(args[0])
		if v == nil {
			return nil, true, nil
		}
		return r.toStr(v), true, nil
	case "getAsNumber":
		v, _ := m.Get(args[0])
		return v, true, nil
	case "firstKey":
		if len(m.keys) == 0 {
			return nil, true, newExc("java.util.NoSuchElementException", "")
		}
		return m.keys[0], true, nil
	case "lastKey":
		if len(m.keys) == 0 {
			return nil, true, newExc("java.util.NoSuchElementException", "")
		}
		return m.keys[len(m.keys)-1], true, nil
	}
	if !r.groovy {
		return nil, false, nil
	}
	call2 := func(fn any, i int) (any, error) {
		if closureArity(fn) == 2 {
			return r.call(fn, m.keys[i], m.vals[i])
		}
		return r.call(fn, &Entry{Key: m.keys[i], Value: m.vals[i], m: m})
	}
	switch name {
	case "each":
		for i := 0; i < len(m.keys); i++ {
			if _, err := call2(args[0], i); err != nil {
				return nil, true, err
			}
		}
		return m, true, nil
	case "eachWithIndex":
		for i := 0; i < len(m.keys); i++ {
			var err error
			if closureArity(args[0]) == 3 {
				_, err = r.call(args[0], m.keys[i], m.vals[i], int32(i))
			} else {
				_, err = r.call(args[0], &Entry{Key: m.keys[i], Value: m.vals[i], m: m}, int32(i))
			}
			if err != nil {
				return nil, true, err
			}
		}
		return m, true, nil
	case "collect":
		out := &List{}
		for i := range m.keys {
			v, err := call2(args[0], i)
			if err != nil {
				return nil, true, err
			}
			out.S = append(out.S, v)
		}
		return out, true, nil
	case "collectEntries":
		out := newMap()
		for i := range m.keys {
			v, err := call2(args[0], i)
			if err != nil {
				return nil, true, err
			}
			switch p := v.(type) {
			case *List:
				if len(p.S) == 2 {
					out.Put(p.S[0], p.S[1])
				}
			case *Map:
				for j, k := range p.keys {
					out.Put(k, p.vals[j])
				}
			}
		}
		return out, true, nil
	case "find", "findAll", "any", "every", "count":
		out := newMap()
		cnt := 0
		for i := range m.keys {
			v, err := call2(args[0], i)
			if err != nil {
				return nil, true, err
			}
			t := truth(v)
			switch name {
			case "find":
				if t {
					return &Entry{Key: m.keys[i], Value: m.vals[i], m: m}, true, nil
				}
			case "any":
				if t {
					return true, true, nil
				}
			case "every":
				if !t {
					return false, true, nil
				}
			case "count":
				if t {
					cnt++
				}
			default:
				if t {
					out.Put(m.keys[i], m.vals[i])
				}
			}
		}
		switch name {
		case "find":
			return nil, true, nil
		case "any":
			return false, true, nil
		case "every":
			return true, true, nil
		case "count":
			return int32(cnt), true, nil
		}
		return out, true, nil
	case "sort":
		keys := make([]int, len(m.keys))
		for i := range keys {
			keys[i] = i
		}
		var ferr error
		sort.SliceStable(keys, func(a, b int) bool {
			if n == 1 {
				v, err := r.call(args[0], &Entry{Key: m.keys[keys[a]], Value: m.vals[keys[a]]}, &Entry{Key: m.keys[keys[b]], Value: m.vals[keys[b]]})
				if err != nil {
					ferr = err
				}
				c, _ := toInt(v)
				return c < 0
			}
			c, _ := compareValues(m.keys[keys[a]], m.keys[keys[b]])
			return c < 0
		})
		out := newMap()
		for _, i := range keys {
			out.Put(m.keys[i], m.vals[i])
		}
		return out, true, ferr
	case "plus":
		v, err := r.binop("+", m, args[0])
		return v, true, err
	case "subMap":
		l, err := r.toList(args[0])
		if err != nil {
			return nil, true, err
		}
		out := newMap()
		for _, k := range l.S {
			if v, ok := m.Get(k); ok {
				out.Put(k, v)
			}
		}
		return out, true, nil
	case "inject":
		if n == 2 {
			acc := args[0]
			for i := range m.keys {
				var v any
				var err error
				if closureArity(args[1]) == 3 {
					v, err = r.call(args[1], acc, m.keys[i], m.vals[i])
				} else {
					v, err = r.call(args[1], acc, &Entry{Key: m.keys[i], Value: m.vals[i], m: m})
				}
				if err != nil {
					return nil, true, err
				}
				acc = v
			}
			return acc, true, nil
		}
	case "groupBy", "max", "min", "sum", "join", "findResult", "toList":
		l, _ := r.toList(m)
		return r.gdkList(l, name, args)
	}
	return nil, false, nil
}

func init() {
	newListCtor := func(set, tree bool, hashed hashKind) staticFn {
		return func(r *runner, args []any) (any, error) {
			l := &List{set: set}
			if hashed != 0 {
				l.h = newHashTable(hashed, -1)
			}
			if len(args) == 1 {
				if n, isNum := args[0].(int32); isNum {
					if hashed != 0 {
						l.h = newHashTable(hashed, int(n))
					}
				} else {
					src, err := r.toList(args[0])
					if err != nil {
						return nil, err
					}
					if hashed != 0 {
						l = newHashSet(src.S)
					} else {
						for _, e := range src.S {
							if set && listContains(l.S, e) {
								continue
							}
							l.S = append(l.S, e)
						}
					}
				}
			}
			if tree {
				if err := r.sortList(l.S, nil); err != nil {
					return nil, err
				}
			}
			return l, nil
		}
	}
	isList := func(v any) bool { l, ok := v.(*List); return ok && !l.Array && !l.set }
	isSet := func(v any) bool { l, ok := v.(*List); return ok && l.set }
	for _, n := range []string{"java.util.ArrayList", "java.util.LinkedList", "java.util.Vector", "java.util.ArrayDeque",
		"java.util.concurrent.CopyOnWriteArrayList", "java.util.concurrent.ConcurrentLinkedQueue",
		"java.util.concurrent.LinkedBlockingQueue", "java.util.Stack", "java.util.PriorityQueue"} {
		register(&class{name: n, ctor: newListCtor(false, false, 0), is: isList})
	}
	register(&class{name: "java.util.HashSet", ctor: newListCtor(true, false, hashMapKind), is: isSet})
	register(&class{name: "java.util.LinkedHashSet", ctor: newListCtor(true, false, 0), is: isSet})
	register(&class{name: "java.util.TreeSet", ctor: newListCtor(true, true, 0), is: isSet})
	newMapCtor := func(tree bool, hashed hashKind) staticFn {
		return func(r *runner, args []any) (any, error) {
			m := &Map{tree: tree}
			if hashed != 0 {
				m.h = newHashTable(hashed, -1)
			}
			if len(args) >= 1 {
				switch src := args[0].(type) {
				case *Map:
					if hashed != 0 {
						m.h = copyTable(hashed, len(src.keys))
					}
					for i, k := range src.keys {
						m.Put(k, src.vals[i])
					}
				case int32:
					if hashed != 0 {
						m.h = newHashTable(hashed, int(src))
					}
				}
			}
			return m, nil
		}
	}
	isMap := func(v any) bool { return isAny[*Map](v) }
	for _, n := range []string{"java.util.LinkedHashMap", "java.util.Hashtable",
		"java.util.IdentityHashMap", "java.util.WeakHashMap"} {
		register(&class{name: n, ctor: newMapCtor(false, 0), is: isMap})
	}
	register(&class{name: "java.util.HashMap", ctor: newMapCtor(false, hashMapKind), is: isMap})
	register(&class{name: "java.util.concurrent.ConcurrentHashMap", ctor: newMapCtor(false, concHashKind), is: isMap})
	register(&class{name: "java.util.Properties", ctor: newMapCtor(false, propsKind), is: isMap})
	register(&class{name: "java.util.TreeMap", ctor: newMapCtor(true, 0), is: isMap})
	register(&class{name: "java.util.concurrent.ConcurrentSkipListMap", ctor: newMapCtor(true, 0), is: isMap})

	register(&class{name: "java.util.Arrays", statics: map[string]staticFn{
		"asList": func(r *runner, args []any) (any, error) {
			if len(args) == 1 {
				if l, ok := args[0].(*List); ok && l.Array {
					return &List{S: l.S}, nil
				}
			}
			return &List{S: append([]any(nil), args...)}, nil
		},
		"toString": func(r *runner, args []any) (any, error) {
			if len(args) != 1 {
				return nil, argN(args, 1, "Arrays.toString")
			}
			switch x := args[0].(type) {
			case nil:
				return "null", nil
			case []byte:
				parts := make([]string, len(x))
				for i, b := range x {
					parts[i] = itoa(int(int8(b)))
				}
				return "[" + strings.Join(parts, ", ") + "]", nil
			case *List:
				return formatValue(&List{S: x.S}, false), nil
			}
			return r.toStr(args[0]), nil
		},
		"sort": func(r *runner, args []any) (any, error) {
			if l, ok := args[0].(*List); ok {
				var cmp any
				if len(args) == 2 {
					cmp = args[1]
				}
				return nil, r.sortList(l.S, cmp)
			}
			if b, ok := args[0].([]byte); ok {
				sort.Slice(b, func(i, j int) bool { return int8(b[i]) < int8(b[j]) })
			}
			return nil, nil
		},
		"fill": func(r *runner, args []any) (any, error) {
			if l, ok := args[0].(*List); ok && len(args) == 2 {
				for i := range l.S {
					l.S[i] = args[1]
				}
			}
			return nil, nil
		},
		"copyOf": func(r *runner, args []any) (any, error) {
			k, _ := toInt(args[1])
			switch x := args[0].(type) {
			case []byte:
				out := make([]byte, k)
				copy(out, x)
				return out, nil
			case *List:
				out := &List{Array: true, Elem: x.Elem, S: make([]any, k)}
				copy(out.S, x.S)
				return out, nil
			}
			return nil, newExc("java.lang.IllegalArgumentException", "Arrays.copyOf needs an array")
		},
		"copyOfRange": func(r *runner, args []any) (any, error) {
			a, _ := toInt(args[1])
			b, _ := toInt(args[2])
			switch x := args[0].(type) {
			case []byte:
				if a < 0 || a > len(x) || b < a {
					return nil, newExc("java.lang.ArrayIndexOutOfBoundsException", "copyOfRange")
				}
				out := make([]byte, b-a)
				copy(out, x[a:min(b, len(x))])
				return out, nil
			case *List:
				if a < 0 || a > len(x.S) || b < a {
					return nil, newExc("java.lang.ArrayIndexOutOfBoundsException", "copyOfRange")
				}
				out := &List{Array: true, Elem: x.Elem, S: make([]any, b-a)}
				copy(out.S, x.S[a:min(b, len(x.S))])
				return out, nil
			}
			return nil, newExc("java.lang.IllegalArgumentException", "Arrays.copyOfRange needs an array")
		},
		"equals": func(r *runner, args []any) (any, error) { return valuesEqual(args[0], args[1]), nil },
		"stream": func(r *runner, args []any) (any, error) { return r.toList(args[0]) },
	}})
	register(&class{name: "java.util.Collections", statics: map[string]staticFn{
		"sort": func(r *runner, args []any) (any, error) {
			l, ok := args[0].(*List)
			if !ok {
				return nil, newExc("java.lang.IllegalArgumentException", "Collections.sort needs a list")
			}
			var cmp any
			if len(args) == 2 {
				cmp = args[1]
			}
			return nil, r.sortList(l.S, cmp)
		},
		"shuffle": func(r *runner, args []any) (any, error) {
			if l, ok := args[0].(*List); ok {
				if len(args) == 2 {
					if rnd, ok := args[1].(*javaRandom); ok {
						for i := len(l.S) - 1; i > 0; i-- {
							j := int(rnd.nextInt(int32(i + 1)))
							l.S[i], l.S[j] = l.S[j], l.S[i]
						}
						return nil, nil
					}
				}
				rand.Shuffle(len(l.S), func(i, j int) { l.S[i], l.S[j] = l.S[j], l.S[i] })
			}
			return nil, nil
		},
		"reverse": func(r *runner, args []any) (any, error) {
			if l, ok := args[0].(*List); ok {
				for i, j := 0, len(l.S)-1; i < j; i, j = i+1, j-1 {
					l.S[i], l.S[j] = l.S[j], l.S[i]
				}
			}
			return nil, nil
		},
		"max": func(r *runner, args []any) (any, error) {
			l, err := r.toList(args[0])
			if err != nil || len(l.S) == 0 {
				return nil, newExc("java.util.NoSuchElementException", "")
			}
			v, _, err := r.gdkList(l, "max", args[1:])
			return v, err
		},
		"min": func(r *runner, args []any) (any, error) {
			l, err := r.toList(args[0])
			if err != nil || len(l.S) == 0 {
				return nil, newExc("java.util.NoSuchElementException", "")
			}
			v, _, err := r.gdkList(l, "min", args[1:])
			return v, err
		},
		"emptyList":              func(r *runner, args []any) (any, error) { return &List{}, nil },
		"emptyMap":               func(r *runner, args []any) (any, error) { return newMap(), nil },
		"emptySet":               func(r *runner, args []any) (any, error) { return &List{set: true}, nil },
		"singletonList":          func(r *runner, args []any) (any, error) { return &List{S: []any{args[0]}}, nil },
		"singleton":              func(r *runner, args []any) (any, error) { return &List{S: []any{args[0]}, set: true}, nil },
		"unmodifiableList":       func(r *runner, args []any) (any, error) { return args[0], nil },
		"unmodifiableMap":        func(r *runner, args []any) (any, error) { return args[0], nil },
		"unmodifiableSet":        func(r *runner, args []any) (any, error) { return args[0], nil },
		"synchronizedList":       func(r *runner, args []any) (any, error) { return args[0], nil },
		"synchronizedMap":        func(r *runner, args []any) (any, error) { return args[0], nil },
		"unmodifiableCollection": func(r *runner, args []any) (any, error) { return args[0], nil },
		"frequency": func(r *runner, args []any) (any, error) {
			l, err := r.toList(args[0])
			if err != nil {
				return nil, err
			}
			c := 0
			for _, e := range l.S {
				if valuesEqual(e, args[1]) {
					c++
				}
			}
			return int32(c), nil
		},
		"nCopies": func(r *runner, args []any) (any, error) {
			k, _ := toInt(args[0])
			if k < 0 || k > 1<<24 {
				return nil, newExc("java.lang.IllegalArgumentException", "List length = "+itoa(k))
			}
			out := &List{S: make([]any, k)}
			for i := range out.S {
				out.S[i] = args[1]
			}
			return out, nil
		},
	}})
	register(&class{name: "java.util.List", is: isList, statics: map[string]staticFn{
		"of": func(r *runner, args []any) (any, error) { return &List{S: append([]any(nil), args...)}, nil }}})
	registry["java.util.List"].statics["copyOf"] = func(r *runner, args []any) (any, error) {
		l, err := r.toList(args[0])
		if err != nil {
			return nil, err
		}
		return &List{S: append([]any(nil), l.S...)}, nil
	}
	register(&class{name: "java.util.Set", is: isSet, statics: map[string]staticFn{
		"of": func(r *runner, args []any) (any, error) { return &List{S: append([]any(nil), args...), set: true}, nil }}})
	register(&class{name: "java.util.Map", is: isMap, statics: map[string]staticFn{
		"of": func(r *runner, args []any) (any, error) {
			m := newMap()
			for i := 0; i+1 < len(args); i += 2 {
				m.Put(args[i], args[i+1])
			}
			return m, nil
		},
		"entry": func(r *runner, args []any) (any, error) { return &Entry{Key: args[0], Value: args[1]}, nil },
	}})
}
