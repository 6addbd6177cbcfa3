package target

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"strconv"
	"sync"
)

// zeroBlock is 1 MiB of zeros deflated as a non-final, byte-aligned block
// (a sync flush) that refers to nothing before it: copies of it in a row
// form a valid deflate stream of as many MiB of zeros, about 1 KiB each.
// It is made on first use: every gometer start would otherwise pay a
// megabyte and a few milliseconds for a page few runs ask for.
var zeroBlock = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	fw, _ := flate.NewWriter(&b, flate.BestCompression)
	fw.Write(zeroMiB[:])
	fw.Flush()
	return b.Bytes()
})

// finalBlock ends a deflate stream: an empty final stored block.
var finalBlock = []byte{0x01, 0x00, 0x00, 0xff, 0xff}

// faultBomb answers a decompression bomb: ?mb= MiB of zeros (default 1024,
// at most 65536) sent as a deflate or gzip (?enc=, default gzip) body about
// a thousandth of that size.
func (s *Server) faultBomb(w http.ResponseWriter, r *http.Request) {
	mb, ok := queryInt(w, r, "mb", 1024, 1, 65536)
	if !ok {
		return
	}
	enc := r.URL.Query().Get("enc")
	if enc == "" {
		enc = "gzip"
	}
	if enc != "gzip" && enc != "deflate" {
		http.Error(w, "enc: gzip or deflate", http.StatusBadRequest)
		return
	}
	size := mb*int64(len(zeroBlock())) + int64(len(finalBlock))
	if enc == "gzip" {
		size += 10 + 8
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain")
	h.Set("Content-Encoding", enc)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	if enc == "gzip" {
		w.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	}
	crc := uint32(0)
	for i := int64(0); i < mb; i++ {
		if _, err := w.Write(zeroBlock()); err != nil {
			return
		}
		if enc == "gzip" {
			crc = crc32.Update(crc, crc32.IEEETable, zeroMiB[:])
		}
	}
	w.Write(finalBlock)
	if enc == "gzip" {
		var t [8]byte
		binary.LittleEndian.PutUint32(t[:4], crc)
		binary.LittleEndian.PutUint32(t[4:], uint32(mb<<20))
		w.Write(t[:])
	}
}

var zeroMiB [1 << 20]byte
