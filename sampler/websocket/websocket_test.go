package websocket

import (
	"bytes"
	"testing"
)

func TestBinaryNotation(t *testing.T) {
	for in, want := range map[string][]byte{"0xca 0xfe": {0xca, 0xfe}, "cafe 1": {0xca, 0xfe, 0x01}, "": {}, "0X0a": {0x0a}} {
		got, err := parseBinary(in)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%q: %x %v, want %x", in, got, err, want)
		}
	}
	if _, err := parseBinary("0xzz"); err == nil {
		t.Error("0xzz parsed")
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
