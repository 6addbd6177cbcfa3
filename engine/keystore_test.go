package engine

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	jks "github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/gometer/gometer/keystore"
)

// mtlsServer is a TLS server that demands a client certificate and
// records the common name each request presented.
type mtlsServer struct {
	*httptest.Server
	mu  sync.Mutex
	cns []string
}

func newMTLSServer(t *testing.T) *mtlsServer {
	s := &mtlsServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cn := ""
		if len(r.TLS.PeerCertificates) > 0 {
			cn = r.TLS.PeerCertificates[0].Subject.CommonName
		}
		s.mu.Lock()
		s.cns = append(s.cns, cn)
		s.mu.Unlock()
		w.Write([]byte("hello " + cn))
	}))
	s.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func (s *mtlsServer) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.cns...)
}

func (s *mtlsServer) get(name string, kids ...el) el {
	host, port, _ := net.SplitHostPort(strings.TrimPrefix(s.URL, "https://"))
	props := `<elementProp name="HTTPsampler.Arguments" elementType="Arguments"><collectionProp name="Arguments.arguments"/></elementProp>` +
		sp("HTTPSampler.domain", host) + sp("HTTPSampler.port", port) + sp("HTTPSampler.protocol", "https") +
		sp("HTTPSampler.path", "/") + sp("HTTPSampler.method", "GET") + bp("HTTPSampler.use_keepalive", true)
	return el{tag: "HTTPSamplerProxy", gui: "HttpTestSampleGui", name: name, props: props, kids: kids}
}

// clientCert is a self-signed client certificate with the common name cn.
func clientCert(t *testing.T, cn string) (*ecdsa.PrivateKey, *x509.Certificate) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return key, c
}

// jksStore writes a JKS key store (made with keystore-go) holding one key
// entry per alias, the certificate's common name equal to the alias.
func jksStore(t *testing.T, pass string, aliases ...string) string {
	ks := jks.New()
	for _, a := range aliases {
		key, cert := clientCert(t, a)
		der, _ := x509.MarshalPKCS8PrivateKey(key)
		err := ks.SetPrivateKeyEntry(a, jks.PrivateKeyEntry{CreationTime: time.Now(), PrivateKey: der,
			CertificateChain: []jks.Certificate{{Type: "X509", Content: cert.Raw}}}, []byte(pass))
		if err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "users.jks")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := ks.Store(f, []byte(pass)); err != nil {
		t.Fatal(err)
	}
	return path
}

func runWithProps(t *testing.T, xml string, props map[string]string) (*sink, error) {
	t.Helper()
	_, out, err := tryRun(t, xml, props)
	return out, err
}

func keystoreConfig(aliasVar, start, end string) el {
	return el{tag: "KeystoreConfig", gui: "TestBeanGUI", name: "Keystore Configuration",
		props: sp("preload", "true") + sp("clientCertAliasVarName", aliasVar) + sp("startIndex", start) + sp("endIndex", end)}
}

func TestClientCertificateWithoutKeystoreConfigIsTheFirstEntry(t *testing.T) {
	srv := newMTLSServer(t)
	path := jksStore(t, "changeit", "carol", "alice", "bob")
	first := javaOrder(t, path, "changeit")[0]
	xml := planXML(tg("G", 3, 0, "2", "", srv.get("a")))
	out, err := runWithProps(t, xml, map[string]string{"javax.net.ssl.keyStore": path, "javax.net.ssl.keyStorePassword": "changeit"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out.all() {
		if !r.Success {
			t.Fatalf("sample failed: %s %s", r.ResponseCode, r.ResponseMessage)
		}
	}
	for _, cn := range srv.seen() {
		if cn != first {
			t.Fatalf("presented %v, want the first entry %s every time", srv.seen(), first)
		}
	}
}

// javaOrder is the stores' aliases in Java's order (package keystore
// checks that order against Java itself).
func javaOrder(t *testing.T, path, pass string) []string {
	data, _ := os.ReadFile(path)
	s, err := keystore.Load(data, pass, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range s.Entries {
		out = append(out, e.Alias)
	}
	return out
}

func TestClientCertificatePerUserByAliasVariable(t *testing.T) {
	srv := newMTLSServer(t)
	dir := t.TempDir()
	path := jksStore(t, "secret1", "u1", "u2", "u3")
	// each user names its own alias (from a shared CSV the lines users get
	// depend on who reads first, and a kept-alive connection keeps the
	// certificate it was opened with)
	alias := jsr("JSR223PreProcessor", "alias", `vars.put("certAlias", "u" + (ctx.getThreadNum() + 1))`)
	xml := planXML(tg("G", 3, 0, "2", "", keystoreConfig("certAlias", "0", "-1"), alias, srv.get("a")))
	out, err := runWithProps(t, xml, map[string]string{"javax.net.ssl.keyStore": path, "javax.net.ssl.keyStorePassword": "secret1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out.all() {
		if !r.Success {
			t.Fatalf("sample: %s %s", r.ResponseCode, r.ResponseMessage)
		}
	}
	seen := srv.seen()
	sort.Strings(seen)
	if strings.Join(seen, ",") != "u1,u1,u2,u2,u3,u3" {
		t.Fatalf("presented %v", seen)
	}

	// An alias the store does not hold fails the sample, naming it.
	csv := writeFile(t, dir, "bad.csv", "nobody\n")
	xml = planXML(tg("G", 1, 0, "1", "", keystoreConfig("certAlias", "0", "-1"), csvEl(csv, "certAlias", ""), srv.get("a")))
	out, err = runWithProps(t, xml, map[string]string{"javax.net.ssl.keyStore": path, "javax.net.ssl.keyStorePassword": "secret1"})
	if err != nil {
		t.Fatal(err)
	}
	// JMeter 5.6.3 (checked by hand against a Go mTLS server): "Non HTTP
	// response code: javax.net.ssl.SSLException", "Non HTTP response
	// message: No PrivateKey found for alias:'nobody'"
	if r := out.all()[0]; r.ResponseCode != "Non HTTP response code: javax.net.ssl.SSLException" ||
		r.ResponseMessage != "Non HTTP response message: No PrivateKey found for alias:'nobody'" {
		t.Fatalf("got %s %q", r.ResponseCode, r.ResponseMessage)
	}
}

func TestClientCertificatesInTurnWithinTheIndexes(t *testing.T) {
	srv := newMTLSServer(t)
	key, cert := clientCert(t, "solo")
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, "p12pass")
	if err != nil {
		t.Fatal(err)
	}
	p12 := filepath.Join(t.TempDir(), "solo.p12")
	os.WriteFile(p12, pfx, 0o600)
	xml := planXML(tg("G", 2, 0, "1", "", keystoreConfig("", "0", "-1"), srv.get("a")))
	if _, err := runWithProps(t, xml, map[string]string{"javax.net.ssl.keyStore": p12, "javax.net.ssl.keyStorePassword": "p12pass", "javax.net.ssl.keyStoreType": "pkcs12"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(srv.seen(), ","); got != "solo,solo" {
		t.Fatalf("PKCS#12: presented %s", got)
	}

	srv = newMTLSServer(t)
	path := jksStore(t, "changeit", "a0", "a1", "a2", "a3")
	order := javaOrder(t, path, "changeit")
	xml = planXML(tg("G", 4, 0, "1", "", keystoreConfig("", "1", "2"), srv.get("a")))
	if _, err := runWithProps(t, xml, map[string]string{"javax.net.ssl.keyStore": path, "javax.net.ssl.keyStorePassword": "changeit"}); err != nil {
		t.Fatal(err)
	}
	seen := srv.seen()
	sort.Strings(seen)
	want := []string{order[1], order[1], order[2], order[2]}
	sort.Strings(want)
	if strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Fatalf("presented %v, want entries 1 and 2 of %v in turn", seen, order)
	}
}

func TestKeystoreThatCannotBeReadIsALoadError(t *testing.T) {
	srv := newMTLSServer(t)
	path := jksStore(t, "changeit", "a")
	xml := planXML(tg("G", 1, 0, "1", "", srv.get("a")))
	_, err := runWithProps(t, xml, map[string]string{"javax.net.ssl.keyStore": path, "javax.net.ssl.keyStorePassword": "wrongpw"})
	if err == nil || !strings.Contains(err.Error(), "javax.net.ssl.keyStore "+path) {
		t.Fatalf("err = %v", err)
	}
	xml = planXML(tg("G", 1, 0, "1", "", keystoreConfig("", "3", "1"), srv.get("a")))
	_, err = runWithProps(t, xml, map[string]string{"javax.net.ssl.keyStore": path, "javax.net.ssl.keyStorePassword": "changeit"})
	if err == nil || !strings.Contains(err.Error(), "Alias start index must be lower than Alias end index") {
		t.Fatalf("err = %v", err)
	}
}
