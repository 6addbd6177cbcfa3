package assertion

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gometer/gometer/sample"
)

const brokenPage = `<html><head><title>t</title></head><body><p>a<b>b</p><section>s</section></body></html>`

func TestHTMLAssertionThresholds(t *testing.T) {
	cases := []struct {
		kv   []string
		want string
	}{
		{[]string{"html_assertion_error_threshold", "0", "html_assertion_warning_threshold", "0"},
			"Tidy Parser errors: 1 (allowed 0) Tidy Parser warnings: 5 (allowed 0)"},
		{[]string{"html_assertion_error_threshold", "1", "html_assertion_warning_threshold", "5"}, ""},
		{[]string{"html_assertion_error_threshold", "1", "html_assertion_warning_threshold", "0", "html_assertion_errorsonly", "true"}, ""},
		{[]string{"html_assertion_error_threshold", "x", "html_assertion_warning_threshold", "1500", "html_assertion_errorsonly", "true"},
			"Tidy Parser errors: 1 (allowed 0) Tidy Parser warnings: 5 (allowed 1,500)"},
		{[]string{"html_assertion_error_threshold", "0", "html_assertion_warning_threshold", "0", "html_assertion_format", "2"},
			"Tidy Parser errors: 3 (allowed 0) Tidy Parser warnings: 0 (allowed 0)"},
	}
	for _, c := range cases {
		a := build(t, "HTMLAssertion", "", c.kv...)
		r := &sample.Result{Success: true, Body: []byte(brokenPage)}
		ar := a.Assert(newCtx(1), r)
		if ar.Failure != (c.want != "") || ar.FailureMessage != c.want {
			t.Errorf("%v: failure %v %q, want %q", c.kv, ar.Failure, ar.FailureMessage, c.want)
		}
	}
}

func TestHTMLAssertionEmptyResponse(t *testing.T) {
	a := build(t, "HTMLAssertion", "")
	ar := a.Assert(newCtx(1), &sample.Result{Success: true})
	if !ar.Failure || ar.FailureMessage != ResponseWasNull {
		t.Fatalf("got %+v", ar)
	}
}

func TestHTMLAssertionWritesReportFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "tidy.txt")
	c := newCtx(1)
	c.Vars.Put("dir", dir)
	a := build(t, "HTMLAssertion", "", "html_assertion_error_threshold", "9", "html_assertion_warning_threshold", "9",
		"html_assertion_filename", "${dir}/tidy.txt")
	a.Assert(c, &sample.Result{Success: true, Body: []byte(brokenPage)})
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "Error: <section> is not recognized!") || !strings.HasSuffix(string(b), "5 warnings, 1 error were found!\n") {
		t.Fatalf("report:\n%s", b)
	}
	// A file that cannot be written is logged; the sample is judged as usual.
	var logged []string
	c.Log = func(level, msg string) { logged = append(logged, level+" "+msg) }
	bad := build(t, "HTMLAssertion", "", "html_assertion_error_threshold", "9", "html_assertion_warning_threshold", "9",
		"html_assertion_filename", filepath.Join(dir, "missing", "dir", "x.txt"))
	if ar := bad.Assert(c, &sample.Result{Success: true, Body: []byte(brokenPage)}); ar.Failure || len(logged) != 1 {
		t.Fatalf("got %+v, log %v", ar, logged)
	}
}
