package engine

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/sampler"
)

type panicSampler struct{}

func (panicSampler) Sample(context.Context, *sampler.Session) *sample.Result { panic("boom") }

// A panic inside one user's sample ends that user and is reported by Run,
// instead of crashing the process.
func TestPanicEndsOnlyThatUser(t *testing.T) {
	var mu sync.Mutex
	var logs []string
	xml := planXML(tg("G", 2, 0, "1", "", httpSampler(nil, "s", "GET", "http://127.0.0.1:1/x", "")))
	tst, err := compileXML(t, xml, Options{Log: func(level, msg string) { mu.Lock(); logs = append(logs, level+" "+msg); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	replaceSamplers(tst.main[0].root.children, panicSampler{})
	err = tst.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "2 virtual user(s) stopped by an internal error") {
		t.Fatalf("Run: %v", err)
	}
	if a, s, f := tst.Counts(); a != 0 || s != 2 || f != 2 {
		t.Errorf("counts %d %d %d", a, s, f)
	}
	if len(logs) == 0 || !strings.Contains(strings.Join(logs, "\n"), "boom") {
		t.Errorf("panic not logged: %v", logs)
	}
}
