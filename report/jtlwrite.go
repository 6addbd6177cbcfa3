package report

import (
	"strconv"
	"time"

	"github.com/gometer/gometer/sample"
)

// maxSubDepth mirrors JMeter's CSV writer: sub-results nested deeper than
// this many levels below the top sample are not written.
const maxSubDepth = 11

// FormatRow appends the CSV row of r alone (no sub-results), with its line
// end, to dst. The sample_variables columns come from r.Vars.
func FormatRow(dst []byte, r *sample.Result, cfg SaveConfig) []byte {
	if cfg.ts == nil && cfg.Timestamp && cfg.TimestampFormat != "" && cfg.TimestampFormat != "ms" {
		_ = cfg.compile() // hand-built config; an invalid pattern leaves the column empty
	}
	return appendRow(dst, r, r.Vars, &cfg)
}

// FormatRows appends r's row and, when cfg.SubResults is on, each
// sub-result's row right after its parent, depth-first. As in JMeter, sub
// rows carry the top sample's sample_variables values.
func FormatRows(dst []byte, r *sample.Result, cfg *SaveConfig) []byte {
	dst = appendRow(dst, r, r.Vars, cfg)
	if cfg.SubResults {
		dst = appendSubRows(dst, r, r.Vars, cfg, 1)
	}
	return dst
}

func appendSubRows(dst []byte, r *sample.Result, vars []string, cfg *SaveConfig, depth int) []byte {
	if depth > maxSubDepth {
		return dst
	}
	for _, s := range r.Subs {
		if s == nil {
			continue
		}
		dst = appendRow(dst, s, vars, cfg)
		dst = appendSubRows(dst, s, vars, cfg, depth+1)
	}
	return dst
}

// ms converts a duration to whole milliseconds, truncating as JMeter's
// millisecond clock does.
func ms(d time.Duration) int64 { return d.Milliseconds() }

// sampleCounts is JMeter's SampleCount/ErrorCount: an ordinary sample (a
// zero SampleCount here) counts 1, with 1 error when it failed.
func sampleCounts(r *sample.Result) (int, int) {
	if r.SampleCount > 0 {
		return r.SampleCount, r.ErrorCount
	}
	if r.Success {
		return 1, 0
	}
	return 1, 1
}

func appendRow(dst []byte, r *sample.Result, vars []string, cfg *SaveConfig) []byte {
	d := cfg.Delimiter
	first := true
	sep := func() {
		if first {
			first = false
			return
		}
		dst = append(dst, d)
	}
	if cfg.Timestamp {
		sep()
		stamp := r.Start
		if cfg.TimestampEnd {
			stamp = r.End()
		}
		if cfg.ts != nil {
			// a pattern may produce the delimiter or a quote: JMeter quotes it like any string
			at := len(dst)
			dst = cfg.ts.appendFormat(dst, stamp.In(cfg.Location))
			if needsQuote(dst[at:], d) {
				stamp := string(dst[at:])
				dst = appendCSVField(dst[:at], stamp, d)
			}
		} else if cfg.TimestampFormat == "" || cfg.TimestampFormat == "ms" {
			dst = strconv.AppendInt(dst, stamp.UnixMilli(), 10)
		}
	}
	if cfg.Elapsed {
		sep()
		dst = strconv.AppendInt(dst, ms(r.Elapsed), 10)
	}
	if cfg.Label {
		sep()
		dst = appendCSVField(dst, r.Label, d)
	}
	if cfg.ResponseCode {
		sep()
		dst = appendCSVField(dst, r.ResponseCode, d)
	}
	if cfg.ResponseMessage {
		sep()
		dst = appendCSVField(dst, r.ResponseMessage, d)
	}
	if cfg.ThreadName {
		sep()
		dst = appendCSVField(dst, r.ThreadName, d)
	}
	if cfg.DataType {
		sep()
		dst = appendCSVField(dst, r.DataType, d)
	}
	if cfg.Success {
		sep()
		dst = strconv.AppendBool(dst, r.Success)
	}
	if cfg.FailureMessage {
		sep()
		dst = appendCSVField(dst, r.FailureMessage(), d)
	}
	if cfg.Bytes {
		sep()
		dst = strconv.AppendInt(dst, r.Bytes, 10)
	}
	if cfg.SentBytes {
		sep()
		dst = strconv.AppendInt(dst, r.SentBytes, 10)
	}
	if cfg.ThreadCounts {
		sep()
		dst = strconv.AppendInt(dst, int64(r.GrpThreads), 10)
		sep()
		dst = strconv.AppendInt(dst, int64(r.AllThreads), 10)
	}
	if cfg.URL {
		sep()
		if r.URL == "" {
			dst = append(dst, "null"...) // JMeter prints a null URL literally
		} else {
			dst = appendCSVField(dst, r.URL, d)
		}
	}
	if cfg.Filename {
		sep()
		dst = appendCSVField(dst, r.ResultFileName, d)
	}
	if cfg.Latency {
		sep()
		dst = strconv.AppendInt(dst, ms(r.Latency), 10)
	}
	if cfg.Encoding {
		sep()
		enc := r.Encoding
		if enc == "" {
			enc = cfg.DefaultEncoding
		}
		dst = appendCSVField(dst, enc, d)
	}
	if cfg.SampleCount {
		sc, ec := sampleCounts(r)
		sep()
		dst = strconv.AppendInt(dst, int64(sc), 10)
		sep()
		dst = strconv.AppendInt(dst, int64(ec), 10)
	}
	if cfg.Hostname {
		sep()
		h := r.Hostname
		if h == "" {
			h = cfg.HostnameValue
		}
		dst = appendCSVField(dst, h, d)
	}
	if cfg.IdleTime {
		sep()
		dst = strconv.AppendInt(dst, ms(r.Idle), 10)
	}
	if cfg.Connect {
		sep()
		dst = strconv.AppendInt(dst, ms(r.Connect), 10)
	}
	for i := range cfg.SampleVariables {
		sep()
		if i < len(vars) {
			dst = appendCSVField(dst, vars[i], d)
		} else {
			dst = append(dst, "null"...) // an unset variable is a Java null
		}
	}
	return append(dst, '\n')
}

// appendCSVField quotes s only when it holds the delimiter, a double quote,
// CR or LF; quotes inside are doubled. Nothing else is escaped.
func appendCSVField(dst []byte, s string, delim byte) []byte {
	if !needsQuote(s, delim) {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}

// quoteComma marks the bytes that put a field in quotes with the default
// delimiter: one table load per byte instead of four comparisons.
var quoteComma = [256]bool{',': true, '"': true, '\r': true, '\n': true}

func needsQuote[T string | []byte](s T, delim byte) bool {
	if delim == ',' {
		for i := 0; i < len(s); i++ {
			if quoteComma[s[i]] {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == delim || c == '"' || c == '\r' || c == '\n' {
			return true
		}
	}
	return false
}

// ResultToSample flattens r into the JTL row it is written as (times in
// ms, failureMessage, "null" URL, counts). dst.Vars shares r.Vars.
func ResultToSample(r *sample.Result, dst *Sample) {
	sc, ec := sampleCounts(r)
	url := r.URL
	if url == "" {
		url = "null"
	}
	*dst = Sample{
		TimeStamp:       r.Start.UnixMilli(),
		Elapsed:         ms(r.Elapsed),
		Label:           r.Label,
		ResponseCode:    r.ResponseCode,
		ResponseMessage: r.ResponseMessage,
		ThreadName:      r.ThreadName,
		DataType:        r.DataType,
		Success:         r.Success,
		FailureMessage:  r.FailureMessage(),
		Bytes:           r.Bytes,
		SentBytes:       r.SentBytes,
		GrpThreads:      r.GrpThreads,
		AllThreads:      r.AllThreads,
		URL:             url,
		Latency:         ms(r.Latency),
		Encoding:        r.Encoding,
		SampleCount:     sc,
		ErrorCount:      ec,
		Hostname:        r.Hostname,
		IdleTime:        ms(r.Idle),
		Connect:         ms(r.Connect),
		Vars:            r.Vars,
	}
}
