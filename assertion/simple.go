package assertion

import (
	"strconv"
	"strings"

	"github.com/gometer/gometer/extractor/target"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// durationAssertion is JMeter's DurationAssertion: the sample must not take
// longer than DurationAssertion.duration milliseconds (0 or less disables).
type durationAssertion struct {
	base
	duration target.Str
}

func newDuration(el *jmx.Element) (Assertion, error) {
	b, err := newBase(el)
	if err != nil {
		return nil, err
	}
	a := &durationAssertion{base: b}
	if a.duration, err = target.Prop(el, "DurationAssertion.duration"); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *durationAssertion) Assert(c *functions.Context, r *sample.Result) sample.AssertionResult {
	res := sample.AssertionResult{Name: a.label}
	allowed, err := strconv.ParseInt(strings.TrimSpace(a.duration.Eval(c)), 10, 64)
	if err != nil || allowed <= 0 {
		return res
	}
	took := r.Elapsed.Milliseconds()
	if took > allowed {
		res.Failure = true
		res.FailureMessage = "The operation lasted too long: It took " + group(took) +
			" milliseconds, but should not have lasted longer than " + group(allowed) + " milliseconds."
	}
	return res
}

// group formats n as java.text.MessageFormat does in an English locale:
// with thousands separators.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	return b.String()
}

// sizeAssertion is JMeter's SizeAssertion.
type sizeAssertion struct {
	base
	size     target.Str
	operator target.Str
	field    string
}

func newSize(el *jmx.Element) (Assertion, error) {
	b, err := newBase(el)
	if err != nil {
		return nil, err
	}
	a := &sizeAssertion{base: b, field: el.Str("Assertion.test_field")}
	if a.size, err = target.Prop(el, "SizeAssertion.size"); err != nil {
		return nil, err
	}
	if a.operator, err = target.Prop(el, "SizeAssertion.operator"); err != nil {
		return nil, err
	}
	if s, ok := a.size.Literal(); ok {
		if _, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err != nil {
			return nil, target.Errorf(el, "SizeAssertion.size %q is not a whole number", s)
		}
	}
	return a, nil
}

var sizeWords = map[int]string{
	1: "been equal to",
	2: "not been equal to",
	3: "been greater than",
	4: "been less than",
	5: "been greater or equal to",
	6: "been less than or equal to",
}

// javaLength is Java's String.length: UTF-16 code units.
func javaLength(s string) int64 {
	n := int64(0)
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

func (a *sizeAssertion) Assert(c *functions.Context, r *sample.Result) sample.AssertionResult {
	res := sample.AssertionResult{Name: a.label}
	var actual int64
	switch {
	case a.sc.Kind == target.Variable:
		name := a.sc.Variable.Eval(c)
		v, ok := c.Vars.Get(name)
		n, err := strconv.ParseInt(v, 10, 64)
		if !ok || err != nil {
			if !ok {
				v = "null"
			}
			res.Failure = true
			res.FailureMessage = "Error parsing variable name: " + name + " value: " + v
			return res
		}
		actual = n
	case a.field == "SizeAssertion.response_headers":
		actual = r.HeadersSize()
	case a.field == "SizeAssertion.response_data":
		actual = r.BodySize()
	case a.field == "SizeAssertion.response_code":
		actual = javaLength(r.ResponseCode)
	case a.field == "SizeAssertion.response_message":
		actual = javaLength(r.ResponseMessage)
	default:
		actual = r.Bytes
	}
	allowedText := strings.TrimSpace(a.size.Eval(c))
	allowed, err := strconv.ParseInt(allowedText, 10, 64)
	if err != nil {
		// JMeter's SizeAssertion throws here, and the thread records the
		// exception under this name
		return sample.AssertionResult{Name: "Assertion failed! See log file.", Error: true,
			FailureMessage: `java.lang.NumberFormatException: For input string: "` + allowedText + `"`}
	}
	op := a.operator.Int(c, 0)
	var ok bool
	switch op {
	case 1:
		ok = actual == allowed
	case 2:
		ok = actual != allowed
	case 3:
		ok = actual > allowed
	case 4:
		ok = actual < allowed
	case 5:
		ok = actual >= allowed
	case 6:
		ok = actual <= allowed
	}
	if ok {
		return res
	}
	word, known := sizeWords[op]
	if !known {
		word = "ERROR - invalid condition"
	}
	res.Failure = true
	res.FailureMessage = "The result was the wrong size: It was " + group(actual) + " bytes, but should have " +
		word + " " + group(allowed) + " bytes."
	return res
}
