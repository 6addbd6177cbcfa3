package report

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress prints "rows, MB, rate" on one terminal line while a JTL is read.
// It stays silent when the writer is not a terminal (CI logs, pipes).
type progress struct {
	w     io.Writer
	total int64
	start time.Time
	last  time.Time
	shown bool
}

func newProgress(w io.Writer, totalBytes int64) *progress {
	if w == nil || !isTerminal(w) {
		return &progress{}
	}
	now := time.Now()
	return &progress{w: w, total: totalBytes, start: now, last: now}
}

// isTerminal reports whether w is a character device (a tty).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) update(rows, bytes int64) {
	if p.w == nil {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 250*time.Millisecond {
		return
	}
	p.last = now
	p.print(rows, bytes, now)
}

func (p *progress) print(rows, bytes int64, now time.Time) {
	secs := now.Sub(p.start).Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(rows) / secs
	}
	pct := ""
	if p.total > 0 {
		pct = fmt.Sprintf(" (%.0f%%)", float64(bytes)*100/float64(p.total))
	}
	fmt.Fprintf(p.w, "\rreading results: %s rows, %.1f MB%s, %s rows/s   ", groupThousands(rows), float64(bytes)/1e6, pct, groupThousands(int64(rate)))
	p.shown = true
}

func (p *progress) done(rows, bytes int64) {
	if p.w == nil {
		return
	}
	p.print(rows, bytes, time.Now())
	fmt.Fprintln(p.w)
}
