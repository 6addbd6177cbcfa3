package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzReadJTL checks that no input panics or hangs, that every bad row is a
// *RowError, and that reading one byte per Read into a buffer that starts
// at one byte gives exactly what reading from a whole buffer gives (every
// buffer boundary is handled).
func FuzzReadJTL(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "read", "*"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(badRows))
	f.Fuzz(func(t *testing.T, data []byte) {
		read := func(r io.Reader, bufSize int) string {
			var out bytes.Buffer
			jr, err := NewJTLReader(r, "f.jtl", ReadOptions{Location: time.UTC, bufSize: bufSize, OnBadRow: func(err error) {
				var re *RowError
				if !errors.As(err, &re) {
					t.Fatalf("bad row error %T %v", err, err)
				}
				fmt.Fprintf(&out, "bad %v\n", err)
			}})
			if err != nil {
				return "open " + err.Error()
			}
			for i := 0; ; i++ {
				s, err := jr.Next()
				if err != nil {
					fmt.Fprintf(&out, "end %v", err)
					break
				}
				if i > len(data)+10 {
					t.Fatalf("more samples (%d) than input bytes", i)
				}
				fmt.Fprintf(&out, "%+v\n", *s)
			}
			return out.String()
		}
		whole := read(bytes.NewReader(data), 0)
		slow := read(slowReader{bytes.NewReader(data)}, 1)
		if whole != slow {
			t.Fatalf("byte-at-a-time differs:\n%s\n---\n%s", whole, slow)
		}
	})
}
