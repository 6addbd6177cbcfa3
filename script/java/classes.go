package java

import (
	"strings"
)

// staticFn is a static method or constructor of a library class.
type staticFn func(r *runner, args []any) (any, error)

// class is a Java/Groovy class the interpreter provides.
type class struct {
	name      string // fully qualified
	simple    string
	statics   map[string]staticFn
	fields    map[string]any // static constants
	ctor      staticFn
	throwable bool
	parent    string         // superclass name for exceptions
	is        func(any) bool // instanceof
}

// The registry is filled by the init functions of the lib_*.go files and
// never changes afterwards.
var (
	registry = map[string]*class{}
	packages = map[string]bool{}
)

func register(c *class) *class {
	if c.simple == "" {
		c.simple = c.name[strings.LastIndexByte(c.name, '.')+1:]
	}
	if c.statics == nil {
		c.statics = map[string]staticFn{}
	}
	registry[c.name] = c
	if i := strings.LastIndexByte(c.name, '.'); i > 0 {
		packages[c.name[:i]] = true
	}
	return c
}

func classByName(n string) *class { return registry[n] }

func packageKnown(p string) bool { return packages[p] }

// instanceOf reports whether v is an instance of the class named by t.
func instanceOf(v any, t typeRef) bool {
	if v == nil {
		return false
	}
	if t.dims > 0 {
		l, ok := v.(*List)
		if ok && l.Array {
			return true
		}
		_, ok = v.([]byte)
		return ok
	}
	switch t.kind {
	case tkInt:
		_, ok := v.(int32)
		return ok
	case tkLong:
		_, ok := v.(int64)
		return ok
	case tkDouble:
		_, ok := v.(float64)
		return ok
	case tkBool:
		_, ok := v.(bool)
		return ok
	case tkString:
		_, ok := v.(string)
		return ok
	case tkChar:
		_, ok := v.(Char)
		return ok
	}
	if t.cls == nil {
		if in, ok := v.(*instance); ok {
			return in.decl.isA(t.name)
		}
		return javaClassName(v) == t.name || strings.HasSuffix(javaClassName(v), "."+t.name)
	}
	if in, ok := v.(*instance); ok {
		return t.cls.name == "java.lang.Object" || in.decl.isA(t.cls.name) || in.decl.isA(t.cls.simple)
	}
	if t.cls.throwable {
		e, ok := v.(*Exception)
		return ok && isSubclass(e.Class, t.cls.name)
	}
	if t.cls.is != nil {
		return t.cls.is(v)
	}
	return javaClassName(v) == t.cls.name
}

// isSubclass walks the exception hierarchy.
func isSubclass(c, target string) bool {
	for i := 0; i < 20 && c != ""; i++ {
		if c == target {
			return true
		}
		k := registry[c]
		if k == nil {
			// an exception class we do not know derives from Exception
			if target == "java.lang.Exception" || target == "java.lang.Throwable" {
				return !strings.HasSuffix(c, "Error")
			}
			return false
		}
		c = k.parent
	}
	return false
}

// IsError reports whether the Java class named is a java.lang.Error (not
// an Exception): some callers wrap only Exceptions.
func IsError(class string) bool {
	return isSubclass(class, "java.lang.Error")
}

func isAny[T any](v any) bool { _, ok := v.(T); return ok }

func init() {
	exc := func(name, parent string) {
		register(&class{name: name, parent: parent, throwable: true,
			ctor: func(r *runner, args []any) (any, error) {
				e := &Exception{Class: name}
				if len(args) > 0 {
					if c, ok := args[0].(*Exception); ok {
						e.Cause = c
						e.Message = c.String()
						e.hasMsg = true
					} else if args[0] != nil {
						e.Message = r.toStr(args[0])
						e.hasMsg = true
					}
				}
				if len(args) > 1 {
					if c, ok := args[1].(*Exception); ok {
						e.Cause = c
					}
				}
				return e, nil
			}})
	}
	exc("java.lang.Throwable", "")
	exc("java.lang.Exception", "java.lang.Throwable")
	exc("java.lang.Error", "java.lang.Throwable")
	exc("java.lang.AssertionError", "java.lang.Error")
	exc("java.lang.StackOverflowError", "java.lang.Error")
	exc("java.lang.OutOfMemoryError", "java.lang.Error")
	exc("java.lang.RuntimeException", "java.lang.Exception")
	exc("java.lang.InterruptedException", "java.lang.Exception")
	exc("java.lang.CloneNotSupportedException", "java.lang.Exception")
	exc("java.lang.ReflectiveOperationException", "java.lang.Exception")
	exc("java.lang.ClassNotFoundException", "java.lang.ReflectiveOperationException")
	exc("java.lang.NoSuchMethodException", "java.lang.ReflectiveOperationException")
	exc("java.lang.NoSuchFieldException", "java.lang.ReflectiveOperationException")
	for _, n := range []string{"NullPointerException", "IllegalArgumentException", "IllegalStateException",
		"ArithmeticException", "IndexOutOfBoundsException", "ClassCastException",
		"UnsupportedOperationException", "NegativeArraySizeException", "SecurityException", "ArrayStoreException"} {
		exc("java.lang."+n, "java.lang.RuntimeException")
	}
	exc("java.lang.NumberFormatException", "java.lang.IllegalArgumentException")
	exc("java.lang.ArrayIndexOutOfBoundsException", "java.lang.IndexOutOfBoundsException")
	exc("java.lang.StringIndexOutOfBoundsException", "java.lang.IndexOutOfBoundsException")
	exc("java.util.NoSuchElementException", "java.lang.RuntimeException")
	exc("java.util.ConcurrentModificationException", "java.lang.RuntimeException")
	exc("java.util.MissingResourceException", "java.lang.RuntimeException")
	exc("java.util.IllegalFormatException", "java.lang.IllegalArgumentException")
	exc("java.util.UnknownFormatConversionException", "java.util.IllegalFormatException")
	exc("java.util.MissingFormatArgumentException", "java.util.IllegalFormatException")
	exc("java.util.regex.PatternSyntaxException", "java.lang.IllegalArgumentException")
	exc("java.util.concurrent.TimeoutException", "java.lang.Exception")
	exc("java.io.IOException", "java.lang.Exception")
	exc("java.io.FileNotFoundException", "java.io.IOException")
	exc("java.io.UncheckedIOException", "java.lang.RuntimeException")
	exc("java.io.UnsupportedEncodingException", "java.io.IOException")
	exc("java.io.EOFException", "java.io.IOException")
	exc("java.nio.file.NoSuchFileException", "java.io.IOException")
	exc("java.net.MalformedURLException", "java.io.IOException")
	exc("java.net.URISyntaxException", "java.lang.Exception")
	exc("java.text.ParseException", "java.lang.Exception")
	exc("java.time.DateTimeException", "java.lang.RuntimeException")
	exc("java.time.format.DateTimeParseException", "java.time.DateTimeException")
	exc("java.security.GeneralSecurityException", "java.lang.Exception")
	exc("java.security.NoSuchAlgorithmException", "java.security.GeneralSecurityException")
	exc("java.security.InvalidKeyException", "java.security.GeneralSecurityException")
	exc("groovy.lang.GroovyRuntimeException", "java.lang.RuntimeException")
	exc("groovy.lang.MissingMethodException", "groovy.lang.GroovyRuntimeException")
	exc("groovy.lang.MissingPropertyException", "groovy.lang.GroovyRuntimeException")
	exc("groovy.json.JsonException", "java.lang.RuntimeException")
	exc("org.codehaus.groovy.runtime.typehandling.GroovyCastException", "java.lang.ClassCastException")
	exc("net.minidev.json.parser.ParseException", "java.lang.Exception")
	exc("com.jayway.jsonpath.JsonPathException", "java.lang.RuntimeException")
	exc("com.jayway.jsonpath.PathNotFoundException", "com.jayway.jsonpath.JsonPathException")
	exc("com.jayway.jsonpath.InvalidPathException", "com.jayway.jsonpath.JsonPathException")
	exc("bsh.EvalError", "java.lang.Exception")
	exc("bsh.TargetError", "bsh.EvalError")
	exc("java.util.concurrent.ExecutionException", "java.lang.Exception")
	exc("org.apache.commons.codec.DecoderException", "java.lang.Exception")
	exc("com.jayway.jsonpath.InvalidJsonException", "com.jayway.jsonpath.JsonPathException")
	exc("java.nio.charset.UnsupportedCharsetException", "java.lang.IllegalArgumentException")
	exc("java.lang.NoClassDefFoundError", "java.lang.Error")

	// types scripts name in declarations and instanceof
	iface := func(name string, is func(any) bool) {
		register(&class{name: name, is: is})
	}
	iface("java.lang.Object", func(any) bool { return true })
	iface("java.lang.Number", isNumber)
	iface("java.lang.CharSequence", func(v any) bool { return isAny[string](v) || isAny[*strBuilder](v) })
	iface("java.lang.Comparable", func(v any) bool { return isAny[string](v) || isNumber(v) })
	iface("java.lang.Iterable", func(v any) bool { return isAny[*List](v) })
	iface("java.util.Collection", func(v any) bool { return isAny[*List](v) })
	iface("java.util.List", func(v any) bool { l, ok := v.(*List); return ok && !l.Array && !l.set })
	iface("java.util.Set", func(v any) bool { l, ok := v.(*List); return ok && l.set })
	iface("java.util.Map", func(v any) bool { return isAny[*Map](v) })
	iface("java.util.Map.Entry", func(v any) bool { return isAny[*Entry](v) })
	iface("java.util.Iterator", func(v any) bool { return isAny[*iterator](v) })
	iface("java.util.Queue", func(v any) bool { return isAny[*List](v) })
	iface("java.util.Deque", func(v any) bool { return isAny[*List](v) })
	iface("groovy.lang.Closure", func(v any) bool { return isAny[*Closure](v) })
	iface("groovy.lang.GString", func(v any) bool { return isAny[string](v) })
	iface("java.lang.Class", func(v any) bool { return isAny[*class](v) })
	iface("java.lang.Runnable", func(v any) bool { return isAny[*Closure](v) })
	iface("java.util.function.Function", func(v any) bool { return isAny[*Closure](v) })
	iface("java.util.function.Predicate", func(v any) bool { return isAny[*Closure](v) })
	iface("java.util.function.Supplier", func(v any) bool { return isAny[*Closure](v) })
	iface("java.util.function.Consumer", func(v any) bool { return isAny[*Closure](v) })
	iface("java.util.function.BiFunction", func(v any) bool { return isAny[*Closure](v) })
	iface("java.util.function.BiConsumer", func(v any) bool { return isAny[*Closure](v) })
}

// RegisterClass adds a class that scripts may construct with `new`,
// built by ctor (from the caller's init: the registry is read-only once
// scripts run). Its instances are Go values whose exported methods are
// the class's methods.
func RegisterClass(name string, ctor func(args []any) (any, error)) {
	register(&class{name: name, ctor: func(r *runner, args []any) (any, error) { return ctor(args) }})
}
