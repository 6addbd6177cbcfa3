package engine

import (
	"fmt"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// Flow Control Action (TestAction) actions and targets.
const (
	actionStop           = 0
	actionPause          = 1
	actionStopNow        = 2
	actionNextThreadLoop = 3
	actionNextLoop       = 4
	actionBreakLoop      = 5

	targetThread = 0
	targetTest   = 2
)

// testAction is a Flow Control Action: it produces no sample, but the
// pre-processors and timers in its scope run before it.
type testAction struct {
	action   int
	target   int
	duration *functions.Template
}

func (c *compiler) buildTestAction(el *jmx.Element) (*testAction, error) {
	a := &testAction{
		action:   int(el.Int("ActionProcessor.action", actionPause)),
		target:   int(el.Int("ActionProcessor.target", targetThread)),
		duration: c.template(el, "ActionProcessor.duration", "0"),
	}
	if a.action < actionStop || a.action > actionBreakLoop {
		return nil, fmt.Errorf("unknown Flow Control Action %d", a.action)
	}
	return a, nil
}

func (a *testAction) perform(u *vuser) flow {
	switch a.action {
	case actionPause:
		d := scaleDuration(evalInt(a.duration, u.ctx, 0), time.Millisecond)
		if !u.endTime.IsZero() {
			d = min(d, time.Until(u.endTime)) // the pause is cut at the scheduler's end
		}
		if !u.sleep(d) {
			return flowStop
		}
		return flowNext
	case actionStop:
		if a.target == targetTest {
			u.t.stopGraceful()
		}
		u.stopThread()
		return flowStop
	case actionStopNow:
		if a.target == targetTest {
			u.t.StopNow()
		}
		u.stopThread()
		return flowStop
	case actionNextThreadLoop:
		return flowNextThreadLoop
	case actionNextLoop:
		return flowNextLoop
	case actionBreakLoop:
		return flowBreakLoop
	}
	return flowNext
}

// stopThread stops the user's thread; in a Parallel Controller's branch the
// user stops too once the controller is done (the plugin's thread passes
// JMeterThread.stop() on to its parent thread).
func (u *vuser) stopThread() {
	u.stop = true
	if u.branch != nil {
		u.branch.stopParent.Store(true)
	}
}
