// Package target holds what JMeter's extractors and assertions share: which
// samples they look at (the Sample.scope / Assertion.scope property), which
// part of a sample (body, headers, URL …), and properties that may contain
// ${} templates, compiled once and evaluated per use.
package target

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"unsafe"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// Errorf builds a construction error that names the element's path, file
// and line: "Plan > Group > Login (plan.jmx:42): RegexExtractor: …".
func Errorf(el *jmx.Element, format string, args ...any) error {
	return fmt.Errorf("%s (%s): %s: %s", el.Path(), el.Where(), el.Tag, fmt.Sprintf(format, args...))
}

// Str is a string property compiled once; Eval gives its value for one
// virtual user.
type Str struct {
	t   *functions.Template
	lit string
}

// Prop compiles the named property of el (absent means "").
func Prop(el *jmx.Element, name string) (Str, error) {
	return PropOr(el, name, "")
}

// PropOr compiles the named property, or def when it is absent.
func PropOr(el *jmx.Element, name, def string) (Str, error) {
	s, err := Compile(el.StrOr(name, def))
	if err != nil {
		return Str{}, Errorf(el, "property %s: %v", name, err)
	}
	return s, nil
}

// Props compiles several properties of one element and keeps the first
// error, so that a constructor reads as the list of JMeter property names
// it uses, checked once at the end.
type Props struct {
	el  *jmx.Element
	err error
}

// NewProps starts compiling properties of el.
func NewProps(el *jmx.Element) *Props { return &Props{el: el} }

// Str compiles the named property (absent means "").
func (p *Props) Str(name string) Str { return p.StrOr(name, "") }

// StrOr compiles the named property, or def when it is absent. After an
// error it compiles nothing more.
func (p *Props) StrOr(name, def string) Str {
	if p.err != nil {
		return Str{}
	}
	s, err := PropOr(p.el, name, def)
	p.err = err
	return s
}

// Err is the first error met, naming the element and the property.
func (p *Props) Err() error { return p.err }

// Compile compiles a string that may contain ${} references.
func Compile(raw string) (Str, error) {
	if !strings.Contains(raw, "${") {
		return Str{lit: raw}, nil
	}
	t, err := functions.Compile(raw)
	if err != nil {
		return Str{}, err
	}
	if t.IsLiteral() {
		return Str{lit: raw}, nil
	}
	return Str{t: t}, nil
}

// Literal reports the value when the property has no ${} reference.
func (s Str) Literal() (string, bool) { return s.lit, s.t == nil }

// Raw is the property text as written.
func (s Str) Raw() string {
	if s.t != nil {
		return s.t.Raw()
	}
	return s.lit
}

// Eval evaluates the property for one virtual user.
func (s Str) Eval(c *functions.Context) string {
	if s.t == nil {
		return s.lit
	}
	return s.t.Eval(c)
}

// Int evaluates the property as an int; text that is not a number gives
// def, as JMeter's getPropertyAsInt does.
func (s Str) Int(c *functions.Context, def int) int {
	v, err := strconv.Atoi(strings.TrimSpace(s.Eval(c)))
	if err != nil {
		return def
	}
	return v
}

// Bool evaluates the property as JMeter's getPropertyAsBoolean: "true" in
// any case is true, blank gives def.
func (s Str) Bool(c *functions.Context, def bool) bool {
	v := strings.TrimSpace(s.Eval(c))
	if v == "" {
		return def
	}
	return strings.EqualFold(v, "true")
}

// Kind is which samples an element looks at.
type Kind int

const (
	Parent   Kind = iota // the sample itself (default)
	Children             // its sub-samples only
	All                  // the sample, then its sub-samples
	Variable             // a variable's value instead of a sample
)

// Scope is a parsed scope property.
type Scope struct {
	Kind     Kind
	Variable Str // the variable name for Kind Variable
}

// ParseScope reads the scope property (Sample.scope for extractors,
// Assertion.scope for assertions) and Scope.variable. An unknown value
// behaves as JMeter does: it matches none of the kinds, so no sample is
// examined.
func ParseScope(el *jmx.Element, prop string) (Scope, error) {
	var s Scope
	switch v := el.StrOr(prop, "parent"); v {
	case "parent":
		s.Kind = Parent
	case "children":
		s.Kind = Children
	case "all":
		s.Kind = All
	case "variable":
		s.Kind = Variable
	default:
		s.Kind = -1
	}
	var err error
	s.Variable, err = Prop(el, "Scope.variable")
	return s, err
}

// Samples lists the samples a scope looks at, in JMeter's order: the
// sample (parent, all), then for children/all its sub-samples, and below
// them their sub-samples to a bounded depth (AbstractScopedTestElement).
func (s Scope) Samples(r *sample.Result) []*sample.Result {
	if r == nil {
		return nil
	}
	var out []*sample.Result
	if s.Kind == Parent || s.Kind == All {
		out = append(out, r)
	}
	if s.Kind == Children || s.Kind == All {
		out = append(out, r.Subs...)
		out = descend(out, r.Subs, 3)
	}
	return out
}

func descend(out []*sample.Result, rs []*sample.Result, level int) []*sample.Result {
	if level < 0 {
		return out
	}
	for _, c := range rs {
		out = append(out, c.Subs...)
		out = descend(out, c.Subs, level-1)
	}
	return out
}

// Field is the part of a sample an extractor reads.
type Field int

const (
	Body Field = iota
	BodyUnescaped
	BodyAsDocument
	ResponseHeaders
	RequestHeaders
	URL
	Code
	Message
)

// ParseField reads the extractors' useHeaders property value
// (false/true/unescaped/as_document/request_headers/URL/code/message,
// compared ignoring case as JMeter does; anything else is the body).
func ParseField(v string) Field {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return ResponseHeaders
	case "request_headers":
		return RequestHeaders
	case "unescaped":
		return BodyUnescaped
	case "as_document":
		return BodyAsDocument
	case "url":
		return URL
	case "code":
		return Code
	case "message":
		return Message
	}
	return Body
}

// View returns the chosen part of r without copying the body: the string
// shares r.Body's memory, so it is only good while the body is not
// modified, and any part of it that is kept (a variable value) must be
// copied with strings.Clone.
func (f Field) View(r *sample.Result) string {
	if f == Body {
		return unsafe.String(unsafe.SliceData(r.Body), len(r.Body))
	}
	return f.Text(r)
}

// Text returns the chosen part of r.
func (f Field) Text(r *sample.Result) string {
	switch f {
	case ResponseHeaders:
		return r.ResponseHeaders
	case RequestHeaders:
		return r.RequestHeaders
	case URL:
		return r.URL
	case Code:
		return r.ResponseCode
	case Message:
		return r.ResponseMessage
	case BodyUnescaped:
		return html.UnescapeString(string(r.Body))
	case BodyAsDocument:
		return DocumentText(r.Body)
	}
	return string(r.Body)
}
