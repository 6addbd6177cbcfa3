package functions

import "sync"

// Shared holds state that stateful functions keep for the whole run and all
// users (the global __counter, files read by __CSVRead and __StringFromFile …).
type Shared struct {
	mu      sync.Mutex
	counter int64
}

// NewShared returns empty run-wide function state.
func NewShared() *Shared { return &Shared{} }
