package sampler

import (
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/charset"
	"github.com/gometer/gometer/internal/datafile"
)

// entityMethod reports whether JMeter's HC4 sampler sends an entity for the
// method: everything but GET (unless it carries a raw body), HEAD, OPTIONS
// and TRACE.
func entityMethod(method string) bool {
	switch method {
	case "GET", "HEAD", "OPTIONS", "TRACE":
		return false
	}
	return true
}

// sendValuesAsBody is getSendParameterValuesAsPostBody: postBodyRaw, or
// arguments present and none named.
func (h *HTTP) sendValuesAsBody(c *functions.Context) bool {
	if h.postBodyRaw {
		return true
	}
	if len(h.args) == 0 {
		return false
	}
	for i := range h.args {
		if h.args[i].name.Eval(c) != "" {
			return false
		}
	}
	return true
}

// buildBody prepares the entity as HTTPHC4Impl.setupHttpEntityEnclosingRequestData
// does. nil means no entity.
func (h *HTTP) buildBody(c *functions.Context, method, enc string) (*reqBody, error) {
	if h.java {
		return h.javaBody(c, method, enc)
	}
	return h.hc4Body(c, method, enc)
}

func (h *HTTP) hc4Body(c *functions.Context, method, enc string) (*reqBody, error) {
	rawValues := h.sendValuesAsBody(c)
	if method == "GET" {
		if !rawValues && !(len(h.args) == 0 && h.fileAsBody(c)) {
			return nil, nil
		}
	} else if !entityMethod(method) {
		return nil, nil
	}
	cs := charsetName(enc)
	if h.multipart || h.hasFileParts(c) {
		return h.multipartBody(c, enc)
	}
	if len(h.args) == 0 && h.fileAsBody(c) {
		f := &h.files[0]
		path := h.resolve(f.path.Eval(c))
		part, err := h.filePart(path)
		if err != nil {
			return nil, err
		}
		ct := f.mime.Eval(c)
		return &reqBody{parts: []bodyPart{part}, contentType: ct, shown: "<actual file content, not shown here>"}, nil
	}
	if rawValues {
		var b strings.Builder
		for i := range h.args {
			a := &h.args[i]
			v := a.value.Eval(c)
			if a.encode {
				v = javaURLEncode(v, enc)
			}
			b.WriteString(v)
		}
		s := b.String()
		ct := "text/plain; charset=" + cs
		if len(h.files) > 0 {
			if m := h.files[0].mime.Eval(c); m != "" {
				ct = m
			}
		}
		return &reqBody{data: encodeString(s, enc), contentType: ct, shown: s}, nil
	}
	// application/x-www-form-urlencoded, as HttpClient's UrlEncodedFormEntity.
	var b strings.Builder
	first := true
	for i := range h.args {
		a := &h.args[i]
		name := a.name.Eval(c)
		if strings.TrimSpace(name) == "" {
			continue
		}
		value := a.value.Eval(c)
		if !a.encode {
			// JMeter decodes what the user encoded so that HttpClient's
			// encoding gives it back; a malformed escape fails the sample.
			var err error
			if name, err = urlDecode(name, enc); err == nil {
				value, err = urlDecode(value, enc)
			}
			if err != nil {
				return nil, err
			}
		}
		if !first {
			b.WriteByte('&')
		}
		first = false
		b.WriteString(javaURLEncode(name, enc))
		b.WriteByte('=')
		b.WriteString(javaURLEncode(value, enc))
	}
	s := b.String()
	return &reqBody{data: []byte(s), contentType: "application/x-www-form-urlencoded; charset=" + cs, shown: s}, nil
}

// fileAsBody is getSendFileAsPostBody: exactly one file, with a path and no
// parameter name.
func (h *HTTP) fileAsBody(c *functions.Context) bool {
	return len(h.files) == 1 && h.files[0].path.Eval(c) != "" && h.files[0].param.Eval(c) == ""
}

func (h *HTTP) hasFileParts(c *functions.Context) bool {
	if len(h.files) == 0 || h.fileAsBody(c) {
		return false
	}
	for i := range h.files {
		if h.files[i].path.Eval(c) == "" {
			return false
		}
	}
	return true
}

func (h *HTTP) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || h.baseDir == "" {
		return p
	}
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return filepath.Join(h.baseDir, p)
}

const boundaryChars = "-_1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// multipartBody builds multipart/form-data as HttpClient's
// MultipartEntityBuilder does (RFC 6532 mode, or "browser compatible").
func (h *HTTP) multipartBody(c *functions.Context, enc string) (*reqBody, error) {
	cs := charsetName(enc)
	rb := make([]byte, 32)
	_, _ = rand.Read(rb)
	for i := range rb {
		rb[i] = boundaryChars[int(rb[i])%len(boundaryChars)]
	}
	boundary := string(rb)
	var data, shown strings.Builder
	var parts []bodyPart // the literal text so far goes before each file
	w := func(s string) { data.WriteString(s); shown.WriteString(s) }
	for i := range h.args {
		a := &h.args[i]
		name := a.name.Eval(c)
		if strings.TrimSpace(name) == "" {
			continue
		}
		w("--" + boundary + "\r\n")
		w(`Content-Disposition: form-data; name="` + name + `"` + "\r\n")
		if !h.browserMultipart {
			ct := a.contentType
			if ct == "" {
				ct = "text/plain"
			}
			if !strings.Contains(ct, ";") {
				ct += "; charset=" + cs
			}
			w("Content-Type: " + ct + "\r\n")
			w("Content-Transfer-Encoding: 8bit\r\n")
		}
		w("\r\n")
		w(string(encodeString(a.value.Eval(c), enc)))
		w("\r\n")
	}
	for i := range h.files {
		f := &h.files[i]
		path := h.resolve(f.path.Eval(c))
		part, err := h.filePart(path)
		if err != nil {
			return nil, err
		}
		mime := f.mime.Eval(c)
		if strings.TrimSpace(mime) == "" {
			// JMeter parses the MIME type with HttpClient's ContentType.parse,
			// which rejects an empty one: the sample fails, nothing is sent.
			return nil, &javaError{"org.apache.http.ParseException", "Invalid content type: " + mime}
		}
		head := "--" + boundary + "\r\n" +
			`Content-Disposition: form-data; name="` + f.param.Eval(c) + `"; filename="` + filepath.Base(path) + `"` + "\r\n" +
			"Content-Type: " + mime + "\r\n"
		if !h.browserMultipart {
			head += "Content-Transfer-Encoding: binary\r\n"
		}
		head += "\r\n"
		w(head)
		parts = append(parts, bodyPart{lit: []byte(data.String())}, part)
		data.Reset()
		shown.WriteString("<actual file content, not shown here>")
		w("\r\n")
	}
	w("--" + boundary + "--\r\n")
	// HttpClient's builder names the charset in both modes.
	ct := "multipart/form-data; boundary=" + boundary + "; charset=" + cs
	rb2 := &reqBody{contentType: ct, forceCT: true, shown: shown.String()}
	if parts == nil {
		rb2.data = []byte(data.String())
	} else {
		rb2.parts = append(parts, bodyPart{lit: []byte(data.String())})
	}
	return rb2, nil
}

// charsetName is the charset as JMeter writes it in Content-Type.
func charsetName(enc string) string {
	switch strings.ToUpper(strings.ReplaceAll(enc, "_", "-")) {
	case "UTF-8", "UTF8":
		return "UTF-8"
	case "ISO-8859-1", "ISO8859-1", "LATIN1":
		return "ISO-8859-1"
	case "US-ASCII", "ASCII":
		return "US-ASCII"
	}
	return enc
}

// encodeString converts s to the bytes of charset enc (Java charset names;
// unknown charsets are sent as UTF-8). Unmappable characters become '?',
// as Java's String.getBytes does.
func encodeString(s string, enc string) []byte {
	b, err := charset.Encode(s, enc)
	if err != nil {
		return []byte(s)
	}
	return b
}

// decodeBytes converts bytes of charset enc to a string (unknown: UTF-8).
func decodeBytes(b []byte, enc string) string {
	s, err := charset.Decode(b, enc)
	if err != nil {
		s, _ = charset.Decode(b, "")
	}
	return s
}

// javaURLEncode is java.net.URLEncoder.encode: letters, digits and ".-*_"
// stay, space becomes '+', everything else is %XX of the charset's bytes.
func javaURLEncode(s, enc string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if !urlSafe(s[i]) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	const hex = "0123456789ABCDEF"
	src := encodeString(s, enc)
	b := make([]byte, 0, len(src)*2)
	for _, ch := range src {
		switch {
		case urlSafe(ch):
			b = append(b, ch)
		case ch == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[ch>>4], hex[ch&15])
		}
	}
	return string(b)
}

func urlSafe(ch byte) bool {
	return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' ||
		ch == '.' || ch == '-' || ch == '*' || ch == '_'
}

// urlDecode is java.net.URLDecoder.decode: '+' is a space, %XX a byte; an
// escape cut short or not hexadecimal is an IllegalArgumentException.
func urlDecode(s, enc string) (string, error) {
	if !strings.ContainsAny(s, "+%") {
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == '+':
			b = append(b, ' ')
		case ch == '%':
			if i+2 >= len(s) {
				return "", &javaError{"java.lang.IllegalArgumentException", "URLDecoder: Incomplete trailing escape (%) pattern"}
			}
			if !isHex(s[i+1]) || !isHex(s[i+2]) {
				return "", &javaError{"java.lang.IllegalArgumentException", `URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: "` + s[i+1:i+3] + `"`}
			}
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, ch)
		}
	}
	return decodeBytes(b, enc), nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// filePart checks a body or upload file (a regular file within the data
// file limit) and returns it as a part streamed when the body is written;
// the sample fails as JMeter's would when it cannot be read.
func (h *HTTP) filePart(path string) (bodyPart, error) {
	fi, err := datafile.Check(path, h.maxFile)
	var de *datafile.Error
	switch {
	case err == nil:
		return bodyPart{path: path, n: fi.Size()}, nil
	case errors.As(err, &de):
		return bodyPart{}, &javaError{"java.io.IOException", de.Error()}
	}
	return bodyPart{}, &javaError{"java.io.FileNotFoundException", path + " (No such file or directory)"}
}
