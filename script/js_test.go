package script_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/script"
)

func newEnv() (*script.Env, *functions.Vars, *functions.Properties) {
	vars, props := functions.NewVars(), functions.NewProperties()
	return &script.Env{Vars: vars, Props: props, ThreadNum: 2, ThreadName: "g 1-2", GroupName: "g", Iteration: 3}, vars, props
}

func TestJavaScriptBindings(t *testing.T) {
	env, vars, props := newEnv()
	vars.Put("user", "ann")
	props.Set("shared", "p1")
	prev := &sample.Result{Label: "login", ResponseCode: "200", Success: true, Body: []byte(`{"token":"t-42"}`)}
	env.Prev = prev
	p, err := script.Compile(script.JavaScript, "js", `
		var tok = JSON.parse(prev.getResponseDataAsString()).token;
		vars.put("token", tok);
		vars.put("who", vars.get("user") + "/" + ctx.getThreadNum() + "/" + vars.getIteration());
		props.put("seen", props.get("shared") + "!");
		prev.setSampleLabel("renamed");
		prev.setSuccessful(false);
		vars.get("missing") === null ? "null-ok" : "bad";
	`)
	if err != nil {
		t.Fatal(err)
	}
	g := map[string]any{}
	env.Bind(g, "el", "", "a b")
	out, err := p.Run(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	if out != "null-ok" {
		t.Errorf("result %v", out)
	}
	for k, want := range map[string]string{"token": "t-42", "who": "ann/1/3"} {
		if got, _ := vars.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if got, _ := props.Get("seen"); got != "p1!" {
		t.Errorf("props seen = %q", got)
	}
	if prev.Label != "renamed" || prev.Success {
		t.Errorf("prev not changed: %+v", prev)
	}
}

func TestJavaScriptGlobalsDoNotLeakBetweenRuns(t *testing.T) {
	env, _, _ := newEnv()
	p, err := script.Compile(script.JavaScript, "js", `var n = (typeof n === "undefined") ? 1 : n + 1; n`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		g := map[string]any{}
		env.Bind(g, "el", "", "")
		out, err := p.Run(context.Background(), g)
		if err != nil || out != "1" {
			t.Fatalf("run %d: %v %v", i, out, err)
		}
	}
}

func TestJavaScriptErrorsAreLocated(t *testing.T) {
	_, err := script.Compile(script.JavaScript, "js", "var a = 1;\nvar b = ;\n")
	var ce *script.CompileError
	if !errors.As(err, &ce) || ce.Line != 2 || ce.Col == 0 {
		t.Fatalf("want a located compile error, got %#v", err)
	}
	p, err := script.Compile(script.JavaScript, "js", "var a = 1;\nnull.x;\n")
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Run(context.Background(), map[string]any{})
	var re *script.RunError
	if !errors.As(err, &re) || re.Class != "TypeError" || re.Line != 2 {
		t.Fatalf("want a TypeError at line 2, got %#v", err)
	}
}

func TestJavaScriptEndlessLoopStopsWithContext(t *testing.T) {
	p, err := script.Compile(script.JavaScript, "js", "while (true) {}")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := p.Run(ctx, map[string]any{}); done <- err }()
	cancel()
	select {
	case err := <-done:
		if !script.Stopped(err) {
			t.Fatalf("want stopped, got %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("script not stopped")
	}
}

func TestSamplerChangesAreNamedAtCompile(t *testing.T) {
	if _, err := script.Compile(script.JavaScript, "js", "sampler.setPath('/x'); sampler.getArguments().removeArgument('a');"); err != nil {
		t.Fatalf("a change gometer makes is refused: %v", err)
	}
	_, err := script.Compile(script.JavaScript, "js", "var x = 1;\n  sampler.setImageParser(true);")
	var ce *script.CompileError
	if !errors.As(err, &ce) || ce.Line != 2 || ce.Col != 3 || ce.Construct != "sampler.setImageParser" {
		t.Fatalf("got %#v", err)
	}
	if !strings.Contains(err.Error(), "line 2:3") {
		t.Errorf("message %q", err)
	}
}

func TestJavaScriptTopLevelDeclarationsRunAgain(t *testing.T) {
	for _, src := range []string{"let x = 1; x", "const y = 2; y", "function f() { return 3 } f()"} {
		p, err := script.Compile(script.JavaScript, "js", src)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			if _, err := p.Run(context.Background(), map[string]any{}); err != nil {
				t.Fatalf("%q run %d: %v", src, i, err)
			}
		}
	}
}
