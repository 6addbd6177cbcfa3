package datafile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadChecksTypeAndSize(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.csv")
	if err := os.WriteFile(small, []byte("a,b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, err := Read(small, 4); err != nil || string(data) != "a,b\n" {
		t.Errorf("small: %q %v", data, err)
	}
	if _, err := Read(small, 3); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), PropMaxMB) {
		t.Errorf("over the limit: %v", err)
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err == nil {
		if _, err := Read(fifo, 1<<20); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("fifo: %v", err)
		}
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := Read("/dev/zero", 1<<20); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "device") {
			t.Errorf("/dev/zero: %v", err)
		}
	}
	if _, err := Read(dir, 1<<20); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "missing"), 1<<20); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

func TestLimit(t *testing.T) {
	get := func(v string) func(string) (string, bool) {
		return func(string) (string, bool) { return v, v != "" }
	}
	for v, want := range map[string]int64{"": DefaultMax, "5": 5 << 20, "0": DefaultMax, "-1": DefaultMax, "x": DefaultMax, "99999999999999": DefaultMax} {
		if got := Limit(get(v)); got != want {
			t.Errorf("Limit(%q) = %d, want %d", v, got, want)
		}
	}
}
