// Package htmlcheck reports the markup problems JTidy (r938, the HTML
// parser behind JMeter's HTML Assertion) counts as errors and warnings:
// a missing DOCTYPE, elements it does not know (errors), discarded,
// missing and mismatched tags, empty elements it trims, attributes it
// does not know, missing required attributes, head elements in the body,
// entity and comment problems, a missing title.
//
// It is not JTidy: it reads the document with golang.org/x/net/html's
// tokenizer and applies each rule once, without JTidy's content-model
// repairs (implicit tables, inline elements re-opened in the next block,
// version detection). Counts equal JTidy's on documents whose problems
// are of the kinds above; on heavily broken markup they can differ (see
// the README's HTML Assertion section).
package htmlcheck

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	xhtml "golang.org/x/net/html"
)

// Mode is the document kind, as HTML Assertion's format option.
type Mode int

// The formats of html_assertion_format.
const (
	HTML  Mode = 0
	XHTML Mode = 1
	XML   Mode = 2
)

// Message is one reported problem.
type Message struct {
	Line, Column int
	Error        bool
	Text         string
}

func (m Message) String() string {
	kind := "Warning: "
	if m.Error {
		kind = "Error: "
	}
	return fmt.Sprintf("line %d column %d - %s%s", m.Line, m.Column, kind, m.Text)
}

// Report is the outcome of checking one document.
type Report struct {
	Errors, Warnings int
	Messages         []Message
}

// Text is the report as JTidy writes it to its error output: one line per
// message, then the summary line.
func (r *Report) Text() string {
	var b strings.Builder
	for _, m := range r.Messages {
		b.WriteString(m.String())
		b.WriteByte('\n')
	}
	if r.Errors == 0 && r.Warnings == 0 {
		b.WriteString("no warnings or errors were found\n")
		return b.String()
	}
	b.WriteString(plural(r.Warnings, "warning") + ", " + plural(r.Errors, "error") + " were found!\n")
	return b.String()
}

func plural(n int, word string) string {
	switch n {
	case 0:
		return "no " + word + "s"
	case 1:
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// MaxMessages bounds the messages kept (counts go on): a hostile body
// cannot make the report grow without limit.
const MaxMessages = 10000

// element kinds, after JTidy's content models.
const (
	kInline = 1 << iota
	kBlock
	kVoid        // no end tag
	kOptEnd      // end tag may be omitted silently (p, li, td, …)
	kHead        // belongs in <head>
	kProprietary // known to JTidy but "not approved by W3C"
	kList        // ul, ol, dir, menu
	kKeepEmpty   // never trimmed when empty
	kHeading
)

var elements = map[string]int{}

func def(kind int, names string) {
	for _, n := range strings.Fields(names) {
		elements[n] |= kind
	}
}

func init() {
	def(kInline, "a abbr acronym applet b basefont bdo big br button cite code dfn em font i iframe img input kbd label map object q s samp select small span strike strong sub sup textarea tt u var del ins nobr blink embed spacer wbr ilayer rb rbc rp rt rtc ruby layer nolayer nosave server servlet comment keygen bgsound marquee")
	def(kBlock, "address blockquote center dir div dl fieldset form h1 h2 h3 h4 h5 h6 hr isindex menu noframes noscript ol p pre table ul dd dt li listing xmp plaintext multicol noembed frameset frame legend caption colgroup col thead tbody tfoot tr td th optgroup option param area html head body")
	def(kHead, "title meta link style base script")
	def(kVoid, "area base basefont br col frame hr img input isindex link meta param embed spacer wbr keygen bgsound")
	def(kOptEnd, "p li dt dd tr td th thead tbody tfoot option colgroup html head body")
	def(kProprietary, "blink bgsound comment embed ilayer keygen layer marquee multicol nobr noembed nolayer nosave server servlet spacer wbr")
	def(kList, "ul ol dir menu")
	def(kKeepEmpty, "td th tr textarea script style iframe title applet object option select button td colgroup col caption html head body")
	def(kHeading, "h1 h2 h3 h4 h5 h6")
}

// knownAttrs are the attribute names JTidy r938's table holds (HTML 4 and
// the proprietary ones of its time); any other draws "unknown attribute".
var knownAttrs = map[string]bool{}

func init() {
	for _, a := range strings.Fields(`abbr accept-charset accept accesskey action add_date align alink alt archive axis
	background bgcolor bgproperties border bordercolor bottommargin cellpadding cellspacing char charoff charset checked
	cite class classid clear code codebase codetype color cols colspan compact content coords data datafld dataformatas
	datapagesize datasrc datetime declare defer dir disabled encoding enctype face for frame frameborder framespacing gridx gridy
	headers height href hreflang hspace http-equiv id ismap label lang language last_modified last_visit leftmargin link
	longdesc lowsrc marginheight marginwidth maxlength media method methods multiple n name nohref noresize noshade nowrap object
	onafterupdate onbeforeunload onbeforeupdate onblur onchange onclick ondataavailable ondatasetchanged ondatasetcomplete
	ondblclick onerrorupdate onfocus onkeydown onkeypress onkeyup onload onmousedown onmousemove onmouseout onmouseover
	onmouseup onreset onrowenter onrowexit onselect onsubmit onunload profile prompt rbspan readonly rel rev rightmargin rows
	rowspan rules scheme scope scrolling sdaform sdapref sdasuff selected shape showgridx showgridy size span src standby start style
	summary tabindex target text title topmargin type urn usemap valign value valuetype version vlink vspace width wrap
	xml:lang xml:space xmlns`) {
		knownAttrs[a] = true
	}
	for a := range knownAttrs {
		if strings.HasPrefix(a, "sda") {
			delete(knownAttrs, a) // JTidy names these unknown, though SGML tools knew them
		}
	}
}

// required are the attributes JTidy reports as lacking, per element.
var required = map[string][]string{
	"img":    {"alt", "src"},
	"area":   {"alt", "href"},
	"form":   {"action"},
	"script": {"type"},
	"style":  {"type"},
	"meta":   {"content"},
}

type open struct {
	name     string
	content  int  // kept children: text runs and elements not trimmed
	keep     bool // has an attribute that keeps it from being trimmed
	line     int
	col      int
	implicit bool   // inserted by the checker: closed silently
	swapped  string // end tag name that closes this element after a crosswise close
}

type checker struct {
	mode     Mode
	rep      Report
	src      []byte
	off      int // byte offset of the current token
	stack    []*open
	doctype  bool
	elements bool // an element was seen (for the DOCTYPE rule)
	inBody   bool
	bodyEnd  bool
	title    bool
	rawText  string // inside script/style: their text is not markup
	headText bool

	afterBody   bool     // content came after </body>
	proprietary bool     // an element not approved by W3C was seen
	reopenList  []string // font-style elements a paragraph end closed, re-opened by the next inline content
}

// fontStyle are the inline elements JTidy re-opens in the next content
// after a paragraph closed them.
var fontStyle = map[string]bool{"b": true, "i": true, "u": true, "s": true, "strike": true, "em": true,
	"strong": true, "tt": true, "big": true, "small": true, "font": true}

func (c *checker) reopenPending(text []byte) bool {
	return len(c.reopenList) > 0 && len(bytes.TrimSpace(text)) > 0
}

// reopen re-inserts the elements a paragraph end closed, as JTidy does.
func (c *checker) reopen() {
	if t := c.top(); t != nil {
		t.content++
	}
	for _, n := range c.reopenList {
		c.warn("inserting implicit <" + n + ">")
		c.stack = append(c.stack, &open{name: n, content: 1, implicit: true})
	}
	c.reopenList = nil
}

// Check reads doc and reports what JTidy would count.
func Check(doc []byte, mode Mode) *Report {
	c := &checker{mode: mode, src: doc}
	z := xhtml.NewTokenizer(bytes.NewReader(doc))
	z.SetMaxBuf(0)
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		raw := z.Raw()
		c.token(z, tt, raw)
		c.off += len(raw)
	}
	c.finish()
	return &c.rep
}

// pos is the 1-based line and column of byte offset off.
func (c *checker) pos(off int) (int, int) {
	if off > len(c.src) {
		off = len(c.src)
	}
	before := c.src[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := off - bytes.LastIndexByte(before, '\n')
	return line, col
}

func (c *checker) report(off int, isErr bool, text string) {
	if isErr {
		c.rep.Errors++
	} else {
		c.rep.Warnings++
	}
	if len(c.rep.Messages) < MaxMessages {
		l, col := c.pos(off)
		c.rep.Messages = append(c.rep.Messages, Message{Line: l, Column: col, Error: isErr, Text: text})
	}
}

func (c *checker) warn(text string)       { c.report(c.off, false, text) }
func (c *checker) warnAt(o int, t string) { c.report(o, false, t) }

func (c *checker) token(z *xhtml.Tokenizer, tt xhtml.TokenType, raw []byte) {
	switch tt {
	case xhtml.DoctypeToken:
		if c.elements && c.mode != XML {
			c.warn("<!DOCTYPE> isn't allowed after elements")
		}
		c.doctype = true
	case xhtml.CommentToken:
		body := raw
		if len(body) >= 7 {
			body = body[4 : len(body)-3]
		}
		if c.mode != XML && bytes.Contains(body, []byte("--")) {
			c.warn("adjacent hyphens within comment")
		}
	case xhtml.TextToken:
		if c.rawText != "" {
			if top := c.top(); top != nil {
				top.content++
			}
			return
		}
		if c.reopenPending(raw) {
			c.reopen()
		}
		c.entities(raw, c.off)
		if len(bytes.TrimSpace(raw)) == 0 {
			return
		}
		if top := c.top(); top != nil {
			top.content++
		}
		if c.mode == XML {
			return
		}
		if ul := c.top(); ul != nil && elements[ul.name]&kList != 0 {
			c.warn("missing <li>")
			ul.content++
			c.stack = append(c.stack, &open{name: "li", content: 1})
			return
		}
		if !c.inBody && !c.headText && (c.top() == nil || c.top().name != "title") {
			c.headText = true
			c.warn("plain text isn't allowed in <head> elements")
		}
	case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
		c.start(z, tt == xhtml.SelfClosingTagToken, raw)
	case xhtml.EndTagToken:
		name, _ := z.TagName()
		c.end(string(name))
	}
}

func (c *checker) top() *open {
	if len(c.stack) == 0 {
		return nil
	}
	return c.stack[len(c.stack)-1]
}

func (c *checker) start(z *xhtml.Tokenizer, selfClosing bool, raw []byte) {
	nb, hasAttr := z.TagName()
	name := string(nb)
	c.entitiesInTag(raw)
	attrs := map[string]bool{}
	var order []string
	for hasAttr {
		var k []byte
		k, _, hasAttr = z.TagAttr()
		if !attrs[string(k)] {
			order = append(order, string(k))
		}
		attrs[string(k)] = true
	}
	if c.mode == XML {
		c.elements = true
		if top := c.top(); top != nil {
			top.content++
		}
		if !selfClosing {
			c.stack = append(c.stack, &open{name: name})
		}
		return
	}
	if !c.doctype && !c.elements {
		c.warnAt(0, "missing <!DOCTYPE> declaration")
	}
	c.elements = true
	kind, known := elements[name]
	if !known && !isHeadOnly(name) {
		c.report(c.off, true, "<"+name+"> is not recognized!")
		c.warn("discarding unexpected <" + name + ">")
		return
	}
	if c.bodyEnd && name != "html" {
		c.warn("content occurs after end of body")
		c.afterBody = true
	}
	switch name {
	case "html":
		if c.hasOpen("html") || c.inBody {
			c.warn("discarding unexpected <html>")
			return
		}
		c.stack = append(c.stack, &open{name: name})
		return
	case "head":
		if c.inBody || c.hasOpen("head") {
			c.warn("discarding unexpected <head>")
			return
		}
		c.stack = append(c.stack, &open{name: name})
		return
	case "body":
		if c.inBody {
			c.warn("discarding unexpected <body>")
			return
		}
		c.enterBody()
		c.stack = append(c.stack, &open{name: name})
		return
	}
	if kind&kProprietary != 0 {
		c.warn("<" + name + "> is not approved by W3C")
		c.proprietary = true
	}
	if kind&kInline != 0 && len(c.reopenList) > 0 {
		c.reopen()
	}
	for _, a := range order {
		if !knownAttrs[a] {
			c.warn(`unknown attribute "` + a + `"`)
		}
	}
	for _, a := range required[name] {
		if !attrs[a] && !(name == "script" && a == "type" && attrs["language"]) {
			c.warn("<" + name + `> lacks "` + a + `" attribute`)
		}
	}
	if name == "link" && !attrs["type"] && strings.EqualFold(attrValue(raw, "rel"), "stylesheet") {
		c.warn(`<link> lacks "type" attribute`)
	}
	if name == "title" {
		c.title = true
	}
	if kind&kHead != 0 && name != "script" && c.inBody {
		parent := "body"
		if t := c.top(); t != nil && t.name != "html" {
			parent = t.name
		}
		c.warn("<" + name + "> isn't allowed in <" + parent + "> elements")
	}
	if kind&kHead == 0 && !c.inBody {
		c.enterBody()
	}
	// What a new element closes first.
	if kind&kBlock != 0 {
		c.closeForBlock(name)
	}
	if name == "a" && c.hasOpenInline("a") {
		c.warn("missing </a> before <a>")
		c.popTo("a")
	}
	if name == "li" && !c.hasOpenList() {
		parent := "body"
		if t := c.top(); t != nil && t.name != "html" {
			parent = t.name
		}
		c.warn("<li> isn't allowed in <" + parent + "> elements")
		c.warn("inserting implicit <ul>")
		if t := c.top(); t != nil {
			t.content++
		}
		c.stack = append(c.stack, &open{name: "ul"})
	}
	if name == "input" && c.top() != nil && c.top().name == "body" && !c.hasOpen("form") {
		c.warn("<input> isn't allowed in <body> elements")
		c.warn("inserting implicit <form>")
		c.top().content++
		c.stack = append(c.stack, &open{name: "form", content: 1, keep: true})
	}
	if top := c.top(); top != nil {
		top.content++
	}
	if name == "script" || name == "style" {
		c.rawText = name
	}
	if kind&kVoid != 0 || selfClosing {
		c.rawText = ""
		return
	}
	l, col := c.pos(c.off)
	c.stack = append(c.stack, &open{name: name, keep: attrs["id"] || attrs["name"] || (name == "a" && len(attrs) > 0) || (name == "script" && attrs["src"]), line: l, col: col})
}

func isHeadOnly(name string) bool { return elements[name]&kHead != 0 }

func (c *checker) enterBody() {
	c.inBody = true
	if c.hasOpen("head") {
		c.popTo("head")
	}
}

// closeForBlock closes what a block-level start tag ends: open inline
// elements (reported as missing their end tags), an open paragraph
// (silently), a heading before another heading, a list item before the
// next item of its list.
func (c *checker) closeForBlock(name string) {
	for {
		t := c.top()
		if t == nil {
			return
		}
		tk := elements[t.name]
		switch {
		case t.name == "p":
			c.pop(false)
			continue
		case tk&kInline != 0 && name != "li" && name != "dd" && name != "dt" && name != "option" && name != "optgroup" && elements[name]&kVoid == 0 && !tableContext(name):
			c.warn("missing </" + t.name + "> before <" + name + ">")
			c.pop(true)
			continue
		case tk&kHeading != 0 && elements[name]&kHeading != 0:
			c.warn("missing </" + t.name + "> before <" + name + ">")
			c.pop(true)
			continue
		case (name == "li" && t.name == "li") || ((name == "dt" || name == "dd") && (t.name == "dt" || t.name == "dd")) ||
			(name == "option" && t.name == "option") || ((name == "td" || name == "th") && (t.name == "td" || t.name == "th")) ||
			(name == "tr" && (t.name == "tr" || t.name == "td" || t.name == "th")):
			c.pop(false)
			continue
		}
		return
	}
}

func tableContext(name string) bool {
	switch name {
	case "td", "th", "tr", "thead", "tbody", "tfoot", "caption", "col", "colgroup":
		return true
	}
	return false
}

func (c *checker) hasOpen(name string) bool {
	for i := len(c.stack) - 1; i >= 0; i-- {
		if c.stack[i].name == name {
			return true
		}
	}
	return false
}

func (c *checker) hasOpenInline(name string) bool {
	for i := len(c.stack) - 1; i >= 0; i-- {
		if c.stack[i].name == name {
			return true
		}
		if elements[c.stack[i].name]&kInline == 0 {
			return false
		}
	}
	return false
}

func (c *checker) hasOpenList() bool {
	for i := len(c.stack) - 1; i >= 0; i-- {
		n := c.stack[i].name
		if elements[n]&kList != 0 {
			return true
		}
		if n == "li" {
			continue
		}
		if elements[n]&kBlock != 0 && n != "li" {
			return false
		}
	}
	return false
}

// pop closes the top element; an element closed where it ends normally
// (explicit is false for silent closes too) is trimmed when empty.
func (c *checker) pop(_ bool) {
	t := c.top()
	c.stack = c.stack[:len(c.stack)-1]
	if t.content == 0 && !t.keep && elements[t.name]&(kKeepEmpty|kVoid) == 0 && elements[t.name] != 0 {
		c.warnAt(c.lineOffset(t), "trimming empty <"+t.name+">")
		if p := c.top(); p != nil {
			p.content--
		}
	}
}

// lineOffset is the offset where the report of a trimmed element goes:
// JTidy reports it at the position where the element ended, which is the
// current token.
func (c *checker) lineOffset(_ *open) int { return c.off }

func (c *checker) popTo(name string) {
	for len(c.stack) > 0 {
		t := c.top()
		c.pop(true)
		if t.name == name {
			return
		}
	}
}

func (c *checker) end(name string) {
	if c.mode == XML {
		t := c.top()
		switch {
		case t == nil:
			c.report(c.off, true, "unexpected </"+name+">")
		case t.name != name:
			c.report(c.off, true, "unexpected </"+name+"> in <"+t.name+">")
		default:
			c.stack = c.stack[:len(c.stack)-1]
		}
		return
	}
	if c.rawText != "" && name == c.rawText {
		c.rawText = ""
	}
	kind, known := elements[name]
	if !known && !isHeadOnly(name) {
		c.warn("discarding unexpected </" + name + ">")
		return
	}
	if c.bodyEnd && name != "html" && name != "body" {
		c.warn("content occurs after end of body")
		c.afterBody = true
		return
	}
	switch name {
	case "body":
		c.bodyEnd = true
		return
	case "html":
		if c.bodyEnd && c.afterBody {
			c.warn("discarding unexpected </html>")
		}
		return
	case "head":
		if c.hasOpen("head") {
			c.popTo("head")
		}
		return
	}
	if name == "br" {
		return // JTidy reads </br> as <br>
	}
	if kind&kVoid != 0 {
		c.warn("discarding unexpected </" + name + ">")
		return
	}
	if t := c.top(); t != nil && t.swapped == name {
		c.warn("replacing unexpected </" + name + "> by </" + t.name + ">")
		c.pop(true)
		return
	}
	if !c.hasOpen(name) {
		if name == "p" {
			c.warn("replacing element </p> by <br>")
			c.warn("inserting implicit <br>")
			return
		}
		c.warn("discarding unexpected </" + name + ">")
		return
	}
	// Two inline elements closed crosswise: JTidy swaps the end tags.
	if t := c.top(); t.name != name && kind&kInline != 0 && elements[t.name]&kInline != 0 &&
		len(c.stack) >= 2 && c.stack[len(c.stack)-2].name == name {
		c.warn("replacing unexpected </" + name + "> by </" + t.name + ">")
		c.pop(true)
		c.top().swapped = t.name
		return
	}
	for {
		t := c.top()
		if t.name == name {
			c.pop(true)
			return
		}
		if elements[t.name]&kOptEnd == 0 && !t.implicit {
			c.warn("missing </" + t.name + "> before </" + name + ">")
			if name == "p" && fontStyle[t.name] {
				c.reopenList = append([]string{t.name}, c.reopenList...)
			}
		}
		c.pop(true)
	}
}

func (c *checker) finish() {
	if c.mode == XML {
		return
	}
	if !c.elements && !c.doctype {
		c.warnAt(0, "missing <!DOCTYPE> declaration")
	}
	for len(c.stack) > 0 {
		t := c.top()
		if elements[t.name]&kOptEnd == 0 && !t.implicit {
			c.warn("missing </" + t.name + ">")
		}
		c.pop(true)
	}
	if !c.title {
		c.warn("inserting missing 'title' element")
	}
	if c.proprietary && c.doctype {
		c.warnAt(0, "html doctype doesn't match content")
	}
}

// entities reports the '&' problems of a text run starting at base.
func (c *checker) entities(text []byte, base int) {
	for i := 0; i < len(text); i++ {
		if text[i] != '&' {
			continue
		}
		j := i + 1
		if j < len(text) && text[j] == '#' {
			k := j + 1
			if k < len(text) && (text[k] == 'x' || text[k] == 'X') {
				k++
			}
			for k < len(text) && isAlnum(text[k]) {
				k++
			}
			if k < len(text) && text[k] == ';' {
				continue
			}
			c.warnAt(base+i, `Warning: entity "`+string(text[i:k])+`" doesn't end in ';'`)
			continue
		}
		k := j
		for k < len(text) && isAlnum(text[k]) {
			k++
		}
		if k == j {
			c.warnAt(base+i, "Warning: unescaped & which should be written as &amp;")
			continue
		}
		name := string(text[j:k])
		if html.UnescapeString("&"+name+";") == "&"+name+";" {
			c.warnAt(base+i, `Warning: unescaped & or unknown entity "&`+name+`"`)
			continue
		}
		if k < len(text) && text[k] == ';' {
			continue
		}
		c.warnAt(base+i, `Warning: entity "&`+name+`" doesn't end in ';'`)
	}
}

// entitiesInTag checks the quoted attribute values of a raw start tag.
func (c *checker) entitiesInTag(raw []byte) {
	for i := 0; i < len(raw); i++ {
		q := raw[i]
		if q != '"' && q != '\'' {
			continue
		}
		j := bytes.IndexByte(raw[i+1:], q)
		if j < 0 {
			return
		}
		c.entities(raw[i+1:i+1+j], c.off+i+1)
		i += j + 1
	}
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// attrValue is the value of attribute name in a raw start tag, "" when absent.
func attrValue(raw []byte, name string) string {
	z := xhtml.NewTokenizer(bytes.NewReader(raw))
	z.Next()
	_, more := z.TagName()
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		if string(k) == name {
			return string(v)
		}
	}
	return ""
}
