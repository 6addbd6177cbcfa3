package report

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/gometer/gometer/output"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gometer/gometer/sample"
)

// JTLWriter writes results to a JTL (CSV or XML) from many goroutines.
//
// Design: each Add encodes its rows (the sample and its sub-results) into a
// pooled buffer without any lock, then appends the bytes to a shared
// pending batch inside a short critical section (a memcpy). One writer
// goroutine swaps the batch out and does the I/O outside the lock, so
// virtual users never wait on the disk; under load batches grow and the
// number of write calls falls. If the disk falls behind by more than
// maxPending bytes, Add blocks until there is room: rows are never dropped.
// The first write error is kept (Err, Failed); rows added after it are
// discarded, since the run must stop on it.
type JTLWriter struct {
	cfg    SaveConfig
	out    io.Writer
	file   *os.File // set when the writer owns a file
	path   string
	footer bool // XML: close </testResults> on Close

	mu      sync.Mutex
	cond    sync.Cond // signalled after every drain: room made, rows written
	pending []byte
	spare   []byte
	seq     uint64 // Adds accepted
	written uint64 // Adds whose bytes reached out
	closed  bool
	err     error
	dropped int64 // Adds refused after Close or after a write error
	failed  chan struct{}

	kick chan struct{}
	done chan struct{}
	pool sync.Pool
}

const (
	batchBytes    = 64 << 10               // wake the writer once this much is pending
	maxPending    = 4 << 20                // Add waits beyond this
	lingerPeriod  = 200 * time.Millisecond // longest a row waits before it is written
	maxSpareBytes = 8 << 20
)

// OpenJTLWriter opens a result file as JMeter's ResultCollector does. CSV:
// a new file gets its parent directories and (with print_field_names) the
// header line; an existing file is appended to without a header. XML: an
// existing file ending in </testResults> is trimmed and appended to;
// otherwise the file is (re)started with the XML header.
func OpenJTLWriter(path string, cfg SaveConfig) (*JTLWriter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if path == "" {
		return nil, errors.New("result file: empty path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("result file %s: creating its folder: %w", path, err)
		}
	}
	var (
		f      *os.File
		err    error
		header bool
	)
	if cfg.XML {
		appendable, terr := trimXMLEnd(path)
		if terr != nil {
			return nil, fmt.Errorf("result file %s: %w", path, terr)
		}
		if appendable {
			f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o644)
		} else {
			f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
			header = true
		}
	} else {
		_, serr := os.Stat(path)
		header = errors.Is(serr, os.ErrNotExist)
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	}
	if err != nil {
		return nil, fmt.Errorf("result file %s: %w", path, err)
	}
	w := newJTLWriter(f, cfg, header)
	w.file = f
	w.path = path
	return w, nil
}

// trimXMLEnd reports whether an XML JTL at path can be appended to, cutting
// its closing </testResults> first. A missing, short or unterminated file
// is restarted, as JMeter does.
func trimXMLEnd(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return false, err
	}
	minLen := int64(len(xmlFileHeader) + len("<testResults>") + len(xmlCloseTag))
	size := st.Size()
	if size < minLen {
		return false, nil
	}
	start := size - int64(len(xmlCloseTag)) - 10
	tail := make([]byte, size-start)
	if _, err := f.ReadAt(tail, start); err != nil {
		return false, err
	}
	i := bytes.Index(tail, []byte(xmlCloseTag))
	if i < 0 {
		return false, nil
	}
	if err := f.Truncate(start + int64(i)); err != nil {
		return false, err
	}
	return true, nil
}

// NewJTLWriter writes to w; header says whether to start with the CSV
// header line (if cfg.PrintFieldNames) or the XML prologue. An invalid
// timestamp pattern leaves the timeStamp fields empty; call cfg.Validate
// first to catch it.
func NewJTLWriter(w io.Writer, cfg SaveConfig, header bool) *JTLWriter {
	_ = cfg.Validate()
	return newJTLWriter(w, cfg, header)
}

func newJTLWriter(out io.Writer, cfg SaveConfig, header bool) *JTLWriter {
	w := &JTLWriter{
		cfg:    cfg,
		out:    out,
		footer: cfg.XML,
		failed: make(chan struct{}),
		kick:   make(chan struct{}, 1),
		done:   make(chan struct{}),
	}
	w.cond.L = &w.mu
	w.pool.New = func() any { b := make([]byte, 0, 512); return &b }
	if header {
		if cfg.XML {
			w.pending = append(w.pending, xmlFileHeader...)
			w.pending = append(w.pending, '\n')
			if cfg.XMLPI != "" {
				w.pending = append(w.pending, cfg.XMLPI...)
				w.pending = append(w.pending, '\n')
			}
			w.pending = append(w.pending, xmlOpenTag...)
			w.pending = append(w.pending, '\n')
		} else if cfg.PrintFieldNames {
			w.pending = append(w.pending, cfg.Header()...)
			w.pending = append(w.pending, '\n')
		}
	}
	if len(w.pending) > 0 {
		w.seq = 1 // the header counts as one entry, so Flush waits for it
	}
	go w.loop()
	return w
}

// Config is the writer's save configuration.
func (w *JTLWriter) Config() SaveConfig { return w.cfg }

// Path is the file written, "" for NewJTLWriter.
func (w *JTLWriter) Path() string { return w.path }

// Add queues r (and its sub-results) for writing. Safe for concurrent use.
func (w *JTLWriter) Add(r *sample.Result) {
	if r == nil {
		return
	}
	bp := w.pool.Get().(*[]byte)
	b := (*bp)[:0]
	if w.cfg.XML {
		b = FormatXMLSample(b, r, &w.cfg)
	} else {
		b = FormatRows(b, r, &w.cfg)
	}
	w.mu.Lock()
	for len(w.pending) >= maxPending && !w.closed && w.err == nil {
		w.wake()
		w.cond.Wait()
	}
	if w.closed || w.err != nil {
		w.dropped++
		w.mu.Unlock()
		w.release(bp, b)
		return
	}
	w.pending = append(w.pending, b...)
	w.seq++
	n := len(w.pending)
	w.mu.Unlock()
	if n >= batchBytes || w.cfg.AutoFlush {
		w.wake()
	}
	w.release(bp, b)
}

func (w *JTLWriter) release(bp *[]byte, b []byte) {
	if cap(b) > 64<<10 {
		return // do not keep huge one-off buffers around
	}
	*bp = b
	w.pool.Put(bp)
}

func (w *JTLWriter) wake() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

func (w *JTLWriter) loop() {
	defer close(w.done)
	t := time.NewTicker(lingerPeriod)
	defer t.Stop()
	for {
		select {
		case <-w.kick:
		case <-t.C:
		}
		if w.drain() {
			return
		}
	}
}

// drain writes whatever is pending; it reports true once the writer is
// closed and nothing is left.
func (w *JTLWriter) drain() bool {
	w.mu.Lock()
	buf, seq := w.pending, w.seq
	w.pending, w.spare = w.spare[:0], nil
	failed := w.err != nil
	w.mu.Unlock()

	var err error
	if len(buf) > 0 && !failed {
		_, err = w.out.Write(buf)
		if err == nil {
			if fl, ok := w.out.(interface{ Flush() error }); ok {
				err = fl.Flush()
			}
		}
	}

	w.mu.Lock()
	if cap(buf) <= maxSpareBytes {
		w.spare = buf[:0]
	}
	if err != nil {
		w.setErrLocked("writing", err)
	}
	w.written = seq
	stop := w.closed && len(w.pending) == 0
	w.cond.Broadcast()
	w.mu.Unlock()
	return stop
}

// Flush waits until every row added before the call has been handed to the
// underlying writer (the file), and returns the first write error.
func (w *JTLWriter) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	target := w.seq
	for w.written < target && w.err == nil && !w.closed {
		w.wake()
		w.cond.Wait()
	}
	return w.err
}

// Err is the first write error (disk full, file gone …), nil if none. The
// run should stop when it is set; Failed is closed at that moment.
func (w *JTLWriter) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Dropped counts results refused because the writer was closed or had
// failed; a non-zero value after a clean run means the engine added
// results after closing its outputs.
func (w *JTLWriter) Dropped() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.dropped
}

// Failed is closed when the first write error happens.
func (w *JTLWriter) Failed() <-chan struct{} { return w.failed }

// Close writes everything still pending (and the XML footer), closes the
// file it opened, and returns the first error. Later Adds are ignored.
func (w *JTLWriter) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		<-w.done
		return w.Err()
	}
	w.closed = true
	w.cond.Broadcast()
	w.mu.Unlock()
	w.wake()
	<-w.done

	w.mu.Lock()
	defer w.mu.Unlock()
	if w.footer && w.err == nil {
		_, err := io.WriteString(w.out, "\n"+xmlCloseTag+"\n")
		if err == nil {
			if fl, ok := w.out.(interface{ Flush() error }); ok {
				err = fl.Flush()
			}
		}
		if err != nil {
			w.setErrLocked("writing", err)
		}
	}
	if w.file != nil {
		if err := w.file.Close(); err != nil {
			w.setErrLocked("closing", err)
		}
	}
	return w.err
}

// setErrLocked keeps the first error, naming the file; w.mu is held.
func (w *JTLWriter) setErrLocked(what string, err error) {
	if w.err != nil {
		return
	}
	if w.path != "" {
		w.err = fmt.Errorf("%s result file %s: %w", what, w.path, err)
	} else {
		w.err = fmt.Errorf("%s results: %w", what, err)
	}
	close(w.failed)
}

// Start does nothing: the file is open from OpenJTLWriter on. It makes a
// JTLWriter an output.Output.
func (w *JTLWriter) Start(output.Run) error { return nil }

// Stop closes the writer (Close).
func (w *JTLWriter) Stop() error { return w.Close() }
