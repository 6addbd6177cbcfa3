package jdbc

import (
	"reflect"
	"strings"
	"testing"
)

func TestNumberPlaceholders(t *testing.T) {
	for _, c := range []struct{ in, out string }{
		{"select ? , ?", "select $1 , $2"},
		{"select '?', \"a?\", ? -- ?\n, ?", "select '?', \"a?\", $1 -- ?\n, $2"},
		{"select $$ ? $$, $tag$ ?$tag$, ?", "select $$ ? $$, $tag$ ?$tag$, $1"},
		{"select '{a}'::jsonb ?? 'a', ?", "select '{a}'::jsonb ? 'a', $1"},
		{"select /* ? /* ? */ ? */ ?", "select /* ? /* ? */ ? */ $1"},
		{"select 'it''s ?', ?", "select 'it''s ?', $1"},
	} {
		if got, _ := numberPlaceholders(c.in); got != c.out {
			t.Errorf("%q -> %q, want %q", c.in, got, c.out)
		}
	}
}

func TestSplitArguments(t *testing.T) {
	got, err := splitCSV(`1,"a, ""b""",,x`)
	if err != nil || !reflect.DeepEqual(got, []string{"1", `a, "b"`, "", "x"}) {
		t.Errorf("got %q %v", got, err)
	}
	if _, err := splitCSV(`a"b`); err == nil || !strings.Contains(err.Error(), "Cannot have quote-char in plain field:[a\"]") {
		t.Errorf("quote in plain field: %v", err)
	}
	got, _ = splitCSV("a,b\nc")
	if !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("stops at the line end: %q", got)
	}
}

func TestParamsAsJavaParsesThem(t *testing.T) {
	ps, err := parseParams("5,]NULL[,2024-3-9,TRUE,1e3", "INTEGER,VARCHAR,DATE,BOOLEAN,DOUBLE")
	if err != nil {
		t.Fatal(err)
	}
	if ps[0].text != "5" || !ps[1].null || ps[2].text != "2024-03-09" || ps[3].text != "true" || ps[4].text != "1000" {
		t.Errorf("%+v", ps)
	}
	for _, c := range []struct{ v, typ, msg string }{
		{"300", "TINYINT", `java.lang.NumberFormatException: Value out of range. Value:"300" Radix:10`},
		{" 5", "INTEGER", `java.lang.NumberFormatException: For input string: " 5"`},
		{"2024-13-45", "DATE", "java.lang.IllegalArgumentException"},
		{"1", "NOPE", "java.sql.SQLException: Invalid data type: NOPE"},
	} {
		if _, err := parseParams(c.v, c.typ); err == nil || err.Error() != c.msg {
			t.Errorf("%s as %s: %v, want %s", c.v, c.typ, err, c.msg)
		}
	}
	if ps, err := parseParams("1,2", "OUT INTEGER,0x0c"); err != nil || !ps[0].out || ps[0].in || ps[1].typ != tVarchar {
		t.Errorf("directions and numeric types: %+v %v", ps, err)
	}
}

func TestValuesAsJavaPrintsThem(t *testing.T) {
	for _, c := range []struct {
		oid      uint32
		in, want string
	}{
		{oidFloat8, "1e+10", "1.0E10"}, {oidFloat8, "100", "100.0"}, {oidFloat4, "3.5e-05", "3.5E-5"},
		{oidNumeric, "0.0000001", "1E-7"}, {oidNumeric, "-0.000000123", "-1.23E-7"}, {oidNumeric, "0.000001", "0.000001"},
		{oidNumeric, "123.4500", "123.4500"}, {oidBool, "f", "false"}, {oidBytea, `\x616263`, "abc"},
		{oidTimestamp, "2024-01-02 03:04:05", "2024-01-02 03:04:05.0"}, {oidTimestamptz, "2024-01-02 03:04:05.120+00", "2024-01-02 03:04:05.12"},
		{oidTime, "07:08:09.5", "07:08:09"}, {25, "as is", "as is"},
	} {
		if got := pgValue(c.oid, []byte(c.in)); got != c.want {
			t.Errorf("oid %d %q -> %q, want %q", c.oid, c.in, got, c.want)
		}
	}
}

// FuzzStatementText feeds the SQL and argument parsers hostile text: they
// must neither panic nor lose or invent parameter markers.
func FuzzStatementText(f *testing.F) {
	for _, s := range []string{"select ?", "'?", "$a$ ? $a", "/* ? ", "{? = call f(?)}", `"a""b",c`, "1,\"x", "??", "$1?$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, n := numberPlaceholders(s)
		if n > strings.Count(s, "?") || (n == 0 && out != s && !strings.Contains(s, "??")) {
			t.Fatalf("%q -> %q (%d markers)", s, out, n)
		}
		callEscape(s)
		if vals, err := splitCSV(s); err == nil && len(vals) > len(s)+1 {
			t.Fatalf("%q split into %d values", s, len(vals))
		}
		parseParams(s, s)
		for _, oid := range []uint32{oidBool, oidBytea, oidFloat4, oidFloat8, oidNumeric, oidTime, oidTimetz, oidTimestamp, oidTimestamptz} {
			pgValue(oid, []byte(s))
		}
	})
}
