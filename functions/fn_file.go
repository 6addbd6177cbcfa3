package functions

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/gometer/gometer/internal/charset"
	"github.com/gometer/gometer/internal/datafile"
)

// errIndicator is what JMeter's file functions return when a file cannot be read.
const errIndicator = "**ERR**"

// resolvePath makes a relative file name relative to the plan's directory
// (as JMeter's FileServer does) when the file exists there; otherwise the
// name is used as given (relative to the working directory).
func resolvePath(c *Context, name string) string {
	if name == "" || filepath.IsAbs(name) || c.PlanFile == "" {
		return name
	}
	p := filepath.Join(filepath.Dir(c.PlanFile), name)
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return name
}

// readRegularFile reads a whole file, refusing devices, pipes and files
// larger than the data file limit (a "/dev/zero" in a plan must not hang
// the run).
func (s *Shared) readRegularFile(path string) ([]byte, error) {
	limit := s.MaxDataFile
	if limit <= 0 {
		limit = datafile.DefaultMax
	}
	return datafile.Read(path, limit)
}

// readLines reads a file's lines (without line terminators).
func (s *Shared) readLines(path string) ([]string, error) {
	data, err := s.readRegularFile(path)
	if err != nil {
		return nil, err
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), len(data)+1)
	for sc.Scan() {
		lines = append(lines, strings.TrimSuffix(sc.Text(), "\r"))
	}
	return lines, sc.Err()
}

// csvFile is one file opened by __CSVRead, shared by all users: its rows
// and the next row handed to a user that asks for a new one.
type csvFile struct {
	rows [][]string
	err  error
	mu   sync.Mutex
	next int
}

// splitAny splits on every character of delims, keeping empty fields.
func splitAny(s, delims string) []string {
	if len(delims) == 1 {
		return strings.Split(s, delims)
	}
	var out []string
	start := 0
	for i, r := range s {
		if strings.ContainsRune(delims, r) {
			out = append(out, s[start:i])
			start = i + len(string(r))
		}
	}
	return append(out, s[start:])
}

// csvOpen returns the file registered under key, loading it on first use
// (path resolves the file name only then, to keep stat calls off the hot path).
func (s *Shared) csvOpen(key string, path, delims func() string) *csvFile {
	if f, ok := s.csv.Load(key); ok {
		return f.(*csvFile)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.csv.Load(key); ok {
		return f.(*csvFile)
	}
	f := &csvFile{}
	lines, err := s.readLines(path())
	f.err = err
	for _, l := range lines {
		if l == "" { // JMeter stops at the first empty line
			break
		}
		f.rows = append(f.rows, splitAny(l, delims()))
	}
	s.csv.Store(key, f)
	return f
}

func (s *Shared) csvLookup(key string) *csvFile {
	if f, ok := s.csv.Load(key); ok {
		return f.(*csvFile)
	}
	return nil
}

// nextRow hands out the next row, wrapping at the end.
func (f *csvFile) nextRow() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	row := f.next
	f.next++
	if f.next >= len(f.rows) {
		f.next = 0
	}
	return row
}

// csvRowKey keys a user's current row of one file (or alias).
type csvRowKey string

func buildCSVRead(args []*Template) (evalFunc, error) {
	if s, ok := literalArg(args, 1); ok {
		if _, err := strconv.Atoi(s); err != nil && s != "next" && s != "next()" && !strings.HasPrefix(s, "*") {
			return nil, badArg(1, "%q is not a column number, next or *alias", s)
		}
	}
	file, col := args[0], args[1]
	return func(c *Context) string {
		name := file.Eval(c)
		what := col.Eval(c)
		delims := func() string { return c.props().GetOr("csvread.delimiter", ",") }
		switch {
		case strings.HasPrefix(what, "*"):
			f := c.shared().csvOpen(what, func() string { return resolvePath(c, name) }, delims)
			if f.err != nil {
				c.logf("ERROR", "__CSVRead: %v", f.err)
			}
			return ""
		case what == "next" || what == "next()":
			c.setUserState(csvRowKey(name), -1)
			return ""
		}
		n, err := strconv.Atoi(what)
		if err != nil {
			c.logf("WARN", "__CSVRead: can't parse column number %q", what)
			return ""
		}
		var f *csvFile
		if strings.HasPrefix(name, "*") {
			if f = c.shared().csvLookup(name); f == nil {
				c.logf("WARN", "__CSVRead: alias %s was not opened", name)
				return ""
			}
		} else {
			f = c.shared().csvOpen(name, func() string { return resolvePath(c, name) }, delims)
		}
		if f.err != nil {
			c.logf("ERROR", "__CSVRead: %v", f.err)
			return ""
		}
		if len(f.rows) == 0 {
			return ""
		}
		row, ok := c.userState(csvRowKey(name)).(int)
		if !ok || row < 0 {
			row = f.nextRow()
			c.setUserState(csvRowKey(name), row)
		}
		if n < 0 || n >= len(f.rows[row]) {
			c.logf("WARN", "__CSVRead: invalid column %d at row %d of %s", n, row, name)
			return ""
		}
		return f.rows[row][n]
	}, nil
}

// lineReader is the shared state of one __StringFromFile call site.
type lineReader struct {
	lines []string
	err   error
	mu    sync.Mutex
	next  int
}

type lineKey struct {
	site *callSite
	name string
}

func (s *Shared) nextLine(key lineKey, path func() string) (string, error) {
	v, ok := s.lines.Load(key)
	if !ok {
		s.mu.Lock()
		if v, ok = s.lines.Load(key); !ok {
			r := &lineReader{}
			r.lines, r.err = s.readLines(path())
			v = r
			s.lines.Store(key, r)
		}
		s.mu.Unlock()
	}
	r := v.(*lineReader)
	if r.err != nil {
		return "", r.err
	}
	if len(r.lines) == 0 {
		return "", nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.next >= len(r.lines) { // end of file: start again
		r.next = 0
	}
	line := r.lines[r.next]
	r.next++
	return line, nil
}

func buildStringFromFile(args []*Template) (evalFunc, error) {
	for i := 2; i < len(args); i++ {
		if s, ok := args[i].literalValue(); !ok || s != "" {
			return nil, badArg(i, "file sequence numbers (start/end) are not supported")
		}
	}
	file := args[0]
	v := varArg{arg(args, 1)}
	if v.t == nil {
		v.t = Literal("StringFromFile_") // JMeter's default variable
	}
	site := &callSite{}
	return func(c *Context) string {
		name := file.Eval(c)
		line, err := c.shared().nextLine(lineKey{site, name}, func() string { return resolvePath(c, name) })
		if err != nil {
			c.logf("ERROR", "__StringFromFile: %v", err)
			line = errIndicator
		}
		v.store(c, line)
		return line
	}, nil
}

type fileContents struct {
	text string
	err  error
}

// readFileCached reads a whole file once per run and encoding.
func (s *Shared) readFileCached(name string, path func() string, enc string) (string, error) {
	key := name + "\x00" + enc
	if fc, ok := s.files.Load(key); ok {
		return fc.(fileContents).text, fc.(fileContents).err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if fc, ok := s.files.Load(key); ok {
		return fc.(fileContents).text, fc.(fileContents).err
	}
	data, err := s.readRegularFile(path())
	text := ""
	if err == nil {
		text, err = decodeCharset(data, enc)
	}
	s.files.Store(key, fileContents{text, err})
	return text, err
}

// decodeCharset converts file bytes to a string (Java charset names).
func decodeCharset(data []byte, enc string) (string, error) {
	return charset.Decode(data, enc)
}

func buildFileToString(args []*Template) (evalFunc, error) {
	if e, ok := literalArg(args, 1); ok {
		if _, err := decodeCharset(nil, strings.TrimSpace(e)); err != nil {
			return nil, badArg(1, "%q is not a supported encoding", e)
		}
	}
	file, enc, v := args[0], arg(args, 1), varArg{arg(args, 2)}
	return func(c *Context) string {
		e := ""
		if enc != nil {
			e = strings.TrimSpace(enc.Eval(c))
		}
		name := file.Eval(c)
		text, err := c.shared().readFileCached(name, func() string { return resolvePath(c, name) }, e)
		if err != nil {
			c.logf("WARN", "__FileToString: %v", err)
			text = errIndicator
		}
		v.store(c, text)
		return text
	}, nil
}

// WriteFileLocked writes data to path (appending or truncating), one writer
// per file at a time across the run, as __StringToFile does. The parent
// directory must exist.
func (s *Shared) WriteFileLocked(path string, data []byte, appendTo bool) error {
	v, _ := s.writeLocks.LoadOrStore(path, new(sync.Mutex))
	mu := v.(*sync.Mutex)
	mu.Lock()
	defer mu.Unlock()
	flags := os.O_CREATE | os.O_WRONLY
	if appendTo {
		flags |= os.O_APPEND
	} else {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// encodeCharset converts text to file bytes (Java charset names).
func encodeCharset(s, enc string) ([]byte, error) {
	return charset.Encode(s, enc)
}

// lineSeparator is the platform's line break, as Java's System.lineSeparator.
func lineSeparator() string {
	if runtime.GOOS == "windows" {
		return "\r\n"
	}
	return "\n"
}

// buildStringToFile implements __StringToFile(path, text[, append[, charset]]):
// the literal two characters \n in text become line breaks; it returns
// "true" when the text was written.
func buildStringToFile(args []*Template) (evalFunc, error) {
	if e, ok := literalArg(args, 3); ok {
		if _, err := encodeCharset("", strings.TrimSpace(e)); err != nil {
			return nil, badArg(3, "%q is not a supported encoding", e)
		}
	}
	return func(c *Context) string {
		path := strings.TrimSpace(args[0].Eval(c))
		text := strings.ReplaceAll(args[1].Eval(c), `\n`, lineSeparator())
		appendTo := true
		if a := strings.ToLower(strings.TrimSpace(evalArg(c, args, 2))); a != "" {
			appendTo = a == "true"
		}
		if path == "" || c.AppendFile == nil {
			c.logf("ERROR", "__StringToFile: no file name, or writing files is disabled")
			return "false"
		}
		data, err := encodeCharset(text, strings.TrimSpace(evalArg(c, args, 3)))
		if err == nil {
			err = c.AppendFile(path, data, appendTo)
		}
		if err != nil {
			c.logf("ERROR", "__StringToFile: %v", err)
			return "false"
		}
		return "true"
	}, nil
}
