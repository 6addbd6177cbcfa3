package engine

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/target"
	"github.com/gometer/gometer/output"
)

// faultServer serves internal/target (with its fault endpoints) for an
// engine test, in the shape the plan helpers take.
func faultServer(t *testing.T) *server {
	t.Helper()
	ts := target.New(target.Options{Seed: 1})
	base, err := ts.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ts.Close() })
	host, port, _ := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
	return &server{host: host, port: port}
}

// The scheduler's end holds even when a response body never ends and no
// response timeout is set: the sample in flight is interrupted once the
// grace period after the end has passed (JMeter would wait for it forever),
// and recorded as a failure saying why.
func TestSchedulerEndInterruptsANeverEndingBody(t *testing.T) {
	srv := faultServer(t)
	sched := bp("ThreadGroup.scheduler", true) + sp("ThreadGroup.duration", "1") + sp("ThreadGroup.delay", "0")
	xml := planXML(tgClass("ThreadGroup", "G", "2", "0", "-1", sched,
		get(srv, "endless", "/fault/drip?bytes=1000000&ms=100")))
	out := &sink{}
	p := functions.NewProperties()
	p.Set(PropShutdownGrace, "0.5")
	tst, err := compileXML(t, xml, Options{Props: p, Outputs: []output.Output{out}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	if err := tst.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("a 1 s plan ran %v", took)
	}
	rs := out.all()
	if len(rs) != 2 {
		t.Fatalf("%d samples, want 2 (one per user, interrupted)", len(rs))
	}
	for _, r := range rs {
		if r.Success || !strings.Contains(r.ResponseMessage, "scheduled end") || !strings.Contains(r.ResponseMessage, PropShutdownGrace) {
			t.Errorf("sample: success=%v %q %q", r.Success, r.ResponseCode, r.ResponseMessage)
		}
		if r.Elapsed < time.Second {
			t.Errorf("interrupted after %v, before the end and its grace", r.Elapsed)
		}
	}
}
