// Package websocket runs the Luminis WebSocket samplers
// (eu.luminis.jmeter.wssampler.*) on github.com/coder/websocket: open,
// request-response, single write, single read, ping/pong and close, with
// each user's connection kept across samplers as the plugin keeps it per
// JMeter thread (one per connection id).
package websocket

import (
	"context"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	ws "github.com/coder/websocket"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sampler"
)

// Classes are the plugin's sampler classes gometer runs.
var Classes = []string{
	pkg + "OpenWebSocketSampler", pkg + "RequestResponseWebSocketSampler", pkg + "SingleWriteWebSocketSampler",
	pkg + "SingleReadWebSocketSampler", pkg + "PingPongSampler", pkg + "CloseWebSocketSampler",
}

const pkg = "eu.luminis.jmeter.wssampler."

// frame is one frame received: a data frame, or a ping or pong the
// server sent (surfaced as the plugin's client surfaces them, so a read
// without a ping filter meets them).
type frame struct {
	op   opcode
	data []byte
}

type opcode uint8

const (
	opText opcode = iota
	opBinary
	opPing
	opPong
)

func (o opcode) String() string {
	return [...]string{"text", "binary", "ping", "pong"}[o]
}

// String describes the frame as the plugin's frames describe themselves.
func (f frame) String() string {
	switch f.op {
	case opText:
		return "Text frame with text '" + string(f.data) + "'"
	case opBinary:
		if len(f.data) == 0 {
			return "Binary frame, empty payload"
		}
		return "Binary frame, payload (length " + strconv.Itoa(len(f.data)) + "): " + formatBinary(f.data, 16)
	}
	kind := "Ping"
	if f.op == opPong {
		kind = "Pong"
	}
	if len(f.data) == 0 {
		return kind + " frame with no application data"
	}
	return kind + " frame with application data '" + string(f.data) + "'"
}

// formatBinary writes at most max bytes as "0xca 0xfe", then " ..." if cut.
func formatBinary(b []byte, max int) string {
	var sb strings.Builder
	for i, c := range b {
		if i == max {
			sb.WriteString(" ...")
			break
		}
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString("0x")
		sb.WriteString(hex.EncodeToString([]byte{c}))
	}
	return sb.String()
}

// size is the frame's length on the wire from the server (unmasked).
func (f frame) size() int { return frameHeader(len(f.data)) + len(f.data) }

// maskedSize is the wire length of a frame the client sends.
func maskedSize(payload int) int { return frameHeader(payload) + 4 + payload }

func frameHeader(payload int) int {
	switch {
	case payload < 126:
		return 2
	case payload <= 0xffff:
		return 4
	}
	return 10
}

// conn is one open WebSocket connection of a user. A reader goroutine
// takes frames off the wire (answering pings, delivering pongs) into a
// bounded queue the read samplers take from. The queue is a slice that
// holds no memory while empty: a thousand idle connections cost no
// thousand preallocated buffers.
type conn struct {
	c     *ws.Conn
	mu    sync.Mutex
	queue []frame       // received, not yet read; at most queueFrames
	ready chan struct{} // a token when the queue gained a frame
	space chan struct{} // a token when a full queue lost one
	done  chan struct{}
	quit  chan struct{} // closed when the user drops the connection
	once  sync.Once
	err   error // why reading stopped; read after done is closed
	url   string
	// pinging is set while a Ping/Pong sampler waits for its pong
	pinging atomic.Bool
}

const queueFrames = 1024 // frames received ahead of the samplers that read them

func (cn *conn) readLoop() {
	defer close(cn.done)
	for {
		typ, data, err := cn.c.Read(context.Background())
		if err != nil {
			cn.err = err
			return
		}
		op := opText
		if typ == ws.MessageBinary {
			op = opBinary
		}
		if !cn.put(frame{op: op, data: data}) {
			return
		}
	}
}

// put queues a frame for the samplers, waiting while the queue is full;
// false when the user dropped the connection meanwhile.
func (cn *conn) put(f frame) bool {
	for {
		cn.mu.Lock()
		if len(cn.queue) < queueFrames {
			cn.queue = append(cn.queue, f)
			cn.mu.Unlock()
			signal(cn.ready)
			return true
		}
		cn.mu.Unlock()
		select {
		case <-cn.space:
		case <-cn.quit:
			return false
		}
	}
}

// take removes the oldest queued frame, if any.
func (cn *conn) take() (frame, bool) {
	cn.mu.Lock()
	defer cn.mu.Unlock()
	if len(cn.queue) == 0 {
		return frame{}, false
	}
	f := cn.queue[0]
	cn.queue[0] = frame{}
	cn.queue = cn.queue[1:]
	if len(cn.queue) == 0 {
		cn.queue = nil // let the backing array go
	}
	signal(cn.space)
	return f, true
}

// signal leaves a token in a one-slot channel unless one is there.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// onPing queues a ping the server sent (the pong is sent at once).
func (cn *conn) onPing(_ context.Context, payload []byte) bool {
	cn.put(frame{op: opPing, data: append([]byte(nil), payload...)})
	return true
}

// onPong queues a pong, unless it answers the ping a Ping/Pong sampler is
// waiting for.
func (cn *conn) onPong(_ context.Context, payload []byte) {
	if cn.pinging.CompareAndSwap(true, false) {
		return
	}
	cn.put(frame{op: opPong, data: append([]byte(nil), payload...)})
}

// next waits for a data frame up to timeout (0: no limit).
func (cn *conn) next(ctx context.Context, timeout time.Duration) (frame, error) {
	var tc <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		tc = t.C
	}
	for {
		if f, ok := cn.take(); ok {
			return f, nil
		}
		select {
		case <-cn.ready:
		case <-cn.done:
			if f, ok := cn.take(); ok {
				return f, nil
			}
			return frame{}, cn.err
		case <-tc:
			return frame{}, errReadTimeout
		case <-ctx.Done():
			return frame{}, ctx.Err()
		}
	}
}

var errReadTimeout = errors.New("java.net.SocketTimeoutException: Read timed out")

func (cn *conn) close() {
	cn.once.Do(func() { close(cn.quit) })
	_ = cn.c.CloseNow()
	<-cn.done
}

// userConns is a user's connections by connection id.
type userConns map[string]*conn

func (u userConns) Close() error {
	for id, c := range u {
		c.close()
		delete(u, id)
	}
	return nil
}

type stateKey struct{}

func connsOf(s *sampler.Session) userConns {
	u, _ := s.State(stateKey{}).(userConns)
	if u == nil {
		u = userConns{}
		s.SetState(stateKey{}, u)
	}
	return u
}

// kind is which of the plugin's samplers an element is.
type kind uint8

const (
	kOpen kind = iota
	kRequestResponse
	kWrite
	kRead
	kPingPong
	kClose
)

// Sampler is one Luminis WebSocket sampler.
type Sampler struct {
	kind                           kind
	label                          *functions.Template
	server, port, path, connID     *functions.Template
	requestData, connectTO, readTO *functions.Template
	statusCode, dataType           *functions.Template
	tls, newConn, binary, optional bool
	mu                             sync.Mutex
	dialer                         *http.Client
	filters                        []*Filter // innermost scope first, as the plugin lists them
	sizeWithFiltered, keepLabels   bool
}

// Options are what a sampler takes from its scope and the run.
type Options struct {
	// Filters are the frame filters in the sampler's scope: its own
	// children first (in plan order), then its parent's, outwards.
	Filters []*Filter
	// SizeIncludesFiltered adds the discarded frames' sizes to the
	// sample's (property websocket.result.size_includes_filtered_frames).
	SizeIncludesFiltered bool
	// KeepSubLabels keeps the plugin's labels of discarded frames; JMeter
	// otherwise renames each sub-result "<sample label>-<index>".
	KeepSubLabels bool
}

// New compiles a Luminis sampler element.
func New(el *jmx.Element, opts Options) (*Sampler, error) {
	s := &Sampler{filters: opts.Filters, sizeWithFiltered: opts.SizeIncludesFiltered, keepLabels: opts.KeepSubLabels}
	switch strings.TrimPrefix(el.Class(), pkg) {
	case "OpenWebSocketSampler":
		s.kind = kOpen
	case "RequestResponseWebSocketSampler":
		s.kind = kRequestResponse
	case "SingleWriteWebSocketSampler":
		s.kind = kWrite
	case "SingleReadWebSocketSampler":
		s.kind = kRead
	case "PingPongSampler":
		s.kind = kPingPong
	case "CloseWebSocketSampler":
		s.kind = kClose
	default:
		return nil, fmt.Errorf("WebSocket sampler %s is not supported", el.Class())
	}
	if el.Str("loadDataFromFile") == "true" || el.Bool("loadDataFromFile", false) {
		return nil, errors.New("request data from a file (loadDataFromFile) is not supported")
	}
	for _, f := range []struct {
		dst       **functions.Template
		prop, def string
	}{
		{&s.label, "", ""}, {&s.server, "server", ""}, {&s.port, "port", "80"}, {&s.path, "path", ""},
		{&s.connID, "connectionId", ""}, {&s.requestData, "requestData", ""}, {&s.connectTO, "connectTimeout", "20000"},
		{&s.readTO, "readTimeout", "6000"}, {&s.statusCode, "statusCode", "1000"}, {&s.dataType, "dataType", ""},
	} {
		src := el.Name
		if f.prop != "" {
			src = el.StrOr(f.prop, f.def)
		}
		t, err := functions.Compile(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.prop, err)
		}
		*f.dst = t
	}
	s.tls = el.Bool("TLS", false)
	s.newConn = el.Bool("createNewConnection", s.kind == kRequestResponse)
	s.binary = el.Bool("binaryPayload", false)
	s.optional = el.Bool("optional", false)
	if pt := el.Str("payloadType"); pt == "Binary" {
		s.binary = true
	}
	return s, nil
}

// Sample runs the sampler for one user.
func (s *Sampler) Sample(ctx context.Context, sess *sampler.Session) *sampler.Result {
	c := sess.Ctx
	res := &sampler.Result{Label: s.label.Eval(c), DataType: "text", SampleCount: 1}
	readTO, err1 := timeoutMS(s.readTO.Eval(c), "Read timeout", 0)
	connectTO, err2 := timeoutMS(s.connectTO.Eval(c), "Connection timeout", 1)
	if err := errors.Join(err1, err2); err != nil {
		return samplerError(res, err.Error())
	}
	conns := connsOf(sess)
	id := strings.TrimSpace(s.connID.Eval(c))
	cn := conns[id]
	opens := s.kind == kOpen || ((s.kind == kRequestResponse || s.kind == kWrite || s.kind == kRead) && s.newConn)
	res.Start = time.Now()
	start := res.Start
	fresh := false
	if opens {
		if cn != nil {
			cn.close()
			delete(conns, id)
		}
		u, err := s.url(c)
		if err != nil {
			return samplerError(res, err.Error())
		}
		res.SamplerData = "Connect URL:\n" + u + "\n"
		cn, err = s.dial(ctx, u, connectTO, res)
		res.Connect = time.Since(start)
		if err != nil {
			res.Elapsed = time.Since(start)
			res.ResponseCode = "Websocket error"
			res.ResponseMessage = "WebSocket error: " + err.Error()
			return fail(res)
		}
		conns[id] = cn
		fresh = true
	} else if cn == nil {
		res.ResponseCode = "Sampler error"
		res.ResponseMessage = "Sampler configured for using existing connection, but there is no connection"
		return fail(res)
	} else {
		res.SamplerData = "Connect URL:\n" + cn.url + "\n(using existing connection)\n"
	}
	if fresh {
		res.ResponseCode, res.ResponseMessage = "101", "Switching Protocols"
	} else {
		res.ResponseCode, res.ResponseMessage = "200", "OK"
	}
	err := s.exchange(ctx, c, cn, readTO, res)
	res.Elapsed = time.Since(start)
	if res.Latency == 0 {
		res.Latency = res.Elapsed
	}
	if s.kind == kClose || (err != nil && cn.closed()) {
		delete(conns, id)
		if err != nil {
			go cn.close() // a close handshake still under way ends within its own timeout, off the user's time
		} else {
			cn.close()
		}
	}
	if err != nil {
		var se *samplerErr
		if errors.As(err, &se) {
			res.ResponseCode, res.ResponseMessage = se.code, se.msg
		} else {
			res.ResponseCode, res.ResponseMessage = "Websocket error", "WebSocket error: "+err.Error()
		}
		s.addFiltered(res)
		return fail(res)
	}
	res.Success = true
	res.Bytes = int64(len(res.Body))
	s.addFiltered(res)
	return res
}

// addFiltered names the discarded frames' sub-results as JMeter does and
// adds their sizes to the sample when the run asks for it.
func (s *Sampler) addFiltered(res *sampler.Result) {
	if !s.keepLabels {
		for i, sub := range res.Subs {
			sub.Label = res.Label + "-" + strconv.Itoa(i)
		}
	}
	if !s.sizeWithFiltered {
		return
	}
	for _, sub := range res.Subs {
		res.Bytes += sub.Bytes
		res.SentBytes += sub.SentBytes
	}
}

func (cn *conn) closed() bool {
	select {
	case <-cn.done:
		return true
	default:
		return false
	}
}

// samplerErr is a failure the plugin reports with its own code.
type samplerErr struct{ code, msg string }

func (e *samplerErr) Error() string { return e.msg }

func (s *Sampler) exchange(ctx context.Context, c *functions.Context, cn *conn, readTO time.Duration, res *sampler.Result) error {
	switch s.kind {
	case kOpen:
		return nil
	case kWrite, kRequestResponse:
		data := s.requestData.Eval(c)
		res.SamplerData += "\nRequest data:\n" + data + "\n"
		if err := s.write(ctx, cn, data); err != nil {
			return err
		}
		res.SentBytes += int64(len(data))
		if s.kind == kWrite {
			return nil
		}
		want := "Text"
		if s.binary {
			want = "Binary"
		}
		return s.read(ctx, c, cn, readTO, want, false, res)
	case kRead:
		want := strings.TrimSpace(s.dataType.Eval(c))
		if want == "" {
			want = "Text"
			if s.binary {
				want = "Binary"
			}
		}
		return s.read(ctx, c, cn, readTO, want, s.optional, res)
	case kPingPong:
		pctx, cancel := context.WithTimeout(ctx, orForever(readTO))
		defer cancel()
		cn.pinging.Store(true)
		err := cn.c.Ping(pctx)
		cn.pinging.Store(false)
		if err != nil {
			if pctx.Err() != nil && ctx.Err() == nil {
				return errReadTimeout
			}
			return err
		}
		res.Latency = time.Since(res.Start)
		return nil
	case kClose:
		code, err := strconv.Atoi(strings.TrimSpace(s.statusCode.Eval(c)))
		if err != nil {
			return &samplerErr{"Sampler error", "Sampler error: close status '" + s.statusCode.Eval(c) + "' is not a number."}
		}
		// the close handshake waits for the server's close frame up to the
		// read timeout
		done := make(chan error, 1)
		go func() { done <- cn.c.Close(ws.StatusCode(code), "") }()
		var t <-chan time.Time
		if readTO > 0 {
			tm := time.NewTimer(readTO)
			defer tm.Stop()
			t = tm.C
		}
		select {
		case err := <-done:
			<-cn.done
			if ferr := s.drainFiltered(c, cn, res); ferr != nil {
				return ferr
			}
			if st := ws.CloseStatus(cn.err); st != -1 {
				res.Body = []byte(strconv.Itoa(int(st)))
				res.ResponseMessage = "Received close frame with status code " + strconv.Itoa(int(st))
				return nil
			}
			if err != nil && !errors.Is(err, context.Canceled) {
				return err
			}
			return nil
		case <-t:
			return &samplerErr{"Websocket error", "WebSocket error: java.net.SocketTimeoutException: Read timed out (no close frame received)"}
		}
	}
	return nil
}

func orForever(d time.Duration) time.Duration {
	if d <= 0 {
		return 24 * time.Hour
	}
	return d
}

func (s *Sampler) write(ctx context.Context, cn *conn, data string) error {
	if s.binary {
		b, err := parseBinary(data)
		if err != nil {
			return &samplerErr{"Sampler Error", "Request data is not binary: " + data}
		}
		return cn.c.Write(ctx, ws.MessageBinary, b)
	}
	return cn.c.Write(ctx, ws.MessageText, []byte(data))
}

// read takes the next frame that passes the filters and checks its type
// (Text, Binary or Any data frame).
func (s *Sampler) read(ctx context.Context, c *functions.Context, cn *conn, readTO time.Duration, want string, optional bool, res *sampler.Result) error {
	f, err := s.receive(ctx, c, cn, readTO, res)
	if errors.Is(err, errReadTimeout) && optional {
		res.ResponseCode, res.ResponseMessage = "No response", "Read timeout, no response received."
		return nil
	}
	if err != nil {
		return err
	}
	res.Latency = time.Since(res.Start)
	data := f.op == opText || f.op == opBinary
	if !data || (want == "Text" && f.op != opText) || (want == "Binary" && f.op != opBinary) {
		return unexpected(f)
	}
	res.Body = f.data
	if f.op == opBinary {
		res.DataType = "bin"
	}
	return nil
}

func unexpected(f frame) error {
	return &samplerErr{"Sampler error: unexpected frame type (" + f.op.String() + ").", "Received: " + f.String()}
}

// receive takes frames until one passes every filter in scope; each
// discarded frame becomes a sub-result. The read timeout bounds the whole
// wait, discarded frames included, as in the plugin.
func (s *Sampler) receive(ctx context.Context, c *functions.Context, cn *conn, readTO time.Duration, res *sampler.Result) (frame, error) {
	deadline := time.Now().Add(readTO)
	for {
		start := time.Now()
		wait := time.Duration(0) // no limit
		if readTO > 0 {
			if wait = time.Until(deadline); wait <= 0 {
				return frame{}, errReadTimeout
			}
		}
		f, err := cn.next(ctx, wait)
		if err != nil {
			return f, err
		}
		by, err := s.discardedBy(f, c)
		if err != nil {
			return f, err
		}
		if by == nil {
			return f, nil
		}
		res.Subs = append(res.Subs, by.discarded(f, start))
	}
}

// discardedBy is the filter that discards f, nil if it passes. The plugin
// chains its filters so that the last one listed sees a frame first.
func (s *Sampler) discardedBy(f frame, c *functions.Context) (*Filter, error) {
	for i := len(s.filters) - 1; i >= 0; i-- {
		ok, err := s.filters[i].discards(f, c)
		if err != nil {
			return nil, &samplerErr{"Sampler error", "Sampler error: " + err.Error()}
		}
		if ok {
			return s.filters[i], nil
		}
	}
	return nil, nil
}

// drainFiltered reads the frames still queued when the close handshake
// ended, as the plugin's close sampler reads up to the close frame: the
// filters discard them (sub-results) or the first one they pass is an
// unexpected frame.
func (s *Sampler) drainFiltered(c *functions.Context, cn *conn, res *sampler.Result) error {
	for {
		f, ok := cn.take()
		if !ok {
			return nil
		}
		by, err := s.discardedBy(f, c)
		if err != nil {
			return err
		}
		if by == nil {
			return unexpected(f)
		}
		res.Subs = append(res.Subs, by.discarded(f, time.Now()))
	}
}

// parseBinary reads the plugin's binary notation (its BinaryUtils): words
// separated by single spaces; a word starting "0x" is one number whose low
// byte is taken ("0x1ff" is 0xff), any other word is hex digit pairs ("cafe",
// a last lone digit is a byte of its own). Java's parsing rules hold: a pair
// may carry a sign ("-1" is 0xff), "0X" is not a prefix.
func parseBinary(s string) ([]byte, error) {
	if strings.TrimSpace(s) == "" {
		return []byte{}, nil
	}
	out := []byte{}
	for _, w := range strings.Split(s, " ") {
		if rest, ok := strings.CutPrefix(w, "0x"); ok {
			if rest == "" || rest[0] == '-' || rest[0] == '+' {
				return nil, fmt.Errorf("not a number: %q", w)
			}
			n, err := strconv.ParseInt(rest, 16, 32)
			if err != nil {
				return nil, fmt.Errorf("not a number: %q", w)
			}
			out = append(out, byte(n))
			continue
		}
		for i := 0; i < len(w); i += 2 {
			pair := w[i:min(len(w), i+2)]
			n, err := strconv.ParseInt(pair, 16, 32)
			if err != nil {
				return nil, fmt.Errorf("not a number: %q", pair)
			}
			out = append(out, byte(n))
		}
	}
	return out, nil
}

func (s *Sampler) url(c *functions.Context) (string, error) {
	port := strings.TrimSpace(s.port.Eval(c))
	p, err := strconv.Atoi(port)
	if err != nil {
		return "", fmt.Errorf("Port number '%s' is not a number.", port)
	}
	if p <= 0 || p > 65535 {
		return "", fmt.Errorf("Port number '%s' is not valid.", port)
	}
	path := s.path.Eval(c)
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	scheme := "ws"
	if s.tls {
		scheme = "wss"
	}
	return scheme + "://" + s.server.Eval(c) + ":" + port + path, nil
}

func (s *Sampler) dial(ctx context.Context, u string, connectTO time.Duration, res *sampler.Result) (*conn, error) {
	dctx, cancel := context.WithTimeout(ctx, connectTO)
	defer cancel()
	s.mu.Lock()
	if s.dialer == nil {
		// JMeter accepts any certificate
		s.dialer = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec
	}
	hc := s.dialer
	s.mu.Unlock()
	cn := &conn{ready: make(chan struct{}, 1), space: make(chan struct{}, 1), done: make(chan struct{}), quit: make(chan struct{}), url: u}
	c, resp, err := ws.Dial(dctx, u, &ws.DialOptions{HTTPClient: hc, OnPingReceived: cn.onPing, OnPongReceived: cn.onPong})
	if err != nil {
		if resp != nil && resp.StatusCode != 101 {
			return nil, &samplerErr{strconv.Itoa(resp.StatusCode), "Http Upgrade failed with status code " + strconv.Itoa(resp.StatusCode)}
		}
		return nil, err
	}
	c.SetReadLimit(16 << 20)
	if resp != nil {
		res.ResponseHeaders = headerText(resp.Header)
	}
	cn.c = c
	go cn.readLoop()
	return cn, nil
}

func headerText(h http.Header) string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var lines []string
	for _, k := range names {
		lines = append(lines, k+": "+strings.Join(h[k], ", "))
	}
	return strings.Join(lines, "\n")
}

func timeoutMS(v, what string, min int) (time.Duration, error) {
	v = strings.TrimSpace(v)
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s '%s' is not a number.", what, v)
	}
	if n < min || n > 999999 {
		return 0, fmt.Errorf("%s '%d' is not valid; should between %d and 999999", what, n, min)
	}
	return time.Duration(n) * time.Millisecond, nil
}

func samplerError(res *sampler.Result, msg string) *sampler.Result {
	res.Start = time.Now()
	res.ResponseCode = "Sampler error"
	res.ResponseMessage = "Sampler error: " + msg
	return fail(res)
}

func fail(res *sampler.Result) *sampler.Result {
	res.Success = false
	res.ErrorCount = 1
	res.Bytes = int64(len(res.Body))
	return res
}
