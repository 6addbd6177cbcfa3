package script

import (
	"context"
	"errors"
	"strings"

	"github.com/gometer/gometer/script/java"
)

// compileJava compiles Groovy, Java and BeanShell on the Java-family
// interpreter.
func compileJava(name, src string, lang Language) (runner, error) {
	d := java.Groovy
	switch lang {
	case Java:
		d = java.Java
	case BeanShell:
		d = java.BeanShell
	}
	p, err := java.Compile(name, src, d)
	if err != nil {
		return nil, javaCompileError(lang, name, err)
	}
	return javaRunner{p: p, lang: lang, args: strings.Contains(src, "args")}, nil
}

// javaCompileError turns the interpreter's errors (possibly joined) into
// CompileErrors.
func javaCompileError(lang Language, name string, err error) error {
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	out := make([]error, 0, len(list))
	for _, e := range list {
		ce := &CompileError{Lang: lang, Name: name, Msg: e.Error()}
		var je *java.CompileError
		if errors.As(e, &je) {
			ce.Line, ce.Col, ce.Msg, ce.Construct = je.Line, je.Col, je.Msg, je.Construct
		}
		out = append(out, ce)
	}
	if len(out) == 1 {
		return out[0]
	}
	return errors.Join(out...)
}

type javaRunner struct {
	p    *java.Program
	lang Language
	args bool // the script may read args (a String[] in JMeter)
}

func (r javaRunner) run(ctx context.Context, globals map[string]any) (any, error) {
	if out, ok := globals["OUT"].(*Out); ok {
		globals["__stdout"] = out.w()
	}
	if r.args {
		for _, k := range [...]string{"args", "bsh.args"} {
			if a, ok := globals[k].([]any); ok {
				globals[k] = &java.List{S: a, Array: true}
			}
		}
	}
	v, err := r.p.Run(ctx, globals)
	if err == nil {
		return v, nil
	}
	if ctx.Err() != nil {
		return nil, ErrStopped
	}
	re := &RunError{Lang: r.lang, Message: err.Error(), Err: err, Script: r.p.Source()}
	var ex *java.Exception
	if errors.As(err, &ex) {
		re.Class, re.Message, re.Line, re.Col = ex.Class, ex.Message, ex.Line, ex.Col
	}
	return nil, re
}
