package report

import (
	"fmt"
	"testing"
)

func TestErrorKey(t *testing.T) {
	cases := []struct {
		code, msg, fail string
		useFail         bool
		want            string
	}{
		{"500", "Internal Server Error", "", true, "500/Internal Server Error"},
		{"500", "", "", true, "500"},
		{"200", "OK", "", true, AssertionFailed},
		{"200", "OK", "Test failed: code expected to be 201", true, "Test failed: code expected to be 201"},
		{"200", "OK", "Test failed: code expected to be 201", false, AssertionFailed},
		{"302", "Found", "too many redirects", true, "too many redirects"},
		{"", "Number of samples in transaction : 1, number of failing samples : 1", "child failed", true, "child failed"},
		{"", "", "", true, ""},
		{"Non HTTP response code: java.net.ConnectException", "Non HTTP response message: Connection refused", "", true,
			"Non HTTP response code: java.net.ConnectException/Non HTTP response message: Connection refused"},
		{"404", "Not <b>Found</b>", "x", true, "404/Not <b>Found</b>"}, // kept raw; escaped where written
	}
	for _, c := range cases {
		x := &Sample{ResponseCode: c.code, ResponseMessage: c.msg, FailureMessage: c.fail}
		if got := ErrorKey(x, c.useFail); got != c.want {
			t.Errorf("ErrorKey(%q,%q,%q,%v) = %q, want %q", c.code, c.msg, c.fail, c.useFail, got, c.want)
		}
	}
}

func TestErrorsTablesAndBound(t *testing.T) {
	e := NewErrors(ErrorsOptions{UseFailureMessage: true, ExcludeTCFromTop5: true})
	fail := func(label, code string) {
		x := smp(0, 1, label, false)
		x.ResponseCode, x.ResponseMessage = code, "m"
		e.Add(x)
	}
	for range 3 {
		fail("A", "500")
	}
	fail("A", "404")
	e.Add(smp(0, 1, "A", true))
	e.Add(smp(0, 1, "B", true))
	tc := smp(0, 1, "TC", false)
	tc.ResponseCode, tc.ResponseMessage = "", TransactionPrefix+"4, number of failing samples : 4"
	e.Add(tc)
	tab := e.Table()
	if len(tab) != 2 || tab[0].Type != "500/m" || tab[0].Count != 3 || tab[0].PctOfErrors != 75 || tab[0].PctOfAll != 50 {
		t.Errorf("table %+v", tab)
	}
	top := e.Top5()
	if len(top) != 1 || top[0].Label != "A" || top[0].Samples != 5 || top[0].Errors != 4 || len(top[0].Top) != 2 {
		t.Errorf("top5 %+v", top)
	}
	if tot := e.Top5Total(); tot.Samples != 6 || tot.Errors != 4 {
		t.Errorf("top5 total %+v", tot)
	}
	// With controllers kept in Top 5, the TC row appears (its key: empty code + no failure message → "").
	e2 := NewErrors(ErrorsOptions{UseFailureMessage: true})
	e2.Add(tc)
	if top := e2.Top5(); len(top) != 1 || !top[0].IsController {
		t.Errorf("tc in top5: %+v", top)
	}
	// Messages with ids in them must not grow memory without bound.
	b := NewErrors(ErrorsOptions{UseFailureMessage: true})
	for i := range maxErrorKeys + 500 {
		x := smp(0, 1, "A", false)
		x.ResponseCode, x.ResponseMessage = "500", fmt.Sprintf("request id %d failed", i)
		b.Add(x)
	}
	tab = b.Table()
	if len(tab) != maxErrorKeys+1 || tab[0].Type != OtherErrors || tab[0].Count != 500 {
		t.Errorf("bounded table: %d types, first %+v", len(tab), tab[0])
	}
}
