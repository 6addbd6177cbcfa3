package keystore

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gometer/gometer/internal/skipped"
)

// fixture is one JKS store made by keytool with 10 aliases (past the Hashtable's first rehash) and the same
// keys converted to PKCS#12 by keytool -importkeystore (keytool is slow:
// made once for the package).
var fixture struct {
	once     sync.Once
	jks, p12 string
	err      string
}

const fixturePass = "changeit"

func stores(t *testing.T) (jksPath, p12Path string) {
	t.Helper()
	if _, err := exec.LookPath("keytool"); err != nil {
		skipped.Need(t, "Java keytool", "keytool is not installed (Java 17's keytool makes the key stores)")
	}
	fixture.once.Do(func() {
		dir, err := os.MkdirTemp("", "keystore-test")
		if err != nil {
			fixture.err = err.Error()
			return
		}
		fixture.jks = filepath.Join(dir, "users.jks")
		fixture.p12 = filepath.Join(dir, "users.p12")
		for _, a := range []string{"Alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"} {
			out, err := exec.Command("keytool", "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", a,
				"-dname", "CN="+a, "-validity", "30", "-keystore", fixture.jks, "-storetype", "JKS",
				"-storepass", fixturePass, "-keypass", fixturePass).CombinedOutput()
			if err != nil {
				fixture.err = string(out)
				return
			}
		}
		out, err := exec.Command("keytool", "-importkeystore", "-srckeystore", fixture.jks, "-srcstoretype", "JKS",
			"-srcstorepass", fixturePass, "-destkeystore", fixture.p12, "-deststoretype", "PKCS12",
			"-deststorepass", fixturePass).CombinedOutput()
		if err != nil {
			fixture.err = string(out)
		}
	})
	if fixture.err != "" {
		t.Fatalf("keytool: %s", fixture.err)
	}
	return fixture.jks, fixture.p12
}

// javaAliases is Java's own alias order for the store.
func javaAliases(t *testing.T, path, pass string) []string {
	t.Helper()
	src, _ := filepath.Abs("testdata/Aliases.java")
	out, err := exec.Command("java", src, path, pass, "JKS").CombinedOutput()
	if err != nil {
		t.Fatalf("java: %v\n%s", err, out)
	}
	s := strings.Trim(strings.TrimSpace(string(out)), "[]")
	return strings.Split(s, ", ")
}

func load(t *testing.T, path, pass string) *Store {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(data, pass, "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func aliases(s *Store) []string {
	var out []string
	for _, e := range s.Entries {
		out = append(out, e.Alias)
	}
	return out
}

func TestAliasOrderIsJavas(t *testing.T) {
	jksPath, p12Path := stores(t)
	for _, path := range []string{jksPath, p12Path} {
		got := aliases(load(t, path, fixturePass))
		want := javaAliases(t, path, fixturePass)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: aliases %v, Java lists %v", filepath.Base(path), got, want)
		}
		for _, e := range load(t, path, fixturePass).Entries {
			if e.Cert.Leaf == nil || !strings.EqualFold(e.Cert.Leaf.Subject.CommonName, e.Alias) {
				t.Errorf("%s: alias %s holds %v", filepath.Base(path), e.Alias, e.Cert.Leaf)
			}
		}
	}
}

func TestWrongPasswordAndGarbage(t *testing.T) {
	jksPath, p12Path := stores(t)
	for _, path := range []string{jksPath, p12Path} {
		data, _ := os.ReadFile(path)
		if _, err := Load(data, "wrongpass", ""); err == nil {
			t.Errorf("%s: a wrong password was accepted", filepath.Base(path))
		}
		for n := 0; n < len(data); n += 7 {
			Load(data[:n], fixturePass, "") // truncated stores fail, never panic
		}
	}
	if _, err := Load([]byte("hello"), "", ""); err != ErrFormat {
		t.Errorf("garbage: %v", err)
	}
}

func TestSelectionIndexesAndTurns(t *testing.T) {
	_, p12Path := stores(t)
	s := load(t, p12Path, fixturePass)
	want := aliases(s)
	sel := s.Select(1, 2)
	if got := strings.Join(sel.Aliases(), ","); got != want[1]+","+want[2] {
		t.Fatalf("selected %s of %v", got, want)
	}
	var turns []string
	for i := 0; i < 4; i++ {
		turns = append(turns, strings.ToLower(sel.Next().Leaf.Subject.CommonName))
	}
	if strings.Join(turns, ",") != strings.Join([]string{want[1], want[2], want[1], want[2]}, ",") {
		t.Fatalf("turns %v", turns)
	}
	if _, err := sel.ByAlias(want[3]); err == nil || err.Error() != "No PrivateKey found for alias:'"+want[3]+"'" {
		t.Fatalf("alias outside the range: %v", err)
	}
	if all := s.Select(0, -1); all.Len() != 10 {
		t.Fatalf("all: %d", all.Len())
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte{0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 'a'})
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x03})
	f.Fuzz(func(t *testing.T, data []byte) {
		Load(data, "changeit", "")
	})
}
