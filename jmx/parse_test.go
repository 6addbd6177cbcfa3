package jmx

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustParse(t *testing.T, src string) *Plan {
	t.Helper()
	p, err := Parse([]byte(src), "plan.jmx")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}

func parseErr(t *testing.T, src []byte) *Error {
	t.Helper()
	p, err := Parse(src, "bad.jmx")
	if err == nil {
		t.Fatalf("Parse succeeded (%d roots), want an error", len(p.Roots))
	}
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %T %v is not a *jmx.Error", err, err)
	}
	if pe.File != "bad.jmx" || pe.Line < 1 || pe.Col < 1 {
		t.Fatalf("error lacks a position: %+v", pe)
	}
	return pe
}

const allKinds = `<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Plan" enabled="true">
      <stringProp name="TestPlan.comments">  spaced  </stringProp>
      <stringProp name="empty"></stringProp>
      <stringProp name="selfclosed"/>
      <boolProp name="TestPlan.functional_mode">false</boolProp>
      <intProp name="count">42</intProp>
      <longProp name="big">9000000000</longProp>
      <doubleProp>
        <name>throughput</name>
        <value>30.5</value>
        <savedValue>0.0</savedValue>
      </doubleProp>
      <FloatProperty>
        <name>percent</name>
        <value>10.0</value>
        <savedValue>0.0</savedValue>
      </FloatProperty>
      <elementProp name="TestPlan.user_defined_variables" elementType="Arguments" guiclass="ArgumentsPanel" testclass="Arguments" testname="User Defined Variables" enabled="true">
        <collectionProp name="Arguments.arguments">
          <elementProp name="host" elementType="Argument">
            <stringProp name="Argument.name">host</stringProp>
            <stringProp name="Argument.value">example.com</stringProp>
          </elementProp>
          <elementProp name="off" elementType="Argument" enabled="false">
            <stringProp name="Argument.name">off</stringProp>
          </elementProp>
        </collectionProp>
      </elementProp>
      <collectionProp name="nested">
        <collectionProp name="row1">
          <stringProp name="a">1</stringProp>
          <stringProp name="b">2</stringProp>
        </collectionProp>
        <collectionProp name="row2"/>
      </collectionProp>
      <mapProp name="map">
        <stringProp name="k1">v1</stringProp>
        <intProp name="k2">2</intProp>
      </mapProp>
      <objProp>
        <name>saveConfig</name>
        <value class="SampleSaveConfiguration">
          <time>true</time>
          <fieldNames>true</fieldNames>
        </value>
      </objProp>
      <stringProp name="mixed">You added X to your <a href="/cart">cart</a>.</stringProp>
    </TestPlan>
    <hashTree/>
  </hashTree>
</jmeterTestPlan>
`

func TestPropertyKinds(t *testing.T) {
	p := mustParse(t, allKinds)
	tp := p.TestPlan()
	if tp == nil {
		t.Fatal("no TestPlan")
	}
	if p.Version != "5.6.3" || tp.Name != "Plan" || tp.TestClass != "TestPlan" || tp.GUIClass != "TestPlanGui" || !tp.Enabled {
		t.Errorf("attributes: version %q, %+v", p.Version, tp)
	}
	checks := []struct {
		name  string
		kind  Kind
		value string
	}{
		{"TestPlan.comments", StringProp, "  spaced  "},
		{"empty", StringProp, ""},
		{"selfclosed", StringProp, ""},
		{"TestPlan.functional_mode", BoolProp, "false"},
		{"count", IntProp, "42"},
		{"big", LongProp, "9000000000"},
		{"throughput", DoubleProp, "30.5"},
		{"percent", FloatProp, "10.0"},
		{"mixed", StringProp, "You added X to your "},
	}
	for _, c := range checks {
		pr := tp.Prop(c.name)
		if pr == nil {
			t.Errorf("property %q missing", c.name)
			continue
		}
		if pr.Kind != c.kind || pr.Value != c.value {
			t.Errorf("property %q = %v %q, want %v %q", c.name, pr.Kind, pr.Value, c.kind, c.value)
		}
		if pr.Line < 5 {
			t.Errorf("property %q line %d", c.name, pr.Line)
		}
	}
	if tp.Int("count", 0) != 42 || tp.Int("big", 0) != 9000000000 || tp.Float("throughput", 0) != 30.5 || tp.Bool("TestPlan.functional_mode", true) {
		t.Error("typed accessors disagree with the values")
	}

	udv := tp.Elem("TestPlan.user_defined_variables")
	if udv == nil || udv.Tag != "Arguments" || udv.ElementType != "Arguments" || udv.Name != "User Defined Variables" || udv.TestClass != "Arguments" || udv.Parent != tp {
		t.Fatalf("elementProp: %+v", udv)
	}
	args := udv.Collection("Arguments.arguments")
	if len(args) != 2 {
		t.Fatalf("arguments: %d items, want 2 (a disabled elementProp is kept)", len(args))
	}
	if args[0].Kind != ElementProp || args[0].Name != "host" || args[0].Elem.Str("Argument.value") != "example.com" || args[0].Elem.Name != "host" {
		t.Errorf("argument 0: %+v %+v", args[0], args[0].Elem)
	}
	if args[1].Elem.Enabled {
		t.Error("disabled elementProp reads as enabled")
	}

	nested := tp.Collection("nested")
	if len(nested) != 2 || nested[0].Kind != CollectionProp || len(nested[0].Items) != 2 || nested[0].Items[1].Value != "2" || len(nested[1].Items) != 0 {
		t.Errorf("nested collection: %+v", nested)
	}
	m := tp.Prop("map")
	if m == nil || m.Kind != MapProp || len(m.Items) != 2 || m.Items[1].Kind != IntProp || m.Items[0].Name != "k1" {
		t.Errorf("mapProp: %+v", m)
	}
	obj := tp.Prop("saveConfig")
	if obj == nil || obj.Kind != ObjProp || !strings.Contains(obj.Value, "<fieldNames>true</fieldNames>") {
		t.Fatalf("objProp: %+v", obj)
	}
	if obj.Elem == nil || obj.Elem.Tag != "SampleSaveConfiguration" || !obj.Elem.Bool("fieldNames", false) || !obj.Elem.Bool("time", false) {
		t.Errorf("objProp element: %+v", obj.Elem)
	}
}

const treePlan = `<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3 r-free text (custom build)">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Plan" enabled="true"/>
    <hashTree>
      <ThreadGroup guiclass="ThreadGroupGui" testclass="ThreadGroup" testname="Users" enabled="true">
        <intProp name="ThreadGroup.num_threads">5</intProp>
        <stringProp name="ThreadGroup.ramp_time">${__P(ramp,2)}</stringProp>
      </ThreadGroup>
      <hashTree>
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Login" enabled="true">
          <stringProp name="HTTPSampler.path">/login</stringProp>
        </HTTPSamplerProxy>
        <hashTree>
          <ConstantTimer guiclass="ConstantTimerGui" testclass="ConstantTimer" testname="Off" enabled="false"/>
          <hashTree/>
        </hashTree>
        <GenericController guiclass="LogicControllerGui" testclass="GenericController" testname="Disabled block" enabled="false"/>
        <hashTree>
          <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Hidden" enabled="true"/>
          <hashTree/>
        </hashTree>
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Logout" enabled="true"/>
        <hashTree/>
      </hashTree>
    </hashTree>
    <WorkBench guiclass="WorkBenchGui" testclass="WorkBench" testname="WorkBench" enabled="true"/>
    <hashTree/>
  </hashTree>
</jmeterTestPlan>
`

func TestHashTreeStructureAndDisabled(t *testing.T) {
	p := mustParse(t, treePlan)
	if p.Version != "5.6.3 r-free text (custom build)" {
		t.Errorf("version %q", p.Version)
	}
	if len(p.Roots) != 2 || p.Roots[1].Tag != "WorkBench" {
		t.Fatalf("roots: %d", len(p.Roots))
	}
	tp := p.TestPlan()
	if len(tp.Children) != 1 || tp.Children[0].Tag != "ThreadGroup" {
		t.Fatalf("TestPlan children: %v", names(tp.Children))
	}
	tg := tp.Children[0]
	if got := names(tg.Children); got != "Login,Logout" {
		t.Errorf("thread group children %q, want Login,Logout (disabled subtree dropped)", got)
	}
	login := tg.Children[0]
	if len(login.Children) != 0 {
		t.Errorf("disabled timer kept: %v", names(login.Children))
	}
	if login.Parent != tg || tg.Parent != tp || tp.Parent != nil {
		t.Error("parent links wrong")
	}
	// Disabled elements are kept aside with their subtrees (Module
	// Controller targets), out of Children and Walk.
	if len(login.Disabled) != 1 || login.Disabled[0].Name != "Off" || login.Disabled[0].Enabled {
		t.Errorf("login's disabled timer: %v", names(login.Disabled))
	}
	if got := names(tg.Disabled); got != "Disabled block" {
		t.Errorf("thread group's disabled children %q", got)
	}
	if blk := tg.Disabled[0]; blk.Parent != tg || names(blk.Children) != "Hidden" || !blk.Children[0].Enabled {
		t.Errorf("disabled block subtree: %v", names(blk.Children))
	}
	if login.Path() != "Plan > Users > Login" {
		t.Errorf("path %q", login.Path())
	}
	if tg.Str("ThreadGroup.ramp_time") != "${__P(ramp,2)}" || tg.Int("ThreadGroup.num_threads", 0) != 5 {
		t.Error("thread group props")
	}
	// Positions: the ThreadGroup start tag is on line 6 at column 7.
	if tg.Line != 6 || tg.Col != 7 || tg.File != "plan.jmx" || tg.Where() != "plan.jmx:6" {
		t.Errorf("ThreadGroup at %d:%d in %q", tg.Line, tg.Col, tg.File)
	}
	if login.Line != 11 || login.Prop("HTTPSampler.path").Line != 12 {
		t.Errorf("Login at line %d, its path prop at %d", login.Line, login.Prop("HTTPSampler.path").Line)
	}
	var walked []string
	for _, r := range p.Roots {
		Walk(r, func(e *Element) bool { walked = append(walked, e.Name); return true })
	}
	if strings.Join(walked, ",") != "Plan,Users,Login,Logout,WorkBench" {
		t.Errorf("walk: %v", walked)
	}
}

func TestEnabledValues(t *testing.T) {
	p := mustParse(t, `<jmeterTestPlan><hashTree><TestPlan testname="P"/><hashTree>
		<DebugSampler testname="absent"/><DebugSampler testname="TRUE" enabled="TRUE"/>
		<DebugSampler testname="no" enabled="no"/><DebugSampler testname="empty" enabled=""/><DebugSampler testname="False" enabled="False"/>
	</hashTree></hashTree></jmeterTestPlan>`)
	if got := names(p.TestPlan().Children); got != "absent,TRUE" {
		t.Errorf("enabled children %q, want absent,TRUE", got)
	}
}

func names(es []*Element) string {
	var s []string
	for _, e := range es {
		s = append(s, e.Name)
	}
	return strings.Join(s, ",")
}

const nestedPlan = `<jmeterTestPlan version="1.2">
<hashTree>
<TestPlan testname="Nested">
  <stringProp name="TestPlan.comments">hand written</stringProp>
  <ThreadGroup testname="TG">
    <stringProp name="ThreadGroup.num_threads">2</stringProp>
    <elementProp name="ThreadGroup.main_controller" elementType="LoopController">
      <stringProp name="LoopController.loops">3</stringProp>
    </elementProp>
    <HTTPSamplerProxy testname="Get">
      <stringProp name="HTTPSampler.path">/x</stringProp>
    </HTTPSamplerProxy>
    <ConstantTimer testname="Wait"><stringProp name="ConstantTimer.delay">100</stringProp></ConstantTimer>
    <HTTPSamplerProxy testname="Skipped" enabled="false"/>
  </ThreadGroup>
  <ResultCollector testname="Log"><stringProp name="filename">out.jtl</stringProp></ResultCollector>
</TestPlan>
<hashTree>
  <ThreadGroup testname="FromTree"/>
  <hashTree/>
</hashTree>
</hashTree>
</jmeterTestPlan>`

func TestNestedForm(t *testing.T) {
	p := mustParse(t, nestedPlan)
	tp := p.TestPlan()
	if tp == nil || tp.Str("TestPlan.comments") != "hand written" {
		t.Fatal("TestPlan or its property missing")
	}
	if got := names(tp.Children); got != "TG,Log,FromTree" {
		t.Fatalf("TestPlan children %q, want TG,Log,FromTree", got)
	}
	tg := tp.Children[0]
	if got := names(tg.Children); got != "Get,Wait" {
		t.Errorf("TG children %q", got)
	}
	if tg.Int("ThreadGroup.num_threads", 0) != 2 || tg.Elem("ThreadGroup.main_controller").Int("LoopController.loops", 0) != 3 {
		t.Error("TG properties")
	}
	if lc := tg.Elem("ThreadGroup.main_controller"); lc.Class() != "LoopController" || len(tg.Children) != 2 {
		t.Error("elementProp taken as a child element")
	}
	if tg.Children[1].Str("ConstantTimer.delay") != "100" || tp.Children[1].Str("filename") != "out.jtl" {
		t.Error("nested element properties")
	}
	if tg.Children[0].Parent != tg || tg.Children[0].Line != 10 {
		t.Errorf("nested element parent/line: %d", tg.Children[0].Line)
	}

	// Without any hashTree at all.
	p = mustParse(t, `<jmeterTestPlan><TestPlan testname="P"><ThreadGroup testname="T"><DebugSampler testname="D"/></ThreadGroup></TestPlan></jmeterTestPlan>`)
	if tp := p.TestPlan(); tp == nil || len(tp.Children) != 1 || names(tp.Children[0].Children) != "D" {
		t.Errorf("bare nested form: %+v", p.Roots)
	}
}

func TestIllegalCharacterReferences(t *testing.T) {
	src := "<?xml version=\"1.0\"?>\n<jmeterTestPlan>\n<hashTree>\n<TestPlan testname=\"a&#x0;b\">\n" +
		"<stringProp name=\"body\">&#x1f;&#x8;&#0;x&#xD800;&#x41;&#xFFFF;\x01&amp;</stringProp>\n" +
		"<stringProp name=\"cdata\"><![CDATA[&#x0; stays]]></stringProp>\n" +
		"<!-- &#x0; in a comment -->\n" +
		"<stringProp name=\"bad-utf8\">caf\xe9</stringProp>\n" +
		"</TestPlan>\n</hashTree>\n</jmeterTestPlan>\n"
	p := mustParse(t, src)
	tp := p.TestPlan()
	if tp.Name != "a\x00b" {
		t.Errorf("name %q", tp.Name)
	}
	if got, want := tp.Str("body"), "\x1f\x08\x00x\uFFFDA\uFFFD\x01&"; got != want {
		t.Errorf("body %q, want %q", got, want)
	}
	if got := tp.Str("cdata"); got != "&#x0; stays" {
		t.Errorf("cdata %q", got)
	}
	if got := tp.Str("bad-utf8"); got != "caf\uFFFD" {
		t.Errorf("invalid UTF-8 %q", got)
	}
	if tp.Line != 4 || tp.Prop("bad-utf8").Line != 8 {
		t.Errorf("lines moved: %d %d", tp.Line, tp.Prop("bad-utf8").Line)
	}
}

func TestEncodings(t *testing.T) {
	latin := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<jmeterTestPlan><hashTree><TestPlan testname=\"Caf\xe9\"/></hashTree></jmeterTestPlan>"
	if p := mustParse(t, latin); p.TestPlan().Name != "Café" {
		t.Errorf("latin-1 name %q", p.TestPlan().Name)
	}
	bom := "\xEF\xBB\xBF<?xml version=\"1.0\"?><jmeterTestPlan><hashTree><TestPlan testname=\"B\"/></hashTree></jmeterTestPlan>"
	if p := mustParse(t, bom); p.TestPlan().Name != "B" || p.TestPlan().Col != 48 {
		t.Errorf("BOM plan: %+v", p.TestPlan())
	}
	// UTF-16LE with BOM.
	s := "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<jmeterTestPlan><hashTree><TestPlan testname=\"W\u00e9\"/></hashTree></jmeterTestPlan>"
	u := []byte{0xFF, 0xFE}
	for _, r := range s {
		u = append(u, byte(r), byte(r>>8))
	}
	if p, err := Parse(u, "u16.jmx"); err != nil || p.TestPlan().Name != "Wé" || p.TestPlan().Line != 2 {
		t.Errorf("UTF-16 plan: %v", err)
	}
}

func TestJunkAfterRoot(t *testing.T) {
	for _, junk := range []string{"\ngarbage text", "\n</hashTree>\n", "<another/><x>", "\x00\x01 binary tail", "<!-- c -->"} {
		src := `<jmeterTestPlan><hashTree><TestPlan testname="P"/><hashTree/></hashTree></jmeterTestPlan>` + junk
		p, err := Parse([]byte(src), "j.jmx")
		if junk[0] == 0 {
			// A NUL byte anywhere marks a binary file.
			if err == nil {
				t.Errorf("NUL after the root accepted")
			}
			continue
		}
		if err != nil || p.TestPlan() == nil {
			t.Errorf("junk %q: %v", junk, err)
		}
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		{"empty", "", 1, 1, "empty file"},
		{"blank", "  \n\n ", 1, 1, "empty file"},
		{"binary", "PK\x03\x04\x00\x00abc", 1, 5, "binary"},
		{"text", "hello world\n", 1, 1, "not an XML"},
		{"wrong root", "<?xml version=\"1.0\"?>\n\n  <testResults version=\"1.2\"></testResults>", 3, 3, "root element is <testResults>"},
		{"truncated", "<jmeterTestPlan>\n<hashTree>\n  <TestPlan testname=\"P\">\n    <stringProp name=\"a\">x</stri", 4, 0, "end of file"},
		{"truncated at tag end", "<jmeterTestPlan>\n<hashTree>\n  <TestPlan testname=\"P\">\n", 4, 0, "<TestPlan> opened at line 3 column 3 is not closed"},
		{"mismatch", "<jmeterTestPlan>\n<hashTree>\n  <TestPlan testname=\"P\">\n  </hashTree>", 4, 3, "</hashTree> closes <TestPlan> opened at line 3 column 3"},
		{"bad entity", "<jmeterTestPlan>\n <hashTree>\n  <TestPlan testname=\"a&nbsp;b\"/>", 3, 0, "malformed XML"},
		{"bad attr", "<jmeterTestPlan>\n <hashTree x=>", 2, 0, "malformed XML"},
		{"only comment", "<!-- nothing -->", 1, 0, "no XML element"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := parseErr(t, []byte(c.src))
			if e.Line != c.line || (c.col != 0 && e.Col != c.col) || !strings.Contains(e.Msg, c.msg) {
				t.Errorf("got %d:%d %q, want %d:%d containing %q", e.Line, e.Col, e.Msg, c.line, c.col, c.msg)
			}
			if !strings.HasPrefix(e.Error(), "bad.jmx:") {
				t.Errorf("Error() = %q", e.Error())
			}
		})
	}
	e := parseErr(t, []byte("<jmeterTestPlan>\n<hashTree>\n<TestPlan testname=\"P\">\n<ThreadGroup testname=\"Users\">\n<stringProp name=\"x\">1</boolProp>"))
	if e.Path != "P > Users" || e.Error() != "bad.jmx:5:"+itoa(e.Col)+": P > Users: "+e.Msg {
		t.Errorf("path in error: %q (%q)", e.Path, e.Error())
	}
	deep := "<jmeterTestPlan>" + strings.Repeat("<a>", 1100)
	if e := parseErr(t, []byte(deep)); !strings.Contains(e.Msg, "nested more than") {
		t.Errorf("deep nesting: %v", e)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func TestErrorFormat(t *testing.T) {
	e := &Error{File: "plan.jmx", Line: 12, Col: 5, Msg: "boom"}
	if e.Error() != "plan.jmx:12:5: boom" {
		t.Errorf("%q", e.Error())
	}
	e = &Error{File: "plan.jmx", Line: 3, Path: "A > B", Msg: "boom"}
	if e.Error() != "plan.jmx:3: A > B: boom" {
		t.Errorf("%q", e.Error())
	}
}

func TestParseFile(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "p.jmx")
	if err := os.WriteFile(f, []byte(treePlan), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := ParseFile(f)
	if err != nil || p.File != f || p.TestPlan().File != f {
		t.Fatalf("ParseFile: %v", err)
	}
	if _, err := ParseFile(filepath.Join(dir, "missing.jmx")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestFastAndStrictPathsAgree(t *testing.T) {
	inputs := []string{
		allKinds, treePlan, nestedPlan,
		`<?xml version="1.0"?><!DOCTYPE jmeterTestPlan><jmeterTestPlan><hashTree><TestPlan testname="a > b" x='no>'/></hashTree></jmeterTestPlan>`,
		"<jmeterTestPlan>\n<!-- <TestPlan testname=\"commented\"/> -->\n<hashTree><TestPlan testname=\"P\"><stringProp name=\"s\"><![CDATA[<ThreadGroup/> ]]></stringProp></TestPlan></hashTree></jmeterTestPlan>\n<junk><<<",
		"<?xml version=\"1.0\"?>\n<?pi <TestPlan/> ?>\n<jmeterTestPlan jmeter=\"x\"/>",
		"<jmeterTestPlan>\r\n  <hashTree>\r\n\t<TestPlan\r\n testname=\"multi-line tag\"\r\n/>\r\n</hashTree></jmeterTestPlan>",
	}
	for i, in := range inputs {
		fast, err1 := Parse([]byte(in), "p.jmx")
		strict, err2 := parse([]byte(in), "p.jmx", true)
		if err1 != nil || err2 != nil {
			t.Errorf("input %d: %v / %v", i, err1, err2)
			continue
		}
		if a, b := dump(fast), dump(strict); a != b || a == "" {
			t.Errorf("input %d differs:\n%s\n---\n%s", i, a, b)
		}
	}
	p := mustParse(t, inputs[3])
	if p.TestPlan() == nil || p.TestPlan().Name != "a > b" || p.TestPlan().Col != 73 {
		t.Errorf("quoted '>' in an attribute: %+v", p.TestPlan())
	}
	p = mustParse(t, inputs[4])
	if p.TestPlan().Name != "P" || p.TestPlan().Line != 3 || p.TestPlan().Str("s") != "<ThreadGroup/> " || len(p.TestPlan().Children) != 0 {
		t.Errorf("comment/CDATA: %+v", p.TestPlan())
	}
	if p := mustParse(t, inputs[6]); p.TestPlan().Line != 3 || p.TestPlan().Col != 2 {
		t.Errorf("CRLF positions: %d:%d", p.TestPlan().Line, p.TestPlan().Col)
	}
}

// A property written twice in one element: JMeter's loader puts both into
// the element's property map, so the last value wins (the order of the
// properties is the first occurrence's).
func TestDuplicatePropertyLastWins(t *testing.T) {
	p := mustParse(t, `<jmeterTestPlan><hashTree><TestPlan testname="P"/><hashTree>
		<HTTPSamplerProxy testname="mp">
		  <boolProp name="HTTPSampler.DO_MULTIPART_POST">false</boolProp>
		  <stringProp name="HTTPSampler.path">/echo</stringProp>
		  <boolProp name="HTTPSampler.DO_MULTIPART_POST">true</boolProp>
		  <elementProp name="HTTPsampler.Arguments" elementType="Arguments">
		    <stringProp name="x">1</stringProp><stringProp name="x">2</stringProp>
		  </elementProp>
		</HTTPSamplerProxy><hashTree/>
	</hashTree></hashTree></jmeterTestPlan>`)
	s := p.TestPlan().Children[0]
	if !s.Bool("HTTPSampler.DO_MULTIPART_POST", false) {
		t.Errorf("DO_MULTIPART_POST = false, want the last value true")
	}
	if len(s.Props) != 3 || s.Props[0].Name != "HTTPSampler.DO_MULTIPART_POST" {
		t.Errorf("props %d, first %q: want 3 with the duplicate at its first place", len(s.Props), s.Props[0].Name)
	}
	if got := s.Elem("HTTPsampler.Arguments").Str("x"); got != "2" {
		t.Errorf("nested duplicate x = %q, want 2", got)
	}
}
