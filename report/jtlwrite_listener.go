package report

import (
	"strings"

	"github.com/gometer/gometer/jmx"
)

// SaveConfigForListener is the configuration a plan's listener
// (ResultCollector with a filename) writes with. JMeter reads the
// listener's saveConfig object from the .jmx, where every flag the file
// does not name is FALSE — plans saved by the GUI usually omit url,
// sentBytes, idleTime and connectTime and often turn fieldNames off, so
// their files differ from the -l file. What the .jmx cannot hold
// (delimiter, timestamp format, sample_variables, hostname, default
// encoding, autoflush) comes from base, i.e. the properties. A listener
// without a saveConfig uses base unchanged; so does a nil element.
func SaveConfigForListener(el *jmx.Element, base SaveConfig) SaveConfig {
	p := el.Prop("saveConfig")
	if p == nil || p.Elem == nil {
		return base
	}
	c := base
	flags := map[string]*bool{
		"time": &c.Elapsed, "latency": &c.Latency, "timestamp": &c.Timestamp, "success": &c.Success,
		"label": &c.Label, "code": &c.ResponseCode, "message": &c.ResponseMessage, "threadName": &c.ThreadName,
		"dataType": &c.DataType, "encoding": &c.Encoding, "assertions": &c.Assertions, "subresults": &c.SubResults,
		"responseData": &c.ResponseData, "samplerData": &c.SamplerData, "xml": &c.XML, "fieldNames": &c.PrintFieldNames,
		"responseHeaders": &c.ResponseHeaders, "requestHeaders": &c.RequestHeaders,
		"responseDataOnError": &c.ResponseDataOnError, "saveAssertionResultsFailureMessage": &c.FailureMessage,
		"bytes": &c.Bytes, "sentBytes": &c.SentBytes, "url": &c.URL, "fileName": &c.Filename, "hostname": &c.Hostname,
		"threadCounts": &c.ThreadCounts, "sampleCount": &c.SampleCount, "idleTime": &c.IdleTime, "connectTime": &c.Connect,
	}
	for _, f := range flags {
		*f = false
	}
	for _, q := range p.Elem.Props {
		if f, ok := flags[q.Name]; ok {
			*f = strings.EqualFold(strings.TrimSpace(q.Value), "true") // Boolean.valueOf

		}
	}
	_ = c.compile()
	return c
}
