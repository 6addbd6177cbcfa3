package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// resultSaver is JMeter's ResultSaver (Save Responses to a file): every
// sample it hears, and each sub-result, is written to a file named
// prefix [timestamp] [number] [.suffix], the number counted across all
// users of the element (one element, as JMeter's NoThreadClone). It runs in
// the user's goroutine, before the sample reaches the outputs, because it
// sets a variable and the result's file name.
type resultSaver struct {
	prefix      *functions.Template
	baseDir     string // the plan's folder: relative prefixes resolve against it (FileServer)
	variable    string
	errorsOnly  bool
	successOnly bool
	skipNumber  bool
	skipSuffix  bool
	ignoreTC    bool
	pad         int
	stamp       string // yyyyMMdd-HHmm_ of the test start, or ""
	seq         atomic.Int64
}

func (c *compiler) buildResultSaver(el *jmx.Element) *resultSaver {
	s := &resultSaver{
		prefix:      c.template(el, "FileSaver.filename", ""),
		variable:    el.Str("FileSaver.variablename"),
		errorsOnly:  el.Bool("FileSaver.errorsonly", false),
		successOnly: el.Bool("FileSaver.successonly", false),
		skipNumber:  el.Bool("FileSaver.skipautonumber", false),
		skipSuffix:  el.Bool("FileSaver.skipsuffix", false),
		ignoreTC:    el.Bool("FileSaver.ignoreTC", true),
	}
	if c.plan.File != "" {
		s.baseDir = filepath.Dir(c.plan.File)
	}
	// getPropertyAsInt: not a number reads as 0
	if n, err := strconv.Atoi(strings.TrimSpace(el.Str("FileSaver.numberPadLen"))); err == nil {
		s.pad = n
	}
	if el.Bool("FileSaver.addTimstamp", false) { // sic: JMeter's property name
		s.stamp = time.Now().Format("20060102-1504_")
	}
	return s
}

// process saves r and its sub-results; the counter numbers them for the
// variable names (name, name1, name2 … in depth-first order).
func (s *resultSaver) process(u *vuser, r *sample.Result) {
	n := 0
	s.save(u, r, &n)
}

func (s *resultSaver) save(u *vuser, r *sample.Result, n *int) {
	num := *n
	*n++
	if !s.ignored(r) {
		name := s.fileName(u.ctx, r.ContentType)
		r.ResultFileName = name
		if s.variable != "" {
			v := s.variable
			if num > 0 {
				v += strconv.Itoa(num)
			}
			u.vars.Put(v, name)
		}
		s.write(u, name, r)
	}
	for _, sub := range r.Subs {
		s.save(u, sub, n)
	}
}

func (s *resultSaver) ignored(r *sample.Result) bool {
	if s.ignoreTC && r.Transaction {
		return true
	}
	return (r.Success && s.errorsOnly) || (!r.Success && s.successOnly)
}

// fileName is JMeter's makeFileName. The suffix comes from the server's
// Content-Type, so anything but letters, digits and ".+-_" in it becomes
// "_": a response cannot name a file outside the prefix's folder.
func (s *resultSaver) fileName(c *functions.Context, contentType string) string {
	prefix := s.prefix.Eval(c)
	if s.baseDir != "" && !filepath.IsAbs(prefix) {
		prefix = filepath.Join(s.baseDir, prefix)
	}
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString(s.stamp)
	if !s.skipNumber {
		num := strconv.FormatInt(s.seq.Add(1), 10)
		for i := len(num); i < s.pad; i++ {
			b.WriteByte('0')
		}
		b.WriteString(num)
	}
	if !s.skipSuffix {
		b.WriteByte('.')
		b.WriteString(sanitizeSuffix(contentSuffix(contentType)))
	}
	return b.String()
}

// contentSuffix is what follows the '/' of a content type, up to a ';'.
func contentSuffix(ct string) string {
	i := strings.IndexByte(ct, '/')
	if i < 0 {
		return "unknown"
	}
	rest := ct[i+1:]
	if j := strings.IndexByte(ct, ';'); j >= 0 {
		if j < i+1 {
			return "" // JMeter's substring would throw; nothing sensible to add
		}
		rest = ct[i+1 : j]
	}
	return rest
}

func sanitizeSuffix(s string) string {
	ok := func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".+-_", r)
	}
	if strings.IndexFunc(s, func(r rune) bool { return !ok(r) }) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if ok(r) {
			return r
		}
		return '_'
	}, s)
}

// write stores the body, creating missing folders as JMeter does (a
// folder it cannot create stops the test now, as JMeter's
// JMeterStopTestNowException). A file that cannot be written is logged;
// the sample is not changed.
func (s *resultSaver) write(u *vuser, name string, r *sample.Result) {
	if dir := filepath.Dir(name); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			s.logf(u, "Save Responses to a file: cannot create path hierarchy for folder %s: %v", dir, err)
			u.t.StopNow()
			u.stop = true
			return
		}
	}
	if err := os.WriteFile(name, r.Body, 0o644); err != nil {
		s.logf(u, "Save Responses to a file: error saving sample %s: %v", r.Label, err)
	}
}

func (s *resultSaver) logf(u *vuser, format string, args ...any) {
	if u.ctx.Log != nil {
		u.ctx.Log("ERROR", fmt.Sprintf(format, args...))
	}
}
