package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/sample"
)

// trickyResults covers what a JTL must carry intact: quoting, empty and
// null fields, failures, transaction rows, nested sub-results, variables.
func trickyResults() []*sample.Result {
	base := httpResult()
	base.Vars = []string{"alice", `x"y`}
	quoted := httpResult()
	quoted.Label = "a,b \"c\"\nd;e\tf"
	quoted.ResponseMessage = "Moved, \r\nPermanently"
	quoted.Vars = []string{"", "v,w"}
	failed := httpResult()
	failed.Success = false
	failed.ResponseCode = "Non HTTP response code: java.net.ConnectException"
	failed.ResponseMessage = "Non HTTP response message: Connection refused"
	failed.Assertions = []sample.AssertionResult{{Name: "A", Failure: true, FailureMessage: "Test failed: code expected 200, got \"500\""}}
	failed.Vars = []string{"bob", "z"}
	redirect := httpResult()
	redirect.Label = "GET /login"
	redirect.Vars = []string{"carol", "q"}
	hop0, hop1 := httpResult(), httpResult()
	hop0.Label, hop1.Label = "GET /login-0", "GET /login-1"
	hop0.ResponseCode, hop0.ResponseMessage = "302", "Found"
	hop0.Subs = []*sample.Result{{Label: "embedded", Start: hop0.Start, Success: true, ThreadName: "Thread Group 1-1"}}
	redirect.Subs = []*sample.Result{hop0, hop1}
	tc := &sample.Result{Label: "TC", Start: time.UnixMilli(1700000009000), Elapsed: 44 * time.Millisecond,
		Idle: 7 * time.Millisecond, ResponseMessage: TransactionPrefix + "2, number of failing samples : 1",
		ThreadName: "Thread Group 1-1", Bytes: 99, Transaction: true, SampleCount: 1, ErrorCount: 1, Vars: []string{"dan", "t"}}
	return []*sample.Result{base, quoted, failed, redirect, tc}
}

// flatten lists a result and its sub-results depth-first, as the JTL holds
// them, each carrying the top result's variables.
func flattenResults(rs []*sample.Result) []Sample {
	var out []Sample
	var walk func(r *sample.Result, vars []string)
	walk = func(r *sample.Result, vars []string) {
		var s Sample
		ResultToSample(r, &s)
		s.Vars = vars
		out = append(out, s)
		for _, c := range r.Subs {
			walk(c, vars)
		}
	}
	for _, r := range rs {
		walk(r, r.Vars)
	}
	return out
}

// defaultColumns keeps what the stock 17 columns (plus variables) hold.
func defaultColumns(s Sample) string {
	return fmt.Sprintf("%d|%d|%q|%q|%q|%q|%q|%v|%q|%d|%d|%d|%d|%q|%d|%d|%d|%q",
		s.TimeStamp, s.Elapsed, s.Label, s.ResponseCode, s.ResponseMessage, s.ThreadName, s.DataType, s.Success,
		s.FailureMessage, s.Bytes, s.SentBytes, s.GrpThreads, s.AllThreads, s.URL, s.Latency, s.IdleTime, s.Connect, s.Vars)
}

func TestJTLRoundTripThroughReader(t *testing.T) {
	for _, tc := range []struct {
		name  string
		props map[string]string
	}{
		{"csv", nil},
		{"csv-semicolon", map[string]string{"jmeter.save.saveservice.default_delimiter": ";"}},
		{"csv-tab-no-header", map[string]string{"jmeter.save.saveservice.default_delimiter": `\t`, "jmeter.save.saveservice.print_field_names": "false"}},
		{"xml", map[string]string{"jmeter.save.saveservice.output_format": "xml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := functions.NewProperties()
			p.Set("sample_variables", "user,token")
			for k, v := range tc.props {
				p.Set(k, v)
			}
			cfg, err := SaveConfigFromProps(p)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "r.jtl")
			w, err := OpenJTLWriter(path, cfg)
			if err != nil {
				t.Fatal(err)
			}
			rs := trickyResults()
			for _, r := range rs {
				w.Add(r)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			rd, err := OpenJTL(path, ReadOptions{Props: p, Strict: true})
			if err != nil {
				t.Fatal(err)
			}
			defer rd.Close()
			var got []string
			for {
				s, err := rd.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, defaultColumns(*s))
			}
			want := flattenResults(rs)
			if len(got) != len(want) {
				t.Fatalf("read %d samples, wrote %d", len(got), len(want))
			}
			for i := range want {
				if cfg.XML && want[i].URL == "null" {
					want[i].URL = "" // XML has no URL element for a sample without one
				}
				if w := defaultColumns(want[i]); got[i] != w {
					t.Errorf("sample %d\n got %s\nwant %s", i, got[i], w)
				}
			}
		})
	}
}

// FuzzJTLRowRoundTrip writes arbitrary labels and messages and reads them
// back with the JTL reader: the quoting must keep every byte.
func FuzzJTLRowRoundTrip(f *testing.F) {
	f.Add("plain", "OK", byte(','))
	f.Add("a,b", "say \"hi\"", byte(','))
	f.Add("x\r\ny", "\n", byte(';'))
	f.Add("tab\there", "\"", byte('\t'))
	f.Add("", "", byte('|'))
	f.Fuzz(func(t *testing.T, label, msg string, delim byte) {
		if _, err := ParseDelimiter(string([]byte{delim})); err != nil {
			return
		}
		cfg := DefaultSaveConfig()
		cfg.Delimiter = delim
		r := httpResult()
		r.Label, r.ResponseMessage = label, msg
		data := append([]byte(cfg.Header()+"\n"), FormatRow(nil, r, cfg)...)
		p := functions.NewProperties()
		p.Set("jmeter.save.saveservice.default_delimiter", string([]byte{delim}))
		rd, err := NewJTLReader(bytes.NewReader(data), "fuzz.jtl", ReadOptions{Props: p, Strict: true})
		if err != nil {
			t.Fatalf("reader refused %q: %v", data, err)
		}
		s, err := rd.Next()
		if err != nil {
			t.Fatalf("reading %q: %v", data, err)
		}
		if s.Label != label || s.ResponseMessage != msg {
			t.Fatalf("wrote label %q message %q, read %q %q (file %q)", label, msg, s.Label, s.ResponseMessage, data)
		}
	})
}
