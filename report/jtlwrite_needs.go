package report

// ReadsRequestDetails reports whether rows written with this configuration
// show a sample's request headers or sampler data. The engine asks its
// outputs, so that an HTTP sampler whose results nobody shows skips building
// that text for every request.
func (w *JTLWriter) ReadsRequestDetails() bool {
	return w.cfg.RequestHeaders || w.cfg.SamplerData
}

// ReadsRequestDetails passes the question on to the filtered output.
func (f *FilterOutput) ReadsRequestDetails() bool {
	r, ok := f.Out.(interface{ ReadsRequestDetails() bool })
	return !ok || r.ReadsRequestDetails()
}
