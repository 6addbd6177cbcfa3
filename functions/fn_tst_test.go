package functions

import "testing"

// __tstFeedback follows the timer's published figures as the plugin does:
// it starts from the start value, asks for more users when the second before
// fell short of the rate, gives up waiting users beyond the spare ones, and
// acts once per timer second (it consumes the rate).
func TestTSTFeedback(t *testing.T) {
	c := NewContext(nil, nil, nil)
	tpl, err := Compile("${__tstFeedback(tst,4,5,2)}")
	if err != nil {
		t.Fatal(err)
	}
	set := func(rps, sent, delayed string) {
		c.Props.Set("tst_rps", rps)
		c.Props.Set("tst_cntSent", sent)
		c.Props.Set("tst_cntDelayed", delayed)
	}
	steps := []struct {
		rps, sent, delayed string
		want               string
	}{
		{"10.0", "5", "0", "5"},  // 4·(2 − 5/10) = 6, held at the maximum 5
		{"0", "5", "0", "5"},     // the rate was consumed: no change
		{"10.0", "10", "4", "3"}, // 5 − (4 − 2) = 3 users, spare 2 kept
		{"10.0", "10", "9", "2"}, // 3 − (9 − 2) < spare: the spare count, 2
		{"20.0", "19", "0", "3"}, // 2·(2 − 19/20) = 2.1, up to 3
	}
	for i, s := range steps {
		set(s.rps, s.sent, s.delayed)
		if got := tpl.Eval(c); got != s.want {
			t.Fatalf("step %d (rps %s, sent %s, delayed %s): %s, want %s", i, s.rps, s.sent, s.delayed, got, s.want)
		}
		if r, _ := c.Props.Get("tst_rps"); r != "0" {
			t.Fatalf("step %d: tst_rps left at %q, want it consumed", i, r)
		}
		if con, _ := c.Props.Get("tst_concurrency"); con != s.want {
			t.Fatalf("step %d: tst_concurrency %q", i, con)
		}
	}
	// a ratio of spare users: 10 users, 5 waiting > ceil(10·0.2): 8 remain
	c2 := NewContext(nil, nil, nil)
	ratio, _ := Compile("${__tstFeedback(r,10,100,0.2)}")
	c2.Props.Set("r_rps", "50.0")
	c2.Props.Set("r_cntDelayed", "5")
	if got := ratio.Eval(c2); got != "8" {
		t.Errorf("ratio spare: %s, want 8", got)
	}
	if got := tstNeeded(1, 5, 0, 10, 1); got != -3 {
		t.Errorf("tstNeeded(1 user, 5 waiting, spare 1) = %d, want the plugin's -3 (the function then answers 1)", got)
	}
}
