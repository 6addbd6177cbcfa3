// Command reportgen runs gometer's report generator on JTL files, the way
// `gometer -g` does, for benchmarks: reportgen [-f] [-percentiles exact|jmeter] -o out a.jtl [b.jtl …]
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/report"
)

func main() {
	out := flag.String("o", "", "output folder")
	force := flag.Bool("f", false, "replace a previous report in the output folder")
	mode := flag.String("percentiles", "exact", "exact | jmeter")
	prof := flag.String("cpuprofile", "", "write a CPU profile here")
	flag.Parse()
	if *prof != "" {
		f, err := os.Create(*prof)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	p := functions.NewProperties()
	p.Set("gometer.report.percentiles", *mode)
	sum, err := report.Generate(flag.Args(), *out, report.GenerateOptions{Props: p, Force: *force, Progress: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "reportgen:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	fmt.Printf("%s\nrows read: %d; report: %s\n", sum.Verdict, sum.RowsRead, sum.IndexPath)
}
