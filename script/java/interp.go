package java

import (
	"context"
	"errors"
	"strings"
	"time"
)

type runner struct {
	ctx     context.Context
	prog    *Program
	globals map[string]any
	groovy  bool
	ret     any
	steps   uint32
	depth   int
	// reTimeout is the regex budget from RegexTimeoutBinding (0: default).
	reTimeout time.Duration
	// bsh describes the exception being unwound as BeanShell would (Java
	// and BeanShell dialects; set on error paths only)
	bsh *bshTrace
}

// ctlSig carries break and continue out of nested statements.
type ctlSig struct {
	cont  bool
	label string
}

func (c *ctlSig) Error() string { return "break/continue" }

var (
	errBreak    = &ctlSig{}
	errContinue = &ctlSig{cont: true}
	errReturn   = errors.New("return")
)

const maxDepth = 1500

// tick lets a cancelled context stop loops and recursion promptly.
func (r *runner) tick() error {
	r.steps++
	if r.steps&63 == 0 && r.ctx != nil {
		select {
		case <-r.ctx.Done():
			return &Exception{Class: "java.lang.InterruptedException", Message: "script stopped: " + r.ctx.Err().Error(), hasMsg: true}
		default:
		}
	}
	return nil
}

// at gives an exception that has no position yet the position of n.
func (r *runner) at(err error, pos int) error {
	if e, ok := err.(*Exception); ok && e.Line == 0 {
		e.Line, e.Col = lineCol(r.prog.src, pos)
	}
	return err
}

func (r *runner) excAt(pos int, class, msg string) error {
	e := newExc(class, msg)
	e.Line, e.Col = lineCol(r.prog.src, pos)
	return e
}

func (r *runner) execTop(s node, f *frame) (any, error) {
	if es, ok := s.(*exprStmt); ok {
		v, err := r.eval(es.x, f)
		return v, r.at(err, es.pos)
	}
	return nil, r.exec(s, f)
}

// execBlock runs statements and gives the value of the last expression
// statement (a closure's or Groovy method's implicit result).
func (r *runner) execList(list []node, f *frame) (any, error) {
	var last any
	for _, s := range list {
		if es, ok := s.(*exprStmt); ok {
			v, err := r.eval(es.x, f)
			if err != nil {
				return nil, r.at(err, es.pos)
			}
			last = v
			continue
		}
		last = nil
		if err := r.exec(s, f); err != nil {
			return nil, err
		}
	}
	return last, nil
}

func loopCtl(err error, label string) (brk, handled bool) {
	c, ok := err.(*ctlSig)
	if !ok || (c.label != "" && c.label != label) {
		return false, false
	}
	return !c.cont, true
}

func (r *runner) exec(n node, f *frame) error {
	switch s := n.(type) {
	case *exprStmt:
		_, err := r.eval(s.x, f)
		return r.at(err, s.pos)
	case *declStmt:
		for i, t := range s.targets {
			var v any
			if s.inits[i] != nil {
				var err error
				if v, err = r.eval(s.inits[i], f); err != nil {
					r.bshDecl(err, s.pos)
					return r.at(err, s.pos)
				}
			} else {
				v = zeroValue(s.t)
			}
			if _, isGlobal := t.(*globalExpr); isGlobal && s.t.kind != tkAny && s.t.dims == 0 {
				var err error
				if v, err = r.coerce(s.t.kind, v); err != nil {
					r.bshDecl(err, s.pos)
					return r.at(err, s.pos)
				}
			}
			if err := r.assign(t, v, f); err != nil {
				r.bshDecl(err, s.pos)
				return r.at(err, s.pos)
			}
		}
		return nil
	case *blockStmt:
		for _, sl := range s.loose {
			f.slots[sl] = nil
		}
		for _, st := range s.list {
			if err := r.exec(st, f); err != nil {
				return err
			}
		}
		return nil
	case *ifStmt:
		c, err := r.eval(s.cond, f)
		if err != nil {
			return r.at(err, s.pos)
		}
		if truth(c) {
			return r.exec(s.then, f)
		}
		if s.els_ != nil {
			return r.exec(s.els_, f)
		}
		return nil
	case *whileStmt:
		for {
			if err := r.tick(); err != nil {
				return r.at(err, s.pos)
			}
			c, err := r.eval(s.cond, f)
			if err != nil {
				return r.at(err, s.pos)
			}
			if !truth(c) {
				return nil
			}
			if err := r.exec(s.body, f); err != nil {
				if brk, ok := loopCtl(err, s.label); ok {
					if brk {
						return nil
					}
					continue
				}
				return err
			}
		}
	case *doStmt:
		for {
			if err := r.tick(); err != nil {
				return r.at(err, s.pos)
			}
			if err := r.exec(s.body, f); err != nil {
				if brk, ok := loopCtl(err, s.label); ok {
					if brk {
						return nil
					}
				} else {
					return err
				}
			}
			c, err := r.eval(s.cond, f)
			if err != nil {
				return r.at(err, s.pos)
			}
			if !truth(c) {
				return nil
			}
		}
	case *forStmt:
		for _, sl := range s.loose {
			f.slots[sl] = nil
		}
		for _, in := range s.init {
			if d, ok := in.(*declStmt); ok {
				if err := r.exec(d, f); err != nil {
					return err
				}
			} else if _, err := r.eval(in, f); err != nil {
				return r.at(err, s.pos)
			}
		}
		for {
			if err := r.tick(); err != nil {
				return r.at(err, s.pos)
			}
			if s.cond != nil {
				c, err := r.eval(s.cond, f)
				if err != nil {
					return r.at(err, s.pos)
				}
				if !truth(c) {
					return nil
				}
			}
			if err := r.exec(s.body, f); err != nil {
				if brk, ok := loopCtl(err, s.label); ok {
					if brk {
						return nil
					}
				} else {
					return err
				}
			}
			for _, u := range s.update {
				if _, err := r.eval(u, f); err != nil {
					return r.at(err, s.pos)
				}
			}
		}
	case *forEachStmt:
		for _, sl := range s.loose {
			f.slots[sl] = nil
		}
		it, err := r.eval(s.iter, f)
		if err != nil {
			return r.at(err, s.pos)
		}
		if it == nil {
			if r.groovy {
				return nil // Groovy iterates null as empty
			}
			err := r.excAt(s.iter.p(), "java.lang.NullPointerException", "cannot iterate over null")
			r.bshNullIter(err, s)
			return err
		}
		err = r.iterate(it, func(v any) (bool, error) {
			if err := r.tick(); err != nil {
				return false, err
			}
			if err := r.assign(s.v, v, f); err != nil {
				return false, err
			}
			if err := r.exec(s.body, f); err != nil {
				if brk, ok := loopCtl(err, s.label); ok {
					return !brk, nil
				}
				return false, err
			}
			return true, nil
		})
		return r.at(err, s.pos)
	case *switchStmt:
		x, err := r.eval(s.x, f)
		if err != nil {
			return r.at(err, s.pos)
		}
		matched := -1
		for i, c := range s.cases {
			for _, e := range c.exprs {
				v, err := r.eval(e, f)
				if err != nil {
					return r.at(err, e.p())
				}
				ok, err := r.isCase(v, x)
				if err != nil {
					return r.at(err, e.p())
				}
				if ok {
					matched = i
					break
				}
			}
			if matched >= 0 {
				break
			}
		}
		if matched < 0 {
			for i, c := range s.cases {
				if c.exprs == nil {
					matched = i
				}
			}
		}
		if matched < 0 {
			return nil
		}
		for _, c := range s.cases[matched:] {
			for _, st := range c.body {
				if err := r.exec(st, f); err != nil {
					if brk, ok := loopCtl(err, s.label); ok && brk {
						return nil
					}
					return err
				}
			}
		}
		return nil
	case *breakStmt:
		if s.label != "" {
			return &ctlSig{label: s.label}
		}
		return errBreak
	case *continueStmt:
		if s.label != "" {
			return &ctlSig{cont: true, label: s.label}
		}
		return errContinue
	case *returnStmt:
		var v any
		if s.x != nil {
			var err error
			if v, err = r.eval(s.x, f); err != nil {
				return r.at(err, s.pos)
			}
		}
		r.ret = v
		return errReturn
	case *throwStmt:
		v, err := r.eval(s.x, f)
		if err != nil {
			return r.at(err, s.pos)
		}
		e, ok := v.(*Exception)
		if !ok {
			var err error
			if v == nil {
				err = r.excAt(s.pos, "java.lang.NullPointerException", "throw of null")
			} else {
				err = r.excAt(s.pos, "java.lang.ClassCastException", javaClassName(v)+" cannot be thrown")
			}
			r.bshThrow(err, s.pos, false)
			return err
		}
		if e.Line == 0 {
			e.Line, e.Col = lineCol(r.prog.src, s.pos)
		}
		r.bshThrow(e, s.pos, !IsError(e.Class))
		return e
	case *tryStmt:
		return r.execTry(s, f)
	case *syncStmt:
		obj, err := r.eval(s.lock, f)
		if err != nil {
			return r.at(err, s.pos)
		}
		unlock, err := r.lock(obj)
		if err != nil {
			return r.at(err, s.pos)
		}
		defer unlock()
		return r.exec(s.body, f)
	case *emptyStmt:
		return nil
	case *assertStmt:
		c, err := r.eval(s.cond, f)
		if err != nil {
			return r.at(err, s.pos)
		}
		if !truth(c) {
			msg := "assert failed"
			if s.msg != nil {
				m, err := r.eval(s.msg, f)
				if err != nil {
					return err
				}
				msg = r.toStr(m)
			}
			return r.excAt(s.pos, "java.lang.AssertionError", msg)
		}
		return nil
	}
	_, err := r.eval(n, f)
	return r.at(err, n.p())
}

func (r *runner) execTry(s *tryStmt, f *frame) (err error) {
	var resources []any
	for _, d := range s.res {
		if err = r.exec(d, f); err != nil {
			break
		}
		ds := d.(*declStmt)
		for _, t := range ds.targets {
			v, _ := r.eval(t, f)
			resources = append(resources, v)
		}
	}
	if err == nil {
		err = r.exec(s.body, f)
	}
	for i := len(resources) - 1; i >= 0; i-- {
		if c, ok := resources[i].(interface{ close() error }); ok {
			if cerr := c.close(); cerr != nil && err == nil {
				err = cerr
			}
		}
	}
	if err != nil {
		if _, ok := err.(*ctlSig); !ok && err != errReturn {
			e, ok := err.(*Exception)
			if !ok {
				e = &Exception{Class: "java.lang.RuntimeException", Message: err.Error(), Cause: err, hasMsg: true}
			}
			for _, c := range s.catches {
				if matchCatch(e, c.classes) {
					r.bsh = nil // caught: a throw describes it anew
					if aerr := r.assign(c.v, e, f); aerr != nil {
						return aerr
					}
					err = r.exec(c.body, f)
					break
				}
			}
		}
	}
	if s.finally != nil {
		pending := r.bsh
		if ferr := r.exec(s.finally, f); ferr != nil {
			return ferr
		}
		r.bsh = pending
	}
	return err
}

func matchCatch(e *Exception, classes []string) bool {
	for _, c := range classes {
		if isSubclass(e.Class, c) {
			return true
		}
	}
	return false
}

func zeroValue(t typeRef) any {
	if t.dims > 0 {
		return nil
	}
	switch t.kind {
	case tkInt:
		if t.cls == nil {
			return int32(0)
		}
	case tkLong:
		if t.cls == nil {
			return int64(0)
		}
	case tkDouble:
		if t.cls == nil {
			return float64(0)
		}
	case tkFloat:
		if t.cls == nil {
			return float32(0)
		}
	case tkBool:
		if t.cls == nil {
			return false
		}
	case tkChar:
		if t.cls == nil {
			return Char(0)
		}
	case tkShort:
		if t.cls == nil {
			return int16(0)
		}
	case tkByte:
		if t.cls == nil {
			return int8(0)
		}
	}
	return nil
}

func (r *runner) frameAt(f *frame, depth int) *frame {
	for ; depth > 0; depth-- {
		f = f.up
	}
	return f
}

func (r *runner) eval(n node, f *frame) (any, error) {
	switch x := n.(type) {
	case *litExpr:
		return x.val, nil
	case *localExpr:
		if x.loose {
			return r.looseGet(x, f)
		}
		return r.frameAt(f, x.depth).slots[x.slot], nil
	case *globalExpr:
		if f.this != nil {
			if v, ok := f.this.fields[x.name]; ok {
				return v, nil // a field the class inherits
			}
		}
		return r.global(x)
	case *gstrExpr:
		var b strings.Builder
		for i, e := range x.exprs {
			b.WriteString(x.parts[i])
			v, err := r.eval(e, f)
			if err != nil {
				return nil, err
			}
			if c, ok := v.(*Closure); ok && len(c.fn.params) == 0 {
				if v, err = r.callClosure(c, nil); err != nil {
					return nil, err
				}
			}
			b.WriteString(r.display(v))
		}
		b.WriteString(x.parts[len(x.parts)-1])
		return b.String(), nil
	case *propExpr:
		obj, err := r.eval(x.x, f)
		if err != nil {
			return nil, err
		}
		if obj == nil {
			if x.safe {
				return nil, nil
			}
			return nil, r.excAt(x.pos, "java.lang.NullPointerException", "Cannot get property '"+x.name+"' on null object")
		}
		if x.spread {
			out := &List{}
			err := r.iterate(obj, func(e any) (bool, error) {
				v, err := r.getProp(e, x)
				out.S = append(out.S, v)
				return true, err
			})
			return out, r.at(err, x.pos)
		}
		v, err := r.getProp(obj, x)
		return v, r.at(err, x.pos)
	case *indexExpr:
		obj, err := r.eval(x.x, f)
		if err != nil {
			return nil, err
		}
		idx, err := r.eval(x.idx, f)
		if err != nil {
			return nil, err
		}
		v, err := r.getIndex(obj, idx)
		if err != nil {
			err = r.bshIndex(err, x.pos)
		}
		return v, r.at(err, x.pos)
	case *callExpr:
		v, err := r.evalCall(x, f)
		if err != nil {
			r.bshCall(err, x.pos)
		}
		return v, r.at(err, x.pos)
	case *staticCall:
		args, err := r.evalArgs(x.args, f)
		if err != nil {
			return nil, err
		}
		if err := r.tick(); err != nil {
			return nil, err
		}
		v, err := r.callStatic(x.fn, x.cls.simple+"."+x.name, args)
		if err != nil {
			r.bshCall(err, x.pos)
		}
		return v, r.at(err, x.pos)
	case *classExpr:
		return x.cls, nil
	case *newExpr:
		args, err := r.evalArgs(x.args, f)
		if err != nil {
			return nil, err
		}
		if x.user != nil {
			v, err := r.newInstance(x.user.name, args, x.pos)
			if err != nil {
				r.bshNew(err, x.pos)
			}
			return v, r.at(err, x.pos)
		}
		v, err := r.callStatic(x.cls.ctor, "new "+x.cls.simple, args)
		if err != nil {
			r.bshNew(err, x.pos)
		}
		return v, r.at(err, x.pos)
	case *newArray:
		return r.newArray(x, f)
	case *arrayLit:
		l := &List{Array: true, Elem: x.elem.kind, S: make([]any, len(x.elems))}
		for i, e := range x.elems {
			v, err := r.eval(e, f)
			if err != nil {
				return nil, err
			}
			if x.elem.dims == 0 {
				if v, err = r.coerce(x.elem.kind, v); err != nil {
					return nil, r.at(err, e.p())
				}
			}
			l.S[i] = v
		}
		if x.elem.kind == tkByte && x.elem.dims == 0 {
			b := make([]byte, len(l.S))
			for i, v := range l.S {
				n, _ := toInt64(v)
				b[i] = byte(n)
			}
			return b, nil
		}
		return l, nil
	case *unaryExpr:
		v, err := r.eval(x.x, f)
		if err != nil {
			return nil, err
		}
		v, err = r.unop(x.op, v)
		return v, r.at(err, x.pos)
	case *binExpr:
		switch x.op {
		case "&&":
			a, err := r.eval(x.l, f)
			if err != nil || !truth(a) {
				return false, err
			}
			b, err := r.eval(x.r, f)
			return truth(b), err
		case "||":
			a, err := r.eval(x.l, f)
			if err != nil {
				return nil, err
			}
			if truth(a) {
				return true, nil
			}
			b, err := r.eval(x.r, f)
			return truth(b), err
		}
		a, err := r.eval(x.l, f)
		if err != nil {
			return nil, err
		}
		b, err := r.eval(x.r, f)
		if err != nil {
			return nil, err
		}
		v, err := r.binop(x.op, a, b)
		if err != nil {
			r.bshBinary(err, x.pos)
		}
		return v, r.at(err, x.pos)
	case *assignExpr:
		if x.op == "=" {
			v, err := r.eval(x.val, f)
			if err != nil {
				return nil, err
			}
			if err := r.assign(x.target, v, f); err != nil {
				r.bshAssign(err, x)
				return nil, r.at(err, x.pos)
			}
			if l, ok := x.target.(*localExpr); ok && l.kind != tkAny {
				return r.frameAt(f, l.depth).slots[l.slot], nil
			}
			return v, nil
		}
		cur, err := r.eval(x.target, f)
		if err != nil {
			return nil, err
		}
		if x.op == "?=" {
			if truth(cur) {
				return cur, nil
			}
		}
		b, err := r.eval(x.val, f)
		if err != nil {
			return nil, err
		}
		v := b
		if x.op != "?=" {
			if v, err = r.binop(x.op[:len(x.op)-1], cur, b); err != nil {
				r.bshAssign(err, x)
				return nil, r.at(err, x.pos)
			}
		}
		if l, ok := x.target.(*localExpr); ok && l.kind != tkAny && l.kind != tkString {
			v, _ = castPrim(l.kind, v) // compound assignment narrows implicitly
		}
		if err := r.assign(x.target, v, f); err != nil {
			return nil, r.at(err, x.pos)
		}
		return v, nil
	case *incDec:
		cur, err := r.eval(x.target, f)
		if err != nil {
			return nil, err
		}
		op := "+"
		if x.op == "--" {
			op = "-"
		}
		var nv any
		switch c := cur.(type) {
		case Char:
			if op == "+" {
				nv = c + 1
			} else {
				nv = c - 1
			}
		case int16:
			nv = c + 1
			if op == "-" {
				nv = c - 1
			}
		case int8:
			nv = c + 1
			if op == "-" {
				nv = c - 1
			}
		case nil:
			return nil, r.excAt(x.pos, "java.lang.NullPointerException", "Cannot execute null"+op+"1")
		default:
			if nv, err = r.binop(op, cur, int32(1)); err != nil {
				return nil, r.at(err, x.pos)
			}
		}
		if err := r.assign(x.target, nv, f); err != nil {
			return nil, r.at(err, x.pos)
		}
		if x.prefix {
			return nv, nil
		}
		return cur, nil
	case *condExpr:
		c, err := r.eval(x.c, f)
		if err != nil {
			return nil, err
		}
		if truth(c) {
			return r.eval(x.a, f)
		}
		return r.eval(x.b, f)
	case *elvisExpr:
		a, err := r.eval(x.a, f)
		if err != nil {
			return nil, err
		}
		if truth(a) {
			return a, nil
		}
		return r.eval(x.b, f)
	case *castExpr:
		v, err := r.eval(x.x, f)
		if err != nil {
			return nil, err
		}
		c, err := r.cast(x.t, v, x.as)
		if err != nil {
			err = r.bshCast(err, x, v)
		}
		return c, r.at(err, x.pos)
	case *instanceofExpr:
		v, err := r.eval(x.x, f)
		if err != nil {
			return nil, err
		}
		return instanceOf(v, x.t), nil
	case *listLit:
		l := &List{S: make([]any, len(x.elems))}
		for i, e := range x.elems {
			v, err := r.eval(e, f)
			if err != nil {
				return nil, err
			}
			l.S[i] = v
		}
		return l, nil
	case *mapLit:
		m := &Map{keys: make([]any, 0, len(x.keys)), vals: make([]any, 0, len(x.keys))}
		for i, k := range x.keys {
			kv, err := r.eval(k, f)
			if err != nil {
				return nil, err
			}
			v, err := r.eval(x.vals[i], f)
			if err != nil {
				return nil, err
			}
			m.Put(kv, v)
		}
		return m, nil
	case *rangeExpr:
		a, err := r.eval(x.from, f)
		if err != nil {
			return nil, err
		}
		b, err := r.eval(x.to, f)
		if err != nil {
			return nil, err
		}
		v, err := makeRange(a, b, x.excl)
		return v, r.at(err, x.pos)
	case *closureExpr:
		return &Closure{fn: x.fn, up: f, this: f.this}, nil
	case *fieldExpr:
		if x.static != nil {
			v, err := r.staticField(x.static, x.name)
			return v, r.at(err, x.pos)
		}
		if f.this == nil {
			return nil, r.excAt(x.pos, "groovy.lang.MissingPropertyException", "No such property: "+x.name)
		}
		return f.this.fields[x.name], nil
	case *thisExpr:
		return f.this, nil
	case *multiAssign:
		v, err := r.eval(x.val, f)
		if err != nil {
			return nil, err
		}
		l, _ := v.(*List)
		for i, t := range x.targets {
			var e any
			if l != nil && i < len(l.S) {
				e = l.S[i]
			}
			if err := r.assign(t, e, f); err != nil {
				return nil, err
			}
		}
		return v, nil
	case *superCall:
		return r.evalSuper(x, f)
	case *methodRef:
		return r.evalMethodRef(x, f)
	case *refCall:
		return r.callRef(x, f)
	case *userClassExpr:
		if cd := r.prog.classes[x.name]; cd != nil {
			return cd, nil
		}
		return nil, r.excAt(x.pos, "java.lang.NoClassDefFoundError", x.name)
	case *curryCall:
		rest, _ := f.slots[0].(*List)
		args := append([]any(nil), x.pre...)
		if rest != nil {
			args = append(args, rest.S...)
		}
		return r.callClosure(x.c, args)
	case *composeCall:
		rest, _ := f.slots[0].(*List)
		var args []any
		if rest != nil {
			args = rest.S
		}
		v, err := r.callClosure(x.first, args)
		if err != nil {
			return nil, err
		}
		return r.callClosure(x.second, []any{v})
	case *declStmt, *blockStmt, *ifStmt:
		return nil, r.exec(n, f)
	}
	return nil, r.excAt(n.p(), "java.lang.UnsupportedOperationException", "cannot evaluate this expression")
}

// display is how a value appears in a GString or println (Groovy's
// InvokerHelper.toString); script-class instances run their toString.
func (r *runner) display(v any) string {
	if in, ok := v.(*instance); ok && hasMethod(in.decl, "toString") {
		if s, err := r.invoke(in, "toString", nil); err == nil {
			return r.toStr(s)
		}
	}
	return r.toStr(v)
}

func (r *runner) global(x *globalExpr) (any, error) {
	if v, ok := r.globals[x.name]; ok {
		return v, nil
	}
	if r.groovy {
		if ms := r.prog.methods[x.name]; len(ms) > 0 {
			return nil, r.excAt(x.pos, "groovy.lang.MissingPropertyException", "No such property: "+x.name+" for class: Script1")
		}
		return nil, r.excAt(x.pos, "groovy.lang.MissingPropertyException", "No such property: "+x.name+" for class: Script1")
	}
	if x.name == "this" {
		return bshThis{}, nil
	}
	return bshVoid{}, nil // BeanShell: an undefined variable reads as void
}

// bshThis is BeanShell's "this": only this.interpreter.setOut(stream) is
// supported, which sends print() to a file stream.
type bshThis struct{}

func (bshThis) javaClass() string { return "bsh.This" }
func (bshThis) invoke(r *runner, name string, args []any) (any, bool, error) {
	if name == "getInterpreter" {
		return bshThis{}, true, nil
	}
	if name == "setOut" && len(args) == 1 {
		r.globals["__bsh_out"] = args[0]
		return nil, true, nil
	}
	return nil, false, nil
}

func (r *runner) evalArgs(ns []node, f *frame) ([]any, error) {
	if len(ns) == 0 {
		return nil, nil
	}
	args := make([]any, len(ns))
	for i, a := range ns {
		v, err := r.eval(a, f)
		if err != nil {
			r.bshMark(err)
			return nil, err
		}
		args[i] = v
	}
	return args, nil
}

func (r *runner) assign(t node, v any, f *frame) error {
	switch x := t.(type) {
	case *localExpr:
		if x.loose {
			r.looseSet(x, v, f)
			return nil
		}
		if x.kind != tkAny {
			var err error
			if v, err = r.coerce(x.kind, v); err != nil {
				return err
			}
		}
		r.frameAt(f, x.depth).slots[x.slot] = v
		return nil
	case *globalExpr:
		if f.this != nil {
			if _, ok := f.this.fields[x.name]; ok {
				f.this.fields[x.name] = v
				return nil
			}
		}
		r.globals[x.name] = v
		return nil
	case *fieldExpr:
		if x.static != nil {
			return r.setStaticField(x.static, x.name, v)
		}
		if f.this == nil {
			return newExc("groovy.lang.MissingPropertyException", "No such property: "+x.name)
		}
		f.this.fields[x.name] = v
		return nil
	case *propExpr:
		obj, err := r.eval(x.x, f)
		if err != nil {
			return err
		}
		if obj == nil {
			if x.safe {
				return nil
			}
			return newExc("java.lang.NullPointerException", "Cannot set property '"+x.name+"' on null object")
		}
		return r.setProp(obj, x, v)
	case *indexExpr:
		obj, err := r.eval(x.x, f)
		if err != nil {
			return err
		}
		idx, err := r.eval(x.idx, f)
		if err != nil {
			return err
		}
		return r.setIndex(obj, idx, v)
	}
	return newExc("java.lang.IllegalStateException", "invalid assignment target")
}

func (r *runner) newArray(x *newArray, f *frame) (any, error) {
	if x.init != nil {
		return r.eval(x.init, f)
	}
	dims := make([]int, len(x.dims))
	for i, d := range x.dims {
		v, err := r.eval(d, f)
		if err != nil {
			return nil, err
		}
		n, ok := toInt(v)
		if !ok {
			return nil, r.excAt(d.p(), "java.lang.ClassCastException", "array size must be an integer")
		}
		if n < 0 {
			return nil, r.excAt(d.p(), "java.lang.NegativeArraySizeException", r.toStr(v))
		}
		if n > 1<<26 {
			return nil, r.excAt(d.p(), "java.lang.OutOfMemoryError", "Requested array size exceeds limit")
		}
		dims[i] = n
	}
	var mk func(level int) any
	mk = func(level int) any {
		n := dims[level]
		if level == len(dims)-1 && x.elem.dims-level == 1 {
			if x.elem.kind == tkByte {
				return make([]byte, n)
			}
			l := &List{Array: true, Elem: x.elem.kind, S: make([]any, n)}
			z := zeroValue(typeRef{kind: x.elem.kind, cls: x.elem.cls})
			for i := range l.S {
				l.S[i] = z
			}
			return l
		}
		l := &List{Array: true, S: make([]any, n)}
		if level+1 < len(dims) {
			for i := range l.S {
				l.S[i] = mk(level + 1)
			}
		}
		return l
	}
	return mk(0), nil
}

// newInstance creates an object of a class declared in the script.
func (r *runner) newInstance(name string, args []any, pos int) (any, error) {
	cd := r.prog.classes[name]
	if cd == nil {
		return nil, newExc("java.lang.NoClassDefFoundError", name)
	}
	in := &instance{decl: cd, fields: make(map[string]any, len(cd.fields))}
	for _, c := range lineage(cd) {
		for _, fd := range c.fields {
			if fd.static {
				continue // the class's, not the object's
			}
			v := zeroValue(fd.t)
			if fd.init != nil {
				fr := &frame{slots: make([]any, 8), this: in}
				var err error
				if v, err = r.eval(fd.init, fr); err != nil {
					return nil, err
				}
			}
			in.fields[fd.name] = v
		}
	}
	if len(cd.ctors) == 0 && len(args) == 1 {
		if m, ok := args[0].(*Map); ok && r.groovy { // Groovy map constructor
			if err := r.construct(cd, in, nil); err != nil {
				return nil, err
			}
			for i, k := range m.keys {
				in.fields[r.toStr(k)] = m.vals[i]
			}
			return in, nil
		}
	}
	if err := r.construct(cd, in, args); err != nil {
		return nil, err
	}
	return in, nil
}

func pickOverload(defs []*funcDef, n int) *funcDef {
	for _, d := range defs {
		if len(d.params) == n {
			return d
		}
	}
	for _, d := range defs {
		if d.varargs && n >= len(d.params)-1 {
			return d
		}
		req := 0
		for _, p := range d.params {
			if p.def == nil {
				req++
			}
		}
		if n >= req && n <= len(d.params) {
			return d
		}
	}
	return nil
}

// callFunc runs a script method.
func (r *runner) callFunc(def *funcDef, this *instance, args []any) (any, error) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxDepth {
		return nil, newExc("java.lang.StackOverflowError", "")
	}
	if err := r.tick(); err != nil {
		return nil, err
	}
	if def.sync {
		// a synchronized method holds its object's monitor (the class's
		// for static methods; script-level methods have a per-call object)
		var lockObj any = this
		if this == nil && def.ownerDecl != nil {
			lockObj = def.ownerDecl
		}
		if lockObj != nil {
			unlock, err := r.lock(lockObj)
			if err != nil {
				return nil, err
			}
			defer unlock()
		}
	}
	f := &frame{slots: make([]any, def.nslots), this: this, owner: def.ownerDecl}
	if err := r.bindParams(def, f, args); err != nil {
		return nil, err
	}
	v, err := r.execList(def.body.list, f)
	if err == errReturn {
		v, err = r.ret, nil
		r.ret = nil
	}
	if err != nil {
		r.bshLeave(err, def)
		if c, ok := err.(*ctlSig); ok {
			_ = c
			return nil, newExc("java.lang.IllegalStateException", "break or continue outside a loop")
		}
		return nil, err
	}
	if !r.groovy && def.ret.name == "" && def.ret.kind == tkAny {
		// BeanShell untyped methods return the last value too; typed void do not
	}
	if def.ret.name == "void" {
		return nil, nil
	}
	if def.ret.kind != tkAny && def.ret.kind != tkObject {
		return r.coerce(def.ret.kind, v)
	}
	return v, nil
}

func (r *runner) bindParams(def *funcDef, f *frame, args []any) error {
	ps := def.params
	if def.varargs && len(ps) > 0 {
		fixed := len(ps) - 1
		if !(len(args) == len(ps) && isAny[*List](args[fixed]) && args[fixed].(*List).Array) {
			if len(args) < fixed {
				return newExc("java.lang.IllegalArgumentException", "wrong number of arguments")
			}
			rest := &List{Array: true, S: append([]any(nil), args[fixed:]...)}
			args = append(append([]any(nil), args[:fixed]...), rest)
		}
	}
	for i, p := range ps {
		var v any
		if i < len(args) {
			v = args[i]
		} else if p.def != nil {
			var err error
			if v, err = r.eval(p.def, f); err != nil {
				return err
			}
		} else if !def.implicit && !def.closure {
			return newExc("groovy.lang.MissingMethodException", "No signature of method: "+def.name+"() is applicable for "+itoa(len(args))+" arguments")
		}
		if p.t.kind != tkAny && p.t.kind != tkObject {
			var err error
			if v, err = r.coerce(p.t.kind, v); err != nil {
				return err
			}
		}
		f.slots[p.slot] = v
	}
	return nil
}

// callClosure calls a closure; Groovy spreads a single list argument over
// several parameters.
func (r *runner) callClosure(c *Closure, args []any) (any, error) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxDepth {
		return nil, newExc("java.lang.StackOverflowError", "")
	}
	if err := r.tick(); err != nil {
		return nil, err
	}
	def := c.fn
	if len(def.params) > 1 && len(args) == 1 {
		if l, ok := args[0].(*List); ok {
			args = l.S
		}
	}
	if len(args) > len(def.params) && !def.varargs && !(def.implicit && len(args) <= 1) {
		return nil, newExc("groovy.lang.MissingMethodException", "No signature of method: closure.call() is applicable for "+itoa(len(args))+" arguments")
	}
	f := &frame{slots: make([]any, def.nslots), up: c.up, this: c.this, delegate: c.delegate}
	if err := r.bindParams(def, f, args); err != nil {
		return nil, err
	}
	if def.exprBody != nil {
		return r.eval(def.exprBody, f)
	}
	v, err := r.execList(def.body.list, f)
	if err == errReturn {
		v, err = r.ret, nil
		r.ret = nil
	}
	return v, err
}

// call invokes anything callable with args (closures from GDK methods).
func (r *runner) call(fn any, args ...any) (any, error) {
	c, ok := fn.(*Closure)
	if !ok {
		return nil, newExc("groovy.lang.MissingMethodException", "not a closure: "+javaClassName(fn))
	}
	return r.callClosure(c, args)
}

func itoa(n int) string { return formatValue(int32(n), true) }

// callStatic runs a library static method or constructor; too few
// arguments is a missing signature, not a crash.
func (r *runner) callStatic(fn staticFn, name string, args []any) (v any, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			if _, isRuntime := rec.(interface{ RuntimeError() }); !isRuntime {
				panic(rec)
			}
			v, err = nil, newExc("groovy.lang.MissingMethodException", "No signature of method: "+name+"() is applicable for "+itoa(len(args))+" arguments")
		}
	}()
	return fn(r, args)
}
