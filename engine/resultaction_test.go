package engine

import (
	"fmt"
	"testing"
	"time"
)

func resultActionEl(action int) el {
	return el{tag: "ResultAction", gui: "ResultActionGui", name: "on error", props: fmt.Sprintf(`<intProp name="OnError.action">%d</intProp>`, action)}
}

// TestResultActionEachAction runs every OnError.action against a real
// server: the handler at thread-group level acts on the failing /fail. The
// request sequences here and in TestResultActionScopeAndAssertions are the
// ones JMeter 5.6.3 sent for the same plans.
func TestResultActionEachAction(t *testing.T) {
	cases := []struct {
		action int
		want   string
	}{
		{0, "/a,/fail,/b,/a,/fail,/b,/end,/a,/fail,/b,/a,/fail,/b,/end"}, // continue
		{1, "/a,/fail"},          // stop thread
		{2, "/a,/fail"},          // stop test
		{3, "/a,/fail"},          // stop test now
		{4, "/a,/fail,/a,/fail"}, // start next thread loop
		{5, "/a,/fail,/a,/fail,/end,/a,/fail,/a,/fail,/end"}, // next iteration of the inner loop
		{6, "/a,/fail,/end,/a,/fail,/end"},                   // break the inner loop
	}
	for _, c := range cases {
		t.Run(fmt.Sprint("action ", c.action), func(t *testing.T) {
			srv := newServer(t)
			xml := planXML(tg("G", 1, 0, "2", "",
				resultActionEl(c.action),
				loopCtrl("inner", "2", get(srv, "a", "/a"), get(srv, "f", "/fail"), get(srv, "b", "/b")),
				get(srv, "end", "/end"),
			))
			run(t, xml, nil)
			got := joined(srv)
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestResultActionStopTestStopsOtherGroups: stop test ends a second
// group's endless loop too.
func TestResultActionStopTestStopsOtherGroups(t *testing.T) {
	srv := newServer(t)
	xml := planXML(
		tg("Failing", 1, 0, "1", "", get(srv, "f", "/fail", constTimer(300)), resultActionEl(2)),
		tg("Endless", 1, 0, "-1", "", get(srv, "x", "/x", constTimer(50))),
	)
	start := time.Now()
	run(t, xml, nil)
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("stop test took %v", d)
	}
	if n := count(srv.paths(), "/fail"); n != 1 {
		t.Errorf("%d /fail requests, want 1", n)
	}
}

// TestResultActionScopeAndAssertions: a handler under one sampler acts only
// on that sampler, only on failure, and sees assertion failures; handlers
// in a parent-mode transaction's scope do not act on its children (JMeter
// keeps them to the transaction sample, whose flags it never reads).
func TestResultActionScopeAndAssertions(t *testing.T) {
	srv := newServer(t)
	failing := el{tag: "ResponseAssertion", gui: "AssertionGui", name: "want nope", props: `<collectionProp name="Asserion.test_strings"><stringProp name="1">nope</stringProp></collectionProp>` +
		sp("Assertion.test_field", "Assertion.response_data") + `<intProp name="Assertion.test_type">2</intProp>`}
	xml := planXML(tg("G", 1, 0, "2", "",
		get(srv, "other fail", "/fail-other"),                                      // no handler in scope: continues
		get(srv, "ok", "/ok", resultActionEl(4)),                                   // passes: no action
		txCtrl("T", true, false, get(srv, "in tx", "/fail-tx"), resultActionEl(1)), // parent mode: not acted on
		get(srv, "asserted", "/asserted", failing, resultActionEl(4)),              // assertion fails: next thread loop
		get(srv, "after", "/after"),
	))
	run(t, xml, nil)
	want := "/fail-other,/ok,/fail-tx,/asserted,/fail-other,/ok,/fail-tx,/asserted"
	if got := joined(srv); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
