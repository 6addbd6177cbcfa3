package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/charset"
	"github.com/gometer/gometer/internal/datafile"
	"github.com/gometer/gometer/jmx"
)

// csvData is a CSV Data Set Config: at each iteration start of its
// controller it reads the next record into variables. Files are read once
// and shared; what users share is only the position (per share mode).
type csvData struct {
	el          *jmx.Element
	slot        int
	filename    *functions.Template
	encoding    string
	names       []string // from variableNames; nil: the file's first line
	ignoreFirst bool
	delim       string
	quoted      bool
	recycle     bool
	stopThread  bool
	share       string
	eof         string
	dir         string
	encKey      string // encoding in lower case, for the file cache key
	split       bool   // with shards, read only this shard's part of the file
}

// csvFile is a parsed file.
type csvFile struct {
	records csvRows
	// streamed: the file is read line by line (csvstream.go), records is
	// empty and path is the file to read.
	streamed bool
	path     string
	header   []string // the first record, trimmed: variable names when the data set names none
	readErr  error    // the file could not be read (f.err says so with context)
	err      error
}

// csvRows are a file's records, from the first one (skip drops leading
// records). A plain (unquoted) file keeps its text and where each line
// starts, and splits a line when it is read: the file costs its size plus
// 8 bytes a line, not a string header per field (a 46 MB file of a million
// lines took 160 MB parsed ahead). Quoted files, whose records may span
// lines, are parsed ahead.
type csvRows struct {
	text   string
	delim  string
	starts []int      // plain: the offset of each line in text
	parsed [][]string // quoted: the records
	skip   int
	limit  int // records kept after skip, when > 0 (a shard's slice); -1: none
}

func (r csvRows) len() int {
	n := len(r.starts) - r.skip
	if r.parsed != nil {
		n = len(r.parsed) - r.skip
	}
	if r.limit != 0 {
		n = min(n, max(r.limit, 0))
	}
	return n
}

// slice keeps records lo … hi-1 (of those after skip).
func (r csvRows) slice(lo, hi int) csvRows {
	r.skip += lo
	r.limit = hi - lo
	if r.limit == 0 {
		r.limit = -1
	}
	return r
}

// from drops the first n records.
func (r csvRows) from(n int) csvRows {
	r.skip += n
	return r
}

// at returns record i; a blank line has no values.
func (r csvRows) at(i int) []string {
	i += r.skip
	if r.parsed != nil {
		return r.parsed[i]
	}
	end := len(r.text)
	if i+1 < len(r.starts) {
		end = r.starts[i+1] - 1 // before the '\n'
	}
	l := strings.TrimSuffix(r.text[r.starts[i]:end], "\r")
	if l == "" {
		return []string{} // JMeter splits a blank line into no values: read as EOF
	}
	return strings.Split(l, r.delim)
}

// csvCursor is a read position shared by several users.
type csvCursor struct {
	mu  sync.Mutex
	pos int
}

func (c *compiler) buildCSV(el *jmx.Element) (iterListener, error) {
	d := &csvData{
		el:          el,
		slot:        c.newSlot(),
		filename:    c.template(el, "filename", ""),
		encoding:    strings.TrimSpace(el.Str("fileEncoding")),
		ignoreFirst: el.Bool("ignoreFirstLine", false),
		delim:       el.StrOr("delimiter", ","),
		quoted:      el.Bool("quotedData", false),
		recycle:     el.Bool("recycle", true),
		stopThread:  el.Bool("stopThread", false),
		share:       strings.TrimSpace(el.StrOr("shareMode", "shareMode.all")),
		eof:         c.t.props.GetOr("csvdataset.eofstring", "<EOF>"),
	}
	if c.plan.File != "" {
		d.dir = dirOf(c.plan.File)
	}
	if d.delim == `\t` || d.delim == "" && el.Has("delimiter") {
		if d.delim == `\t` {
			d.delim = "\t"
		} else {
			d.delim = ","
		}
	}
	if names := strings.TrimSpace(el.Str("variableNames")); names != "" {
		for _, n := range strings.Split(names, ",") {
			d.names = append(d.names, strings.TrimSpace(n))
		}
	}
	d.encKey = strings.ToLower(d.encoding)
	d.split = csvSplit(c.t.props.GetOr("gometer.csv.split", ""), d.filename.Raw())
	if _, err := charset.Lookup(d.encoding); err != nil {
		return nil, fmt.Errorf("CSV file encoding %q is not a charset gometer knows (Java/IANA names: UTF-8, ISO-8859-1, windows-1252, GB2312, Shift_JIS, UTF-16 …)", d.encoding)
	}
	literal := d.filename.IsLiteral()
	name := strings.TrimSpace(d.filename.Raw())
	if !literal && d.filename.Probeable() && !c.awaitsProperty(d.filename.Raw()) {
		// a name from properties (${__P(csv,…)}) is known now: check it
		// as a literal one, but keep the template for the run
		if v := strings.TrimSpace(d.filename.Eval(c.evalContext())); v != "" && !strings.Contains(v, "${") {
			if f := d.load(c.t, d.path(v)); f.err != nil {
				return nil, c.csvLoadError(d, v, f)
			}
		}
	}
	if literal {
		if name == "" {
			// JMeter 5.6.3 runs the plan but ends each user in the data
			// set's scope at its first iteration ("Filename must not be
			// null or empty"): nothing would be sent
			return nil, fmt.Errorf("CSV Data Set has no file name: JMeter ends every user in its scope at its first iteration (Filename must not be null or empty), sending nothing: %w", errCannotRun)
		}
		f := d.load(c.t, d.path(name))
		if f.err != nil {
			return nil, c.csvLoadError(d, name, f)
		}
		if d.share == "shareMode.thread" {
			// JMeter keys a user's position by file name (FileServer alias
			// file@thread): every data set of a user reading that file,
			// copies made by Module Controllers included, shares it
			p := d.path(name)
			if s, ok := c.csvSlots[p]; ok {
				d.slot = s
			} else {
				c.csvSlots[p] = d.slot
			}
		}
	}
	return d, nil
}

// csvLoadError is a data file that cannot be read, explained when missing.
func (c *compiler) csvLoadError(d *csvData, name string, f *csvFile) error {
	if e := c.missingFile("CSV file", name, d.filename.Raw(), d.path(name), f.readErr); e != nil {
		return fmt.Errorf("%v: %w", e, errCannotRun)
	}
	return fmt.Errorf("%v: %w", f.err, errCannotRun)
}

// csvSplit reports whether property gometer.csv.split asks shards to split
// the data set reading filename: "true"/"all" for every data set, or a
// comma-separated list of file names (matched by base name).
func csvSplit(prop, filename string) bool {
	prop = strings.TrimSpace(prop)
	switch strings.ToLower(prop) {
	case "", "false", "none":
		return false
	case "true", "all":
		return true
	}
	base := filename[strings.LastIndexAny(filename, `/\`)+1:]
	for _, f := range strings.Split(prop, ",") {
		f = strings.TrimSpace(f)
		if f != "" && (f == filename || f == base || f[strings.LastIndexAny(f, `/\`)+1:] == base) {
			return true
		}
	}
	return false
}

func dirOf(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[:i]
	}
	return "."
}

func (d *csvData) path(name string) string {
	if name == "" || strings.HasPrefix(name, "/") || d.dir == "" || (len(name) > 1 && name[1] == ':') {
		return name
	}
	return d.dir + "/" + name
}

type csvFileKey struct {
	path, enc, delim string
	quoted           bool
	streamable       bool
}

// load reads and parses a file once per run.
func (d *csvData) load(t *Test, path string) *csvFile {
	key := csvFileKey{path, d.encKey, d.delim, d.quoted, d.streamable()}
	if v, ok := t.state.Load(key); ok {
		return v.(*csvFile)
	}
	f := &csvFile{}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if alt, ok := inDataDir(t.props.GetOr(dataDirProp, ""), path); ok {
			path = alt
		}
	}
	var data []byte
	fi, err := datafile.Check(path, 1<<62)
	if err == nil && key.streamable && fi.Size() > streamAbove(t.props.Get) {
		// large and plain: read line by line when users ask for records
		f.streamed, f.path = true, path
		f.header, f.err = streamedHeader(path, d.encoding, d.delim, t.maxDataFile)
		v, _ := t.state.LoadOrStore(key, f)
		return v.(*csvFile)
	}
	if err == nil {
		data, err = datafile.Read(path, t.maxDataFile)
	}
	if err != nil {
		f.readErr = err
		f.err = fmt.Errorf("CSV file: %w", err)
	} else {
		text, derr := decodeText(data, d.encoding)
		if derr != nil {
			f.err = fmt.Errorf("CSV file %s: %w", path, derr)
		} else if d.quoted {
			recs, qerr := parseQuotedCSV(text, d.delim)
			if qerr != nil {
				f.err = fmt.Errorf("CSV file %s: %w", path, qerr)
			}
			f.records = csvRows{parsed: recs}
			if f.records.parsed == nil {
				f.records.parsed = [][]string{}
			}
		} else {
			f.records = plainRows(text, d.delim)
		}
		if f.records.len() > 0 {
			first := f.records.at(0)
			f.header = make([]string, len(first))
			for i, n := range first {
				f.header[i] = strings.TrimSpace(n)
			}
		}
	}
	v, _ := t.state.LoadOrStore(key, f)
	return v.(*csvFile)
}

// decodeText is the file's text in charset enc, without a UTF-8 byte order
// mark. Valid UTF-8 shares data's memory instead of copying it: the caller
// drops data, and a large file is then held once, not twice.
func decodeText(data []byte, enc string) (string, error) {
	if e, err := charset.Lookup(enc); err == nil && e == nil && utf8.Valid(data) {
		text := unsafe.String(unsafe.SliceData(data), len(data))
		return strings.TrimPrefix(text, "\uFEFF"), nil
	}
	text, err := charset.Decode(data, enc)
	return strings.TrimPrefix(text, "\uFEFF"), err
}

// plainRows indexes the lines of an unquoted file.
func plainRows(text, delim string) csvRows {
	text = strings.TrimSuffix(text, "\n")
	r := csvRows{text: text, delim: delim}
	if text == "" {
		return r
	}
	r.starts = append(make([]int, 0, strings.Count(text, "\n")+1), 0)
	for i := 0; ; {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		r.starts = append(r.starts, i)
	}
	return r
}

// UnterminatedQuoteError is a quoted CSV field that never closes: JMeter
// reports the missing quote; reading on would make the rest of the file
// one value.
type UnterminatedQuoteError struct{ Line int }

func (e *UnterminatedQuoteError) Error() string {
	return fmt.Sprintf("line %d: a quoted value opened here has no closing quote (\")", e.Line)
}

func parseQuotedCSV(text, delim string) ([][]string, error) {
	sep := ','
	for _, r := range delim {
		sep = r
		break
	}
	var out [][]string
	var rec []string
	var field strings.Builder
	inQuotes := false
	line, openedAt := 1, 0
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		ch := rs[i]
		if ch == '\n' {
			line++
		}
		switch {
		case inQuotes:
			if ch == '"' {
				if i+1 < len(rs) && rs[i+1] == '"' {
					field.WriteRune('"')
					i++
				} else {
					inQuotes = false
				}
			} else {
				field.WriteRune(ch)
			}
		case ch == '"':
			inQuotes, openedAt = true, line
		case ch == sep:
			rec = append(rec, field.String())
			field.Reset()
		case ch == '\r' && i+1 < len(rs) && rs[i+1] == '\n':
		case ch == '\n':
			rec = append(rec, field.String())
			field.Reset()
			out = append(out, rec)
			rec = nil
		default:
			field.WriteRune(ch)
		}
	}
	if inQuotes {
		return out, &UnterminatedQuoteError{Line: openedAt}
	}
	if field.Len() > 0 || len(rec) > 0 {
		rec = append(rec, field.String())
		out = append(out, rec)
	}
	return out, nil
}

func (d *csvData) iterationStart(u *vuser) flow {
	name := strings.TrimSpace(d.filename.Eval(u.ctx))
	path := d.path(name)
	f := d.load(u.t, path)
	if f.err != nil {
		u.t.logf("ERROR", "%s: %v", d.el.Path(), f.err)
		return flowNext
	}
	names := d.names
	data := f.records
	if names == nil {
		names = f.header
	}
	if f.streamed {
		return d.streamedRecord(u, name, f, names)
	}
	if (d.names == nil || d.ignoreFirst) && data.len() > 0 {
		data = data.from(1)
	}
	if d.split && u.t.opts.Shards > 1 {
		// this shard's contiguous part of the records: no record is used by
		// two generators
		n, N, s := data.len(), u.t.opts.Shards, u.t.opts.Shard
		data = data.slice(n*s/N, n*(s+1)/N)
	}
	rec, ok := d.next(u, path, data.len())
	var values []string
	if ok {
		values = data.at(rec)
	}
	return d.put(u, name, names, values, ok)
}

// put sets the record's values, or handles the end of the file (ok false).
func (d *csvData) put(u *vuser, name string, names, values []string, ok bool) flow {
	if ok && len(values) == 0 {
		ok = false // a blank line: JMeter's CSVDataSet treats "no values" as end of file
	}
	if !ok {
		if d.stopThread {
			u.t.logf("INFO", "%s: end of file %s, stopping %s", d.el.Path(), name, u.name)
			u.stop = true
			return flowStop
		}
		for _, n := range names {
			u.vars.Put(n, d.eof)
		}
		return flowNext
	}
	for i, n := range names {
		if i < len(values) {
			u.vars.Put(n, values[i])
		}
	}
	return flowNext
}

// streamedRecord reads the next record of a streamed file from the reader
// the user shares with the others of its share mode.
func (d *csvData) streamedRecord(u *vuser, name string, f *csvFile, names []string) flow {
	key := d.shareKey(u, f.path)
	key.key = "csvstream:" + key.key
	v, loaded := u.t.state.Load(key)
	if !loaded {
		v, _ = u.t.state.LoadOrStore(key, &csvStream{path: f.path, enc: d.encoding, delim: d.delim,
			skip: d.names == nil || d.ignoreFirst, maxLine: u.t.maxDataFile})
	}
	values, ok, err := v.(*csvStream).next(d.recycle)
	if err != nil {
		u.t.logf("ERROR", "%s: %v", d.el.Path(), err)
		ok = false
	}
	return d.put(u, name, names, values, ok)
}

// shareKey names the position the users of a share mode (all, group or a
// custom name) share for path.
func (d *csvData) shareKey(u *vuser, path string) sharedKey {
	key := sharedKey{key: path}
	switch d.share {
	case "shareMode.all", "":
	case "shareMode.group":
		key.gr = u.gr
	default:
		key.key += "\x00" + d.share
	}
	return key
}

// next returns the index of the next record for this user, per share mode.
func (d *csvData) next(u *vuser, path string, n int) (int, bool) {
	advance := func(pos *int) (int, bool) {
		if *pos >= n {
			if !d.recycle || n == 0 {
				return 0, false
			}
			*pos = 0
		}
		i := *pos
		*pos++
		return i, true
	}
	mode := d.share
	if mode == "shareMode.thread" {
		st := &u.slots[d.slot]
		pos := int(st.n)
		i, ok := advance(&pos)
		st.n = int64(pos)
		return i, ok
	}
	key := d.shareKey(u, path)
	key.key = "csv:" + key.key
	v, _ := u.t.state.LoadOrStore(key, &csvCursor{})
	cur := v.(*csvCursor)
	cur.mu.Lock()
	defer cur.mu.Unlock()
	return advance(&cur.pos)
}
