package engine

import (
	"strings"
	"testing"
)

// JMeter's CounterConfig reads an empty increment (and start) as 0: the
// counter keeps its start value.
func TestCounterEmptyIncrementStays(t *testing.T) {
	srv := newServer(t)
	c := el{tag: "CounterConfig", gui: "CounterConfigGui", name: "c", props: sp("CounterConfig.start", "") + sp("CounterConfig.incr", "") +
		sp("CounterConfig.end", "") + sp("CounterConfig.name", "n") + bp("CounterConfig.per_user", true)}
	xml := planXML(tg("G", 1, 0, "3", "", c, get(srv, "x", "/n/${n}")))
	run(t, xml, nil)
	if got := strings.Join(srv.paths(), ","); got != "/n/0,/n/0,/n/0" {
		t.Errorf("got %s", got)
	}
}
