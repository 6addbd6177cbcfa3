package realserver

import (
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Redis is a running redis-server.
type Redis struct {
	Addr string // 127.0.0.1:port
}

// URL is a redis:// URL for database 0.
func (r *Redis) URL() string { return "redis://" + r.Addr + "/0" }

// StartRedis starts Debian's redis-server on a free loopback port with no
// persistence and its files in a temporary directory; extra are more
// configuration arguments ("--slowlog-log-slower-than", "0" …).
func StartRedis(t testing.TB, extra ...string) *Redis {
	t.Helper()
	bin := need(t, "redis-server", "redis-server")
	dir := t.TempDir()
	port := FreePort(t)
	args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--daemonize", "no", "--protected-mode", "yes"}, extra...)
	start(t, dir, "redis-server", exec.Command(bin, args...))
	r := &Redis{Addr: fmt.Sprintf("127.0.0.1:%d", port)}
	waitUntil(t, "redis-server", filepath.Join(dir, "redis-server.log"), 20*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", r.Addr, time.Second)
		if err != nil {
			return false
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(time.Second))
		c.Write([]byte("PING\r\n"))
		buf := make([]byte, 16)
		n, _ := c.Read(buf)
		return string(buf[:n]) == "+PONG\r\n"
	})
	return r
}
