package sampler

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// JMeter 5.6.3's HTTPSamplerFactory accepts these HTTPSampler.implementation
// values (exactly, case-sensitive): "HttpClient4" and the old
// "HttpClient3.1" run the HttpClient 4 implementation; "Java" and
// "HTTPSampler" run HTTPJavaImpl (java.net.HttpURLConnection); blank means
// the jmeter.httpsampler property (default HttpClient4). Anything else
// ("HTTPSampler2" too) fails every sample in JMeter; gometer refuses it at
// load time.

// JavaUserAgent and JavaAccept are what HttpURLConnection adds when no
// header manager sets them (Java 17.0.15, the reference JVM).
const (
	JavaUserAgent = "Java/17.0.15"
	JavaAccept    = "text/html, image/gif, image/jpeg, */*; q=0.2"
)

// ErrImplementation is an HTTPSampler.implementation JMeter does not know.
type ErrImplementation struct{ Value string }

func (e ErrImplementation) Error() string {
	return fmt.Sprintf("HTTP implementation %q is unknown to JMeter 5.6.3 (accepted: HttpClient4, HttpClient3.1, Java, HTTPSampler, or blank for jmeter.httpsampler)", e.Value)
}

// IsJavaImplementation reports whether the (merged) sampler runs JMeter's
// Java implementation; a value only known at run time counts as HttpClient4.
func IsJavaImplementation(el *jmx.Element, props *functions.Properties) (bool, error) {
	impl := strings.TrimSpace(el.Str("HTTPSampler.implementation"))
	if impl == "" && props != nil {
		impl = strings.TrimSpace(props.GetOr("jmeter.httpsampler", "HttpClient4"))
	}
	switch {
	case impl == "" || impl == "HttpClient4" || impl == "HttpClient3.1" || strings.Contains(impl, "${"):
		return false, nil
	case impl == "Java" || impl == "HTTPSampler":
		return true, nil
	}
	return false, ErrImplementation{impl}
}

// JavaImplementation reports whether the sampler runs as JMeter's Java
// implementation.
func (h *HTTP) JavaImplementation() bool { return h.java }

// javaBody is the entity HTTPJavaImpl sends (PostWriter, PutWriter): only
// POST and PUT carry one. A form is getQueryString (values encoded only
// when always_encode is set) with no charset in its type; POST gets
// HttpURLConnection's default Content-Type, PUT none unless a file's MIME
// type gives one. nil means no entity.
func (h *HTTP) javaBody(c *functions.Context, method, enc string) (*reqBody, error) {
	switch method {
	case "GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE":
	default: // HttpURLConnection.setRequestMethod knows no others
		return nil, &javaError{"java.net.ProtocolException", "Invalid HTTP method: " + method}
	}
	if method != "POST" && method != "PUT" {
		return nil, nil
	}
	defCT := ""
	if method == "POST" {
		defCT = "application/x-www-form-urlencoded"
	}
	if method == "POST" && (h.multipart || h.hasFileParts(c)) {
		return h.multipartBody(c, enc) // HC4's multipart writer (see the README)
	}
	if len(h.args) == 0 && h.fileAsBody(c) {
		b, err := h.hc4Body(c, method, enc)
		if b != nil && b.contentType == "" {
			b.contentType = defCT
		}
		return b, err
	}
	if h.sendValuesAsBody(c) {
		var b strings.Builder
		for i := range h.args {
			a := &h.args[i]
			v := a.value.Eval(c)
			if a.encode {
				v = javaURLEncode(v, enc)
			}
			b.WriteString(v)
		}
		s := b.String()
		ct := defCT
		if len(h.files) > 0 {
			if m := h.files[0].mime.Eval(c); m != "" {
				ct = m
			}
		}
		return &reqBody{data: encodeString(s, enc), contentType: ct, shown: s}, nil
	}
	if method == "PUT" {
		return nil, nil // PutWriter sends named arguments nowhere
	}
	s := h.queryString(c, enc)
	return &reqBody{data: encodeString(s, enc), contentType: defCT, shown: s}, nil
}

// parseJavaURL parses a URL as java.net.URL takes it: no URI check, and the
// query sent as written (spaces and non-ASCII bytes unescaped).
func parseJavaURL(s string) (*url.URL, error) {
	base, query, hasQuery := strings.Cut(s, "?")
	frag := ""
	if hasQuery {
		query, frag, _ = strings.Cut(query, "#")
	}
	u, err := parseURL(base)
	if err != nil {
		return nil, err
	}
	if hasQuery {
		u.RawQuery = query
		u.ForceQuery = query == ""
		_ = frag // HttpURLConnection does not send the fragment
	}
	return u, nil
}
