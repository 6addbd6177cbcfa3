package raw

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// SourceClass is the Raw Data Source pre-processor's class in a plan.
const SourceClass = "kg.apc.jmeter.modifiers.RawRequestSourcePreProcessor"

// maxMeta is the plugin's buffer for a chunk's length line.
const maxMeta = 1024

// ErrEnd is the end of the file (or a chunk of length 0) when the source
// does not rewind: the plugin stops the user.
var ErrEnd = errors.New("end of file reached")

// Source reads a Raw Data Source file: chunks, each a line holding its
// length in bytes (anything after a space is ignored) and then exactly that
// many bytes; newlines before a length line are skipped. One Source is
// shared by every user (each chunk goes to one user), as in the plugin.
type Source struct {
	path   string
	rewind bool
	hex    bool
	max    int64 // largest chunk accepted

	mu sync.Mutex
	f  *os.File
	r  *bufio.Reader
}

// OpenSource opens path; max bounds one chunk's length.
func OpenSource(path string, rewind, hexEncode bool, max int64) (*Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &Source{path: path, rewind: rewind, hex: hexEncode, max: max, f: f, r: bufio.NewReader(f)}, nil
}

// Close closes the file.
func (s *Source) Close() error { return s.f.Close() }

// Next returns the next chunk as text (UTF-8, or lower-case hex when the
// source hex-encodes). At the end of the file it starts over when it
// rewinds, else returns ErrEnd. A malformed file is an error.
func (s *Source) Next() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.chunk()
	if errors.Is(err, ErrEnd) && s.rewind {
		if _, serr := s.f.Seek(0, io.SeekStart); serr != nil {
			return "", serr
		}
		s.r.Reset(s.f)
		b, err = s.chunk()
		if errors.Is(err, ErrEnd) { // the plugin recurses for ever here
			return "", fmt.Errorf("%s holds no chunk to read", s.path)
		}
	}
	if err != nil {
		return "", err
	}
	if s.hex {
		return hex.EncodeToString(b), nil
	}
	return javaDecode(b), nil
}

// chunk reads one length line and its bytes.
func (s *Source) chunk() ([]byte, error) {
	var meta []byte
	for {
		b, err := s.r.ReadByte()
		if err != nil {
			return nil, ErrEnd
		}
		if b == '\n' || b == '\r' {
			// the plugin reads one more byte after any newline byte and
			// keeps it unless it is "\n"
			b2, err := s.r.ReadByte()
			if err != nil {
				return nil, ErrEnd
			}
			if b2 != '\n' {
				_ = s.r.UnreadByte()
			}
			if len(meta) > 0 {
				break
			}
			continue
		}
		if len(meta) == maxMeta {
			return nil, fmt.Errorf("chunk length line longer than %d bytes", maxMeta)
		}
		meta = append(meta, b)
	}
	line := strings.TrimFunc(string(meta), func(r rune) bool { return r <= ' ' })
	first := line
	if i := strings.IndexFunc(line, unicode.IsSpace); i >= 0 {
		first = line[:i]
	}
	n, err := strconv.ParseInt(first, 10, 32)
	if err != nil || n < 0 {
		return nil, fmt.Errorf("error reading chunk size near: %s", line)
	}
	if n == 0 {
		return nil, ErrEnd // "Zero chunk size, possibly end of file reached."
	}
	if n > s.max {
		return nil, fmt.Errorf("chunk of %d bytes is larger than gometer reads (%d bytes)", n, s.max)
	}
	buf := make([]byte, n)
	got, err := io.ReadFull(s.r, buf)
	if err != nil {
		return nil, fmt.Errorf("Expected chunk size (%d) differs from read bytes count (%d)", n, got)
	}
	return buf, nil
}
