package functions

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/script"
)

// evalOnce compiles s and evaluates it once with c.
func evalOnce(t *testing.T, c *Context, s string) string {
	t.Helper()
	tpl, err := Compile(s)
	if err != nil {
		t.Fatalf("Compile(%q): %v", s, err)
	}
	return tpl.Eval(c)
}

type fnCase struct {
	in    string
	want  string            // exact result, unless match is set
	match string            // regexp the result must match
	vars  map[string]string // variables expected afterwards
}

func runFnCases(t *testing.T, setup func(c *Context), cases []fnCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			c := testContext()
			if setup != nil {
				setup(c)
			}
			got := evalOnce(t, c, tc.in)
			if tc.match != "" {
				if !regexp.MustCompile(tc.match).MatchString(got) {
					t.Errorf("%s = %q, want match %s", tc.in, got, tc.match)
				}
			} else if got != tc.want {
				t.Errorf("%s = %q, want %q", tc.in, got, tc.want)
			}
			for k, v := range tc.vars {
				if g, ok := c.Vars.Get(k); !ok || g != v {
					t.Errorf("%s: var %s = %q (set %v), want %q", tc.in, k, g, ok, v)
				}
			}
		})
	}
}

func TestPropertyFunctions(t *testing.T) {
	setup := func(c *Context) {
		c.Props.Set("threads", " 25 ")
		c.Props.Set("host", "example.com")
		c.Vars.Put("pname", "host")
	}
	runFnCases(t, setup, []fnCase{
		{in: "${__P(threads)}", want: "25"},
		{in: "${__P(threads,5)}", want: "25"},
		{in: "${__P(missing)}", want: "1"},
		{in: "${__P(missing,)}", want: ""},
		{in: "${__P(missing,10)}", want: "10"},
		{in: "${__P(${pname})}", want: "example.com"},
		{in: "${__property(host)}", want: "example.com"},
		{in: "${__property(missing)}", want: "missing"},
		{in: "${__property(missing,,dflt)}", want: "dflt"},
		{in: "${__property(host,h)}", want: "example.com", vars: map[string]string{"h": "example.com"}},
		{in: "${__property(missing,m,d)}", want: "d", vars: map[string]string{"m": "d"}},
		{in: "${__isPropDefined(host)}", want: "true"},
		{in: "${__isPropDefined(nope)}", want: "false"},
		{in: "${__isVarDefined(pname)}", want: "true"},
		{in: "${__isVarDefined(nope)}", want: "false"},
		{in: "${__V(pname)}", want: "host"},
		{in: "${__V(nope)}", want: "nope"},
		{in: "${__V(nope,fallback)}", want: "fallback"},
	})
}

func TestSetProperty(t *testing.T) {
	c := testContext()
	if got := evalOnce(t, c, "${__setProperty(a,1)}"); got != "" {
		t.Errorf("setProperty returned %q", got)
	}
	if got := evalOnce(t, c, "${__setProperty(a,2,true)}"); got != "1" {
		t.Errorf("setProperty returnOld = %q, want 1", got)
	}
	if v, _ := c.Props.Get("a"); v != "2" {
		t.Errorf("property a = %q", v)
	}
	// Properties are shared: another user sees it.
	other := NewContext(nil, c.Props, c.Shared)
	if got := evalOnce(t, other, "${__P(a)}"); got != "2" {
		t.Errorf("other user sees %q", got)
	}
}

func TestIdentityFunctions(t *testing.T) {
	runFnCases(t, nil, []fnCase{
		{in: "${__threadNum}", want: "3"},
		{in: "${__threadGroupName}", want: "Users"},
		{in: "${__samplerName}", want: "Login"},
		{in: "${__samplerName(s)}", want: "Login", vars: map[string]string{"s": "Login"}},
		{in: "${__TestPlanName}", want: "shop.jmx"},
		// JMeter 5.6.3 has no __iterationNum (the conformance golden shows it
		// literal), so it stays as written like any unknown function.
		{in: "${__iterationNum}", want: "${__iterationNum}"},
		{in: "${__machineName}", match: `^.+$`},
		{in: "${__machineIP}", match: `^\d+\.\d+\.\d+\.\d+$`},
		{in: "${__UUID}", match: `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`},
		{in: "${__UUID()}", match: `^[0-9a-f-]{36}$`},
	})
}

func TestRandomFunctions(t *testing.T) {
	c := testContext()
	tpl := MustCompile("${__Random(1,3,r)}")
	seen := map[string]bool{}
	for i := 0; i < 300; i++ {
		v := tpl.Eval(c)
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3 {
			t.Fatalf("__Random(1,3) = %q", v)
		}
		seen[v] = true
		if r, _ := c.Vars.Get("r"); r != v {
			t.Fatalf("var r = %q, want %q", r, v)
		}
	}
	if len(seen) != 3 {
		t.Errorf("__Random(1,3) is inclusive: saw %v", seen)
	}
	if v := evalOnce(t, c, "${__Random( 5 , 5 )}"); v != "5" {
		t.Errorf("trimmed bounds: %q", v)
	}
	if v := evalOnce(t, c, "${__Random(-9223372036854775808,9223372036854775807)}"); v == "" {
		t.Error("full int64 range")
	}
	// Dynamic bounds that are not numbers: empty result, logged.
	var logged []string
	c.Log = func(level, msg string) { logged = append(logged, level+" "+msg) }
	c.Vars.Put("lo", "ten")
	if v := evalOnce(t, c, "${__Random(${lo},20)}"); v != "" || len(logged) != 1 {
		t.Errorf("bad dynamic bound: %q, log %v", v, logged)
	}
	if _, err := Compile("${__Random(5,1)}"); err == nil {
		t.Error("max < min is a compile error")
	}

	s := evalOnce(t, c, "${__RandomString(12,abc,rs)}")
	if !regexp.MustCompile(`^[abc]{12}$`).MatchString(s) {
		t.Errorf("__RandomString = %q", s)
	}
	if v, _ := c.Vars.Get("rs"); v != s {
		t.Errorf("rs = %q", v)
	}
	if s := evalOnce(t, c, "${__RandomString(8,)}"); !regexp.MustCompile(`^[A-Za-z0-9]{8}$`).MatchString(s) {
		t.Errorf("__RandomString default chars = %q", s)
	}
	if s := evalOnce(t, c, "${__RandomString(3,é✓)}"); len([]rune(s)) != 3 || strings.Trim(s, "é✓") != "" {
		t.Errorf("__RandomString unicode = %q", s)
	}
	if _, err := Compile("${__RandomString(x,abc)}"); err == nil {
		t.Error("__RandomString(x) must not compile")
	}

	c.Vars.Put("id_matchNr", "2")
	c.Vars.Put("id_1", "a")
	c.Vars.Put("id_2", "b")
	c.Vars.Put("single", "s")
	got := map[string]bool{}
	for i := 0; i < 200; i++ {
		got[evalOnce(t, c, "${__RandomFromMultipleVars(id|single|missing,out)}")] = true
	}
	if len(got) != 3 || !got["a"] || !got["b"] || !got["s"] {
		t.Errorf("__RandomFromMultipleVars picked %v", got)
	}
	if v, _ := c.Vars.Get("out"); v == "" {
		t.Error("out not stored")
	}
}

func TestCounter(t *testing.T) {
	shared := NewShared()
	props := NewProperties()
	u1 := NewContext(nil, props, shared)
	u2 := NewContext(nil, props, shared)
	perUser := MustCompile("${__counter(TRUE,c)}")
	global := MustCompile("${__counter(FALSE)}")
	other := MustCompile("${__counter(true)}") // another call site counts separately
	for i := 1; i <= 3; i++ {
		if v := perUser.Eval(u1); v != strconv.Itoa(i) {
			t.Errorf("u1 per-user #%d = %s", i, v)
		}
	}
	if v := perUser.Eval(u2); v != "1" {
		t.Errorf("u2 per-user starts at 1, got %s", v)
	}
	if v, _ := u1.Vars.Get("c"); v != "3" {
		t.Errorf("c = %q", v)
	}
	if v := other.Eval(u1); v != "1" {
		t.Errorf("second call site = %s", v)
	}
	want := []string{"1", "2", "3", "4"}
	for i, u := range []*Context{u1, u2, u1, u2} {
		if v := global.Eval(u); v != want[i] {
			t.Errorf("global #%d = %s", i, v)
		}
	}
	// A fresh run (new Shared) starts again.
	if v := global.Eval(NewContext(nil, nil, nil)); v != "1" {
		t.Errorf("new run global = %s", v)
	}
}

func TestSums(t *testing.T) {
	runFnCases(t, func(c *Context) { c.Vars.Put("x", "5") }, []fnCase{
		{in: "${__intSum(1,2)}", want: "3"},
		{in: "${__intSum(1,2,3)}", want: "6"},
		{in: "${__intSum(1,2,total)}", want: "3", vars: map[string]string{"total": "3"}},
		{in: "${__intSum(${x},-1)}", want: "4"},
		{in: "${__intSum(2147483647,1)}", want: "-2147483648"},
		{in: "${__longSum(2147483647,1)}", want: "2147483648"},
		{in: "${__longSum(1,2,sum)}", want: "3", vars: map[string]string{"sum": "3"}},
		{in: "${__intSum(${__time(yyyy)},1)}", want: "2025"},
	})
}

func TestEvalFunctions(t *testing.T) {
	runFnCases(t, func(c *Context) {
		c.Vars.Put("name", "world")
		c.Vars.Put("greeting", "hello ${name}")
		c.Vars.Put("n", "1")
		c.Vars.Put("item_1", "first")
	}, []fnCase{
		{in: "${__eval(${greeting})}", want: "hello world"},
		{in: "${__evalVar(greeting)}", want: "hello world"},
		{in: "${__evalVar(missing)}", want: ""},
		{in: "${__V(item_${n})}", want: "first"},
		{in: "${__split(a|b||c,parts,|)}", want: "a|b||c", vars: map[string]string{
			"parts": "a|b||c", "parts_n": "4", "parts_1": "a", "parts_2": "b", "parts_3": "?", "parts_4": "c"}},
		{in: "${__split(a\\,b\\,,p)}", want: "a,b,", vars: map[string]string{"p_n": "3", "p_1": "a", "p_2": "b", "p_3": "?"}},
	})
}

func TestStringFunctions(t *testing.T) {
	runFnCases(t, func(c *Context) { c.Vars.Put("v", "a b&c") }, []fnCase{
		{in: "${__urlencode(${v})}", want: "a+b%26c"},
		{in: "${__urlencode(é~*.-_)}", want: "%C3%A9%7E*.-_"},
		{in: "${__urldecode(a+b%26c%C3%A9)}", want: "a b&cé"},
		{in: "${__urldecode(100%)}", want: "100%"},
		{in: `${__escapeHtml(<a href="x">'é'</a>&)}`, want: "&lt;a href=&quot;x&quot;&gt;&#39;&eacute;&#39;&lt;/a&gt;&amp;"},
		{in: "${__unescapeHtml(&lt;b&gt;&amp;&eacute;&#39;)}", want: "<b>&é'"},
		{in: `${__escapeXml(<a b="c">'é'</a>)}`, want: "&lt;a b=&quot;c&quot;&gt;&apos;&#xE9;&apos;&lt;/a&gt;"},
		{in: `${__unescape(a\\nb\\u0041)}`, want: "a\nbA"},
		{in: "${__escapeOroRegexpChars(a.b*c[1],r)}", want: `a\.b\*c\[1\]`, vars: map[string]string{"r": `a\.b\*c\[1\]`}},
		{in: "${__char(65,0x42,#43,0104)}", want: "ABCD"},
		{in: "${__char(0x263A)}", want: "☺"},
		{in: "${__changeCase(Hello,UPPER)}", want: "HELLO"},
		{in: "${__changeCase(Hello)}", want: "HELLO"},
		{in: "${__changeCase(Hello,lower,lc)}", want: "hello", vars: map[string]string{"lc": "hello"}},
		{in: "${__changeCase(hello world,CAPITALIZE)}", want: "Hello world"},
		{in: "${__digest(MD5,hello)}", want: "5d41402abc4b2a76b9719d911017c592"},
		{in: "${__digest(SHA-256,hello,,true,d)}", want: "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
			vars: map[string]string{"d": "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824"}},
		{in: "${__digest(SHA-1,hel,lo)}", want: "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"},
		{in: "${__digest(sha-512,x)}", match: "^[0-9a-f]{128}$"},
		{in: "${__base64Encode(hello world)}", want: "aGVsbG8gd29ybGQ="},
		{in: "${__base64Encode(${v},b)}", want: "YSBiJmM=", vars: map[string]string{"b": "YSBiJmM="}},
		{in: "${__base64Decode(aGVsbG8gd29ybGQ=)}", want: "hello world"},
		{in: "${__base64Decode(aGVsbG8gd29ybGQ)}", want: "hello world"},
		{in: "${__log(message)}", want: "message"},
		{in: "${__logn(message)}", want: ""},
	})
}

func TestLogFunction(t *testing.T) {
	c := testContext()
	var got []string
	c.Log = func(level, msg string) { got = append(got, level+"|"+msg) }
	evalOnce(t, c, "${__log(hello,WARN)}${__log(x,,,:)}${__logn(y,bogus)}")
	want := []string{"WARN|Users 1-3 : hello", "INFO|Users 1-3 : x", "DEBUG|Users 1-3 : y"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log lines = %q, want %q", got, want)
	}
}

func TestTimeFunction(t *testing.T) {
	// 2024-03-05 14:07:09.123456789 UTC (testContext's clock)
	ms := time.Date(2024, 3, 5, 14, 7, 9, 123456789, time.UTC).UnixMilli()
	runFnCases(t, func(c *Context) { c.Props.Set("time.USER1", "dd/MM") }, []fnCase{
		{in: "${__time()}", want: strconv.FormatInt(ms, 10)},
		{in: "${__time}", want: strconv.FormatInt(ms, 10)},
		{in: "${__time(,)}", want: strconv.FormatInt(ms, 10)},
		{in: "${__time(,t)}", want: strconv.FormatInt(ms, 10), vars: map[string]string{"t": strconv.FormatInt(ms, 10)}},
		{in: "${__time(/1000)}", want: strconv.FormatInt(ms/1000, 10)},
		{in: "${__time(/1000,)}", want: strconv.FormatInt(ms/1000, 10)},
		{in: "${__time(YMD)}", want: "20240305"},
		{in: "${__time(HMS)}", want: "140709"},
		{in: "${__time(YMDHMS)}", want: "20240305-140709"},
		{in: "${__time(USER1)}", want: "05/03"},
		{in: "${__time(USER2)}", want: ""},
		{in: "${__time(yyyy-MM-dd'T'HH:mm:ss.SSSZ)}", want: "2024-03-05T14:07:09.123+0000"},
		{in: "${__time(yyyy-MM-dd'T'HH:mm:ss.SSSXXX)}", want: "2024-03-05T14:07:09.123Z"},
		{in: "${__time(yyyy-MM-dd'T'hh-mm-ss.SSS'Z')}", want: "2024-03-05T02-07-09.123Z"},
		{in: "${__time(yyyyMMdd'T210000Z')}", want: "20240305T210000Z"},
		{in: "${__time(d-MMM-yyyy hh:mm:ss a)}", want: "5-Mar-2024 02:07:09 PM"},
		{in: "${__time(EEEE\\, MMMM d\\, uuuu)}", want: "Tuesday, March 5, 2024"},
		{in: "${__time(EEE yy D)}", want: "Tue 24 65"},
		{in: "${__time(H:m:s n)}", want: "14:7:9 123456789"},
		{in: "${__time(''yyyy'')}", want: "'2024'"},
		{in: "${__time(z VV)}", want: "UTC UTC"},
		{in: "${__time(YYYY-ww e c Q qqq QQQQ F W eeee)}", want: "2024-10 3 3 1 Q1 1st quarter 1 2 Tuesday"},
		{in: "${__time(yyyy,year)}", want: "2024", vars: map[string]string{"year": "2024"}},
	})
	// A zone with an offset.
	c := testContext()
	zone := time.FixedZone("IST", 5*3600+1800)
	c.Now = func() time.Time { return time.Date(2024, 12, 31, 23, 5, 0, 0, zone) }
	for in, want := range map[string]string{
		"${__time(yyyy-MM-dd HH:mm Z)}":    "2024-12-31 23:05 +0530",
		"${__time(XXX|XX|X|x|ZZZZZ|ZZZZ)}": "+05:30|+0530|+0530|+0530|+05:30|GMT+05:30",
		"${__time(z)}":                     "IST",
		"${__time(yy)}":                    "24",
		"${__time(k K h a)}":               "23 11 11 PM",
	} {
		if got := evalOnce(t, c, in); got != want {
			t.Errorf("%s = %q, want %q", in, got, want)
		}
	}
}

func TestDateFunctions(t *testing.T) {
	runFnCases(t, nil, []fnCase{
		{in: "${__dateTimeConvert(2024-01-15,yyyy-MM-dd,dd/MM/yyyy)}", want: "15/01/2024"},
		{in: "${__dateTimeConvert(20240115,yyyyMMdd,d MMM yyyy,out)}", want: "15 Jan 2024", vars: map[string]string{"out": "15 Jan 2024"}},
		{in: "${__dateTimeConvert(1705312800000,,yyyy-MM-dd HH:mm)}", want: "2024-01-15 10:00"},
		{in: "${__dateTimeConvert(15-Jan-2024 02:30 PM,dd-MMM-yyyy hh:mm a,HH:mm)}", want: "14:30"},
		{in: "${__dateTimeConvert(2024-01-15T10:00:00+02:00,yyyy-MM-dd'T'HH:mm:ssXXX,HH:mm)}", want: "08:00"},
		{in: "${__dateTimeConvert(not a date,yyyy-MM-dd,dd/MM/yyyy)}", want: ""},
		{in: "${__timeShift(yyyy-MM-dd,2024-01-31,P1D,,)}", want: "2024-02-01"},
		{in: "${__timeShift(yyyy-MM-dd,2024-01-31,-P1D,shifted)}", want: "2024-01-30", vars: map[string]string{"shifted": "2024-01-30"}},
		{in: "${__timeShift(yyyy-MM-dd HH:mm,2024-01-31 10:00,PT-90M,,)}", want: "2024-01-31 08:30"},
		{in: "${__timeShift(yyyy-MM-dd HH:mm:ss,,PT1H30M15S,,)}", want: "2024-03-05 15:37:24"},
		{in: "${__timeShift(,,PT1S,,)}", want: strconv.FormatInt(time.Date(2024, 3, 5, 14, 7, 10, 123456789, time.UTC).UnixMilli(), 10)},
		{in: "${__timeShift(dd/MM,05/03,P2D,,)}", want: "07/03"},
		{in: "${__timeShift(yyyy-dd-MM HH:m,2017-01-01 12:00,P+32dT-1H-5m,VAR)}", want: "2017-02-02 10:55", vars: map[string]string{"VAR": "2017-02-02 10:55"}},
		{in: "${__dateTimeConvert(2017-01-02 21:00:21,yyyy-MM-dd HH:mm:ss,dd-MM-yyyy hh:mm)}", want: "02-01-2017 09:00"},
		{in: "${__timeShift(yyyy-MM-dd,2024-01-31,P1DT12H,en_US,v)}", want: "2024-02-01", vars: map[string]string{"v": "2024-02-01"}},
		{in: "${__timeShift(yyyy-MMMM-dd,2017-juillet-01,P1D,fr_FR,)}", want: "2017-juillet-02"},
		{in: "${__timeShift(yyyy-MMMM-dd,2017-July-01,P1D,en_EN,)}", want: "2017-July-02"},
		{in: "${__timeShift(yyyy-MMMM-dd,2017-julio-01,P1D,es_ES,)}", want: "2017-julio-02"},
		{in: "${__timeShift(yyyy-MMMM-dd,2017-Juli-01,P1D,de_DE,)}", want: "2017-Juli-02"},
		{in: "${__timeShift(EEEE d MMMM,,P1D,it,)}", want: "mercoledì 6 marzo"},
		{in: "${__RandomDate(d MMMM yyyy,1 janeiro 2024,2 janeiro 2024,pt_BR,)}", want: "1 janeiro 2024"},
		{in: "${__RandomDate(yyyy-MM-dd,2024-01-01,2024-01-02)}", want: "2024-01-01"},
		{in: "${__RandomDate(yyyy-MM-dd,1960-05-01,1960-05-02)}", want: "1960-05-01"},
		{in: "${__RandomDate(,2024-02-28,2024-03-01,,d)}", match: `^2024-02-(28|29)$`},
		{in: "${__RandomDate(dd/MM/yyyy,,06/03/2024)}", want: "05/03/2024"},
		{in: "${__RandomDate(yyyy-MM-dd,2024-01-02,2024-01-01)}", want: ""},
	})
	for _, bad := range []string{
		"${__timeShift(yyyy,2024,P1X,,)}",
		"${__timeShift(yyyy-jj,2024,P1D,,)}",
		"${__dateTimeConvert(x,yyyy-MM-dd,[yyyy])}",
		"${__RandomDate(yyyy-MM-ddTHH,2024,2025)}",
		"${__timeShift(yyyy,,P1D,xx_YY,)}",       // unknown locale
		"${__timeShift(d MMM yyyy,,P1D,fr_FR,)}", // French abbreviations
	} {
		if _, err := Compile(bad); err == nil {
			t.Errorf("Compile(%s): no error", bad)
		}
	}
}

func TestJavaDurations(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"P1D": 24 * time.Hour, "PT-5M": -5 * time.Minute, "-PT1H": -time.Hour, "PT1.5S": 1500 * time.Millisecond,
		"P1DT2H3M4S": 26*time.Hour + 3*time.Minute + 4*time.Second, "pt10m": 10 * time.Minute, "-P-1D": 24 * time.Hour,
	} {
		got, err := parseJavaDuration(in)
		if err != nil || got != want {
			t.Errorf("parseJavaDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "P", "PT", "1D", "P1H", "PT1D", "P1.5D", "P1Y"} {
		if _, err := parseJavaDuration(in); err == nil {
			t.Errorf("parseJavaDuration(%q): no error", in)
		}
	}
}

func TestExpressionFunctions(t *testing.T) {
	runFnCases(t, func(c *Context) {
		c.Vars.Put("clean_portal", "1")
		c.Vars.Put("teacher_id", "0")
		c.Vars.Put("RetryCount", "3")
		c.Vars.Put("ids_matchNr", "0")
	}, []fnCase{
		{in: `${__jexl3("${clean_portal}" == "1")}`, want: "true"},
		{in: "${__jexl3(${teacher_id}!=0,)}", want: "false"},
		{in: "${__jexl3(1 + 2,sum)}", want: "3", vars: map[string]string{"sum": "3"}},
		{in: "${__jexl2(vars.get(\"RetryCount\") < 5)}", want: "true"},
		{in: `${__jexl3(vars.get("nope").length())}`, want: ""},
		{in: "${__javaScript(0${RetryCount} < 10)}", want: "true"},
		{in: `${__javaScript("${ids_matchNr}" !== "0")}`, want: "false"},
		{in: `${__javaScript("${ids_matchNr}" !== '0',)}`, want: "false"},
		{in: "${__javaScript(${RetryCount} + 1,next)}", want: "4", vars: map[string]string{"next": "4"}},
		{in: "${__javaScript(Math.floor(2.7))}", want: "2"},
		// beyond one-line expressions: the JavaScript engine
		{in: "${__javaScript(var a = ${RetryCount}; a * 2)}", want: "6"},
		{in: "${__javaScript(vars.put('j'\\, 'x'); [1\\,2].map(function(n){return n*2}).join('-'),r)}", want: "2-4", vars: map[string]string{"j": "x", "r": "2-4"}},
	})
	for _, bad := range []string{"${__jexl3(x = 1)}", "${__javaScript(var = ;)}",
		// unsupported constructs are found even when variables complete the text
		"${__jexl3(vars.get(\"${v}\").frobnicate())}"} {
		_, err := Compile(bad)
		if err == nil || !strings.Contains(err.Error(), "expression") && !strings.Contains(err.Error(), "script") {
			t.Errorf("Compile(%s) = %v, want an error naming the expression", bad, err)
		}
	}
	// Dynamic text that only variables make valid still compiles.
	for _, ok := range []string{"${__jexl3(${a} ${op} ${b})}", `${__javaScript("${x}" + ${y})}`, "${__jexl3(${cond})}"} {
		if _, err := Compile(ok); err != nil {
			t.Errorf("Compile(%s): %v", ok, err)
		}
	}
	// A dynamic expression that turns out broken is logged, not fatal.
	c := testContext()
	var logged []string
	c.Log = func(level, msg string) { logged = append(logged, msg) }
	c.Vars.Put("e", "1 +")
	if got := evalOnce(t, c, "${__jexl3(${e})}"); got != "" || len(logged) != 1 || !strings.Contains(logged[0], "1 +") {
		t.Errorf("broken dynamic expression: %q, log %q", got, logged)
	}
	// EvalExpression caches per run.
	if s, err := EvalExpression(c, JavaScript, "2 * 21"); err != nil || s != "42" {
		t.Errorf("EvalExpression = %q, %v", s, err)
	}
}

func TestGroovyExpressions(t *testing.T) {
	runFnCases(t, func(c *Context) {
		c.Vars.Put("outcome", "success")
		c.Vars.Put("occupancy", "100")
		c.Vars.Put("status", "away")
	}, []fnCase{
		{in: `${__groovy("${outcome}" == "success")}`, want: "true"},
		{in: `${__groovy("${occupancy}".toInteger() == 100)}`, want: "true"},
		{in: `${__groovy("${status}"!="available")}`, want: "true"},
		{in: `${__groovy("${status}"!="away",r)}`, want: "false", vars: map[string]string{"r": "false"}},
		{in: `${__groovy(7 / 2)}`, want: "3.5"},
		{in: `${__groovy(vars.get("occupancy").toInteger() + 1)}`, want: "101"},
		{in: `${__groovy("abc".size())}`, want: "3"},
	})
	// Beyond expressions, __groovy runs on the Java-family interpreter; a
	// build without it names the scripts as unsupported.
	if _, err := script.Compile(script.Groovy, "probe", "1"); err == nil {
		return
	}
	for _, src := range []string{
		"${__groovy(def x = 1; x)}",
		"${__groovy(new File('x').text)}",
		"${__groovy(vars.get(\"${v}\").collect { it })}",
	} {
		_, err := Compile(src)
		if !errors.Is(err, ErrUnsupported) {
			t.Errorf("Compile(%s) = %v, want ErrUnsupported", src, err)
		}
	}
}

func TestRegexFunction(t *testing.T) {
	c := testContext()
	c.Previous = &Previous{Body: []byte(`<a id="x1" href="/a">A</a><a id="x2" href="/b">B</a>`)}
	cases := []struct{ in, want string }{
		{`${__regexFunction(id="(\w+)" href="([^"]+)",$1$:$2$)}`, "x1:/a"},
		{`${__regexFunction(id="(\w+)",$1$,2)}`, "x2"},
		{`${__regexFunction(id="(\w+)",[$1$],ALL,-)}`, "[x1]-[x2]"},
		{`${__regexFunction(id="(\w+)",$1$,3,,none)}`, "none"},
		{`${__regexFunction(nomatch(\d+),$1$,1,,dflt,r)}`, "dflt"},
		{`${__regexFunction(id="(\w+)",$1$,1,,,res)}`, "x1"},
	}
	for _, tc := range cases {
		if got := evalOnce(t, c, tc.in); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.in, got, tc.want)
		}
	}
	for k, want := range map[string]string{"res": "x1", "res_g0": `id="x1"`, "res_g1": "x1", "res_matchNr": "2", "r": "dflt", "r_matchNr": "0"} {
		if v, _ := c.Vars.Get(k); v != want {
			t.Errorf("%s = %q, want %q", k, v, want)
		}
	}
	c.Vars.Put("input", "order=42")
	if got := evalOnce(t, c, `${__regexFunction(order=(\d+),$1$,1,,,,input)}`); got != "42" {
		t.Errorf("regex on a variable = %q", got)
	}
	if got := evalOnce(t, c, `${__regexFunction(id="(\w+)",$1$,RAND)}`); got != "x1" && got != "x2" {
		t.Errorf("RAND = %q", got)
	}
	if _, err := Compile(`${__regexFunction((?<=a)b,$1$)}`); err == nil {
		t.Error("look-behind should be a compile error")
	}
}

func TestFileFunctions(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("users.csv", "alice,pw1\nbob,pw2\ncarol,pw3\n\nignored,after-blank\n")
	write("lines.txt", "one\r\ntwo\nthree")
	write("body.json", `{"a": 1}`+"\n")
	write("latin.txt", "K\xf6ln")

	shared := NewShared()
	props := NewProperties()
	newUser := func() *Context {
		c := NewContext(nil, props, shared)
		c.PlanFile = filepath.Join(dir, "plan.jmx") // files are relative to the plan
		return c
	}
	u1, u2 := newUser(), newUser()
	col0 := MustCompile("${__CSVRead(users.csv,0)}")
	col1 := MustCompile("${__CSVRead(users.csv,1)}")
	next := MustCompile("${__CSVRead(users.csv,next)}")

	// Each user takes the next row on first use and keeps it until "next".
	if a, b := col0.Eval(u1), col1.Eval(u1); a != "alice" || b != "pw1" {
		t.Errorf("u1 row = %s,%s", a, b)
	}
	if a := col0.Eval(u2); a != "bob" {
		t.Errorf("u2 row = %s", a)
	}
	if a := col0.Eval(u1); a != "alice" {
		t.Errorf("u1 keeps its row, got %s", a)
	}
	if s := next.Eval(u1); s != "" {
		t.Errorf("next returned %q", s)
	}
	if a := col0.Eval(u1); a != "carol" {
		t.Errorf("u1 after next = %s", a)
	}
	next.Eval(u1)
	if a := col0.Eval(u1); a != "alice" {
		t.Errorf("wraps at end (blank line ends the data), got %s", a)
	}
	if s := MustCompile("${__CSVRead(users.csv,5)}").Eval(u1); s != "" {
		t.Errorf("column out of range = %q", s)
	}
	// Alias form.
	MustCompile("${__CSVRead(users.csv,*u)}").Eval(u2)
	if a := MustCompile("${__CSVRead(*u,0)}").Eval(u2); a != "alice" {
		t.Errorf("alias read = %q", a)
	}
	if _, err := Compile("${__CSVRead(users.csv,first)}"); err == nil {
		t.Error("bad column must not compile")
	}

	// __StringFromFile: next line for every call, shared, wraps; stores into a variable.
	sff := MustCompile("${__StringFromFile(lines.txt,line)}")
	var got []string
	for i := 0; i < 4; i++ {
		u := u1
		if i%2 == 1 {
			u = u2
		}
		got = append(got, sff.Eval(u))
	}
	if strings.Join(got, ",") != "one,two,three,one" {
		t.Errorf("StringFromFile = %v", got)
	}
	if v, _ := u2.Vars.Get("line"); v != "one" {
		t.Errorf("line var = %q", v)
	}
	if v := MustCompile("${__StringFromFile(missing.txt)}").Eval(u1); v != "**ERR**" {
		t.Errorf("missing file = %q", v)
	}
	if v, _ := u1.Vars.Get("StringFromFile_"); v != "**ERR**" {
		t.Errorf("default variable = %q", v)
	}
	if _, err := Compile("${__StringFromFile(f,v,1,5)}"); err == nil {
		t.Error("sequence numbers should be reported as unsupported")
	}

	// __FileToString
	if v := MustCompile("${__FileToString(body.json,,b)}").Eval(u1); v != "{\"a\": 1}\n" {
		t.Errorf("FileToString = %q", v)
	}
	if v, _ := u1.Vars.Get("b"); v != "{\"a\": 1}\n" {
		t.Errorf("b = %q", v)
	}
	if v := MustCompile("${__FileToString(latin.txt,ISO-8859-1)}").Eval(u1); v != "Köln" {
		t.Errorf("latin-1 = %q", v)
	}
	if err := os.WriteFile(filepath.Join(dir, "gb.txt"), []byte("\xd6\xd0\xce\xc4"), 0o644); err != nil {
		t.Fatal(err)
	}
	if v := MustCompile("${__FileToString(gb.txt,GB2312)}").Eval(u1); v != "中文" {
		t.Errorf("GB2312 = %q", v)
	}
	if v := MustCompile("${__FileToString(" + filepath.Join(dir, "nope") + ")}").Eval(u1); v != "**ERR**" {
		t.Errorf("missing = %q", v)
	}
	if _, err := Compile("${__FileToString(x,EBCDIC)}"); err == nil {
		t.Error("unsupported encoding should not compile")
	}
}

func TestXPathFunction(t *testing.T) {
	dir := t.TempDir()
	xml := `<users><user id="a1"><name>Ann</name></user><user id="b2"><name><![CDATA[Bob]]></name></user></users>`
	if err := os.WriteFile(filepath.Join(dir, "users.xml"), []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	shared := NewShared()
	u1, u2 := NewContext(nil, nil, shared), NewContext(nil, nil, shared)
	u1.PlanFile = filepath.Join(dir, "plan.jmx")
	u2.PlanFile = u1.PlanFile
	names := MustCompile("${__XPath(users.xml,//user/name)}")
	ids := MustCompile("${__XPath(users.xml,//user/@id)}")
	var got []string
	for _, u := range []*Context{u1, u2, u1} { // shared by users, wraps
		got = append(got, names.Eval(u), ids.Eval(u))
	}
	if strings.Join(got, ",") != "Ann,a1,Bob,b2,Ann,a1" {
		t.Errorf("__XPath values = %v", got)
	}
	if v := MustCompile("${__XPath(users.xml,//nothing)}").Eval(u1); v != "" {
		t.Errorf("no match = %q", v)
	}
	if v := MustCompile("${__XPath(missing.xml,//a)}").Eval(u1); v != "" {
		t.Errorf("missing file = %q", v)
	}
	if _, err := Compile("${__XPath(users.xml,//[)}"); err == nil {
		t.Error("bad XPath should not compile")
	}
}

func TestStringToFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.txt")
	c := testContext()
	c.Vars.Put("id", "42")
	for _, s := range []string{
		"${__StringToFile(" + out + ",id=${id}\\n)}",
		"${__StringToFile(" + out + ",second\\n,true)}",
	} {
		if got := evalOnce(t, c, s); got != "true" {
			t.Fatalf("%s = %q", s, got)
		}
	}
	if data, _ := os.ReadFile(out); string(data) != "id=42\nsecond\n" {
		t.Errorf("file = %q", data)
	}
	if got := evalOnce(t, c, "${__StringToFile("+out+",Köln,false,ISO-8859-1)}"); got != "true" {
		t.Fatalf("truncate = %q", got)
	}
	if data, _ := os.ReadFile(out); string(data) != "K\xf6ln" {
		t.Errorf("latin-1 truncated file = %q", data)
	}
	if got := evalOnce(t, c, "${__StringToFile("+filepath.Join(dir, "no", "such", "dir.txt")+",x)}"); got != "false" {
		t.Errorf("missing directory = %q", got)
	}
	c.AppendFile = nil // writing disabled
	if got := evalOnce(t, c, "${__StringToFile("+out+",x)}"); got != "false" {
		t.Errorf("disabled = %q", got)
	}
	if _, err := Compile("${__StringToFile(f,x,true,EBCDIC)}"); err == nil {
		t.Error("unsupported charset should not compile")
	}
}

func TestPluginFunctions(t *testing.T) {
	t.Setenv("GOMETER_TEST_ENV", "from-env")
	runFnCases(t, func(c *Context) { c.Vars.Put("x", "v") }, []fnCase{
		{in: "${__env(GOMETER_TEST_ENV)}", want: "from-env"},
		{in: "${__env(GOMETER_TEST_UNSET,dflt,e)}", want: "dflt", vars: map[string]string{"e": "dflt"}},
		{in: "${__strLen(héllo)}", want: "5"},
		{in: "${__strReplace(a-b-c,-,+,r)}", want: "a+b+c", vars: map[string]string{"r": "a+b+c"}},
		{in: "${__upperCase(abc)}${__lowerCase(DEF)}", want: "ABCdef"},
		{in: "${__MD5(hello)}", want: "5d41402abc4b2a76b9719d911017c592"},
		{in: "${__isDefined(x)}${__isDefined(y)}", want: "truefalse"},
		{in: "${__substring(hello,1,3)}", want: "el"},
		{in: "${__substring(hello,2)}", want: "llo"},
		{in: "${__substring(hello,9)}", want: ""},
		{in: "${__doubleSum(1.5,2,s)}", want: "3.5", vars: map[string]string{"s": "3.5"}},
		{in: "${__doubleSum(1,2)}", want: "3.0"},
		{in: "${__chooseRandom(red,red,pick)}", want: "red", vars: map[string]string{"pick": "red"}},
		{in: "${__if(${x},v,yes,no)}", want: "yes"},
		{in: "${__if(${x},w,yes,no,r)}", want: "no", vars: map[string]string{"r": "no"}},
	})
}

func TestFunctionNames(t *testing.T) {
	names := FunctionNames()
	if !sort.StringsAreSorted(names) {
		t.Error("FunctionNames not sorted")
	}
	for _, n := range names {
		spec := lookup(n)
		if spec == nil || spec.unsupported != "" {
			t.Errorf("%s listed but not runnable", n)
		}
	}
	// Every runnable case of the lookup switch is listed.
	src, err := os.ReadFile("registry.go")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, n := range names {
		listed[n] = true
	}
	for _, m := range regexp.MustCompile(`"(__\w+)"`).FindAllStringSubmatch(string(src), -1) {
		if spec := lookup(m[1]); spec != nil && spec.unsupported == "" && !listed[m[1]] {
			t.Errorf("%s runs but is not in FunctionNames", m[1])
		}
	}
}
