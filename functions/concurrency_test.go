package functions

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
)

// TestConcurrentUsers evaluates shared templates from many users at once:
// the global counter hands out every number exactly once, CSV rows are
// shared, and nothing races (run with -race).
func TestConcurrentUsers(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte("a\nb\nc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	shared, props := NewShared(), NewProperties()
	counter := MustCompile("${__counter(FALSE)}")
	mixed := MustCompile(`${__CSVRead(d.csv,0)}${__CSVRead(d.csv,next)}-${__jexl3(${__threadNum} > 0)}-${__setProperty(p${__threadNum},x)}${__StringFromFile(d.csv)}`)
	const users, iters = 8, 200
	results := make([][]string, users)
	var wg sync.WaitGroup
	for u := 0; u < users; u++ {
		wg.Add(1)
		go func(u int) {
			defer wg.Done()
			c := NewContext(nil, props, shared)
			c.ThreadNum = u + 1
			c.PlanFile = filepath.Join(dir, "plan.jmx")
			for i := 0; i < iters; i++ {
				results[u] = append(results[u], counter.Eval(c))
				if got := mixed.Eval(c); len(got) < 8 || got[1:7] != "-true-" {
					t.Errorf("mixed = %q", got)
					return
				}
			}
		}(u)
	}
	wg.Wait()
	var all []int
	for _, r := range results {
		for _, s := range r {
			n, _ := strconv.Atoi(s)
			all = append(all, n)
		}
	}
	sort.Ints(all)
	for i, n := range all {
		if n != i+1 {
			t.Fatalf("global counter: position %d holds %d", i, n)
		}
	}
	if len(props.Names()) != users {
		t.Errorf("properties set: %v", props.Names())
	}
}
