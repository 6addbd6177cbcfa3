package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/corpus"
	"github.com/gometer/gometer/internal/skipped"
)

// The public plan that uses the Parallel Controller and the Parallel HTTP
// Requests sampler runs as published: its fifteen requests to
// localhost:8080 go through -H/-P to a local server, at once, each reported
// from its branch of the user; the empty URL list makes one sample of its own.
func TestCorpusParallelPlanRuns(t *testing.T) {
	plan := filepath.Join(corpus.Dir(t), "31-krishnanudhaya-test-plan.jmx")
	if _, err := os.Stat(plan); err != nil {
		skipped.Need(t, "corpus", plan+" is not present ("+corpus.Env+" names the corpus folder)")
	}
	rec := newRecorder(t, nil)
	work := t.TempDir()
	jtl := filepath.Join(work, "out.jtl")
	res := runGometer(t, work, 60*time.Second, "-n", "-t", plan, "-l", jtl, "-H", "127.0.0.1", "-P", rec.port())
	if res.code != 0 {
		t.Fatalf("run: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	seen := map[string]bool{}
	for _, r := range rec.requests() {
		if r.Path == "/demo/krish" {
			seen[r.Query] = true
		}
	}
	if len(seen) != 15 {
		t.Errorf("the target saw %d distinct requests, want id=1…15: %v", len(seen), seen)
	}
	_, rows := readJTL(t, jtl)
	branches, lists := 0, 0
	for _, row := range rows {
		switch row["label"] {
		case "HTTP Request":
			if strings.HasPrefix(row["threadName"], "Thread Group 1-1 - bzm - Parallel Controller - ") && row["success"] == "true" {
				branches++
			}
		case "jp@gc - Parallel HTTP Requests":
			if row["URL"] == "http://parallel-urls-list" && row["success"] == "true" {
				lists++
			}
		}
	}
	if branches != 15 || lists != 1 || len(rows) != 16 {
		t.Errorf("JTL: %d branch samples (want 15), %d list samples (want 1), %d rows", branches, lists, len(rows))
	}
}
