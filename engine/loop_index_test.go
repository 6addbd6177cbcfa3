package engine

import (
	"strings"
	"testing"
)

// JMeter moves a While Controller's index before it checks the condition
// again, so "idx < 3" runs passes 0-2; after the loop, and after a break
// out of a Loop Controller, __jm__<name>__idx reads 0.
func TestWhileAndBreakIndexes(t *testing.T) {
	srv := newServer(t)
	whileCtrl := ctrl("WhileController", "w", sp("WhileController.condition", "${__jexl3(${__jm__w__idx} < 3)}"), get(srv, "in", "/w/${__jm__w__idx}"))
	brk := loopCtrl("b", "5", get(srv, "lb", "/b/${__jm__b__idx}"),
		ifCtrl("at 1", "${__jexl3(${__jm__b__idx} == 1)}", true, flowAction("break", 5, 0, "0")))
	xml := planXML(tg("G", 1, 0, "2", "",
		whileCtrl, get(srv, "after w", "/aw/${__jm__w__idx}"),
		brk, get(srv, "after b", "/ab/${__jm__b__idx}"),
	))
	run(t, xml, nil)
	one := "/w/0,/w/1,/w/2,/aw/0,/b/0,/b/1,/ab/0"
	if got := strings.Join(srv.paths(), ","); got != one+","+one {
		t.Fatalf("got  %s\nwant %s", got, one+","+one)
	}
}
