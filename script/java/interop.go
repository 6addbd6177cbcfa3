package java

import (
	"errors"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Go objects (the bindings) are called by reflection: obj.getFoo(a) calls
// the exported method GetFoo. The method table of each Go type is built
// once and cached.

type goMethod struct {
	index    int
	in       []reflect.Type // parameter types without the receiver
	variadic bool
	errOut   bool // the last result is an error
	nout     int
}

type goType struct {
	methods map[string][]goMethod // keyed by the Java-style name (first letter lower-cased) and the Go name
	get     *goMethod             // Get(string) fallback for obj.name / obj['name']
}

var goTypes sync.Map // reflect.Type → *goType

var errorType = reflect.TypeOf((*error)(nil)).Elem()

func typeInfo(t reflect.Type) *goType {
	if gt, ok := goTypes.Load(t); ok {
		return gt.(*goType)
	}
	gt := &goType{methods: map[string][]goMethod{}}
	for i := 0; i < t.NumMethod(); i++ {
		m := t.Method(i)
		if !m.IsExported() {
			continue
		}
		mt := m.Type
		gm := goMethod{index: i, variadic: mt.IsVariadic(), nout: mt.NumOut()}
		for j := 1; j < mt.NumIn(); j++ {
			gm.in = append(gm.in, mt.In(j))
		}
		if gm.nout > 0 && mt.Out(gm.nout-1) == errorType {
			gm.errOut = true
		}
		jn := strings.ToLower(m.Name[:1]) + m.Name[1:]
		gt.methods[jn] = append(gt.methods[jn], gm)
		if jn != m.Name {
			gt.methods[m.Name] = append(gt.methods[m.Name], gm)
		}
		if m.Name == "Get" && len(gm.in) == 1 && gm.in[0].Kind() == reflect.String && !gm.variadic {
			g := gm
			gt.get = &g
		}
	}
	v, _ := goTypes.LoadOrStore(t, gt)
	return v.(*goType)
}

func (r *runner) goCall(obj any, name string, args []any) (any, bool, error) {
	rv := reflect.ValueOf(obj)
	gt := typeInfo(rv.Type())
	ms := gt.methods[name]
	if len(ms) == 0 {
		return nil, false, nil
	}
	var chosen *goMethod
	for i := range ms {
		m := &ms[i]
		if !m.variadic && len(m.in) == len(args) && argsFit(m.in, args) {
			chosen = m
			break
		}
	}
	if chosen == nil {
		for i := range ms {
			m := &ms[i]
			if m.variadic && len(args) >= len(m.in)-1 && argsFit(m.in[:len(m.in)-1], args[:len(m.in)-1]) {
				chosen = m
				break
			}
		}
	}
	if chosen == nil {
		// the method exists but not for these arguments (vars.put("k", 5)
		// fails the same way in JMeter)
		return nil, true, missingMethod(obj, name, args)
	}
	in := make([]reflect.Value, 0, len(args))
	for i, a := range args {
		var pt reflect.Type
		if chosen.variadic && i >= len(chosen.in)-1 {
			pt = chosen.in[len(chosen.in)-1].Elem()
		} else {
			pt = chosen.in[i]
		}
		v, err := r.toGo(a, pt)
		if err != nil {
			return nil, true, newExc("java.lang.IllegalArgumentException", "argument "+itoa(i+1)+" of "+name+"(): "+err.Error())
		}
		in = append(in, v)
	}
	out := rv.Method(chosen.index).Call(in)
	if chosen.errOut {
		if e := out[len(out)-1]; !e.IsNil() {
			return nil, true, goError(e.Interface().(error))
		}
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return nil, true, nil
	}
	return fromGo(out[0]), true, nil
}

func goError(err error) error {
	var e *Exception
	if errors.As(err, &e) {
		return e
	}
	return &Exception{Class: "java.lang.RuntimeException", Message: err.Error(), Cause: err, hasMsg: true}
}

// argsFit tells whether args can go to parameters of these types without
// a lossy conversion (picks the right overload of a Go method set).
func argsFit(in []reflect.Type, args []any) bool {
	for i, a := range args {
		t := in[i]
		switch t.Kind() {
		case reflect.String:
			switch a.(type) {
			case string, Char, nil:
			default:
				return false
			}
		case reflect.Int, reflect.Int32, reflect.Int64, reflect.Int16, reflect.Int8, reflect.Uint8:
			if !isIntegral(a) {
				return false
			}
		case reflect.Float64, reflect.Float32:
			if !isNumber(a) {
				return false
			}
		case reflect.Bool:
			if _, ok := a.(bool); !ok {
				return false
			}
		case reflect.Slice:
			if t.Elem().Kind() == reflect.Uint8 {
				switch a.(type) {
				case []byte, string, nil: // JMeter overloads byte[] and String setters
				default:
					return false
				}
			}
		}
	}
	return true
}

var anyType = reflect.TypeOf((*any)(nil)).Elem()

// toGo converts a script value for a Go parameter of type t.
func (r *runner) toGo(a any, t reflect.Type) (reflect.Value, error) {
	if t == anyType {
		if a == nil {
			return reflect.Zero(t), nil
		}
		return reflect.ValueOf(&a).Elem(), nil
	}
	if a == nil {
		return reflect.Zero(t), nil
	}
	av := reflect.ValueOf(a)
	if av.Type().AssignableTo(t) {
		return av, nil
	}
	switch t.Kind() {
	case reflect.String:
		return reflect.ValueOf(r.toStr(a)).Convert(t), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := toInt64(a)
		if !ok {
			return reflect.Value{}, errors.New("expected an integer, got " + javaClassName(a))
		}
		return reflect.ValueOf(n).Convert(t), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := toInt64(a)
		if !ok {
			return reflect.Value{}, errors.New("expected an integer, got " + javaClassName(a))
		}
		return reflect.ValueOf(n).Convert(t), nil
	case reflect.Float32, reflect.Float64:
		f, ok := toFloat(a)
		if !ok {
			return reflect.Value{}, errors.New("expected a number, got " + javaClassName(a))
		}
		return reflect.ValueOf(f).Convert(t), nil
	case reflect.Bool:
		return reflect.ValueOf(truth(a)), nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			if s, ok := a.(string); ok {
				return reflect.ValueOf([]byte(s)), nil
			}
		}
		l, err := r.toList(a)
		if err != nil {
			return reflect.Value{}, err
		}
		out := reflect.MakeSlice(t, len(l.S), len(l.S))
		for i, e := range l.S {
			v, err := r.toGo(e, t.Elem())
			if err != nil {
				return reflect.Value{}, err
			}
			out.Index(i).Set(v)
		}
		return out, nil
	case reflect.Map:
		m, ok := a.(*Map)
		if !ok {
			return reflect.Value{}, errors.New("expected a map, got " + javaClassName(a))
		}
		out := reflect.MakeMapWithSize(t, len(m.keys))
		for i, k := range m.keys {
			kv, err := r.toGo(k, t.Key())
			if err != nil {
				return reflect.Value{}, err
			}
			vv, err := r.toGo(m.vals[i], t.Elem())
			if err != nil {
				return reflect.Value{}, err
			}
			out.SetMapIndex(kv, vv)
		}
		return out, nil
	}
	if av.Type().ConvertibleTo(t) && t.Kind() != reflect.Interface {
		return av.Convert(t), nil
	}
	return reflect.Value{}, errors.New("cannot convert " + javaClassName(a) + " to " + t.String())
}

// fromGo converts a Go result into a script value.
func fromGo(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return fromGo(v.Elem())
	case reflect.Pointer, reflect.Map, reflect.Func, reflect.Chan:
		if v.IsNil() {
			return nil
		}
	case reflect.Slice:
		if v.IsNil() && v.Type().Elem().Kind() != reflect.Uint8 {
			return nil
		}
	}
	x := v.Interface()
	switch y := x.(type) {
	case int:
		if y >= math.MinInt32 && y <= math.MaxInt32 {
			return int32(y)
		}
		return int64(y)
	case uint8:
		return int32(y)
	case uint16:
		return int32(y)
	case uint32:
		return int64(y)
	case uint64:
		return int64(y)
	case uint:
		return int64(y)
	case []any:
		return &List{S: y}
	case []string:
		l := &List{S: make([]any, len(y))}
		for i, s := range y {
			l.S[i] = s
		}
		return l
	case map[string]any:
		return mapFromGo(y)
	case map[string]string:
		m := make(map[string]any, len(y))
		for k, v := range y {
			m[k] = v
		}
		return mapFromGo(m)
	}
	switch v.Kind() {
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return v.Bytes()
		}
		l := &List{S: make([]any, v.Len())}
		for i := range l.S {
			l.S[i] = fromGo(v.Index(i))
		}
		return l
	case reflect.String:
		return v.String()
	case reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8, reflect.Int:
		if v.Kind() == reflect.Int64 {
			return v.Int()
		}
		return int32(v.Int())
	case reflect.Float64:
		return v.Float()
	case reflect.Bool:
		return v.Bool()
	}
	return x
}

func mapFromGo(g map[string]any) *Map {
	keys := make([]string, 0, len(g))
	for k := range g {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	m := &Map{}
	for _, k := range keys {
		m.Put(k, fromGoAny(g[k]))
	}
	return m
}

func fromGoAny(v any) any {
	if v == nil {
		return nil
	}
	return fromGo(reflect.ValueOf(v))
}

// goGetProp reads obj.name on a Go value: getName(), isName(), an
// exported field, or Get("name").
func (r *runner) goGetProp(obj any, p *propExpr) (any, error) {
	if v, ok, err := r.goCall(obj, p.getter, nil); ok || err != nil {
		return v, err
	}
	if v, ok, err := r.goCall(obj, p.iser, nil); ok || err != nil {
		return v, err
	}
	rv := reflect.ValueOf(obj)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() == reflect.Struct && p.name != "" {
		if f := rv.FieldByName(strings.ToUpper(p.name[:1]) + p.name[1:]); f.IsValid() && f.CanInterface() {
			return fromGo(f), nil
		}
	}
	if gt := typeInfo(reflect.TypeOf(obj)); gt.get != nil {
		v, _, err := r.goCall(obj, "Get", []any{p.name})
		return v, err
	}
	if m, ok := obj.(map[string]any); ok {
		return fromGoAny(m[p.name]), nil
	}
	return nil, missingProperty(obj, p.name)
}

func (r *runner) goSetField(obj any, name string, v any) error {
	if name == "" {
		return errors.New("no property name")
	}
	rv := reflect.ValueOf(obj)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		if m, ok := obj.(map[string]any); ok {
			m[name] = v
			return nil
		}
		return errors.New("not settable")
	}
	rv = rv.Elem()
	if rv.Kind() != reflect.Struct {
		return errors.New("not settable")
	}
	f := rv.FieldByName(strings.ToUpper(name[:1]) + name[1:])
	if !f.IsValid() || !f.CanSet() {
		if _, ok, err := r.goCall(obj, "Put", []any{name, v}); ok {
			return err
		}
		return errors.New("not settable")
	}
	gv, err := r.toGo(v, f.Type())
	if err != nil {
		return err
	}
	f.Set(gv)
	return nil
}

// goIterable turns Go slices and maps into script collections.
func (r *runner) goIterable(v any) (any, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		x := fromGo(rv)
		switch x.(type) {
		case *List, *Map:
			return x, true
		}
	}
	return nil, false
}
