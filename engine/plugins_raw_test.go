package engine

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
)

// lineServer answers each connection's first line with "got:<line>" and
// closes; it records the lines.
type lineServer struct {
	port  string
	mu    sync.Mutex
	lines []string
}

func newLineServer(t *testing.T) *lineServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &lineServer{}
	_, s.port, _ = net.SplitHostPort(ln.Addr().String())
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				line, _ := bufio.NewReader(c).ReadString('\n')
				s.mu.Lock()
				s.lines = append(s.lines, line)
				s.mu.Unlock()
				c.Write([]byte("HTTP/1.0 200 OK\r\n\r\ngot:" + strings.TrimSpace(line)))
			}()
		}
	}()
	return s
}

func rawSampler(port, data string, kids ...el) el {
	return el{tag: "kg.apc.jmeter.samplers.HTTPRawSampler", gui: "kg.apc.jmeter.samplers.HTTPRawSamplerGui", name: "raw",
		props: sp("hostname", "127.0.0.1") + sp("port", port) + sp("timeout", "10000") + sp("data", data) + bp("parse", true) + bp("keepalive", false),
		kids:  kids}
}

// The Raw Data Source feeds one chunk per sample into the Raw Request's
// data; at the end of its file (no rewind) it stops the user.
func TestRawDataSourceFeedsRawRequest(t *testing.T) {
	srv := newLineServer(t)
	f := writeFile(t, t.TempDir(), "ammo.txt", "7\nalpha\r\n\n6\nbeta\r\n")
	src := el{tag: "kg.apc.jmeter.modifiers.RawRequestSourcePreProcessor", gui: "kg.apc.jmeter.modifiers.RawRequestSourcePreProcessorGui", name: "source",
		props: sp("variable_name", "req") + sp("filename", f) + bp("rewind", false) + bp("isHex", false)}
	_, out := run(t, planXML(tg("G", 1, 0, "5", "", rawSampler(srv.port, "${req}", src))), nil)
	srv.mu.Lock()
	got := strings.Join(srv.lines, ",")
	srv.mu.Unlock()
	if got != "alpha\r\n,beta\r\n" {
		t.Fatalf("server got %q", got)
	}
	res := out.all()
	if len(res) != 2 || string(res[0].Body) != "got:alpha" || res[1].ResponseCode != "200" || res[0].ResponseMessage != "OK" {
		t.Fatalf("%d samples: %+v", len(res), res)
	}
}

// A Raw Data Source naming a file that is not there is named at load.
func TestRawDataSourceMissingFile(t *testing.T) {
	src := el{tag: "kg.apc.jmeter.modifiers.RawRequestSourcePreProcessor", gui: "x", name: "source",
		props: sp("variable_name", "req") + sp("filename", "/nonexistent/ammo.txt")}
	_, err := compileXML(t, planXML(tg("G", 1, 0, "1", "", rawSampler("1", "${req}", src))), Options{})
	if err == nil || !strings.Contains(err.Error(), `raw data file "/nonexistent/ammo.txt" not found`) {
		t.Fatalf("got %v", err)
	}
}
