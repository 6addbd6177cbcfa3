package java

// BeanShell 2.0b6 scoping: a variable assigned without a declaration
// inside braces or a for statement belongs to that block, unless the name
// already exists in an enclosing block or in the interpreter's namespace
// (the globals); a name that exists nowhere reads as void.

// looseNull stands for null in a loose variable's slot, where nil means
// "not assigned in this block yet".
type looseNull struct{}

// bshVoid is BeanShell's void: the value of an undefined name. It is not
// null (undefined == null is false) and prints as "void".
type bshVoid struct{}

func (bshVoid) String() string    { return "void" }
func (bshVoid) javaClass() string { return "bsh.Primitive" }

func (r *runner) looseGet(x *localExpr, f *frame) (any, error) {
	switch v := f.slots[x.slot].(type) {
	case nil:
	case looseNull:
		return nil, nil
	default:
		return v, nil
	}
	if x.outer != nil {
		return r.looseGet(x.outer, f)
	}
	return r.global(&globalExpr{base: x.base, name: x.name})
}

// looseOwner is where an assignment to x goes if the name exists: x's own
// slot, an enclosing loose variable's or the globals (nil, true).
func (r *runner) looseOwner(x *localExpr, f *frame) (*localExpr, bool) {
	if f.slots[x.slot] != nil {
		return x, true
	}
	if x.outer != nil {
		if o, ok := r.looseOwner(x.outer, f); ok {
			return o, true
		}
	}
	_, global := r.globals[x.name]
	return nil, global
}

func (r *runner) looseSet(x *localExpr, v any, f *frame) {
	o, ok := r.looseOwner(x, f)
	if ok && o == nil {
		r.globals[x.name] = v
		return
	}
	if !ok {
		o = x
	}
	if v == nil {
		v = looseNull{}
	}
	f.slots[o.slot] = v
}

func errVoid() error {
	return newExc("bsh.EvalError", "illegal use of undefined variable, class, or 'void' literal")
}
