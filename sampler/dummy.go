package sampler

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// Dummy is the jmeter-plugins Dummy Sampler (kg.apc.jmeter.samplers.DummySampler):
// a sample made of configured values, optionally waiting the response time.
type Dummy struct {
	label                             *functions.Template
	success, waiting                  *functions.Template
	code, message, data, request, url *functions.Template
	responseTime, latency, connect    *functions.Template
}

// NewDummy compiles a Dummy Sampler. The current plugin's property names
// (SUCCESFULL, RESPONSE_CODE …) are used; plans saved by the old 0.x plugin
// ("Successful", "Response Code (e.g. 200)" …) are read when the new names
// are absent.
func NewDummy(el *jmx.Element) (Sampler, error) {
	d := &Dummy{}
	pick := func(names ...string) string {
		for _, n := range names {
			if el.Has(n) {
				return el.Str(n)
			}
		}
		return ""
	}
	var err error
	for _, f := range []struct {
		dst   **functions.Template
		names []string
	}{
		{&d.success, []string{"SUCCESFULL", "Successful"}},
		{&d.waiting, []string{"WAITING"}},
		{&d.code, []string{"RESPONSE_CODE", "Response Code (e.g. 200)"}},
		{&d.message, []string{"RESPONSE_MESSAGE", "Response Message (e.g. OK)"}},
		{&d.data, []string{"RESPONSE_DATA", "Response Data"}},
		{&d.request, []string{"REQUEST_DATA"}},
		{&d.url, []string{"URL"}},
		{&d.responseTime, []string{"RESPONSE_TIME"}},
		{&d.latency, []string{"LATENCY"}},
		{&d.connect, []string{"CONNECT"}},
	} {
		if *f.dst, err = functions.Compile(pick(f.names...)); err != nil {
			return nil, fmt.Errorf("%s (%s): %s: %w", el.Path(), el.Where(), f.names[0], err)
		}
	}
	if rc := strings.TrimSpace(el.Str("RESULT_CLASS")); rc != "" && rc != "org.apache.jmeter.samplers.SampleResult" &&
		rc != "org.apache.jmeter.protocol.http.sampler.HTTPSampleResult" {
		return nil, fmt.Errorf("%s (%s): result class %q is not supported", el.Path(), el.Where(), rc)
	}
	if d.label, err = functions.Compile(el.Name); err != nil {
		return nil, fmt.Errorf("%s (%s): name: %w", el.Path(), el.Where(), err)
	}
	return d, nil
}

// millis parses a plugin time field: an integer, anything else is 0.
func millis(s string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return time.Duration(n) * time.Millisecond
}

// Sample builds the configured result.
func (d *Dummy) Sample(ctx context.Context, s *Session) *Result {
	c := s.Ctx
	rt := millis(d.responseTime.Eval(c))
	start := time.Now()
	elapsed := rt
	if isTrue(d.waiting.Eval(c)) && rt > 0 {
		t := time.NewTimer(rt)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
		elapsed = time.Since(start)
	}
	body := []byte(d.data.Eval(c))
	res := &Result{
		Label:           d.label.Eval(c),
		Start:           start,
		Elapsed:         elapsed,
		Latency:         millis(d.latency.Eval(c)),
		Connect:         millis(d.connect.Eval(c)),
		ResponseCode:    d.code.Eval(c),
		ResponseMessage: d.message.Eval(c),
		Success:         isTrue(d.success.Eval(c)),
		DataType:        "text",
		Body:            body,
		Bytes:           int64(len(body)),
		SamplerData:     d.request.Eval(c),
		URL:             strings.TrimSpace(d.url.Eval(c)),
		SampleCount:     1,
	}
	if !res.Success {
		res.ErrorCount = 1
	}
	return res
}
