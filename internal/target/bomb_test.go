package target

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"io"
	"net/http"
	"testing"
)

// The bomb endpoint's body is a valid gzip/deflate stream of exactly the
// announced zeros, about a thousand times smaller on the wire.
func TestFaultBombIsValid(t *testing.T) {
	s := New(Options{})
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, enc := range []string{"gzip", "deflate"} {
		req, _ := http.NewRequest("GET", base+"/fault/bomb?mb=3&enc="+enc, nil)
		req.Header.Set("Accept-Encoding", enc) // keep net/http from decoding
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		wire, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || int64(len(wire)) != resp.ContentLength || len(wire) > 3<<20/500 {
			t.Fatalf("%s: %d bytes on the wire (announced %d): %v", enc, len(wire), resp.ContentLength, err)
		}
		var r io.Reader
		if enc == "gzip" {
			if r, err = gzip.NewReader(bytes.NewReader(wire)); err != nil {
				t.Fatal(err)
			}
		} else {
			r = flate.NewReader(bytes.NewReader(wire))
		}
		out, err := io.ReadAll(r)
		if err != nil || len(out) != 3<<20 {
			t.Fatalf("%s: decoded %d bytes: %v", enc, len(out), err)
		}
		for _, b := range out {
			if b != 0 {
				t.Fatalf("%s: a non-zero byte", enc)
			}
		}
	}
}
