// Package extractor implements JMeter's extracting post-processors:
// Regular Expression, JSON (JSONPath), Boundary, XPath (1 and 2), CSS
// Selector (HtmlExtractor) and JMESPath extractors and the JSON Path
// Extractor plugin, plus the Debug PostProcessor. An extractor reads the
// previous sample (or a variable) and sets variables of one virtual user,
// following JMeter 5.6.3's rules for match numbers, defaults, "_matchNr"
// and clean-up of stale variables.
//
// An Extractor is built once from a plan element (patterns and paths are
// compiled then) and is safe for concurrent use by many virtual users: all
// per-user state lives in the functions.Context passed to Process.
package extractor

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// Extractor is a compiled post-processor.
type Extractor interface {
	// Process runs the extractor on the sample just taken; r may be nil
	// (no previous sample), in which case nothing happens.
	Process(c *functions.Context, r *sample.Result)
}

// ErrUnsupported is returned by New for an element class this package does
// not implement.
var ErrUnsupported = errors.New("unsupported extractor")

// JSONPathPluginClass is the tag of the JSON Path Extractor plugin
// (jmeter-plugins "jsonutils").
const JSONPathPluginClass = "com.atlantbh.jmeter.plugins.jsonutils.jsonpathextractor.JSONPathExtractor"

// builders is the one list of the classes this package compiles, so that
// Handles and New cannot disagree.
var builders = map[string]func(*jmx.Element) (Extractor, error){
	"RegexExtractor":     newRegex,
	"JSONPostProcessor":  newJSON,
	JSONPathPluginClass:  newJSONPlugin,
	"BoundaryExtractor":  newBoundary,
	"XPathExtractor":     newXPath,
	"XPath2Extractor":    newXPath2,
	"HtmlExtractor":      newHTML,
	"JMESPathExtractor":  newJMESPath,
	"DebugPostProcessor": newDebugPost,
}

// Handles reports whether New can build an element of this class (tag).
func Handles(class string) bool { return builders[class] != nil }

// New compiles an extractor element. Bad patterns or paths are errors that
// name the element's file, line and path; a class Handles refuses gives
// ErrUnsupported.
func New(el *jmx.Element) (Extractor, error) {
	b := builders[el.Tag]
	if b == nil {
		return nil, ErrUnsupported
	}
	x, err := b(el)
	if err != nil {
		return nil, err
	}
	return guarded{x}, nil
}

// Options are the run's settings for compiled extractors.
type Options struct {
	// RegexMatchTimeout is the budget of one regular-expression match on
	// the backtracking engine (0: jregex.DefaultMatchTimeout).
	RegexMatchTimeout time.Duration
}

// regexUser is an extractor that runs regular expressions.
type regexUser interface {
	setMatchTimeout(time.Duration)
	dangerous() string
}

// NewWith is New with the run's options.
func NewWith(el *jmx.Element, o Options) (Extractor, error) {
	x, err := New(el)
	if err != nil {
		return nil, err
	}
	if ru, ok := x.(guarded).x.(regexUser); ok && o.RegexMatchTimeout != 0 {
		ru.setMatchTimeout(o.RegexMatchTimeout)
	}
	return x, nil
}

// Dangerous says why an extractor's regular expression may backtrack
// catastrophically, "" when no known dangerous shape is found.
func Dangerous(x Extractor) string {
	if g, ok := x.(guarded); ok {
		x = g.x
	}
	if ru, ok := x.(regexUser); ok {
		return ru.dangerous()
	}
	return ""
}

// guarded keeps a failure inside one extractor from ending the virtual
// user: like JMeter, which logs a post-processor's exception and goes on,
// it abandons that extraction only.
type guarded struct{ x Extractor }

func (g guarded) Process(c *functions.Context, r *sample.Result) {
	defer func() { _ = recover() }()
	g.x.Process(c, r)
}

// randIntN picks a match at random with the user's source when it has one.
func randIntN(c *functions.Context, n int) int {
	if c != nil && c.Rand != nil {
		return c.Rand.IntN(n)
	}
	return rand.IntN(n)
}

// previousCount reads and removes name_matchNr, returning its number (0
// when absent or not a number).
func previousCount(v *functions.Vars, ref string) int {
	s, ok := v.Get(ref + "_matchNr")
	if !ok {
		return 0
	}
	v.Remove(ref + "_matchNr")
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// removeNumbered removes ref_from … ref_to.
func removeNumbered(v *functions.Vars, ref string, from, to int) {
	for i := from; i <= to; i++ {
		v.Remove(ref + "_" + strconv.Itoa(i))
	}
}
