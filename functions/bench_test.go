package functions

import (
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkEvalLiteral(b *testing.B) {
	c := NewContext(nil, nil, nil)
	t := MustCompile(`{"user":"alice","items":[1,2,3]}`)
	b.ReportAllocs()
	for b.Loop() {
		_ = t.Eval(c)
	}
}

func BenchmarkEvalVar(b *testing.B) {
	c := NewContext(nil, nil, nil)
	c.Vars.Put("token", "abc123")
	t := MustCompile("${token}")
	b.ReportAllocs()
	for b.Loop() {
		_ = t.Eval(c)
	}
}

func BenchmarkEvalVarInText(b *testing.B) {
	c := NewContext(nil, nil, nil)
	c.Vars.Put("token", "abc123")
	t := MustCompile("Bearer ${token}")
	b.ReportAllocs()
	for b.Loop() {
		_ = t.Eval(c)
	}
}

func BenchmarkEvalRandom(b *testing.B) {
	c := NewContext(nil, nil, nil)
	t := MustCompile("${__Random(1,1000000)}")
	b.ReportAllocs()
	for b.Loop() {
		_ = t.Eval(c)
	}
}

func BenchmarkEvalMixed(b *testing.B) {
	c := NewContext(nil, nil, nil)
	c.Vars.Put("user", "alice")
	t := MustCompile("/api/${user}/orders/${__threadNum}-${__Random(1,1000000)}?t=${__time()}")
	b.ReportAllocs()
	for b.Loop() {
		_ = t.Eval(c)
	}
}

func BenchmarkEvalJEXL(b *testing.B) {
	c := NewContext(nil, nil, nil)
	c.Vars.Put("n", "7")
	t := MustCompile(`${__jexl3(vars.get("n") > 5 && "a" == "a")}`)
	b.ReportAllocs()
	for b.Loop() {
		_ = t.Eval(c)
	}
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Compile("/api/${user}/orders/${__threadNum}-${__Random(1,1000000)}?t=${__time(yyyy-MM-dd)}")
	}
}

func BenchmarkEvalTimePattern(b *testing.B) {
	c := NewContext(nil, nil, nil)
	t := MustCompile("${__time(yyyy-MM-dd'T'HH:mm:ss.SSSXXX)}")
	b.ReportAllocs()
	for b.Loop() {
		_ = t.Eval(c)
	}
}

func BenchmarkEvalCSVRead(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte("a,1\nb,2\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	c := NewContext(nil, nil, nil)
	c.PlanFile = filepath.Join(dir, "plan.jmx")
	t := MustCompile("${__CSVRead(d.csv,1)}")
	b.ReportAllocs()
	for b.Loop() {
		_ = t.Eval(c)
	}
}
