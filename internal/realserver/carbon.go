package realserver

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Carbon is a running Graphite carbon-cache storing whisper files.
type Carbon struct {
	Addr    string // plaintext receiver, host:port
	dataDir string
}

// StartCarbon starts Debian's carbon-cache (graphite-carbon) with its
// plaintext receiver on a free port, keeping every metric at 1 s
// resolution for an hour in a temporary directory.
func StartCarbon(t testing.TB) *Carbon {
	t.Helper()
	bin := need(t, "Graphite carbon", "carbon-cache", "graphite-carbon")
	dir := t.TempDir()
	line, pickle, query := FreePort(t), FreePort(t), FreePort(t)
	data := filepath.Join(dir, "whisper")
	conf := fmt.Sprintf(`[cache]
STORAGE_DIR = %[1]s
LOCAL_DATA_DIR = %[2]s
WHITELISTS_DIR = %[1]s/lists
LOG_DIR = %[1]s/log
PID_DIR = %[1]s
ENABLE_LOGROTATION = False
USER =
MAX_CACHE_SIZE = inf
MAX_UPDATES_PER_SECOND = inf
MAX_CREATES_PER_MINUTE = inf
LINE_RECEIVER_INTERFACE = 127.0.0.1
LINE_RECEIVER_PORT = %[3]d
ENABLE_UDP_LISTENER = False
PICKLE_RECEIVER_INTERFACE = 127.0.0.1
PICKLE_RECEIVER_PORT = %[4]d
CACHE_QUERY_INTERFACE = 127.0.0.1
CACHE_QUERY_PORT = %[5]d
LOG_LISTENER_CONNECTIONS = False
LOG_UPDATES = False
LOG_CREATES = False
WHISPER_AUTOFLUSH = True
`, dir, data, line, pickle, query)
	schemas := "[all]\npattern = .*\nretentions = 1s:1h\n"
	for name, body := range map[string]string{"carbon.conf": conf, "storage-schemas.conf": schemas, "storage-aggregation.conf": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"log", "lists", "whisper"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	start(t, dir, "carbon", exec.Command(bin, "--config="+filepath.Join(dir, "carbon.conf"), "--nodaemon",
		"--pidfile="+filepath.Join(dir, "carbon.pid"), "--logdir="+filepath.Join(dir, "log"), "start"))
	c := &Carbon{Addr: "127.0.0.1:" + strconv.Itoa(line), dataDir: data}
	waitUntil(t, "carbon-cache", filepath.Join(dir, "carbon.log"), 30*time.Second, func() bool {
		conn, err := net.Dial("tcp", c.Addr)
		if err != nil {
			return false
		}
		conn.Close()
		return true
	})
	return c
}

// Values reads a metric's stored points (non-null values) with
// whisper-fetch, waiting up to timeout for them to reach the disk.
func (c *Carbon) Values(t testing.TB, metric string, timeout time.Duration) map[int64]float64 {
	t.Helper()
	fetch := need(t, "Graphite carbon", "whisper-fetch", "python3-whisper")
	path := filepath.Join(c.dataDir, filepath.FromSlash(strings.ReplaceAll(metric, ".", "/"))+".wsp")
	deadline := time.Now().Add(timeout)
	for {
		out := map[int64]float64{}
		if _, err := os.Stat(path); err == nil {
			b, err := exec.Command(fetch, "--from=0", path).Output()
			if err != nil {
				t.Fatalf("whisper-fetch %s: %v", path, err)
			}
			for _, l := range strings.Split(string(b), "\n") {
				f := strings.Fields(l)
				if len(f) != 2 || f[1] == "None" {
					continue
				}
				ts, _ := strconv.ParseInt(f[0], 10, 64)
				v, _ := strconv.ParseFloat(f[1], 64)
				out[ts] = v
			}
			if len(out) > 0 {
				return out
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no points of %s stored within %v", metric, timeout)
		}
		time.Sleep(100 * time.Millisecond) // polling the server's disk writes, not synchronising test steps
	}
}
