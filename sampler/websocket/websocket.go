// Package websocket runs the Luminis WebSocket samplers
// (eu.luminis.jmeter.wssampler.*) on a client of their own kind (conn.go): open,
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
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/datafile"
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
	opClose
	opNone // no frame (a fragment gathered, the message goes on)
)

func (o opcode) String() string {
	return [...]string{"text", "binary", "ping", "pong", "close", "none"}[o]
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
	if f.op == opClose {
		code, reason := f.closeStatus()
		return "Close frame with status code " + strconv.Itoa(code) + " and close reason '" + reason + "'"
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

// closeStatus is a close frame's status code and reason (1005, "" when
// it carries none, as RFC 6455 names an absent code).
func (f frame) closeStatus() (int, string) {
	if len(f.data) < 2 {
		return 1005, ""
	}
	return int(f.data[0])<<8 | int(f.data[1]), string(f.data[2:])
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

// errReadTimeout is a read that timed out (Java's SocketTimeoutException,
// whose message the plugin shows).
var errReadTimeout = errors.New("Read timed out")

// ioError is the plugin's report of an I/O failure (its IOException
// branch): what failed, in the words of Java's exceptions where gometer
// meets the same failure.
func ioError(res *sampler.Result, err error) {
	msg := err.Error()
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		msg = "Connection refused"
	case errors.Is(err, errReadTimeout):
	case errors.As(err, &ne) && ne.Timeout():
		msg = "Connect timed out"
	}
	res.ResponseCode, res.ResponseMessage = "Websocket I/O error", "WebSocket I/O error: "+msg
}

// maxDiscarded bounds the frames one read discards, each a sub-result
// kept with the sample: a server streaming frames the filters drop cannot
// grow a sample without end (the plugin has no bound).
const maxDiscarded = 10000

// closeReason is the reason the Close sampler's frame gives, the plugin's.
const closeReason = "sampler requested close"

// close ends the connection at TCP level.
func (cn *conn) close() { cn.drop() }

// userConns is a user's connections by connection id.
type userConns struct {
	m map[string]*conn
	// wsClose: the user ends its connections with a close frame first
	// (websocket.thread.stop.policy=wsClose)
	wsClose bool
}

// Close ends the user's connections when it finishes. The plugin's
// websocket.thread.stop.policy says how: wsClose sends a close frame (1000,
// "test thread finished") and closes the socket without waiting for the
// answer, tcpClose closes the socket; with none, the default, the plugin
// leaves the socket to the JVM's end, and gometer closes it as tcpClose
// does (a finished user holds nothing).
func (u *userConns) Close() error {
	for id, c := range u.m {
		if u.wsClose && !c.broken() && !c.closing {
			_ = write(c, wireClose, append([]byte{0x03, 0xe8}, "test thread finished"...))
		}
		c.close()
		delete(u.m, id)
	}
	return nil
}

type stateKey struct{}

func (s *Sampler) connsOf(sess *sampler.Session) map[string]*conn {
	u, _ := sess.State(stateKey{}).(*userConns)
	if u == nil {
		u = &userConns{m: map[string]*conn{}, wsClose: s.wsClose}
		sess.SetState(stateKey{}, u)
	}
	return u.m
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
	readTimeout, connectTimeout    timeout
	statusCode, dataType           *functions.Template
	tls, newConn, binary, optional bool
	pongOnly                       bool // a PingPongSampler of type Pong: sends an unsolicited pong
	wsClose                        bool // websocket.thread.stop.policy=wsClose
	fromFile                       bool // loadDataFromFile: the request data is the file dataFile names
	dataFile                       *functions.Template
	dataLimit                      int64
	dialer                         dialer
	filters                        []*Filter // innermost scope first, as the plugin lists them
	sizeWithFiltered, keepLabels   bool
	headers                        []upgradeHeader // sent with the upgrade request
	headerManager                  bool            // a Header or Cookie Manager is in scope (the request headers are reported)
	cookies                        *sampler.Cookies
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
	// Headers are the Header Managers in the sampler's scope, innermost
	// first. The plugin keeps the last one JMeter hands it, the outermost,
	// and sends its headers with the upgrade request.
	Headers []*jmx.Element
	// StopPolicy is websocket.thread.stop.policy: "wsclose" sends a close
	// frame when the user finishes, anything else closes the socket.
	StopPolicy string
	// DataFileLimit bounds a request data file (gometer.max_data_file_mb).
	DataFileLimit int64
	// Cookies is the Cookie Manager in scope (nil: none): the cookies the
	// user's jar holds for the connection's URL go with the upgrade request.
	Cookies *sampler.Cookies
}

// upgradeHeader is a header a Header Manager adds to the upgrade request.
type upgradeHeader struct {
	name  string
	value *functions.Template
}

// upgradeOwn are the headers the client writes itself; a manager's are
// left out (the plugin logs them).
var upgradeOwn = map[string]bool{"host": true, "upgrade": true, "connection": true, "sec-websocket-key": true, "sec-websocket-version": true}

// compileHeaders compiles a Header Manager's headers as the plugin reads
// them: nameless ones left out, a repeated name keeping its last value.
func compileHeaders(hm *jmx.Element) ([]upgradeHeader, error) {
	var out []upgradeHeader
	for i, item := range hm.Collection("HeaderManager.headers") {
		he := item.Elem
		if he == nil {
			continue
		}
		name := he.Str("Header.name")
		if strings.TrimSpace(name) == "" || upgradeOwn[strings.ToLower(name)] {
			continue
		}
		v, err := functions.Compile(he.Str("Header.value"))
		if err != nil {
			return nil, fmt.Errorf("header %d (%s): %w", i+1, name, err)
		}
		replaced := false
		for j := range out {
			if out[j].name == name {
				out[j].value, replaced = v, true
			}
		}
		if !replaced {
			out = append(out, upgradeHeader{name, v})
		}
	}
	return out, nil
}

// New compiles a Luminis sampler element.
func New(el *jmx.Element, opts Options) (*Sampler, error) {
	s := &Sampler{filters: opts.Filters, sizeWithFiltered: opts.SizeIncludesFiltered, keepLabels: opts.KeepSubLabels}
	if n := len(opts.Headers); n > 0 {
		hs, err := compileHeaders(opts.Headers[n-1])
		if err != nil {
			return nil, err
		}
		s.headers, s.headerManager = hs, true
	}
	if opts.Cookies != nil {
		s.cookies, s.headerManager = opts.Cookies, true
	}
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
	s.wsClose = strings.EqualFold(strings.TrimSpace(opts.StopPolicy), "wsclose")
	s.dataLimit = opts.DataFileLimit
	if s.kind == kWrite || s.kind == kRequestResponse {
		s.fromFile = el.Bool("loadDataFromFile", false)
		var err error
		if s.dataFile, err = functions.Compile(el.Str("dataFile")); err != nil {
			return nil, fmt.Errorf("dataFile: %w", err)
		}
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
	s.readTimeout = newTimeout(s.readTO, "Read timeout", 0)
	s.connectTimeout = newTimeout(s.connectTO, "Connection timeout", 1)
	s.tls = el.Bool("TLS", false)
	s.newConn = el.Bool("createNewConnection", s.kind == kRequestResponse)
	s.binary = el.Bool("binaryPayload", false)
	s.optional = el.Bool("optional", false)
	s.pongOnly = s.kind == kPingPong && el.Str("type") == "Pong"
	// JMeter accepts any certificate
	s.dialer.tls = &tls.Config{InsecureSkipVerify: true} //nolint:gosec
	if pt := el.Str("payloadType"); pt == "Binary" {
		s.binary = true
	}
	return s, nil
}

// Sample runs the sampler for one user.
func (s *Sampler) Sample(ctx context.Context, sess *sampler.Session) *sampler.Result {
	c := sess.Ctx
	// the data type stays empty unless a data or close frame answers (JMeter
	// writes it so)
	res := &sampler.Result{Label: s.label.Eval(c), SampleCount: 1}
	readTO, err1 := s.readTimeout.value(c)
	connectTO, err2 := s.connectTimeout.value(c)
	if err := errors.Join(err1, err2); err != nil {
		return samplerError(res, err.Error())
	}
	conns := s.connsOf(sess)
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
		u, hostport, path, err := s.url(c)
		if err != nil {
			return samplerError(res, err.Error())
		}
		res.SamplerData = "Connect URL:\n" + u + "\n"
		extra, err := s.upgradeHeaders(sess, hostport, path, res)
		if err != nil {
			return samplerError(res, err.Error())
		}
		var up upgrade
		cn, up, err = s.dialer.open(ctx, u, s.tls, hostport, path, extra, connectTO, readTO)
		res.Connect = time.Since(start)
		if err != nil {
			res.Elapsed = time.Since(start)
			if ue := (*UpgradeError)(nil); errors.As(err, &ue) {
				res.ResponseCode, res.ResponseMessage = strconv.Itoa(ue.Status), ue.Error()
			} else {
				ioError(res, err)
			}
			return fail(res)
		}
		res.ResponseHeaders = headerText(up.header)
		// the plugin counts the upgrade exchange: the response head as
		// received bytes, the request as sent ones (a frame sent later
		// replaces that)
		res.Bytes, res.SentBytes = int64(up.received), int64(up.sent)
		conns[id] = cn
		fresh = true
	} else if cn == nil {
		res.ResponseCode = "Sampler error"
		res.ResponseMessage = "Sampler configured for using existing connection, but there is no connection"
		return fail(res)
	} else {
		res.SamplerData = cn.reuse
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
	if s.kind == kClose || cn.broken() {
		delete(conns, id)
		cn.close()
	}
	if err != nil {
		var se *samplerErr
		if errors.As(err, &se) {
			res.ResponseCode, res.ResponseMessage = se.code, se.msg
		} else {
			ioError(res, err)
		}
		s.addFiltered(res)
		return fail(res)
	}
	res.Success = true
	s.addFiltered(res)
	return res
}

// upgradeHeaders renders the Header Manager's headers for the upgrade
// request ("Name: value\r\n" lines) and reports them as the sample's
// request headers, as the plugin does when a manager is in scope.
func (s *Sampler) upgradeHeaders(sess *sampler.Session, hostport, path string, res *sampler.Result) (string, error) {
	if !s.headerManager {
		return "", nil
	}
	var wire, shown strings.Builder
	add := func(name, v string) error {
		if strings.ContainsAny(name+v, "\r\n") {
			return errors.New("java.lang.IllegalArgumentException: Invalid header; contains new line.")
		}
		wire.WriteString(name + ": " + v + "\r\n")
		if shown.Len() > 0 {
			shown.WriteByte('\n')
		}
		shown.WriteString(name + ": " + v)
		return nil
	}
	for _, h := range s.headers {
		if err := add(h.name, h.value.Eval(sess.Ctx)); err != nil {
			return "", err
		}
	}
	if s.cookies != nil {
		// the plugin asks the manager for the cookies of the connection's
		// http(s) URL
		u := &url.URL{Scheme: "http", Host: hostport, Path: path}
		if s.tls {
			u.Scheme = "https"
		}
		if i := strings.IndexByte(path, '?'); i >= 0 {
			u.Path, u.RawQuery = path[:i], path[i+1:]
		}
		if v := s.cookies.Header(sess, u); v != "" {
			if err := add("Cookie", v); err != nil {
				return "", err
			}
		}
	}
	res.RequestHeaders = shown.String()
	return wire.String(), nil
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

// samplerErr is a failure the plugin reports with its own code.
type samplerErr struct{ code, msg string }

func (e *samplerErr) Error() string { return e.msg }

func (s *Sampler) exchange(ctx context.Context, c *functions.Context, cn *conn, readTO time.Duration, res *sampler.Result) error {
	switch s.kind {
	case kOpen:
		return nil
	case kWrite, kRequestResponse:
		var n int
		var err error
		if s.fromFile {
			n, err = s.writeFile(c, cn, res)
		} else {
			data := s.requestData.Eval(c)
			res.SamplerData += "\nRequest data:\n" + data + "\n"
			n, err = s.write(cn, data)
		}
		if err != nil {
			return err
		}
		res.SentBytes = int64(maskedSize(n))
		if s.kind == kWrite {
			return nil
		}
		want := "Text"
		if s.binary {
			want = "Binary"
		}
		return s.read(c, cn, readTO, want, false, res)
	case kRead:
		want := strings.TrimSpace(s.dataType.Eval(c))
		if want == "" {
			want = "Text"
			if s.binary {
				want = "Binary"
			}
		}
		return s.read(c, cn, readTO, want, s.optional, res)
	case kPingPong:
		if s.pongOnly { // an unsolicited pong
			if err := write(cn, wirePong, ""); err != nil {
				return err
			}
			res.SentBytes = int64(maskedSize(0))
			return nil
		}
		if err := write(cn, wirePing, ""); err != nil {
			return err
		}
		res.SentBytes = int64(maskedSize(0))
		f, err := s.receive(c, cn, readTO, res)
		if err != nil {
			return err
		}
		if f.op != opPong {
			return unexpected(f)
		}
		res.Bytes += int64(f.size())
		res.Latency = time.Since(res.Start)
		return nil
	case kClose:
		code, err := strconv.Atoi(strings.TrimSpace(s.statusCode.Eval(c)))
		if err != nil {
			return &samplerErr{"Sampler error", "Sampler error: close status '" + s.statusCode.Eval(c) + "' is not a number."}
		}
		// send the close frame, then read up to the server's: the filters
		// discard what comes before it, or the first frame they pass is
		// unexpected; the read timeout bounds the wait
		res.SamplerData = "Requested connection close with status " + strconv.Itoa(code) + " and reason '" + closeReason + "'."
		payload := append([]byte{byte(code >> 8), byte(code)}, closeReason...)
		if err := write(cn, wireClose, payload); err != nil {
			return err
		}
		res.SentBytes = int64(maskedSize(len(payload)))
		cn.closing = true
		f, err := s.receive(c, cn, readTO, res)
		if err != nil {
			return err
		}
		if f.op != opClose {
			return &samplerErr{"WebSocket error: unsuccesful close.", "WebSocket error: received not a close frame, but " + f.String()}
		}
		res.Bytes += int64(f.size())
		// the sample reports the server's close status and reason as the
		// plugin does: code and data from them, no status an empty code
		res.DataType = "text"
		res.ResponseCode, res.ResponseMessage, res.Body = "", "Connection closed.", nil
		if len(f.data) >= 2 {
			st, _ := f.closeStatus()
			res.ResponseCode = strconv.Itoa(st)
			res.Body = []byte(res.ResponseCode)
		}
		if len(f.data) > 2 {
			reason := string(f.data[2:])
			res.ResponseMessage = "Connection closed; close reason: '" + reason + "'."
			res.Body = append(res.Body, ": "+reason...)
		}
		return nil
	}
	return nil
}

// writeFile sends the file dataFile names as the request data, read for
// each sample as the plugin reads it (a path relative to the working
// folder, as Java's File takes it; bounded like every data file).
func (s *Sampler) writeFile(c *functions.Context, cn *conn, res *sampler.Result) (int, error) {
	path := s.dataFile.Eval(c)
	data, err := datafile.Read(path, s.dataLimit)
	if err != nil {
		cause := err.Error()
		switch {
		case errors.Is(err, fs.ErrNotExist):
			cause = "file '" + path + "' not found"
		case errors.Is(err, fs.ErrPermission):
			cause = "file '" + path + "' not readable"
		}
		return 0, &samplerErr{"Sampler Error", "Request data cannot be loaded, " + cause}
	}
	if s.binary {
		shown := formatBinary(data, 100)
		if len(data) > 100 {
			shown = formatBinary(data[:100], 100) + "..."
		}
		res.SamplerData += "\nRequest data:\n" + shown + "\n"
		return len(data), write(cn, wireBinary, data)
	}
	res.SamplerData += "\nRequest data:\n" + string(data) + "\n"
	return len(data), write(cn, wireText, data)
}

// write sends the request data as a text or binary frame and returns the
// payload's length.
func (s *Sampler) write(cn *conn, data string) (int, error) {
	if s.binary {
		b, err := parseBinary(data)
		if err != nil {
			return 0, &samplerErr{"Sampler Error", "Request data is not binary: " + data}
		}
		return len(b), write(cn, wireBinary, b)
	}
	return len(data), write(cn, wireText, data)
}

// read takes the next frame that passes the filters and checks its type
// (Text, Binary or Any data frame).
func (s *Sampler) read(c *functions.Context, cn *conn, readTO time.Duration, want string, optional bool, res *sampler.Result) error {
	f, err := s.receive(c, cn, readTO, res)
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
	res.Bytes += int64(f.size())
	res.DataType = "text"
	if f.op == opBinary {
		res.DataType = "bin"
	}
	// the plugin tells the plan whether the frame ended its message; a
	// fragmented message is read whole here, so it always did
	c.Vars.Put("websocket.last_frame_final", "true")
	return nil
}

func unexpected(f frame) error {
	return &samplerErr{"Sampler error: unexpected frame type (" + f.op.String() + ").", "Received: " + f.String()}
}

// receive takes frames until one passes every filter in scope; each
// discarded frame becomes a sub-result. The read timeout bounds the whole
// wait, discarded frames included, as in the plugin.
func (s *Sampler) receive(c *functions.Context, cn *conn, readTO time.Duration, res *sampler.Result) (frame, error) {
	var deadline time.Time
	if readTO > 0 {
		deadline = time.Now().Add(readTO)
	}
	for {
		start := time.Now()
		f, err := cn.next(deadline)
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
		if len(res.Subs) >= maxDiscarded {
			return f, &samplerErr{"Sampler error", "Sampler error: more than " + strconv.Itoa(maxDiscarded) +
				" frames discarded by the filters in one read"}
		}
		if f.op == opPing && by.reply { // the plugin's filter answers the pings it discards, if asked to
			if err := write(cn, wirePong, f.data); err != nil {
				return f, err
			}
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

// url is the connection's URL as the plugin shows it, and the host:port
// and request path it is made of.
func (s *Sampler) url(c *functions.Context) (u, hostport, path string, err error) {
	port := strings.TrimSpace(s.port.Eval(c))
	p, err := strconv.Atoi(port)
	if err != nil {
		return "", "", "", fmt.Errorf("Port number '%s' is not a number.", port)
	}
	if p <= 0 || p > 65535 {
		return "", "", "", fmt.Errorf("Port number '%s' is not valid.", port)
	}
	path = s.path.Eval(c)
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	scheme := "ws"
	if s.tls {
		scheme = "wss"
	}
	server := s.server.Eval(c)
	return scheme + "://" + server + ":" + port + path, net.JoinHostPort(server, port), path, nil
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

// timeout is a timeout property in milliseconds: parsed once when it is
// literal (the usual case), else for each sample.
type timeout struct {
	t    *functions.Template
	what string
	min  int
	d    time.Duration
	err  error
}

func newTimeout(t *functions.Template, what string, min int) timeout {
	to := timeout{t: t, what: what, min: min}
	if t.IsLiteral() {
		to.d, to.err = timeoutMS(t.Eval(nil), what, min)
	}
	return to
}

func (to *timeout) value(c *functions.Context) (time.Duration, error) {
	if to.t.IsLiteral() {
		return to.d, to.err
	}
	return timeoutMS(to.t.Eval(c), to.what, to.min)
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
	return res
}
