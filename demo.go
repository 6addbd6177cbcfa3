// Package gometer holds the files bundled into the gometer binary; the code
// lives in the packages below (jmx, functions, engine, sampler, report).
package gometer

import "embed"

// DemoPlans are the plans `gometer demo` runs, from testdata/demo.
//
//go:embed testdata/demo/*.jmx
var DemoPlans embed.FS
