//go:build !linux

package realserver

import "syscall"

// dieWithParent: only Linux has a parent-death signal; elsewhere the
// test's cleanup stops the server.
func dieWithParent() *syscall.SysProcAttr { return nil }

// asUser: the servers run as the current user outside Linux (the
// PostgreSQL-as-root case is CI's, which runs Linux).
func asUser(uid, gid int) *syscall.SysProcAttr { return nil }
