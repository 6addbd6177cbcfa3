package sampler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/gometer/gometer/jmx"
)

// JMeter's HeaderManager.merge: the innermost manager keeps all of its
// entries, repeated names included; outer managers add a name only when
// nothing merged so far has it (so their own repeats keep the first).
func TestHeaderManagersMergeAsJMeter(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rec.add(r) }))
	defer srv.Close()
	hm := func(kv ...string) *jmx.Element {
		var items []*jmx.Property
		for i := 0; i+1 < len(kv); i += 2 {
			items = append(items, elemProp("", "Header", sp("Header.name", kv[i]), sp("Header.value", kv[i+1])))
		}
		return elem("HeaderManager", "hm", collection("HeaderManager.headers", items...))
	}
	inner := hm("X-In", "a", "X-In", "b", "Accept", "inner")
	middle := hm("accept", "middle", "X-Mid", "1", "X-Mid", "2")
	outer := hm("X-Out", "first", "x-out", "second", "X-Mid", "outer")
	el := httpSampler(t, srv.URL, "h", "GET", "/")
	if r := mustHTTP(t, el, HTTPOptions{Headers: []*jmx.Element{inner, middle, outer}}).Sample(context.Background(), newSession()); r == nil || !r.Success {
		t.Fatalf("sample failed: %+v", r)
	}
	got := rec.last(t).Header
	for name, want := range map[string][]string{
		"X-In":   {"a", "b"},
		"Accept": {"inner"},
		"X-Mid":  {"1"},
		"X-Out":  {"first"},
	} {
		if !reflect.DeepEqual(got[name], want) {
			t.Errorf("%s: %q, want %q", name, got[name], want)
		}
	}
}
