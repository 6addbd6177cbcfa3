package report

import (
	"io"
	"testing"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/output"
)

// TestNeeds: only a configuration that saves request headers or sampler
// data (as jmeter.save.saveservice.* properties set them) asks for the
// request text, only one saving response data for bodies, also through a
// listener's filter.
func TestNeeds(t *testing.T) {
	for _, c := range []struct {
		props map[string]string
		want  output.Needs
	}{
		{nil, output.Needs{}},
		{map[string]string{"jmeter.save.saveservice.output_format": "xml"}, output.Needs{}},
		{map[string]string{"jmeter.save.saveservice.requestHeaders": "true"}, output.Needs{RequestDetails: true}},
		{map[string]string{"jmeter.save.saveservice.output_format": "xml", "jmeter.save.saveservice.samplerData": "true"}, output.Needs{RequestDetails: true}},
		{map[string]string{"jmeter.save.saveservice.response_data.on_error": "true"}, output.Needs{ResponseBodies: true}},
	} {
		p := functions.NewProperties()
		for k, v := range c.props {
			p.Set(k, v)
		}
		cfg, err := SaveConfigFromProps(p)
		if err != nil {
			t.Fatal(err)
		}
		w := NewJTLWriter(io.Discard, cfg, false)
		if got := w.Needs(); got != c.want {
			t.Errorf("%v: Needs = %+v, want %+v", c.props, got, c.want)
		}
		f := &FilterOutput{Out: w, ErrorsOnly: true}
		if got := output.NeedsOf(f); got != c.want {
			t.Errorf("%v: filtered Needs = %+v, want %+v", c.props, got, c.want)
		}
		w.Close()
	}
}
