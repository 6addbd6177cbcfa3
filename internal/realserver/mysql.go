package realserver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/skipped"
)

// MySQL is a running MariaDB (or MySQL) server: user User, no password,
// all privileges, on 127.0.0.1:Port.
type MySQL struct {
	Port   int
	User   string
	Socket string // the server's unix socket, where its root user logs in
	dir    string
	client string // the command-line client (mariadb or mysql)
	cmd    *exec.Cmd
	done   chan error
}

// JDBCURL is a MySQL JDBC URL for database db.
func (m *MySQL) JDBCURL(db string) string {
	return fmt.Sprintf("jdbc:mysql://127.0.0.1:%d/%s", m.Port, db)
}

// MySQLT starts a server for a test and stops it when the test ends. A
// missing installation skips the test (saying why), or fails it under
// GOMETER_REQUIRE_SERVERS=1.
func MySQLT(t testing.TB) *MySQL {
	t.Helper()
	m, err := StartMySQL()
	if errors.Is(err, ErrMissing) && !RequireServers() {
		skipped.Need(t, "MariaDB", fmt.Sprintf("not available (%v); install Debian's mariadb-server", err))
	}
	if err != nil {
		t.Fatalf("starting MariaDB: %v", err)
	}
	t.Cleanup(m.Stop)
	return m
}

// mysqlProgram finds the first of names on PATH or in /usr/sbin (where
// Debian puts the server, outside a normal user's PATH).
func mysqlProgram(names ...string) (string, error) {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
		if p := filepath.Join("/usr/sbin", n); fileExists(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: none of %s (Debian package mariadb-server)", ErrMissing, strings.Join(names, ", "))
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// StartMySQL initialises a data folder with mariadb-install-db in a new
// temporary folder and runs the server on a free loopback port, its socket
// in that folder; as root the server runs with --user=root (it refuses
// root otherwise). A user with every privilege and no password is created
// through the socket. Stop removes the folder.
func StartMySQL() (*MySQL, error) {
	server, err := mysqlProgram("mariadbd", "mysqld")
	if err != nil {
		return nil, err
	}
	install, err := mysqlProgram("mariadb-install-db", "mysql_install_db")
	if err != nil {
		return nil, err
	}
	client, err := mysqlProgram("mariadb", "mysql")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "gometer-mysql-")
	if err != nil {
		return nil, err
	}
	m := &MySQL{User: "gometer", dir: dir, client: client, Socket: filepath.Join(dir, "mysqld.sock")}
	ok := false
	defer func() {
		if !ok {
			m.Stop()
		}
	}()
	data := filepath.Join(dir, "data")
	var asUser []string
	if os.Geteuid() == 0 {
		asUser = []string{"--user=root"}
	}
	args := append([]string{"--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"}, asUser...)
	if out, err := exec.Command(install, args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", filepath.Base(install), err, out)
	}
	if m.Port, err = freePort(); err != nil {
		return nil, err
	}
	args = append([]string{"--no-defaults", "--datadir=" + data, "--port=" + strconv.Itoa(m.Port), "--bind-address=127.0.0.1",
		"--socket=" + m.Socket, "--pid-file=" + filepath.Join(dir, "mysqld.pid"), "--skip-name-resolve", "--skip-log-bin",
		"--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=0", "--max-connections=300"}, asUser...)
	m.cmd = exec.Command(server, args...)
	m.cmd.SysProcAttr = dieWithParent()
	if m.done, err = startLogged(m.cmd, filepath.Join(dir, "mysqld.log")); err != nil {
		m.cmd = nil
		return nil, err
	}
	if err := m.waitReady(60 * time.Second); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "mysqld.log"))
		return nil, fmt.Errorf("%s did not start: %v\n%s", filepath.Base(server), err, log)
	}
	if err := m.rootSQL("CREATE USER " + m.User + "@'%'; GRANT ALL ON *.* TO " + m.User + "@'%'"); err != nil {
		return nil, err
	}
	ok = true
	return m, nil
}

// rootSQL runs statements as the server's root user over the socket.
func (m *MySQL) rootSQL(sql string) error {
	c := exec.Command(m.client, "--no-defaults", "-S", m.Socket, "-u", "root", "-e", sql)
	if out, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v\n%s", sql, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// waitReady polls the client until the server answers over its socket.
func (m *MySQL) waitReady(limit time.Duration) error {
	return pollProcess(limit, 100*time.Millisecond, m.done, func(ctx context.Context) bool {
		return exec.CommandContext(ctx, m.client, "--no-defaults", "-S", m.Socket, "-u", "root", "-e", "SELECT 1").Run() == nil
	})
}

// CreateDB creates an empty database.
func (m *MySQL) CreateDB(name string) error {
	return m.rootSQL("CREATE DATABASE `" + name + "`")
}

// Stop shuts the server down and removes its folder.
func (m *MySQL) Stop() {
	stopProcess(m.cmd, m.done, syscall.SIGTERM)
	os.RemoveAll(m.dir)
}
