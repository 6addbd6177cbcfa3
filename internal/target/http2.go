package target

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"
)

// StartHTTP2 serves the same endpoints over HTTP/2: over TLS (ALPN "h2",
// self-signed certificate, HTTP/1.1 still offered) or, with tlsOn false,
// in clear text where a client speaking HTTP/2 with prior knowledge (h2c)
// and one speaking HTTP/1.1 are both answered. Every answer carries
// X-Proto, the protocol that served it. It returns the base URL.
func (s *Server) StartHTTP2(addr string, tlsOn bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
		return "", errors.New("target: server closed")
	default:
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("target: listen on %s: %w", addr, err)
	}
	p := new(http.Protocols)
	p.SetHTTP1(true)
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Proto", r.Proto)
			s.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: time.Minute,
		ErrorLog:          log.New(logWriter{s.logf}, "", 0),
		Protocols:         p,
	}
	scheme := "http"
	if tlsOn {
		cert, leaf, err := selfSigned()
		if err != nil {
			ln.Close()
			return "", fmt.Errorf("target: certificate: %w", err)
		}
		p.SetHTTP2(true)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}}
		if s.tlsCert == nil {
			s.tlsCert = leaf
		}
		scheme = "https"
		go func() {
			if err := srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.logf("target: serve h2: %v", err)
			}
		}()
	} else {
		p.SetUnencryptedHTTP2(true)
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.logf("target: serve h2c: %v", err)
			}
		}()
	}
	s.others = append(s.others, srv)
	return scheme + "://" + ln.Addr().String(), nil
}
