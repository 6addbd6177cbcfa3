package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gometer/internal/target"
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
		if err := run(addr, 1, ""); err == nil || !strings.Contains(err.Error(), addr) {
			t.Errorf("run(%q) = %v, want a refusal naming the address", addr, err)
		}
	}
}
