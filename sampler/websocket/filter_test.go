package websocket

import (
	"errors"
	"testing"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/jmxtest"
)

func filterEl(t *testing.T, class string, kv ...string) (*Filter, error) {
	t.Helper()
	x := `<eu.luminis.jmeter.wssampler.` + class + ` guiclass="x" testclass="eu.luminis.jmeter.wssampler.` + class + `" testname="f" enabled="true">` +
		jmxtest.Props(kv...) + `</eu.luminis.jmeter.wssampler.` + class + `>`
	return NewFilter(jmxtest.Element(t, x), 0)
}

// Each comparison the plugin offers discards the frames it matches and
// only frames of its own type; the Not… forms discard the others.
func TestFrameFilterComparisons(t *testing.T) {
	vars := functions.NewVars()
	vars.Put("sym", "EURUSD")
	c := functions.NewContext(vars, functions.NewProperties(), nil)
	text := func(s string) frame { return frame{op: opText, data: []byte(s)} }
	bin := func(b ...byte) frame { return frame{op: opBinary, data: b} }
	for _, tc := range []struct {
		class, cmp, value, pos string
		frame                  frame
		want                   bool
	}{
		{"TextFrameFilter", "IsPlain", "", "", text("anything"), true},
		{"TextFrameFilter", "IsPlain", "", "", bin(1), false},
		{"TextFrameFilter", "Equals", "tick 1", "", text("tick 1"), true},
		{"TextFrameFilter", "Equals", "tick 1", "", text("tick 10"), false},
		{"TextFrameFilter", "NotEquals", "tick 1", "", text("tick 10"), true},
		{"TextFrameFilter", "Contains", "${sym}", "", text("px EURUSD 1.1"), true},
		{"TextFrameFilter", "NotContains", "${sym}", "", text("px EURUSD 1.1"), false},
		{"TextFrameFilter", "StartsWith", "px", "", text("px EURUSD"), true},
		{"TextFrameFilter", "NotStartsWith", "px", "", text("hb"), true},
		{"TextFrameFilter", "EndsWith", "1.1", "", text("px EURUSD 1.1"), true},
		{"TextFrameFilter", "NotEndsWith", "1.1", "", text("px EURUSD 1.1"), false},
		{"TextFrameFilter", "ContainsRegex", `\d+\.\d`, "", text("px 1.1 x"), true},
		{"TextFrameFilter", "NotContainsRegex", `\d+\.\d`, "", text("px x"), true},
		{"TextFrameFilter", "EqualsRegex", `px \d`, "", text("px 1 x"), false}, // the whole text must match
		{"TextFrameFilter", "EqualsRegex", `px \d.*`, "", text("px 1 x"), true},
		{"TextFrameFilter", "NotEqualsRegex", `px \d`, "", text("px 1 x"), true},
		{"TextFrameFilter", "EqualsRegex", `(?<=p)x \d`, "", text("px 1"), false}, // look-behind: the backtracking engine
		{"TextFrameFilter", "ContainsRegex", `(?<=p)x \d`, "", text("px 1"), true},
		{"BinaryFrameFilter", "IsPlain", "", "", bin(), true},
		{"BinaryFrameFilter", "IsPlain", "", "", text("x"), false},
		{"BinaryFrameFilter", "Equals", "0x01 0x02", "", bin(1, 2), true},
		{"BinaryFrameFilter", "Equals", "0102", "", bin(1, 2, 3), false},
		{"BinaryFrameFilter", "NotEquals", "0102", "", bin(1, 2, 3), true},
		{"BinaryFrameFilter", "StartsWith", "01", "", bin(1, 2, 3), true},
		{"BinaryFrameFilter", "NotStartsWith", "02", "", bin(1, 2, 3), true},
		{"BinaryFrameFilter", "EndsWith", "0203", "", bin(1, 2, 3), true},
		{"BinaryFrameFilter", "NotEndsWith", "0203", "", bin(1, 2, 3), false},
		{"BinaryFrameFilter", "Contains", "0203", "", bin(1, 2, 3), true},
		{"BinaryFrameFilter", "Contains", "0203", "1", bin(1, 2, 3), true},
		{"BinaryFrameFilter", "Contains", "0203", "0", bin(1, 2, 3), false}, // at offset 0 are 01 02
		{"BinaryFrameFilter", "Contains", "0203", "2", bin(1, 2, 3), false}, // past the end
		{"BinaryFrameFilter", "NotContains", "0203", "0", bin(1, 2, 3), true},
		{"BinaryFrameFilter", "Contains", "", "", bin(1, 2, 3), false},  // an empty value is contained nowhere
		{"BinaryFrameFilter", "StartsWith", "", "", bin(1, 2, 3), true}, // … but starts every frame
		{"BinaryFrameFilter", "Equals", "zz", "", bin(), true},          // not binary: compared as empty
		{"BinaryFrameFilter", "Contains", "zz", "", bin(1), false},      // … which is contained nowhere
		{"PingFrameFilter", "", "", "", frame{op: opPing}, true},        // FilterAll by default
		{"PingFrameFilter", "", "", "", frame{op: opPong}, true},
		{"PingFrameFilter", "", "", "", text("x"), false},
	} {
		kv := []string{"comparisonType", tc.cmp, "matchValue", tc.value, "matchPosition", tc.pos}
		if tc.class == "PingFrameFilter" {
			kv = nil
		}
		f, err := filterEl(t, tc.class, kv...)
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		got, err := f.discards(tc.frame, c)
		if err != nil || got != tc.want {
			t.Errorf("%s %s %q pos %q on %s: discards %v (%v), want %v", tc.class, tc.cmp, tc.value, tc.pos, tc.frame, got, err, tc.want)
		}
	}
	for typ, want := range map[string][2]bool{"FilterPingOnly": {true, false}, "FilterPongOnly": {false, true}} {
		f, err := filterEl(t, "PingFrameFilter", "filterType", typ)
		if err != nil {
			t.Fatal(err)
		}
		ping, _ := f.discards(frame{op: opPing}, c)
		pong, _ := f.discards(frame{op: opPong}, c)
		if ping != want[0] || pong != want[1] {
			t.Errorf("%s: ping %v pong %v, want %v", typ, ping, pong, want)
		}
	}
}

// Settings that cannot work are errors when the plan is compiled; a regex
// given by a variable that does not compile fails the read.
func TestFrameFilterBadSettings(t *testing.T) {
	for _, kv := range [][]string{
		{"TextFrameFilter", "comparisonType", "Matches"},
		{"TextFrameFilter", "comparisonType", "ContainsRegex", "matchValue", "(unclosed"},
		{"BinaryFrameFilter", "comparisonType", "ContainsRegex"},
		{"PingFrameFilter", "filterType", "FilterSome"},
	} {
		if _, err := filterEl(t, kv[0], kv[1:]...); !errors.Is(err, ErrFilter) {
			t.Errorf("%v: %v, want a frame filter error", kv, err)
		}
	}
	f, err := filterEl(t, "TextFrameFilter", "comparisonType", "ContainsRegex", "matchValue", "${re}")
	if err != nil {
		t.Fatal(err)
	}
	vars := functions.NewVars()
	vars.Put("re", "(unclosed")
	if _, err := f.discards(frame{op: opText, data: []byte("x")}, functions.NewContext(vars, functions.NewProperties(), nil)); err == nil {
		t.Error("a bad regex from a variable matched")
	}
}
