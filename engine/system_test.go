package engine

import (
	"strings"
	"testing"

	"github.com/gometer/gometer/functions"
)

func osProcess(name, command string, args ...string) el {
	var items strings.Builder
	for _, a := range args {
		items.WriteString(`<elementProp name="" elementType="Argument">` + sp("Argument.name", "") + sp("Argument.value", a) + sp("Argument.metadata", "=") + `</elementProp>`)
	}
	return el{tag: "SystemSampler", gui: "SystemSamplerGui", name: name, props: sp("SystemSampler.command", command) +
		`<elementProp name="SystemSampler.arguments" elementType="Arguments"><collectionProp name="Arguments.arguments">` + items.String() + `</collectionProp></elementProp>` +
		`<elementProp name="SystemSampler.environment" elementType="Arguments"><collectionProp name="Arguments.arguments"><elementProp name="" elementType="Argument">` +
		sp("Argument.name", "DESK") + sp("Argument.value", "fx") + `</elementProp></collectionProp></elementProp>` +
		bp("SystemSampler.checkReturnCode", true) + sp("SystemSampler.expectedReturnCode", "0") + sp("SystemSampler.timeout", "")}
}

// The OS Process sampler runs a local program only when the run allows it.
func TestOSProcessSamplerNeedsPermission(t *testing.T) {
	plan := planXML(tg("ops", 1, 0, "1", "",
		osProcess("echo", "sh", "-c", "echo desk=$DESK; echo args=$0", "first"),
		osProcess("fails", "sh", "-c", "exit 3"),
		osProcess("missing", "/nonexistent/tool")))
	_, err := compileXML(t, plan, Options{Props: functions.NewProperties()})
	if err == nil || !strings.Contains(err.Error(), "gometer.allow_commands=true") || !strings.Contains(err.Error(), `"sh"`) {
		t.Fatalf("a plan that runs programs compiled without permission: %v", err)
	}
	_, out := run(t, plan, map[string]string{"gometer.allow_commands": "true"})
	got := map[string]string{}
	for _, r := range out.all() {
		got[r.Label] = r.ResponseCode + "|" + r.ResponseMessage + "|" + string(r.Body)
	}
	if got["echo"] != "0|OK|desk=fx\nargs=first\n" {
		t.Errorf("echo: %q", got["echo"])
	}
	if got["fails"] != "3|Unexpected return code.  Expected [0]. Actual [3].|" {
		t.Errorf("fails: %q", got["fails"])
	}
	if !strings.HasPrefix(got["missing"], "500|Exception occurred whilst executing system call: ") {
		t.Errorf("missing: %q", got["missing"])
	}
}
