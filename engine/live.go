package engine

import (
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/functions"
)

// liveUsers is the set of running users, for the in-flight figures a live
// display polls once a second. A user joins and leaves it once per life; a
// sample only stores its start time in its own user (no shared counter on
// the hot path).
type liveUsers struct {
	mu    sync.Mutex
	users map[*vuser]struct{}
	runs  map[*groupRun]struct{}
}

func (l *liveUsers) add(u *vuser) {
	l.mu.Lock()
	if l.users == nil {
		l.users = make(map[*vuser]struct{})
	}
	l.users[u] = struct{}{}
	l.mu.Unlock()
}

func (l *liveUsers) remove(u *vuser) {
	l.mu.Lock()
	delete(l.users, u)
	l.mu.Unlock()
}

func (l *liveUsers) addRun(gr *groupRun) {
	l.mu.Lock()
	if l.runs == nil {
		l.runs = make(map[*groupRun]struct{})
	}
	l.runs[gr] = struct{}{}
	l.mu.Unlock()
}

func (l *liveUsers) removeRun(gr *groupRun) {
	l.mu.Lock()
	delete(l.runs, gr)
	l.mu.Unlock()
}

// InFlight reports the samples in progress and the age of the oldest one:
// users waiting on a server that never answers show here before any of
// their samples ends. Safe to call at any time, from any goroutine.
func (t *Test) InFlight() (n int, oldest time.Duration) {
	now := time.Now().UnixNano()
	var first int64
	t.live.mu.Lock()
	for u := range t.live.users {
		if s := u.busySince.Load(); s != 0 {
			n++
			if first == 0 || s < first {
				first = s
			}
		}
	}
	t.live.mu.Unlock()
	if n > 0 && now > first {
		oldest = time.Duration(now - first)
	}
	return n, oldest
}

// GroupCounts reports the active users of each running thread group (by
// name) and of the whole test.
func (t *Test) GroupCounts() (byGroup map[string]int, total int) {
	byGroup = make(map[string]int)
	t.live.mu.Lock()
	for gr := range t.live.runs {
		byGroup[gr.g.name] += int(gr.active.Load())
	}
	t.live.mu.Unlock()
	return byGroup, int(t.active.Load())
}

// Planned is how long the main thread groups are scheduled to run (the
// longest delay + duration); 0 when one of them ends on its loop count
// or a load shape instead of a scheduler. Properties and global variables
// are those of the run (Evaluate's).
func (t *Test) Planned() time.Duration {
	t.ensureGlobals()
	var longest time.Duration
	for _, g := range t.main {
		if g.kind != shapeClassic || !g.scheduler {
			return 0
		}
		sh := g.shape(t.newUserContext(t.global.Clone()))
		if sh.duration <= 0 {
			return 0
		}
		longest = max(longest, sh.delay+sh.duration)
	}
	return longest
}

// Evaluate resolves the functions and global variables in s as JMeter's
// PreCompiler does for elements outside thread groups (a Backend Listener's
// arguments), with the run's properties and the plan's variables.
func (t *Test) Evaluate(s string) (string, error) {
	tpl, err := functions.Compile(s)
	if err != nil {
		return "", err
	}
	t.ensureGlobals()
	c := t.newUserContext(t.global.Clone())
	c.ThreadName = "main"
	return tpl.Eval(c), nil
}

// ensureGlobals evaluates the plan's variables once, before the run when
// something needs them early (Evaluate, Planned, Describe).
func (t *Test) ensureGlobals() {
	t.globalsOnce.Do(t.evalUDVs)
}

// Globals are the plan's global variables (the Test Plan's and every User
// Defined Variables element's) whose names start with prefix, evaluated
// as for the run, in the order the plan defines them.
func (t *Test) Globals(prefix string) [][2]string {
	t.ensureGlobals()
	var out [][2]string
	seen := map[string]bool{}
	for _, u := range t.udvs {
		if !strings.HasPrefix(u.name, prefix) || seen[u.name] {
			continue
		}
		seen[u.name] = true
		v, _ := t.global.Get(u.name)
		out = append(out, [2]string{u.name, v})
	}
	return out
}
