package runner

import (
	"sync/atomic"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// lazy is an output made when the run starts, from what is known then (the
// test's start time, a Backend Listener's evaluated arguments); the engine
// needs its place in the plan and what it reads (needs) when the plan
// compiles. A file made this way is not created for a plan that is refused.
type lazy struct {
	needs output.Needs
	make  func(output.Run) (output.Output, error)
	out   atomic.Pointer[output.Output]
}

func (l *lazy) Needs() output.Needs { return l.needs }

func (l *lazy) Start(r output.Run) error {
	o, err := l.make(r)
	if err != nil {
		return err
	}
	if err := o.Start(r); err != nil {
		return err
	}
	l.out.Store(&o)
	return nil
}

func (l *lazy) Add(r *sample.Result) {
	if o := l.out.Load(); o != nil {
		(*o).Add(r)
	}
}

func (l *lazy) Stop() error {
	if o := l.out.Load(); o != nil {
		return (*o).Stop()
	}
	return nil
}
