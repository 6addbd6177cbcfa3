package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gometer/gometer/engine"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/report"
	"github.com/gometer/gometer/sample"
)

// server is a real HTTP server on loopback answering every request.
func server(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/fail") {
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return port
}

func httpSampler(name, path string) string {
	return fmt.Sprintf(`<HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="%s">
  <stringProp name="HTTPSampler.domain">127.0.0.1</stringProp>
  <stringProp name="HTTPSampler.port">${__P(port)}</stringProp>
  <stringProp name="HTTPSampler.path">%s</stringProp>
  <stringProp name="HTTPSampler.method">GET</stringProp>
</HTTPSamplerProxy><hashTree/>`, name, path)
}

func threadGroup(name, loops string, children ...string) string {
	return fmt.Sprintf(`<ThreadGroup guiclass="ThreadGroupGui" testclass="ThreadGroup" testname="%s">
  <elementProp name="ThreadGroup.main_controller" elementType="LoopController">
    <stringProp name="LoopController.loops">%s</stringProp>
    <boolProp name="LoopController.continue_forever">false</boolProp>
  </elementProp>
  <stringProp name="ThreadGroup.num_threads">1</stringProp>
  <stringProp name="ThreadGroup.ramp_time">0</stringProp>
</ThreadGroup><hashTree>%s</hashTree>`, name, loops, strings.Join(children, ""))
}

func backendListener(class string, args map[string]string) string {
	var b strings.Builder
	for k, v := range args {
		fmt.Fprintf(&b, `<elementProp name="%s" elementType="Argument"><stringProp name="Argument.name">%s</stringProp><stringProp name="Argument.value">%s</stringProp></elementProp>`, k, k, v)
	}
	return fmt.Sprintf(`<BackendListener guiclass="BackendListenerGui" testclass="BackendListener" testname="Backend Listener">
  <elementProp name="arguments" elementType="Arguments"><collectionProp name="Arguments.arguments">%s</collectionProp></elementProp>
  <stringProp name="classname">%s</stringProp>
  <stringProp name="QUEUE_SIZE">5000</stringProp>
</BackendListener><hashTree/>`, b.String(), class)
}

// writePlan writes a plan with the given children under the test plan,
// which defines the variable app=shop.
func writePlan(t *testing.T, children ...string) string {
	t.Helper()
	xml := `<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3"><hashTree>
<TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Runner plan">
  <elementProp name="TestPlan.user_defined_variables" elementType="Arguments"><collectionProp name="Arguments.arguments">
    <elementProp name="app" elementType="Argument"><stringProp name="Argument.name">app</stringProp><stringProp name="Argument.value">shop</stringProp></elementProp>
  </collectionProp></elementProp>
</TestPlan><hashTree>` + strings.Join(children, "") + `</hashTree></hashTree></jmeterTestPlan>`
	path := filepath.Join(t.TempDir(), "plan.jmx")
	if err := os.WriteFile(path, []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func props(kv ...string) *functions.Properties {
	p := functions.NewProperties()
	p.Set("summariser.name", "summary")
	p.Set("sampleresult.timestamp.start", "true")
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	return p
}

// recording is a real output that keeps the labels it got and the
// arguments it was made with.
type recording struct {
	mu      sync.Mutex
	args    map[string]string
	labels  []string
	started bool
	stopped bool
	run     output.Run
}

func (o *recording) Start(r output.Run) error { o.started = true; o.run = r; return nil }
func (o *recording) Stop() error              { o.stopped = true; return nil }
func (o *recording) Add(r *sample.Result) {
	o.mu.Lock()
	o.labels = append(o.labels, r.Label)
	o.mu.Unlock()
}

func run(t *testing.T, cfg Config) (*Result, string) {
	t.Helper()
	var out bytes.Buffer
	cfg.Stdout = &out
	cfg.Stderr = &out
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := r.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatalf("the run did not end in time:\n%s", out.String())
	}
	return res, out.String()
}

// A Backend Listener in the plan becomes the output its factory makes, with
// its arguments' functions and variables resolved, and sees the samples in
// its scope only (as JMeter's listeners do); one added by properties sees
// every sample.
func TestBackendListenersFromPlanAndProperties(t *testing.T) {
	port := server(t)
	plan := writePlan(t,
		threadGroup("A", "3", httpSampler("a", "/a"),
			backendListener(InfluxDBClient, map[string]string{"application": "${app}-${__P(env)}", "measurement": "jmeter"})),
		threadGroup("B", "2", httpSampler("b", "/b")),
	)
	var made []*recording
	var mu sync.Mutex
	factory := func(args map[string]string, run output.Run) (output.Output, error) {
		mu.Lock()
		defer mu.Unlock()
		o := &recording{args: args}
		made = append(made, o)
		return o, nil
	}
	res, out := run(t, Config{
		PlanPath: plan,
		Props:    props("port", port, "env", "ci", "gometer.backend.graphite.host", "metrics.example", "gometer.backend.graphite.rootMetricsPrefix", "x."),
		Backends: map[string]BackendFactory{InfluxDBClient: factory, GraphiteClient: factory},
		Stats:    report.DefaultStatsOptions(),
	})
	if res.Err != nil || res.StopErr != nil {
		t.Fatalf("run: %v %v\n%s", res.Err, res.StopErr, out)
	}
	if len(made) != 2 {
		t.Fatalf("%d backend outputs made, want 2 (plan and properties)", len(made))
	}
	var planL, propL *recording
	for _, o := range made {
		if _, ok := o.args["graphiteHost"]; ok {
			propL = o
		} else {
			planL = o
		}
	}
	if planL == nil || propL == nil {
		t.Fatalf("args: %v / %v", made[0].args, made[1].args)
	}
	if planL.args["application"] != "shop-ci" || planL.args["measurement"] != "jmeter" {
		t.Errorf("plan listener args %v, want application=shop-ci (variables and functions resolved)", planL.args)
	}
	if want := map[string]string{"graphiteHost": "metrics.example", "rootMetricsPrefix": "x."}; fmt.Sprint(propL.args) != fmt.Sprint(want) {
		t.Errorf("property listener args %v, want %v", propL.args, want)
	}
	for _, o := range made {
		if !o.started || !o.stopped {
			t.Errorf("output %v: started %v stopped %v", o.args, o.started, o.stopped)
		}
		if o.run.TestName != "Runner plan" || o.run.Threads == nil || o.run.InFlight == nil {
			t.Errorf("run description %+v", o.run)
		}
	}
	if got := strings.Join(planL.labels, ","); got != "a,a,a" {
		t.Errorf("listener in group A got %s, want A's samples only", got)
	}
	if len(propL.labels) != 5 {
		t.Errorf("listener from properties got %v, want all 5 samples", propL.labels)
	}
}

// A Backend Listener whose client has no factory is an unsupported element
// (named, skippable); a bad property name is refused.
func TestUnknownBackendClient(t *testing.T) {
	port := server(t)
	plan := writePlan(t, threadGroup("A", "1", httpSampler("a", "/a"), backendListener("com.example.MyClient", nil)))
	_, err := New(Config{PlanPath: plan, Props: props("port", port)})
	var probs engine.Problems
	if !errors.As(err, &probs) || len(probs) != 1 || !strings.Contains(probs[0].Msg, "com.example.MyClient") || !strings.Contains(probs[0].Msg, "unsupported") {
		t.Fatalf("err %v, want one unsupported problem naming the client", err)
	}
	if _, err := New(Config{PlanPath: plan, Props: props("port", port), SkipUnsupported: true}); err != nil {
		t.Fatalf("skipping: %v", err)
	}
	_, err = New(Config{PlanPath: plan, Props: props("gometer.backend.statsd.host", "x")})
	if err == nil || !strings.Contains(err.Error(), "gometer.backend.statsd.host") {
		t.Fatalf("err %v, want the bad property named", err)
	}
}

// blocked is an output whose destination never answers: Add blocks until
// the test ends.
type blocked struct {
	release chan struct{}
	got     chan struct{}
	once    sync.Once
}

func (b *blocked) Start(output.Run) error { return nil }
func (b *blocked) Stop() error            { return nil }
func (b *blocked) Add(*sample.Result) {
	b.once.Do(func() { close(b.got) })
	<-b.release
}

// A live output whose destination hangs neither stops nor slows the run:
// the JTL has every row, the output's queue drops the oldest samples and
// the end summary says how many.
func TestBlockedLiveOutputLosesNoJTLRow(t *testing.T) {
	port := server(t)
	const loops = 400
	plan := writePlan(t, threadGroup("A", fmt.Sprint(loops), httpSampler("a", "/a")))
	jtl := filepath.Join(t.TempDir(), "out.jtl")
	b := &blocked{release: make(chan struct{}), got: make(chan struct{})}
	t.Cleanup(func() { close(b.release) })
	res, out := run(t, Config{
		PlanPath: plan, Results: jtl, Stats: report.DefaultStatsOptions(),
		Props: props("port", port, "gometer.output.queue_size", "8", "gometer.output.stop_timeout", "0.2"),
		Live:  []output.Output{b},
	})
	if res.Err != nil || res.StopErr != nil || res.WriteErr != nil {
		t.Fatalf("run: %v %v %v\n%s", res.Err, res.StopErr, res.WriteErr, out)
	}
	data, err := os.ReadFile(jtl)
	if err != nil {
		t.Fatal(err)
	}
	if rows := strings.Count(string(data), "\n") - 1; rows != loops {
		t.Errorf("JTL has %d rows, want %d", rows, loops)
	}
	var dropped int64
	for _, n := range res.Dropped {
		dropped += n
	}
	// One sample is stuck in the output's Add; every other was dropped,
	// during the run (queue full) or at the end (never taken).
	if dropped != loops-1 {
		t.Errorf("dropped %d (%v), want %d", dropped, res.Dropped, loops-1)
	}
	if !strings.Contains(out, fmt.Sprintf("%d sample(s) dropped", loops-1)) {
		t.Errorf("end summary does not report the drops:\n%s", out)
	}
}

// The end summary names the errors after JMeter's summary lines: type,
// count and the first label that had it.
func TestEndSummaryNamesTopErrors(t *testing.T) {
	port := server(t)
	plan := writePlan(t, threadGroup("A", "3", httpSampler("fine", "/ok"), httpSampler("Checkout", "/fail/pay"), httpSampler("Refund", "/fail/refund")))
	_, out := run(t, Config{PlanPath: plan, Props: props("port", port), Stats: report.DefaultStatsOptions()})
	sum := strings.LastIndex(out, "summary =")
	top := strings.Index(out, "Top errors (6 in all):")
	if sum < 0 || top < sum {
		t.Fatalf("want the top errors after the summary lines:\n%s", out)
	}
	if !strings.Contains(out, "\n       6  500/Internal Server Error  (first: Checkout)\n") {
		t.Errorf("top errors:\n%s", out[top:])
	}
	if !strings.Contains(out, "Err:     6 (66.67%)") {
		t.Errorf("JMeter's summary line changed:\n%s", out)
	}
}
