// Package keystore reads the Java key stores JMeter takes client
// certificates from (javax.net.ssl.keyStore): JKS and PKCS#12. It lists
// the key entries in the order Java's KeyStore.aliases() gives them, which
// decides what JMeter's alias indexes and round-robin pick.
package keystore

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	jks "github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/gometer/gometer/internal/javahash"
)

// Entry is one key entry: its alias as Java reports it and the
// certificate chain with the private key, ready for a TLS handshake.
type Entry struct {
	Alias string
	Cert  tls.Certificate
}

// Store is a key store's key entries in Java's alias order.
type Store struct {
	Entries []Entry
}

// MaxSize bounds the key store file read (a key store holds certificates,
// not data).
const MaxSize = 64 << 20

// ErrFormat is returned for a file that is neither JKS nor PKCS#12.
var ErrFormat = errors.New("not a JKS or PKCS#12 key store")

var jksMagic = []byte{0xFE, 0xED, 0xFE, 0xED}

// Load reads a key store. typ is javax.net.ssl.keyStoreType ("" or any
// case of JKS/PKCS12): as Java 17's JKS type, either format is recognised
// by its content whatever the type says.
func Load(data []byte, password, typ string) (*Store, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("key store larger than %d bytes", MaxSize)
	}
	if bytes.HasPrefix(data, jksMagic) {
		return loadJKS(data, password)
	}
	if len(data) > 0 && data[0] == 0x30 { // DER SEQUENCE: PKCS#12
		return loadPKCS12(data, password)
	}
	return nil, ErrFormat
}

func loadJKS(data []byte, password string) (*Store, error) {
	order, err := jksAliases(data)
	if err != nil {
		return nil, err
	}
	ks := jks.New(jks.WithCaseExactAliases())
	if err := ks.Load(bytes.NewReader(data), []byte(password)); err != nil {
		return nil, fmt.Errorf("read JKS key store: %w", err)
	}
	s := &Store{}
	for _, alias := range hashtableOrder(order) {
		if !ks.IsPrivateKeyEntry(alias) {
			continue
		}
		e, err := ks.GetPrivateKeyEntry(alias, []byte(password))
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", alias, err)
		}
		key, err := x509.ParsePKCS8PrivateKey(e.PrivateKey)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", alias, err)
		}
		c := tls.Certificate{PrivateKey: key}
		for _, cert := range e.CertificateChain {
			c.Certificate = append(c.Certificate, cert.Content)
		}
		if err := finish(&c); err != nil {
			return nil, fmt.Errorf("key %q: %w", alias, err)
		}
		s.Entries = append(s.Entries, Entry{Alias: alias, Cert: c})
	}
	return s, nil
}

// jksAliases reads the aliases of a JKS file in file order (the library
// keeps them in a map).
func jksAliases(data []byte) ([]string, error) {
	r := bytes.NewReader(data[4:])
	var version, count uint32
	if binary.Read(r, binary.BigEndian, &version) != nil || binary.Read(r, binary.BigEndian, &count) != nil {
		return nil, errTruncated
	}
	if count > uint32(len(data)) {
		return nil, errTruncated
	}
	utf := func() (string, error) {
		var n uint16
		if err := binary.Read(r, binary.BigEndian, &n); err != nil {
			return "", errTruncated
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			return "", errTruncated
		}
		return string(b), nil
	}
	blob := func() error {
		var n uint32
		if err := binary.Read(r, binary.BigEndian, &n); err != nil || int64(n) > int64(r.Len()) {
			return errTruncated
		}
		_, err := r.Seek(int64(n), io.SeekCurrent)
		return err
	}
	cert := func() error {
		if version == 2 {
			if _, err := utf(); err != nil {
				return err
			}
		}
		return blob()
	}
	var out []string
	for i := uint32(0); i < count; i++ {
		var tag uint32
		if err := binary.Read(r, binary.BigEndian, &tag); err != nil {
			return nil, errTruncated
		}
		alias, err := utf()
		if err != nil {
			return nil, err
		}
		if _, err := r.Seek(8, io.SeekCurrent); err != nil { // creation time
			return nil, errTruncated
		}
		switch tag {
		case 1: // private key: key, then the chain
			if err := blob(); err != nil {
				return nil, err
			}
			var n uint32
			if err := binary.Read(r, binary.BigEndian, &n); err != nil || n > uint32(r.Len()) {
				return nil, errTruncated
			}
			for j := uint32(0); j < n; j++ {
				if err := cert(); err != nil {
					return nil, err
				}
			}
		case 2: // trusted certificate
			if err := cert(); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("JKS entry %d: unknown tag %d", i+1, tag)
		}
		out = append(out, alias)
	}
	return out, nil
}

var errTruncated = errors.New("JKS key store is truncated")

// hashtableOrder is the order in which a java.util.Hashtable (default
// capacity 11, load factor 0.75), filled in file order as Java's
// JavaKeyStore fills it, enumerates the aliases: from the last bucket to
// the first, newest first within a bucket.
func hashtableOrder(keys []string) []string {
	table := make([][]string, 11)
	threshold := 8
	index := func(k string, n int) int { return int(uint32(javahash.String(k))&0x7FFFFFFF) % n }
	count := 0
	for _, k := range keys {
		if count >= threshold {
			old := table
			table = make([][]string, len(old)*2+1)
			threshold = len(table) * 3 / 4
			for i := len(old) - 1; i >= 0; i-- {
				for _, e := range old[i] { // each moves to the head of its new bucket
					j := index(e, len(table))
					table[j] = append([]string{e}, table[j]...)
				}
			}
		}
		i := index(k, len(table))
		table[i] = append([]string{k}, table[i]...)
		count++
	}
	var out []string
	for i := len(table) - 1; i >= 0; i-- {
		out = append(out, table[i]...)
	}
	return out
}

func loadPKCS12(data []byte, password string) (*Store, error) {
	blocks, err := pkcs12.ToPEM(data, password)
	if err != nil {
		return nil, fmt.Errorf("read PKCS#12 key store: %w", err)
	}
	type keyBag struct {
		alias, id string
		key       crypto.PrivateKey
	}
	var keys []keyBag
	var certs []*x509.Certificate
	certID := map[*x509.Certificate]string{}
	for _, b := range blocks {
		switch b.Type {
		case "PRIVATE KEY":
			k, err := parseRawKey(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("PKCS#12 key %q: %w", b.Headers["friendlyName"], err)
			}
			keys = append(keys, keyBag{alias: b.Headers["friendlyName"], id: b.Headers["localKeyId"], key: k})
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("PKCS#12 certificate: %w", err)
			}
			certs = append(certs, c)
			certID[c] = b.Headers["localKeyId"]
		}
	}
	s := &Store{}
	for _, k := range keys {
		var leaf *x509.Certificate
		for _, c := range certs {
			if certID[c] != "" && certID[c] == k.id {
				leaf = c
				break
			}
		}
		if leaf == nil {
			return nil, fmt.Errorf("PKCS#12 key %q has no certificate", k.alias)
		}
		c := tls.Certificate{PrivateKey: k.key, Certificate: [][]byte{leaf.Raw}, Leaf: leaf}
		// the rest of the chain: issuers found in the store
		for cur, n := leaf, 0; n < 10; n++ {
			next := issuerOf(cur, certs)
			if next == nil {
				break
			}
			c.Certificate = append(c.Certificate, next.Raw)
			cur = next
		}
		// Java's PKCS12KeyStore keeps aliases lower-cased, in file order
		alias := strings.ToLower(k.alias)
		if alias == "" {
			alias = fmt.Sprint(len(s.Entries) + 1)
		}
		s.Entries = append(s.Entries, Entry{Alias: alias, Cert: c})
	}
	return s, nil
}

func issuerOf(c *x509.Certificate, certs []*x509.Certificate) *x509.Certificate {
	if bytes.Equal(c.RawIssuer, c.RawSubject) {
		return nil
	}
	for _, o := range certs {
		if o != c && bytes.Equal(o.RawSubject, c.RawIssuer) {
			return o
		}
	}
	return nil
}

// parseRawKey reads a private key as go-pkcs12's ToPEM leaves it.
func parseRawKey(der []byte) (crypto.PrivateKey, error) {
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return k, nil
	}
	return nil, errors.New("unsupported private key")
}

func finish(c *tls.Certificate) error {
	if len(c.Certificate) == 0 {
		return errors.New("no certificate chain")
	}
	leaf, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil {
		return err
	}
	c.Leaf = leaf
	switch c.PrivateKey.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
		return nil
	}
	return errors.New("unsupported private key type")
}

// Selection is the key entries JMeter's Keystore Configuration makes
// available: those whose index is in [start, end] (end -1: to the last),
// picked by a user variable naming the alias, or else in turn.
type Selection struct {
	entries []Entry
	byAlias map[string]*tls.Certificate
	mu      sync.Mutex
	next    int
}

// Select keeps the entries with start <= index <= end (end < 0: no end).
func (s *Store) Select(start, end int) *Selection {
	sel := &Selection{byAlias: map[string]*tls.Certificate{}}
	for i, e := range s.Entries {
		if i >= start && (end < 0 || i <= end) {
			sel.entries = append(sel.entries, e)
		}
	}
	for i := range sel.entries {
		sel.byAlias[sel.entries[i].Alias] = &sel.entries[i].Cert
	}
	return sel
}

// Len is the number of entries selected.
func (s *Selection) Len() int { return len(s.entries) }

// Aliases are the selected aliases in order.
func (s *Selection) Aliases() []string {
	out := make([]string, len(s.entries))
	for i, e := range s.entries {
		out[i] = e.Alias
	}
	return out
}

// ByAlias is the certificate of alias; an unknown alias is an error
// naming it as JMeter's key manager does (Java asks for the key first).
func (s *Selection) ByAlias(alias string) (*tls.Certificate, error) {
	if c := s.byAlias[alias]; c != nil {
		return c, nil
	}
	return nil, fmt.Errorf("No PrivateKey found for alias:'%s'", alias)
}

// Next is the next entry in turn, shared by every user (JMeter's
// round-robin over the aliases); nil when none is selected.
func (s *Selection) Next() *tls.Certificate {
	if len(s.entries) == 0 {
		return nil
	}
	s.mu.Lock()
	i := s.next
	s.next = (s.next + 1) % len(s.entries)
	s.mu.Unlock()
	return &s.entries[i].Cert
}
