// Command regen runs testdata/backend/listeners.jmx with Apache JMeter
// 5.6.3 against the local target, records what its backend listeners send
// (InfluxDB HTTP writes and Graphite plaintext) and writes
// testdata/backend/jmeter.golden.json and the run's JTL,
// testdata/backend/jmeter.jtl, from which the tests replay the same samples
// through gometer's outputs.
//
//	JMETER_HOME=/opt/jmeter go run ./output/backend/regen
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gometer/gometer/internal/target"
	"github.com/gometer/gometer/output/backend"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "regen:", err)
		os.Exit(1)
	}
}

func run() error {
	home := os.Getenv("JMETER_HOME")
	if home == "" {
		return fmt.Errorf("set JMETER_HOME to an Apache JMeter 5.6.3 installation")
	}
	dir := "testdata/backend"
	tgt := target.New(target.Options{})
	addr, err := tgt.Start("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer tgt.Close()

	var mu sync.Mutex
	var g backend.Golden
	rec := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		g.Writes = append(g.Writes, backend.Write{Method: r.Method, URL: r.URL.RequestURI(),
			ContentType: r.Header.Get("Content-Type"), UserAgent: r.Header.Get("User-Agent"),
			Authorization: r.Header.Get("Authorization"), Body: string(b)})
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})}
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go rec.Serve(hl)
	defer rec.Close()

	gl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var graphite []byte
	var gwg sync.WaitGroup
	go func() {
		for {
			c, err := gl.Accept()
			if err != nil {
				return
			}
			gwg.Add(1)
			go func() {
				defer gwg.Done()
				b, _ := io.ReadAll(c)
				mu.Lock()
				graphite = append(graphite, b...)
				mu.Unlock()
			}()
		}
	}()

	scratch, err := os.MkdirTemp("", "backend-regen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(addr, "http://"))
	_, mport, _ := net.SplitHostPort(hl.Addr().String())
	_, gport, _ := net.SplitHostPort(gl.Addr().String())
	jtl := filepath.Join(scratch, "results.jtl")
	cmd := exec.Command(filepath.Join(home, "bin", "jmeter"), "-n", "-t", filepath.Join(dir, "listeners.jmx"),
		"-l", jtl, "-j", filepath.Join(scratch, "jmeter.log"),
		"-Jhost=127.0.0.1", "-Jport="+port, "-Jmetrics_port="+mport, "-Jgraphite_port="+gport)
	out, err := cmd.CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(scratch, "jmeter.log"))
		return fmt.Errorf("jmeter: %v\n%s\n%s", err, out, log)
	}
	gl.Close()
	// JMeter closes its Graphite connections at the end of the test.
	gwg.Wait()
	mu.Lock()
	g.Graphite = string(graphite)
	mu.Unlock()
	if err := backend.WriteGolden(filepath.Join(dir, "jmeter.golden.json"), &g); err != nil {
		return err
	}
	b, err := os.ReadFile(jtl)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "jmeter.jtl"), b, 0o644); err != nil {
		return err
	}
	fmt.Printf("%d HTTP writes, %d bytes to Graphite\n", len(g.Writes), len(graphite))
	return nil
}
