package jmx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/corpus"
)

func corpusFiles(t testing.TB) []string { return corpus.Plans(t) }

func count(p *Plan, tag string) int {
	n := 0
	for _, r := range p.Roots {
		Walk(r, func(e *Element) bool {
			if e.Tag == tag {
				n++
			}
			return true
		})
	}
	return n
}

func TestCorpus(t *testing.T) {
	plans := map[string]*Plan{}
	for _, f := range corpusFiles(t) {
		p, err := ParseFile(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if p.TestPlan() == nil {
			t.Errorf("%s: no TestPlan", f)
		}
		for _, r := range p.Roots {
			Walk(r, func(e *Element) bool {
				if e.Line < 1 || e.Col < 1 || !e.Enabled {
					t.Errorf("%s: element %s at %d:%d enabled=%v", f, e.Path(), e.Line, e.Col, e.Enabled)
				}
				return true
			})
		}
		plans[filepath.Base(f)[:2]] = p
		data, _ := os.ReadFile(f)
		if sp, err := parse(data, f, true); err != nil || dump(sp) != dump(p) {
			t.Errorf("%s: the strict path disagrees with the fast one (%v)", f, err)
		}
	}

	if p := plans["01"]; p != nil {
		tp := p.TestPlan()
		if len(tp.Children) != 1 || tp.Children[0].Tag != "ThreadGroup" {
			t.Fatalf("01: TestPlan children %v", names(tp.Children))
		}
		tg := tp.Children[0]
		if count(p, "HTTPSamplerProxy") != 1 || tg.Children[0].Name != "GET users" || tg.Children[0].Line != 15 {
			t.Errorf("01: thread group children %v", names(tg.Children))
		}
		if tg.Int("ThreadGroup.num_threads", 0) != 5 || tg.Elem("ThreadGroup.main_controller").Int("LoopController.loops", 0) != 10 {
			t.Error("01: thread group numbers")
		}
	}
	if p := plans["39"]; p != nil {
		// The recorded gzip body with &#x0; references loads with its control characters.
		var body string
		for _, r := range p.Roots {
			Walk(r, func(e *Element) bool {
				if strings.HasPrefix(e.Name, "/submit/activity-stream") {
					args := e.Elem("HTTPsampler.Arguments").Collection("Arguments.arguments")
					body = args[0].Elem.Str("Argument.value")
				}
				return true
			})
		}
		if !strings.HasPrefix(body, "\x1f\uFFFD\x08\x00\x00") {
			t.Errorf("39: body starts %q", body[:min(len(body), 12)])
		}
		if count(p, "ProxyControl") != 0 {
			t.Error("39: disabled ProxyControl kept")
		}
	}
	if p := plans["17"]; p != nil && count(p, "ThreadGroup") != 0 {
		t.Error("17: its only thread group is disabled and must be dropped")
	}
	if p := plans["20"]; p != nil && (p.Version != "" || count(p, "HTTPSampler") == 0) {
		t.Errorf("20: version %q, HTTPSampler count %d", p.Version, count(p, "HTTPSampler"))
	}
	if p := plans["55"]; p != nil && count(p, "HTTPSamplerProxy") < 100 {
		t.Errorf("55: only %d HTTP samplers", count(p, "HTTPSamplerProxy"))
	}
}

func BenchmarkParseLargest(b *testing.B) {
	f := filepath.Join(corpus.Dir(b), "55-andimov-benchmark.jmx")
	data, err := os.ReadFile(f)
	if err != nil {
		b.Skip("corpus plan 55 not present")
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data, f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSmall(b *testing.B) {
	data := []byte(allKinds)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data, "plan.jmx"); err != nil {
			b.Fatal(err)
		}
	}
}
