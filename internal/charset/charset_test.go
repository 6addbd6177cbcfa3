package charset

import (
	"bytes"
	"testing"
)

func TestDecodeJavaNames(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"", []byte("plain é"), "plain é"},
		{"UTF8", []byte("a\xffb"), "a\uFFFDb"},
		{"ISO-8859-1", []byte{'a', 0xE9, 0x80}, "aé\u0080"},
		{"ISO8859_1", []byte{0xE9}, "é"},
		{"latin1", []byte{0xE9}, "é"},
		{"windows-1252", []byte{0x80, 0xE9}, "€é"}, // 0x80 is the euro sign, not U+0080
		{"Cp1252", []byte{0x80}, "€"},
		{"US-ASCII", []byte{'a', 0xE9}, "a\uFFFD"},
		{"GB2312", []byte{0xD6, 0xD0, 0xCE, 0xC4}, "中文"},
		{"GBK", []byte{0xD6, 0xD0}, "中"},
		{"Shift_JIS", []byte{0x93, 0xFA}, "日"},
		{"windows-1251", []byte{0xC6}, "Ж"},
		{"UTF-16", []byte{0xFE, 0xFF, 0x00, 'A'}, "A"},
		{"UTF-16LE", []byte{'A', 0x00}, "A"},
	}
	for _, c := range cases {
		got, err := Decode(c.in, c.name)
		if err != nil || got != c.want {
			t.Errorf("Decode(% x, %q) = %q, %v; want %q", c.in, c.name, got, err, c.want)
		}
	}
}

func TestEncodeJavaNames(t *testing.T) {
	cases := []struct {
		name, in string
		want     []byte
	}{
		{"UTF-8", "é", []byte("é")},
		{"ISO-8859-1", "é€", []byte{0xE9, '?'}},
		{"US-ASCII", "aé", []byte{'a', '?'}},
		{"windows-1252", "€", []byte{0x80}},
		{"windows-1251", "Ж中x", []byte{0xC6, '?', 'x'}},
		{"GB2312", "中", []byte{0xD6, 0xD0}},
	}
	for _, c := range cases {
		got, err := Encode(c.in, c.name)
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("Encode(%q, %q) = % x, %v; want % x", c.in, c.name, got, err, c.want)
		}
	}
}

func TestUnknownCharset(t *testing.T) {
	if _, err := Lookup("no-such-charset"); err == nil {
		t.Error("an unknown charset was accepted")
	}
	if _, err := Decode([]byte("x"), "x-bogus"); err == nil {
		t.Error("Decode accepted an unknown charset")
	}
	if e, err := Lookup("utf-8"); e != nil || err != nil {
		t.Errorf("utf-8: %v %v, want nil (UTF-8)", e, err)
	}
}

// FuzzCharset: any bytes decode and any text encodes without panicking,
// and text that a charset can hold survives a round trip.
func FuzzCharset(f *testing.F) {
	for _, s := range []string{"café", "中文", "\x80\xff", "Ж", ""} {
		f.Add([]byte(s), "windows-1252")
		f.Add([]byte(s), "GB2312")
		f.Add([]byte(s), "UTF-16")
	}
	f.Fuzz(func(t *testing.T, b []byte, name string) {
		text, err := Decode(b, name)
		if err != nil {
			return
		}
		enc, err := Encode(text, name)
		if err != nil {
			t.Fatalf("%q decodes but does not encode: %v", name, err)
		}
		if !bytes.ContainsRune([]byte(text), '\uFFFD') {
			back, err := Decode(enc, name)
			if err == nil && back != text && isSingleByte(name) {
				t.Fatalf("%q: %q -> % x -> %q", name, text, enc, back)
			}
		}
	})
}

// isSingleByte names the charsets whose round trip is exact.
func isSingleByte(name string) bool {
	switch name {
	case "windows-1252", "ISO-8859-1", "US-ASCII", "windows-1251":
		return true
	}
	return false
}
