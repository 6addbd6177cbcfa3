// Package trace records what one virtual user does, sample by sample — the
// request as sent, the response, the variables post-processors set, the
// assertions' results and the timers' pauses — and prints it for a person
// (a terminal) or a tool (JSON Lines). It is what `gometer debug` shows in
// place of JMeter's View Results Tree.
package trace

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// Step is one sample as the trace shows it.
type Step struct {
	N          int          `json:"n"` // 1-based, in the order samples finished
	Label      string       `json:"label"`
	Thread     string       `json:"thread"`
	Start      time.Time    `json:"start"`
	ElapsedMs  int64        `json:"elapsed_ms"`
	LatencyMs  int64        `json:"latency_ms"`
	ConnectMs  int64        `json:"connect_ms"`
	Success    bool         `json:"success"`
	Timers     []Pause      `json:"timers,omitempty"`
	Request    Request      `json:"request"`
	Response   Response     `json:"response"`
	Variables  []Variable   `json:"variables,omitempty"`
	Assertions []Assertion  `json:"assertions,omitempty"`
	Subs       []SubRequest `json:"subs,omitempty"`
}

// Pause is one timer's delay before the sample.
type Pause struct {
	Element string `json:"element"`
	DelayMs int64  `json:"delay_ms"`
}

// Request is what was sent.
type Request struct {
	Method  string `json:"method,omitempty"`
	URL     string `json:"url,omitempty"`
	Headers string `json:"headers,omitempty"`
	Body    string `json:"body,omitempty"`
	// BodyBytes is the body's full length when Body was cut to the limit.
	BodyBytes int `json:"body_bytes,omitempty"`
	// Data is the sampler's own description when it is not an HTTP request.
	Data string `json:"data,omitempty"`
}

// Response is what came back.
type Response struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Headers   string `json:"headers,omitempty"`
	Body      string `json:"body,omitempty"`
	BodyBytes int64  `json:"body_bytes"`
	Truncated bool   `json:"truncated,omitempty"`
}

// Variable is one variable a post-processor set, changed or removed.
type Variable struct {
	Element string `json:"element"`
	Name    string `json:"name"`
	Value   string `json:"value"`
	Removed bool   `json:"removed,omitempty"`
}

// Assertion is one assertion's result.
type Assertion struct {
	Name    string `json:"name"`
	Passed  bool   `json:"passed"`
	Error   bool   `json:"error,omitempty"`
	Message string `json:"message,omitempty"`
}

// SubRequest is a sub-result: a redirect hop, an embedded resource or a
// transaction's child.
type SubRequest struct {
	Label   string `json:"label"`
	Code    string `json:"code"`
	URL     string `json:"url,omitempty"`
	Success bool   `json:"success"`
}

// Options control a Recorder.
type Options struct {
	// BodyLimit is how many bytes of each request and response body are
	// shown (0: 2048).
	BodyLimit int
	// MaxSamples stops recording after that many samples (0: no limit);
	// OnLimit, when set, is then called once (debug stops the run there;
	// `run --trace N` goes on untraced).
	MaxSamples int
	OnLimit    func()
	// JSON prints one JSON object per sample (JSON Lines) instead of text.
	JSON bool
}

// Recorder is both the engine's tracer and an output: it pairs what the
// engine reports while a user works (timers, variables) with the sample
// when it is delivered, and prints each sample as it comes.
type Recorder struct {
	w    io.Writer
	opts Options

	done atomic.Bool // MaxSamples reached: the engine's wrappers stand down

	mu      sync.Mutex
	pending map[string][]Pause           // per thread, timers since its last sample
	extra   map[*sample.Result]*annotate // per sample, until delivered
	n       int
	failed  int
	err     error
}

type annotate struct {
	timers []Pause
	vars   []Variable
}

// New returns a Recorder printing to w.
func New(w io.Writer, opts Options) *Recorder {
	if opts.BodyLimit <= 0 {
		opts.BodyLimit = 2048
	}
	return &Recorder{w: w, opts: opts, pending: map[string][]Pause{}, extra: map[*sample.Result]*annotate{}}
}

// Active implements engine.Tracer: false once MaxSamples were shown.
func (t *Recorder) Active() bool { return !t.done.Load() }

// Timer implements engine.Tracer.
func (t *Recorder) Timer(thread, element string, d time.Duration) {
	t.mu.Lock()
	t.pending[thread] = append(t.pending[thread], Pause{element, d.Milliseconds()})
	t.mu.Unlock()
}

// Sampled implements engine.Tracer: the thread's timers so far belong to r.
func (t *Recorder) Sampled(r *sample.Result) {
	t.mu.Lock()
	t.extra[r] = &annotate{timers: t.pending[r.ThreadName]}
	delete(t.pending, r.ThreadName)
	t.mu.Unlock()
}

// Variable implements engine.Tracer.
func (t *Recorder) Variable(r *sample.Result, element, name, value string, removed bool) {
	t.mu.Lock()
	a := t.extra[r]
	if a == nil {
		a = &annotate{}
		t.extra[r] = a
	}
	a.vars = append(a.vars, Variable{element, name, value, removed})
	t.mu.Unlock()
}

// Start implements output.Output.
func (t *Recorder) Start(output.Run) error { return nil }

// Needs implements output.Needer: the trace shows requests and bodies.
func (t *Recorder) Needs() output.Needs {
	return output.Needs{RequestDetails: true, ResponseBodies: true}
}

// Add implements output.Output: the sample is printed at once.
func (t *Recorder) Add(r *sample.Result) {
	if t.done.Load() {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.extra[r]
	delete(t.extra, r)
	if t.opts.MaxSamples > 0 && t.n >= t.opts.MaxSamples {
		return
	}
	t.n++
	st := t.step(r, a)
	if !st.Success {
		t.failed++
	}
	var err error
	if t.opts.JSON {
		var b []byte
		if b, err = json.Marshal(st); err == nil {
			_, err = t.w.Write(append(b, '\n'))
		}
	} else {
		err = printStep(t.w, st)
	}
	if err != nil && t.err == nil {
		t.err = err
	}
	if t.opts.MaxSamples > 0 && t.n == t.opts.MaxSamples {
		t.done.Store(true)
		clear(t.extra)
		clear(t.pending)
		if t.opts.OnLimit != nil {
			t.opts.OnLimit()
		}
	}
}

// Stop implements output.Output.
func (t *Recorder) Stop() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// Counts returns the samples shown and how many of them failed.
func (t *Recorder) Counts() (shown, failed int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n, t.failed
}

func (t *Recorder) step(r *sample.Result, a *annotate) Step {
	st := Step{N: t.n, Label: r.Label, Thread: r.ThreadName, Start: r.Start, ElapsedMs: r.Elapsed.Milliseconds(),
		LatencyMs: r.Latency.Milliseconds(), ConnectMs: r.Connect.Milliseconds(), Success: r.Success}
	if a != nil {
		st.Timers, st.Variables = a.timers, a.vars
	}
	st.Request = t.request(r)
	st.Response = Response{Code: r.ResponseCode, Message: r.ResponseMessage, Headers: strings.TrimRight(r.ResponseHeaders, "\n"), BodyBytes: int64(len(r.Body))}
	st.Response.Body, st.Response.Truncated = t.cut(string(r.Body))
	for _, as := range r.Assertions {
		st.Assertions = append(st.Assertions, Assertion{Name: as.Name, Passed: !as.Failure && !as.Error, Error: as.Error, Message: as.FailureMessage})
	}
	for _, s := range r.Subs {
		st.Subs = append(st.Subs, SubRequest{Label: s.Label, Code: s.ResponseCode, URL: s.URL, Success: s.Success})
	}
	return st
}

// request reads JMeter's samplerData ("METHOD URL\n\nMETHOD data:\nbody\n\n[no cookies]\n")
// back into method, URL and body; other samplers keep their text.
func (t *Recorder) request(r *sample.Result) Request {
	req := Request{Headers: strings.TrimRight(r.RequestHeaders, "\n")}
	data := r.SamplerData
	first, rest, _ := strings.Cut(data, "\n")
	method, url, ok := strings.Cut(first, " ")
	if !ok || r.URL == "" || url != r.URL {
		req.Data, _ = t.cut(strings.TrimRight(data, "\n"))
		return req
	}
	req.Method, req.URL = method, url
	if body, found := strings.CutPrefix(rest, "\n"+method+" data:\n"); found {
		for _, end := range []string{"\n\n[no cookies]\n", "\n\nCookie Data:\n"} {
			if i := strings.LastIndex(body, end); i >= 0 {
				body = body[:i]
				break
			}
		}
		var cut bool
		req.Body, cut = t.cut(body)
		if cut {
			req.BodyBytes = len(body)
		}
	}
	return req
}

// cut shortens s to the body limit on a character boundary.
func (t *Recorder) cut(s string) (string, bool) {
	if len(s) <= t.opts.BodyLimit {
		return s, false
	}
	n := t.opts.BodyLimit
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n], true
}

// printStep writes one sample for a person to read.
func printStep(w io.Writer, s Step) error {
	var b strings.Builder
	verdict := "ok"
	if !s.Success {
		verdict = "FAILED"
	}
	fmt.Fprintf(&b, "── #%d %s — %s %s — %s — %d ms (latency %d, connect %d) — %s\n", s.N, s.Label, s.Response.Code, s.Response.Message,
		verdict, s.ElapsedMs, s.LatencyMs, s.ConnectMs, s.Thread)
	for _, p := range s.Timers {
		fmt.Fprintf(&b, "   timer   %s: %d ms\n", p.Element, p.DelayMs)
	}
	if s.Request.Method != "" {
		fmt.Fprintf(&b, "   > %s %s\n", s.Request.Method, s.Request.URL)
		indent(&b, "   > ", s.Request.Headers)
		if s.Request.Body != "" {
			b.WriteString("   >\n")
			indent(&b, "   > ", s.Request.Body)
			if s.Request.BodyBytes > 0 {
				fmt.Fprintf(&b, "   > … (%d bytes in all)\n", s.Request.BodyBytes)
			}
		}
	} else if s.Request.Data != "" {
		indent(&b, "   > ", s.Request.Data)
	}
	if s.Response.Headers != "" {
		indent(&b, "   < ", s.Response.Headers)
	}
	if s.Response.Body != "" {
		b.WriteString("   <\n")
		indent(&b, "   < ", s.Response.Body)
		if s.Response.Truncated {
			fmt.Fprintf(&b, "   < … (%d bytes in all)\n", s.Response.BodyBytes)
		}
	}
	for _, sub := range s.Subs {
		fmt.Fprintf(&b, "   sub     %s — %s %s\n", sub.Label, sub.Code, sub.URL)
	}
	for _, v := range s.Variables {
		if v.Removed {
			fmt.Fprintf(&b, "   var     %s removed (%s)\n", v.Name, v.Element)
		} else {
			fmt.Fprintf(&b, "   var     %s = %q (%s)\n", v.Name, v.Value, v.Element)
		}
	}
	for _, a := range s.Assertions {
		switch {
		case a.Passed:
			fmt.Fprintf(&b, "   assert  %s: passed\n", a.Name)
		case a.Error:
			fmt.Fprintf(&b, "   assert  %s: ERROR %s\n", a.Name, a.Message)
		default:
			fmt.Fprintf(&b, "   assert  %s: FAILED %s\n", a.Name, a.Message)
		}
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// indent writes each line of text with a prefix, control characters shown
// escaped so that a binary body cannot upset the terminal.
func indent(b *strings.Builder, prefix, text string) {
	if text == "" {
		return
	}
	for _, line := range strings.Split(text, "\n") {
		b.WriteString(prefix)
		b.WriteString(strings.TrimRight(printable(line), "\r"))
		b.WriteByte('\n')
	}
}

func printable(s string) string {
	clean := true
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\r') || r == 0x7f || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' || r == '\r':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\x%02x", r)
		case r == utf8.RuneError:
			b.WriteString("\\ufffd")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
