package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The -l file saves what its configuration asks for, also when the plan has
// no listener of its own: with requestHeaders on, every XML sample carries
// the request headers it sent (JMeter 5.6.3 writes them; they used to be
// empty because the engine only asked the plan's listeners what they read).
func TestResultsFileSavesRequestHeaders(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.xml")
	res := runGometer(t, dir, 60*time.Second, "-n", "-t", repoFile("testdata", "e2e", "basic.jmx"), "-l", out,
		"-J", "port="+rec.port(), "-Jusers=1", "-Jloops=1",
		"-Jjmeter.save.saveservice.output_format=xml", "-Jjmeter.save.saveservice.requestHeaders=true")
	if res.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	headers := regexp.MustCompile(`(?s)<requestHeader class="java.lang.String">(.*?)</requestHeader>`).FindAllStringSubmatch(string(data), -1)
	if len(headers) != 3 {
		t.Fatalf("%d requestHeader elements, want 3 (one per sample):\n%s", len(headers), data)
	}
	for _, h := range headers {
		if !strings.Contains(h[1], "X-Account: ACC-42") {
			t.Errorf("request headers %q, want the plan's X-Account header", h[1])
		}
	}
	if n := len(rec.requests()); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
}
