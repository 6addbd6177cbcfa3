package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/target"
)

func TestCountingFigures(t *testing.T) {
	c := &counting{srv: target.New(target.Options{}), start: time.Now()}
	c.first.Store(-1)
	ts := httptest.NewServer(c)
	defer ts.Close()
	defer c.srv.Close()

	get := func(path string) []byte {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return b
	}
	var f figures
	if err := json.Unmarshal(get("/__count"), &f); err != nil || f.Count != 0 || f.FirstArrivalUnixNs != 0 {
		t.Fatalf("before any request: %+v %v", f, err)
	}
	before := time.Now().UnixNano()
	for range 5 {
		get("/fast")
		time.Sleep(2 * time.Millisecond)
	}
	// /__count itself is not counted.
	if err := json.Unmarshal(get("/__count"), &f); err != nil {
		t.Fatal(err)
	}
	if f.Count != 5 || f.Seconds < 0.008 || f.RPS <= 0 || f.FirstArrivalUnixNs < before {
		t.Errorf("after 5 requests: %+v", f)
	}
	var sum int64
	for _, n := range f.PerSecond {
		sum += n
	}
	if len(f.PerSecond) == 0 || sum != 5 {
		t.Errorf("per-second series %v does not add up to 5", f.PerSecond)
	}
}

func TestRunRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:80", "nonsense"} {
		if err := run(addr, 1, "", "", true); err == nil || !strings.Contains(err.Error(), addr) {
			t.Errorf("run(%q) = %v, want a refusal naming the address", addr, err)
		}
	}
}

// startHybrid serves a counting target the way the binary does by default.
func startHybrid(t *testing.T) (*counting, string) {
	t.Helper()
	c := &counting{srv: target.New(target.Options{}), start: time.Now()}
	c.first.Store(-1)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: c}
	go c.serveHybrid(ln, hs)
	t.Cleanup(func() { ln.Close(); hs.Close(); c.srv.Close() })
	return c, "http://" + ln.Addr().String()
}

func TestRawFastPath(t *testing.T) {
	c, base := startHybrid(t)
	cl := &http.Client{Timeout: 10 * time.Second}
	get := func(method, path, body string) (*http.Response, []byte) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if body == "" {
			req.Body = nil
		}
		res, err := cl.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	// /fast twice on the raw path, then other requests on the same kept-alive
	// connection, handed to net/http.
	for range 2 {
		res, b := get("GET", "/fast?x=1", "")
		if res.StatusCode != 200 || len(b) != 100 || res.Header.Get("Content-Type") != "application/json" || res.Header.Get("Date") == "" {
			t.Fatalf("raw /fast: %d %q %v", res.StatusCode, b, res.Header)
		}
	}
	if c.raw.Load() != 2 {
		t.Errorf("raw count %d, want 2", c.raw.Load())
	}
	if res, b := get("GET", "/api/market", ""); res.StatusCode != 200 || !strings.Contains(string(b), "AAPL") {
		t.Errorf("handed-over /api/market: %d %s", res.StatusCode, b)
	}
	if res, b := get("POST", "/fast", "abc"); res.StatusCode != 200 || len(b) != 100 {
		t.Errorf("POST /fast via net/http: %d %q", res.StatusCode, b)
	}
	if res, _ := get("GET", "/fast", ""); res.StatusCode != 200 {
		t.Errorf("/fast after hand-over: %d", res.StatusCode)
	}
	// The raw answer is byte for byte the size net/http gives.
	_, plain := startHybridPlain(t)
	rawConn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer rawConn.Close()
	fmt.Fprintf(rawConn, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
	rawResp := readResponse(t, rawConn)
	plainConn, err := net.Dial("tcp", strings.TrimPrefix(plain, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer plainConn.Close()
	fmt.Fprintf(plainConn, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
	if plainResp := readResponse(t, plainConn); len(plainResp) != len(rawResp) {
		t.Errorf("raw answer %d bytes, net/http %d:\n%s\n%s", len(rawResp), len(plainResp), rawResp, plainResp)
	}
	// HTTP/1.0 goes to net/http.
	old, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	fmt.Fprintf(old, "GET /fast HTTP/1.0\r\n\r\n")
	if r := readResponse(t, old); !strings.HasPrefix(string(r), "HTTP/1.0 200") {
		t.Errorf("HTTP/1.0 answer %q", r)
	}
	var f figures
	res, b := get("GET", "/__count", "")
	res.Body.Close()
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	// 2 raw + market + POST + raw-or-plain /fast + raw /fast + HTTP/1.0 = 7 on this target.
	if f.Count != 7 {
		t.Errorf("count %d, want 7 (%+v)", f.Count, f)
	}
}

// startHybridPlain serves the same target through net/http only.
func startHybridPlain(t *testing.T) (*counting, string) {
	c := &counting{srv: target.New(target.Options{}), start: time.Now()}
	c.first.Store(-1)
	ts := httptest.NewServer(c)
	t.Cleanup(func() { ts.Close(); c.srv.Close() })
	return c, ts.URL
}

// readResponse reads one response with a Content-Length body from conn.
func readResponse(t *testing.T, conn net.Conn) []byte {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(conn)
	var out bytes.Buffer
	length := -1
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("reading header: %v (%q)", err, out.String())
		}
		out.WriteString(line)
		if v, ok := strings.CutPrefix(strings.ToLower(line), "content-length:"); ok {
			fmt.Sscan(strings.TrimSpace(v), &length)
		}
		if line == "\r\n" {
			break
		}
	}
	if length < 0 {
		t.Fatalf("no Content-Length in %q", out.String())
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(br, body); err != nil {
		t.Fatal(err)
	}
	out.Write(body)
	return out.Bytes()
}

func TestOrdersDocument(t *testing.T) {
	c := &counting{srv: target.New(target.Options{}), start: time.Now()}
	c.first.Store(-1)
	ts := httptest.NewServer(c)
	defer ts.Close()
	defer c.srv.Close()
	res, err := http.Get(ts.URL + ordersPath)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var doc struct {
		Token  string `json:"token"`
		Orders []struct {
			ID     int    `json:"id"`
			Status string `json:"status"`
		} `json:"orders"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%v %q", err, res.Header.Get("Content-Type"))
	}
	if len(body) < 1900 || len(body) > 2100 || doc.Token != "tok-8f2a9c" || len(doc.Orders) == 0 || doc.Orders[0].ID != 1000 {
		t.Errorf("document of %d bytes: %+v", len(body), doc)
	}
	if c.figures().Count != 1 {
		t.Errorf("count %d, want 1", c.figures().Count)
	}
}
