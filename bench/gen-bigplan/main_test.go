package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/gometer/gometer/jmx"
)

func TestGenerateParses(t *testing.T) {
	for _, size := range []int{10 << 10, 1 << 20} {
		var buf bytes.Buffer
		if err := generate(&buf, size); err != nil {
			t.Fatal(err)
		}
		if buf.Len() < size || buf.Len() > size+8<<10 {
			t.Errorf("size %d: got %d bytes", size, buf.Len())
		}
		p, err := jmx.Parse(buf.Bytes(), "big.jmx")
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		n := 0
		jmx.Walk(p.TestPlan(), func(e *jmx.Element) bool {
			if e.Tag == "HTTPSamplerProxy" {
				n++
			}
			return true
		})
		if n < size/3000 {
			t.Errorf("size %d: only %d samplers", size, n)
		}
	}
}

// TestBenchPlansParse checks the scenario plans in bench/plans.
func TestBenchPlansParse(t *testing.T) {
	files, _ := filepath.Glob("../plans/*.jmx")
	if len(files) != 3 {
		t.Fatalf("want the three scenario plans, found %v", files)
	}
	for _, f := range files {
		p, err := jmx.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tg := p.TestPlan().Children[0]
		if tg.Tag != "ThreadGroup" || !tg.Bool("ThreadGroup.scheduler", false) {
			t.Errorf("%s: want a scheduled thread group first", f)
		}
		for _, prop := range []string{"ThreadGroup.num_threads", "ThreadGroup.duration"} {
			if v := tg.Str(prop); len(v) < 6 || v[:6] != "${__P(" {
				t.Errorf("%s: %s = %q, want a -J property", f, prop, v)
			}
		}
	}
	if _, err := os.Stat("../run.sh"); err != nil {
		t.Error(err)
	}
}
