package main

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The Flexible File Writer writes, after what the file held (overwrite is
// off), its header, one row per sample in its record format and its footer;
// every row agrees with the JTL of the same run.
func TestFlexibleFileWriter(t *testing.T) {
	rec := newRecorder(t, nil)
	dir := t.TempDir()
	ffw := filepath.Join(dir, "ffw.tsv")
	if err := os.WriteFile(ffw, []byte("earlier run\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	jtl := filepath.Join(dir, "run.jtl")
	res := runGometer(t, dir, 60*time.Second, "-n", "-t", repoFile("testdata", "plugins", "flexfile.jmx"), "-l", jtl,
		"-Jport="+rec.port(), "-Jffw="+ffw, "-Jsample_variables=who")
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	data, err := os.ReadFile(ffw)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	const head = "earlier run\nstart\telapsed\tcode\tlabel\tok\tbody\twho\r\n"
	if !strings.HasPrefix(text, head) || !strings.HasSuffix(text, "end\r\n") {
		t.Fatalf("file does not keep the earlier content, then header … footer:\n%q", text)
	}
	rows := strings.Split(strings.TrimSuffix(strings.TrimPrefix(text, head), "end\r\n"), "\r\n")
	if rows[len(rows)-1] != "" {
		t.Fatalf("last row not ended by \\r\\n: %q", text)
	}
	rows = rows[:len(rows)-1]
	_, jrows := readJTL(t, jtl)
	bodies := map[string]int{"item": len(`{"ok":true}`), "missing": len("404 page not found\n")}
	var want []string
	for _, r := range jrows {
		ok := "0"
		if r["success"] == "true" {
			ok = "1"
		}
		want = append(want, strings.Join([]string{r["timeStamp"], r["elapsed"], r["responseCode"], r["label"], ok,
			strconv.Itoa(bodies[r["label"]]), "alice"}, "\t"))
	}
	sort.Strings(rows)
	sort.Strings(want)
	if len(rows) != 8 || strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows\n%s\nwant (from the JTL)\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}
