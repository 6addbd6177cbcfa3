package functions

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// __evalVar that fans out (three calls per level, sixteen levels: 3^16
// evaluations) is cut at the budget, logging one line instead of one per
// call.
func TestEvalFanOutIsBounded(t *testing.T) {
	c := NewContext(nil, nil, nil)
	var logs []string
	c.Log = func(level, msg string) { logs = append(logs, level+" "+msg) }
	c.Vars.Put("v0", "x")
	for k := 1; k <= 16; k++ {
		c.Vars.Put(fmt.Sprintf("v%d", k), strings.Repeat(fmt.Sprintf("${__evalVar(v%d)}", k-1), 3))
	}
	tpl, err := Compile("${__evalVar(v16)}")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out := tpl.Eval(c)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], PropMaxEvalCalls) || !strings.Contains(logs[0], "more than 10000") {
		t.Errorf("logs: %d %q", len(logs), logs[:min(len(logs), 3)])
	}
	if !strings.Contains(out, "${__evalVar(") || !strings.HasPrefix(out, "xxx") {
		t.Errorf("the result starts %q", out[:min(len(out), 60)])
	}
	// a small fan-out is evaluated whole, and the budget is per expression
	c.Props.Set(PropMaxEvalCalls, "40")
	logs = nil
	tpl, _ = Compile("${__evalVar(v3)}${__evalVar(v3)}")
	if out := tpl.Eval(c); out != strings.Repeat("x", 54) || len(logs) != 0 {
		t.Errorf("3^3 twice under a budget of 40 each: %q %q", out, logs)
	}
}
