package functions

import (
	"strings"
	"testing"
)

// JEXL 3 has no "**": JMeter's __jexl3 fails to parse it (and returns ""),
// so gometer refuses it when the plan loads instead of computing a power.
func TestJEXLHasNoPowerOperator(t *testing.T) {
	if _, err := Compile("${__jexl3(2 ** 3)}"); err == nil || !strings.Contains(err.Error(), `"**"`) {
		t.Fatalf("want a compile error naming **, got %v", err)
	}
	tpl, err := Compile("${__jexl3(2 * 3)}")
	if err != nil {
		t.Fatal(err)
	}
	if got := tpl.Eval(&Context{Vars: NewVars(), Props: NewProperties(), Shared: NewShared()}); got != "6" {
		t.Errorf("2 * 3 = %q", got)
	}
}
