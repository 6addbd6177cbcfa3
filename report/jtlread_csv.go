package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSV JTL reading, following JMeter's CSVSaveService: the first line is a
// header when every name is a known column in canonical order (quoted
// "var" names last); if the configured delimiter does not split it that way,
// the delimiter is guessed from the header as JMeter does; without a header
// the columns come from the jmeter.save.saveservice.* properties. Fields are
// parsed by a byte-level state machine (quotes, doubled quotes, delimiters
// and line breaks inside quotes); strings are interned per column so that a
// row costs almost no allocation.

type jtlCol uint8

const (
	colTimeStamp jtlCol = iota
	colElapsed
	colLabel
	colResponseCode
	colResponseMessage
	colThreadName
	colDataType
	colSuccess
	colFailureMessage
	colBytes
	colSentBytes
	colGrpThreads
	colAllThreads
	colURL
	colFilename
	colLatency
	colEncoding
	colSampleCount
	colErrorCount
	colHostname
	colIdleTime
	colConnect
	colVar // a sample_variables column
	numCols
)

// jtlColNames are the header names in JMeter's canonical column order.
var jtlColNames = [...]string{
	"timeStamp", "elapsed", "label", "responseCode", "responseMessage", "threadName", "dataType",
	"success", "failureMessage", "bytes", "sentBytes", "grpThreads", "allThreads", "URL", "Filename",
	"Latency", "Encoding", "SampleCount", "ErrorCount", "Hostname", "IdleTime", "Connect",
}

func colByName(name string) (jtlCol, bool) {
	for i, n := range jtlColNames {
		if n == name {
			return jtlCol(i), true
		}
	}
	return 0, false
}

// fallbackDateFormats are tried, in order, when a timestamp is not epoch ms.
var fallbackDateFormats = [...]string{
	"yyyy/MM/dd HH:mm:ss.SSS",
	"yyyy/MM/dd HH:mm:ss",
	"yyyy-MM-dd HH:mm:ss.SSS",
	"yyyy-MM-dd HH:mm:ss",
	"MM/dd/yy HH:mm:ss",
}

const maxRowBytes = 64 << 20 // a longer row is taken as a broken file, not data

type span struct {
	s, e int
	esc  bool // quoted field with doubled quotes still to collapse
}

type csvSource struct {
	name  string
	opts  *ReadOptions
	rd    io.Reader
	buf   []byte
	pos   int // start of unread data
	end   int // end of data in buf
	eof   bool
	rerr  error // read error to report after the buffered data
	line  int64 // line number of the next row
	delim byte

	cols      []jtlCol
	names     []string // column names, variables without quotes
	hasHeader bool
	nvars     int
	fields    []span

	tsPattern *tsLayout   // timestamp_format pattern; nil = epoch ms
	fallback  []*tsLayout // compiled fallbackDateFormats, on first need
	lastFB    int         // index of the fallback that worked last, -1 none
	tsEnd     bool        // timestamps are end times

	s      Sample
	vars   []string
	intern [numCols]map[string]string
}

const internMax = 8192 // distinct values kept per column; beyond that strings are allocated

func newCSVSource(rd io.Reader, name string, opts *ReadOptions) (*csvSource, error) {
	cfg, err := SaveConfigFromProps(propSource(opts.Props))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	size := readBufSize
	if opts.bufSize > 0 {
		size = opts.bufSize
	}
	c := &csvSource{name: name, opts: opts, rd: rd, buf: make([]byte, size), line: 1, delim: cfg.Delimiter, lastFB: -1, tsEnd: timestampIsEnd(opts.Props)}
	if cfg.Timestamp && cfg.TimestampFormat != "ms" {
		c.tsPattern = cfg.ts
	}
	for i := range c.intern {
		c.intern[i] = make(map[string]string)
	}
	hdr, err := c.firstLine()
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(hdr, []byte("\xEF\xBB\xBF")) { // a UTF-8 byte order mark is not data
		hdr = hdr[3:]
		c.pos += 3
	}
	if cols, names, ok := parseHeader(string(hdr), c.delim); ok {
		c.cols, c.names, c.hasHeader = cols, names, true
		c.skipLine()
	} else if d, ok := guessDelimiter(string(hdr)); ok {
		if cols, names, ok := parseHeader(string(hdr), d); ok {
			c.cols, c.names, c.delim, c.hasHeader = cols, names, d, true
			c.skipLine()
		}
	}
	if c.cols == nil {
		c.cols = colsFromConfig(&cfg)
		for _, col := range c.cols {
			if col != colVar {
				c.names = append(c.names, jtlColNames[col])
			}
		}
		c.names = append(c.names, cfg.SampleVariables...)
	}
	for _, col := range c.cols {
		if col == colVar {
			c.nvars++
		}
	}
	c.vars = make([]string, c.nvars)
	return c, nil
}

// colsFromConfig lists the columns a headerless file has under these settings.
func colsFromConfig(cfg *SaveConfig) []jtlCol {
	var cols []jtlCol
	add := func(on bool, cs ...jtlCol) {
		if on {
			cols = append(cols, cs...)
		}
	}
	add(cfg.Timestamp, colTimeStamp)
	add(cfg.Elapsed, colElapsed)
	add(cfg.Label, colLabel)
	add(cfg.ResponseCode, colResponseCode)
	add(cfg.ResponseMessage, colResponseMessage)
	add(cfg.ThreadName, colThreadName)
	add(cfg.DataType, colDataType)
	add(cfg.Success, colSuccess)
	add(cfg.FailureMessage, colFailureMessage)
	add(cfg.Bytes, colBytes)
	add(cfg.SentBytes, colSentBytes)
	add(cfg.ThreadCounts, colGrpThreads, colAllThreads)
	add(cfg.URL, colURL)
	add(cfg.Filename, colFilename)
	add(cfg.Latency, colLatency)
	add(cfg.Encoding, colEncoding)
	add(cfg.SampleCount, colSampleCount, colErrorCount)
	add(cfg.Hostname, colHostname)
	add(cfg.IdleTime, colIdleTime)
	add(cfg.Connect, colConnect)
	for range cfg.SampleVariables {
		cols = append(cols, colVar)
	}
	return cols
}

// parseHeader checks a first line as JMeter does: every name known and in
// strictly increasing canonical order, quoted variable names only at the end.
// It returns the columns and their names (variable names without quotes).
func parseHeader(line string, delim byte) ([]jtlCol, []string, bool) {
	if line == "" {
		return nil, nil, false
	}
	parts := splitJava(line, string([]byte{delim}))
	if len(parts) == 0 {
		return nil, nil, false
	}
	cols := make([]jtlCol, 0, len(parts))
	names := make([]string, 0, len(parts))
	prev := -1
	for _, p := range parts {
		if len(p) > 2 && p[0] == '"' && p[len(p)-1] == '"' {
			prev = int(numCols)
			cols = append(cols, colVar)
			names = append(names, p[1:len(p)-1])
			continue
		}
		c, ok := colByName(p)
		if !ok || int(c) <= prev {
			return nil, nil, false
		}
		prev = int(c)
		cols = append(cols, c)
		names = append(names, p)
	}
	return cols, names, true
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// guessDelimiter finds the delimiter of a header line the way JMeter's
// pattern \w+((\W)\w+)?(\2\w+)*(\2"\w+")* does: words joined by one
// repeated non-word character, optionally ending with quoted words.
func guessDelimiter(line string) (byte, bool) {
	i := 0
	word := func() bool {
		j := i
		for i < len(line) && isWordByte(line[i]) {
			i++
		}
		return i > j
	}
	if !word() || i >= len(line) {
		return 0, false
	}
	d := line[i]
	if isWordByte(d) || d >= 0x80 {
		return 0, false
	}
	quoted := false
	for i < len(line) {
		if line[i] != d {
			return 0, false
		}
		i++
		if i < len(line) && line[i] == '"' && d != '"' {
			quoted = true
		}
		if quoted {
			if i >= len(line) || line[i] != '"' {
				return 0, false
			}
			i++
			if !word() || i >= len(line) || line[i] != '"' {
				return 0, false
			}
			i++
			continue
		}
		if !word() {
			return 0, false
		}
	}
	return d, true
}

// fill reads more input after compacting the buffer from keep on; it grows
// the buffer when the unread part fills it.
func (c *csvSource) fill(keep int) {
	if c.eof {
		return
	}
	if keep > 0 {
		n := copy(c.buf, c.buf[keep:c.end])
		c.pos -= keep
		c.end = n
	}
	if c.end == len(c.buf) {
		nb := make([]byte, 2*len(c.buf))
		copy(nb, c.buf[:c.end])
		c.buf = nb
	}
	// Fill the buffer completely: a row that did not fit is scanned again
	// from its start, and with the buffer doubling each time that stays
	// linear in the row's length.
	for c.end < len(c.buf) {
		n, err := c.rd.Read(c.buf[c.end:])
		c.end += n
		if err != nil {
			c.eof = true
			if err != io.EOF {
				c.rerr = err
			}
			return
		}
	}
}

// firstLine returns the first line (without its line end), leaving it unread.
func (c *csvSource) firstLine() ([]byte, error) {
	for {
		if i := bytes.IndexAny(c.buf[c.pos:c.end], "\r\n"); i >= 0 {
			return c.buf[c.pos : c.pos+i], nil
		}
		if c.eof {
			if c.rerr != nil {
				return nil, fmt.Errorf("read %s: %w", c.name, c.rerr)
			}
			return c.buf[c.pos:c.end], nil
		}
		if c.end-c.pos > maxRowBytes {
			return nil, fmt.Errorf("%s:1: first line longer than %d bytes: not a JTL file", c.name, maxRowBytes)
		}
		c.fill(c.pos)
	}
}

// skipLine consumes one physical line (used for the header and for resync after a bad row).
func (c *csvSource) skipLine() {
	for {
		i := bytes.IndexAny(c.buf[c.pos:c.end], "\r\n")
		if i >= 0 {
			j := c.pos + i
			if c.buf[j] == '\r' && j+1 == c.end && !c.eof {
				c.fill(c.pos)
				continue
			}
			if c.buf[j] == '\r' && j+1 < c.end && c.buf[j+1] == '\n' {
				j++
			}
			c.pos = j + 1
			c.line++
			return
		}
		if c.eof {
			c.pos = c.end
			return
		}
		c.pos = c.end // drop what we have of the line, read on
		c.fill(c.pos)
	}
}

func (c *csvSource) rowErr(line int64, format string, args ...any) *RowError {
	return &RowError{File: c.name, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// record splits the next row into c.fields. It returns io.EOF at the end.
func (c *csvSource) record() (int64, error) {
	// Skip blank lines.
	for {
		if c.pos == c.end {
			if c.eof {
				if c.rerr != nil {
					return c.line, fmt.Errorf("read %s: %w", c.name, c.rerr)
				}
				return c.line, io.EOF
			}
			c.fill(c.pos)
			continue
		}
		b := c.buf[c.pos]
		if b == '\n' {
			c.pos++
			c.line++
			continue
		}
		if b == '\r' {
			if c.pos+1 == c.end && !c.eof {
				c.fill(c.pos)
				continue
			}
			c.pos++
			if c.pos < c.end && c.buf[c.pos] == '\n' {
				c.pos++
			}
			c.line++
			continue
		}
		break
	}
	start := c.line
retry:
	buf, end, delim := c.buf, c.end, c.delim
	fields := c.fields[:0]
	lines := int64(0)
	i := c.pos
	for {
		if i < end && buf[i] == '"' {
			j := i + 1
			esc := false
			for {
				if j >= end {
					goto more
				}
				b := buf[j]
				if b == '"' {
					if j+1 >= end && !c.eof {
						goto more
					}
					if j+1 < end && buf[j+1] == '"' {
						esc = true
						j += 2
						continue
					}
					break
				}
				if b == '\n' || (b == '\r' && (j+1 >= end || buf[j+1] != '\n')) {
					lines++
				}
				j++
			}
			fields = append(fields, span{i + 1, j, esc})
			j++ // closing quote
			if j >= end {
				i = j
				goto done
			}
			switch buf[j] {
			case delim:
				i = j + 1
				continue
			case '\r', '\n':
				i = j
				goto done
			}
			bad := buf[j] // read before skipLine refills the buffer
			c.fields = fields
			c.pos = j
			c.skipLine()
			c.line += lines
			return start, c.rowErr(start, "character %q after a closing quote (column %d)", bad, len(fields))
		}
		j := i
		for j < end {
			b := buf[j]
			if b == delim || b == '\n' || b == '\r' {
				break
			}
			if b == '"' {
				c.pos = j
				c.skipLine()
				c.line += lines
				return start, c.rowErr(start, "quote character inside an unquoted field (column %d)", len(fields)+1)
			}
			j++
		}
		if j >= end && !c.eof {
			goto more
		}
		fields = append(fields, span{i, j, false})
		if j < end && buf[j] == delim {
			i = j + 1
			if i >= end && c.eof {
				fields = append(fields, span{i, i, false}) // trailing delimiter: one more empty field
				goto done
			}
			continue
		}
		i = j
		goto done
	}
more:
	if c.eof {
		c.pos = c.end
		c.line += lines
		return start, c.rowErr(start, "file ends inside a quoted field")
	}
	if c.end-c.pos > maxRowBytes {
		c.pos = c.end
		return start, fmt.Errorf("%s:%d: row longer than %d bytes: not a JTL file", c.name, start, maxRowBytes)
	}
	c.fill(c.pos)
	goto retry
done:
	// i is at the row's line end (or the end of the file).
	if i < end {
		if buf[i] == '\r' && i+1 >= end && !c.eof {
			goto more
		}
		if buf[i] == '\r' && i+1 < end && buf[i+1] == '\n' {
			i++
		}
		i++
	}
	c.pos = i
	c.line += lines + 1
	c.fields = fields
	return start, nil
}

// field returns the bytes of field k, collapsing doubled quotes in place.
func (c *csvSource) field(k int) []byte {
	f := &c.fields[k]
	if f.esc {
		b := c.buf[f.s:f.e]
		w := 0
		for r := 0; r < len(b); r++ {
			b[w] = b[r]
			w++
			if b[r] == '"' && r+1 < len(b) && b[r+1] == '"' {
				r++
			}
		}
		f.e = f.s + w
		f.esc = false
	}
	return c.buf[f.s:f.e]
}

func (c *csvSource) str(col jtlCol, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	m := c.intern[col]
	if s, ok := m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(m) < internMax {
		m[s] = s
	}
	return s
}

// parseInt parses a decimal integer as Java's Long.parseLong does (optional sign, digits only).
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	if len(b) > 18 { // may overflow: let strconv judge
		v, err := strconv.ParseInt(string(b), 10, 64)
		return v, err == nil
	}
	neg := false
	i := 0
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		i = 1
		if len(b) == 1 {
			return 0, false
		}
	}
	var v int64
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d > 9 {
			return 0, false
		}
		v = v*10 + int64(d)
	}
	if neg {
		v = -v
	}
	return v, true
}

func (c *csvSource) next() (*Sample, error) {
	line, err := c.record()
	for err == nil && len(c.fields) == len(c.cols) && c.headerRow() {
		// Concatenated JTLs repeat the header: not data, and not an error.
		line, err = c.record()
	}
	if err != nil {
		return nil, err
	}
	if len(c.fields) != len(c.cols) {
		return nil, c.rowErr(line, "%d fields, expected %d", len(c.fields), len(c.cols))
	}
	s := &c.s
	*s = Sample{Vars: c.vars[:c.nvars]}
	v := 0
	for k, col := range c.cols {
		b := c.field(k)
		switch col {
		case colTimeStamp:
			ts, ok := c.timestamp(b)
			if !ok {
				return nil, c.rowErr(line, "timeStamp %q is neither epoch milliseconds nor a known date format", b)
			}
			s.TimeStamp = ts
		case colSuccess:
			s.Success = len(b) == 4 && strings.EqualFold(string(b), "true")
		case colLabel:
			s.Label = c.str(col, b)
		case colResponseCode:
			s.ResponseCode = c.str(col, b)
		case colResponseMessage:
			s.ResponseMessage = c.str(col, b)
		case colThreadName:
			s.ThreadName = c.str(col, b)
		case colDataType:
			s.DataType = c.str(col, b)
		case colFailureMessage:
			s.FailureMessage = c.str(col, b)
		case colURL:
			s.URL = c.str(col, b)
		case colFilename:
			s.Filename = c.str(col, b)
		case colEncoding:
			s.Encoding = c.str(col, b)
		case colHostname:
			s.Hostname = c.str(col, b)
		case colVar:
			s.Vars[v] = c.str(col, b)
			v++
		default:
			n, ok := parseInt(b)
			if !ok {
				return nil, c.rowErr(line, "%s %q is not a number", jtlColNames[col], b)
			}
			switch col {
			case colElapsed:
				s.Elapsed = n
			case colBytes:
				s.Bytes = n
			case colSentBytes:
				s.SentBytes = n
			case colGrpThreads:
				s.GrpThreads = int(n)
			case colAllThreads:
				s.AllThreads = int(n)
			case colLatency:
				s.Latency = n
			case colSampleCount:
				s.SampleCount = int(n)
			case colErrorCount:
				s.ErrorCount = int(n)
			case colIdleTime:
				s.IdleTime = n
			case colConnect:
				s.Connect = n
			}
		}
	}
	if c.tsEnd {
		s.TimeStamp -= s.Elapsed
	}
	return s, nil
}

// timestamp parses a timeStamp field: the configured pattern, or epoch ms
// with JMeter's fallback date formats.
func (c *csvSource) timestamp(b []byte) (int64, bool) {
	if c.tsPattern != nil {
		if v, ok := parseJavaDate(c.tsPattern, b, c.opts.Location); ok {
			return v, true
		}
		return parseInt(b) // epoch ms despite the pattern: unambiguous, so accept it
	}
	if v, ok := parseInt(b); ok {
		return v, true
	}
	if c.fallback == nil {
		for _, f := range fallbackDateFormats {
			l, err := compileTimestampLayout(f)
			if err != nil {
				panic("report: bad built-in date format " + f) // constant input: a programming error
			}
			c.fallback = append(c.fallback, l)
		}
	}
	if c.lastFB >= 0 {
		if v, ok := parseJavaDate(c.fallback[c.lastFB], b, c.opts.Location); ok {
			return v, true
		}
	}
	for i, l := range c.fallback {
		if v, ok := parseJavaDate(l, b, c.opts.Location); ok {
			c.lastFB = i
			return v, true
		}
	}
	return 0, false
}

func (c *csvSource) columns() []string { return c.names }

// headerRow reports whether the current row repeats the header line.
func (c *csvSource) headerRow() bool {
	if !c.hasHeader || len(c.fields) == 0 {
		return false
	}
	f := c.fields[0]
	if f.e-f.s != len(c.names[0]) || string(c.buf[f.s:f.e]) != c.names[0] {
		return false
	}
	for k := range c.fields {
		if string(c.field(k)) != c.names[k] {
			return false
		}
	}
	return true
}
