package sampler

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html"

	"github.com/gometer/gometer/functions"
)

// Embedded resources (HTTPSampler.image_parser): after a successful text
// response of an HTML or CSS type, the resources it references are fetched
// with GET as sub-results, as JMeter's HTTPSamplerBase.downloadPageResources
// does with its default Lagarto HTML parser and CSS parser, in parallel
// with HTTPSampler.concurrentDwn.

var (
	styleURL = regexp.MustCompile(`(?is)URL\(\s*('|")(.*?)('|")\s*\)`)
	// JMeter's CssParser fetches only @import targets: url() in declarations
	// is left alone, as a browser fetches it only when the rule matches.
	cssImport  = regexp.MustCompile(`(?is)@import\s+(?:url\(\s*['"]?([^'")]+?)['"]?\s*\)|['"]([^'"]+)['"])`)
	cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)
)

// mediaType is the Content-Type without parameters, lower case.
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct))
}

// resourceURLs lists the embedded resources of a response, absolute,
// de-duplicated, in document order.
func resourceURLs(res *Result) []string {
	if len(res.Body) == 0 {
		return nil
	}
	base, err := url.Parse(res.URL)
	if err != nil {
		return nil
	}
	var c urlCollection
	switch mediaType(res.ContentType) {
	case "text/html", "application/xhtml+xml", "application/xml", "text/xml":
		htmlResources(res.Body, base, &c)
	case "text/css":
		for _, m := range cssImport.FindAllSubmatch(cssComment.ReplaceAll(res.Body, nil), -1) {
			v := m[1]
			if len(v) == 0 {
				v = m[2]
			}
			c.add(string(v), base)
		}
	}
	return c.list
}

type urlCollection struct {
	list []string
	seen map[string]bool
}

// add resolves v against base and keeps it when it is an http(s) URL not
// seen before (JMeter's URLCollection drops URLs Java cannot build).
func (c *urlCollection) add(v string, base *url.URL) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	u, err := base.Parse(encodeSpaces(v))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return
	}
	u.Fragment = ""
	s := u.String()
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if !c.seen[s] {
		c.seen[s] = true
		c.list = append(c.list, s)
	}
}

// htmlResources walks the tags as JMeter's Lagarto-based parser does.
func htmlResources(body []byte, base *url.URL, c *urlCollection) {
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		attrs := map[string]string{}
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			key := strings.ToLower(string(k))
			if _, dup := attrs[key]; !dup {
				attrs[key] = string(v)
			}
		}
		switch string(name) {
		case "body":
			c.add(attrs["background"], base)
		case "base":
			if href := attrs["href"]; href != "" {
				if nb, err := base.Parse(href); err == nil {
					base = nb
				}
			}
		case "img", "script", "frame", "iframe", "embed", "bgsound":
			c.add(attrs["src"], base)
		case "applet":
			if cb := strings.TrimSpace(attrs["codebase"]); cb != "" {
				if ar := attrs["archive"]; strings.TrimSpace(ar) != "" {
					c.add(cb+"/"+ar, base)
				} else {
					c.add(cb+"/"+attrs["code"], base)
				}
			} else {
				c.add(attrs["code"], base)
			}
		case "object":
			c.add(attrs["codebase"], base)
			c.add(attrs["data"], base)
		case "input":
			if strings.EqualFold(attrs["type"], "image") {
				c.add(attrs["src"], base)
			}
		case "link":
			switch strings.ToLower(attrs["rel"]) {
			case "stylesheet", "icon", "shortcut icon", "preload":
				c.add(attrs["href"], base)
			}
		default:
			c.add(attrs["background"], base)
		}
		if st := attrs["style"]; st != "" {
			for _, m := range styleURL.FindAllStringSubmatch(st, -1) {
				c.add(m[2], base)
			}
		}
	}
}

// embeddedConfig holds the image parser settings of a sampler.
type embeddedConfig struct {
	allow, exclude       *functions.Template
	allowRE, excludeRE   *regexp.Regexp // compiled once when the patterns are literal
	concurrent, poolSize *functions.Template
	maxDepth             int
	ignoreFailed         bool
}

// matcher compiles an allow/exclude pattern; a bad pattern is ignored, as
// JMeter ignores it with a warning.
func matcher(p string) *regexp.Regexp {
	if p == "" {
		return nil
	}
	re, err := regexp.Compile(`^(?:` + p + `)$`)
	if err != nil {
		return nil
	}
	return re
}

// downloadResources fetches the resources of res and returns the container
// result: res (or, after redirects, its hops) followed by one sub-result per
// resource, bytes summed, time spanning, success only if all succeeded.
func (h *HTTP) downloadResources(ctx context.Context, s *Session, st *HTTPState, res *Result, depth int, label string) *Result {
	urls := resourceURLs(res)
	if len(urls) == 0 {
		return res
	}
	parent := res
	if len(res.Subs) == 0 {
		cp := *res
		cp.Subs = []*Result{res}
		parent = &cp
	}
	h.addResources(parent, h.fetchResources(ctx, s, st, urls, depth, label), label)
	return parent
}

// fetchResources downloads the URLs the sampler's allow and exclude
// patterns let through, in parallel when it downloads concurrently.
func (h *HTTP) fetchResources(ctx context.Context, s *Session, st *HTTPState, urls []string, depth int, label string) []*Result {
	allow, exclude := h.embedded.allowRE, h.embedded.excludeRE
	if !h.embedded.allow.IsLiteral() {
		allow = matcher(h.embedded.allow.Eval(s.Ctx))
	}
	if !h.embedded.exclude.IsLiteral() {
		exclude = matcher(h.embedded.exclude.Eval(s.Ctx))
	}
	var todo []string
	for _, raw := range urls {
		if allow != nil && !allow.MatchString(raw) {
			continue
		}
		if exclude != nil && exclude.MatchString(raw) {
			continue
		}
		todo = append(todo, raw)
	}
	if n := h.embedded.pool(s.Ctx); n > 1 && len(todo) > 1 {
		return h.fetchConcurrently(ctx, s, st, todo, n, depth, label)
	}
	var subs []*Result
	for _, raw := range todo {
		subs = append(subs, h.fetchResource(ctx, s, st, raw, depth, label))
		if ctx.Err() != nil {
			break
		}
	}
	return subs
}

// addResources appends downloaded resources to parent as sub-results
// (labelled label-0, label-1 … with those it had), as JMeter's
// addSubResult does: bytes summed, the end extended to the last one's, a
// failed one failing the parent unless failed resources are ignored.
func (h *HTTP) addResources(parent *Result, subs []*Result, label string) {
	end := parent.End()
	for _, sub := range subs {
		if sub == nil {
			continue // fresh in the cache
		}
		parent.Subs = append(parent.Subs, sub)
		parent.Bytes += sub.Bytes
		parent.SentBytes += sub.SentBytes
		if e := sub.End(); e.After(end) {
			end = e
		}
		if !sub.Success && !h.embedded.ignoreFailed {
			parent.Success = false
			parent.ErrorCount = 1
			var msg strings.Builder
			msg.WriteString("Embedded resource download error:")
			for _, x := range parent.Subs {
				if !x.Success {
					msg.WriteString(x.URL + " code:" + x.ResponseCode + " message:" + x.ResponseMessage + ", ")
				}
			}
			parent.ResponseMessage = msg.String()
		}
	}
	parent.Elapsed = end.Sub(parent.Start)
	for i, sr := range parent.Subs {
		sr.Label = label + "-" + strconv.Itoa(i)
	}
}

func (h *HTTP) fetchResource(ctx context.Context, s *Session, st *HTTPState, raw string, depth int, label string) *Result {
	u, err := parseURL(raw)
	if err != nil {
		sub := &Result{Start: time.Now(), Method: "GET", URL: raw, SampleCount: 1}
		setError(sub, &javaError{"java.lang.Exception", raw + " is not a correct URI"})
		return sub
	}
	return h.fetch(ctx, s, st, u, u.String(), "GET", nil, depth+1, label)
}

// pool is the number of parallel downloads: HTTPSampler.concurrentPool
// when HTTPSampler.concurrentDwn is set, else 1.
func (e *embeddedConfig) pool(c *functions.Context) int {
	if e.concurrent == nil || !isTrue(e.concurrent.Eval(c)) {
		return 1
	}
	n, err := strconv.Atoi(strings.TrimSpace(e.poolSize.Eval(c)))
	if err != nil || n < 1 {
		return 6
	}
	return n
}

// fetchConcurrently downloads resources on up to n parallel connections,
// as JMeter's concurrent download pool does. Each worker has its own
// connections and a copy of the user's variables; cookie jars, caches and
// DNS caches are the user's. Results keep document order.
func (h *HTTP) fetchConcurrently(ctx context.Context, s *Session, st *HTTPState, urls []string, n, depth int, label string) []*Result {
	if n > len(urls) {
		n = len(urls)
	}
	workers := st.workerStates(n)
	out := make([]*Result, len(urls))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		ws := workers[w]
		var wc *functions.Context
		if c := s.Ctx; c != nil {
			var vars *functions.Vars
			if c.Vars != nil {
				vars = c.Vars.Clone()
			}
			wc = functions.NewContext(vars, c.Props, c.Shared)
			wc.ThreadNum, wc.ThreadName, wc.ThreadGroupName = c.ThreadNum, c.ThreadName, c.ThreadGroupName
			wc.Iteration, wc.PlanFile, wc.Now = c.Iteration, c.PlanFile, c.Now
		}
		wsess := &Session{Ctx: wc, HTTP: ws}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = h.fetchResource(ctx, wsess, ws, urls[i], depth, label)
			}
		}()
	}
	for i := range urls {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
