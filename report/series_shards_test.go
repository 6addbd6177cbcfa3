package report

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The shards of one run each count their own users: merged, a thread
// group's active threads are the sum over the files, not their average.
func TestActiveThreadsAddUpAcrossMergedFiles(t *testing.T) {
	dir := t.TempDir()
	header := "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n"
	write := func(name string, users int) string {
		var b strings.Builder
		b.WriteString(header)
		for i := range 20 {
			// one row every 100 ms for 2 s, the shard's users all active
			b.WriteString(strings.Join([]string{itoa(1_700_000_000_000 + int64(i)*100), "5", "get", "200", "OK", "Shoppers 1-1", "text", "true", "", "10", "5",
				itoa(int64(users)), itoa(int64(users)), "http://x/", "2", "0", "1"}, ",") + "\n")
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b := write("shard-0.jtl", 3), write("shard-1.jtl", 4)
	rd, err := MergeJTL([]string{a, b}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	st := NewStats(StatsOptions{})
	s := NewSeries(defaultSeriesOpts())
	for {
		x, err := rd.Next()
		if err != nil {
			break
		}
		st.Add(x)
		s.Add(x)
	}
	for _, ch := range s.Charts(st) {
		if ch.ID != "activeThreadsOverTime" {
			continue
		}
		if len(ch.Series) != 1 || ch.Series[0].Name != "Shoppers" {
			t.Fatalf("series %+v", ch.Series)
		}
		for _, p := range ch.Series[0].Points {
			if p[1] != 7 {
				t.Errorf("active threads at %v: %v, want 3 + 4", p[0], p[1])
			}
		}
		return
	}
	t.Fatal("no active threads chart")
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
