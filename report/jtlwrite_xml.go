package report

import (
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/gometer/gometer/sample"
)

// XML JTL, laid out as JMeter's XStream writer does: one element per sample
// (<httpSample> for HTTP, <sample> otherwise), attributes in JMeter's
// order, nested assertion results and sub-samples indented by two spaces.

const (
	xmlFileHeader = `<?xml version="1.0" encoding="UTF-8"?>`
	xmlOpenTag    = `<testResults version="1.2">`
	xmlCloseTag   = `</testResults>`
)

// FormatXMLSample appends r as one XML JTL element plus a line end.
func FormatXMLSample(dst []byte, r *sample.Result, cfg *SaveConfig) []byte {
	dst = appendXMLSample(dst, r, r.Vars, cfg, 0)
	return append(dst, '\n')
}

func xmlIndent(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for i := 0; i < depth; i++ {
		dst = append(dst, ' ', ' ')
	}
	return dst
}

func appendXMLAttr(dst []byte, name, val string) []byte {
	dst = append(dst, ' ')
	dst = append(dst, name...)
	dst = append(dst, '=', '"')
	dst = appendXMLEscaped(dst, val)
	return append(dst, '"')
}

func appendXMLIntAttr(dst []byte, name string, v int64) []byte {
	dst = append(dst, ' ')
	dst = append(dst, name...)
	dst = append(dst, '=', '"')
	dst = strconv.AppendInt(dst, v, 10)
	return append(dst, '"')
}

// appendXMLEscaped escapes the XML specials as XStream does and replaces
// characters XML 1.0 cannot hold.
func appendXMLEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				dst = append(dst, "&amp;"...)
			case c == '<':
				dst = append(dst, "&lt;"...)
			case c == '>':
				dst = append(dst, "&gt;"...)
			case c == '"':
				dst = append(dst, "&quot;"...)
			case c == '\'':
				dst = append(dst, "&apos;"...)
			case c == '\r':
				dst = append(dst, "&#xd;"...)
			case c == '\t' || c == '\n' || c >= 0x20:
				dst = append(dst, c)
			default:
				dst = append(dst, '?') // not representable in XML 1.0
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, '?')
		} else {
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return dst
}

func appendXMLString(dst []byte, depth int, tag, val string) []byte {
	dst = xmlIndent(dst, depth)
	dst = append(dst, '<')
	dst = append(dst, tag...)
	dst = append(dst, ` class="java.lang.String">`...)
	dst = appendXMLEscaped(dst, val)
	dst = append(dst, '<', '/')
	dst = append(dst, tag...)
	return append(dst, '>')
}

func appendXMLSample(dst []byte, r *sample.Result, vars []string, cfg *SaveConfig, depth int) []byte {
	isHTTP := r.URL != "" || r.Method != ""
	tag := "sample"
	if isHTTP {
		tag = "httpSample"
	}
	dst = append(dst, '<')
	dst = append(dst, tag...)
	if cfg.Elapsed {
		dst = appendXMLIntAttr(dst, "t", ms(r.Elapsed))
	}
	if cfg.IdleTime {
		dst = appendXMLIntAttr(dst, "it", ms(r.Idle))
	}
	if cfg.Latency {
		dst = appendXMLIntAttr(dst, "lt", ms(r.Latency))
	}
	if cfg.Connect {
		dst = appendXMLIntAttr(dst, "ct", ms(r.Connect))
	}
	if cfg.Timestamp {
		stamp := r.Start
		if cfg.TimestampEnd {
			stamp = r.End()
		}
		dst = appendXMLIntAttr(dst, "ts", stamp.UnixMilli())
	}
	if cfg.Success {
		dst = appendXMLAttr(dst, "s", strconv.FormatBool(r.Success))
	}
	if cfg.Label {
		dst = appendXMLAttr(dst, "lb", r.Label)
	}
	if cfg.ResponseCode {
		dst = appendXMLAttr(dst, "rc", r.ResponseCode)
	}
	if cfg.ResponseMessage {
		dst = appendXMLAttr(dst, "rm", r.ResponseMessage)
	}
	if cfg.ThreadName {
		dst = appendXMLAttr(dst, "tn", r.ThreadName)
	}
	if cfg.DataType {
		dst = appendXMLAttr(dst, "dt", r.DataType)
	}
	if cfg.Encoding {
		dst = appendXMLAttr(dst, "de", r.Encoding)
	}
	if cfg.Bytes {
		dst = appendXMLIntAttr(dst, "by", r.Bytes)
	}
	if cfg.SentBytes {
		dst = appendXMLIntAttr(dst, "sby", r.SentBytes)
	}
	if cfg.SampleCount {
		sc, ec := sampleCounts(r)
		dst = appendXMLIntAttr(dst, "sc", int64(sc))
		dst = appendXMLIntAttr(dst, "ec", int64(ec))
	}
	if cfg.ThreadCounts {
		dst = appendXMLIntAttr(dst, "ng", int64(r.GrpThreads))
		dst = appendXMLIntAttr(dst, "na", int64(r.AllThreads))
	}
	if cfg.Hostname {
		h := r.Hostname
		if h == "" {
			h = cfg.HostnameValue
		}
		dst = appendXMLAttr(dst, "hn", h)
	}
	for i, name := range cfg.SampleVariables {
		v := ""
		if i < len(vars) {
			v = vars[i]
		}
		dst = appendXMLAttr(dst, name, v)
	}

	children := false
	open := func() {
		if !children {
			children = true
			dst = append(dst, '>')
		}
	}
	if cfg.Assertions {
		for _, a := range r.Assertions {
			open()
			dst = xmlIndent(dst, depth+1)
			dst = append(dst, "<assertionResult>"...)
			dst = xmlIndent(dst, depth+2)
			dst = append(dst, "<name>"...)
			dst = appendXMLEscaped(dst, a.Name)
			dst = append(dst, "</name>"...)
			dst = xmlIndent(dst, depth+2)
			dst = append(dst, "<failure>"...)
			dst = strconv.AppendBool(dst, a.Failure)
			dst = append(dst, "</failure>"...)
			dst = xmlIndent(dst, depth+2)
			dst = append(dst, "<error>"...)
			dst = strconv.AppendBool(dst, a.Error)
			dst = append(dst, "</error>"...)
			if a.FailureMessage != "" {
				dst = xmlIndent(dst, depth+2)
				dst = append(dst, "<failureMessage>"...)
				dst = appendXMLEscaped(dst, a.FailureMessage)
				dst = append(dst, "</failureMessage>"...)
			}
			dst = xmlIndent(dst, depth+1)
			dst = append(dst, "</assertionResult>"...)
		}
	}
	if cfg.SubResults {
		for _, s := range r.Subs {
			if s == nil {
				continue
			}
			open()
			dst = xmlIndent(dst, depth+1)
			dst = appendXMLSample(dst, s, vars, cfg, depth+1)
		}
	}
	if cfg.ResponseHeaders {
		open()
		dst = appendXMLString(dst, depth+1, "responseHeader", r.ResponseHeaders)
	}
	if cfg.RequestHeaders {
		open()
		dst = appendXMLString(dst, depth+1, "requestHeader", r.RequestHeaders)
	}
	onError := cfg.ResponseDataOnError && !r.Success
	if cfg.ResponseData || onError {
		open()
		if r.DataType == "text" {
			dst = appendXMLString(dst, depth+1, "responseData", string(r.Body))
		} else {
			dst = appendXMLString(dst, depth+1, "responseData", "Non-TEXT response data, cannot record: ("+r.DataType+")")
		}
	}
	if cfg.Filename {
		open()
		dst = appendXMLString(dst, depth+1, "responseFile", "")
	}
	if cfg.SamplerData || onError {
		open()
		if isHTTP {
			dst = appendXMLString(dst, depth+1, "cookies", r.Cookies)
			dst = appendXMLString(dst, depth+1, "method", r.Method)
			q := ""
			if u, err := url.Parse(r.URL); err == nil {
				q = u.RawQuery
			}
			dst = appendXMLString(dst, depth+1, "queryString", q)
		} else {
			dst = appendXMLString(dst, depth+1, "samplerData", r.SamplerData)
		}
	}
	if cfg.URL && r.URL != "" {
		open()
		dst = xmlIndent(dst, depth+1)
		dst = append(dst, "<java.net.URL>"...)
		dst = appendXMLEscaped(dst, r.URL)
		dst = append(dst, "</java.net.URL>"...)
	}
	if !children {
		return append(dst, '/', '>')
	}
	dst = xmlIndent(dst, depth)
	dst = append(dst, '<', '/')
	dst = append(dst, tag...)
	return append(dst, '>')
}
