package assertion

import (
	"strings"
	"time"
	"unicode/utf16"

	"github.com/gometer/gometer/extractor/jregex"
	"github.com/gometer/gometer/extractor/target"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// Test type bits of Assertion.test_type.
const (
	typeMatch     = 1
	typeContains  = 1 << 1
	typeNot       = 1 << 2
	typeEquals    = 1 << 3
	typeSubstring = 1 << 4
	typeOr        = 1 << 5
)

// responseField is the part of the sample a Response Assertion tests.
type responseField int

const (
	fieldURL responseField = iota // Assertion.sample_label, and any unknown value
	fieldData
	fieldDocument
	fieldCode
	fieldMessage
	fieldHeaders
	fieldRequestHeaders
	fieldRequestData
)

// responseAssertion is JMeter's ResponseAssertion.
type responseAssertion struct {
	base
	field    responseField
	testType int
	assume   bool
	custom   target.Str
	patterns []pattern
	cache    *jregex.Cache
}

type pattern struct {
	text target.Str
	re   *jregex.Regex // compiled at construction for literal regex patterns
}

func newResponse(el *jmx.Element) (Assertion, error) {
	b, err := newBase(el)
	if err != nil {
		return nil, err
	}
	a := &responseAssertion{base: b, testType: typeContains, assume: el.Bool("Assertion.assume_success", false)}
	switch el.Str("Assertion.test_field") {
	case "Assertion.response_data":
		a.field = fieldData
	case "Assertion.response_data_as_document":
		a.field = fieldDocument
	case "Assertion.response_code":
		a.field = fieldCode
	case "Assertion.response_message":
		a.field = fieldMessage
	case "Assertion.response_headers":
		a.field = fieldHeaders
	case "Assertion.request_headers":
		a.field = fieldRequestHeaders
	case "Assertion.request_data":
		a.field = fieldRequestData
	default:
		a.field = fieldURL
	}
	if el.Has("Assertion.test_type") {
		a.testType = int(el.Int("Assertion.test_type", 0))
	}
	if a.custom, err = target.Prop(el, "Assertion.custom_message"); err != nil {
		return nil, err
	}
	regex := a.testType&typeContains != 0 || (a.testType&(typeEquals|typeSubstring) == 0)
	for _, item := range el.Collection("Asserion.test_strings") {
		var p pattern
		if p.text, err = target.Compile(item.Value); err != nil {
			return nil, target.Errorf(el, "pattern %q: %v", item.Value, err)
		}
		if lit, ok := p.text.Literal(); ok && regex {
			if p.re, err = jregex.Compile(lit); err != nil {
				return nil, target.Errorf(el, "pattern to test: %v", err)
			}
		} else if regex && a.cache == nil {
			a.cache = &jregex.Cache{}
		}
		a.patterns = append(a.patterns, p)
	}
	return a, nil
}

func (a *responseAssertion) text(c *functions.Context, r *sample.Result) string {
	if a.sc.Kind == target.Variable {
		v, _ := c.Vars.Get(a.sc.Variable.Eval(c))
		return v
	}
	switch a.field {
	case fieldData:
		// no copy: the text is only searched, and messages quote the
		// pattern, or (equals) copies made by the diff
		return target.Body.View(r)
	case fieldDocument:
		return target.DocumentText(r.Body)
	case fieldCode:
		return r.ResponseCode
	case fieldMessage:
		return r.ResponseMessage
	case fieldRequestHeaders:
		return r.RequestHeaders
	case fieldRequestData:
		return r.SamplerData
	case fieldHeaders:
		return r.ResponseHeaders
	}
	return r.URL
}

func (a *responseAssertion) Assert(c *functions.Context, r *sample.Result) sample.AssertionResult {
	res := sample.AssertionResult{Name: a.label}
	if a.assume {
		r.Success = true
	}
	toCheck := a.text(c, r)
	not := a.testType&typeNot != 0
	or := a.testType&typeOr != 0
	if toCheck == "" {
		if not {
			return res
		}
		res.Failure, res.FailureMessage = true, ResponseWasNull
		return res
	}
	contains := a.testType&typeContains != 0
	equals := a.testType&typeEquals != 0
	substring := a.testType&typeSubstring != 0
	var orMsgs []string
	passedOne := false
	for _, p := range a.patterns {
		pat := p.text.Eval(c)
		var found bool
		switch {
		case contains || (!equals && !substring):
			re := p.re
			if re == nil {
				var err error
				if re, err = a.cache.Get(pat); err != nil {
					res.Error, res.Failure = true, false
					res.FailureMessage = "Bad test configuration " + err.Error()
					return res
				}
			}
			var err error
			if contains {
				found, err = re.FindErr(toCheck)
			} else {
				found, err = re.MatchesErr(toCheck)
			}
			if err != nil {
				res.Error, res.Failure = true, false
				res.FailureMessage = err.Error()
				return res
			}
		case equals:
			found = toCheck == pat
		default:
			found = strings.Contains(toCheck, pat)
		}
		pass := found != not
		if or {
			if pass {
				passedOne = true
				break
			}
			orMsgs = append(orMsgs, a.failText(c, pat, toCheck))
			continue
		}
		if !pass {
			res.Failure = true
			res.FailureMessage = a.message(c, func() string { return a.failText(c, pat, toCheck) })
			return res
		}
	}
	if or && !passedOne {
		res.Failure = true
		res.FailureMessage = a.message(c, func() string { return strings.Join(orMsgs, "\t") + "\t" })
	}
	return res
}

// message is the custom failure message when one is set.
func (a *responseAssertion) message(c *functions.Context, gen func() string) string {
	if m := a.custom.Eval(c); m != "" {
		return m
	}
	return gen()
}

// failText builds JMeter's "Test failed: text expected to contain /x/".
// The verb is chosen on the whole test type, so with the OR bit set it
// reads "expected something using", as in JMeter.
func (a *responseAssertion) failText(c *functions.Context, pat, toCheck string) string {
	var b strings.Builder
	b.WriteString("Test failed: ")
	switch {
	case a.sc.Kind == target.Variable:
		b.WriteString("variable(" + a.sc.Variable.Eval(c) + ")")
	case a.field == fieldData:
		b.WriteString("text")
	case a.field == fieldCode:
		b.WriteString("code")
	case a.field == fieldMessage:
		b.WriteString("message")
	case a.field == fieldRequestHeaders:
		b.WriteString("request headers")
	case a.field == fieldRequestData:
		b.WriteString("request data")
	case a.field == fieldHeaders:
		b.WriteString("headers")
	case a.field == fieldDocument:
		b.WriteString("document")
	default:
		b.WriteString("URL")
	}
	switch a.testType {
	case typeContains, typeSubstring:
		b.WriteString(" expected to contain ")
	case typeNot | typeContains, typeNot | typeSubstring:
		b.WriteString(" expected not to contain ")
	case typeMatch:
		b.WriteString(" expected to match ")
	case typeNot | typeMatch:
		b.WriteString(" expected not to match ")
	case typeEquals:
		b.WriteString(" expected to equal ")
	case typeNot | typeEquals:
		b.WriteString(" expected not to equal ")
	default:
		b.WriteString(" expected something using ")
	}
	b.WriteByte('/')
	if a.testType&typeEquals != 0 {
		b.WriteString(equalsDiff(toCheck, pat))
	} else {
		b.WriteString(pat)
	}
	b.WriteByte('/')
	return b.String()
}

// Equals diff layout (assertion.equals_section_diff_len and the delta
// markers at their JMeter defaults).
const (
	diffSectionLen = 100
	diffTrunc      = "..."
	diffStart      = "[[["
	diffEnd        = "]]]"
)

// equalsDiff shows where received and expected text differ: the common
// start, the differing middles between [[[ ]]] and the common end, each
// section cut to 100 characters, counted in UTF-16 units as Java does.
func equalsDiff(received, comparison string) string {
	rec := utf16.Encode([]rune(received))
	cmp := utf16.Encode([]rune(comparison))
	str := func(u []uint16) string { return string(utf16.Decode(u)) }
	trunc := func(right bool, u []uint16) string {
		if len(u) <= diffSectionLen {
			return str(u)
		}
		if right {
			return str(u[:diffSectionLen]) + diffTrunc
		}
		return diffTrunc + str(u[len(u)-diffSectionLen:])
	}
	minLen := min(len(rec), len(cmp))
	first := 0
	for first < minLen && rec[first] == cmp[first] {
		first++
	}
	startEq := ""
	if first > 0 {
		startEq = trunc(false, rec[:first])
	}
	lastRec, lastCmp := len(rec)-1, len(cmp)-1
	for lastRec > first && lastCmp > first && rec[lastRec] == cmp[lastCmp] {
		lastRec--
		lastCmp--
	}
	endEq := trunc(true, rec[lastRec+1:])
	var recDelta, cmpDelta string
	if endEq == "" {
		recDelta = trunc(true, rec[first:])
		cmpDelta = trunc(true, cmp[first:])
	} else {
		recDelta = trunc(true, rec[first:lastRec+1])
		cmpDelta = trunc(true, cmp[first:lastCmp+1])
	}
	rl, cl := len(utf16.Encode([]rune(recDelta))), len(utf16.Encode([]rune(cmpDelta)))
	pad := strings.Repeat(" ", max(rl-cl, cl-rl))
	if rl > cl {
		cmpDelta += pad
	} else {
		recDelta += pad
	}
	var b strings.Builder
	b.WriteString("\n\n****** received  : ")
	b.WriteString(startEq + diffStart + recDelta + diffEnd + endEq)
	b.WriteString("\n\n****** comparison: ")
	b.WriteString(startEq + diffStart + cmpDelta + diffEnd + endEq)
	b.WriteString("\n\n")
	return b.String()
}

// setMatchTimeout applies the run's regex budget (see NewWith).
func (a *responseAssertion) setMatchTimeout(d time.Duration) {
	for _, p := range a.patterns {
		if p.re != nil {
			p.re.SetMatchTimeout(d)
		}
	}
	if a.cache != nil {
		a.cache.MatchTimeout = d
	}
}

// dangerous says why one of the patterns may backtrack catastrophically.
func (a *responseAssertion) dangerous() string {
	for _, p := range a.patterns {
		if p.re != nil {
			if why := p.re.Dangerous(); why != "" {
				return why
			}
		}
	}
	return ""
}
