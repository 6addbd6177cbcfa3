// Package monitor samples server-side evidence while a run goes on —
// PostgreSQL's statistics views, Redis's INFO and SLOWLOG, this machine's or
// a process's CPU, memory, network and disk from /proc — and writes it as a
// series beside the JTL, so the report can show it on the same time axis as
// the response times and rank what moved with them.
//
// Monitors only read (no pg_stat_statements_reset, no CONFIG SET), each on
// its own interval in its own goroutine with a timeout per reading: a slow or
// unreachable server costs a warning, never the test.
package monitor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Point is one reading of one signal.
type Point struct {
	Time   time.Time
	Source string // "postgres", "redis", "host", "process:1234"
	Name   string // e.g. "pg.xact_commit_per_s", "redis.hit_rate_pct"
	Value  float64
	// Label distinguishes series of one name: a normalised query, a
	// network interface, a disk.
	Label string
}

// Monitor reads one server or host.
type Monitor interface {
	// Source names what is read, without credentials.
	Source() string
	// Sample returns the readings at now. Rates and deltas are over the
	// time since the previous Sample (the first reading may have none).
	Sample(ctx context.Context, now time.Time) ([]Point, error)
	Close() error
}

// Spec is a monitor as given on the command line.
type Spec struct {
	Kind     string        // postgres, redis, prometheus, host, process
	Target   string        // connection URL or PID; "" for host
	Interval time.Duration // default 5 s
	Top      int           // postgres: statements kept per interval (default 10)
}

// DefaultInterval is how often a monitor reads unless told otherwise.
const DefaultInterval = 5 * time.Second

// ParseSpec reads --monitor values: postgres://user@host:port/db,
// redis://host:port/0, http(s)://host:port/metrics (a service's Prometheus
// metrics), host, process:PID, process:name=EXE[#INDEX]; options as query parameters
// (interval=2s, top=20) or, for host and process, after a '?'.
func ParseSpec(s string) (Spec, error) {
	sp := Spec{Interval: DefaultInterval, Top: 10}
	raw := strings.TrimSpace(s)
	var q url.Values
	switch {
	case strings.HasPrefix(raw, "postgres://") || strings.HasPrefix(raw, "postgresql://"):
		var err error
		if sp.Target, q, err = splitOptions(raw); err != nil {
			return sp, fmt.Errorf("--monitor: bad PostgreSQL URL: %v", err)
		}
		sp.Kind = "postgres"
	case strings.HasPrefix(raw, "redis://") || strings.HasPrefix(raw, "rediss://"):
		var err error
		if sp.Target, q, err = splitOptions(raw); err != nil {
			return sp, fmt.Errorf("--monitor: bad Redis URL: %v", err)
		}
		sp.Kind = "redis"
	case strings.HasPrefix(raw, "http://") || strings.HasPrefix(raw, "https://"):
		var err error
		if sp.Target, q, err = splitOptions(raw); err != nil {
			return sp, fmt.Errorf("--monitor: bad metrics URL: %v", err)
		}
		if u, _ := url.Parse(sp.Target); u.Host == "" {
			return sp, fmt.Errorf("--monitor: metrics URL %q has no host", redact(raw))
		}
		sp.Kind = "prometheus"
	default:
		base, query, _ := strings.Cut(raw, "?")
		var err error
		if q, err = url.ParseQuery(query); err != nil {
			return sp, fmt.Errorf("--monitor %q: %v", s, err)
		}
		switch {
		case base == "host":
			sp.Kind = "host"
		case strings.HasPrefix(base, "process:name="):
			if _, _, err := parseProcessName(strings.TrimPrefix(base, "process:name=")); err != nil {
				return sp, fmt.Errorf("--monitor %q: %v", s, err)
			}
			sp.Kind, sp.Target = "process", strings.TrimPrefix(base, "process:")
		case strings.HasPrefix(base, "process:"):
			pid, err := strconv.Atoi(strings.TrimPrefix(base, "process:"))
			if err != nil || pid <= 0 {
				return sp, fmt.Errorf("--monitor %q: want process:PID or process:name=EXE[#INDEX]", s)
			}
			sp.Kind, sp.Target = "process", strconv.Itoa(pid)
		default:
			return sp, fmt.Errorf("--monitor %q: want postgres://…, redis://…, http(s)://…/metrics, host or process:PID", redact(s))
		}
	}
	if v := q.Get("interval"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 100*time.Millisecond {
			return sp, fmt.Errorf("--monitor interval %q: want a duration of at least 100ms", v)
		}
		sp.Interval = d
	}
	if v := q.Get("top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return sp, fmt.Errorf("--monitor top %q: want 1 to 1000", v)
		}
		sp.Top = n
	}
	return sp, nil
}

// splitOptions parses a monitor's URL and takes gometer's options
// (interval, top) out of its query: the rest stays for the driver.
func splitOptions(raw string) (target string, opts url.Values, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", nil, redactErr(err)
	}
	opts = u.Query()
	rest := u.Query()
	rest.Del("interval")
	rest.Del("top")
	u.RawQuery = rest.Encode()
	return u.String(), opts, nil
}

// Open connects a monitor for sp.
func Open(ctx context.Context, sp Spec) (Monitor, error) {
	switch sp.Kind {
	case "postgres":
		return openPostgres(ctx, sp)
	case "redis":
		return openRedis(ctx, sp)
	case "prometheus":
		return openPrometheus(ctx, sp)
	case "host":
		return newHost(), nil
	case "process":
		if name, ok := strings.CutPrefix(sp.Target, "name="); ok {
			exe, index, err := parseProcessName(name)
			if err != nil {
				return nil, err
			}
			pid, err := findProcess("/proc", exe, index)
			if err != nil {
				return nil, err
			}
			return newProcess(pid)
		}
		pid, _ := strconv.Atoi(sp.Target)
		return newProcess(pid)
	}
	return nil, fmt.Errorf("monitor: unknown kind %q", sp.Kind)
}

// Redact hides the password of a connection URL, for messages.
func Redact(target string) string { return redact(target) }

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// redactErr drops a URL parse error's copy of the URL (it may hold a
// password).
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
