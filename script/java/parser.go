package java

import (
	"fmt"
	"strings"
)

// parser builds the tree and resolves names. A syntax error stops the parse
// (panic with *CompileError, recovered in parse); semantic errors (unknown
// classes and methods) are collected so all are reported at once.
type parser struct {
	src     string
	toks    []token
	i       int
	d       Dialect
	groovy  bool
	nlSens  []bool
	fn      *fnScope
	errs    []*CompileError
	imports map[string]*class
	named   map[string]bool // types the script may name but not use (org.apache.jmeter.*)
	pkgs    []string        // wildcard imports
	methods map[string][]*funcDef
	classes map[string]*classDecl
	assigns map[string]bool // names assigned or declared at script level
	unknown []unknownRef
	calls   []unknownRef // receiver-less calls, checked once all methods are known
	inClass *classDecl
	depth   int
	sync    bool // a "synchronized" modifier waits for the next method
	field   bool // declaring an @Field variable
	// builders: the script names JsonBuilder, so a call without receiver
	// inside a closure may be the builder's (checked when it runs)
	builders bool
}

type unknownRef struct {
	name string
	pos  int
}

type fnScope struct {
	parent  *fnScope
	blocks  []map[string]*varInfo
	ns      [][]int // per block: nil, or (a BeanShell namespace) its loose variables' slots
	def     *funcDef
	closure bool
	top     bool // the script body
}

type varInfo struct {
	slot  int
	kind  typeKind
	loose bool       // a BeanShell variable assigned without a declaration
	outer *localExpr // the loose variable of the same name in an enclosing namespace
}

const maxNesting = 200

type syntaxPanic struct{ err *CompileError }

func (p *parser) tok() *token { return &p.toks[p.i] }
func (p *parser) peek(n int) *token {
	if p.i+n < len(p.toks) {
		return &p.toks[p.i+n]
	}
	return &p.toks[len(p.toks)-1]
}
func (p *parser) is(op string) bool {
	t := &p.toks[p.i]
	return t.kind == tOp && t.text == op
}
func (p *parser) isKw(kw string) bool {
	t := &p.toks[p.i]
	return t.kind == tIdent && t.text == kw
}
func (p *parser) advance() *token {
	t := &p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}
func (p *parser) accept(op string) bool {
	if p.is(op) {
		p.advance()
		return true
	}
	return false
}

func (p *parser) fail(pos int, msg, construct string) {
	line, col := lineCol(p.src, pos)
	panic(syntaxPanic{&CompileError{Line: line, Col: col, Msg: msg, Construct: construct}})
}

func (p *parser) errorAt(pos int, msg, construct string) {
	line, col := lineCol(p.src, pos)
	p.errs = append(p.errs, &CompileError{Line: line, Col: col, Msg: msg, Construct: construct})
}

func (p *parser) expect(op string) *token {
	if !p.is(op) {
		p.failUnexpected("'" + op + "'")
	}
	return p.advance()
}

func (p *parser) failUnexpected(want string) {
	t := p.tok()
	got := t.text
	switch t.kind {
	case tEOF:
		got = "end of script"
	case tString, tGString, tChar:
		got = "string literal"
	case tInt, tLong, tDouble, tFloat:
		got = "number " + t.text
	default:
		got = "'" + got + "'"
	}
	p.fail(t.pos, fmt.Sprintf("expecting %s, found %s", want, got), "")
}

func (p *parser) ident() *token {
	t := p.tok()
	if t.kind != tIdent || reserved[t.text] {
		p.failUnexpected("a name")
	}
	return p.advance()
}

var reserved = map[string]bool{
	"if": true, "else": true, "for": true, "while": true, "do": true, "switch": true, "case": true,
	"default": true, "break": true, "continue": true, "return": true, "throw": true, "try": true,
	"catch": true, "finally": true, "new": true, "class": true, "import": true, "package": true,
	"true": true, "false": true, "null": true, "instanceof": true, "def": true, "var": false,
	"public": true, "private": true, "protected": true, "static": true, "final": true, "this": true,
	"super": true, "void": true, "interface": true, "enum": true, "extends": true, "implements": true,
	"abstract": true, "synchronized": true, "throws": true, "goto": true, "const": true,
}

// newline handling: in Groovy a newline ends a statement unless inside
// parentheses or brackets.
func (p *parser) nlStops() bool {
	return p.groovy && p.nlSens[len(p.nlSens)-1] && p.tok().nl
}
func (p *parser) pushNL(on bool) { p.nlSens = append(p.nlSens, on) }
func (p *parser) popNL()         { p.nlSens = p.nlSens[:len(p.nlSens)-1] }

// ---- scopes

func (p *parser) pushFn(def *funcDef, closure bool) {
	p.fn = &fnScope{parent: p.fn, def: def, closure: closure, blocks: []map[string]*varInfo{{}}, ns: [][]int{nil}}
}
func (p *parser) popFn() { p.fn = p.fn.parent }
func (p *parser) pushBlock() {
	p.fn.blocks = append(p.fn.blocks, map[string]*varInfo{})
	p.fn.ns = append(p.fn.ns, nil)
}
func (p *parser) popBlock() { p.popNS() }

// pushNS opens a block that is a BeanShell namespace: braces and for
// statements. A variable first assigned there without a type lives only
// there (BeanShell 2.0b6), unless the name already exists outside.
func (p *parser) pushNS() {
	p.pushBlock()
	p.fn.ns[len(p.fn.ns)-1] = []int{}
}

// popNS closes the current block and gives the slots of its loose
// variables, which must read as unset each time the block is entered.
func (p *parser) popNS() []int {
	n := len(p.fn.blocks) - 1
	loose := p.fn.ns[n]
	p.fn.blocks, p.fn.ns = p.fn.blocks[:n], p.fn.ns[:n]
	return loose
}

// looseTarget is the target of "name = value" in BeanShell when name is
// not declared in this block: a loose variable of the innermost namespace
// (nil at script level, where names go to the interpreter's namespace).
func (p *parser) looseTarget(name string, pos int, found *localExpr) node {
	if p.d == Groovy || p.fn.closure { // JSR223 "java" runs on BeanShell too
		return nil
	}
	in := -1
	for i := len(p.fn.blocks) - 1; i >= 0; i-- {
		if p.fn.ns[i] != nil {
			in = i
			break
		}
	}
	if in < 0 {
		return nil
	}
	if found != nil {
		if !found.loose {
			return nil
		}
		if _, here := p.fn.blocks[in][name]; here {
			return nil // already this namespace's
		}
	}
	v := &varInfo{slot: p.fn.def.nslots, kind: tkAny, loose: true, outer: found}
	p.fn.def.nslots++
	p.fn.blocks[in][name] = v
	p.fn.ns[in] = append(p.fn.ns[in], v.slot)
	return &localExpr{base: base{pos}, name: name, slot: v.slot, loose: true, outer: found}
}

func (p *parser) declare(name string, kind typeKind, pos int) *localExpr {
	b := p.fn.blocks[len(p.fn.blocks)-1]
	if _, dup := b[name]; dup && !p.fn.top {
		p.errorAt(pos, "variable '"+name+"' is already defined in this scope", "")
	}
	v := &varInfo{slot: p.fn.def.nslots, kind: kind}
	p.fn.def.nslots++
	b[name] = v
	return &localExpr{base: base{pos}, name: name, slot: v.slot, kind: kind}
}

func (p *parser) lookupLocal(name string) (*localExpr, bool) {
	depth := 0
	for s := p.fn; s != nil; s = s.parent {
		for i := len(s.blocks) - 1; i >= 0; i-- {
			if v, ok := s.blocks[i][name]; ok {
				return &localExpr{name: name, depth: depth, slot: v.slot, kind: v.kind, loose: v.loose, outer: v.outer}, true
			}
		}
		if !s.closure {
			break
		}
		depth++
	}
	return nil, false
}

// topLevelGlobals reports whether declarations in the current block become
// bindings: BeanShell keeps the script's top-level variables in its
// namespace (our globals).
func (p *parser) topLevelGlobals() bool {
	return p.d != Groovy && p.fn.top && len(p.fn.blocks) == 1
}

// ---- program

func (p *parser) parseProgram() *funcDef {
	main := &funcDef{name: "run", body: &blockStmt{}}
	p.pushFn(main, false)
	p.fn.top = true
	p.pushNL(true)
	for p.tok().kind != tEOF {
		if s := p.statement(true); s != nil {
			main.body.list = append(main.body.list, s)
		}
	}
	p.popNL()
	p.popFn()
	return main
}

func (p *parser) block() *blockStmt {
	t := p.expect("{")
	b := &blockStmt{base: base{t.pos}}
	p.pushNL(true)
	p.pushNS()
	for !p.is("}") {
		if p.tok().kind == tEOF {
			p.failUnexpected("'}'")
		}
		if s := p.statement(false); s != nil {
			b.list = append(b.list, s)
		}
	}
	b.loose = p.popNS()
	p.popNL()
	p.advance()
	return b
}

func (p *parser) endStmt() {
	if p.accept(";") {
		return
	}
	t := p.tok()
	if t.kind == tEOF || p.is("}") || t.nl || p.groovy && p.isKw("else") {
		return
	}
	p.failUnexpected("';'")
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxNesting {
		p.fail(p.tok().pos, "script nested too deeply", "")
	}
}
func (p *parser) leave() { p.depth-- }

var modifiers = map[string]bool{"public": true, "private": true, "protected": true, "static": true,
	"final": true, "synchronized": true, "abstract": true, "transient": true, "volatile": true}

// statement parses one statement; top is true at script level.
func (p *parser) statement(top bool) node {
	p.enter()
	defer p.leave()
	t := p.tok()
	if t.kind == tOp {
		switch t.text {
		case ";":
			p.advance()
			return nil
		case "{":
			return p.block()
		case "@":
			if p.annotations() {
				// Groovy's @Field: a script variable its methods see, which
				// here is the script's binding
				return p.fieldDecl()
			}
			return p.statement(top)
		}
	}
	if t.kind == tIdent {
		// label
		if !reserved[t.text] && p.peek(1).kind == tOp && p.peek(1).text == ":" && !p.groovyCommandColon() {
			p.advance()
			p.advance()
			s := p.statement(top)
			switch l := s.(type) {
			case *whileStmt:
				l.label = t.text
			case *doStmt:
				l.label = t.text
			case *forStmt:
				l.label = t.text
			case *forEachStmt:
				l.label = t.text
			case *switchStmt:
				l.label = t.text
			}
			return s
		}
		switch t.text {
		case "if":
			return p.ifStmt()
		case "while":
			p.advance()
			p.expect("(")
			p.pushNL(false)
			c := p.expr()
			p.popNL()
			p.expect(")")
			return &whileStmt{base: base{t.pos}, cond: c, body: p.body()}
		case "do":
			p.advance()
			body := p.body()
			if !p.isKw("while") {
				p.failUnexpected("'while'")
			}
			p.advance()
			p.expect("(")
			p.pushNL(false)
			c := p.expr()
			p.popNL()
			p.expect(")")
			p.endStmt()
			return &doStmt{base: base{t.pos}, cond: c, body: body}
		case "for":
			return p.forStmt()
		case "switch":
			return p.switchStmt()
		case "break", "continue":
			p.advance()
			label := ""
			if p.tok().kind == tIdent && !p.tok().nl && !reserved[p.tok().text] {
				label = p.advance().text
			}
			p.endStmt()
			if t.text == "break" {
				return &breakStmt{base{t.pos}, label}
			}
			return &continueStmt{base{t.pos}, label}
		case "return":
			p.advance()
			var x node
			if !p.is(";") && !p.is("}") && p.tok().kind != tEOF && !(p.groovy && p.tok().nl) {
				x = p.expr()
			}
			p.endStmt()
			return &returnStmt{base{t.pos}, x}
		case "throw":
			p.advance()
			x := p.expr()
			p.endStmt()
			return &throwStmt{base{t.pos}, x}
		case "try":
			return p.tryStmt()
		case "synchronized":
			if p.peek(1).kind == tOp && p.peek(1).text == "(" {
				p.advance()
				p.expect("(")
				p.pushNL(false)
				x := p.expr()
				p.popNL()
				p.expect(")")
				return &syncStmt{base: base{t.pos}, lock: x, body: p.block()}
			}
		case "import":
			if !top {
				p.fail(t.pos, "import inside a block", "construct 'import'")
			}
			p.importDecl()
			return nil
		case "package":
			p.advance()
			p.qualifiedName()
			p.endStmt()
			return nil
		case "assert":
			p.advance()
			c := p.expr()
			var msg node
			if p.accept(":") || p.accept(",") {
				msg = p.expr()
			}
			p.endStmt()
			return &assertStmt{base{t.pos}, c, msg}
		case "class", "interface", "enum", "record", "trait":
			if t.text == "record" && p.peek(1).kind != tIdent {
				break
			}
			if t.text != "class" && t.text != "interface" {
				p.fail(t.pos, t.text+" declarations are not supported", "construct '"+t.text+"'")
			}
			if !top {
				p.fail(t.pos, "class declaration inside a block", "construct 'local class'")
			}
			p.classDecl()
			return nil
		case "else", "case", "default", "catch", "finally":
			p.failUnexpected("a statement")
		}
		if modifiers[t.text] || t.text == "def" || t.text == "var" && p.peek(1).kind == tIdent {
			return p.declOrMethod(top)
		}
		if p.declStart() {
			return p.declOrMethod(top)
		}
		if top && !p.groovy && p.peek(1).kind == tOp && p.peek(1).text == "(" && p.untypedMethodAhead() {
			return p.methodDecl(typeRef{}, p.advance(), nil)
		}
	}
	x := p.exprStatement()
	p.endStmt()
	return &exprStmt{base{t.pos}, x}
}

// groovyCommandColon: "foo: bar" at statement start is a label in Java,
// and in Groovy too (map literals need brackets), so always false.
func (p *parser) groovyCommandColon() bool { return false }

func (p *parser) body() node {
	if p.is(";") {
		t := p.advance()
		return &emptyStmt{base{t.pos}}
	}
	p.pushBlock()
	s := p.statement(false)
	p.popBlock()
	if s == nil {
		return &emptyStmt{}
	}
	return s
}

func (p *parser) ifStmt() node {
	t := p.advance()
	p.expect("(")
	p.pushNL(false)
	c := p.expr()
	p.popNL()
	p.expect(")")
	s := &ifStmt{base: base{t.pos}, cond: c, then: p.body()}
	save := p.i
	p.accept(";")
	if p.isKw("else") {
		p.advance()
		s.els_ = p.body()
	} else {
		p.i = save
	}
	return s
}

func (p *parser) forStmt() node {
	t := p.advance()
	p.expect("(")
	p.pushNL(false)
	defer p.popNL()
	p.pushNS()
	defer p.popNS()
	// for-each: [Type] name (':' | 'in') expr
	save := p.i
	var tr typeRef
	hasType := false
	if p.isKw("def") || p.isKw("var") || p.isKw("final") {
		for p.isKw("final") {
			p.advance()
		}
		if p.isKw("def") || p.isKw("var") {
			p.advance()
		}
		hasType = true
	} else if p.tok().kind == tIdent && p.peek(1).kind == tIdent && p.peek(1).text != "in" || p.typeAhead() {
		if n, ok := p.tryType(); ok {
			tr = n
			hasType = true
		} else {
			p.i = save
		}
	}
	if p.tok().kind == tIdent && !reserved[p.tok().text] && (p.peek(1).kind == tOp && p.peek(1).text == ":" || p.peek(1).kind == tIdent && p.peek(1).text == "in") {
		if hasType && tr.name != "" {
			p.resolveType(&tr, save)
		}
		nt := p.advance()
		p.advance()
		iter := p.expr()
		p.expect(")")
		v := p.declare(nt.text, tr.kind, nt.pos)
		p.popNL()
		p.pushNL(true)
		body := p.body()
		return &forEachStmt{base: base{t.pos}, v: v, kind: tr.kind, iter: iter, body: body, loose: p.fn.ns[len(p.fn.ns)-1]}
	}
	p.i = save
	s := &forStmt{base: base{t.pos}}
	if !p.is(";") {
		if p.declStart() || p.isKw("def") || p.isKw("var") || p.isKw("final") {
			s.init = append(s.init, p.localDecl(false))
		} else {
			s.init = append(s.init, p.expr())
			for p.accept(",") {
				s.init = append(s.init, p.expr())
			}
		}
	}
	p.expect(";")
	if !p.is(";") {
		s.cond = p.expr()
	}
	p.expect(";")
	if !p.is(")") {
		s.update = append(s.update, p.expr())
		for p.accept(",") {
			s.update = append(s.update, p.expr())
		}
	}
	p.expect(")")
	p.popNL()
	p.pushNL(true)
	s.body = p.body()
	s.loose = p.fn.ns[len(p.fn.ns)-1]
	return s
}

func (p *parser) switchStmt() node {
	t := p.advance()
	p.expect("(")
	p.pushNL(false)
	x := p.expr()
	p.popNL()
	p.expect(")")
	p.expect("{")
	p.pushNL(true)
	p.pushBlock()
	s := &switchStmt{base: base{t.pos}, x: x}
	for !p.accept("}") {
		var c switchCase
		if p.isKw("default") {
			p.advance()
		} else if p.isKw("case") {
			p.advance()
			for {
				c.exprs = append(c.exprs, p.ternary())
				if !p.accept(",") {
					break
				}
			}
		} else {
			p.failUnexpected("'case' or 'default'")
		}
		if p.is("->") {
			p.fail(p.tok().pos, "switch rules (case ... ->) are not supported", "construct 'switch rule'")
		}
		p.expect(":")
		for !p.isKw("case") && !p.isKw("default") && !p.is("}") {
			if p.tok().kind == tEOF {
				p.failUnexpected("'}'")
			}
			if st := p.statement(false); st != nil {
				c.body = append(c.body, st)
			}
		}
		if len(c.exprs) == 0 {
			c.exprs = nil
		}
		s.cases = append(s.cases, c)
	}
	p.popBlock()
	p.popNL()
	return s
}

func (p *parser) tryStmt() node {
	t := p.advance()
	s := &tryStmt{base: base{t.pos}}
	p.pushBlock()
	defer p.popBlock()
	if p.accept("(") {
		p.pushNL(false)
		for !p.is(")") {
			s.res = append(s.res, p.localDecl(false))
			if !p.accept(";") {
				break
			}
		}
		p.popNL()
		p.expect(")")
	}
	s.body = p.block()
	for p.isKw("catch") {
		p.advance()
		p.expect("(")
		var cc catchClause
		for p.isKw("final") {
			p.advance()
		}
		start := p.i
		if p.tok().kind == tIdent && (p.peek(1).kind == tOp && p.peek(1).text == ")") {
			cc.classes = []string{"java.lang.Exception"} // Groovy catch (e)
		} else {
			for {
				pos := p.tok().pos
				name := p.qualifiedName()
				cc.classes = append(cc.classes, p.exceptionClass(name, pos))
				if !p.accept("|") {
					break
				}
			}
		}
		_ = start
		nt := p.ident()
		p.expect(")")
		p.pushBlock()
		cc.v = p.declare(nt.text, tkAny, nt.pos)
		cc.body = p.block()
		p.popBlock()
		s.catches = append(s.catches, cc)
	}
	if p.isKw("finally") {
		p.advance()
		s.finally = p.block()
	}
	if len(s.catches) == 0 && s.finally == nil && len(s.res) == 0 {
		p.failUnexpected("'catch' or 'finally'")
	}
	return s
}

func (p *parser) exceptionClass(name string, pos int) string {
	if c := p.findClass(name); c != nil && c.throwable {
		return c.name
	}
	if p.named[name] || strings.HasPrefix(name, "org.apache.jmeter.") {
		return name
	}
	p.errorAt(pos, "unknown exception class "+name, "class "+name)
	return name
}

func (p *parser) qualifiedName() string {
	n := p.ident().text
	for p.is(".") && p.peek(1).kind == tIdent {
		p.advance()
		n += "." + p.advance().text
	}
	return n
}

func (p *parser) importDecl() {
	t := p.advance()
	static := false
	if p.isKw("static") {
		p.advance()
		static = true
	}
	name := p.qualifiedName()
	star := false
	if p.is(".") && p.peek(1).kind == tOp && p.peek(1).text == "*" {
		p.advance()
		p.advance()
		star = true
	}
	alias := ""
	if p.isKw("as") {
		p.advance()
		alias = p.ident().text
	}
	p.endStmt()
	pos := t.pos
	switch {
	case static:
		cls, member := name, ""
		if !star {
			i := strings.LastIndexByte(name, '.')
			cls, member = name[:i], name[i+1:]
		}
		c := classByName(cls)
		if c == nil {
			p.errorAt(pos, "unsupported import of class "+cls, "class "+cls)
			return
		}
		if star {
			for m := range c.statics {
				p.imports["#"+m] = c
			}
			return
		}
		if _, ok := c.statics[member]; !ok {
			if _, ok := c.fields[member]; !ok {
				p.errorAt(pos, "unknown static member "+member+" of "+cls, "method "+c.simple+"."+member)
				return
			}
		}
		p.imports["#"+member] = c
	case star:
		if packageKnown(name) {
			p.pkgs = append(p.pkgs, name)
			return
		}
		if strings.HasPrefix(name, "org.apache.jmeter") {
			return
		}
		p.errorAt(pos, "unsupported import of package "+name+notInJMeter(name), "package "+name)
	default:
		simple := name[strings.LastIndexByte(name, '.')+1:]
		if alias != "" {
			simple = alias
		}
		if c := classByName(name); c != nil {
			p.imports[simple] = c
			return
		}
		if strings.HasPrefix(name, "groovy.transform.") && ignoredAnnotations[simple] {
			return // an annotation the script may then use
		}
		if strings.HasPrefix(name, "org.apache.jmeter.") || strings.HasPrefix(name, "org.apache.log.") || strings.HasPrefix(name, "org.slf4j.") {
			p.named[simple] = true
			return
		}
		p.errorAt(pos, "unsupported import of class "+name+notInJMeter(name), "class "+name)
	}
}

// notInJMeter explains imports of libraries JMeter 5.6.3 does not ship:
// such a script fails in JMeter too unless the plan's user added the jar.
func notInJMeter(name string) string {
	for _, l := range [...]struct{ pkg, jar string }{
		{"org.json", "org.json (json-*.jar)"}, {"com.alibaba.fastjson", "fastjson"}, {"com.google.gson", "Gson"},
	} {
		if name == l.pkg || strings.HasPrefix(name, l.pkg+".") {
			return " (" + l.jar + " is not in JMeter 5.6.3's lib: JMeter cannot run this script without an added jar either)"
		}
	}
	return ""
}

// findClass resolves a simple or qualified class name.
func (p *parser) findClass(name string) *class {
	if c, ok := p.imports[name]; ok {
		return c
	}
	if i := strings.IndexByte(name, '.'); i >= 0 {
		if c := classByName(name); c != nil {
			return c
		}
		// a nested class through its outer class: Map.Entry
		if outer := p.findClass(name[:i]); outer != nil {
			return classByName(outer.name + name[i:])
		}
		return nil
	}
	for _, pkg := range defaultPackages {
		if c := classByName(pkg + "." + name); c != nil {
			return c
		}
	}
	if p.groovy {
		for _, pkg := range groovyPackages {
			if c := classByName(pkg + "." + name); c != nil {
				return c
			}
		}
	}
	for _, pkg := range p.pkgs {
		if c := classByName(pkg + "." + name); c != nil {
			return c
		}
	}
	return nil
}

var defaultPackages = []string{"java.lang", "java.util", "java.io", "java.net"}
var groovyPackages = []string{"groovy.lang", "groovy.util", "java.math"}

var primitives = map[string]typeKind{
	"int": tkInt, "long": tkLong, "double": tkDouble, "float": tkFloat, "short": tkShort,
	"byte": tkByte, "char": tkChar, "boolean": tkBool, "void": tkAny,
}

var boxedKinds = map[string]typeKind{
	"java.lang.Integer": tkInt, "java.lang.Long": tkLong, "java.lang.Double": tkDouble,
	"java.lang.Float": tkFloat, "java.lang.Short": tkShort, "java.lang.Byte": tkByte,
	"java.lang.Character": tkChar, "java.lang.Boolean": tkBool, "java.lang.String": tkString,
	"java.math.BigDecimal": tkBigDecimal,
}

// tryType scans a type syntactically (no resolution, no errors).
func (p *parser) tryType() (typeRef, bool) {
	t := p.tok()
	if t.kind != tIdent || reserved[t.text] && t.text != "void" {
		return typeRef{}, false
	}
	name := p.advance().text
	for p.is(".") && p.peek(1).kind == tIdent {
		p.advance()
		name += "." + p.advance().text
	}
	if p.is("<") {
		depth := 0
		for {
			tt := p.tok()
			if tt.kind == tEOF {
				return typeRef{}, false
			}
			if tt.kind == tOp {
				switch tt.text {
				case "<":
					depth++
				case ">":
					depth--
				case ">>":
					depth -= 2
				case ">>>":
					depth -= 3
				case ",", ".", "?", "[", "]", "&":
				default:
					return typeRef{}, false
				}
			} else if tt.kind != tIdent {
				return typeRef{}, false
			}
			p.advance()
			if depth <= 0 {
				if depth < 0 {
					return typeRef{}, false
				}
				break
			}
		}
	}
	r := typeRef{name: name}
	for p.is("[") && p.peek(1).kind == tOp && p.peek(1).text == "]" {
		p.advance()
		p.advance()
		r.dims++
	}
	if p.is("...") {
		r.dims++
	}
	return r, true
}

// typeAhead reports whether a generic or array type starts here.
func (p *parser) typeAhead() bool {
	if p.tok().kind != tIdent {
		return false
	}
	n := p.peek(1)
	return n.kind == tOp && (n.text == "<" || n.text == "[" || n.text == ".")
}

// resolveType fills in the class and conversion kind of a scanned type.
func (p *parser) resolveType(r *typeRef, pos int) {
	if k, ok := primitives[r.name]; ok && r.dims == 0 {
		r.kind = k
		return
	} else if ok {
		r.kind = tkObject
		return
	}
	if c := p.findClass(r.name); c != nil {
		r.cls = c
		r.name = c.name
		if r.dims == 0 {
			if k, ok := boxedKinds[c.name]; ok {
				r.kind = k
				return
			}
		}
		r.kind = tkObject
		return
	}
	if p.classes[r.name] != nil {
		r.kind = tkObject
		return
	}
	if p.named[r.name] || strings.HasPrefix(r.name, "org.apache.jmeter.") || len(r.name) == 1 {
		r.kind = tkObject
		return
	}
	if p.inClassNamed(r.name) {
		r.kind = tkObject
		return
	}
	p.errorAt(pos, "unknown class "+r.name, "class "+r.name)
	r.kind = tkObject
}

func (p *parser) inClassNamed(n string) bool {
	// a class declared later in the script: allowed by a pre-scan
	for i := range p.toks {
		if p.toks[i].kind == tIdent && p.toks[i].text == "class" && i+1 < len(p.toks) && p.toks[i+1].text == n {
			return true
		}
	}
	return false
}

// declStart reports whether a "Type name" declaration starts here.
func (p *parser) declStart() bool {
	t := p.tok()
	if t.kind != tIdent || reserved[t.text] && t.text != "void" {
		return false
	}
	save := p.i
	defer func() { p.i = save }()
	tr, ok := p.tryType()
	if !ok {
		return false
	}
	if _, prim := primitives[tr.name]; !prim && tr.dims == 0 && tr.name[0] >= 'a' && tr.name[0] <= 'z' && !strings.Contains(tr.name, ".") && p.toks[save+1].kind == tIdent {
		return false // "println x" is a command, not a declaration of type println
	}
	n := p.tok()
	if n.kind != tIdent || reserved[n.text] || n.text == "in" || n.text == "instanceof" || n.text == "as" {
		return false
	}
	if p.groovy && n.nl {
		return false
	}
	nn := p.peek(1)
	if nn.kind == tEOF || nn.nl && p.groovy {
		return true
	}
	if nn.kind == tOp {
		switch nn.text {
		case "=", ";", ",", ":", ")", "}":
			return true
		case "(":
			// a method declaration: Type name(...) {
			if !(p.fn.top || p.inClass != nil) {
				return false
			}
			return p.untypedMethodAhead()
		}
	}
	return false
}

// untypedMethodAhead: BeanShell "name(a, b) {" at top level.
func (p *parser) untypedMethodAhead() bool {
	save := p.i
	defer func() { p.i = save }()
	p.advance()
	p.advance()
	depth := 1
	for depth > 0 {
		t := p.advance()
		if t.kind == tEOF {
			return false
		}
		if t.kind == tOp {
			switch t.text {
			case "(":
				depth++
			case ")":
				depth--
			}
		}
	}
	return p.is("{") || p.isKw("throws")
}

func (p *parser) declOrMethod(top bool) node {
	start := p.tok().pos
	static := false
	p.sync = false
	for p.tok().kind == tIdent && modifiers[p.tok().text] {
		if p.tok().text == "static" {
			static = true
		}
		p.sync = p.sync || p.tok().text == "synchronized"
		p.advance()
	}
	_ = static
	if (p.isKw("class") || p.isKw("interface")) && top {
		p.classDecl()
		return nil
	}
	var tr typeRef
	isDef := false
	if p.isKw("def") || p.isKw("var") {
		p.advance()
		isDef = true
		if p.is("(") && p.groovy {
			return p.multiAssign(start)
		}
		// "def String x" is allowed in Groovy
		if p.tok().kind == tIdent && p.peek(1).kind == tIdent && !reserved[p.peek(1).text] && p.peek(1).text != "in" && !p.peek(1).nl {
			save := p.i
			if r, ok := p.tryType(); ok && p.tok().kind == tIdent {
				tr = r
				p.resolveType(&tr, p.toks[save].pos)
			} else {
				p.i = save
			}
		}
	} else {
		pos := p.tok().pos
		r, ok := p.tryType()
		if !ok {
			p.failUnexpected("a type")
		}
		tr = r
		if p.tok().kind == tIdent && p.peek(1).kind == tOp && p.peek(1).text == "(" && (top || p.inClass != nil) {
			p.resolveType(&tr, pos)
			nt := p.advance()
			return p.methodDecl(tr, nt, nil)
		}
		p.resolveType(&tr, pos)
	}
	if isDef && p.tok().kind == tIdent && p.peek(1).kind == tOp && p.peek(1).text == "(" && (top || p.inClass != nil) {
		nt := p.advance()
		return p.methodDecl(tr, nt, nil)
	}
	d := p.declarators(tr, start)
	p.endStmt()
	return d
}

func (p *parser) localDecl(_ bool) node {
	start := p.tok().pos
	for p.isKw("final") {
		p.advance()
	}
	var tr typeRef
	if p.isKw("def") || p.isKw("var") {
		p.advance()
	} else {
		pos := p.tok().pos
		r, ok := p.tryType()
		if !ok {
			p.failUnexpected("a type")
		}
		tr = r
		p.resolveType(&tr, pos)
	}
	return p.declarators(tr, start)
}

func (p *parser) declarators(tr typeRef, start int) node {
	d := &declStmt{base: base{start}, t: tr}
	for {
		nt := p.ident()
		dims := 0
		for p.is("[") && p.peek(1).text == "]" {
			p.advance()
			p.advance()
			dims++
		}
		var init node
		if p.accept("=") {
			if p.is("{") && (tr.dims > 0 || dims > 0) {
				init = p.arrayInit(typeRef{name: tr.name, kind: tr.kind, cls: tr.cls, dims: tr.dims + dims - 1})
			} else {
				init = p.expr()
			}
		}
		var target node
		if p.topLevelGlobals() || p.field {
			p.assigns[nt.text] = true
			target = &globalExpr{base: base{nt.pos}, name: nt.text}
		} else {
			// the initializer is parsed before the name is in scope
			target = p.declare(nt.text, tr.kind, nt.pos)
		}
		d.targets = append(d.targets, target)
		d.inits = append(d.inits, init)
		if !p.accept(",") {
			break
		}
	}
	return d
}

func (p *parser) multiAssign(start int) node {
	p.expect("(")
	var names []*token
	for {
		for p.tok().kind == tIdent && p.peek(1).kind == tIdent {
			p.advance() // optional types
		}
		names = append(names, p.ident())
		if !p.accept(",") {
			break
		}
	}
	p.expect(")")
	p.expect("=")
	val := p.expr()
	m := &multiAssign{base: base{start}, val: val}
	for _, n := range names {
		m.targets = append(m.targets, p.declare(n.text, tkAny, n.pos))
	}
	p.endStmt()
	return m
}

func (p *parser) arrayInit(elem typeRef) *arrayLit {
	t := p.expect("{")
	a := &arrayLit{base: base{t.pos}, elem: elem}
	p.pushNL(false)
	for !p.is("}") {
		if p.is("{") {
			a.elems = append(a.elems, p.arrayInit(typeRef{name: elem.name, kind: elem.kind, cls: elem.cls, dims: elem.dims - 1}))
		} else {
			a.elems = append(a.elems, p.expr())
		}
		if !p.accept(",") {
			break
		}
	}
	p.popNL()
	p.expect("}")
	return a
}

// methodDecl parses parameters and body of a method whose name token was
// just consumed.
func (p *parser) methodDecl(ret typeRef, nt *token, owner *classDecl) node {
	def := &funcDef{name: nt.text, pos: nt.pos, ret: ret, ownerDecl: p.inClass, sync: p.sync}
	p.sync = false
	outer := p.fn
	// methods do not see the script's local variables
	p.fn = &fnScope{parent: nil, def: def, blocks: []map[string]*varInfo{{}}, ns: [][]int{nil}}
	p.params(def, ")")
	if p.isKw("throws") {
		p.advance()
		for {
			p.qualifiedName()
			if !p.accept(",") {
				break
			}
		}
	}
	if p.inClass != nil && !p.is("{") {
		// an abstract or interface method: no body, nothing to run
		p.accept(";")
		p.fn = outer
		return nil
	}
	p.pushNL(true)
	def.body = p.block()
	p.popNL()
	p.fn = outer
	if p.inClass != nil {
		if nt.text == p.inClass.name {
			p.inClass.ctors = append(p.inClass.ctors, def)
		} else {
			p.inClass.methods[nt.text] = append(p.inClass.methods[nt.text], def)
		}
		return nil
	}
	p.methods[nt.text] = append(p.methods[nt.text], def)
	return nil
}

// params parses "(a, Type b, c = 1)" or closure params up to end.
func (p *parser) params(def *funcDef, end string) {
	if end == ")" {
		p.expect("(")
	}
	p.pushNL(false)
	for !p.is(end) {
		p.annotations()
		for p.isKw("final") {
			p.advance()
		}
		var tr typeRef
		pos := p.tok().pos
		if p.isKw("def") {
			p.advance()
		} else if p.tok().kind == tIdent && (p.peek(1).kind == tIdent || p.typeAhead() && !(p.peek(1).text == "," || p.peek(1).text == end)) {
			r, ok := p.tryType()
			if !ok {
				p.failUnexpected("a parameter")
			}
			tr = r
			p.resolveType(&tr, pos)
			if p.accept("...") {
				def.varargs = true
			}
		}
		nt := p.ident()
		l := p.declare(nt.text, tr.kind, nt.pos)
		pr := param{name: nt.text, slot: l.slot, t: tr}
		if p.accept("=") {
			pr.def = p.ternary()
		}
		def.params = append(def.params, pr)
		if !p.accept(",") {
			break
		}
	}
	p.popNL()
	p.expect(end)
}

func (p *parser) classDecl() {
	t := p.advance()
	nt := p.ident()
	cd := &classDecl{name: nt.text, methods: map[string][]*funcDef{}, pos: t.pos, iface: t.text == "interface"}
	p.skipTypeParams()
	for p.isKw("extends") || p.isKw("implements") {
		ext := p.advance().text == "extends" && !cd.iface
		for {
			pos := p.tok().pos
			name := p.qualifiedName()
			p.skipTypeParams()
			if ext {
				cd.parent, cd.parentPos = name, pos
			} else {
				cd.ifaces = append(cd.ifaces, name)
			}
			if !p.accept(",") {
				break
			}
		}
	}
	if p.classes[nt.text] != nil {
		p.errorAt(nt.pos, "duplicate class "+nt.text, "")
	}
	p.classes[nt.text] = cd
	outer := p.inClass
	p.inClass = cd
	p.expect("{")
	p.pushNL(true)
	for !p.accept("}") {
		if p.accept(";") {
			continue
		}
		if p.tok().kind == tEOF {
			p.failUnexpected("'}'")
		}
		p.annotations()
		static := false
		p.sync = false
		for p.tok().kind == tIdent && (modifiers[p.tok().text] || cd.iface && p.tok().text == "default") {
			static = static || p.tok().text == "static"
			p.sync = p.sync || p.tok().text == "synchronized"
			p.advance()
		}
		if p.isKw("class") {
			p.fail(p.tok().pos, "nested classes are not supported", "construct 'nested class'")
		}
		// constructor
		if p.isKw(cd.name) && p.peek(1).text == "(" {
			nt := p.advance()
			p.methodDecl(typeRef{}, nt, cd)
			continue
		}
		var tr typeRef
		if p.isKw("def") || p.isKw("var") {
			p.advance()
		} else {
			pos := p.tok().pos
			r, ok := p.tryType()
			if !ok {
				p.failUnexpected("a member")
			}
			tr = r
			p.resolveType(&tr, pos)
		}
		nt := p.ident()
		if p.is("(") {
			p.methodDecl(tr, nt, cd)
			if ms := cd.methods[nt.text]; len(ms) > 0 {
				ms[len(ms)-1].static = static
			}
			continue
		}
		for {
			f := fieldDecl{name: nt.text, t: tr, static: static}
			if p.accept("=") {
				// field initializers run in a method-like scope
				def := &funcDef{name: "<init>"}
				outerFn := p.fn
				p.fn = &fnScope{def: def, blocks: []map[string]*varInfo{{}}, ns: [][]int{nil}}
				f.init = p.expr()
				p.fn = outerFn
			}
			cd.fields = append(cd.fields, f)
			if !p.accept(",") {
				break
			}
			nt = p.ident()
		}
		p.endStmt()
	}
	p.popNL()
	p.inClass = outer
}

// ---- expressions

func (p *parser) exprStatement() node {
	x := p.expr()
	// Groovy command expression: log.info "x", println x
	if p.groovy && !p.nlStops() && p.commandArgStart() {
		name, recv := "", node(nil)
		switch c := x.(type) {
		case *globalExpr:
			name = c.name
		case *propExpr:
			if c.safe || c.spread {
				return x
			}
			name, recv = c.name, c.x
		default:
			return x
		}
		call := &callExpr{base: base{x.p()}, recv: recv, name: name}
		p.pushNL(false)
		var named *mapLit
		for {
			// named arguments: customer name: 'ada', vip: true
			if !p.namedArg(&named) {
				call.args = append(call.args, p.expr())
			}
			if !p.accept(",") {
				break
			}
		}
		if named != nil {
			call.args = append([]node{named}, call.args...)
		}
		p.popNL()
		return p.finishCall(call)
	}
	return x
}

func (p *parser) commandArgStart() bool {
	t := p.tok()
	switch t.kind {
	case tString, tGString, tInt, tLong, tDouble, tFloat:
		return true
	case tIdent:
		return !reserved[t.text] || t.text == "new" || t.text == "true" || t.text == "false" || t.text == "null" || t.text == "this"
	}
	return false
}

func (p *parser) expr() node {
	p.enter()
	defer p.leave()
	return p.assignment()
}

var assignOps = map[string]bool{"=": true, "+=": true, "-=": true, "*=": true, "/=": true, "%=": true,
	"&=": true, "|=": true, "^=": true, "<<=": true, ">>=": true, ">>>=": true, "**=": true, "?=": true}

func (p *parser) assignment() node {
	// Java lambda: x -> ..., (a, b) -> ...
	if l := p.tryLambda(); l != nil {
		return l
	}
	x := p.ternary()
	t := p.tok()
	if t.kind == tOp && assignOps[t.text] && !p.nlStops() {
		p.advance()
		switch tg := x.(type) {
		case *localExpr:
			if t.text == "=" && tg.loose {
				if l := p.looseTarget(tg.name, tg.pos, tg); l != nil {
					x = l
				}
			}
		case *propExpr, *indexExpr, *fieldExpr:
		case *globalExpr:
			if t.text == "=" {
				if l := p.looseTarget(tg.name, tg.pos, nil); l != nil {
					x = l
					break
				}
			}
			p.assigns[tg.name] = true
		default:
			p.fail(t.pos, "invalid assignment target", "")
		}
		v := p.assignment()
		return &assignExpr{base: base{t.pos}, op: t.text, target: x, val: v}
	}
	return x
}

func (p *parser) tryLambda() node {
	t := p.tok()
	if t.kind == tIdent && !reserved[t.text] && p.peek(1).kind == tOp && p.peek(1).text == "->" {
		return p.lambda(false)
	}
	if t.kind == tOp && t.text == "(" {
		// scan to the matching ')' and look for '->'
		depth := 0
		for j := p.i; j < len(p.toks); j++ {
			tt := &p.toks[j]
			if tt.kind == tEOF {
				return nil
			}
			if tt.kind == tOp {
				switch tt.text {
				case "(":
					depth++
				case ")":
					depth--
					if depth == 0 {
						if j+1 < len(p.toks) && p.toks[j+1].kind == tOp && p.toks[j+1].text == "->" {
							return p.lambda(true)
						}
						return nil
					}
				}
			}
		}
	}
	return nil
}

func (p *parser) lambda(paren bool) node {
	pos := p.tok().pos
	def := &funcDef{name: "lambda", closure: true, pos: pos}
	p.pushFn(def, true)
	defer p.popFn()
	if paren {
		p.params(def, ")")
	} else {
		nt := p.advance()
		l := p.declare(nt.text, tkAny, nt.pos)
		def.params = append(def.params, param{name: nt.text, slot: l.slot})
	}
	p.expect("->")
	if p.is("{") {
		def.body = p.block()
	} else {
		def.exprBody = p.expr()
	}
	return &closureExpr{base: base{pos}, fn: def}
}

func (p *parser) ternary() node {
	c := p.binary(0)
	t := p.tok()
	if t.kind != tOp || p.nlStops() {
		return c
	}
	if t.text == "?" {
		p.advance()
		p.pushNL(false)
		a := p.ternary()
		p.popNL()
		p.expect(":")
		b := p.ternary()
		return &condExpr{base: base{t.pos}, c: c, a: a, b: b}
	}
	if t.text == "?:" {
		p.advance()
		b := p.ternary()
		return &elvisExpr{base: base{t.pos}, a: c, b: b}
	}
	return c
}

var binLevels = [][]string{
	{"||"},
	{"&&"},
	{"|"},
	{"^"},
	{"&"},
	{"==", "!=", "<=>", "=~", "==~"},
	{"<", ">", "<=", ">=", "instanceof", "in", "as"},
	{"<<", ">>", ">>>", "..", "..<"},
	{"+", "-"},
	{"*", "/", "%"},
}

func (p *parser) binOp(level int) (string, bool) {
	t := p.tok()
	if p.nlStops() {
		return "", false
	}
	if t.kind == tOp && t.text == "!" && level == 6 && p.groovy {
		n := p.peek(1)
		if n.kind == tIdent && (n.text == "in" || n.text == "instanceof") {
			return "!" + n.text, true
		}
	}
	if t.kind != tOp && t.kind != tIdent {
		return "", false
	}
	for _, op := range binLevels[level] {
		if t.text == op {
			if t.kind == tIdent && !(op == "instanceof" || op == "in" || op == "as") {
				return "", false
			}
			if t.kind == tOp && (op == "instanceof" || op == "in" || op == "as") {
				return "", false
			}
			if !p.groovy && (op == "in" || op == "as" || op == "==~" || op == "=~" || op == "<=>" || op == ".." || op == "..<") {
				return "", false
			}
			return op, true
		}
	}
	return "", false
}

func (p *parser) binary(level int) node {
	if level == len(binLevels) {
		return p.unary()
	}
	p.enter()
	defer p.leave()
	x := p.binary(level + 1)
	for {
		op, ok := p.binOp(level)
		if !ok {
			return x
		}
		t := p.advance()
		if op == "!in" || op == "!instanceof" {
			p.advance()
		}
		switch op {
		case "instanceof", "!instanceof":
			pos := p.tok().pos
			tr, ok := p.tryType()
			if !ok {
				p.failUnexpected("a type")
			}
			p.resolveType(&tr, pos)
			var n node = &instanceofExpr{base: base{t.pos}, x: x, t: tr}
			if op[0] == '!' {
				n = &unaryExpr{base: base{t.pos}, op: "!", x: n}
			}
			x = n
			continue
		case "as":
			pos := p.tok().pos
			tr, ok := p.tryType()
			if !ok {
				p.failUnexpected("a type")
			}
			p.resolveType(&tr, pos)
			x = &castExpr{base: base{t.pos}, t: tr, x: x, as: true}
			continue
		}
		y := p.binary(level + 1)
		switch op {
		case "..", "..<":
			x = &rangeExpr{base: base{t.pos}, from: x, to: y, excl: op == "..<"}
		case "!in":
			x = &unaryExpr{base: base{t.pos}, op: "!", x: &binExpr{base: base{t.pos}, op: "in", l: x, r: y}}
		default:
			x = &binExpr{base: base{t.pos}, op: op, l: x, r: y}
		}
	}
}

func (p *parser) unary() node {
	p.enter()
	defer p.leave()
	t := p.tok()
	if t.kind == tOp {
		switch t.text {
		case "!", "~":
			p.advance()
			return &unaryExpr{base: base{t.pos}, op: t.text, x: p.unary()}
		case "-", "+":
			p.advance()
			x := p.unary()
			if l, ok := x.(*litExpr); ok && t.text == "-" {
				switch v := l.val.(type) {
				case int32:
					return &litExpr{base{t.pos}, -v}
				case int64:
					return &litExpr{base{t.pos}, -v}
				case float64:
					return &litExpr{base{t.pos}, -v}
				}
			}
			return &unaryExpr{base: base{t.pos}, op: t.text, x: x}
		case "++", "--":
			p.advance()
			x := p.unary()
			p.checkTarget(x, t.pos)
			return &incDec{base: base{t.pos}, op: t.text, prefix: true, target: x}
		case "(":
			if c := p.tryCast(); c != nil {
				return c
			}
		}
	}
	x := p.power()
	for {
		t := p.tok()
		if t.kind == tOp && (t.text == "++" || t.text == "--") && !p.nlStops() {
			p.advance()
			p.checkTarget(x, t.pos)
			x = &incDec{base: base{t.pos}, op: t.text, target: x}
			continue
		}
		return x
	}
}

func (p *parser) checkTarget(x node, pos int) {
	switch g := x.(type) {
	case *localExpr, *propExpr, *indexExpr, *fieldExpr:
	case *globalExpr:
		p.assigns[g.name] = true
	default:
		p.fail(pos, "invalid increment target", "")
	}
}

func (p *parser) power() node {
	x := p.postfix()
	if p.is("**") && !p.nlStops() {
		t := p.advance()
		y := p.unary()
		return &binExpr{base: base{t.pos}, op: "**", l: x, r: y}
	}
	return x
}

// tryCast parses "(Type) x" when the parenthesised text is a type.
func (p *parser) tryCast() node {
	save := p.i
	start := p.advance()
	pos := p.tok().pos
	tr, ok := p.tryType()
	if !ok || !p.is(")") {
		p.i = save
		return nil
	}
	_, prim := primitives[tr.name]
	if !prim {
		c := p.findClass(tr.name)
		if c == nil && !p.named[tr.name] && p.classes[tr.name] == nil || tr.name == "" {
			p.i = save
			return nil
		}
		if _, isLocal := p.lookupLocal(tr.name); isLocal {
			p.i = save
			return nil
		}
	}
	p.advance() // ')'
	n := p.tok()
	castable := false
	switch n.kind {
	case tIdent, tString, tGString, tInt, tLong, tDouble, tFloat, tChar:
		castable = !(n.kind == tIdent && (n.text == "instanceof" || n.text == "in" || n.text == "as"))
	case tOp:
		castable = n.text == "(" || n.text == "!" || n.text == "~" || n.text == "[" || prim && (n.text == "-" || n.text == "+")
	}
	if !castable {
		p.i = save
		return nil
	}
	p.resolveType(&tr, pos)
	x := p.unary()
	return &castExpr{base: base{start.pos}, t: tr, x: x}
}

// namedArg parses one Groovy named argument ("name: expr") into the map
// the call passes first, making it on the first one; false when the next
// tokens are not one.
func (p *parser) namedArg(named **mapLit) bool {
	t := p.tok()
	if (t.kind != tIdent && t.kind != tString) || p.peek(1).kind != tOp || p.peek(1).text != ":" {
		return false
	}
	p.advance()
	p.advance()
	if *named == nil {
		*named = &mapLit{base: base{t.pos}}
	}
	(*named).keys = append((*named).keys, &litExpr{base{t.pos}, t.text})
	(*named).vals = append((*named).vals, p.expr())
	return true
}

func (p *parser) args() []node {
	p.expect("(")
	p.pushNL(false)
	var out []node
	var named *mapLit
	for !p.is(")") {
		// Groovy named arguments: f(a: 1)
		if !p.groovy || !p.namedArg(&named) {
			out = append(out, p.expr())
		}
		if !p.accept(",") {
			break
		}
	}
	p.popNL()
	p.expect(")")
	if named != nil {
		out = append([]node{named}, out...)
	}
	return out
}

// finishCall adds a trailing Groovy closure argument.
func (p *parser) finishCall(c *callExpr) node {
	for p.groovy && p.is("{") && !p.tok().nl {
		c.args = append(c.args, p.closure())
	}
	return c
}

func (p *parser) postfix() node {
	x := p.primary()
	for {
		t := p.tok()
		if t.kind != tOp {
			return x
		}
		// Groovy allows a leading dot on the next line
		if t.nl && p.groovy && p.nlSens[len(p.nlSens)-1] && !(t.text == "." || t.text == "?." || t.text == "*.") {
			return x
		}
		switch t.text {
		case ".", "?.", "*.":
			p.advance()
			if t.text == "." && p.is("&") && p.groovy {
				// Groovy method pointer: obj.&name
				p.advance()
				x = p.methodRef(x, p.ident().text, t.pos)
				continue
			}
			nt := p.tok()
			var name string
			switch {
			case nt.kind == tIdent:
				name = nt.text
			case nt.kind == tString && p.groovy:
				name = nt.text
			default:
				p.failUnexpected("a name")
			}
			p.advance()
			if name == "class" && t.text == "." {
				if ce, ok := x.(*classExpr); ok {
					x = &litExpr{base{t.pos}, ce.cls}
					continue
				}
			}
			if p.is("(") && !(p.tok().nl && p.groovy && p.nlSens[len(p.nlSens)-1]) {
				args := p.args()
				x = p.makeCall(x, name, args, t.text == "?.", t.text == "*.", nt.pos)
				continue
			}
			if p.groovy && p.is("{") && !p.tok().nl {
				c := &callExpr{base: base{nt.pos}, recv: x, name: name, safe: t.text == "?.", spread: t.text == "*."}
				x = p.finishCall(c)
				continue
			}
			if ce, ok := x.(*classExpr); ok {
				if v, ok := ce.cls.fields[name]; ok {
					x = &litExpr{base{nt.pos}, v}
					continue
				}
				if nc := classByName(ce.cls.name + "." + name); nc != nil { // Map.Entry
					x = &classExpr{base{nt.pos}, nc}
					continue
				}
				p.errorAt(nt.pos, "unknown static field "+ce.cls.simple+"."+name, "field "+ce.cls.simple+"."+name)
			}
			x = newProp(nt.pos, x, name, t.text == "?.", t.text == "*.")
		case "[":
			p.advance()
			p.pushNL(false)
			idx := p.expr()
			if p.groovy && p.is(",") { // list[1, 2] → list[[1, 2]]
				l := &listLit{base: base{idx.p()}, elems: []node{idx}}
				for p.accept(",") {
					l.elems = append(l.elems, p.expr())
				}
				idx = l
			}
			p.popNL()
			p.expect("]")
			x = &indexExpr{base: base{t.pos}, x: x, idx: idx}
		case "?[":
			return x
		case "(":
			// calling a closure held in a variable or the result of a call
			args := p.args()
			x = p.finishCall(&callExpr{base: base{t.pos}, recv: x, name: "call", args: args})
		case "::":
			if !p.groovy {
				p.fail(t.pos, "method references are not supported: BeanShell 2.0b6 (JMeter's java and beanshell) has none", "construct 'method reference'")
			}
			p.advance()
			nt := p.tok()
			if nt.kind != tIdent {
				p.failUnexpected("a method name")
			}
			p.advance()
			x = p.methodRef(x, nt.text, t.pos)
		default:
			return x
		}
	}
}

func (p *parser) makeCall(recv node, name string, args []node, safe, spread bool, pos int) node {
	if ce, ok := recv.(*classExpr); ok && !safe && !spread {
		fn, ok := ce.cls.statics[name]
		if !ok {
			p.errorAt(pos, "unknown static method "+ce.cls.simple+"."+name+"()", "method "+ce.cls.simple+"."+name)
		}
		c := &staticCall{base: base{pos}, cls: ce.cls, name: name, fn: fn, args: args}
		for p.groovy && p.is("{") && !p.tok().nl {
			c.args = append(c.args, p.closure())
		}
		return c
	}
	return p.finishCall(&callExpr{base: base{pos}, recv: recv, name: name, args: args, safe: safe, spread: spread})
}

func (p *parser) primary() node {
	t := p.tok()
	switch t.kind {
	case tInt, tLong, tDouble, tFloat, tChar:
		p.advance()
		return &litExpr{base{t.pos}, t.val}
	case tString:
		p.advance()
		return &litExpr{base{t.pos}, t.text}
	case tGString:
		p.advance()
		g := &gstrExpr{base: base{t.pos}, parts: t.parts}
		for _, sp := range t.exprs {
			g.exprs = append(g.exprs, p.subExpr(sp))
		}
		return g
	case tOp:
		switch t.text {
		case "(":
			p.advance()
			p.pushNL(false)
			x := p.expr()
			p.popNL()
			p.expect(")")
			return x
		case "[":
			if p.groovy {
				return p.listOrMap()
			}
		case "{":
			if p.groovy {
				return p.closure()
			}
		}
		p.failUnexpected("an expression")
	case tIdent:
		return p.identExpr()
	}
	p.failUnexpected("an expression")
	return nil
}

func (p *parser) subExpr(sp span) node {
	toks, err := lex(p.src, sp.start, sp.end, p.groovy)
	if err != nil {
		p.fail(err.pos, err.msg, "")
	}
	saveT, saveI := p.toks, p.i
	p.toks, p.i = toks, 0
	p.pushNL(false)
	var x node
	if p.tok().kind == tEOF {
		x = &litExpr{base{sp.start}, nil}
	} else {
		x = p.expr()
	}
	if p.tok().kind != tEOF {
		p.failUnexpected("'}'")
	}
	p.popNL()
	p.toks, p.i = saveT, saveI
	return x
}

func (p *parser) listOrMap() node {
	t := p.advance()
	p.pushNL(false)
	defer p.popNL()
	if p.accept(":") {
		p.expect("]")
		return &mapLit{base: base{t.pos}}
	}
	var l listLit
	var m *mapLit
	l.pos = t.pos
	for !p.is("]") {
		k := p.tok()
		if m != nil || (k.kind == tIdent || k.kind == tString || k.kind == tInt || k.kind == tGString) && p.peek(1).kind == tOp && p.peek(1).text == ":" || k.kind == tOp && k.text == "(" && p.mapKeyParen() {
			if m == nil {
				if len(l.elems) > 0 {
					p.fail(k.pos, "mixed list and map literal", "")
				}
				m = &mapLit{base: base{t.pos}}
			}
			var key node
			if k.kind == tIdent && !(p.peek(1).text != ":") {
				p.advance()
				key = &litExpr{base{k.pos}, k.text}
			} else if k.kind == tOp && k.text == "(" {
				p.advance()
				key = p.expr()
				p.expect(")")
			} else {
				key = p.primary()
			}
			p.expect(":")
			m.keys = append(m.keys, key)
			m.vals = append(m.vals, p.expr())
		} else {
			l.elems = append(l.elems, p.expr())
		}
		if !p.accept(",") {
			break
		}
	}
	p.expect("]")
	if m != nil {
		return m
	}
	return &l
}

func (p *parser) mapKeyParen() bool {
	depth := 0
	for j := p.i; j < len(p.toks); j++ {
		tt := &p.toks[j]
		if tt.kind == tEOF {
			return false
		}
		if tt.kind == tOp {
			switch tt.text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
				if depth == 0 {
					return j+1 < len(p.toks) && p.toks[j+1].kind == tOp && p.toks[j+1].text == ":"
				}
			}
		}
	}
	return false
}

func (p *parser) closure() node {
	t := p.expect("{")
	def := &funcDef{name: "closure", closure: true, pos: t.pos}
	p.pushFn(def, true)
	defer p.popFn()
	if p.closureParamsAhead() {
		if p.is("->") {
			p.advance()
		} else {
			p.params(def, "->")
		}
	} else {
		def.implicit = true
		l := p.declare("it", tkAny, t.pos)
		def.params = []param{{name: "it", slot: l.slot}}
	}
	b := &blockStmt{base: base{t.pos}}
	p.pushNL(true)
	for !p.is("}") {
		if p.tok().kind == tEOF {
			p.failUnexpected("'}'")
		}
		if s := p.statement(false); s != nil {
			b.list = append(b.list, s)
		}
	}
	p.popNL()
	p.advance()
	def.body = b
	return &closureExpr{base: base{t.pos}, fn: def}
}

func (p *parser) closureParamsAhead() bool {
	for j := p.i; j < len(p.toks); j++ {
		tt := &p.toks[j]
		switch tt.kind {
		case tIdent, tInt, tLong, tDouble, tString:
			continue
		case tOp:
			switch tt.text {
			case "->":
				return true
			case ",", "<", ">", "[", "]", ".", "...", "=", "-":
				continue
			}
		}
		return false
	}
	return false
}

func (p *parser) identExpr() node {
	t := p.advance()
	switch t.text {
	case "true":
		return &litExpr{base{t.pos}, true}
	case "false":
		return &litExpr{base{t.pos}, false}
	case "null":
		return &litExpr{base{t.pos}, nil}
	case "this":
		if p.inClass != nil {
			return &thisExpr{base{t.pos}}
		}
		if p.is(".") && p.peek(1).kind == tIdent && !(!p.groovy && p.peek(1).text == "interpreter") {
			p.errorAt(t.pos, "this."+p.peek(1).text+" is not supported", "construct 'this."+p.peek(1).text+"'")
		}
		return &globalExpr{base{t.pos}, "this"}
	case "super":
		if p.inClass == nil {
			p.fail(t.pos, "super outside a class", "construct 'super'")
		}
		if p.is("(") {
			return &superCall{base: base{t.pos}, owner: p.inClass, name: "<init>", args: p.args()}
		}
		if p.is(".") && p.peek(1).kind == tIdent && p.peek(2).kind == tOp && p.peek(2).text == "(" {
			p.advance()
			nt := p.advance()
			return p.finishCall(&callExpr{base: base{t.pos}, recv: &superCall{base: base{t.pos}, owner: p.inClass, name: nt.text, args: p.args()}, name: "<super>"})
		}
		p.fail(t.pos, "only super(...) and super.method(...) are supported", "construct 'super'")
	case "new":
		return p.newExpr(t)
	case "switch":
		p.fail(t.pos, "switch expressions are not supported", "construct 'switch expression'")
	case "void":
		if p.d == BeanShell {
			return &litExpr{base{t.pos}, bshVoid{}}
		}
	}
	if reserved[t.text] {
		p.i--
		p.failUnexpected("an expression")
	}
	name := t.text
	if p.is("(") && !(p.groovy && p.tok().nl && p.nlSens[len(p.nlSens)-1]) {
		if l, ok := p.lookupLocal(name); ok {
			l.pos = t.pos
			args := p.args()
			return p.finishCall(&callExpr{base: base{t.pos}, recv: l, name: "call", args: args})
		}
		args := p.args()
		if c, ok := p.imports["#"+name]; ok {
			return p.makeCall(&classExpr{base{t.pos}, c}, name, args, false, false, t.pos)
		}
		if p.inClass == nil && !(p.builders && p.fn.closure) {
			p.calls = append(p.calls, unknownRef{name, t.pos})
		}
		return p.finishCall(&callExpr{base: base{t.pos}, name: name, args: args})
	}
	if p.groovy && p.is("{") && !p.tok().nl && !p.isLocalOrGlobalValue(name) {
		return p.finishCall(&callExpr{base: base{t.pos}, name: name})
	}
	if l, ok := p.lookupLocal(name); ok {
		l.pos = t.pos
		if p.groovy && p.builders && p.is("{") && !p.tok().nl {
			// builder { ... }: calls the builder with the closure
			return p.finishCall(&callExpr{base: base{t.pos}, recv: l, name: "call"})
		}
		return l
	}
	if p.inClass != nil {
		for _, f := range p.inClass.fields {
			if f.name == name {
				fe := &fieldExpr{base: base{t.pos}, name: name}
				if f.static {
					fe.static = p.inClass
				}
				return fe
			}
		}
	}
	if (p.is(".") || p.is("::")) && (p.classes[name] != nil || p.inClassNamed(name)) {
		return &userClassExpr{base{t.pos}, name}
	}
	if c := p.findClass(name); c != nil && !p.assigns[name] {
		return &classExpr{base{t.pos}, c}
	}
	if c, ok := p.imports["#"+name]; ok {
		if v, ok := c.fields[name]; ok {
			return &litExpr{base{t.pos}, v}
		}
	}
	// a package-qualified class: java.util.Random
	if p.is(".") && p.peek(1).kind == tIdent && isPackageRoot(name) {
		save := p.i
		full := name
		for p.is(".") && p.peek(1).kind == tIdent {
			p.advance()
			full += "." + p.advance().text
			if c := classByName(full); c != nil {
				return &classExpr{base{t.pos}, c}
			}
		}
		if !strings.HasPrefix(full, "org.apache.jmeter.") {
			p.errorAt(t.pos, "unknown class "+full, "class "+full)
			return &litExpr{base{t.pos}, nil}
		}
		p.i = save
	}
	if p.is(".") && name[0] >= 'A' && name[0] <= 'Z' && !p.named[name] {
		p.unknown = append(p.unknown, unknownRef{name, t.pos})
	}
	return &globalExpr{base{t.pos}, name}
}

func (p *parser) isLocalOrGlobalValue(name string) bool {
	_, ok := p.lookupLocal(name)
	return ok
}

func isPackageRoot(n string) bool {
	switch n {
	case "java", "javax", "org", "com", "groovy", "net", "bsh", "jodd", "io":
		return true
	}
	return false
}

func (p *parser) newExpr(t *token) node {
	pos := p.tok().pos
	tr, ok := p.tryTypeNoArray()
	if !ok {
		p.failUnexpected("a class name")
	}
	if p.is("[") {
		// array creation
		_, prim := primitives[tr.name]
		if !prim {
			p.resolveType(&tr, pos)
		} else {
			tr.kind = primitives[tr.name]
		}
		na := &newArray{base: base{t.pos}, elem: tr}
		dims := 0
		for p.is("[") {
			p.advance()
			if p.is("]") {
				p.advance()
				dims++
				continue
			}
			p.pushNL(false)
			na.dims = append(na.dims, p.expr())
			p.popNL()
			p.expect("]")
			dims++
		}
		if p.is("{") {
			elem := na.elem
			elem.dims = dims - 1
			na.init = p.arrayInit(elem)
		}
		na.elem.dims = dims
		if len(na.dims) == 0 && na.init == nil {
			p.fail(t.pos, "array dimension missing", "")
		}
		return na
	}
	if cd := p.classes[tr.name]; cd != nil || p.inClassNamed(tr.name) {
		args := p.args()
		return &newExpr{base: base{t.pos}, user: &classDecl{name: tr.name}, args: args}
	}
	c := p.findClass(tr.name)
	if c == nil {
		p.errorAt(pos, "unknown class "+tr.name, "class "+tr.name)
	} else if c.ctor == nil {
		p.errorAt(pos, "cannot create "+c.simple+" objects", "class "+c.name)
	}
	args := p.args()
	if p.is("{") {
		p.fail(p.tok().pos, "anonymous classes are not supported", "construct 'anonymous class'")
	}
	return &newExpr{base: base{t.pos}, cls: c, args: args}
}

func (p *parser) tryTypeNoArray() (typeRef, bool) {
	t := p.tok()
	if t.kind != tIdent {
		return typeRef{}, false
	}
	name := p.advance().text
	for p.is(".") && p.peek(1).kind == tIdent {
		p.advance()
		name += "." + p.advance().text
	}
	if p.is("<") && !p.skipAngles() {
		return typeRef{}, false
	}
	return typeRef{name: name}, true
}

func newProp(pos int, x node, name string, safe, spread bool) *propExpr {
	capName := name
	if name != "" {
		capName = strings.ToUpper(name[:1]) + name[1:]
	}
	return &propExpr{base: base{pos}, x: x, name: name, safe: safe, spread: spread, getter: "get" + capName, iser: "is" + capName}
}

// ignoredAnnotations change nothing a script run can observe here (@Field
// is handled by the caller).
var ignoredAnnotations = map[string]bool{
	"Override": true, "CompileStatic": true, "TypeChecked": true, "CompileDynamic": true,
	"SuppressWarnings": true, "Deprecated": true, "FunctionalInterface": true, "SafeVarargs": true,
	"Field": true, "Canonical": false, "ToString": false, "EqualsAndHashCode": false,
}

// annotations skips annotations before a declaration and reports whether
// one was @Field. An annotation that would change what runs (@Grab,
// @Canonical, @Immutable…) is refused, naming it.
func (p *parser) annotations() (field bool) {
	for p.is("@") && !(p.peek(1).kind == tIdent && p.peek(1).text == "interface") {
		at := p.advance()
		name := p.qualifiedName()
		simple := name[strings.LastIndexByte(name, '.')+1:]
		if !ignoredAnnotations[simple] {
			p.fail(at.pos, "annotation @"+simple+" is not supported", "construct 'annotation'")
		}
		field = field || simple == "Field"
		if p.is("(") && !p.tok().nl {
			depth := 0
			for {
				t := p.advance()
				if t.kind == tEOF {
					p.failUnexpected("')'")
				}
				if t.kind == tOp && t.text == "(" {
					depth++
				} else if t.kind == tOp && t.text == ")" {
					if depth--; depth == 0 {
						break
					}
				}
			}
		}
	}
	return field
}

// fieldDecl is a declaration marked @Field: at script level its variables
// live in the binding, where the script's methods find them.
func (p *parser) fieldDecl() node {
	if !p.groovy || !p.fn.top || len(p.fn.blocks) != 1 {
		p.fail(p.tok().pos, "@Field outside a Groovy script's top level", "construct 'annotation'")
	}
	p.field = true
	defer func() { p.field = false }()
	return p.declOrMethod(true)
}

// skipTypeParams skips generic parameters after a class name: <T extends X>.
func (p *parser) skipTypeParams() {
	if p.is("<") && !p.skipAngles() {
		p.failUnexpected("'>'")
	}
}

// skipAngles skips a balanced <...> group; false at the end of the script.
func (p *parser) skipAngles() bool {
	depth := 0
	for {
		t := p.advance()
		if t.kind == tEOF {
			return false
		}
		if t.kind == tOp {
			switch t.text {
			case "<":
				depth++
			case ">":
				depth--
			case ">>":
				depth -= 2
			}
		}
		if depth <= 0 {
			return true
		}
	}
}

// methodRef is obj::name, Class::name, Class::new or Groovy's obj.&name.
func (p *parser) methodRef(x node, name string, pos int) node {
	if g, ok := x.(*globalExpr); ok && g.name == "this" {
		x = nil // a method of the script
		if p.inClass == nil {
			p.calls = append(p.calls, unknownRef{name, pos})
		}
	}
	if _, ok := x.(*thisExpr); ok && p.inClass != nil {
		x = &thisExpr{base{pos}}
	}
	if c, ok := x.(*classExpr); ok && name != "new" {
		if _, static := c.cls.statics[name]; !static && c.cls.ctor == nil && c.cls.is == nil {
			p.errorAt(pos, "unknown method "+c.cls.simple+"::"+name, "method "+c.cls.simple+"."+name)
		}
	}
	return &methodRef{base: base{pos}, recv: x, name: name}
}
