// Package sampler holds the samplers (HTTP and the others). A sampler does
// one request for one virtual user and returns a sample.Result; it never
// aggregates.
package sampler

import (
	"context"
	"io"

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

	// states holds the per-user state of other protocol packages (JDBC
	// per-user pools, WebSocket and TCP connections), each under a key of
	// its package's own type.
	states map[any]io.Closer
}

// State returns what a protocol package stored under key, or nil.
func (s *Session) State(key any) io.Closer { return s.states[key] }

// SetState stores a protocol package's per-user state; Close closes it.
func (s *Session) SetState(key any, v io.Closer) {
	if s.states == nil {
		s.states = make(map[any]io.Closer)
	}
	s.states[key] = v
}

// Close releases the user's connections when it ends.
func (s *Session) Close() {
	if s.HTTP != nil {
		s.HTTP.Close()
	}
	for k, v := range s.states {
		_ = v.Close()
		delete(s.states, k)
	}
}

// Sampler does one sample for one virtual user. A nil Result means "no
// sample" (e.g. a Flow Control Action).
type Sampler interface {
	Sample(ctx context.Context, s *Session) *Result
}
