// Package sample holds the Result every stage of a run shares: samplers
// produce it, the engine adds assertions and sub-results to it, and outputs
// (JTL writers, statistics, live metrics) read it. It depends on no protocol.
package sample

import (
	"strings"
	"time"
)

// Result is one sample, with every field JMeter's JTL can carry.
type Result struct {
	Label           string
	Start           time.Time     // wall-clock start of the sample (JTL timeStamp)
	Elapsed         time.Duration // start to last byte, minus Idle
	Latency         time.Duration // start to first byte of the response (includes Connect)
	Connect         time.Duration // start to connection established; 0 on a reused connection
	Idle            time.Duration // time inside the sample that is not counted (transaction controllers)
	ResponseCode    string
	ResponseMessage string
	ThreadName      string
	DataType        string // "text", "bin" or ""
	Success         bool
	Bytes           int64 // received bytes: headers + body as on the wire
	SentBytes       int64
	GrpThreads      int
	AllThreads      int
	URL             string // "" is written as "null" in the JTL, as JMeter does
	Encoding        string
	Hostname        string
	SampleCount     int // 1 for an ordinary sample
	ErrorCount      int // 0 or 1 for an ordinary sample

	// Assertions in the order they ran; the JTL failureMessage is the first failing one's message.
	Assertions []AssertionResult
	// Subs are sub-results (redirect hops, transaction children), written after the parent.
	Subs []*Result

	// Data kept for post-processors, assertions and the XML JTL; not written to CSV.
	Method          string
	RequestHeaders  string
	SamplerData     string // request line and body as JMeter's "samplerData"
	ResponseHeaders string // status line and headers as received, one per line, "\n" separated (as JMeter stores them)
	Body            []byte // response body (possibly truncated; Bytes still counts all)
	ContentType     string
	Cookies         string
	// RedirectLocation is the Location of a redirect response (XML JTL <redirectLocation>).
	RedirectLocation string
	// QueryString is the request body JMeter keeps for entity requests (XML JTL <queryString>).
	QueryString string

	// Flags a sampler or the engine sets to steer the virtual user after this sample.
	StopThread    bool
	StopTest      bool
	StopTestNow   bool
	StartNextLoop bool
	// Ignore keeps the sample from the listeners and enclosing transactions
	// (SampleResult.setIgnore() in a script).
	Ignore bool
	// Transaction marks a transaction controller sample (response message
	// "Number of samples in transaction : …").
	Transaction bool
	// Vars are values of the sample_variables columns, in order.
	Vars []string
	// ResultFileName is the file Save Responses to a file wrote the body
	// to (JTL "Filename" column), "" when none.
	ResultFileName string
}

// AssertionResult is one assertion's verdict on a sample.
type AssertionResult struct {
	Name           string
	Failure        bool // the assertion did not hold
	Error          bool // the assertion could not be evaluated
	FailureMessage string
	// MessageSet marks a message JMeter sets even when it is empty or the
	// assertion holds (JSON/XPath assertions start from ""): Java's non-null.
	MessageSet bool
}

// FailureMessage is the JTL failureMessage: as JMeter's
// getFirstAssertionFailureMessage, the message of the first assertion that
// has one (non-null), whether or not that assertion failed. A passing JSON
// or XPath assertion ahead of a failing one therefore yields "".
func (r *Result) FailureMessage() string {
	for _, a := range r.Assertions {
		if a.MessageSet || a.FailureMessage != "" {
			return a.FailureMessage
		}
	}
	return ""
}

// End is Start + Elapsed + Idle: when the sample finished.
func (r *Result) End() time.Time { return r.Start.Add(r.Elapsed + r.Idle) }

// HeadersSize is JMeter's getHeadersSize: the response header block as on
// the wire. ResponseHeaders has one "\n"-terminated line per header and the
// status line; the wire adds a "\r" to each line and the blank "\r\n" line
// that ends the block. 0 when there are no headers (non-HTTP samples).
func (r *Result) HeadersSize() int64 {
	h := r.ResponseHeaders
	if h == "" {
		return 0
	}
	return int64(len(h) + strings.Count(h, "\n") + 2)
}

// BodySize is JMeter's body size: what was received after the header block
// (Body may be decoded or truncated), or the data's length without headers.
func (r *Result) BodySize() int64 {
	if hs := r.HeadersSize(); hs > 0 && r.Bytes >= hs {
		return r.Bytes - hs
	}
	return int64(len(r.Body))
}
