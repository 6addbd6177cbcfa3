package sampler

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// reqBody is a request entity prepared once per sample (redirect hops carry
// none). An in-memory body is data; a body holding files (a file sent as
// the body, multipart uploads) is a list of parts whose files are streamed
// from disk each time the body is written, so an upload costs a copy
// buffer per sample, not its size. shown is what JMeter puts in
// samplerData.
type reqBody struct {
	data        []byte
	parts       []bodyPart // when set, the body (data is unused)
	contentType string     // default Content-Type; a header manager's value wins except for multipart
	forceCT     bool       // multipart: replaces any Content-Type from header managers
	shown       string
}

// bodyPart is literal bytes, or a file of size n read when written.
type bodyPart struct {
	lit  []byte
	path string
	n    int64
}

// errFileChanged is a file that is no longer the size it had when the
// request was built: the Content-Length sent would be a lie.
var errFileChanged = errors.New("file changed size while it was sent")

// size is the entity's length in bytes (its Content-Length).
func (b *reqBody) size() int64 {
	if b.parts == nil {
		return int64(len(b.data))
	}
	var n int64
	for i := range b.parts {
		if p := &b.parts[i]; p.path != "" {
			n += p.n
		} else {
			n += int64(len(p.lit))
		}
	}
	return n
}

// empty reports a body of no bytes.
func (b *reqBody) empty() bool { return b.size() == 0 }

// writeTo writes the entity to w, streaming its files.
func (b *reqBody) writeTo(w *bufio.Writer) error {
	if b.parts == nil {
		_, err := w.Write(b.data)
		return err
	}
	for i := range b.parts {
		p := &b.parts[i]
		if p.path == "" {
			if _, err := w.Write(p.lit); err != nil {
				return err
			}
			continue
		}
		if err := copyFile(w, p.path, p.n); err != nil {
			return err
		}
	}
	return nil
}

// copyFile copies exactly n bytes of path to w.
func copyFile(w io.Writer, path string, n int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	got, err := io.Copy(w, io.LimitReader(f, n))
	if err != nil {
		return err
	}
	if got != n {
		return fmt.Errorf("%s: %w (%d bytes, expected %d)", path, errFileChanged, got, n)
	}
	return nil
}

// reader returns the entity as a stream (HTTP/2 request bodies).
func (b *reqBody) reader() io.ReadCloser {
	if b.parts == nil {
		return io.NopCloser(bytes.NewReader(b.data))
	}
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 32<<10)
		err := b.writeTo(bw)
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	return pr
}
