package engine

import (
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/target"
	"github.com/gometer/gometer/sample"
)

func wsSampler(class, name string, u *url.URL, path string, props string) el {
	return el{tag: "eu.luminis.jmeter.wssampler." + class, gui: class + "Gui", name: name,
		props: sp("server", u.Hostname()) + sp("port", u.Port()) + sp("path", path) + bp("TLS", false) + props}
}

// startWSTarget starts the target (its WebSocket endpoints) and returns its URL.
func startWSTarget(t *testing.T) *url.URL {
	t.Helper()
	srv := target.New(target.Options{Seed: 1})
	t.Cleanup(func() { srv.Close() })
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(base)
	return u
}

// A user's WebSocket connection is kept across the Luminis samplers: opened
// once, then text and binary request-response, write, read, ping/pong and
// close on it; server push is read frame by frame; a close the server
// answers late fails on the read timeout.
func TestWebSocketSamplersShareTheUsersConnection(t *testing.T) {
	u := startWSTarget(t)
	reuse := bp("createNewConnection", false)
	plan := planXML(tg("traders", 2, 0, "2", "",
		wsSampler("OpenWebSocketSampler", "open", u, "/ws/echo", sp("connectTimeout", "5000")+sp("readTimeout", "5000")),
		wsSampler("RequestResponseWebSocketSampler", "quote", u, "", reuse+sp("requestData", "price EURUSD ${__threadNum}")+sp("readTimeout", "5000")),
		wsSampler("RequestResponseWebSocketSampler", "binary", u, "", reuse+bp("binaryPayload", true)+sp("requestData", "0xca 0xfe 01")+sp("readTimeout", "5000")),
		wsSampler("SingleWriteWebSocketSampler", "write", u, "", reuse+sp("requestData", "order 42")),
		wsSampler("SingleReadWebSocketSampler", "read", u, "", reuse+sp("readTimeout", "5000")),
		wsSampler("SingleReadWebSocketSampler", "nothing more", u, "", reuse+sp("readTimeout", "50")+bp("optional", true)),
		wsSampler("PingPongSampler", "ping", u, "", sp("readTimeout", "5000")),
		wsSampler("CloseWebSocketSampler", "close", u, "", sp("statusCode", "1000")+sp("readTimeout", "5000")),
		wsSampler("SingleReadWebSocketSampler", "read after close", u, "", reuse+sp("readTimeout", "100")),
		wsSampler("SingleReadWebSocketSampler", "tick 1", u, "/ws/push?rate=50&count=3", bp("createNewConnection", true)+sp("readTimeout", "5000")),
		wsSampler("SingleReadWebSocketSampler", "tick 2", u, "", reuse+sp("readTimeout", "5000")),
		wsSampler("RequestResponseWebSocketSampler", "slow", u, "/ws/slowclose?delay=3000", bp("createNewConnection", true)+sp("requestData", "bye")+sp("readTimeout", "5000")),
		wsSampler("CloseWebSocketSampler", "slow close", u, "", sp("readTimeout", "200")),
	))
	_, out := run(t, plan, nil)
	byLabel := map[string][]string{}
	for _, r := range out.all() {
		byLabel[r.Label] = append(byLabel[r.Label], strings.Join([]string{r.ResponseCode, string(r.Body), map[bool]string{true: "ok", false: "failed"}[r.Success]}, "|"))
	}
	want := map[string]string{
		"open":             "101||ok",
		"binary":           "200|\xca\xfe\x01|ok",
		"write":            "200||ok",
		"read":             "200|order 42|ok",
		"nothing more":     "No response||ok",
		"ping":             "200||ok",
		"close":            "1000|1000: sampler requested close|ok",
		"read after close": "Sampler error||failed",
		"tick 1":           "101|tick 1|ok",
		"tick 2":           "200|tick 2|ok",
		"slow":             "101|bye|ok",
		"slow close":       "Websocket I/O error||failed",
	}
	for label, w := range want {
		got := byLabel[label]
		if len(got) != 4 { // 2 users × 2 iterations
			t.Errorf("%s: %d samples, want 4", label, len(got))
			continue
		}
		for _, g := range got {
			if g != w {
				t.Errorf("%s: got %q, want %q", label, g, w)
				break
			}
		}
	}
	for _, g := range byLabel["quote"] {
		if !strings.HasPrefix(g, "200|price EURUSD ") || !strings.HasSuffix(g, "|ok") {
			t.Errorf("quote: %q", g)
		}
	}
	// sizes as the plugin counts them (checked against JMeter 5.6.3 with the
	// plugin on this target): a frame received counts its header and payload,
	// a frame sent its masked size; an open counts the upgrade exchange, and a
	// frame sent on a new connection replaces the request's size
	upgradeReq := len("GET /ws/echo HTTP/1.1\r\nHost: " + u.Host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	text := len("price EURUSD 1")
	closeLen := 2 + len("sampler requested close")
	sizes := map[string][2]int64{ // received, sent
		"binary":     {2 + 3, 6 + 3},
		"write":      {0, int64(6 + len("order 42"))},
		"read":       {int64(2 + len("order 42")), 0},
		"ping":       {2, 6},
		"close":      {int64(2 + closeLen), int64(6 + closeLen)},
		"slow close": {0, int64(6 + 2 + len("sampler requested close"))},
	}
	for _, r := range out.all() {
		switch want, ok := sizes[r.Label]; {
		case ok:
			if r.Bytes != want[0] || r.SentBytes != want[1] {
				t.Errorf("%s: %d bytes received, %d sent, want %d and %d", r.Label, r.Bytes, r.SentBytes, want[0], want[1])
			}
		case r.Label == "open":
			if r.SentBytes != int64(upgradeReq) || r.Bytes < int64(len("HTTP/1.1 101 Switching Protocols\r\n\r\n")) {
				t.Errorf("open: %d bytes received, %d sent, want the upgrade response and %d", r.Bytes, r.SentBytes, upgradeReq)
			}
		case r.Label == "quote" && r.ThreadName == "traders 1-1":
			if r.Bytes != int64(2+text) || r.SentBytes != int64(6+text) {
				t.Errorf("quote: %d bytes received, %d sent, want %d and %d", r.Bytes, r.SentBytes, 2+text, 6+text)
			}
		}
		if (r.Label == "open" || r.Label == "write") && r.DataType != "" {
			t.Errorf("%s: data type %q, want none (no data frame answered)", r.Label, r.DataType)
		}
	}
}

func frameFilter(class, name, props string) el {
	return el{tag: "eu.luminis.jmeter.wssampler." + class, gui: class + "Gui", name: name, props: props}
}

// Frame filters in a sampler's scope (its own children and its
// controller's) discard the frames they match while the sampler reads on
// until a frame passes; each discarded frame is a sub-result named after
// its filter (JMeter renames it after the sample unless
// subresults.disable_renaming is set). A ping filter with "reply to ping"
// answers the pings it discards (the feed waits for each pong before it goes
// on); the read timeout bounds a read whose frames are all discarded; a ping
// no filter discards is an unexpected frame, and it goes unanswered, as in
// the plugin.
func TestWebSocketFrameFiltersDiscardUntilAFramePasses(t *testing.T) {
	u := startWSTarget(t)
	reuse := bp("createNewConnection", false)
	read := func(name, props string, kids ...el) el {
		s := wsSampler("SingleReadWebSocketSampler", name, u, "", reuse+sp("readTimeout", "10000")+props)
		s.kids = kids
		return s
	}
	allText := frameFilter("TextFrameFilter", "all text", sp("comparisonType", "IsPlain"))
	allBinary := frameFilter("BinaryFrameFilter", "all binary", "")
	plan := planXML(tg("traders", 2, 0, "1", "",
		ctrl("GenericController", "with heartbeat filter", "",
			frameFilter("PingFrameFilter", "heartbeats", sp("filterType", "FilterAll")+bp("replyToPing", true)),
			wsSampler("OpenWebSocketSampler", "open", u, "/ws/feed?rate=200&count=12&ping=4", sp("connectTimeout", "5000")),
			read("tick 2", "", frameFilter("TextFrameFilter", "not tick 2", sp("comparisonType", "NotEquals")+sp("matchValue", "tick 2"))),
			read("price 6", sp("dataType", "Binary"),
				frameFilter("BinaryFrameFilter", "third byte", sp("comparisonType", "Contains")+sp("matchPosition", "1")+sp("matchValue", "0x03")),
				frameFilter("TextFrameFilter", "ticks 4 and 5", sp("comparisonType", "ContainsRegex")+sp("matchValue", `tick [45]$`))),
			read("tick 7", ""),
		),
		read("all discarded", sp("readTimeout", "700"), allText, allBinary,
			frameFilter("PingFrameFilter", "heartbeats", sp("filterType", "FilterPingOnly")+bp("replyToPing", true))),
		// no ping filter here: the feed's first heartbeat reaches the sampler
		wsSampler("SingleReadWebSocketSampler", "second feed", u, "/ws/feed?rate=200&count=4&ping=2", bp("createNewConnection", true)+sp("readTimeout", "10000")),
		read("heartbeat", "", allText, allBinary),
		read("unanswered", sp("readTimeout", "300")+bp("optional", true)),
	))
	// JMeter renames sub-results "<label>-<index>" unless told not to
	_, renamed := run(t, plan, nil)
	subs := 0
	for _, r := range renamed.all() {
		for i, s := range r.Subs {
			subs++
			if want := r.Label + "-" + strconv.Itoa(i); s.Label != want || !strings.HasPrefix(s.ResponseMessage, "Received ") {
				t.Errorf("sub-result %q (%s), want label %q", s.Label, s.ResponseMessage, want)
			}
		}
	}
	if subs != 2*13 {
		t.Errorf("%d discarded frames, want 26", subs)
	}
	_, out := run(t, plan, map[string]string{"subresults.disable_renaming": "true"})
	type got struct {
		code, body string
		ok         bool
		subs       []string
	}
	byLabel := map[string][]got{}
	for _, r := range out.all() {
		g := got{code: r.ResponseCode, body: string(r.Body), ok: r.Success}
		for _, s := range r.Subs {
			g.subs = append(g.subs, s.Label+": "+s.ResponseMessage)
			if !s.Success || s.Bytes != int64(len(s.Body))+2 && !strings.Contains(s.Label, "ping") {
				t.Errorf("%s: sub-result %q: success %v, %d bytes for %d payload bytes", r.Label, s.Label, s.Success, s.Bytes, len(s.Body))
			}
		}
		if r.Label == "heartbeat" {
			g.body = r.ResponseMessage
		}
		byLabel[r.Label] = append(byLabel[r.Label], g)
	}
	want := map[string]got{
		"tick 2": {code: "200", body: "tick 2", ok: true, subs: []string{
			"Discarded text frame (by filter 'not tick 2'): Received Text frame with text 'tick 1'"}},
		"price 6": {code: "200", body: "\x01\x06", ok: true, subs: []string{
			"Discarded binary frame (by filter 'third byte'): Received Binary frame, payload (length 2): 0x01 0x03",
			"Discarded text frame (by filter 'ticks 4 and 5'): Received Text frame with text 'tick 4'",
			"Discarded ping frame (by filter 'heartbeats'): Received Ping frame with application data '1'",
			"Discarded text frame (by filter 'ticks 4 and 5'): Received Text frame with text 'tick 5'"}},
		"tick 7": {code: "200", body: "tick 7", ok: true},
		"all discarded": {code: "Websocket I/O error", subs: []string{
			"Discarded text frame (by filter 'all text'): Received Text frame with text 'tick 8'",
			"Discarded ping frame (by filter 'heartbeats'): Received Ping frame with application data '2'",
			"Discarded binary frame (by filter 'all binary'): Received Binary frame, payload (length 2): 0x01 0x09",
			"Discarded text frame (by filter 'all text'): Received Text frame with text 'tick 10'",
			"Discarded text frame (by filter 'all text'): Received Text frame with text 'tick 11'",
			"Discarded binary frame (by filter 'all binary'): Received Binary frame, payload (length 2): 0x01 0x0c",
			"Discarded ping frame (by filter 'heartbeats'): Received Ping frame with application data '3'"}},
		"second feed": {code: "101", body: "tick 1", ok: true},
		"heartbeat": {code: "Sampler error: unexpected frame type (ping).", body: "Received: Ping frame with application data '1'", subs: []string{
			"Discarded text frame (by filter 'all text'): Received Text frame with text 'tick 2'"}},
		// the feed waits for the pong that never comes: nothing more arrives
		"unanswered": {code: "No response", ok: true},
	}
	for label, w := range want {
		gs := byLabel[label]
		if len(gs) != 2 {
			t.Errorf("%s: %d samples, want 2", label, len(gs))
			continue
		}
		for _, g := range gs {
			if g.code != w.code || g.body != w.body || g.ok != w.ok || strings.Join(g.subs, "\n") != strings.Join(w.subs, "\n") {
				t.Errorf("%s:\n got %q %q %v\n  %s\nwant %q %q %v\n  %s", label, g.code, g.body, g.ok, strings.Join(g.subs, "\n  "),
					w.code, w.body, w.ok, strings.Join(w.subs, "\n  "))
				break
			}
		}
	}
}

// A Header Manager in scope adds its headers to the upgrade request (its
// values evaluated per sample) and the sample reports them as request
// headers; a value that would break the request line fails the sample as
// the plugin's client refuses it.
func TestWebSocketUpgradeCarriesTheHeaderManagersHeaders(t *testing.T) {
	u := startWSTarget(t)
	open := func(name, path string, kids ...el) el {
		s := wsSampler("OpenWebSocketSampler", name, u, path, sp("connectTimeout", "5000")+sp("readTimeout", "5000"))
		s.kids = kids
		return s
	}
	plan := planXML(
		udvs("v", "token", "abc", "bad", "x\r\ny: z"),
		tg("traders", 1, 0, "1", "",
			open("with token", "/ws/echo", headers("auth", "Authorization", "Bearer ${token}", "Host", "spoofed", "X-Trace", "${__threadNum}")),
			open("broken header", "/ws/echo", headers("bad", "X-Bad", "${bad}")),
		))
	_, out := run(t, plan, nil)
	got := map[string]*sample.Result{}
	for _, r := range out.all() {
		got[r.Label] = r
	}
	if r := got["with token"]; r == nil || !r.Success || r.RequestHeaders != "Authorization: Bearer abc\nX-Trace: 1" {
		t.Errorf("with token: %+v", r)
	}
	if r := got["broken header"]; r == nil || r.Success ||
		r.ResponseMessage != "Sampler error: java.lang.IllegalArgumentException: Invalid header; contains new line." {
		t.Errorf("broken header: %+v", r)
	}
}

// Request data from a file (loadDataFromFile): the file dataFile names is
// read for each sample and sent as the frame; a missing one fails the
// sample with the plugin's message.
func TestWebSocketRequestDataFromAFile(t *testing.T) {
	u := startWSTarget(t)
	dir := t.TempDir()
	text := filepath.Join(dir, "order.json")
	if err := os.WriteFile(text, []byte(`{"side":"buy","qty":5}`), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "frame.bin")
	if err := os.WriteFile(bin, []byte{0xca, 0xfe, 0x00}, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "none.json")
	rr := func(name, file string, binary bool, fresh bool) el {
		return wsSampler("RequestResponseWebSocketSampler", name, u, "/ws/echo", bp("createNewConnection", fresh)+bp("binaryPayload", binary)+
			bp("loadDataFromFile", true)+sp("dataFile", file)+sp("readTimeout", "5000")+sp("connectTimeout", "5000"))
	}
	plan := planXML(tg("traders", 1, 0, "1", "",
		rr("text file", text, false, true), rr("binary file", bin, true, false), rr("missing file", missing, false, false)))
	_, out := run(t, plan, nil)
	got := map[string]*sample.Result{}
	for _, r := range out.all() {
		got[r.Label] = r
	}
	if r := got["text file"]; r == nil || !r.Success || string(r.Body) != `{"side":"buy","qty":5}` || !strings.HasSuffix(r.SamplerData, "\nRequest data:\n{\"side\":\"buy\",\"qty\":5}\n") {
		t.Errorf("text file: %+v", r)
	}
	if r := got["binary file"]; r == nil || !r.Success || string(r.Body) != "\xca\xfe\x00" || !strings.HasSuffix(r.SamplerData, "\nRequest data:\n0xca 0xfe 0x00\n") {
		t.Errorf("binary file: %+v", r)
	}
	if r := got["missing file"]; r == nil || r.Success || r.ResponseCode != "Sampler Error" ||
		r.ResponseMessage != "Request data cannot be loaded, file '"+missing+"' not found" {
		t.Errorf("missing file: %+v", r)
	}
}

// A timeout that is not a number fails the sample with the plugin's
// message, whether it is written in the plan or comes from a variable.
func TestWebSocketBadTimeouts(t *testing.T) {
	u := startWSTarget(t)
	plan := planXML(
		udvs("v", "to", "soon"),
		tg("traders", 1, 0, "1", "",
			wsSampler("OpenWebSocketSampler", "literal", u, "/ws/echo", sp("connectTimeout", "5000")+sp("readTimeout", "later")),
			wsSampler("OpenWebSocketSampler", "variable", u, "/ws/echo", sp("connectTimeout", "${to}")+sp("readTimeout", "5000")),
			wsSampler("OpenWebSocketSampler", "fine", u, "/ws/echo", sp("connectTimeout", "${__P(none,5000)}")+sp("readTimeout", "5000")),
		))
	_, out := run(t, plan, nil)
	want := map[string]string{
		"literal":  "Sampler error: Read timeout 'later' is not a number.",
		"variable": "Sampler error: Connection timeout 'soon' is not a number.",
		"fine":     "Switching Protocols",
	}
	for _, r := range out.all() {
		if w, ok := want[r.Label]; !ok || r.ResponseMessage != w {
			t.Errorf("%s: %q, want %q", r.Label, r.ResponseMessage, w)
		}
		delete(want, r.Label)
	}
	if len(want) != 0 {
		t.Errorf("no samples for %v", want)
	}
}
