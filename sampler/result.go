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
	HTTP *HTTPState // made on first use (httpState): a plan without HTTP keeps none
	// HTTPOptions, when set, are what the user's HTTP state is made with
	// (the run's: certificate checks, properties, client certificates).
	HTTPOptions *StateOptions

	// states holds the per-user state of other protocol packages (JDBC
	// per-user pools, WebSocket and TCP connections), each under a key of
	// its package's own type. A user has a few at most: a slice costs less
	// than a map for each of thousands of users.
	states []userState
}

type userState struct {
	key any
	v   io.Closer
}

// State returns what a protocol package stored under key, or nil.
func (s *Session) State(key any) io.Closer {
	for _, st := range s.states {
		if st.key == key {
			return st.v
		}
	}
	return nil
}

// SetState stores a protocol package's per-user state; Close closes it.
func (s *Session) SetState(key any, v io.Closer) {
	for i := range s.states {
		if s.states[i].key == key {
			s.states[i].v = v
			return
		}
	}
	s.states = append(s.states, userState{key, v})
}

// httpState is the user's HTTP state, made on first use with the run's
// options (or, outside a run, the sampler's own; h may be nil).
func (s *Session) httpState(h *HTTP) *HTTPState {
	if s.HTTP == nil {
		var opt StateOptions
		switch {
		case s.HTTPOptions != nil:
			opt = *s.HTTPOptions
		case h != nil:
			opt = StateOptions{TLSVerify: h.tlsVerify, Props: h.props}
		}
		s.HTTP = NewHTTPState(opt)
	}
	return s.HTTP
}

// Close releases the user's connections when it ends.
func (s *Session) Close() {
	if s.HTTP != nil {
		s.HTTP.Close()
	}
	for _, st := range s.states {
		_ = st.v.Close()
	}
	s.states = nil
}

// Sampler does one sample for one virtual user. A nil Result means "no
// sample" (e.g. a Flow Control Action).
type Sampler interface {
	Sample(ctx context.Context, s *Session) *Result
}
