package report

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"container/heap"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gometer/gometer/functions"
)

// ReadOptions control how result files are read.
type ReadOptions struct {
	// Props are JMeter properties: jmeter.save.saveservice.* (the delimiter,
	// timestamp_format, and which columns a file without a header holds),
	// sample_variables and sampleresult.timestamp.start. nil = JMeter 5.6's defaults.
	Props *functions.Properties
	// Strict stops at the first malformed row (Next returns its *RowError)
	// instead of reporting it to OnBadRow and going on.
	Strict bool
	// OnBadRow is called with a *RowError for each skipped malformed row
	// when not Strict; nil ignores them.
	OnBadRow func(err error)
	// Location interprets date-formatted timestamps; nil = time.Local, as
	// JMeter uses the JVM's default zone.
	Location *time.Location

	bufSize int // initial CSV buffer size; tests make it tiny to hit every boundary
}

// RowError is a malformed row: the file, the 1-based line the row starts
// on, and what is wrong with it.
type RowError struct {
	File string
	Line int64
	Msg  string
}

func (e *RowError) Error() string {
	return e.File + ":" + strconv.FormatInt(e.Line, 10) + ": " + e.Msg
}

// sampleSource is what the CSV and XML readers implement.
type sampleSource interface {
	next() (*Sample, error)
	columns() []string
}

// JTLReader streams the samples of one JTL file, CSV or XML, plain or
// gzip-compressed (all detected from the content). It is not safe for
// concurrent use, except BytesRead and Rows.
type JTLReader struct {
	name   string
	opts   ReadOptions
	cr     *countingReader
	closer io.Closer
	src    sampleSource
	rows   atomic.Int64
	err    error // sticky error (strict failure or I/O)
}

// OpenJTL opens a result file for streaming.
func OpenJTL(path string, opts ReadOptions) (*JTLReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open results: %w", err)
	}
	r, err := newJTLReader(f, path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewJTLReader reads a JTL from r; name is used in messages. An empty input
// reads as no samples (Next returns io.EOF at once).
func NewJTLReader(r io.Reader, name string, opts ReadOptions) (*JTLReader, error) {
	return newJTLReader(r, name, opts)
}

const readBufSize = 256 << 10

func newJTLReader(r io.Reader, name string, opts ReadOptions) (*JTLReader, error) {
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, readBufSize)
	jr := &JTLReader{name: name, opts: opts, cr: cr}
	if opts.Location == nil {
		jr.opts.Location = time.Local
	}
	// A gzip-compressed JTL is read as it is (BytesRead then counts compressed bytes).
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		br = bufio.NewReaderSize(zr, readBufSize)
	}
	// Detect the format from the first non-blank bytes.
	head, _ := br.Peek(512)
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	var err error
	if len(trimmed) > 0 && trimmed[0] == '<' {
		jr.src, err = newXMLSource(br, name, &jr.opts)
	} else {
		jr.src, err = newCSVSource(br, name, &jr.opts)
	}
	if err != nil {
		return nil, err
	}
	return jr, nil
}

// Next returns the next sample, or io.EOF after the last one. The returned
// *Sample (and its Vars slice) belongs to the reader and is overwritten by
// the next call: copy what you keep. Its strings are immutable and may be kept.
//
// A malformed row is skipped and reported to OnBadRow, or, with Strict,
// returned as a *RowError that ends the reading.
func (r *JTLReader) Next() (*Sample, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		s, err := r.src.next()
		if err == nil {
			r.rows.Add(1)
			return s, nil
		}
		var re *RowError
		if errors.As(err, &re) && !r.opts.Strict {
			if r.opts.OnBadRow != nil {
				r.opts.OnBadRow(err)
			}
			continue
		}
		r.err = err
		return nil, err
	}
}

// Close closes the file OpenJTL opened; for NewJTLReader it does nothing.
func (r *JTLReader) Close() error {
	if r.closer != nil {
		c := r.closer
		r.closer = nil
		return c.Close()
	}
	return nil
}

// BytesRead is how much of the input has been read so far (for progress).
// Like Rows, it may be called from another goroutine while reading goes on.
func (r *JTLReader) BytesRead() int64 { return r.cr.n.Load() }

// Rows is the number of samples returned so far (sub-samples included).
func (r *JTLReader) Rows() int64 { return r.rows.Load() }

// Columns are the CSV columns in file order, as in the header (or as the
// properties imply for a file without one), sample variables without their
// quotes; nil for XML, whose attributes vary per sample.
func (r *JTLReader) Columns() []string { return r.src.columns() }

// Name is the file name the reader reports in messages.
func (r *JTLReader) Name() string { return r.name }

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// MultiReader reads several JTLs as one stream ordered by timeStamp.
//
// It is a k-way merge: each file is read in its own order and, at every
// step, the file whose current sample has the smallest timeStamp goes first
// (ties go to the file listed first). JMeter writes rows when samples end,
// so files are only roughly sorted by start time; the output is then as
// sorted as the inputs are — no row is held back or reordered within a file,
// and memory stays one sample per file.
type MultiReader struct {
	readers []*JTLReader
	h       mergeHeap
	last    *mergeItem // returned by the previous Next; advanced on the next call
	started bool
	rows    atomic.Int64
	err     error // sticky: the first error ends the merge
}

type mergeItem struct {
	r   *JTLReader
	s   *Sample
	idx int
}

type mergeHeap []*mergeItem

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	if h[i].s.TimeStamp != h[j].s.TimeStamp {
		return h[i].s.TimeStamp < h[j].s.TimeStamp
	}
	return h[i].idx < h[j].idx
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(*mergeItem)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// MergeJTL opens every file and merges them by timeStamp. With one path it
// behaves like OpenJTL.
func MergeJTL(paths []string, opts ReadOptions) (*MultiReader, error) {
	m := &MultiReader{}
	for _, p := range paths {
		r, err := OpenJTL(p, opts)
		if err != nil {
			m.Close()
			return nil, err
		}
		m.readers = append(m.readers, r)
	}
	return m, nil
}

// Next returns the sample with the smallest timeStamp among the files'
// current samples, or io.EOF when all are exhausted. As with JTLReader, the
// *Sample is overwritten by the next call.
func (m *MultiReader) Next() (*Sample, error) {
	if m.err != nil {
		return nil, m.err
	}
	s, err := m.next()
	if err != nil {
		m.err = err
	}
	return s, err
}

func (m *MultiReader) next() (*Sample, error) {
	if !m.started {
		m.started = true
		for i, r := range m.readers {
			s, err := r.Next()
			if err == io.EOF {
				continue
			}
			if err != nil {
				return nil, err
			}
			m.h = append(m.h, &mergeItem{r: r, s: s, idx: i})
		}
		heap.Init(&m.h)
	} else if m.last != nil {
		it := m.last
		m.last = nil
		s, err := it.r.Next()
		switch {
		case err == io.EOF:
		case err != nil:
			return nil, err
		default:
			it.s = s
			heap.Push(&m.h, it)
		}
	}
	if len(m.h) == 0 {
		return nil, io.EOF
	}
	it := heap.Pop(&m.h).(*mergeItem)
	m.last = it
	m.rows.Add(1)
	it.s.Source = it.idx
	return it.s, nil
}

// Close closes every file.
func (m *MultiReader) Close() error {
	var errs []error
	for _, r := range m.readers {
		if err := r.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// BytesRead is the total read from all files so far; like Rows, it may be
// called from another goroutine.
func (m *MultiReader) BytesRead() int64 {
	var n int64
	for _, r := range m.readers {
		n += r.BytesRead()
	}
	return n
}

// Rows is the number of samples returned so far.
func (m *MultiReader) Rows() int64 { return m.rows.Load() }

// propSource adapts the optional properties for SaveConfigFromProps.
func propSource(p *functions.Properties) PropertySource {
	if p == nil {
		return nil
	}
	return p
}

// timestampIsEnd reports whether files hold end times (sampleresult.timestamp.start=false).
// Stock JMeter 5.6 sets it true, so start times are the default.
func timestampIsEnd(p *functions.Properties) bool {
	if p == nil {
		return false
	}
	v, ok := p.Get("sampleresult.timestamp.start")
	return ok && !strings.EqualFold(strings.TrimSpace(v), "true")
}
