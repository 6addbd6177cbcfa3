package sampler

import (
	"bytes"
	"math/rand/v2"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/script"
)

// JMeter's HTML Link Parser (AnchorModifier) is a pre-processor: the
// sampler's protocol, domain, path and argument names/values are regular
// expressions (Perl5, matched in full) that select, among the links (<a
// href>, <frame src>) and forms (<form action> with their inputs) of the
// previous response, the candidates; one is picked at random and the
// sample goes there. A link gives the domain, path, protocol and query
// arguments (sent as written); a form gives the domain, path and protocol
// and, for each of the sampler's own arguments, a random form field whose
// name and value match it. The port stays the sampler's, as in JMeter.

// sampleEdit is what pre-processors changed in the user's next sample of
// one sampler (JMeter changes the sampler and restores it after the sample).
type sampleEdit struct {
	owner     *HTTP // the sampler it was made for
	link      *linkChoice
	rewrites  []rewrite
	argValues []map[string]string // RegEx User Parameters: argument values by name
	script    *script.HTTPRequest // the request as scripts changed it
}

// edit is the pending edit of h's next sample, created if needed.
func (st *HTTPState) edit(h *HTTP) *sampleEdit {
	if st.next == nil || st.next.owner != h {
		st.next = &sampleEdit{owner: h}
	}
	return st.next
}

// linkChoice is what the parser chose for the user's next sample.
type linkChoice struct {
	protocol, domain, path string
	form                   bool
	args                   []formArg // the link's query, or the form's fields
}

type formArg struct{ name, value string }

type candidate struct {
	u    *url.URL
	form bool
	args []formArg
}

// ChooseLink runs an HTML Link Parser for sampler h: it reads the previous
// response (body, URL) and, when a link or form matches h's settings,
// makes the user's next sample of h go there. It reports whether it did.
func ChooseLink(h *HTTP, s *Session, prevBody []byte, prevURL string) bool {
	s.httpState(h)
	page, err := url.Parse(prevURL)
	if err != nil || page.Host == "" {
		return false // the previous sample was not an HTTP request
	}
	c := s.Ctx
	body := prevBody
	if i := bytes.IndexByte(body, '<'); i > 0 {
		body = body[i:]
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return false
	}
	cands := collectLinks(doc, page)
	var matched []*candidate
	for _, cd := range cands {
		if h.linkMatches(c, cd) {
			matched = append(matched, cd)
		}
	}
	if len(matched) == 0 {
		return false
	}
	pick := matched[rand.IntN(len(matched))]
	ch := &linkChoice{protocol: pick.u.Scheme, domain: pick.u.Hostname(), path: pick.u.EscapedPath(), form: pick.form, args: pick.args}
	if ch.path == "" {
		ch.path = "/"
	}
	s.HTTP.edit(h).link = ch
	return true
}

// collectLinks lists the anchors, forms and frames of a page in JMeter's
// order (anchors, forms, frames), resolved against <base href> or the page.
func collectLinks(doc *html.Node, page *url.URL) []*candidate {
	base := page
	var anchors, frames []*candidate
	var forms []*candidate
	var baseSeen bool
	inForm := false
	selectName := ""
	var walk func(n *html.Node)
	resolve := func(ref string) *url.URL {
		u, err := base.Parse(strings.TrimSpace(ref))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return nil
		}
		return u
	}
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "base":
				if !baseSeen {
					baseSeen = true
					if href, ok := attr(n, "href"); ok {
						if b, err := page.Parse(href); err == nil {
							base = b
						}
					}
				}
			case "a":
				if href, ok := attr(n, "href"); ok && !strings.HasPrefix(href, "javascript:") {
					if u := resolve(href); u != nil {
						anchors = append(anchors, &candidate{u: u, args: queryArgs(u.RawQuery)})
					}
				}
			case "frame":
				if src, ok := attr(n, "src"); ok {
					if u := resolve(src); u != nil {
						frames = append(frames, &candidate{u: u, args: queryArgs(u.RawQuery)})
					}
				}
			case "form":
				// a form without an action is skipped, and so are the
				// fields that follow it until the next form (JMeter)
				inForm = false
				if action, ok := attr(n, "action"); ok {
					if u := resolve(action); u != nil {
						forms = append(forms, &candidate{u: u, form: true})
						inForm = true
					}
				}
			case "input":
				if inForm {
					name, _ := attr(n, "name")
					value, _ := attr(n, "value")
					addField(forms, name, value)
				}
			case "textarea":
				if inForm {
					name, _ := attr(n, "name")
					v := ""
					if n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
						v = n.FirstChild.Data
					}
					addField(forms, name, v)
				}
			case "select":
				if inForm {
					selectName, _ = attr(n, "name")
				}
			case "option":
				if inForm {
					v, ok := attr(n, "value")
					if !ok && n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
						v = n.FirstChild.Data
					}
					addField(forms, selectName, v)
				}
			}
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(doc)
	for _, f := range forms {
		f.args = append(queryArgs(f.u.RawQuery), f.args...)
	}
	out := append(anchors, forms...)
	return append(out, frames...)
}

// addField adds a field to the last form, decoded as JMeter's
// addEncodedArgument does.
func addField(forms []*candidate, name, value string) {
	if len(forms) == 0 || name == "" {
		return
	}
	f := forms[len(forms)-1]
	if n, err := url.QueryUnescape(name); err == nil {
		name = n
	}
	if v, err := url.QueryUnescape(value); err == nil {
		value = v
	}
	f.args = append(f.args, formArg{name, value})
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// queryArgs splits a query as HTTPSamplerBase.parseArguments does, keeping
// the values as written.
func queryArgs(q string) []formArg {
	var out []formArg
	for _, part := range strings.Split(q, "&") {
		name, value, _ := strings.Cut(part, "=")
		if name != "" {
			out = append(out, formArg{name, value})
		}
	}
	return out
}

// linkMatches is HtmlParsingUtils.isAnchorMatched: protocol, domain (when
// set) and path equal or matching in full, and every argument name of the
// sampler found in the link's decoded query.
func (h *HTTP) linkMatches(c *functions.Context, cd *candidate) bool {
	protocol := strings.TrimSpace(h.protocol.Eval(c))
	if protocol == "" {
		protocol = "http"
	}
	if !equalOrMatches(cd.u.Scheme, protocol) {
		return false
	}
	if domain := h.domain.Eval(c); domain != "" && !equalOrMatches(cd.u.Hostname(), domain) {
		return false
	}
	path, pat := cd.u.EscapedPath(), h.path.Eval(c)
	if path != pat && !fullMatch(path, "[/]*"+pat) {
		return false
	}
	query := cd.u.RawQuery
	if cd.form {
		var parts []string
		for _, a := range cd.args {
			parts = append(parts, a.name+"="+a.value)
		}
		query = strings.Join(parts, "&")
	}
	if q, err := url.QueryUnescape(query); err == nil {
		query = q
	}
	for i := range h.args {
		name := h.args[i].name.Eval(c)
		if strings.Contains(query, name+"=") {
			continue
		}
		re, err := regexp.Compile(name)
		if err != nil || !re.MatchString(query) {
			return false
		}
	}
	return true
}

func equalOrMatches(s, pat string) bool { return s == pat || fullMatch(s, pat) }

func fullMatch(s, pat string) bool {
	re, err := regexp.Compile(`^(?:` + pat + `)$`)
	return err == nil && re.MatchString(s)
}

// edited is the sampler as the pre-processors changed it for one sample: a
// copy with the chosen protocol, domain, path and arguments.
func (h *HTTP) edited(c *functions.Context, e *sampleEdit, st *HTTPState) *HTTP {
	l := *h
	if u, ok := h.forUser(st); ok {
		l = *u
	}
	l.mgrs = nil // the copy is for this sample: the user's changes are in it
	l.staticURL, l.staticParsed, l.staticErr = "", nil, nil
	if ch := e.link; ch != nil {
		l.protocol = functions.Literal(ch.protocol)
		l.domain = functions.Literal(ch.domain)
		l.path = functions.Literal(ch.path)
		if !ch.form {
			l.args = make([]httpArg, 0, len(ch.args))
			for _, a := range ch.args {
				l.args = append(l.args, httpArg{name: functions.Literal(a.name), value: functions.Literal(a.value), meta: "=", contentType: "text/plain"})
			}
		} else {
			l.args = formFields(c, h.args, ch.args)
		}
	}
	for _, r := range e.rewrites {
		r.apply(c, &l)
	}
	for _, vals := range e.argValues {
		args := append([]httpArg(nil), l.args...)
		for i := range args {
			if v, ok := vals[args[i].name.Eval(c)]; ok {
				args[i].value = functions.Literal(v)
			}
		}
		l.args = args
	}
	if e.script != nil {
		l.applyScript(e.script)
	}
	return &l
}

// formFields gives each of the sampler's arguments a random form field
// whose name and value match its own (each field is used once).
func formFields(c *functions.Context, args []httpArg, form []formArg) []httpArg {
	fields := append([]formArg(nil), form...)
	out := append([]httpArg(nil), args...)
	for i := range out {
		a := &out[i]
		name, value := a.name.Eval(c), a.value.Eval(c)
		var fit []int
		for j, f := range fields {
			if equalOrMatches(f.name, name) && equalOrMatches(f.value, value) {
				fit = append(fit, j)
			}
		}
		if len(fit) == 0 {
			continue
		}
		j := fit[rand.IntN(len(fit))]
		a.name, a.value = functions.Literal(fields[j].name), functions.Literal(fields[j].value)
		fields = append(fields[:j], fields[j+1:]...)
	}
	return out
}
