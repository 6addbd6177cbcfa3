// Command profile runs a plan in-process through the same pipeline as
// `gometer -n -t plan -l jtl` (package runner: JTL writer, end-of-run
// statistics, console summariser) and writes
// pprof CPU and allocation profiles, plus the generator's health verdict.
// It exists so that S1 and S2 can be profiled without a profiling flag in
// the CLI:
//
//	go run ./bench/profile -t bench/plans/s1-throughput.jmx -l /tmp/s1.jtl \
//	    -J host=127.0.0.1 -J port=8080 -cpuprofile /tmp/cpu.out -memprofile /tmp/mem.out
//	go tool pprof -top /tmp/cpu.out
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/engine"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/report"
	"github.com/gometer/gometer/runner"
	"github.com/gometer/gometer/sample"
)

type props []string

func (p *props) String() string     { return strings.Join(*p, ",") }
func (p *props) Set(v string) error { *p = append(*p, v); return nil }

// elapsedOutput keeps every top-level sample's elapsed time at full
// resolution (the JTL has whole milliseconds), for S3's added latency.
type elapsedOutput struct {
	mu sync.Mutex
	d  []time.Duration
}

func (o *elapsedOutput) Add(r *sample.Result) {
	o.mu.Lock()
	o.d = append(o.d, r.Elapsed)
	o.mu.Unlock()
}

func (o *elapsedOutput) Start(output.Run) error { return nil }
func (o *elapsedOutput) Stop() error            { return nil }

// String is the median and 99th percentile, in microseconds.
func (o *elapsedOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.d) == 0 {
		return "no samples"
	}
	slices.Sort(o.d)
	at := func(q float64) time.Duration { return o.d[min(len(o.d)-1, int(q*float64(len(o.d))))] }
	return fmt.Sprintf("elapsed of %d samples: p50 %.3f ms, p99 %.3f ms", len(o.d), float64(at(0.50))/1e6, float64(at(0.99))/1e6)
}

func main() {
	var (
		plan    = flag.String("t", "", "plan (.jmx)")
		jtl     = flag.String("l", "", "results file (JTL); empty: none")
		cpuProf = flag.String("cpuprofile", "", "write a CPU profile here")
		memProf = flag.String("memprofile", "", "write an allocation profile here")
		rate    = flag.Int("memprofilerate", 0, "runtime.MemProfileRate (0: Go's default)")
		heapAt  = flag.Duration("heapat", 0, "write an in-use heap profile (-memprofile with .inuse appended) and print memory figures this long after the start")
		startup = flag.Int("startup", 0, "only parse and compile the plan this many times (S4) and print the time each took")
		jprops  props
	)
	flag.Var(&jprops, "J", "name=value property (repeatable)")
	flag.Parse()
	if *startup > 0 {
		if err := startupOnly(*plan, *cpuProf, *startup, jprops); err != nil {
			fmt.Fprintln(os.Stderr, "profile:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*plan, *jtl, *cpuProf, *memProf, *rate, *heapAt, jprops); err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
		os.Exit(1)
	}
}

// startupOnly measures what S4 measures before the first request: reading,
// parsing and compiling the plan.
func startupOnly(planPath, cpuProf string, n int, jprops []string) error {
	p := newProps(jprops)
	stop, err := startCPUProfile(cpuProf)
	if err != nil {
		return err
	}
	defer stop()
	var parse, compile time.Duration
	for i := 0; i < n; i++ {
		t0 := time.Now()
		pl, err := jmx.ParseFile(planPath)
		if err != nil {
			return err
		}
		t1 := time.Now()
		if _, err := engine.Compile(pl, engine.Options{Props: p}); err != nil {
			return err
		}
		parse += t1.Sub(t0)
		compile += time.Since(t1)
	}
	fmt.Printf("parse %s, compile %s (mean of %d)\n", parse/time.Duration(n), compile/time.Duration(n), n)
	return nil
}

func newProps(jprops []string) *functions.Properties {
	p := functions.NewProperties()
	p.Set("summariser.name", "summary")
	p.Set("summariser.interval", "30")
	p.Set("sampleresult.timestamp.start", "true")
	for _, kv := range jprops {
		k, v, _ := strings.Cut(kv, "=")
		p.Set(k, v)
	}
	return p
}

func run(planPath, jtlPath, cpuProf, memProf string, rate int, heapAt time.Duration, jprops []string) error {
	if planPath == "" {
		return fmt.Errorf("-t plan is required")
	}
	if rate > 0 {
		runtime.MemProfileRate = rate
	}
	p := newProps(jprops)
	sopts, err := report.StatsOptionsFromProps(p)
	if err != nil {
		return err
	}
	if jtlPath != "" {
		os.Remove(jtlPath)
	}
	elapsed := &elapsedOutput{}
	r, err := runner.New(runner.Config{PlanPath: planPath, Props: p, Results: jtlPath, Stats: sopts,
		Outputs: []output.Output{elapsed}, Stdout: os.Stdout, Stderr: os.Stderr})
	if err != nil {
		return err
	}
	stop, err := startCPUProfile(cpuProf)
	if err != nil {
		return err
	}
	defer stop()
	if heapAt > 0 {
		tm := time.AfterFunc(heapAt, func() { memFigures(r.Test(), memProf) })
		defer tm.Stop()
	}
	start := time.Now()
	res, err := r.Run(context.Background())
	if err != nil {
		return err
	}
	runErr := errors.Join(res.Err, res.WriteErr, res.StopErr)
	fmt.Printf("run took %s; %s\n", time.Since(start).Round(time.Millisecond), elapsed)
	if memProf != "" {
		f, err := os.Create(memProf)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
	}
	return runErr
}

// memFigures prints the Go memory figures and the bytes per active user,
// and writes an in-use heap profile when path is set.
func memFigures(test *engine.Test, path string) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	active, _, _ := test.Counts()
	per := func(v uint64) float64 { return float64(v) / float64(max(active, 1)) }
	fmt.Printf("memory: %d active users; heap in use %.1f MB (%.0f B/user), stacks %.1f MB (%.0f B/user), goroutines %d, Sys %.1f MB\n",
		active, float64(m.HeapInuse)/1e6, per(m.HeapInuse), float64(m.StackInuse)/1e6, per(m.StackInuse), runtime.NumGoroutine(), float64(m.Sys)/1e6)
	fmt.Printf("memory: HeapSys %.1f MB, HeapReleased %.1f MB, StackSys %.1f MB, MSpanSys %.1f MB, GCSys %.1f MB, OtherSys %.1f MB; %s\n",
		float64(m.HeapSys)/1e6, float64(m.HeapReleased)/1e6, float64(m.StackSys)/1e6, float64(m.MSpanSys)/1e6, float64(m.GCSys)/1e6, float64(m.OtherSys)/1e6, vmRSS())
	if path == "" {
		return
	}
	f, err := os.Create(path + ".inuse")
	if err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
		return
	}
	defer f.Close()
	_ = pprof.Lookup("heap").WriteTo(f, 0)
}

// vmRSS is the VmRSS and VmHWM lines of /proc/self/status (Linux).
func vmRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ""
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS") || strings.HasPrefix(l, "VmHWM") {
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
	}
	return strings.Join(out, ", ")
}

// startCPUProfile writes a CPU profile to path (none when path is empty)
// until the returned func is called.
func startCPUProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
