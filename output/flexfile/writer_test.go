package flexfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/output"
)

func newWriter(t *testing.T, kv ...string) *Writer {
	t.Helper()
	el := jmxtest.Element(t, `<kg.apc.jmeter.reporters.FlexibleFileWriter guiclass="x" testclass="kg.apc.jmeter.reporters.FlexibleFileWriter" testname="ffw">`+
		jmxtest.Props(kv...)+`<boolProp name="overwrite">true</boolProp></kg.apc.jmeter.reporters.FlexibleFileWriter>`)
	w, err := New(el, functions.NewProperties())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// Overwrite truncates what the file held; a row longer than the buffer
// property is lost (and counted in the log), the others are written.
func TestWriterOverwriteAndBuffer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	if err := os.WriteFile(path, []byte("old content\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := newWriter(t, "filename", path, "columns", `sampleLabel|\n`, "header", `#h\n`, "footer", `#f`)
	var logged []string
	run := output.Run{Log: func(level, msg string) { logged = append(logged, level+": "+msg) },
		Property: func(name string) string {
			if name == PropBuffer {
				return "8"
			}
			return ""
		}}
	if err := w.Start(run); err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"short", "much too long", "ok"} {
		r := exampleResult()
		r.Label = label
		w.Add(r)
	}
	if err := w.Stop(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if string(data) != "#h\nshort\nok\n#f" {
		t.Fatalf("file %q", data)
	}
	if len(logged) != 2 || !strings.Contains(logged[1], "1 row(s) lost") {
		t.Fatalf("log %q", logged)
	}
}

func TestWriterCannotOpen(t *testing.T) {
	w := newWriter(t, "filename", filepath.Join(t.TempDir(), "no", "such", "dir", "x.txt"), "columns", "sampleLabel")
	if err := w.Start(output.Run{}); err == nil || !strings.Contains(err.Error(), "Flexible File Writer") {
		t.Fatalf("got %v", err)
	}
}
