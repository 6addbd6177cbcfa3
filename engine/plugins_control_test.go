package engine

import (
	"strings"
	"testing"
)

// wsc is a Weighted Switch Controller; rows are name, weight, enabled.
func wsc(name string, random bool, rows [][3]string, kids ...el) el {
	var b strings.Builder
	b.WriteString(`<collectionProp name="Weights">`)
	for _, r := range rows {
		b.WriteString(`<collectionProp name="row">` + sp("n", r[0]) + sp("w", r[1]) + sp("e", r[2]) + `</collectionProp>`)
	}
	b.WriteString(`</collectionProp>`)
	if random {
		b.WriteString(bp("IsRandomChoice", true))
	}
	return el{tag: classWeightedSwitch, gui: classWeightedSwitch + "Gui", name: name, props: b.String(), kids: kids}
}

// choices is each user's sequence of /w/<n> requests.
func choices(srv *server) map[string]string {
	out := map[string]string{}
	for _, r := range srv.requests() {
		out[r.user] += strings.TrimPrefix(r.path, "/w/")
	}
	return out
}

// Without random choice each user's choices follow the plugin's
// deterministic rule: weights 1:2:1 give 2 1 3 2 2 1 3 2 (the fifth choice
// is the tie where every share is met, which goes to the heaviest child),
// each user counting its own choices.
func TestWeightedSwitchDeterministic(t *testing.T) {
	srv := newServer(t)
	w := wsc("wsc", false, [][3]string{{"one", "1", "true"}, {"two", "2", "true"}, {"three", "1", "true"}},
		get(srv, "one", "/w/1?u=${__threadNum}"), get(srv, "two", "/w/2?u=${__threadNum}"), get(srv, "three", "/w/3?u=${__threadNum}"))
	run(t, planXML(tg("G", 2, 0, "8", "", w)), nil)
	got := choices(srv)
	if len(got) != 2 || got["1"] != "21322132" || got["2"] != "21322132" {
		t.Fatalf("choices per user: %v, want 21322132 for each", got)
	}
}

// A row marked not enabled is dropped and the remaining rows map to the
// enabled children by position (the disabled child is not one of them); a
// weight may be an expression, evaluated at each choice.
func TestWeightedSwitchRowsAndExpressions(t *testing.T) {
	srv := newServer(t)
	dis := get(srv, "off", "/w/X")
	dis.disabled = true
	w := wsc("wsc", false, [][3]string{{"a", "1", "true"}, {"off", "5", "false"}, {"c", "${wc}", "true"}},
		get(srv, "a", "/w/1"), dis, get(srv, "c", "/w/3"))
	run(t, planXML(udvs("vars", "wc", "1"), tg("G", 1, 0, "4", "", w)), nil)
	if got := choices(srv)[""]; got != "1313" {
		t.Fatalf("choices %q, want 1313", got)
	}

	srv2 := newServer(t)
	w2 := wsc("wsc", false, [][3]string{{"a", "${wa}", "true"}, {"b", "1", "true"}},
		get(srv2, "a", "/w/1"), get(srv2, "b", "/w/2"))
	run(t, planXML(udvs("vars", "wa", "0"), tg("G", 1, 0, "3", "", w2)), nil)
	if got := choices(srv2)[""]; got != "222" {
		t.Fatalf("a weight of ${wa}=0: choices %q, want 222", got)
	}
}

// Random choice draws each time: over 400 choices both children of equal
// weight come up often, and a child of weight 0 never does.
func TestWeightedSwitchRandom(t *testing.T) {
	dummy := func(name string) el {
		return el{tag: "kg.apc.jmeter.samplers.DummySampler", gui: "kg.apc.jmeter.samplers.DummySamplerGui", name: name,
			props: bp("SUCCESFULL", true) + sp("RESPONSE_CODE", "200") + sp("RESPONSE_TIME", "0") + sp("LATENCY", "0")}
	}
	w := wsc("wsc", true, [][3]string{{"a", "1", "true"}, {"b", "1", "true"}, {"z", "0", "true"}}, dummy("a"), dummy("b"), dummy("z"))
	_, out := run(t, planXML(tg("G", 1, 0, "400", "", w)), nil)
	labels := out.labels()
	a, b, z := count(labels, "a"), count(labels, "b"), count(labels, "z")
	if a+b+z != 400 || a < 120 || b < 120 || z != 0 {
		t.Fatalf("400 random choices: a=%d b=%d z=%d", a, b, z)
	}
}

// A weight that is not a whole number stops JMeter's thread when it reaches
// the controller; gometer refuses the plan up front, naming the row.
func TestWeightedSwitchBadWeight(t *testing.T) {
	w := wsc("wsc", false, [][3]string{{"a", "0.5", "true"}}, get(nil, "a", "/w/1"))
	_, err := compileXML(t, planXML(tg("G", 1, 0, "1", "", w)), Options{})
	if err == nil || !strings.Contains(err.Error(), `weight of "a" is "0.5"`) || !strings.Contains(err.Error(), "wsc") {
		t.Fatalf("want a located error for weight 0.5, got %v", err)
	}
	none := wsc("none", false, [][3]string{{"a", "0", "true"}}, get(nil, "a", "/w/1"))
	if _, err := compileXML(t, planXML(tg("G", 1, 0, "1", "", none)), Options{}); err == nil || !strings.Contains(err.Error(), "no enabled child has a weight") {
		t.Fatalf("want an error for weights summing to 0, got %v", err)
	}
}

// Data elements directly under the controller start a new iteration only
// when the previous choice was its last child (the plugin re-initialises
// the controller only then): a counter under three equal weights, chosen
// 1 2 3 1 2 3, moves on every third choice.
func TestWeightedSwitchIterationListeners(t *testing.T) {
	srv := newServer(t)
	counter := el{tag: "CounterConfig", gui: "CounterConfigGui", name: "n", props: sp("CounterConfig.start", "1") + sp("CounterConfig.end", "") +
		sp("CounterConfig.incr", "1") + sp("CounterConfig.name", "c") + sp("CounterConfig.format", "") + bp("CounterConfig.per_user", true)}
	w := wsc("wsc", false, [][3]string{{"a", "1", "true"}, {"b", "1", "true"}, {"c", "1", "true"}},
		counter, get(srv, "a", "/w/1?c=${c}"), get(srv, "b", "/w/2?c=${c}"), get(srv, "c", "/w/3?c=${c}"))
	run(t, planXML(tg("G", 1, 0, "6", "", w)), nil)
	var got []string
	for _, r := range srv.requests() {
		got = append(got, strings.TrimPrefix(r.path, "/w/")+":"+r.query.Get("c"))
	}
	if strings.Join(got, " ") != "1:1 2:1 3:1 1:2 2:2 3:2" {
		t.Errorf("choices:counter %v, want 1:1 2:1 3:1 1:2 2:2 3:2", got)
	}
}
