package assertion

import (
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/gometer/gometer/assertion/htmlcheck"
	"github.com/gometer/gometer/extractor/target"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// htmlAssertion is JMeter's HTMLAssertion: the response body is checked
// as JTidy checks it and the sample fails when the errors exceed the error
// threshold or, unless only errors count, the warnings exceed theirs.
type htmlAssertion struct {
	base
	errLimit, warnLimit int64
	errorsOnly          bool
	mode                htmlcheck.Mode
	filename            target.Str

	mu sync.Mutex // one writer of the report file at a time
}

func newHTML(el *jmx.Element) (Assertion, error) {
	a := &htmlAssertion{base: base{label: el.Name}}
	// getPropertyAsLong: a value that is not a number reads as 0.
	long := func(name string) int64 {
		n, err := strconv.ParseInt(strings.TrimSpace(el.Str(name)), 10, 64)
		if err != nil {
			return 0
		}
		return n
	}
	a.errLimit = long("html_assertion_error_threshold")
	a.warnLimit = long("html_assertion_warning_threshold")
	a.errorsOnly = el.Bool("html_assertion_errorsonly", false)
	switch long("html_assertion_format") {
	case 1:
		a.mode = htmlcheck.XHTML
	case 2:
		a.mode = htmlcheck.XML
	}
	var err error
	if a.filename, err = target.Prop(el, "html_assertion_filename"); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *htmlAssertion) Assert(c *functions.Context, r *sample.Result) sample.AssertionResult {
	res := sample.AssertionResult{Name: a.label}
	if len(r.Body) == 0 {
		res.Failure, res.FailureMessage = true, ResponseWasNull
		return res
	}
	rep := htmlcheck.Check(r.Body, a.mode)
	a.write(c, rep)
	errs, warns := int64(rep.Errors), int64(rep.Warnings)
	if errs > a.errLimit || (!a.errorsOnly && warns > a.warnLimit) {
		res.Failure = true
		res.FailureMessage = "Tidy Parser errors: " + group(errs) + " (allowed " + group(a.errLimit) +
			") Tidy Parser warnings: " + group(warns) + " (allowed " + group(a.warnLimit) + ")"
	}
	return res
}

// write saves the report to the output file, as JMeter does after every
// check (the last sample's report remains). A file that cannot be written
// is logged and does not fail the sample.
func (a *htmlAssertion) write(c *functions.Context, rep *htmlcheck.Report) {
	name := a.filename.Eval(c)
	if strings.TrimSpace(name) == "" {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := os.WriteFile(name, []byte(rep.Text()), 0o644); err != nil && c != nil && c.Log != nil {
		c.Log("WARN", "HTML Assertion "+a.label+": could not write output to file: "+name+": "+err.Error())
	}
}
