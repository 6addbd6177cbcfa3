// Package jmx reads JMeter test plans (.jmx files) into a tree of elements.
//
// It knows the file format only: which XML shapes make a property, how an
// element's children are attached (the sibling hashTree, or the hand-written
// nested form), and where in the file each element stood. It does not know
// what any element does when the plan runs; that is the engine's business.
package jmx

import (
	"strconv"
	"strings"
)

// Kind is the kind of a property, named after the XML element that holds it.
type Kind int

const (
	StringProp     Kind = iota // <stringProp name="n">v</stringProp>
	BoolProp                   // <boolProp>
	IntProp                    // <intProp>
	LongProp                   // <longProp>
	DoubleProp                 // <doubleProp><name/><value/></doubleProp>
	FloatProp                  // <FloatProperty><name/><value/></FloatProperty>
	ElementProp                // <elementProp> with nested properties (Elem)
	CollectionProp             // <collectionProp> with ordered items (Items)
	MapProp                    // <mapProp> with items (Items)
	ObjProp                    // <objProp>: kept as raw text in Value, rarely used
)

func (k Kind) String() string {
	switch k {
	case StringProp:
		return "stringProp"
	case BoolProp:
		return "boolProp"
	case IntProp:
		return "intProp"
	case LongProp:
		return "longProp"
	case DoubleProp:
		return "doubleProp"
	case FloatProp:
		return "FloatProperty"
	case ElementProp:
		return "elementProp"
	case CollectionProp:
		return "collectionProp"
	case MapProp:
		return "mapProp"
	case ObjProp:
		return "objProp"
	}
	return "unknown"
}

// Property is one named value of an element. Scalar kinds keep their text in
// Value exactly as written (numbers are parsed by the accessors, so that
// "${__P(threads,10)}" survives until the engine evaluates it).
type Property struct {
	Name  string
	Kind  Kind
	Value string // scalar kinds and ObjProp
	// Elem is, for an ElementProp, the nested element: its Props hold the
	// nested properties, Tag and ElementType are the elementType attribute,
	// Name is the testname attribute or else the property name, Parent is the
	// element owning the property. For an ObjProp it is the <value> read as an
	// element (Tag = its class attribute) with one string property per child tag.
	Elem *Element

	Items []*Property // CollectionProp, MapProp
	Line  int         // 1-based line of the property in the source file
}

// Element is one test element of a plan: a sampler, controller, config element …
type Element struct {
	Tag       string // XML tag, e.g. "HTTPSamplerProxy"; decides the element's class as in JMeter
	TestClass string // testclass attribute as written
	GUIClass  string // guiclass attribute as written
	Name      string // testname attribute
	Enabled   bool   // false when enabled="false"
	// ElementType is the elementType attribute of an elementProp (e.g. "HTTPArgument").
	ElementType string
	Props       []*Property
	Children    []*Element // children in document order (from the hashTree or nested form)
	Parent      *Element   // nil for the root
	Line        int        // 1-based line of the element's start tag
	Col         int        // 1-based column of the element's start tag
	File        string     // the file the element was read from
	// Disabled holds the disabled children (Enabled false, with their
	// subtrees), in document order. They are not part of the plan that runs;
	// JMeter still finds Module Controller targets among them, because it
	// resolves those before it removes disabled elements.
	Disabled []*Element
}

// Class is the name to dispatch on. It is the tag, because JMeter too picks
// an element's class from its tag, not from the testclass attribute; core
// elements have short tags ("HTTPSamplerProxy"), plugins fully-qualified
// ones ("kg.apc.jmeter.threads.UltimateThreadGroup").
func (e *Element) Class() string { return e.Tag }

// Prop returns the first property with the given name, or nil.
func (e *Element) Prop(name string) *Property {
	if e == nil {
		return nil
	}
	for _, p := range e.Props {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Has reports whether the element has a property of that name.
func (e *Element) Has(name string) bool { return e.Prop(name) != nil }

// Str returns the text of a scalar property, or "" when absent.
func (e *Element) Str(name string) string {
	if p := e.Prop(name); p != nil {
		return p.Value
	}
	return ""
}

// StrOr returns the text of a property, or def when absent.
func (e *Element) StrOr(name, def string) string {
	if p := e.Prop(name); p != nil {
		return p.Value
	}
	return def
}

// Bool returns a property as JMeter's getPropertyAsBoolean does: "true"
// (any case) is true; absent gives def.
func (e *Element) Bool(name string, def bool) bool {
	p := e.Prop(name)
	if p == nil {
		return def
	}
	return strings.EqualFold(strings.TrimSpace(p.Value), "true")
}

// Int returns a property parsed as an integer, or def when absent or not a
// number (JMeter returns the default on a parse failure too).
func (e *Element) Int(name string, def int64) int64 {
	p := e.Prop(name)
	if p == nil {
		return def
	}
	v, err := strconv.ParseInt(strings.TrimSpace(p.Value), 10, 64)
	if err != nil {
		return def
	}
	return v
}

// Float returns a property parsed as a float, or def.
func (e *Element) Float(name string, def float64) float64 {
	p := e.Prop(name)
	if p == nil {
		return def
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(p.Value), 64)
	if err != nil {
		return def
	}
	return v
}

// Elem returns the nested element of an elementProp, or nil.
func (e *Element) Elem(name string) *Element {
	if p := e.Prop(name); p != nil {
		return p.Elem
	}
	return nil
}

// Collection returns the items of a collectionProp, or nil.
func (e *Element) Collection(name string) []*Property {
	if p := e.Prop(name); p != nil {
		return p.Items
	}
	return nil
}

// Path is the element's position in the plan for messages, names joined by
// " > " from the test plan down, e.g. "Test Plan > Users > Login".
func (e *Element) Path() string {
	var parts []string
	for x := e; x != nil; x = x.Parent {
		n := x.Name
		if n == "" {
			n = x.Tag
		}
		parts = append(parts, n)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, " > ")
}

// Where is "file:line" for messages.
func (e *Element) Where() string {
	return e.File + ":" + strconv.Itoa(e.Line)
}

// Plan is a whole parsed file.
type Plan struct {
	File    string     // path as given
	Version string     // jmeter= attribute, free text, informational
	Roots   []*Element // top-level elements (normally one TestPlan, sometimes a WorkBench too)
}

// TestPlan returns the plan's TestPlan element, or nil.
func (p *Plan) TestPlan() *Element {
	for _, r := range p.Roots {
		if r.Tag == "TestPlan" {
			return r
		}
	}
	return nil
}

// Walk calls fn for every element depth-first in document order; fn returns
// false to skip an element's children.
func Walk(e *Element, fn func(*Element) bool) {
	if !fn(e) {
		return
	}
	for _, c := range e.Children {
		Walk(c, fn)
	}
}
