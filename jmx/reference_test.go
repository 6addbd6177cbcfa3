package jmx

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

const refPlan = `<jmeterTestPlan version="1.2">
  <hashTree>
    <TestPlan testclass="TestPlan" testname="Plan"/>
    <hashTree>
      <HTTPSamplerProxy testclass="HTTPSamplerProxy" testname="A">
        <elementProp name="HTTPsampler.Arguments" elementType="Arguments"><collectionProp name="Arguments.arguments"><elementProp name="a" elementType="HTTPArgument"><stringProp name="Argument.value">1</stringProp></elementProp></collectionProp></elementProp>
      </HTTPSamplerProxy>
      <hashTree>
        <HeaderManager testclass="HeaderManager" testname="h"><collectionProp name="HeaderManager.headers"><elementProp name="" elementType="Header"><stringProp name="Header.name">X-One</stringProp></elementProp></collectionProp></HeaderManager>
        <hashTree/>
      </hashTree>
      <HTTPSamplerProxy testclass="HTTPSamplerProxy" testname="B">
        <elementProp name="other" elementType="Arguments" reference="../../HTTPSamplerProxy/elementProp"/>
      </HTTPSamplerProxy>
      <hashTree>
        <HeaderManager testclass="HeaderManager" testname="shared"><collectionProp name="x" reference="REF"/></HeaderManager>
        <hashTree/>
        <HeaderManager reference="../../hashTree[1]/HeaderManager"/>
        <hashTree/>
      </hashTree>
    </hashTree>
  </hashTree>
</jmeterTestPlan>`

func TestXStreamReferences(t *testing.T) {
	for _, ref := range []string{
		"../../../hashTree/HeaderManager/collectionProp",
		"../../../hashTree[1]/./HeaderManager[1]/collectionProp",
		"/jmeterTestPlan/hashTree/hashTree/hashTree/HeaderManager/collectionProp",
	} {
		p := mustParse(t, strings.Replace(refPlan, "REF", ref, 1))
		b := p.Roots[0].Children[1]
		if b.Name != "B" {
			t.Fatalf("second sampler is %q", b.Name)
		}
		// the referring elementProp is the referred one, name included
		args := b.Elem("HTTPsampler.Arguments")
		if args == nil || len(args.Collection("Arguments.arguments")) != 1 {
			t.Fatalf("%s: B's arguments are not A's: %+v", ref, b.Props)
		}
		if len(b.Children) != 2 {
			t.Fatalf("%s: B has %d children", ref, len(b.Children))
		}
		shared := b.Children[0].Collection("HeaderManager.headers")
		if len(shared) != 1 || shared[0].Elem.Str("Header.name") != "X-One" {
			t.Errorf("%s: the shared header collection was not resolved: %+v", ref, b.Children[0].Props)
		}
		whole := b.Children[1]
		if whole.Class() != "HeaderManager" || whole.TestClass != "HeaderManager" || whole.Name != "h" || len(whole.Collection("HeaderManager.headers")) != 1 {
			t.Errorf("a whole element by reference: %+v", whole)
		}
		if whole.Line != 18 || b.Children[0].Props[0].Line != 16 {
			t.Errorf("a copy is placed where the reference is written: line %d, %d", whole.Line, b.Children[0].Props[0].Line)
		}
	}
}

// What JMeter 5.6.3 refuses to load ("Invalid reference"), gometer refuses
// with the element and line.
func TestXStreamBadReferences(t *testing.T) {
	for ref, want := range map[string]string{
		"h1": "no element was read at that path before it",
		"../../../hashTree[3]/HeaderManager/collectionProp": "no element was read",
		"..":                              "contains it",
		"":                                "empty",
		"../../../../../../../../../..":   "no element was read",
		"../HeaderManager/collectionProp": "no element was read", // itself, not yet read
		"../../HeaderManager[2]":          "no element was read", // forward
		"../../../hashTree//HeaderManager/collectionProp": "no element was read",
	} {
		pe := parseErr(t, []byte(strings.Replace(refPlan, "REF", ref, 1)))
		if pe.Line != 16 || !strings.Contains(pe.Msg, want) || pe.Path != "Plan > B > shared" {
			t.Errorf("reference %q: %v, want line 16, path Plan > B > shared and %q", ref, pe, want)
		}
	}
	// a reference to an element that is itself a reference
	src := strings.Replace(refPlan, "REF", "../../../hashTree/HeaderManager/collectionProp", 1)
	src = strings.Replace(src, `<HeaderManager reference="../../hashTree[1]/HeaderManager"/>`, `<HeaderManager reference="../HeaderManager/collectionProp"/>`, 1)
	if pe := parseErr(t, []byte(src)); !strings.Contains(pe.Msg, "itself a reference") || pe.Line != 18 {
		t.Errorf("reference to a reference: %v", pe)
	}
}

// References that double at each level would expand a small file into an
// enormous tree: the copy is bounded.
func TestXStreamReferenceBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<jmeterTestPlan><hashTree><TestPlan testname="p"><collectionProp name="l0"><stringProp name="x">x</stringProp></collectionProp>`)
	for i := 1; i < 40; i++ {
		prev := "../../collectionProp[" + strconv.Itoa(i) + "]" // the level before
		b.WriteString(`<collectionProp name="l"><collectionProp reference="` + prev + `"/><collectionProp reference="` + prev + `"/></collectionProp>`)
	}
	b.WriteString(`</TestPlan><hashTree/></hashTree></jmeterTestPlan>`)
	pe := parseErr(t, []byte(b.String()))
	if !strings.Contains(pe.Msg, "expand to more than") {
		t.Fatalf("want the expansion bound, got %v", pe)
	}
}

// The conformance plan JMeter 5.6.3 ran with references parses to the same
// header managers as if they were written out.
func TestXStreamReferencesConformancePlan(t *testing.T) {
	p, err := ParseFile("../testdata/conformance/152-xstream-references.jmx")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range p.Roots {
		Walk(r, func(e *Element) bool {
			if e.Class() == "HeaderManager" {
				n++
				if len(e.Collection("HeaderManager.headers")) != 2 {
					t.Errorf("%s: %d headers", e.Where(), len(e.Collection("HeaderManager.headers")))
				}
			}
			return true
		})
	}
	if n != 6 {
		t.Errorf("%d header managers, want 6", n)
	}
}

// Numeric properties JMeter 5.6.3's loader cannot read make it refuse the
// plan (NumberFormatException); those it reads are accepted.
func TestNumericPropertiesAsJMeterReadsThem(t *testing.T) {
	plan := func(prop string) string {
		return `<jmeterTestPlan><hashTree><TestPlan testname="p">` + prop + `</TestPlan><hashTree/></hashTree></jmeterTestPlan>`
	}
	for prop, ok := range map[string]bool{
		`<longProp name="ThreadGroup.duration"/>`:                                                     false,
		`<longProp name="d"></longProp>`:                                                              false,
		`<longProp name="d">5.0</longProp>`:                                                           false,
		`<longProp name="d">+5</longProp>`:                                                            true,
		`<longProp name="d">-9223372036854775808</longProp>`:                                          true,
		`<intProp name="i">abc</intProp>`:                                                             false,
		`<intProp name="i"> 5</intProp>`:                                                              false,
		`<intProp name="i">2147483648</intProp>`:                                                      false,
		`<intProp name="i">0x10</intProp>`:                                                            false,
		`<IntegerProperty name="i">-7</IntegerProperty>`:                                              true,
		`<doubleProp><name>x</name><value></value><savedValue>0.0</savedValue></doubleProp>`:          false,
		`<doubleProp><name>x</name><value> 1.5 </value><savedValue>0.0</savedValue></doubleProp>`:     true,
		`<doubleProp><name>x</name><value>1e3d</value><savedValue>0.0</savedValue></doubleProp>`:      true,
		`<FloatProperty><name>x</name><value>NaN</value><savedValue>0.0</savedValue></FloatProperty>`: true,
		`<floatProp name="x">1.5</floatProp>`:                                                         false,
		`<boolProp name="b">yes</boolProp>`:                                                           true,
	} {
		_, err := Parse([]byte(plan(prop)), "n.jmx")
		var pe *Error
		switch {
		case ok && err != nil:
			t.Errorf("%s: JMeter reads it, got %v", prop, err)
		case !ok && (!errors.As(err, &pe) || pe.Line != 1 || pe.Path != "p"):
			t.Errorf("%s: want a located error, got %v", prop, err)
		}
	}
}
