package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Progress is for people at a terminal: pipes, files and buffers get nothing.
func TestProgressSilentWhenNotATerminal(t *testing.T) {
	dir := t.TempDir()
	jtl := writeJTL(t, dir, "r.jtl", jtlHeader+"1700000000000,100,A,200,OK,TG 1-1,text,true,,1000,100,1,1,u,50,0,5\n")
	var buf bytes.Buffer
	if _, err := Generate([]string{jtl}, filepath.Join(dir, "a"), GenerateOptions{Progress: &buf}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "progress.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate([]string{jtl}, filepath.Join(dir, "b"), GenerateOptions{Progress: f}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(f.Name())
	if buf.Len() != 0 || st.Size() != 0 {
		t.Errorf("progress written to a non-terminal: %q, %d bytes", buf.String(), st.Size())
	}
	if isTerminal(f) {
		t.Error("a regular file is not a terminal")
	}
	// The line itself, as a terminal would get it.
	p := &progress{w: &buf, total: 2_000_000}
	p.start = p.start.Add(-1)
	p.done(1234567, 1_000_000)
	if got := buf.String(); !bytes.Contains([]byte(got), []byte("1,234,567 rows, 1.0 MB (50%)")) {
		t.Errorf("progress line %q", got)
	}
}
