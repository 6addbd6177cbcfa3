package websocket

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/extractor/jregex"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sampler"
)

// FilterClasses are the plugin's frame filters: config elements a sampler
// in their scope reads through, discarding the frames they match.
var FilterClasses = []string{pkg + "TextFrameFilter", pkg + "BinaryFrameFilter", pkg + "PingFrameFilter"}

// comparison is a filter's comparisonType (the plugin's ComparisonType).
type comparison uint8

const (
	cmpAll comparison = iota // IsPlain: every frame of the filter's type
	cmpEquals
	cmpEqualsRegex
	cmpContains
	cmpContainsRegex
	cmpStartsWith
	cmpEndsWith
	cmpNotEquals
	cmpNotEqualsRegex
	cmpNotContains
	cmpNotContainsRegex
	cmpNotStartsWith
	cmpNotEndsWith
)

var comparisons = map[string]comparison{
	"IsPlain": cmpAll, "Equals": cmpEquals, "EqualsRegex": cmpEqualsRegex, "Contains": cmpContains,
	"ContainsRegex": cmpContainsRegex, "StartsWith": cmpStartsWith, "EndsWith": cmpEndsWith,
	"NotEquals": cmpNotEquals, "NotEqualsRegex": cmpNotEqualsRegex, "NotContains": cmpNotContains,
	"NotContainsRegex": cmpNotContainsRegex, "NotStartsWith": cmpNotStartsWith, "NotEndsWith": cmpNotEndsWith,
}

func (c comparison) regex() bool {
	return c == cmpEqualsRegex || c == cmpContainsRegex || c == cmpNotEqualsRegex || c == cmpNotContainsRegex
}

// negated reports whether c is a Not… comparison, and its positive form.
func (c comparison) negated() (comparison, bool) {
	switch c {
	case cmpNotEquals:
		return cmpEquals, true
	case cmpNotEqualsRegex:
		return cmpEqualsRegex, true
	case cmpNotContains:
		return cmpContains, true
	case cmpNotContainsRegex:
		return cmpContainsRegex, true
	case cmpNotStartsWith:
		return cmpStartsWith, true
	case cmpNotEndsWith:
		return cmpEndsWith, true
	}
	return c, false
}

// Filter is one frame filter element.
type Filter struct {
	name  string
	class string // TextFrameFilter, BinaryFrameFilter or PingFrameFilter
	cmp   comparison
	value *functions.Template // matchValue
	pos   *functions.Template // matchPosition (binary Contains/NotContains)
	re    *jregex.Regex       // a constant regex matchValue, compiled once
	pings bool                // ping filter: discards pings
	pongs bool                // ping filter: discards pongs
	reply bool                // ping filter: answers the pings it discards
}

// ErrFilter is a filter element whose settings cannot work.
var ErrFilter = errors.New("frame filter")

// NewFilter compiles a frame filter element; regexTimeout bounds one match
// of a backtracking regular expression.
func NewFilter(el *jmx.Element, regexTimeout time.Duration) (*Filter, error) {
	f := &Filter{name: el.Name, class: strings.TrimPrefix(el.Class(), pkg)}
	switch f.class {
	case "PingFrameFilter":
		switch t := el.StrOr("filterType", "FilterAll"); t {
		case "FilterAll":
			f.pings, f.pongs = true, true
		case "FilterPingOnly":
			f.pings = true
		case "FilterPongOnly":
			f.pongs = true
		default:
			return nil, fmt.Errorf("%w: filterType %q: use FilterAll, FilterPingOnly or FilterPongOnly", ErrFilter, t)
		}
		f.reply = el.Bool("replyToPing", false)
		return f, nil
	case "TextFrameFilter", "BinaryFrameFilter":
	default:
		return nil, fmt.Errorf("%w: %s is not a frame filter", ErrFilter, el.Class())
	}
	name := el.StrOr("comparisonType", "IsPlain")
	cmp, ok := comparisons[name]
	if !ok || (f.class == "BinaryFrameFilter" && cmp.regex()) {
		return nil, fmt.Errorf("%w: comparisonType %q is not one the %s has", ErrFilter, name, f.class)
	}
	f.cmp = cmp
	var err error
	if f.value, err = functions.Compile(el.Str("matchValue")); err != nil {
		return nil, fmt.Errorf("%w: matchValue: %v", ErrFilter, err)
	}
	if f.pos, err = functions.Compile(el.Str("matchPosition")); err != nil {
		return nil, fmt.Errorf("%w: matchPosition: %v", ErrFilter, err)
	}
	if cmp.regex() && f.value.IsLiteral() {
		if f.re, err = jregex.Compile(f.value.Raw()); err != nil {
			return nil, fmt.Errorf("%w: matchValue is not a valid regular expression: %v", ErrFilter, err)
		}
		f.re.SetMatchTimeout(regexTimeout)
	}
	return f, nil
}

// discards reports whether the filter discards fr; c evaluates the match
// value. A regex given by a variable that does not compile is an error, as
// the plugin's PatternSyntaxException fails the sample.
func (f *Filter) discards(fr frame, c *functions.Context) (bool, error) {
	switch f.class {
	case "PingFrameFilter":
		return (fr.op == opPing && f.pings) || (fr.op == opPong && f.pongs), nil
	case "TextFrameFilter":
		if fr.op != opText {
			return false, nil
		}
		if f.cmp == cmpAll {
			return true, nil
		}
		return f.matchText(string(fr.data), c)
	default:
		if fr.op != opBinary {
			return false, nil
		}
		return f.matchBinary(fr.data, c), nil
	}
}

func (f *Filter) matchText(text string, c *functions.Context) (bool, error) {
	value := f.value.Eval(c)
	cmp, not := f.cmp.negated()
	var m bool
	switch cmp {
	case cmpEquals:
		m = text == value
	case cmpContains:
		m = strings.Contains(text, value)
	case cmpStartsWith:
		m = strings.HasPrefix(text, value)
	case cmpEndsWith:
		m = strings.HasSuffix(text, value)
	case cmpContainsRegex, cmpEqualsRegex:
		re := f.re
		if re == nil {
			var err error
			if re, err = jregex.Compile(value); err != nil {
				return false, fmt.Errorf("java.util.regex.PatternSyntaxException: %v", err)
			}
		}
		var err error
		if cmp == cmpContainsRegex {
			m, err = re.FindErr(text)
		} else {
			m, err = re.MatchesErr(text)
		}
		if err != nil {
			return false, err
		}
	}
	return m != not, nil
}

// matchBinary compares as the plugin does: a match value that is not the
// binary notation matches nothing (equals only an empty frame, starts and
// ends every frame, as an empty one); Contains with a position compares
// the bytes at that offset.
func (f *Filter) matchBinary(data []byte, c *functions.Context) bool {
	if f.cmp == cmpAll {
		return true
	}
	value, err := parseBinary(f.value.Eval(c))
	if err != nil {
		value = nil
	}
	cmp, not := f.cmp.negated()
	var m bool
	switch cmp {
	case cmpEquals:
		m = string(data) == string(value)
	case cmpStartsWith:
		m = strings.HasPrefix(string(data), string(value))
	case cmpEndsWith:
		m = strings.HasSuffix(string(data), string(value))
	case cmpContains:
		if p, err := strconv.Atoi(f.pos.Eval(c)); err == nil {
			m = len(value) > 0 && p >= 0 && p+len(value) <= len(data) && string(data[p:p+len(value)]) == string(value)
		} else {
			m = len(value) > 0 && strings.Contains(string(data), string(value))
		}
	}
	return m != not
}

// discarded is the sub-result the plugin adds for a frame a filter
// discards: its own timing, the frame's sizes and payload.
func (f *Filter) discarded(fr frame, start time.Time) *sampler.Result {
	r := &sampler.Result{
		Label:           "Discarded " + fr.op.String() + " frame (by filter '" + f.name + "')",
		Start:           start,
		Elapsed:         time.Since(start),
		Success:         true,
		ResponseMessage: "Received " + fr.String(),
		Bytes:           int64(fr.size()),
		SampleCount:     1,
	}
	r.Latency = r.Elapsed
	if fr.op == opText || fr.op == opBinary {
		r.Body = fr.data
	}
	if fr.op == opPing && f.reply {
		r.SentBytes = int64(maskedSize(len(fr.data)))
	}
	return r
}
