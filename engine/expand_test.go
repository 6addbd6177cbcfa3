package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
)

// moduleBomb is a plan of a few kilobytes whose Module Controllers expand
// to fan^levels copies of one sampler: fragment Lk holds fan modules that
// each copy L(k-1).
func moduleBomb(srv *server, fan, levels int) string {
	modPath := func(name string) string {
		return `<collectionProp name="ModuleController.node_path">` + sp("1", "Test Plan") + sp("2", "Test Plan") + sp("3", name) + `</collectionProp>`
	}
	kids := []el{ctrl("TestFragmentController", "L0", "", get(srv, "leaf", "/leaf"))}
	for k := 1; k <= levels; k++ {
		var mods []el
		for i := 0; i < fan; i++ {
			mods = append(mods, ctrl("ModuleController", fmt.Sprintf("L%d copy %d", k, i+1), modPath(fmt.Sprintf("L%d", k-1))))
		}
		kids = append(kids, ctrl("TestFragmentController", fmt.Sprintf("L%d", k), "", mods...))
	}
	top := ctrl("ModuleController", "use the top", modPath(fmt.Sprintf("L%d", levels)))
	return planXML(append([]el{tg("G", 1, 0, "1", "", top)}, kids...)...)
}

// A few kilobytes of modules expanding to 10^6 copies are refused at load,
// quickly, naming the chain of modules that explodes and the property.
func TestModuleExpansionIsBounded(t *testing.T) {
	xml := moduleBomb(nil, 10, 6)
	if len(xml) > 30_000 {
		t.Fatalf("the plan is %d bytes", len(xml))
	}
	start := time.Now()
	_, err := compileXML(t, xml, Options{})
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("compiling took %v", d)
	}
	if !errors.Is(err, ErrPlanTooLarge) && (err == nil || !strings.Contains(err.Error(), ErrPlanTooLarge.Error())) {
		t.Fatalf("got %v", err)
	}
	for _, w := range []string{"more than 50000", PropMaxPlanElements, "G > use the top (line", "L6 > L6 copy 1 (line", "→"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("the error does not say %q: %v", w, err)
		}
	}
	// within the limit, the same shape runs
	srv := newServer(t)
	run(t, moduleBomb(srv, 3, 3), nil)
	if n := len(srv.requests()); n != 27 {
		t.Errorf("%d requests, want 27", n)
	}
	p := functions.NewProperties()
	p.Set(PropMaxPlanElements, "20")
	if _, err := compileXML(t, moduleBomb(nil, 3, 3), Options{Props: p}); err == nil || !strings.Contains(err.Error(), "more than 20 (property "+PropMaxPlanElements+")") {
		t.Errorf("limit 20: %v", err)
	}
}

// A file included many times is parsed once; each include still gets its
// own copy of the elements (a counter in it counts per include).
func TestIncludedFileParsedOnce(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	counter := el{tag: "CounterConfig", gui: "CounterConfigGui", name: "n",
		props: sp("CounterConfig.start", "1") + sp("CounterConfig.incr", "1") + sp("CounterConfig.name", "n") + bp("CounterConfig.per_user", false)}
	inc := planXML(ctrl("TestFragmentController", "frag", "", counter, get(srv, "inc", "/inc/${n}")))
	if err := os.WriteFile(filepath.Join(dir, "inc.jmx"), []byte(inc), 0o644); err != nil {
		t.Fatal(err)
	}
	var includes []el
	for i := 0; i < 30; i++ {
		includes = append(includes, ctrl("IncludeController", fmt.Sprintf("include %d", i), sp("IncludeController.includepath", filepath.Join(dir, "inc.jmx"))))
	}
	tst, _ := run(t, planXML(tg("G", 1, 0, "2", "", includes...)), nil)
	if tst.includesParsed != 1 {
		t.Errorf("the included file was parsed %d times", tst.includesParsed)
	}
	paths := srv.paths()
	if len(paths) != 60 || paths[0] != "/inc/1" || paths[29] != "/inc/1" || paths[30] != "/inc/2" {
		t.Errorf("requests: %d %v", len(paths), paths[:min(len(paths), 32)])
	}
}

func TestLogLimiter(t *testing.T) {
	var got []string
	log := limitLog(func(level, msg string) { got = append(got, level+" "+msg) })
	for i := 0; i < 1000; i++ {
		log("ERROR", "same")
	}
	log("ERROR", "other")
	if len(got) != 7 || got[3] != "ERROR same (the same line 10 times; repeats are shown at 10, 100, 1000 …)" ||
		!strings.HasPrefix(got[5], "ERROR same (the same line 1000 times") || got[6] != "ERROR other" {
		t.Errorf("got %d lines: %q", len(got), got)
	}
}
