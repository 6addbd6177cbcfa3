package functions

import "testing"

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
