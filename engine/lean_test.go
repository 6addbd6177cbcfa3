package engine

import (
	"context"
	"github.com/gometer/gometer/output"
	"strings"
	"testing"
	"time"
)

// detailSink is a sink that says whether it reads request details.
type detailSink struct {
	sink
	reads bool
}

func (d *detailSink) Needs() output.Needs { return output.Needs{RequestDetails: d.reads} }

// TestRequestDetailsOnlyWhenRead: an HTTP sample carries its request
// headers and sampler data when an output reads them, and leaves them out
// (lean) when nothing does; everything else of the sample is the same.
func TestRequestDetailsOnlyWhenRead(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "1", "", get(srv, "s", "/x")))
	for _, reads := range []bool{true, false} {
		out := &detailSink{reads: reads}
		tst, err := compileXML(t, xml, Options{Outputs: []output.Output{out}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := tst.Run(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		res := out.all()
		if len(res) != 1 || !res[0].Success || res[0].ResponseCode != "200" || res[0].Bytes == 0 {
			t.Fatalf("reads=%v: results %+v", reads, res)
		}
		r := res[0]
		if reads {
			if !strings.Contains(r.RequestHeaders, "User-Agent: ") || !strings.HasPrefix(r.SamplerData, "GET http://") {
				t.Errorf("request details missing though read: headers %q sampler data %q", r.RequestHeaders, r.SamplerData)
			}
		} else if r.RequestHeaders != "" || r.SamplerData != "" {
			t.Errorf("request details built though nothing reads them: %q %q", r.RequestHeaders, r.SamplerData)
		}
		if !strings.Contains(r.ResponseHeaders, "200 OK") {
			t.Errorf("reads=%v: response headers %q", reads, r.ResponseHeaders)
		}
	}
}

// TestRequestDetailsKeptForAssertions: a Response Assertion on the request
// headers still sees them although no output reads them.
func TestRequestDetailsKeptForAssertions(t *testing.T) {
	srv := newServer(t)
	assert := el{tag: "ResponseAssertion", gui: "AssertionGui", name: "ra", props: `<collectionProp name="Asserion.test_strings">` + sp("1", "User-Agent") + `</collectionProp>` +
		sp("Assertion.test_field", "Assertion.request_headers") + `<intProp name="Assertion.test_type">16</intProp>`}
	_, out := run(t, planXML(tg("G", 1, 0, "1", "", get(srv, "s", "/x", assert))), nil)
	res := out.all()
	if len(res) != 1 || !res[0].Success || res[0].RequestHeaders == "" {
		t.Fatalf("results %+v", res)
	}
}
