package report

import (
	"io"
	"testing"

	"github.com/gometer/gometer/functions"
)

// TestReadsRequestDetails: only a configuration that saves request headers
// or sampler data (as jmeter.save.saveservice.* properties set them) asks
// for them, also through a listener's filter.
func TestReadsRequestDetails(t *testing.T) {
	for _, c := range []struct {
		props map[string]string
		want  bool
	}{
		{nil, false},
		{map[string]string{"jmeter.save.saveservice.output_format": "xml"}, false},
		{map[string]string{"jmeter.save.saveservice.requestHeaders": "true"}, true},
		{map[string]string{"jmeter.save.saveservice.output_format": "xml", "jmeter.save.saveservice.samplerData": "true"}, true},
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
		if got := w.ReadsRequestDetails(); got != c.want {
			t.Errorf("%v: ReadsRequestDetails = %v, want %v", c.props, got, c.want)
		}
		f := &FilterOutput{Out: w, ErrorsOnly: true}
		if got := f.ReadsRequestDetails(); got != c.want {
			t.Errorf("%v: filtered ReadsRequestDetails = %v, want %v", c.props, got, c.want)
		}
		w.Close()
	}
}
