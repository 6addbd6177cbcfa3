package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/skipped"
	"github.com/gometer/gometer/internal/testproxy"
)

// jmeterBinCopy copies a real JMeter installation's bin/*.properties into a
// temporary JMETER_HOME (the installation itself is never modified) and
// appends extra lines to some of them.
func jmeterBinCopy(t *testing.T, extra map[string]string) string {
	t.Helper()
	src := os.Getenv("JMETER_HOME")
	if src == "" {
		src = "/opt/jmeter"
	}
	if _, err := os.Stat(filepath.Join(src, "bin", "jmeter.properties")); err != nil {
		skipped.Need(t, "JMeter", "no JMeter installation at "+src+" (set JMETER_HOME)")
	}
	home := t.TempDir()
	bin := filepath.Join(home, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"jmeter.properties", "reportgenerator.properties", "user.properties", "system.properties"} {
		data, err := os.ReadFile(filepath.Join(src, "bin", name))
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, "\n"+extra[name]+"\n"...)
		if err := os.WriteFile(filepath.Join(bin, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPropertiesInJMetersOrder(t *testing.T) {
	home := jmeterBinCopy(t, map[string]string{
		"user.properties":   "summariser.interval=7\norder.user=user",
		"system.properties": "sys.file=system.properties",
	})
	dir := t.TempDir()
	t.Chdir(dir) // user.properties is looked up in the working directory first; there is none here
	q1 := writeFile(t, filepath.Join(dir, "q1.properties"), "order.a=q1\norder.b=q1\norder.user=q1")
	q2 := writeFile(t, filepath.Join(dir, "q2.properties"), "order.a=q2")
	sysFile := writeFile(t, filepath.Join(dir, "s.properties"), "sys.s=S\nsys.d=S")
	o, err := parseArgs([]string{"validate", "plan.jmx", "-d", home,
		"-q", q1, "-Jorder.a=J", "-Jorder.b=J", "-q", q2, // -J and -q apply in command-line order
		"-S", sysFile, "-Dsys.d=D", "-Jsummariser.name=", // an empty -J value removes the property
		"-H", "127.0.0.1", "-P", "3128", "-N", "*.internal|localhost", "-u", "user", "-a", "secret", "-i", "log4j2.xml"})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(o, o.plan)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"jmeter.reportgenerator.apdex_satisfied_threshold":         "500",           // bin/jmeter.properties
		"jmeter.reportgenerator.exporter.json.property.output_dir": "report-output", // bin/reportgenerator.properties
		"summariser.interval":                 "7",    // bin/user.properties over jmeter.properties
		"order.user":                          "q1",   // -q over user.properties
		"order.a":                             "q2",   // -q after -J wins
		"order.b":                             "J",    // -J after -q wins
		"sun.net.http.allowRestrictedHeaders": "true", // bin/system.properties, seen through __P
		"sys.file":                            "system.properties",
		"sys.s":                               "S", // -S
		"sys.d":                               "D", // -D after -S
		"http.proxyHost":                      "127.0.0.1",
		"http.proxyUser":                      "user",
		"http.proxyPass":                      "secret",
		"https.nonProxyHosts":                 "*.internal|localhost",
	}
	for name, v := range want {
		if got, _ := cfg.props.Get(name); got != v {
			t.Errorf("%s = %q, want %q", name, got, v)
		}
	}
	if v, ok := cfg.props.Get("summariser.name"); ok {
		t.Errorf("-Jsummariser.name= should remove it; it is %q", v)
	}
	if got := cfg.proxy.String(); got != "http://user:xxxxx@127.0.0.1:3128" {
		t.Errorf("proxy = %s", got)
	}
	if cfg.proxy.For("api.internal") != nil || cfg.proxy.For("localhost") != nil || cfg.proxy.For("example.org") == nil {
		t.Errorf("-N exclusions not applied")
	}
	var order []string
	for _, l := range cfg.loaded {
		order = append(order, strings.Fields(l)[0])
	}
	if got := strings.Join(order, " "); got != "report JMeter user system properties properties system" {
		t.Errorf("files loaded in order %q", cfg.loaded)
	}

	// A user.properties in the working directory is found before bin's.
	writeFile(t, filepath.Join(dir, "user.properties"), "summariser.interval=9")
	o, _ = parseArgs([]string{"validate", "plan.jmx", "-d", home})
	if cfg, err = loadConfig(o, o.plan); err != nil {
		t.Fatal(err)
	}
	if got, _ := cfg.props.Get("summariser.interval"); got != "9" {
		t.Errorf("working directory's user.properties: summariser.interval = %q, want 9", got)
	}
	if _, ok := cfg.props.Get("order.user"); ok {
		t.Errorf("bin/user.properties was read although the working directory has one")
	}

	// -p replaces bin/jmeter.properties; without a user.properties entry no
	// user properties file is read, as in JMeter.
	p := writeFile(t, filepath.Join(dir, "only.properties"), "summariser.name=mine")
	o, _ = parseArgs([]string{"validate", "plan.jmx", "-d", home, "-p", p})
	if cfg, err = loadConfig(o, o.plan); err != nil {
		t.Fatal(err)
	}
	if got, _ := cfg.props.Get("summariser.name"); got != "mine" {
		t.Errorf("-p: summariser.name = %q", got)
	}
	for _, name := range []string{"summariser.interval", "jmeter.reportgenerator.apdex_satisfied_threshold"} {
		if v, ok := cfg.props.Get(name); ok {
			t.Errorf("-p: %s = %q should not be set", name, v)
		}
	}
}

func TestJMeterHomeErrorsAndFlags(t *testing.T) {
	o, _ := parseArgs([]string{"validate", "plan.jmx", "-d", t.TempDir()})
	if _, err := loadConfig(o, o.plan); err == nil || !strings.Contains(err.Error(), "no bin folder") {
		t.Errorf("-d without bin/: %v", err)
	}
	// A stale JMETER_HOME is a warning, not a failed run.
	t.Setenv("JMETER_HOME", t.TempDir())
	o, _ = parseArgs([]string{"validate", "plan.jmx"})
	cfg, err := loadConfig(o, o.plan)
	if err != nil || len(cfg.warnings) != 1 || cfg.home != "" {
		t.Errorf("stale JMETER_HOME: %v %+v", err, cfg)
	}
	if _, err := parseArgs([]string{"run", "p.jmx", "-H", "proxy"}); err == nil {
		t.Errorf("-H without -P accepted")
	}
	o, _ = parseArgs([]string{"validate", "plan.jmx", "-H", "proxy", "-P", "x"})
	if _, err := loadConfig(o, o.plan); err == nil || !strings.Contains(err.Error(), "not a port") {
		t.Errorf("-P x: %v", err)
	}
}

// The proxy flags route the plan's requests through a real proxy; -N hosts
// go directly; -i is accepted and said to be ignored.
func TestProxyFlagsThroughALocalProxy(t *testing.T) {
	rec := newRecorder(t, nil)
	px := testproxy.Start(t)
	px.Auth = "Basic dXNlcjpzZWNyZXQ=" // user:secret
	dir := t.TempDir()
	jtl := filepath.Join(dir, "out.jtl")
	res := runGometer(t, dir, 60*time.Second, "-n", "-t", repoFile("testdata", "e2e", "basic.jmx"), "-l", jtl,
		"-Jport="+rec.port(), "-Jusers=1", "-Jloops=1", "-H", "127.0.0.1", "-P", px.Port(), "-u", "user", "-a", "secret", "-i", "log4j2.xml")
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if !strings.Contains(res.stderr, "-i log4j2.xml is ignored") {
		t.Errorf("-i not reported as ignored:\n%s", res.stderr)
	}
	seen := px.Seen()
	if len(seen) != 3 || len(rec.requests()) != 3 {
		t.Fatalf("proxy saw %q, server %d requests; want the plan's 3 requests through the proxy", seen, len(rec.requests()))
	}
	for _, s := range seen {
		if !strings.Contains(s.Line, " http://127.0.0.1:"+rec.port()+"/") || s.ProxyAuth != px.Auth {
			t.Errorf("proxy request %q", s)
		}
	}
	res = runGometer(t, dir, 60*time.Second, "-n", "-t", repoFile("testdata", "e2e", "basic.jmx"),
		"-Jport="+rec.port(), "-Jusers=1", "-Jloops=1", "-H", "127.0.0.1", "-P", px.Port(), "-N", "127.0.0.1")
	if res.code != 0 || len(px.Seen()) != 3 || len(rec.requests()) != 6 {
		t.Errorf("-N 127.0.0.1: exit %d, proxy saw %d, server %d\n%s", res.code, len(px.Seen()), len(rec.requests()), res.stderr)
	}
}
