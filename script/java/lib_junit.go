package java

import (
	"math"
	"unicode/utf16"
)

// org.junit.Assert, as JUnit 4.13.2 (in JMeter 5.6.3's lib) behaves: a
// failed check throws java.lang.AssertionError, or org.junit.ComparisonFailure
// for two different strings, with JUnit's message text.

func assertionError(class string, msg *string) error {
	e := &Exception{Class: class}
	if msg != nil {
		e.Message, e.hasMsg = *msg, true
	}
	return e
}

func strPtr(s string) *string { return &s }

// junitPrefix is the optional message followed by a space, as JUnit's
// format does (an empty message adds nothing).
func junitPrefix(msg any) string {
	if s, ok := msg.(string); ok && s != "" {
		return s + " "
	}
	return ""
}

func junitValue(v any) string { return formatValue(v, false) }

// junitEquals is equality as the overload Groovy and BeanShell pick:
// (long, long) for two integers, (Object, Object) otherwise.
func junitEquals(a, b any) bool {
	if isIntegral(a) && isIntegral(b) {
		x, _ := toInt64(a)
		y, _ := toInt64(b)
		return x == y
	}
	return valuesEqual(a, b)
}

// junitNotEqualMessage is Assert.format: the values, or their classes as
// well when they print alike.
func junitNotEqualMessage(msg, expected, actual any) string {
	es, as := junitValue(expected), junitValue(actual)
	if es == as {
		return junitPrefix(msg) + "expected: " + javaClassName(expected) + "<" + es + "> but was: " + javaClassName(actual) + "<" + as + ">"
	}
	return junitPrefix(msg) + "expected:<" + es + "> but was:<" + as + ">"
}

// compactComparison is ComparisonFailure's message: the differing middle in
// brackets, at most 20 characters of shared context either side.
func compactComparison(msg any, expected, actual string) string {
	const context = 20
	e, a := utf16.Encode([]rune(expected)), utf16.Encode([]rune(actual))
	str := func(u []uint16) string { return string(utf16.Decode(u)) }
	end := min(len(e), len(a))
	pre := end
	for i := 0; i < end; i++ {
		if e[i] != a[i] {
			pre = i
			break
		}
	}
	suf := 0
	for maxSuf := min(len(e)-pre, len(a)-pre) - 1; suf <= maxSuf; suf++ {
		if e[len(e)-1-suf] != a[len(a)-1-suf] {
			break
		}
	}
	prefix, suffix := str(e[:pre]), str(e[len(e)-suf:])
	if pre > context {
		prefix = "..." + str(e[pre-context:pre])
	}
	if suf > context {
		suffix = str(e[len(e)-suf:len(e)-suf+context]) + "..."
	}
	ed := "[" + str(e[pre:len(e)-suf]) + "]"
	ad := "[" + str(a[pre:len(a)-suf]) + "]"
	return junitPrefix(msg) + "expected:<" + prefix + ed + suffix + "> but was:<" + prefix + ad + suffix + ">"
}

// splitMessage separates JUnit's optional leading message argument.
func splitMessage(args []any, n int) (msg any, rest []any, ok bool) {
	switch len(args) {
	case n:
		return nil, args, true
	case n + 1:
		if s, isStr := args[0].(string); isStr || args[0] == nil {
			return s, args[1:], true
		}
	}
	return nil, nil, false
}

func init() {
	register(&class{name: "org.junit.ComparisonFailure", parent: "java.lang.AssertionError", throwable: true})
	checkBool := func(want bool) staticFn {
		return func(r *runner, args []any) (any, error) {
			msg, rest, ok := splitMessage(args, 1)
			if !ok {
				return nil, argN(args, 1, "Assert.assertTrue")
			}
			if truth(rest[0]) != want {
				if s, isStr := msg.(string); isStr {
					return nil, assertionError("java.lang.AssertionError", &s)
				}
				return nil, assertionError("java.lang.AssertionError", nil)
			}
			return nil, nil
		}
	}
	checkNull := func(wantNull bool) staticFn {
		return func(r *runner, args []any) (any, error) {
			msg, rest, ok := splitMessage(args, 1)
			if !ok {
				return nil, argN(args, 1, "Assert.assertNull")
			}
			switch {
			case wantNull && rest[0] != nil:
				return nil, assertionError("java.lang.AssertionError", strPtr(junitPrefix(msg)+"expected null, but was:<"+junitValue(rest[0])+">"))
			case !wantNull && rest[0] == nil:
				if s, isStr := msg.(string); isStr {
					return nil, assertionError("java.lang.AssertionError", &s)
				}
				return nil, assertionError("java.lang.AssertionError", nil)
			}
			return nil, nil
		}
	}
	register(&class{name: "org.junit.Assert", statics: map[string]staticFn{
		"assertEquals": func(r *runner, args []any) (any, error) {
			// (expected, actual, delta) for floating point, with or without a message
			if len(args) == 3 || len(args) == 4 {
				if d, ok := toFloat(args[len(args)-1]); ok && isNumber(args[len(args)-2]) && isNumber(args[len(args)-3]) && !isIntegral(args[len(args)-1]) {
					var msg any
					if len(args) == 4 {
						msg = args[0]
					}
					ex, _ := toFloat(args[len(args)-3])
					ac, _ := toFloat(args[len(args)-2])
					if ex == ac || math.Abs(ex-ac) <= d {
						return nil, nil
					}
					return nil, assertionError("java.lang.AssertionError", strPtr(junitNotEqualMessage(msg, args[len(args)-3], args[len(args)-2])))
				}
			}
			msg, rest, ok := splitMessage(args, 2)
			if !ok {
				return nil, argN(args, 2, "Assert.assertEquals")
			}
			ex, ac := rest[0], rest[1]
			if junitEquals(ex, ac) {
				return nil, nil
			}
			es, eok := ex.(string)
			as, aok := ac.(string)
			if eok && aok {
				return nil, assertionError("org.junit.ComparisonFailure", strPtr(compactComparison(msg, es, as)))
			}
			return nil, assertionError("java.lang.AssertionError", strPtr(junitNotEqualMessage(msg, ex, ac)))
		},
		"assertNotEquals": func(r *runner, args []any) (any, error) {
			msg, rest, ok := splitMessage(args, 2)
			if !ok {
				return nil, argN(args, 2, "Assert.assertNotEquals")
			}
			if !junitEquals(rest[0], rest[1]) {
				return nil, nil
			}
			head := "Values should be different. "
			if s, isStr := msg.(string); isStr {
				head = s + ". "
			}
			return nil, assertionError("java.lang.AssertionError", strPtr(head+"Actual: "+junitValue(rest[1])))
		},
		"assertSame": func(r *runner, args []any) (any, error) {
			msg, rest, ok := splitMessage(args, 2)
			if !ok {
				return nil, argN(args, 2, "Assert.assertSame")
			}
			if sameObject(rest[0], rest[1]) {
				return nil, nil
			}
			return nil, assertionError("java.lang.AssertionError", strPtr(junitPrefix(msg)+"expected same:<"+junitValue(rest[0])+"> was not:<"+junitValue(rest[1])+">"))
		},
		"assertTrue":    checkBool(true),
		"assertFalse":   checkBool(false),
		"assertNull":    checkNull(true),
		"assertNotNull": checkNull(false),
		"fail": func(r *runner, args []any) (any, error) {
			if len(args) == 1 {
				if s, ok := args[0].(string); ok {
					return nil, assertionError("java.lang.AssertionError", &s)
				}
			}
			return nil, assertionError("java.lang.AssertionError", nil)
		},
	}})
}

// sameObject approximates Java's ==: references by pointer, strings by
// text (literals are interned), other values by value.
func sameObject(a, b any) bool {
	defer func() { _ = recover() }() // incomparable values are not the same
	return a == b
}
