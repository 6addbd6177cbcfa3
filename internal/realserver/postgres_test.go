package realserver

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestPostgresServesQueries(t *testing.T) {
	p := PostgresT(t)
	if err := p.CreateDB("shop"); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(filepath.Join(PostgresBin, "psql"), "-h", "127.0.0.1", "-p", strconv.Itoa(p.Port), "-U", p.User,
		"-d", "shop", "-Atc", "select current_setting('shared_preload_libraries')").CombinedOutput()
	if err != nil {
		t.Fatalf("psql: %v %s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "pg_stat_statements" {
		t.Errorf("shared_preload_libraries = %q", got)
	}
}
