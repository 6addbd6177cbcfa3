package engine

import (
	"github.com/gometer/gometer/output"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// JMeter's IncludeController opens includecontroller.prefix + path as given
// (relative to the working directory) and, when that file does not exist,
// the path without the prefix beside the plan.
func TestIncludeControllerPrefix(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, prefix, path string }{
		{"prefix missing: path beside the plan", "nowhere/", "sub/inc.jmx"},
		{"absolute prefix", filepath.Join(dir, "sub") + string(filepath.Separator), "inc.jmx"},
	} {
		srv := newServer(t)
		inc := planXML(ctrl("TestFragmentController", "frag", "", get(srv, "inc", "/included")))
		if err := os.WriteFile(filepath.Join(dir, "sub", "inc.jmx"), []byte(inc), 0o644); err != nil {
			t.Fatal(err)
		}
		xml := planXML(tg("G", 1, 0, "1", "", ctrl("IncludeController", "include", sp("IncludeController.includepath", c.path)), get(srv, "main", "/main")))
		plan, err := jmx.Parse([]byte(xml), filepath.Join(dir, "plan.jmx"))
		if err != nil {
			t.Fatal(err)
		}
		props := functions.NewProperties()
		props.Set("includecontroller.prefix", c.prefix)
		tst, err := Compile(plan, Options{Props: props, Outputs: []output.Output{&sink{}}})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := tst.Run(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(srv.paths(), ","); got != "/included,/main" {
			t.Errorf("%s: %s", c.name, got)
		}
	}
}

// An included plan missing at the path the plan gives (its author's
// machine) is a located error saying what was tried and how to point to
// it; gometer.data_dir finds it by base name and the plan runs.
func TestIncludedPlanFromDataDir(t *testing.T) {
	dir, data := t.TempDir(), t.TempDir()
	srv := newServer(t)
	inc := planXML(ctrl("TestFragmentController", "frag", "", get(srv, "inc", "/included")))
	if err := os.WriteFile(filepath.Join(data, "Login Steps.jmx"), []byte(inc), 0o644); err != nil {
		t.Fatal(err)
	}
	xml := planXML(tg("G", 1, 0, "1", "", ctrl("IncludeController", "include",
		sp("IncludeController.includepath", `C:\Users\ada\perf\Login Steps.jmx`)), get(srv, "main", "/main")))
	plan, err := jmx.Parse([]byte(xml), filepath.Join(dir, "plan.jmx"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(plan, Options{Outputs: []output.Output{&sink{}}})
	if err == nil || !strings.Contains(err.Error(), `included plan "C:\\Users\\ada\\perf\\Login Steps.jmx" not found`) ||
		!strings.Contains(err.Error(), "--data-dir") || !strings.Contains(err.Error(), "plan.jmx:") {
		t.Fatalf("without a data dir: %v", err)
	}
	props := functions.NewProperties()
	props.Set("gometer.data_dir", data)
	tst, err := Compile(plan, Options{Props: props, Outputs: []output.Output{&sink{}}})
	if err != nil {
		t.Fatalf("with gometer.data_dir: %v", err)
	}
	if err := tst.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(srv.paths(), ","); got != "/included,/main" {
		t.Errorf("got %s", got)
	}
}
