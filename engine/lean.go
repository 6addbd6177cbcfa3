package engine

import "github.com/gometer/gometer/output"

// outputsNeed is what the run-wide outputs and a sampler's scoped listeners
// read beyond the summary fields (output.Needer): an HTTP sampler whose
// request text and body nobody reads leaves them empty
// (sampler.HTTPOptions.Lean, DiscardBody), which saves building two strings
// and keeping the body for every request.
func (t *Test) outputsNeed(scoped []output.Output) output.Needs {
	var n output.Needs
	for _, o := range t.opts.Outputs {
		n = n.Or(output.NeedsOf(o))
	}
	for _, o := range scoped {
		n = n.Or(output.NeedsOf(o))
	}
	return n
}
