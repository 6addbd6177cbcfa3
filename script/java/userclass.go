package java

import "sort"

// Classes and interfaces a script declares: single inheritance among the
// script's own classes, interfaces for instanceof and default methods,
// super calls, static methods called through the class name.

// linkClasses resolves extends/implements once the whole script is parsed
// (a class may name one declared after it).
func (p *parser) linkClasses() {
	for _, cd := range p.classes {
		if cd.parent != "" {
			pd := p.classes[cd.parent]
			if pd == nil || pd.iface {
				p.errorAt(cd.parentPos, "class "+cd.name+" extends "+cd.parent+": only a class declared in the script can be extended",
					"construct 'extends "+cd.parent+"'")
				continue
			}
			cd.parentDecl = pd
		}
		for _, n := range cd.ifaces {
			if id := p.classes[n]; id != nil {
				if !id.iface {
					p.errorAt(cd.pos, cd.name+" implements "+n+", which is a class", "construct 'implements "+n+"'")
					continue
				}
				cd.ifaceDecls = append(cd.ifaceDecls, id)
			}
		}
	}
	// a cycle through extends or implements is refused (javac and Groovy do)
	state := map[*classDecl]int{} // 1 on the path, 2 done
	var visit func(cd *classDecl) bool
	visit = func(cd *classDecl) bool {
		switch state[cd] {
		case 1:
			return false
		case 2:
			return true
		}
		state[cd] = 1
		next := append([]*classDecl(nil), cd.ifaceDecls...)
		if cd.parentDecl != nil {
			next = append(next, cd.parentDecl)
		}
		for _, n := range next {
			if !visit(n) {
				return false
			}
		}
		state[cd] = 2
		return true
	}
	ordered := make([]*classDecl, 0, len(p.classes))
	for _, cd := range p.classes {
		ordered = append(ordered, cd)
	}
	sort.Slice(ordered, func(i, j int) bool { return ordered[i].pos < ordered[j].pos }) // report the first in the script
	for _, cd := range ordered {
		if state[cd] == 0 && !visit(cd) {
			p.errorAt(cd.pos, "cyclic inheritance involving "+cd.name, "construct 'extends'")
			for c := range state {
				c.parentDecl, c.ifaceDecls = nil, nil // keep later walks finite
			}
			return
		}
	}
}

// isA reports whether objects of cd are instances of the type named n.
func (cd *classDecl) isA(n string) bool { return cd.isABelow(n, 0) }

// isABelow bounds the walk: a script may declare interfaces that extend
// each other in a cycle (the compile error is reported elsewhere).
func (cd *classDecl) isABelow(n string, level int) bool {
	if level > 16 {
		return false
	}
	for c, depth := cd, 0; c != nil && depth < 64; c, depth = c.parentDecl, depth+1 {
		if c.name == n {
			return true
		}
		for i, in := range c.ifaces {
			if in == n || lastName(in) == n || n == "java.lang."+in || n == "java.util."+in {
				return true
			}
			if i < len(c.ifaceDecls) {
				for _, id := range c.ifaceDecls {
					if id.isABelow(n, level+1) {
						return true
					}
				}
			}
		}
	}
	return false
}

func lastName(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return s[i+1:]
		}
	}
	return s
}

// findMethod looks name up in cd, its superclasses, then the default
// methods of its interfaces.
func findMethod(cd *classDecl, name string, n int) *funcDef { return findMethodBelow(cd, name, n, 0) }

func findMethodBelow(cd *classDecl, name string, n, level int) *funcDef {
	if level > 16 {
		return nil
	}
	for c, depth := cd, 0; c != nil && depth < 64; c, depth = c.parentDecl, depth+1 {
		if ms := c.methods[name]; len(ms) > 0 {
			if d := pickOverload(ms, n); d != nil {
				return d
			}
		}
	}
	for c, depth := cd, 0; c != nil && depth < 64; c, depth = c.parentDecl, depth+1 {
		for _, id := range c.ifaceDecls {
			if d := findMethodBelow(id, name, n, level+1); d != nil {
				return d
			}
		}
	}
	return nil
}

// hasMethod reports whether some class of the chain declares name.
func hasMethod(cd *classDecl, name string) bool { return hasMethodBelow(cd, name, 0) }

func hasMethodBelow(cd *classDecl, name string, level int) bool {
	if level > 16 {
		return false
	}
	for c, depth := cd, 0; c != nil && depth < 64; c, depth = c.parentDecl, depth+1 {
		if len(c.methods[name]) > 0 {
			return true
		}
		for _, id := range c.ifaceDecls {
			if hasMethodBelow(id, name, level+1) {
				return true
			}
		}
	}
	return false
}

// lineage is cd's chain of classes, the root first.
func lineage(cd *classDecl) []*classDecl {
	var out []*classDecl
	for c, depth := cd, 0; c != nil && depth < 64; c, depth = c.parentDecl, depth+1 {
		out = append([]*classDecl{c}, out...)
	}
	return out
}

// construct runs cd's constructor for args on in: the superclass's
// no-argument constructor first unless the constructor calls super(...).
func (r *runner) construct(cd *classDecl, in *instance, args []any) error {
	if len(cd.ctors) == 0 {
		if len(args) > 0 {
			return newExc("groovy.lang.GroovyRuntimeException", "Could not find matching constructor for: "+cd.name)
		}
		if cd.parentDecl != nil {
			return r.construct(cd.parentDecl, in, nil)
		}
		return nil
	}
	def := pickOverload(cd.ctors, len(args))
	if def == nil {
		return newExc("groovy.lang.GroovyRuntimeException", "Could not find matching constructor for: "+cd.name)
	}
	if cd.parentDecl != nil && !callsSuper(def) {
		if err := r.construct(cd.parentDecl, in, nil); err != nil {
			return err
		}
	}
	_, err := r.callFunc(def, in, args)
	return err
}

func callsSuper(def *funcDef) bool {
	if def.body == nil || len(def.body.list) == 0 {
		return false
	}
	if es, ok := def.body.list[0].(*exprStmt); ok {
		if sc, ok := es.x.(*superCall); ok && sc.name == "<init>" {
			return true
		}
	}
	return false
}

// superCall is super.name(args) or super(args) ("<init>") inside a method
// of owner.
type superCall struct {
	base
	owner *classDecl
	name  string
	args  []node
}

// userClassExpr names a class of the script: Class.staticMethod(...).
type userClassExpr struct {
	base
	name string
}

func (r *runner) evalSuper(x *superCall, f *frame) (any, error) {
	args, err := r.evalArgs(x.args, f)
	if err != nil {
		return nil, err
	}
	parent := x.owner.parentDecl
	if parent == nil {
		if x.name == "<init>" {
			return nil, nil // Object()
		}
		return nil, r.excAt(x.pos, "groovy.lang.MissingMethodException", "No superclass method "+x.name+" in "+x.owner.name)
	}
	this := r.thisOf(f)
	if x.name == "<init>" {
		if this == nil {
			return nil, r.excAt(x.pos, "java.lang.IllegalStateException", "super() outside a constructor")
		}
		return nil, r.at(r.construct(parent, this, args), x.pos)
	}
	def := findMethod(parent, x.name, len(args))
	if def == nil {
		return nil, r.excAt(x.pos, "groovy.lang.MissingMethodException", "No signature of method: "+parent.name+"."+x.name+"() is applicable for "+itoa(len(args))+" arguments")
	}
	return r.callFunc(def, this, args)
}

// thisOf is the script object the code in f runs for (closures inside
// methods see their method's).
func (r *runner) thisOf(f *frame) *instance {
	for fr := f; fr != nil; fr = fr.up {
		if fr.this != nil {
			return fr.this
		}
	}
	return nil
}

// ownerOf is the class whose method the code in f belongs to.
func ownerOf(f *frame) *classDecl {
	for fr := f; fr != nil; fr = fr.up {
		if fr.owner != nil {
			return fr.owner
		}
		if fr.this != nil {
			return fr.this.decl
		}
	}
	return nil
}

// staticCallUser calls Class.name(args) for a class of the script.
func (r *runner) staticCallUser(name, method string, args []any, pos int) (any, error) {
	cd := r.prog.classes[name]
	if cd == nil {
		return nil, r.excAt(pos, "java.lang.NoClassDefFoundError", name)
	}
	def := findMethod(cd, method, len(args))
	if def == nil {
		return nil, r.excAt(pos, "groovy.lang.MissingMethodException", "No signature of method: static "+name+"."+method+"() is applicable for "+itoa(len(args))+" arguments")
	}
	return r.callFunc(def, nil, args)
}

type staticKey struct {
	cd   *classDecl
	name string
}

// staticField reads a static field, running its initializer on first use.
func (r *runner) staticField(cd *classDecl, name string) (any, error) {
	for c, depth := cd, 0; c != nil && depth < 64; c, depth = c.parentDecl, depth+1 {
		for _, fd := range c.fields {
			if fd.name != name || !fd.static {
				continue
			}
			k := staticKey{c, name}
			if v, ok := r.prog.statics.Load(k); ok {
				return v, nil
			}
			v := zeroValue(fd.t)
			if fd.init != nil {
				var err error
				if v, err = r.eval(fd.init, &frame{slots: make([]any, 8), owner: c}); err != nil {
					return nil, err
				}
			}
			v, _ = r.prog.statics.LoadOrStore(k, v)
			return v, nil
		}
	}
	return nil, newExc("groovy.lang.MissingPropertyException", "No such property: "+name+" for class: "+cd.name)
}

func (r *runner) setStaticField(cd *classDecl, name string, v any) error {
	for c, depth := cd, 0; c != nil && depth < 64; c, depth = c.parentDecl, depth+1 {
		for _, fd := range c.fields {
			if fd.name == name && fd.static {
				if fd.t.kind != tkAny && fd.t.kind != tkObject && fd.t.dims == 0 {
					var err error
					if v, err = r.coerce(fd.t.kind, v); err != nil {
						return err
					}
				}
				r.prog.statics.Store(staticKey{c, name}, v)
				return nil
			}
		}
	}
	return newExc("groovy.lang.MissingPropertyException", "No such property: "+name+" for class: "+cd.name)
}

// methodRef is a method reference or pointer; it evaluates to a closure.
type methodRef struct {
	base
	recv node // nil: the script's own methods
	name string
}

// refCall is the body of a method reference's closure: the receiver was
// evaluated when the reference was made, as in Java.
type refCall struct {
	base
	recv   any
	script bool
	at     *frame
	name   string
}

func (r *runner) evalMethodRef(x *methodRef, f *frame) (any, error) {
	rc := &refCall{base: x.base, name: x.name, at: f, script: x.recv == nil}
	if x.recv != nil {
		v, err := r.eval(x.recv, f)
		if err != nil {
			return nil, err
		}
		if v == nil {
			return nil, r.excAt(x.pos, "java.lang.NullPointerException", "method reference on null")
		}
		rc.recv = v
	}
	def := &funcDef{name: x.name, closure: true, varargs: true, params: []param{{name: "args"}}, nslots: 1, exprBody: rc}
	if unboundRef(rc.recv, x.name) {
		// Type::method takes the receiver first: two parameters, so that
		// sort and friends call it as a comparator
		def.params = []param{{name: "self"}, {name: "args", slot: 1}}
		def.nslots = 2
	}
	return &Closure{fn: def}, nil
}

func unboundRef(recv any, name string) bool {
	switch c := recv.(type) {
	case *class:
		_, static := c.statics[name]
		return name != "new" && !static
	case *classDecl:
		def := findMethod(c, name, 1)
		return name != "new" && (def == nil || !def.static)
	}
	return false
}

func (r *runner) callRef(x *refCall, f *frame) (any, error) {
	var args []any
	if len(f.slots) == 2 { // receiver, then the rest
		args = []any{f.slots[0]}
		if rest, _ := f.slots[1].(*List); rest != nil {
			args = append(args, rest.S...)
		}
	} else if rest, _ := f.slots[0].(*List); rest != nil {
		args = rest.S
	}
	if x.script {
		return r.callName(x.name, args, x.at)
	}
	switch c := x.recv.(type) {
	case *class:
		if x.name == "new" {
			if c.ctor == nil {
				return nil, r.excAt(x.pos, "groovy.lang.GroovyRuntimeException", "no constructor for "+c.name)
			}
			return r.callStatic(c.ctor, c.simple, args)
		}
		if fn, ok := c.statics[x.name]; ok {
			return r.callStatic(fn, c.simple+"."+x.name, args)
		}
		return r.unboundRef(x, args)
	case *classDecl:
		if x.name == "new" {
			return r.newInstance(c.name, args, x.pos)
		}
		if def := findMethod(c, x.name, len(args)); def != nil && def.static {
			return r.callFunc(def, nil, args)
		}
		return r.unboundRef(x, args)
	}
	return r.invoke(x.recv, x.name, args)
}

// unboundRef is Type::instanceMethod: the first argument is the receiver.
func (r *runner) unboundRef(x *refCall, args []any) (any, error) {
	if len(args) == 0 || args[0] == nil {
		return nil, r.excAt(x.pos, "java.lang.NullPointerException", "no receiver for ::"+x.name)
	}
	return r.invoke(args[0], x.name, args[1:])
}
