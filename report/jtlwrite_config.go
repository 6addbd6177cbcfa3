package report

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// PropertySource is where settings come from: *functions.Properties, or
// anything else that can look a property up.
type PropertySource interface {
	Get(name string) (string, bool)
}

func propOr(p PropertySource, name, def string) string {
	if v, ok := p.Get(name); ok {
		return v
	}
	return def
}

// SaveConfig says what a result file holds and how: JMeter's
// SampleSaveConfiguration, read from the jmeter.save.saveservice.*
// properties. The zero value writes nothing useful; start from
// DefaultSaveConfig or SaveConfigFromProps.
type SaveConfig struct {
	XML             bool // output_format=xml
	PrintFieldNames bool // CSV header line on a new file
	Delimiter       byte // CSV field separator (ASCII, printable or tab)

	// Timestamp switches the timeStamp column; TimestampFormat is "ms" (epoch
	// milliseconds) or a Java SimpleDateFormat pattern.
	Timestamp       bool
	TimestampFormat string
	// Location formats pattern timestamps (JMeter uses the JVM default zone).
	Location *time.Location
	// TimestampEnd stamps rows with the sample's end instead of its start
	// (sampleresult.timestamp.start=false; stock jmeter.properties sets true).
	TimestampEnd bool

	Elapsed, Label, ResponseCode, ResponseMessage, ThreadName, DataType, Success bool
	FailureMessage, Bytes, SentBytes, ThreadCounts, URL, Filename, Latency       bool
	Encoding, SampleCount, Hostname, IdleTime, Connect                           bool

	SubResults bool // write sub-results (CSV: own rows after the parent; XML: nested)
	AutoFlush  bool // push every row to the file at once

	// XML-only content switches.
	Assertions, ResponseData, ResponseDataOnError, SamplerData, RequestHeaders, ResponseHeaders bool
	XMLPI                                                                                       string

	// SampleVariables are the sample_variables names: extra trailing columns.
	SampleVariables []string
	// HostnameValue fills the Hostname column when a result has none.
	HostnameValue string
	// DefaultEncoding fills the Encoding column when a result has none
	// (sampleresult.default.encoding, UTF-8 by default).
	DefaultEncoding string

	// Warnings are non-fatal oddities found while reading properties, for the caller to log.
	Warnings []string

	ts *tsLayout // compiled TimestampFormat when it is a pattern
}

// DefaultSaveConfig is a stock JMeter 5.6 configuration: CSV, comma, header,
// the 17 default columns, sub-results on.
func DefaultSaveConfig() SaveConfig {
	host, _ := os.Hostname()
	return SaveConfig{
		PrintFieldNames: true,
		Delimiter:       ',',
		Timestamp:       true,
		TimestampFormat: "ms",
		Location:        time.Local,
		Elapsed:         true, Label: true, ResponseCode: true, ResponseMessage: true,
		ThreadName: true, DataType: true, Success: true, FailureMessage: true,
		Bytes: true, SentBytes: true, ThreadCounts: true, URL: true, Latency: true,
		IdleTime: true, Connect: true,
		SubResults:      true,
		Assertions:      true,
		HostnameValue:   host,
		DefaultEncoding: "UTF-8",
	}
}

const saveProp = "jmeter.save.saveservice."

// SaveConfigFromProps builds the configuration from JMeter properties
// (jmeter.save.saveservice.*, sample_variables, sampleresult.default.encoding),
// with JMeter 5.6's defaults for anything unset. A bad delimiter or an
// invalid timestamp pattern is an error (JMeter refuses to start on the
// former and silently drops the timestamps on the latter).
func SaveConfigFromProps(p PropertySource) (SaveConfig, error) {
	c := DefaultSaveConfig()
	if p == nil {
		return c, nil
	}
	flag := func(name string, def bool) bool {
		v, ok := p.Get(saveProp + name)
		if !ok {
			return def
		}
		return strings.EqualFold(strings.TrimSpace(v), "true")
	}
	c.SubResults = flag("subresults", true)
	c.Assertions = flag("assertions", true)
	c.Latency = flag("latency", true)
	c.Connect = flag("connect_time", true)
	c.SamplerData = flag("samplerData", false)
	c.ResponseHeaders = flag("responseHeaders", false)
	c.RequestHeaders = flag("requestHeaders", false)
	c.Encoding = flag("encoding", false)
	c.PrintFieldNames = flag("print_field_names", true)
	c.DataType = flag("data_type", true)
	c.Label = flag("label", true)
	c.ResponseCode = flag("response_code", true)
	c.ResponseData = flag("response_data", false)
	c.ResponseDataOnError = flag("response_data.on_error", false)
	c.ResponseMessage = flag("response_message", true)
	c.Success = flag("successful", true)
	c.ThreadName = flag("thread_name", true)
	c.Bytes = flag("bytes", true)
	c.SentBytes = flag("sent_bytes", true)
	c.URL = flag("url", true)
	c.Filename = flag("filename", false)
	c.Hostname = flag("hostname", false)
	c.Elapsed = flag("time", true)
	c.FailureMessage = flag("assertion_results_failure_message", true)
	c.ThreadCounts = flag("thread_counts", true)
	c.SampleCount = flag("sample_count", false)
	c.IdleTime = flag("idle_time", true)
	c.AutoFlush = flag("autoflush", false)
	c.XMLPI = propOr(p, saveProp+"xml_pi", "")

	d, err := ParseDelimiter(propOr(p, saveProp+"default_delimiter", ","))
	if err != nil {
		return c, err
	}
	c.Delimiter = d

	switch f := strings.TrimSpace(propOr(p, saveProp+"output_format", "csv")); f {
	case "xml":
		c.XML = true
	case "csv":
	default:
		// JMeter warns and falls back to CSV; so do we.
		c.Warnings = append(c.Warnings, fmt.Sprintf("%soutput_format has unexpected value %q - assuming csv", saveProp, f))
	}

	tf := propOr(p, saveProp+"timestamp_format", "ms")
	switch {
	case strings.EqualFold(tf, "ms"):
		c.TimestampFormat = "ms"
	case strings.EqualFold(tf, "none"):
		c.Timestamp = false
		c.TimestampFormat = "none"
	default:
		c.TimestampFormat = tf
	}
	if err := c.compile(); err != nil {
		return c, err
	}

	if v, ok := p.Get("sample_variables"); ok && v != "" {
		c.SampleVariables = splitJava(v, ",")
	}
	c.DefaultEncoding = propOr(p, "sampleresult.default.encoding", "UTF-8")
	if v, ok := p.Get("sampleresult.timestamp.start"); ok {
		c.TimestampEnd = !strings.EqualFold(strings.TrimSpace(v), "true")
	}
	return c, nil
}

// ParseDelimiter validates a delimiter as JMeter does: one character, `\t`
// accepted for tab, not alphanumeric or `"`, printable ASCII or tab.
func ParseDelimiter(v string) (byte, error) {
	if v == `\t` {
		v = "\t"
	}
	if len(v) != 1 {
		return 0, fmt.Errorf("jmeter.save.saveservice.default_delimiter %q: delimiter must be one character", v)
	}
	ch := v[0]
	if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '"' {
		return 0, fmt.Errorf("jmeter.save.saveservice.default_delimiter %q: delimiter must not be alphanumeric or '\"'", v)
	}
	if ch != '\t' && (ch < 32 || ch > 126) {
		return 0, fmt.Errorf("jmeter.save.saveservice.default_delimiter (code %d): delimiter must be printable", ch)
	}
	return ch, nil
}

// splitJava splits like Java's String.split with a literal separator:
// trailing empty strings are dropped.
func splitJava(s, sep string) []string {
	parts := strings.Split(s, sep)
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// compile prepares the timestamp pattern; called by SaveConfigFromProps and
// lazily by writers for hand-built configurations.
func (c *SaveConfig) compile() error {
	c.ts = nil
	if !c.Timestamp || c.TimestampFormat == "" || strings.EqualFold(c.TimestampFormat, "ms") {
		return nil
	}
	l, err := compileTimestampLayout(c.TimestampFormat)
	if err != nil {
		return fmt.Errorf("jmeter.save.saveservice.timestamp_format %q: %w", c.TimestampFormat, err)
	}
	c.ts = l
	if c.Location == nil {
		c.Location = time.Local
	}
	return nil
}

// Validate checks a hand-built configuration and compiles its timestamp
// pattern. Writers call it; callers building a SaveConfig by hand may too.
func (c *SaveConfig) Validate() error {
	if !c.XML {
		if _, err := ParseDelimiter(string([]byte{c.Delimiter})); err != nil {
			return err
		}
	}
	return c.compile()
}

// Header is the CSV field-names line (without line end) for this configuration.
func (c *SaveConfig) Header() string {
	var names []string
	add := func(on bool, n ...string) {
		if on {
			names = append(names, n...)
		}
	}
	add(c.Timestamp, "timeStamp")
	add(c.Elapsed, "elapsed")
	add(c.Label, "label")
	add(c.ResponseCode, "responseCode")
	add(c.ResponseMessage, "responseMessage")
	add(c.ThreadName, "threadName")
	add(c.DataType, "dataType")
	add(c.Success, "success")
	add(c.FailureMessage, "failureMessage")
	add(c.Bytes, "bytes")
	add(c.SentBytes, "sentBytes")
	add(c.ThreadCounts, "grpThreads", "allThreads")
	add(c.URL, "URL")
	add(c.Filename, "Filename")
	add(c.Latency, "Latency")
	add(c.Encoding, "Encoding")
	add(c.SampleCount, "SampleCount", "ErrorCount")
	add(c.Hostname, "Hostname")
	add(c.IdleTime, "IdleTime")
	add(c.Connect, "Connect")
	for _, v := range c.SampleVariables {
		names = append(names, `"`+v+`"`)
	}
	return strings.Join(names, string([]byte{c.Delimiter}))
}
