package functions

import (
	"math"
	"strconv"
	"sync"
)

// __tstFeedback(timer, start, max, spare) is the jmeter-plugins Throughput
// Shaping Timer's feedback function (kg.apc.jmeter.timers.functions.
// TSTFeedback): used as a Concurrency Thread Group's target, it returns how
// many users the timer's schedule needs, from what the timer publishes each
// second (<timer>_rps, _cntSent, _cntDelayed) and the last answer, kept in
// the property <timer>_concurrency (start on the first call of the run).
// When users sat waiting in the timer it gives up the ones beyond the
// spare (an absolute count when spare >= 1, else a ratio of the current
// number); when the second before fell short of the rate it asks for more in
// proportion. It never answers less than 1 nor more than max. Each call
// consumes the timer's rate (it sets <timer>_rps to 0), so only the first
// call after each of the timer's seconds acts.

// tstFeedbackState is one call site's state for the run (the plugin's
// function object: synchronized, and "just started" once per test).
type tstFeedbackState struct {
	mu      sync.Mutex
	started bool
}

func buildTSTFeedback(args []*Template) (evalFunc, error) {
	key := &callSite{}
	return func(c *Context) string {
		v, _ := c.shared().tst.LoadOrStore(key, &tstFeedbackState{})
		st := v.(*tstFeedbackState)
		st.mu.Lock()
		defer st.mu.Unlock()
		props := c.Props
		name := args[0].Eval(c)
		concName := name + "_concurrency"
		if !st.started {
			props.Set(concName, args[1].Eval(c))
			st.started = true
		}
		limit := math.MaxInt32
		if len(args) > 2 {
			if n, err := strconv.ParseInt(args[2].Eval(c), 10, 32); err == nil {
				limit = int(n)
			}
		}
		spare := 0.1
		if len(args) > 3 {
			if f, err := strconv.ParseFloat(args[3].Eval(c), 64); err == nil {
				spare = f
			} else {
				spare = 1 // what the plugin falls back to
			}
		}
		con, err := strconv.ParseInt(props.GetOr(concName, "1"), 10, 32)
		if err != nil {
			c.logf("ERROR", "__tstFeedback: %s is %q, not a whole number", concName, props.GetOr(concName, "1"))
			return ""
		}
		delayed, _ := strconv.ParseInt(props.GetOr(name+"_cntDelayed", "0"), 10, 32)
		sent, _ := strconv.ParseInt(props.GetOr(name+"_cntSent", "0"), 10, 32)
		rps64, _ := strconv.ParseFloat(props.GetOr(name+"_rps", "0"), 32)
		needed := tstNeeded(int(con), int(delayed), int(sent), float32(rps64), spare)
		if needed <= 0 {
			c.logf("WARN", "__tstFeedback: got concurrency less than zero: %d", needed)
			needed = 1
		}
		if needed > limit {
			c.logf("WARN", "__tstFeedback: got concurrency more than limit: %d", needed)
			needed = limit
		}
		out := strconv.Itoa(needed)
		props.Set(concName, out)
		props.Set(name+"_rps", "0")
		return out
	}, nil
}

// tstNeeded is the plugin's arithmetic, with its int, float and double
// steps: no change without a rate; fewer users when some waited; more when
// fewer samples than the rate went out.
func tstNeeded(con, delayed, sent int, rps float32, spare float64) int {
	needed := con
	switch {
	case rps <= 0:
	case delayed > 0:
		if spare >= 1 { // an absolute count of spare users
			needed = int(float64(needed) - (float64(delayed) - spare))
			if float64(con) > spare {
				return int(math.Max(spare, float64(needed)))
			}
		} else if float64(delayed) > math.Ceil(float64(con)*spare) {
			needed = int(float64(con) * (1 - spare))
		}
	case float32(sent) < rps:
		needed = int(math.Ceil(float64(float32(con) * (2 - float32(sent)/rps))))
	}
	return needed
}
