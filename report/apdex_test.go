package report

import (
	"testing"

	"github.com/gometer/gometer/functions"
)

func TestApdex(t *testing.T) {
	p := functions.NewProperties()
	p.Set("jmeter.reportgenerator.apdex_per_transaction", "sample(\\d+):1000|2000; TC.*:50|100")
	o, err := ApdexOptionsFromProps(p)
	if err != nil {
		t.Fatal(err)
	}
	a := NewApdex(o)
	for _, x := range []*Sample{smp(0, 400, "A", true), smp(0, 900, "A", true), smp(0, 2000, "A", true), smp(0, 10, "A", false),
		smp(0, 1500, "sample12", true), smp(0, 1500, "sample12x", true)} {
		a.Add(x)
	}
	tc := smp(0, 70, "TC one", true)
	tc.ResponseMessage = TransactionPrefix + "1, number of failing samples : 0"
	a.Add(tc)
	rows := map[string]ApdexRow{}
	for _, r := range a.Rows() {
		rows[r.Label] = r
	}
	// A: satisfied 1, tolerated 1, frustrated 1, failed 1 → (1 + 0.5)/4
	if r := rows["A"]; r.Apdex != 0.375 || r.Satisfied != 500 || r.Tolerated != 1500 {
		t.Errorf("A %+v", r)
	}
	if r := rows["sample12"]; r.Apdex != 0.5 || r.Satisfied != 1000 { // full match only
		t.Errorf("sample12 %+v", r)
	}
	if r := rows["sample12x"]; r.Satisfied != 500 {
		t.Errorf("sample12x must not match: %+v", r)
	}
	if r := rows["TC one"]; r.Apdex != 0.5 || !r.IsController {
		t.Errorf("TC %+v", r)
	}
	// overall: global thresholds, controllers included
	if ov := a.Overall(); ov.Samples != 7 || ov.Apdex != (2+3*0.5)/7 {
		t.Errorf("overall %+v", ov)
	}
	for _, bad := range []string{"noseparators", "a:1|x", "a|1:2", "(:1|2"} {
		if _, err := ParseApdexPerTransaction(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
