package report

import (
	"strings"
	"testing"
)

func compareStats(rows map[string][]int64, errs map[string]int, order []string) *Stats {
	st := NewStats(DefaultStatsOptions())
	ts := int64(1_700_000_000_000)
	for _, l := range order {
		for i, e := range rows[l] {
			st.Add(&Sample{TimeStamp: ts + int64(i)*100, Elapsed: e, Label: l, Success: i >= errs[l]})
		}
	}
	return st
}

func repeatMs(v int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func TestCompare(t *testing.T) {
	a := compareStats(map[string][]int64{"Login": repeatMs(100, 10), "Home": repeatMs(50, 10)}, nil, []string{"Login", "Home"})
	b := compareStats(map[string][]int64{"Home": repeatMs(50, 10), "Login": repeatMs(120, 10), "New": repeatMs(10, 5)},
		map[string]int{"Login": 1}, []string{"Home", "Login", "New"})
	rep := Compare(a, b, CompareLimits{MaxP95Regression: 0.10, MaxErrorRateIncrease: 5})
	var labels []string
	for _, r := range rep.Rows {
		labels = append(labels, r.Label)
	}
	if strings.Join(labels, ",") != "Login,Home,New" || rep.Rows[2].InA || !rep.Rows[2].InB {
		t.Fatalf("rows %v %+v", labels, rep.Rows[2])
	}
	want := []string{
		"Login: p95 rose +20.0% (limit +10%)",
		"Login: error % rose +10.00pp (limit +5.00pp)",
		"TOTAL: p95 rose +20.0% (limit +10%)",
	}
	if !rep.Exceeded() || strings.Join(rep.Reasons, "|") != strings.Join(want, "|") {
		t.Fatalf("reasons\n got %q\nwant %q", rep.Reasons, want)
	}
	var out strings.Builder
	if err := rep.PrintDetail(&out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, frag := range []string{
		"| Login | samples      |     10 |     10 |         0 |          |",
		"|       | error %      |  0.00% | 10.00% |  +10.00pp | EXCEEDED |",
		"|       | p95 ms       | 100.00 | 120.00 |    +20.0% | EXCEEDED |",
		"|       | throughput/s |  10.00 |   9.80 |     -2.0% |          |",
		"|       | mean ms      |  50.00 |  50.00 |     +0.0% |          |", // Home
		"| New   | samples      |      - |      5 | only in B |          |",
		"| TOTAL | samples      |     20 |     25 |        +5 |          |",
		"|       | error %      |  0.00% |  4.00% |   +4.00pp |          |",
		"Limits exceeded (3):\n  Login: p95 rose +20.0% (limit +10%)\n",
	} {
		if !strings.Contains(s, frag) {
			t.Errorf("output lacks %q", frag)
		}
	}
	if t.Failed() {
		t.Log("\n" + s)
	}

	// The default table: one row per label, columns named by the runs' files.
	rep.NameA, rep.NameB = "base.jtl", "new.jtl"
	out.Reset()
	if err := rep.Print(&out); err != nil {
		t.Fatal(err)
	}
	s = out.String()
	for _, frag := range []string{
		"base.jtl → new.jtl (cells: first → second, change)\n",
		"| Login |  10 → 10 (0) | 0.00% → 10.00% (+10.00pp) | 100 → 120 (+20.0%) |",
		"| EXCEEDED: p95, error % |",
		"| New   |        - → 5 |",
		"| only in new.jtl        |",
		"| TOTAL | 20 → 25 (+5) |",
	} {
		if !strings.Contains(s, frag) {
			t.Errorf("summary table lacks %q", frag)
		}
	}
	if strings.Count(s, "| Login ") != 1 {
		t.Errorf("summary table has more than one row for Login")
	}
	if t.Failed() {
		t.Log("\n" + s)
	}
	out.Reset()
	rep.PrintDetail(&out)
	if !strings.Contains(out.String(), "| base.jtl | new.jtl |") {
		t.Errorf("detail columns not named by file:\n%s", out.String())
	}

	// Same run against itself: within limits, only the TOTAL checked when asked.
	rep = Compare(a, a, CompareLimits{MaxP95Regression: 0.01, MaxP99Regression: 0.01, MaxMeanRegression: 0.01, MaxErrorRateIncrease: 0.01, MaxThroughputDrop: 0.01})
	out.Reset()
	rep.Print(&out)
	if rep.Exceeded() || !strings.HasSuffix(out.String(), "Within limits.\n") {
		t.Fatalf("self-compare exceeded: %v\n%s", rep.Reasons, out.String())
	}
	rep = Compare(a, b, CompareLimits{MaxErrorRateIncrease: 5, TotalOnly: true})
	if rep.Exceeded() {
		t.Fatalf("total-only: %v", rep.Reasons)
	}
	// Throughput drop: B at half the rate of A.
	slow := NewStats(DefaultStatsOptions())
	for i := int64(0); i < 20; i++ {
		slow.Add(&Sample{TimeStamp: 1_700_000_000_000 + i*200, Elapsed: 50, Label: "Home", Success: true})
	}
	rep = Compare(a, slow, CompareLimits{MaxThroughputDrop: 0.2, TotalOnly: true})
	if !rep.Exceeded() || !strings.HasPrefix(rep.Reasons[0], "TOTAL: throughput fell -") {
		t.Fatalf("throughput: %v", rep.Reasons)
	}
	// A limit on a level the statistics do not compute fails loudly.
	o := DefaultStatsOptions()
	o.Percentiles = [3]float64{50, 90, 99}
	o.PercentileLabels = [3]string{"50", "90", "99"}
	x, y := NewStats(o), NewStats(o)
	x.Add(&Sample{TimeStamp: 1, Elapsed: 5, Label: "L", Success: true})
	y.Add(&Sample{TimeStamp: 1, Elapsed: 5, Label: "L", Success: true})
	rep = Compare(x, y, CompareLimits{MaxP95Regression: 0.1, TotalOnly: true})
	if !rep.Exceeded() || !strings.Contains(rep.Reasons[0], "p95 is not computed") {
		t.Fatalf("uncomputed level: %v", rep.Reasons)
	}
}

func TestParseLimits(t *testing.T) {
	for in, want := range map[string]float64{"10%": 0.1, "0.25": 0.25, " 5 % ": 0.05} {
		if v, err := ParseFraction(in); err != nil || v != want {
			t.Errorf("ParseFraction(%q) = %v, %v", in, v, err)
		}
	}
	for in, want := range map[string]float64{"1pp": 1, "2.5%": 2.5, "3": 3} {
		if v, err := ParsePercentagePoints(in); err != nil || v != want {
			t.Errorf("ParsePercentagePoints(%q) = %v, %v", in, v, err)
		}
	}
	for _, bad := range []string{"", "x", "-1%", "NaN"} {
		if _, err := ParseFraction(bad); err == nil {
			t.Errorf("ParseFraction(%q) accepted", bad)
		}
		if _, err := ParsePercentagePoints(bad); err == nil {
			t.Errorf("ParsePercentagePoints(%q) accepted", bad)
		}
	}

	// An absolute floor: 0 → 1 ms is +100% but not a regression with
	// MinDelta 5; 100 → 120 ms still is.
	fast := compareStats(map[string][]int64{"L": repeatMs(0, 10)}, nil, []string{"L"})
	slower := compareStats(map[string][]int64{"L": repeatMs(1, 10)}, nil, []string{"L"})
	if rep := Compare(fast, slower, CompareLimits{MaxP95Regression: 0.1, MaxMeanRegression: 0.1}); !rep.Exceeded() {
		t.Errorf("0 → 1 ms without a floor should exceed +10%%")
	}
	if rep := Compare(fast, slower, CompareLimits{MaxP95Regression: 0.1, MaxMeanRegression: 0.1, MinDelta: 5}); rep.Exceeded() {
		t.Errorf("0 → 1 ms with a 5 ms floor: %v", rep.Reasons)
	}
	base := compareStats(map[string][]int64{"L": repeatMs(100, 10)}, nil, []string{"L"})
	worse := compareStats(map[string][]int64{"L": repeatMs(120, 10)}, nil, []string{"L"})
	if rep := Compare(base, worse, CompareLimits{MaxP95Regression: 0.1, MinDelta: 5}); !rep.Exceeded() {
		t.Errorf("100 → 120 ms with a 5 ms floor should still exceed")
	}
}
