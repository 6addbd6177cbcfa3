package realserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// InfluxDB is a running influxd 1.x.
type InfluxDB struct {
	URL string // http://127.0.0.1:port
}

// StartInfluxDB starts Debian's influxd (1.x) with its data in a temporary
// directory and reporting disabled.
func StartInfluxDB(t testing.TB) *InfluxDB {
	t.Helper()
	bin := need(t, "InfluxDB", "influxd", "influxdb")
	dir := t.TempDir()
	httpPort, bindPort := FreePort(t), FreePort(t)
	conf := fmt.Sprintf(`reporting-disabled = true
bind-address = "127.0.0.1:%d"
[meta]
  dir = %q
[data]
  dir = %q
  wal-dir = %q
  query-log-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:%d"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
`, bindPort, filepath.Join(dir, "meta"), filepath.Join(dir, "data"), filepath.Join(dir, "wal"), httpPort)
	cfg := filepath.Join(dir, "influxdb.conf")
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	start(t, dir, "influxd", exec.Command(bin, "-config", cfg))
	db := &InfluxDB{URL: fmt.Sprintf("http://127.0.0.1:%d", httpPort)}
	waitUntil(t, "influxd", filepath.Join(dir, "influxd.log"), 30*time.Second, func() bool {
		resp, err := http.Get(db.URL + "/ping")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusNoContent
	})
	return db
}

// Query runs an InfluxQL statement against database db and returns the
// series of its first result.
func (d *InfluxDB) Query(t testing.TB, db, q string) []Series {
	t.Helper()
	resp, err := http.PostForm(d.URL+"/query", url.Values{"db": {db}, "q": {q}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Results []struct {
			Series []Series `json:"series"`
			Error  string   `json:"error"`
		} `json:"results"`
		Error string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("query %q: %v", q, err)
	}
	if r.Error != "" {
		t.Fatalf("query %q: %s", q, r.Error)
	}
	if len(r.Results) == 0 {
		return nil
	}
	if r.Results[0].Error != "" {
		t.Fatalf("query %q: %s", q, r.Results[0].Error)
	}
	return r.Results[0].Series
}

// Series is one series of a query result.
type Series struct {
	Name    string            `json:"name"`
	Tags    map[string]string `json:"tags"`
	Columns []string          `json:"columns"`
	Values  [][]any           `json:"values"`
}

// CreateDatabase creates database name and waits until it is listed (a
// server that answered /ping may still be opening its meta store).
func (d *InfluxDB) CreateDatabase(t testing.TB, name string) {
	t.Helper()
	waitUntil(t, "CREATE DATABASE "+name, "", 30*time.Second, func() bool {
		resp, err := http.PostForm(d.URL+"/query", url.Values{"q": {"CREATE DATABASE " + name}})
		if err != nil {
			return false
		}
		resp.Body.Close()
		for _, s := range d.Query(t, "", "SHOW DATABASES") {
			for _, v := range s.Values {
				if v[0] == name {
					return true
				}
			}
		}
		return false
	})
}
