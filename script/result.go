package script

import (
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/internal/javafmt"
	"github.com/gometer/gometer/sample"
)

// SampleResult is `prev`, `SampleResult` and `sampleResult`: a script's view
// of a sample.Result, with JMeter's getters and setters.
type SampleResult struct {
	r *sample.Result
	e *Env
}

// Unwrap returns the sample the script sees.
func (s *SampleResult) Unwrap() *sample.Result { return s.r }

func (s *SampleResult) GetSampleLabel() string   { return s.r.Label }
func (s *SampleResult) SetSampleLabel(l string)  { s.r.Label = l }
func (s *SampleResult) GetResponseCode() string  { return s.r.ResponseCode }
func (s *SampleResult) SetResponseCode(c string) { s.r.ResponseCode = c }
func (s *SampleResult) SetResponseCodeOK()       { s.r.ResponseCode = "200" }
func (s *SampleResult) GetResponseMessage() string {
	return s.r.ResponseMessage
}
func (s *SampleResult) SetResponseMessage(m string) { s.r.ResponseMessage = m }
func (s *SampleResult) SetResponseMessageOK()       { s.r.ResponseMessage = "OK" }
func (s *SampleResult) SetResponseOK()              { s.r.ResponseCode, s.r.ResponseMessage = "200", "OK" }
func (s *SampleResult) IsSuccessful() bool          { return s.r.Success }
func (s *SampleResult) SetSuccessful(b bool)        { s.r.Success = b }
func (s *SampleResult) IsResponseCodeOK() bool      { return s.r.ResponseCode == "200" }

// GetResponseDataAsString decodes the body with the sample's encoding
// (UTF-8 unless the sample says ISO-8859-1).
func (s *SampleResult) GetResponseDataAsString() string {
	if isLatin1(s.r.Encoding) {
		return latin1(s.r.Body)
	}
	return string(s.r.Body)
}
func (s *SampleResult) GetResponseData() []byte { return s.r.Body }

// SetResponseData takes a String (with an optional encoding) or a byte[].
func (s *SampleResult) SetResponseData(data any, enc ...any) {
	switch d := data.(type) {
	case []byte:
		s.r.Body = d
	case nil:
		s.r.Body = nil
	default:
		str := ToString(d)
		s.r.Body = []byte(str)
		if len(enc) > 0 && enc[0] != nil {
			s.r.Encoding = ToString(enc[0])
		}
	}
	s.r.Bytes = int64(len(s.r.Body)) + int64(len(s.r.ResponseHeaders))
}
func (s *SampleResult) GetDataType() string     { return s.r.DataType }
func (s *SampleResult) SetDataType(t string)    { s.r.DataType = t }
func (s *SampleResult) GetContentType() string  { return s.r.ContentType }
func (s *SampleResult) SetContentType(t string) { s.r.ContentType = t }
func (s *SampleResult) GetDataEncodingWithDefault() string {
	if s.r.Encoding == "" {
		return "UTF-8"
	}
	return s.r.Encoding
}
func (s *SampleResult) GetTime() int64        { return s.r.Elapsed.Milliseconds() }
func (s *SampleResult) GetLatency() int64     { return s.r.Latency.Milliseconds() }
func (s *SampleResult) GetConnectTime() int64 { return s.r.Connect.Milliseconds() }
func (s *SampleResult) GetIdleTime() int64    { return s.r.Idle.Milliseconds() }
func (s *SampleResult) GetStartTime() int64   { return s.r.Start.UnixMilli() }
func (s *SampleResult) GetEndTime() int64     { return s.r.End().UnixMilli() }
func (s *SampleResult) GetTimeStamp() int64   { return s.r.Start.UnixMilli() }
func (s *SampleResult) SetLatency(ms int64)   { s.r.Latency = time.Duration(ms) * time.Millisecond }
func (s *SampleResult) SetConnectTime(ms int64) {
	s.r.Connect = time.Duration(ms) * time.Millisecond
}

// SampleStart and SampleEnd time a sample a sampler script makes itself.
func (s *SampleResult) SampleStart() { s.r.Start = time.Now() }
func (s *SampleResult) SampleEnd() {
	if !s.r.Start.IsZero() {
		s.r.Elapsed = time.Since(s.r.Start)
	}
}
func (s *SampleResult) GetURL() any {
	if s.r.URL == "" {
		return nil
	}
	return s.r.URL
}
func (s *SampleResult) GetUrlAsString() string {
	if s.r.URL == "" {
		return "null"
	}
	return s.r.URL
}
func (s *SampleResult) GetRequestHeaders() string  { return s.r.RequestHeaders }
func (s *SampleResult) GetResponseHeaders() string { return s.r.ResponseHeaders }
func (s *SampleResult) SetResponseHeaders(h string) {
	s.r.ResponseHeaders = h
}
func (s *SampleResult) SetRequestHeaders(h string) { s.r.RequestHeaders = h }
func (s *SampleResult) GetSamplerData() string     { return s.r.SamplerData }
func (s *SampleResult) SetSamplerData(d string)    { s.r.SamplerData = d }
func (s *SampleResult) GetThreadName() string      { return s.r.ThreadName }
func (s *SampleResult) GetBytes() int64            { return s.r.Bytes }
func (s *SampleResult) GetBytesAsLong() int64      { return s.r.Bytes }
func (s *SampleResult) GetSentBytes() int64        { return s.r.SentBytes }
func (s *SampleResult) GetBodySizeAsLong() int64   { return int64(len(s.r.Body)) }
func (s *SampleResult) GetHeadersSize() int        { return len(s.r.ResponseHeaders) }
func (s *SampleResult) GetSampleCount() int        { return max(s.r.SampleCount, 1) }
func (s *SampleResult) GetErrorCount() int         { return s.r.ErrorCount }
func (s *SampleResult) GetFirstAssertionFailureMessage() string {
	return s.r.FailureMessage()
}

// SetIgnore keeps the sample from the listeners (JTL, summariser …).
func (s *SampleResult) SetIgnore()                    { s.r.Ignore = true }
func (s *SampleResult) IsIgnore() bool                { return s.r.Ignore }
func (s *SampleResult) SetStopThread(b bool)          { s.r.StopThread = b }
func (s *SampleResult) IsStopThread() bool            { return s.r.StopThread }
func (s *SampleResult) SetStopTest(b bool)            { s.r.StopTest = b }
func (s *SampleResult) IsStopTest() bool              { return s.r.StopTest }
func (s *SampleResult) SetStopTestNow(b bool)         { s.r.StopTestNow = b }
func (s *SampleResult) IsStopTestNow() bool           { return s.r.StopTestNow }
func (s *SampleResult) SetStartNextThreadLoop(b bool) { s.r.StartNextLoop = b }
func (s *SampleResult) IsStartNextThreadLoop() bool   { return s.r.StartNextLoop }

// GetSubResults returns the sub-samples.
func (s *SampleResult) GetSubResults() []any {
	out := make([]any, len(s.r.Subs))
	for i, r := range s.r.Subs {
		out[i] = &SampleResult{r: r, e: s.e}
	}
	return out
}

// GetAssertionResults returns the assertions run so far.
func (s *SampleResult) GetAssertionResults() []any {
	out := make([]any, len(s.r.Assertions))
	for i := range s.r.Assertions {
		out[i] = &AssertionResult{A: &s.r.Assertions[i]}
	}
	return out
}

func (s *SampleResult) String() string { return s.r.Label }

func isLatin1(enc string) bool {
	switch strings.ToUpper(strings.TrimSpace(enc)) {
	case "ISO-8859-1", "ISO8859_1", "LATIN1":
		return true
	}
	return false
}

func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// ToString renders a script value as Java's String.valueOf does: null is
// "null", doubles as Double.toString ("3.0", "1.0E10").
func ToString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int8:
		return strconv.FormatInt(int64(x), 10)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint8:
		return strconv.FormatUint(uint64(x), 10)
	case uint16:
		return strconv.FormatUint(uint64(x), 10)
	case uint32:
		return strconv.FormatUint(uint64(x), 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float32:
		return javafmt.Float(x)
	case float64:
		return javafmt.Double(x)
	case []byte:
		return string(x)
	case interface{ String() string }:
		return x.String()
	case error:
		return x.Error()
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = ToString(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmtAny(v)
}
