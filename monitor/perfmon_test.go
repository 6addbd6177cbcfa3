package monitor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// PerfMon rows become the host monitor, or a process monitor for pid= and
// name=, at the collector's interval; what gometer cannot read on this
// machine is refused with the reason.
func TestFromPerfMon(t *testing.T) {
	for _, c := range []struct {
		metric, params, kind, target, err string
	}{
		{"CPU", "combined", "host", "", ""},
		{"Memory", "usedperc", "host", "", ""},
		{"Disks I/O", "unit=kb:writebytes", "host", "", ""},
		{"Network I/O", "iface=eth0:bytesrecv", "host", "", ""},
		{"CPU", "pid=4242:percent", "process", "4242", ""},
		{"Memory", "name=java#1:resident", "process", "name=java#1", ""},
		{"Memory", `label=a\:b:name=redis-server`, "process", "name=redis-server", ""},
		{"CPU", "pid=abc", "", "", "want pid=<number>"},
		{"Disks I/O", "pid=12:reads", "", "", "CPU and Memory only"},
		{"JMX", "gc-time", "", "", "gometer reads CPU, Memory"},
		{"EXEC", "/bin/sh:-c:uptime", "", "", "gometer reads CPU, Memory"},
	} {
		sp, err := FromPerfMon(c.metric, c.params, 250*time.Millisecond)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %s: error %v, want %q", c.metric, c.params, err, c.err)
			}
			continue
		}
		if err != nil || sp.Kind != c.kind || sp.Target != c.target || sp.Interval != 250*time.Millisecond {
			t.Errorf("%s %s: %+v %v", c.metric, c.params, sp, err)
		}
	}
}

// name=EXE#i is the i-th process by PID whose executable is EXE, as the
// PerfMon agent counts them; a process whose executable link cannot be
// read is matched by its command name.
func TestFindProcessByName(t *testing.T) {
	proc := t.TempDir()
	mk := func(pid, exe, comm string) {
		d := filepath.Join(proc, pid)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if exe != "" {
			os.Symlink(exe, filepath.Join(d, "exe"))
		}
		os.WriteFile(filepath.Join(d, "comm"), []byte(comm+"\n"), 0o644)
	}
	mk("900", "/usr/bin/redis-server", "redis-server")
	mk("31", "/usr/lib/jvm/bin/java", "java")
	mk("120", "/opt/Java", "Java")
	mk("77", "", "java") // another user's: no exe link
	mk("self", "/x", "x")
	for _, c := range []struct {
		name  string
		index int
		pid   int
	}{{"java", 0, 31}, {"java", 1, 77}, {"JAVA", 2, 120}, {"redis-server", 0, 900}} {
		pid, err := findProcess(proc, c.name, c.index)
		if err != nil || pid != c.pid {
			t.Errorf("%s#%d: %d %v, want %d", c.name, c.index, pid, err, c.pid)
		}
	}
	if _, err := findProcess(proc, "java", 3); err == nil {
		t.Error("java#3: want no process")
	}
	if _, err := ParseSpec("process:name=java#x"); err == nil {
		t.Error("process:name=java#x: want an error")
	}
	if sp, err := ParseSpec("process:name=java#1?interval=2s"); err != nil || sp.Target != "name=java#1" || sp.Interval != 2*time.Second {
		t.Errorf("process:name=java#1: %+v %v", sp, err)
	}
}
