package monitor

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisMon reads Redis's INFO (operations, keyspace hits and misses,
// evictions, clients, memory) and the SLOWLOG entries added since the
// previous reading.
type redisMon struct {
	c        *redis.Client
	source   string
	last     time.Time
	prev     map[string]float64
	slowID   int64 // highest SLOWLOG id seen
	slowSeen bool
}

func openRedis(ctx context.Context, sp Spec) (Monitor, error) {
	opt, err := redis.ParseURL(sp.Target)
	if err != nil {
		return nil, fmt.Errorf("redis monitor: %v", redactErr(err))
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = 3*time.Second, 3*time.Second, 3*time.Second
	opt.PoolSize, opt.MaxRetries = 1, 0
	c := redis.NewClient(opt)
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := c.Ping(cctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("redis monitor %s: %w", redact(sp.Target), err)
	}
	return &redisMon{c: c, source: "redis " + opt.Addr, slowID: -1}, nil
}

func (r *redisMon) Source() string { return r.source }
func (r *redisMon) Close() error   { return r.c.Close() }

// parseInfo reads INFO's "key:value" lines (sections' headers and blank
// lines skipped); keyspace lines "db0:keys=1,expires=0" keep their text.
func parseInfo(s string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[k] = v
		}
	}
	return m
}

func (r *redisMon) Sample(ctx context.Context, now time.Time) ([]Point, error) {
	text, err := r.c.Info(ctx, "stats", "memory", "clients").Result()
	if err != nil {
		return nil, fmt.Errorf("INFO: %w", err)
	}
	info := parseInfo(text)
	num := func(k string) float64 {
		v, _ := strconv.ParseFloat(info[k], 64)
		return v
	}
	var pts []Point
	add := func(name string, v float64) {
		pts = append(pts, Point{Time: now, Source: "redis", Name: name, Value: v})
	}
	add("redis.ops_per_s", num("instantaneous_ops_per_sec"))
	add("redis.clients", num("connected_clients"))
	add("redis.blocked_clients", num("blocked_clients"))
	add("redis.used_memory_bytes", num("used_memory"))
	cur := map[string]float64{"hits": num("keyspace_hits"), "misses": num("keyspace_misses"), "evicted": num("evicted_keys"), "commands": num("total_commands_processed")}
	if r.prev != nil && now.After(r.last) {
		secs := now.Sub(r.last).Seconds()
		h, m := max(cur["hits"]-r.prev["hits"], 0), max(cur["misses"]-r.prev["misses"], 0)
		add("redis.hits_per_s", h/secs)
		add("redis.misses_per_s", m/secs)
		if h+m > 0 {
			add("redis.hit_rate_pct", 100*h/(h+m))
		}
		add("redis.evicted_keys", max(cur["evicted"]-r.prev["evicted"], 0))
		add("redis.commands_per_s", max(cur["commands"]-r.prev["commands"], 0)/secs)
	}
	r.prev, r.last = cur, now

	// SLOWLOG entries since the last reading (the first reading only notes
	// where the log stands: older entries are not the run's)
	logs, err := r.c.SlowLogGet(ctx, 128).Result()
	if err != nil {
		return pts, fmt.Errorf("SLOWLOG GET: %w", err)
	}
	top := r.slowID
	for _, e := range logs {
		if r.slowSeen && e.ID > r.slowID {
			pts = append(pts, Point{Time: e.Time, Source: "redis", Name: "redis.slowlog_us", Value: float64(e.Duration.Microseconds()), Label: shortCommand(e.Args)})
		}
		top = max(top, e.ID)
	}
	r.slowID, r.slowSeen = top, true
	return pts, nil
}

// shortCommand is a slow command with its first arguments.
func shortCommand(args []string) string {
	if len(args) > 4 {
		args = append(args[:4:4], "…")
	}
	s := strings.Join(args, " ")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}
