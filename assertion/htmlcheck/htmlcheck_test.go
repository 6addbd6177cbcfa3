package htmlcheck

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCountsEqualJTidy checks every page of testdata/jtidy against the
// error and warning counts JTidy r938 gave for it (regen/regen.sh).
func TestCountsEqualJTidy(t *testing.T) {
	f, err := os.Open("testdata/jtidy-counts.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 {
			t.Fatalf("bad line %q", sc.Text())
		}
		wantErr, _ := strconv.Atoi(fields[1])
		wantWarn, _ := strconv.Atoi(fields[2])
		doc, err := os.ReadFile(filepath.Join("testdata/jtidy", fields[0]))
		if err != nil {
			t.Fatal(err)
		}
		r := Check(doc, HTML)
		if r.Errors != wantErr || r.Warnings != wantWarn {
			t.Errorf("%s: %d errors, %d warnings; JTidy counts %d, %d\n%s", fields[0], r.Errors, r.Warnings, wantErr, wantWarn, r.Text())
		}
		n++
	}
	if n < 45 {
		t.Fatalf("only %d pages compared", n)
	}
}

func TestXMLModeReportsMismatchedEndTagsOnly(t *testing.T) {
	r := Check([]byte(`<a><b>x</a><c/><section>y</section></b></a>`), XML)
	if r.Errors != 1 || r.Warnings != 0 {
		t.Fatalf("got %d errors, %d warnings:\n%s", r.Errors, r.Warnings, r.Text())
	}
	if got := r.Messages[0].String(); got != "line 1 column 8 - Error: unexpected </a> in <b>" {
		t.Fatalf("message %q", got)
	}
}

func TestReportTextAsJTidyWritesIt(t *testing.T) {
	r := Check([]byte("<html><head><title>t</title></head>\n<body><p>a<blink>b</blink></p></body></html>"), HTML)
	want := "line 1 column 1 - Warning: missing <!DOCTYPE> declaration\n" +
		"line 2 column 11 - Warning: <blink> is not approved by W3C\n" +
		"2 warnings, no errors were found!\n"
	if got := r.Text(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if got := Check([]byte(`<!DOCTYPE html><html><head><title>t</title></head><body>x</body></html>`), HTML).Text(); got != "no warnings or errors were found\n" {
		t.Fatalf("clean page: %q", got)
	}
}

func TestMessagesAreBounded(t *testing.T) {
	doc := []byte("<!DOCTYPE html><title>t</title>" + strings.Repeat("<section>", MaxMessages))
	r := Check(doc, HTML)
	if r.Errors != MaxMessages || len(r.Messages) != MaxMessages {
		t.Fatalf("errors %d, messages kept %d", r.Errors, len(r.Messages))
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"", "<", "<p>a<b>c</p>", "</x></y>", "<ul>t<li>a", "&&#;&#x;&a", "<!-- -- -->", "<html></body></html><p>x</p>"} {
		f.Add([]byte(s), 0)
	}
	f.Fuzz(func(t *testing.T, doc []byte, mode int) {
		r := Check(doc, Mode(mode%3))
		if r.Errors < 0 || r.Warnings < 0 || len(r.Messages) > r.Errors+r.Warnings {
			t.Fatalf("inconsistent report %+v", r)
		}
	})
}
