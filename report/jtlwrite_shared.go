package report

import (
	"fmt"
	"github.com/gometer/gometer/output"
	"path/filepath"
	"sync"

	"github.com/gometer/gometer/sample"
)

// JTLFiles opens result files for a run so that several listeners naming
// the same file share one writer, as JMeter's ResultCollector does (the
// first opener's configuration decides the file's columns). The zero value
// is ready to use.
type JTLFiles struct {
	mu    sync.Mutex
	files map[string]*sharedJTL
}

type sharedJTL struct {
	w    *JTLWriter
	refs int
}

// Open returns an output writing to path; Close on it releases this use,
// and the file is closed when its last user closes.
func (f *JTLFiles) Open(path string, cfg SaveConfig) (*SharedJTL, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("result file %s: %w", path, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.files == nil {
		f.files = make(map[string]*sharedJTL)
	}
	s := f.files[abs]
	if s == nil {
		w, err := OpenJTLWriter(path, cfg)
		if err != nil {
			return nil, err
		}
		s = &sharedJTL{w: w}
		f.files[abs] = s
	}
	s.refs++
	return &SharedJTL{JTLWriter: s.w, set: f, key: abs}, nil
}

// SharedJTL is one listener's use of a shared JTL file.
type SharedJTL struct {
	*JTLWriter
	set    *JTLFiles
	key    string
	once   sync.Once
	result error
}

// Stop releases this use (Close).
func (s *SharedJTL) Stop() error { return s.Close() }

// Close releases this use; the last one closes the file. It returns the
// writer's first error either way, so every listener sees a failure.
func (s *SharedJTL) Close() error {
	s.once.Do(func() {
		s.set.mu.Lock()
		e := s.set.files[s.key]
		e.refs--
		last := e.refs == 0
		if last {
			delete(s.set.files, s.key)
		}
		s.set.mu.Unlock()
		if last {
			s.result = s.JTLWriter.Close()
		} else {
			s.result = s.JTLWriter.Flush()
		}
	})
	return s.result
}

// FilterOutput passes on only the results a listener wants, as JMeter's
// "Log/Display only: Errors / Successes" options
// (ResultCollector.error_logging, ResultCollector.success_only_logging).
type FilterOutput struct {
	Out         output.Output
	ErrorsOnly  bool
	SuccessOnly bool
}

// Wanted applies JMeter's rule: no option → everything; otherwise only the
// matching outcome.
func (f *FilterOutput) Wanted(success bool) bool {
	return !f.ErrorsOnly && !f.SuccessOnly || success && f.SuccessOnly || !success && f.ErrorsOnly
}

func (f *FilterOutput) Add(r *sample.Result) {
	if r != nil && f.Wanted(r.Success) {
		f.Out.Add(r)
	}
}

// Start starts the filtered output.
func (f *FilterOutput) Start(r output.Run) error { return f.Out.Start(r) }

// Stop stops the filtered output.
func (f *FilterOutput) Stop() error { return f.Out.Stop() }
