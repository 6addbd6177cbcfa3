package functions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadPropertiesFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "user.properties")
	content := "# comment\n" +
		"! also a comment\n" +
		"\n" +
		"threads=10\n" +
		"host: example.com\n" +
		"name value with spaces\n" +
		"  indented = yes  \n" +
		"empty=\n" +
		"novalue\n" +
		"multi=first,\\\n" +
		"      second,\\\n" +
		"   third\n" +
		"path=C:\\\\temp\\\\x\n" +
		"tab=a\\tb\n" +
		"unicode=caf\\u00e9 \\uD83D\\uDE00\n" +
		"key\\=with\\:seps=v\n" +
		"key\\ space=v2\n" +
		"even=ends with backslash\\\\\n" +
		"next=line\r\n" +
		"crlf=yes\r\n" +
		"utf8=héllo\n" +
		"threads=20\n" + // later wins
		"last=no newline"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	p := NewProperties()
	p.Set("keep", "me")
	if err := LoadPropertiesFile(path, p); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"keep":          "me",
		"threads":       "20",
		"host":          "example.com",
		"name":          "value with spaces",
		"indented":      "yes  ",
		"empty":         "",
		"novalue":       "",
		"multi":         "first,second,third",
		"path":          `C:\temp\x`,
		"tab":           "a\tb",
		"unicode":       "café 😀",
		"key=with:seps": "v",
		"key space":     "v2",
		"even":          `ends with backslash\`,
		"next":          "line",
		"crlf":          "yes",
		"utf8":          "héllo",
		"last":          "no newline",
	}
	for k, v := range want {
		if got, ok := p.Get(k); !ok || got != v {
			t.Errorf("%q = %q (set %v), want %q", k, got, ok, v)
		}
	}
	if n := len(p.Names()); n != len(want) {
		t.Errorf("got %d properties %v, want %d", n, p.Names(), len(want))
	}
}

func TestLoadPropertiesLatin1AndErrors(t *testing.T) {
	dir := t.TempDir()
	latin := filepath.Join(dir, "latin.properties")
	if err := os.WriteFile(latin, []byte("city=K\xf6ln\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := NewProperties()
	if err := LoadPropertiesFile(latin, p); err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Get("city"); v != "Köln" {
		t.Errorf("latin-1 value = %q", v)
	}

	bad := filepath.Join(dir, "bad.properties")
	if err := os.WriteFile(bad, []byte("a=1\nb=\\u12G4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := LoadPropertiesFile(bad, NewProperties())
	if err == nil || !strings.Contains(err.Error(), "bad.properties") || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("malformed escape: err = %v, want file and line", err)
	}
	if err := LoadPropertiesFile(filepath.Join(dir, "missing.properties"), NewProperties()); err == nil {
		t.Error("missing file: no error")
	}
}
