package monitor

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
)

// postgres reads PostgreSQL's cumulative statistics views and reports what
// changed since the previous reading: transactions, cache hits, deadlocks,
// temporary bytes (pg_stat_database), connections by state and those
// waiting on locks (pg_stat_activity), and the statements that took the
// most time (pg_stat_statements, when the extension is installed).
type postgres struct {
	conn       *pgx.Conn
	source     string
	top        int
	statements bool // pg_stat_statements can be read
	last       time.Time
	db         map[string]float64
	stmts      map[int64]stmtCounters
	warned     bool
}

type stmtCounters struct {
	query                     string
	calls, totalMs, rows, hit float64
	read                      float64
}

func openPostgres(ctx context.Context, sp Spec) (Monitor, error) {
	cfg, err := pgx.ParseConfig(sp.Target)
	if err != nil {
		return nil, fmt.Errorf("postgres monitor: %v", err)
	}
	cfg.RuntimeParams["application_name"] = "gometer monitor"
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(cctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres monitor %s: %w", redact(sp.Target), err)
	}
	p := &postgres{conn: conn, source: "postgres " + cfg.Host + ":" + fmt.Sprint(cfg.Port) + "/" + cfg.Database, top: sp.Top}
	var n int
	if err := conn.QueryRow(cctx, `SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'`).Scan(&n); err == nil && n > 0 {
		p.statements = true
	}
	return p, nil
}

func (p *postgres) Source() string { return p.source }

// Statements reports whether pg_stat_statements is readable (the report's
// top queries need it: CREATE EXTENSION pg_stat_statements, with the
// library in shared_preload_libraries).
func (p *postgres) Statements() bool { return p.statements }

func (p *postgres) Close() error { return p.conn.Close(context.Background()) }

func (p *postgres) Sample(ctx context.Context, now time.Time) ([]Point, error) {
	var pts []Point
	add := func(name string, v float64, label string) {
		pts = append(pts, Point{Time: now, Source: "postgres", Name: name, Value: v, Label: label})
	}
	secs := 0.0
	if !p.last.IsZero() {
		secs = now.Sub(p.last).Seconds()
	}

	// pg_stat_database, summed over databases: counters since the server
	// started, so a rate is the difference between two readings
	var commit, rollback, hit, read, deadlocks, tempBytes float64
	err := p.conn.QueryRow(ctx, `SELECT coalesce(sum(xact_commit),0), coalesce(sum(xact_rollback),0),
		coalesce(sum(blks_hit),0), coalesce(sum(blks_read),0), coalesce(sum(deadlocks),0), coalesce(sum(temp_bytes),0)
		FROM pg_stat_database`).Scan(&commit, &rollback, &hit, &read, &deadlocks, &tempBytes)
	if err != nil {
		return nil, fmt.Errorf("pg_stat_database: %w", err)
	}
	cur := map[string]float64{"commit": commit, "rollback": rollback, "hit": hit, "read": read, "deadlocks": deadlocks, "temp": tempBytes}
	if p.db != nil && secs > 0 {
		d := func(k string) float64 { return max(cur[k]-p.db[k], 0) }
		add("pg.commits_per_s", d("commit")/secs, "")
		add("pg.rollbacks_per_s", d("rollback")/secs, "")
		if h, r := d("hit"), d("read"); h+r > 0 {
			add("pg.cache_hit_pct", 100*h/(h+r), "")
		}
		add("pg.deadlocks", d("deadlocks"), "")
		add("pg.temp_bytes", d("temp"), "")
	}
	p.db = cur

	// pg_stat_activity: client connections now, by state, and how many wait
	// for a lock
	rows, err := p.conn.Query(ctx, `SELECT coalesce(state, 'unknown'), count(*), count(*) FILTER (WHERE wait_event_type = 'Lock')
		FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1`)
	if err != nil {
		return nil, fmt.Errorf("pg_stat_activity: %w", err)
	}
	total, waiting := 0.0, 0.0
	for rows.Next() {
		var state string
		var n, w float64
		if err := rows.Scan(&state, &n, &w); err != nil {
			rows.Close()
			return nil, err
		}
		add("pg.connections", n, state)
		total += n
		waiting += w
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	add("pg.connections_total", total, "")
	add("pg.lock_waits", waiting, "")

	if p.statements {
		sp, err := p.statementDeltas(ctx, now)
		if err != nil {
			return nil, err
		}
		pts = append(pts, sp...)
	}
	p.last = now
	return pts, nil
}

// statementDeltas reports, for the statements that took the most time since
// the previous reading, their calls, total and mean time, rows and shared
// blocks hit and read.
func (p *postgres) statementDeltas(ctx context.Context, now time.Time) ([]Point, error) {
	rows, err := p.conn.Query(ctx, `SELECT queryid, query, calls, total_exec_time, rows, shared_blks_hit, shared_blks_read
		FROM pg_stat_statements WHERE queryid IS NOT NULL AND query NOT LIKE '%pg\_stat\_%'`) // not the monitor's own readings
	if err != nil {
		return nil, fmt.Errorf("pg_stat_statements: %w", err)
	}
	cur := map[int64]stmtCounters{}
	for rows.Next() {
		var id int64
		var c stmtCounters
		if err := rows.Scan(&id, &c.query, &c.calls, &c.totalMs, &c.rows, &c.hit, &c.read); err != nil {
			rows.Close()
			return nil, err
		}
		prev := cur[id] // the same statement can have one row per user and database
		c.calls += prev.calls
		c.totalMs += prev.totalMs
		c.rows += prev.rows
		c.hit += prev.hit
		c.read += prev.read
		cur[id] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	first := p.stmts == nil
	prev := p.stmts
	p.stmts = cur
	if first {
		return nil, nil // counters since the server started say nothing about the run
	}
	type delta struct {
		stmtCounters
	}
	var ds []delta
	for id, c := range cur {
		o := prev[id] // a new statement starts from zero
		d := delta{stmtCounters{query: c.query, calls: c.calls - o.calls, totalMs: c.totalMs - o.totalMs, rows: c.rows - o.rows, hit: c.hit - o.hit, read: c.read - o.read}}
		if d.calls > 0 {
			ds = append(ds, d)
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].totalMs > ds[j].totalMs })
	if len(ds) > p.top {
		ds = ds[:p.top]
	}
	var pts []Point
	for _, d := range ds {
		q := shortQuery(d.query)
		pts = append(pts,
			Point{Time: now, Source: "postgres", Name: "pg.stmt.calls", Value: d.calls, Label: q},
			Point{Time: now, Source: "postgres", Name: "pg.stmt.total_ms", Value: d.totalMs, Label: q},
			Point{Time: now, Source: "postgres", Name: "pg.stmt.mean_ms", Value: d.totalMs / d.calls, Label: q},
			Point{Time: now, Source: "postgres", Name: "pg.stmt.rows", Value: d.rows, Label: q},
			Point{Time: now, Source: "postgres", Name: "pg.stmt.blks_hit", Value: d.hit, Label: q},
			Point{Time: now, Source: "postgres", Name: "pg.stmt.blks_read", Value: d.read, Label: q},
		)
	}
	return pts, nil
}

// shortQuery is a normalised statement on one line, at most 200 characters.
func shortQuery(q string) string {
	b := make([]rune, 0, len(q))
	space := false
	for _, r := range q {
		if r == '\n' || r == '\t' || r == '\r' || r == ' ' {
			if !space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = true
			continue
		}
		space = false
		b = append(b, r)
		if len(b) >= 200 {
			b = append(b, '…')
			break
		}
	}
	return string(b)
}
