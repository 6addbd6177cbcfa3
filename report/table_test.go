package report

import (
	"strings"
	"testing"
)

// tableStats builds statistics with unambiguous figures: label A four 100 ms
// samples, label "B, with\nnewline" two 300 ms samples (one failed), and a
// transaction controller row that Total leaves out.
func tableStats() *Stats {
	st := NewStats(DefaultStatsOptions())
	for i := int64(0); i < 4; i++ {
		st.Add(&Sample{TimeStamp: 1_700_000_000_000 + i*1000, Elapsed: 100, Label: "A", Success: true, ResponseCode: "200"})
	}
	st.Add(&Sample{TimeStamp: 1_700_000_000_500, Elapsed: 300, Label: "B, with\nnewline", Success: true, ResponseCode: "200"})
	st.Add(&Sample{TimeStamp: 1_700_000_001_500, Elapsed: 300, Label: "B, with\nnewline", Success: false, ResponseCode: "500"})
	st.Add(&Sample{TimeStamp: 1_700_000_000_000, Elapsed: 4000, Label: "TC", Success: false,
		ResponseMessage: TransactionPrefix + "6, number of failing samples : 1"})
	return st
}

func TestPrintLabelTable(t *testing.T) {
	var b strings.Builder
	if err := PrintLabelTable(&b, tableStats()); err != nil {
		t.Fatal(err)
	}
	want := `+------------------+---------+----------+---------+------+------+---------+---------+---------+----------------+
| Label            | Samples | Errors % |     Avg |  Min |  Max |     p90 |     p95 |     p99 | Throughput(/s) |
+------------------+---------+----------+---------+------+------+---------+---------+---------+----------------+
| A                |       4 |    0.00% |  100.00 |  100 |  100 |  100.00 |  100.00 |  100.00 |           1.29 |
| B, with\nnewline |       2 |   50.00% |  300.00 |  300 |  300 |  300.00 |  300.00 |  300.00 |           1.54 |
| TC               |       1 |  100.00% | 4000.00 | 4000 | 4000 | 4000.00 | 4000.00 | 4000.00 |           0.25 |
+------------------+---------+----------+---------+------+------+---------+---------+---------+----------------+
| TOTAL            |       6 |   16.67% |  166.67 |  100 |  300 |  300.00 |  300.00 |  300.00 |           1.94 |
+------------------+---------+----------+---------+------+------+---------+---------+---------+----------------+
`
	if b.String() != want {
		t.Fatalf("table:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestPrintLabelTableEmpty(t *testing.T) {
	var b strings.Builder
	opts := DefaultStatsOptions()
	opts.Percentiles = [3]float64{50, 99, 99.9}
	opts.PercentileLabels = [3]string{"50", "99", "99.9"}
	if err := PrintLabelTable(&b, NewStats(opts)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "| p50 | p99 | p99.9 |") {
		t.Fatalf("percentile titles missing:\n%s", out)
	}
	if !strings.Contains(out, "| TOTAL |       0 |        - |   - |   - |   - |   - |   - |     - |              - |") {
		t.Fatalf("empty total row:\n%s", out)
	}
}
