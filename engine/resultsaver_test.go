package engine

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
)

func saverEl(name string, kv ...string) el {
	var props strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		props.WriteString(sp(kv[i], kv[i+1]))
	}
	return el{tag: "ResultSaver", gui: "ResultSaverGui", name: name, props: props.String()}
}

// contentTypes makes the test server answer /evil with a Content-Type that
// tries to climb out of the saver's folder, and /j with JSON.
func contentTypes(srv *server) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	srv.handler = func(w http.ResponseWriter, r *http.Request) bool {
		switch r.URL.Path {
		case "/evil":
			w.Header().Set("Content-Type", "text/../../../evil\x00x; charset=utf-8")
		case "/j":
			w.Header().Set("Content-Type", "application/json")
		default:
			return false
		}
		w.Write([]byte("body of " + r.URL.Path))
		return true
	}
}

func TestResultSaverNumbersAcrossUsersAndSanitisesTheSuffix(t *testing.T) {
	srv := newServer(t)
	contentTypes(srv)
	dir := t.TempDir()
	saver := saverEl("save", "FileSaver.filename", "${__P(dir)}/out/r_", "FileSaver.numberPadLen", "4", "FileSaver.variablename", "file")
	xml := planXML(tg("G", 5, 0, "2", "", get(srv, "evil", "/evil"), get(srv, "j", "/j", saver),
		get(srv, "echo", "/echo?f=${file}")))
	// the saver is scoped to the /j sampler only
	_, out := run(t, xml, map[string]string{"dir": dir})
	files, _ := filepath.Glob(filepath.Join(dir, "out", "*"))
	sort.Strings(files)
	if len(files) != 10 {
		t.Fatalf("files %v", files)
	}
	for i, f := range files {
		want := filepath.Join(dir, "out", "r_"+leftPad(i+1)+".json")
		if f != want {
			t.Fatalf("file %d: %s, want %s", i, f, want)
		}
		if b, _ := os.ReadFile(f); string(b) != "body of /j" {
			t.Fatalf("%s holds %q", f, b)
		}
	}
	saved := 0
	for _, r := range out.all() {
		if r.Label == "j" {
			saved++
			if !strings.HasPrefix(r.ResultFileName, filepath.Join(dir, "out", "r_")) {
				t.Fatalf("result file name %q", r.ResultFileName)
			}
		}
	}
	if saved != 10 {
		t.Fatalf("%d samples saved", saved)
	}
	for _, rq := range srv.requests() {
		if rq.path == "/echo" && !strings.HasPrefix(rq.query.Get("f"), filepath.Join(dir, "out", "r_")) {
			t.Fatalf("variable file = %q", rq.query.Get("f"))
		}
	}

	// A Content-Type cannot name a file outside the prefix's folder.
	evilDir := t.TempDir()
	saver = saverEl("save", "FileSaver.filename", "${__P(dir)}/e")
	run(t, planXML(tg("G", 1, 0, "1", "", get(srv, "evil", "/evil", saver))), map[string]string{"dir": evilDir})
	got, _ := filepath.Glob(filepath.Join(evilDir, "*"))
	if len(got) != 1 || filepath.Base(got[0]) != "e1..._.._.._evil_x" {
		t.Fatalf("files %v", got)
	}
}

func leftPad(n int) string {
	s := "000" + string(rune('0'+n/10)) + string(rune('0'+n%10))
	return s[len(s)-4:]
}

func TestResultSaverOptions(t *testing.T) {
	srv := newServer(t)
	contentTypes(srv)
	dir := t.TempDir()
	xml := planXML(tg("G", 1, 0, "1", "",
		get(srv, "ok", "/j", saverEl("errors", "FileSaver.filename", "${__P(dir)}/err_", "FileSaver.errorsonly", "true")),
		get(srv, "bad", "/fail", saverEl("errors", "FileSaver.filename", "${__P(dir)}/err_", "FileSaver.errorsonly", "true"),
			saverEl("stamp", "FileSaver.filename", "${__P(dir)}/ts_", "FileSaver.addTimstamp", "true", "FileSaver.skipsuffix", "true")),
		get(srv, "fixed", "/j", saverEl("fixed", "FileSaver.filename", "${__P(dir)}/fixed.txt", "FileSaver.skipautonumber", "true", "FileSaver.skipsuffix", "true")),
	))
	run(t, xml, map[string]string{"dir": dir})
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	// the /fail answer has no Content-Type of its own: Go's server sniffs text/plain
	if len(names) != 3 || names[0] != "err_1.plain" || names[1] != "fixed.txt" || !regexp.MustCompile(`^ts_\d{8}-\d{4}_1$`).MatchString(names[2]) {
		t.Fatalf("files %v", names)
	}
}

func TestResultSaverRelativePrefixIsUnderThePlanFolder(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	xml := planXML(tg("G", 1, 0, "1", "", get(srv, "a", "/a", saverEl("rel", "FileSaver.filename", "responses/a_"))))
	plan, err := jmx.Parse([]byte(xml), filepath.Join(dir, "plan.jmx"))
	if err != nil {
		t.Fatal(err)
	}
	tst, err := Compile(plan, Options{Props: functions.NewProperties(), Outputs: []output.Output{&sink{}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := tst.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "responses", "a_1.plain")); err != nil {
		t.Fatal(err)
	}
}

func TestResultSaverFolderThatCannotBeMadeStopsTheTest(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	xml := planXML(tg("G", 1, 0, "5", "", get(srv, "a", "/a", saverEl("bad", "FileSaver.filename", "${__P(dir)}/file/sub/a_"))))
	_, out := run(t, xml, map[string]string{"dir": dir})
	if n := len(out.all()); n != 1 {
		t.Fatalf("%d samples; the test should stop after the first", n)
	}
}
