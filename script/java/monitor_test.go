package java

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// Users running one script on a shared map exclude each other inside
// synchronized blocks and methods; the count is exact.
func TestSynchronizedExcludesUsers(t *testing.T) {
	for _, c := range []struct {
		d   Dialect
		src string
	}{
		{Groovy, `for (int i = 0; i < 200; i++) { synchronized (shared) { def n = shared.get('n') ?: 0; shared.put('n', n + 1) } }`},
		{Java, `for (int i = 0; i < 200; i++) { synchronized (lockName) { synchronized (shared) { Integer n = (Integer) shared.get("n"); shared.put("n", n == null ? 1 : n + 1); } } }`},
		{Groovy, "class C { synchronized void bump(m) { m.n = (m.n ?: 0) + 1 } }\n for (int i = 0; i < 200; i++) { counter.bump(shared) }"},
		{BeanShell, `synchronized (shared) { for (int i = 0; i < 200; i++) { Object n = shared.get("n"); shared.put("n", n == null ? 1 : n + 1); } }`},
	} {
		p, err := Compile("t", c.src, c.d)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		shared, mons := newMap(), NewMonitors()
		var counter any
		if c.d == Groovy {
			if cp, err := Compile("c", "class C { synchronized void bump(m) { m.n = (m.n ?: 0) + 1 } }\nnew C()", Groovy); err == nil {
				counter, _ = cp.Run(context.Background(), nil)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for u := 0; u < 8; u++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				g := map[string]any{"shared": shared, "__monitors": mons, "lockName": "lock-" + "a", "counter": counter}
				if _, err := p.Run(context.Background(), g); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("%s: %v", c.src, err)
		}
		if n, _ := shared.Get("n"); n != int32(1600) {
			t.Errorf("%s: n = %v, want 1600", c.src, n)
		}
		if len(mons.m) != 0 {
			t.Errorf("%s: %d monitors left in the table", c.src, len(mons.m))
		}
	}
}

// A script waiting for a lock another holds forever is released by the
// run's stop, as a stuck script is.
func TestSynchronizedWaitEndsWithTheRun(t *testing.T) {
	holder, err := Compile("h", `synchronized ("L") { while (true) { } }`, Groovy)
	if err != nil {
		t.Fatal(err)
	}
	waiter, err := Compile("w", `synchronized ("L") { 1 }`, Groovy)
	if err != nil {
		t.Fatal(err)
	}
	mons := NewMonitors()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 2)
	go func() {
		_, err := holder.Run(ctx, map[string]any{"__monitors": mons})
		done <- err
	}()
	// wait until the holder owns the lock
	for deadline := time.Now().Add(10 * time.Second); ; {
		mons.mu.Lock()
		held := false
		for _, m := range mons.m {
			held = m.owner.Load() != nil
		}
		mons.mu.Unlock()
		if held || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	go func() {
		_, err := waiter.Run(ctx, map[string]any{"__monitors": mons})
		done <- err
	}()
	cancel()
	for i := 0; i < 2; i++ {
		var e *Exception
		if err := <-done; !errors.As(err, &e) || e.Class != "java.lang.InterruptedException" {
			t.Errorf("stopped script: %v", err)
		}
	}
}

func TestSynchronizedOnNull(t *testing.T) {
	_, _, err := runScript(t, Java, "Object o = null; synchronized (o) { }", nil)
	var e *Exception
	if !errors.As(err, &e) || e.Class != "java.lang.NullPointerException" {
		t.Errorf("synchronized (null): %v", err)
	}
}
