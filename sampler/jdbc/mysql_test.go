package jdbc

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/internal/skipped"
)

var (
	myOnce sync.Once
	mySrv  *realserver.MySQL
	myErr  error
)

// mysqlDB starts one MariaDB for the package's tests and gives each test a
// database of its own.
func mysqlDB(t *testing.T) (jdbcURL string) {
	t.Helper()
	myOnce.Do(func() { mySrv, myErr = realserver.StartMySQL() })
	if myErr != nil {
		if !realserver.RequireServers() && strings.Contains(myErr.Error(), "not installed") {
			skipped.Need(t, "MariaDB", fmt.Sprintf("not available (%v)", myErr))
		}
		t.Fatalf("starting MariaDB: %v", myErr)
	}
	db := strings.ToLower(strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()))
	if err := mySrv.CreateDB(db); err != nil {
		t.Fatal(err)
	}
	return mySrv.JDBCURL(db)
}

// Every query type against a real MariaDB through MySQL's driver class
// (com.mysql.cj.jdbc.Driver): values as the driver's Java objects print,
// update counts of matched rows, typed parameters, procedures, the
// variables JMeter sets, and the driver's refusals.
func TestMySQLQueryTypes(t *testing.T) {
	f := newFixtureDriver(t, mysqlDB(t), "com.mysql.cj.jdbc.Driver")
	f.ok(qUpdate, "create table acct(id int primary key, owner varchar(20), balance decimal(12,2), rate double, ratio float, opened datetime(3), at time(1), tiny decimal(20,10), note text)")
	if got := f.ok(qUpdate, "insert into acct values (1,'ann',10.50,0.5,0.25,'2024-01-02 03:04:05','07:08:09.5',0.0000001,null),(2,'bob',0.00,1e10,3.5e-5,'2024-01-02 03:04:05.25','23:59:59',123.45,'x')"); got != "2 updates" {
		t.Errorf("insert answered %q", got)
	}
	got := f.ok(qSelect, "select * from acct order by id", "variableNames", "id,owner,,rate")
	want := "id\towner\tbalance\trate\tratio\topened\tat\ttiny\tnote\n" +
		"1\tann\t10.50\t0.5\t0.25\t2024-01-02 03:04:05.0\t07:08:09\t1.000E-7\tnull\n" +
		"2\tbob\t0.00\t1.0E10\t3.5E-5\t2024-01-02 03:04:05.25\t23:59:59\t123.4500000000\tx\n"
	if got != want {
		t.Errorf("response data:\n%q\nwant\n%q", got, want)
	}
	if f.v("id_#") != "2" || f.v("owner_2") != "bob" || f.v("rate_2") != "1.0E10" {
		t.Errorf("variables: id_#=%s owner_2=%s rate_2=%s", f.v("id_#"), f.v("owner_2"), f.v("rate_2"))
	}
	// a matched row whose value does not change still counts, as with the JDBC drivers
	if got := f.ok(qUpdate, "update acct set note = note where id in (1, 2)"); got != "2 updates" {
		t.Errorf("update answered %q", got)
	}
	if got := f.ok(qPreparedUpdate, "insert into acct(id, owner, balance, rate, opened) values (?, ?, ?, ?, ?)",
		"queryArguments", `3,"c, d",-7.25,100,2024-12-31 23:59:59.5`, "queryArgumentsTypes", "INTEGER,VARCHAR,DECIMAL,DOUBLE,TIMESTAMP"); got != "1 updates.\n" {
		t.Errorf("prepared update answered %q", got)
	}
	if got := f.ok(qPreparedSelect, "select owner, rate, opened from acct where id > ? and owner <> ? order by id",
		"queryArguments", "1,zed", "queryArgumentsTypes", "INTEGER,VARCHAR"); got != "owner\trate\topened\nbob\t1.0E10\t2024-01-02 03:04:05.25\nc, d\t100.0\t2024-12-31 23:59:59.5\n" {
		t.Errorf("prepared select answered %q", got)
	}
	f.ok(qUpdate, "create procedure rich(x decimal(12,2)) select id from acct where balance > x order by id")
	f.ok(qUpdate, "create function twice(x int) returns int deterministic return x * 2")
	if got := f.ok(qCallable, "{call rich(?)}", "queryArguments", "-100", "queryArgumentsTypes", "DECIMAL"); got != "id\n1\n2\n3\n\n0 updates.\nOutput variables by position:\n" {
		t.Errorf("callable answered %q", got)
	}
	if got := f.ok(qCallable, "{? = call twice(?)}", "queryArguments", "0,21", "queryArgumentsTypes", "OUT INTEGER,INTEGER"); got != "-1 updates.\nOutput variables by position:\n[1] 42\n" {
		t.Errorf("callable function answered %q", got)
	}
	r := f.run(qSelect, "select * from nope")
	if r.Success || r.ResponseCode != "42S02 1146" || !strings.HasPrefix(r.ResponseMessage, "java.sql.SQLSyntaxErrorException: Table ") {
		t.Errorf("missing table: %v %q %q", r.Success, r.ResponseCode, r.ResponseMessage)
	}
	r = f.run(qSelect, "update acct set note = 'z'")
	if r.Success || r.ResponseCode != "S1009 0" {
		t.Errorf("update as select: %q %q", r.ResponseCode, r.ResponseMessage)
	}
	r = f.run(qUpdate, "select 1")
	if r.Success || r.ResponseCode != "S1009 0" {
		t.Errorf("select as update: %q %q", r.ResponseCode, r.ResponseMessage)
	}
	r = f.run(qSelect, "select sleep(5)", "queryTimeout", "1")
	if r.Success || r.ResponseCode != "70100 1969" || r.Elapsed.Seconds() > 4 {
		t.Errorf("query timeout: %q %q after %v", r.ResponseCode, r.ResponseMessage, r.Elapsed)
	}
	f.ok(qSelect, "select 1") // the connection survives the interrupted statement
	r = f.run(qCommit, "")
	if r.Success || r.ResponseCode != "08003 0" {
		t.Errorf("commit in auto-commit: %q %q", r.ResponseCode, r.ResponseMessage)
	}
	// the next borrow switches auto-commit back on (the pool's setting),
	// which commits the delete: the rollback then has nothing to undo
	f.ok(qAutoCommitOff, "")
	f.ok(qUpdate, "delete from acct where id = 3")
	if r := f.run(qRollback, ""); r.Success || r.ResponseCode != "08003 0" {
		t.Errorf("rollback after the borrow: %v %q", r.Success, r.ResponseCode)
	}
	if got := f.ok(qSelect, "select count(*) as n from acct"); got != "n\n2\n" {
		t.Errorf("after the delete: %q", got)
	}
}

// MariaDB's own driver class words errors with the connection id and lets
// commit in auto-commit and an update run as a select pass, as it does
// under JMeter (conformance plan 92 holds the full comparison).
func TestMariaDBDriverClassTexts(t *testing.T) {
	f := newFixtureDriver(t, strings.Replace(mysqlDB(t), "jdbc:mysql:", "jdbc:mariadb:", 1), "org.mariadb.jdbc.Driver")
	r := f.run(qSelect, "select * from nope")
	if r.Success || !strings.HasPrefix(r.ResponseMessage, "java.sql.SQLSyntaxErrorException: (conn=") {
		t.Errorf("missing table: %q %q", r.ResponseCode, r.ResponseMessage)
	}
	f.ok(qCommit, "")
	f.ok(qUpdate, "create table t(x int)")
	if got := f.ok(qSelect, "insert into t values (1)"); got != "insert_id\n" {
		t.Errorf("insert as select: %q", got)
	}
	if got := f.ok(qUpdate, "select 1"); got != "-1 updates" {
		t.Errorf("select as update: %q", got)
	}
}
