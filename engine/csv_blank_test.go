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
