package engine

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gometer/gometer/functions"
)

// A CSV Data Set reading its file line by line (large plain files) gives
// the same records, in the same order and with the same end-of-file
// handling, as one reading it whole.
func TestStreamedCSVReadsLikeWholeFile(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, text, names, props string
		users                    int
		loops                    string
		sorted                   bool
	}{
		{"shared, recycled", "alice,1\nbob,2\ncarol,3\n", "name,id", bp("recycle", true), 2, "4", true},
		{"names from the header line, recycled", "name,id\nx,1\ny,2\n", "", bp("recycle", true), 1, "5", false},
		{"ignore first line, no recycle", "h\r\na\r\nb\r\n", "name", bp("ignoreFirstLine", true) + bp("recycle", false), 1, "4", false},
		{"blank line is end of file", "a\n\nc\n", "name", bp("recycle", false) + bp("stopThread", false), 1, "5", false},
		{"stop thread at end of file", "a\nb\n", "name", bp("recycle", false) + bp("stopThread", true), 1, "5", false},
		{"no final newline, recycled", "a\nb", "name", bp("recycle", true), 1, "5", false},
		{"empty file", "", "name", bp("recycle", true), 1, "2", false},
		{"group share", "1\n2\n3\n4\n5\n", "name", sp("shareMode", "shareMode.group") + bp("recycle", false), 2, "2", true},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := writeFile(t, dir, "d"+strconv.Itoa(i)+".csv", c.text)
			var got [2]string
			for k, props := range []map[string]string{nil, {"gometer.csv.stream_above_mb": "0"}} {
				srv := newServer(t)
				xml := planXML(tg("G", c.users, 0, c.loops, "", csvEl(f, c.names, c.props),
					get(srv, "x", "/v/${__urlencode(${name})}/${__urlencode(${id})}")))
				tst, _ := run(t, xml, props)
				if streamed := hasStream(tst); streamed != (k == 1 && c.text != "") {
					t.Fatalf("run %d: streamed %v", k, streamed)
				}
				p := srv.paths()
				if c.sorted {
					p = sortedCopy(p)
				}
				got[k] = strings.Join(p, ",")
			}
			if got[0] != got[1] {
				t.Errorf("whole file: %s\nstreamed:   %s", got[0], got[1])
			}
		})
	}
}

// A plain file larger than the data file limit is streamed, not refused:
// users read its records with memory independent of its size; a single
// line over the limit is an error naming the property, not a read of the
// whole file into memory.
func TestStreamedCSVPastTheDataFileLimit(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; b.Len() < 3<<20; i++ {
		b.WriteString("user" + strconv.Itoa(i) + "," + strings.Repeat("x", 40) + "\n")
	}
	big := writeFile(t, dir, "big.csv", b.String())
	props := map[string]string{"gometer.max_data_file_mb": "1", "gometer.csv.stream_above_mb": "0"}
	srv := newServer(t)
	run(t, planXML(tg("G", 1, 0, "3", "", csvEl(big, "name,pad", ""), get(srv, "x", "/v/${name}"))), props)
	if got := strings.Join(srv.paths(), ","); got != "/v/user0,/v/user1,/v/user2" {
		t.Errorf("streamed past the limit: %s", got)
	}
	// read whole (the default threshold), the same file is refused
	_, err := compileXML(t, planXML(tg("G", 1, 0, "1", "", csvEl(big, "name,pad", ""), get(srv, "x", "/v/${name}"))),
		Options{Props: propsWith("gometer.max_data_file_mb", "1")})
	if err == nil || !strings.Contains(err.Error(), "gometer.max_data_file_mb") {
		t.Errorf("read whole: %v", err)
	}
	// a line longer than the limit: the first one is a load error, a
	// later one an error logged when it is read (the variables read <EOF>)
	long := filepath.Join(dir, "long.csv")
	if err := os.WriteFile(long, []byte(strings.Repeat("y", 2<<20)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p1 := propsWith("gometer.max_data_file_mb", "1")
	p1.Set("gometer.csv.stream_above_mb", "0")
	_, err = compileXML(t, planXML(tg("G", 1, 0, "1", "", csvEl(long, "name", ""), get(srv, "x", "/v/${name}"))),
		Options{Props: p1})
	if err == nil || !strings.Contains(err.Error(), "long.csv") || !strings.Contains(err.Error(), "line too long") {
		t.Errorf("endless first line: %v", err)
	}
	if err := os.WriteFile(long, []byte("ok\n"+strings.Repeat("y", 2<<20)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv2 := newServer(t)
	var logged []string
	p := propsWith("gometer.max_data_file_mb", "1")
	p.Set("gometer.csv.stream_above_mb", "0")
	tst, err := compileXML(t, planXML(tg("G", 1, 0, "2", "", csvEl(long, "name", ""), get(srv2, "x", "/v/${__urlencode(${name})}"))),
		Options{Props: p, Log: func(level, msg string) { logged = append(logged, level+" "+msg) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := tst.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(srv2.paths(), ","); got != "/v/ok,/v/<EOF>" {
		t.Errorf("endless line: %s", got)
	}
	if l := strings.Join(logged, "\n"); !strings.Contains(l, "ERROR") || !strings.Contains(l, "line too long") || !strings.Contains(l, "gometer.max_data_file_mb") {
		t.Errorf("log:\n%s", l)
	}
}

func propsWith(k, v string) *functions.Properties {
	p := functions.NewProperties()
	p.Set(k, v)
	return p
}

// hasStream reports whether a run read a CSV file line by line.
func hasStream(t *Test) bool {
	found := false
	t.state.Range(func(_, v any) bool {
		_, found = v.(*csvStream)
		return !found
	})
	return found
}

// FuzzStreamedCSV: a file read line by line yields the records the
// in-memory index gives, pass after pass when recycled, and never panics.
func FuzzStreamedCSV(f *testing.F) {
	for _, s := range []string{"a,b\n", "a\r\nb\r\n", "a\n\nc", "", "\n", "x,y,z\n1,2\n\n\n", "\uFEFFh\nv\n"} {
		f.Add(s, ",", false)
	}
	f.Add("h;i\nj;k\n", ";", true)
	f.Fuzz(func(t *testing.T, text, delim string, skip bool) {
		if delim == "" {
			delim = ","
		}
		path := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		// the reference: what a data set reading the file whole returns
		whole, err := decodeText([]byte(text), "")
		if err != nil {
			t.Skip("not text")
		}
		rows := plainRows(whole, delim)
		if skip && rows.len() > 0 {
			rows = rows.from(1)
		}
		var want []string
		for i := 0; i < rows.len(); i++ {
			want = append(want, strings.Join(rows.at(i), "\x00"))
		}
		s := &csvStream{path: path, delim: delim, skip: skip, maxLine: 1 << 20}
		defer s.close()
		for pass := 0; pass < 2; pass++ {
			for i, w := range want {
				got, ok, err := s.next(true)
				if err != nil || !ok || strings.Join(got, "\x00") != w {
					t.Fatalf("pass %d record %d: %q %v %v, want %q", pass, i, got, ok, err, w)
				}
			}
		}
		if len(want) == 0 {
			// no record, or a blank line: both read as end of file
			if got, ok, err := s.next(true); (ok && len(got) > 0) || err != nil {
				t.Fatalf("empty: %q %v %v", got, ok, err)
			}
		}
	})
}
