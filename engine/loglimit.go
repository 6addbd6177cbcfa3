package engine

import (
	"fmt"
	"sync"
)

// logLimiter passes each distinct log line on its first logRepeatFree
// occurrences, then only at the 10th, 100th, 1000th … with the count: a
// function that fails on every call of every user (one error line per
// call) cannot flood the log or the console.
type logLimiter struct {
	next func(level, msg string)
	mu   sync.Mutex
	seen map[string]int
}

const (
	logRepeatFree  = 3
	logDistinctMax = 10_000 // distinct lines remembered; then forgotten all at once
)

func limitLog(next func(level, msg string)) func(level, msg string) {
	if next == nil {
		return nil
	}
	l := &logLimiter{next: next, seen: make(map[string]int)}
	return l.log
}

func (l *logLimiter) log(level, msg string) {
	key := level + "\x00" + msg
	l.mu.Lock()
	if len(l.seen) >= logDistinctMax {
		clear(l.seen)
	}
	n := l.seen[key] + 1
	l.seen[key] = n
	l.mu.Unlock()
	switch {
	case n <= logRepeatFree:
		l.next(level, msg)
	case isPowerOf10(n):
		l.next(level, fmt.Sprintf("%s (the same line %d times; repeats are shown at 10, 100, 1000 …)", msg, n))
	}
}

func isPowerOf10(n int) bool {
	for n >= 10 && n%10 == 0 {
		n /= 10
	}
	return n == 1
}
