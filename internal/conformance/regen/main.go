// Command regen runs the conformance plans with Apache JMeter 5.6.3 and
// writes their goldens (what JMeter sent and the JTL outcomes).
//
//	JMETER_HOME=/opt/jmeter go run ./internal/conformance/regen [-only name]
//
// With -gometer BIN it runs gometer instead and prints the differences to
// the goldens, without writing anything.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/gometer/gometer/internal/conformance"
)

func main() {
	dir := flag.String("dir", "testdata/conformance", "folder of the conformance plans")
	only := flag.String("only", "", "run only cases whose name contains this")
	gometerBin := flag.String("gometer", "", "compare this gometer binary to the goldens instead of regenerating")
	flag.Parse()
	cases, err := conformance.LoadCases(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var tool conformance.Tool
	if *gometerBin != "" {
		tool = conformance.GometerTool(*gometerBin)
	} else {
		home := os.Getenv("JMETER_HOME")
		if home == "" {
			fmt.Fprintln(os.Stderr, "set JMETER_HOME to an Apache JMeter 5.6.3 installation")
			os.Exit(2)
		}
		tool = conformance.JMeterTool(home)
	}
	scratch, err := os.MkdirTemp("", "conformance-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.RemoveAll(scratch)
	failed := false
	for _, c := range cases {
		if *only != "" && !strings.Contains(c.Name, *only) {
			continue
		}
		if c.Rules.Plugin != "" && *gometerBin == "" {
			if _, err := conformance.PluginJar(c.Rules.Plugin); err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", c.Name, err) // without the jar JMeter would refuse the plan: no golden
				failed = true
				continue
			}
		}
		obs, out, err := conformance.Run(c, tool, scratch)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n%s\n", c.Name, err, out)
			failed = true
			continue
		}
		if *gometerBin != "" {
			want, err := conformance.ReadGolden(c.Golden())
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				failed = true
				continue
			}
			if d := conformance.Diff(want, obs); len(d) > 0 {
				failed = true
				fmt.Printf("%s: %d difference(s)\n  %s\n", c.Name, len(d), strings.Join(d, "\n  "))
			} else {
				fmt.Printf("%s: same as JMeter\n", c.Name)
			}
			continue
		}
		if err := conformance.WriteGolden(c.Golden(), obs); err != nil {
			fmt.Fprintln(os.Stderr, err)
			failed = true
			continue
		}
		fmt.Printf("%s: %d requests, %d distinct JTL outcomes\n", c.Name, len(obs.Requests), len(obs.Results))
	}
	if failed {
		os.Exit(1)
	}
}
