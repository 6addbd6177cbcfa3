package engine

import "github.com/gometer/gometer/sample"

// Result Status Action Handler (ResultAction) actions, OnError.action.
const (
	onErrorActionContinue = iota
	onErrorActionStopThread
	onErrorActionStopTest
	onErrorActionStopTestNow
	onErrorActionNextThreadLoop
	onErrorActionNextLoop
	onErrorActionBreakLoop
)

// resultAction is a Result Status Action Handler. JMeter runs it as a sample
// listener: it sees the sample after the assertions and, when it failed,
// flags it; the thread then acts on the flags as for its own
// on_sample_error setting.
type resultAction struct{ action int }

// apply flags a failed result and returns the loop action to take: the
// given one unless this handler sets another (the last one to set wins).
func (a *resultAction) apply(r *sample.Result, logical flow) flow {
	switch a.action {
	case onErrorActionStopThread:
		r.StopThread = true
	case onErrorActionStopTest:
		r.StopTest = true
	case onErrorActionStopTestNow:
		r.StopTestNow = true
	case onErrorActionNextThreadLoop:
		return flowNextThreadLoop
	case onErrorActionNextLoop:
		return flowNextLoop
	case onErrorActionBreakLoop:
		return flowBreakLoop
	}
	return logical
}

// withoutActions returns list without the handlers in remove.
func withoutActions(list, remove []*resultAction) []*resultAction {
	var out []*resultAction
	for _, a := range list {
		keep := true
		for _, b := range remove {
			keep = keep && a != b
		}
		if keep {
			out = append(out, a)
		}
	}
	return out
}
