package extractor

import "testing"

// JMeter's JMESPath extractor reads the document with Jackson: integer
// literals print as written (long and BigInteger exactly), other literals as
// Java doubles ("1.0", "1000.0" for 1e3, "2.5E21").
func TestJMESPathNumbersAsJackson(t *testing.T) {
	doc := `{"i": 42, "one": 1.0, "exp": 1e3, "big": 12345678901234567890, "long": 9007199254740993,
		"bigexp": 2.5e21, "zero": -0, "list": [{"v": 10}, {"v": 20.0}], "same": [3, 3.0]}`
	cases := []struct{ expr, match, want string }{
		{"i", "1", "42"},
		{"one", "1", "1.0"},
		{"exp", "1", "1000.0"},
		{"big", "1", "12345678901234567890"},
		{"long", "1", "9007199254740993"},
		{"bigexp", "1", "2.5E21"},
		{"zero", "1", "0"},
		{"list[1].v", "1", "20.0"},
		{"list[0]", "1", `{"v":10}`},
		{"same[0]", "1", "3"}, // the shadow search tells 3 from 3.0
		{"same[1]", "1", "3.0"},
		{"same", "-1", "3.0"},                    // v_2, checked below
		{"list[?v > `15`].v | [0]", "1", "20.0"}, // a numeric filter: printed by value (only 20.0 has that value)
		{"length(list)", "1", "2"},
	}
	for _, tc := range cases {
		x := build(t, "JMESPathExtractor", "JMESExtractor.referenceName", "v", "JMESExtractor.jmesPathExpr", tc.expr,
			"JMESExtractor.matchNumber", tc.match, "JMESExtractor.defaultValue", "D")
		c := newCtx(1)
		x.Process(c, result(doc))
		name := "v"
		if tc.match == "-1" {
			name = "v_2"
		}
		if got, _ := c.Vars.Get(name); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.expr, got, tc.want)
		}
	}
}
