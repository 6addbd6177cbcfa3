package report

import (
	"math"
	"strings"
	"testing"

	"github.com/gometer/gometer/functions"
)

func TestParseThresholds(t *testing.T) {
	cases := []struct {
		spec, label, re, metric, op string
		value                       float64
	}{
		{"error%>1", "", "", "error%", ">", 1},
		{"error%>1.5%", "", "", "error%", ">", 1.5},
		{"p95>500ms", "", "", "p95", ">", 500},
		{"p99 >= 1.5s", "", "", "p99", ">=", 1500},
		{"avg>=200", "", "", "avg", ">=", 200},
		{"max>2m", "", "", "max", ">", 120000},
		{"throughput<100", "", "", "throughput", "<", 100},
		{"rps<100/s", "", "", "throughput", "<", 100},
		{"total:samples<10", "", "", "samples", "<", 10},
		{"median!=3", "", "", "p50", "!=", 3},
		{"p99.9>800", "", "", "p99.9", ">", 800},
		{"label:Login:p95>500ms", "Login", "", "p95", ">", 500},
		{"label:GET http://x:8080/a:error%>0", "GET http://x:8080/a", "", "error%", ">", 0},
		{"label~GET /api/.*:errors>=1", "", "^(?:GET /api/.*)$", "errors", ">=", 1},
	}
	for _, c := range cases {
		th, err := ParseThresholds([]string{c.spec})
		if err != nil {
			t.Errorf("%s: %v", c.spec, err)
			continue
		}
		x := th[0]
		re := ""
		if x.Regex != nil {
			re = x.Regex.String()
		}
		if x.Label != c.label || re != c.re || x.Metric != c.metric || x.Op != c.op || x.Value != c.value || x.Spec != c.spec {
			t.Errorf("%s: got %+v", c.spec, x)
		}
	}
	for _, bad := range []string{"p95", "foo>1", "p95>fast", "label::p95>1", "label:Login", "label~(:p95>1", "p101>1", ">5"} {
		if _, err := ParseThresholds([]string{bad}); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: want an error naming it, got %v", bad, err)
		}
	}
}

func TestEvaluateThresholds(t *testing.T) {
	st := tableStats() // A: 4×100 ms ok; "B, with\nnewline": 2×300 ms, 1 failed; TC controller
	th, err := ParseThresholds([]string{
		"error%>10",             // total 16.67% → fails
		"error%>20",             // passes
		"p95>=300ms",            // total p95 300 → fails
		"avg<100",               // 166.67 → passes
		"label:A:p95>150",       // 100 → passes
		"label:A:samples<5",     // 4 → fails
		"label:Missing:avg>1",   // never ran → fails
		"label~(?s)B.*:max>250", // the B label (its name holds a newline) → fails
		"label~Z.*:max>250",     // matches nothing → fails
		"p75>1",                 // not computed → fails with a reason
		"throughput<2",          // 1.94/s → fails
	})
	if err != nil {
		t.Fatal(err)
	}
	v := EvaluateThresholds(th, st)
	var got []string
	for _, x := range v {
		got = append(got, x.Threshold.Spec+" @ "+x.Label+" = "+formatMetric(x.Threshold.Metric, x.Actual))
	}
	want := []string{
		"error%>10 @ TOTAL = 16.67%",
		"p95>=300ms @ TOTAL = 300.00 ms",
		"label:A:samples<5 @ A = 4",
		"label:Missing:avg>1 @ Missing = -",
		"label~(?s)B.*:max>250 @ B, with\nnewline = 300.00 ms",
		"label~Z.*:max>250 @ ^(?:Z.*)$ = -",
		"p75>1 @ TOTAL = -",
		"throughput<2 @ TOTAL = 1.94/s",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("violations\n got %q\nwant %q", got, want)
	}
	if !math.IsNaN(v[3].Actual) || v[3].Reason != "no samples" {
		t.Fatalf("missing label: %+v", v[3])
	}
	var b strings.Builder
	if err := PrintViolations(&b, v); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "8 threshold(s) failed:\n") || !strings.Contains(out, `| B, with\nnewline`) || !strings.Contains(out, "| TOTAL            | error%>10             |    16.67% | error% is 16.67%") {
		t.Fatalf("printed:\n%s", out)
	}
	b.Reset()
	PrintViolations(&b, nil)
	if b.Len() != 0 {
		t.Fatalf("no violations printed %q", b.String())
	}
}

func TestThresholdsFromProps(t *testing.T) {
	p := functions.NewProperties()
	if th, err := ThresholdsFromProps(p); err != nil || th != nil {
		t.Fatal(th, err)
	}
	p.Set("gometer.fail_on", "error%>1, p95>500ms")
	th, err := ThresholdsFromProps(p)
	if err != nil || len(th) != 2 || th[1].Metric != "p95" {
		t.Fatalf("%+v %v", th, err)
	}
	p.Set("gometer.fail_on", "label:a,b:avg>1; error%>0")
	th, err = ThresholdsFromProps(p)
	if err != nil || len(th) != 2 || th[0].Label != "a,b" {
		t.Fatalf("%+v %v", th, err)
	}
	p.Set("gometer.fail_on", "error%>x")
	if _, err := ThresholdsFromProps(p); err == nil || !strings.Contains(err.Error(), "gometer.fail_on") {
		t.Fatalf("err %v", err)
	}
}
