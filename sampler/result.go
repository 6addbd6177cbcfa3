// Package sampler holds the samplers (HTTP and the others). A sampler does
// one request for one virtual user and returns a sample.Result; it never
// aggregates.
package sampler

import (
	"context"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/sample"
)

// Result is the sample every stage shares (see package sample).
type Result = sample.Result

// AssertionResult is one assertion's verdict on a sample.
type AssertionResult = sample.AssertionResult

// Session is the state one virtual user carries from sample to sample: its
// variables and identity, and its protocol state (connections, cookies,
// caches). Owned by one goroutine.
type Session struct {
	Ctx  *functions.Context
	HTTP *HTTPState // created lazily by the HTTP sampler
}

// Sampler does one sample for one virtual user. A nil Result means "no
// sample" (e.g. a Flow Control Action).
type Sampler interface {
	Sample(ctx context.Context, s *Session) *Result
}
