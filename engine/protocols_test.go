package engine

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/target"
)

// BlazeMeter's HTTP/2 samplers (current and legacy property names) and
// JMeter's HTTP sampler under gometer.http2=on all reach the target over
// HTTP/2.
func TestHTTP2SamplersRunOverHTTP2(t *testing.T) {
	srv := target.New(target.Options{Seed: 1})
	defer srv.Close()
	tlsBase, err := srv.StartHTTP2("127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	h2cBase, err := srv.StartHTTP2("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	tu, _ := url.Parse(tlsBase)
	cu, _ := url.Parse(h2cBase)
	current := el{tag: "com.blazemeter.jmeter.http2.sampler.HTTP2Sampler", gui: "HTTP2SamplerGui", name: "bzm current",
		props: sp("HTTPSampler.domain", tu.Hostname()) + sp("HTTPSampler.port", tu.Port()) + sp("HTTPSampler.protocol", "https") +
			sp("HTTPSampler.path", "/echo") + sp("HTTPSampler.method", "GET")}
	legacy := el{tag: "com.blazemeter.jmeter.http2.sampler.HTTP2Request", gui: "HTTP2RequestGui", name: "bzm legacy",
		props: sp("HTTP2Request.domain", cu.Hostname()) + sp("HTTPSampler.port", cu.Port()) + sp("HTTP2Request.protocol", "http") +
			sp("HTTP2Request.path", "/echo") + sp("HTTP2Sampler.method", "GET")}
	plain := el{tag: "HTTPSamplerProxy", gui: "HttpTestSampleGui", name: "jmeter http",
		props: sp("HTTPSampler.domain", tu.Hostname()) + sp("HTTPSampler.port", tu.Port()) + sp("HTTPSampler.protocol", "https") +
			sp("HTTPSampler.path", "/echo") + sp("HTTPSampler.method", "GET")}
	xml := planXML(tg("users", 1, 0, "2", "", current, legacy, plain))
	_, out := run(t, xml, map[string]string{"gometer.http2": "on"})
	res := out.all()
	if len(res) != 6 {
		t.Fatalf("got %d samples: %v", len(res), out.labels())
	}
	for _, r := range res {
		if !r.Success || !strings.Contains(r.ResponseHeaders, "x-proto: HTTP/2.0") {
			t.Errorf("%s: success %v, headers:\n%s%s", r.Label, r.Success, r.ResponseHeaders, r.Body)
		}
	}
}
