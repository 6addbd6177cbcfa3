package monitor

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// host reads this machine's CPU (user, system, iowait, steal), memory, load
// and network and disk rates from Linux's /proc.
type host struct {
	proc string // /proc, or a copy in tests
	last time.Time
	cpu  []float64 // the "cpu" line's fields
	net  map[string][2]float64
	disk map[string][2]float64
}

func newHost() *host { return &host{proc: "/proc"} }

func (h *host) Source() string { return "host" }
func (h *host) Close() error   { return nil }

func (h *host) Sample(_ context.Context, now time.Time) ([]Point, error) {
	var pts []Point
	add := func(name string, v float64, label string) {
		pts = append(pts, Point{Time: now, Source: "host", Name: name, Value: v, Label: label})
	}
	secs := 0.0
	if !h.last.IsZero() {
		secs = now.Sub(h.last).Seconds()
	}
	stat, err := os.ReadFile(h.proc + "/stat")
	if err != nil {
		return nil, err
	}
	line, _, _ := bytes.Cut(stat, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 9 || f[0] != "cpu" {
		return nil, fmt.Errorf("%s/stat: unexpected first line %q", h.proc, line)
	}
	cpu := make([]float64, len(f)-1)
	for i := range cpu {
		cpu[i], _ = strconv.ParseFloat(f[i+1], 64)
	}
	if h.cpu != nil {
		// user nice system idle iowait irq softirq steal
		d := make([]float64, len(cpu))
		total := 0.0
		for i := range cpu {
			if i < len(h.cpu) {
				d[i] = max(cpu[i]-h.cpu[i], 0)
			}
			if i < 8 {
				total += d[i]
			}
		}
		if total > 0 {
			add("host.cpu_user_pct", 100*(d[0]+d[1])/total, "")
			add("host.cpu_system_pct", 100*(d[2]+d[5]+d[6])/total, "")
			add("host.cpu_iowait_pct", 100*d[4]/total, "")
			add("host.cpu_steal_pct", 100*d[7]/total, "")
		}
	}
	h.cpu = cpu

	if mem, err := readKV(h.proc + "/meminfo"); err == nil {
		add("host.mem_used_bytes", 1024*(mem["MemTotal"]-mem["MemAvailable"]), "")
		add("host.mem_available_bytes", 1024*mem["MemAvailable"], "")
	}
	if b, err := os.ReadFile(h.proc + "/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			v, _ := strconv.ParseFloat(f[0], 64)
			add("host.load1", v, "")
		}
	}
	net := map[string][2]float64{}
	if b, err := os.ReadFile(h.proc + "/net/dev"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			name, rest, ok := strings.Cut(sc.Text(), ":")
			if !ok {
				continue
			}
			name = strings.TrimSpace(name)
			f := strings.Fields(rest)
			if len(f) < 9 {
				continue
			}
			rx, _ := strconv.ParseFloat(f[0], 64)
			tx, _ := strconv.ParseFloat(f[8], 64)
			net[name] = [2]float64{rx, tx}
			if o, ok := h.net[name]; ok && secs > 0 {
				add("host.net_rx_bytes_per_s", max(rx-o[0], 0)/secs, name)
				add("host.net_tx_bytes_per_s", max(tx-o[1], 0)/secs, name)
			}
		}
	}
	h.net = net
	disk := map[string][2]float64{}
	if b, err := os.ReadFile(h.proc + "/diskstats"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) < 10 || strings.HasPrefix(f[2], "loop") || strings.HasPrefix(f[2], "ram") {
				continue
			}
			rd, _ := strconv.ParseFloat(f[5], 64) // sectors read
			wr, _ := strconv.ParseFloat(f[9], 64) // sectors written
			disk[f[2]] = [2]float64{rd, wr}
			if o, ok := h.disk[f[2]]; ok && secs > 0 && (rd != o[0] || wr != o[1]) {
				add("host.disk_read_bytes_per_s", 512*max(rd-o[0], 0)/secs, f[2])
				add("host.disk_write_bytes_per_s", 512*max(wr-o[1], 0)/secs, f[2])
			}
		}
	}
	h.disk = disk
	h.last = now
	return pts, nil
}

// readKV reads "Name:   123 kB" lines.
func readKV(path string) (map[string]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) > 0 {
			m[k], _ = strconv.ParseFloat(f[0], 64)
		}
	}
	return m, nil
}

// process reads one process's CPU and memory from /proc/PID.
type process struct {
	proc string
	pid  int
	last time.Time
	cpu  float64 // utime+stime ticks
}

// clockTicks is Linux's USER_HZ, 100 on every architecture Go supports.
const clockTicks = 100

func newProcess(pid int) (*process, error) {
	p := &process{proc: "/proc", pid: pid}
	if _, err := os.Stat(fmt.Sprintf("%s/%d/stat", p.proc, pid)); err != nil {
		return nil, fmt.Errorf("process monitor: no process %d: %w", pid, err)
	}
	return p, nil
}

func (p *process) Source() string { return fmt.Sprintf("process:%d", p.pid) }
func (p *process) Close() error   { return nil }

func (p *process) Sample(_ context.Context, now time.Time) ([]Point, error) {
	src := p.Source()
	b, err := os.ReadFile(fmt.Sprintf("%s/%d/stat", p.proc, p.pid))
	if err != nil {
		return nil, err
	}
	// the command name is in parentheses and may hold spaces: fields
	// start after the last ')'
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil, fmt.Errorf("/proc/%d/stat: unexpected format", p.pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return nil, fmt.Errorf("/proc/%d/stat: too few fields", p.pid)
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	var pts []Point
	if !p.last.IsZero() {
		if secs := now.Sub(p.last).Seconds(); secs > 0 {
			pts = append(pts, Point{Time: now, Source: src, Name: "process.cpu_pct", Value: 100 * max(ut+st-p.cpu, 0) / clockTicks / secs})
		}
	}
	p.cpu, p.last = ut+st, now
	if st, err := readKV(fmt.Sprintf("%s/%d/status", p.proc, p.pid)); err == nil {
		pts = append(pts, Point{Time: now, Source: src, Name: "process.rss_bytes", Value: 1024 * st["VmRSS"]})
		pts = append(pts, Point{Time: now, Source: src, Name: "process.threads", Value: st["Threads"]})
	}
	return pts, nil
}
