package engine

import (
	"context"
	"fmt"
	"github.com/gometer/gometer/output"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// el is a test element for building plans.
type el struct {
	tag, gui, name string
	props          string // raw property XML
	kids           []el
	disabled       bool
}

func (e el) xml(b *strings.Builder) {
	gui := e.gui
	if gui == "" {
		gui = e.tag + "Gui"
	}
	fmt.Fprintf(b, "<%s guiclass=%q testclass=%q testname=%q enabled=%q>%s</%s>\n<hashTree>\n",
		e.tag, gui, e.tag, html.EscapeString(e.name), fmt.Sprint(!e.disabled), e.props, e.tag)
	for _, k := range e.kids {
		k.xml(b)
	}
	b.WriteString("</hashTree>\n")
}

func planXML(kids ...el) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">
<hashTree>
`)
	testPlan(kids...).xml(&b)
	b.WriteString("</hashTree>\n</jmeterTestPlan>\n")
	return b.String()
}

func testPlan(kids ...el) el {
	return el{tag: "TestPlan", gui: "TestPlanGui", name: "Test Plan", props: `<boolProp name="TestPlan.tearDown_on_shutdown">true</boolProp>`, kids: kids}
}

func sp(name, value string) string {
	return fmt.Sprintf(`<stringProp name=%q>%s</stringProp>`, name, html.EscapeString(value))
}

func bp(name string, v bool) string { return fmt.Sprintf(`<boolProp name=%q>%v</boolProp>`, name, v) }

// tg is a ThreadGroup with a GUI-style main loop controller.
func tg(name string, threads, ramp int, loops string, extra string, kids ...el) el {
	return tgClass("ThreadGroup", name, fmt.Sprint(threads), fmt.Sprint(ramp), loops, extra, kids...)
}

func tgClass(class, name, threads, ramp, loops, extra string, kids ...el) el {
	props := `<elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" testclass="LoopController" testname="Loop Controller" enabled="true">` +
		bp("LoopController.continue_forever", false) + sp("LoopController.loops", loops) + `</elementProp>` +
		sp("ThreadGroup.num_threads", threads) + sp("ThreadGroup.ramp_time", ramp) + extra
	return el{tag: class, name: name, props: props, kids: kids}
}

// get is an HTTP GET sampler to the test server.
func get(srv *server, name, path string, kids ...el) el {
	return httpSampler(srv, name, "GET", path, "", kids...)
}

func httpSampler(srv *server, name, method, path, extra string, kids ...el) el {
	host, port := "", ""
	if srv != nil {
		host, port = srv.host, srv.port
	}
	props := `<elementProp name="HTTPsampler.Arguments" elementType="Arguments" guiclass="HTTPArgumentsPanel" testclass="Arguments" enabled="true"><collectionProp name="Arguments.arguments"/></elementProp>` +
		sp("HTTPSampler.domain", host) + sp("HTTPSampler.port", port) + sp("HTTPSampler.protocol", "http") +
		sp("HTTPSampler.path", path) + sp("HTTPSampler.method", method) +
		bp("HTTPSampler.follow_redirects", true) + bp("HTTPSampler.use_keepalive", true) + extra
	return el{tag: "HTTPSamplerProxy", gui: "HttpTestSampleGui", name: name, props: props, kids: kids}
}

func constTimer(ms int) el {
	return el{tag: "ConstantTimer", gui: "ConstantTimerGui", name: "Timer", props: sp("ConstantTimer.delay", fmt.Sprint(ms))}
}

func headers(name string, kv ...string) el {
	var b strings.Builder
	b.WriteString(`<collectionProp name="HeaderManager.headers">`)
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteString(`<elementProp name="" elementType="Header">` + sp("Header.name", kv[i]) + sp("Header.value", kv[i+1]) + `</elementProp>`)
	}
	b.WriteString(`</collectionProp>`)
	return el{tag: "HeaderManager", gui: "HeaderPanel", name: name, props: b.String()}
}

func udvs(name string, kv ...string) el {
	return el{tag: "Arguments", gui: "ArgumentsPanel", name: name, props: argsCollection(kv...)}
}

func argsCollection(kv ...string) string {
	var b strings.Builder
	b.WriteString(`<collectionProp name="Arguments.arguments">`)
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteString(`<elementProp name="` + kv[i] + `" elementType="Argument">` + sp("Argument.name", kv[i]) + sp("Argument.value", kv[i+1]) + sp("Argument.metadata", "=") + `</elementProp>`)
	}
	b.WriteString(`</collectionProp>`)
	return b.String()
}

func ctrl(tag, name, props string, kids ...el) el {
	return el{tag: tag, name: name, props: props, kids: kids}
}

// server is a local HTTP server recording what it receives.
type server struct {
	*httptest.Server
	host, port string
	mu         sync.Mutex
	reqs       []rec
	handler    func(w http.ResponseWriter, r *http.Request) bool // true: handled
}

type rec struct {
	at     time.Time
	method string
	path   string
	query  url.Values
	header http.Header
	user   string // X-User header or u= query
}

func newServer(t *testing.T) *server {
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		user := r.Header.Get("X-User")
		if user == "" {
			user = q.Get("u")
		}
		s.mu.Lock()
		s.reqs = append(s.reqs, rec{at: time.Now(), method: r.Method, path: r.URL.Path, query: q, header: r.Header.Clone(), user: user})
		h := s.handler
		s.mu.Unlock()
		if h != nil && h(w, r) {
			return
		}
		switch {
		case strings.HasPrefix(r.URL.Path, "/fail"):
			w.WriteHeader(500)
			fmt.Fprint(w, "failed")
		case strings.HasPrefix(r.URL.Path, "/slow"):
			d, _ := time.ParseDuration(q.Get("d"))
			if d == 0 {
				d = 300 * time.Millisecond
			}
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
			fmt.Fprint(w, "slow ok")
		default:
			fmt.Fprint(w, "ok "+r.URL.Path)
		}
	}))
	t.Cleanup(s.Close)
	u, _ := url.Parse(s.URL)
	s.host, s.port, _ = net.SplitHostPort(u.Host)
	return s
}

func (s *server) requests() []rec {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]rec(nil), s.reqs...)
}

func (s *server) paths() []string {
	var out []string
	for _, r := range s.requests() {
		out = append(out, r.path)
	}
	return out
}

// sink is an Output keeping every sample.
type sink struct {
	mu     sync.Mutex
	res    []*sample.Result
	closed bool
}

func (s *sink) Add(r *sample.Result) {
	s.mu.Lock()
	s.res = append(s.res, r)
	s.mu.Unlock()
}
func (s *sink) Start(output.Run) error { return nil }
func (s *sink) Stop() error            { s.closed = true; return nil }

func (s *sink) all() []*sample.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*sample.Result(nil), s.res...)
}

func (s *sink) labels() []string {
	var out []string
	for _, r := range s.all() {
		out = append(out, r.Label)
	}
	return out
}

// compileXML parses and compiles a plan written to a temp dir.
func compileXML(t testing.TB, xml string, opts Options) (*Test, error) {
	t.Helper()
	plan, err := jmx.Parse([]byte(xml), t.TempDir()+"/plan.jmx")
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, xml)
	}
	return Compile(plan, opts)
}

// run compiles and runs a plan with a sink, failing the test on errors.
func run(t *testing.T, xml string, props map[string]string) (*Test, *sink) {
	t.Helper()
	tst, out, err := tryRun(t, xml, props)
	if err != nil {
		t.Fatal(err)
	}
	return tst, out
}

// tryRun is run returning the compile or run error.
func tryRun(t *testing.T, xml string, props map[string]string) (*Test, *sink, error) {
	t.Helper()
	out := &sink{}
	p := functions.NewProperties()
	for k, v := range props {
		p.Set(k, v)
	}
	tst, err := compileXML(t, xml, Options{Props: p, Outputs: []output.Output{out}})
	if err != nil {
		return nil, nil, fmt.Errorf("compile: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := tst.Run(ctx); err != nil {
		return nil, nil, fmt.Errorf("run: %w", err)
	}
	return tst, out, nil
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
