package descstat

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/javafmt"
)

// testdata/commons.out is what Apache Commons Math 3.6.1 (the version JMeter
// 5.6.3 ships) printed for testdata/commons.jsh:
//
//	jshell --class-path $JMETER_HOME/lib/commons-math3-3.6.1.jar testdata/commons.jsh > testdata/commons.out
func TestMatchesCommonsMath(t *testing.T) {
	data := [][]float64{{5, 1, 9, 3, 7, 2, 8}, {10, 20}, {3, 3, 4, 100, 1, 1, 56, 2, 9, 12, 15, 7}}
	ps := []float32{50, 90, 95, 99, 99.9, 1, 25}
	f, err := os.Open("testdata/commons.out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var scratch []float64
	lines := 0
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if fields[0] == "mean" {
			w := NewWindow(3)
			for _, v := range []float64{0.1, 0.2, 0.7, 1.3, 2.9} {
				w.Add(v)
			}
			got := "mean " + javafmt.Double(w.Mean()) + " min " + javafmt.Double(w.Min()) + " max " + javafmt.Double(w.Max())
			if got != sc.Text() {
				t.Errorf("window of 3: got %q, Commons Math %q", got, sc.Text())
			}
			lines++
			continue
		}
		e, err := ParseEstimator(fields[0])
		if err != nil {
			continue // jshell chatter
		}
		lines++
		i := 1
		for _, d := range data {
			w := NewWindow(5000)
			for _, v := range d {
				w.Add(v)
			}
			for _, p := range ps {
				got := javafmt.Double(w.Percentile(float64(p), e, &scratch))
				if got != fields[i] {
					t.Errorf("%s p%v of %v = %s, Commons Math %s", e, p, d, got, fields[i])
				}
				i++
			}
		}
	}
	if lines != 11 {
		t.Fatalf("read %d result lines from testdata/commons.out, want 11", lines)
	}
}

func TestWindowRolls(t *testing.T) {
	w := NewWindow(2)
	if w.N() != 0 || w.Min() == w.Min() { // NaN when empty
		t.Fatalf("empty window: n=%d min=%v", w.N(), w.Min())
	}
	for _, v := range []float64{1, 2, 3} {
		w.Add(v)
	}
	if w.N() != 2 || w.Min() != 2 || w.Max() != 3 || w.Mean() != 2.5 {
		t.Fatalf("after 1,2,3 in a window of 2: n=%d min=%v max=%v mean=%v", w.N(), w.Min(), w.Max(), w.Mean())
	}
	w.Clear()
	w.Add(7)
	if w.N() != 1 || w.Max() != 7 {
		t.Fatalf("after clear: n=%d max=%v", w.N(), w.Max())
	}
}
