package sampler

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
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
	vary         string    // the response's Vary: this entry only points to per-variant entries
}

// cacheStore is one user's cache for one CacheManager. Like JMeter's it
// keeps validators (Last-Modified, ETag) and, with useExpires, a freshness
// date; bodies are not kept. A fresh GET is not sent at all and produces no
// sample (JMeter's default cache_manager.cached_resource_mode=RETURN_NO_SAMPLE).
// A response with Vary is kept per variant of the request headers it names.
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

// lookup finds the entry for url and the request headers (for Vary); the
// caller holds the lock.
func (s *cacheStore) lookup(url string, req http.Header) *cacheEntry {
	e := s.entries[url]
	if e == nil || e.vary == "" {
		return e
	}
	return s.entries[varyKey(url, e.vary, req)]
}

// varyKey names the entry of one variant: the Vary header and the values
// the request had for the headers it lists.
func varyKey(url, vary string, req http.Header) string {
	names := strings.Split(vary, ",")
	for i := range names {
		names[i] = http.CanonicalHeaderKey(strings.TrimSpace(names[i]))
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("vary-")
	b.WriteString(vary)
	b.WriteString("-{")
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n + "=[" + strings.Join(req[n], ", ") + "]")
	}
	b.WriteString("}-")
	b.WriteString(url)
	return b.String()
}

// fresh reports whether a GET of url with these request headers can be
// answered from the cache.
func (s *cacheStore) fresh(url string, req http.Header, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.lookup(url, req)
	return e != nil && e.vary == "" && !e.expires.IsZero() && e.expires.After(now)
}

// conditional adds If-Modified-Since / If-None-Match for a cached url.
func (s *cacheStore) conditional(url string, h http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.lookup(url, h)
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
// already present for the URL is kept as it is, except for responses with
// Vary, whose entries are replaced.
func (s *cacheStore) save(url, method string, code int, h, req http.Header, now time.Time) {
	vary := h.Get("Vary")
	if vary == "*" || !s.cacheable(method, code) {
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if vary != "" {
		variant := *e
		s.entries[url] = &cacheEntry{lastModified: lastModified, etag: etag, expires: e.expires, vary: vary}
		s.entries[varyKey(url, vary, req)] = &variant
		return
	}
	if _, ok := s.entries[url]; ok {
		return
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
