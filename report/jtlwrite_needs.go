package report

import "github.com/gometer/gometer/output"

// Needs is what rows written with this configuration read beyond the
// summary fields: the request text (requestHeaders, samplerData) and the
// response data (response_data, response_data.on_error). The runner asks
// before the run, so that an HTTP sampler whose details nobody writes skips
// building them for every request.
func (c SaveConfig) Needs() output.Needs {
	return output.Needs{
		RequestDetails: c.RequestHeaders || c.SamplerData,
		ResponseBodies: c.ResponseData || c.ResponseDataOnError,
	}
}

// Needs is what the writer's configuration reads.
func (w *JTLWriter) Needs() output.Needs { return w.cfg.Needs() }

// Needs passes the question on to the filtered output.
func (f *FilterOutput) Needs() output.Needs { return output.NeedsOf(f.Out) }
