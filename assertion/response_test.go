package assertion

import (
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/sample"
)

const page = `<html><head><title>Dashboard</title></head><body><h1>Welcome back, Ann</h1><p>You have 3 orders.</p></body></html>`

func baseSample() *sample.Result {
	return &sample.Result{
		Body:            []byte(page),
		ResponseCode:    "200",
		ResponseMessage: "OK",
		ResponseHeaders: "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Trace: abc\r\n",
		RequestHeaders:  "Accept: text/html\nCookie: sid=77\n",
		SamplerData:     "POST https://shop.example/login\n\nuser=ann&pass=secret",
		URL:             "https://shop.example/dashboard?tab=orders",
		Success:         true,
		Elapsed:         1234 * time.Millisecond,
		Bytes:           2048,
	}
}

func TestResponseAssertionMessages(t *testing.T) {
	cases := []struct {
		name     string
		field    string
		testType string
		pats     []string
		extra    []string
		mutate   func(*sample.Result)
		vars     map[string]string
		wantFail bool
		wantErr  bool
		wantMsg  string
	}{
		{name: "contains passes", field: "Assertion.response_data", testType: "2", pats: []string{`Welcome back, \w+`, "orders"}},
		{name: "contains fails at the first failing pattern", field: "Assertion.response_data", testType: "2",
			pats: []string{"Dashboard", "Welcome home", "never"}, wantFail: true,
			wantMsg: "Test failed: text expected to contain /Welcome home/"},
		{name: "not contains", field: "Assertion.response_data", testType: "6", pats: []string{"Exception|error"}},
		{name: "not contains fails", field: "Assertion.response_data", testType: "6", pats: []string{"orders?"}, wantFail: true,
			wantMsg: "Test failed: text expected not to contain /orders?/"},
		{name: "matches whole code", field: "Assertion.response_code", testType: "1", pats: []string{`2\d\d`}},
		{name: "matches is anchored", field: "Assertion.response_code", testType: "1", pats: []string{`20`}, wantFail: true,
			wantMsg: "Test failed: code expected to match /20/"},
		{name: "not matches", field: "Assertion.response_code", testType: "5", pats: []string{`[45]\d\d`}},
		{name: "not matches fails", field: "Assertion.response_code", testType: "5", pats: []string{`\d+`}, wantFail: true,
			wantMsg: "Test failed: code expected not to match /\\d+/"},
		{name: "equals message", field: "Assertion.response_message", testType: "8", pats: []string{"OK"}},
		{name: "equals diff", field: "Assertion.response_message", testType: "8", pats: []string{"Created"}, wantFail: true,
			wantMsg: "Test failed: message expected to equal /\n\n****** received  : [[[OK     ]]]\n\n****** comparison: [[[Created]]]\n\n/"},
		{name: "equals diff with common start and end", field: "Assertion.response_message", testType: "8", pats: []string{"Hello Word"},
			mutate: func(r *sample.Result) { r.ResponseMessage = "Hello World" }, wantFail: true,
			wantMsg: "Test failed: message expected to equal /\n\n****** received  : Hello Wor[[[ld]]]\n\n****** comparison: Hello Wor[[[d ]]]\n\n/"},
		{name: "equals diff keeps the common end", field: "Assertion.response_message", testType: "8", pats: []string{"abcQdef"},
			mutate: func(r *sample.Result) { r.ResponseMessage = "abcXYZdef" }, wantFail: true,
			wantMsg: "Test failed: message expected to equal /\n\n****** received  : abc[[[XYZ]]]def\n\n****** comparison: abc[[[Q  ]]]def\n\n/"},
		{name: "equals diff truncates long sections", field: "Assertion.response_message", testType: "8", pats: []string{strings.Repeat("a", 120) + "X"},
			mutate: func(r *sample.Result) { r.ResponseMessage = strings.Repeat("a", 120) + "Y" }, wantFail: true,
			wantMsg: "Test failed: message expected to equal /\n\n****** received  : ..." + strings.Repeat("a", 100) + "[[[Y]]]\n\n****** comparison: ..." + strings.Repeat("a", 100) + "[[[X]]]\n\n/"},
		{name: "not equals fails", field: "Assertion.response_message", testType: "12", pats: []string{"OK"}, wantFail: true,
			wantMsg: "Test failed: message expected not to equal /\n\n****** received  : OK[[[]]]\n\n****** comparison: OK[[[]]]\n\n/"},
		{name: "substring is not a regex", field: "Assertion.response_data", testType: "16", pats: []string{"3 orders."}},
		{name: "substring fails", field: "Assertion.response_data", testType: "16", pats: []string{"(orders)"}, wantFail: true,
			wantMsg: "Test failed: text expected to contain /(orders)/"},
		{name: "not substring fails", field: "Assertion.response_data", testType: "20", pats: []string{"Ann"}, wantFail: true,
			wantMsg: "Test failed: text expected not to contain /Ann/"},
		{name: "or passes when one holds", field: "Assertion.response_data", testType: "34", pats: []string{"Alpha", "Dashboard"}},
		{name: "or fails with every message", field: "Assertion.response_data", testType: "34", pats: []string{"Alpha", "Beta"}, wantFail: true,
			wantMsg: "Test failed: text expected something using /Alpha/\tTest failed: text expected something using /Beta/\t"},
		{name: "URL (sample_label)", field: "Assertion.sample_label", testType: "2", pats: []string{"tab=invoices"}, wantFail: true,
			wantMsg: "Test failed: URL expected to contain /tab=invoices/"},
		{name: "response headers", field: "Assertion.response_headers", testType: "2", pats: []string{"X-Trace: xyz"}, wantFail: true,
			wantMsg: "Test failed: headers expected to contain /X-Trace: xyz/"},
		{name: "request headers", field: "Assertion.request_headers", testType: "6", pats: []string{"Cookie"}, wantFail: true,
			wantMsg: "Test failed: request headers expected not to contain /Cookie/"},
		{name: "request data", field: "Assertion.request_data", testType: "2", pats: []string{"user=bob"}, wantFail: true,
			wantMsg: "Test failed: request data expected to contain /user=bob/"},
		{name: "document text", field: "Assertion.response_data_as_document", testType: "2", pats: []string{"<h1>"}, wantFail: true,
			wantMsg: "Test failed: document expected to contain /<h1>/"},
		{name: "document text passes", field: "Assertion.response_data_as_document", testType: "2", pats: []string{"Welcome back, Ann"}},
		{name: "empty field", field: "Assertion.response_data", testType: "2", pats: []string{"x"}, wantFail: true, wantMsg: "Response was null",
			mutate: func(r *sample.Result) { r.Body = nil }},
		{name: "empty field with NOT passes", field: "Assertion.response_data", testType: "6", pats: []string{"x"},
			mutate: func(r *sample.Result) { r.Body = nil }},
		{name: "custom message", field: "Assertion.response_code", testType: "8", pats: []string{"201"},
			extra: []string{"Assertion.custom_message", "expected 201 for ${user}"}, vars: map[string]string{"user": "ann"},
			wantFail: true, wantMsg: "expected 201 for ann"},
		{name: "pattern from a variable", field: "Assertion.response_data", testType: "2", pats: []string{"Welcome back, ${user}"},
			vars: map[string]string{"user": "Bob"}, wantFail: true, wantMsg: "Test failed: text expected to contain /Welcome back, Bob/"},
		{name: "variable scope", field: "Assertion.response_data", testType: "2", pats: []string{"^tok-"},
			extra: []string{"Assertion.scope", "variable", "Scope.variable", "token"}, vars: map[string]string{"token": "abc"},
			wantFail: true, wantMsg: "Test failed: variable(token) expected to contain /^tok-/"},
		{name: "dollar anchors before a final newline as in Perl", field: "Assertion.response_data", testType: "1", pats: []string{`line$`},
			mutate: func(r *sample.Result) { r.Body = []byte("one line\n") }, wantFail: true,
			wantMsg: "Test failed: text expected to match /line$/"},
		{name: "dollar before final newline contains", field: "Assertion.response_data", testType: "2", pats: []string{`line$`},
			mutate: func(r *sample.Result) { r.Body = []byte("one line\n") }},
		{name: "default test type is contains, default field is URL", pats: []string{"shop"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kv := append([]string{}, tc.extra...)
			if tc.field != "" {
				kv = append(kv, "Assertion.test_field", tc.field)
			}
			extra := patterns(tc.pats...)
			if tc.testType != "" {
				extra += `<intProp name="Assertion.test_type">` + tc.testType + `</intProp>`
			}
			a := build(t, "ResponseAssertion", extra, kv...)
			c := newCtx(1)
			for k, v := range tc.vars {
				c.Vars.Put(k, v)
			}
			r := baseSample()
			if tc.mutate != nil {
				tc.mutate(r)
			}
			Apply(a, c, r)
			if len(r.Assertions) != 1 {
				t.Fatalf("got %d assertion results", len(r.Assertions))
			}
			got := r.Assertions[0]
			if got.Name != "check" {
				t.Errorf("name %q", got.Name)
			}
			if got.Failure != tc.wantFail || got.Error != tc.wantErr {
				t.Fatalf("failure=%v error=%v (%q), want failure=%v error=%v", got.Failure, got.Error, got.FailureMessage, tc.wantFail, tc.wantErr)
			}
			if tc.wantFail && got.FailureMessage != tc.wantMsg {
				t.Errorf("message\n got %q\nwant %q", got.FailureMessage, tc.wantMsg)
			}
			if r.Success == tc.wantFail {
				t.Errorf("sample success = %v after a failure=%v", r.Success, tc.wantFail)
			}
			if tc.wantFail && r.FailureMessage() != tc.wantMsg {
				t.Errorf("JTL failureMessage %q", r.FailureMessage())
			}
		})
	}
}

func TestResponseAssertionAssumeSuccess(t *testing.T) {
	notFound := func() *sample.Result {
		r := baseSample()
		r.ResponseCode, r.ResponseMessage, r.Success = "404", "Not Found", false
		return r
	}
	expect404 := patterns("404")
	// without "ignore status" a passing check leaves the failed sample failed
	a := build(t, "ResponseAssertion", expect404+`<intProp name="Assertion.test_type">8</intProp>`, "Assertion.test_field", "Assertion.response_code")
	r := notFound()
	Apply(a, newCtx(1), r)
	if r.Success || r.Assertions[0].Failure {
		t.Fatalf("404 without assume_success: success=%v, assertion failure=%v", r.Success, r.Assertions[0].Failure)
	}
	// with it, the sample counts as successful
	b := build(t, "ResponseAssertion", expect404+`<intProp name="Assertion.test_type">8</intProp><boolProp name="Assertion.assume_success">true</boolProp>`,
		"Assertion.test_field", "Assertion.response_code")
	r = notFound()
	Apply(b, newCtx(1), r)
	if !r.Success || r.FailureMessage() != "" {
		t.Fatalf("404 with assume_success: success=%v message=%q", r.Success, r.FailureMessage())
	}
	// and a failing check still fails it
	cc := build(t, "ResponseAssertion", patterns("500")+`<boolProp name="Assertion.assume_success">true</boolProp>`, "Assertion.test_field", "Assertion.response_code")
	r = notFound()
	Apply(cc, newCtx(1), r)
	if r.Success || r.FailureMessage() != "Test failed: code expected to contain /500/" {
		t.Fatalf("assume_success then failing: success=%v message=%q", r.Success, r.FailureMessage())
	}
}

func TestApplyScope(t *testing.T) {
	tree := func() *sample.Result {
		p := baseSample()
		p.Body = []byte("parent ok")
		good := baseSample()
		good.Body = []byte("child ok")
		bad := baseSample()
		bad.Body = []byte("child broken")
		deep := baseSample()
		deep.Body = []byte("grandchild broken")
		good.Subs = []*sample.Result{deep}
		p.Subs = []*sample.Result{good, bad}
		return p
	}
	kv := func(scope string) []string {
		kv := []string{"Assertion.test_field", "Assertion.response_data"}
		if scope != "" {
			kv = append(kv, "Assertion.scope", scope)
		}
		return kv
	}
	okPat := patterns("ok$")

	t.Run("parent only", func(t *testing.T) {
		r := tree()
		Apply(build(t, "ResponseAssertion", okPat, kv("")...), newCtx(1), r)
		if !r.Success || len(r.Assertions) != 1 || len(r.Subs[1].Assertions) != 0 {
			t.Fatalf("parent scope judged sub-samples: %+v", r.Subs[1].Assertions)
		}
	})
	t.Run("children", func(t *testing.T) {
		r := tree()
		Apply(build(t, "ResponseAssertion", okPat, kv("children")...), newCtx(1), r)
		good, bad, deep := r.Subs[0], r.Subs[1], r.Subs[0].Subs[0]
		if bad.Success || bad.FailureMessage() != "Test failed: text expected to contain /ok$/" {
			t.Errorf("bad child: success=%v msg=%q", bad.Success, bad.FailureMessage())
		}
		if deep.Success || good.Success {
			t.Errorf("grandchild failure should fail its parent too: deep=%v good=%v", deep.Success, good.Success)
		}
		if len(good.Assertions) != 2 || good.Assertions[1].FailureMessage != SubSamplesFailed {
			t.Errorf("child with failed grandchild: %+v", good.Assertions)
		}
		if r.Success || len(r.Assertions) != 1 || r.Assertions[0].FailureMessage != SubSamplesFailed || r.Assertions[0].Name != "check" {
			t.Errorf("parent: success=%v %+v", r.Success, r.Assertions)
		}
	})
	t.Run("all", func(t *testing.T) {
		r := tree()
		Apply(build(t, "ResponseAssertion", okPat, kv("all")...), newCtx(1), r)
		if r.Success || len(r.Assertions) != 2 || r.Assertions[0].Failure || r.Assertions[1].FailureMessage != SubSamplesFailed {
			t.Errorf("all: parent %+v", r.Assertions)
		}
		if r.FailureMessage() != SubSamplesFailed {
			t.Errorf("JTL message %q", r.FailureMessage())
		}
	})
	t.Run("parent already failed gets no extra message", func(t *testing.T) {
		r := tree()
		r.Body = []byte("parent broken")
		Apply(build(t, "ResponseAssertion", okPat, kv("all")...), newCtx(1), r)
		if len(r.Assertions) != 1 || r.FailureMessage() != "Test failed: text expected to contain /ok$/" {
			t.Errorf("parent: %+v", r.Assertions)
		}
	})
}

func TestResponseAssertionBadPattern(t *testing.T) {
	el := jmxtest.Element(t, `<ResponseAssertion guiclass="AssertionGui" testclass="ResponseAssertion" testname="Check body">`+
		patterns("price: ($")+`<intProp name="Assertion.test_type">2</intProp></ResponseAssertion>`)
	_, err := New(el)
	if err == nil || !strings.Contains(err.Error(), "Plan > Check body") || !strings.Contains(err.Error(), "test.jmx:") {
		t.Fatalf("error %v should name the element", err)
	}
	// equals and substring patterns are not regular expressions
	if _, err := New(jmxtest.Element(t, `<ResponseAssertion testclass="ResponseAssertion" testname="x">`+
		patterns("price: ($")+`<intProp name="Assertion.test_type">16</intProp></ResponseAssertion>`)); err != nil {
		t.Fatalf("substring pattern rejected: %v", err)
	}
	// a pattern known only at run time that is not valid is an assertion error
	a := build(t, "ResponseAssertion", patterns("${p}"), "Assertion.test_field", "Assertion.response_data")
	c := newCtx(1)
	c.Vars.Put("p", "(unclosed")
	r := baseSample()
	Apply(a, c, r)
	if !r.Assertions[0].Error || !strings.HasPrefix(r.FailureMessage(), "Bad test configuration ") || r.Success {
		t.Fatalf("got %+v", r.Assertions[0])
	}
}

func TestDurationAndSize(t *testing.T) {
	r := baseSample()
	Apply(build(t, "DurationAssertion", "", "DurationAssertion.duration", "1000"), newCtx(1), r)
	want := "The operation lasted too long: It took 1,234 milliseconds, but should not have lasted longer than 1,000 milliseconds."
	if r.Success || r.FailureMessage() != want {
		t.Fatalf("duration: %q", r.FailureMessage())
	}
	r = baseSample()
	Apply(build(t, "DurationAssertion", "", "DurationAssertion.duration", "1500"), newCtx(1), r)
	Apply(build(t, "DurationAssertion", "", "DurationAssertion.duration", "0"), newCtx(1), r)
	if !r.Success || len(r.Assertions) != 2 {
		t.Fatalf("duration within limit failed: %+v", r.Assertions)
	}

	// JMeter's header size: the text plus a "\r" per line (3 lines) and the
	// closing blank line
	headersLen := int64(len(baseSample().ResponseHeaders)) + 3 + 2
	cases := []struct {
		field, op, size string
		want            string
	}{
		{"", "4", "1024", "The result was the wrong size: It was 2,048 bytes, but should have been less than 1,024 bytes."},
		{"SizeAssertion.response_network_size", "1", "2048", ""},
		{"SizeAssertion.response_network_size", "2", "2048", "The result was the wrong size: It was 2,048 bytes, but should have not been equal to 2,048 bytes."},
		{"SizeAssertion.response_network_size", "3", "4096", "The result was the wrong size: It was 2,048 bytes, but should have been greater than 4,096 bytes."},
		{"SizeAssertion.response_network_size", "5", "2049", "The result was the wrong size: It was 2,048 bytes, but should have been greater or equal to 2,049 bytes."},
		{"SizeAssertion.response_network_size", "6", "2047", "The result was the wrong size: It was 2,048 bytes, but should have been less than or equal to 2,047 bytes."},
		{"SizeAssertion.response_network_size", "1", "10", "The result was the wrong size: It was 2,048 bytes, but should have been equal to 10 bytes."},
		{"SizeAssertion.response_headers", "1", "0", "The result was the wrong size: It was " + group(headersLen) + " bytes, but should have been equal to 0 bytes."},
		{"SizeAssertion.response_data", "1", "0", "The result was the wrong size: It was " + group(2048-headersLen) + " bytes, but should have been equal to 0 bytes."},
		{"SizeAssertion.response_code", "1", "3", ""},
		{"SizeAssertion.response_message", "4", "2", "The result was the wrong size: It was 2 bytes, but should have been less than 2 bytes."},
		{"SizeAssertion.response_code", "9", "3", "The result was the wrong size: It was 3 bytes, but should have ERROR - invalid condition 3 bytes."},
	}
	for _, tc := range cases {
		kv := []string{"SizeAssertion.size", tc.size, "SizeAssertion.operator", tc.op}
		if tc.field != "" {
			kv = append(kv, "Assertion.test_field", tc.field)
		}
		r := baseSample()
		Apply(build(t, "SizeAssertion", "", kv...), newCtx(1), r)
		if got := r.FailureMessage(); got != tc.want || r.Success != (tc.want == "") {
			t.Errorf("size %s %s %s: got %q success=%v\nwant %q", tc.field, tc.op, tc.size, got, r.Success, tc.want)
		}
	}
	// variable scope parses the variable as the size
	c := newCtx(1)
	c.Vars.Put("n", "12")
	r = baseSample()
	Apply(build(t, "SizeAssertion", "", "Assertion.scope", "variable", "Scope.variable", "n", "SizeAssertion.size", "10", "SizeAssertion.operator", "3"), c, r)
	if !r.Success {
		t.Errorf("variable size 12 > 10 failed: %q", r.FailureMessage())
	}
	c.Vars.Put("n", "twelve")
	r = baseSample()
	Apply(build(t, "SizeAssertion", "", "Assertion.scope", "variable", "Scope.variable", "n", "SizeAssertion.size", "10", "SizeAssertion.operator", "3"), c, r)
	if r.FailureMessage() != "Error parsing variable name: n value: twelve" {
		t.Errorf("variable not a number: %q", r.FailureMessage())
	}
	c.Vars.Put("lim", "ten")
	r = baseSample()
	Apply(build(t, "SizeAssertion", "", "SizeAssertion.size", "${lim}", "SizeAssertion.operator", "3"), c, r)
	if a := r.Assertions[0]; !a.Error || a.Name != "Assertion failed! See log file." || a.FailureMessage != `java.lang.NumberFormatException: For input string: "ten"` {
		t.Errorf("size not a number: %+v", a)
	}
	if group(1234567) != "1,234,567" || group(999) != "999" || group(-1000) != "-1,000" {
		t.Errorf("group: %s %s %s", group(1234567), group(999), group(-1000))
	}
}

type panicky struct{}

func (panicky) Assert(*functions.Context, *sample.Result) sample.AssertionResult { panic("boom") }

func TestApplyRecoversFromPanic(t *testing.T) {
	r := baseSample()
	Apply(panicky{}, newCtx(1), r)
	if r.Success || len(r.Assertions) != 1 || !r.Assertions[0].Error || r.Assertions[0].Name != "Assertion failed! See log file." || r.FailureMessage() != "boom" {
		t.Fatalf("%+v", r.Assertions)
	}
}

// Failure messages must not share memory with the body.
func TestMessageOutlivesTheBody(t *testing.T) {
	a := build(t, "ResponseAssertion", patterns("hello world")+`<intProp name="Assertion.test_type">8</intProp>`, "Assertion.test_field", "Assertion.response_data")
	r := baseSample()
	r.Body = []byte("hello there")
	Apply(a, newCtx(1), r)
	before := r.FailureMessage()
	for i := range r.Body {
		r.Body[i] = '#'
	}
	if r.FailureMessage() != before || !strings.Contains(before, "hello [[[there]]]") {
		t.Fatalf("message changed with the body: %q -> %q", before, r.FailureMessage())
	}
}
