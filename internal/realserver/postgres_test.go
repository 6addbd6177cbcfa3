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

func TestMySQLServesQueries(t *testing.T) {
	m := MySQLT(t)
	if err := m.CreateDB("shop"); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(m.client, "--no-defaults", "-h", "127.0.0.1", "-P", strconv.Itoa(m.Port), "-u", m.User,
		"-D", "shop", "-N", "-e", "select current_user(), database()").CombinedOutput()
	if err != nil {
		t.Fatalf("client over TCP: %v %s", err, out)
	}
	if got := strings.Join(strings.Fields(string(out)), " "); got != "gometer@% shop" {
		t.Errorf("user and database: %q", got)
	}
}
