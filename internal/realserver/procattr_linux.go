//go:build linux

package realserver

import "syscall"

// dieWithParent makes the server die with the test binary even when a test
// times out and its cleanups never run.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// asUser runs the process as uid:gid, as runuser does, without a wrapper
// process between a stop signal and the server.
func asUser(uid, gid int) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
}
