package script

import (
	"strings"
	"testing"
)

// FuzzCompile feeds arbitrary text to the compilers and the load-time
// scans: an error or a program, never a panic, and positions inside the text.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{"vars.put('a', 1)", "sampler.setPath('/x')", "var = ;", "\n\n  sampler . addArgument", "${x}", "`a${"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4096 {
			return
		}
		for _, l := range []Language{JavaScript, Groovy, BeanShell} {
			_, err := Compile(l, "fuzz", src)
			if ce, ok := err.(*CompileError); ok && ce.Line > lines(src) {
				t.Fatalf("%v: line %d past the end of %q", l, ce.Line, src)
			}
		}
	})
}

// lines counts the lines of src with every JavaScript line terminator.
func lines(src string) int {
	return 1 + strings.Count(src, "\n") + strings.Count(src, "\r") + strings.Count(src, "\u2028") + strings.Count(src, "\u2029")
}
