package sampler

import (
	"bufio"
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"

	"github.com/gometer/gometer/jmx"
)

// bigFile writes a file of n pseudo-random-looking bytes and returns its
// path and SHA-256.
func bigFile(t *testing.T, n int) (string, [32]byte) {
	t.Helper()
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	path := t.TempDir() + "/upload.bin"
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, sha256.Sum256(b)
}

// hashServer answers with the SHA-256 of the request body (or of its first
// multipart file) and how many bytes it read.
func hashServer(t *testing.T) *httptest.Server {
	srv := httptest.NewUnstartedServer(h2c.NewHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var src io.Reader = r.Body
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			mr, err := r.MultipartReader()
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			for {
				p, err := mr.NextPart()
				if err != nil {
					http.Error(w, "no file part", 400)
					return
				}
				if p.FileName() != "" {
					src = p
					break
				}
			}
		}
		h := sha256.New()
		n, _ := io.Copy(h, src)
		w.Header().Set("X-Bytes", strconv.FormatInt(n, 10))
		w.Write(h.Sum(nil))
	}), &http2.Server{}))
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// An upload or a file sent as the body is streamed from disk: the server
// gets every byte, and a sample allocates far less than the file's size
// (reading it whole would cost the size per concurrent sample).
func TestHTTPUploadsAreStreamedFromDisk(t *testing.T) {
	const size = 24 << 20
	path, sum := bigFile(t, size)
	srv := hashServer(t)
	asBody := elemProp("HTTPsampler.Files", "HTTPFileArgs", collection("HTTPFileArgs.files",
		elemProp(path, "HTTPFileArg", sp("File.path", path), sp("File.paramname", ""), sp("File.mimetype", "application/octet-stream"))))
	asPart := elemProp("HTTPsampler.Files", "HTTPFileArgs", collection("HTTPFileArgs.files",
		elemProp(path, "HTTPFileArg", sp("File.path", path), sp("File.paramname", "doc"), sp("File.mimetype", "application/octet-stream"))))
	multipart := func() *jmx.Element {
		return httpSampler(t, srv.URL, "mp", "POST", "/up", bp("HTTPSampler.DO_MULTIPART_POST", true), asPart, argsProp(targ{name: "field", value: "v"}))
	}
	for _, tc := range []struct {
		name string
		el   *jmx.Element
		opt  HTTPOptions
	}{
		{"file as body", httpSampler(t, srv.URL, "body", "POST", "/up", asBody), HTTPOptions{}},
		{"multipart upload", multipart(), HTTPOptions{}},
		{"multipart upload over h2c", multipart(), HTTPOptions{HTTP2: HTTP2Always}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := mustHTTP(t, tc.el, tc.opt)
			s := newSession()
			s.HTTP = NewHTTPState(StateOptions{})
			defer s.Close()
			h.Sample(context.Background(), s) // warm the connection and buffers
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			res := h.Sample(context.Background(), s)
			runtime.ReadMemStats(&after)
			if !res.Success {
				t.Fatalf("%s %s", res.ResponseCode, res.ResponseMessage)
			}
			if string(res.Body) != string(sum[:]) {
				t.Errorf("the server did not receive the file's bytes")
			}
			if res.SentBytes < size {
				t.Errorf("sent bytes %d, less than the file's %d", res.SentBytes, size)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/4 {
				t.Errorf("one sample allocated %d bytes for a %d-byte file: it is read into memory", alloc, size)
			}
		})
	}
}

// A file that shrinks after the request was built fails the sample with a
// message naming the file (the caller then drops the connection).
func TestHTTPUploadFileChangedWhileSent(t *testing.T) {
	path, _ := bigFile(t, 1<<20)
	srv := hashServer(t)
	asBody := elemProp("HTTPsampler.Files", "HTTPFileArgs", collection("HTTPFileArgs.files",
		elemProp(path, "HTTPFileArg", sp("File.path", path), sp("File.paramname", ""), sp("File.mimetype", "application/octet-stream"))))
	h := mustHTTP(t, httpSampler(t, srv.URL, "body", "POST", "/up", asBody), HTTPOptions{})
	body, err := h.buildBody(newSession().Ctx, "POST", "UTF-8")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 1000); err != nil {
		t.Fatal(err)
	}
	err = body.writeTo(bufio.NewWriter(io.Discard))
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "changed size") {
		t.Errorf("writing a shrunk file: %v", err)
	}
}
