package javatime

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
		f, err := Compile(p)
		if err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		s := f.Format(when)
		back, err := f.Parse(s, Defaults{Year: 1999, Loc: time.UTC})
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
	def := Defaults{Year: 2030, Loc: time.UTC}
	f, _ := Compile("dd/MM")
	got, err := f.Parse("15/08", def)
	if err != nil || !got.Equal(time.Date(2030, 8, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("defaults: %v %v", got, err)
	}
	f, _ = Compile("yyyy-MM-dd HH:mm z")
	if got, err := f.Parse("2024-01-02 03:04 UTC", def); err != nil || got.Location() != time.UTC || got.Hour() != 3 {
		t.Errorf("zone name: %v %v", got, err)
	}
	if got, err := f.Parse("2024-01-02 03:04 Europe/Paris", def); err != nil {
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
		f, err := Compile(bad.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Parse(bad.input, def); err == nil {
			t.Errorf("%q parsed %q without error", bad.pattern, bad.input)
		}
	}
	for _, bad := range []string{"'open", "[yyyy]", "hhh", "aa", "V", "SSSSSSSSSS", "yyyyyyyyyyyyyyyyyyyy", "cc"} {
		if _, err := Compile(bad); err == nil {
			t.Errorf("Compile(%q): no error", bad)
		}
	}
}
