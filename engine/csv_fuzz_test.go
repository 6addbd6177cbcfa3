package engine

import (
	"errors"
	"strings"
	"testing"
)

func TestQuotedCSVUnterminatedQuote(t *testing.T) {
	recs, err := parseQuotedCSV("a,b\n\"c\nd,e\n", ",")
	var ue *UnterminatedQuoteError
	if !errors.As(err, &ue) || ue.Line != 2 {
		t.Fatalf("got %v %v", recs, err)
	}
	if recs, err := parseQuotedCSV("a,\"b\nc\"\nd,e", ","); err != nil || len(recs) != 2 || recs[0][1] != "b\nc" {
		t.Errorf("a closed multi-line value: %q %v", recs, err)
	}
}

// FuzzQuotedCSV: any text parses or names the line of the quote left open,
// never panics.
func FuzzQuotedCSV(f *testing.F) {
	for _, s := range []string{"a,b\n", `"a""b",c`, "\"open\n\n", "x\r\ny,\"z", "", `"`, "a;\"b;c\"\n"} {
		f.Add(s, ",")
	}
	f.Add("a;\"b", ";")
	f.Fuzz(func(t *testing.T, text, delim string) {
		_, err := parseQuotedCSV(text, delim)
		if err == nil {
			return
		}
		var ue *UnterminatedQuoteError
		if !errors.As(err, &ue) || ue.Line < 1 || ue.Line > strings.Count(text, "\n")+1 {
			t.Fatalf("%q: %v", text, err)
		}
	})
}
