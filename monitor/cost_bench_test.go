package monitor

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"

	"github.com/gometer/gometer/internal/realserver"
)

// BenchmarkMonitorCost measures what each monitor costs, against real
// PostgreSQL and Redis on this machine:
//
//   - the load's throughput with the monitor reading every 100 ms (50 times
//     as often as the default) over without it, in the same run: the median
//     of 8 ratios of adjacent half-second phases (ratio_<kind>; 1 is free).
//     Kind "none" compares two phases without a monitor: how far the
//     ratios move on this machine without any monitor (the noise);
//   - the monitor's own CPU in this process per reading (cpu_us/tick_<kind>),
//     with no load running;
//   - the monitored server's time per reading: PostgreSQL's execution time
//     of the monitor's statements from pg_stat_statements (server_us/tick_postgres),
//     Redis's time in INFO and SLOWLOG from INFO commandstats
//     (server_us/tick_redis).
//
// The load is 8 goroutines alternating a primary-key SELECT and a Redis
// GET. Run it alone: go test -run ^$ -bench MonitorCost -benchtime 1x ./monitor
func BenchmarkMonitorCost(b *testing.B) {
	pg := realserver.PostgresT(b)
	rd := realserver.StartRedis(b)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pg.URL("postgres"))
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	for _, q := range []string{`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`,
		`CREATE TABLE kv (id int PRIMARY KEY, v text)`,
		`INSERT INTO kv SELECT g, md5(g::text) FROM generate_series(1, 10000) g`, `ANALYZE kv`} {
		if _, err := pool.Exec(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	const workers = 8
	rc := redis.NewClient(&redis.Options{Addr: rd.Addr, PoolSize: workers})
	defer rc.Close()
	for i := range 1000 {
		rc.Set(ctx, "k"+strconv.Itoa(i), "value", 0)
	}
	// a service's metrics endpoint, as the shop publishes it
	reg := prometheus.NewRegistry()
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "app_pool_in_use", Help: "h"}, func() float64 { return float64(pool.Stat().AcquiredConns()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "app_pool_wait_seconds_total", Help: "h"}, func() float64 { return pool.Stat().EmptyAcquireWaitTime().Seconds() }))
	metrics := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer metrics.Close()

	load := func(d time.Duration) float64 {
		var ops atomic.Int64
		var wg sync.WaitGroup
		end := time.Now().Add(d)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var v string
				for i := w; time.Now().Before(end); i += workers {
					if i%2 == 0 {
						if err := pool.QueryRow(ctx, `SELECT v FROM kv WHERE id = $1`, 1+i%10000).Scan(&v); err != nil {
							b.Error(err)
							return
						}
					} else if err := rc.Get(ctx, "k"+strconv.Itoa(i%1000)).Err(); err != nil {
						b.Error(err)
						return
					}
					ops.Add(1)
				}
			}()
		}
		wg.Wait()
		return float64(ops.Load()) / d.Seconds()
	}
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	// the monitor's statements as PostgreSQL counts them
	pgMonitorTime := func() float64 {
		var ms float64
		pool.QueryRow(ctx, `SELECT coalesce(sum(total_exec_time), 0) FROM pg_stat_statements WHERE (query LIKE '%pg\_stat\_%' OR query LIKE '%pg\_extension%') AND query NOT LIKE '%sum(total\_exec\_time)%'`).Scan(&ms)
		return ms
	}
	cmdstat := regexp.MustCompile(`cmdstat_(info|slowlog\|get|slowlog):calls=\d+,usec=(\d+)`)
	redisMonitorTime := func() float64 {
		s, _ := rc.Info(ctx, "commandstats").Result()
		us := 0.0
		for _, m := range cmdstat.FindAllStringSubmatch(s, -1) {
			v, _ := strconv.ParseFloat(m[2], 64)
			us += v
		}
		return us
	}

	const every, phase, rounds, ticks = 100 * time.Millisecond, 500 * time.Millisecond, 8, 50
	kinds := []Spec{
		{Kind: "none"},
		{Kind: "host"},
		{Kind: "process", Target: strconv.Itoa(os.Getpid())},
		{Kind: "postgres", Target: pg.URL("postgres"), Top: 10},
		{Kind: "redis", Target: rd.URL()},
		{Kind: "prometheus", Target: metrics.URL + "/metrics"},
	}
	load(phase) // warm up the pools and caches
	for b.Loop() {
		for _, sp := range kinds {
			sp.Interval = every
			var m Monitor = idle{}
			if sp.Kind != "none" {
				if m, err = Open(ctx, sp); err != nil {
					b.Fatalf("%s: %v", sp.Kind, err)
				}
			}
			m.Sample(ctx, time.Now())
			var without, with float64
			var ratios []float64
			for range rounds {
				w0 := load(phase)
				without += w0
				stop := make(chan struct{})
				done := make(chan struct{})
				go func() {
					defer close(done)
					t := time.NewTicker(every)
					defer t.Stop()
					for {
						select {
						case now := <-t.C:
							m.Sample(ctx, now)
						case <-stop:
							return
						}
					}
				}()
				w1 := load(phase)
				with += w1
				ratios = append(ratios, w1/w0)
				close(stop)
				<-done
			}
			sort.Float64s(ratios)
			ratio := (ratios[rounds/2-1] + ratios[rounds/2]) / 2
			// the monitor alone: its CPU here and its time on the server
			pg0, rd0 := pgMonitorTime(), redisMonitorTime()
			c0 := cpu()
			for range ticks {
				if _, err := m.Sample(ctx, time.Now()); err != nil {
					b.Fatalf("%s: %v", sp.Kind, err)
				}
			}
			perTick := float64(cpu()-c0) / float64(time.Microsecond) / ticks
			pg1, rd1 := pgMonitorTime(), redisMonitorTime()
			m.Close()
			b.ReportMetric(ratio, "ratio_"+sp.Kind)
			b.ReportMetric(perTick, "cpu_us/tick_"+sp.Kind)
			server := ""
			switch sp.Kind {
			case "postgres":
				v := (pg1 - pg0) * 1000 / ticks
				b.ReportMetric(v, "server_us/tick_postgres")
				server = fmt.Sprintf(", server %.0f µs/tick (pg_stat_statements)", v)
			case "redis":
				v := (rd1 - rd0) / ticks
				b.ReportMetric(v, "server_us/tick_redis")
				server = fmt.Sprintf(", server %.0f µs/tick (INFO commandstats)", v)
			}
			b.Logf("%-10s load %.0f ops/s without, %.0f with; ratio median %.3f (%.3f … %.3f); monitor CPU %.0f µs/tick%s", sp.Kind, without/rounds, with/rounds,
				ratio, ratios[0], ratios[rounds-1], perTick, server)
		}
	}
}

// idle is no monitor: the control of the cost benchmark.
type idle struct{}

func (idle) Source() string                                     { return "none" }
func (idle) Sample(context.Context, time.Time) ([]Point, error) { return nil, nil }
func (idle) Close() error                                       { return nil }
