package functions

import "sync"

// Shared holds state that stateful functions keep for the whole run and all
// users (the global __counter, files read by __CSVRead and __StringFromFile …).
// Each entry is keyed by its call site or file, as JMeter keeps it per
// function instance or per file.
type Shared struct {
	mu      sync.Mutex
	counter int64

	counters map[any]int64           // __counter(FALSE): per call site
	csv      map[string]*csvFile     // __CSVRead: by file name or *alias
	lines    map[any]*lineReader     // __StringFromFile: per call site
	files    map[string]fileContents // __FileToString: file name+encoding → contents
	exprs    map[exprKey]exprEntry   // expressions compiled at run time

	hostName, hostIP string // __machineName, __machineIP
}

// NewShared returns empty run-wide function state.
func NewShared() *Shared { return &Shared{} }

// nextCounter increments and returns the global counter of one call site.
func (s *Shared) nextCounter(key any) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.counters == nil {
		s.counters = make(map[any]int64)
	}
	s.counters[key]++
	return s.counters[key]
}
