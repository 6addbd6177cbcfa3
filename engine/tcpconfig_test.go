package engine

import (
	"bufio"
	"io"
	"net"
	"sync"
	"testing"
)

// A TCP Sampler Config supplies what the TCP sampler leaves empty, as
// JMeter's TCPSampler merges TCPConfigGui elements in its scope; a value
// the sampler sets itself wins.
func TestTCPSamplerConfigFillsEmptyFields(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	var mu sync.Mutex
	var got []string
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					mu.Lock()
					got = append(got, line)
					mu.Unlock()
					io.WriteString(c, "ok "+line)
				}
			}()
		}
	}()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	conf := el{tag: "ConfigTestElement", gui: "TCPConfigGui", name: "TCP Sampler Config",
		props: sp("TCPSampler.server", "127.0.0.1") + sp("TCPSampler.port", port) + sp("TCPSampler.request", "FROM CONFIG\n") +
			sp("TCPSampler.EolByte", "10") + sp("TCPSampler.timeout", "5000")}
	tcpSampler := func(name, request string) el {
		return el{tag: "TCPSampler", gui: "TCPSamplerGui", name: name,
			props: sp("TCPSampler.server", "") + sp("TCPSampler.port", "") + sp("TCPSampler.request", request)}
	}
	xml := planXML(tg("G", 1, 0, "1", "", conf, tcpSampler("config request", ""), tcpSampler("own request", "OWN\n")))
	_, out := run(t, xml, nil)
	for _, r := range out.all() {
		if !r.Success {
			t.Fatalf("%s: %s %s", r.Label, r.ResponseCode, r.ResponseMessage)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0] != "FROM CONFIG\n" || got[1] != "OWN\n" {
		t.Fatalf("server read %q", got)
	}
}
