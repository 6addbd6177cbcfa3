package sampler

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"gometer/functions"
	"gometer/jmx"
)

// cacheConfig is a compiled CacheManager.
type cacheConfig struct {
	el         *jmx.Element
	clearEach  bool
	controlled bool
	useExpires bool
	maxSize    int
	methods    []string // cacheable_methods property, default GET
}

func compileCache(el *jmx.Element, props *functions.Properties) *cacheConfig {
	c := &cacheConfig{
		el:         el,
		clearEach:  el.Bool("clearEachIteration", false),
		controlled: el.Bool("CacheManager.controlledByThread", false),
		useExpires: el.Bool("useExpires", false),
		maxSize:    int(el.Int("maxSize", 5000)),
		methods:    []string{"GET"},
	}
	if c.maxSize <= 0 {
		c.maxSize = 5000
	}
	if props != nil {
		if v, ok := props.Get("cacheable_methods"); ok {
			c.methods = strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' })
		}
	}
	return c
}

type cacheEntry struct {
	lastModified string
	etag         string
	expires      time.Time // zero: not fresh, always revalidate
}

// cacheStore is one user's cache for one CacheManager. Like JMeter's it
// keeps validators (Last-Modified, ETag) and, with useExpires, a freshness
// date; bodies are not kept. A fresh GET is not sent at all and produces no
// sample (JMeter's default cache_manager.cached_resource_mode=RETURN_NO_SAMPLE).
type cacheStore struct {
	mu      sync.Mutex // parallel embedded downloads share the store
	cfg     *cacheConfig
	entries map[string]*cacheEntry
}

func newCacheStore(cfg *cacheConfig) *cacheStore {
	return &cacheStore{cfg: cfg, entries: map[string]*cacheEntry{}}
}

func (s *cacheStore) reset() {
	s.mu.Lock()
	clear(s.entries)
	s.mu.Unlock()
}

// fresh reports whether a GET of url can be answered from the cache.
func (s *cacheStore) fresh(url string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.entries[url]
	return e != nil && !e.expires.IsZero() && e.expires.After(now)
}

// conditional adds If-Modified-Since / If-None-Match for a cached url.
func (s *cacheStore) conditional(url string, h http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.entries[url]
	if e == nil {
		return
	}
	if e.lastModified != "" {
		h.Set("If-Modified-Since", e.lastModified)
	}
	if e.etag != "" {
		h.Set("If-None-Match", e.etag)
	}
}

func (s *cacheStore) cacheable(method string, code int) bool {
	ok := false
	for _, m := range s.cfg.methods {
		if strings.EqualFold(m, method) {
			ok = true
			break
		}
	}
	return ok && ((code >= 200 && code <= 299) || code == 304)
}

// save records a response's cache information. As in JMeter 5.6.3, an entry
// already present for the URL is kept as it is. Responses with a Vary header
// are not cached (JMeter keeps per-variant entries; gometer does not).
func (s *cacheStore) save(url, method string, code int, h http.Header, now time.Time) {
	if !s.cacheable(method, code) || h.Get("Vary") != "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.entries[url]; ok {
		return
	}
	lastModified := h.Get("Last-Modified")
	expires := h.Get("Expires")
	etag := h.Get("Etag")
	cc := h.Get("Cache-Control")
	date := h.Get("Date")
	if strings.TrimSpace(lastModified+expires+etag+cc) == "" {
		return
	}
	e := &cacheEntry{lastModified: lastModified, etag: etag}
	if s.cfg.useExpires {
		if strings.Contains(cc, "no-store") {
			return
		}
		var exp time.Time
		if expires != "" {
			t, err := http.ParseTime(expires)
			if err != nil {
				t = time.Unix(0, 0) // an invalid date counts as expired
			}
			exp = t
		}
		if !strings.Contains(cc, "no-cache") {
			if i := strings.Index(cc, "max-age="); i >= 0 {
				v := cc[i+len("max-age="):]
				if j := strings.IndexAny(v, ", "); j >= 0 {
					v = v[:j]
				}
				if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
					exp = now.Add(time.Duration(secs) * time.Second)
				}
			} else if expires == "" {
				exp = heuristicExpiry(lastModified, date, now)
			}
		}
		e.expires = exp
	}
	if len(s.entries) >= s.cfg.maxSize {
		for k := range s.entries { // evict one entry
			delete(s.entries, k)
			break
		}
	}
	s.entries[url] = e
}

// heuristicExpiry is JMeter's guess without max-age or Expires: a tenth of
// the time since the last modification, or one year.
func heuristicExpiry(lastModified, date string, now time.Time) time.Time {
	if lastModified != "" && date != "" {
		d, err1 := http.ParseTime(date)
		lm, err2 := http.ParseTime(lastModified)
		if err1 == nil && err2 == nil {
			return now.Add(time.Duration(float64(d.Sub(lm)) * 0.1).Round(time.Millisecond))
		}
	}
	return now.Add(365 * 24 * time.Hour)
}
