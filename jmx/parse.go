package jmx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// Error is a plan that cannot be read: where (file, 1-based line and
// column, and the element path when known) and what is wrong.
type Error struct {
	File string
	Line int
	Col  int
	Path string // e.g. "Test Plan > Users > Login"; empty when not inside a test element
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
		if e.Col > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Col))
		}
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// maxDepth bounds XML nesting; below etree's own limit so the error can say where.
const maxDepth = 1000

// maxPlanSize bounds what ParseFile reads: a device or an endless stream
// named by mistake (-t /dev/zero) must not take the machine's memory.
const maxPlanSize = 128 << 20

// ParseFile reads and parses a .jmx file.
func ParseFile(path string) (*Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read test plan: %w", err)
	}
	defer f.Close()
	// A NUL byte in the first block of a file without a UTF-16 byte order
	// mark is binary data: say so without reading the rest.
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(f, head)
	head = head[:n]
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("read test plan: %w", err)
	}
	utf16BOM := bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF})
	if err != nil || (!utf16BOM && bytes.IndexByte(head, 0) >= 0) {
		return Parse(head, path)
	}
	// Read in fixed blocks so that an endless stream stops at the limit
	// without the doubling of a growing buffer.
	blocks, total := [][]byte{head}, n
	for total <= maxPlanSize {
		b := make([]byte, 1<<20)
		k, err := io.ReadFull(f, b)
		blocks, total = append(blocks, b[:k]), total+k
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read test plan: %w", err)
		}
	}
	if total > maxPlanSize {
		return nil, &Error{File: path, Msg: fmt.Sprintf("larger than %d MiB, not a JMeter test plan", maxPlanSize>>20)}
	}
	return Parse(bytes.Join(blocks, nil), path)
}

// Parse parses the bytes of a .jmx file; file names it in elements and errors.
//
// The tree is built with etree, which keeps no positions. A byte scan
// records where each start tag begins; it sees the same start tags in the
// same document order as etree, which is how every element gets its line
// and column. When either finds something wrong, a strict pass with
// encoding/xml's decoder re-reads the file to name the problem and where it
// is (and supplies the positions itself when the file is fine after all).
// Anything after the root element's end tag is ignored.
func Parse(data []byte, file string) (*Plan, error) { return parse(data, file, false) }

// parse is Parse; strictOnly skips the fast path (tests compare the two).
func parse(data []byte, file string, strictOnly bool) (*Plan, error) {
	buf, parked, off, msg := prepare(data)
	if msg != "" {
		ln, col := lineCol(buf, off)
		return nil, &Error{File: file, Line: ln, Col: col, Msg: msg}
	}
	if len(bytes.TrimSpace(buf)) == 0 {
		return nil, &Error{File: file, Line: 1, Col: 1, Msg: "empty file, not a JMeter test plan"}
	}
	// Fast path: a byte scan finds the start tags and the end of the root,
	// etree parses. Anything odd (and every broken file) goes through the
	// strict encoding/xml scan, which explains the problem with a position.
	sc, ok := quickScan(buf)
	ok = ok && !strictOnly
	var doc *etree.Document
	if ok {
		doc, ok = parseTree(buf[:sc.rootEnd], len(sc.starts))
	}
	if !ok {
		var err error
		if sc, err = scan(buf, file); err != nil {
			return nil, err
		}
		var perr error
		if doc, perr = readTree(buf[:sc.rootEnd]); perr != nil {
			return nil, &Error{File: file, Line: 1, Col: 1, Msg: "cannot parse XML: " + perr.Error()}
		}
		if n := countElements(doc.Root()); n != len(sc.starts) {
			// Cannot happen unless etree and encoding/xml disagree about the document.
			return nil, &Error{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf("internal error: %d start tags seen by one XML pass, %d by the other", len(sc.starts), n)}
		}
	}
	root := doc.Root()
	b := &builder{file: file, parked: parked, pos: make(map[*etree.Element]position, len(sc.starts))}
	n := 0
	var index func(e *etree.Element)
	index = func(e *etree.Element) {
		b.pos[e] = sc.starts[n]
		n++
		for _, c := range e.Child {
			if ce, ok := c.(*etree.Element); ok {
				index(ce)
			}
		}
	}
	index(root)
	if err := b.resolveReferences(root); err != nil {
		return nil, err
	}
	plan := &Plan{File: file, Version: b.str(root.SelectAttrValue("jmeter", ""))}
	b.members(nil, root, func(e *Element) { plan.Roots = append(plan.Roots, e) })
	if b.err != nil {
		return nil, b.err
	}
	return plan, nil
}

func readTree(b []byte) (*etree.Document, error) {
	doc := etree.NewDocument()
	doc.ReadSettings.MaxDepth = maxDepth + 10
	if err := doc.ReadFromBytes(b); err != nil {
		return nil, err
	}
	if doc.Root() == nil {
		return nil, errors.New("no root element")
	}
	return doc, nil
}

// parseTree is readTree for the fast path: any failure, or a different
// count of elements than the byte scan saw, sends the caller to the strict path.
func parseTree(b []byte, want int) (*etree.Document, bool) {
	doc, err := readTree(b)
	if err != nil || countElements(doc.Root()) != want {
		return nil, false
	}
	return doc, true
}

func countElements(e *etree.Element) int {
	n := 1
	for _, c := range e.Child {
		if ce, ok := c.(*etree.Element); ok {
			n += countElements(ce)
		}
	}
	return n
}

// quickScan finds the offset of every start tag, in document order, and the
// end of the root element, assuming well-formed XML. It returns false as
// soon as something does not look right, or when the root is not
// jmeterTestPlan, so that scan can say what is wrong.
func quickScan(buf []byte) (scanned, bool) {
	var sc scanned
	var offs []int
	depth := 0
	i := 0
	skipTo := func(from int, end string) int {
		k := bytes.Index(buf[from:], []byte(end))
		if k < 0 {
			return -1
		}
		return from + k + len(end)
	}
	for {
		j := bytes.IndexByte(buf[i:], '<')
		if j < 0 {
			return sc, false
		}
		i += j
		rest := buf[i+1:]
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			i = skipTo(i+4, "-->")
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			i = skipTo(i+9, "]]>")
		case bytes.HasPrefix(rest, []byte("?")):
			i = skipTo(i+2, "?>")
		case bytes.HasPrefix(rest, []byte("!")):
			if depth > 0 || bytes.IndexByte(rest, '[') >= 0 && bytes.IndexByte(rest, '[') < bytes.IndexByte(rest, '>') {
				return sc, false // internal DTD subset: leave it to the strict path
			}
			i = skipTo(i+2, ">")
		case bytes.HasPrefix(rest, []byte("/")):
			i = skipTo(i+2, ">")
			depth--
			if depth < 0 {
				return sc, false
			}
			if depth == 0 && i > 0 {
				sc.rootEnd = i
				sc.starts = positions(buf, offs)
				return sc, true
			}
		default:
			if depth == 0 && len(offs) > 0 {
				return sc, false // a second root
			}
			if len(offs) == 0 {
				name := rest
				if k := bytes.IndexAny(name, " \t\r\n/>"); k >= 0 {
					name = name[:k]
				}
				if string(name) != "jmeterTestPlan" {
					return sc, false
				}
			}
			if depth >= maxDepth {
				return sc, false
			}
			offs = append(offs, i)
			k := i + 1
			for k < len(buf) && buf[k] != '>' {
				if q := buf[k]; q == '"' || q == '\'' {
					e := bytes.IndexByte(buf[k+1:], q)
					if e < 0 {
						return sc, false
					}
					k += e + 1
				}
				k++
			}
			if k >= len(buf) {
				return sc, false
			}
			if buf[k-1] != '/' {
				depth++
			} else if depth == 0 {
				sc.rootEnd = k + 1
				sc.starts = positions(buf, offs)
				return sc, true
			}
			i = k + 1
		}
		if i < 0 {
			return sc, false
		}
	}
}

func positions(buf []byte, offs []int) []position {
	lc := lineCounter{buf: buf, line: 1}
	out := make([]position, len(offs))
	for k, o := range offs {
		out[k] = lc.at(o)
	}
	return out
}

// position is a 1-based line and column (in characters).
type position struct{ line, col int32 }

type scanned struct {
	starts  []position // every start tag, in document order
	rootEnd int        // offset just after </jmeterTestPlan>; anything later is ignored
}

type openTag struct {
	name string
	test string // testname, for the element path in messages
	pos  position
}

// scan checks the XML up to the end of the root element and records the
// position of every start tag.
func scan(buf []byte, file string) (scanned, error) {
	var sc scanned
	dec := xml.NewDecoder(bytes.NewReader(buf))
	dec.Strict = true
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	lc := lineCounter{buf: buf, line: 1}
	var stack []openTag
	fail := func(off int64, format string, args ...any) error {
		ln, col := lineCol(buf, int(off))
		return &Error{File: file, Line: ln, Col: col, Path: tagPath(stack), Msg: fmt.Sprintf(format, args...)}
	}
	for {
		off := dec.InputOffset()
		tok, err := dec.RawToken()
		if err == io.EOF {
			if len(stack) > 0 {
				t := stack[len(stack)-1]
				return sc, fail(off, "unexpected end of file: <%s> opened at line %d column %d is not closed (truncated file?)", t.name, t.pos.line, t.pos.col)
			}
			return sc, fail(off, "no XML element found, not a JMeter test plan")
		}
		if err != nil {
			var se *xml.SyntaxError
			m := err.Error()
			if errors.As(err, &se) {
				m = se.Msg
				if m == "unexpected EOF" && len(stack) > 0 {
					t := stack[len(stack)-1]
					m = fmt.Sprintf("unexpected end of file inside <%s> opened at line %d column %d (truncated file?)", t.name, t.pos.line, t.pos.col)
				}
			}
			return sc, fail(dec.InputOffset(), "malformed XML: %s", m)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := fullName(t.Name)
			p := lc.at(int(off))
			if len(stack) == 0 && name != "jmeterTestPlan" {
				return sc, &Error{File: file, Line: int(p.line), Col: int(p.col),
					Msg: fmt.Sprintf("root element is <%s>, not <jmeterTestPlan>: not a JMeter test plan", name)}
			}
			if len(stack) >= maxDepth {
				return sc, fail(off, "elements nested more than %d deep", maxDepth)
			}
			test := ""
			for _, a := range t.Attr {
				if a.Name.Space == "" && a.Name.Local == "testname" {
					test = a.Value
				}
			}
			sc.starts = append(sc.starts, p)
			stack = append(stack, openTag{name: name, test: test, pos: p})
		case xml.EndElement:
			name := fullName(t.Name)
			if len(stack) == 0 {
				return sc, fail(off, "malformed XML: unexpected </%s>", name)
			}
			top := stack[len(stack)-1]
			if top.name != name {
				return sc, fail(off, "malformed XML: </%s> closes <%s> opened at line %d column %d", name, top.name, top.pos.line, top.pos.col)
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				sc.rootEnd = int(dec.InputOffset())
				return sc, nil
			}
		case xml.CharData:
			if len(sc.starts) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return sc, fail(off, "text before the first element, not an XML test plan")
			}
		}
	}
}

func fullName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

// tagPath names the open test elements for a message.
func tagPath(stack []openTag) string {
	var parts []string
	for _, t := range stack {
		if t.test != "" && !isPropertyTag(t.name) {
			parts = append(parts, t.test)
		}
	}
	return strings.Join(parts, " > ")
}

// lineCounter turns increasing byte offsets into positions in one pass.
type lineCounter struct {
	buf       []byte
	scanned   int // bytes before this offset are counted
	line      int
	lineStart int
}

func (lc *lineCounter) at(off int) position {
	if off > len(lc.buf) {
		off = len(lc.buf)
	}
	if off < lc.scanned { // not monotonic: count afresh
		lc.scanned, lc.line, lc.lineStart = 0, 1, 0
	}
	for {
		i := bytes.IndexByte(lc.buf[lc.scanned:off], '\n')
		if i < 0 {
			break
		}
		lc.line++
		lc.scanned += i + 1
		lc.lineStart = lc.scanned
	}
	lc.scanned = off
	return position{line: int32(lc.line), col: int32(utf8.RuneCount(lc.buf[lc.lineStart:off]) + 1)}
}

func lineCol(buf []byte, off int) (int, int) {
	lc := lineCounter{buf: buf, line: 1}
	p := lc.at(off)
	return int(p.line), int(p.col)
}
