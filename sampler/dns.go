package sampler

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/jmx"
)

// dnsConfig is a compiled DNSCacheManager: static hosts, optional custom
// DNS servers, and whether the per-user cache is cleared each iteration.
type dnsConfig struct {
	el        *jmx.Element
	clearEach bool
	static    map[string][]string // lower-case host → addresses or names
	servers   []string            // host:port of custom resolvers
}

func compileDNS(el *jmx.Element) (*dnsConfig, error) {
	c := &dnsConfig{el: el, clearEach: el.Bool("DNSCacheManager.clearEachIteration", false)}
	custom := el.Bool("DNSCacheManager.isCustomResolver", false)
	for _, item := range el.Collection("DNSCacheManager.hosts") {
		h := item.Elem
		if h == nil {
			continue
		}
		name := strings.ToLower(strings.TrimSpace(h.Str("StaticHost.Name")))
		if name == "" {
			continue
		}
		var addrs []string
		for _, a := range strings.Split(h.Str("StaticHost.Address"), ",") {
			if a = strings.TrimSpace(a); a != "" {
				addrs = append(addrs, a)
			}
		}
		if len(addrs) == 0 {
			return nil, fmt.Errorf("%s (%s): static host %q has no address", el.Path(), el.Where(), name)
		}
		if c.static == nil {
			c.static = map[string][]string{}
		}
		c.static[name] = addrs
	}
	if custom {
		for _, item := range el.Collection("DNSCacheManager.servers") {
			s := strings.TrimSpace(item.Value)
			if s == "" {
				continue
			}
			if _, _, err := net.SplitHostPort(s); err != nil {
				s = net.JoinHostPort(s, "53")
			}
			c.servers = append(c.servers, s)
		}
	}
	return c, nil
}

// dnsState is one user's DNS cache for one DNSCacheManager.
type dnsState struct {
	mu       sync.Mutex // parallel embedded-resource workers share the cache
	cfg      *dnsConfig
	cache    map[string][]string
	resolver *net.Resolver
}

func newDNSState(cfg *dnsConfig) *dnsState {
	d := &dnsState{cfg: cfg, cache: map[string][]string{}}
	if len(cfg.servers) > 0 {
		servers := cfg.servers
		d.resolver = &net.Resolver{
			PreferGo: true,
			Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
				var dl net.Dialer
				var err error
				for _, s := range servers {
					var c net.Conn
					if c, err = dl.DialContext(ctx, network, s); err == nil {
						return c, nil
					}
				}
				return nil, err
			},
		}
	} else {
		d.resolver = net.DefaultResolver
	}
	return d
}

func (d *dnsState) reset() {
	d.mu.Lock()
	clear(d.cache)
	d.mu.Unlock()
}

// resolve returns the addresses of host: from the cache, the static hosts,
// or a lookup; the answer is cached for the user until cleared.
func (d *dnsState) resolve(ctx context.Context, host string) ([]string, error) {
	if ip := net.ParseIP(host); ip != nil {
		return []string{host}, nil
	}
	key := strings.ToLower(host)
	d.mu.Lock()
	a, ok := d.cache[key]
	d.mu.Unlock()
	if ok {
		return a, nil
	}
	var out []string
	if names, ok := d.cfg.static[key]; ok {
		for _, n := range names {
			if net.ParseIP(n) != nil {
				out = append(out, n)
				continue
			}
			ips, err := d.lookup(ctx, n)
			if err != nil {
				continue
			}
			out = append(out, ips...)
		}
		if len(out) == 0 {
			return nil, &net.DNSError{Err: "no usable static address", Name: host, IsNotFound: true}
		}
	} else {
		ips, err := d.lookup(ctx, host)
		if err != nil {
			return nil, err
		}
		out = ips
	}
	d.mu.Lock()
	d.cache[key] = out
	d.mu.Unlock()
	return out, nil
}

func (d *dnsState) lookup(ctx context.Context, host string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return d.resolver.LookupHost(ctx, host)
}
