package engine

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/target"
)

func wsSampler(class, name string, u *url.URL, path string, props string) el {
	return el{tag: "eu.luminis.jmeter.wssampler." + class, gui: class + "Gui", name: name,
		props: sp("server", u.Hostname()) + sp("port", u.Port()) + sp("path", path) + bp("TLS", false) + props}
}

// A user's WebSocket connection is kept across the Luminis samplers: opened
// once, then text and binary request-response, write, read, ping/pong and
// close on it; server push is read frame by frame; a close the server
// answers late fails on the read timeout.
func TestWebSocketSamplersShareTheUsersConnection(t *testing.T) {
	srv := target.New(target.Options{Seed: 1})
	defer srv.Close()
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(base)
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
		"close":            "200|1000|ok",
		"read after close": "Sampler error||failed",
		"tick 1":           "101|tick 1|ok",
		"tick 2":           "200|tick 2|ok",
		"slow":             "101|bye|ok",
		"slow close":       "Websocket error||failed",
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
}
