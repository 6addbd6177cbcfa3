package engine

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// parallelCtl is a Parallel Controller.
func parallelCtl(name string, parent bool, limit int, kids ...el) el {
	props := bp("PARENT_SAMPLE", parent)
	if limit > 0 {
		props += bp("LIMIT_MAX_THREAD_NUMBER", true) + `<intProp name="MAX_THREAD_NUMBER">` + strconv.Itoa(limit) + `</intProp>`
	}
	return el{tag: classParallel, gui: "com.blazemeter.jmeter.controller.ParallelControllerGui", name: name, props: props, kids: kids}
}

// gate holds requests to /gate/… until `want` of them are in flight at
// once (or, for the last of `total`, at once), recording the most ever in
// flight: requests made one after another could never all be held together.
type gate struct {
	mu       sync.Mutex
	cond     *sync.Cond
	want     int
	total    int
	inFlight int
	arrived  int
	max      int
	released bool
}

func newGate(want, total int) *gate {
	g := &gate{want: want, total: total}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gate) handle(w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, "/gate/") {
		return false
	}
	g.mu.Lock()
	g.inFlight++
	g.arrived++
	g.max = max(g.max, g.inFlight)
	if g.inFlight >= g.want || g.arrived == g.total {
		g.cond.Broadcast()
	}
	deadline := time.Now().Add(10 * time.Second) // a failing run ends, it does not hang
	for g.inFlight < g.want && g.arrived < g.total && time.Now().Before(deadline) {
		go func() { time.Sleep(100 * time.Millisecond); g.cond.Broadcast() }()
		g.cond.Wait()
	}
	g.inFlight--
	g.mu.Unlock()
	w.Write([]byte("gate " + r.URL.Path))
	return true
}

func (g *gate) maxInFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.max
}

// The children run at the same time: three requests the server holds until
// all three are in, each reported as its own sample (no parent sample).
func TestParallelControllerRunsChildrenAtOnce(t *testing.T) {
	srv := newServer(t)
	g := newGate(3, 3)
	srv.handler = g.handle
	p := parallelCtl("par", false, 0, get(srv, "a", "/gate/a"), get(srv, "b", "/gate/b"), ctrl("GenericController", "simple", "", get(srv, "c", "/gate/c")))
	_, out := run(t, planXML(tg("G", 1, 0, "1", "", p, get(srv, "after", "/after"))), nil)
	if g.maxInFlight() != 3 {
		t.Fatalf("at most %d requests in flight at once, want 3", g.maxInFlight())
	}
	labels := out.labels()
	if len(labels) != 4 || labels[3] != "after" || count(labels, "a")+count(labels, "b")+count(labels, "c") != 3 || count(labels, "par") != 0 {
		t.Fatalf("samples %v: want a, b, c in any order, then after, and none for the controller", labels)
	}
	for _, r := range out.all() {
		if r.Label == "after" {
			continue
		}
		if want := "G 1-1 - par - "; !strings.HasPrefix(r.ThreadName, want) {
			t.Errorf("%s: thread name %q, want it to start %q", r.Label, r.ThreadName, want)
		}
	}
}

// With LIMIT_MAX_THREAD_NUMBER no more than MAX_THREAD_NUMBER children run
// at once.
func TestParallelControllerLimit(t *testing.T) {
	srv := newServer(t)
	g := newGate(2, 4)
	srv.handler = g.handle
	p := parallelCtl("par", false, 2, get(srv, "a", "/gate/a"), get(srv, "b", "/gate/b"), get(srv, "c", "/gate/c"), get(srv, "d", "/gate/d"))
	_, out := run(t, planXML(tg("G", 1, 0, "1", "", p)), nil)
	if g.maxInFlight() != 2 || len(out.labels()) != 4 {
		t.Fatalf("max in flight %d (want 2), samples %v", g.maxInFlight(), out.labels())
	}
}

// With PARENT_SAMPLE one sample named after the controller carries the
// children's samples; it fails when one of them failed.
func TestParallelControllerParentSample(t *testing.T) {
	srv := newServer(t)
	p := parallelCtl("par", true, 0, get(srv, "a", "/a"), get(srv, "bad", "/fail"))
	_, out := run(t, planXML(tg("G", 1, 0, "1", "", p)), nil)
	all := out.all()
	if len(all) != 1 {
		t.Fatalf("samples %v, want the controller's only", out.labels())
	}
	r := all[0]
	if r.Label != "par" || r.ResponseCode != "200" || r.ResponseMessage != "OK" || r.Success || len(r.Subs) != 2 ||
		r.SamplerData != "Parallel items:\na\nbad\n" || r.ThreadName != "G 1-1" {
		t.Fatalf("parent sample %+v", r)
	}
	var bytes int64
	for _, s := range r.Subs {
		bytes += s.Bytes
		if s.ThreadName != "G 1-1" || (s.Label != "a" && s.Label != "bad") || r.End().Before(s.End()) {
			t.Errorf("sub-result %q thread %q ends %v after the parent", s.Label, s.ThreadName, s.End().Sub(r.End()))
		}
	}
	if r.Bytes != bytes || bytes == 0 {
		t.Errorf("parent bytes %d, sub-results' %d", r.Bytes, bytes)
	}
}

// Branches have the user's variables and cookies, and what they set is the
// user's after the controller.
func TestParallelControllerSharesVariablesAndCookies(t *testing.T) {
	srv := newServer(t)
	srv.handler = func(w http.ResponseWriter, r *http.Request) bool {
		switch r.URL.Path {
		case "/login":
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s1", Path: "/"})
		case "/b":
			http.SetCookie(w, &http.Cookie{Name: "extra", Value: "e2", Path: "/"})
		default:
			return false
		}
		w.Write([]byte("token=t" + r.URL.Path[1:]))
		return true
	}
	cookies := el{tag: "CookieManager", gui: "CookiePanel", name: "cookies", props: `<collectionProp name="CookieManager.cookies"/>` + bp("CookieManager.clearEachIteration", false)}
	extract := el{tag: "RegexExtractor", gui: "RegexExtractorGui", name: "re", props: sp("RegexExtractor.useHeaders", "false") +
		sp("RegexExtractor.refname", "tok") + sp("RegexExtractor.regex", `token=(\w+)`) + sp("RegexExtractor.template", "$1$") +
		sp("RegexExtractor.default", "none") + sp("RegexExtractor.match_number", "1")}
	p := parallelCtl("par", false, 0, get(srv, "a", "/a?seen=${tok}"), get(srv, "b", "/b", extract))
	run(t, planXML(tg("G", 1, 0, "1", "", cookies, get(srv, "login", "/login", extract), p, get(srv, "after", "/after?tok=${tok}"))), nil)
	byPath := map[string]rec{}
	for _, r := range srv.requests() {
		byPath[r.path] = r
	}
	if a := byPath["/a"]; a.query.Get("seen") != "tlogin" || !strings.Contains(a.header.Get("Cookie"), "sid=s1") {
		t.Errorf("branch a: seen=%q cookie %q, want the user's tok and sid", a.query.Get("seen"), a.header.Get("Cookie"))
	}
	after := byPath["/after"]
	if after.query.Get("tok") != "tb" || !strings.Contains(after.header.Get("Cookie"), "extra=e2") || !strings.Contains(after.header.Get("Cookie"), "sid=s1") {
		t.Errorf("after the controller: tok=%q cookie %q, want branch b's tok and cookie beside sid", after.query.Get("tok"), after.header.Get("Cookie"))
	}
}

// A Flow Control Action stopping the thread in a branch stops the user once
// the controller is done; a failed sample in a branch does not trigger the
// group's on_sample_error (the plugin's threads have none).
func TestParallelControllerFlows(t *testing.T) {
	srv := newServer(t)
	stop := el{tag: "TestAction", gui: "TestActionGui", name: "stop", props: `<intProp name="ActionProcessor.action">0</intProp><intProp name="ActionProcessor.target">0</intProp>`}
	p := parallelCtl("par", false, 0, get(srv, "a", "/a"), ctrl("GenericController", "s", "", get(srv, "b", "/b"), stop))
	run(t, planXML(tg("G", 1, 0, "3", "", p, get(srv, "after", "/after"))), nil)
	if got := strings.Join(sortedCopy(srv.paths()), ","); got != "/a,/b" {
		t.Errorf("requests %s, want /a and /b once and the user stopped", got)
	}

	srvLoop := newServer(t)
	next := el{tag: "TestAction", gui: "TestActionGui", name: "next", props: `<intProp name="ActionProcessor.action">3</intProp><intProp name="ActionProcessor.target">0</intProp>`}
	pl := parallelCtl("par", false, 0, ctrl("GenericController", "s", "", get(srvLoop, "a", "/a"), next))
	run(t, planXML(tg("G", 1, 0, "2", "", pl, get(srvLoop, "after", "/after"))), nil)
	if got := strings.Join(srvLoop.paths(), ","); got != "/a,/a" {
		t.Errorf("requests %s: a branch's next-thread-loop must skip the rest of the user's iteration", got)
	}

	srv2 := newServer(t)
	p2 := parallelCtl("par", false, 0, get(srv2, "bad", "/fail"))
	run(t, planXML(tg("G", 1, 0, "2", sp("ThreadGroup.on_sample_error", "stopthread"), p2, get(srv2, "after", "/after"))), nil)
	if got := strings.Join(srv2.paths(), ","); got != "/fail,/after,/fail,/after" {
		t.Errorf("requests %s: a failure inside a branch must not stop the user", got)
	}
}

// The Parallel HTTP Requests sampler fetches its URL list at once: one
// result for the list with a sub-result per URL.
func TestParallelHTTPSampler(t *testing.T) {
	srv := newServer(t)
	g := newGate(3, 3)
	srv.handler = g.handle
	base := srv.URL
	urls := `<collectionProp name="urls">` +
		`<collectionProp name="1"><stringProp name="u">` + base + `/gate/1</stringProp></collectionProp>` +
		`<collectionProp name="2"><stringProp name="u">` + base + `/gate/${n}</stringProp></collectionProp>` +
		`<collectionProp name="3"><stringProp name="u">` + base + `/gate/3</stringProp></collectionProp></collectionProp>`
	ph := el{tag: "com.blazemeter.jmeter.http.ParallelHTTPSampler", gui: "com.blazemeter.jmeter.http.ParallelHTTPSamplerGui", name: "many",
		props: `<elementProp name="HTTPsampler.Arguments" elementType="Arguments"><collectionProp name="Arguments.arguments"/></elementProp>` + urls}
	_, out := run(t, planXML(udvs("v", "n", "2"), tg("G", 1, 0, "1", "", ph)), nil)
	if g.maxInFlight() != 3 {
		t.Fatalf("at most %d downloads at once, want 3", g.maxInFlight())
	}
	all := out.all()
	if len(all) != 1 {
		t.Fatalf("samples %v", out.labels())
	}
	r := all[0]
	if r.Label != "many" || r.URL != "http://parallel-urls-list" || !r.Success || len(r.Subs) != 3 ||
		r.SamplerData != base+"/gate/1\n"+base+"/gate/2\n"+base+"/gate/3\n" {
		t.Fatalf("result %+v", r)
	}
	for i, s := range r.Subs {
		if want := "-" + strconv.Itoa(i); s.Label != want || s.URL != base+"/gate/"+strconv.Itoa(i+1) || s.ResponseCode != "200" {
			t.Errorf("sub %d: label %q URL %q code %s", i, s.Label, s.URL, s.ResponseCode)
		}
	}
}

// With concurrent downloads turned off the URLs are fetched one after
// another, in order; one that fails fails the result with JMeter's message.
func TestParallelHTTPSamplerSequentialFailure(t *testing.T) {
	srv := newServer(t)
	urls := `<collectionProp name="urls">` +
		`<collectionProp name="1"><stringProp name="u">` + srv.URL + `/one</stringProp></collectionProp>` +
		`<collectionProp name="2"><stringProp name="u">` + srv.URL + `/fail</stringProp></collectionProp></collectionProp>`
	ph := el{tag: "com.blazemeter.jmeter.http.ParallelHTTPSampler", gui: "com.blazemeter.jmeter.http.ParallelHTTPSamplerGui", name: "many",
		props: `<elementProp name="HTTPsampler.Arguments" elementType="Arguments"><collectionProp name="Arguments.arguments"/></elementProp>` +
			bp("HTTPSampler.concurrentDwn", false) + urls}
	_, out := run(t, planXML(tg("G", 1, 0, "1", "", ph)), nil)
	r := out.all()[0]
	if r.Success || !strings.HasPrefix(r.ResponseMessage, "Embedded resource download error:"+srv.URL+"/fail code:500") || len(r.Subs) != 2 {
		t.Fatalf("result success %v message %q, %d subs", r.Success, r.ResponseMessage, len(r.Subs))
	}
	if got := strings.Join(srv.paths(), ","); got != "/one,/fail" {
		t.Errorf("requests %s, want /one then /fail", got)
	}
}
