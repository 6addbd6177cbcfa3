package engine

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/encoding/charmap"

	"github.com/gometer/gometer/internal/charset"
	"github.com/gometer/gometer/internal/datafile"
)

// A CSV Data Set over a large plain file is read line by line, as JMeter
// does, instead of being held in memory: users that share a position share
// one reader. Files read whole (quoted data, per-user positions, shard
// splits, small files) keep the in-memory index of csvRows.

// csvStreamProp is the size (megabytes) above which a plain CSV Data Set
// file is streamed; 0 streams every file that can be.
const csvStreamProp = "gometer.csv.stream_above_mb"

const csvStreamDefault = 64 << 20

// streamAbove reads csvStreamProp.
func streamAbove(get func(string) (string, bool)) int64 {
	v, ok := get(csvStreamProp)
	if !ok {
		return csvStreamDefault
	}
	mb, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || mb < 0 || mb > 1<<40 {
		return csvStreamDefault
	}
	return mb << 20
}

// streamable reports whether the data set can read its file line by line:
// unquoted lines (a quoted record may span lines), a position shared by
// several users (per-user positions would need a file handle per user), no
// shard split (which needs the record count), and a charset in which a
// newline is the byte '\n'.
func (d *csvData) streamable() bool {
	if d.quoted || d.split || d.share == "shareMode.thread" {
		return false
	}
	e, err := charset.Lookup(d.encoding)
	if err != nil {
		return false
	}
	if e == nil {
		return true // UTF-8
	}
	_, single := e.(*charmap.Charmap)
	return single
}

// csvStream is a file read line by line by the users sharing one position.
type csvStream struct {
	path     string
	enc      string
	delim    string
	skip     bool  // the first line is a header (skipped on every pass)
	maxLine  int64 // the longest line read (datafile.PropMaxMB)
	mu       sync.Mutex
	f        *os.File
	br       *bufio.Reader
	readAny  bool // a record was returned since the file was opened
	finished bool // at end of file without recycling
}

// streamedHeader reads the first line of path: the variable names when
// the data set names none.
func streamedHeader(path, enc, delim string, maxLine int64) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	line, err := readCSVLine(bufio.NewReader(f), maxLine)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("CSV file %s: %w", path, err)
	}
	if line == nil {
		return nil, nil
	}
	text, err := decodeCSVLine(line, enc)
	if err != nil {
		return nil, fmt.Errorf("CSV file %s: %w", path, err)
	}
	names := strings.Split(text, delim)
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	return names, nil
}

// next returns the next record; ok is false at the end of the file when
// not recycling (or when the file has no record at all).
func (s *csvStream) next(recycle bool) (values []string, ok bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return nil, false, nil
	}
	for pass := 0; pass < 2; pass++ {
		if s.f == nil {
			if err := s.open(); err != nil {
				return nil, false, err
			}
		}
		line, err := readCSVLine(s.br, s.maxLine)
		if line != nil {
			s.readAny = true
			text, derr := decodeCSVLine(line, s.enc)
			if derr != nil {
				return nil, false, fmt.Errorf("CSV file %s: %w", s.path, derr)
			}
			if text == "" {
				return []string{}, true, nil // a blank line: read as end of file by the caller
			}
			return strings.Split(text, s.delim), true, nil
		}
		if !errors.Is(err, io.EOF) {
			return nil, false, fmt.Errorf("CSV file %s: %w", s.path, err)
		}
		empty := !s.readAny
		s.close()
		if !recycle || empty {
			s.finished = !recycle
			return nil, false, nil
		}
	}
	return nil, false, nil
}

func (s *csvStream) open() error {
	if _, err := datafile.Check(s.path, 1<<62); err != nil {
		return err // no longer a regular file
	}
	f, err := os.Open(s.path)
	if err != nil {
		return err
	}
	s.f, s.br, s.readAny = f, bufio.NewReaderSize(f, 64<<10), false
	if s.skip {
		if _, err := readCSVLine(s.br, s.maxLine); err != nil && !errors.Is(err, io.EOF) {
			s.close()
			return fmt.Errorf("CSV file %s: %w", s.path, err)
		}
	}
	return nil
}

// closeStreams closes the files of streamed CSV data sets at the end of the
// run (a user left behind by stop now then reads no more).
func (t *Test) closeStreams() {
	t.state.Range(func(_, v any) bool {
		if s, ok := v.(*csvStream); ok {
			s.mu.Lock()
			s.close()
			s.finished = true
			s.mu.Unlock()
		}
		return true
	})
}

func (s *csvStream) close() {
	if s.f != nil {
		s.f.Close()
		s.f, s.br = nil, nil
	}
}

// errLineTooLong is a line longer than the data file limit.
var errLineTooLong = errors.New("line too long")

// readCSVLine reads one line without its "\n" or "\r\n"; nil and io.EOF at
// the end of the file. A line longer than max is an error: a file of one
// endless line must not be read into memory.
func readCSVLine(br *bufio.Reader, max int64) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if int64(len(line)+len(chunk)) > max {
			return nil, fmt.Errorf("%w: over %d MB (property %s)", errLineTooLong, max>>20, datafile.PropMaxMB)
		}
		line = append(line, chunk...)
		switch {
		case err == nil:
			line = bytes.TrimSuffix(line[:len(line)-1], []byte("\r"))
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return bytes.TrimSuffix(line, []byte("\r")), nil
		default:
			return nil, err
		}
	}
}

// decodeCSVLine is one line's text in the data set's charset (a UTF-8
// byte order mark at the file's start is dropped with the first line).
// readCSVLine returns a new slice each time, so the text may share it.
func decodeCSVLine(line []byte, enc string) (string, error) {
	return decodeText(line, enc)
}
