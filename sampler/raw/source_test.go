package raw

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func writeSource(t testing.TB, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "raw.txt")
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The documented format: a length line (anything after a space ignored),
// that many bytes, extra newlines before the next length line.
const rawFile = "18 first\r\nGET / HTTP/1.0\r\n\r\n\n\n\r\n5\nab\ncd\n3\n\x00\x01\x02"

func TestSourceChunks(t *testing.T) {
	s, err := OpenSource(writeSource(t, rawFile), false, false, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, want := range []string{"GET / HTTP/1.0\r\n\r\n", "ab\ncd", "\x00\x01\x02"} {
		got, err := s.Next()
		if err != nil || got != want {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
	}
	if _, err := s.Next(); !errors.Is(err, ErrEnd) {
		t.Fatalf("at the end: %v", err)
	}
}

func TestSourceRewindAndHex(t *testing.T) {
	s, err := OpenSource(writeSource(t, "2\n\xab\x01\n0\nignored"), true, true, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 3; i++ { // a zero-length chunk counts as the end: start over
		if got, err := s.Next(); err != nil || got != "ab01" {
			t.Fatalf("round %d: %q %v", i, got, err)
		}
	}
	empty, _ := OpenSource(writeSource(t, "\n\n"), true, false, 1<<20)
	defer empty.Close()
	if _, err := empty.Next(); err == nil || errors.Is(err, ErrEnd) {
		t.Fatalf("a rewinding source with no chunk must fail, not loop: %v", err)
	}
}

func TestSourceErrors(t *testing.T) {
	for data, want := range map[string]string{
		"x\nabc":                  "error reading chunk size near: x",
		"10\nabc":                 "Expected chunk size (10) differs from read bytes count (3)",
		"999999\nx":               "larger than gometer reads",
		strings.Repeat("1", 2000): "longer than 1024 bytes",
		"-4\nabcd":                "error reading chunk size near: -4",
	} {
		s, _ := OpenSource(writeSource(t, data), false, false, 1000)
		_, err := s.Next()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", data, err, want)
		}
		s.Close()
	}
}

// Users share one reader: every chunk goes to exactly one of them.
func TestSourceShared(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 500; i++ {
		b.WriteString("4\n")
		b.WriteString(strings.Repeat(string(rune('a'+i%26)), 3) + "\n")
	}
	s, _ := OpenSource(writeSource(t, b.String()), false, false, 1<<20)
	defer s.Close()
	var wg sync.WaitGroup
	var mu sync.Mutex
	n := 0
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if _, err := s.Next(); err != nil {
					return
				}
				mu.Lock()
				n++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if n != 500 {
		t.Fatalf("%d chunks read, want 500", n)
	}
}

func FuzzSource(f *testing.F) {
	for _, s := range []string{rawFile, "0\n", "3\r\n\r\nabc", "\r\r\n\n4 x y\nabcd"} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, rewind bool) {
		s, err := OpenSource(writeSource(t, string(data)), rewind, false, 1<<16)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for i := 0; i < len(data)+2; i++ { // each call consumes a byte or ends
			if _, err := s.Next(); err != nil {
				return
			}
			if rewind {
				return // a rewinding source never ends on its own
			}
		}
		t.Fatalf("more chunks than bytes in %q", data)
	})
}
