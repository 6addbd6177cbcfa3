package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
)

// jsr is a JSR223 element in JavaScript (runs without the Java interpreter).
func jsr(class, name, src string, kids ...el) el {
	return el{tag: class, gui: "TestBeanGUI", name: name, kids: kids,
		props: sp("scriptLanguage", "javascript") + sp("parameters", "p1 p2") + sp("filename", "") + sp("cacheKey", "true") + sp("script", src)}
}

func TestScriptElementsRunWithJMeterSemantics(t *testing.T) {
	srv := newServer(t)
	plan := planXML(tg("g", 1, 0, "2", "",
		jsr("JSR223PreProcessor", "pre", `vars.put("it", "" + vars.getIteration()); vars.put("a0", args[0]);`),
		get(srv, "first", "/one?it=${it}&a=${a0}",
			jsr("JSR223PostProcessor", "post", `vars.put("code", prev.getResponseCode()); prev.setSampleLabel("first-" + vars.get("it"));`),
			jsr("JSR223Assertion", "check", `if (vars.get("it") == "2") { AssertionResult.setFailure(true); AssertionResult.setFailureMessage("second pass"); }`)),
		jsr("JSR223Sampler", "made", `SampleResult.setResponseCode("201"); "body " + vars.get("code")`),
		jsr("JSR223Sampler", "hidden", `SampleResult.setIgnore(); "x"`),
		jsr("JSR223Sampler", "throws", `null.x`),
		get(srv, "after", "/two?c=${code}",
			jsr("JSR223Assertion", "broken", `undefinedThing.call()`)),
	))
	_, out := run(t, plan, nil)
	res := out.all()
	var got []string
	for _, r := range res {
		got = append(got, r.Label+"|"+r.ResponseCode+"|"+map[bool]string{true: "ok", false: "fail"}[r.Success]+"|"+r.FailureMessage())
	}
	want := []string{
		"first-1|200|ok|", "made|201|ok|", "throws|500|fail|", "after|200|fail|javax.script.ScriptException: ReferenceError: undefinedThing is not defined",
		"first-2|200|fail|second pass", "made|201|ok|", "throws|500|fail|", "after|200|fail|javax.script.ScriptException: ReferenceError: undefinedThing is not defined",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("samples:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if b := string(res[1].Body); b != "body 200" {
		t.Errorf("sampler body %q", b)
	}
	if !strings.HasPrefix(res[2].ResponseMessage, "javax.script.ScriptException: TypeError") {
		t.Errorf("failed sampler message %q", res[2].ResponseMessage)
	}
	reqs := srv.requests()
	if len(reqs) != 4 || reqs[0].query.Get("it") != "1" || reqs[0].query.Get("a") != "p1" || reqs[1].query.Get("c") != "200" {
		t.Errorf("requests %+v", reqs)
	}
}

func TestScriptTimerAndTemplateText(t *testing.T) {
	srv := newServer(t)
	plan := planXML(tg("g", 1, 0, "3", "",
		jsr("JSR223Timer", "wait", `vars.put("waited", "yes"); 5`),
		el{tag: "JSR223Sampler", gui: "TestBeanGUI", name: "tpl", props: sp("scriptLanguage", "javascript") + sp("cacheKey", "false") + sp("script", `"n=${__counter(TRUE)}"`)},
		get(srv, "req", "/t?w=${waited}"),
	))
	_, out := run(t, plan, nil)
	var bodies []string
	for _, r := range out.all() {
		if r.Label == "tpl" {
			bodies = append(bodies, string(r.Body))
		}
	}
	if strings.Join(bodies, ",") != "n=1,n=2,n=3" {
		t.Errorf("substituted script bodies %v", bodies)
	}
	if q := srv.requests()[0].query.Get("w"); q != "yes" {
		t.Errorf("timer script did not run: %q", q)
	}
}

func TestCachedScriptKeepsFirstSubstitutionPerUser(t *testing.T) {
	// JMeter compiles a cached JSR223 script once per thread: ${} in its
	// text is substituted on the first run only.
	plan := planXML(tg("g", 1, 0, "2", "",
		el{tag: "JSR223Sampler", gui: "TestBeanGUI", name: "tpl", props: sp("scriptLanguage", "javascript") + sp("cacheKey", "true") + sp("script", `"n=${__counter(TRUE)}"`)},
	))
	_, out := run(t, plan, nil)
	var bodies []string
	for _, r := range out.all() {
		bodies = append(bodies, string(r.Body))
	}
	if strings.Join(bodies, ",") != "n=1,n=1" {
		t.Errorf("bodies %v", bodies)
	}
}

func TestScriptCompileErrorIsLocated(t *testing.T) {
	plan := planXML(tg("g", 1, 0, "1", "",
		jsr("JSR223PostProcessor", "bad", "var a = 1;\nvar = ;"),
	))
	_, err := compileXML(t, plan, Options{})
	var probs Problems
	if !errors.As(err, &probs) || len(probs) != 1 {
		t.Fatalf("want one problem, got %v", err)
	}
	p := probs[0]
	if p.Path == "" || p.Line == 0 || !strings.Contains(p.Msg, "line 2:") || p.Script != "javascript" {
		t.Errorf("problem %+v", p)
	}
	tst, err := compileXML(t, plan, Options{SkipUnsupported: true})
	if err != nil || len(tst.Warnings()) != 1 {
		t.Fatalf("skip: %v %v", err, tst)
	}
}

func TestScriptStuckInLoopIsStoppedWithTheTest(t *testing.T) {
	plan := planXML(tg("g", 1, 0, "1", "",
		jsr("JSR223Sampler", "spin", `while (true) {}`),
	))
	out := &sink{}
	tst, err := compileXML(t, plan, Options{Outputs: []output.Output{out}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- tst.Run(context.Background()) }()
	for a, _, _ := tst.Counts(); a == 0; a, _, _ = tst.Counts() {
		runtime.Gosched() // wait until the user is in its script
	}
	tst.StopNow()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the run did not stop")
	}
}

func TestScriptFromFile(t *testing.T) {
	srv := newServer(t)
	fileEl := func(name string) el {
		return el{tag: "JSR223PreProcessor", gui: "TestBeanGUI", name: "from file",
			props: sp("scriptLanguage", "groovy") + sp("filename", name) + sp("parameters", "a b") + sp("script", "ignored(")}
	}
	plan := planXML(tg("g", 1, 0, "1", "", get(srv, "req", "/f?v=${fromFile}", fileEl("pre.groovy"))))
	planPath := filepath.Join(t.TempDir(), "plan.jmx")
	if err := os.WriteFile(filepath.Join(filepath.Dir(planPath), "pre.groovy"), []byte(`vars.put("fromFile", FileName + ":" + args[1])`), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := jmx.Parse([]byte(plan), planPath)
	if err != nil {
		t.Fatal(err)
	}
	tst, err := Compile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tst.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := srv.requests()[0].query.Get("v"); got != "pre.groovy:b" {
		t.Errorf("script file not run: v=%q", got)
	}
	// a missing file is a load error naming it, also with SkipUnsupported
	missing := planXML(tg("g", 1, 0, "1", "", get(srv, "req", "/f", fileEl("nope.groovy"))))
	for _, skip := range []bool{false, true} {
		if _, err := compileXML(t, missing, Options{SkipUnsupported: skip}); err == nil || !strings.Contains(err.Error(), "nope.groovy") {
			t.Errorf("skip=%v: missing script file: %v", skip, err)
		}
	}
}

func TestScriptRenamesTheSample(t *testing.T) {
	srv := newServer(t)
	plan := planXML(tg("g", 1, 0, "2", "",
		get(srv, "plain", "/r", jsr("JSR223PreProcessor", "rename", `sampler.setName("renamed-" + vars.getIteration())`)),
		get(srv, "next", "/n"),
	))
	_, out := run(t, plan, nil)
	if got := strings.Join(out.labels(), ","); got != "renamed-1,next,renamed-2,next" {
		t.Errorf("labels %s", got)
	}
}

// A script whose regex runs out of the run's budget
// (gometer.regex_match_timeout_ms) fails as a script exception does for
// its element kind: the JSR223 Sampler's sample fails naming the pattern.
func TestScriptRegexOverBudgetFailsTheSample(t *testing.T) {
	groovy := func(class, name, src string) el {
		return el{tag: class, gui: "TestBeanGUI", name: name,
			props: sp("scriptLanguage", "groovy") + sp("parameters", "") + sp("filename", "") + sp("cacheKey", "true") + sp("script", src)}
	}
	plan := planXML(tg("g", 1, 0, "1", "",
		groovy("JSR223Sampler", "runaway", `def s = "a" * 26 + "b"; s ==~ /(a+)+$/ ? "match" : "no match"`),
		groovy("JSR223Sampler", "quick", `("a" * 8) ==~ /(a+)+$/ ? "match" : "no match"`),
	))
	_, out := run(t, plan, map[string]string{"gometer.regex_match_timeout_ms": "40"})
	res := out.all()
	if len(res) != 2 {
		t.Fatalf("%d samples", len(res))
	}
	if r := res[0]; r.Success || !strings.Contains(r.ResponseMessage, "java.lang.RuntimeException") ||
		!strings.Contains(r.ResponseMessage, "(a+)+$") || !strings.Contains(r.ResponseMessage, "40ms") {
		t.Errorf("runaway: success %v, message %q", r.Success, r.ResponseMessage)
	}
	if r := res[1]; !r.Success || string(r.Body) != "match" {
		t.Errorf("quick: success %v, body %q (%s)", r.Success, r.Body, r.ResponseMessage)
	}
}

// A Java-family script read from a file fails as BeanShell names such a
// script: a BeanShell element sources the file by its name, BeanShell's
// JSR223 engine reads it as "eval stream". A failing pre-processor is
// logged with that text and its line, and the sample goes on.
func TestBeanShellScriptFileErrors(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	script := "int a = 1;\nInteger.parseInt(\"q\");\n"
	for _, f := range []string{"fail.bsh", "fail.java"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bshSampler := el{tag: "BeanShellSampler", gui: "BeanShellSamplerGui", name: "bsh file",
		props: sp("BeanShellSampler.query", "") + sp("BeanShellSampler.filename", "fail.bsh") + sp("BeanShellSampler.parameters", "")}
	javaSampler := el{tag: "JSR223Sampler", gui: "TestBeanGUI", name: "java file",
		props: sp("scriptLanguage", "java") + sp("filename", "fail.java") + sp("parameters", "") + sp("cacheKey", "true") + sp("script", "")}
	pre := el{tag: "BeanShellPreProcessor", gui: "TestBeanGUI", name: "pre",
		props: sp("filename", "") + sp("parameters", "") + sp("script", "vars.put(\"a\", \"1\");\nString s = null;\ns.length();")}
	plan := planXML(tg("g", 1, 0, "1", "", bshSampler, javaSampler, get(srv, "after", "/x?a=${a}", pre)))
	planPath := filepath.Join(dir, "plan.jmx")
	p, err := jmx.Parse([]byte(plan), planPath)
	if err != nil {
		t.Fatal(err)
	}
	var logs []string
	out := &sink{}
	tst, err := Compile(p, Options{Outputs: []output.Output{out}, Log: func(level, msg string) { logs = append(logs, level+" "+msg) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := tst.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"bsh file": "org.apache.jorphan.util.JMeterException: Error invoking bsh method: source\tSourced file: fail.bsh : Method Invocation Integer.parseInt",
		"java file": "javax.script.ScriptException: Sourced file: eval stream : Method Invocation Integer.parseInt : at Line: 2 : in file: eval stream : Integer .parseInt ( \"q\" ) \n\n" +
			"Target exception: java.lang.NumberFormatException: For input string: \"q\"\n in eval stream at line number 2",
	}
	for _, r := range out.all() {
		if w, ok := want[r.Label]; ok {
			if r.ResponseCode != "500" || r.Success || r.ResponseMessage != w {
				t.Errorf("%s: %s %v %q\nwant message %q", r.Label, r.ResponseCode, r.Success, r.ResponseMessage, w)
			}
			delete(want, r.Label)
		}
	}
	if len(want) > 0 {
		t.Errorf("samples missing: %v", want)
	}
	if got := srv.requests(); len(got) != 1 || got[0].query.Get("a") != "1" {
		t.Errorf("the sample after the failing pre-processor: %v", got)
	}
	log := strings.Join(logs, "\n")
	if !strings.Contains(log, "Problem in BeanShell element named: 'pre': org.apache.jorphan.util.JMeterException: Error invoking bsh method: eval\tSourced file: inline evaluation of: ``vars.put(\"a\", \"1\"); String s = null; s.length();'' (script line 3:3)") {
		t.Errorf("pre-processor failure not logged as BeanShell says it:\n%s", log)
	}
}
