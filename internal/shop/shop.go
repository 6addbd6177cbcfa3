// Package shop is the demo's small payment/trading service backed by a real
// PostgreSQL and Redis, with the classic faults built in on purpose so that
// `gometer demo --bottlenecks` has something to find:
//
//   - a missing index: orders are looked up by customer, and the orders
//     table only has its primary key, so each lookup scans a table that
//     grows with every order placed;
//   - an N+1 query: a customer's statement reads the orders, then each
//     order's items one query at a time;
//   - a cache too small: quotes are cached in a Redis limited to a little
//     memory, so as more symbols are asked for the hit rate falls;
//   - a connection pool too small for the load: requests queue for one of
//     few connections.
//
// The service publishes its own metrics at /metrics (Prometheus text): how
// long requests waited for a pooled connection, the pool's use, its cache
// hits and misses — what only the service knows, for gometer's metrics
// monitor.
package shop

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
)

// Options configure the service.
type Options struct {
	PostgresURL string // the database (its tables are created)
	RedisAddr   string // host:port
	PoolSize    int32  // connections to PostgreSQL (default 3: too few)
	Customers   int    // default 200
	// WarmQuotes are the quotes cached at start (SYM0 … SYM<n-1>), so that
	// the cache begins warm and its hit rate falls only once more symbols
	// are asked for than fit.
	WarmQuotes int
}

// Service is the running shop.
type Service struct {
	db    *pgxpool.Pool
	cache *redis.Client
	srv   *http.Server
	ln    net.Listener
	opts  Options

	hits, misses prometheus.Counter
}

// quoteHistory pads a cached quote, so that a small cache holds few.
const quoteHistory = 16 << 10

// Start creates the schema, fills it, and serves on a free loopback port.
func Start(ctx context.Context, o Options) (*Service, string, error) {
	if o.PoolSize == 0 {
		o.PoolSize = 3
	}
	if o.Customers == 0 {
		o.Customers = 200
	}
	cfg, err := pgxpool.ParseConfig(o.PostgresURL)
	if err != nil {
		return nil, "", err
	}
	cfg.MaxConns = o.PoolSize
	db, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, "", err
	}
	s := &Service{db: db, opts: o, cache: redis.NewClient(&redis.Options{Addr: o.RedisAddr, PoolSize: 20})}
	if err := s.schema(ctx); err != nil {
		s.Close()
		return nil, "", fmt.Errorf("shop schema: %w", err)
	}
	for i := range o.WarmQuotes {
		if _, err := s.cacheQuote(ctx, "SYM"+strconv.Itoa(i)); err != nil {
			s.Close()
			return nil, "", fmt.Errorf("shop cache: %w", err)
		}
	}
	reg := s.metrics()
	s.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.Close()
		return nil, "", err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders", s.placeOrder)
	mux.HandleFunc("GET /customers/{id}/orders", s.customerOrders)
	mux.HandleFunc("GET /customers/{id}/statement", s.statement)
	mux.HandleFunc("GET /quotes/{symbol}", s.quote)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(s.ln)
	return s, "http://" + s.ln.Addr().String(), nil
}

// Close stops serving and closes the connections.
func (s *Service) Close() {
	if s.srv != nil {
		s.srv.Close()
	}
	s.cache.Close()
	s.db.Close()
}

func (s *Service) schema(ctx context.Context) error {
	for _, q := range []string{
		`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`,
		`DROP TABLE IF EXISTS order_items, orders`,
		// no index on customer: the fault the demo finds
		`CREATE TABLE orders (id bigserial PRIMARY KEY, customer int NOT NULL, symbol text NOT NULL, qty int NOT NULL, price numeric(12,2) NOT NULL, placed timestamptz NOT NULL DEFAULT now())`,
		`CREATE TABLE order_items (id bigserial PRIMARY KEY, order_id bigint NOT NULL, leg int NOT NULL, note text)`,
		`CREATE INDEX ON order_items (order_id)`,
		fmt.Sprintf(`INSERT INTO orders (customer, symbol, qty, price) SELECT g %% %d, 'SYM' || (g %% 50), 1 + g %% 9, 10 + g %% 90 FROM generate_series(1, 20000) g`, s.opts.Customers),
		`INSERT INTO order_items (order_id, leg, note) SELECT o.id, l, 'leg' FROM orders o, generate_series(1, 2) l`,
		`ANALYZE`,
	} {
		if _, err := s.db.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", strings.Fields(q)[0], err)
		}
	}
	return nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, err error) {
	http.Error(w, err.Error(), http.StatusInternalServerError)
}

// placeOrder inserts an order with its two legs: the table the customer
// lookups scan keeps growing.
func (s *Service) placeOrder(w http.ResponseWriter, r *http.Request) {
	customer, _ := strconv.Atoi(r.URL.Query().Get("customer"))
	symbol := r.URL.Query().Get("symbol")
	if symbol == "" {
		symbol = "SYM" + strconv.Itoa(rand.IntN(50))
	}
	ctx := r.Context()
	var id int64
	// many rows per request, so the table grows visibly during a short demo
	err := s.db.QueryRow(ctx, `INSERT INTO orders (customer, symbol, qty, price)
		SELECT $1, $2, 1 + g % 9, 10 + g % 90 FROM generate_series(1, 1000) g RETURNING id`, customer%s.opts.Customers, symbol).Scan(&id)
	if err != nil {
		fail(w, err)
		return
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO order_items (order_id, leg, note) VALUES ($1, 1, 'buy'), ($1, 2, 'settle')`, id); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, map[string]any{"order": id})
}

// customerOrders looks the orders up by customer: a sequential scan.
func (s *Service) customerOrders(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.PathValue("id"))
	var n int
	var total float64
	err := s.db.QueryRow(r.Context(), `SELECT count(*), coalesce(sum(qty * price), 0)::float8 FROM orders WHERE customer = $1`, id%s.opts.Customers).Scan(&n, &total)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, map[string]any{"orders": n, "total": total})
}

// statement reads a customer's latest orders, then each order's items with
// a query of its own (N+1).
func (s *Service) statement(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.PathValue("id"))
	ctx := r.Context()
	rows, err := s.db.Query(ctx, `SELECT id FROM orders WHERE id > $1 ORDER BY id LIMIT 20`, int64(id%s.opts.Customers)*90)
	if err != nil {
		fail(w, err)
		return
	}
	var ids []int64
	for rows.Next() {
		var oid int64
		rows.Scan(&oid)
		ids = append(ids, oid)
	}
	rows.Close()
	items := 0
	for _, oid := range ids {
		var n int
		if err := s.db.QueryRow(ctx, `SELECT count(*) FROM order_items WHERE order_id = $1`, oid).Scan(&n); err != nil {
			fail(w, err)
			return
		}
		items += n
	}
	writeJSON(w, map[string]any{"orders": len(ids), "items": items})
}

// quote is cache-aside: Redis first, else a slow computation stored for a
// minute. The cache's memory is too small for the symbols asked for.
func (s *Service) quote(w http.ResponseWriter, r *http.Request) {
	sym := r.PathValue("symbol")
	ctx := r.Context()
	key := "quote:" + sym
	if v, err := s.cache.Get(ctx, key).Result(); err == nil {
		s.hits.Inc()
		w.Header().Set("X-Cache", "hit")
		w.Write([]byte(v))
		return
	}
	s.misses.Inc()
	body, err := s.cacheQuote(ctx, sym)
	if err != nil {
		fail(w, err)
		return
	}
	w.Header().Set("X-Cache", "miss")
	w.Write(body)
}

// cacheQuote computes a quote (a database round trip: a miss costs one)
// and caches it for ten minutes.
func (s *Service) cacheQuote(ctx context.Context, sym string) ([]byte, error) {
	var avg float64
	if err := s.db.QueryRow(ctx, `SELECT coalesce(avg(price), 0)::float8 FROM orders WHERE symbol = $1`, sym).Scan(&avg); err != nil {
		return nil, err
	}
	body, _ := json.Marshal(map[string]any{"symbol": sym, "avg": avg, "history": strings.Repeat("x", quoteHistory)})
	return body, s.cache.Set(ctx, "quote:"+sym, body, 10*time.Minute).Err()
}

// metrics registers the service's own figures: the connection pool's (read
// from pgxpool at each scrape) and the quote cache's.
func (s *Service) metrics() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	stat := func(f func(*pgxpool.Stat) float64) func() float64 {
		return func() float64 { return f(s.db.Stat()) }
	}
	s.hits = prometheus.NewCounter(prometheus.CounterOpts{Name: "shop_quote_cache_hits_total", Help: "Quotes served from Redis."})
	s.misses = prometheus.NewCounter(prometheus.CounterOpts{Name: "shop_quote_cache_misses_total", Help: "Quotes computed because Redis did not have them."})
	reg.MustRegister(s.hits, s.misses,
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "shop_db_pool_wait_seconds_total", Help: "Time requests waited for a free database connection (the pool was empty)."},
			stat(func(st *pgxpool.Stat) float64 { return st.EmptyAcquireWaitTime().Seconds() })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "shop_db_pool_waits_total", Help: "Acquires that waited because every connection was in use."},
			stat(func(st *pgxpool.Stat) float64 { return float64(st.EmptyAcquireCount()) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "shop_db_pool_in_use", Help: "Database connections in use."},
			stat(func(st *pgxpool.Stat) float64 { return float64(st.AcquiredConns()) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "shop_db_pool_max", Help: "The pool's size."},
			stat(func(st *pgxpool.Stat) float64 { return float64(st.MaxConns()) })),
	)
	return reg
}
