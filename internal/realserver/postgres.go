package realserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/skipped"
)

// PostgresBin is where Debian installs PostgreSQL 15's programs.
const PostgresBin = "/usr/lib/postgresql/15/bin"

// ErrMissing marks a server whose programs are not installed.
var ErrMissing = errors.New("server not installed")

// Postgres is a running PostgreSQL server: trust authentication for user
// User on 127.0.0.1:Port, pg_stat_statements preloaded.
type Postgres struct {
	Port int
	User string // superuser, no password needed
	dir  string
	cmd  *exec.Cmd
	done chan error
}

// URL is a postgres:// connection URL for database db.
func (p *Postgres) URL(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", p.User, p.Port, db)
}

// JDBCURL is the same database as a JDBC URL (PostgreSQL's JDBC driver).
func (p *Postgres) JDBCURL(db string) string {
	return fmt.Sprintf("jdbc:postgresql://127.0.0.1:%d/%s", p.Port, db)
}

// RequireServers reports whether a missing server must fail the test
// (GOMETER_REQUIRE_SERVERS=1, as CI sets it) instead of skipping it.
func RequireServers() bool { return os.Getenv("GOMETER_REQUIRE_SERVERS") == "1" }

// PostgresT starts a server for a test and stops it when the test ends. A
// missing installation skips the test (saying why), or fails it under
// GOMETER_REQUIRE_SERVERS=1.
func PostgresT(t testing.TB) *Postgres {
	t.Helper()
	p, err := StartPostgres()
	if errors.Is(err, ErrMissing) && !RequireServers() {
		skipped.Need(t, "PostgreSQL", fmt.Sprintf("not available (%v); install Debian's postgresql", err))
	}
	if err != nil {
		t.Fatalf("starting PostgreSQL: %v", err)
	}
	t.Cleanup(func() { p.Stop() })
	return p
}

// StartPostgres runs initdb and postgres in a new temporary folder. As root
// (CI) both run as the postgres user, which owns the folder: PostgreSQL
// refuses to run as root. Stop removes the folder.
func StartPostgres() (*Postgres, error) {
	for _, prog := range []string{"initdb", "postgres"} {
		if _, err := os.Stat(filepath.Join(PostgresBin, prog)); err != nil {
			return nil, fmt.Errorf("%w: %s", ErrMissing, filepath.Join(PostgresBin, prog))
		}
	}
	dir, err := os.MkdirTemp("", "gometer-pg-")
	if err != nil {
		return nil, err
	}
	p := &Postgres{User: "gometer", dir: dir}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(dir)
		}
	}()
	var attr *syscall.SysProcAttr
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("%w: no postgres user to run PostgreSQL as (it refuses root)", ErrMissing)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
		// as runuser -u postgres does, without a wrapper process between
		// Stop's signal and the server
		attr = asUser(uid, gid)
	}
	command := func(prog string, args ...string) *exec.Cmd {
		c := exec.Command(filepath.Join(PostgresBin, prog), args...)
		c.Dir = dir
		c.SysProcAttr = attr
		return c
	}
	data := filepath.Join(dir, "data")
	if out, err := command("initdb", "-D", data, "-U", p.User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	if p.Port, err = freePort(); err != nil {
		return nil, err
	}
	p.cmd = command("postgres", "-D", data, "-p", strconv.Itoa(p.Port), "-h", "127.0.0.1", "-k", dir,
		"-c", "shared_preload_libraries=pg_stat_statements", "-c", "fsync=off", "-c", "max_connections=200",
		"-c", "logging_collector=off")
	if p.done, err = startLogged(p.cmd, filepath.Join(dir, "postgres.log")); err != nil {
		return nil, err
	}
	if err := p.waitReady(30 * time.Second); err != nil {
		p.Stop()
		log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
		return nil, fmt.Errorf("postgres did not start: %v\n%s", err, log)
	}
	ok = true
	return p, nil
}

// waitReady polls pg_isready until the server accepts connections.
func (p *Postgres) waitReady(limit time.Duration) error {
	return pollProcess(limit, 50*time.Millisecond, p.done, func(ctx context.Context) bool {
		return exec.CommandContext(ctx, filepath.Join(PostgresBin, "pg_isready"), "-h", "127.0.0.1", "-p", strconv.Itoa(p.Port), "-U", p.User, "-t", "1").Run() == nil
	})
}

// CreateDB creates an empty database.
func (p *Postgres) CreateDB(name string) error {
	c := exec.Command(filepath.Join(PostgresBin, "createdb"), "-h", "127.0.0.1", "-p", strconv.Itoa(p.Port), "-U", p.User, name)
	if out, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("createdb %s: %v\n%s", name, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Stop shuts the server down (fast mode) and removes its folder.
func (p *Postgres) Stop() {
	stopProcess(p.cmd, p.done, os.Interrupt) // SIGINT: fast shutdown
	os.RemoveAll(p.dir)
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
