package skipped

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// parentFD opens the go command's file descriptor fd for writing, nil when
// it cannot.
//
// A terminal or a pipe is opened again through /proc. A regular file (`go
// test ./... 2>log`, `>log 2>&1`) cannot be: a new open has its own offset, so
// the go command's next write, at its offset, would overwrite the line (that
// is why the summary used to go missing there). The go command's descriptor
// itself is taken instead with pidfd_getfd (Linux 5.6+), which shares its
// offset, so the line lands in sequence with the go command's own output.
func parentFD(fd int) *os.File {
	ppid := os.Getppid()
	path := fmt.Sprintf("/proc/%d/fd/%d", ppid, fd)
	fi, err := os.Stat(path)
	if err != nil {
		return nil
	}
	if !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return nil
		}
		return f
	}
	pidfd, err := unix.PidfdOpen(ppid, 0)
	if err != nil {
		return nil
	}
	defer unix.Close(pidfd)
	dup, err := unix.PidfdGetfd(pidfd, fd, 0)
	if err != nil {
		return nil
	}
	return os.NewFile(uintptr(dup), path)
}
