package java

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"math"
	mrand "math/rand/v2"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// ---- java.util.Random: the same 48-bit LCG as Java, so seeded sequences
// match the JVM's.

type javaRandom struct {
	seed int64
}

const (
	lcgMult = 0x5DEECE66D
	lcgAdd  = 0xB
	lcgMask = (1 << 48) - 1
)

var seedUniquifier atomic.Int64

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (seed ^ lcgMult) & lcgMask}
}

func (j *javaRandom) javaClass() string { return "java.util.Random" }

func (j *javaRandom) next(bits uint) int32 {
	j.seed = (j.seed*lcgMult + lcgAdd) & lcgMask
	return int32(j.seed >> (48 - bits))
}

func (j *javaRandom) nextInt(bound int32) int32 {
	r := j.next(31)
	m := bound - 1
	if bound&m == 0 {
		return int32((int64(bound) * int64(r)) >> 31)
	}
	u := r
	for {
		r = u % bound
		if u-r+m >= 0 {
			break
		}
		u = j.next(31)
	}
	return r
}

func (j *javaRandom) nextLong() int64 {
	return int64(j.next(32))<<32 + int64(j.next(32))
}

func (j *javaRandom) nextDouble() float64 {
	return float64(int64(j.next(26))<<27+int64(j.next(27))) * (1.0 / (1 << 53))
}

func (j *javaRandom) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "nextInt":
		switch len(args) {
		case 0:
			return j.next(32), true, nil
		case 1:
			b, _ := toInt64(args[0])
			if b <= 0 {
				return nil, true, newExc("java.lang.IllegalArgumentException", "bound must be positive")
			}
			return j.nextInt(int32(b)), true, nil
		case 2:
			lo, _ := toInt64(args[0])
			hi, _ := toInt64(args[1])
			if lo >= hi {
				return nil, true, newExc("java.lang.IllegalArgumentException", "bound must be greater than origin")
			}
			return int32(lo) + j.nextInt(int32(hi-lo)), true, nil
		}
	case "nextLong":
		if len(args) == 0 {
			return j.nextLong(), true, nil
		}
		b, _ := toInt64(args[len(args)-1])
		lo := int64(0)
		if len(args) == 2 {
			lo, _ = toInt64(args[0])
		}
		if b-lo <= 0 {
			return nil, true, newExc("java.lang.IllegalArgumentException", "bound must be positive")
		}
		v := j.nextLong() % (b - lo)
		if v < 0 {
			v += b - lo
		}
		return lo + v, true, nil
	case "nextDouble":
		return j.nextDouble(), true, nil
	case "nextFloat":
		return float32(j.next(24)) / float32(1<<24), true, nil
	case "nextBoolean":
		return j.next(1) != 0, true, nil
	case "nextGaussian":
		for {
			v1 := 2*j.nextDouble() - 1
			v2 := 2*j.nextDouble() - 1
			s := v1*v1 + v2*v2
			if s < 1 && s != 0 {
				return v1 * math.Sqrt(-2*math.Log(s)/s), true, nil
			}
		}
	case "setSeed":
		if len(args) == 1 {
			s, _ := toInt64(args[0])
			j.seed = (s ^ lcgMult) & lcgMask
			return nil, true, nil
		}
	case "nextBytes":
		if b, ok := args[0].([]byte); ok {
			for i := 0; i < len(b); {
				rnd := j.next(32)
				for n := min(len(b)-i, 4); n > 0; n-- {
					b[i] = byte(rnd)
					rnd >>= 8
					i++
				}
			}
			return nil, true, nil
		}
	case "ints", "doubles":
		return nil, false, nil
	}
	return nil, false, nil
}

// ---- UUID

type uuid struct{ b [16]byte }

func (u *uuid) javaClass() string { return "java.util.UUID" }
func (u *uuid) String() string {
	h := hex.EncodeToString(u.b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
func (u *uuid) Equals(o any) bool {
	x, ok := o.(*uuid)
	return ok && x.b == u.b
}
func (u *uuid) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "toString":
		return u.String(), true, nil
	case "version":
		return int32(u.b[6] >> 4), true, nil
	}
	return nil, false, nil
}

// ---- Locale (formatting here is locale-neutral: English)

type locale struct{ tag string }

func (l *locale) javaClass() string { return "java.util.Locale" }
func (l *locale) String() string    { return l.tag }
func (l *locale) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "toString", "toLanguageTag":
		return l.tag, true, nil
	case "getLanguage":
		lang, _, _ := strings.Cut(l.tag, "_")
		return lang, true, nil
	}
	return nil, false, nil
}

// ---- charsets and byte codecs

type charset struct{ name string }

func (c *charset) javaClass() string { return "java.nio.charset.Charset" }
func (c *charset) String() string    { return c.name }
func (c *charset) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "name", "toString", "displayName":
		return c.name, true, nil
	}
	return nil, false, nil
}

func charsetName(r *runner, v any) string {
	switch x := v.(type) {
	case *charset:
		return x.name
	case string:
		return x
	}
	return r.toStr(v)
}

func encodeString(s, cs string) ([]byte, error) {
	switch strings.ToUpper(strings.ReplaceAll(cs, "_", "-")) {
	case "UTF-8", "UTF8":
		return []byte(s), nil
	case "ISO-8859-1", "ISO8859-1", "LATIN1", "ISO-LATIN-1":
		out := make([]byte, 0, len(s))
		for _, c := range s {
			if c > 0xff {
				c = '?'
			}
			out = append(out, byte(c))
		}
		return out, nil
	case "US-ASCII", "ASCII":
		out := make([]byte, 0, len(s))
		for _, c := range s {
			if c > 0x7f {
				c = '?'
			}
			out = append(out, byte(c))
		}
		return out, nil
	case "UTF-16BE", "UTF-16":
		u := utf16.Encode([]rune(s))
		out := make([]byte, 0, 2*len(u)+2)
		if strings.EqualFold(cs, "UTF-16") {
			out = append(out, 0xfe, 0xff)
		}
		for _, c := range u {
			out = append(out, byte(c>>8), byte(c))
		}
		return out, nil
	case "UTF-16LE":
		u := utf16.Encode([]rune(s))
		out := make([]byte, 0, 2*len(u))
		for _, c := range u {
			out = append(out, byte(c), byte(c>>8))
		}
		return out, nil
	case "WINDOWS-1252", "CP1252":
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		if err != nil {
			return nil, newExc("java.io.UnsupportedEncodingException", cs)
		}
		return b, nil
	}
	return nil, newExc("java.io.UnsupportedEncodingException", cs)
}

func decodeBytes(b []byte, cs string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(cs, "_", "-")) {
	case "UTF-8", "UTF8":
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	case "ISO-8859-1", "ISO8859-1", "LATIN1":
		rs := make([]rune, len(b))
		for i, c := range b {
			rs[i] = rune(c)
		}
		return string(rs), nil
	case "US-ASCII", "ASCII":
		rs := make([]rune, len(b))
		for i, c := range b {
			if c > 0x7f {
				rs[i] = '\uFFFD'
			} else {
				rs[i] = rune(c)
			}
		}
		return string(rs), nil
	case "WINDOWS-1252", "CP1252":
		out, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			return "", newExc("java.io.UnsupportedEncodingException", cs)
		}
		return string(out), nil
	}
	return "", newExc("java.io.UnsupportedEncodingException", cs)
}

func bytesArg(r *runner, v any) ([]byte, error) {
	switch x := v.(type) {
	case []byte:
		return x, nil
	case string:
		return []byte(x), nil
	case *List:
		out := make([]byte, len(x.S))
		for i, e := range x.S {
			n, _ := toInt64(e)
			out[i] = byte(n)
		}
		return out, nil
	case nil:
		return nil, newExc("java.lang.NullPointerException", "null byte array")
	}
	return nil, newExc("java.lang.IllegalArgumentException", "expected byte[] but got "+javaClassName(v))
}

func b64Std(b []byte) string   { return base64.StdEncoding.EncodeToString(b) }
func hexLower(b []byte) string { return hex.EncodeToString(b) }

func decodeBase64(s string) ([]byte, error) {
	t := strings.TrimRight(s, "=")
	b, err := base64.RawStdEncoding.DecodeString(t)
	if err != nil {
		return nil, newExc("java.lang.IllegalArgumentException", "Illegal base64 character in "+s)
	}
	return b, nil
}

// base64Codec is a java.util.Base64 Encoder or Decoder.
type base64Codec struct {
	enc     *base64.Encoding
	decode  bool
	mime    bool
	noPad   bool
	urlSafe bool
}

func (c *base64Codec) javaClass() string {
	if c.decode {
		return "java.util.Base64$Decoder"
	}
	return "java.util.Base64$Encoder"
}

func (c *base64Codec) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "encodeToString", "encode":
		if len(args) != 1 || c.decode {
			return nil, false, nil
		}
		b, err := bytesArg(r, args[0])
		if err != nil {
			return nil, true, err
		}
		enc := c.enc
		if c.noPad {
			enc = enc.WithPadding(base64.NoPadding)
		}
		s := enc.EncodeToString(b)
		if c.mime {
			var sb strings.Builder
			for i := 0; i < len(s); i += 76 {
				if i > 0 {
					sb.WriteString("\r\n")
				}
				sb.WriteString(s[i:min(i+76, len(s))])
			}
			s = sb.String()
		}
		if name == "encode" {
			return []byte(s), true, nil
		}
		return s, true, nil
	case "withoutPadding":
		cp := *c
		cp.noPad = true
		return &cp, true, nil
	case "decode":
		if len(args) != 1 || !c.decode {
			return nil, false, nil
		}
		var s string
		if b, ok := args[0].([]byte); ok {
			s = string(b)
		} else {
			s = r.toStr(args[0])
		}
		if c.mime {
			s = strings.Map(func(c rune) rune {
				if c == '\r' || c == '\n' || c == ' ' {
					return -1
				}
				return c
			}, s)
		}
		raw := c.enc.WithPadding(base64.NoPadding)
		t := strings.TrimRight(s, "=")
		b, err := raw.DecodeString(t)
		if err != nil {
			return nil, true, newExc("java.lang.IllegalArgumentException", "Illegal base64 character")
		}
		return b, true, nil
	}
	return nil, false, nil
}

func init() {
	register(&class{name: "java.util.Random", is: isAny[*javaRandom],
		ctor: func(r *runner, args []any) (any, error) {
			if len(args) == 1 {
				s, _ := toInt64(args[0])
				return newJavaRandom(s), nil
			}
			return newJavaRandom(seedUniquifier.Add(1)*181783497276652981 ^ time.Now().UnixNano() ^ int64(mrand.Uint64())), nil
		}})
	register(&class{name: "java.security.SecureRandom", is: isAny[*javaRandom],
		ctor: func(r *runner, args []any) (any, error) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			s := int64(0)
			for _, c := range b {
				s = s<<8 | int64(c)
			}
			return newJavaRandom(s), nil
		}})
	register(&class{name: "java.util.concurrent.ThreadLocalRandom", statics: map[string]staticFn{
		"current": func(r *runner, args []any) (any, error) {
			return newJavaRandom(int64(mrand.Uint64())), nil
		}}})
	register(&class{name: "java.util.UUID", is: isAny[*uuid], statics: map[string]staticFn{
		"randomUUID": func(r *runner, args []any) (any, error) {
			u := &uuid{}
			_, _ = rand.Read(u.b[:])
			u.b[6] = u.b[6]&0x0f | 0x40
			u.b[8] = u.b[8]&0x3f | 0x80
			return u, nil
		},
		"fromString": func(r *runner, args []any) (any, error) {
			s := strings.ReplaceAll(r.toStr(args[0]), "-", "")
			b, err := hex.DecodeString(s)
			if err != nil || len(b) != 16 {
				return nil, newExc("java.lang.IllegalArgumentException", "Invalid UUID string: "+r.toStr(args[0]))
			}
			u := &uuid{}
			copy(u.b[:], b)
			return u, nil
		},
		"nameUUIDFromBytes": func(r *runner, args []any) (any, error) {
			b, err := bytesArg(r, args[0])
			if err != nil {
				return nil, err
			}
			sum := md5Sum(b)
			u := &uuid{b: sum}
			u.b[6] = u.b[6]&0x0f | 0x30
			u.b[8] = u.b[8]&0x3f | 0x80
			return u, nil
		},
	}})
	loc := func(tag string) *locale { return &locale{tag: tag} }
	register(&class{name: "java.util.Locale", is: isAny[*locale],
		ctor: func(r *runner, args []any) (any, error) {
			parts := make([]string, len(args))
			for i, a := range args {
				parts[i] = r.toStr(a)
			}
			return loc(strings.Join(parts, "_")), nil
		},
		fields: map[string]any{"US": loc("en_US"), "ENGLISH": loc("en"), "ROOT": loc(""), "UK": loc("en_GB"),
			"GERMANY": loc("de_DE"), "FRANCE": loc("fr_FR"), "GERMAN": loc("de"), "FRENCH": loc("fr")},
		statics: map[string]staticFn{
			"getDefault": func(r *runner, args []any) (any, error) { return loc("en_US"), nil },
			"forLanguageTag": func(r *runner, args []any) (any, error) {
				return loc(strings.ReplaceAll(r.toStr(args[0]), "-", "_")), nil
			},
		}})
	cs := func(n string) *charset { return &charset{name: n} }
	register(&class{name: "java.nio.charset.StandardCharsets", fields: map[string]any{
		"UTF_8": cs("UTF-8"), "ISO_8859_1": cs("ISO-8859-1"), "US_ASCII": cs("US-ASCII"),
		"UTF_16": cs("UTF-16"), "UTF_16BE": cs("UTF-16BE"), "UTF_16LE": cs("UTF-16LE")}})
	register(&class{name: "java.nio.charset.Charset", is: isAny[*charset], statics: map[string]staticFn{
		"forName": func(r *runner, args []any) (any, error) {
			n := r.toStr(args[0])
			if _, err := encodeString("", n); err != nil {
				return nil, newExc("java.nio.charset.UnsupportedCharsetException", n)
			}
			return cs(strings.ToUpper(n)), nil
		},
		"defaultCharset": func(r *runner, args []any) (any, error) { return cs("UTF-8"), nil },
	}})
	register(&class{name: "java.util.Base64", statics: map[string]staticFn{
		"getEncoder": func(r *runner, args []any) (any, error) { return &base64Codec{enc: base64.StdEncoding}, nil },
		"getDecoder": func(r *runner, args []any) (any, error) {
			return &base64Codec{enc: base64.StdEncoding, decode: true}, nil
		},
		"getUrlEncoder": func(r *runner, args []any) (any, error) {
			return &base64Codec{enc: base64.URLEncoding, urlSafe: true}, nil
		},
		"getUrlDecoder": func(r *runner, args []any) (any, error) {
			return &base64Codec{enc: base64.URLEncoding, decode: true}, nil
		},
		"getMimeEncoder": func(r *runner, args []any) (any, error) {
			return &base64Codec{enc: base64.StdEncoding, mime: true}, nil
		},
		"getMimeDecoder": func(r *runner, args []any) (any, error) {
			return &base64Codec{enc: base64.StdEncoding, decode: true, mime: true}, nil
		},
	}})
	register(&class{name: "java.net.URLEncoder", statics: map[string]staticFn{
		"encode": func(r *runner, args []any) (any, error) {
			if len(args) < 1 {
				return nil, argN(args, 2, "URLEncoder.encode")
			}
			s := r.toStr(args[0])
			if len(args) == 2 {
				if n := charsetName(r, args[1]); !strings.EqualFold(n, "UTF-8") {
					b, err := encodeString(s, n)
					if err != nil {
						return nil, err
					}
					return formEncodeBytes(b), nil
				}
			}
			return formEncodeBytes([]byte(s)), nil
		}}})
	register(&class{name: "java.net.URLDecoder", statics: map[string]staticFn{
		"decode": func(r *runner, args []any) (any, error) {
			if len(args) < 1 {
				return nil, argN(args, 2, "URLDecoder.decode")
			}
			s, err := url.QueryUnescape(r.toStr(args[0]))
			if err != nil {
				return nil, newExc("java.lang.IllegalArgumentException", "URLDecoder: "+err.Error())
			}
			return s, nil
		}}})
}

// formEncodeBytes is URLEncoder.encode: letters, digits and ".-*_" stay,
// space becomes +, everything else %XX (upper case).
func formEncodeBytes(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '*', c == '_':
			sb.WriteByte(c)
		case c == ' ':
			sb.WriteByte('+')
		default:
			sb.WriteByte('%')
			sb.WriteString(strings.ToUpper(hex.EncodeToString([]byte{c})))
		}
	}
	return sb.String()
}
