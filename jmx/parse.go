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

// ParseFile reads and parses a .jmx file.
func ParseFile(path string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read test plan: %w", err)
	}
	return Parse(data, path)
}

// Parse parses the bytes of a .jmx file; file names it in elements and errors.
//
// The tree is built with etree; a first pass with encoding/xml's decoder
// checks the XML, gives errors their line and column, and records where each
// start tag begins. Both passes see the same start tags in the same document
// order, which is how every element gets its position.
func Parse(data []byte, file string) (*Plan, error) {
	buf, parked, off, msg := prepare(data)
	if msg != "" {
		ln, col := lineCol(buf, off)
		return nil, &Error{File: file, Line: ln, Col: col, Msg: msg}
	}
	if len(bytes.TrimSpace(buf)) == 0 {
		return nil, &Error{File: file, Line: 1, Col: 1, Msg: "empty file, not a JMeter test plan"}
	}
	sc, err := scan(buf, file)
	if err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.ReadSettings.MaxDepth = maxDepth + 10
	if err := doc.ReadFromBytes(buf[:sc.rootEnd]); err != nil {
		return nil, &Error{File: file, Line: 1, Col: 1, Msg: "cannot parse XML: " + err.Error()}
	}
	root := doc.Root()
	b := &builder{file: file, parked: parked, pos: make(map[*etree.Element]position, len(sc.starts))}
	n := 0
	var index func(e *etree.Element)
	index = func(e *etree.Element) {
		if n < len(sc.starts) {
			b.pos[e] = sc.starts[n]
		}
		n++
		for _, c := range e.ChildElements() {
			index(c)
		}
	}
	index(root)
	if n != len(sc.starts) {
		// Cannot happen unless etree and encoding/xml disagree about the document.
		return nil, &Error{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf("internal error: %d start tags seen by one XML pass, %d by the other", len(sc.starts), n)}
	}
	plan := &Plan{File: file, Version: b.str(root.SelectAttrValue("jmeter", ""))}
	b.members(nil, root, func(e *Element) { plan.Roots = append(plan.Roots, e) })
	return plan, nil
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
