package java

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// BeanShell 2.0b6 (what JMeter runs BeanShell elements and JSR223 "java"
// on) does not report an escaping exception as itself: it wraps it in an
// EvalError (a TargetError when the script raised a Java exception) whose
// text names the script, the failing node's tokens, the methods it was
// called from and the exception. JMeter shows that text as a failed
// sample's response message or an assertion's failure message, so gometer
// rebuilds it. The runner keeps a small trace of the error being unwound
// (only on error paths: nothing is recorded while a script succeeds), and
// Run turns it into an *EvalError with the node texts taken from the source.

// EvalError is a failure escaping a Java or BeanShell script, as BeanShell
// 2.0b6 reports it. Exc is gometer's exception; Target tells whether
// BeanShell shows it as the script's exception (a TargetError) or reports
// an error of its own (an undefined variable, an array index …).
type EvalError struct {
	Exc    *Exception
	Target bool
	Msg    string // the message after "Sourced file: …" ("" when BeanShell has none)
	Line   int    // the failing node's line in the script
	Text   string // the failing node's tokens as BeanShell prints them
	// Stack is BeanShell's script stack trace: one "Called from method"
	// entry per script method the error left, innermost first.
	Stack []string
	// UndefinedMsg is set when the failure came from a script-level
	// variable holding null: BeanShell's JSR223 engine keeps such variables
	// in its bindings, where null reads as undefined, and reports this
	// error of its own instead (of the NullPointerException …).
	UndefinedMsg string
}

// Error is the message of the interpreter's own error (for logs).
func (e *EvalError) Error() string {
	return e.Message("script") + " : at Line: " + strconv.Itoa(e.Line) + " : " + e.Text
}

// Unwrap gives gometer's exception.
func (e *EvalError) Unwrap() error { return e.Exc }

// InlineSource is how BeanShell names a script evaluated from a string:
// the text (with the ';' BeanShell appends when it does not end with one)
// on one line, cut to 80 characters.
func InlineSource(script string) string {
	if !strings.HasSuffix(script, ";") {
		script += ";"
	}
	s := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, script)
	if u := utf16.Encode([]rune(s)); len(u) > 80 {
		s = string(utf16.Decode(u[:80])) + " . . . "
	}
	return "inline evaluation of: ``" + s + "''"
}

// FileSource is how BeanShell's JSR223 engine names a script read from a
// file (a Reader); a BeanShell element's sourced file is named by its path.
const FileSource = "eval stream"

// Message is EvalError.getMessage() for a script whose source BeanShell
// names source (InlineSource, FileSource or a path): what JMeter's
// BeanShell elements show after "Error invoking bsh method: eval\t".
func (e *EvalError) Message(source string) string {
	s := "Sourced file: " + source
	if e.Msg != "" {
		s += " : " + e.Msg
	}
	return s
}

// ScriptException is the text of the javax.script.ScriptException that
// BeanShell's JSR223 engine throws: what a JSR223 element in "java" or
// "beanshell" shows.
func (e *EvalError) ScriptException(source string) string {
	var b strings.Builder
	b.WriteString("javax.script.ScriptException: ")
	target := e.Target
	b.WriteString("Sourced file: ")
	b.WriteString(source)
	msg := e.Msg
	if e.UndefinedMsg != "" {
		msg, target = e.UndefinedMsg, false
	}
	if msg != "" {
		b.WriteString(" : ")
		b.WriteString(msg)
	}
	b.WriteString(" : at Line: ")
	b.WriteString(strconv.Itoa(e.Line))
	b.WriteString(" : in file: ")
	b.WriteString(source)
	b.WriteString(" : ")
	b.WriteString(e.Text)
	b.WriteString("\n")
	for _, s := range e.Stack {
		b.WriteString("\nCalled from method: ")
		b.WriteString(strings.ReplaceAll(s, "\x00", source))
	}
	if target {
		b.WriteString("\nTarget exception: ")
		b.WriteString(e.Exc.String())
		b.WriteString("\n")
	}
	b.WriteString(" in ")
	b.WriteString(source)
	b.WriteString(" at line number ")
	b.WriteString(strconv.Itoa(e.Line))
	return b.String()
}

// bshNode is how the failing node is found again in the source.
type bshNode uint8

const (
	bnStmt   bshNode = iota // a statement (from its first token)
	bnCall                  // a method invocation (pos: the method name)
	bnNew                   // an object allocation (pos: "new")
	bnThrow                 // a throw statement
	bnBinary                // a binary operation (pos: its operator)
	bnIndex                 // an array index (pos: '[')
	bnCast                  // a cast (pos: its '(')
	bnAssign                // an assignment (pos: its target)
)

// bshTrace is the error being unwound, as BeanShell would describe it.
type bshTrace struct {
	exc    error // the error this trace belongs to
	target bool  // a TargetError: the exception is shown
	node   bshNode
	pos    int
	invoke bool     // the message is "Method Invocation <name>"
	prefix []string // messages prepended on the way out, outermost last
	msg    string
	undef  string // the receiver: a script-level variable holding null
	// undefMsg replaces msg for the JSR223 engine, where undef reads as
	// undefined ("" for the default wording of a method call)
	undefMsg string
	void     bool // the receiver: an undefined variable
	frames   []bshFrame
	// pending: the error left a script method whose call site is not
	// known yet (the caller's call node fills it)
	pending bool
}

type bshFrame struct {
	def *funcDef
	pos int // the call's method name
}

// traced reports whether err is the error the current trace describes.
func (r *runner) traced(err error) bool { return r.bsh != nil && r.bsh.exc == err }

// bshMark gives an error that surfaced without a BeanShell description
// one pinned to its top-level statement, so that an enclosing call does
// not claim it.
func (r *runner) bshMark(err error) {
	if r.groovy || err == nil || r.traced(err) || !isThrown(err) {
		return
	}
	r.bsh = &bshTrace{exc: err, target: true, node: bnStmt, pos: -1}
}

// isThrown reports whether err unwinds as a Java exception (not break,
// continue or return).
func isThrown(err error) bool {
	_, ok := err.(*Exception)
	return ok
}

// bshCall describes an error leaving the call whose method name is at pos:
// the call site of a script method it left, or the failure of a library
// method (a TargetError "Method Invocation …").
func (r *runner) bshCall(err error, pos int) {
	if r.groovy || !isThrown(err) {
		return
	}
	if r.traced(err) {
		if t := r.bsh; t.pending {
			t.frames[len(t.frames)-1].pos = pos
			t.pending = false
		}
		return
	}
	r.bsh = &bshTrace{exc: err, target: true, node: bnCall, pos: pos, invoke: true}
}

// bshNullRecv is the NullPointerException BeanShell raises for a method
// called on null (its message depends on the form of the call), described
// as BeanShell does. A script-level variable holding null is noted: the
// JSR223 engine reports it as undefined instead.
func (r *runner) bshNullRecv(c *callExpr) error {
	msg := "Attempt to invoke method " + c.name + " on null value"
	if nameChain(c.recv) {
		msg = "Null Pointer in Method Invocation"
	}
	err := newExc("java.lang.NullPointerException", msg)
	t := &bshTrace{exc: err, target: true, node: bnCall, pos: c.pos}
	if g, ok := c.recv.(*globalExpr); ok {
		t.undef = g.name
	}
	r.bsh = t
	return err
}

// nameChain reports whether a call's receiver is a dotted name (a, a.b,
// java.lang.Integer): BeanShell parses such a call as one method
// invocation, any other as a suffix of the expression before it.
func nameChain(n node) bool {
	for {
		switch x := n.(type) {
		case *globalExpr, *localExpr, *classExpr:
			return true
		case *propExpr:
			n = x.x
		default:
			return false
		}
	}
}

// bshLeave notes an error leaving script method def.
func (r *runner) bshLeave(err error, def *funcDef) {
	if r.groovy || !r.traced(err) {
		return
	}
	r.bsh.frames = append(r.bsh.frames, bshFrame{def: def, pos: -1})
	r.bsh.pending = true
}

// bshMissing describes a method the receiver's class does not have.
func (r *runner) bshMissing(err error, c *callExpr, obj any, args []any) {
	e, ok := err.(*Exception)
	if !ok || r.traced(err) || e.Class != "groovy.lang.MissingMethodException" ||
		!strings.HasPrefix(e.Message, "No signature of method: "+javaClassName(obj)+"."+c.name+"(") {
		return
	}
	var b strings.Builder
	b.WriteString("Error in method invocation: Method ")
	b.WriteString(c.name)
	b.WriteString("(")
	for i, a := range args {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(" ")
		b.WriteString(bshTypeName(a))
	}
	if len(args) > 0 {
		b.WriteString(" ")
	}
	b.WriteString(") not found in class'")
	b.WriteString(javaClassName(obj))
	b.WriteString("'")
	r.bsh = &bshTrace{exc: err, node: bnCall, pos: c.pos, msg: b.String()}
}

// bshTypeName is how BeanShell names the type of an argument: script
// numbers, booleans and chars are primitives.
func bshTypeName(v any) string {
	switch v.(type) {
	case int32:
		return "int"
	case int64:
		return "long"
	case float64:
		return "double"
	case float32:
		return "float"
	case bool:
		return "boolean"
	case Char:
		return "char"
	case int16:
		return "short"
	case int8:
		return "byte"
	case nil:
		return "null"
	}
	return javaClassName(v)
}

// bshNullIter describes a for-each over null: an error of BeanShell's
// own, which its JSR223 engine words differently for a script-level
// variable.
func (r *runner) bshNullIter(err error, s *forEachStmt) {
	if r.groovy {
		return
	}
	t := &bshTrace{exc: err, node: bnStmt, pos: s.pos,
		msg: "The collection, array, map, iterator, or enumeration portion of a for statement cannot be null."}
	if g, ok := s.iter.(*globalExpr); ok {
		t.undef, t.undefMsg = g.name, "Can't iterate over type: class bsh.Primitive"
	}
	r.bsh = t
}

// bshIndex describes reading past an array's end: BeanShell's exception
// has no message.
func (r *runner) bshIndex(err error, pos int) error {
	e, ok := err.(*Exception)
	if r.groovy || !ok || r.traced(err) {
		return err
	}
	if e.Class == "java.lang.ArrayIndexOutOfBoundsException" {
		e = &Exception{Class: e.Class, Line: e.Line, Col: e.Col}
		r.bsh = &bshTrace{exc: e, target: true, node: bnIndex, pos: pos}
		return e
	}
	r.bshMark(err)
	return err
}

// bshCast describes a failed cast of v: BeanShell's ClassCastException
// names both types.
func (r *runner) bshCast(err error, x *castExpr, v any) error {
	e, ok := err.(*Exception)
	if r.groovy || !ok || r.traced(err) || x.as {
		return err
	}
	if e.Class == "java.lang.ClassCastException" || e.Class == "org.codehaus.groovy.runtime.typehandling.GroovyCastException" {
		to := x.t.name
		if x.t.cls != nil {
			to = x.t.cls.name
		}
		e = &Exception{Class: "java.lang.ClassCastException", Message: "Cannot cast " + javaClassName(v) + " to " + to, hasMsg: true, Line: e.Line, Col: e.Col}
		r.bsh = &bshTrace{exc: e, target: true, node: bnCast, pos: x.pos}
		return e
	}
	r.bshMark(err)
	return err
}

// bshAssign describes an assignment that failed: past an array's end (an
// error of BeanShell's own) or in a compound operator's arithmetic.
func (r *runner) bshAssign(err error, x *assignExpr) {
	e, ok := err.(*Exception)
	if r.groovy || !ok || r.traced(err) {
		return
	}
	_, index := x.target.(*indexExpr)
	switch {
	case index && e.Class == "java.lang.ArrayIndexOutOfBoundsException":
		r.bsh = &bshTrace{exc: err, node: bnAssign, pos: leftmost(x.target),
			msg: "Assignment: Array access:java.lang.ArrayIndexOutOfBoundsException"}
	case x.op != "=" && e.Class == "java.lang.ArithmeticException":
		r.bsh = &bshTrace{exc: err, target: true, node: bnAssign, pos: leftmost(x.target), msg: "Arithemetic Exception in binary op"}
	default:
		r.bshMark(err)
	}
}

// leftmost is where an expression's source begins.
func leftmost(n node) int {
	for {
		switch x := n.(type) {
		case *indexExpr:
			n = x.x
		case *propExpr:
			n = x.x
		default:
			return n.p()
		}
	}
}

// bshNested reports whether the point pos of a method body (list) lies in
// a block of its own: BeanShell swaps the method's namespace for the
// block's on its call stack there, so the method is left out of the
// error's "Called from method" lines.
func bshNested(list []node, pos int) bool {
	var s node
	for _, n := range list {
		if n.p() > pos {
			break
		}
		s = n
	}
	switch x := s.(type) {
	case *blockStmt, *forStmt, *forEachStmt, *tryStmt, *syncStmt:
		return true
	case *ifStmt:
		if x.els_ != nil && pos >= x.els_.p() {
			return bshBranchNested(x.els_, pos)
		}
		if pos >= x.then.p() {
			return bshBranchNested(x.then, pos)
		}
	case *whileStmt:
		if pos >= x.body.p() {
			return bshBranchNested(x.body, pos)
		}
	case *doStmt:
		return pos < x.cond.p() && bshBranchNested(x.body, pos)
	case *switchStmt:
		for i := len(x.cases) - 1; i >= 0; i-- {
			if b := x.cases[i].body; len(b) > 0 && b[0].p() <= pos {
				return bshNested(b, pos)
			}
		}
	}
	return false
}

func bshBranchNested(n node, pos int) bool {
	if _, ok := n.(*blockStmt); ok {
		return true
	}
	return bshNested([]node{n}, pos)
}

// bshNew describes a failing constructor ("Object constructor").
func (r *runner) bshNew(err error, pos int) {
	if r.groovy || !isThrown(err) || r.traced(err) {
		return
	}
	r.bsh = &bshTrace{exc: err, target: true, node: bnNew, pos: pos, msg: "Object constructor"}
}

// bshThrow describes a throw statement: BeanShell rethrows what it caught
// as a new TargetError, and refuses to throw what is not an Exception (an
// Error, a String, null).
func (r *runner) bshThrow(err error, pos int, exception bool) {
	if r.groovy {
		return
	}
	t := &bshTrace{exc: err, target: true, node: bnThrow, pos: pos, msg: "TargetError"}
	if !exception {
		t.target, t.msg = false, "Expression in 'throw' must be Exception type"
	}
	r.bsh = t
}

// bshBinary describes an arithmetic exception of the operator at pos.
func (r *runner) bshBinary(err error, pos int) {
	if r.groovy || r.traced(err) {
		return
	}
	if e, ok := err.(*Exception); ok && e.Class == "java.lang.ArithmeticException" {
		r.bsh = &bshTrace{exc: err, target: true, node: bnBinary, pos: pos, msg: "Arithemetic Exception in binary op"} // sic
		return
	}
	r.bshMark(err)
}

// bshDecl notes an error leaving a typed variable declaration.
func (r *runner) bshDecl(err error, pos int) {
	if r.groovy || !isThrown(err) {
		return
	}
	if !r.traced(err) {
		r.bsh = &bshTrace{exc: err, node: bnStmt, pos: pos}
	}
	r.bsh.prefix = append(r.bsh.prefix, "Typed variable declaration")
}

// evalError builds the BeanShell description of exception e escaping the
// top-level statement at stmt.
func (r *runner) evalError(e *Exception, stmt int) *EvalError {
	t := r.bsh
	if !r.traced(e) {
		t = &bshTrace{exc: e, target: true, node: bnStmt, pos: stmt}
	}
	if t.pos < 0 {
		t.pos = stmt
	}
	toks, lerr := lex(r.prog.src, 0, len(r.prog.src), false)
	if lerr != nil {
		toks = nil
	}
	src := r.prog.src
	out := &EvalError{Exc: e, Target: t.target}
	i := tokenAt(toks, t.pos)
	msg := t.msg
	switch t.node {
	case bnCall:
		first, name, _ := callStart(toks, i, src)
		out.Text, out.Line = nodeText(toks, first, matchParen(toks, i+1), src), tokLine(src, toks, first)
		method := tokImage(toks, i, src)
		switch {
		case t.invoke:
			msg = "Method Invocation " + name
		case t.void:
			out.Target = false
			msg = "Attempt to resolve method: " + method + "() on undefined variable or class name: " + strings.TrimSuffix(name, "."+method)
		case t.undef != "":
			out.UndefinedMsg = "Attempt to resolve method: " + method + "() on undefined variable or class name: " + t.undef
		}
	case bnIndex:
		out.Text, out.Line = nodeText(toks, i, matchBracket(toks, i), src), tokLine(src, toks, i)
	case bnCast:
		end := operandEnd(toks, matchParen(toks, i)+1)
		out.Text, out.Line = nodeText(toks, i, end-1, src), tokLine(src, toks, i)
	case bnAssign:
		out.Text, out.Line = nodeText(toks, i, stmtEnd(toks, i)-1, src), tokLine(src, toks, i)
	case bnNew:
		out.Text, out.Line = nodeText(toks, i, matchParen(toks, nextOp(toks, i, "(")), src), tokLine(src, toks, i)
	case bnBinary:
		j := operandEnd(toks, i+1)
		out.Text, out.Line = nodeText(toks, j, -1, src), tokLine(src, toks, j)
	default:
		out.Text, out.Line = nodeText(toks, i, -1, src), tokLine(src, toks, i)
		if t.undefMsg != "" {
			out.UndefinedMsg = t.undefMsg
		}
	}
	for _, p := range t.prefix {
		if msg == "" {
			msg = p
		} else {
			msg = p + " : " + msg
		}
	}
	if out.UndefinedMsg != "" {
		for _, p := range t.prefix {
			out.UndefinedMsg = p + " : " + out.UndefinedMsg
		}
	}
	out.Msg = msg
	inner := t.pos
	for _, f := range t.frames {
		at := inner
		inner = f.pos
		if f.pos < 0 || bshNested(f.def.body.list, at) {
			continue
		}
		j := tokenAt(toks, f.pos)
		first, _, _ := callStart(toks, j, src)
		// \x00 stands for the source name, known only when formatted
		out.Stack = append(out.Stack, f.def.name+" : at Line: "+strconv.Itoa(tokLine(src, toks, first))+
			" : in file: \x00 : "+nodeText(toks, first, matchParen(toks, j+1), src))
	}
	return out
}

// tokenAt is the index of the token starting at pos (or the first after).
func tokenAt(toks []token, pos int) int {
	for i, t := range toks {
		if t.pos >= pos {
			return i
		}
	}
	return len(toks)
}

func tokImage(toks []token, i int, src string) string {
	if i < 0 || i >= len(toks) || toks[i].kind == tEOF {
		return ""
	}
	return src[toks[i].pos:toks[i].end]
}

func isOp(toks []token, i int, op string) bool {
	return i >= 0 && i < len(toks) && toks[i].kind == tOp && toks[i].text == op
}

func tokLine(src string, toks []token, i int) int {
	pos := len(src)
	if i >= 0 && i < len(toks) {
		pos = toks[i].pos
	}
	l, _ := lineCol(src, pos)
	return l
}

// callStart finds where BeanShell's node for the call whose method name is
// token i begins: a call on a dotted name (a.b.c(…)) is one method
// invocation named by the whole name; a call on anything else is a suffix
// starting at its '.'.
func callStart(toks []token, i int, src string) (first int, name string, suffix bool) {
	first = i
	for isOp(toks, first-1, ".") && first-2 >= 0 && toks[first-2].kind == tIdent {
		first -= 2
	}
	if isOp(toks, first-1, ".") {
		return i - 1, tokImage(toks, i, src), true
	}
	var b strings.Builder
	for j := first; j <= i; j++ {
		b.WriteString(tokImage(toks, j, src))
	}
	return first, b.String(), false
}

// nextOp is the index of the first token op from i on.
func nextOp(toks []token, i int, op string) int {
	for ; i < len(toks); i++ {
		if isOp(toks, i, op) {
			return i
		}
	}
	return -1
}

// matchParen is the index of the ')' closing the '(' at i (-1 if none).
func matchParen(toks []token, i int) int { return matchClose(toks, i, "(", ")") }

// matchBracket is the index of the ']' closing the '[' at i (-1 if none).
func matchBracket(toks []token, i int) int { return matchClose(toks, i, "[", "]") }

func matchClose(toks []token, i int, open, close string) int {
	if !isOp(toks, i, open) {
		return -1
	}
	depth := 0
	for j := i; j < len(toks); j++ {
		if isOp(toks, j, open) {
			depth++
		} else if isOp(toks, j, close) {
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// stmtEnd is the index of the ';' ending the statement that token i is in
// (outside parentheses and brackets), or of the last token.
func stmtEnd(toks []token, i int) int {
	depth := 0
	for ; i < len(toks) && toks[i].kind != tEOF; i++ {
		if toks[i].kind != tOp {
			continue
		}
		switch toks[i].text {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
		case ";":
			if depth <= 0 {
				return i
			}
		}
	}
	return i
}

// operandEnd is the index of the token following the unary expression
// starting at i (the right operand of a binary operator).
func operandEnd(toks []token, i int) int {
	for i < len(toks) && toks[i].kind == tOp && strings.Contains("+-!~", toks[i].text) && len(toks[i].text) == 1 {
		i++
	}
	if i < len(toks) && toks[i].kind == tOp && (toks[i].text == "++" || toks[i].text == "--") {
		i++
	}
	if isOp(toks, i, "(") {
		if j := matchParen(toks, i); j >= 0 {
			i = j
		}
	} else if i < len(toks) && toks[i].kind == tIdent && toks[i].text == "new" {
		if j := matchParen(toks, nextOp(toks, i, "(")); j >= 0 {
			i = j
		}
	}
	i++
	for i < len(toks) {
		switch {
		case isOp(toks, i, ".") && i+1 < len(toks) && toks[i+1].kind == tIdent:
			i += 2
		case isOp(toks, i, "("):
			j := matchParen(toks, i)
			if j < 0 {
				return len(toks) - 1
			}
			i = j + 1
		case isOp(toks, i, "["):
			j := matchBracket(toks, i)
			if j < 0 {
				return len(toks) - 1
			}
			i = j + 1
		case isOp(toks, i, "++") || isOp(toks, i, "--"):
			i++
		default:
			return i
		}
	}
	return i
}

// nodeText is SimpleNode.getText(): the images of the tokens from first to
// last, each followed by a space unless it is '.', stopping after a '{' or
// a ';' (last < 0: only those end it).
func nodeText(toks []token, first, last int, src string) string {
	var b strings.Builder
	for j := first; j >= 0 && j < len(toks) && toks[j].kind != tEOF; j++ {
		img := tokImage(toks, j, src)
		b.WriteString(img)
		if img != "." {
			b.WriteByte(' ')
		}
		if j == last || (toks[j].kind == tOp && (img == "{" || img == ";")) {
			break
		}
	}
	return b.String()
}
