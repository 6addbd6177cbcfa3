//go:build !unix

package engine

import "time"

// processCPU is not available here; Health reports CPU as unknown.
func processCPU() (time.Duration, bool) { return 0, false }
