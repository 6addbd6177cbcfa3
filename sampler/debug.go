package sampler

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// Debug is JMeter's DebugSampler: its response is the user's variables
// (and optionally the JMeter and "system" properties) as sorted name=value
// lines. It always succeeds with code 200.
type Debug struct {
	label                 *functions.Template
	vars, props, sysProps *functions.Template
}

// NewDebug compiles a DebugSampler element.
func NewDebug(el *jmx.Element) (Sampler, error) {
	d := &Debug{}
	var err error
	for _, f := range []struct {
		dst  **functions.Template
		prop string
		def  string
	}{
		{&d.vars, "displayJMeterVariables", "true"},
		{&d.props, "displayJMeterProperties", "false"},
		{&d.sysProps, "displaySystemProperties", "false"},
	} {
		if *f.dst, err = functions.Compile(el.StrOr(f.prop, f.def)); err != nil {
			return nil, fmt.Errorf("%s (%s): %s: %w", el.Path(), el.Where(), f.prop, err)
		}
	}
	if d.label, err = functions.Compile(el.Name); err != nil {
		return nil, fmt.Errorf("%s (%s): name: %w", el.Path(), el.Where(), err)
	}
	return d, nil
}

func isTrue(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "true") }

// Sample lists the requested sets.
func (d *Debug) Sample(_ context.Context, s *Session) *Result {
	c := s.Ctx
	start := time.Now()
	var body, req strings.Builder
	if isTrue(d.vars.Eval(c)) {
		req.WriteString("JMeterVariables\n")
		body.WriteString("JMeterVariables:\n")
		if c != nil && c.Vars != nil {
			names := c.Vars.Names()
			sortAlphaNumeric(names)
			for _, n := range names {
				v, _ := c.Vars.Get(n)
				body.WriteString(n + "=" + v + "\n")
			}
		}
		body.WriteString("\n")
	}
	if isTrue(d.props.Eval(c)) {
		req.WriteString("JMeterProperties\n")
		body.WriteString("JMeterProperties:\n")
		if c != nil && c.Props != nil {
			names := c.Props.Names()
			sortAlphaNumeric(names)
			for _, n := range names {
				v, _ := c.Props.Get(n)
				body.WriteString(n + "=" + v + "\n")
			}
		}
		body.WriteString("\n")
	}
	if isTrue(d.sysProps.Eval(c)) {
		req.WriteString("SystemProperties\n")
		body.WriteString("SystemProperties:\n")
		for _, l := range systemProperties() {
			body.WriteString(l + "\n")
		}
		body.WriteString("\n")
	}
	b := []byte(body.String())
	return &Result{
		Label:           d.label.Eval(c),
		Start:           start,
		Elapsed:         time.Since(start),
		ResponseCode:    "200",
		ResponseMessage: "OK",
		Success:         true,
		DataType:        "text",
		Body:            b,
		Bytes:           int64(len(b)),
		SamplerData:     req.String(),
		SampleCount:     1,
	}
}

// systemProperties is the Go process's counterpart of Java's system
// properties: a few facts about the runtime and the environment variables.
func systemProperties() []string {
	wd, _ := os.Getwd()
	host, _ := os.Hostname()
	out := []string{
		"file.separator=" + string(os.PathSeparator),
		"gometer.go.version=" + runtime.Version(),
		"os.arch=" + runtime.GOARCH,
		"os.name=" + runtime.GOOS,
		"user.dir=" + wd,
		"host.name=" + host,
	}
	for _, e := range os.Environ() {
		out = append(out, "env."+e)
	}
	sortAlphaNumeric(out)
	return out
}

// sortAlphaNumeric sorts as JMeter's AlphaNumericKeyComparator: runs of
// digits compare by numeric value, the rest as text ("a2" < "a10").
func sortAlphaNumeric(s []string) {
	sort.SliceStable(s, func(i, j int) bool { return alphaNumCompare(s[i], s[j]) < 0 })
}

func alphaNumCompare(a, b string) int {
	for {
		aText, aNum, aRest := alphaNumChunk(a)
		bText, bNum, bRest := alphaNumChunk(b)
		if c := strings.Compare(aText, bText); c != 0 {
			return c
		}
		if aNum == "" || bNum == "" {
			switch {
			case aNum == "" && bNum == "":
				return 0
			case aNum == "":
				return -1
			}
			return 1
		}
		aNum, bNum = strings.TrimLeft(aNum, "0"), strings.TrimLeft(bNum, "0")
		if len(aNum) != len(bNum) {
			if len(aNum) < len(bNum) {
				return -1
			}
			return 1
		}
		if c := strings.Compare(aNum, bNum); c != 0 {
			return c
		}
		a, b = aRest, bRest
		if a == "" && b == "" {
			return 0
		}
	}
}

// alphaNumChunk splits s into leading non-digits, the digits after them,
// and the rest.
func alphaNumChunk(s string) (text, num, rest string) {
	i := 0
	for i < len(s) && (s[i] < '0' || s[i] > '9') {
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return s[:i], s[i:j], s[j:]
}
