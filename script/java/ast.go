package java

// The parse tree. Names are resolved while parsing: a local variable
// becomes a (depth, slot) reference into the frames of the enclosing
// functions, a class name becomes its *class, anything else a binding
// (global) lookup, so evaluation does no scope searching.

type node interface{ p() int }

type base struct{ pos int }

func (b base) p() int { return b.pos }

type typeKind uint8

const (
	tkAny typeKind = iota
	tkInt
	tkLong
	tkDouble
	tkFloat
	tkShort
	tkByte
	tkChar
	tkBool
	tkString
	tkBigDecimal
	tkObject // a class-typed variable: no conversion
)

// typeRef is a declared type: a primitive, a known class, or a type the
// script only names (JMeter types imported from org.apache.jmeter).
type typeRef struct {
	name string // simple or full name as resolved
	cls  *class // nil for primitives and named-only types
	kind typeKind
	dims int
}

type (
	litExpr struct {
		base
		val any
	}
	gstrExpr struct {
		base
		parts []string
		exprs []node
	}
	localExpr struct {
		base
		name        string
		depth, slot int
		kind        typeKind
		loose       bool       // BeanShell: unset, it reads and writes the enclosing name
		outer       *localExpr // the enclosing loose variable of that name, if any
	}
	globalExpr struct {
		base
		name string
	}
	fieldExpr struct { // a field of the current script-class instance
		base
		name   string
		static *classDecl // a static field of this class
	}
	thisExpr  struct{ base }
	classExpr struct {
		base
		cls *class
	}
	propExpr struct {
		base
		x            node
		name         string
		safe, spread bool
		getter, iser string // "getName", "isName"
	}
	indexExpr struct {
		base
		x, idx node
		safe   bool
	}
	callExpr struct {
		base
		recv         node // nil: a script method, closure variable or builtin
		name         string
		args         []node
		safe, spread bool
	}
	staticCall struct {
		base
		cls  *class
		name string
		fn   staticFn
		args []node
	}
	newExpr struct {
		base
		cls  *class
		user *classDecl
		args []node
	}
	newArray struct {
		base
		elem typeRef
		dims []node
		init *arrayLit
	}
	arrayLit struct {
		base
		elem  typeRef
		elems []node
	}
	unaryExpr struct {
		base
		op string
		x  node
	}
	binExpr struct {
		base
		op   string
		l, r node
	}
	assignExpr struct {
		base
		op          string // "=" or "+=" ...
		target, val node
	}
	incDec struct {
		base
		op     string
		prefix bool
		target node
	}
	condExpr struct {
		base
		c, a, b node
	}
	elvisExpr struct {
		base
		a, b node
	}
	castExpr struct {
		base
		t  typeRef
		x  node
		as bool
	}
	instanceofExpr struct {
		base
		x node
		t typeRef
	}
	listLit struct {
		base
		elems []node
	}
	mapLit struct {
		base
		keys, vals []node
	}
	rangeExpr struct {
		base
		from, to node
		excl     bool
	}
	closureExpr struct {
		base
		fn *funcDef
	}
	multiAssign struct { // def (a, b) = list
		base
		targets []node
		val     node
	}
)

type (
	blockStmt struct {
		base
		list  []node
		loose []int // slots of BeanShell loose variables, unset on entry
	}
	declStmt struct {
		base
		t       typeRef
		targets []node
		inits   []node
	}
	exprStmt struct {
		base
		x node
	}
	ifStmt struct {
		base
		cond       node
		then, els_ node
	}
	whileStmt struct {
		base
		cond  node
		body  node
		label string
	}
	doStmt struct {
		base
		cond  node
		body  node
		label string
	}
	forStmt struct {
		base
		loose  []int
		init   []node
		cond   node
		update []node
		body   node
		label  string
	}
	forEachStmt struct {
		base
		loose []int
		v     node
		kind  typeKind
		iter  node
		body  node
		label string
	}
	switchStmt struct {
		base
		x     node
		cases []switchCase
		label string
	}
	switchCase struct {
		exprs []node // empty: default
		body  []node
	}
	breakStmt struct {
		base
		label string
	}
	continueStmt struct {
		base
		label string
	}
	returnStmt struct {
		base
		x node
	}
	throwStmt struct {
		base
		x node
	}
	tryStmt struct {
		base
		res     []node // try-with-resources declarations
		body    *blockStmt
		catches []catchClause
		finally *blockStmt
	}
	catchClause struct {
		classes []string // full exception class names
		v       node
		body    *blockStmt
	}
	syncStmt struct { // synchronized (lock) { body }
		base
		lock node
		body *blockStmt
	}
	emptyStmt  struct{ base }
	assertStmt struct {
		base
		cond, msg node
	}
)

// funcDef is a script method, class method or closure body.
type funcDef struct {
	name      string
	params    []param
	varargs   bool
	body      *blockStmt
	nslots    int
	closure   bool // sees the enclosing frame
	implicit  bool // Groovy closure with implicit "it"
	exprBody  node // lambda with an expression body
	pos       int
	static    bool
	sync      bool // a synchronized method: holds its object's monitor
	ret       typeRef
	ownerDecl *classDecl
}

type param struct {
	name string
	slot int
	t    typeRef
	def  node // Groovy default value
}

// classDecl is a small class declared in the script.
type classDecl struct {
	name       string
	fields     []fieldDecl
	methods    map[string][]*funcDef
	ctors      []*funcDef
	pos        int
	iface      bool   // an interface: default methods only
	parent     string // extends (a class of the script)
	parentPos  int
	ifaces     []string   // implements (script interfaces or library names)
	parentDecl *classDecl // linked once the whole script is parsed
	ifaceDecls []*classDecl
}

type fieldDecl struct {
	name   string
	t      typeRef
	init   node
	static bool
}
