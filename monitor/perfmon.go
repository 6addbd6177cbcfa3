package monitor

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// PerfMonIntervalProperty is the JMeter property the PerfMon Metrics
// Collector reads its interval from (milliseconds, 1000 by default).
const PerfMonIntervalProperty = "jmeterPlugin.perfmon.interval"

// FromPerfMon is the monitor that reads, on this machine, what a PerfMon
// Metrics Collector row asks its agent for: metric CPU, Memory, Disks I/O or
// Network I/O with the collector's parameters. A row naming a process
// (pid=N, or name=EXE[#i], the i-th process whose executable is EXE) is a
// process monitor; any other row is the host monitor, which reads every
// host figure at once (the parameter that picks one, "combined" or
// "usedperc", only chooses among what is recorded anyway).
func FromPerfMon(metric, params string, every time.Duration) (Spec, error) {
	sp := Spec{Kind: "host", Interval: every, Top: 10}
	if sp.Interval < 100*time.Millisecond {
		sp.Interval = 100 * time.Millisecond
	}
	kind := strings.ToLower(strings.TrimSpace(metric))
	switch kind {
	case "cpu", "memory", "disks i/o", "network i/o":
	default:
		return sp, fmt.Errorf("PerfMon metric %q: gometer reads CPU, Memory, Disks I/O and Network I/O", metric)
	}
	// parameters are ':'-separated; "\:" is a literal colon
	for _, tok := range strings.Split(strings.ReplaceAll(params, `\:`, "\x00"), ":") {
		tok = strings.ReplaceAll(strings.TrimSpace(tok), "\x00", ":")
		k, v, ok := strings.Cut(tok, "=")
		if !ok || (k != "pid" && k != "name") {
			continue
		}
		if kind != "cpu" && kind != "memory" {
			return sp, fmt.Errorf("PerfMon metric %s: a process (%s) is read for CPU and Memory only", metric, tok)
		}
		if k == "pid" {
			pid, err := strconv.Atoi(v)
			if err != nil || pid <= 0 {
				return sp, fmt.Errorf("PerfMon parameter %q: want pid=<number>", tok)
			}
			sp.Kind, sp.Target = "process", v
		} else {
			if v == "" {
				return sp, fmt.Errorf("PerfMon parameter %q: want name=<executable>[#<index>]", tok)
			}
			sp.Kind, sp.Target = "process", "name="+v
		}
	}
	return sp, nil
}

// findProcess is the PID of the index-th process (by PID) whose executable
// is named name (case-insensitive), as PerfMon's name=EXE#index finds it.
// Processes whose executable cannot be read (another user's) are matched by
// their command name.
func findProcess(proc, name string, index int) (int, error) {
	ents, err := os.ReadDir(proc)
	if err != nil {
		return 0, err
	}
	var pids []int
	for _, e := range ents {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			pids = append(pids, pid)
		}
	}
	sort.Ints(pids)
	want := strings.ToLower(name)
	n := 0
	for _, pid := range pids {
		exe := ""
		if p, err := os.Readlink(fmt.Sprintf("%s/%d/exe", proc, pid)); err == nil {
			exe = filepath.Base(strings.TrimSuffix(p, " (deleted)"))
		} else if b, err := os.ReadFile(fmt.Sprintf("%s/%d/comm", proc, pid)); err == nil {
			exe = strings.TrimSpace(string(b))
		}
		if strings.ToLower(exe) != want {
			continue
		}
		if n == index {
			return pid, nil
		}
		n++
	}
	return 0, fmt.Errorf("process monitor: no process named %s (index %d)", name, index)
}

// parseProcessName reads "NAME[#INDEX]".
func parseProcessName(s string) (string, int, error) {
	name, idx, hasIdx := strings.Cut(s, "#")
	if name == "" {
		return "", 0, fmt.Errorf("want name=EXE[#INDEX]")
	}
	i := 0
	if hasIdx {
		var err error
		if i, err = strconv.Atoi(idx); err != nil || i < 0 {
			return "", 0, fmt.Errorf("process index %q: want a number from 0", idx)
		}
	}
	return name, i, nil
}
