package flexfile

import (
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/sample"
)

func exampleResult() *sample.Result {
	return &sample.Result{
		Label: "Login", Start: time.UnixMilli(1311121131362), Elapsed: 250 * time.Millisecond,
		Latency: 40 * time.Millisecond, Connect: 7 * time.Millisecond, ResponseCode: "200", ResponseMessage: "OK",
		ThreadName: "Users 1-1", Success: true, Bytes: 140, GrpThreads: 3, AllThreads: 5, SampleCount: 1,
		URL: "http://127.0.0.1:1/login", SamplerData: "GET http://127.0.0.1:1/login\n\nnaïve😀",
		RequestHeaders: "Accept: */*\n", ResponseHeaders: "HTTP/1.1 200 OK\nContent-Length: 4\n",
		Body: []byte("body"), Vars: []string{"alice", ""},
	}
}

func row(t *testing.T, columns string, r *sample.Result, nvars int) string {
	t.Helper()
	b, ok := Compile(columns).Append(nil, r, nvars)
	if !ok {
		t.Fatalf("%q: row lost", columns)
	}
	return string(b)
}

func TestRecordFields(t *testing.T) {
	r := exampleResult()
	for _, c := range []struct{ columns, want string }{
		// the plugin's documented example
		{`startTime|\t|responseTime|\t|responseCode|\t|isSuccsessful|\r\n`, "1311121131362\t250\t200\t1\r\n"},
		{`endTime|;|startTimeMillis|;|endTimeMillis`, "1311121131612;1311121131.362;1311121131.612"},
		{`responseTimeMicros| |latencyMicros| |latency| |connectTime`, "250000 40000 40 7"},
		{`threadName|/|sampleLabel|/|responseMessage|/|isFailed|/|URL`, "Users 1-1/Login/OK/0/http://127.0.0.1:1/login"},
		// sentBytes is the request text's Java length (UTF-16 units), receivedBytes the body's bytes
		{`sentBytes|,|receivedBytes|,|responseHeaderSize|,|responseSize`, "37,4,38,102"},
		{`threadsCount|,|grpThreads|,|sampleCount|,|errorCount`, "5,3,1,0"},
		{`requestHeaders|responseData`, "Accept: */*\nbody"},
		{`responseHeaders`, "HTTP/1.1 200 OK\nContent-Length: 4\n"},
		// "||" is a literal bar; a name with a space is text
		{`responseCode||responseCode`, "200|200"},
		{`responseCode| responseCode`, "200 responseCode"},
		// sample variables by index; past the listed names: UNDEFINED
		{`variable#0|,|variable#1|,|variable#2|,|variable#x`, "alice,,UNDEFINED_variable#2,variable#x"},
		// trailing bars are dropped (Java's split), an empty spec writes one bar
		{`responseCode|||`, "200"},
		{``, "|"},
		{`|`, ""},
		// escapes: \\ is a backslash, and so (as in the plugin) is the text VERY BAD WAY
		{`a\\tb\n|VERY BAD WAY`, "a\\tb\n\\"},
	} {
		if got := row(t, c.columns, r, 2); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.columns, got, c.want)
		}
	}
	// no sampler data (a transaction sample): requestData is the plugin's "0"
	r.SamplerData = ""
	if got := row(t, `requestData|,|sentBytes`, r, 0); got != "0,0" {
		t.Errorf("empty sampler data: %q", got)
	}
	if _, ok := Compile(`variable#-1`).Append(nil, r, 1); ok {
		t.Error("a negative variable index must lose the row, as the plugin's exception does")
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		`\t\n\r`: "\t\n\r", `\\n`: `\n`, `\\\n`: "\\\n", `plain`: "plain", `\x`: `\x`,
	} {
		if got := Unescape(in); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzRecord: any specification compiles, and a row is the parts in order
// (never a panic, bounded by the specification and the sample).
func FuzzRecord(f *testing.F) {
	for _, s := range []string{`startTime|\t|responseTime|\r\n`, `||`, `variable#0|variable#99999999999|variable#-3`, "", `\\\\|\\`, `VERY BAD WAY|`} {
		f.Add(s)
	}
	r := exampleResult()
	f.Fuzz(func(t *testing.T, columns string) {
		b, ok := Compile(columns).Append(nil, r, 2)
		if !ok {
			if !strings.Contains(columns, "variable#-") {
				t.Fatalf("%q: row lost without a negative index", columns)
			}
			return
		}
		if len(b) > 4*len(columns)+4096 {
			t.Fatalf("%q: row of %d bytes", columns, len(b))
		}
	})
}
