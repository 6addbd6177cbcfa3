package script

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"

	"github.com/dop251/goja"
	jsast "github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// jsProgram is a compiled JavaScript program with a pool of runtimes: a
// goja runtime is not safe for concurrent use and costs some hundred KB, so
// users share a few instead of holding one each.
type jsProgram struct {
	prg  *goja.Program
	pool sync.Pool // *jsRuntime
	// slots bounds the runs in progress, hence the runtimes alive: scripts
	// are CPU-bound, and 10,000 users starting at once must not each build
	// a runtime.
	slots chan struct{}
	// lexical: the script declares top-level let/const/class, which a
	// runtime cannot run twice; such runs do not reuse runtimes
	lexical bool
}

type jsRuntime struct {
	rt   *goja.Runtime
	base map[string]bool // the runtime's own globals (Object, JSON …)
}

func compileJS(name, src string) (runner, error) {
	ast, err := parser.ParseFile(nil, name, src, 0)
	if err != nil {
		return nil, jsCompileError(name, src, err)
	}
	prg, err := goja.CompileAST(ast, false)
	if err != nil {
		return nil, jsCompileError(name, src, err)
	}
	lexical := false
	for _, st := range ast.Body {
		switch st.(type) {
		case *jsast.LexicalDeclaration, *jsast.ClassDeclaration:
			lexical = true
		}
	}
	return &jsProgram{prg: prg, lexical: lexical, slots: make(chan struct{}, max(4, 2*runtime.GOMAXPROCS(0)))}, nil
}

func jsCompileError(name, src string, err error) error {
	ce := &CompileError{Lang: JavaScript, Name: name, Msg: err.Error()}
	var list parser.ErrorList
	var one *parser.Error
	var syn *goja.CompilerSyntaxError
	switch {
	case errors.As(err, &list) && len(list) > 0:
		ce.Line, ce.Col, ce.Msg = list[0].Position.Line, list[0].Position.Column, list[0].Message
	case errors.As(err, &one):
		ce.Line, ce.Col, ce.Msg = one.Position.Line, one.Position.Column, one.Message
	case errors.As(err, &syn):
		ce.Msg = syn.Message
		if syn.File != nil {
			p := syn.File.Position(syn.Offset)
			ce.Line, ce.Col = p.Line, p.Column
		}
	}
	return ce
}

func newJSRuntime() *jsRuntime {
	rt := goja.New()
	rt.SetFieldNameMapper(goja.UncapFieldNameMapper())
	base := map[string]bool{}
	for _, k := range rt.GlobalObject().Keys() {
		base[k] = true
	}
	return &jsRuntime{rt: rt, base: base}
}

func (p *jsProgram) run(ctx context.Context, globals map[string]any) (out any, err error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ErrStopped
	}
	defer func() { <-p.slots }()
	r, _ := p.pool.Get().(*jsRuntime)
	if r == nil {
		r = newJSRuntime()
	}
	rt := r.rt
	for k, v := range globals {
		if err := rt.Set(k, v); err != nil {
			return nil, &RunError{Lang: JavaScript, Class: "TypeError", Message: err.Error(), Err: err}
		}
	}
	stop := context.AfterFunc(ctx, func() { rt.Interrupt(ErrStopped) })
	v, err := rt.RunProgram(p.prg)
	stopped := !stop()
	// drop what the script and the bindings left in the global scope
	g := rt.GlobalObject()
	for _, k := range g.Keys() {
		if !r.base[k] {
			if g.Delete(k) != nil || g.Get(k) != nil {
				// a top-level var or function stays declared: undefined, as
				// in a fresh global scope
				_ = g.Set(k, goja.Undefined())
			}
		}
	}
	if !p.lexical && !stopped {
		// a stopped runtime may still get the interrupt: it is not reused
		p.pool.Put(r)
	}
	if err != nil {
		return nil, jsRunError(err)
	}
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, nil
	}
	return v.String(), nil
}

func jsRunError(err error) error {
	var intr *goja.InterruptedError
	if errors.As(err, &intr) {
		return ErrStopped
	}
	re := &RunError{Lang: JavaScript, Class: "", Message: err.Error(), Err: err}
	var ex *goja.Exception
	if errors.As(err, &ex) {
		msg := ex.Value().String()
		if i := strings.IndexByte(msg, ':'); i > 0 && !strings.ContainsAny(msg[:i], " ") {
			re.Class, re.Message = msg[:i], strings.TrimSpace(msg[i+1:])
		} else {
			re.Message = msg
		}
		if st := ex.Stack(); len(st) > 0 {
			p := st[0].Position()
			re.Line, re.Col = p.Line, p.Column
		}
	}
	return re
}
