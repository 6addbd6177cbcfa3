package jdbc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// pgConn is one PostgreSQL connection, driven the way the PostgreSQL JDBC
// driver drives it: auto-commit on the client side (BEGIN sent before the
// first statement of a transaction when it is off), results read as text.
type pgConn struct {
	c          *pgconn.PgConn
	autocommit bool
	iso        int
}

// PostgreSQL type OIDs of parameters (the JDBC driver's binding per setter).
var pgParamOID = map[int]uint32{
	tInteger: 23, tSmallint: 21, tTinyint: 21, tBigint: 20, tDecimal: 1700, tNumeric: 1700,
	tDouble: 701, tFloat: 701, tReal: 700, tChar: 1043, tVarchar: 1043, tLongvarchar: 1043,
	tBit: 16, tBoolean: 16, tBinary: 17, tVarbinary: 17, tLongvarbin: 17,
}

// dialPG opens a connection. The session is set up as the JDBC driver sets
// it: ISO dates, full float precision, the generator's time zone.
func dialPG(ctx context.Context, cfg *pgconn.Config) (conn, error) {
	c, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, pgConnectError(cfg, err)
	}
	return &pgConn{c: c, autocommit: true, iso: isoReadCommitted}, nil
}

// pgConfig turns a JDBC URL (jdbc:postgresql://host:port/db?props) and the
// pool's user, password and connection properties into a connection
// configuration.
func pgConfig(jdbcURL, user, password string, props map[string]string) (*pgconn.Config, error) {
	rest, ok := strings.CutPrefix(jdbcURL, "jdbc:postgresql:")
	if !ok {
		return nil, fmt.Errorf("not a PostgreSQL JDBC URL: %q", jdbcURL)
	}
	hosts, db, query := "localhost:5432", rest, ""
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, query = rest[:i], rest[i+1:]
		db = rest
	}
	if strings.HasPrefix(rest, "//") {
		hp, d, _ := strings.Cut(rest[2:], "/")
		if hp != "" {
			hosts = hp
		}
		db = d
	}
	params := map[string]string{}
	for _, kv := range strings.Split(query, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		params[k] = v
	}
	for k, v := range props {
		params[k] = v
	}
	if user != "" {
		params["user"], params["password"] = user, password
	}
	var b strings.Builder
	b.WriteString("postgres://")
	if u := params["user"]; u != "" {
		b.WriteString(urlEscape(u))
		if p := params["password"]; p != "" {
			b.WriteString(":" + urlEscape(p))
		}
		b.WriteString("@")
	}
	b.WriteString(hosts)
	b.WriteString("/" + db)
	sslmode := "disable" // the JDBC driver's default is to not use TLS unless asked
	if strings.EqualFold(params["ssl"], "true") {
		sslmode = "require"
	}
	if m := params["sslmode"]; m != "" {
		sslmode = m
	}
	b.WriteString("?sslmode=" + urlEscape(sslmode))
	cfg, err := pgconn.ParseConfig(b.String())
	if err != nil {
		return nil, err
	}
	cfg.RuntimeParams["DateStyle"] = "ISO"
	cfg.RuntimeParams["extra_float_digits"] = "3"
	cfg.RuntimeParams["TimeZone"] = localZone()
	if v := params["ApplicationName"]; v != "" {
		cfg.RuntimeParams["application_name"] = v
	} else {
		cfg.RuntimeParams["application_name"] = "PostgreSQL JDBC Driver"
	}
	if v := params["currentSchema"]; v != "" {
		cfg.RuntimeParams["search_path"] = v
	}
	if v := params["options"]; v != "" {
		cfg.RuntimeParams["options"] = v
	}
	cfg.ConnectTimeout = 10 * time.Second // the driver's connectTimeout default
	if v, err := strconv.Atoi(params["connectTimeout"]); err == nil && v > 0 {
		cfg.ConnectTimeout = time.Duration(v) * time.Second
	}
	cfg.Fallbacks = nil
	// A query timeout cancels the statement on the server (as the driver's
	// Statement.setQueryTimeout does) and keeps the connection.
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, CancelRequestDelay: 0, DeadlineDelay: 5 * time.Second}
	}
	return cfg, nil
}

func urlEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// localZone names the generator's time zone, which the JDBC driver sends as
// the session's TimeZone.
func localZone() string {
	if tz := os.Getenv("TZ"); tz != "" {
		return strings.TrimPrefix(tz, ":")
	}
	if l, err := os.Readlink("/etc/localtime"); err == nil {
		if i := strings.Index(l, "zoneinfo/"); i >= 0 {
			return l[i+len("zoneinfo/"):]
		}
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil && len(strings.TrimSpace(string(b))) > 0 {
		return strings.TrimSpace(string(b))
	}
	return "UTC"
}

// pgConnectError words a failed connection as the JDBC driver does.
func pgConnectError(cfg *pgconn.Config, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pgError(pe)
	}
	var ne *net.OpError
	if errors.As(err, &ne) && strings.Contains(err.Error(), "refused") {
		return &sqlError{class: "org.postgresql.util.PSQLException", state: "08001",
			msg: fmt.Sprintf("Connection to %s refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.",
				net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))))}
	}
	return &sqlError{class: "org.postgresql.util.PSQLException", state: "08001", msg: "The connection attempt failed. (" + err.Error() + ")"}
}

// pgError is a server error as the JDBC driver's PSQLException words it.
func pgError(pe *pgconn.PgError) *sqlError {
	var b strings.Builder
	b.WriteString(pe.Severity + ": " + pe.Message)
	if pe.Detail != "" {
		b.WriteString("\n  Detail: " + pe.Detail)
	}
	if pe.Hint != "" {
		b.WriteString("\n  Hint: " + pe.Hint)
	}
	if pe.Position != 0 {
		b.WriteString("\n  Position: " + strconv.Itoa(int(pe.Position)))
	}
	if pe.Where != "" {
		b.WriteString("\n  Where: " + pe.Where)
	}
	return &sqlError{class: "org.postgresql.util.PSQLException", state: pe.Code, msg: b.String()}
}

// asSQLError words any error of a statement; a context ended by the query
// timeout is the server's cancellation, as the driver reports it.
func (p *pgConn) asSQLError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pgError(pe)
	}
	var se *sqlError
	if errors.As(err, &se) {
		return se
	}
	if p.c.IsClosed() {
		return &sqlError{class: "org.postgresql.util.PSQLException", state: "08006", msg: "An I/O error occurred while sending to the backend."}
	}
	return &sqlError{class: "org.postgresql.util.PSQLException", state: "null", msg: err.Error()}
}

// PostgreSQL's driver refuses the statements whose results do not fit the
// call, runs a function call as a select and cancels a timed-out query from
// the client.
func (p *pgConn) selectWithoutRows() (resultSet, error) {
	return resultSet{}, psql("02000", "No results were returned by the query.")
}

func (p *pgConn) updateWithRows() (int64, error) {
	return 0, psql("0100E", "A result was returned when none was expected.")
}

func (p *pgConn) callEscape(sql string) (string, bool) { return callEscape(sql) }

func (p *pgConn) serverTimeout(string, int) (string, bool) { return "", false }

func psql(state, msg string) *sqlError {
	return &sqlError{class: "org.postgresql.util.PSQLException", state: state, msg: msg}
}

// beginIfNeeded opens the transaction auto-commit off implies.
func (p *pgConn) beginIfNeeded(ctx context.Context) error {
	if p.autocommit || p.c.TxStatus() != 'I' {
		return nil
	}
	_, err := p.c.Exec(ctx, "BEGIN").ReadAll()
	return err
}

func (p *pgConn) run(ctx context.Context, q string, params []param, kind stmtKind, lim *limits) ([]resultSet, error) {
	if err := p.beginIfNeeded(ctx); err != nil {
		return nil, p.asSQLError(err)
	}
	var sets []resultSet
	var err error
	if kind == plainStatement {
		sets, err = p.simple(ctx, q, lim)
	} else {
		sets, err = p.extended(ctx, q, params, lim)
	}
	if err != nil {
		return nil, p.asSQLError(err)
	}
	return sets, nil
}

// simple runs a Statement's text, which may hold several statements.
func (p *pgConn) simple(ctx context.Context, q string, lim *limits) ([]resultSet, error) {
	mrr := p.c.Exec(ctx, q)
	var sets []resultSet
	var first error
	for mrr.NextResult() {
		rs, err := readResult(mrr.ResultReader(), lim)
		if err != nil && first == nil {
			first = err
		}
		if err == nil {
			sets = append(sets, rs)
		}
	}
	if err := mrr.Close(); err != nil && first == nil {
		first = err
	}
	return sets, first
}

// extended runs a prepared statement with its parameters in text form.
func (p *pgConn) extended(ctx context.Context, q string, params []param, lim *limits) ([]resultSet, error) {
	text, n := numberPlaceholders(q)
	var values [][]byte
	var oids []uint32
	var formats []int16
	for i, pr := range params {
		if i >= n {
			break
		}
		if !pr.in { // OUT only: the driver binds a typed NULL
			values = append(values, nil)
			oids = append(oids, 0)
			formats = append(formats, 0)
			continue
		}
		var v []byte
		if !pr.null {
			v = []byte(pr.text)
		}
		oid := pgParamOID[pr.typ]
		f := int16(0)
		if pr.bytes {
			f = 1 // raw bytes, binary format
		}
		values, oids, formats = append(values, v), append(oids, oid), append(formats, f)
	}
	if len(params) < n {
		return nil, psql("22023", fmt.Sprintf("No value specified for parameter %d.", len(params)+1))
	}
	if len(params) > n {
		return nil, psql("22023", fmt.Sprintf("The column index is out of range: %d, number of columns: %d.", n+1, n))
	}
	rr := p.c.ExecParams(ctx, text, values, oids, formats, nil)
	rs, err := readResult(rr, lim)
	if err != nil {
		return nil, err
	}
	return []resultSet{rs}, nil
}

// readResult reads one statement's result: its rows when it describes
// columns, else its update count.
func readResult(rr *pgconn.ResultReader, lim *limits) (resultSet, error) {
	fds := rr.FieldDescriptions()
	rs := resultSet{}
	if len(fds) > 0 {
		rs.isQuery = true
		rs.cols = make([]string, len(fds))
		oids := make([]uint32, len(fds))
		for i, fd := range fds {
			rs.cols[i], oids[i] = fd.Name, fd.DataTypeOID
		}
		for rr.NextRow() {
			if lim.full() {
				continue // read on to the end of the result, keep nothing more
			}
			vals := rr.Values()
			row := make([]value, len(vals))
			for i, v := range vals {
				if v == nil || oids[i] == oidVoid { // the driver reads a void result as null
					row[i] = value{null: true}
					continue
				}
				row[i] = value{s: pgValue(oids[i], v)}
				lim.add(len(v))
			}
			rs.rows = append(rs.rows, row)
		}
	}
	tag, err := rr.Close()
	if err != nil {
		return rs, err
	}
	if lim.exceeded() {
		return rs, lim.err()
	}
	rs.count = tag.RowsAffected()
	return rs, nil
}

func (p *pgConn) autoCommit() bool { return p.autocommit }

// setAutoCommit switches auto-commit; switching it on commits an open
// transaction, as the JDBC specification says.
func (p *pgConn) setAutoCommit(ctx context.Context, on bool) error {
	if p.autocommit == on {
		return nil
	}
	if on && p.c.TxStatus() != 'I' {
		if _, err := p.c.Exec(ctx, "COMMIT").ReadAll(); err != nil {
			return p.asSQLError(err)
		}
	}
	p.autocommit = on
	return nil
}

func (p *pgConn) commit(ctx context.Context) error {
	if p.autocommit {
		return psql("25P01", "Cannot commit when autoCommit is enabled.")
	}
	if p.c.TxStatus() == 'I' {
		return nil
	}
	_, err := p.c.Exec(ctx, "COMMIT").ReadAll()
	if err != nil {
		return p.asSQLError(err)
	}
	return nil
}

func (p *pgConn) rollback(ctx context.Context) error {
	if p.autocommit {
		return psql("25P01", "Cannot rollback when autoCommit is enabled.")
	}
	if p.c.TxStatus() == 'I' {
		return nil
	}
	_, err := p.c.Exec(ctx, "ROLLBACK").ReadAll()
	if err != nil {
		return p.asSQLError(err)
	}
	return nil
}

func (p *pgConn) isolation() int { return p.iso }

var pgIsolationNames = map[int]string{
	isoReadUncommitted: "READ UNCOMMITTED", isoReadCommitted: "READ COMMITTED",
	isoRepeatableRead: "REPEATABLE READ", isoSerializable: "SERIALIZABLE",
}

func (p *pgConn) setIsolation(ctx context.Context, level int) error {
	name, ok := pgIsolationNames[level]
	if !ok {
		return psql("0A000", fmt.Sprintf("Transaction isolation level %d not supported.", level))
	}
	if p.c.TxStatus() != 'I' {
		return psql("25000", "Cannot change transaction isolation level in the middle of a transaction.")
	}
	if _, err := p.c.Exec(ctx, "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL "+name).ReadAll(); err != nil {
		return p.asSQLError(err)
	}
	p.iso = level
	return nil
}

func (p *pgConn) broken() bool { return p.c.IsClosed() }

func (p *pgConn) close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = p.c.Close(ctx)
}
