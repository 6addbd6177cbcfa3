package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sample"
)

// defaultLogFile is where a run logs without -j, as JMeter's log4j2.xml
// does (in the working directory, replaced by each run).
const defaultLogFile = "jmeter.log"

// categoryKey is the slog attribute naming a message's category.
const categoryKey = "category"

// logLevels are the -L settings: a root level and per-category levels.
type logLevels struct {
	root slog.Level
	cats []catLevel // longest prefix wins
}

type catLevel struct {
	prefix string
	level  slog.Level
}

// parseLevel reads a JMeter (log4j2) level name.
func parseLevel(s string) (slog.Level, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "DEBUG", "TRACE", "ALL":
		return slog.LevelDebug, true
	case "INFO":
		return slog.LevelInfo, true
	case "WARN", "WARNING":
		return slog.LevelWarn, true
	case "ERROR", "FATAL", "OFF":
		return slog.LevelError, true
	}
	return 0, false
}

// gometerCategory maps JMeter's logger names to gometer's categories:
// "jmeter.protocol…"/"org.apache.jmeter.protocol…" → gometer.sampler,
// threads/control/engine/timers → gometer.engine, other jmeter ones →
// gometer; gometer's own names stay.
func gometerCategory(c string) string {
	c = strings.TrimPrefix(strings.TrimSpace(c), "org.apache.")
	if !strings.HasPrefix(c, "jmeter") {
		return c
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(c, "jmeter"), ".")
	switch {
	case strings.HasPrefix(rest, "protocol"):
		return "gometer.sampler"
	case strings.HasPrefix(rest, "threads"), strings.HasPrefix(rest, "control"), strings.HasPrefix(rest, "engine"), strings.HasPrefix(rest, "timers"):
		return "gometer.engine"
	}
	return "gometer"
}

func parseLevels(specs []string) (logLevels, error) {
	l := logLevels{root: slog.LevelInfo}
	for _, s := range specs {
		cat, lv, hasCat := strings.Cut(s, "=")
		if !hasCat {
			lv = cat
		}
		level, ok := parseLevel(lv)
		if !ok {
			return l, usagef("-L %q: want LEVEL or category=LEVEL with DEBUG, INFO, WARN or ERROR", s)
		}
		if !hasCat {
			l.root = level
			continue
		}
		l.cats = append(l.cats, catLevel{gometerCategory(cat), level})
	}
	return l, nil
}

// level is the level in force for a category.
func (l logLevels) level(cat string) slog.Level {
	best, level := -1, l.root
	for _, c := range l.cats {
		if (cat == c.prefix || strings.HasPrefix(cat, c.prefix+".")) && len(c.prefix) > best {
			best, level = len(c.prefix), c.level
		}
	}
	return level
}

// lineHandler writes JMeter's log line layout ("%d %p %c{1.}: %m%n":
// "2026-12-06 16:20:00,123 INFO gometer.engine: message").
type lineHandler struct {
	mu     *sync.Mutex
	w      io.Writer
	levels logLevels
	min    slog.Level // a floor on top of levels (stderr: warnings only)
	cat    string
	attrs  string
}

func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= h.min && l >= h.levels.level(h.cat)
}

func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	t := r.Time
	if t.IsZero() {
		t = time.Now()
	}
	b.WriteString(t.Format("2006-01-02 15:04:05"))
	fmt.Fprintf(&b, ",%03d %s %s: %s%s", t.Nanosecond()/1e6, r.Level.String(), h.cat, r.Message, h.attrs)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func (h *lineHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	for _, a := range as {
		if a.Key == categoryKey {
			c.cat = a.Value.String()
			continue
		}
		c.attrs += fmt.Sprintf(" %s=%v", a.Key, a.Value)
	}
	return &c
}

func (h *lineHandler) WithGroup(string) slog.Handler { return h }

// fanout sends a record to every handler that wants it.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range f {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	var first error
	for _, h := range f {
		if h.Enabled(ctx, r.Level) {
			if err := h.Handle(ctx, r.Clone()); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(as)
	}
	return out
}

func (f fanout) WithGroup(string) slog.Handler { return f }

// openLog returns the logger for -j/-L: the log file (-j, else
// defaultFile; "" none) at the -L levels, and warnings and errors on stderr.
// The file is replaced, as JMeter's is.
func openLog(o *options, stderr io.Writer, defaultFile string) (*slog.Logger, func(), error) {
	levels, err := parseLevels(o.logLevels)
	if err != nil {
		return nil, nil, err
	}
	handlers := fanout{&lineHandler{mu: &sync.Mutex{}, w: stderr, levels: levels, min: slog.LevelWarn, cat: "gometer"}}
	closeFn := func() {}
	path := o.logFile
	if path == "" {
		path = defaultFile
	}
	if path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("log file %s (-j): %w", path, err)
		}
		handlers = append(handlers, &lineHandler{mu: &sync.Mutex{}, w: f, levels: levels, min: slog.LevelDebug, cat: "gometer"})
		closeFn = func() { f.Close() }
	}
	return slog.New(handlers), closeFn, nil
}

// logFunc adapts a logger to the engine's and runner's log callback.
func logFunc(l *slog.Logger) func(level, msg string) {
	return func(level, msg string) {
		switch strings.ToUpper(level) {
		case "DEBUG":
			l.Debug(msg)
		case "WARN", "WARNING":
			l.Warn(msg)
		case "ERROR":
			l.Error(msg)
		default:
			l.Info(msg)
		}
	}
}

// engineDebug is the engine's DEBUG log (each element's decision) when
// category gometer.engine logs at DEBUG (-L DEBUG, -L gometer.engine=DEBUG,
// -L jmeter.control=DEBUG …), else nil: the engine then adds nothing to
// the run.
func engineDebug(l *slog.Logger) func(msg string) {
	el := l.With(categoryKey, "gometer.engine")
	if !el.Enabled(context.Background(), slog.LevelDebug) {
		return nil
	}
	return func(msg string) { el.Debug(msg) }
}

// withSampleLog adds, when category gometer.sampler logs at DEBUG (-L DEBUG
// or -L jmeter.protocol.http=DEBUG), an output logging each sample's
// request line and outcome.
func withSampleLog(outs []output.Output, l *slog.Logger) []output.Output {
	sl := l.With(categoryKey, "gometer.sampler")
	if !sl.Enabled(context.Background(), slog.LevelDebug) {
		return outs
	}
	return append(outs, &sampleLog{l: sl})
}

// sampleLog is the DEBUG output of every sample.
type sampleLog struct{ l *slog.Logger }

func (s *sampleLog) Start(output.Run) error { return nil }
func (s *sampleLog) Stop() error            { return nil }

// Needs: the request line comes from the sampler data.
func (s *sampleLog) Needs() output.Needs { return output.Needs{RequestDetails: true} }

func (s *sampleLog) Add(r *sample.Result) {
	s.logOne(r, "")
}

func (s *sampleLog) logOne(r *sample.Result, indent string) {
	line, _, _ := strings.Cut(r.SamplerData, "\n")
	if line == "" {
		line = r.URL
	}
	s.l.Debug(fmt.Sprintf("%s%s [%s]: %s -> %s %s, %d ms, success=%t", indent, r.Label, r.ThreadName, line, r.ResponseCode, r.ResponseMessage, r.Elapsed.Milliseconds(), r.Success))
	for _, sub := range r.Subs {
		s.logOne(sub, indent+"  ")
	}
}
