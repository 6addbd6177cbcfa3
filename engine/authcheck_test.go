package engine

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gometer/gometer/functions"
)

func authManager(rows ...[4]string) el {
	var b strings.Builder
	b.WriteString(`<collectionProp name="AuthManager.auth_list">`)
	for _, r := range rows {
		b.WriteString("\n" + `<elementProp name="" elementType="Authorization">` + sp("Authorization.url", r[0]) + sp("Authorization.username", r[1]) +
			sp("Authorization.password", r[2]) + sp("Authorization.mechanism", r[3]) + `</elementProp>`)
	}
	b.WriteString(`</collectionProp>`)
	return el{tag: "AuthManager", gui: "AuthPanel", name: "auth", props: b.String()}
}

// A KERBEROS row no request reaches blocks nothing and is never applied; a
// row some request would use is one problem at its own line, however many
// samplers use it.
func TestAuthRowsOnlyBlockWhenUsed(t *testing.T) {
	srv := newServer(t)
	base := "http://" + srv.host + ":" + srv.port
	unused := authManager([4]string{"https://sso.corp.example/", "svc", "x", "KERBEROS"}, [4]string{base + "/a", "alice", "secret", "BASIC"})
	plan := planXML(unused, tg("g", 1, 0, "1", "", get(srv, "a", "/a"), get(srv, "b", "/b")))
	_, out := run(t, plan, nil)
	reqs := srv.requests()
	if len(out.all()) != 2 || len(reqs) != 2 || reqs[0].header.Get("Authorization") != "Basic YWxpY2U6c2VjcmV0" || reqs[1].header.Get("Authorization") != "" {
		t.Fatalf("unused Kerberos row: %d samples, requests %+v", len(out.all()), reqs)
	}

	used := authManager([4]string{"http://elsewhere.example/", "svc", "x", "KERBEROS"}, [4]string{base + "/a", "svc", "x", "KERBEROS"})
	plan = planXML(used, tg("g", 1, 0, "1", "", get(srv, "a1", "/a"), get(srv, "a2", "/a/2"), get(srv, "a3", "/a/3"), get(srv, "b", "/b")))
	_, err := compileXML(t, plan, Options{Props: functions.NewProperties()})
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 {
		t.Fatalf("want one problem, got %v", err)
	}
	lines := strings.Split(plan, "\n")
	if ps[0].Line < 1 || !strings.Contains(lines[ps[0].Line-1], base+"/a") || !strings.Contains(ps[0].Msg, "row 2") || !strings.Contains(ps[0].Msg, "KERBEROS") {
		t.Errorf("problem %+v does not name row 2 at its line", ps[0])
	}

	// a URL known only at run time may use the row: reported, once
	dyn := planXML(used, tg("g", 1, 0, "1", "", udvs("v", "x", "${__Random(1,9)}"), get(srv, "d", "/a/${x}")))
	if _, err := compileXML(t, dyn, Options{Props: functions.NewProperties()}); !errors.As(err, &ps) || len(ps) != 1 || !strings.Contains(ps[0].Msg, "only known at run time") {
		t.Errorf("dynamic URL: %v", err)
	}
	// properties and plain variables are known before the run
	props := functions.NewProperties()
	props.Set("p", "b")
	known := planXML(used, udvs("v", "seg", "c"), tg("g", 1, 0, "1", "", get(srv, "k", "/${__P(p)}/${seg}")))
	if _, err := compileXML(t, known, Options{Props: props}); err != nil {
		t.Errorf("URL known from properties and variables: %v", err)
	}
}

// Every non-numeric field of a thread group is named in one run.
func TestEveryBadThreadGroupFieldAtOnce(t *testing.T) {
	extra := sp("ThreadGroup.duration", "{{DURATION}}") + sp("ThreadGroup.delay", "<delay>") + bp("ThreadGroup.scheduler", true)
	xml := planXML(tgClass("ThreadGroup", "Users", "{{THREADS}}", "{{RAMP}}", "{{LOOPS}}", extra, get(nil, "A", "/a")))
	_, err := compileXML(t, xml, Options{})
	if err == nil {
		t.Fatal("want a problem")
	}
	for _, f := range []string{"num_threads", "ramp_time", "loops", "duration", "delay"} {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("%s not named: %v", f, err)
		}
	}
}

// A PerfMon collector never blocks the load; it is named with the monitors
// it would need.
func TestPerfMonCollectorIsANote(t *testing.T) {
	srv := newServer(t)
	pm := el{tag: "kg.apc.jmeter.perfmon.PerfMonCollector", gui: "kg.apc.jmeter.vizualizers.PerfMonGui", name: "PerfMon",
		props: `<collectionProp name="metricConnections"><collectionProp name="1">` + sp("a", "db.example") + sp("b", "4444") + sp("c", "CPU") + sp("d", "combined") + `</collectionProp></collectionProp>`}
	tst, out := run(t, planXML(pm, tg("g", 1, 0, "1", "", get(srv, "a", "/a"))), nil)
	if len(out.all()) != 1 || len(tst.Warnings()) != 0 {
		t.Fatalf("the load must run: %d samples, warnings %v", len(out.all()), tst.Warnings())
	}
	if n := tst.Notes(); len(n) != 1 || !strings.Contains(n[0].Msg, "db.example:4444 CPU (combined)") {
		t.Errorf("notes %v", n)
	}
}

// Rows of a PerfMon collector that name this machine are read by gometer's
// own monitors (no note); the other rows stay a note.
func TestPerfMonCollectorLocalRows(t *testing.T) {
	srv := newServer(t)
	row := func(i int, host, metric, params string) string {
		return fmt.Sprintf(`<collectionProp name="%d">`, i) + sp("a", host) + sp("b", "4444") + sp("c", metric) + sp("d", params) + `</collectionProp>`
	}
	pm := el{tag: "kg.apc.jmeter.perfmon.PerfMonCollector", gui: "kg.apc.jmeter.vizualizers.PerfMonGui", name: "PerfMon",
		props: `<collectionProp name="metricConnections">` + row(1, "localhost", "CPU", "combined") + row(2, "127.0.0.1", "Memory", "pid=7:resident") +
			row(3, "localhost", "JMX", "gc-time") + `</collectionProp>`}
	tst, _ := run(t, planXML(pm, tg("g", 1, 0, "1", "", get(srv, "a", "/a"))), nil)
	rows := tst.PerfMonRows()
	if len(rows) != 2 || rows[0].Metric != "CPU" || rows[1].Params != "pid=7:resident" {
		t.Errorf("rows %+v", rows)
	}
	if n := tst.Notes(); len(n) != 1 || !strings.Contains(n[0].Msg, "localhost:4444 JMX (gc-time)") || strings.Contains(n[0].Msg, "CPU (combined)") {
		t.Errorf("notes %v", n)
	}
	only := el{tag: "kg.apc.jmeter.perfmon.PerfMonCollector", gui: "kg.apc.jmeter.vizualizers.PerfMonGui", name: "PerfMon",
		props: `<collectionProp name="metricConnections">` + row(1, "localhost", "Network I/O", "") + `</collectionProp>`}
	if tst, _ := run(t, planXML(only, tg("g", 1, 0, "1", "", get(srv, "a", "/a"))), nil); len(tst.Notes()) != 0 || len(tst.PerfMonRows()) != 1 {
		t.Errorf("a collector of this machine only: notes %v rows %v", tst.Notes(), tst.PerfMonRows())
	}
}
