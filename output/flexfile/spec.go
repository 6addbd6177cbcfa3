// Package flexfile is jmeter-plugins' Flexible File Writer
// (kg.apc.jmeter.reporters.FlexibleFileWriter): a results file whose every
// row follows a record specification of sample fields and literal text,
// with an optional header and footer, written byte for byte as the plugin
// writes it.
package flexfile

import (
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/gometer/gometer/sample"
)

// Class is the element's class in a plan.
const Class = "kg.apc.jmeter.reporters.FlexibleFileWriter"

// PropBuffer is the property that bounds one row (bytes); the plugin
// composes each row in a buffer of that size and loses a row that does not
// fit.
const PropBuffer = "kg.apc.jmeter.reporters.FFWBufferSize"

// DefaultBuffer is the plugin's default row buffer (10 KiB).
const DefaultBuffer = 10 * 1024

// field is one of the plugin's field names, in the plugin's order.
type field int8

const (
	fSuccess field = iota // "isSuccsessful" (sic)
	fStartTime
	fEndTime
	fSentBytes
	fReceivedBytes
	fResponseTime
	fLatency
	fResponseCode
	fResponseMessage
	fFailed
	fThreadName
	fSampleLabel
	fStartTimeMillis
	fEndTimeMillis
	fResponseTimeMicros
	fLatencyMicros
	fRequestData
	fResponseData
	fResponseHeaders
	fThreadsCount
	fRequestHeaders
	fConnectTime
	fGrpThreads
	fSampleCount
	fErrorCount
	fResponseHeaderSize
	fResponseSize
	fURL
	fieldCount
)

// fieldNames are the names a record specification may use, indexed by
// field (the plugin's spelling, "isSuccsessful" included).
var fieldNames = [fieldCount]string{
	"isSuccsessful", "startTime", "endTime", "sentBytes", "receivedBytes", "responseTime", "latency",
	"responseCode", "responseMessage", "isFailed", "threadName", "sampleLabel", "startTimeMillis",
	"endTimeMillis", "responseTimeMicros", "latencyMicros", "requestData", "responseData", "responseHeaders",
	"threadsCount", "requestHeaders", "connectTime", "grpThreads", "sampleCount", "errorCount",
	"responseHeaderSize", "responseSize", "URL",
}

const varPrefix = "variable#"

// part is one piece of a record: a field, a sample variable, or text.
type part struct {
	field  field // -1: not a field
	varIdx int   // sample_variables index when isVar
	isVar  bool
	text   []byte
}

// Spec is a compiled record specification.
type Spec struct {
	parts []part
}

// Unescape is the plugin's treatment of the header, footer and record
// specification: "\t", "\n", "\r" become tab, newline and carriage return
// and "\\" a single backslash. As in the plugin (which passes "\\" through
// the placeholder text "VERY BAD WAY"), that text itself also becomes a
// backslash.
func Unescape(s string) string {
	const placeholder = "VERY BAD WAY"
	s = strings.ReplaceAll(s, `\\`, placeholder)
	s = strings.ReplaceAll(s, `\t`, "\t")
	s = strings.ReplaceAll(s, `\n`, "\n")
	s = strings.ReplaceAll(s, `\r`, "\r")
	return strings.ReplaceAll(s, placeholder, `\`)
}

// javaSplitBar is Java's String.split("\\|"): trailing empty pieces are
// dropped, and a string without "|" is one piece (even when empty).
func javaSplitBar(s string) []string {
	p := strings.Split(s, "|")
	if len(p) == 1 {
		return p
	}
	for len(p) > 0 && p[len(p)-1] == "" {
		p = p[:len(p)-1]
	}
	return p
}

// Compile reads a record specification as the plugin does: the text is
// unescaped, cut at each "|", and each piece is a field name, a
// "variable#N" sample variable, or literal text; an empty piece (from "||")
// writes "|". Every specification compiles.
func Compile(columns string) Spec {
	chunks := javaSplitBar(Unescape(columns))
	s := Spec{parts: make([]part, 0, len(chunks))}
	for _, c := range chunks {
		p := part{field: -1}
		for i, n := range fieldNames {
			if c == n {
				p.field = field(i)
				break
			}
		}
		if p.field < 0 {
			if n, err := strconv.Atoi(strings.TrimPrefix(c, varPrefix)); strings.HasPrefix(c, varPrefix) && err == nil {
				p.isVar, p.varIdx = true, n
			} else if c == "" {
				p.text = []byte("|")
			} else {
				p.text = []byte(c)
			}
		}
		s.parts = append(s.parts, p)
	}
	return s
}

// needs reports whether the record reads request details or bodies.
func (s Spec) needs() (request, bodies bool) {
	for _, p := range s.parts {
		switch p.field {
		case fSentBytes, fRequestData, fRequestHeaders:
			request = true
		case fReceivedBytes, fResponseData, fResponseSize:
			bodies = true
		}
	}
	return request, bodies
}

// Append appends r's record to dst. vars are the sample's sample_variables
// values and nvars how many names the property lists. It returns false
// (and dst unchanged in length past its start) when the plugin would lose
// the row: a negative variable index.
func (s Spec) Append(dst []byte, r *sample.Result, nvars int) ([]byte, bool) {
	start := len(dst)
	for _, p := range s.parts {
		switch {
		case p.isVar:
			switch {
			case p.varIdx < 0:
				return dst[:start], false
			case p.varIdx >= nvars:
				dst = append(dst, "UNDEFINED_variable#"...)
				dst = strconv.AppendInt(dst, int64(p.varIdx), 10)
			case p.varIdx < len(r.Vars):
				dst = append(dst, r.Vars[p.varIdx]...)
			}
		case p.field < 0:
			dst = append(dst, p.text...)
		default:
			dst = appendField(dst, r, p.field)
		}
	}
	return dst, true
}

func bit(dst []byte, b bool) []byte {
	if b {
		return append(dst, '1')
	}
	return append(dst, '0')
}

// shifted is the plugin's getShiftDecimal(n, 3): a point before the last
// three digits (1311121131362 → 1311121131.362).
func shifted(dst []byte, n int64) []byte {
	d := strconv.AppendInt(nil, n, 10)
	i := len(d) - 3
	if i < 0 { // the plugin would fail on such a time; write the digits
		return append(dst, d...)
	}
	dst = append(dst, d[:i]...)
	dst = append(dst, '.')
	return append(dst, d[i:]...)
}

// javaLen is String.length(): UTF-16 code units.
func javaLen(s string) int {
	n := 0
	for _, c := range s {
		n += utf16.RuneLen(c)
	}
	return n
}

func appendField(dst []byte, r *sample.Result, f field) []byte {
	switch f {
	case fSuccess:
		return bit(dst, r.Success)
	case fFailed:
		return bit(dst, !r.Success)
	case fStartTime:
		return strconv.AppendInt(dst, r.Start.UnixMilli(), 10)
	case fEndTime:
		return strconv.AppendInt(dst, r.End().UnixMilli(), 10)
	case fStartTimeMillis:
		return shifted(dst, r.Start.UnixMilli())
	case fEndTimeMillis:
		return shifted(dst, r.End().UnixMilli())
	case fSentBytes:
		return strconv.AppendInt(dst, int64(javaLen(r.SamplerData)), 10)
	case fReceivedBytes:
		return strconv.AppendInt(dst, int64(len(r.Body)), 10)
	case fResponseTime:
		return strconv.AppendInt(dst, r.Elapsed.Milliseconds(), 10)
	case fResponseTimeMicros:
		return strconv.AppendInt(dst, r.Elapsed.Milliseconds()*1000, 10)
	case fLatency:
		return strconv.AppendInt(dst, r.Latency.Milliseconds(), 10)
	case fLatencyMicros:
		return strconv.AppendInt(dst, r.Latency.Milliseconds()*1000, 10)
	case fConnectTime:
		return strconv.AppendInt(dst, r.Connect.Milliseconds(), 10)
	case fResponseCode:
		return append(dst, r.ResponseCode...)
	case fResponseMessage:
		return append(dst, r.ResponseMessage...)
	case fThreadName:
		return append(dst, r.ThreadName...)
	case fSampleLabel:
		return append(dst, r.Label...)
	case fRequestData:
		if r.SamplerData == "" { // JMeter's null sampler data
			return append(dst, '0')
		}
		return append(dst, r.SamplerData...)
	case fResponseData:
		return append(dst, r.Body...)
	case fResponseHeaders:
		return append(dst, r.ResponseHeaders...)
	case fRequestHeaders:
		return append(dst, r.RequestHeaders...)
	case fThreadsCount:
		return strconv.AppendInt(dst, int64(r.AllThreads), 10)
	case fGrpThreads:
		return strconv.AppendInt(dst, int64(r.GrpThreads), 10)
	case fSampleCount:
		return strconv.AppendInt(dst, int64(r.SampleCount), 10)
	case fErrorCount:
		return strconv.AppendInt(dst, int64(r.ErrorCount), 10)
	case fResponseHeaderSize:
		return strconv.AppendInt(dst, r.HeadersSize(), 10)
	case fResponseSize:
		return strconv.AppendInt(dst, r.BodySize(), 10)
	case fURL:
		return append(dst, r.URL...)
	}
	return dst
}
