// Package system runs JMeter's OS Process Sampler (SystemSampler): a local
// program with arguments, environment and working directory, its exit code
// as the response code and its standard output as the response data. A
// shared plan must not run programs silently, so the engine builds it only
// when the run allows commands (gometer.allow_commands=true).
package system

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sampler"
)

// maxOutput bounds the standard output one sample keeps.
const maxOutput = 16 << 20

type pair struct{ name, value *functions.Template }

// Sampler is a compiled SystemSampler.
type Sampler struct {
	label, command, dir, expected, timeout *functions.Template
	stdin, stdout, stderr                  *functions.Template
	args                                   []*functions.Template
	env                                    []pair
	check                                  bool
	base                                   string // where a relative directory or file is resolved (the plan's folder)
}

// New compiles the element; base is the plan's folder.
func New(el *jmx.Element, base string) (*Sampler, error) {
	s := &Sampler{check: el.Bool("SystemSampler.checkReturnCode", false), base: base}
	comp := func(src, name string) (*functions.Template, error) {
		t, err := functions.Compile(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return t, nil
	}
	var err error
	for _, f := range []struct {
		dst  **functions.Template
		prop string
	}{
		{&s.command, "SystemSampler.command"}, {&s.dir, "SystemSampler.directory"}, {&s.expected, "SystemSampler.expectedReturnCode"},
		{&s.timeout, "SystemSampler.timeout"}, {&s.stdin, "SystemSampler.stdin"}, {&s.stdout, "SystemSampler.stdout"},
		{&s.stderr, "SystemSampler.stderr"},
	} {
		if *f.dst, err = comp(el.Str(f.prop), f.prop); err != nil {
			return nil, err
		}
	}
	if s.label, err = comp(el.Name, "name"); err != nil {
		return nil, err
	}
	if a := el.Elem("SystemSampler.arguments"); a != nil {
		for _, p := range a.Collection("Arguments.arguments") {
			if p.Elem == nil {
				continue
			}
			t, err := comp(p.Elem.Str("Argument.value"), "argument")
			if err != nil {
				return nil, err
			}
			s.args = append(s.args, t)
		}
	}
	if e := el.Elem("SystemSampler.environment"); e != nil {
		for _, p := range e.Collection("Arguments.arguments") {
			if p.Elem == nil {
				continue
			}
			n, err := comp(p.Elem.Str("Argument.name"), "environment name")
			if err != nil {
				return nil, err
			}
			v, err := comp(p.Elem.Str("Argument.value"), "environment value")
			if err != nil {
				return nil, err
			}
			s.env = append(s.env, pair{n, v})
		}
	}
	return s, nil
}

func (s *Sampler) path(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(s.base, p)
}

// Sample runs the program once.
func (s *Sampler) Sample(ctx context.Context, sess *sampler.Session) *sampler.Result {
	c := sess.Ctx
	res := &sampler.Result{Label: s.label.Eval(c), DataType: "text", SampleCount: 1}
	command := s.command.Eval(c)
	args := make([]string, len(s.args))
	line := command
	for i, a := range s.args {
		args[i] = a.Eval(c)
		line += " " + args[i]
	}
	env := map[string]string{}
	for _, e := range s.env {
		env[e.name.Eval(c)] = e.value.Eval(c)
	}
	dir := s.path(s.dir.Eval(c))
	if dir == "" {
		dir = s.base
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	res.SamplerData = "Working Directory: " + dir + "\nEnvironment: " + javaMap(env) + "\nExecuting: " + line
	timeout := time.Duration(javaInt(s.timeout.Eval(c))) * time.Millisecond
	rctx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		rctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(rctx, command, args...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out limitedBuffer
	closers, err := s.streams(c, cmd, &out)
	defer func() {
		for _, f := range closers {
			f.Close()
		}
	}()
	res.Start = time.Now()
	if err == nil {
		err = cmd.Run()
	}
	res.Elapsed = time.Since(res.Start)
	res.Latency = res.Elapsed
	res.Body = out.Bytes()
	res.Bytes = int64(len(res.Body))
	var exit *exec.ExitError
	switch {
	case rctx.Err() == context.DeadlineExceeded:
		res.ResponseCode = "500"
		res.ResponseMessage = fmt.Sprintf("Process did not complete within %d ms", timeout.Milliseconds())
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		s.finish(c, res, exit.ExitCode())
		return res
	case err != nil:
		res.ResponseCode = "500"
		res.ResponseMessage = "Exception occurred whilst executing system call: java.io.IOException: " + err.Error()
	default:
		s.finish(c, res, 0)
		return res
	}
	res.ErrorCount = 1
	return res
}

func (s *Sampler) finish(c *functions.Context, res *sampler.Result, code int) {
	res.ResponseCode = strconv.Itoa(code)
	expected := javaInt(s.expected.Eval(c))
	if s.check && code != expected {
		res.ResponseMessage = fmt.Sprintf("Unexpected return code.  Expected [%d]. Actual [%d].", expected, code)
		res.ErrorCount = 1
		return
	}
	res.Success, res.ResponseMessage = true, "OK"
}

// streams connects standard input, output and error to the configured
// files; output not sent to a file becomes the response data.
func (s *Sampler) streams(c *functions.Context, cmd *exec.Cmd, out io.Writer) ([]io.Closer, error) {
	var closers []io.Closer
	if p := s.stdin.Eval(c); p != "" {
		f, err := os.Open(s.path(p))
		if err != nil {
			return closers, err
		}
		closers = append(closers, f)
		cmd.Stdin = f
	}
	cmd.Stdout = out
	if p := s.stdout.Eval(c); p != "" {
		f, err := os.Create(s.path(p))
		if err != nil {
			return closers, err
		}
		closers = append(closers, f)
		cmd.Stdout = f
	}
	if p := s.stderr.Eval(c); p != "" {
		f, err := os.Create(s.path(p))
		if err != nil {
			return closers, err
		}
		closers = append(closers, f)
		cmd.Stderr = f
	}
	return closers, nil
}

// limitedBuffer keeps the first maxOutput bytes and discards the rest.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxOutput - b.Len(); room > 0 {
		if len(p) > room {
			b.Buffer.Write(p[:room])
		} else {
			b.Buffer.Write(p)
		}
	}
	return len(p), nil
}

func javaInt(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

// javaMap prints a map as Java's HashMap.toString does ({k=v, …}); the
// order is sorted here, not Java's hash order.
func javaMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
