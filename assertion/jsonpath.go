package assertion

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/extractor/jregex"
	"github.com/gometer/gometer/extractor/jsonpath"
	"github.com/gometer/gometer/extractor/target"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/javafmt"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// jsonPathAssertion is JMeter's JSONPathAssertion and, with plugin set,
// the jmeter-plugins one it came from (same properties; shorter messages,
// string comparison of values, no check of empty indefinite results). It
// has no scope: it judges the sample itself.
type jsonPathAssertion struct {
	label      string
	plugin     bool
	expr       target.Str
	path       *jsonpath.Path
	expected   target.Str
	validate   bool // JSONVALIDATION: compare the value, else existence only
	expectNull bool
	invert     bool
	isRegex    bool
	yaml       bool     // the plugin's INPUT_FORMAT YAML
	paths      sync.Map // expression text -> *jsonpath.Path, for expressions with ${}
	regexes    jregex.Cache
}

func newJSONPath(el *jmx.Element) (Assertion, error) {
	a := &jsonPathAssertion{
		label:      el.Name,
		plugin:     el.Tag == JSONPathPluginClass,
		validate:   el.Bool("JSONVALIDATION", false),
		expectNull: el.Bool("EXPECT_NULL", false),
		invert:     el.Bool("INVERT", false),
		isRegex:    el.Bool("ISREGEX", true),
	}
	// the plugin reads YAML for exactly "YAML", JSON for anything else
	a.yaml = a.plugin && el.Str("INPUT_FORMAT") == "YAML"
	var err error
	if a.expr, err = target.Prop(el, "JSON_PATH"); err != nil {
		return nil, err
	}
	if a.expected, err = target.Prop(el, "EXPECTED_VALUE"); err != nil {
		return nil, err
	}
	if e, ok := a.expr.Literal(); ok {
		if a.path, err = jsonpath.Compile(e); err != nil {
			return nil, target.Errorf(el, "JSON_PATH: %v", err)
		}
	}
	return a, nil
}

func (a *jsonPathAssertion) Assert(c *functions.Context, r *sample.Result) sample.AssertionResult {
	res := sample.AssertionResult{Name: a.label, MessageSet: true} // both JMeter's and the plugin's start from ""
	body := string(r.Body)
	if body == "" {
		res.Failure, res.FailureMessage = true, ResponseWasNull
		return res
	}
	expr := a.expr.Eval(c)
	err := a.check(c, body, expr)
	var te *jregex.TimeoutError
	if errors.As(err, &te) {
		// a match out of budget decides nothing: an error, inverted or not
		res.Error, res.FailureMessage = true, te.Error()
		return res
	}
	if !a.invert {
		if err != nil {
			res.Failure, res.FailureMessage = true, err.Error()
		}
		return res
	}
	if err == nil {
		res.Failure = true
		switch {
		case a.validate && a.expectNull:
			res.FailureMessage = "Failed that JSONPath " + expr + " not matches null"
		case a.validate:
			res.FailureMessage = "Failed that JSONPath " + expr + " not matches " + a.expected.Eval(c)
		default:
			res.FailureMessage = "Failed that JSONPath not exists: " + expr
		}
	}
	return res
}

// check is JMeter's doAssert: nil when the assertion holds, else the
// failure message as an error.
func (a *jsonPathAssertion) check(c *functions.Context, body, expr string) error {
	path := a.path
	if path == nil {
		if p, ok := a.paths.Load(expr); ok {
			path = p.(*jsonpath.Path)
		} else {
			var err error
			if path, err = jsonpath.Compile(expr); err != nil {
				return err
			}
			a.paths.Store(expr, path)
		}
	}
	if a.yaml {
		var err error
		if body, err = jsonpath.FromYAML(body); err != nil {
			return err
		}
	}
	doc, err := jsonpath.Parse(body)
	if err != nil {
		t := strings.TrimSpace(body)
		if strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
			return fmt.Errorf("net.minidev.json.parser.ParseException: %v", err)
		}
		doc = body // json-smart's permissive mode reads other text as a string
	}
	value, err := path.Read(doc)
	if err != nil {
		return err
	}
	expected := a.expected.Eval(c)
	if !a.validate {
		if l, ok := value.([]any); ok && len(l) == 0 && !path.Definite() && !a.plugin {
			return fmt.Errorf("JSONPath '%s' is indefinite and the extracted Value is an empty Array. Please use an assertion value, to be sure to get a correct result. Expected value was '%s'", expr, expected)
		}
		return nil
	}
	var ok bool
	if l, isList := value.([]any); isList {
		ok, err = a.arrayMatched(l, expected)
	} else if a.expectNull && value == nil {
		ok = true
	} else {
		ok, err = a.equals(value, expected)
	}
	if ok || err != nil {
		return err
	}
	if a.plugin {
		switch {
		case a.expectNull:
			return fmt.Errorf("Value expected to be null, but found '%s'", javaToString(value))
		case a.isRegex:
			return fmt.Errorf("Value expected to match regexp '%s', but it did not match: '%s'", expected, jsonpath.AssertionString(value))
		}
		return fmt.Errorf("Value expected to be '%s', but found '%s'", expected, jsonpath.AssertionString(value))
	}
	if a.expectNull {
		return fmt.Errorf("Value in json path '%s' expected to be null, but found '%s'", expr, javaToString(value))
	}
	if a.isRegex {
		return fmt.Errorf("Value in json path '%s' expected to match regexp '%s', but it did not match: '%s'", expr, expected, jsonpath.AssertionString(value))
	}
	return fmt.Errorf("Value in json path '%s' expected to be '%s', but found '%s'", expr, expected, jsonpath.AssertionString(value))
}

// arrayMatched and equals report a regex match out of budget as a
// *jregex.TimeoutError.
func (a *jsonPathAssertion) arrayMatched(l []any, expected string) (bool, error) {
	if len(l) == 0 && expected == "[]" {
		return true, nil
	}
	for _, v := range l {
		if v == nil && a.expectNull {
			return true, nil
		}
		if ok, err := a.equals(v, expected); ok || err != nil {
			return ok, err
		}
	}
	return a.equals(l, expected)
}

func (a *jsonPathAssertion) equals(v any, expected string) (bool, error) {
	if a.isRegex {
		re, err := a.regexes.Get(expected)
		if err != nil {
			return false, nil // JMeter: a bad pattern does not match
		}
		return re.MatchesErr(jsonpath.AssertionString(v))
	}
	if a.plugin {
		return jsonpath.AssertionString(v) == expected, nil
	}
	return jsonpath.Equal(jsonpath.ParseExpected(expected), v), nil
}

// javaToString is String.format("%s") of a json-smart value: maps print as
// java.util.Map ("{a=1, b=x}"), the rest as their JSON/Java text.
func javaToString(v any) string {
	if o, ok := v.(*jsonpath.Object); ok {
		var b strings.Builder
		b.WriteByte('{')
		for i := 0; i < o.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			k, val := o.At(i)
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(javaToString(val))
		}
		b.WriteByte('}')
		return b.String()
	}
	if v == nil {
		return "null"
	}
	if f, ok := v.(float64); ok {
		return javafmt.Double(f)
	}
	s, _ := jsonpath.ExtractorString(v)
	return s
}

// setMatchTimeout applies the run's regex budget (see NewWith).
func (a *jsonPathAssertion) setMatchTimeout(d time.Duration) { a.regexes.MatchTimeout = d }

func (a *jsonPathAssertion) dangerous() string { return "" } // patterns come from the expected value at run time
