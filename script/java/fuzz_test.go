package java

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzCompileRun: any text compiles to a located error or a program, and
// running it ends (bounded by a deadline) without an internal error.
func FuzzCompileRun(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.groovy")
	bsh, _ := filepath.Glob("testdata/*/*.bsh")
	for _, p := range append(files, bsh...) {
		b, err := os.ReadFile(p)
		if err == nil {
			f.Add(string(b), uint8(0))
		}
	}
	// scripts failing in the ways BeanShell describes (bsherror.go)
	if b, err := os.ReadFile("testdata/bsherrors/cases.json"); err == nil {
		var cases []bshErrorCase
		if json.Unmarshal(b, &cases) == nil {
			for _, c := range cases {
				f.Add(c.Script, uint8(2))
			}
		}
	}
	for _, s := range []string{"def x = [a: 1]\nx.a++", "'${1 + }'", "\"${\"", "for (;;) {}", "/* x", "int[] a = {1, 2}; a[0]",
		"{ -> }()", "a ?: b ?. c", "class A extends B {}\nclass B extends A {}\nnew A()", "synchronized (this) { x = 1 }",
		"def b = new groovy.json.JsonBuilder()\nb { a 1; b { c 2 } }", "this.&", "String::", "@Field int n = 1", "@", "{ q = 1; { q = 2 } } q == void",
		"interface I { def f() }\nclass C implements I { def f() { super.f() } }\nnew C().f()", "new HashMap([(1): 2]).keySet()", "x = [1..3]*.toString()", "class A { def f() { this.f() } }; new A().f()", "1 << 2 >>> 3", "'\\u00e9'.length()"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, src string, d uint8) {
		dialect := Dialect(d % 3)
		p, err := Compile("fuzz", src, dialect)
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("internal compile error on %q: %v", src, err)
			}
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err = p.Run(ctx, map[string]any{"__stdout": discard{}})
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("%q ran %v after a 200ms deadline", src, d)
		}
		if e, ok := err.(*Exception); ok && strings.Contains(e.Message, "internal interpreter error") {
			t.Fatalf("internal error running %q: %v", src, err)
		}
	})
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }
