package report

import (
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/sample"
)

const jtlHeader = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n"

func writeJTL(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readStatsJSON(t *testing.T, path string) map[string]map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("statistics.json is not JSON: %v\n%s", err, b)
	}
	return m
}

const hostile = `<script>alert(1)</script>`

func TestGenerateSmallReport(t *testing.T) {
	dir := t.TempDir()
	jtl := writeJTL(t, dir, "r.jtl", jtlHeader+
		"1700000000000,100,A,200,OK,TG 1-1,text,true,,1000,100,1,1,http://x/a,50,0,5\n"+
		"1700000000100,300,"+`"`+hostile+`"`+",500,Internal <b>Server</b> Error,TG 1-1,text,false,,2000,100,1,1,http://x/b,50,0,5\n"+
		`1700000000500,700,A,200,OK,TG 1-2,text,false,"Expected ""x"" </script>",1000,100,2,2,http://x/a,50,0,5`+"\n"+
		"1700000000000,1200,TC,200,\"Number of samples in transaction : 2, number of failing samples : 1\",TG 1-2,,false,,2000,200,2,2,null,100,0,10\n")
	out := filepath.Join(dir, "out")
	sum, err := Generate([]string{jtl}, out, GenerateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Samples != 3 || sum.Errors != 2 || sum.OK || !strings.Contains(sum.Verdict, "Most frequent error: ") {
		t.Errorf("summary %+v", sum)
	}
	// Failed samples without thresholds: a warning with their share, not a FAIL.
	if !sum.Warning || !strings.HasPrefix(sum.Verdict, "WARNING — 2 of 3 samples failed (66.67%)") {
		t.Errorf("verdict without thresholds: %q", sum.Verdict)
	}
	m := readStatsJSON(t, filepath.Join(out, "statistics.json"))
	if len(m) != 4 || m["Total"]["sampleCount"].(float64) != 3 || m["TC"]["sampleCount"].(float64) != 1 || m[hostile]["errorCount"].(float64) != 1 {
		t.Errorf("statistics.json: %v", m)
	}
	raw, _ := os.ReadFile(filepath.Join(out, "statistics.json"))
	if !strings.Contains(string(raw), `"errorPct" : 66.666664,`) || !strings.Contains(string(raw), `"minResTime" : 100.0,`) {
		t.Errorf("number formatting:\n%s", raw)
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	html := string(page)
	if strings.Contains(html, hostile) || strings.Contains(html, "<b>Server</b>") || strings.Contains(html, "</script> ,") {
		t.Errorf("unescaped text in index.html")
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("hostile label missing from the table")
	}
	if !strings.Contains(html, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Errorf("hostile label not escaped in the inline JSON")
	}
	for _, want := range []string{"500/Internal &lt;b&gt;Server&lt;/b&gt; Error", "Expected &#34;x&#34; &lt;/script&gt;", `id="verdict" class="verdict warn">WARNING`} {
		if !strings.Contains(html, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	for _, ref := range []string{`src="http`, `href="http`, "<link", "@import", "url(http", `src="//`} {
		if strings.Contains(html, ref) {
			t.Errorf("index.html refers to the network (%s)", ref)
		}
	}
}

func TestOutputFolderRules(t *testing.T) {
	dir := t.TempDir()
	jtl := writeJTL(t, dir, "r.jtl", jtlHeader+"1700000000000,100,A,200,OK,TG 1-1,text,true,,1000,100,1,1,http://x/a,50,0,5\n")
	out := filepath.Join(dir, "out")
	if _, err := Generate([]string{jtl}, out, GenerateOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := Generate([]string{jtl}, out, GenerateOptions{})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("non-empty folder accepted: %v", err)
	}
	if _, err := Generate([]string{jtl}, out, GenerateOptions{Force: true}); err != nil {
		t.Fatalf("force over a previous report: %v", err)
	}
	// Anything foreign: refused even with force, and left alone.
	foreign := filepath.Join(out, "notes.txt")
	os.WriteFile(foreign, []byte("keep me"), 0o644)
	_, err = Generate([]string{jtl}, out, GenerateOptions{Force: true})
	if err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Fatalf("force cleared a foreign folder: %v", err)
	}
	if b, _ := os.ReadFile(foreign); string(b) != "keep me" {
		t.Fatal("foreign file touched")
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Fatal("report removed although clearing was refused")
	}
	// An existing file as output.
	if _, err := Generate([]string{jtl}, jtl, GenerateOptions{Force: true}); err == nil || !strings.Contains(err.Error(), "existing file") {
		t.Fatalf("file as output folder: %v", err)
	}
	// Missing results file: clear error, nothing written.
	out2 := filepath.Join(dir, "out2")
	if _, err := Generate([]string{filepath.Join(dir, "missing.jtl")}, out2, GenerateOptions{}); err == nil || !strings.Contains(err.Error(), "missing.jtl") {
		t.Fatalf("missing jtl: %v", err)
	}
}

func TestEmptyResults(t *testing.T) {
	for name, body := range map[string]string{"zero-bytes": "", "header-only": jtlHeader} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			jtl := writeJTL(t, dir, "r.jtl", body)
			out := filepath.Join(dir, "out")
			sum, err := Generate([]string{jtl}, out, GenerateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Samples != 0 || !strings.Contains(sum.Verdict, "No samples") {
				t.Errorf("summary %+v", sum)
			}
			page, _ := os.ReadFile(filepath.Join(out, "index.html"))
			if !strings.Contains(string(page), "No samples") {
				t.Error("index.html does not say there are no samples")
			}
			if m := readStatsJSON(t, filepath.Join(out, "statistics.json")); len(m) != 0 {
				t.Errorf("statistics.json %v", m)
			}
		})
	}
}

func TestGenerateMergesFilesAndFilters(t *testing.T) {
	dir := t.TempDir()
	a := writeJTL(t, dir, "a.jtl", jtlHeader+"1700000000000,100,A,200,OK,TG 1-1,text,true,,1000,100,1,1,u,50,0,5\n1700000002000,100,A,200,OK,TG 1-1,text,true,,1000,100,1,1,u,50,0,5\n")
	b := writeJTL(t, dir, "b.jtl", jtlHeader+"1700000001000,300,B,200,OK,TG 2-1,text,true,,1000,100,1,1,u,50,0,5\n")
	p := functions.NewProperties()
	p.Set("jmeter.reportgenerator.sample_filter", "A")
	sum, err := Generate([]string{a, b}, filepath.Join(dir, "o"), GenerateOptions{Props: p})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Samples != 2 || len(sum.Rows) != 1 || sum.RowsRead != 3 {
		t.Errorf("%+v", sum)
	}
	// begin/end cover the filtered-out sample too, as in JMeter
	if sum.End.UnixMilli() != 1700000002100 || sum.Begin.UnixMilli() != 1700000000000 {
		t.Errorf("begin/end %v %v", sum.Begin, sum.End)
	}
}

func TestStrictBadRow(t *testing.T) {
	dir := t.TempDir()
	jtl := writeJTL(t, dir, "r.jtl", jtlHeader+"1700000000000,100,A,200,OK,TG 1-1,text,true,,1000,100,1,1,u,50,0,5\nnot,a,row\n")
	_, err := Generate([]string{jtl}, filepath.Join(dir, "o"), GenerateOptions{Read: ReadOptions{Strict: true}})
	if err == nil || !strings.Contains(err.Error(), "r.jtl:3") {
		t.Fatalf("strict: %v", err)
	}
	sum, err := Generate([]string{jtl}, filepath.Join(dir, "o2"), GenerateOptions{})
	if err != nil || sum.BadRows != 1 || sum.Samples != 1 {
		t.Fatalf("lenient: %+v %v", sum, err)
	}
}

func TestCollectorFromRun(t *testing.T) {
	o, _ := ReportOptionsFromProps(nil)
	c := NewCollector(o)
	for i := range 100 {
		c.AddSample(smp(1700000000000+int64(i)*100, int64(i), "L", i%10 != 0))
	}
	dir := filepath.Join(t.TempDir(), "rep")
	sum, err := c.WriteReport(dir, WriteOptions{Title: "run"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Samples != 100 || sum.Errors != 10 || math.Abs(sum.ErrorPct-10) > 1e-9 {
		t.Errorf("%+v", sum)
	}
	if _, err := os.Stat(sum.IndexPath); errors.Is(err, fs.ErrNotExist) {
		t.Error("no index.html")
	}
}

// A run's in-memory report equals the report made from the JTL the run wrote.
func TestCollectorMatchesJTLReport(t *testing.T) {
	cfg := DefaultSaveConfig()
	o, _ := ReportOptionsFromProps(nil)
	c := NewCollector(o)
	buf := []byte(cfg.Header() + "\n")
	base := time.UnixMilli(1700000000000)
	for i := range 500 {
		r := &sample.Result{Label: "GET /" + strconv.Itoa(i%4), Start: base.Add(time.Duration(i) * 37 * time.Millisecond),
			Elapsed: time.Duration(20+i%97) * time.Millisecond, Latency: 10 * time.Millisecond, ResponseCode: "200", ResponseMessage: "OK",
			ThreadName: "TG 1-" + strconv.Itoa(1+i%3), DataType: "text", Success: i%13 != 0, Bytes: int64(100 + i), SentBytes: 50, GrpThreads: 3, AllThreads: 3}
		if !r.Success {
			r.ResponseCode, r.ResponseMessage = "503", "Service Unavailable"
		}
		if i%5 == 0 { // a redirect hop as a sub-result
			sub := *r
			sub.Label = r.Label + "-0"
			sub.ResponseCode, sub.ResponseMessage = "302", "Found"
			r.Subs = []*sample.Result{&sub}
		}
		c.Add(r)
		buf = FormatRows(buf, r, &cfg)
	}
	dir := t.TempDir()
	jtl := writeJTL(t, dir, "run.jtl", string(buf))
	fromFile, err := Generate([]string{jtl}, filepath.Join(dir, "a"), GenerateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	inRun, err := GenerateFromStats(c, filepath.Join(dir, "b"), GenerateOptions{}, "run.jtl")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(fromFile.StatsPath)
	b, _ := os.ReadFile(inRun.StatsPath)
	if string(a) != string(b) || len(inRun.Rows) != 8 {
		t.Errorf("in-run statistics differ from the JTL's:\n%s\n---\n%s", a, b)
	}
}

func TestDateRangeFilter(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(jtlHeader)
	base := time.Date(2026, 1, 2, 10, 0, 0, 0, time.Local).UnixMilli()
	for i := range 10 { // one sample a minute, 10:00 … 10:09
		b.WriteString(strconv.FormatInt(base+int64(i)*60000, 10) + ",100,A,200,OK,TG 1-1,text,true,,1000,100,1,1,u,50,0,5\n")
	}
	jtl := writeJTL(t, dir, "r.jtl", b.String())
	p := functions.NewProperties()
	p.Set("jmeter.reportgenerator.start_date", "20260102100300")
	p.Set("jmeter.reportgenerator.end_date", "2026-01-02 10:05")
	if _, err := Generate([]string{jtl}, filepath.Join(dir, "bad"), GenerateOptions{Props: p}); err == nil || !strings.Contains(err.Error(), "end_date") {
		t.Fatalf("bad end_date: %v", err)
	}
	p.Set("jmeter.reportgenerator.end_date", "20260102100500")
	sum, err := Generate([]string{jtl}, filepath.Join(dir, "ok"), GenerateOptions{Props: p})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Samples != 3 || sum.Begin.UnixMilli() != base+3*60000 { // 10:03, 10:04, 10:05 inclusive
		t.Errorf("%d samples from %v", sum.Samples, sum.Begin)
	}
}

// XML JTLs (which JMeter's -g refuses) give the same report as CSV.
func TestGenerateFromXML(t *testing.T) {
	dir := t.TempDir()
	xml := `<?xml version="1.0" encoding="UTF-8"?>
<testResults version="1.2">
<httpSample t="120" it="0" lt="100" ct="3" ts="1700000000000" s="true" lb="GET /a" rc="200" rm="OK" tn="TG 1-1" dt="text" by="500" sby="100" ng="1" na="1">
  <httpSample t="40" it="0" lt="30" ct="3" ts="1700000000000" s="true" lb="GET /a-0" rc="302" rm="Found" tn="TG 1-1" dt="text" by="100" sby="50" ng="1" na="1"/>
</httpSample>
<sample t="300" it="0" lt="0" ct="0" ts="1700000000200" s="false" lb="&lt;script&gt;x" rc="500" rm="Oops" tn="TG 1-1" dt="text" by="10" sby="0" ng="1" na="1"/>
</testResults>
`
	jtl := writeJTL(t, dir, "r.xml", xml)
	sum, err := Generate([]string{jtl}, filepath.Join(dir, "o"), GenerateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, r := range sum.Rows {
		labels = append(labels, r.Label)
	}
	if sum.Samples != 3 || sum.Errors != 1 || strings.Join(labels, "|") != "GET /a|GET /a-0|<script>x" {
		t.Errorf("%d samples, %d errors, labels %q", sum.Samples, sum.Errors, labels)
	}
}

// The engine's virtual users feed one Collector at once.
func TestCollectorConcurrentAdd(t *testing.T) {
	o, _ := ReportOptionsFromProps(nil)
	c := NewCollector(o)
	var wg sync.WaitGroup
	base := time.UnixMilli(1700000000000)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				c.Add(&sample.Result{Label: "L" + strconv.Itoa(g%3), Start: base.Add(time.Duration(i) * time.Millisecond),
					Elapsed: time.Duration(i%50) * time.Millisecond, ResponseCode: "200", Success: true, ThreadName: "TG 1-" + strconv.Itoa(g+1)})
			}
		}()
	}
	wg.Wait()
	sum, err := c.WriteReport(filepath.Join(t.TempDir(), "r"), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Samples != 8000 || len(sum.Rows) != 3 {
		t.Errorf("%d samples in %d rows", sum.Samples, len(sum.Rows))
	}
	c.Add(&sample.Result{Label: "late", Start: base}) // after the report: ignored, no race
	if c.Stats().Total().Samples != 8000 {
		t.Error("a result added after WriteReport was counted")
	}
}

func TestGenerateRefusesAFileThatIsNotAJTL(t *testing.T) {
	dir := t.TempDir()
	jtl := writeJTL(t, dir, "notes.jtl", "# my notes\nnothing, here, is a sample\n")
	_, err := Generate([]string{jtl}, filepath.Join(dir, "out"), GenerateOptions{})
	var nj *NotJTLError
	var re *RowError
	if !errors.As(err, &nj) || nj.Bad != 2 || !errors.As(err, &re) || re.Line != 1 || !strings.Contains(err.Error(), "notes.jtl:1:") {
		t.Fatalf("Generate on notes: %v", err)
	}
	// One good row among bad ones is a report (the bad rows counted).
	jtl = writeJTL(t, dir, "mixed.jtl", jtlHeader+"1700000000000,100,A,200,OK,TG 1-1,text,true,,1000,100,1,1,http://x/a,50,0,5\nxx,yy\n")
	sum, err := Generate([]string{jtl}, filepath.Join(dir, "out2"), GenerateOptions{})
	if err != nil || sum.BadRows != 1 || sum.Samples != 1 {
		t.Fatalf("mixed: %v %+v", err, sum)
	}
}
