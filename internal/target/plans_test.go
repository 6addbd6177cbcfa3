package target

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/jmx"

	"github.com/gometer/gometer/internal/skipped"
)

// The demo plans in testdata/demo are written against this server; these
// tests check that they are well-formed JMeter 5.6 files and that every
// request they describe is one the server accepts.

const demoDir = "../../testdata/demo"

func loadPlan(t *testing.T, name string) *jmx.Plan {
	t.Helper()
	path := filepath.Join(demoDir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Well-formed XML first, independently of the jmx package.
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: not well-formed XML: %v", path, err)
		}
	}
	p, err := jmx.ParseFile(path)
	if err != nil {
		t.Fatalf("jmx.ParseFile: %v", err)
	}
	if p.Version != "5.6.3" || p.TestPlan() == nil {
		t.Fatalf("%s: version %q, test plan %v", path, p.Version, p.TestPlan())
	}
	// Every test element carries its guiclass and a testclass equal to its tag.
	jmx.Walk(p.TestPlan(), func(e *jmx.Element) bool {
		if e.GUIClass == "" || e.TestClass != e.Tag || !e.Enabled {
			t.Errorf("%s: %s: guiclass %q testclass %q enabled %v", e.Where(), e.Path(), e.GUIClass, e.TestClass, e.Enabled)
		}
		return true
	})
	return p
}

func all(p *jmx.Plan, tag string) []*jmx.Element {
	var out []*jmx.Element
	jmx.Walk(p.TestPlan(), func(e *jmx.Element) bool {
		if e.Tag == tag {
			out = append(out, e)
		}
		return true
	})
	return out
}

func child(e *jmx.Element, tag string) *jmx.Element {
	for _, c := range e.Children {
		if c.Tag == tag {
			return c
		}
	}
	return nil
}

// checkGroups asserts each thread group is scheduled, sized by properties,
// and loops forever in the way JMeter 5.6.3 ends (continue_forever=false).
func checkGroups(t *testing.T, p *jmx.Plan, props ...string) {
	t.Helper()
	groups := all(p, "ThreadGroup")
	if len(groups) == 0 {
		t.Fatal("no thread group")
	}
	for _, g := range groups {
		for i, name := range []string{"ThreadGroup.num_threads", "ThreadGroup.ramp_time", "ThreadGroup.duration"} {
			if v := g.Str(name); !strings.HasPrefix(v, "${__P(") {
				t.Errorf("%s: %s = %q, want a ${__P(…)} property", g.Path(), name, v)
			} else if i < len(props) && props[i] != "" && !strings.HasPrefix(v, "${__P("+props[i]+",") {
				t.Errorf("%s: %s = %q, want property %s", g.Path(), name, v, props[i])
			}
		}
		lc := g.Elem("ThreadGroup.main_controller")
		if !g.Bool("ThreadGroup.scheduler", false) || lc == nil || lc.Str("LoopController.loops") != "-1" ||
			lc.Bool("LoopController.continue_forever", true) {
			t.Errorf("%s: want scheduler on, loops -1, continue_forever false", g.Path())
		}
	}
}

func TestSimplePlan(t *testing.T) {
	p := loadPlan(t, "simple.jmx")
	checkGroups(t, p, "users", "rampup", "duration")
	allowed := map[string]bool{"TestPlan": true, "Arguments": true, "ConfigTestElement": true, "HeaderManager": true,
		"ThreadGroup": true, "HTTPSamplerProxy": true, "ConstantTimer": true}
	jmx.Walk(p.TestPlan(), func(e *jmx.Element) bool {
		if !allowed[e.Tag] {
			t.Errorf("%s: %s is not a basic element", e.Where(), e.Tag)
		}
		return true
	})
	var raw, form bool
	for _, s := range all(p, "HTTPSamplerProxy") {
		if s.Bool("HTTPSampler.postBodyRaw", false) {
			raw = true
		} else if len(s.Elem("HTTPsampler.Arguments").Collection("Arguments.arguments")) > 0 && s.Str("HTTPSampler.method") == "POST" {
			form = true
		}
	}
	if !raw || !form {
		t.Errorf("want a raw JSON POST and a form POST (raw %v, form %v)", raw, form)
	}
	runPlanRequests(t, p)
}

func TestTradingPlan(t *testing.T) {
	p := loadPlan(t, "trading.jmx")
	checkGroups(t, p, "", "rampup", "duration")
	groups := all(p, "ThreadGroup")
	if len(groups) != 2 || groups[0].Name != "Traders" || groups[1].Name != "High-frequency traders" {
		t.Fatalf("thread groups %v", groups)
	}
	traders, hf := groups[0], groups[1]

	// Login once, with the token extracted.
	for _, g := range groups {
		once := child(g, "OnceOnlyController")
		login := child(once, "HTTPSamplerProxy")
		ext := child(login, "JSONPostProcessor")
		if login == nil || login.Str("HTTPSampler.path") != "/api/login" || ext == nil ||
			ext.Str("JSONPostProcessor.referenceNames") != "token" || ext.Str("JSONPostProcessor.jsonPathExprs") != "$.token" {
			t.Errorf("%s: no login-once with token extraction", g.Name)
		}
	}
	// The token goes out as a Bearer header.
	var bearer bool
	for _, h := range all(p, "HeaderManager") {
		for _, item := range h.Collection("HeaderManager.headers") {
			if item.Elem.Str("Header.name") == "Authorization" && item.Elem.Str("Header.value") == "Bearer ${token}" {
				bearer = true
			}
		}
	}
	if !bearer {
		t.Error("no Authorization: Bearer ${token} header")
	}

	// Weighted actions 10:5:3:2:1 as percent-mode throughput controllers.
	var tcs []*jmx.Element
	for _, c := range traders.Children {
		if c.Tag == "ThroughputController" {
			tcs = append(tcs, c)
		}
	}
	weights := []float64{10, 5, 3, 2, 1}
	if len(tcs) != len(weights) {
		t.Fatalf("%d throughput controllers, want 5", len(tcs))
	}
	sum := 0.0
	for i, tc := range tcs {
		pct := tc.Float("ThroughputController.percentThroughput", -1)
		sum += pct
		if tc.Int("ThroughputController.style", -1) != 1 || !tc.Bool("ThroughputController.perThread", false) {
			t.Errorf("%s: want percent mode per user", tc.Name)
		}
		if want := weights[i] / 21 * 100; pct < want-0.01 || pct > want+0.01 {
			t.Errorf("%s: percent %v, want %.2f", tc.Name, pct, want)
		}
		if tc.Prop("ThroughputController.percentThroughput").Kind != jmx.FloatProp {
			t.Errorf("%s: percentThroughput must be a FloatProperty as JMeter writes it", tc.Name)
		}
	}
	if sum < 99.99 || sum > 100.01 {
		t.Errorf("percents add up to %v", sum)
	}

	// Order with a 2 s duration assertion; cancel guarded by an If controller.
	order := child(tcs[3], "HTTPSamplerProxy")
	if da := child(order, "DurationAssertion"); da == nil || da.Str("DurationAssertion.duration") != "2000" {
		t.Error("place order lacks a 2000 ms duration assertion")
	}
	ifc := child(tcs[4], "IfController")
	if ifc == nil || !ifc.Bool("IfController.useExpression", false) || !strings.Contains(ifc.Str("IfController.condition"), "${pendingOrderId}") ||
		child(ifc, "HTTPSamplerProxy").Str("HTTPSampler.method") != "DELETE" {
		t.Error("cancel is not guarded by an If controller on ${pendingOrderId}")
	}
	if tm := child(traders, "UniformRandomTimer"); tm == nil || !strings.Contains(tm.Str("ConstantTimer.delay"), "1000") ||
		!strings.Contains(tm.Str("RandomTimer.range"), "4000") {
		t.Error("traders lack a 1-5 s uniform random timer")
	}
	loop := child(hf, "LoopController")
	if loop == nil || loop.Str("LoopController.loops") != "10" || child(loop, "HTTPSamplerProxy") == nil || child(loop, "UniformRandomTimer") == nil {
		t.Error("high-frequency traders lack a 10-order loop with think time")
	}
	runPlanRequests(t, p)
}

func TestPaymentsPlan(t *testing.T) {
	p := loadPlan(t, "payments.jmx")
	checkGroups(t, p, "users", "rampup", "duration")
	g := all(p, "ThreadGroup")[0]
	for name, want := range map[string]string{
		"ThreadGroup.num_threads": "${__P(users,1000)}",
		"ThreadGroup.ramp_time":   "${__P(rampup,300)}",
		"ThreadGroup.duration":    "${__P(duration,3600)}",
	} {
		if got := g.Str(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if tm := child(g, "ConstantTimer"); tm == nil || tm.Str("ConstantTimer.delay") != "${__P(think,2000)}" {
		t.Error("no 2 s constant think time")
	}
	var random bool
	for _, s := range all(p, "HTTPSamplerProxy") {
		if strings.Contains(rawBody(s), "${__Random(10,1000)}") {
			random = true
		}
	}
	if !random {
		t.Error("no payment with amount ${__Random(10,1000)}")
	}
	runPlanRequests(t, p)
}

func rawBody(s *jmx.Element) string {
	args := s.Elem("HTTPsampler.Arguments").Collection("Arguments.arguments")
	if !s.Bool("HTTPSampler.postBodyRaw", false) || len(args) == 0 {
		return ""
	}
	return args[0].Elem.Str("Argument.value")
}

// runPlanRequests sends every HTTP sampler of the plan once, in document
// order, to a fresh server, with the plan's functions replaced by fixed
// values, and expects each to succeed: the plans and the API agree.
func runPlanRequests(t *testing.T, p *jmx.Plan) {
	t.Helper()
	_, base := start(t, Options{})
	c := client()
	vars := map[string]string{"password": "secret", "symbol": "AAPL", "currency": "EUR", "token": ""}
	fn := regexp.MustCompile(`\$\{__Random\((\d+),\d+\)\}|\$\{__threadNum\}|\$\{(\w+)\}`)
	subst := func(s string) string {
		return fn.ReplaceAllStringFunc(s, func(m string) string {
			sub := fn.FindStringSubmatch(m)
			switch {
			case sub[1] != "":
				return sub[1]
			case m == "${__threadNum}":
				return "1"
			}
			if v, ok := vars[sub[2]]; ok {
				return v
			}
			t.Fatalf("plan uses ${%s}, unknown to this test", sub[2])
			return ""
		})
	}
	for _, s := range all(p, "HTTPSamplerProxy") {
		method := s.Str("HTTPSampler.method")
		path := s.Str("HTTPSampler.path")
		if strings.Contains(path, "${pendingOrderId}") {
			// Make sure there is a pending order to cancel.
			r := do(t, c, "POST", base+"/api/orders", `{"symbol":"V","side":"BUY","qty":1,"price":1}`, "Authorization", "Bearer "+vars["token"])
			wantCode(t, "order for cancel", r, 201)
			vars["pendingOrderId"] = decode(t, r)["orderId"].(string)
		}
		target := base + subst(path)
		body := subst(rawBody(s))
		ct := "application/json"
		if !s.Bool("HTTPSampler.postBodyRaw", false) {
			form := url.Values{}
			for _, a := range s.Elem("HTTPsampler.Arguments").Collection("Arguments.arguments") {
				form.Add(a.Elem.Str("Argument.name"), subst(a.Elem.Str("Argument.value")))
			}
			if method == "GET" || method == "DELETE" {
				if len(form) > 0 {
					target += "?" + form.Encode()
				}
			} else {
				body, ct = form.Encode(), "application/x-www-form-urlencoded"
			}
		}
		r := do(t, c, method, target, body, "Content-Type", ct, "Authorization", "Bearer "+vars["token"])
		if r.code < 200 || r.code > 299 {
			t.Errorf("%s: %s %s → %d %s", s.Where(), method, target, r.code, r.body)
			continue
		}
		if path == "/api/login" {
			vars["token"] = decode(t, r)["token"].(string)
		}
	}
}

// TestDemoPlansInJMeter runs each demo plan, scaled down, in a real Apache
// JMeter (JMETER_HOME, 5.6.3 expected) against this server: every sample
// must succeed and the JTL must hold one row per request answered.
func TestDemoPlansInJMeter(t *testing.T) {
	home := os.Getenv("JMETER_HOME")
	if home == "" {
		skipped.Need(t, "JMeter", "JMETER_HOME is not set")
	}
	bin := filepath.Join(home, "bin", "jmeter")
	for _, tc := range []struct {
		plan   string
		props  []string
		labels []string
	}{
		{"simple.jmx", []string{"-Jusers=2", "-Jduration=4", "-Jrampup=1", "-Jthink=200"},
			[]string{"Market data", "Dashboard", "Login (JSON)", "Login (form)"}},
		{"trading.jmx", []string{"-Jduration=6", "-Jrampup=1", "-Jthink_min=50", "-Jthink_range=100"},
			[]string{"Login", "HF login", "Dashboard", "Market data", "Portfolio", "Place order", "HF place order"}},
		{"payments.jmx", []string{"-Jusers=3", "-Jduration=5", "-Jrampup=1", "-Jthink=200"},
			[]string{"Login", "Send payment"}},
	} {
		t.Run(tc.plan, func(t *testing.T) {
			s, base := start(t, Options{})
			u, _ := url.Parse(base)
			dir := t.TempDir()
			jtl := filepath.Join(dir, "out.jtl")
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			args := append([]string{"-n", "-t", filepath.Join(demoDir, tc.plan), "-l", jtl, "-j", filepath.Join(dir, "jmeter.log"),
				"-Jhost=" + u.Hostname(), "-Jport=" + u.Port()}, tc.props...)
			out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
			if err != nil {
				t.Fatalf("jmeter: %v\n%s", err, out)
			}
			f, err := os.Open(jtl)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := csv.NewReader(f).ReadAll()
			if err != nil || len(rows) < 2 {
				t.Fatalf("JTL: %v, %d rows", err, len(rows))
			}
			col := map[string]int{}
			for i, name := range rows[0] {
				col[name] = i
			}
			seen := map[string]int{}
			for _, r := range rows[1:] {
				seen[r[col["label"]]]++
				if r[col["success"]] != "true" {
					t.Errorf("failed sample: %v", r)
				}
			}
			for _, l := range tc.labels {
				if seen[l] == 0 {
					t.Errorf("no %q sample; got %v", l, seen)
				}
			}
			if got := int64(len(rows) - 1); got != s.Count() {
				t.Errorf("JTL has %d rows, the server answered %d requests", got, s.Count())
			}
		})
	}
}
