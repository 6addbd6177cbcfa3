package sampler

import (
	"regexp"
	"strings"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// URLRewriter is JMeter's HTTP URL Re-writing Modifier: it finds a session
// id in the previous response (a ";name=value" path parameter, a
// "?name=value"/"&name=value" query, or a form field named name) and puts
// it in the HTTP sample about to be taken, as an argument or as a path
// parameter (";name=value", ";namevalue" without equals). With caching,
// a response without the id keeps the last one found (per user).
type URLRewriter struct {
	name                          *functions.Template
	pathExt, noEquals, noQuestion bool
	cache, encode                 bool
	static                        *rewriteRegex // when the name is literal
}

type rewriteRegex struct {
	name string
	re   *regexp.Regexp
}

type rewrite struct {
	name, value   string
	path, noEqual bool
}

// NewURLRewriter compiles a URLRewritingModifier element.
func NewURLRewriter(el *jmx.Element) (*URLRewriter, error) {
	r := &URLRewriter{
		pathExt:    el.Bool("path_extension", false),
		noEquals:   el.Bool("path_extension_no_equals", false),
		noQuestion: el.Bool("path_extension_no_questionmark", false),
		cache:      el.Bool("cache_value", false),
		encode:     el.Bool("encode", false),
	}
	var err error
	if r.name, err = functions.Compile(el.Str("argument_name")); err != nil {
		return nil, err
	}
	if r.name.IsLiteral() {
		r.static = r.regex(r.name.Raw())
	}
	return r, nil
}

// regex is the expression JMeter's modifier uses for these settings.
func (r *URLRewriter) regex(name string) *rewriteRegex {
	q := regexp.QuoteMeta(name)
	var pat string
	switch {
	case r.pathExt && r.noEquals && r.noQuestion:
		pat = `;` + q + `([^"'<>&\s;?]*)`
	case r.pathExt && r.noEquals:
		pat = `;` + q + `([^"'<>&\s;]*)`
	case r.pathExt && r.noQuestion:
		pat = `;` + q + `=([^"'<>&\s;?]*)`
	case r.pathExt:
		pat = `;` + q + `=([^"'<>&\s;]*)`
	default:
		pat = `[;?&]` + q + `=([^"'<>&\s;\\]*)` +
			`|\s[Nn][Aa][Mm][Ee]\s*=\s*["']` + q + `["'][^>]*\s[vV][Aa][Ll][Uu][Ee]\s*=\s*["']([^"']*)["']` +
			`|\s[vV][Aa][Ll][Uu][Ee]\s*=\s*["']([^"']*)["'][^>]*\s[Nn][Aa][Mm][Ee]\s*=\s*["']` + q + `["']`
	}
	return &rewriteRegex{name: name, re: regexp.MustCompile(pat)}
}

// Rewrite applies the modifier to the user's next sample of h; prevBody is
// the previous response (hasPrev false before any sample).
func (r *URLRewriter) Rewrite(h *HTTP, s *Session, prevBody []byte, hasPrev bool) {
	if !hasPrev {
		return
	}
	s.httpState(h)
	rx := r.static
	if rx == nil {
		rx = r.regex(r.name.Eval(s.Ctx))
	}
	value := ""
	if m := rx.re.FindSubmatch(prevBody); m != nil {
		for _, g := range m[1:] { // the first group that took part
			if g != nil {
				value = string(g)
				break
			}
		}
	}
	if r.cache {
		if s.HTTP.rewriteSaved == nil {
			s.HTTP.rewriteSaved = make(map[*URLRewriter]string)
		}
		if value == "" {
			value = s.HTTP.rewriteSaved[r]
		} else {
			s.HTTP.rewriteSaved[r] = value
		}
	}
	e := s.HTTP.edit(h)
	e.rewrites = append(e.rewrites, rewrite{name: rx.name, value: value, path: r.pathExt, noEqual: r.noEquals})
}

// apply changes the sampler copy l as the modifier's modify() does.
func (w rewrite) apply(c *functions.Context, l *HTTP) {
	if w.path {
		old := l.path.Eval(c)
		if i := strings.Index(old, ";"+w.name); i >= 0 {
			if q := strings.IndexByte(old, '?'); q < 0 {
				old = old[:i]
			} else {
				old = old[:i] + old[q:]
			}
		}
		sep := "="
		if w.noEqual {
			sep = ""
		}
		l.path = functions.Literal(old + ";" + w.name + sep + w.value)
		return
	}
	args := make([]httpArg, 0, len(l.args)+1)
	for _, a := range l.args {
		if a.name.Eval(c) != w.name {
			args = append(args, a)
		}
	}
	l.args = append(args, httpArg{name: functions.Literal(w.name), value: functions.Literal(w.value), encode: true, meta: "=", contentType: "text/plain"})
}
