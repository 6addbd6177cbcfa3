package engine

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/target"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/script"
)

// orderJSON is a 2 KB JSON answer like the ones correlation scripts parse
// (the benchmark target's /orders.json).
func orderJSON() []byte { return target.OrdersJSON() }

// groovyPost is the benchmark's 10-line Groovy post-processor: JsonSlurper
// and three variables.
const groovyPost = `import groovy.json.JsonSlurper
def body = prev.getResponseDataAsString()
def doc = new JsonSlurper().parseText(body)
def token = doc.token
def firstId = doc.orders[0].id
def open = doc.orders.findAll { it.status == "open" }.size()
vars.put("token", token)
vars.put("firstOrder", String.valueOf(firstId))
vars.put("openOrders", String.valueOf(open))
log.debug("parsed " + open)`

const jsPost = `var doc = JSON.parse(prev.getResponseDataAsString());
var open = doc.orders.filter(function (o) { return o.status == "open"; }).length;
vars.put("token", doc.token);
vars.put("firstOrder", String(doc.orders[0].id));
vars.put("openOrders", String(open));`

// BenchmarkScriptPostProcessor runs b.N samples (an in-process 2 KB JSON
// answer) through one user with a script post-processor that parses the
// body and sets three variables: the per-sample cost of a typical
// correlation script, allocations included.
func BenchmarkScriptPostProcessor(b *testing.B) {
	for _, bc := range []struct{ lang, src string }{{"groovy", groovyPost}, {"javascript", jsPost}} {
		b.Run(bc.lang, func(b *testing.B) {
			l, _ := script.ParseLanguage(bc.lang)
			if _, err := script.Compile(l, "probe", bc.src); err != nil {
				b.Skipf("%s cannot run in this build: %v", bc.lang, err)
			}
			post := el{tag: "JSR223PostProcessor", gui: "TestBeanGUI", name: "parse",
				props: sp("scriptLanguage", bc.lang) + sp("cacheKey", "true") + sp("script", bc.src)}
			xml := planXML(tgClass("ThreadGroup", "G", "1", "0", "${__P(loops,1)}", "",
				httpSampler(nil, "s", "GET", "http://127.0.0.1:1/orders", "", post)))
			out := &countOutput{}
			p := functions.NewProperties()
			p.Set("loops", strconv.Itoa(b.N))
			tst, err := compileXML(b, xml, Options{Props: p, Outputs: []output.Output{out}})
			if err != nil {
				b.Fatal(err)
			}
			replaceSamplers(tst.main[0].root.children, &fakeSampler{body: orderJSON()})
			b.ReportAllocs()
			b.ResetTimer()
			if err := tst.Run(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if got := out.n.Load(); got != int64(b.N) {
				b.Fatalf("delivered %d samples, want %d", got, b.N)
			}
		})
	}
}

// BenchmarkScriptIdleUsers is BenchmarkIdleUsers with a small JSR223
// PreProcessor on the sampler: what script state costs per user.
func BenchmarkScriptIdleUsers(b *testing.B) {
	const users = 10000
	for _, bc := range []struct{ lang, src string }{
		{"groovy", `vars.put("req", "r-" + ctx.getThreadNum() + "-" + vars.getIteration())`},
		{"javascript", `vars.put("req", "r-" + ctx.getThreadNum() + "-" + vars.getIteration())`},
	} {
		b.Run(bc.lang, func(b *testing.B) {
			l, _ := script.ParseLanguage(bc.lang)
			if _, err := script.Compile(l, "probe", bc.src); err != nil {
				b.Skipf("%s cannot run in this build: %v", bc.lang, err)
			}
			for i := 0; i < b.N; i++ {
				scriptIdleUsers(b, users, bc.lang, bc.src)
			}
		})
	}
}

func scriptIdleUsers(b *testing.B, users int, lang, src string) {
	pre := el{tag: "JSR223PreProcessor", gui: "TestBeanGUI", name: "pre",
		props: sp("scriptLanguage", lang) + sp("cacheKey", "true") + sp("script", src)}
	xml := planXML(tgClass("ThreadGroup", "G", strconv.Itoa(users), "0", "1", "",
		httpSampler(nil, "s", "GET", "http://127.0.0.1:1/x", "", pre),
		httpSampler(nil, "wait", "GET", "http://127.0.0.1:1/y", "", constTimer(1500)),
	))
	out := &countOutput{}
	tst, err := compileXML(b, xml, Options{Outputs: []output.Output{out}})
	if err != nil {
		b.Fatal(err)
	}
	replaceSamplers(tst.main[0].root.children, &fakeSampler{body: []byte("ok")})
	runtime.GC()
	var before, during runtime.MemStats
	runtime.ReadMemStats(&before)
	done := make(chan error)
	go func() { done <- tst.Run(context.Background()) }()
	for {
		time.Sleep(50 * time.Millisecond)
		if a, _, _ := tst.Counts(); a == users {
			break
		}
	}
	time.Sleep(200 * time.Millisecond)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&during)
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	heap := float64(during.HeapInuse) - float64(before.HeapInuse)
	stack := float64(during.StackInuse) - float64(before.StackInuse)
	b.ReportMetric((heap+stack)/float64(users), "bytes/user")
	b.ReportMetric(heap/float64(users), "heap-B/user")
	if got := out.n.Load(); got != int64(2*users) {
		b.Fatalf("delivered %d samples, want %d", got, 2*users)
	}
}
