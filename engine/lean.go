package engine

// RequestDetailsReader is implemented by an Output that reads the request
// side of a Result (RequestHeaders, SamplerData, QueryString), such as a JTL
// saving requestHeaders or samplerData. Outputs that do not implement it are
// taken not to read those fields: an HTTP sampler no element and no output
// needs them for leaves them empty (sampler.HTTPOptions.Lean), which saves
// building two strings per request.
type RequestDetailsReader interface {
	ReadsRequestDetails() bool
}

// outputsReadRequestDetails reports whether a run-wide output reads the
// request side of results.
func (t *Test) outputsReadRequestDetails() bool {
	for _, o := range t.opts.Outputs {
		if r, ok := o.(RequestDetailsReader); ok && r.ReadsRequestDetails() {
			return true
		}
	}
	return false
}
