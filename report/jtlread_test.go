package report

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
)

// readAll reads every sample (copied) and the bad-row errors.
func readAll(t testing.TB, r interface {
	Next() (*Sample, error)
}) ([]Sample, error) {
	t.Helper()
	var out []Sample
	for {
		s, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		c := *s
		c.Vars = append([]string(nil), s.Vars...)
		out = append(out, c)
	}
}

func readFixture(t *testing.T, name string, opts ReadOptions) ([]Sample, []error) {
	t.Helper()
	var bad []error
	if opts.OnBadRow == nil {
		opts.OnBadRow = func(err error) { bad = append(bad, err) }
	}
	r, err := OpenJTL(filepath.Join("testdata", "read", name), opts)
	if err != nil {
		t.Fatalf("OpenJTL %s: %v", name, err)
	}
	defer r.Close()
	got, err := readAll(t, r)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if fi, _ := os.Stat(filepath.Join("testdata", "read", name)); r.BytesRead() != fi.Size() {
		t.Errorf("%s: BytesRead %d, file size %d", name, r.BytesRead(), fi.Size())
	}
	if r.Rows() != int64(len(got)) {
		t.Errorf("%s: Rows %d, got %d samples", name, r.Rows(), len(got))
	}
	return got, bad
}

func props(kv ...string) *functions.Properties {
	p := functions.NewProperties()
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	return p
}

func TestReadJMeter56CSV(t *testing.T) {
	got, bad := readFixture(t, "jmeter56.csv", ReadOptions{})
	if len(bad) != 0 || len(got) != 4 {
		t.Fatalf("%d samples, bad %v", len(got), bad)
	}
	want := Sample{TimeStamp: 1700000000000, Elapsed: 120, Label: "Login", ResponseCode: "200", ResponseMessage: "OK",
		ThreadName: "Users 1-1", DataType: "text", Success: true, Bytes: 1534, SentBytes: 321, GrpThreads: 2, AllThreads: 2,
		URL: "http://127.0.0.1:8080/login", Latency: 100, Connect: 12, Vars: []string{}}
	if fmt.Sprint(got[0]) != fmt.Sprint(want) {
		t.Errorf("row 1\n got %+v\nwant %+v", got[0], want)
	}
	if got[1].Label != "Search, fast" || got[1].Success || got[1].FailureMessage != "Test failed: code expected to contain /200/" || got[1].ResponseCode != "404" {
		t.Errorf("row 2: %+v", got[1])
	}
	if !got[2].IsTransaction() || got[2].URL != "null" || got[2].DataType != "" || got[2].IdleTime != 15 {
		t.Errorf("row 3: %+v", got[2])
	}
	if got[3].Label != "He said \"hi\"\non two lines" || got[3].ResponseMessage != "Non HTTP response message: Connection refused" || got[3].Connect != 7 {
		t.Errorf("row 4: %+v", got[3])
	}
}

func TestReadOlderColumnSets(t *testing.T) {
	got, bad := readFixture(t, "jmeter213.csv", ReadOptions{})
	if len(bad) != 0 || len(got) != 2 {
		t.Fatalf("2.13: %d samples, bad %v", len(got), bad)
	}
	if g := got[1]; g.TimeStamp != 1420070400100 || g.Elapsed != 17 || g.ResponseCode != "500" || g.Success || g.Bytes != 120 || g.Latency != 16 || g.SentBytes != 0 || g.Connect != 0 || g.GrpThreads != 1 {
		t.Errorf("2.13 row: %+v", g)
	}
	got, _ = readFixture(t, "jmeter31.csv", ReadOptions{})
	if len(got) != 1 || got[0].SentBytes != 120 || got[0].AllThreads != 5 || got[0].Latency != 40 || got[0].Connect != 3 || got[0].URL != "" {
		t.Errorf("3.1 row: %+v", got)
	}
	r, err := OpenJTL(filepath.Join("testdata", "read", "allcolumns-vars.csv"), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cols := strings.Join(r.Columns(), ","); !strings.HasSuffix(cols, ",Hostname,IdleTime,Connect,user,order id") || !strings.HasPrefix(cols, "timeStamp,elapsed,") {
		t.Errorf("columns %q", cols)
	}
	r.Close()
	got, _ = readFixture(t, "allcolumns-vars.csv", ReadOptions{})
	if len(got) != 1 {
		t.Fatal("all columns: no row")
	}
	g := got[0]
	if g.Filename != "resp.bin" || g.Encoding != "UTF-8" || g.SampleCount != 1 || g.ErrorCount != 0 || g.Hostname != "loadgen-1" || g.Connect != 1 || strings.Join(g.Vars, "|") != "alice|42,7" {
		t.Errorf("all columns row: %+v", g)
	}
}

func TestReadWithoutHeader(t *testing.T) {
	got, bad := readFixture(t, "noheader.csv", ReadOptions{})
	if len(bad) != 0 || len(got) != 2 || got[0].Label != "Login" || got[1].Latency != 70 || got[0].Connect != 12 {
		t.Fatalf("default columns: %+v %v", got, bad)
	}
	// Columns from the properties: no URL, no thread counts, a sample variable, ';' delimiter.
	data := "1700000000000;5;L;200;OK;T 1-1;text;true;;10;20;3;0;0;v1\n"
	p := props("jmeter.save.saveservice.url", "false", "jmeter.save.saveservice.thread_counts", "false",
		"jmeter.save.saveservice.default_delimiter", ";", "sample_variables", "who")
	r, err := NewJTLReader(strings.NewReader(data), "p.jtl", ReadOptions{Props: p, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err = readAll(t, r)
	if err != nil || len(got) != 1 {
		t.Fatalf("%v %v", got, err)
	}
	if g := got[0]; g.Latency != 3 || g.SentBytes != 20 || g.URL != "" || len(g.Vars) != 1 || g.Vars[0] != "v1" {
		t.Errorf("property columns: %+v", g)
	}
	if cols := strings.Join(r.Columns(), ","); cols != "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,Latency,IdleTime,Connect,who" {
		t.Errorf("columns from properties: %q", cols)
	}
	// A byte order mark before a headerless first row.
	r, _ = NewJTLReader(strings.NewReader("\xEF\xBB\xBF1700000000000,120,Login,200,OK,Users 1-1,text,true,,1534,321,2,2,http://h/,100,0,12\n"), "bom.jtl", ReadOptions{Strict: true})
	if got, err := readAll(t, r); err != nil || len(got) != 1 || got[0].TimeStamp != 1700000000000 {
		t.Errorf("BOM without header: %+v %v", got, err)
	}
	// timestamp_format=none removes the column.
	r, _ = NewJTLReader(strings.NewReader("5,L\n"), "n.jtl", ReadOptions{Strict: true, Props: props(
		"jmeter.save.saveservice.timestamp_format", "none", "jmeter.save.saveservice.response_code", "false",
		"jmeter.save.saveservice.response_message", "false", "jmeter.save.saveservice.thread_name", "false",
		"jmeter.save.saveservice.data_type", "false", "jmeter.save.saveservice.successful", "false",
		"jmeter.save.saveservice.assertion_results_failure_message", "false", "jmeter.save.saveservice.bytes", "false",
		"jmeter.save.saveservice.sent_bytes", "false", "jmeter.save.saveservice.thread_counts", "false",
		"jmeter.save.saveservice.url", "false", "jmeter.save.saveservice.latency", "false",
		"jmeter.save.saveservice.idle_time", "false", "jmeter.save.saveservice.connect_time", "false")})
	got, err = readAll(t, r)
	if err != nil || len(got) != 1 || got[0].Elapsed != 5 || got[0].Label != "L" || got[0].TimeStamp != 0 {
		t.Errorf("two columns: %+v %v", got, err)
	}
}

func TestReadDelimiters(t *testing.T) {
	got, bad := readFixture(t, "semicolon.csv", ReadOptions{})
	if len(bad) != 0 || len(got) != 2 || got[0].Label != "a,b" || got[0].URL != "http://x/?a=1,2" || got[1].Label != "x;y" {
		t.Fatalf("semicolon: %+v %v", got, bad)
	}
	got, bad = readFixture(t, "tab.csv", ReadOptions{})
	if len(bad) != 0 || len(got) != 1 || got[0].Label != "Tab label" || !got[0].Success || got[0].Latency != 4 || got[0].DataType != "" {
		t.Fatalf("tab: %+v %v", got, bad)
	}
	utc := ReadOptions{Location: time.UTC}
	got, bad = readFixture(t, "pipe-dates.csv", utc)
	if len(bad) != 0 || len(got) != 2 {
		t.Fatalf("pipe: %+v %v", got, bad)
	}
	if got[0].TimeStamp != 1700000000123 || !got[0].Success || got[0].Vars[0] != "t-1" {
		t.Errorf("pipe row 1: %+v", got[0])
	}
	if got[1].TimeStamp != 1700000001000 || got[1].Success {
		t.Errorf("pipe row 2 (second fallback format): %+v", got[1])
	}
	// A tab delimiter given as the two characters \t, for a file without header.
	r, _ := NewJTLReader(strings.NewReader("1\t2\tL\t200\tOK\tT\ttext\ttrue\t\t1\t2\t1\t1\tu\t3\t0\t0\n"), "t.jtl",
		ReadOptions{Strict: true, Props: props("jmeter.save.saveservice.default_delimiter", `\t`)})
	if got, err := readAll(t, r); err != nil || len(got) != 1 || got[0].Label != "L" || got[0].URL != "u" {
		t.Errorf(`\t delimiter: %+v %v`, got, err)
	}
}

func TestReadTimestampFormats(t *testing.T) {
	cases := []struct {
		pattern, value string
		want           time.Time
	}{
		{"yyyy/MM/dd HH:mm:ss.SSS", "2024/02/29 13:14:15.016", time.Date(2024, 2, 29, 13, 14, 15, 16e6, time.UTC)},
		{"yyyyMMddHHmmss", "20240229131415", time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC)},
		{"dd MMM yyyy hh:mm:ss a", "01 Mar 2024 01:02:03 PM", time.Date(2024, 3, 1, 13, 2, 3, 0, time.UTC)},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2024-03-01T10:00:00.500+02:00", time.Date(2024, 3, 1, 8, 0, 0, 5e8, time.UTC)},
		{"EEE, d MMM yyyy HH:mm:ss Z", "Fri, 1 Mar 2024 10:00:00 -0130", time.Date(2024, 3, 1, 11, 30, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		data := "timeStamp,elapsed,label\n\"" + c.value + "\",5,x\n"
		r, err := NewJTLReader(strings.NewReader(data), "d.jtl", ReadOptions{Strict: true, Location: time.UTC,
			Props: props("jmeter.save.saveservice.timestamp_format", c.pattern)})
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		got, err := readAll(t, r)
		if err != nil || len(got) != 1 || got[0].TimeStamp != c.want.UnixMilli() {
			t.Errorf("%s %q: %+v %v, want %d", c.pattern, c.value, got, err, c.want.UnixMilli())
		}
	}
	// Epoch ms is still understood when a pattern is configured.
	r0, _ := NewJTLReader(strings.NewReader("timeStamp,elapsed\n1700000000000,5\n"), "d.jtl", ReadOptions{Strict: true,
		Props: props("jmeter.save.saveservice.timestamp_format", "yyyy/MM/dd HH:mm:ss")})
	if got, err := readAll(t, r0); err != nil || got[0].TimeStamp != 1700000000000 {
		t.Errorf("ms under a pattern: %+v %v", got, err)
	}
	// Non-lenient: 30 February is a bad row.
	r, _ := NewJTLReader(strings.NewReader("timeStamp,elapsed\n2024/02/30 10:00:00,5\n"), "d.jtl", ReadOptions{Strict: true})
	if _, err := readAll(t, r); err == nil || !strings.Contains(err.Error(), "d.jtl:2:") {
		t.Errorf("30 February accepted: %v", err)
	}
	// Local time zone by default: the same wall clock in another zone differs by the offset.
	loc := time.FixedZone("X", 3600)
	r, _ = NewJTLReader(strings.NewReader("timeStamp,elapsed\n2024-01-01 00:00:00,5\n"), "d.jtl", ReadOptions{Strict: true, Location: loc})
	if got, err := readAll(t, r); err != nil || got[0].TimeStamp != time.Date(2024, 1, 1, 0, 0, 0, 0, loc).UnixMilli() {
		t.Errorf("location: %+v %v", got, err)
	}
}

func TestReadEndTimestamps(t *testing.T) {
	r, _ := NewJTLReader(strings.NewReader("timeStamp,elapsed,label\n1000,300,x\n"), "e.jtl",
		ReadOptions{Props: props("sampleresult.timestamp.start", "false")})
	got, err := readAll(t, r)
	if err != nil || got[0].TimeStamp != 700 || got[0].End() != 1000 {
		t.Errorf("end stamps: %+v %v", got, err)
	}
}

const badRows = "timeStamp,elapsed,label,success\n" +
	"1,2,ok1,true\n" + // line 2
	"1,x,badnum,true\n" + // line 3
	"1,2,\"multi\nline\",true\n" + // lines 4-5
	"1,2,too,many,true\n" + // line 6
	"1,2,a\"b,true\n" + // line 7
	"1,2,\"q\"x,true\n" + // line 8
	"1,2\n" + // line 9
	"\n" + // line 10: blank, skipped
	"1,2,ok2,true\r\n" + // line 11
	"1,2,\"never closed,true\n" // line 12 to the end

func TestReadBadRows(t *testing.T) {
	var bad []string
	r, err := NewJTLReader(strings.NewReader(badRows), "results.jtl", ReadOptions{OnBadRow: func(err error) {
		var re *RowError
		if !errors.As(err, &re) {
			t.Errorf("bad row error %T", err)
		}
		bad = append(bad, err.Error())
	}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, s := range got {
		labels = append(labels, s.Label)
	}
	if strings.Join(labels, "|") != "ok1|multi\nline|ok2" {
		t.Errorf("good rows: %q", labels)
	}
	wantPrefixes := []string{"results.jtl:3: elapsed \"x\"", "results.jtl:6: 5 fields, expected 4", "results.jtl:7: quote",
		"results.jtl:8: character 'x'", "results.jtl:9: 2 fields", "results.jtl:12: file ends inside a quoted field"}
	if len(bad) != len(wantPrefixes) {
		t.Fatalf("bad rows %q", bad)
	}
	for i, w := range wantPrefixes {
		if !strings.HasPrefix(bad[i], w) {
			t.Errorf("bad row %d: %q, want prefix %q", i, bad[i], w)
		}
	}
	// Strict: the first bad row ends the reading.
	r, _ = NewJTLReader(strings.NewReader(badRows), "results.jtl", ReadOptions{Strict: true})
	got, err = readAll(t, r)
	var re *RowError
	if len(got) != 1 || !errors.As(err, &re) || re.Line != 3 || re.File != "results.jtl" {
		t.Errorf("strict: %d rows, %v", len(got), err)
	}
	if _, err2 := r.Next(); err2 != err {
		t.Errorf("error not sticky: %v", err2)
	}
}

func TestReadEmptyAndOdd(t *testing.T) {
	for _, in := range []string{"", "\n\n", "timeStamp,elapsed,label\n"} {
		r, err := NewJTLReader(strings.NewReader(in), "e.jtl", ReadOptions{Strict: true})
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if s, err := r.Next(); err != io.EOF {
			t.Errorf("%q: %v %v, want EOF", in, s, err)
		}
	}
	// BOM before the header; no final newline.
	r, _ := NewJTLReader(strings.NewReader("\xEF\xBB\xBFtimeStamp,elapsed,label\n5,6,last"), "b.jtl", ReadOptions{Strict: true})
	if got, err := readAll(t, r); err != nil || len(got) != 1 || got[0].Label != "last" {
		t.Errorf("BOM/no newline: %+v %v", got, err)
	}
	// Concatenated files repeat the header: skipped without complaint.
	r, _ = NewJTLReader(strings.NewReader("timeStamp,label,\"v\"\n1,a,x\ntimeStamp,label,\"v\"\n2,b,y\n"), "cat.jtl", ReadOptions{Strict: true})
	if got, err := readAll(t, r); err != nil || len(got) != 2 || got[1].Label != "b" || got[1].Vars[0] != "y" {
		t.Errorf("repeated header: %+v %v", got, err)
	}
	// Trailing empty field at the end of the file.
	r, _ = NewJTLReader(strings.NewReader("timeStamp,label,failureMessage\n5,x,"), "b.jtl", ReadOptions{Strict: true})
	if got, err := readAll(t, r); err != nil || len(got) != 1 || got[0].Label != "x" {
		t.Errorf("trailing delimiter: %+v %v", got, err)
	}
	if _, err := OpenJTL(filepath.Join(t.TempDir(), "missing.jtl"), ReadOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := NewJTLReader(strings.NewReader("x"), "b.jtl", ReadOptions{Props: props("jmeter.save.saveservice.default_delimiter", "ab")}); err == nil {
		t.Error("bad delimiter property accepted")
	}
}

// slowReader returns one byte per Read, to exercise every buffer boundary.
type slowReader struct{ r io.Reader }

func (s slowReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return s.r.Read(p)
}

func TestReadByteAtATime(t *testing.T) {
	for _, name := range []string{"jmeter56.csv", "jmeter213.csv", "results.xml", "pipe-dates.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", "read", name))
		if err != nil {
			t.Fatal(err)
		}
		opts := ReadOptions{Strict: true, Location: time.UTC}
		r1, err1 := NewJTLReader(bytes.NewReader(data), name, opts)
		opts.bufSize = 1
		r2, err2 := NewJTLReader(slowReader{bytes.NewReader(data)}, name, opts)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		a, err1 := readAll(t, r1)
		b, err2 := readAll(t, r2)
		if err1 != nil || err2 != nil || fmt.Sprint(a) != fmt.Sprint(b) || len(a) == 0 {
			t.Errorf("%s: byte-at-a-time read differs: %v %v\n%+v\n%+v", name, err1, err2, a, b)
		}
	}
	// Rows starting on every offset within the buffer: a long file through the normal path.
	var sb strings.Builder
	sb.WriteString("timeStamp,elapsed,label,responseMessage\r\n")
	for i := 0; i < 30000; i++ {
		fmt.Fprintf(&sb, "%d,%d,\"lbl %d, \"\"q\"\"\",\"%s\"\r\n", i, i%7, i%13, strings.Repeat("m", i%50))
	}
	r, _ := NewJTLReader(strings.NewReader(sb.String()), "big.jtl", ReadOptions{Strict: true, bufSize: 100})
	got, err := readAll(t, r)
	if err != nil || len(got) != 30000 {
		t.Fatalf("big: %d rows, %v", len(got), err)
	}
	for i, s := range got {
		if s.TimeStamp != int64(i) || s.Label != fmt.Sprintf("lbl %d, \"q\"", i%13) || len(s.ResponseMessage) != i%50 {
			t.Fatalf("big row %d: %+v", i, s)
		}
	}
}

func TestReadXML(t *testing.T) {
	got, bad := readFixture(t, "results.xml", ReadOptions{})
	if len(bad) != 0 || len(got) != 4 {
		t.Fatalf("%d samples, bad %v", len(got), bad)
	}
	var labels []string
	for _, s := range got {
		labels = append(labels, s.Label)
	}
	if strings.Join(labels, "|") != "Login|Login-0|Login-1|Debug & check" {
		t.Errorf("order %q: want parent first, then sub-samples", labels)
	}
	if g := got[0]; g.Elapsed != 250 || g.Latency != 40 || g.Connect != 5 || g.TimeStamp != 1700000000000 || !g.Success ||
		g.ResponseCode != "200" || g.ThreadName != "Users 1-1" || g.Bytes != 900 || g.SentBytes != 300 || g.GrpThreads != 1 || g.URL != "http://127.0.0.1/login" {
		t.Errorf("parent: %+v", g)
	}
	if got[1].URL != "http://127.0.0.1/login" || got[1].ResponseCode != "302" || got[2].URL != "http://127.0.0.1/home" {
		t.Errorf("sub-samples: %+v %+v", got[1], got[2])
	}
	if g := got[3]; g.Success || g.FailureMessage != "Test failed: text expected to contain /ok/" || g.URL != "" {
		t.Errorf("sample with assertions: %+v", g)
	}
}

func TestReadXMLVariants(t *testing.T) {
	// Truncated after a complete sample (a killed test): all complete samples, no error.
	xml := "<?xml version=\"1.0\"?>\n<testResults version=\"1.2\">\n<sample t=\"1\" ts=\"5\" lb=\"a\" s=\"true\" who=\"bob\"/>\n<sample t=\"2\" ts=\"6\" lb=\"b\""
	r, _ := NewJTLReader(strings.NewReader(xml), "x.jtl", ReadOptions{Strict: true, Props: props("sample_variables", "who,none")})
	got, err := readAll(t, r)
	var re *RowError
	if len(got) != 1 || got[0].Vars[0] != "bob" || got[0].Vars[1] != "" || !errors.As(err, &re) {
		t.Errorf("cut inside a tag: %+v %v", got, err)
	}
	r, _ = NewJTLReader(strings.NewReader("<testResults>\n<sample t=\"1\" ts=\"5\" lb=\"a\"/>\n"), "x.jtl", ReadOptions{Strict: true})
	if got, err := readAll(t, r); err != nil || len(got) != 1 {
		t.Errorf("no closing root: %+v %v", got, err)
	}
	// A bad number drops that sample (and its sub-samples) and goes on.
	var bad []error
	r, _ = NewJTLReader(strings.NewReader("<testResults>\n<sample t=\"x\" lb=\"a\"><sample t=\"1\" lb=\"a-0\"/></sample>\n<sample t=\"2\" lb=\"b\"/></testResults>"), "x.jtl",
		ReadOptions{OnBadRow: func(err error) { bad = append(bad, err) }})
	got, err = readAll(t, r)
	if err != nil || len(got) != 1 || got[0].Label != "b" || len(bad) != 1 || !strings.HasPrefix(bad[0].Error(), "x.jtl:2: attribute t=") {
		t.Errorf("bad attribute: %+v %v %v", got, err, bad)
	}
	// Not a JTL.
	if r, err := NewJTLReader(strings.NewReader("<html><body/></html>"), "x.jtl", ReadOptions{}); err == nil {
		if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "not an XML JTL") {
			t.Errorf("html: %v", err)
		}
	}
	// Sub-samples carry their parent's sample variables unless they have their own.
	r, _ = NewJTLReader(strings.NewReader(`<testResults><sample lb="p" who="ann" what="w"><sample lb="c" what="own"/></sample></testResults>`), "x.jtl",
		ReadOptions{Strict: true, Props: props("sample_variables", "who,what")})
	if got, err := readAll(t, r); err != nil || len(got) != 2 || strings.Join(got[1].Vars, ",") != "ann,own" || strings.Join(got[0].Vars, ",") != "ann,w" {
		t.Errorf("sub-sample variables: %+v %v", got, err)
	}
	// End-time stamps.
	r, _ = NewJTLReader(strings.NewReader(`<testResults><sample t="300" ts="1000"/></testResults>`), "x.jtl", ReadOptions{Props: props("sampleresult.timestamp.start", "false")})
	if got, err := readAll(t, r); err != nil || got[0].TimeStamp != 700 {
		t.Errorf("end stamps: %+v %v", got, err)
	}
}

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMergeJTL(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.jtl", "timeStamp,elapsed,label\n10,1,a1\n30,1,a2\n30,1,a3\n50,1,a4\n")
	b := writeFile(t, dir, "b.jtl", "timeStamp,elapsed,label\n5,1,b1\n30,1,b2\n40,1,b3\n")
	c := writeFile(t, dir, "c.xml", `<testResults><sample ts="20" lb="c1"/><sample ts="60" lb="c2"><sample ts="61" lb="c2-0"/></sample></testResults>`)
	empty := writeFile(t, dir, "empty.jtl", "")
	m, err := MergeJTL([]string{a, b, c, empty}, ReadOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	got, err := readAll(t, m)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, s := range got {
		labels = append(labels, s.Label)
	}
	if strings.Join(labels, ",") != "b1,a1,c1,a2,a3,b2,b3,a4,c2,c2-0" {
		t.Errorf("merge order %v", labels)
	}
	if m.Rows() != 10 {
		t.Errorf("Rows %d", m.Rows())
	}
	var size int64
	for _, p := range []string{a, b, c} {
		fi, _ := os.Stat(p)
		size += fi.Size()
	}
	if m.BytesRead() != size {
		t.Errorf("BytesRead %d, files %d", m.BytesRead(), size)
	}
	// An unsorted file keeps its own order.
	u := writeFile(t, dir, "u.jtl", "timeStamp,elapsed,label\n50,1,u1\n10,1,u2\n")
	m2, _ := MergeJTL([]string{u, b}, ReadOptions{})
	got, _ = readAll(t, m2)
	labels = labels[:0]
	for _, s := range got {
		labels = append(labels, s.Label)
	}
	if strings.Join(labels, ",") != "b1,b2,b3,u1,u2" {
		t.Errorf("unsorted merge %v", labels)
	}
	m2.Close()
	// Strict: a bad row in one file ends the merge, and stays the answer.
	bad := writeFile(t, dir, "bad.jtl", "timeStamp,elapsed,label\n15,x,oops\n")
	m3, _ := MergeJTL([]string{a, bad}, ReadOptions{Strict: true})
	got, err = readAll(t, m3)
	if len(got) != 0 || err == nil || !strings.Contains(err.Error(), "bad.jtl:2:") {
		t.Errorf("strict merge: %+v %v", got, err)
	}
	if _, err2 := m3.Next(); err2 != err {
		t.Errorf("merge error not sticky: %v", err2)
	}
	m3.Close()
	if _, err := MergeJTL([]string{a, filepath.Join(dir, "nope.jtl")}, ReadOptions{}); err == nil {
		t.Error("missing file accepted")
	}
}

func TestReadHugeField(t *testing.T) {
	// A 5 MB quoted field (far beyond the buffer) reads back whole; an
	// unterminated one is a bad row, not a hang.
	big := strings.Repeat("ab,\"\n", 1<<20)
	quoted := strings.ReplaceAll(big, `"`, `""`)
	r, _ := NewJTLReader(strings.NewReader("timeStamp,label\n1,\""+quoted+"\"\n2,x\n"), "h.jtl", ReadOptions{Strict: true})
	got, err := readAll(t, r)
	if err != nil || len(got) != 2 || got[0].Label != big || got[1].Label != "x" {
		t.Fatalf("huge field: %d rows, %v", len(got), err)
	}
	r, _ = NewJTLReader(strings.NewReader("timeStamp,label\n1,\""+strings.Repeat("ab,\n", 1<<20)), "h.jtl", ReadOptions{Strict: true})
	if _, err := readAll(t, r); err == nil || !strings.Contains(err.Error(), "h.jtl:2: file ends inside a quoted field") {
		t.Errorf("unterminated huge field: %v", err)
	}
}

func TestReadGzip(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "read", "jmeter56.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(data)
	zw.Close()
	p := writeFile(t, t.TempDir(), "r.jtl.gz", zb.String())
	r, err := OpenJTL(p, ReadOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := readAll(t, r)
	if err != nil || len(got) != 4 || got[3].Connect != 7 || r.BytesRead() != int64(zb.Len()) {
		t.Errorf("gzip: %d rows, %v, %d bytes read of %d", len(got), err, r.BytesRead(), zb.Len())
	}
	if _, err := NewJTLReader(bytes.NewReader([]byte{0x1f, 0x8b, 1}), "bad.gz", ReadOptions{}); err == nil {
		t.Error("broken gzip accepted")
	}
}

func TestReadXMLDeepNesting(t *testing.T) {
	const depth = 100000
	var b strings.Builder
	b.WriteString("<testResults>")
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, `<sample ts="%d">`, i)
	}
	b.WriteString(strings.Repeat("</sample>", depth))
	b.WriteString(`<sample ts="-1"/></testResults>`)
	r, _ := NewJTLReader(strings.NewReader(b.String()), "deep.xml", ReadOptions{Strict: true})
	got, err := readAll(t, r)
	if err != nil || len(got) != depth+1 || got[0].TimeStamp != 0 || got[depth-1].TimeStamp != depth-1 || got[depth].TimeStamp != -1 {
		t.Fatalf("deep nesting: %d samples, %v", len(got), err)
	}
}
