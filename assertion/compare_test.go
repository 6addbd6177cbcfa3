package assertion

import (
	"testing"
	"time"

	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/sample"
)

func skips(pairs ...string) string {
	s := `<collectionProp name="stringsToSkip">`
	for i := 0; i+1 < len(pairs); i += 2 {
		s += `<elementProp name="" elementType="SubstitutionElement"><stringProp name="regex">` + pairs[i] +
			`</stringProp><stringProp name="substitute">` + pairs[i+1] + `</stringProp></elementProp>`
	}
	return s + `</collectionProp>`
}

func judgeAll(a Assertion, bodies []string, ms []int64) []string {
	c := newCtx(1)
	a.(IterationListener).IterationStart(c)
	var out []string
	for i, b := range bodies {
		r := &sample.Result{Success: true, Body: []byte(b)}
		if ms != nil {
			r.Elapsed = time.Duration(ms[i]) * time.Millisecond
		}
		ar := a.Assert(c, r)
		out = append(out, ar.FailureMessage)
	}
	return out
}

func TestCompareAssertionContent(t *testing.T) {
	a := build(t, "CompareAssertion", skips(`id=\d+`, `id=$0`), "compareContent", "true", "compareTime", "-1")
	got := judgeAll(a, []string{"a id=1", "a id=22", "b id=3", "a id=4"}, nil)
	want := []string{"", "", compareContentDiffers, compareContentDiffers}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sample %d: %q, want %q (all: %q)", i+1, got[i], want[i], got)
		}
	}
	// The substitute is literal text ("$0" is not a group reference).
	if s := a.(*compareAssertion).filter("id=7 id=8"); s != "id=$0 id=$0" {
		t.Fatalf("filter: %q", s)
	}
}

func TestCompareAssertionTime(t *testing.T) {
	a := build(t, "CompareAssertion", "", "compareContent", "false", "compareTime", "${limit}")
	c := newCtx(1)
	c.Vars.Put("limit", "50")
	a.(IterationListener).IterationStart(c)
	var msgs []string
	for _, ms := range []int64{10, 40, 100, 100} {
		ar := a.Assert(c, &sample.Result{Success: true, Body: []byte("x"), Elapsed: time.Duration(ms) * time.Millisecond})
		msgs = append(msgs, ar.FailureMessage)
	}
	if msgs[1] != "" || msgs[2] != "Responses differ in response time by more than50 ms" || msgs[3] != msgs[2] {
		t.Fatalf("%q", msgs)
	}
	// A new iteration forgets the samples of the last one.
	a.(IterationListener).IterationStart(c)
	if ar := a.Assert(c, &sample.Result{Success: true, Body: []byte("y"), Elapsed: time.Second}); ar.Failure {
		t.Fatalf("first sample of an iteration: %+v", ar)
	}
}

func TestCompareAssertionBadRegexIsLocated(t *testing.T) {
	el := `<CompareAssertion testclass="CompareAssertion" testname="c">` + skips(`(unclosed`, ``) + `</CompareAssertion>`
	if _, err := New(jmxtest.Element(t, el)); err == nil {
		t.Fatal("a bad regex compiled")
	}
}
