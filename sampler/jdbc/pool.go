package jdbc

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// java.sql.Connection isolation levels.
const (
	isoNone            = 0
	isoReadUncommitted = 1
	isoReadCommitted   = 2
	isoRepeatableRead  = 4
	isoSerializable    = 8
)

// stmtKind says how a statement's text is sent.
type stmtKind uint8

const (
	plainStatement    stmtKind = iota // java.sql.Statement: text as written, possibly several statements
	preparedStatement                 // PreparedStatement: '?' markers, parameters
	callableStatement                 // CallableStatement
)

// value is one column of a row as text; null is SQL NULL.
type value struct {
	s    string
	null bool
}

// resultSet is one result of a statement: rows (isQuery) or an update count.
type resultSet struct {
	isQuery bool
	cols    []string
	rows    [][]value
	count   int64
}

// conn is one database connection as JMeter's sampler uses it through JDBC.
type conn interface {
	run(ctx context.Context, q string, params []param, kind stmtKind, lim *limits) ([]resultSet, error)
	autoCommit() bool
	setAutoCommit(ctx context.Context, on bool) error
	commit(ctx context.Context) error
	rollback(ctx context.Context) error
	isolation() int
	setIsolation(ctx context.Context, level int) error
	broken() bool
	close()
	dialect
}

// dialect is what each JDBC driver decides for itself where JDBC leaves
// it open; JMeter's texts follow the driver's.
type dialect interface {
	// selectWithoutRows answers executeQuery on a statement that returned
	// no rows: an empty result or an error.
	selectWithoutRows() (resultSet, error)
	// updateWithRows answers executeUpdate on a statement that returned
	// rows: an update count or an error.
	updateWithRows() (int64, error)
	// callEscape rewrites JDBC's call escape ("{call f(?)}", "{? = call
	// f(?)}") into the statement the driver sends; ret reports the "? ="
	// form, whose marker receives the result and is not sent.
	callEscape(sql string) (q string, ret bool)
	// serverTimeout rewrites q so that the server ends it after secs
	// seconds, as the driver enforces a query timeout; ok is false when
	// the driver cancels from the client instead.
	serverTimeout(q string, secs int) (string, bool)
}

// limits bounds the rows one sample keeps in memory: a query that returns
// more fails its sample instead of exhausting the generator.
type limits struct {
	max, used int
	over      bool
}

func (l *limits) full() bool {
	if l.used >= l.max {
		l.over = true
	}
	return l.over
}
func (l *limits) add(n int)      { l.used += n + 16 }
func (l *limits) exceeded() bool { return l.over }
func (l *limits) err() error {
	return &sqlError{class: "java.sql.SQLException", state: "null",
		msg: fmt.Sprintf("result larger than %d MB; gometer keeps at most that much of one sample's rows (jdbcsampler.max_result_mb)", l.max>>20)}
}

// Config is a JDBC Connection Configuration (JMeter's DataSourceElement),
// its properties evaluated once when the test starts, as JMeter does.
type Config struct {
	Name          string // the variable name samplers refer to
	Driver, URL   string
	User          string
	password      string
	PoolMax       int // 0: one connection per user
	Timeout       time.Duration
	TrimInterval  time.Duration
	ConnectionAge time.Duration
	AutoCommit    bool
	Isolation     int // -1: the driver's default
	KeepAlive     bool
	CheckQuery    string
	InitSQL       []string
	Preinit       bool
	props         map[string]string
	dial          func(ctx context.Context) (conn, error)
}

// ErrUnsupportedDriver marks a driver class or URL gometer has no Go driver for.
type ErrUnsupportedDriver struct{ Driver, URL string }

// Error names the driver and the URL's scheme only: URLs often carry
// passwords.
func (e *ErrUnsupportedDriver) Error() string {
	scheme := e.URL
	if i := strings.IndexByte(strings.TrimPrefix(scheme, "jdbc:"), ':'); i >= 0 && strings.HasPrefix(scheme, "jdbc:") {
		scheme = scheme[:len("jdbc:")+i+1]
	} else if len(scheme) > 16 {
		scheme = scheme[:16] + "…"
	}
	return fmt.Sprintf("JDBC driver %q (URL %s…) is not supported: gometer runs PostgreSQL (org.postgresql.Driver, jdbc:postgresql:) and MySQL/MariaDB (com.mysql.cj.jdbc.Driver, com.mysql.jdbc.Driver, org.mariadb.jdbc.Driver; jdbc:mysql:, jdbc:mariadb:)", e.Driver, scheme)
}

// NewConfig reads a JDBCDataSource element, evaluating its properties with c.
func NewConfig(el *jmx.Element, c *functions.Context) (*Config, error) {
	get := func(name, def string) (string, error) {
		src := el.StrOr(name, def)
		t, err := functions.Compile(src)
		if err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		return t.Eval(c), nil
	}
	vals := map[string]string{}
	for _, p := range []struct{ name, def string }{
		{"dataSource", ""}, {"driver", ""}, {"dbUrl", ""}, {"username", ""}, {"password", ""},
		{"poolMax", "0"}, {"timeout", "10000"}, {"trimInterval", "60000"}, {"connectionAge", "5000"},
		{"checkQuery", ""}, {"initQuery", ""}, {"connectionProperties", ""}, {"transactionIsolation", "DEFAULT"},
		{"autocommit", "true"}, {"keepAlive", "true"}, {"preinit", "false"},
	} {
		v, err := get(p.name, p.def)
		if err != nil {
			return nil, err
		}
		vals[p.name] = v
	}
	cfg := &Config{
		Name: vals["dataSource"], Driver: strings.TrimSpace(vals["driver"]), URL: strings.TrimSpace(vals["dbUrl"]),
		User: vals["username"], password: vals["password"], CheckQuery: vals["checkQuery"],
		AutoCommit: strings.EqualFold(vals["autocommit"], "true"), KeepAlive: strings.EqualFold(vals["keepAlive"], "true"),
		Preinit: strings.EqualFold(vals["preinit"], "true"), Isolation: -1,
	}
	if strings.TrimSpace(cfg.Name) == "" {
		return nil, fmt.Errorf("Name for DataSoure must not be empty in %s", el.Name)
	}
	var err error
	if cfg.PoolMax, err = strconv.Atoi(vals["poolMax"]); err != nil || cfg.PoolMax < 0 {
		return nil, fmt.Errorf("poolMax: %q is not a connection count", vals["poolMax"])
	}
	ms := func(name string) (time.Duration, error) {
		n, err := strconv.ParseInt(strings.TrimSpace(vals[name]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %q is not a number of milliseconds", name, vals[name])
		}
		return time.Duration(n) * time.Millisecond, nil
	}
	if cfg.Timeout, err = ms("timeout"); err != nil {
		return nil, err
	}
	if cfg.KeepAlive {
		if cfg.TrimInterval, err = ms("trimInterval"); err != nil {
			return nil, err
		}
		if cfg.ConnectionAge, err = ms("connectionAge"); err != nil {
			return nil, err
		}
	}
	switch iso := strings.TrimSpace(vals["transactionIsolation"]); iso {
	case "", "DEFAULT":
	case "TRANSACTION_NONE":
		cfg.Isolation = isoNone
	case "TRANSACTION_READ_UNCOMMITTED":
		cfg.Isolation = isoReadUncommitted
	case "TRANSACTION_READ_COMMITTED":
		cfg.Isolation = isoReadCommitted
	case "TRANSACTION_REPEATABLE_READ":
		cfg.Isolation = isoRepeatableRead
	case "TRANSACTION_SERIALIZABLE":
		cfg.Isolation = isoSerializable
	default:
		if n, err := strconv.Atoi(iso); err == nil {
			cfg.Isolation = n
		} // else JMeter warns and keeps the driver's default
	}
	if q := vals["initQuery"]; q != "" {
		cfg.InitSQL = strings.Split(q, "\n")
	}
	cfg.props = map[string]string{}
	for _, kv := range strings.Split(vals["connectionProperties"], ";") {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.TrimSpace(k) != "" {
			cfg.props[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	if err := cfg.chooseDriver(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// chooseDriver maps the JDBC driver class and URL to a Go driver.
func (cfg *Config) chooseDriver() error {
	switch {
	case strings.HasPrefix(cfg.URL, "jdbc:postgresql:") && (cfg.Driver == "" || cfg.Driver == "org.postgresql.Driver"):
		pc, err := pgConfig(cfg.URL, cfg.User, cfg.password, cfg.props)
		if err != nil {
			return err
		}
		cfg.dial = func(ctx context.Context) (conn, error) { return dialPG(ctx, pc.Copy()) }
		return nil
	case (strings.HasPrefix(cfg.URL, "jdbc:mysql:") || strings.HasPrefix(cfg.URL, "jdbc:mariadb:")) &&
		(cfg.Driver == "" || cfg.Driver == "com.mysql.cj.jdbc.Driver" || cfg.Driver == "com.mysql.jdbc.Driver" || cfg.Driver == "org.mariadb.jdbc.Driver"):
		dsn, err := mysqlDSN(cfg.URL, cfg.User, cfg.password, cfg.props)
		if err != nil {
			return err
		}
		mariadb := cfg.Driver == "org.mariadb.jdbc.Driver"
		cfg.dial = func(ctx context.Context) (conn, error) { return dialMySQL(ctx, dsn, mariadb) }
		return nil
	}
	return &ErrUnsupportedDriver{Driver: cfg.Driver, URL: cfg.URL}
}

// info is JMeter's connection description, the sample's response headers.
func (cfg *Config) info() string {
	return fmt.Sprintf("shared:%v, driver:%s, url:%s, user:%s", cfg.PoolMax != 0, cfg.Driver, cfg.URL, cfg.User)
}

// pconn is a pooled connection with the time it was last returned.
type pconn struct {
	conn
	idleSince time.Time
}

// pool hands out connections as Commons DBCP does for JMeter: at most max
// open, the most recently returned first, waiting up to the timeout, each
// borrowed connection set back to the configured auto-commit and isolation.
type pool struct {
	cfg    *Config
	tokens chan struct{} // one per connection that may be open
	mu     sync.Mutex
	idle   []*pconn
	closed bool
}

func newPool(cfg *Config, max int) *pool {
	p := &pool{cfg: cfg, tokens: make(chan struct{}, max)}
	for i := 0; i < max; i++ {
		p.tokens <- struct{}{}
	}
	return p
}

// get borrows a connection.
func (p *pool) get(ctx context.Context) (*pconn, error) {
	wait := p.cfg.Timeout
	select {
	case <-p.tokens:
	default:
		var timeout <-chan time.Time
		if wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-p.tokens:
		case <-timeout:
			return nil, &sqlError{class: "java.sql.SQLException", state: "null",
				msg: "Cannot get a connection, pool error Timeout waiting for idle object"}
		case <-ctx.Done():
			return nil, &sqlError{class: "java.sql.SQLException", state: "null", msg: "Cannot get a connection: the test is stopping"}
		}
	}
	c, err := p.take(ctx)
	if err != nil {
		p.tokens <- struct{}{}
		return nil, err
	}
	return c, nil
}

// take reuses the most recent idle connection that is still good, or opens one.
func (p *pool) take(ctx context.Context) (*pconn, error) {
	for {
		p.mu.Lock()
		var c *pconn
		if n := len(p.idle); n > 0 {
			c = p.idle[n-1]
			p.idle = p.idle[:n-1]
		}
		p.mu.Unlock()
		if c == nil {
			break
		}
		if c.broken() || !p.keep(ctx, c) {
			c.close()
			continue
		}
		if err := p.activate(ctx, c); err != nil {
			c.close()
			continue
		}
		return c, nil
	}
	cn, err := p.cfg.dial(ctx)
	if err != nil {
		return nil, &sqlError{class: "java.sql.SQLException", state: "null", msg: "Cannot create PoolableConnectionFactory (" + msgOf(err) + ")"}
	}
	c := &pconn{conn: cn}
	for _, q := range p.cfg.InitSQL {
		if strings.TrimSpace(q) == "" {
			continue
		}
		if _, err := c.run(ctx, q, nil, plainStatement, &limits{max: 1 << 20}); err != nil {
			c.close()
			return nil, &sqlError{class: "java.sql.SQLException", state: "null", msg: "Cannot create PoolableConnectionFactory (" + msgOf(err) + ")"}
		}
	}
	if err := p.activate(ctx, c); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// keep applies the keep-alive settings to an idle connection: one idle
// longer than the connection age is retired, one idle longer than the trim
// interval must pass the validation query.
func (p *pool) keep(ctx context.Context, c *pconn) bool {
	if !p.cfg.KeepAlive {
		return true
	}
	idle := time.Since(c.idleSince)
	if p.cfg.ConnectionAge > 0 && idle > p.cfg.ConnectionAge {
		return false
	}
	if p.cfg.CheckQuery != "" && p.cfg.TrimInterval > 0 && idle > p.cfg.TrimInterval {
		_, err := c.run(ctx, p.cfg.CheckQuery, nil, plainStatement, &limits{max: 1 << 20})
		return err == nil
	}
	return true
}

// activate sets a borrowed connection to the pool's defaults (DBCP's
// activateObject; switching auto-commit back on commits what a previous
// sample left open) and the configured isolation (JMeter's getConnection).
func (p *pool) activate(ctx context.Context, c *pconn) error {
	if c.autoCommit() != p.cfg.AutoCommit {
		if err := c.setAutoCommit(ctx, p.cfg.AutoCommit); err != nil {
			return err
		}
	}
	if p.cfg.Isolation >= 0 && c.isolation() != p.cfg.Isolation {
		_ = c.setIsolation(ctx, p.cfg.Isolation) // JMeter logs the failure and goes on
	}
	return nil
}

// put returns a connection; a broken one is closed.
func (p *pool) put(c *pconn) {
	p.mu.Lock()
	if c.broken() || p.closed {
		p.mu.Unlock()
		c.close()
	} else {
		c.idleSince = time.Now()
		p.idle = append(p.idle, c)
		p.mu.Unlock()
	}
	p.tokens <- struct{}{}
}

// preinit opens one connection ahead of the first sample.
func (p *pool) preinit(ctx context.Context) {
	if c, err := p.get(ctx); err == nil {
		p.put(c)
	}
}

func (p *pool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, c := range idle {
		c.close()
	}
}

// msgOf is an error's message without the Java class.
func msgOf(err error) string {
	switch e := err.(type) {
	case *sqlError:
		return e.msg
	case *javaError:
		return e.msg
	}
	return err.Error()
}
