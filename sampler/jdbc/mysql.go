package jdbc

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/gometer/gometer/internal/javafmt"
)

// mysqlConn is one MySQL/MariaDB connection. Auto-commit and isolation are
// the server's session settings, as MySQL's JDBC driver sets them. With
// mariadb the texts and choices are MariaDB Connector/J's (driver class
// org.mariadb.jdbc.Driver), else MySQL Connector/J's.
type mysqlConn struct {
	db         *sql.DB
	c          *sql.Conn
	autocommit bool
	iso        int
	bad        bool
	mariadb    bool
	id         int64 // the server's connection id (MariaDB's messages carry it)
	maria      bool  // the server is MariaDB (it runs SET STATEMENT … FOR)
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
	// both JDBC drivers count the rows an UPDATE matched, not only those it changed
	cfg.ClientFoundRows = true
	return cfg.FormatDSN(), nil
}

func dialMySQL(ctx context.Context, dsn string, mariadb bool) (conn, error) {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, &sqlError{class: "java.sql.SQLException", state: "null", msg: err.Error()}
	}
	db.SetMaxOpenConns(1)
	c, err := db.Conn(ctx)
	m := &mysqlConn{db: db, c: c, autocommit: true, iso: isoRepeatableRead, mariadb: mariadb}
	if err != nil {
		db.Close()
		return nil, m.error(err)
	}
	var version string
	if err := c.QueryRowContext(ctx, "SELECT CONNECTION_ID(), VERSION()").Scan(&m.id, &version); err != nil {
		m.close()
		return nil, m.error(err)
	}
	m.maria = strings.Contains(strings.ToLower(version), "mariadb")
	return m, nil
}

// error words a server error as the connection's JDBC driver does: the
// SQLException subclass its SQL state selects and, for MariaDB's driver,
// the connection id before the server's message.
func (m *mysqlConn) error(err error) error {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		state := string(me.SQLState[:])
		if me.SQLState == [5]byte{} {
			state = "null"
		}
		msg := me.Message
		if m.mariadb {
			msg = fmt.Sprintf("(conn=%d) %s", m.id, msg)
		}
		return &sqlError{class: sqlExceptionClass(state), state: state, code: int(me.Number), msg: msg}
	}
	var se *sqlError
	if errors.As(err, &se) {
		return se
	}
	return &sqlError{class: "java.sql.SQLException", state: "08S01", msg: "Communications link failure: " + err.Error()}
}

// sqlExceptionClass is the java.sql exception both MySQL drivers raise for
// a server error's SQL state (JDBC 4's classes by state class).
func sqlExceptionClass(state string) string {
	if state == "70100" {
		return "java.sql.SQLTimeoutException"
	}
	switch {
	case strings.HasPrefix(state, "42"):
		return "java.sql.SQLSyntaxErrorException"
	case strings.HasPrefix(state, "23"):
		return "java.sql.SQLIntegrityConstraintViolationException"
	case strings.HasPrefix(state, "22"):
		return "java.sql.SQLDataException"
	case strings.HasPrefix(state, "08"):
		return "java.sql.SQLNonTransientConnectionException"
	case strings.HasPrefix(state, "28"):
		return "java.sql.SQLInvalidAuthorizationSpecException"
	case strings.HasPrefix(state, "40"):
		return "java.sql.SQLTransactionRollbackException"
	case strings.HasPrefix(state, "0A"):
		return "java.sql.SQLFeatureNotSupportedException"
	}
	return "java.sql.SQLException"
}

// MariaDB's driver answers executeQuery on a statement without rows with an
// empty result holding the generated key column, and executeUpdate on a
// select with -1; MySQL's refuses both (SQL state S1009).
func (m *mysqlConn) selectWithoutRows() (resultSet, error) {
	if m.mariadb {
		return resultSet{isQuery: true, cols: []string{"insert_id"}}, nil
	}
	return resultSet{}, &sqlError{class: "java.sql.SQLException", state: "S1009", msg: "Can not issue data manipulation statements with executeQuery()."}
}

func (m *mysqlConn) updateWithRows() (int64, error) {
	if m.mariadb {
		return -1, nil
	}
	return 0, &sqlError{class: "java.sql.SQLException", state: "S1009", msg: "Can not issue executeUpdate() or executeLargeUpdate() for SELECTs"}
}

// callEscape: "{call p(?)}" calls the procedure, "{? = call f(?)}" selects
// the function's value.
func (m *mysqlConn) callEscape(sql string) (string, bool) {
	fn, ret, ok := callTarget(sql)
	if !ok {
		return sql, false
	}
	if ret {
		return "SELECT " + fn, true
	}
	return "CALL " + fn, false
}

// serverTimeout: on a MariaDB server the statement runs under
// max_statement_time, as MariaDB's driver sends it; the server's error is
// the sample's.
func (m *mysqlConn) serverTimeout(q string, secs int) (string, bool) {
	if !m.maria {
		return "", false
	}
	return fmt.Sprintf("SET STATEMENT max_statement_time=%d FOR %s", secs, q), true
}

func (m *mysqlConn) run(ctx context.Context, q string, params []param, kind stmtKind, lim *limits) ([]resultSet, error) {
	var args []any
	for _, p := range params {
		args = append(args, mysqlArg(p))
	}
	rows, err := m.c.QueryContext(ctx, q, args...)
	if err != nil {
		m.noteBroken(err)
		return nil, m.error(err)
	}
	defer rows.Close()
	var sets []resultSet
	for {
		cols, err := rows.Columns()
		if err != nil {
			return nil, m.error(err)
		}
		rs := resultSet{isQuery: len(cols) > 0, cols: cols}
		types := make([]string, len(cols))
		if cts, err := rows.ColumnTypes(); err == nil {
			for i, ct := range cts {
				types[i] = ct.DatabaseTypeName()
			}
		}
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
				return nil, m.error(err)
			}
			row := make([]value, len(cols))
			for i, v := range raw {
				if v == nil {
					row[i] = value{null: true}
				} else {
					row[i] = value{s: mysqlValue(types[i], v)}
					lim.add(len(v))
				}
			}
			rs.rows = append(rs.rows, row)
		}
		if err := rows.Err(); err != nil {
			m.noteBroken(err)
			return nil, m.error(err)
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
	if kind == callableStatement && len(sets) > 0 && sets[len(sets)-1].isQuery {
		// a procedure's results end with the CALL's own status, which
		// JDBC reports as an update count
		sets = append(sets, resultSet{})
	}
	return sets, nil
}

// exec would run the statement twice; instead the count of a statement
// without rows is read with ROW_COUNT(), as the same session saw it.
func (m *mysqlConn) exec(ctx context.Context, _ string, _ []any) ([]resultSet, error) {
	var n int64
	if err := m.c.QueryRowContext(ctx, "SELECT ROW_COUNT()").Scan(&n); err != nil {
		return nil, m.error(err)
	}
	if n < 0 {
		n = 0
	}
	return []resultSet{{count: n}}, nil
}

// mysqlArg is a parameter as the driver's setter sends it: numbers and
// booleans typed (MySQL refuses 'true' for a BOOLEAN column), the rest as
// text.
func mysqlArg(p param) any {
	if !p.in || p.null {
		return nil
	}
	switch p.typ {
	case tInteger, tSmallint, tTinyint, tBigint:
		if n, err := strconv.ParseInt(p.text, 10, 64); err == nil {
			return n
		}
	case tBit, tBoolean:
		return p.text == "true"
	case tDouble, tFloat, tReal:
		if f, err := strconv.ParseFloat(p.text, 64); err == nil {
			return f
		}
	}
	if p.bytes {
		return []byte(p.text)
	}
	return p.text
}

func (m *mysqlConn) noteBroken(err error) {
	if errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		m.bad = true
	}
}

func (m *mysqlConn) simple(ctx context.Context, q string) error {
	_, err := m.c.ExecContext(ctx, q)
	if err != nil {
		m.noteBroken(err)
		return m.error(err)
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
	if m.autocommit && m.mariadb {
		return nil // MariaDB's driver ignores it
	}
	if m.autocommit {
		return &sqlError{class: "java.sql.SQLException", state: "08003", msg: "Can't call commit when autocommit=true"}
	}
	return m.simple(ctx, "COMMIT")
}

func (m *mysqlConn) rollback(ctx context.Context) error {
	if m.autocommit && m.mariadb {
		return nil
	}
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
	if m.c != nil {
		m.c.Close()
	}
	m.db.Close()
}

// mysqlValue turns a column's value as the server sent it into the text of
// the Java object both MySQL drivers return for its type (JMeter writes
// getObject(i).toString()): BigDecimal, Double, Float, java.sql.Timestamp
// and Time; other types read the same. The display width of a TINYINT is
// not known here, so BOOLEAN (TINYINT(1)) reads 1/0 where the drivers give
// true/false.
func mysqlValue(typ string, v []byte) string {
	switch typ {
	case "DECIMAL":
		return bigDecimal(string(v))
	case "DOUBLE":
		if f, err := strconv.ParseFloat(string(v), 64); err == nil {
			return javafmt.Double(f)
		}
	case "FLOAT":
		if f, err := strconv.ParseFloat(string(v), 32); err == nil {
			return javafmt.Float(float32(f))
		}
	case "DATETIME", "TIMESTAMP":
		return javaTimestamp(string(v), false)
	case "TIME":
		if i := strings.IndexByte(string(v), '.'); i >= 0 {
			return string(v[:i])
		}
	}
	return javaUTF8(v)
}
