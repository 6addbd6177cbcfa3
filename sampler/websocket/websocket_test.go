package websocket

import (
	"bytes"
	"testing"
)

func TestBinaryNotation(t *testing.T) {
	for in, want := range map[string][]byte{"0xca 0xfe": {0xca, 0xfe}, "cafe 1": {0xca, 0xfe, 0x01}, "": {}, "  ": {},
		"abc": {0xab, 0x0c}, "0x1ff": {0xff}, "-1": {0xff}, "0xa  0xb": {0x0a, 0x0b}} {
		got, err := parseBinary(in)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%q: %x %v, want %x", in, got, err, want)
		}
	}
	for _, bad := range []string{"0xzz", "0X0a", "0x", "0x-1", "ca\tfe", "0x100000000"} {
		if _, err := parseBinary(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func FuzzBinaryNotation(f *testing.F) {
	for _, s := range []string{"0xca 0xfe", "cafe", "0x", " 1 2 3 ", "zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if b, err := parseBinary(s); err == nil && len(b) > len(s) {
			t.Fatalf("%q gave %d bytes", s, len(b))
		}
	})
}
