package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
)

func csvDataSet(filename string) el {
	return el{tag: "CSVDataSet", gui: "TestBeanGUI", name: "users", props: sp("filename", filename) + sp("variableNames", "user") +
		sp("delimiter", ",") + bp("recycle", true) + bp("stopThread", false) + sp("shareMode", "shareMode.all")}
}

// A data file named by its author's path: the message says what was tried,
// where a file of that name exists and how to point the plan to it;
// gometer.data_dir finds it by base name and the plan runs.
func TestMissingDataFileHelpAndDataDir(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "users.csv"), []byte("beside\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "users.csv"), []byte("ada\nbob\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	compile := func(filename string, props map[string]string) (*Test, error) {
		xml := planXML(tg("g", 1, 0, "2", "", csvDataSet(filename), get(srv, "u", "/u/${user}")))
		plan, err := jmx.Parse([]byte(xml), filepath.Join(dir, "plan.jmx"))
		if err != nil {
			t.Fatal(err)
		}
		p := functions.NewProperties()
		for k, v := range props {
			p.Set(k, v)
		}
		return Compile(plan, Options{Props: p, Outputs: []output.Output{&sink{}}})
	}

	_, err := compile("C:/Users/ada/perf/users.csv", nil)
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 {
		t.Fatalf("want one problem, got %v", err)
	}
	msg := ps[0].Msg
	for _, want := range []string{`"C:/Users/ada/perf/users.csv" not found`, "tried ", "beside the plan: " + filepath.Join(dir, "users.csv"), "--data-dir"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}

	// a name from a property: the message gives the -J override
	_, err = compile("${__P(csv,/Users/ada/users.csv)}", nil)
	if !errors.As(err, &ps) || !strings.Contains(ps[0].Msg, "property csv: run with -Jcsv=<path> (e.g. -Jcsv="+filepath.Join(dir, "users.csv")+")") {
		t.Errorf("property hint missing: %v", err)
	}
	if _, err := compile("${__P(csv,/Users/ada/users.csv)}", map[string]string{"csv": "users.csv"}); err != nil {
		t.Errorf("-Jcsv=users.csv (beside the plan): %v", err)
	}

	// a property with no default and not set: the plan expects -J, the
	// file is looked for when it runs
	if _, err := compile("${__P(csvfile)}", nil); err != nil {
		t.Errorf("${__P(csvfile)} unset: %v", err)
	}

	// the data folder, by base name
	tst, err := compile(`C:\Users\ada\perf\users.csv`, map[string]string{"gometer.data_dir": data})
	if err != nil {
		t.Fatalf("with gometer.data_dir: %v", err)
	}
	if err := tst.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := srv.paths(); strings.Join(got, " ") != "/u/ada /u/bob" {
		t.Errorf("requests %v, want the data folder's rows", got)
	}

	// still missing there: both paths named
	_, err = compile("/nowhere/other.csv", map[string]string{"gometer.data_dir": data})
	if !errors.As(err, &ps) || !strings.Contains(ps[0].Msg, "then "+filepath.Join(data, "other.csv")) {
		t.Errorf("data dir not named: %v", err)
	}
}

// The plugin data elements find their files in gometer.data_dir too.
func TestDataDirForPluginDataFiles(t *testing.T) {
	srv := newServer(t)
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "vars.csv"), []byte("seg,abc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := el{tag: "kg.apc.jmeter.config.VariablesFromCSVFile", gui: "kg.apc.jmeter.config.VariablesFromCSVFileGui", name: "vars",
		props: sp("filename", `D:\perf\vars.csv`) + sp("delimiter", ",") + sp("variablesPrefix", "") + sp("skipLines", "0")}
	xml := planXML(vars, tg("g", 1, 0, "1", "", get(srv, "v", "/v/${seg}")))
	if _, err := compileXML(t, xml, Options{Props: functions.NewProperties()}); err == nil || !strings.Contains(err.Error(), `variables file "D:\\perf\\vars.csv" not found`) {
		t.Fatalf("without a data folder: %v", err)
	}
	run(t, xml, map[string]string{"gometer.data_dir": data})
	if got := srv.paths(); len(got) != 1 || got[0] != "/v/abc" {
		t.Errorf("requests %v, want /v/abc", got)
	}
}
