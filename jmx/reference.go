package jmx

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// JMeter reads plans with XStream in its default mode, relative XPath
// references: an XML element with a reference="…" attribute stands for the
// object read earlier at that path, e.g.
//
//	<collectionProp name="HeaderManager.headers" reference="../../../hashTree/HeaderManager/collectionProp"/>
//
// A path is relative to the element carrying the attribute (or absolute
// when it starts with "/"); each step is a tag name with an optional
// 1-based position among the siblings of that name ("hashTree[2]"; "[1]"
// is the same as no index), "." and ".." as in file paths. Only an object
// whose element has been read to its end can be referred to, and an element
// that is itself a reference cannot: a reference forward, to an ancestor,
// to another reference or to nothing makes XStream fail with "Invalid
// reference", and JMeter refuses the plan. The id="…"/reference="id" form
// of XStream's other mode is not understood by JMeter's loader either.
//
// resolveReferences replaces each referring element by a copy of the
// element it names (tag, attributes and content: the object is the same in
// JMeter, property name included), before the element tree is built.

// maxReferenceCopies bounds the elements copied for references: XStream
// shares the object, a copy does not, and nested references could
// otherwise multiply a small file into an unbounded tree.
const maxReferenceCopies = 1_000_000

type refResolver struct {
	b      *builder
	done   map[string]*etree.Element // XStream path -> element read to its end
	refs   map[string]bool           // paths of elements that are references
	copies int
}

func (b *builder) resolveReferences(root *etree.Element) *Error {
	r := &refResolver{b: b, done: make(map[string]*etree.Element), refs: make(map[string]bool)}
	return r.walk(root, []string{root.FullTag()})
}

// walk visits x (whose path is path) and its children in document order.
func (r *refResolver) walk(x *etree.Element, path []string) *Error {
	if a := x.SelectAttr("reference"); a != nil {
		r.refs["/"+strings.Join(path, "/")] = true
		return r.replace(x, path, a.Value)
	}
	seen := map[string]int{}
	for _, c := range x.Child {
		ce, ok := c.(*etree.Element)
		if !ok {
			continue
		}
		tag := ce.FullTag()
		seen[tag]++
		step := tag
		if n := seen[tag]; n > 1 {
			step += "[" + strconv.Itoa(n) + "]"
		}
		if err := r.walk(ce, append(path[:len(path):len(path)], step)); err != nil {
			return err
		}
	}
	r.done["/"+strings.Join(path, "/")] = x
	return nil
}

// replace makes x a copy of the element its reference names.
func (r *refResolver) replace(x *etree.Element, path []string, ref string) *Error {
	key, ok := applyPath(path, ref)
	var target *etree.Element
	if ok {
		target = r.done[key]
	}
	if target == nil {
		why := "no element was read at that path before it (JMeter: Invalid reference)"
		switch {
		case ref == "":
			why = "the reference is empty"
		case ok && r.refs[key]:
			why = "the element at that path is itself a reference (JMeter: Invalid reference)"
		case ok && strings.HasPrefix("/"+strings.Join(path, "/")+"/", key+"/"):
			why = "it names an element that contains it"
		}
		return r.fail(x, fmt.Sprintf("XStream reference=%q at /%s cannot be resolved: %s", ref, strings.Join(path, "/"), why))
	}
	r.copies += countElements(target)
	if r.copies > maxReferenceCopies {
		return r.fail(x, fmt.Sprintf("XStream references expand to more than %d elements", maxReferenceCopies))
	}
	cp := target.Copy()
	pos := r.b.pos[x]
	var place func(e *etree.Element)
	place = func(e *etree.Element) {
		r.b.pos[e] = pos
		for _, c := range e.ChildElements() {
			place(c)
		}
	}
	place(cp)
	x.Space, x.Tag = cp.Space, cp.Tag
	x.Attr = cp.Attr
	x.Child = nil
	for _, c := range cp.Child {
		x.AddChild(c)
	}
	return nil
}

// applyPath resolves ref against the element at path, as XStream's Path
// does; ok is false when ".." climbs above the root.
func applyPath(path []string, ref string) (string, bool) {
	if ref == "" {
		return "", false
	}
	var stack []string
	if rest, abs := strings.CutPrefix(ref, "/"); abs {
		ref = rest
	} else {
		stack = append(stack, path...)
	}
	for _, step := range strings.Split(ref, "/") {
		switch step {
		case ".":
		case "..":
			if len(stack) == 0 {
				return "", false
			}
			stack = stack[:len(stack)-1]
		default: // an empty step ("a//b") names nothing
			if len(step) > 3 {
				step = strings.TrimSuffix(step, "[1]")
			}
			stack = append(stack, step)
		}
	}
	return "/" + strings.Join(stack, "/"), true
}

// owner is the element e belongs to: a hashTree's is the element before it.
func owner(e *etree.Element) *etree.Element {
	p := e.Parent()
	if e.FullTag() != "hashTree" || p == nil {
		return p
	}
	var prev *etree.Element
	for _, c := range p.ChildElements() {
		if c == e {
			if prev != nil && prev.FullTag() != "hashTree" {
				return prev
			}
			return p
		}
		prev = c
	}
	return p
}

func (r *refResolver) fail(x *etree.Element, msg string) *Error {
	p := r.b.pos[x]
	var names []string
	for e := x; e != nil; e = owner(e) {
		if n := e.SelectAttrValue("testname", ""); n != "" && !isPropertyTag(e.FullTag()) {
			names = append([]string{r.b.str(n)}, names...)
		}
	}
	return &Error{File: r.b.file, Line: int(p.line), Col: int(p.col), Path: strings.Join(names, " > "), Msg: msg}
}
