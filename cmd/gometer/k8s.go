package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gometer/gometer/deploy/k8s"
)

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// cmdK8s prints the Kubernetes manifests of a sharded run:
// gometer k8s render --plan plan.jmx --shards N [--data file]… [--image …]
// [--start-in 60s | --start-at T] [-J name=value]… [--fail-on …]….
func cmdK8s(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	if len(args) == 0 || args[0] != "render" {
		fmt.Fprintln(stderr, "gometer: usage: gometer k8s render --plan plan.jmx --shards N [--data file]… [--image img] [--start-in 2m | --start-at RFC3339] [-J name=value]… [--fail-on spec]…")
		return exitUsage
	}
	fs := flag.NewFlagSet("k8s render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o k8s.Options
	var data, props, failOn repeated
	var startIn time.Duration
	var startAt string
	fs.StringVar(&o.Plan, "plan", "", "the .jmx plan")
	fs.IntVar(&o.Shards, "shards", 0, "number of shards (pods)")
	fs.StringVar(&o.Name, "name", "", "name prefix of the objects (default: the plan's file name)")
	fs.StringVar(&o.Namespace, "namespace", "", "namespace of the objects")
	fs.StringVar(&o.Image, "image", k8s.DefaultImage, "gometer image (build it from deploy/Dockerfile)")
	fs.Var(&data, "data", "a data file the plan reads, relative to the plan (repeatable)")
	fs.Var(&props, "J", "a property for every shard, name=value (repeatable)")
	fs.Var(&failOn, "fail-on", "a threshold the report Job evaluates on the merged results (repeatable)")
	fs.DurationVar(&startIn, "start-in", 0, "start every shard's load this long after rendering (e.g. 2m)")
	fs.StringVar(&startAt, "start-at", "", "start every shard's load at this time (RFC 3339 or Unix ms)")
	fs.StringVar(&o.ResultsSize, "results-size", "1Gi", "size of the shared results volume")
	fs.StringVar(&o.StorageClass, "storage-class", "", "storage class of the results volume (ReadWriteMany)")
	fs.StringVar(&o.CPU, "cpu", "1", "CPU request of each shard")
	fs.StringVar(&o.Memory, "memory", "1Gi", "memory request and limit of each shard")
	fs.DurationVar(&o.ReportWait, "report-wait", 24*time.Hour, "how long the report Job waits for the shards")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gometer: k8s render: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	o.Data, o.Props, o.FailOn = data, props, failOn
	if o.Name == "" && o.Plan != "" {
		o.Name = dnsName(o.Plan)
	}
	switch {
	case startAt != "" && startIn != 0:
		fmt.Fprintln(stderr, "gometer: k8s render: give --start-at or --start-in, not both")
		return exitUsage
	case startAt != "":
		t, err := parseStartAt(startAt)
		if err != nil {
			fmt.Fprintf(stderr, "gometer: k8s render: %v\n", err)
			return exitUsage
		}
		o.StartAt = t
	case startIn > 0:
		o.StartAt = now().Add(startIn).Truncate(time.Second)
	}
	out, err := k8s.Render(o)
	if err != nil {
		fmt.Fprintf(stderr, "gometer: k8s render: %v\n", err)
		return exitFailed
	}
	stdout.Write(out)
	return exitOK
}

// dnsName turns a plan's file name into a DNS label: "Checkout Flow.jmx"
// gives "checkout-flow".
func dnsName(plan string) string {
	base := plan[strings.LastIndexAny(plan, `/\`)+1:]
	base = strings.TrimSuffix(base, ".jmx")
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(base) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	if s == "" {
		s = "gometer"
	}
	return s
}
