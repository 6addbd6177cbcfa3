package sampler

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"io"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/gometer/gometer/functions"
)

// A compressed body that expands far beyond the store limit is decoded
// only up to the limit (JMeter stores at most
// httpsampler.max_bytes_to_store_per_request of the decoded body).
func TestDecodeBodyIsBounded(t *testing.T) {
	const expanded, limit = 64 << 20, 1 << 20
	zeros := make([]byte, expanded)
	for _, enc := range []string{"gzip", "deflate", "br"} {
		var b bytes.Buffer
		var w io.WriteCloser
		switch enc {
		case "gzip":
			w, _ = gzip.NewWriterLevel(&b, gzip.BestCompression)
		case "deflate":
			w, _ = flate.NewWriter(&b, flate.BestCompression)
		case "br":
			w = brotli.NewWriterLevel(&b, brotli.BestSpeed)
		}
		w.Write(zeros)
		w.Close()
		out := decodeBody(b.Bytes(), enc, limit)
		if len(out) != limit {
			t.Errorf("%s: %d compressed bytes decoded to %d, want the limit %d", enc, b.Len(), len(out), limit)
		}
	}
}

// Through the sampler: a 1 GiB gzip bomb is stored up to the limit, all
// its wire bytes counted.
func TestHTTPDecompressionBombIsBounded(t *testing.T) {
	base := startFaultTarget(t)
	props := functions.NewProperties()
	props.Set("httpsampler.max_bytes_to_store_per_request", "100000")
	h := mustHTTP(t, httpSampler(t, base, "bomb", "GET", "/fault/bomb?mb=1024"), HTTPOptions{Props: props})
	r := h.Sample(context.Background(), newSession())
	if !r.Success || len(r.Body) != 100000 || r.Bytes < 1<<20 {
		t.Errorf("success=%v %q: body %d bytes, %d bytes on the wire", r.Success, r.ResponseMessage, len(r.Body), r.Bytes)
	}
}
