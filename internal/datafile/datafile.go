// Package datafile reads the data files a plan names (CSV data, variables
// files, request bodies, uploads, file functions) whole, after checking that
// each is a regular file no larger than a limit: a plan naming /dev/zero, a
// FIFO or a multi-GB file gets a clear error instead of a process that
// blocks forever or grows until the OS kills it.
package datafile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

const (
	// PropMaxMB is the property that changes the largest data file read
	// (megabytes).
	PropMaxMB = "gometer.max_data_file_mb"
	// DefaultMax is the largest data file read by default.
	DefaultMax = 1 << 30
)

// Error is a file that cannot be read as a data file; Kind (ErrNotRegular
// or ErrTooLarge) is what errors.Is sees.
type Error struct {
	Path   string
	Kind   error
	Reason string
}

func (e *Error) Error() string { return e.Path + ": " + e.Reason }
func (e *Error) Unwrap() error { return e.Kind }

// The kinds of Error.
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("file too large")
)

// Limit reads PropMaxMB through get (a properties lookup); DefaultMax when
// unset or not a whole number of megabytes > 0.
func Limit(get func(string) (string, bool)) int64 {
	if get == nil {
		return DefaultMax
	}
	v, ok := get(PropMaxMB)
	if !ok {
		return DefaultMax
	}
	mb, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || mb <= 0 || mb > 1<<40 {
		return DefaultMax
	}
	return mb << 20
}

// Check stats path: a regular file of at most limit bytes.
func Check(path string, limit int64) (os.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &Error{Path: path, Kind: ErrNotRegular, Reason: fmt.Sprintf("is not a regular file (%s): a data file is read whole, so a device or a pipe cannot be one", kind(fi.Mode()))}
	}
	if fi.Size() > limit {
		return nil, tooLarge(path, limit)
	}
	return fi, nil
}

func tooLarge(path string, limit int64) error {
	return &Error{Path: path, Kind: ErrTooLarge, Reason: fmt.Sprintf("is larger than %d MB, the limit for a data file (property %s)", limit>>20, PropMaxMB)}
}

func kind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return m.Type().String()
}

// Read checks path and reads it whole; a file that grows past limit while
// it is read is refused too.
func Read(path string, limit int64) ([]byte, error) {
	fi, err := Check(path, limit)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data := make([]byte, 0, fi.Size()+1)
	for {
		if len(data) == cap(data) {
			if int64(len(data)) > limit {
				return nil, tooLarge(path, limit)
			}
			data = append(data, 0)[:len(data)]
		}
		n, err := f.Read(data[len(data):min(cap(data), int(limit)+1)])
		data = data[:len(data)+n]
		if int64(len(data)) > limit {
			return nil, tooLarge(path, limit)
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
