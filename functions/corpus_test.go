package functions

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gometer/gometer/internal/jmxtest"
)

// TestCorpusStrings compiles every property value of the shared corpus of
// real plans (when present): each compiles, or is a known-unsupported
// function (Groovy, BeanShell …).
func TestCorpusStrings(t *testing.T) {
	total, unsupported := 0, 0
	for _, path := range jmxtest.CorpusFiles(t) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(f)
		dec.Strict = false
		var inProp bool
		var text strings.Builder
		for {
			tok, err := dec.Token()
			if err != nil {
				if err != io.EOF {
					t.Logf("%s: xml: %v (stopping)", filepath.Base(path), err)
				}
				break
			}
			switch x := tok.(type) {
			case xml.StartElement:
				inProp = x.Name.Local == "stringProp"
				text.Reset()
			case xml.CharData:
				if inProp {
					text.Write(x)
				}
			case xml.EndElement:
				if !inProp || !strings.Contains(text.String(), "${") {
					inProp = false
					continue
				}
				inProp = false
				total++
				s := text.String()
				if _, err := Compile(s); err != nil {
					if errors.Is(err, ErrUnsupported) {
						unsupported++
						continue
					}
					t.Errorf("%s: %v", filepath.Base(path), err)
				}
			}
		}
		f.Close()
	}
	t.Logf("%d strings with ${} compiled, %d use unsupported script functions", total, unsupported)
}
