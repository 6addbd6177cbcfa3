package engine

import (
	"context"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestBasicRunLoopsAndThreadNames(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("Users", 3, 0, "2", "",
		get(srv, "A", "/a?u=${__threadNum}"),
		get(srv, "B", "/b?u=${__threadNum}"),
	))
	tst, out := run(t, xml, nil)
	reqs := srv.requests()
	if len(reqs) != 12 {
		t.Fatalf("server got %d requests, want 12: %v", len(reqs), srv.paths())
	}
	perUser := map[string][]string{}
	for _, r := range reqs {
		perUser[r.user] = append(perUser[r.user], r.path)
	}
	for _, u := range []string{"1", "2", "3"} {
		if got := strings.Join(perUser[u], ","); got != "/a,/b,/a,/b" {
			t.Errorf("user %s got %s", u, got)
		}
	}
	res := out.all()
	if len(res) != 12 {
		t.Fatalf("outputs got %d samples, want 12", len(res))
	}
	names := map[string]bool{}
	for _, r := range res {
		names[r.ThreadName] = true
		if !r.Success || r.ResponseCode != "200" {
			t.Errorf("sample %s failed: %s %s", r.Label, r.ResponseCode, r.ResponseMessage)
		}
		if r.GrpThreads < 1 || r.AllThreads < 1 {
			t.Errorf("thread counts not set: %d %d", r.GrpThreads, r.AllThreads)
		}
	}
	for _, n := range []string{"Users 1-1", "Users 1-2", "Users 1-3"} {
		if !names[n] {
			t.Errorf("no sample from thread %q (have %v)", n, names)
		}
	}
	if a, s, f := tst.Counts(); a != 0 || s != 3 || f != 3 {
		t.Errorf("counts = %d %d %d", a, s, f)
	}
}

func TestMainLoopWithoutContinueForeverFalseNeverEnds(t *testing.T) {
	// JMeter 5.6.3: a main LoopController without continue_forever=false
	// keeps the group running; the scheduler ends it here.
	srv := newServer(t)
	props := `<elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" testclass="LoopController" testname="Loop Controller" enabled="true">` +
		sp("LoopController.loops", "1") + `</elementProp>` + sp("ThreadGroup.num_threads", "1") + sp("ThreadGroup.ramp_time", "0") +
		bp("ThreadGroup.scheduler", true) + sp("ThreadGroup.duration", "1") + sp("ThreadGroup.delay", "0")
	xml := planXML(el{tag: "ThreadGroup", name: "G", props: props, kids: []el{get(srv, "A", "/a", constTimer(100))}})
	run(t, xml, nil)
	if n := len(srv.requests()); n < 3 {
		t.Fatalf("got %d requests in 1 s, want the loop to repeat", n)
	}
}

func TestRampUpOffsets(t *testing.T) {
	srv := newServer(t)
	// 4 threads over 2 s: starts at 0, 500, 1000, 1500 ms.
	xml := planXML(tg("R", 4, 2, "1", "", get(srv, "A", "/a?u=${__threadNum}")))
	start := time.Now()
	run(t, xml, nil)
	reqs := srv.requests()
	if len(reqs) != 4 {
		t.Fatalf("got %d requests", len(reqs))
	}
	for _, r := range reqs {
		var i int
		switch r.user {
		case "1":
			i = 0
		case "2":
			i = 1
		case "3":
			i = 2
		case "4":
			i = 3
		}
		want := time.Duration(i) * 500 * time.Millisecond
		got := r.at.Sub(start)
		if got < want-50*time.Millisecond || got > want+400*time.Millisecond {
			t.Errorf("thread %s started at %v, want about %v", r.user, got, want)
		}
	}
}

func TestSchedulerDurationAndDelay(t *testing.T) {
	srv := newServer(t)
	extra := bp("ThreadGroup.scheduler", true) + sp("ThreadGroup.duration", "1") + sp("ThreadGroup.delay", "1")
	xml := planXML(tg("S", 2, 0, "-1", extra, get(srv, "A", "/a", constTimer(50))))
	start := time.Now()
	_, out := run(t, xml, nil)
	took := time.Since(start)
	reqs := srv.requests()
	if len(reqs) == 0 {
		t.Fatal("no requests")
	}
	if first := reqs[0].at.Sub(start); first < 950*time.Millisecond {
		t.Errorf("first request at %v, before the 1 s delay", first)
	}
	if took < 1900*time.Millisecond || took > 3500*time.Millisecond {
		t.Errorf("run took %v, want about 2 s (1 s delay + 1 s duration)", took)
	}
	if len(out.all()) != len(reqs) {
		t.Errorf("samples %d != requests %d", len(out.all()), len(reqs))
	}
}

func TestRunningSampleNotCutAtSchedulerEnd(t *testing.T) {
	srv := newServer(t)
	extra := bp("ThreadGroup.scheduler", true) + sp("ThreadGroup.duration", "1") + sp("ThreadGroup.delay", "0")
	xml := planXML(tg("S", 1, 0, "-1", extra, get(srv, "Slow", "/slow?d=700ms")))
	_, out := run(t, xml, nil)
	res := out.all()
	if len(res) != 2 {
		t.Fatalf("got %d samples, want 2 (second started before the end and ran to completion)", len(res))
	}
	for _, r := range res {
		if !r.Success {
			t.Errorf("sample failed: %s %s", r.ResponseCode, r.ResponseMessage)
		}
	}
}

func TestOnSampleError(t *testing.T) {
	cases := []struct {
		mode string
		want func(paths []string) bool
		desc string
	}{
		{"continue", func(p []string) bool {
			return count(p, "/ok") == 4 && count(p, "/fail") == 4 && count(p, "/after") == 4
		}, "everything runs"},
		{"startnextloop", func(p []string) bool {
			return count(p, "/fail") == 4 && count(p, "/after") == 0 && count(p, "/ok") == 4
		}, "rest of iteration skipped"},
		{"stopthread", func(p []string) bool {
			return count(p, "/fail") == 2 && count(p, "/after") == 0 && count(p, "/ok") == 2
		}, "each thread stops"},
		{"stoptest", func(p []string) bool {
			return count(p, "/fail") >= 1 && count(p, "/fail") <= 2 && count(p, "/after") == 0
		}, "test stops"},
		{"stoptestnow", func(p []string) bool {
			return count(p, "/fail") >= 1 && count(p, "/fail") <= 2 && count(p, "/after") == 0
		}, "test stops now"},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			srv := newServer(t)
			xml := planXML(tg("E", 2, 0, "2", sp("ThreadGroup.on_sample_error", tc.mode),
				get(srv, "ok", "/ok"), get(srv, "fail", "/fail"), get(srv, "after", "/after")))
			_, out := run(t, xml, nil)
			p := srv.paths()
			if !tc.want(p) {
				t.Errorf("%s: server saw %v", tc.desc, p)
			}
			// stoptestnow cancels requests in flight: they are recorded as
			// failed samples even if the server never saw them.
			if n := len(out.all()); n != len(p) && (tc.mode != "stoptestnow" || n < len(p)) {
				t.Errorf("samples %d != requests %d", n, len(p))
			}
		})
	}
}

func TestSetupMainTeardownOrder(t *testing.T) {
	srv := newServer(t)
	xml := planXML(
		tgClass("PostThreadGroup", "Down", "1", "0", "1", "", get(srv, "down", "/down")),
		tg("Main", 2, 0, "1", "", get(srv, "main", "/main", constTimer(100))),
		tgClass("SetupThreadGroup", "Up", "1", "0", "1", "", get(srv, "up", "/up", constTimer(100))),
	)
	run(t, xml, nil)
	p := srv.paths()
	want := []string{"/up", "/main", "/main", "/down"}
	if strings.Join(p, ",") != strings.Join(want, ",") {
		t.Fatalf("order %v, want %v", p, want)
	}
}

func TestUDVsEvaluatedOnceInOrder(t *testing.T) {
	srv := newServer(t)
	xml := planXML(
		udvs("vars", "host", srv.host),
		// an element's variables see earlier elements', not each other's
		udvs("derived", "base", "/v/${host}", "rnd", "${__Random(1,1000000)}", "same", "${base}"),
		tg("U", 3, 0, "2", "",
			get(srv, "A", "${base}/${rnd}/${later}/${__urlencode(${same})}"),
			udvs("more", "later", "L-${host}"),
		),
	)
	run(t, xml, nil)
	p := srv.paths()
	if len(p) != 6 {
		t.Fatalf("got %v", p)
	}
	for _, x := range p {
		if x != p[0] {
			t.Fatalf("UDV with __Random must be evaluated once: %v", p)
		}
	}
	if !strings.HasPrefix(p[0], "/v/"+srv.host+"/") || !strings.HasSuffix(p[0], "/L-"+srv.host+"/${base}") {
		t.Errorf("path %q", p[0])
	}
}

func TestThreadsFromProperty(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tgClass("ThreadGroup", "P", "${__P(threads,10)}", "0", "${__P(loops,1)}", "", get(srv, "A", "/a")))
	run(t, xml, map[string]string{"threads": "3", "loops": "2"})
	if n := len(srv.requests()); n != 6 {
		t.Fatalf("got %d requests, want 3 threads x 2 loops", n)
	}
}

func TestHeaderMergeInnerWins(t *testing.T) {
	srv := newServer(t)
	xml := planXML(
		headers("plan headers", "X-Plan", "p", "X-Both", "outer"),
		tg("H", 1, 0, "1", "",
			headers("group headers", "X-Group", "g"),
			get(srv, "A", "/a", headers("own", "X-Both", "inner")),
			get(srv, "B", "/b"),
		),
	)
	run(t, xml, nil)
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("requests: %v", srv.paths())
	}
	a, b := reqs[0].header, reqs[1].header
	if a.Get("X-Plan") != "p" || a.Get("X-Group") != "g" || a.Get("X-Both") != "inner" {
		t.Errorf("A headers: %v", a)
	}
	if b.Get("X-Both") != "outer" || b.Get("X-Group") != "g" {
		t.Errorf("B headers: %v", b)
	}
	if vs := a.Values("X-Both"); len(vs) != 1 {
		t.Errorf("X-Both sent %d times", len(vs))
	}
}

func TestHTTPDefaultsMerge(t *testing.T) {
	srv := newServer(t)
	defaults := el{tag: "ConfigTestElement", gui: "HttpDefaultsGui", name: "defaults", props: `<elementProp name="HTTPsampler.Arguments" elementType="Arguments"><collectionProp name="Arguments.arguments"><elementProp name="d" elementType="HTTPArgument">` +
		bp("HTTPArgument.always_encode", false) + sp("Argument.name", "d") + sp("Argument.value", "1") + sp("Argument.metadata", "=") +
		`</elementProp></collectionProp></elementProp>` + sp("HTTPSampler.domain", srv.host) + sp("HTTPSampler.port", srv.port) + sp("HTTPSampler.protocol", "http")}
	other := el{tag: "ConfigTestElement", gui: "TCPConfigGui", name: "not http", props: sp("HTTPSampler.path", "/wrong")}
	xml := planXML(
		defaults,
		tg("D", 1, 0, "1", "", other,
			httpSampler(nil, "A", "GET", "/x", ""),
		),
	)
	run(t, xml, nil)
	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("requests: %d", len(reqs))
	}
	if reqs[0].path != "/x" || reqs[0].query.Get("d") != "1" {
		t.Errorf("got %s ?%v", reqs[0].path, reqs[0].query)
	}
}

func TestScopeTimersAndSiblings(t *testing.T) {
	srv := newServer(t)
	// The timer inside "slow ctrl" applies to B only; A is fast.
	xml := planXML(tg("S", 1, 0, "1", "",
		get(srv, "A", "/a"),
		ctrl("GenericController", "slow ctrl", "", get(srv, "B", "/b"), constTimer(400)),
	))
	// the DEBUG log says each timer's pause: one pause, not one per sampler
	var mu sync.Mutex
	var pauses []string
	tst, err := compileXML(t, xml, Options{Debug: func(m string) {
		if strings.Contains(m, "delays the next sample") {
			mu.Lock()
			pauses = append(pauses, m)
			mu.Unlock()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tst.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 || reqs[0].path != "/a" {
		t.Fatal(srv.paths())
	}
	if len(pauses) != 1 || !strings.Contains(pauses[0], "by 400 ms") {
		t.Errorf("timer pauses %q, want one of 400 ms (before B only)", pauses)
	}
	if d := reqs[1].at.Sub(reqs[0].at); d < 380*time.Millisecond {
		t.Errorf("B only %v after A, timer not applied", d)
	}
}

func TestTimerNotInElapsed(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("T", 1, 0, "1", "", get(srv, "A", "/a", constTimer(300), constTimer(200))))
	start := time.Now()
	_, out := run(t, xml, nil)
	res := out.all()
	if len(res) != 1 {
		t.Fatal(len(res))
	}
	if res[0].Elapsed > 200*time.Millisecond {
		t.Errorf("elapsed %v includes timer time", res[0].Elapsed)
	}
	if d := srv.requests()[0].at.Sub(start); d < 480*time.Millisecond {
		t.Errorf("timers summed to only %v", d)
	}
}

func TestProblemsListPathAndLine(t *testing.T) {
	xml := planXML(tg("G", 1, 0, "1", "",
		el{tag: "JSR223Sampler", gui: "TestBeanGUI", name: "Script", props: sp("scriptLanguage", "jexl") + sp("script", "1")},
		el{tag: "com.example.Unknown", name: "Mystery"},
		el{tag: "BeanShellPreProcessor", gui: "TestBeanGUI", name: "BSH", props: sp("script", `sampler.setImageParser(true);`)},
		el{tag: "ResultCollector", gui: "ViewResultsFullVisualizer", name: "View"},
		el{tag: "WorkBench", name: "WB"},
	))
	_, err := compileXML(t, xml, Options{})
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("want Problems, got %v", err)
	}
	if len(ps) != 3 {
		t.Fatalf("want 3 problems, got:\n%v", err)
	}
	text := err.Error()
	for _, want := range []string{"Test Plan > G > Script (JSR223Sampler)", `script language "jexl"`, "Test Plan > G > Mystery (com.example.Unknown)", "sampler.setImageParser"} {
		if !strings.Contains(text, want) {
			t.Errorf("problems miss %q:\n%s", want, text)
		}
	}
	scripts := 0
	for _, p := range ps {
		if p.Script != "" {
			scripts++
		}
		if p.Line <= 0 || !strings.HasSuffix(p.File, "plan.jmx") {
			t.Errorf("problem without file/line: %+v", p)
		}
	}
	if scripts != 2 {
		t.Errorf("%d problems name a script language, want 2", scripts)
	}
	// With SkipUnsupported the plan compiles and the skipped ones are warnings.
	tst, err := compileXML(t, xml, Options{SkipUnsupported: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(tst.Warnings()) != 3 {
		t.Errorf("warnings: %v", tst.Warnings())
	}
}

func TestGracefulStopLosesNoSamples(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 5, 0, "-1", "", get(srv, "A", "/slow?d=100ms")))
	out := &sink{}
	tst, err := compileXML(t, xml, Options{Outputs: []output.Output{out}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(700 * time.Millisecond); cancel() }()
	start := time.Now()
	if err := tst.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("graceful stop took %v", time.Since(start))
	}
	n := len(srv.requests())
	if n == 0 || len(out.all()) != n {
		t.Fatalf("server answered %d requests, outputs got %d samples", n, len(out.all()))
	}
	for _, r := range out.all() {
		if !r.Success {
			t.Errorf("graceful stop failed a sample: %s", r.ResponseMessage)
		}
	}
}

func TestStopNowRecordsInFlight(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 3, 0, "-1", "", get(srv, "A", "/slow?d=5s")))
	out := &sink{}
	tst, err := compileXML(t, xml, Options{Outputs: []output.Output{out}})
	if err != nil {
		t.Fatal(err)
	}
	go func() { time.Sleep(400 * time.Millisecond); tst.StopNow() }()
	start := time.Now()
	if err := tst.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("StopNow took %v", time.Since(start))
	}
	res := out.all()
	if len(res) != 3 {
		t.Fatalf("want the 3 interrupted samples recorded, got %d", len(res))
	}
	for _, r := range res {
		if r.Success {
			t.Errorf("interrupted sample recorded as success")
		}
	}
}

func TestSerializeThreadGroups(t *testing.T) {
	srv := newServer(t)
	p := testPlan(tg("One", 1, 0, "2", "", get(srv, "1", "/1", constTimer(100))), tg("Two", 1, 0, "2", "", get(srv, "2", "/2", constTimer(100))))
	p.props += bp("TestPlan.serialize_threadgroups", true)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><jmeterTestPlan version="1.2"><hashTree>`)
	p.xml(&b)
	b.WriteString(`</hashTree></jmeterTestPlan>`)
	run(t, b.String(), nil)
	if got := strings.Join(srv.paths(), ","); got != "/1,/1,/2,/2" {
		t.Errorf("serialized order %s", got)
	}
}

func TestDescribe(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("Users", 7, 14, "3", "", ctrl("GenericController", "Flow", "", get(srv, "Login", "/l"))))
	tst, err := compileXML(t, xml, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	tst.Describe(&b)
	for _, want := range []string{"Users", "7 threads", "ramp-up 14s", "3 loop(s)", "Login (HTTPSamplerProxy)", "Flow (GenericController)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("describe lacks %q:\n%s", want, b.String())
		}
	}
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func regexEl(name, ref, re, tpl string) el {
	return el{tag: "RegexExtractor", gui: "RegexExtractorGui", name: name, props: sp("RegexExtractor.useHeaders", "false") +
		sp("RegexExtractor.refname", ref) + sp("RegexExtractor.regex", re) + sp("RegexExtractor.template", tpl) +
		sp("RegexExtractor.default", "none") + sp("RegexExtractor.match_number", "1")}
}

// Post-processors run outermost first (the sampler's own last, so it wins),
// before assertions, which therefore see the extracted variable.
func TestPostProcessorOrderAndAssertionAfterExtraction(t *testing.T) {
	srv := newServer(t)
	varAssert := el{tag: "ResponseAssertion", gui: "AssertionGui", name: "var check", props: `<collectionProp name="Asserion.test_strings">` + sp("1", "inner") + `</collectionProp>` +
		sp("Assertion.test_field", "Assertion.response_data") + `<intProp name="Assertion.test_type">16</intProp>` +
		sp("Assertion.scope", "variable") + sp("Scope.variable", "v")}
	xml := planXML(tg("G", 1, 0, "1", "",
		regexEl("outer", "v", `ok (/\w+)`, "outer$1$"),
		get(srv, "first", "/first", regexEl("inner", "v", `(ok)`, "inner"), varAssert),
		get(srv, "next", "/next/${v}"),
	))
	_, out := run(t, xml, nil)
	p := srv.paths()
	// the outer extractor also runs for "next", after the request that used v
	if len(p) != 2 || p[1] != "/next/inner" {
		t.Fatalf("got %v", p)
	}
	res := out.all()
	if !res[0].Success || len(res[0].Assertions) != 1 {
		t.Errorf("assertion on the extracted variable: success=%v %+v", res[0].Success, res[0].Assertions)
	}
}

func TestStartVariables(t *testing.T) {
	srv := newServer(t)
	before := time.Now()
	run(t, planXML(tg("G", 1, 0, "1", "", get(srv, "t", "/t/${TESTSTART.MS}/${START.YMD}"))), nil)
	p := srv.paths()
	parts := strings.Split(p[0], "/")
	if len(parts) != 4 || parts[3] != before.Format("20060102") {
		t.Fatalf("got %s", p[0])
	}
	ms, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || ms < before.UnixMilli() || ms > time.Now().UnixMilli() {
		t.Errorf("TESTSTART.MS %s", parts[2])
	}
}

func TestNonNumericThreadCountIsAProblem(t *testing.T) {
	xml := planXML(tgClass("ThreadGroup", "Users", "${__P(threads,abc)}", "0", "1", "", get(nil, "A", "/a")))
	_, err := compileXML(t, xml, Options{})
	if err == nil || !strings.Contains(err.Error(), `"abc" is not a number`) || !strings.Contains(err.Error(), "Users") {
		t.Fatalf("got %v", err)
	}
	p := functions.NewProperties()
	p.Set("threads", "4")
	if _, err := compileXML(t, xml, Options{Props: p}); err != nil {
		t.Fatalf("with threads=4: %v", err)
	}
}

func TestUnterminatedVariable(t *testing.T) {
	xml := planXML(tg("Users", 1, 0, "1", "", get(nil, "Search", "/search?q=${term")))
	_, err := compileXML(t, xml, Options{})
	if err == nil || !strings.Contains(err.Error(), "Users > Search") || !strings.Contains(err.Error(), "unterminated") {
		t.Fatalf("got %v", err)
	}
	tst, err := compileXML(t, xml, Options{SkipUnsupported: true})
	if err != nil || len(tst.Warnings()) != 1 {
		t.Fatalf("skip mode: %v %v", err, tst)
	}
}

func TestLagReportsOversleep(t *testing.T) {
	tst := &Test{}
	tst.noteLag(5 * time.Millisecond)
	tst.noteLag(30 * time.Millisecond)
	tst.noteLag(25 * time.Millisecond)
	worst, late := tst.Lag()
	if worst != 30*time.Millisecond || late != 2 {
		t.Fatalf("worst %v late %d", worst, late)
	}
	if worst, late = tst.Lag(); worst != 0 || late != 0 {
		t.Fatalf("Lag must reset: %v %d", worst, late)
	}
}

func TestShardsSplitUsersKeepingTheirTimes(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 4, 2, "1", "", get(srv, "A", "/a?u=${__threadNum}")))
	start := time.Now()
	for shard := 0; shard < 2; shard++ {
		tst, err := compileXML(t, xml, Options{Shard: shard, Shards: 2})
		if err != nil {
			t.Fatal(err)
		}
		if err := tst.Run(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	users := map[string]time.Duration{}
	for _, r := range srv.requests() {
		users[r.user] = r.at.Sub(start)
	}
	if len(users) != 4 {
		t.Fatalf("the two shards ran users %v, want 1-4 once each", users)
	}
	// shard 0 ran users 1 and 3 (at 0 and 1 s), shard 1 users 2 and 4 (at 0.5 and 1.5 s after its start)
	if users["3"] < 900*time.Millisecond || users["3"] > 1500*time.Millisecond {
		t.Errorf("user 3 at %v: shard users keep their ramp-up offsets", users["3"])
	}
}

func TestTearDownOnShutdown(t *testing.T) {
	for _, flag := range []bool{true, false} {
		srv := newServer(t)
		p := testPlan(
			tg("Main", 1, 0, "-1", "", get(srv, "main", "/main", constTimer(50))),
			tgClass("PostThreadGroup", "Down", "1", "0", "1", "", get(srv, "down", "/down")),
		)
		p.props = bp("TestPlan.tearDown_on_shutdown", flag)
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><jmeterTestPlan version="1.2"><hashTree>`)
		p.xml(&b)
		b.WriteString(`</hashTree></jmeterTestPlan>`)
		tst, err := compileXML(t, b.String(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		go func() { time.Sleep(300 * time.Millisecond); cancel() }()
		if err := tst.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if got := count(srv.paths(), "/down"); (got == 1) != flag {
			t.Errorf("tearDown_on_shutdown=%v: tearDown ran %d times", flag, got)
		}
	}
}

func cookieManager(name, cookie, value, domain string) el {
	return el{tag: "CookieManager", gui: "CookiePanel", name: name, props: `<collectionProp name="CookieManager.cookies"><elementProp name="` + cookie + `" elementType="Cookie" testname="` + cookie + `">` +
		sp("Cookie.value", value) + sp("Cookie.domain", domain) + sp("Cookie.path", "/") + bp("Cookie.secure", false) + `<longProp name="Cookie.expires">0</longProp>` +
		bp("Cookie.path_specified", true) + bp("Cookie.domain_specified", true) + `</elementProp></collectionProp>` + bp("CookieManager.clearEachIteration", false)}
}

// With several cookie managers in scope only one is used: the outermost.
func TestOutermostCookieManagerWins(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "1", "",
		cookieManager("outer", "outer", "o", srv.host),
		get(srv, "A", "/a", cookieManager("inner", "inner", "i", srv.host)),
	))
	run(t, xml, nil)
	c := srv.requests()[0].header.Get("Cookie")
	if !strings.Contains(c, "outer=o") || strings.Contains(c, "inner") {
		t.Fatalf("Cookie header %q, want only the outer manager's cookie", c)
	}
}

func TestSampleVariables(t *testing.T) {
	srv := newServer(t)
	xml := planXML(udvs("v", "who", "me"), tg("G", 1, 0, "1", "", txCtrl("T", false, true, get(srv, "A", "/a"))))
	_, out := run(t, xml, map[string]string{"sample_variables": "who,nope"})
	for _, r := range out.all() {
		if len(r.Vars) != 2 || r.Vars[0] != "me" || r.Vars[1] != "" {
			t.Errorf("%s: Vars %q", r.Label, r.Vars)
		}
	}
}

// Thread counts from a user-defined variable computed by a function are
// only known at run time: not a load problem.
func TestThreadCountFromComputedVariable(t *testing.T) {
	srv := newServer(t)
	xml := planXML(udvs("v", "users", "${__P(users,2)}"), tgClass("ThreadGroup", "G", "${users}", "0", "1", "", get(srv, "A", "/a")))
	run(t, xml, nil)
	if n := len(srv.requests()); n != 2 {
		t.Fatalf("got %d requests, want 2", n)
	}
}

func TestThreadCountNotANumberAtRunTime(t *testing.T) {
	xml := planXML(udvs("v", "users", "${__P(users,lots)}"), tgClass("ThreadGroup", "G", "${users}", "0", "1", "", get(nil, "A", "/a")))
	tst, err := compileXML(t, xml, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = tst.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), `"lots" is not a number`) {
		t.Fatalf("Run: %v", err)
	}
}

// bodySink is a sink whose configuration reads response bodies.
type bodySink struct{ sink }

func (b *bodySink) Needs() output.Needs { return output.Needs{ResponseBodies: true} }

// Bodies nothing reads are dropped; an output saving response data (run-wide
// or a listener in scope) keeps them.
func TestResponseBodiesKeptWhenSaved(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "1", "", get(srv, "A", "/a")))
	_, out := run(t, xml, nil)
	if b := out.all()[0].Body; len(b) != 0 {
		t.Errorf("body kept although nothing reads it: %q", b)
	}
	keep := &bodySink{}
	tst, err := compileXML(t, xml, Options{Outputs: []output.Output{keep}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tst.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if b := string(keep.all()[0].Body); b != "ok /a" {
		t.Errorf("body %q, want it kept for the JTL", b)
	}
	// A listener in the sampler's scope that saves bodies keeps them; one
	// that does not leaves them dropped.
	for _, wants := range []bool{false, true} {
		var got *sink
		open := func(e *jmx.Element) (output.Output, error) {
			if wants {
				b := &bodySink{}
				got = &b.sink
				return b, nil
			}
			got = &sink{}
			return got, nil
		}
		scoped := planXML(tg("G", 1, 0, "1", "", get(srv, "A", "/a",
			el{tag: "ResultCollector", gui: "SimpleDataWriter", name: "file", props: sp("filename", "x.jtl")})))
		tst, err := compileXML(t, scoped, Options{OpenListener: open})
		if err != nil {
			t.Fatal(err)
		}
		if err := tst.Run(t.Context()); err != nil {
			t.Fatal(err)
		}
		if b := string(got.all()[0].Body); (b == "ok /a") != wants {
			t.Errorf("scoped listener reading bodies=%v: body %q", wants, b)
		}
	}
}

// A variable using a function gometer cannot run is an unsupported element:
// listed, and left out with SkipUnsupported.
func TestUnsupportedFunctionInVariable(t *testing.T) {
	srv := newServer(t)
	xml := planXML(udvs("v", "dir", "${__BeanShell(new org.json.JSONObject())}", "ok", "yes"), tg("G", 1, 0, "1", "", get(srv, "a", "/a/${ok}")))
	if _, err := compileXML(t, xml, Options{}); err == nil || !strings.Contains(err.Error(), "BeanShell") {
		t.Fatalf("strict: %v", err)
	}
	tst, err := compileXML(t, xml, Options{SkipUnsupported: true})
	if err != nil {
		t.Fatalf("skip: %v", err)
	}
	if len(tst.Warnings()) != 1 {
		t.Errorf("warnings %v", tst.Warnings())
	}
}
