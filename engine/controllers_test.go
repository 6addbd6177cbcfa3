package engine

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func loopCtrl(name, loops string, kids ...el) el {
	return ctrl("LoopController", name, sp("LoopController.loops", loops)+bp("LoopController.continue_forever", true), kids...)
}

func ifCtrl(name, cond string, expr bool, kids ...el) el {
	return ctrl("IfController", name, sp("IfController.condition", cond)+bp("IfController.useExpression", expr), kids...)
}

func joined(s *server) string { return strings.Join(s.paths(), ",") }

func TestNestedLoopResetsEachParentIteration(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "2", "",
		get(srv, "s", "/s"),
		loopCtrl("inner", "3", get(srv, "i", "/i")),
	))
	run(t, xml, nil)
	if got := joined(srv); got != "/s,/i,/i,/i,/s,/i,/i,/i" {
		t.Fatalf("got %s", got)
	}
}

// After a loop runs out JMeter's __jm__<name>__idx reads 0 again (the
// loop reset itself for its next pass), or the count for a loop that does
// not continue forever.
func TestLoopIndexAfterLoop(t *testing.T) {
	srv := newServer(t)
	once := ctrl("LoopController", "once", sp("LoopController.loops", "3")+bp("LoopController.continue_forever", false), get(srv, "o", "/o"))
	xml := planXML(tg("G", 1, 0, "1", "",
		loopCtrl("outer", "2", loopCtrl("inner", "3", get(srv, "i", "/in/${__jm__outer__idx}-${__jm__inner__idx}"))),
		get(srv, "after", "/after/${__jm__outer__idx}-${__jm__inner__idx}"),
		loopCtrl("none", "0", get(srv, "n", "/never")),
		once,
		get(srv, "after2", "/after2/${__jm__none__idx}-${__jm__once__idx}"),
	))
	run(t, xml, nil)
	want := "/in/0-0,/in/0-1,/in/0-2,/in/1-0,/in/1-1,/in/1-2,/after/0-0,/o,/o,/o,/after2/0-3"
	if got := joined(srv); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestNestedLoopWithoutContinueForeverRunsOnce(t *testing.T) {
	srv := newServer(t)
	inner := ctrl("LoopController", "inner", sp("LoopController.loops", "2")+bp("LoopController.continue_forever", false), get(srv, "i", "/i"))
	xml := planXML(tg("G", 1, 0, "3", "", get(srv, "s", "/s"), inner))
	run(t, xml, nil)
	if got := joined(srv); got != "/s,/i,/i,/s,/s" {
		t.Fatalf("got %s", got)
	}
}

func TestIfControllerExpressionAndLegacy(t *testing.T) {
	srv := newServer(t)
	xml := planXML(
		udvs("v", "mode", "fast", "n", "3"),
		tg("G", 1, 0, "1", "",
			ifCtrl("jexl true", `${__jexl3("${mode}" == "fast")}`, true, get(srv, "a", "/jexl-yes")),
			ifCtrl("jexl false", `${__jexl3(${n} > 5)}`, true, get(srv, "b", "/jexl-no")),
			ifCtrl("literal", `true`, true, get(srv, "c", "/literal")),
			ifCtrl("trimmed", "TRUE \t", true, get(srv, "c2", "/trimmed")), // JMeter trims the condition
			ifCtrl("nbsp", "true\u00a0", true, get(srv, "c3", "/nbsp")),    // Java's trim keeps U+00A0
			ifCtrl("js string", `"${mode}" == "fast"`, false, get(srv, "d", "/js-yes")),
			ifCtrl("js number", `${n} > 5`, false, get(srv, "e", "/js-no")),
			ifCtrl("js methods", `"${mode}".length == 4 && parseInt("${n}") === 3`, false, get(srv, "m", "/js-methods")),
			get(srv, "f", "/fail"),
			ifCtrl("last ok", `${JMeterThread.last_sample_ok}`, false, get(srv, "g", "/after-fail")),
			ifCtrl("not last ok", `!${JMeterThread.last_sample_ok}`, false, get(srv, "h", "/not-ok")),
		))
	run(t, xml, nil)
	if got := joined(srv); got != "/jexl-yes,/literal,/trimmed,/js-yes,/js-methods,/fail,/not-ok" {
		t.Fatalf("got %s", got)
	}
}

func TestWhileController(t *testing.T) {
	srv := newServer(t)
	var n int
	srv.handler = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/count" {
			n++
			if n >= 3 {
				w.WriteHeader(500)
			}
			return true
		}
		return false
	}
	blank := ctrl("WhileController", "until failure", sp("WhileController.condition", ""), get(srv, "c", "/count"))
	counter := ctrl("CounterConfig", "cnt", sp("CounterConfig.start", "1")+sp("CounterConfig.incr", "1")+sp("CounterConfig.name", "k")+bp("CounterConfig.per_user", true))
	byVar := ctrl("WhileController", "while k", sp("WhileController.condition", `${__jexl3(${k} < 3)}`), get(srv, "w", "/w"), counter)
	xml := planXML(tg("G", 1, 0, "1", "", blank, byVar))
	run(t, xml, nil)
	p := srv.paths()
	if count(p, "/count") != 3 {
		t.Errorf("blank condition: want 3 passes until the failure, got %v", p)
	}
	// The counter sets k=1 at the first pass start, 2 at the second, 3 at the
	// third; the condition is checked after each pass.
	if count(p, "/w") != 3 {
		t.Errorf("condition: got %v", p)
	}
}

func TestOnceOnlyController(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 2, 0, "3", "",
		ctrl("OnceOnlyController", "login", "", get(srv, "login", "/login?u=${__threadNum}")),
		get(srv, "work", "/work?u=${__threadNum}"),
		loopCtrl("inner", "2", ctrl("OnceOnlyController", "first pass", "", get(srv, "once", "/inner-once"))),
	))
	run(t, xml, nil)
	p := srv.paths()
	if count(p, "/login") != 2 || count(p, "/work") != 6 {
		t.Errorf("got %v", p)
	}
	if count(p, "/inner-once") != 6 { // first pass of the inner loop in each of 3 iterations, 2 users
		t.Errorf("once-only under a loop: %d", count(p, "/inner-once"))
	}
}

func TestThroughputControllerDeterministic(t *testing.T) {
	srv := newServer(t)
	pct := ctrl("ThroughputController", "30 pct",
		`<intProp name="ThroughputController.style">1</intProp>`+bp("ThroughputController.perThread", true)+
			`<FloatProperty><name>ThroughputController.percentThroughput</name><value>30.0</value><savedValue>0.0</savedValue></FloatProperty>`,
		get(srv, "p", "/pct"))
	total := ctrl("ThroughputController", "total 2",
		`<intProp name="ThroughputController.style">0</intProp>`+bp("ThroughputController.perThread", false)+sp("ThroughputController.maxThroughput", "2"),
		get(srv, "t", "/total"))
	xml := planXML(tg("G", 2, 0, "10", "", pct, total))
	run(t, xml, nil)
	p := srv.paths()
	if count(p, "/pct") != 6 { // 3 of 10 iterations per user
		t.Errorf("percent: %d, want 6", count(p, "/pct"))
	}
	if count(p, "/total") != 2 { // shared by both users
		t.Errorf("total: %d, want 2", count(p, "/total"))
	}
}

func TestRandomInterleaveAndSwitch(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "30", "",
		ctrl("RandomController", "rnd", "", get(srv, "r1", "/r1"), get(srv, "r2", "/r2")),
		ctrl("InterleaveControl", "il", "", get(srv, "i1", "/i1"), get(srv, "i2", "/i2"), get(srv, "i3", "/i3")),
		ctrl("RandomOrderController", "ro", "", get(srv, "o1", "/o1"), get(srv, "o2", "/o2")),
		ctrl("SwitchController", "by index", sp("SwitchController.value", "1"), get(srv, "s0", "/s0"), get(srv, "s1", "/s1")),
		ctrl("SwitchController", "by name", sp("SwitchController.value", "beta"), get(srv, "alpha", "/alpha"), get(srv, "beta", "/beta")),
		ctrl("SwitchController", "default", sp("SwitchController.value", "nope"), get(srv, "x", "/x"), get(srv, "Default", "/default")),
	))
	run(t, xml, nil)
	p := srv.paths()
	if r := count(p, "/r1") + count(p, "/r2"); r != 30 || count(p, "/r1") == 0 || count(p, "/r2") == 0 {
		t.Errorf("random: r1=%d r2=%d", count(p, "/r1"), count(p, "/r2"))
	}
	for _, x := range []string{"/i1", "/i2", "/i3"} {
		if count(p, x) != 10 {
			t.Errorf("interleave %s: %d", x, count(p, x))
		}
	}
	if count(p, "/o1") != 30 || count(p, "/o2") != 30 {
		t.Errorf("random order: %d %d", count(p, "/o1"), count(p, "/o2"))
	}
	if count(p, "/s1") != 30 || count(p, "/s0") != 0 || count(p, "/beta") != 30 || count(p, "/alpha") != 0 || count(p, "/default") != 30 || count(p, "/x") != 0 {
		t.Errorf("switch: %v", p[:12])
	}
	// interleave order within the run: i1, i2, i3, i1 …
	var il []string
	for _, x := range p {
		if strings.HasPrefix(x, "/i") {
			il = append(il, x)
		}
	}
	if strings.Join(il[:4], ",") != "/i1,/i2,/i3,/i1" {
		t.Errorf("interleave order %v", il[:4])
	}
}

func TestForeachController(t *testing.T) {
	srv := newServer(t)
	xml := planXML(
		udvs("v", "item_1", "a", "item_2", "b", "item_3", "c", "item_5", "e"),
		tg("G", 1, 0, "1", "",
			ctrl("ForeachController", "each", sp("ForeachController.inputVal", "item")+sp("ForeachController.returnVal", "it")+bp("ForeachController.useSeparator", true),
				get(srv, "x", "/each/${it}")),
			ctrl("ForeachController", "range", sp("ForeachController.inputVal", "item")+sp("ForeachController.returnVal", "it")+bp("ForeachController.useSeparator", true)+
				sp("ForeachController.startIndex", "1")+sp("ForeachController.endIndex", "2"),
				get(srv, "y", "/range/${it}")),
		))
	run(t, xml, nil)
	if got := joined(srv); got != "/each/a,/each/b,/each/c,/range/b" {
		t.Fatalf("got %s", got)
	}
}

// JMeter's finished ForEach resets its index and, asked isDone() once more,
// puts inputVal_(start+1) back into returnVal: the loop leaves the first
// value behind, not the last.
func TestForeachControllerLeavesFirstValue(t *testing.T) {
	srv := newServer(t)
	each := func(name, extra string) el {
		return ctrl("ForeachController", name, sp("ForeachController.inputVal", "item")+sp("ForeachController.returnVal", "it")+extra,
			get(srv, name, "/"+name+"/${it}"))
	}
	xml := planXML(
		udvs("v", "item_1", "a", "item_2", "b", "item_3", "c"),
		tg("G", 1, 0, "1", "",
			each("all", ""),
			get(srv, "after all", "/after/${it}"),
			each("from1", sp("ForeachController.startIndex", "1")),
			get(srv, "after from1", "/after/${it}"),
			each("upto1", sp("ForeachController.startIndex", "0")+sp("ForeachController.endIndex", "1")),
			get(srv, "after upto1", "/after/${it}"),
			each("none", sp("ForeachController.startIndex", "3")),
			get(srv, "after none", "/after/${it}"),
		))
	run(t, xml, nil)
	want := "/all/a,/all/b,/all/c,/after/a,/from1/b,/from1/c,/after/b,/upto1/a,/after/a,/after/a"
	if got := joined(srv); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// JMeter's __jm__<name>__idx for a ForEach is its loop count, which starts
// at the start index, and reads the start index again once the loop ends.
func TestForeachControllerIndexVariable(t *testing.T) {
	srv := newServer(t)
	each := func(name, extra string) el {
		return ctrl("ForeachController", name, sp("ForeachController.inputVal", "item")+sp("ForeachController.returnVal", "it")+extra,
			get(srv, name, "/"+name+"/${__jm__"+name+"__idx}"))
	}
	xml := planXML(
		udvs("v", "item_1", "a", "item_2", "b", "item_3", "c"),
		tg("G", 1, 0, "1", "",
			each("all", ""),
			get(srv, "after all", "/after/${__jm__all__idx}"),
			each("from1", sp("ForeachController.startIndex", "1")),
			get(srv, "after from1", "/after/${__jm__from1__idx}"),
		))
	run(t, xml, nil)
	want := "/all/0,/all/1,/all/2,/after/0,/from1/1,/from1/2,/after/1"
	if got := joined(srv); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// JMeter reads the indexes with getPropertyAsInt: an absent end index is
// unbounded, but one present and empty (or not an int) is 0, so nothing runs.
func TestForeachControllerIndexProperties(t *testing.T) {
	srv := newServer(t)
	each := func(name, start, end string) el {
		props := sp("ForeachController.inputVal", "item") + sp("ForeachController.returnVal", "it")
		if start != "-" {
			props += sp("ForeachController.startIndex", start)
		}
		if end != "-" {
			props += sp("ForeachController.endIndex", end)
		}
		return ctrl("ForeachController", name, props, get(srv, name, "/"+name+"/${it}"))
	}
	xml := planXML(
		udvs("v", "item_1", "a", "item_2", "b", "item_3", "c"),
		tg("G", 1, 0, "1", "",
			each("absent", "-", "-"),
			each("emptyend", "", ""),
			each("spaced", "0", " 2"),
			each("emptystart", "", "2"),
			each("badstart", "x", "-"),
		))
	run(t, xml, nil)
	want := "/absent/a,/absent/b,/absent/c,/emptystart/a,/emptystart/b,/badstart/a,/badstart/b,/badstart/c"
	if got := joined(srv); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestRuntimeController(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "1", "",
		ctrl("RunTime", "1s", sp("RunTime.seconds", "1"), get(srv, "x", "/rt", constTimer(200))),
		get(srv, "after", "/after"),
	))
	start := time.Now()
	run(t, xml, nil)
	p := srv.paths()
	n := count(p, "/rt")
	if n < 3 || n > 6 || p[len(p)-1] != "/after" {
		t.Errorf("runtime: %v", p)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("ran only %v", d)
	}
}

func TestCriticalSectionSerialises(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 3, 0, "1", "",
		ctrl("CriticalSectionController", "cs", sp("CriticalSectionController.lockName", "L"),
			get(srv, "in", "/slow?d=150ms"), get(srv, "out", "/cs-end")),
	))
	run(t, xml, nil)
	p := srv.paths()
	// Each user's pair runs while holding the lock: the requests alternate.
	for i := 0; i+1 < len(p); i += 2 {
		if p[i] != "/slow" || p[i+1] != "/cs-end" {
			t.Fatalf("critical section interleaved: %v", p)
		}
	}
}

func TestModuleControllerAndFragment(t *testing.T) {
	srv := newServer(t)
	frag := ctrl("TestFragmentController", "Login Fragment", "", get(srv, "login", "/login"), headers("h", "X-Frag", "yes"))
	mod := ctrl("ModuleController", "use login",
		`<collectionProp name="ModuleController.node_path">`+sp("1", "Test Plan")+sp("2", "Test Plan")+sp("3", "Login Fragment")+`</collectionProp>`)
	xml := planXML(tg("G", 1, 0, "2", "", mod, get(srv, "work", "/work")), frag)
	run(t, xml, nil)
	if got := joined(srv); got != "/login,/work,/login,/work" {
		t.Fatalf("got %s", got)
	}
	if srv.requests()[0].header.Get("X-Frag") != "yes" {
		t.Error("fragment's header manager not applied")
	}
}

// JMeter resolves Module Controller paths before it drops disabled
// elements, so modules kept in a disabled thread group (a common layout)
// run; the first path name is the GUI root, whatever it is called.
func TestModuleTargetInDisabledSubtree(t *testing.T) {
	srv := newServer(t)
	path := func(names ...string) string {
		var b strings.Builder
		b.WriteString(`<collectionProp name="ModuleController.node_path">`)
		for i, n := range names {
			b.WriteString(sp(strconv.Itoa(i), n))
		}
		return b.String() + `</collectionProp>`
	}
	hidden := get(srv, "hidden", "/hidden")
	hidden.disabled = true
	off := ctrl("GenericController", "Off", "", get(srv, "off", "/off"))
	off.disabled = true
	modules := tg("Modules", 1, 0, "1", "",
		ctrl("GenericController", "Login", "", get(srv, "login", "/login"), hidden),
		off)
	modules.disabled = true
	xml := planXML(
		tg("G", 1, 0, "1", "",
			ctrl("ModuleController", "m1", path("WorkBench", "Test Plan", "Modules", "Login")),
			ctrl("ModuleController", "m2", path("Test Plan", "Test Plan", "Modules", "Off")),
			get(srv, "work", "/work")),
		modules)
	run(t, xml, nil)
	if got := joined(srv); got != "/login,/off,/work" {
		t.Fatalf("got %s, want the disabled modules run (without their disabled children)", got)
	}
	// The second name must be a top-level element: JMeter does not find a
	// path that leaves out the root.
	bad := planXML(tg("G", 1, 0, "1", "", ctrl("ModuleController", "m", path("Test Plan", "Modules", "Login"))), modules)
	if _, err := compileXML(t, bad, Options{}); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("path without the root: %v", err)
	}
}

func TestIncludeController(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	inc := planXML(headers("included headers", "X-Inc", "1"), ctrl("TestFragmentController", "frag", "", get(srv, "inc", "/included")))
	if err := os.WriteFile(filepath.Join(dir, "inc.jmx"), []byte(inc), 0o644); err != nil {
		t.Fatal(err)
	}
	xml := planXML(tg("G", 1, 0, "1", "", ctrl("IncludeController", "include", sp("IncludeController.includepath", filepath.Join(dir, "inc.jmx"))), get(srv, "main", "/main")))
	run(t, xml, nil)
	if got := joined(srv); got != "/included,/main" {
		t.Fatalf("got %s", got)
	}
	if r := srv.requests(); r[0].header.Get("X-Inc") != "1" || r[1].header.Get("X-Inc") != "" {
		t.Errorf("the included plan's header manager applies to the included samplers only")
	}
}

func txCtrl(name string, parent, timers bool, kids ...el) el {
	return ctrl("TransactionController", name, bp("TransactionController.parent", parent)+bp("TransactionController.includeTimers", timers), kids...)
}

func TestTransactionControllerDefaultMode(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "1", "",
		txCtrl("Buy", false, false, get(srv, "a", "/a", constTimer(200)), get(srv, "b", "/fail")),
	))
	_, out := run(t, xml, nil)
	res := out.all()
	if got := strings.Join(out.labels(), ","); got != "a,b,Buy" {
		t.Fatalf("labels %s", got)
	}
	tx := res[2]
	if tx.ResponseMessage != "Number of samples in transaction : 2, number of failing samples : 1" || tx.Success || tx.ResponseCode != "" || !tx.Transaction {
		t.Errorf("transaction sample: %q %v %q", tx.ResponseMessage, tx.Success, tx.ResponseCode)
	}
	if tx.Elapsed != res[0].Elapsed+res[1].Elapsed {
		t.Errorf("without timers elapsed %v != sum of children %v", tx.Elapsed, res[0].Elapsed+res[1].Elapsed)
	}
	if tx.Idle < 190*time.Millisecond {
		t.Errorf("idle %v should hold the timer", tx.Idle)
	}
	if tx.Bytes != res[0].Bytes+res[1].Bytes || len(tx.Subs) != 0 {
		t.Errorf("bytes %d subs %d", tx.Bytes, len(tx.Subs))
	}
}

func TestTransactionControllerParentMode(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "1", "",
		txCtrl("Checkout", true, true, get(srv, "a", "/a", constTimer(100)), get(srv, "b", "/b")),
		get(srv, "c", "/c"),
	))
	_, out := run(t, xml, nil)
	if got := strings.Join(out.labels(), ","); got != "Checkout,c" {
		t.Fatalf("labels %s (children must not be top-level samples)", got)
	}
	tx := out.all()[0]
	if len(tx.Subs) != 2 || tx.Subs[0].Label != "a" || tx.Subs[1].Label != "b" {
		t.Fatalf("subs %v", tx.Subs)
	}
	if !tx.Success || tx.ResponseCode != "200" || tx.ResponseMessage != "Number of samples in transaction : 2, number of failing samples : 0" {
		t.Errorf("tx %v %q %q", tx.Success, tx.ResponseCode, tx.ResponseMessage)
	}
	if tx.Elapsed < 100*time.Millisecond {
		t.Errorf("includeTimers: elapsed %v should include the timer", tx.Elapsed)
	}
}

func TestTransactionEmittedOnStartNextLoop(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "2", sp("ThreadGroup.on_sample_error", "startnextloop"),
		txCtrl("T", false, true, get(srv, "a", "/fail"), get(srv, "b", "/never")),
	))
	_, out := run(t, xml, nil)
	if got := strings.Join(out.labels(), ","); got != "a,T,a,T" {
		t.Fatalf("labels %s", got)
	}
}

func flowAction(name string, action, target int, dur string) el {
	return ctrl("TestAction", name, `<intProp name="ActionProcessor.action">`+itoa(action)+`</intProp><intProp name="ActionProcessor.target">`+itoa(target)+`</intProp>`+sp("ActionProcessor.duration", dur))
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestFlowControlAction(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "2", "",
		get(srv, "a", "/a"),
		flowAction("pause", 1, 0, "300"),
		loopCtrl("loop", "3",
			get(srv, "l", "/l"),
			ifCtrl("second", `${__jexl3(${__jm__loop__idx} == 1)}`, true, flowAction("break", 5, 0, "0")),
		),
		get(srv, "b", "/b"),
		flowAction("next thread loop", 3, 0, "0"),
		get(srv, "never", "/never"),
	))
	start := time.Now()
	_, out := run(t, xml, nil)
	if got := joined(srv); got != "/a,/l,/l,/b,/a,/l,/l,/b" {
		t.Fatalf("got %s", got)
	}
	if time.Since(start) < 600*time.Millisecond {
		t.Errorf("pause did not pause")
	}
	if len(out.all()) != 8 {
		t.Errorf("flow control actions must not produce samples: %v", out.labels())
	}
}

func TestFlowControlStopTest(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 2, 0, "-1", "", get(srv, "a", "/a"), flowAction("stop test", 0, 2, "0")))
	run(t, xml, nil)
	if n := len(srv.requests()); n < 1 || n > 2 {
		t.Fatalf("got %d requests", n)
	}
}

func TestLegacyConditionWithUnsupportedJavaScriptIsAProblem(t *testing.T) {
	xml := planXML(tg("G", 1, 0, "1", "", ifCtrl("odd", `"${x}".someJavaOnlyMethod(1)`, false, get(nil, "a", "/a"))))
	_, err := compileXML(t, xml, Options{})
	if err == nil || !strings.Contains(err.Error(), "someJavaOnlyMethod") || !strings.Contains(err.Error(), "G > odd") {
		t.Fatalf("got %v", err)
	}
}

// A transaction cut short by a flow action takes its verdict from the last
// sample before the action (JMeter sets last_sample_ok only afterwards).
func TestTransactionInterruptedAfterFailure(t *testing.T) {
	srv := newServer(t)
	xml := planXML(tg("G", 1, 0, "1", "",
		loopCtrl("loop", "1", txCtrl("T", false, true, get(srv, "f", "/fail"), flowAction("next", 4, 0, "0"), get(srv, "never", "/never"))),
		ifCtrl("after", "${JMeterThread.last_sample_ok}", false, get(srv, "ok", "/ok-reset")),
	))
	_, out := run(t, xml, nil)
	res := out.all()
	if len(res) != 3 || res[1].Label != "T" || res[1].Success {
		t.Fatalf("transaction: %v", out.labels())
	}
	if got := joined(srv); got != "/fail,/ok-reset" {
		t.Errorf("got %s: last_sample_ok must be true again after the flow action", got)
	}
}

// "Ignore sub-controller blocks" (style 0): a simple sub-controller gives one
// sampler per interleave pass; style 1 runs the whole block.
func TestInterleaveStyles(t *testing.T) {
	for _, tc := range []struct {
		style, want string
	}{
		{"0", "/a1,/b,/a2,/b,/a1,/b"},
		{"1", "/a1,/a2,/b,/a1,/a2,/b,/a1,/a2,/b"}, // a pass runs block A, the next b
	} {
		srv := newServer(t)
		il := ctrl("InterleaveControl", "il", `<intProp name="InterleaveControl.style">`+tc.style+`</intProp>`,
			ctrl("GenericController", "A", "", get(srv, "a1", "/a1"), get(srv, "a2", "/a2")),
			get(srv, "b", "/b"))
		run(t, planXML(tg("G", 1, 0, "6", "", il)), nil)
		if got := joined(srv); got != tc.want {
			t.Errorf("style %s: got %s, want %s", tc.style, got, tc.want)
		}
	}
}

func TestInterleaveAcrossThreadsStartsAtThreadOffset(t *testing.T) {
	srv := newServer(t)
	il := ctrl("InterleaveControl", "il", `<intProp name="InterleaveControl.style">1</intProp>`+bp("InterleaveControl.accrossThreads", true),
		get(srv, "x", "/x?u=${__threadNum}"), get(srv, "y", "/y?u=${__threadNum}"))
	run(t, planXML(tg("G", 2, 0, "1", "", il)), nil)
	first := map[string]string{}
	for _, r := range srv.requests() {
		first[r.user] = r.path
	}
	if first["1"] != "/x" || first["2"] != "/y" {
		t.Errorf("first child per user: %v", first)
	}
}

// A module controller copies its target's subtree: elements inside the
// target come along, elements around it (in the target's own group) do not.
func TestModuleControllerTargetInAnotherGroup(t *testing.T) {
	srv := newServer(t)
	target := ctrl("GenericController", "Shared", "", get(srv, "s", "/shared"), headers("inner", "X-Inner", "1"))
	mod := ctrl("ModuleController", "use shared",
		`<collectionProp name="ModuleController.node_path">`+sp("1", "Test Plan")+sp("2", "Test Plan")+sp("3", "Owner")+sp("4", "Shared")+`</collectionProp>`)
	xml := planXML(
		tg("Owner", 1, 0, "1", "", headers("around", "X-Around", "1"), target),
		tg("User", 1, 0, "1", "", mod),
	)
	run(t, xml, nil)
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("got %v", srv.paths())
	}
	around := 0
	for _, r := range reqs {
		if r.header.Get("X-Inner") != "1" {
			t.Errorf("the target's own header manager must apply in both places")
		}
		if r.header.Get("X-Around") == "1" {
			around++
		}
	}
	if around != 1 {
		t.Errorf("the owner group's header manager applied %d times, want only in its own group", around)
	}
}
