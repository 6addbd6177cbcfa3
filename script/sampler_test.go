package script_test

import (
	"context"
	"testing"

	"github.com/gometer/gometer/script"
)

func TestSamplerBindingChangesTheRequest(t *testing.T) {
	env, vars, _ := newEnv()
	req := &script.HTTPRequest{Method: "GET", Path: "/a"}
	req.Args = script.NewArguments(req, []*script.Argument{{Name: "keep", Value: "1", Meta: "=", Encode: true, Orig: 0}})
	env.Request = func() *script.HTTPRequest { return req }
	env.SamplerName = "s"
	p, err := script.Compile(script.Groovy, "g", `
		sampler.setPath("/b?q=a%20b&flag&=skipped")
		sampler.setProtocol("HTTPS")
		sampler.addNonEncodedArgument("raw", "x%20y", "=")
		vars.put("n", String.valueOf(sampler.getArguments().getArgumentCount()))
		vars.put("port", String.valueOf(sampler.getPort()))
		vars.put("hm", String.valueOf(sampler.getHeaderManager()))`)
	if err != nil {
		t.Fatal(err)
	}
	g := map[string]any{}
	env.Bind(g, "el", "", "")
	if _, err := p.Run(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	if !req.Changed || req.Path != "/b" || req.Protocol != "https" {
		t.Errorf("request %+v", req)
	}
	var got []string
	for _, a := range req.Args.List {
		got = append(got, a.Name+a.Meta+a.Value)
	}
	if want := "keep=1 q=a b flag raw=x%20y"; join(got) != want {
		t.Errorf("arguments %q, want %q", join(got), want)
	}
	for k, want := range map[string]string{"n": "4", "port": "443", "hm": "null"} {
		if v, _ := vars.Get(k); v != want {
			t.Errorf("%s = %q, want %q", k, v, want)
		}
	}
}

// A sampler that is not HTTP reads as empty and ignores changes.
func TestSamplerBindingWithoutHTTPRequest(t *testing.T) {
	env, vars, _ := newEnv()
	env.SamplerName = "jdbc"
	p, err := script.Compile(script.Groovy, "g", `sampler.setPath("/x"); sampler.addArgument("a", "b"); vars.put("p", sampler.getPath() + "|" + sampler.getName())`)
	if err != nil {
		t.Fatal(err)
	}
	g := map[string]any{}
	env.Bind(g, "el", "", "")
	if _, err := p.Run(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	if v, _ := vars.Get("p"); v != "|jdbc" {
		t.Errorf("p = %q", v)
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}
