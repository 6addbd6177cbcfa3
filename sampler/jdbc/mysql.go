package jdbc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// mysqlConn is one MySQL/MariaDB connection. Auto-commit and isolation are
// the server's session settings, as MySQL's JDBC driver sets them.
type mysqlConn struct {
	db         *sql.DB
	c          *sql.Conn
	autocommit bool
	iso        int
	bad        bool
}

// mysqlDSN turns jdbc:mysql://host:port/db?props (or jdbc:mariadb:) into
// go-sql-driver's DSN.
func mysqlDSN(jdbcURL, user, password string, props map[string]string) (string, error) {
	rest := strings.TrimPrefix(strings.TrimPrefix(jdbcURL, "jdbc:mysql:"), "jdbc:mariadb:")
	if !strings.HasPrefix(rest, "//") {
		return "", fmt.Errorf("not a MySQL JDBC URL: %q", jdbcURL)
	}
	rest = rest[2:]
	query := ""
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, query = rest[:i], rest[i+1:]
	}
	hp, db, _ := strings.Cut(rest, "/")
	if hp == "" {
		hp = "localhost"
	}
	if !strings.Contains(hp, ":") {
		hp += ":3306"
	}
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr, cfg.DBName = "tcp", hp, db
	params := map[string]string{}
	for _, kv := range strings.Split(query, "&") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			params[k] = v
		}
	}
	for k, v := range props {
		params[k] = v
	}
	cfg.User, cfg.Passwd = params["user"], params["password"]
	if user != "" {
		cfg.User, cfg.Passwd = user, password
	}
	cfg.AllowNativePasswords = true
	return cfg.FormatDSN(), nil
}

func dialMySQL(ctx context.Context, dsn string) (conn, error) {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, &sqlError{class: "java.sql.SQLException", state: "null", msg: err.Error()}
	}
	db.SetMaxOpenConns(1)
	c, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, mysqlError(err)
	}
	return &mysqlConn{db: db, c: c, autocommit: true, iso: isoRepeatableRead}, nil
}

// mysqlError words a server error as MySQL's JDBC driver does.
func mysqlError(err error) error {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		state := string(me.SQLState[:])
		if me.SQLState == [5]byte{} {
			state = "null"
		}
		return &sqlError{class: "java.sql.SQLException", state: state, code: int(me.Number), msg: me.Message}
	}
	var se *sqlError
	if errors.As(err, &se) {
		return se
	}
	return &sqlError{class: "java.sql.SQLException", state: "08S01", msg: "Communications link failure: " + err.Error()}
}

func (m *mysqlConn) run(ctx context.Context, q string, params []param, kind stmtKind, lim *limits) ([]resultSet, error) {
	var args []any
	for _, p := range params {
		switch {
		case !p.in || p.null:
			args = append(args, nil)
		case p.bytes:
			args = append(args, []byte(p.text))
		default:
			args = append(args, p.text)
		}
	}
	rows, err := m.c.QueryContext(ctx, q, args...)
	if err != nil {
		m.noteBroken(err)
		return nil, mysqlError(err)
	}
	defer rows.Close()
	var sets []resultSet
	for {
		cols, err := rows.Columns()
		if err != nil {
			return nil, mysqlError(err)
		}
		rs := resultSet{isQuery: len(cols) > 0, cols: cols}
		raw := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		for rows.Next() {
			if lim.full() {
				continue
			}
			if err := rows.Scan(ptrs...); err != nil {
				return nil, mysqlError(err)
			}
			row := make([]value, len(cols))
			for i, v := range raw {
				if v == nil {
					row[i] = value{null: true}
				} else {
					row[i] = value{s: javaUTF8(v)}
					lim.add(len(v))
				}
			}
			rs.rows = append(rs.rows, row)
		}
		if err := rows.Err(); err != nil {
			m.noteBroken(err)
			return nil, mysqlError(err)
		}
		if lim.exceeded() {
			return nil, lim.err()
		}
		if rs.isQuery {
			sets = append(sets, rs)
		} else {
			sets = append(sets, resultSet{})
		}
		if !rows.NextResultSet() {
			break
		}
	}
	if len(sets) == 1 && !sets[0].isQuery {
		// a statement without rows: its count comes from an Exec
		return m.exec(ctx, q, args)
	}
	return sets, nil
}

// exec would run the statement twice; instead the count of a statement
// without rows is read with ROW_COUNT(), as the same session saw it.
func (m *mysqlConn) exec(ctx context.Context, _ string, _ []any) ([]resultSet, error) {
	var n int64
	if err := m.c.QueryRowContext(ctx, "SELECT ROW_COUNT()").Scan(&n); err != nil {
		return nil, mysqlError(err)
	}
	if n < 0 {
		n = 0
	}
	return []resultSet{{count: n}}, nil
}

func (m *mysqlConn) noteBroken(err error) {
	if errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, sql.ErrConnDone) {
		m.bad = true
	}
}

func (m *mysqlConn) simple(ctx context.Context, q string) error {
	_, err := m.c.ExecContext(ctx, q)
	if err != nil {
		m.noteBroken(err)
		return mysqlError(err)
	}
	return nil
}

func (m *mysqlConn) autoCommit() bool { return m.autocommit }

func (m *mysqlConn) setAutoCommit(ctx context.Context, on bool) error {
	if m.autocommit == on {
		return nil
	}
	v := "0"
	if on {
		v = "1"
	}
	if err := m.simple(ctx, "SET autocommit="+v); err != nil {
		return err
	}
	m.autocommit = on
	return nil
}

func (m *mysqlConn) commit(ctx context.Context) error {
	if m.autocommit {
		return &sqlError{class: "java.sql.SQLException", state: "08003", msg: "Can't call commit when autocommit=true"}
	}
	return m.simple(ctx, "COMMIT")
}

func (m *mysqlConn) rollback(ctx context.Context) error {
	if m.autocommit {
		return &sqlError{class: "java.sql.SQLException", state: "08003", msg: "Can't call rollback when autocommit=true"}
	}
	return m.simple(ctx, "ROLLBACK")
}

func (m *mysqlConn) isolation() int { return m.iso }

func (m *mysqlConn) setIsolation(ctx context.Context, level int) error {
	name, ok := pgIsolationNames[level]
	if !ok {
		return &sqlError{class: "java.sql.SQLException", state: "S1000", msg: fmt.Sprintf("Unsupported transaction isolation level '%d'", level)}
	}
	if err := m.simple(ctx, "SET SESSION TRANSACTION ISOLATION LEVEL "+name); err != nil {
		return err
	}
	m.iso = level
	return nil
}

func (m *mysqlConn) broken() bool { return m.bad }

func (m *mysqlConn) close() {
	m.c.Close()
	m.db.Close()
}
