//go:build !unix

package engine

func openFileLimit() (soft, hard uint64, ok bool) { return 0, 0, false }
