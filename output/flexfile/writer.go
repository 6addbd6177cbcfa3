package flexfile

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// Writer is one Flexible File Writer element as an output: Start opens the
// file (appending unless "overwrite") and writes the header, Add writes a
// row per sample, Stop writes the footer and closes.
type Writer struct {
	el        *jmx.Element
	filename  *functions.Template
	overwrite bool
	header    string
	footer    string
	spec      Spec
	props     *functions.Properties

	mu      sync.Mutex
	f       *os.File
	w       *bufio.Writer
	buf     []byte
	limit   int // row buffer (bytes)
	nvars   int // names in sample_variables
	log     func(level, msg string)
	lost    int  // rows over the buffer
	failed  bool // a write failed (reported once)
	path    string
	stopped bool
}

// New reads a FlexibleFileWriter element. props evaluate functions in the
// file name, once, when the run starts (as the plugin does).
func New(el *jmx.Element, props *functions.Properties) (*Writer, error) {
	name, err := functions.Compile(el.Str("filename"))
	if err != nil {
		return nil, fmt.Errorf("filename: %w", err)
	}
	return &Writer{
		el:        el,
		filename:  name,
		overwrite: el.Bool("overwrite", false),
		header:    Unescape(el.Str("header")),
		footer:    Unescape(el.Str("footer")),
		spec:      Compile(el.Str("columns")),
		props:     props,
	}, nil
}

// Needs says which sample parts the record reads beyond the summary.
func (w *Writer) Needs() output.Needs {
	req, bodies := w.spec.needs()
	return output.Needs{RequestDetails: req, ResponseBodies: bodies}
}

// Start opens the file and writes the header. A file that cannot be opened
// stops the run before it starts (the plugin logs and writes nothing).
func (w *Writer) Start(run output.Run) error {
	w.log = run.Log
	if w.log == nil {
		w.log = func(string, string) {}
	}
	w.limit = DefaultBuffer
	if v := strings.TrimSpace(run.Prop(PropBuffer)); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			w.limit = n
		}
	}
	if v := strings.TrimSpace(run.Prop("sample_variables")); v != "" {
		w.nvars = len(strings.Split(v, ","))
	}
	w.path = strings.TrimSpace(w.filename.Eval(functions.NewContext(nil, w.props, nil)))
	flags := os.O_WRONLY | os.O_CREATE | os.O_APPEND
	if w.overwrite {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(w.path, flags, 0o644)
	if err != nil {
		return fmt.Errorf("%s (%s): Flexible File Writer: %w", w.el.Path(), w.el.Where(), err)
	}
	w.f = f
	w.w = bufio.NewWriterSize(f, 64<<10)
	if w.header != "" {
		_, err = w.w.WriteString(w.header)
	}
	return err
}

// Add writes the sample's row. A row longer than the buffer property is
// lost, as the plugin loses it (logged once per run with the count at
// Stop).
func (w *Writer) Add(r *sample.Result) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.w == nil || w.stopped {
		return
	}
	row, ok := w.spec.Append(w.buf[:0], r, w.nvars)
	w.buf = row[:0]
	if !ok || len(row) > w.limit {
		if w.lost == 0 {
			w.log("error", fmt.Sprintf("Flexible File Writer %s: a row of %d bytes does not fit the %d-byte buffer (%s) and is lost, as the plugin loses it", w.path, len(row), w.limit, PropBuffer))
		}
		w.lost++
		return
	}
	if _, err := w.w.Write(row); err != nil && !w.failed {
		w.log("error", fmt.Sprintf("Flexible File Writer %s: %v", w.path, err))
		w.failed = true
	}
}

// Stop writes the footer, flushes and closes the file.
func (w *Writer) Stop() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil || w.stopped {
		return nil
	}
	w.stopped = true
	if w.lost > 0 {
		w.log("warn", fmt.Sprintf("Flexible File Writer %s: %d row(s) lost: longer than %s=%d bytes", w.path, w.lost, PropBuffer, w.limit))
	}
	var err error
	if w.footer != "" {
		_, err = w.w.WriteString(w.footer)
	}
	if e := w.w.Flush(); err == nil {
		err = e
	}
	if e := w.f.Close(); err == nil {
		err = e
	}
	return err
}
