package engine

import (
	"testing"
)

// Elements with no properties and no children compile and run without a
// panic (properties absent take JMeter's defaults). A bare While controller
// is left out: with a blank condition and no sampler it loops until the
// test stops, as in JMeter.
func TestBareElementsRun(t *testing.T) {
	srv := newServer(t)
	bare := func(tag string, kids ...el) el { return el{tag: tag, name: tag, kids: kids} }
	xml := planXML(
		el{tag: "ThreadGroup", name: "no main controller", props: sp("ThreadGroup.num_threads", "1"), kids: []el{
			bare("GenericController"), bare("LoopController"),
			bare("IfController"), bare("OnceOnlyController"), bare("ThroughputController"), bare("RandomController"),
			bare("RandomOrderController"), bare("InterleaveControl"), bare("SwitchController"), bare("ForeachController"),
			bare("RunTime"), bare("CriticalSectionController"), bare("TransactionController"), bare("RecordingController"),
			bare("ConstantTimer"), bare("UniformRandomTimer"), bare("GaussianRandomTimer"), bare("PoissonRandomTimer"),
			bare("ConstantThroughputTimer"), bare("SyncTimer"), bare("CounterConfig"), bare("RandomVariableConfig"),
			bare("UserParameters"), bare("HeaderManager"), bare("Arguments"),
			get(srv, "a", "/a"),
		}},
	)
	tst, err := compileXML(t, xml, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tst.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests, want the one sampler once", n)
	}
}
