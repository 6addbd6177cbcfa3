package report

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// XML JTL reading (<testResults> with <httpSample>/<sample>), streaming with
// encoding/xml. Sub-samples are nested in their parent; they are returned
// as their own samples right after the parent, depth-first, as the CSV
// writer would have written them. A parent's URL (<java.net.URL>) comes
// after its sub-samples in the file, so a top-level sample is returned only
// once its end tag has been read.

type xmlSource struct {
	name     string
	opts     *ReadOptions
	dec      *xml.Decoder
	varNames []string
	tsEnd    bool

	stack  []*Sample // open sample elements, outermost first
	tree   []*Sample // the open top-level sample and its sub-samples so far, in start-tag (depth-first) order
	bad    *RowError // a sample of the open tree did not parse: the whole tree is dropped
	ready  []*Sample
	readyI int
	free   []*Sample
	last   *Sample // returned by the previous call; recycled on the next
	done   bool
	rooted bool // <testResults> seen

	// Text capture inside a sample.
	capture   string // child element whose text is collected: java.net.URL, failure, error, failureMessage
	text      []byte
	inAssert  bool
	assertBad bool
	assertMsg string
	errs      []*RowError
}

func newXMLSource(rd io.Reader, name string, opts *ReadOptions) (*xmlSource, error) {
	cfg, err := SaveConfigFromProps(propSource(opts.Props))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	d := xml.NewDecoder(&xmlCleanReader{r: rd})
	d.Strict = true
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	return &xmlSource{name: name, opts: opts, dec: d, varNames: cfg.SampleVariables, tsEnd: timestampIsEnd(opts.Props)}, nil
}

func (x *xmlSource) line() int64 {
	l, _ := x.dec.InputPos()
	return int64(l)
}

func (x *xmlSource) newSample() *Sample {
	if n := len(x.free); n > 0 {
		s := x.free[n-1]
		x.free = x.free[:n-1]
		vars := s.Vars[:0]
		*s = Sample{Vars: vars}
		return s
	}
	return &Sample{}
}

func (x *xmlSource) next() (*Sample, error) {
	if x.last != nil {
		x.free = append(x.free, x.last)
		x.last = nil
	}
	for {
		if x.readyI < len(x.ready) {
			s := x.ready[x.readyI]
			x.ready[x.readyI] = nil
			x.readyI++
			x.last = s
			return s, nil
		}
		x.ready, x.readyI = x.ready[:0], 0
		if len(x.errs) > 0 {
			e := x.errs[0]
			x.errs = x.errs[1:]
			return nil, e
		}
		if x.done {
			return nil, io.EOF
		}
		if err := x.step(); err != nil {
			return nil, err
		}
	}
}

// step reads one token and updates the state; completed samples go to ready.
func (x *xmlSource) step() error {
	tok, err := x.dec.RawToken()
	if err == io.EOF {
		x.done = true
		if len(x.stack) > 0 {
			// JMeter was stopped mid-write: the last sample is incomplete.
			line := x.line()
			x.stack = nil
			return &RowError{File: x.name, Line: line, Msg: "file ends inside a sample (truncated file?)"}
		}
		return nil
	}
	if err != nil {
		x.done = true
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			if se.Msg == "unexpected EOF" {
				return &RowError{File: x.name, Line: int64(se.Line), Msg: "file ends inside a tag (truncated file?)"}
			}
			return &RowError{File: x.name, Line: int64(se.Line), Msg: "malformed XML: " + se.Msg}
		}
		return fmt.Errorf("read %s: %w", x.name, err)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		name := t.Name.Local
		if !x.rooted {
			if name != "testResults" {
				x.done = true
				return fmt.Errorf("%s:%d: root element is <%s>, not <testResults>: not an XML JTL file", x.name, x.line(), name)
			}
			x.rooted = true
			return nil
		}
		if name == "httpSample" || name == "sample" {
			x.startSample(t)
			return nil
		}
		if len(x.stack) == 0 {
			return nil
		}
		switch name {
		case "java.net.URL", "failureMessage", "failure", "error":
			x.capture = name
			x.text = x.text[:0]
		case "assertionResult":
			x.inAssert, x.assertBad, x.assertMsg = true, false, ""
		}
	case xml.EndElement:
		name := t.Name.Local
		if len(x.stack) == 0 {
			return nil
		}
		top := x.stack[len(x.stack)-1]
		switch name {
		case "httpSample", "sample":
			x.endSample()
		case "java.net.URL":
			if x.capture == name {
				top.URL = string(x.text)
			}
		case "failure", "error":
			if x.capture == name && strings.TrimSpace(string(x.text)) == "true" {
				x.assertBad = true
			}
		case "failureMessage":
			if x.capture == name {
				x.assertMsg = string(x.text)
			}
		case "assertionResult":
			if x.inAssert && x.assertBad && x.assertMsg != "" && top.FailureMessage == "" {
				top.FailureMessage = x.assertMsg
			}
			x.inAssert = false
		}
		if x.capture == name {
			x.capture = ""
		}
	case xml.CharData:
		if x.capture != "" {
			x.text = append(x.text, t...)
		}
	}
	return nil
}

func (x *xmlSource) startSample(t xml.StartElement) {
	s := x.newSample()
	if len(x.stack) == 0 {
		x.tree, x.bad = x.tree[:0], nil
	}
	x.tree = append(x.tree, s)
	if len(x.varNames) > 0 {
		if cap(s.Vars) >= len(x.varNames) {
			s.Vars = s.Vars[:len(x.varNames)]
			clear(s.Vars)
		} else {
			s.Vars = make([]string, len(x.varNames))
		}
	} else {
		s.Vars = s.Vars[:0]
	}
	if len(x.stack) > 0 {
		// As in the CSV, a sub-sample carries its parent's variable values
		// unless it has its own.
		copy(s.Vars, x.stack[len(x.stack)-1].Vars)
	}
	for _, a := range t.Attr {
		if err := x.attr(s, a.Name.Local, a.Value); err != "" && x.bad == nil {
			x.bad = &RowError{File: x.name, Line: x.line(), Msg: err}
		}
	}
	if x.tsEnd {
		s.TimeStamp -= s.Elapsed
	}
	x.stack = append(x.stack, s)
}

func (x *xmlSource) endSample() {
	x.stack = x.stack[:len(x.stack)-1]
	if len(x.stack) > 0 {
		return
	}
	if x.bad != nil {
		x.free = append(x.free, x.tree...)
		x.pendingErr(x.bad)
	} else {
		x.ready = append(x.ready, x.tree...)
	}
	clear(x.tree)
	x.tree, x.bad = x.tree[:0], nil
}

// pendingErr reports a bad sample: next returns it once the ready samples are out.
func (x *xmlSource) pendingErr(e *RowError) {
	x.errs = append(x.errs, e)
}

// attr sets one attribute of a sample; it returns a message for a bad value.
func (x *xmlSource) attr(s *Sample, name, v string) string {
	var dst *int64
	var dstInt *int
	switch name {
	case "t":
		dst = &s.Elapsed
	case "it":
		dst = &s.IdleTime
	case "lt":
		dst = &s.Latency
	case "ct":
		dst = &s.Connect
	case "ts":
		dst = &s.TimeStamp
	case "by":
		dst = &s.Bytes
	case "sby":
		dst = &s.SentBytes
	case "sc":
		dstInt = &s.SampleCount
	case "ec":
		dstInt = &s.ErrorCount
	case "ng":
		dstInt = &s.GrpThreads
	case "na":
		dstInt = &s.AllThreads
	case "s":
		s.Success = strings.EqualFold(v, "true")
	case "lb":
		s.Label = v
	case "rc":
		s.ResponseCode = v
	case "rm":
		s.ResponseMessage = v
	case "tn":
		s.ThreadName = v
	case "dt":
		s.DataType = v
	case "de":
		s.Encoding = v
	case "hn":
		s.Hostname = v
	default:
		for i, vn := range x.varNames {
			if vn == name {
				s.Vars[i] = v
			}
		}
	}
	if dst != nil || dstInt != nil {
		n, ok := parseInt([]byte(v))
		if !ok {
			return fmt.Sprintf("attribute %s=%q is not a number", name, v)
		}
		if dst != nil {
			*dst = n
		} else {
			*dstInt = int(n)
		}
	}
	return ""
}

// xmlCleanReader makes JMeter's XML output acceptable to encoding/xml:
// XStream writes characters XML 1.0 forbids (e.g. &#x0; in response data)
// and raw control bytes; they become U+FFFD (references) or '?' (raw
// bytes), and invalid UTF-8 bytes become '?'. Newlines are untouched, so
// line numbers stay true.
type xmlCleanReader struct {
	r       io.Reader
	in      []byte // raw bytes not yet cleaned (a possibly cut reference or rune at the end)
	out     []byte // cleaned bytes not yet returned
	err     error
	scratch []byte
}

func (c *xmlCleanReader) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		if cap(c.scratch) == 0 {
			c.scratch = make([]byte, 64<<10)
		}
		n, err := c.r.Read(c.scratch[:cap(c.scratch)])
		c.in = append(c.in, c.scratch[:n]...)
		if err != nil {
			c.err = err
		}
		c.clean(c.err != nil)
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

// clean moves cleaned bytes from in to out, keeping back an incomplete tail unless final.
func (c *xmlCleanReader) clean(final bool) {
	in := c.in
	out := c.out[:0]
	i := 0
	for i < len(in) {
		b := in[i]
		if b == '&' && i+1 < len(in) && in[i+1] == '#' || b == '&' && i+1 == len(in) {
			j := i + 1
			for j < len(in) && j-i < 16 && in[j] != ';' && in[j] != '<' && in[j] != '&' {
				j++
			}
			if j == len(in) && j-i < 16 && !final {
				break // the reference may continue in the next read
			}
			if j < len(in) && in[j] == ';' && j-i > 2 {
				if r, ok := refValue(in[i+2 : j]); ok && !xmlChar(r) {
					out = append(out, "&#xFFFD;"...)
					i = j + 1
					continue
				}
			}
			out = append(out, b)
			i++
			continue
		}
		if b < 0x20 {
			if b != '\t' && b != '\n' && b != '\r' {
				b = '?'
			}
			out = append(out, b)
			i++
			continue
		}
		if b < utf8.RuneSelf {
			out = append(out, b)
			i++
			continue
		}
		if !utf8.FullRune(in[i:]) && !final {
			break
		}
		r, n := utf8.DecodeRune(in[i:])
		if r == utf8.RuneError && n <= 1 || !xmlChar(r) {
			out = append(out, '?')
			i += max(n, 1)
			continue
		}
		out = append(out, in[i:i+n]...)
		i += n
	}
	c.out = out
	c.in = append(c.in[:0], in[i:]...)
}

func refValue(b []byte) (rune, bool) {
	base := 10
	if len(b) > 0 && (b[0] == 'x' || b[0] == 'X') {
		base, b = 16, b[1:]
	}
	v, err := strconv.ParseUint(string(b), base, 32)
	if err != nil || v > 0x7FFFFFFF {
		return 0, err == nil
	}
	return rune(v), true
}

func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

func (x *xmlSource) columns() []string { return nil }
