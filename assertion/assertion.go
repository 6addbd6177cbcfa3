// Package assertion implements JMeter's assertions: Response, JSON Path
// (core and the jmeter-plugins variant), Duration, Size, XPath (1 and 2),
// HTML (JTidy-like checks, package htmlcheck)
// and XML (well-formedness) assertions, with JMeter 5.6's failure message
// texts, and Apply, which runs one on a sample the way JMeterThread does
// (scope over sub-samples, success flag, "One or more sub-samples failed").
//
// An Assertion is compiled once from a plan element and is safe for
// concurrent use; per-user state lives in the functions.Context.
package assertion

import (
	"errors"
	"fmt"
	"time"

	"github.com/gometer/gometer/extractor/target"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// Assertion is a compiled assertion.
type Assertion interface {
	// Assert judges one sample. It may set r.Success = true first
	// (Response Assertion's "ignore status"); it does not record the
	// result: Apply does.
	Assert(c *functions.Context, r *sample.Result) sample.AssertionResult
}

// ErrUnsupported is returned by New for an element class this package does
// not implement.
var ErrUnsupported = errors.New("unsupported assertion")

// JSONPathPluginClass is the tag of the jmeter-plugins JSON Path Assertion.
const JSONPathPluginClass = "com.atlantbh.jmeter.plugins.jsonutils.jsonpathassertion.JSONPathAssertion"

// builders is the one list of the classes this package compiles, so that
// Handles and New cannot disagree.
var builders = map[string]func(*jmx.Element) (Assertion, error){
	"ResponseAssertion": newResponse,
	"JSONPathAssertion": newJSONPath,
	JSONPathPluginClass: newJSONPath,
	"DurationAssertion": newDuration,
	"SizeAssertion":     newSize,
	"XPathAssertion":    newXPath,
	"XPath2Assertion":   newXPath2,
	"XMLAssertion":      newXML,
	"HTMLAssertion":     newHTML,
	"CompareAssertion":  newCompare,
}

// Handles reports whether New can build an element of this class (tag).
func Handles(class string) bool { return builders[class] != nil }

// New compiles an assertion element. Bad patterns or paths are errors that
// name the element's file, line and path; a class Handles refuses gives
// ErrUnsupported.
func New(el *jmx.Element) (Assertion, error) {
	if b := builders[el.Tag]; b != nil {
		return b(el)
	}
	return nil, ErrUnsupported
}

// Options are the run's settings for compiled assertions.
type Options struct {
	// RegexMatchTimeout is the budget of one regular-expression match on
	// the backtracking engine (0: jregex.DefaultMatchTimeout).
	RegexMatchTimeout time.Duration
}

// regexUser is an assertion that runs regular expressions.
type regexUser interface {
	setMatchTimeout(time.Duration)
	dangerous() string
}

// NewWith is New with the run's options.
func NewWith(el *jmx.Element, o Options) (Assertion, error) {
	a, err := New(el)
	if err != nil {
		return nil, err
	}
	if ru, ok := a.(regexUser); ok && o.RegexMatchTimeout != 0 {
		ru.setMatchTimeout(o.RegexMatchTimeout)
	}
	return a, nil
}

// Dangerous says why an assertion's regular expression may backtrack
// catastrophically, "" when no known dangerous shape is found.
func Dangerous(a Assertion) string {
	if ru, ok := a.(regexUser); ok {
		return ru.dangerous()
	}
	return ""
}

// scoped is implemented by assertions that honour Assertion.scope.
type scoped interface {
	scope() target.Scope
	name() string
}

// SubSamplesFailed is the message JMeter adds to a parent sample whose
// sub-sample failed an assertion.
const SubSamplesFailed = "One or more sub-samples failed"

// Apply runs a on r as JMeter does: the result is appended to r.Assertions
// and a failure or error clears r.Success. With scope children or all the
// sub-samples (to a bounded depth) are judged too, and a parent that is
// still successful while a sub-sample failed gets a failing result with
// the message "One or more sub-samples failed".
func Apply(a Assertion, c *functions.Context, r *sample.Result) {
	if r == nil {
		return
	}
	s, ok := a.(scoped)
	if !ok {
		record(a, c, r)
		return
	}
	sc := s.scope()
	if sc.Kind == target.Parent || sc.Kind == target.All || sc.Kind == target.Variable {
		record(a, c, r)
	}
	if sc.Kind == target.Children || sc.Kind == target.All {
		recurse(a, s.name(), c, r, 3)
	}
}

func record(a Assertion, c *functions.Context, r *sample.Result) {
	ar := judge(a, c, r)
	r.Success = r.Success && !(ar.Failure || ar.Error)
	r.Assertions = append(r.Assertions, ar)
}

func recurse(a Assertion, name string, c *functions.Context, parent *sample.Result, level int) {
	if level < 0 {
		return
	}
	childFailed := false
	for _, child := range parent.Subs {
		record(a, c, child)
		recurse(a, name, c, child, level-1)
		if !child.Success {
			childFailed = true
		}
	}
	if childFailed && parent.Success {
		parent.Assertions = append(parent.Assertions, sample.AssertionResult{
			Name: name, Failure: true, FailureMessage: SubSamplesFailed,
		})
		parent.Success = false
	}
}

// base carries what every assertion has: its name and scope.
type base struct {
	label string
	sc    target.Scope
}

func (b *base) scope() target.Scope { return b.sc }
func (b *base) name() string        { return b.label }

func newBase(el *jmx.Element) (base, error) {
	sc, err := target.ParseScope(el, "Assertion.scope")
	return base{label: el.Name, sc: sc}, err
}

// ResponseWasNull is JMeter's message for an empty field under test.
const ResponseWasNull = "Response was null"

// judge runs the assertion; a panic becomes an error result named as
// JMeter names an assertion that threw ("Assertion failed! See log file.").
func judge(a Assertion, c *functions.Context, r *sample.Result) (ar sample.AssertionResult) {
	defer func() {
		if p := recover(); p != nil {
			ar = sample.AssertionResult{Name: "Assertion failed! See log file.", Error: true, FailureMessage: fmt.Sprint(p)}
		}
	}()
	return a.Assert(c, r)
}
