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

	"gometer/internal/target"
)

// faultSampler is the one HTTP request of a fault plan that misbehaves.
type faultSampler struct {
	host, port, path string
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
          <stringProp name="HTTPSampler.protocol">http</stringProp>
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
`, loops, dns, x(s.host), x(s.port), x(s.path), s.follow, x(s.responseTimeout), x(okPort))
	path := filepath.Join(dir, "fault.jmx")
	if err := os.WriteFile(path, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// startTarget serves internal/target on a loopback port for the test.
func startTarget(t *testing.T) (*target.Server, string) {
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

// faultCase is one misbehaving server and the row gometer must write for it.
type faultCase struct {
	name  string
	loops int
	// sampler builds the Fault request from the target's port, a closed
	// port and a loopback NXDOMAIN DNS server's address.
	sampler func(port, closed, dns string) faultSampler
	// code and msg are the Fault rows' responseCode and responseMessage;
	// {port} and {closed} stand for the ports.
	code, msg string
	success   bool
	// timeout bounds the run.
	timeout time.Duration
}

var faultCases = []faultCase{
	{name: "refused", loops: 3,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: closed, path: "/"}
		}},
	{name: "dns", loops: 3,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "no-such-host.invalid", port: port, path: "/", dnsServer: dns}
		}},
	{name: "reset", loops: 3,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/reset"}
		}},
	{name: "hang", loops: 2,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/hang", responseTimeout: "500"}
		}},
	{name: "drip", loops: 2,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/drip?bytes=10&ms=60", responseTimeout: "2000"}
		}},
	{name: "drip-timeout", loops: 2,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/drip?bytes=5&ms=700", responseTimeout: "300"}
		}},
	{name: "big", loops: 2,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/big?mb=256"}
		}},
	{name: "badhttp", loops: 3,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/badhttp"}
		}},
	{name: "truncate", loops: 3,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/truncate"}
		}},
	{name: "redirect-loop", loops: 2,
		sampler: func(port, closed, dns string) faultSampler {
			return faultSampler{host: "127.0.0.1", port: port, path: "/fault/loop", follow: true}
		}},
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
