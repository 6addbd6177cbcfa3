package engine

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gometer/gometer/jmx"
)

// Capacity limits: what a plan may ask of the machine.
const (
	// UserMemoryEstimate is the memory one virtual user is assumed to need
	// when a thread count is checked at load: an idle user measures ~12.5 KB
	// (bench S2); one in a sample holds buffers and a connection besides.
	UserMemoryEstimate = 16 << 10
	// PropMaxThreads overrides the load-time limit on one thread group's
	// users (default: the memory available divided by UserMemoryEstimate).
	PropMaxThreads = "gometer.max_threads"
	// PropMinFreeMemory is the memory (MB) below which a run stops starting
	// users rather than being killed by the OS; 0 turns the guard off.
	PropMinFreeMemory    = "gometer.min_free_memory_mb"
	defaultMinFreeMemory = 64
)

// availableMemory is what the process may still allocate: the kernel's
// MemAvailable, or less when a cgroup (container) limit is closer.
func availableMemory() (uint64, bool) {
	avail, ok := memInfoAvailable()
	if lim, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if max, err := strconv.ParseUint(strings.TrimSpace(string(lim)), 10, 64); err == nil {
			if cur, err := os.ReadFile("/sys/fs/cgroup/memory.current"); err == nil {
				if used, err := strconv.ParseUint(strings.TrimSpace(string(cur)), 10, 64); err == nil {
					left := uint64(0)
					if max > used {
						left = max - used
					}
					if !ok || left < avail {
						avail, ok = left, true
					}
				}
			}
		}
	}
	return avail, ok
}

func memInfoAvailable() (uint64, bool) {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0, false
		}
		kb, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return 0, false
		}
		return kb << 10, true
	}
	return 0, false
}

// mib formats a byte count for messages.
func mib(b uint64) string {
	switch {
	case b >= 10<<40:
		return fmt.Sprintf("%d TB", b>>40)
	case b >= 10<<30:
		return fmt.Sprintf("%d GB", b>>30)
	case b < 1<<20:
		return fmt.Sprintf("%d KB", b>>10)
	}
	return fmt.Sprintf("%d MB", b>>20)
}

// checkThreadCapacity refuses at load a group whose users cannot fit in
// this machine's memory (a count of 10^9 would otherwise grow memory until
// the OS kills the process).
func (c *compiler) checkThreadCapacity(el *jmx.Element, g *group) {
	v := strings.TrimSpace(g.threads.Eval(c.evalContext()))
	n, reason := parseWhole(v, threadsRange)
	if reason != "" || n == 0 {
		return // reported by checkNumbersAtLoad, or nothing to hold
	}
	local := n
	if s := int64(c.t.opts.Shards); s > 1 {
		local = (n + s - 1) / s
	}
	need := uint64(local) * UserMemoryEstimate
	if p, ok := c.t.props.Get(PropMaxThreads); ok {
		limit, reason := parseWhole(strings.TrimSpace(p), threadsRange)
		if reason != "" {
			c.badConfig(el, fmt.Errorf("property %s: %q %s", PropMaxThreads, p, reason))
			return
		}
		if local > limit {
			c.badConfig(el, fmt.Errorf("ThreadGroup.num_threads: %d users (about %s of memory) is more than %s=%d: lower the count, split the load across shards (--shard i/N) or raise the property", local, mib(need), PropMaxThreads, limit))
		}
		return
	}
	avail, ok := availableMemory()
	if !ok || need <= avail {
		return
	}
	c.badConfig(el, fmt.Errorf("ThreadGroup.num_threads: %d users need about %s of memory (%d KB each) but %s is available: lower the count, split the load across shards (--shard i/N) or set %s to run anyway",
		local, mib(need), UserMemoryEstimate>>10, mib(avail), PropMaxThreads))
}

// memGuard stops a run from starting users when memory runs low, so that
// it ends with its results rather than being killed by the OS. Memory is
// read before the first user and then every memCheckEvery by a goroutine
// of its own: starting a user only reads a flag.
type memGuard struct {
	minFree uint64 // bytes; 0: off
	low     atomic.Bool
	warn    func(avail uint64)
}

// memCheckEvery is how often the available memory is read during a run.
const memCheckEvery = 100 * time.Millisecond

// allow reports whether another user may start.
func (m *memGuard) allow() bool { return !m.low.Load() }

// check reads the available memory once; false when it is low (then the
// guard stays low).
func (m *memGuard) check() bool {
	avail, ok := availableMemory()
	if !ok || avail >= m.minFree {
		return true
	}
	if m.low.CompareAndSwap(false, true) && m.warn != nil {
		m.warn(avail)
	}
	return false
}

// watch checks every memCheckEvery until low or done is closed.
func (m *memGuard) watch(done <-chan struct{}) {
	tk := time.NewTicker(memCheckEvery)
	defer tk.Stop()
	for {
		select {
		case <-done:
			return
		case <-tk.C:
			if !m.check() {
				return
			}
		}
	}
}

// initMemGuard reads PropMinFreeMemory and checks the memory before the
// first user; the watch ends when done is closed.
func (t *Test) initMemGuard(done <-chan struct{}) {
	mb := int64(defaultMinFreeMemory)
	if v, ok := t.props.Get(PropMinFreeMemory); ok {
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n >= 0 {
			mb = n
		} else {
			t.logf("WARN", "property %s=%q is not a whole number of MB: using %d", PropMinFreeMemory, v, mb)
		}
	}
	t.mem = &memGuard{minFree: uint64(mb) << 20}
	t.mem.warn = func(avail uint64) {
		_, started, _ := t.Counts()
		t.logf("WARN", "memory is low (%s available, below %s=%d MB): no more users are started (%d started); the users already running go on", mib(avail), PropMinFreeMemory, mb, started)
	}
	if mb > 0 && t.mem.check() {
		go t.mem.watch(done)
	}
}

// openFilesReserve is what the process needs besides its users'
// connections: results files, logs, DNS, the runtime.
const openFilesReserve = 64

// warnOpenFiles says before the run when the users of the main phase may
// need more connections than the process may open: those samples would
// fail with "too many open files".
func (t *Test) warnOpenFiles() {
	soft, hard, ok := openFileLimit()
	if !ok {
		return
	}
	ctx := t.newUserContext(t.global.Clone())
	users := int64(0)
	for _, g := range t.main {
		if g.kind != shapeClassic {
			continue
		}
		n, reason := parseWhole(strings.TrimSpace(g.threads.Eval(ctx)), threadsRange)
		if reason != "" {
			continue
		}
		if s := int64(t.opts.Shards); s > 1 {
			n = (n + s - 1) / s
		}
		users += n
	}
	if users == 0 || uint64(users)+openFilesReserve <= soft {
		return
	}
	t.logf("WARN", "%d users may each hold an open connection, but this process may open at most %d files (open-file limit; hard limit %d): samples beyond it fail with \"too many open files\". Raise the limit (ulimit -n) or split the load across shards (--shard i/N, one process or machine each)",
		users, soft, hard)
}
