package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/realserver"
)

// BenchmarkLiveOutputsOverhead runs the S1 plan (64 users, no think time,
// GET /fast, JTL on) in alternating rounds without and with live outputs
// (the InfluxDB Backend Listener added by property, writing to a real
// InfluxDB, and --prometheus-listen scraped by a real Prometheus every
// second) and reports the ratio of the median throughputs:
//
//	go test ./cmd/gometer -run '^$' -bench LiveOutputsOverhead -benchtime 1x [-args -rounds 3 -round 10s]
func BenchmarkLiveOutputsOverhead(b *testing.B) {
	db := realserver.StartInfluxDB(b)
	db.CreateDatabase(b, "jmeter")
	promAddr := fmt.Sprintf("127.0.0.1:%d", realserver.FreePort(b))
	prom := realserver.StartPrometheus(b, promAddr)
	prom.WaitFor(b, `up{job="gometer"}`, 30*time.Second, func(r []realserver.Sample) bool { return len(r) == 1 })
	_, port := startTarget(b)
	const rounds, secs = 3, 10
	for i := 0; i < b.N; i++ {
		var plain, live []float64
		for r := 0; r < rounds; r++ {
			for _, withOutputs := range []bool{false, true} {
				dir := b.TempDir()
				jtl := filepath.Join(dir, "s1.jtl")
				args := []string{"-n", "-t", repoFile("bench", "plans", "s1-throughput.jmx"), "-l", jtl,
					"-Jport=" + port, "-Jusers=64", "-Jduration=" + strconv.Itoa(secs)}
				if withOutputs {
					args = append(args, "-Jgometer.backend.influxdb.url="+db.URL+"/write?db=jmeter",
						"-Jgometer.backend.influxdb.application=bench", "--prometheus-listen", promAddr)
				}
				res := runGometer(b, dir, time.Duration(secs+60)*time.Second, args...)
				if res.code != 0 {
					b.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
				}
				data, err := os.ReadFile(jtl)
				if err != nil {
					b.Fatal(err)
				}
				rate := float64(bytes.Count(data, []byte("\n"))-1) / secs // rows less the header
				if withOutputs {
					live = append(live, rate)
				} else {
					plain = append(plain, rate)
				}
			}
		}
		slices.Sort(plain)
		slices.Sort(live)
		mp, ml := plain[len(plain)/2], live[len(live)/2]
		b.Logf("req/s without live outputs %v, with %v", plain, live)
		b.ReportMetric(mp, "req/s-plain")
		b.ReportMetric(ml, "req/s-live")
		b.ReportMetric(ml/mp, "ratio")
	}
}
