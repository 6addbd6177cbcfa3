package jdbc

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/jmxtest"
	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/internal/skipped"
	"github.com/gometer/gometer/sampler"
)

var (
	pgOnce sync.Once
	pgSrv  *realserver.Postgres
	pgErr  error
)

// testDB starts one PostgreSQL for the package's tests and gives each test
// a database of its own.
func testDB(t *testing.T) (jdbcURL string) {
	t.Helper()
	pgOnce.Do(func() { pgSrv, pgErr = realserver.StartPostgres() })
	if pgErr != nil {
		if !realserver.RequireServers() && strings.Contains(pgErr.Error(), "not installed") {
			skipped.Need(t, "PostgreSQL", fmt.Sprintf("not available (%v)", pgErr))
		}
		t.Fatalf("starting PostgreSQL: %v", pgErr)
	}
	db := strings.ToLower(strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()))
	if err := pgSrv.CreateDB(db); err != nil {
		t.Fatal(err)
	}
	return pgSrv.JDBCURL(db)
}

func TestMain(m *testing.M) {
	code := skipped.Main(m, "sampler/jdbc")
	if pgSrv != nil {
		pgSrv.Stop()
	}
	if mySrv != nil {
		mySrv.Stop()
	}
	os.Exit(code)
}

// fixture is a pool registry with one configuration and a user session.
type fixture struct {
	t     *testing.T
	pools *Pools
	sess  *sampler.Session
}

func newFixture(t *testing.T, url string, cfgProps ...string) *fixture {
	t.Helper()
	return newFixtureDriver(t, url, "org.postgresql.Driver", cfgProps...)
}

func newFixtureDriver(t *testing.T, url, driver string, cfgProps ...string) *fixture {
	t.Helper()
	props := append([]string{"dataSource", "db", "dbUrl", url, "driver", driver, "username", "gometer",
		"poolMax", "2", "timeout", "2000"}, cfgProps...)
	el := jmxtest.Element(t, `<JDBCDataSource guiclass="TestBeanGUI" testclass="JDBCDataSource" testname="cfg">`+
		jmxtest.Props(props...)+`<boolProp name="autocommit">true</boolProp></JDBCDataSource>`)
	vars := functions.NewVars()
	ctx := functions.NewContext(vars, functions.NewProperties(), functions.NewShared())
	cfg, err := NewConfig(el, ctx)
	if err != nil {
		t.Fatal(err)
	}
	ps := NewPools()
	ps.Add(cfg)
	t.Cleanup(func() { ps.Close() })
	s := &sampler.Session{Ctx: ctx}
	t.Cleanup(s.Close)
	return &fixture{t: t, pools: ps, sess: s}
}

// run builds and runs one JDBC Request with the given properties.
func (f *fixture) run(qtype, query string, props ...string) *sampler.Result {
	f.t.Helper()
	all := append([]string{"dataSource", "db", "queryType", qtype, "query", query}, props...)
	el := jmxtest.Element(f.t, `<JDBCSampler guiclass="TestBeanGUI" testclass="JDBCSampler" testname="q">`+jmxtest.Props(all...)+`</JDBCSampler>`)
	r, err := NewRequest(el, f.pools)
	if err != nil {
		f.t.Fatal(err)
	}
	return r.Sample(context.Background(), f.sess)
}

func (f *fixture) ok(qtype, query string, props ...string) string {
	f.t.Helper()
	r := f.run(qtype, query, props...)
	if !r.Success {
		f.t.Fatalf("%s %q failed: %s %s\n%s", qtype, query, r.ResponseCode, r.ResponseMessage, r.Body)
	}
	return string(r.Body)
}

func (f *fixture) v(name string) string {
	v, ok := f.sess.Ctx.Vars.Get(name)
	if !ok {
		return "<unset>"
	}
	return v
}

func TestSelectFormatsRowsAndVariables(t *testing.T) {
	f := newFixture(t, testDB(t))
	f.ok(qUpdate, "create table acct(id int primary key, owner text, balance numeric(12,2), rate float8, active bool, opened timestamp, note text)")
	if got := f.ok(qUpdate, "insert into acct values (1,'ann',10.50,0.5,true,'2024-01-02 03:04:05',null),(2,'bob',0.00,1e10,false,'2024-01-02 03:04:05.25','x'),(3,'cy',-7.25,100,true,'2024-12-31 23:59:59','y')"); got != "3 updates" {
		t.Errorf("insert answered %q, want JMeter's \"3 updates\"", got)
	}
	got := f.ok(qSelect, "select id, owner, balance, rate, active, opened, note as memo from acct order by id", "variableNames", "id,owner,,rate")
	want := "id\towner\tbalance\trate\tactive\topened\tmemo\n" +
		"1\tann\t10.50\t0.5\ttrue\t2024-01-02 03:04:05.0\tnull\n" +
		"2\tbob\t0.00\t1.0E10\tfalse\t2024-01-02 03:04:05.25\tx\n" +
		"3\tcy\t-7.25\t100.0\ttrue\t2024-12-31 23:59:59.0\ty\n"
	if got != want {
		t.Errorf("response data:\n%q\nwant\n%q", got, want)
	}
	for name, want := range map[string]string{"id_#": "3", "id_1": "1", "id_3": "3", "owner_2": "bob", "rate_2": "1.0E10", "owner_#": "3"} {
		if g := f.v(name); g != want {
			t.Errorf("%s = %q, want %q", name, g, want)
		}
	}
	// a second select with fewer rows removes the surplus variables
	f.ok(qPreparedSelect, "select id, owner from acct where id < ? order by id", "variableNames", "id,owner",
		"queryArguments", "2", "queryArgumentsTypes", "INTEGER")
	if f.v("id_#") != "1" || f.v("id_2") != "<unset>" || f.v("owner_3") != "<unset>" || f.v("owner_1") != "ann" {
		t.Errorf("after one row: id_#=%s id_2=%s owner_3=%s owner_1=%s", f.v("id_#"), f.v("id_2"), f.v("owner_3"), f.v("owner_1"))
	}
}

func TestPreparedUpdateAndErrors(t *testing.T) {
	f := newFixture(t, testDB(t))
	f.ok(qUpdate, "create table t(id int, name varchar(20), amount numeric, day date)")
	if got := f.ok(qPreparedUpdate, "insert into t values (?, ?, ?, ?)", "queryArguments", `7,"a, b",12.5,2024-3-9`,
		"queryArgumentsTypes", "INTEGER,VARCHAR,DECIMAL,DATE"); got != "1 updates.\n" {
		t.Errorf("prepared update answered %q", got)
	}
	if got := f.ok(qSelect, "select * from t"); got != "id\tname\tamount\tday\n7\ta, b\t12.5\t2024-03-09\n" {
		t.Errorf("row %q", got)
	}
	r := f.run(qSelect, "select * from nope")
	if r.Success || r.ResponseCode != "42P01 0" || !strings.HasPrefix(r.ResponseMessage, "org.postgresql.util.PSQLException: ERROR: relation \"nope\" does not exist") {
		t.Errorf("missing table: %v %q %q", r.Success, r.ResponseCode, r.ResponseMessage)
	}
	r = f.run(qPreparedUpdate, "insert into t(id) values (?)", "queryArguments", "abc", "queryArgumentsTypes", "INTEGER")
	if r.Success || r.ResponseCode != "000" || r.ResponseMessage != `java.lang.NumberFormatException: For input string: "abc"` {
		t.Errorf("bad integer: %q %q", r.ResponseCode, r.ResponseMessage)
	}
	r = f.run(qSelect, "update t set id = 8")
	if r.Success || r.ResponseCode != "02000 0" {
		t.Errorf("update as select: %q %q", r.ResponseCode, r.ResponseMessage)
	}
	r = f.run(qSelect, "select pg_sleep(5)", "queryTimeout", "1")
	if r.Success || r.ResponseCode != "57014 0" || r.Elapsed.Seconds() > 4 {
		t.Errorf("query timeout: %q %q after %v", r.ResponseCode, r.ResponseMessage, r.Elapsed)
	}
	// the connection survives the cancelled statement
	f.ok(qSelect, "select 1")
	r = f.run(qCommit, "")
	if r.Success || r.ResponseCode != "25P01 0" {
		t.Errorf("commit in auto-commit: %q %q", r.ResponseCode, r.ResponseMessage)
	}
}

// With auto-commit on in the pool, borrowing a connection switches it back
// on, which commits what a previous AutoCommit(false) sample left open (as
// Commons DBCP does under JMeter); with it off, Rollback undoes the work.
func TestTransactionsFollowThePool(t *testing.T) {
	url := testDB(t)
	f := newFixture(t, url, "poolMax", "1")
	f.ok(qUpdate, "create table tx(id int)")
	f.ok(qAutoCommitOff, "")
	f.ok(qUpdate, "insert into tx values (1)")
	if r := f.run(qRollback, ""); r.Success || r.ResponseCode != "25P01 0" {
		t.Errorf("rollback after the borrow switched auto-commit back on: %v %q", r.Success, r.ResponseCode)
	}
	if got := f.ok(qSelect, "select count(*) as n from tx"); got != "n\n1\n" {
		t.Errorf("auto-commit pool: %q", got)
	}

	g := newFixture(t, url, "poolMax", "1")
	g.pools.configs["db"].AutoCommit = false
	g.ok(qUpdate, "insert into tx values (2)")
	g.ok(qRollback, "")
	g.ok(qUpdate, "insert into tx values (3)")
	g.ok(qCommit, "")
	if got := g.ok(qSelect, "select string_agg(id::text, ',' order by id) as ids from tx"); got != "ids\n1,3\n" {
		t.Errorf("manual-commit pool: %q", got)
	}
}

func TestPoolLimitsAndMissingPool(t *testing.T) {
	f := newFixture(t, testDB(t), "poolMax", "1", "timeout", "200")
	p, _, err := f.pools.lookup(f.sess, "db")
	if err != nil {
		t.Fatal(err)
	}
	held, err := p.get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := f.run(qSelect, "select 1")
	p.put(held)
	if r.Success || !strings.Contains(r.ResponseMessage, "Timeout waiting for idle object") {
		t.Errorf("exhausted pool: %v %q", r.Success, r.ResponseMessage)
	}
	r = f.run(qSelect, "select 1", "dataSource", "other")
	if r.Success || r.ResponseCode != "null 0" || !strings.Contains(r.ResponseMessage, "No pool found named: 'other'") {
		t.Errorf("unknown pool: %q %q", r.ResponseCode, r.ResponseMessage)
	}
}

func TestUnsupportedDriverIsNamed(t *testing.T) {
	el := jmxtest.Element(t, `<JDBCDataSource guiclass="TestBeanGUI" testclass="JDBCDataSource" testname="cfg">`+
		jmxtest.Props("dataSource", "db", "dbUrl", "jdbc:sqlserver://h:1433;database=x", "driver", "com.microsoft.sqlserver.jdbc.SQLServerDriver")+`</JDBCDataSource>`)
	_, err := NewConfig(el, functions.NewContext(functions.NewVars(), functions.NewProperties(), functions.NewShared()))
	if err == nil || !strings.Contains(err.Error(), "com.microsoft.sqlserver.jdbc.SQLServerDriver") || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("got %v", err)
	}
}
