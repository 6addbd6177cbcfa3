package influxdb

import (
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/backendtest"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/backend"
)

// Shards of one run write the same series: each line carries the shard's
// generator tag so that InfluxDB keeps every shard's points (one point per
// series and timestamp) and a dashboard can sum them; a lone generator
// writes exactly JMeter's lines, without it.
func TestShardsTagTheirLines(t *testing.T) {
	samples, err := backendtest.ReadJTL(goldenDir + "jmeter.jtl")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		run  output.Run
		want bool
	}{{output.Run{Generator: "host-a-1", Shards: 3}, true}, {output.Run{Generator: "host-a"}, false}} {
		var args map[string]string
		for _, a := range goldenArgs("") {
			args = a
			break
		}
		rec := backendtest.NewRecorder(t)
		args["influxdbUrl"] = rec.URL + "/write?db=jmeter"
		clock := backend.NewManualClock(time.UnixMilli(samples[0].Start.UnixMilli() - 100))
		o, err := newOutput(args, output.Run{}, clock)
		if err != nil {
			t.Fatal(err)
		}
		if err := o.Start(tc.run); err != nil {
			t.Fatal(err)
		}
		for _, s := range samples {
			o.Add(s)
		}
		if err := o.Stop(); err != nil {
			t.Fatal(err)
		}
		var body strings.Builder
		for _, w := range rec.Writes() {
			body.WriteString(w.Body)
		}
		lines := strings.Split(strings.TrimSpace(body.String()), "\n")
		tagged := 0
		for _, l := range lines {
			if strings.Contains(l, ",generator="+tc.run.Generator+" ") || strings.Contains(l, ",generator="+tc.run.Generator+",") {
				tagged++
			}
		}
		if tc.want && tagged != len(lines) || !tc.want && tagged != 0 {
			t.Errorf("%+v: %d of %d lines tagged with the generator", tc.run, tagged, len(lines))
		}
	}
}
