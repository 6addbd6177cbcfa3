package sampler

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Proxy is the run-wide HTTP proxy JMeter takes from its command line
// (-H/-P/-N/-u/-a/-E) or from the system properties http.proxyHost,
// http.proxyPort, http.nonProxyHosts and http.proxyScheme. It applies to
// every HTTP sampler whose host is not excluded; a sampler's own proxy
// (HTTPSampler.proxyHost) takes precedence, as in JMeter's HttpClient 4
// implementation.
type Proxy struct {
	url *url.URL
	// Excluded hosts, as JMeter reads http.nonProxyHosts: "a|b|*.c" where an
	// entry starting with '*' matches host names ending with the rest and any
	// other entry matches one host name exactly.
	full   map[string]bool
	suffix []string
}

// NewProxy checks and compiles a proxy setting. host empty means no proxy
// (nil, nil). JMeter wants a port with a host: a host without one is an error.
func NewProxy(host, port, scheme, nonProxyHosts, user, pass string) (*Proxy, error) {
	host = strings.TrimSpace(host)
	if host == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(port))
	if err != nil || n <= 0 || n > 65535 {
		return nil, fmt.Errorf("proxy %s: port %q is not a port number (give -P with -H)", host, port)
	}
	scheme = strings.ToLower(strings.TrimSpace(scheme))
	if scheme == "" {
		scheme = "http"
	}
	if scheme != "http" {
		return nil, fmt.Errorf("proxy %s: scheme %q is not supported (gometer talks to proxies over plain http)", host, scheme)
	}
	p := &Proxy{url: &url.URL{Scheme: scheme, Host: net.JoinHostPort(host, strconv.Itoa(n))}, full: map[string]bool{}}
	if user != "" {
		p.url.User = url.UserPassword(user, pass)
	}
	for _, h := range strings.Split(nonProxyHosts, "|") {
		switch {
		case h == "":
		case h[0] == '*':
			p.suffix = append(p.suffix, h[1:])
		default:
			p.full[h] = true
		}
	}
	return p, nil
}

// For returns the proxy URL for requests to host, or nil when host is excluded.
func (p *Proxy) For(host string) *url.URL {
	if p == nil || p.full[host] {
		return nil
	}
	for _, s := range p.suffix {
		if strings.HasSuffix(host, s) {
			return nil
		}
	}
	return p.url
}

// String names the proxy without its password, for logs.
func (p *Proxy) String() string {
	if p == nil {
		return "none"
	}
	return p.url.Redacted()
}
