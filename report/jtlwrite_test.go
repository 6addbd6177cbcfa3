package report

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/sample"
)

const stockHeader = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect"

func httpResult() *sample.Result {
	return &sample.Result{
		Label:           "GET /home",
		Start:           time.UnixMilli(1700000000123),
		Elapsed:         12*time.Millisecond + 999*time.Microsecond, // truncated to 12
		Latency:         10*time.Millisecond + 500*time.Microsecond,
		Connect:         3 * time.Millisecond,
		ResponseCode:    "200",
		ResponseMessage: "OK",
		ThreadName:      "Thread Group 1-1",
		DataType:        "text",
		Success:         true,
		Bytes:           512,
		SentBytes:       120,
		GrpThreads:      1,
		AllThreads:      2,
		URL:             "http://127.0.0.1:8080/home",
		Method:          "GET",
	}
}

func csvRow(t *testing.T, r *sample.Result, cfg SaveConfig) string {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return string(FormatRows(nil, r, &cfg))
}

func TestDefaultHeaderIsJMeter56(t *testing.T) {
	c := DefaultSaveConfig()
	if got := c.Header(); got != stockHeader {
		t.Fatalf("header\n got %s\nwant %s", got, stockHeader)
	}
	c.Filename, c.Encoding, c.SampleCount, c.Hostname = true, true, true, true
	c.SampleVariables = []string{"user", "id"}
	c.Delimiter = '\t'
	want := strings.Join([]string{"timeStamp", "elapsed", "label", "responseCode", "responseMessage", "threadName", "dataType", "success", "failureMessage", "bytes", "sentBytes", "grpThreads", "allThreads", "URL", "Filename", "Latency", "Encoding", "SampleCount", "ErrorCount", "Hostname", "IdleTime", "Connect", `"user"`, `"id"`}, "\t")
	if got := c.Header(); got != want {
		t.Fatalf("all-columns header\n got %s\nwant %s", got, want)
	}
}

func TestRowDefaultColumns(t *testing.T) {
	got := csvRow(t, httpResult(), DefaultSaveConfig())
	want := "1700000000123,12,GET /home,200,OK,Thread Group 1-1,text,true,,512,120,1,2,http://127.0.0.1:8080/home,10,0,3\n"
	if got != want {
		t.Fatalf("row\n got %q\nwant %q", got, want)
	}
}

func TestRowQuoting(t *testing.T) {
	cases := []struct{ label, want string }{
		{"plain label", "plain label"},
		{"a,b", `"a,b"`},
		{`say "hi"`, `"say ""hi"""`},
		{"two\nlines", "\"two\nlines\""},
		{"cr\rhere", "\"cr\rhere\""},
		{"semi;colon|pipe\ttab", "semi;colon|pipe\ttab"},
		{"", ""},
		{`"`, `""""`},
		{"ünïcödé, yes", `"ünïcödé, yes"`},
	}
	for _, c := range cases {
		r := httpResult()
		r.Label = c.label
		got := csvRow(t, r, DefaultSaveConfig())
		prefix := "1700000000123,12," + c.want + ",200,"
		if !strings.HasPrefix(got, prefix) {
			t.Errorf("label %q: row %q, want prefix %q", c.label, got, prefix)
		}
	}
}

func TestRowCustomDelimiter(t *testing.T) {
	cfg := DefaultSaveConfig()
	cfg.Delimiter = ';'
	r := httpResult()
	r.Label = "a,b;c"
	r.ResponseMessage = "Not Found, really"
	got := csvRow(t, r, cfg)
	want := "1700000000123;12;\"a,b;c\";200;Not Found, really;Thread Group 1-1;text;true;;512;120;1;2;http://127.0.0.1:8080/home;10;0;3\n"
	if got != want {
		t.Fatalf("row\n got %q\nwant %q", got, want)
	}
	if h := cfg.Header(); !strings.HasPrefix(h, "timeStamp;elapsed;label;") {
		t.Fatalf("header %q", h)
	}
}

func TestRowFailureNullURLAndCounts(t *testing.T) {
	r := &sample.Result{
		Label:           "Debug Sampler",
		Start:           time.UnixMilli(1700000001000),
		Elapsed:         time.Millisecond,
		ResponseCode:    "500",
		ResponseMessage: "Internal Server Error",
		ThreadName:      "TG 1-2",
		Success:         false,
		Assertions: []sample.AssertionResult{
			{Name: "ok one"},
			{Name: "size", Failure: true, FailureMessage: "The result was the wrong size: It was 3 bytes, but should have been less than 2 bytes."},
			{Name: "later", Failure: true, FailureMessage: "second, ignored"},
		},
		GrpThreads: 3, AllThreads: 3,
	}
	cfg := DefaultSaveConfig()
	cfg.SampleCount = true
	cfg.Encoding = true
	cfg.Hostname = true
	cfg.Filename = true
	cfg.HostnameValue = "loadgen-1"
	got := csvRow(t, r, cfg)
	want := "1700000001000,1,Debug Sampler,500,Internal Server Error,TG 1-2,,false,The result was the wrong size: It was 3 bytes, but should have been less than 2 bytes.,0,0,3,3,null,,0,UTF-8,1,1,loadgen-1,0,0\n"
	want = strings.Replace(want, "The result was the wrong size: It was 3 bytes, but should have been less than 2 bytes.", `"The result was the wrong size: It was 3 bytes, but should have been less than 2 bytes."`, 1)
	if got != want {
		t.Fatalf("row\n got %q\nwant %q", got, want)
	}
}

func TestRowSubResultsDepthFirst(t *testing.T) {
	leaf := func(l string) *sample.Result {
		r := httpResult()
		r.Label = l
		r.Vars = []string{"child-own"} // ignored: sub rows carry the top sample's values
		return r
	}
	parent := httpResult()
	parent.Label = "GET /login"
	parent.Vars = []string{"u1"}
	c0 := leaf("GET /login-0")
	c0.Subs = []*sample.Result{leaf("GET /login-0-0")}
	parent.Subs = []*sample.Result{c0, leaf("GET /login-1")}
	cfg := DefaultSaveConfig()
	cfg.SampleVariables = []string{"user"}
	lines := strings.Split(strings.TrimSuffix(csvRow(t, parent, cfg), "\n"), "\n")
	labels := []string{}
	for _, l := range lines {
		f := strings.Split(l, ",")
		labels = append(labels, f[2])
		if f[len(f)-1] != "u1" {
			t.Errorf("row %q: variable column should be the parent's value u1", l)
		}
	}
	if got := strings.Join(labels, "|"); got != "GET /login|GET /login-0|GET /login-0-0|GET /login-1" {
		t.Fatalf("order %s", got)
	}
	cfg.SubResults = false
	if n := strings.Count(csvRow(t, parent, cfg), "\n"); n != 1 {
		t.Fatalf("subresults=false wrote %d rows", n)
	}
}

func TestRowSubResultDepthLimit(t *testing.T) {
	top := httpResult()
	cur := top
	for i := 0; i < 15; i++ {
		s := httpResult()
		s.Label = fmt.Sprintf("d%d", i+1)
		cur.Subs = []*sample.Result{s}
		cur = s
	}
	// JMeter writes sub-results down to 11 levels below the sample.
	if n := strings.Count(csvRow(t, top, DefaultSaveConfig()), "\n"); n != 12 {
		t.Fatalf("rows %d, want 12", n)
	}
}

func TestRowTransaction(t *testing.T) {
	tc := &sample.Result{
		Label:           "Login flow",
		Start:           time.UnixMilli(1700000002000),
		Elapsed:         250 * time.Millisecond,
		Latency:         30 * time.Millisecond,
		Connect:         4 * time.Millisecond,
		Idle:            100 * time.Millisecond,
		ResponseMessage: TransactionPrefix + "2, number of failing samples : 1",
		ThreadName:      "TG 1-1",
		Success:         false,
		Bytes:           1024, SentBytes: 300, GrpThreads: 1, AllThreads: 1,
		Transaction: true,
		SampleCount: 1, ErrorCount: 1,
	}
	got := csvRow(t, tc, DefaultSaveConfig())
	want := "1700000002000,250,Login flow,,\"Number of samples in transaction : 2, number of failing samples : 1\",TG 1-1,,false,,1024,300,1,1,null,30,100,4\n"
	if got != want {
		t.Fatalf("row\n got %q\nwant %q", got, want)
	}
	var s Sample
	ResultToSample(tc, &s)
	if !s.IsTransaction() || s.Elapsed != 250 || s.IdleTime != 100 || s.URL != "null" || s.ErrorCount != 1 {
		t.Fatalf("sample %+v", s)
	}
}

func TestRowSampleVariables(t *testing.T) {
	p := functions.NewProperties()
	p.Set("sample_variables", "user,token,missing")
	cfg, err := SaveConfigFromProps(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(cfg.Header(), `,Connect,"user","token","missing"`) {
		t.Fatalf("header %q", cfg.Header())
	}
	r := httpResult()
	r.Vars = []string{"alice", "a,b"}
	got := csvRow(t, r, cfg)
	if !strings.HasSuffix(got, ",3,alice,\"a,b\",null\n") {
		t.Fatalf("row %q", got)
	}
}

func TestResultToSample(t *testing.T) {
	r := httpResult()
	r.Assertions = []sample.AssertionResult{{Failure: true, FailureMessage: "boom"}}
	var s Sample
	ResultToSample(r, &s)
	want := Sample{TimeStamp: 1700000000123, Elapsed: 12, Label: "GET /home", ResponseCode: "200", ResponseMessage: "OK",
		ThreadName: "Thread Group 1-1", DataType: "text", Success: true, FailureMessage: "boom", Bytes: 512, SentBytes: 120,
		GrpThreads: 1, AllThreads: 2, URL: "http://127.0.0.1:8080/home", Latency: 10, SampleCount: 1, Connect: 3}
	if fmt.Sprintf("%+v", s) != fmt.Sprintf("%+v", want) {
		t.Fatalf("\n got %+v\nwant %+v", s, want)
	}
	if s.End() != 1700000000135 {
		t.Fatalf("end %d", s.End())
	}
}

func TestSaveConfigFromProps(t *testing.T) {
	p := functions.NewProperties()
	cfg, err := SaveConfigFromProps(p)
	if err != nil || cfg.Header() != stockHeader || cfg.XML || !cfg.SubResults {
		t.Fatalf("defaults: %v %q", err, cfg.Header())
	}
	p.Set("jmeter.save.saveservice.default_delimiter", `\t`)
	p.Set("jmeter.save.saveservice.latency", "FALSE")
	p.Set("jmeter.save.saveservice.hostname", "True")
	p.Set("jmeter.save.saveservice.print_field_names", "false")
	p.Set("jmeter.save.saveservice.output_format", "xml")
	p.Set("jmeter.save.saveservice.subresults", "no")
	cfg, err = SaveConfigFromProps(p)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Delimiter != '\t' || cfg.Latency || !cfg.Hostname || cfg.PrintFieldNames || !cfg.XML || cfg.SubResults {
		t.Fatalf("cfg %+v", cfg)
	}
	for _, bad := range []string{"ab", "a", "7", `"`, "\x01", ""} {
		p.Set("jmeter.save.saveservice.default_delimiter", bad)
		if _, err := SaveConfigFromProps(p); err == nil || !strings.Contains(err.Error(), "default_delimiter") {
			t.Errorf("delimiter %q: err %v", bad, err)
		}
	}
	p.Set("jmeter.save.saveservice.default_delimiter", "|")
	p.Set("jmeter.save.saveservice.output_format", "json")
	cfg, err = SaveConfigFromProps(p)
	if err != nil || cfg.XML || len(cfg.Warnings) != 1 {
		t.Fatalf("unknown output format: %v %v %v", err, cfg.XML, cfg.Warnings)
	}
	p.Set("jmeter.save.saveservice.timestamp_format", "none")
	cfg, _ = SaveConfigFromProps(p)
	if strings.Contains(cfg.Header(), "timeStamp") {
		t.Fatalf("timestamp_format=none keeps the column: %q", cfg.Header())
	}
	p.Set("jmeter.save.saveservice.timestamp_format", "yyyy/MM/dd bad")
	if _, err := SaveConfigFromProps(p); err == nil || !strings.Contains(err.Error(), "illegal pattern character 'b'") {
		t.Fatalf("bad pattern: %v", err)
	}
}

func TestTimestampPattern(t *testing.T) {
	p := functions.NewProperties()
	p.Set("jmeter.save.saveservice.timestamp_format", "yyyy/MM/dd HH:mm:ss.SSS 'at' EEE MMM yy h a S Z XXX ''")
	cfg, err := SaveConfigFromProps(p)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Location = time.FixedZone("X", 2*3600)
	r := httpResult()
	r.Start = time.Date(2024, 3, 5, 21, 4, 9, 7e6, time.UTC)
	got := csvRow(t, r, cfg)
	want := "2024/03/05 23:04:09.007 at Tue Mar 24 11 PM 7 +0200 +02:00 ',12,"
	if !strings.HasPrefix(got, want) {
		t.Fatalf("got %q\nwant prefix %q", got, want)
	}
}

func TestTimestampAtEnd(t *testing.T) {
	p := functions.NewProperties()
	p.Set("sampleresult.timestamp.start", "false")
	cfg, err := SaveConfigFromProps(p)
	if err != nil {
		t.Fatal(err)
	}
	r := httpResult()
	r.Idle = 5 * time.Millisecond
	// end = start + elapsed (12.999 ms) + idle 5 ms = …123 + 17.999 ms → …140 in ms
	if got := csvRow(t, r, cfg); !strings.HasPrefix(got, "1700000000140,12,") {
		t.Fatalf("row %q", got)
	}
	cfg.XML = true
	if got := string(FormatXMLSample(nil, r, &cfg)); !strings.Contains(got, ` ts="1700000000140" `) {
		t.Fatalf("xml %q", got)
	}
}

func TestTimestampPatternWithDelimiterIsQuoted(t *testing.T) {
	cfg := DefaultSaveConfig()
	cfg.TimestampFormat = "HH:mm:ss,SSS"
	cfg.Location = time.UTC
	got := csvRow(t, httpResult(), cfg)
	if !strings.HasPrefix(got, `"22:13:20,123",12,GET /home,`) {
		t.Fatalf("row %q", got)
	}
}

func TestXMLSample(t *testing.T) {
	cfg := DefaultSaveConfig()
	cfg.XML = true
	r := httpResult()
	r.Label = `a<b>&"c"`
	r.Assertions = []sample.AssertionResult{{Name: "Response Assertion", Failure: true, FailureMessage: "Test failed: text expected to contain /x/"}}
	sub := httpResult()
	sub.Label = "GET /home-0"
	r.Subs = []*sample.Result{sub}
	dbg := &sample.Result{Label: "Debug", Start: time.UnixMilli(5), Success: true, ThreadName: "T 1-1"}
	got := string(FormatXMLSample(nil, r, &cfg)) + string(FormatXMLSample(nil, dbg, &cfg))
	want := `<httpSample t="12" it="0" lt="10" ct="3" ts="1700000000123" s="true" lb="a&lt;b&gt;&amp;&quot;c&quot;" rc="200" rm="OK" tn="Thread Group 1-1" dt="text" by="512" sby="120" ng="1" na="2">
  <assertionResult>
    <name>Response Assertion</name>
    <failure>true</failure>
    <error>false</error>
    <failureMessage>Test failed: text expected to contain /x/</failureMessage>
  </assertionResult>
  <httpSample t="12" it="0" lt="10" ct="3" ts="1700000000123" s="true" lb="GET /home-0" rc="200" rm="OK" tn="Thread Group 1-1" dt="text" by="512" sby="120" ng="1" na="2">
    <java.net.URL>http://127.0.0.1:8080/home</java.net.URL>
  </httpSample>
  <java.net.URL>http://127.0.0.1:8080/home</java.net.URL>
</httpSample>
<sample t="0" it="0" lt="0" ct="0" ts="5" s="true" lb="Debug" rc="" rm="" tn="T 1-1" dt="" by="0" sby="0" ng="0" na="0"/>
`
	if got != want {
		t.Fatalf("xml\n got:\n%s\nwant:\n%s", got, want)
	}
}

func jtlFileText(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFileLifecycleCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "deep", "er", "r.jtl")
	w, err := OpenJTLWriter(path, DefaultSaveConfig())
	if err != nil {
		t.Fatal(err)
	}
	w.Add(httpResult())
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	one := "1700000000123,12,GET /home,200,OK,Thread Group 1-1,text,true,,512,120,1,2,http://127.0.0.1:8080/home,10,0,3\n"
	if got := jtlFileText(t, path); got != stockHeader+"\n"+one {
		t.Fatalf("new file:\n%s", got)
	}
	// Existing file: appended, no second header.
	w, err = OpenJTLWriter(path, DefaultSaveConfig())
	if err != nil {
		t.Fatal(err)
	}
	w.Add(httpResult())
	w.Close()
	if got := jtlFileText(t, path); got != stockHeader+"\n"+one+one {
		t.Fatalf("appended file:\n%s", got)
	}
	// An existing empty file gets no header either (JMeter checks existence only).
	empty := filepath.Join(dir, "empty.jtl")
	os.WriteFile(empty, nil, 0o644)
	w, _ = OpenJTLWriter(empty, DefaultSaveConfig())
	w.Add(httpResult())
	w.Close()
	if got := jtlFileText(t, empty); got != one {
		t.Fatalf("empty existing file:\n%s", got)
	}
	// print_field_names=false: no header on a new file.
	cfg := DefaultSaveConfig()
	cfg.PrintFieldNames = false
	nohdr := filepath.Join(dir, "nohdr.jtl")
	w, _ = OpenJTLWriter(nohdr, cfg)
	w.Add(httpResult())
	w.Close()
	if got := jtlFileText(t, nohdr); got != one {
		t.Fatalf("no-header file:\n%s", got)
	}
}

func TestFileLifecycleUnwritable(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	_, err := OpenJTLWriter(filepath.Join(blocker, "sub", "r.jtl"), DefaultSaveConfig())
	if err == nil || !strings.Contains(err.Error(), blocker) {
		t.Fatalf("want an error naming the path, got %v", err)
	}
	cfg := DefaultSaveConfig()
	cfg.Delimiter = 'x'
	if _, err := OpenJTLWriter(filepath.Join(dir, "ok.jtl"), cfg); err == nil {
		t.Fatal("bad delimiter accepted")
	}
}

func TestFileLifecycleXML(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.xml")
	cfg := DefaultSaveConfig()
	cfg.XML = true
	cfg.URL = false
	w, err := OpenJTLWriter(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := httpResult()
	w.Add(r)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	el := `<httpSample t="12" it="0" lt="10" ct="3" ts="1700000000123" s="true" lb="GET /home" rc="200" rm="OK" tn="Thread Group 1-1" dt="text" by="512" sby="120" ng="1" na="2"/>` + "\n"
	head := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testResults version=\"1.2\">\n"
	if got := jtlFileText(t, path); got != head+el+"\n</testResults>\n" {
		t.Fatalf("xml file:\n%s", got)
	}
	w, _ = OpenJTLWriter(path, cfg)
	w.Add(r)
	w.Close()
	if got := jtlFileText(t, path); got != head+el+"\n"+el+"\n</testResults>\n" {
		t.Fatalf("appended xml file:\n%s", got)
	}
}

type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errors.New("no space left on device")
	}
	f.after--
	return len(p), nil
}

func TestWriteErrorIsObservable(t *testing.T) {
	w := NewJTLWriter(&failingWriter{}, DefaultSaveConfig(), true)
	w.Add(httpResult())
	if err := w.Flush(); err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("flush err %v", err)
	}
	select {
	case <-w.Failed():
	default:
		t.Fatal("Failed() not closed after a write error")
	}
	w.Add(httpResult()) // ignored, must not block or panic
	if err := w.Close(); err == nil {
		t.Fatal("close hid the error")
	}
	if w.Err() == nil {
		t.Fatal("Err() nil")
	}
}

func TestConcurrentAddLosesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jtl")
	w, err := OpenJTLWriter(path, DefaultSaveConfig())
	if err != nil {
		t.Fatal(err)
	}
	const users, per = 64, 500
	var wg sync.WaitGroup
	for u := 0; u < users; u++ {
		wg.Add(1)
		go func(u int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				r := httpResult()
				r.Label = fmt.Sprintf("u%d,i%d", u, i) // quoted field
				r.Subs = []*sample.Result{{Label: fmt.Sprintf("sub u%d i%d", u, i), Start: r.Start}}
				w.Add(r)
			}
		}(u)
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	if sc.Text() != stockHeader {
		t.Fatalf("header %q", sc.Text())
	}
	seen := map[string]bool{}
	var prev string
	for sc.Scan() {
		l := sc.Text()
		fields := strings.Split(l, ",")
		if strings.HasPrefix(fields[2], "sub ") {
			// a sub row follows its own parent directly
			want := strings.Replace(strings.TrimPrefix(fields[2], "sub "), " ", ",", 1)
			if !strings.Contains(prev, `"`+want+`"`) {
				t.Fatalf("sub row %q not right after its parent (prev %q)", l, prev)
			}
		} else {
			key := fields[2] + "," + fields[3]
			if seen[key] {
				t.Fatalf("duplicate %s", key)
			}
			seen[key] = true
		}
		prev = l
	}
	if len(seen) != users*per {
		t.Fatalf("rows %d, want %d", len(seen), users*per)
	}
}

type slowWriter struct {
	mu sync.Mutex
	n  int
}

func (s *slowWriter) Write(p []byte) (int, error) {
	time.Sleep(2 * time.Millisecond)
	s.mu.Lock()
	s.n += len(p)
	s.mu.Unlock()
	return len(p), nil
}

func TestFlushWritesEverythingAdded(t *testing.T) {
	sw := &slowWriter{}
	w := NewJTLWriter(sw, DefaultSaveConfig(), false)
	want := 0
	for i := 0; i < 1000; i++ {
		r := httpResult()
		w.Add(r)
		want += len(FormatRow(nil, r, DefaultSaveConfig()))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	sw.mu.Lock()
	got := sw.n
	sw.mu.Unlock()
	if got != want {
		t.Fatalf("flushed %d bytes, want %d", got, want)
	}
	w.Close()
}

func BenchmarkJTLRow(b *testing.B) {
	cfg := DefaultSaveConfig()
	r := httpResult()
	r.Label = "GET /api, with comma"
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = FormatRow(buf[:0], r, cfg)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkJTLWriterParallel(b *testing.B) {
	path := filepath.Join(b.TempDir(), "r.jtl")
	w, err := OpenJTLWriter(path, DefaultSaveConfig())
	if err != nil {
		b.Fatal(err)
	}
	r := httpResult()
	b.ReportAllocs()
	b.SetParallelism(64)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w.Add(r)
		}
	})
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

func TestSharedJTLFilesAndFilter(t *testing.T) {
	dir := t.TempDir()
	var set JTLFiles
	a, err := set.Open(filepath.Join(dir, "r.jtl"), DefaultSaveConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, err := set.Open(filepath.Join(dir, "x", "..", "r.jtl"), DefaultSaveConfig())
	if err != nil {
		t.Fatal(err)
	}
	if a.JTLWriter != b.JTLWriter {
		t.Fatal("same file opened twice")
	}
	errorsOnly := &FilterOutput{Out: b, ErrorsOnly: true}
	ok, bad := httpResult(), httpResult()
	bad.Success = false
	bad.Label = "bad"
	for _, r := range []*sample.Result{ok, bad} {
		a.Add(r)
		errorsOnly.Add(r)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	b.Add(bad) // the file stays open for the remaining user
	if err := errorsOnly.Stop(); err != nil {
		t.Fatal(err)
	}
	got := jtlFileText(t, filepath.Join(dir, "r.jtl"))
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	var labels []string
	for _, l := range lines[1:] {
		labels = append(labels, strings.Split(l, ",")[2])
	}
	if lines[0] != stockHeader || strings.Join(labels, "|") != "GET /home|bad|bad|bad" {
		t.Fatalf("file:\n%s", got)
	}
	f := FilterOutput{SuccessOnly: true}
	if !f.Wanted(true) || f.Wanted(false) {
		t.Fatal("success-only filter")
	}
	if w := a.Dropped(); w != 0 {
		t.Fatalf("dropped %d", w)
	}
	a.JTLWriter.Add(ok) // after the file closed
	if a.Dropped() != 1 {
		t.Fatal("an Add after Close was not counted as dropped")
	}
}

func TestRowFilenameIsTheSavedResponseFile(t *testing.T) {
	r := httpResult()
	r.ResultFileName = "/tmp/out/r_0001.json"
	cfg := DefaultSaveConfig()
	cfg.Filename = true
	if got := csvRow(t, r, cfg); !strings.Contains(got, ",/tmp/out/r_0001.json,") {
		t.Fatalf("row %q", got)
	}
}
