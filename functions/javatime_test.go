package functions

import (
	"testing"
	"time"
)

func TestJavaFormatRoundTrip(t *testing.T) {
	zone := time.FixedZone("X", -(3*3600 + 30*60))
	when := time.Date(2023, 11, 7, 21, 4, 5, 987000000, zone)
	for _, p := range []string{
		"yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
		"yyyy-MM-dd'T'HH:mm:ss.SSSZ",
		"yyyyMMddHHmmssSSSxx",
		"uuuu-MM-dd HH:mm:ss.SSS ZZZZZ",
		"dd MMM yyyy hh:mm:ss.SSS a XXX",
		"EEEE, d MMMM yyyy h:m:s.SSS a ZZZZ",
		"G yyyy D HH:mm:ss.SSS O",
		"yy-M-d H:m:s.SSSSSS XXXXX",
		"yyyy-MM-dd k:mm:ss.SSS XX",
		"'at' HH 'o''clock' mm ss SSS 'on' dd/MM/yyyy xxx",
	} {
		f, err := compileJavaFormat(p)
		if err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		s := f.format(when)
		back, err := f.parse(s, parseDefaults{year: 1999, loc: time.UTC})
		if err != nil {
			t.Errorf("%q: parse(%q): %v", p, s, err)
			continue
		}
		if !back.Equal(when) {
			t.Errorf("%q: %q parsed back as %v, want %v", p, s, back, when)
		}
	}
}

func TestJavaParseDefaultsAndErrors(t *testing.T) {
	def := parseDefaults{year: 2030, loc: time.UTC}
	f, _ := compileJavaFormat("dd/MM")
	got, err := f.parse("15/08", def)
	if err != nil || !got.Equal(time.Date(2030, 8, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("defaults: %v %v", got, err)
	}
	f, _ = compileJavaFormat("yyyy-MM-dd HH:mm z")
	if got, err := f.parse("2024-01-02 03:04 UTC", def); err != nil || got.Location() != time.UTC || got.Hour() != 3 {
		t.Errorf("zone name: %v %v", got, err)
	}
	if got, err := f.parse("2024-01-02 03:04 Europe/Paris", def); err != nil {
		t.Errorf("zone id: %v %v", got, err)
	} else if _, off := got.Zone(); off != 3600 {
		t.Errorf("Europe/Paris offset = %d", off)
	}
	for _, bad := range []struct{ pattern, input string }{
		{"yyyy-MM-dd", "2024-13-01"},
		{"yyyy-MM-dd", "2024-02-30"},
		{"yyyy-MM-dd", "2024-01-01 extra"},
		{"yyyy-MM-dd", "24-01-01"},
		{"MMM", "Foo"},
		{"EEE", "Xyz"},
		{"a", "XM"},
		{"HH:mm XXX", "10:00 nowhere"},
		{"HH z", "10 Mars/Olympus"},
		{"G", "BC"},
	} {
		f, err := compileJavaFormat(bad.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.parse(bad.input, def); err == nil {
			t.Errorf("%q parsed %q without error", bad.pattern, bad.input)
		}
	}
	for _, bad := range []string{"'open", "[yyyy]", "hhh", "aa", "V", "SSSSSSSSSS", "yyyyyyyyyyyyyyyyyyyy", "cc"} {
		if _, err := compileJavaFormat(bad); err == nil {
			t.Errorf("compileJavaFormat(%q): no error", bad)
		}
	}
}

func TestNumberRendering(t *testing.T) {
	for f, want := range map[float64]string{
		3: "3.0", 1.5: "1.5", 0.001: "0.001", 0.0001: "1.0E-4", 1e7: "1.0E7", 12345678.9: "1.23456789E7", -2.5: "-2.5",
	} {
		if got := javaString(f); got != want {
			t.Errorf("javaString(%v) = %q, want %q", f, got, want)
		}
	}
	for f, want := range map[float64]string{
		3: "3", 1.5: "1.5", 1e21: "1e+21", 1e-7: "1e-7", 123456789012: "123456789012", -0.5: "-0.5",
	} {
		if got := jsNumber(f); got != want {
			t.Errorf("jsNumber(%v) = %q, want %q", f, got, want)
		}
	}
}
