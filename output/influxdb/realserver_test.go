package influxdb

import (
	"slices"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/backendtest"
	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/output/backend"
)

// A real InfluxDB 1.x stores what the listener writes: the measurements,
// tag and field keys a JMeter dashboard queries, every numeric field as a
// float, and counts that add up to the JTL's rows.
func TestRealInfluxDB(t *testing.T) {
	db := realserver.StartInfluxDB(t)
	db.CreateDatabase(t, "jmeter")
	samples, err := backendtest.ReadJTL(goldenDir + "jmeter.jtl")
	if err != nil {
		t.Fatal(err)
	}
	l := &logs{}
	clock := backend.NewManualClock(time.Now())
	args := map[string]string{"influxdbUrl": db.URL + "/write?db=jmeter", "application": "real app", "measurement": "jmeter",
		"summaryOnly": "false", "samplersRegex": ".*", "percentiles": "90;95;99", "testTitle": "Real", "TAG_env": "ci"}
	o, err := newOutput(args, output.Run{}, clock)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Start(output.Run{Log: l.log}); err != nil {
		t.Fatal(err)
	}
	// Two intervals: the counts of both must add up.
	for i, s := range samples {
		o.Add(s)
		if i == len(samples)/2 {
			clock.Tick(5 * time.Second)
		}
	}
	clock.Advance(5 * time.Second)
	if err := o.Stop(); err != nil {
		t.Fatal(err)
	}
	if st := o.Stats(); st.Failed != 0 || st.Dropped != 0 || st.Sent != 3 {
		t.Fatalf("stats %+v, want 3 writes accepted; log:\n%s", st, l.text())
	}

	names := func(series []realserver.Series) []string {
		var out []string
		for _, s := range series {
			for _, v := range s.Values {
				out = append(out, v[0].(string))
			}
		}
		slices.Sort(out)
		return out
	}
	if got := names(db.Query(t, "jmeter", "SHOW MEASUREMENTS")); !slices.Equal(got, []string{"events", "jmeter"}) {
		t.Errorf("measurements %v", got)
	}
	wantTags := []string{"application", "env", "responseCode", "responseMessage", "statut", "transaction"}
	if got := names(db.Query(t, "jmeter", "SHOW TAG KEYS FROM jmeter")); !slices.Equal(got, wantTags) {
		t.Errorf("tag keys %v, want %v", got, wantTags)
	}
	fields := db.Query(t, "jmeter", "SHOW FIELD KEYS FROM jmeter")
	var fieldNames []string
	for _, v := range fields[0].Values {
		fieldNames = append(fieldNames, v[0].(string))
		if v[1] != "float" {
			t.Errorf("field %v is stored as %v; JMeter's numbers are floats", v[0], v[1])
		}
	}
	wantFields := []string{"avg", "count", "countError", "endedT", "hit", "max", "maxAT", "meanAT", "min", "minAT", "pct90.0", "pct95.0", "pct99.0", "rb", "sb", "startedT"}
	if !slices.Equal(fieldNames, wantFields) {
		t.Errorf("field keys %v, want %v", fieldNames, wantFields)
	}

	sum := func(q string) float64 {
		s := db.Query(t, "jmeter", q)
		if len(s) == 0 {
			t.Fatalf("%s: no series", q)
		}
		return s[0].Values[0][1].(float64)
	}
	var rows, failed int
	perLabel := map[string]int{}
	for _, s := range samples {
		rows++
		perLabel[s.Label]++
		if !s.Success {
			failed++
		}
	}
	if got := sum(`SELECT sum("count") FROM jmeter WHERE "transaction"='all' AND "statut"='all'`); got != float64(rows) {
		t.Errorf("summary count %v, JTL rows %d", got, rows)
	}
	if got := sum(`SELECT sum("countError") FROM jmeter WHERE "transaction"='all'`); got != float64(failed) {
		t.Errorf("summary countError %v, JTL failures %d", got, failed)
	}
	for label, n := range perLabel {
		q := `SELECT sum("count") FROM jmeter WHERE "transaction"='` + label + `' AND "statut"='all'`
		if got := sum(q); got != float64(n) {
			t.Errorf("%s: count %v, JTL rows %d", label, got, n)
		}
	}
	if got := sum(`SELECT count("text") FROM events`); got != 2 {
		t.Errorf("%v annotations, want started and ended", got)
	}
}
