package jmx

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// How the XML maps onto Elements and Properties:
//
//   - A test element is any XML element whose tag is not a property tag (see
//     propertyKinds) and not hashTree. Its children are, in document order,
//     the test elements nested directly inside it (the hand-written form) and
//     then the contents of the hashTree that follows it as a sibling (the form
//     JMeter writes). A hashTree nested inside an element also holds children.
//   - enabled="false" (any value but "true") takes the element and
//     everything under it out of the plan: it goes to its parent's Disabled
//     list instead of Children (a disabled top-level element is dropped).
//     Without the attribute an element is enabled.
//   - An elementProp becomes Property{Kind: ElementProp, Elem: e} where e.Tag
//     and e.ElementType are the elementType attribute (so Class() dispatches
//     on it, as JMeter instantiates that class), e.Name is the testname
//     attribute or, when absent, the property name, e.Parent is the element
//     owning the property, and e.Enabled follows enabled= (a disabled
//     elementProp is kept: it is a property, not a tree node).
//   - Scalar properties keep their text as JMeter's XStream reads it: the
//     character data up to the first child element, untrimmed.
//   - doubleProp/FloatProperty may use the child-element form
//     (<name>, <value>, <savedValue>) or a name attribute with text.
//   - An objProp keeps the raw inner XML of its <value> in Value, and Elem
//     holds that value as an element (Tag = its class attribute) whose Props
//     are string properties named after the value's simple child tags, e.g.
//     ResultCollector's saveConfig: Elem.Str("fieldNames") == "true".

var propertyKinds = map[string]Kind{
	"stringProp":          StringProp,
	"StringProperty":      StringProp,
	"boolProp":            BoolProp,
	"BooleanProperty":     BoolProp,
	"intProp":             IntProp,
	"IntegerProperty":     IntProp,
	"longProp":            LongProp,
	"LongProperty":        LongProp,
	"doubleProp":          DoubleProp,
	"DoubleProperty":      DoubleProp,
	"floatProp":           FloatProp,
	"FloatProperty":       FloatProp,
	"elementProp":         ElementProp,
	"TestElementProperty": ElementProp,
	"collectionProp":      CollectionProp,
	"CollectionProperty":  CollectionProp,
	"mapProp":             MapProp,
	"MapProperty":         MapProp,
	"objProp":             ObjProp,
	"ObjectProperty":      ObjProp,
}

func isPropertyTag(tag string) bool {
	_, ok := propertyKinds[tag]
	return ok
}

type builder struct {
	file   string
	parked bool // control characters were parked by prepare and must be restored
	pos    map[*etree.Element]position
	err    *Error // the first value JMeter's loader would refuse
}

// str restores parked control characters in text taken from the document.
func (b *builder) str(s string) string {
	if b.parked {
		return unpark(s)
	}
	return s
}

func (b *builder) attr(x *etree.Element, key string) string {
	return b.str(x.SelectAttrValue(key, ""))
}

// isEnabled follows JMeter: without the attribute an element is enabled;
// with it, only "true" (any case, as Boolean.parseBoolean) enables it.
func isEnabled(x *etree.Element) bool {
	a := x.SelectAttr("enabled")
	return a == nil || strings.EqualFold(a.Value, "true")
}

// members reads the contents of x (the root, a hashTree or a test element):
// properties go to owner.Props when owner is a test element, test elements
// (each with the hashTree following it) are passed to add.
func (b *builder) members(owner *Element, x *etree.Element, add func(*Element)) {
	kids := x.ChildElements()
	for i := 0; i < len(kids); i++ {
		k := kids[i]
		tag := k.FullTag()
		if tag == "hashTree" {
			// A hashTree not right after an element: its contents belong here.
			b.members(owner, k, add)
			continue
		}
		if kind, ok := propertyKinds[tag]; ok {
			if owner != nil && x.Tag != "hashTree" {
				if p := b.property(owner, k, kind); p != nil {
					owner.Props = setProp(owner.Props, p)
				}
			}
			continue
		}
		var tree *etree.Element
		if i+1 < len(kids) && kids[i+1].FullTag() == "hashTree" {
			tree = kids[i+1]
			i++
		}
		enabled := isEnabled(k)
		if !enabled && owner == nil {
			continue // a disabled top-level element
		}
		e := b.newElement(owner, k, tag)
		addChild := func(c *Element) { e.Children = append(e.Children, c) }
		b.members(e, k, addChild)
		if tree != nil {
			b.members(e, tree, addChild)
		}
		if !enabled {
			owner.Disabled = append(owner.Disabled, e)
			continue
		}
		add(e)
	}
}

// setProp adds p to props. A property written twice in one element keeps
// the last value at the first one's place, as JMeter's property map does
// when the plan is loaded.
func setProp(props []*Property, p *Property) []*Property {
	if p.Name != "" {
		for i, q := range props {
			if q.Name == p.Name {
				props[i] = p
				return props
			}
		}
	}
	return append(props, p)
}

func (b *builder) newElement(parent *Element, x *etree.Element, tag string) *Element {
	p := b.pos[x]
	return &Element{
		Tag:       tag,
		TestClass: b.attr(x, "testclass"),
		GUIClass:  b.attr(x, "guiclass"),
		Name:      b.attr(x, "testname"),
		Enabled:   isEnabled(x),
		Parent:    parent,
		Line:      int(p.line),
		Col:       int(p.col),
		File:      b.file,
	}
}

// text is the character data of x up to its first child element, as XStream reads it.
func (b *builder) text(x *etree.Element) string { return b.str(x.Text()) }

// childText is the text of x's first child element with that tag.
func (b *builder) childText(x *etree.Element, tag string) (string, bool) {
	c := x.SelectElement(tag)
	if c == nil {
		return "", false
	}
	return b.text(c), true
}

// property converts one property element; owner is the element it belongs to.
func (b *builder) property(owner *Element, x *etree.Element, kind Kind) *Property {
	p := &Property{Kind: kind, Name: b.attr(x, "name"), Line: int(b.pos[x].line)}
	switch kind {
	case StringProp, BoolProp, IntProp, LongProp:
		p.Value = b.text(x)
		if kind == IntProp || kind == LongProp {
			b.checkNumber(owner, x, p, kind)
		}
	case DoubleProp, FloatProp:
		if x.FullTag() == "floatProp" {
			b.refuse(owner, x, "<floatProp> is not a property JMeter 5.6.3 knows (its loader fails with CannotResolveClassException: floatProp); JMeter writes FloatProperty")
		}
		if n, ok := b.childText(x, "name"); ok {
			p.Name = n
			v, hasValue := b.childText(x, "value")
			p.Value = v
			if hasValue {
				b.checkNumber(owner, x, p, kind)
			}
		} else {
			p.Value = b.text(x)
		}
	case ElementProp:
		et := b.attr(x, "elementType")
		e := b.newElement(owner, x, et)
		e.ElementType = et
		if e.Name == "" {
			e.Name = p.Name
		}
		b.members(e, x, func(c *Element) { e.Children = append(e.Children, c) })
		p.Elem = e
	case CollectionProp, MapProp:
		for _, c := range x.ChildElements() {
			if k, ok := propertyKinds[c.FullTag()]; ok {
				if item := b.property(owner, c, k); item != nil {
					p.Items = append(p.Items, item)
				}
			}
		}
	case ObjProp:
		if n, ok := b.childText(x, "name"); ok {
			p.Name = n
		}
		if v := x.SelectElement("value"); v != nil {
			p.Value = b.innerXML(v)
			e := b.newElement(owner, v, b.attr(v, "class"))
			e.Name = p.Name
			for _, c := range v.ChildElements() {
				e.Props = append(e.Props, &Property{Name: c.FullTag(), Kind: StringProp, Value: b.text(c), Line: int(b.pos[c].line)})
			}
			p.Elem = e
		} else {
			p.Value = b.text(x)
		}
	}
	return p
}

// innerXML serialises the children of x back to XML text.
func (b *builder) innerXML(x *etree.Element) string {
	var sb strings.Builder
	ws := etree.WriteSettings{}
	for _, t := range x.Child {
		t.WriteTo(&sb, &ws)
	}
	return b.str(sb.String())
}

// checkNumber refuses a numeric property JMeter's loader cannot read: int
// and long values are parsed strictly (Integer.parseInt, Long.parseLong:
// no blank, no spaces, no decimals, in range), double and float values as
// Double.valueOf (spaces allowed, not empty). JMeter then refuses the plan
// with a NumberFormatException.
func (b *builder) checkNumber(owner *Element, x *etree.Element, p *Property, kind Kind) {
	ok := true
	switch kind {
	case IntProp:
		_, err := strconv.ParseInt(javaSigned(p.Value), 10, 32)
		ok = err == nil
	case LongProp:
		_, err := strconv.ParseInt(javaSigned(p.Value), 10, 64)
		ok = err == nil
	default:
		ok = javaFloat(p.Value)
	}
	if !ok {
		b.refuse(owner, x, fmt.Sprintf("%s %q: %q is not a number JMeter can read (JMeter 5.6.3 refuses the plan: NumberFormatException)", x.FullTag(), p.Name, p.Value))
	}
}

// javaSigned makes Java's optional leading '+' acceptable to ParseInt and
// rejects what ParseInt would take but Java would not ("0x", "_").
func javaSigned(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && !(i == 0 && (c == '+' || c == '-') && len(s) > 1) {
			return "x"
		}
	}
	return s
}

// javaFloat reports whether Double.valueOf accepts s: surrounding blanks,
// an optional f/F/d/D suffix, decimal or exponent notation, NaN, Infinity.
func javaFloat(s string) bool {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	unsigned := strings.TrimLeft(s, "+-")
	if len(s)-len(unsigned) > 1 {
		return false
	}
	if unsigned == "NaN" || unsigned == "Infinity" {
		return true
	}
	if n := len(unsigned); n > 0 && strings.ContainsRune("fFdD", rune(unsigned[n-1])) {
		unsigned = unsigned[:n-1]
	}
	if unsigned == "" || strings.ContainsAny(unsigned, "_xXpPiInN") {
		return false
	}
	_, err := strconv.ParseFloat(unsigned, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

// refuse records the first value the loader would refuse, located.
func (b *builder) refuse(owner *Element, x *etree.Element, msg string) {
	if b.err != nil {
		return
	}
	p := b.pos[x]
	path := ""
	if owner != nil {
		path = owner.Path()
	}
	b.err = &Error{File: b.file, Line: int(p.line), Col: int(p.col), Path: path, Msg: msg}
}
