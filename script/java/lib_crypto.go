package java

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"
)

func md5Sum(b []byte) [16]byte { return md5.Sum(b) }

func hashFor(alg string) (func() hash.Hash, string, bool) {
	switch strings.ToUpper(strings.ReplaceAll(alg, "-", "")) {
	case "MD5":
		return md5.New, "MD5", true
	case "SHA1", "SHA":
		return sha1.New, "SHA-1", true
	case "SHA256":
		return sha256.New, "SHA-256", true
	case "SHA224":
		return sha256.New224, "SHA-224", true
	case "SHA384":
		return sha512.New384, "SHA-384", true
	case "SHA512":
		return sha512.New, "SHA-512", true
	}
	return nil, "", false
}

// messageDigest is java.security.MessageDigest.
type messageDigest struct {
	h    hash.Hash
	name string
}

func (m *messageDigest) javaClass() string { return "java.security.MessageDigest" }
func (m *messageDigest) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "update":
		if len(args) >= 1 {
			b, err := bytesArg(r, args[0])
			if err != nil {
				return nil, true, err
			}
			if len(args) == 3 {
				off, _ := toInt(args[1])
				n, _ := toInt(args[2])
				if off < 0 || n < 0 || off+n > len(b) {
					return nil, true, newExc("java.lang.IllegalArgumentException", "Bad arguments")
				}
				b = b[off : off+n]
			}
			m.h.Write(b)
			return nil, true, nil
		}
	case "digest":
		if len(args) == 1 {
			b, err := bytesArg(r, args[0])
			if err != nil {
				return nil, true, err
			}
			m.h.Write(b)
		}
		out := m.h.Sum(nil)
		m.h.Reset()
		return out, true, nil
	case "reset":
		m.h.Reset()
		return nil, true, nil
	case "getAlgorithm":
		return m.name, true, nil
	case "getDigestLength":
		return int32(m.h.Size()), true, nil
	}
	return nil, false, nil
}

type secretKey struct {
	key []byte
	alg string
}

func (k *secretKey) javaClass() string { return "javax.crypto.spec.SecretKeySpec" }
func (k *secretKey) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "getEncoded":
		return append([]byte(nil), k.key...), true, nil
	case "getAlgorithm":
		return k.alg, true, nil
	}
	return nil, false, nil
}

// mac is javax.crypto.Mac (HMAC).
type mac struct {
	newHash func() hash.Hash
	alg     string
	h       hash.Hash
}

func (m *mac) javaClass() string { return "javax.crypto.Mac" }
func (m *mac) invoke(r *runner, name string, args []any) (any, bool, error) {
	switch name {
	case "init":
		if len(args) >= 1 {
			k, ok := args[0].(*secretKey)
			if !ok {
				return nil, true, newExc("java.security.InvalidKeyException", "key must be a SecretKeySpec")
			}
			m.h = hmac.New(m.newHash, k.key)
			return nil, true, nil
		}
	case "update", "doFinal":
		if m.h == nil {
			return nil, true, newExc("java.lang.IllegalStateException", "MAC not initialized")
		}
		if len(args) >= 1 {
			b, err := bytesArg(r, args[0])
			if err != nil {
				return nil, true, err
			}
			m.h.Write(b)
		}
		if name == "update" {
			return nil, true, nil
		}
		out := m.h.Sum(nil)
		m.h.Reset()
		return out, true, nil
	case "getAlgorithm":
		return m.alg, true, nil
	case "reset":
		if m.h != nil {
			m.h.Reset()
		}
		return nil, true, nil
	}
	return nil, false, nil
}

func macFor(alg string) (*mac, error) {
	a := strings.ToUpper(alg)
	if !strings.HasPrefix(a, "HMAC") {
		return nil, newExc("java.security.NoSuchAlgorithmException", "Algorithm "+alg+" not available")
	}
	nh, _, ok := hashFor(strings.TrimPrefix(a, "HMAC"))
	if !ok {
		return nil, newExc("java.security.NoSuchAlgorithmException", "Algorithm "+alg+" not available")
	}
	return &mac{newHash: nh, alg: alg}, nil
}

func digestStatic(alg string, hexOut bool) staticFn {
	return func(r *runner, args []any) (any, error) {
		if err := argN(args, 1, "DigestUtils"); err != nil {
			return nil, err
		}
		b, err := bytesArg(r, args[0])
		if err != nil {
			return nil, err
		}
		nh, _, _ := hashFor(alg)
		h := nh()
		h.Write(b)
		if hexOut {
			return hex.EncodeToString(h.Sum(nil)), nil
		}
		return h.Sum(nil), nil
	}
}

func hmacStatic(alg string, hexOut bool) staticFn {
	return func(r *runner, args []any) (any, error) {
		if err := argN(args, 2, "HmacUtils"); err != nil {
			return nil, err
		}
		key, err := bytesArg(r, args[0])
		if err != nil {
			return nil, err
		}
		data, err := bytesArg(r, args[1])
		if err != nil {
			return nil, err
		}
		nh, _, _ := hashFor(alg)
		h := hmac.New(nh, key)
		h.Write(data)
		if hexOut {
			return hex.EncodeToString(h.Sum(nil)), nil
		}
		return h.Sum(nil), nil
	}
}

func init() {
	register(&class{name: "java.security.MessageDigest", is: isAny[*messageDigest], statics: map[string]staticFn{
		"getInstance": func(r *runner, args []any) (any, error) {
			if len(args) < 1 {
				return nil, argN(args, 1, "MessageDigest.getInstance")
			}
			nh, canon, ok := hashFor(r.toStr(args[0]))
			if !ok {
				return nil, newExc("java.security.NoSuchAlgorithmException", r.toStr(args[0])+" MessageDigest not available")
			}
			return &messageDigest{h: nh(), name: canon}, nil
		},
		"isEqual": func(r *runner, args []any) (any, error) {
			a, _ := bytesArg(r, args[0])
			b, _ := bytesArg(r, args[1])
			return hmac.Equal(a, b), nil
		},
	}})
	register(&class{name: "javax.crypto.Mac", is: isAny[*mac], statics: map[string]staticFn{
		"getInstance": func(r *runner, args []any) (any, error) {
			if len(args) < 1 {
				return nil, argN(args, 1, "Mac.getInstance")
			}
			return macFor(r.toStr(args[0]))
		}}})
	register(&class{name: "javax.crypto.spec.SecretKeySpec", is: isAny[*secretKey], ctor: func(r *runner, args []any) (any, error) {
		if len(args) < 2 {
			return nil, argN(args, 2, "new SecretKeySpec")
		}
		b, err := bytesArg(r, args[0])
		if err != nil {
			return nil, err
		}
		if len(args) == 4 {
			off, _ := toInt(args[1])
			n, _ := toInt(args[2])
			if off < 0 || n < 0 || off+n > len(b) {
				return nil, newExc("java.lang.IllegalArgumentException", "Invalid offset/length combination")
			}
			return &secretKey{key: append([]byte(nil), b[off:off+n]...), alg: r.toStr(args[3])}, nil
		}
		if len(b) == 0 {
			return nil, newExc("java.lang.IllegalArgumentException", "Empty key")
		}
		return &secretKey{key: append([]byte(nil), b...), alg: r.toStr(args[1])}, nil
	}})
	register(&class{name: "org.apache.commons.codec.digest.DigestUtils", statics: map[string]staticFn{
		"md5Hex": digestStatic("MD5", true), "md5": digestStatic("MD5", false),
		"sha1Hex": digestStatic("SHA1", true), "shaHex": digestStatic("SHA1", true), "sha1": digestStatic("SHA1", false),
		"sha256Hex": digestStatic("SHA256", true), "sha256": digestStatic("SHA256", false),
		"sha384Hex": digestStatic("SHA384", true), "sha512Hex": digestStatic("SHA512", true), "sha512": digestStatic("SHA512", false),
	}})
	register(&class{name: "org.apache.commons.codec.digest.HmacUtils", statics: map[string]staticFn{
		"hmacSha256Hex": hmacStatic("SHA256", true), "hmacSha256": hmacStatic("SHA256", false),
		"hmacSha1Hex": hmacStatic("SHA1", true), "hmacSha1": hmacStatic("SHA1", false),
		"hmacSha512Hex": hmacStatic("SHA512", true), "hmacSha512": hmacStatic("SHA512", false),
		"hmacMd5Hex": hmacStatic("MD5", true),
	}})
	b64enc := func(url, chunk bool, asString bool) staticFn {
		return func(r *runner, args []any) (any, error) {
			if len(args) < 1 {
				return nil, argN(args, 1, "Base64.encodeBase64")
			}
			b, err := bytesArg(r, args[0])
			if err != nil {
				return nil, err
			}
			enc := base64.StdEncoding
			if url {
				enc = base64.RawURLEncoding
			}
			s := enc.EncodeToString(b)
			if chunk || (len(args) == 2 && truth(args[1])) {
				var sb strings.Builder
				for i := 0; i < len(s); i += 76 {
					sb.WriteString(s[i:min(i+76, len(s))] + "\r\n")
				}
				s = sb.String()
			}
			if asString {
				return s, nil
			}
			return []byte(s), nil
		}
	}
	b64dec := func(r *runner, args []any) (any, error) {
		if len(args) < 1 {
			return nil, argN(args, 1, "Base64.decodeBase64")
		}
		var s string
		if b, ok := args[0].([]byte); ok {
			s = string(b)
		} else {
			s = r.toStr(args[0])
		}
		// commons-codec is lenient: it skips characters outside the alphabet
		clean := strings.Map(func(c rune) rune {
			switch {
			case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
				return c
			case c == '-':
				return '+'
			case c == '_':
				return '/'
			}
			return -1
		}, s)
		clean = clean[:len(clean)-len(clean)%4+min(len(clean)%4, 4)]
		if len(clean)%4 == 1 {
			clean = clean[:len(clean)-1]
		}
		b, err := base64.RawStdEncoding.DecodeString(clean)
		if err != nil {
			return nil, newExc("java.lang.IllegalArgumentException", "invalid base64 input")
		}
		return b, nil
	}
	register(&class{name: "org.apache.commons.codec.binary.Base64", statics: map[string]staticFn{
		"encodeBase64": b64enc(false, false, false), "encodeBase64String": b64enc(false, false, true),
		"encodeBase64URLSafeString": b64enc(true, false, true), "encodeBase64URLSafe": b64enc(true, false, false),
		"encodeBase64Chunked": b64enc(false, true, false),
		"decodeBase64":        b64dec, "decode": b64dec,
		"isBase64": func(r *runner, args []any) (any, error) {
			s := r.toStr(args[0])
			for _, c := range s {
				if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("+/=-_ \r\n\t", c)) {
					return false, nil
				}
			}
			return true, nil
		},
	}})
	register(&class{name: "org.apache.commons.codec.binary.Hex", statics: map[string]staticFn{
		"encodeHexString": func(r *runner, args []any) (any, error) {
			b, err := bytesArg(r, args[0])
			if err != nil {
				return nil, err
			}
			s := hex.EncodeToString(b)
			if len(args) == 2 && !truth(args[1]) {
				s = strings.ToUpper(s)
			}
			return s, nil
		},
		"encodeHex": func(r *runner, args []any) (any, error) {
			b, err := bytesArg(r, args[0])
			if err != nil {
				return nil, err
			}
			s := hex.EncodeToString(b)
			l := &List{Array: true, Elem: tkChar}
			for i := 0; i < len(s); i++ {
				l.S = append(l.S, Char(s[i]))
			}
			return l, nil
		},
		"decodeHex": func(r *runner, args []any) (any, error) {
			b, err := hex.DecodeString(r.toStr(args[0]))
			if err != nil {
				return nil, newExc("org.apache.commons.codec.DecoderException", "Illegal hexadecimal character")
			}
			return b, nil
		},
	}})
}
