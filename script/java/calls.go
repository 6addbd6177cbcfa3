package java

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// jobject is a library object (StringBuilder, Random, Date, ...). invoke
// reports ok=false for a method it does not have.
type jobject interface {
	javaClass() string
	invoke(r *runner, name string, args []any) (v any, ok bool, err error)
}

func missingMethod(obj any, name string, args []any) error {
	types := make([]string, len(args))
	for i, a := range args {
		types[i] = javaClassName(a)
	}
	return newExc("groovy.lang.MissingMethodException", "No signature of method: "+javaClassName(obj)+"."+name+"() is applicable for argument types: ("+strings.Join(types, ", ")+")")
}

// builtins callable without a receiver.
var builtinFuncs = map[string]bool{"println": true, "print": true, "printf": true, "sleep": true,
	"sprintf": true, "format": true}

func (r *runner) evalCall(c *callExpr, f *frame) (any, error) {
	if c.recv == nil {
		args, err := r.evalArgs(c.args, f)
		if err != nil {
			return nil, err
		}
		return r.callName(c.name, args, f)
	}
	switch x := c.recv.(type) {
	case *superCall:
		if c.name == "<super>" {
			v, err := r.evalSuper(x, f)
			if err != nil || len(c.args) == 0 {
				return v, err
			}
			args, err := r.evalArgs(c.args, f) // a trailing closure
			if err != nil {
				return nil, err
			}
			return r.invoke(v, "call", args)
		}
	case *userClassExpr:
		args, err := r.evalArgs(c.args, f)
		if err != nil {
			return nil, err
		}
		return r.staticCallUser(x.name, c.name, args, c.pos)
	}
	if l, ok := c.recv.(*localExpr); ok && c.name == "call" {
		fn := r.frameAt(f, l.depth).slots[l.slot]
		args, err := r.evalArgs(c.args, f)
		if err != nil {
			return nil, err
		}
		if fn == nil {
			return nil, newExc("java.lang.NullPointerException", "Cannot invoke method call() on null object")
		}
		return r.invoke(fn, "call", args)
	}
	obj, err := r.eval(c.recv, f)
	if err != nil {
		r.bshMark(err)
		return nil, err
	}
	args, err := r.evalArgs(c.args, f)
	if err != nil {
		return nil, err
	}
	if obj == nil {
		if c.safe {
			return nil, nil
		}
		if r.groovy {
			return nil, newExc("java.lang.NullPointerException", "Cannot invoke method "+c.name+"() on null object")
		}
		return nil, r.bshNullRecv(c)
	}
	if _, void := obj.(bshVoid); void && !r.groovy && nameChain(c.recv) {
		v, err := r.invoke(obj, c.name, args)
		if isThrown(err) {
			r.bsh = &bshTrace{exc: err, node: bnCall, pos: c.pos, void: true}
		}
		return v, err
	}
	if c.spread {
		out := &List{}
		err := r.iterate(obj, func(e any) (bool, error) {
			v, err := r.invoke(e, c.name, args)
			out.S = append(out.S, v)
			return true, err
		})
		return out, err
	}
	v, err := r.invoke(obj, c.name, args)
	if err != nil && !r.groovy {
		r.bshMissing(err, c, obj, args)
	}
	return v, err
}

// callName calls a script method, a closure held in a variable or a
// builtin function.
func (r *runner) callName(name string, args []any, f *frame) (any, error) {
	if r.prog.delegates && !builtinFuncs[name] {
		// a builder's closure: calls go to its delegate first
		for fr := f; fr != nil; fr = fr.up {
			if fr.delegate != nil {
				return fr.delegate.delegateCall(r, name, args)
			}
		}
	}
	// a method of the object's class (dynamic dispatch), or of the class
	// a static method belongs to
	if this := r.thisOf(f); this != nil {
		if def := findMethod(this.decl, name, len(args)); def != nil {
			if def.static {
				this = nil
			}
			return r.callFunc(def, this, args)
		}
	} else if owner := ownerOf(f); owner != nil {
		if def := findMethod(owner, name, len(args)); def != nil {
			return r.callFunc(def, nil, args)
		}
	}
	if ms := r.prog.methods[name]; len(ms) > 0 {
		def := pickOverload(ms, len(args))
		if def == nil {
			return nil, missingMethod(scriptObj{}, name, args)
		}
		return r.callFunc(def, nil, args)
	}
	if v, ok := r.globals[name]; ok {
		if c, ok := v.(*Closure); ok {
			return r.callClosure(c, args)
		}
	}
	switch name {
	case "println":
		w := r.stdout()
		if len(args) == 0 {
			fmt.Fprintln(w)
			return nil, nil
		}
		fmt.Fprintln(w, r.display(args[0]))
		return nil, nil
	case "print":
		if out, ok := r.globals["__bsh_out"].(jobject); ok && !r.groovy {
			var a any = ""
			if len(args) > 0 {
				a = args[0]
			}
			_, _, err := out.invoke(r, "println", []any{a})
			return nil, err
		}
		w := r.stdout()
		if len(args) > 0 {
			if r.groovy {
				fmt.Fprint(w, r.display(args[0]))
			} else {
				fmt.Fprintln(w, r.display(args[0])) // BeanShell's print ends the line
			}
		}
		return nil, nil
	case "printf":
		if len(args) == 0 {
			return nil, missingMethod(scriptObj{}, name, args)
		}
		s, err := javaFormat(r, r.toStr(args[0]), args[1:])
		if err != nil {
			return nil, err
		}
		fmt.Fprint(r.stdout(), s)
		return nil, nil
	case "sprintf", "format":
		if len(args) == 0 {
			return nil, missingMethod(scriptObj{}, name, args)
		}
		return javaFormat(r, r.toStr(args[0]), args[1:])
	case "sleep":
		if len(args) == 1 {
			return nil, r.sleep(args[0])
		}
	}
	return nil, missingMethod(scriptObj{}, name, args)
}

type scriptObj struct{}

func (scriptObj) javaClass() string { return "Script1" }
func (scriptObj) invoke(*runner, string, []any) (any, bool, error) {
	return nil, false, nil
}

// invoke calls method name on obj. A library method called with too few
// arguments (an index out of range in its Go code) has no such signature:
// it becomes a MissingMethodException, as the JVM would report.
func (r *runner) invoke(obj any, name string, args []any) (v any, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			if _, isRuntime := rec.(interface{ RuntimeError() }); !isRuntime {
				panic(rec)
			}
			v, err = nil, missingMethod(obj, name, args)
		}
	}()
	return r.invoke1(obj, name, args)
}

func (r *runner) invoke1(obj any, name string, args []any) (any, error) {
	var (
		v   any
		ok  bool
		err error
	)
	switch x := obj.(type) {
	case string:
		v, ok, err = r.stringMethod(x, name, args)
	case *Decimal:
		v, ok, err = r.decimalMethod(x, name, args)
	case int32, int64, float64, float32, int16, int8, int, *big.Int:
		v, ok, err = r.numberMethod(obj, name, args)
	case Char:
		v, ok, err = r.charMethod(x, name, args)
	case bool:
		switch name {
		case "booleanValue":
			return x, nil
		case "compareTo":
			if len(args) == 1 {
				c, _ := compareValues(x, args[0])
				return int32(c), nil
			}
		}
	case *List:
		v, ok, err = r.listMethod(x, name, args)
	case *Map:
		v, ok, err = r.mapMethod(x, name, args)
	case *rangeVal:
		v, ok, err = r.listMethod(x.list(), name, args)
	case *Entry:
		switch name {
		case "getKey":
			return x.Key, nil
		case "getValue":
			return x.Value, nil
		case "setValue":
			if len(args) == 1 {
				old := x.Value
				x.Value = args[0]
				if x.m != nil {
					x.m.Put(x.Key, args[0])
				}
				return old, nil
			}
		}
	case *Closure:
		switch name {
		case "call", "doCall", "apply", "accept", "test", "get", "run", "compare", "applyAsInt", "applyAsLong", "applyAsDouble":
			v, err := r.callClosure(x, args)
			if name == "test" {
				return truth(v), err
			}
			return v, err
		case "curry":
			base := x
			pre := append([]any(nil), args...)
			return &Closure{fn: &funcDef{name: "curried", closure: true, varargs: true, params: []param{{name: "args"}}, nslots: 1,
				exprBody: &curryCall{c: base, pre: pre}}, up: nil}, nil
		case "getMaximumNumberOfParameters":
			return int32(len(x.fn.params)), nil
		}
	case []byte:
		v, ok, err = r.bytesMethod(x, name, args)
	case time.Duration:
		v, ok, err = r.durationMethod(x, name, args)
	case *Exception:
		v, ok, err = r.exceptionMethod(x, name, args)
	case *instance:
		if hasMethod(x.decl, name) {
			def := findMethod(x.decl, name, len(args))
			if def == nil {
				return nil, missingMethod(obj, name, args)
			}
			return r.callFunc(def, x, args)
		}
		if strings.HasPrefix(name, "get") && len(name) > 3 && len(args) == 0 && name[3] < 0x80 {
			fn := strings.ToLower(name[3:4]) + name[4:]
			if fv, has := x.fields[fn]; has {
				return fv, nil
			}
		}
		if strings.HasPrefix(name, "set") && len(name) > 3 && len(args) == 1 && name[3] < 0x80 {
			fn := strings.ToLower(name[3:4]) + name[4:]
			if _, has := x.fields[fn]; has {
				x.fields[fn] = args[0]
				return nil, nil
			}
		}
	case *classDecl:
		if def := findMethod(x, name, len(args)); def != nil {
			return r.callFunc(def, nil, args)
		}
		switch name {
		case "getName", "getSimpleName", "getCanonicalName":
			return x.name, nil
		}
	case *class:
		if fn, has := x.statics[name]; has {
			return fn(r, args)
		}
		switch name {
		case "getName", "getCanonicalName", "getTypeName":
			return x.name, nil
		case "getSimpleName":
			return x.simple, nil
		case "isInstance":
			if len(args) == 1 {
				return instanceOf(args[0], typeRef{name: x.name, cls: x, kind: boxedKinds[x.name]}), nil
			}
		case "newInstance":
			if x.ctor != nil {
				return x.ctor(r, args)
			}
		}
	case jobject:
		v, ok, err = x.invoke(r, name, args)
	default:
		if obj != nil {
			v, ok, err = r.goCall(obj, name, args)
		}
	}
	if ok || err != nil {
		return v, err
	}
	return r.objectMethod(obj, name, args)
}

// composeCall is the body of a composed closure (f >> g).
type composeCall struct {
	base
	first, second *Closure
}

// curryCall is the body of a curried closure.
type curryCall struct {
	base
	c   *Closure
	pre []any
}

// objectMethod gives the java.lang.Object and Groovy GDK methods every
// value has.
func (r *runner) objectMethod(obj any, name string, args []any) (any, error) {
	switch name {
	case "toString":
		if len(args) == 0 {
			return r.display(obj), nil
		}
	case "equals":
		if len(args) == 1 {
			if !r.groovy {
				// Java equals is type-strict: Integer(1).equals(Long(1)) is false
				if javaClassName(obj) != javaClassName(args[0]) && (isNumber(obj) || isNumber(args[0])) {
					return false, nil
				}
			} else if isNumber(obj) && isNumber(args[0]) && javaClassName(obj) != javaClassName(args[0]) {
				return false, nil
			}
			return valuesEqual(obj, args[0]), nil
		}
	case "hashCode":
		if len(args) == 0 {
			return javaHashCode(obj), nil
		}
	case "getClass":
		if len(args) == 0 {
			if c := classByName(javaClassName(obj)); c != nil {
				return c, nil
			}
			return &class{name: javaClassName(obj), simple: simpleName(javaClassName(obj))}, nil
		}
	case "with", "tap":
		if len(args) == 1 && r.groovy {
			v, err := r.call(args[0], obj)
			if name == "tap" {
				return obj, err
			}
			return v, err
		}
	case "is":
		if len(args) == 1 {
			return identical(obj, args[0]), nil
		}
	case "asBoolean":
		return truth(obj), nil
	case "inspect":
		return r.inspect(obj), nil
	case "compareTo":
		if len(args) == 1 {
			c, ok := compareValues(obj, args[0])
			if ok {
				return int32(c), nil
			}
		}
	case "asType":
		if len(args) == 1 {
			if c, ok := args[0].(*class); ok {
				return r.cast(typeRef{name: c.name, cls: c, kind: boxedKinds[c.name]}, obj, true)
			}
		}
	case "iterator":
		if it, err := r.makeIterator(obj); err == nil {
			return it, nil
		}
	case "each", "eachWithIndex", "collect", "find", "findAll", "any", "every", "inject", "findResult",
		"join", "sum", "max", "min", "sort", "toList", "count", "findIndexOf", "collectEntries", "grep", "size":
		if l, err := r.toList(obj); err == nil && r.groovy {
			v, ok, err := r.listMethod(l, name, args)
			if ok || err != nil {
				return v, err
			}
		}
	case "println":
		if r.groovy {
			return r.callName("println", args, &frame{})
		}
	}
	return nil, missingMethod(obj, name, args)
}

func simpleName(n string) string { return n[strings.LastIndexByte(n, '.')+1:] }

// inspect is Groovy's inspect(): strings quoted.
func (r *runner) inspect(v any) string {
	switch x := v.(type) {
	case string:
		return "'" + strings.ReplaceAll(x, "'", "\\'") + "'"
	case *List:
		parts := make([]string, len(x.S))
		for i, e := range x.S {
			parts[i] = r.inspect(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *Map:
		if len(x.keys) == 0 {
			return "[:]"
		}
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			parts[i] = r.inspect(k) + ":" + r.inspect(x.vals[i])
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return r.toStr(v)
}

func (r *runner) exceptionMethod(e *Exception, name string, args []any) (any, bool, error) {
	switch name {
	case "getMessage", "getLocalizedMessage":
		if !e.hasMsg && e.Message == "" {
			return nil, true, nil
		}
		return e.Message, true, nil
	case "toString":
		return e.String(), true, nil
	case "getCause":
		if c, ok := e.Cause.(*Exception); ok {
			return c, true, nil
		}
		return nil, true, nil
	case "printStackTrace":
		fmt.Fprintln(r.stdout(), e.String())
		return nil, true, nil
	case "getStackTrace":
		return &List{Array: true}, true, nil
	case "initCause":
		if len(args) == 1 {
			if c, ok := args[0].(*Exception); ok {
				e.Cause = c
			}
			return e, true, nil
		}
	}
	return nil, false, nil
}

// getProp reads obj.name: map keys, fields of script objects, Java bean
// getters (getName/isName) and Go bindings.
func (r *runner) getProp(obj any, p *propExpr) (any, error) {
	name := p.name
	switch x := obj.(type) {
	case *Map:
		if r.groovy || true {
			v, _ := x.Get(name)
			return v, nil
		}
	case *instance:
		if v, ok := x.fields[name]; ok {
			return v, nil
		}
	case *List:
		switch name {
		case "length":
			if x.Array {
				return int32(len(x.S)), nil
			}
		case "empty":
			return len(x.S) == 0, nil
		case "class":
			return r.objectMethod(x, "getClass", nil)
		}
		if r.groovy {
			out := &List{}
			for _, e := range x.S {
				if e == nil {
					out.S = append(out.S, nil)
					continue
				}
				v, err := r.getProp(e, p)
				if err != nil {
					return nil, err
				}
				out.S = append(out.S, v)
			}
			return out, nil
		}
	case []byte:
		if name == "length" {
			return int32(len(x)), nil
		}
	case *classDecl:
		if name == "name" || name == "simpleName" {
			return x.name, nil
		}
		return r.staticField(x, name)
	case *class:
		if v, ok := x.fields[name]; ok {
			return v, nil
		}
		switch name {
		case "name":
			return x.name, nil
		case "simpleName":
			return x.simple, nil
		}
	}
	if name == "class" {
		return r.objectMethod(obj, "getClass", nil)
	}
	if g, ok := obj.(jobject); ok {
		if v, ok, err := g.invoke(r, p.getter, nil); ok || err != nil {
			return v, err
		}
		if v, ok, err := g.invoke(r, p.iser, nil); ok || err != nil {
			return v, err
		}
		return nil, missingProperty(obj, name)
	}
	switch obj.(type) {
	case string, int32, int64, float64, bool, Char, *Exception, *List, *Map, *Closure, *instance, *class, []byte, *rangeVal, *Entry:
		v, err := r.invoke(obj, p.getter, nil)
		if err == nil {
			return v, nil
		}
		if e, ok := err.(*Exception); ok && e.Class == "groovy.lang.MissingMethodException" {
			if v, err := r.invoke(obj, p.iser, nil); err == nil {
				return v, nil
			}
			return nil, missingProperty(obj, name)
		}
		return nil, err
	}
	return r.goGetProp(obj, p)
}

func missingProperty(obj any, name string) error {
	return newExc("groovy.lang.MissingPropertyException", "No such property: "+name+" for class: "+javaClassName(obj))
}

func (r *runner) setProp(obj any, p *propExpr, v any) error {
	name := p.name
	switch x := obj.(type) {
	case *classDecl:
		return r.setStaticField(x, name, v)
	case *Map:
		x.Put(name, v)
		return nil
	case *instance:
		if _, ok := x.fields[name]; ok || r.groovy {
			x.fields[name] = v
			return nil
		}
	}
	setter := "set" + p.getter[3:]
	if _, err := r.invoke(obj, setter, []any{v}); err != nil {
		if e, ok := err.(*Exception); ok && e.Class == "groovy.lang.MissingMethodException" {
			if err := r.goSetField(obj, name, v); err == nil {
				return nil
			}
			return newExc("groovy.lang.MissingPropertyException", "No such property: "+name+" for class: "+javaClassName(obj))
		}
		return err
	}
	return nil
}

func (r *runner) listIndex(n int, size int, array bool) (int, error) {
	if n < 0 && r.groovy {
		n += size
	}
	if n < 0 || n >= size {
		if array {
			return 0, newExc("java.lang.ArrayIndexOutOfBoundsException", "Index "+strconv.Itoa(n)+" out of bounds for length "+strconv.Itoa(size))
		}
		return 0, newExc("java.lang.IndexOutOfBoundsException", "Index "+strconv.Itoa(n)+" out of bounds for length "+strconv.Itoa(size))
	}
	return n, nil
}

func (r *runner) getIndex(obj any, idx any) (any, error) {
	switch x := obj.(type) {
	case *List:
		if rg, ok := idx.(*rangeVal); ok {
			return r.subList(x.S, rg)
		}
		if l, ok := idx.(*List); ok && r.groovy {
			out := &List{}
			for _, i := range l.S {
				v, err := r.getIndex(x, i)
				if err != nil {
					return nil, err
				}
				out.S = append(out.S, v)
			}
			return out, nil
		}
		n, ok := toInt(idx)
		if !ok {
			return nil, newExc("java.lang.IllegalArgumentException", "list index must be a number")
		}
		if r.groovy && !x.Array && (n >= len(x.S) || n < -len(x.S)) {
			return nil, nil
		}
		i, err := r.listIndex(n, len(x.S), x.Array || !r.groovy)
		if err != nil {
			return nil, err
		}
		return x.S[i], nil
	case *Map:
		v, _ := x.Get(idx)
		return v, nil
	case string:
		if rg, ok := idx.(*rangeVal); ok {
			u := utf16.Encode([]rune(x))
			from, to, rev, err := rg.bounds(len(u))
			if err != nil {
				return nil, err
			}
			s := u[from:to]
			if rev {
				s = reverse16(s)
			}
			return string(utf16.Decode(s)), nil
		}
		n, ok := toInt(idx)
		if !ok {
			return nil, newExc("java.lang.IllegalArgumentException", "string index must be a number")
		}
		u := utf16.Encode([]rune(x))
		i, err := r.listIndex(n, len(u), false)
		if err != nil {
			return nil, newExc("java.lang.StringIndexOutOfBoundsException", err.(*Exception).Message)
		}
		return string(utf16.Decode(u[i : i+1])), nil
	case []byte:
		n, _ := toInt(idx)
		i, err := r.listIndex(n, len(x), true)
		if err != nil {
			return nil, err
		}
		return int8(x[i]), nil
	case *rangeVal:
		return r.getIndex(x.list(), idx)
	case *matcher:
		n, _ := toInt(idx)
		return x.groupList(r, n)
	case nil:
		return nil, newExc("java.lang.NullPointerException", "Cannot get index on null object")
	}
	if k, ok := idx.(string); ok {
		return r.invoke(obj, "get", []any{k})
	}
	return r.invoke(obj, "getAt", []any{idx})
}

func reverse16(s []uint16) []uint16 {
	out := make([]uint16, len(s))
	for i, c := range s {
		out[len(s)-1-i] = c
	}
	return out
}

func (r *runner) setIndex(obj any, idx, v any) error {
	switch x := obj.(type) {
	case *List:
		n, ok := toInt(idx)
		if !ok {
			return newExc("java.lang.IllegalArgumentException", "list index must be a number")
		}
		if r.groovy && !x.Array && n >= len(x.S) {
			if n > 1<<24 {
				return newExc("java.lang.OutOfMemoryError", "list too large")
			}
			for len(x.S) <= n {
				x.S = append(x.S, nil)
			}
		}
		i, err := r.listIndex(n, len(x.S), x.Array || !r.groovy)
		if err != nil {
			return err
		}
		if x.Array && x.Elem != tkAny && x.Elem != tkObject {
			if v, err = r.coerce(x.Elem, v); err != nil {
				return err
			}
		}
		x.S[i] = v
		return nil
	case *Map:
		x.Put(idx, v)
		return nil
	case []byte:
		n, _ := toInt(idx)
		i, err := r.listIndex(n, len(x), true)
		if err != nil {
			return err
		}
		b, _ := toInt64(v)
		x[i] = byte(b)
		return nil
	case nil:
		return newExc("java.lang.NullPointerException", "Cannot set index on null object")
	}
	if k, ok := idx.(string); ok {
		_, err := r.invoke(obj, "put", []any{k, v})
		return err
	}
	_, err := r.invoke(obj, "putAt", []any{idx, v})
	return err
}

// isCase is Groovy's switch/in test: caseValue.isCase(x).
func (r *runner) isCase(cv, x any) (bool, error) {
	switch c := cv.(type) {
	case *List:
		for _, e := range c.S {
			if valuesEqual(e, x) {
				return true, nil
			}
		}
		return false, nil
	case *Map:
		_, ok := c.Get(x)
		return ok, nil
	case *rangeVal:
		return c.contains(x), nil
	case *class:
		return instanceOf(x, typeRef{name: c.name, cls: c, kind: boxedKinds[c.name]}), nil
	case *Closure:
		v, err := r.callClosure(c, []any{x})
		return truth(v), err
	case *pattern:
		if x == nil {
			return false, nil
		}
		return matches(c.re, r.toStr(x))
	case string:
		if ch, ok := x.(Char); ok {
			return c == formatValue(ch, true), nil
		}
	}
	return r.eq(cv, x), nil
}

// iterate calls fn for each element of an iterable value until fn
// returns false.
func (r *runner) iterate(v any, fn func(any) (bool, error)) error {
	switch x := v.(type) {
	case *List:
		for i := 0; i < len(x.S); i++ {
			if more, err := fn(x.S[i]); err != nil || !more {
				return err
			}
		}
		return nil
	case *Map:
		for i := 0; i < len(x.keys); i++ {
			if more, err := fn(&Entry{Key: x.keys[i], Value: x.vals[i], m: x}); err != nil || !more {
				return err
			}
		}
		return nil
	case *rangeVal:
		return x.each(fn)
	case string:
		for _, u := range utf16.Encode([]rune(x)) {
			s := string(utf16.Decode([]uint16{u}))
			var e any = s
			if !r.groovy {
				e = Char(u)
			}
			if more, err := fn(e); err != nil || !more {
				return err
			}
		}
		return nil
	case []byte:
		for _, b := range x {
			if more, err := fn(int8(b)); err != nil || !more {
				return err
			}
		}
		return nil
	case *iterator:
		for x.hasNext() {
			if more, err := fn(x.next()); err != nil || !more {
				return err
			}
		}
		return nil
	case *matcher:
		for _, m := range x.all() {
			g, _ := x.groupsOf(r, m)
			if more, err := fn(g); err != nil || !more {
				return err
			}
		}
		return nil
	case nil:
		return nil
	}
	if l, ok := r.goIterable(v); ok {
		return r.iterate(l, fn)
	}
	if r.groovy {
		_, err := fn(v) // Groovy iterates a single object once
		return err
	}
	return newExc("java.lang.ClassCastException", javaClassName(v)+" is not iterable")
}

// toList materialises an iterable.
func (r *runner) toList(v any) (*List, error) {
	if l, ok := v.(*List); ok {
		return l, nil
	}
	out := &List{}
	err := r.iterate(v, func(e any) (bool, error) {
		out.S = append(out.S, e)
		if len(out.S) > 1<<24 {
			return false, newExc("java.lang.OutOfMemoryError", "collection too large")
		}
		return true, nil
	})
	return out, err
}

// ---- conversions

// coerce converts a value assigned to a typed variable.
func (r *runner) coerce(k typeKind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case tkAny, tkObject:
		return v, nil
	case tkString:
		if s, ok := v.(string); ok {
			return s, nil
		}
		if r.groovy {
			return r.display(v), nil
		}
		if c, ok := v.(Char); ok {
			return formatValue(c, false), nil
		}
		if _, ok := v.(*strBuilder); ok {
			return nil, newExc("java.lang.ClassCastException", "StringBuilder cannot be assigned to String")
		}
		return v, nil
	case tkBool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		if r.groovy {
			return truth(v), nil
		}
		return nil, castError(v, "boolean")
	}
	if s, ok := v.(string); ok {
		if k == tkChar && len([]rune(s)) == 1 && r.groovy {
			return Char([]rune(s)[0]), nil
		}
		return nil, castError(s, kindName(k))
	}
	if !isNumber(v) {
		if _, ok := v.(Char); !ok {
			return nil, castError(v, kindName(k))
		}
	}
	return castPrim(k, v)
}

func kindName(k typeKind) string {
	switch k {
	case tkInt:
		return "int"
	case tkLong:
		return "long"
	case tkDouble:
		return "double"
	case tkFloat:
		return "float"
	case tkShort:
		return "short"
	case tkByte:
		return "byte"
	case tkChar:
		return "char"
	case tkBool:
		return "boolean"
	case tkString:
		return "java.lang.String"
	case tkBigDecimal:
		return "java.math.BigDecimal"
	}
	return "java.lang.Object"
}

func castError(v any, to string) error {
	return newExc("org.codehaus.groovy.runtime.typehandling.GroovyCastException",
		"Cannot cast object '"+formatValue(v, true)+"' with class '"+javaClassName(v)+"' to class '"+to+"'")
}

// castPrim converts between numeric types as a Java cast does.
func castPrim(k typeKind, v any) (any, error) {
	switch k {
	case tkInt:
		switch x := v.(type) {
		case float64:
			return f2i(x), nil
		case float32:
			return f2i(float64(x)), nil
		}
		n, ok := toInt64(v)
		if !ok {
			return nil, castError(v, "int")
		}
		return int32(n), nil
	case tkLong:
		n, ok := toInt64(v)
		if !ok {
			return nil, castError(v, "long")
		}
		return n, nil
	case tkBigDecimal:
		d, ok := decimalOf(v)
		if !ok {
			return nil, castError(v, "java.math.BigDecimal")
		}
		return d, nil
	case tkDouble:
		f, ok := toFloat(v)
		if !ok {
			return nil, castError(v, "double")
		}
		return f, nil
	case tkFloat:
		f, ok := toFloat(v)
		if !ok {
			return nil, castError(v, "float")
		}
		return float32(f), nil
	case tkShort:
		n, ok := toInt64(v)
		if !ok {
			return nil, castError(v, "short")
		}
		return int16(n), nil
	case tkByte:
		n, ok := toInt64(v)
		if !ok {
			return nil, castError(v, "byte")
		}
		return int8(n), nil
	case tkChar:
		n, ok := toInt64(v)
		if !ok {
			return nil, castError(v, "char")
		}
		return Char(uint16(n)), nil
	}
	return v, nil
}

// cast is (Type) x, or x as Type when as is set (Groovy's richer coercion).
func (r *runner) cast(t typeRef, v any, as bool) (any, error) {
	if v == nil {
		if t.kind != tkAny && t.kind != tkObject && t.kind != tkString && t.cls == nil && t.dims == 0 && !as {
			return nil, newExc("java.lang.NullPointerException", "cannot cast null to "+kindName(t.kind))
		}
		return nil, nil
	}
	if t.dims > 0 {
		l, err := r.toList(v)
		if err != nil {
			return nil, err
		}
		out := &List{Array: true, Elem: t.kind, S: make([]any, len(l.S))}
		for i, e := range l.S {
			if t.dims == 1 {
				if e, err = r.coerce(t.kind, e); err != nil {
					return nil, err
				}
			}
			out.S[i] = e
		}
		return out, nil
	}
	switch t.kind {
	case tkString:
		if as || r.groovy {
			return r.display(v), nil
		}
		if s, ok := v.(string); ok {
			return s, nil
		}
		return nil, newExc("java.lang.ClassCastException", "class "+javaClassName(v)+" cannot be cast to class java.lang.String")
	case tkBool:
		if as {
			if s, ok := v.(string); ok {
				return strings.EqualFold(strings.TrimSpace(s), "true"), nil
			}
		}
		return r.coerce(tkBool, v)
	case tkInt, tkLong, tkDouble, tkFloat, tkShort, tkByte, tkBigDecimal:
		if s, ok := v.(string); ok && as {
			return parseNumberAs(t.kind, s)
		}
		if s, ok := v.(string); ok && k1(s) && t.kind != tkChar {
			return nil, castError(s, kindName(t.kind))
		}
		if c, ok := v.(Char); ok {
			return castPrim(t.kind, int32(c))
		}
		return castPrim(t.kind, v)
	case tkChar:
		if s, ok := v.(string); ok {
			if rs := []rune(s); len(rs) == 1 {
				return Char(rs[0]), nil
			}
			return nil, castError(s, "char")
		}
		return castPrim(tkChar, v)
	}
	if t.cls != nil {
		switch t.cls.name {
		case "java.util.List", "java.util.ArrayList", "java.util.Collection", "java.util.LinkedList":
			if l, ok := v.(*List); ok && !l.Array && !l.set {
				return l, nil
			}
			if as || r.groovy {
				l, err := r.toList(v)
				if err != nil {
					return nil, err
				}
				return &List{S: append([]any(nil), l.S...)}, nil
			}
		case "java.util.Set", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet":
			l, err := r.toList(v)
			if err != nil {
				return nil, err
			}
			if t.cls.name == "java.util.HashSet" {
				return newHashSet(l.S), nil
			}
			out := &List{set: true}
			for _, e := range l.S {
				if !listContains(out.S, e) {
					out.S = append(out.S, e)
				}
			}
			if t.cls.name == "java.util.TreeSet" {
				r.sortList(out.S, nil)
			}
			return out, nil
		case "java.math.BigInteger":
			if s, ok := v.(string); ok {
				b, ok := new(big.Int).SetString(strings.TrimSpace(s), 10)
				if !ok {
					return nil, newExc("java.lang.NumberFormatException", "For input string: \""+s+"\"")
				}
				return b, nil
			}
			n, _ := toInt64(v)
			return big.NewInt(n), nil
		case "java.lang.Object", "java.lang.Number", "java.lang.Comparable", "java.lang.CharSequence":
			return v, nil
		}
		if !instanceOf(v, t) && !as && !r.groovy {
			return nil, newExc("java.lang.ClassCastException", "class "+javaClassName(v)+" cannot be cast to class "+t.cls.name)
		}
	}
	return v, nil
}

func k1(string) bool { return true }

func parseNumberAs(k typeKind, s string) (any, error) {
	t := strings.TrimSpace(s)
	switch k {
	case tkInt, tkShort, tkByte:
		n, err := strconv.ParseInt(t, 10, 32)
		if err != nil {
			return nil, numberFormat(s)
		}
		return castPrim(k, int32(n))
	case tkLong:
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return nil, numberFormat(s)
		}
		return n, nil
	case tkBigDecimal:
		d, ok := parseDecimal(t)
		if !ok {
			return nil, numberFormat(s)
		}
		return d, nil
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || strings.ContainsAny(t, "xXpP_") {
		return nil, numberFormat(s)
	}
	if k == tkFloat {
		return float32(f), nil
	}
	return f, nil
}

func numberFormat(s string) error {
	return newExc("java.lang.NumberFormatException", "For input string: \""+s+"\"")
}

// ---- ranges

type rangeVal struct {
	from, to int64
	excl     bool
	char     bool
}

func makeRange(a, b any, excl bool) (any, error) {
	if sa, ok := a.(string); ok {
		if sb, ok := b.(string); ok && len(sa) == 1 && len(sb) == 1 {
			return &rangeVal{from: int64(sa[0]), to: int64(sb[0]), excl: excl, char: true}, nil
		}
	}
	x, ok1 := toInt64(a)
	y, ok2 := toInt64(b)
	if !ok1 || !ok2 || !isIntegral(a) || !isIntegral(b) {
		return nil, newExc("java.lang.IllegalArgumentException", "only integer ranges are supported")
	}
	return &rangeVal{from: x, to: y, excl: excl}, nil
}

func (g *rangeVal) elem(n int64) any {
	if g.char {
		return string(rune(n))
	}
	if n >= math.MinInt32 && n <= math.MaxInt32 {
		return int32(n)
	}
	return n
}

func (g *rangeVal) each(fn func(any) (bool, error)) error {
	step := int64(1)
	end := g.to
	if g.to < g.from {
		step = -1
	}
	if g.excl {
		if g.from == g.to {
			return nil
		}
		end -= step
	}
	for i := g.from; ; i += step {
		if more, err := fn(g.elem(i)); err != nil || !more {
			return err
		}
		if i == end {
			return nil
		}
	}
}

func (g *rangeVal) size() int64 {
	n := g.to - g.from
	if n < 0 {
		n = -n
	}
	if g.excl {
		return n
	}
	return n + 1
}

func (g *rangeVal) list() *List {
	n := g.size()
	if n > 1<<24 {
		n = 1 << 24
	}
	out := &List{S: make([]any, 0, n)}
	_ = g.each(func(v any) (bool, error) {
		out.S = append(out.S, v)
		return len(out.S) < 1<<24, nil
	})
	return out
}

func (g *rangeVal) contains(x any) bool {
	n, ok := toInt64(x)
	if s, isStr := x.(string); isStr && g.char && len(s) == 1 {
		n, ok = int64(s[0]), true
	}
	if !ok {
		return false
	}
	lo, hi := g.from, g.to
	if lo > hi {
		lo, hi = hi, lo
	}
	if g.excl {
		if g.to >= g.from {
			hi--
		} else {
			lo++
		}
	}
	return n >= lo && n <= hi
}

// bounds maps a range index onto a sequence of length n (negative indices
// count from the end).
func (g *rangeVal) bounds(n int) (from, to int, rev bool, err error) {
	a, b := int(g.from), int(g.to)
	if a < 0 {
		a += n
	}
	if b < 0 {
		b += n
	}
	if a > b {
		a, b = b, a
		rev = true
	}
	if g.excl {
		if rev {
			a++
		} else {
			b--
		}
	}
	if a < 0 || b >= n || a > b+1 {
		return 0, 0, false, newExc("java.lang.IndexOutOfBoundsException", fmt.Sprintf("Index: %d, Size: %d", b, n))
	}
	return a, b + 1, rev, nil
}

func (r *runner) subList(s []any, g *rangeVal) (any, error) {
	from, to, rev, err := g.bounds(len(s))
	if err != nil {
		return nil, err
	}
	out := &List{S: append([]any(nil), s[from:to]...)}
	if rev {
		for i, j := 0, len(out.S)-1; i < j; i, j = i+1, j-1 {
			out.S[i], out.S[j] = out.S[j], out.S[i]
		}
	}
	return out, nil
}

func (g *rangeVal) javaClass() string { return "groovy.lang.IntRange" }
func (g *rangeVal) String() string {
	if g.excl {
		return fmt.Sprintf("%d..<%d", g.from, g.to)
	}
	return fmt.Sprintf("%d..%d", g.from, g.to)
}

// ---- iterators

type iterator struct {
	s    []any
	i    int
	list *List
}

func (it *iterator) hasNext() bool { return it.i < len(it.s) }
func (it *iterator) next() any {
	v := it.s[it.i]
	it.i++
	return v
}
func (it *iterator) javaClass() string { return "java.util.Iterator" }
func (it *iterator) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "hasNext":
		return it.hasNext(), true, nil
	case "next":
		if !it.hasNext() {
			return nil, true, newExc("java.util.NoSuchElementException", "")
		}
		return it.next(), true, nil
	case "remove":
		if it.list != nil && it.i > 0 {
			idx := it.i - 1
			// the list may have shifted; remove the element just returned
			for j := range it.list.S {
				if identical(it.list.S[j], it.s[idx]) {
					it.list.S = append(it.list.S[:j], it.list.S[j+1:]...)
					break
				}
			}
			return nil, true, nil
		}
	}
	return nil, false, nil
}

func (r *runner) makeIterator(v any) (*iterator, error) {
	if l, ok := v.(*List); ok {
		return &iterator{s: append([]any(nil), l.S...), list: l}, nil
	}
	l, err := r.toList(v)
	if err != nil {
		return nil, err
	}
	return &iterator{s: l.S}, nil
}
