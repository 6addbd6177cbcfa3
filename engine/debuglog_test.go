package engine

import (
	"strings"
	"sync"
	"testing"

	"github.com/gometer/gometer/functions"
)

// decisionPlan is controllers without samplers: what is measured is the
// controllers' own decisions.
func decisionPlan() string {
	return planXML(tg("G", 1, 0, "1", "",
		ifCtrl("if", "true", true, ctrl("GenericController", "in if", "")),
		loopCtrl("loop", "3", ctrl("GenericController", "in loop", "")),
		ctrl("SwitchController", "switch", sp("SwitchController.value", "1"),
			ctrl("GenericController", "zero", ""), ctrl("GenericController", "one", "")),
		ctrl("InterleaveControl", "interleave", "", ctrl("GenericController", "a", ""), ctrl("GenericController", "b", "")),
		ctrl("OnceOnlyController", "once", "", ctrl("GenericController", "in once", "")),
	))
}

// decisionUser compiles decisionPlan with debug (nil: off) and returns a
// user and the group's top-level controllers.
func decisionUser(t testing.TB, debug func(string)) (*vuser, []node) {
	tst, err := compileXML(t, decisionPlan(), Options{Debug: debug})
	if err != nil {
		t.Fatal(err)
	}
	vars := functions.NewVars()
	u := &vuser{t: tst, gr: &groupRun{t: tst}, name: "G 1-1", vars: vars, ctx: tst.newUserContext(vars),
		ph: &phaseState{stop: make(chan struct{})}, slots: make([]slot, tst.nslots)}
	return u, tst.main[0].root.children
}

// With DEBUG off the controllers' decisions allocate nothing for the log.
func TestDebugLogOffAllocatesNothing(t *testing.T) {
	u, ctrls := decisionUser(t, nil)
	for _, c := range ctrls {
		kind, name, _ := c.describe()
		c.run(u) // first pass: state set up
		if n := testing.AllocsPerRun(100, func() { c.run(u) }); n != 0 {
			t.Errorf("%s %q: %v allocation(s) per decision with DEBUG off, want 0", kind, name, n)
		}
	}
}

// With DEBUG on each decision is one line naming the user, the element and
// what it decided.
func TestDebugLogOnSaysEachDecision(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	u, ctrls := decisionUser(t, func(m string) { mu.Lock(); lines = append(lines, m); mu.Unlock() })
	for _, c := range ctrls {
		c.run(u)
		c.run(u)
	}
	got := strings.Join(lines, "\n")
	for _, want := range []string{
		`G 1-1: If Controller "if": condition "true" evaluates to "true": runs its children`,
		`G 1-1: Loop Controller "loop": pass 3 of 3`,
		`G 1-1: Switch Controller "switch": value "1" runs GenericController "one"`,
		`G 1-1: Interleave Controller "interleave": runs child 1 of 2 (GenericController "a")`,
		`G 1-1: Interleave Controller "interleave": runs child 2 of 2 (GenericController "b")`,
		`G 1-1: Once Only Controller "once": first pass, runs its children`,
		`G 1-1: Once Only Controller "once": ran already, skips its children`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("DEBUG log lacks %q; it holds:\n%s", want, got)
		}
	}
}

// BenchmarkControllerDecisions: one pass through If, Loop (3), Switch,
// Interleave and Once Only controllers, DEBUG off and on (to a discarding
// log).
func BenchmarkControllerDecisions(b *testing.B) {
	for _, mode := range []struct {
		name  string
		debug func(string)
	}{{"debug=off", nil}, {"debug=on", func(string) {}}} {
		b.Run(mode.name, func(b *testing.B) {
			u, ctrls := decisionUser(b, mode.debug)
			b.ReportAllocs()
			for b.Loop() {
				for _, c := range ctrls {
					c.run(u)
				}
			}
		})
	}
}
