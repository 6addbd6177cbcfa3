package java

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runScript(t *testing.T, d Dialect, src string, globals map[string]any) (string, any, error) {
	t.Helper()
	p, err := Compile("test", src, d)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	var out bytes.Buffer
	if globals == nil {
		globals = map[string]any{}
	}
	globals["__stdout"] = &out
	v, err := p.Run(context.Background(), globals)
	delete(globals, "__stdout")
	return out.String(), v, err
}

// The goldens in testdata are the output of the real Groovy and BeanShell
// shipped with JMeter 5.6.3 (testdata/regen.sh regenerates them).
func TestGoldens(t *testing.T) {
	// the goldens were made with TZ=UTC
	saved := time.Local
	time.Local = time.UTC
	defer func() { time.Local = saved }()
	for _, dir := range []struct {
		glob string
		d    Dialect
	}{{"testdata/groovy/*.groovy", Groovy}, {"testdata/beanshell/*.bsh", BeanShell}} {
		files, _ := filepath.Glob(dir.glob)
		if len(files) == 0 {
			t.Fatalf("no scripts match %s", dir.glob)
		}
		for _, f := range files {
			t.Run(filepath.Base(f), func(t *testing.T) {
				src, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				want, err := os.ReadFile(strings.TrimSuffix(f, filepath.Ext(f)) + ".out")
				if err != nil {
					t.Fatal(err)
				}
				got, _, err := runScript(t, dir.d, string(src), nil)
				if err != nil {
					t.Fatalf("run: %v\noutput so far:\n%s", err, got)
				}
				if got != string(want) {
					gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
					for i := range min(len(gl), len(wl)) {
						if gl[i] != wl[i] {
							t.Fatalf("line %d: got %q, want %q (real JVM)", i+1, gl[i], wl[i])
						}
					}
					t.Fatalf("got %d lines, want %d:\n%s", len(gl), len(wl), got)
				}
			})
		}
	}
}

func TestResultValues(t *testing.T) {
	cases := []struct {
		d    Dialect
		src  string
		want any
	}{
		{Groovy, "1 + 2", int32(3)},
		{Java, "int a = 1; a!=2 && a != 1 == false", true},
		{Groovy, "def s = 'x'; s != 'y' ? 'ne' : 'eq'", "ne"},
		{Groovy, "[1] != [1]", false},
		{Groovy, "return 'a' + 1", "a1"},
		{Groovy, "def f(x) { x * 2 }\nf(21)", int32(42)},
		{Java, "int x = 5; x << 2", int32(20)},
		{Java, "long t = 3; t * 2", int64(6)},
		{BeanShell, "7 / 2", int32(3)},
		{Groovy, "7.intdiv(2)", int32(3)},
		{Groovy, "[1, 2, 3].max()", int32(3)},
		{Groovy, "'abc'[-1]", "c"},
		{Groovy, "'abcdef'[1..3]", "bcd"},
		{Groovy, "[a: [b: 5]].a.b", int32(5)},
		{Groovy, "def s = 0; for (int i = 0; i < 10; i++) { if (i == 5) break; s += i }; s", int32(10)},
		{Java, "int s = 0; outer: for (int i = 0; i < 3; i++) { for (int j = 0; j < 3; j++) { if (j == 1) continue outer; s++; } } return s;", int32(3)},
		{Groovy, "'x'.with { it + 'y' }", "xy"},
		{Groovy, "'5' as int", int32(5)},
		{Groovy, "(3.7 as int)", int32(3)},
		{Groovy, "['b', 'a'] as Set", &List{S: []any{"b", "a"}, set: true}},
		{Groovy, "'a-b'.tokenize('-').size()", int32(2)},
		{Groovy, "def (a, b) = [1, 2]\na + b", int32(3)},
		{Groovy, "'abc' in ['abc', 'd']", true},
		{Groovy, "!('x' in [])", true},
		{Groovy, "class P { int x; int twice() { x * 2 } }\nnew P(x: 4).twice()", int32(8)},
		{Java, "class C { int n; C(int n) { this.n = n; } int get() { return n + 1; } }\nnew C(2).get()", int32(3)},
	}
	for _, c := range cases {
		_, got, err := runScript(t, c.d, c.src, nil)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if !valuesEqual(got, c.want) || javaClassName(got) != javaClassName(c.want) {
			t.Errorf("%s: got %v (%s), want %v (%s)", c.src, got, javaClassName(got), c.want, javaClassName(c.want))
		}
	}
}

// ---- bindings

type fakeVars struct{ m map[string]string }

func (v *fakeVars) Get(k string) any {
	s, ok := v.m[k]
	if !ok {
		return nil
	}
	return s
}
func (v *fakeVars) Put(k, val string) { v.m[k] = val }
func (v *fakeVars) GetIteration() int { return 3 }

type fakeResult struct {
	code  string
	ok    bool
	label string
	data  []byte
}

func (r *fakeResult) GetResponseCode() string            { return r.code }
func (r *fakeResult) SetResponseCode(c string)           { r.code = c }
func (r *fakeResult) IsSuccessful() bool                 { return r.ok }
func (r *fakeResult) SetSuccessful(b bool)               { r.ok = b }
func (r *fakeResult) SetSampleLabel(s string)            { r.label = s }
func (r *fakeResult) GetResponseDataAsString() string    { return string(r.data) }
func (r *fakeResult) SetResponseData(b []byte, _ ...any) { r.data = b }
func (r *fakeResult) GetTime() int64                     { return 125 }

func TestBindings(t *testing.T) {
	vars := &fakeVars{m: map[string]string{"user": "bob", "n": "41"}}
	prev := &fakeResult{code: "200", ok: true, data: []byte(`{"id": 7}`)}
	g := map[string]any{"vars": vars, "prev": prev}
	src := `
def n = vars.get('n') as int
vars.put('next', String.valueOf(n + 1))
vars.put("who", "${vars.user}-${vars['user']}")
if (prev.responseCode == '200' && prev.successful) {
    prev.setSampleLabel("ok " + prev.time)
    prev.responseCode = '201'
}
prev.setResponseData('changed'.getBytes('UTF-8'))
vars.put('iter', "" + vars.getIteration())
counter = 5        // an undeclared name goes into the binding
vars.get('missing') == null
`
	_, v, err := runScript(t, Groovy, src, g)
	if err != nil {
		t.Fatal(err)
	}
	if v != true {
		t.Errorf("result %v", v)
	}
	for k, want := range map[string]string{"next": "42", "who": "bob-bob", "iter": "3"} {
		if vars.m[k] != want {
			t.Errorf("vars[%s] = %q, want %q", k, vars.m[k], want)
		}
	}
	if prev.label != "ok 125" || prev.code != "201" || string(prev.data) != "changed" {
		t.Errorf("prev = %+v", prev)
	}
	if g["counter"] != int32(5) {
		t.Errorf("binding counter = %v", g["counter"])
	}
	// BeanShell keeps top-level variables in the namespace between calls
	p, err := Compile("bsh", "if (count == void) count = 0; count++; int last = count;", BeanShell)
	if err != nil {
		t.Fatal(err)
	}
	ns := map[string]any{}
	for i := 0; i < 3; i++ {
		if _, err := p.Run(context.Background(), ns); err != nil {
			t.Fatal(err)
		}
	}
	if ns["count"] != int32(3) || ns["last"] != int32(3) {
		t.Errorf("BeanShell namespace: %v", ns)
	}
	// a Go method called with arguments of the wrong type fails as in JMeter
	_, _, err = runScript(t, Groovy, "vars.put('k', 5)", g)
	var me *Exception
	if !errors.As(err, &me) || me.Class != "groovy.lang.MissingMethodException" || !strings.Contains(me.Message, "java.lang.Integer") {
		t.Errorf("vars.put('k', 5): %v", err)
	}
	// JMeter's setResponseData(String, String) overload reaches a []byte setter
	if _, _, err := runScript(t, Groovy, "prev.setResponseData('as text', 'UTF-8')", g); err != nil || string(prev.data) != "as text" {
		t.Errorf("setResponseData(String, String): %v %q", err, prev.data)
	}
	// a missing method names method and type
	_, _, err = runScript(t, Groovy, "prev.fooBar(1)", g)
	var e *Exception
	if !errors.As(err, &e) || e.Class != "groovy.lang.MissingMethodException" || !strings.Contains(e.Message, "fooBar") {
		t.Errorf("missing method: %v", err)
	}
}

// ---- errors

func TestCompileErrorsAreLocated(t *testing.T) {
	cases := []struct {
		d         Dialect
		src       string
		line, col int
		construct string
	}{
		{Groovy, "import org.json.JSONObject\ndef o = new JSONObject('{}')", 1, 1, "class org.json.JSONObject"},
		{Groovy, "def x = 1\ndef y = Math.fooBar(2)", 2, 14, "method Math.fooBar"},
		{Java, "int x = 1;\nswitch (x) { case 1 -> x = 2; }", 2, 21, "construct 'switch rule'"},
		{Groovy, "def s = new com.acme.Thing()", 1, 13, "class com.acme.Thing"},
		{Groovy, "x = 1\nFooUtil.doIt()", 2, 1, "class FooUtil"},
		{Java, "String s = \"abc;", 1, 12, ""},
		{Groovy, "def a = [1, 2\nprintln a", 2, 1, ""},
		{Groovy, "@Grab('x:y:1')\nimport a.B", 1, 1, "construct 'annotation'"},
		{BeanShell, "x = 1;\nsource(\"lib.bsh\");", 2, 1, "method source"},
		{Groovy, "this.interpreter.setOut(p)", 1, 1, "construct 'this.interpreter'"},
		{Groovy, "class Job extends Thread {}\nnew Job()", 1, 19, "construct 'extends Thread'"},
		{Groovy, "x = 1\n@Canonical class P { int a }", 2, 1, "construct 'annotation'"},
		{Java, "import java.util.*;\nList l = new ArrayList();\nl.forEach(System.out::println);", 3, 21, "construct 'method reference'"},
		{Groovy, "def f = this.&nope\nf()", 1, 13, "method nope"},
		{Groovy, "def x = super.toString()", 1, 9, "construct 'super'"},
		{Groovy, "x = 1\ninterface A extends B {}\ninterface B extends A {}\nclass C implements A {}", 2, 1, "construct 'extends'"},
		{Groovy, "class C implements C {}", 1, 1, "construct 'implements C'"},
	}
	for _, c := range cases {
		_, err := Compile("t", c.src, c.d)
		var ce *CompileError
		if !errors.As(err, &ce) {
			t.Errorf("%q: want a CompileError, got %v", c.src, err)
			continue
		}
		if ce.Line != c.line || ce.Col != c.col || ce.Construct != c.construct {
			t.Errorf("%q: got %d:%d %q (%s), want %d:%d %q", c.src, ce.Line, ce.Col, ce.Construct, ce.Msg, c.line, c.col, c.construct)
		}
	}
	// all unknown names are reported at once
	_, err := Compile("t", "import org.json.JSONObject\nimport com.alibaba.fastjson.JSON\nJSON.parse('x')\nMath.nope()", Groovy)
	if err == nil || strings.Count(err.Error(), "\n") < 2 {
		t.Errorf("want every error reported, got %v", err)
	}
}

func TestRuntimeExceptions(t *testing.T) {
	cases := []struct {
		d         Dialect
		src       string
		class     string
		msg       string
		line, col int
	}{
		{Groovy, "def s = null\ns.length()", "java.lang.NullPointerException", "Cannot invoke method length() on null object", 2, 3},
		{Java, "int a = 1;\nint b = 0;\nint c = a / b;", "java.lang.ArithmeticException", "/ by zero", 3, 11},
		{Groovy, "Integer.parseInt('12x')", "java.lang.NumberFormatException", `For input string: "12x"`, 1, 9},
		{Groovy, "throw new IllegalStateException('bad state')", "java.lang.IllegalStateException", "bad state", 1, 1},
		{Java, "int[] a = new int[2];\na[2] = 1;", "java.lang.ArrayIndexOutOfBoundsException", "Index 2 out of bounds for length 2", 2, 6},
		{Groovy, "'abc'.substring(5)", "java.lang.StringIndexOutOfBoundsException", "begin 5, end 3, length 3", 1, 7},
		{Groovy, "undefinedThing + 1", "groovy.lang.MissingPropertyException", "No such property: undefinedThing for class: Script1", 1, 1},
		{Groovy, "'x'.noSuchMethod()", "groovy.lang.MissingMethodException", "", 1, 5},
	}
	for _, c := range cases {
		_, _, err := runScript(t, c.d, c.src, nil)
		var e *Exception
		if !errors.As(err, &e) {
			t.Errorf("%q: want an Exception, got %v", c.src, err)
			continue
		}
		if e.Class != c.class || (c.msg != "" && e.Message != c.msg) || e.Line != c.line || e.Col != c.col {
			t.Errorf("%q: got %s %q at %d:%d, want %s %q at %d:%d", c.src, e.Class, e.Message, e.Line, e.Col, c.class, c.msg, c.line, c.col)
		}
	}
	// try/catch by class and hierarchy, finally always runs
	out, _, err := runScript(t, Groovy, `
def log = []
try { Integer.parseInt('x') } catch (IllegalArgumentException e) { log << 'iae' } finally { log << 'fin' }
try { [1][5] = 2; throw new java.io.IOException('io') } catch (RuntimeException e) { log << 'rt' } catch (Exception e) { log << e.message }
try { try { throw new RuntimeException('inner') } finally { log << 'f2' } } catch (e) { log << e.message }
println log`, nil)
	if err != nil || out != "[iae, fin, io, f2, inner]\n" {
		t.Errorf("try/catch: %q %v", out, err)
	}
}

// Files: BeanShell scripts in real plans write CSV lines through
// this.interpreter.setOut(new PrintStream(new FileOutputStream(path, true))).
func TestFilesAndBeanShellOut(t *testing.T) {
	dir := t.TempDir()
	src := `
f = new FileOutputStream("out.csv", true);
p = new PrintStream(f);
this.interpreter.setOut(p);
print("a,1");
print("b," + (1 + 1));
f.close();
BufferedReader r = new BufferedReader(new FileReader(new File("out.csv")));
String first = r.readLine();
r.close();
FileWriter w = new FileWriter("other.txt");
w.write("x=" + first);
w.close();
`
	p, err := Compile("files", src, BeanShell)
	if err != nil {
		t.Fatal(err)
	}
	p.BaseDir = dir
	for i := 0; i < 2; i++ {
		if _, err := p.Run(context.Background(), map[string]any{}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, "out.csv"))
	if string(got) != "a,1\nb,2\na,1\nb,2\n" {
		t.Errorf("out.csv = %q", got)
	}
	got, _ = os.ReadFile(filepath.Join(dir, "other.txt"))
	if string(got) != "x=a,1" {
		t.Errorf("other.txt = %q", got)
	}
	// Groovy file helpers and a missing file
	out, _, err := runScript(t, Groovy, "def f = new File(dir, 'g.txt')\nf.text = 'l1\\n'\nf << 'l2\\n'\nprintln f.readLines()\nnew File(dir, 'nope.txt').text", map[string]any{"dir": dir})
	var e *Exception
	if out != "[l1, l2]\n" || !errors.As(err, &e) || e.Class != "java.io.FileNotFoundException" {
		t.Errorf("groovy files: %q %v", out, err)
	}
}

func TestEndlessLoopStopsOnCancel(t *testing.T) {
	for _, src := range []string{"while (true) { }", "for (;;) { def x = 1 }", "def f() { f() }\nf()", "while (true) { Thread.sleep(1000) }", "1000000000.times { }"} {
		p, err := Compile("loop", src, Groovy)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { _, err := p.Run(ctx, map[string]any{}); done <- err }()
		cancel()
		select {
		case err := <-done:
			var e *Exception
			if !errors.As(err, &e) {
				t.Errorf("%q: want an exception, got %v", src, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%q did not stop after cancel", src)
		}
	}
}

func TestConcurrentRunsShareProgram(t *testing.T) {
	p, err := Compile("c", `def l = []
(1..100).each { l << it * k }
def j = new groovy.json.JsonSlurper().parseText('{"a":[1,2.5]}')
assert "x1y".replaceAll(/\d/, "-") == "x-y"
assert java.time.format.DateTimeFormatter.ISO_LOCAL_DATE.format(java.time.LocalDate.of(2024, 1, 2)) == "2024-01-02"
assert j.a[1] * 2 == 5.0
l.sum()`, Groovy)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func(k int32) {
			for i := 0; i < 50; i++ {
				v, err := p.Run(context.Background(), map[string]any{"k": k})
				if err == nil && v != 5050*k {
					err = errors.New("wrong sum")
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}(int32(g + 1))
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
