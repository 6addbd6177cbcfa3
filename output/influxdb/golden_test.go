package influxdb

import (
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/backendtest"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/backend"
)

const goldenDir = "../../testdata/backend/"

// goldenArgs are the InfluxDB listeners' arguments in
// testdata/backend/listeners.jmx, with the recorder's URL.
func goldenArgs(url string) map[string]map[string]string {
	return map[string]map[string]string{
		"/write?db=jmeter": {
			"influxdbMetricsSender": HTTPSenderClass, "influxdbUrl": url + "/write?db=jmeter",
			"application": "gometer golden", "measurement": "jmeter", "summaryOnly": "false", "samplersRegex": ".*",
			"percentiles": "99;95;90;99.9;50", "testTitle": "Golden run", "eventTags": "release 1,2",
			"TAG_env": "ci", "TAG_team": "q a",
		},
		"/write?db=summary": {
			"influxdbMetricsSender": HTTPSenderClass, "influxdbUrl": url + "/write?db=summary",
			"application": "app", "measurement": "jm summary", "summaryOnly": "true", "samplersRegex": ".*",
			"percentiles": "90", "testTitle": "Summary", "eventTags": "",
		},
	}
}

// JMeter 5.6.3 ran testdata/backend/listeners.jmx (regenerate with
// `JMETER_HOME=/opt/jmeter go run ./output/backend/regen`); replaying the
// samples of its JTL through gometer's listener must give the same lines,
// in the same order, with the same values: only timestamps differ.
func TestSameLinesAsJMeter(t *testing.T) {
	g, err := backend.ReadGolden(goldenDir + "jmeter.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	samples, err := backendtest.ReadJTL(goldenDir + "jmeter.jtl")
	if err != nil {
		t.Fatal(err)
	}
	for path, args := range goldenArgs("") {
		t.Run(path, func(t *testing.T) {
			var want []backend.Write
			for _, w := range g.Writes {
				if w.URL == path {
					want = append(want, w)
				}
			}
			if len(want) != 2 {
				t.Fatalf("golden has %d writes to %s, want the start and the end one", len(want), path)
			}
			rec := backendtest.NewRecorder(t)
			args["influxdbUrl"] = rec.URL + path
			var started atomic.Int32 // users started (and, at the end, finished): 0 until the plan's one user ran
			clock := backend.NewManualClock(time.UnixMilli(samples[0].Start.UnixMilli() - 100))
			o, err := newOutput(args, output.Run{}, clock)
			if err != nil {
				t.Fatal(err)
			}
			run := output.Run{Lifetime: func() (int, int) { n := int(started.Load()); return n, n }}
			if err := o.Start(run); err != nil {
				t.Fatal(err)
			}
			first := rec.Wait(t, 1, 10*time.Second)[0]
			for _, s := range samples {
				o.Add(s)
			}
			started.Store(1)
			if err := o.Stop(); err != nil {
				t.Fatal(err)
			}
			got := rec.Writes()
			if len(got) != 2 {
				t.Fatalf("%d writes, want 2", len(got))
			}
			for i, w := range []backendtest.Write{first, got[1]} {
				if w.UserAgent != want[i].UserAgent || w.ContentType != want[i].ContentType || w.Authorization != want[i].Authorization {
					t.Errorf("write %d headers: UA %q CT %q Auth %q; JMeter %q %q %q", i, w.UserAgent, w.ContentType, w.Authorization,
						want[i].UserAgent, want[i].ContentType, want[i].Authorization)
				}
				gl, wl := backendtest.NormaliseTimestamps(w.Body), backendtest.NormaliseTimestamps(want[i].Body)
				if gl != wl {
					t.Errorf("write %d differs from JMeter's:\n%s", i, lineDiff(wl, gl))
				}
			}
		})
	}
}

func sortedLines(s string) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	slices.Sort(l)
	return strings.Join(l, "\n")
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("  jmeter:  " + wl + "\n  gometer: " + gl + "\n")
		}
	}
	return b.String()
}

// The raw listener's points, concatenated over its writes, equal JMeter's
// byte for byte (their timestamps are the samples' own).
func TestRawSameAsJMeter(t *testing.T) {
	g, err := backend.ReadGolden(goldenDir + "jmeter.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	samples, err := backendtest.ReadJTL(goldenDir + "jmeter.jtl")
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	var auth string
	for _, w := range g.Writes {
		if w.URL == "/write?db=raw" {
			want.WriteString(w.Body)
			auth = w.Authorization
		}
	}
	rec := backendtest.NewRecorder(t)
	o, err := newRaw(map[string]string{"influxdbMetricsSender": HTTPSenderClass, "influxdbUrl": rec.URL + "/write?db=raw",
		"influxdbToken": "secret-token", "measurement": "jmeter_raw"}, output.Run{}, backend.RealClock{})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Start(output.Run{}); err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		o.Add(s)
	}
	if err := o.Stop(); err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, w := range rec.Writes() {
		got.WriteString(w.Body)
		if w.Authorization != auth {
			t.Errorf("Authorization %q, JMeter sent %q", w.Authorization, auth)
		}
	}
	// JMeter's listeners may see a transaction sample before or after its
	// last child (the JTL and the raw writes disagree there), so points are
	// compared as a multiset.
	if gs, ws := sortedLines(got.String()), sortedLines(want.String()); gs != ws {
		t.Errorf("raw points differ from JMeter's:\n%s", lineDiff(ws, gs))
	}
}
