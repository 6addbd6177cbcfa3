package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"html"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/target"
)

// faultSampler is the one HTTP request of a fault plan that misbehaves.
type faultSampler struct {
	host, port, path string
	protocol         string // "" is http
	responseTimeout  string // ms; "" none
	follow           bool   // follow_redirects
	dnsServer        string // host:port of a DNS server for a DNS Cache Manager; "" none
}

// faultPlan writes a plan whose one user runs loops iterations of the
// "Fault" request followed by a plain "After" request to okURL's /status/200,
// which shows the run goes on after each failure.
func faultPlan(t *testing.T, dir string, s faultSampler, okPort string, loops int) string {
	t.Helper()
	x := html.EscapeString
	dns := ""
	if s.dnsServer != "" {
		// JMeter's DNS Cache Manager with a custom resolver: names are looked
		// up at this server only (a loopback one here), never the system's.
		dns = fmt.Sprintf(`
      <DNSCacheManager guiclass="DNSCachePanel" testclass="DNSCacheManager" testname="DNS Cache Manager">
        <collectionProp name="DNSCacheManager.servers">
          <stringProp name="0">%s</stringProp>
        </collectionProp>
        <collectionProp name="DNSCacheManager.hosts"/>
        <boolProp name="DNSCacheManager.clearEachIteration">true</boolProp>
        <boolProp name="DNSCacheManager.isCustomResolver">true</boolProp>
      </DNSCacheManager>
      <hashTree/>`, x(s.dnsServer))
	}
	protocol := s.protocol
	if protocol == "" {
		protocol = "http"
	}
	plan := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Fault Plan"/>
    <hashTree>
      <ThreadGroup guiclass="ThreadGroupGui" testclass="ThreadGroup" testname="Users">
        <stringProp name="ThreadGroup.on_sample_error">continue</stringProp>
        <elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" testclass="LoopController" testname="Loop Controller">
          <stringProp name="LoopController.loops">%d</stringProp>
          <boolProp name="LoopController.continue_forever">false</boolProp>
        </elementProp>
        <stringProp name="ThreadGroup.num_threads">1</stringProp>
        <stringProp name="ThreadGroup.ramp_time">0</stringProp>
        <boolProp name="ThreadGroup.scheduler">false</boolProp>
        <stringProp name="ThreadGroup.duration"></stringProp>
        <stringProp name="ThreadGroup.delay"></stringProp>
        <boolProp name="ThreadGroup.same_user_on_next_iteration">true</boolProp>
      </ThreadGroup>
      <hashTree>%s
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="Fault">
          <elementProp name="HTTPsampler.Arguments" elementType="Arguments"><collectionProp name="Arguments.arguments"/></elementProp>
          <stringProp name="HTTPSampler.domain">%s</stringProp>
          <stringProp name="HTTPSampler.port">%s</stringProp>
          <stringProp name="HTTPSampler.protocol">%s</stringProp>
          <stringProp name="HTTPSampler.path">%s</stringProp>
          <stringProp name="HTTPSampler.method">GET</stringProp>
          <boolProp name="HTTPSampler.follow_redirects">%t</boolProp>
          <boolProp name="HTTPSampler.auto_redirects">false</boolProp>
          <boolProp name="HTTPSampler.use_keepalive">true</boolProp>
          <stringProp name="HTTPSampler.connect_timeout">5000</stringProp>
          <stringProp name="HTTPSampler.response_timeout">%s</stringProp>
        </HTTPSamplerProxy>
        <hashTree/>
        <HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="After">
          <elementProp name="HTTPsampler.Arguments" elementType="Arguments"><collectionProp name="Arguments.arguments"/></elementProp>
          <stringProp name="HTTPSampler.domain">127.0.0.1</stringProp>
          <stringProp name="HTTPSampler.port">%s</stringProp>
          <stringProp name="HTTPSampler.protocol">http</stringProp>
          <stringProp name="HTTPSampler.path">/status/200</stringProp>
          <stringProp name="HTTPSampler.method">GET</stringProp>
          <boolProp name="HTTPSampler.use_keepalive">true</boolProp>
        </HTTPSamplerProxy>
        <hashTree/>
      </hashTree>
    </hashTree>
  </hashTree>
</jmeterTestPlan>
`, loops, dns, x(s.host), x(s.port), x(protocol), x(s.path), s.follow, x(s.responseTimeout), x(okPort))
	path := filepath.Join(dir, "fault.jmx")
	if err := os.WriteFile(path, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// startTarget serves internal/target on a loopback port for the test.
func startTarget(t testing.TB) (*target.Server, string) {
	t.Helper()
	srv := target.New(target.Options{Seed: 1})
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
	return srv, port
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	return port
}

// nxdomainServer is a loopback DNS server that answers every query "no such
// name" (NXDOMAIN), so name resolution fails without leaving the machine.
type nxdomainServer struct {
	conn    net.PacketConn
	queries atomic.Int64
}

func startNXDomain(t *testing.T) *nxdomainServer {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &nxdomainServer{conn: pc}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 12 {
				continue
			}
			s.queries.Add(1)
			// Header: same id; QR=1, opcode and RD copied, RA=1, RCODE=3;
			// the question section echoed, no answers.
			msg := append([]byte(nil), buf[:n]...)
			flags := binary.BigEndian.Uint16(msg[2:4])
			flags = 0x8000 | (flags & 0x7900) | 0x0080 | 3
			binary.BigEndian.PutUint16(msg[2:4], flags)
			binary.BigEndian.PutUint16(msg[6:8], 0)  // ANCOUNT
			binary.BigEndian.PutUint16(msg[8:10], 0) // NSCOUNT
			// Drop additional records (EDNS OPT): keep header and question.
			if q := questionEnd(msg); q > 0 {
				msg = msg[:q]
				binary.BigEndian.PutUint16(msg[10:12], 0)
			}
			pc.WriteTo(msg, addr)
		}
	}()
	return s
}

// questionEnd returns the offset after the first question, or 0.
func questionEnd(msg []byte) int {
	i := 12
	for i < len(msg) {
		l := int(msg[i])
		if l == 0 {
			i++
			break
		}
		if l&0xC0 != 0 {
			return 0
		}
		i += 1 + l
	}
	i += 4 // QTYPE, QCLASS
	if i > len(msg) {
		return 0
	}
	return i
}

func (s *nxdomainServer) addr() string { return s.conn.LocalAddr().String() }

// runFault runs plan with a bounded time and returns the result, the JTL
// rows and the process's peak RSS in bytes.
func runFault(t *testing.T, dir, plan string, timeout time.Duration) (runResult, []map[string]string, int64) {
	t.Helper()
	jtl := filepath.Join(dir, "out.jtl")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, "-n", "-t", plan, "-l", jtl)
	cmd.Dir = dir
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("gometer did not finish in %v\nstdout:\n%s\nstderr:\n%s", timeout, out.String(), errb.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024 // kilobytes on Linux
	}
	res := runResult{code, out.String(), errb.String()}
	if code != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, res.stdout, res.stderr)
	}
	for _, trace := range []string{"goroutine ", "panic:"} {
		if strings.Contains(res.stdout+res.stderr, trace) {
			t.Errorf("output holds a Go panic or stack trace:\n%s%s", res.stdout, res.stderr)
		}
	}
	_, rows := readJTL(t, jtl)
	return res, rows, rss
}

// answered counts the rows that carry an HTTP status (the server answered).
func answered(rows []map[string]string) int {
	n := 0
	for _, r := range rows {
		if _, err := strconv.Atoi(r["responseCode"]); err == nil {
			n++
		}
	}
	return n
}

func byLabel(rows []map[string]string, label string) []map[string]string {
	var out []map[string]string
	for _, r := range rows {
		if r["label"] == label {
			out = append(out, r)
		}
	}
	return out
}

// faultCase is one misbehaving server and the rows gometer must write for it.
type faultCase struct {
	name  string
	loops int
	// sampler builds the Fault request from the target's port, a closed
	// port and a loopback NXDOMAIN DNS server's address.
	sampler func(port, closed, dns string) faultSampler
	// code is the Fault rows' responseCode (or its start); msg the start and end of their
	// responseMessage ({port} and {closed} stand for the ports).
	code, msgPrefix, msgSuffix string
	success                    bool
	// minElapsed and maxElapsed bound each Fault row's elapsed time (ms).
	minElapsed, maxElapsed int
	// subs is the number of sub-result rows each Fault row brings (redirects).
	subs int
	// check does further checks on the rows and the process's peak RSS.
	check func(t *testing.T, faults []map[string]string, rss int64)
}

const nonHTTPCode = "Non HTTP response code: "
const nonHTTPMsg = "Non HTTP response message: "

// JMeter 5.6.3 (/opt/jmeter) writes the same codes and messages for these
// plans except where noted in the cases.
var faultCases = []faultCase{
	{name: "connection-refused", loops: 3,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: closed, path: "/"}
		},
		code: nonHTTPCode + "org.apache.http.conn.HttpHostConnectException",
		// JMeter: "Connect to 127.0.0.1:P [/127.0.0.1] failed: Connection
		// refused" (no host name before the slash for an IP literal).
		msgPrefix: nonHTTPMsg + "Connect to 127.0.0.1:{closed} [", msgSuffix: "/127.0.0.1] failed: Connection refused",
		maxElapsed: 5000},
	{name: "dns-failure", loops: 3,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "no-such-host.invalid", port: port, path: "/", dnsServer: dns}
		},
		// JMeter's wording with the system resolver on Linux. (JMeter's own
		// custom resolver cannot use a DNS server on another port than 53.)
		code:       nonHTTPCode + "java.net.UnknownHostException",
		msgPrefix:  nonHTTPMsg + "no-such-host.invalid: Name or service not known",
		maxElapsed: 5000},
	{name: "tls-handshake", loops: 2,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{protocol: "https", host: "127.0.0.1", port: port, path: "/"}
		},
		// JMeter: javax.net.ssl.SSLException "Unsupported or unrecognized SSL
		// message"; gometer says SSLHandshakeException with Go's words.
		code: nonHTTPCode + "javax.net.ssl.SSL", msgPrefix: nonHTTPMsg,
		maxElapsed: 5000},
	{name: "reset-mid-response", loops: 3,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/reset"}
		},
		code: nonHTTPCode + "java.net.SocketException", msgPrefix: nonHTTPMsg + "Connection reset", msgSuffix: "Connection reset",
		maxElapsed: 5000},
	// Two loops: the second Fault request goes out on the connection kept
	// alive by the first After request.
	{name: "never-answers", loops: 2,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/hang", responseTimeout: "500"}
		},
		code: nonHTTPCode + "java.net.SocketTimeoutException", msgPrefix: nonHTTPMsg + "Read timed out", msgSuffix: "Read timed out",
		minElapsed: 450, maxElapsed: 10000},
	{name: "slow-drip", loops: 2,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/drip?bytes=10&ms=60", responseTimeout: "2000"}
		},
		code: "200", msgPrefix: "OK", msgSuffix: "OK", success: true,
		minElapsed: 540, maxElapsed: 20000},
	{name: "slow-drip-timeout", loops: 2,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/drip?bytes=5&ms=700", responseTimeout: "300"}
		},
		code: nonHTTPCode + "java.net.SocketTimeoutException", msgPrefix: nonHTTPMsg + "Read timed out", msgSuffix: "Read timed out",
		minElapsed: 270, maxElapsed: 10000},
	{name: "huge-body", loops: 2,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/big?mb=256"}
		},
		code: "200", msgPrefix: "OK", msgSuffix: "OK", success: true, maxElapsed: 60000,
		check: func(t *testing.T, faults []map[string]string, rss int64) {
			for _, r := range faults {
				if b, _ := strconv.ParseInt(r["bytes"], 10, 64); b < 256<<20 {
					t.Errorf("bytes %s, want the whole 256 MiB body counted", r["bytes"])
				}
			}
			// The sampler keeps a bounded part of the body and counts the rest.
			if rss == 0 || rss > 96<<20 {
				t.Errorf("peak RSS %d MiB reading a 256 MiB body, want < 96 MiB", rss>>20)
			}
		}},
	{name: "invalid-http", loops: 3,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/badhttp"}
		},
		// JMeter's message is "null" (HttpClient's exception has none);
		// gometer says what was wrong.
		code:       nonHTTPCode + "org.apache.http.client.ClientProtocolException",
		msgPrefix:  nonHTTPMsg + `malformed HTTP response: the status line "THIS IS NOT HTTP" does not start with an HTTP version`,
		maxElapsed: 5000},
	{name: "truncated-body", loops: 3,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/truncate"}
		},
		// JMeter adds " (expected: 1,000; received: 100)".
		code:       nonHTTPCode + "org.apache.http.ConnectionClosedException",
		msgPrefix:  nonHTTPMsg + "Premature end of Content-Length delimited message body",
		maxElapsed: 5000},
	{name: "redirect-loop", loops: 2,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/loop", follow: true}
		},
		code: nonHTTPCode + "java.io.IOException", msgPrefix: nonHTTPMsg + "Exceeded maximum number of redirects: 20", msgSuffix: "redirects: 20",
		subs: 22, maxElapsed: 10000,
		check: func(t *testing.T, faults []map[string]string, rss int64) {
			// Sub-results Fault-0 … Fault-20 are the 302s followed, Fault-21
			// the failure, as JMeter writes them.
			_ = faults
		}},
}

// TestFaultyServers runs a small plan against each misbehaving endpoint:
// the run completes with exit 0, every fault is a failed row with JMeter's
// code and message, the run goes on, and the server's count of answered
// requests equals the JTL's rows that carry an HTTP status.
func TestFaultyServers(t *testing.T) {
	for _, c := range faultCases {
		t.Run(c.name, func(t *testing.T) {
			srv, port := startTarget(t)
			dns := startNXDomain(t)
			closed := closedPort(t)
			dir := t.TempDir()
			plan := faultPlan(t, dir, c.sampler(port, closed, dns.addr()), port, c.loops)
			before := srv.Count()
			_, rows, rss := runFault(t, dir, plan, 120*time.Second)

			faults, after := byLabel(rows, "Fault"), byLabel(rows, "After")
			if len(faults) != c.loops || len(after) != c.loops {
				t.Fatalf("%d Fault and %d After rows, want %d of each:\n%v", len(faults), len(after), c.loops, rows)
			}
			if want := 2*c.loops + c.loops*c.subs; len(rows) != want {
				t.Errorf("%d rows, want %d", len(rows), want)
			}
			repl := strings.NewReplacer("{port}", port, "{closed}", closed)
			prefix, suffix := repl.Replace(c.msgPrefix), repl.Replace(c.msgSuffix)
			for _, r := range faults {
				if !strings.HasPrefix(r["responseCode"], c.code) {
					t.Errorf("responseCode %q, want %q", r["responseCode"], c.code)
				}
				if m := r["responseMessage"]; !strings.HasPrefix(m, prefix) || !strings.HasSuffix(m, suffix) {
					t.Errorf("responseMessage %q, want %q…%q", m, prefix, suffix)
				}
				if r["success"] != strconv.FormatBool(c.success) {
					t.Errorf("success %s, want %t", r["success"], c.success)
				}
				el, _ := strconv.Atoi(r["elapsed"])
				if el < c.minElapsed || el > c.maxElapsed {
					t.Errorf("elapsed %d ms, want %d…%d", el, c.minElapsed, c.maxElapsed)
				}
			}
			for _, r := range after {
				if r["responseCode"] != "200" || r["success"] != "true" {
					t.Errorf("After row %s %s: the run did not go on normally", r["responseCode"], r["success"])
				}
			}
			if c.subs > 0 {
				for i := 0; i < c.subs; i++ {
					subs := byLabel(rows, "Fault-"+strconv.Itoa(i))
					if len(subs) != c.loops {
						t.Errorf("%d rows Fault-%d, want %d", len(subs), i, c.loops)
						continue
					}
					wantCode := "302"
					if i == c.subs-1 {
						wantCode = c.code
					}
					if subs[0]["responseCode"] != wantCode {
						t.Errorf("Fault-%d: code %s, want %s", i, subs[0]["responseCode"], wantCode)
					}
				}
			}
			if c.check != nil {
				c.check(t, faults, rss)
			}
			if c.name == "dns-failure" && dns.queries.Load() == 0 {
				t.Errorf("the loopback DNS server got no query: the name was resolved elsewhere")
			}
			// The server counts a request once its handler has returned:
			// give the last one a moment.
			want := int64(answered(rows))
			deadline := time.Now().Add(5 * time.Second)
			for srv.Count()-before != want && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if got := srv.Count() - before; got != want {
				t.Errorf("the server answered %d requests, the JTL has %d rows with an HTTP status", got, want)
			}
		})
	}
}

// TestFaultProbe prints what gometer (and JMeter, with JMETER_HOME set)
// write for each fault. GOMETER_FAULT_PROBE=1 enables it.
func TestFaultProbe(t *testing.T) {
	if os.Getenv("GOMETER_FAULT_PROBE") == "" {
		t.Skip("GOMETER_FAULT_PROBE not set")
	}
	for _, c := range faultCases {
		t.Run(c.name, func(t *testing.T) {
			srv, port := startTarget(t)
			dns := startNXDomain(t)
			dir := t.TempDir()
			plan := faultPlan(t, dir, c.sampler(port, closedPort(t), dns.addr()), port, c.loops)
			start := srv.Count()
			_, rows, rss := runFault(t, dir, plan, 120*time.Second)
			t.Logf("gometer: %d rows, %d answered, server %d, rss %d MiB, dns queries %d", len(rows), answered(rows), srv.Count()-start, rss>>20, dns.queries.Load())
			for _, r := range rows {
				t.Logf("  %s | %s | %s | %s | el=%s bytes=%s | %s", r["label"], r["responseCode"], r["responseMessage"], r["success"], r["elapsed"], r["bytes"], r["failureMessage"])
			}
			if jh := os.Getenv("JMETER_HOME"); jh != "" {
				start := srv.Count()
				jtl := filepath.Join(dir, "jmeter.jtl")
				ctx, cancel := context.WithTimeout(context.Background(), 180*time.Second)
				defer cancel()
				out, err := exec.CommandContext(ctx, filepath.Join(jh, "bin", "jmeter"), "-n", "-t", plan, "-l", jtl, "-j", filepath.Join(dir, "jmeter.log")).CombinedOutput()
				if err != nil {
					t.Fatalf("jmeter: %v\n%s", err, out)
				}
				_, rows := readJTL(t, jtl)
				t.Logf("jmeter: %d rows, %d answered, server %d", len(rows), answered(rows), srv.Count()-start)
				for _, r := range rows {
					t.Logf("  %s | %s | %s | %s | el=%s bytes=%s | %s", r["label"], r["responseCode"], r["responseMessage"], r["success"], r["elapsed"], r["bytes"], r["failureMessage"])
				}
			}
		})
	}
}

// TestMixedFaultsConcurrently: several users interleave faults with normal
// requests on kept-alive connections; every request gives exactly one row
// and every answered one is counted once.
func TestMixedFaultsConcurrently(t *testing.T) {
	srv, port := startTarget(t)
	dir := t.TempDir()
	steps := []step{
		{label: "reset", path: "/fault/reset"},
		{label: "echo", path: "/echo?x=1"},
		{label: "truncate", path: "/fault/truncate"},
		{label: "error", path: "/status/500"},
		{label: "badhttp", path: "/fault/badhttp"},
		{label: "drip", path: "/fault/drip?bytes=3&ms=5", responseTimeout: "2000"},
		{label: "hang", path: "/fault/hang", responseTimeout: "100"},
		{label: "bytes", path: "/bytes/5000"},
	}
	const users, loops = 4, 5
	plan := loopPlan(t, dir, port, users, 0, loops, steps...)
	before := srv.Count()
	_, rows, _ := runFault(t, dir, plan, 120*time.Second)
	if want := users * loops * len(steps); len(rows) != want {
		t.Errorf("%d rows, want %d", len(rows), want)
	}
	for _, s := range steps {
		if n := len(byLabel(rows, s.label)); n != users*loops {
			t.Errorf("%d rows %s, want %d", n, s.label, users*loops)
		}
	}
	for _, r := range byLabel(rows, "echo") {
		if r["responseCode"] != "200" {
			t.Errorf("echo after a fault: %s %s", r["responseCode"], r["responseMessage"])
		}
	}
	want := int64(answered(rows))
	waitFor(5*time.Second, func() bool { return srv.Count()-before == want })
	if got := srv.Count() - before; got != want {
		t.Errorf("the server answered %d requests, the JTL has %d rows with an HTTP status", got, want)
	}
}
