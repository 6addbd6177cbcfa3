package keystore

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gometer/gometer/internal/skipped"
)

func TestMain(m *testing.M) {
	code := skipped.Main(m, "keystore")
	if fixture.jks != "" {
		os.RemoveAll(filepath.Dir(fixture.jks))
	}
	os.Exit(code)
}
