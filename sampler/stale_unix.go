//go:build unix

package sampler

import (
	"crypto/tls"
	"errors"
	"net"
	"syscall"
)

// isStale is HttpClient's stale-connection check: a non-blocking read on
// an idle connection finds it closed by the server (EOF or error) or
// holding unexpected data; either way it must not be reused.
func isStale(c net.Conn) bool {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	stale := false
	var buf [1]byte
	err = rc.Read(func(fd uintptr) bool {
		n, rerr := syscall.Read(int(fd), buf[:])
		switch {
		case n > 0: // data nobody asked for
			stale = true
		case rerr == nil: // EOF: closed by the peer
			stale = true
		case !errors.Is(rerr, syscall.EAGAIN) && !errors.Is(rerr, syscall.EINTR):
			stale = true
		}
		return true // never wait
	})
	return stale || err != nil
}
