//go:build unix

package engine

import "syscall"

// openFileLimit is the process's open-file limit (soft, hard); Go raises
// the soft limit to the hard one at start-up.
func openFileLimit() (soft, hard uint64, ok bool) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, 0, false
	}
	return uint64(rl.Cur), uint64(rl.Max), true
}
