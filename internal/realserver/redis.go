package realserver

import (
	"fmt"
	"net"
	"os"
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
	bin := need(t, "Redis", "redis-server", "redis-server")
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

// StartRedisServer starts redis-server outside a test (the demo): on a free
// loopback port, no persistence, files in a new temporary folder. stop ends
// it and removes the folder.
func StartRedisServer(extra ...string) (r *Redis, stop func(), err error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, nil, fmt.Errorf("%w: redis-server (Debian package redis-server)", ErrMissing)
	}
	dir, err := os.MkdirTemp("", "gometer-redis-")
	if err != nil {
		return nil, nil, err
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--daemonize", "no"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	stop = func() {
		cmd.Process.Kill()
		<-done
		os.RemoveAll(dir)
	}
	r = &Redis{Addr: fmt.Sprintf("127.0.0.1:%d", port)}
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", r.Addr, time.Second)
		if err == nil {
			c.Close()
			return r, stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			return nil, nil, fmt.Errorf("redis-server did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond) // polling the server's readiness
	}
}
