package main

import (
	"bufio"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gometer/gometer/internal/skipped"
)

// readmeBuildCommand is the release-style build command the README shows:
// its first line starting with "CGO_ENABLED=0 go build".
func readmeBuildCommand(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(repoFile("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "CGO_ENABLED=0 go build") {
			if i := strings.Index(line, " #"); i >= 0 {
				line = line[:i]
			}
			return shellWords(t, line)
		}
	}
	t.Fatal("README.md shows no `CGO_ENABLED=0 go build …` command")
	return nil
}

// shellWords splits a one-line command with single-quoted words, enough for
// the README's build line.
func shellWords(t *testing.T, s string) []string {
	var words []string
	var cur strings.Builder
	in, has := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			in, has = !in, true
		case r == ' ' && !in:
			if has {
				words = append(words, cur.String())
			}
			cur.Reset()
			has = false
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if in {
		t.Fatalf("unbalanced quote in %q", s)
	}
	if has {
		words = append(words, cur.String())
	}
	return words
}

// The README's build command gives one static executable: no interpreter,
// no dynamic section, nothing for the dynamic loader to resolve.
func TestReadmeBuildIsStatic(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("checks a Linux ELF executable")
	}
	words := readmeBuildCommand(t)
	var env []string
	for len(words) > 0 && strings.Contains(words[0], "=") {
		env, words = append(env, words[0]), words[1:]
	}
	bin := filepath.Join(t.TempDir(), "gometer")
	for i, w := range words {
		if w == "-o" && i+1 < len(words) {
			words[i+1] = bin
		}
	}
	if len(words) < 2 || words[0] != "go" || words[1] != "build" {
		t.Fatalf("README build command %q is not `go build …`", words)
	}
	cmd := exec.Command("go", words[1:]...)
	cmd.Dir = repoFile()
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", strings.Join(env, " "), strings.Join(words, " "), err, out)
	}
	t.Logf("built in %v", time.Since(start).Round(time.Second))
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the README's build gives a dynamically linked executable (program header %v)", p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the executable needs shared libraries %q", libs)
	}
	// The system's own tools agree, where installed.
	if _, err := exec.LookPath("file"); err == nil {
		out, _ := exec.Command("file", bin).Output()
		if !strings.Contains(string(out), "statically linked") {
			t.Errorf("file: %s", out)
		}
	}
	if _, err := exec.LookPath("ldd"); err == nil {
		out, _ := exec.Command("ldd", bin).CombinedOutput()
		if !strings.Contains(string(out), "not a dynamic executable") {
			t.Errorf("ldd: %s", out)
		}
	}
	res := runBinary(t, bin, "version")
	if !strings.HasPrefix(res, "gometer ") {
		t.Errorf("the static binary's version: %q", res)
	}
}

func runBinary(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", bin, args, err, out)
	}
	return string(out)
}

// crossBuildEnv turns the cross-builds on; .ci/run sets it. Each target
// compiles the standard library and every dependency once (about a minute of
// CPU per target with a cold build cache), too slow for every `go test ./...`.
const crossBuildEnv = "GOMETER_CROSS_BUILD"

// gometer builds without cgo for every platform the README names.
func TestCrossBuilds(t *testing.T) {
	if os.Getenv(crossBuildEnv) != "1" {
		skipped.Need(t, "cross-builds", crossBuildEnv+"=1 runs them; .ci/run does")
	}
	for _, target := range []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"} {
		goos, goarch, _ := strings.Cut(target, "/")
		start := time.Now()
		cmd := exec.Command("go", "build", "-trimpath", "-o", os.DevNull, "./cmd/gometer")
		cmd.Dir = repoFile()
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("GOOS=%s GOARCH=%s go build ./cmd/gometer: %v\n%s", goos, goarch, err, out)
			continue
		}
		t.Logf("%s built in %v", target, time.Since(start).Round(time.Second))
	}
}
