package extractor

import (
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/gometer/gometer/extractor/target"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// htmlExtractor is JMeter's HtmlExtractor (CSS Selector Extractor). Both of
// JMeter's implementations (JSoup, Jodd) are served by goquery/cascadia,
// which read the same CSS selectors; JSoup-only pseudo selectors such as
// :eq() are not available.
type htmlExtractor struct {
	scope      target.Scope
	refName    target.Str
	expr       target.Str
	sel        cascadia.Selector
	attribute  target.Str
	matchNr    target.Str
	def        target.Str
	defIsEmpty target.Str
}

func newHTML(el *jmx.Element) (Extractor, error) {
	x := &htmlExtractor{}
	var err error
	if x.scope, err = target.ParseScope(el, "Sample.scope"); err != nil {
		return nil, err
	}
	if impl := el.Str("HtmlExtractor.extractor_impl"); impl != "" && impl != "JSOUP" && impl != "JODD" {
		return nil, target.Errorf(el, "Extractor implementation:%s is unknown", impl)
	}
	ps := target.NewProps(el)
	x.refName = ps.Str("HtmlExtractor.refname")
	x.expr = ps.Str("HtmlExtractor.expr")
	x.attribute = ps.Str("HtmlExtractor.attribute")
	x.matchNr = ps.Str("HtmlExtractor.match_number")
	x.def = ps.Str("HtmlExtractor.default")
	x.defIsEmpty = ps.StrOr("HtmlExtractor.default_empty_value", "false")
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if e, ok := x.expr.Literal(); ok {
		if x.sel, err = cascadia.Compile(jsoupSelector(e)); err != nil {
			return nil, target.Errorf(el, "bad CSS selector %q: %v", e, err)
		}
	}
	return x, nil
}

func (x *htmlExtractor) Process(c *functions.Context, r *sample.Result) {
	if r == nil || c == nil {
		return
	}
	vars := c.Vars
	ref := x.refName.Eval(c)
	n := x.matchNr.Int(c, 0)
	if def := x.def.Eval(c); def != "" || x.defIsEmpty.Bool(c, false) {
		vars.Put(ref, def)
	}
	sel := x.sel
	if sel == nil {
		var err error
		if sel, err = cascadia.Compile(jsoupSelector(x.expr.Eval(c))); err != nil {
			return // JMeter logs the error and leaves the default
		}
	}
	attr := x.attribute.Eval(c)
	var inputs []string
	if x.scope.Kind == target.Variable {
		if v, ok := vars.Get(x.scope.Variable.Eval(c)); ok && v != "" {
			inputs = []string{v}
		}
	} else {
		for _, s := range x.scope.Samples(r) {
			inputs = append(inputs, string(s.Body))
		}
	}
	var matches []string
	for _, in := range inputs {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(in))
		if err != nil {
			continue
		}
		doc.FindMatcher(sel).EachWithBreak(func(_ int, s *goquery.Selection) bool {
			if n > 0 && len(matches) == n {
				return false
			}
			if strings.TrimSpace(attr) != "" {
				v, _ := s.Attr(attr)
				matches = append(matches, v)
			} else {
				matches = append(matches, normalizeSpace(s.Text()))
			}
			return true
		})
		if n > 0 && len(matches) == n {
			break
		}
	}
	prevCount := previousCount(vars, ref)
	matchCount := 0
	switch {
	case n >= 0:
		if len(matches) > 0 && n <= len(matches) {
			if n == 0 {
				vars.Put(ref, matches[randIntN(c, len(matches))])
			} else {
				vars.Put(ref, matches[n-1])
			}
		}
	default:
		matchCount = len(matches)
		vars.Put(ref+"_matchNr", strconv.Itoa(matchCount))
		for i, m := range matches {
			vars.Put(ref+"_"+strconv.Itoa(i+1), m)
		}
	}
	removeNumbered(vars, ref, matchCount+1, prevCount)
}

// normalizeSpace is JSoup's element text: runs of white space become one
// space, leading and trailing space is dropped.
func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// jsoupSelector quotes unquoted attribute values ("[class=a b]"), which
// JSoup reads up to the closing bracket and CSS parsers reject.
func jsoupSelector(sel string) string {
	if !strings.Contains(sel, "=") {
		return sel
	}
	var b strings.Builder
	for i := 0; i < len(sel); i++ {
		c := sel[i]
		if c == '"' || c == '\'' {
			j := strings.IndexByte(sel[i+1:], c)
			if j < 0 {
				b.WriteString(sel[i:])
				break
			}
			b.WriteString(sel[i : i+j+2])
			i += j + 1
			continue
		}
		if c != '[' {
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(sel[i:], ']')
		if end < 0 {
			b.WriteString(sel[i:])
			break
		}
		inner := sel[i+1 : i+end]
		if eq := strings.IndexByte(inner, '='); eq >= 0 {
			val := strings.TrimSpace(inner[eq+1:])
			if val != "" && val[0] != '"' && val[0] != '\'' {
				inner = inner[:eq+1] + `"` + strings.ReplaceAll(val, `"`, `\"`) + `"`
			}
		}
		b.WriteByte('[')
		b.WriteString(inner)
		b.WriteByte(']')
		i += end
	}
	return b.String()
}
