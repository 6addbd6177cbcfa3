package engine

import (
	"strings"
	"testing"
)

// JMeter's CSVDataSet splits a blank line into no values and handles that
// as end of file: the variables read <EOF> (or the user stops with
// stopThread), and the next line is read on the following iteration.
func TestCSVDataSetBlankLineIsEOF(t *testing.T) {
	srv := newServer(t)
	f := writeFile(t, t.TempDir(), "b.csv", "a\n\nc\n")
	xml := planXML(tg("G", 1, 0, "4", "", csvEl(f, "v", bp("recycle", false)+bp("stopThread", false)), get(srv, "x", "/v/${__urlencode(${v})}")))
	run(t, xml, nil)
	if got := strings.Join(srv.paths(), ","); got != "/v/a,/v/<EOF>,/v/c,/v/<EOF>" {
		t.Errorf("recycle off: %s", got)
	}
	srv2 := newServer(t)
	xml = planXML(tg("G", 1, 0, "4", "", csvEl(f, "v", bp("recycle", true)+bp("stopThread", true)), get(srv2, "x", "/v/${__urlencode(${v})}")))
	run(t, xml, nil)
	if got := strings.Join(srv2.paths(), ","); got != "/v/a" {
		t.Errorf("stopThread at the blank line: %s", got)
	}
}

// csvRows splits lines when they are read: CRLF and LF line ends, a blank
// line as no values, the final newline optional, leading records dropped.
func TestCSVRowsSplitOnRead(t *testing.T) {
	r := plainRows("h1;h2\r\na;b\n\nc\n", ";")
	if r.len() != 4 {
		t.Fatalf("%d rows, want 4", r.len())
	}
	want := [][]string{{"h1", "h2"}, {"a", "b"}, {}, {"c"}}
	for i, w := range want {
		if got := r.at(i); strings.Join(got, "|") != strings.Join(w, "|") || len(got) != len(w) {
			t.Errorf("row %d = %q, want %q", i, got, w)
		}
	}
	body := r.from(1)
	if body.len() != 3 || body.at(0)[1] != "b" {
		t.Errorf("from(1): %d rows, first %q", body.len(), body.at(0))
	}
	if e := plainRows("", ","); e.len() != 0 {
		t.Errorf("empty file: %d rows", e.len())
	}
	if one := plainRows("x,y", ","); one.len() != 1 || one.at(0)[1] != "y" {
		t.Errorf("no final newline: %d rows", one.len())
	}
}
