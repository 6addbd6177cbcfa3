package monitor

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/output"
)

// find returns the value of the first point named name (and label, when
// given), and whether there was one.
func find(pts []Point, name, label string) (float64, bool) {
	for _, p := range pts {
		if p.Name == name && (label == "" || strings.Contains(p.Label, label)) {
			return p.Value, true
		}
	}
	return 0, false
}

// The PostgreSQL monitor's figures are the server's own: statement calls
// between two readings, connections by state, and a session waiting on a
// row lock.
func TestPostgresMonitorAgainstARealServer(t *testing.T) {
	pg := realserver.PostgresT(t)
	ctx := t.Context()
	db, err := pgx.Connect(ctx, pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	for _, q := range []string{`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`,
		`CREATE TABLE accounts (id int PRIMARY KEY, balance int)`,
		`INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 50) g`} {
		if _, err := db.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	sp, err := ParseSpec(pg.URL("postgres") + "&interval=1s&top=5")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open(ctx, sp)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	t0 := time.Now()
	if _, err := m.Sample(ctx, t0); err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		if _, err := db.Exec(ctx, `SELECT balance FROM accounts WHERE id = $1`, i+1); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 15 {
		if _, err := db.Exec(ctx, `UPDATE accounts SET balance = balance - 1 WHERE id = $1`, i+1); err != nil {
			t.Fatal(err)
		}
	}
	// PostgreSQL publishes a session's database counters at most once a
	// second (pg_stat_statements at once): ask for them now
	if _, err := db.Exec(ctx, `SELECT pg_stat_force_next_flush()`); err != nil {
		t.Fatal(err)
	}
	// a session holding a row lock, and another waiting for it
	holder, err := pgx.Connect(ctx, pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	tx, err := holder.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE accounts SET balance = 0 WHERE id = 50`); err != nil {
		t.Fatal(err)
	}
	waiter, err := pgx.Connect(ctx, pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer waiter.Close(context.Background())
	blocked := make(chan error, 1)
	go func() {
		_, err := waiter.Exec(ctx, `UPDATE accounts SET balance = 1 WHERE id = 50`)
		blocked <- err
	}()
	// wait until the server itself shows the waiter blocked
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		db.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'`).Scan(&n)
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second UPDATE never waited for the lock")
		}
		time.Sleep(20 * time.Millisecond) // polling the server's state
	}
	pts, err := m.Sample(ctx, t0.Add(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := find(pts, "pg.stmt.calls", "SELECT balance FROM accounts"); !ok || v != 40 {
		t.Errorf("SELECT calls between the readings: %v (found %v), the server ran 40", v, ok)
	}
	if v, ok := find(pts, "pg.stmt.calls", "UPDATE accounts SET balance = balance"); !ok || v != 15 {
		t.Errorf("UPDATE calls: %v (found %v), want 15", v, ok)
	}
	if v, ok := find(pts, "pg.stmt.mean_ms", "SELECT balance"); !ok || v <= 0 {
		t.Errorf("SELECT mean time %v", v)
	}
	if v, _ := find(pts, "pg.lock_waits", ""); v != 1 {
		t.Errorf("sessions waiting on a lock: %v, want 1", v)
	}
	if v, _ := find(pts, "pg.connections", "idle in transaction"); v != 1 {
		t.Errorf("idle in transaction: %v, want 1 (the lock holder)", v)
	}
	if v, _ := find(pts, "pg.commits_per_s", ""); v < 55.0/2 {
		t.Errorf("commits per second %v: at least 55 transactions committed over 2 s", v)
	}
	if _, ok := find(pts, "pg.cache_hit_pct", ""); !ok {
		t.Errorf("no cache hit ratio")
	}
	tx.Rollback(ctx)
	if err := <-blocked; err != nil {
		t.Fatal(err)
	}
}

// The Redis monitor: hits, misses and the hit rate between two readings
// are the server's; a slow command appears from SLOWLOG with its arguments.
func TestRedisMonitorAgainstARealServer(t *testing.T) {
	srv := realserver.StartRedis(t, "--slowlog-log-slower-than", "20000")
	ctx := t.Context()
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer c.Close()
	c.Set(ctx, "price:AAPL", "101", 0)
	sp, err := ParseSpec(srv.URL() + "?interval=1s")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open(ctx, sp)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	t0 := time.Now()
	if _, err := m.Sample(ctx, t0); err != nil {
		t.Fatal(err)
	}
	for range 30 {
		c.Get(ctx, "price:AAPL")
	}
	for range 10 {
		c.Get(ctx, "price:NONE")
	}
	// a deliberately slow script: it must show in the SLOWLOG readings
	if err := c.Eval(ctx, "local i = 0 while i < 5000000 do i = i + 1 end return i", nil).Err(); err != nil {
		t.Fatal(err)
	}
	pts, err := m.Sample(ctx, t0.Add(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := find(pts, "redis.hits_per_s", ""); v != 15 {
		t.Errorf("hits per second %v, want 30 over 2 s", v)
	}
	if v, _ := find(pts, "redis.misses_per_s", ""); v != 5 {
		t.Errorf("misses per second %v, want 10 over 2 s", v)
	}
	if v, _ := find(pts, "redis.hit_rate_pct", ""); v != 75 {
		t.Errorf("hit rate %v%%, want 75", v)
	}
	if v, ok := find(pts, "redis.slowlog_us", "eval"); !ok || v < 20000 {
		t.Errorf("the slow script in SLOWLOG: %v µs (found %v); points %v", v, ok, pts)
	}
	if v, _ := find(pts, "redis.clients", ""); v < 2 {
		t.Errorf("connected clients %v", v)
	}
}

func TestHostAndProcessMonitors(t *testing.T) {
	h := newHost()
	t0 := time.Now()
	if _, err := h.Sample(t.Context(), t0); err != nil {
		t.Fatal(err)
	}
	x := 0
	for i := range 20_000_000 { // some CPU for this process to show
		x += i % 7
	}
	pts, err := h.Sample(t.Context(), t0.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	mem, _ := readKV("/proc/meminfo")
	if v, _ := find(pts, "host.mem_available_bytes", ""); v <= 0 || v > 1024*mem["MemTotal"] {
		t.Errorf("available memory %v of %v", v, 1024*mem["MemTotal"])
	}
	for _, n := range []string{"host.cpu_user_pct", "host.cpu_system_pct", "host.load1"} {
		if v, ok := find(pts, n, ""); !ok || v < 0 || n != "host.load1" && v > 100 {
			t.Errorf("%s = %v (found %v)", n, v, ok)
		}
	}
	p, err := newProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	p.Sample(t.Context(), t0)
	for i := range 20_000_000 {
		x += i % 5
	}
	pp, err := p.Sample(t.Context(), t0.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := find(pp, "process.rss_bytes", ""); v < 1<<20 {
		t.Errorf("this process's RSS %v", v)
	}
	if v, ok := find(pp, "process.cpu_pct", ""); !ok || v <= 0 {
		t.Errorf("this process's CPU %v after a busy loop (x=%d)", v, x)
	}
	if _, err := newProcess(1 << 30); err == nil {
		t.Error("a process that does not exist was accepted")
	}
}

// The recorder writes every monitor's readings as JSON lines; a monitor
// that cannot connect is a warning and the others go on.
func TestRecorderWritesSeriesAndSurvivesABadMonitor(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jtl.monitor.jsonl")
	host, _ := ParseSpec("host?interval=100ms")
	bad, _ := ParseSpec("postgres://gometer:s3cret@127.0.0.1:1/none")
	r := NewRecorder([]Spec{host, bad}, path)
	var logs []string
	if err := r.Start(output.Run{Log: func(level, msg string) { logs = append(logs, level+" "+msg) }}); err != nil {
		t.Fatal(err)
	}
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(logs, "\n")
	if !strings.Contains(joined, "WARN monitor postgres not started") || strings.Contains(joined, "s3cret") {
		t.Errorf("logs %q: want a warning for the bad monitor, without its password", joined)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var l Line
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &l); err != nil || l.Source != "host" || l.T == 0 {
		t.Errorf("last line %q: %v", lines[len(lines)-1], err)
	}
	if n := strings.Count(string(b), `"name":"host.mem_available_bytes"`); n < 2 {
		t.Errorf("%d memory readings: want one when started and one when stopped: %s", n, b)
	}
}

func TestParseSpec(t *testing.T) {
	sp, err := ParseSpec("postgres://app:pw@db:5432/shop?sslmode=disable&interval=2s&top=20")
	if err != nil || sp.Kind != "postgres" || sp.Interval != 2*time.Second || sp.Top != 20 || strings.Contains(sp.Target, "interval") || !strings.Contains(sp.Target, "sslmode=disable") {
		t.Errorf("%+v %v", sp, err)
	}
	if got := Redact(sp.Target); strings.Contains(got, "pw") {
		t.Errorf("redacted URL %q still holds the password", got)
	}
	for _, bad := range []string{"mysql://x", "process:abc", "host?interval=1ms", "postgres://x/db?top=0"} {
		if _, err := ParseSpec(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if sp, err := ParseSpec("process:42?interval=250ms"); err != nil || sp.Target != "42" || sp.Interval != 250*time.Millisecond {
		t.Errorf("process spec %+v %v", sp, err)
	}
}
