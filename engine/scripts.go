package engine

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/sampler"
	"github.com/gometer/gometer/script"
)

// scriptKind is the role of a JSR223/BeanShell/BSF element, from its class
// name's suffix.
func scriptKind(class string) kind {
	switch {
	case strings.HasSuffix(class, "Sampler"):
		return kSampler
	case strings.HasSuffix(class, "PreProcessor"):
		return kPre
	case strings.HasSuffix(class, "PostProcessor"):
		return kPost
	case strings.HasSuffix(class, "Assertion"):
		return kAssertion
	case strings.HasSuffix(class, "Timer"):
		return kTimer
	case strings.HasSuffix(class, "Listener"):
		return kListener
	}
	return kUnknown
}

// scriptSpec classifies a script element: its role, and why it cannot run
// when its language is not one gometer has.
func scriptSpec(el *jmx.Element, family string) classSpec {
	lang := scriptLanguage(el, family)
	k := scriptKind(el.Class())
	s := classSpec{kind: k, script: lang}
	if k == kUnknown {
		s.unsupported = fmt.Sprintf("unsupported element: %s script (%s)", family, lang)
		return s
	}
	if _, err := script.ParseLanguage(lang); err != nil {
		s.unsupported = fmt.Sprintf("%s script: %v", family, err)
	}
	return s
}

// scriptElem is one JSR223/BeanShell/BSF element, compiled once. The
// script text is a ${} template substituted before each run, as JMeter
// does; distinct texts are compiled once each (progs). JSR223 elements
// with caching on keep the program of their first run per user, as
// JMeter's per-thread script digest does.
type scriptElem struct {
	el       *jmx.Element
	family   string // JSR223, BeanShell, BSF
	lang     script.Language
	name     string
	fileName string
	params   *functions.Template
	text     *functions.Template // nil when the script comes from a file
	src      string              // the script text as written
	fixed    *script.Program     // the file's or the literal text's program
	perUser  bool                // JSR223 cache on: first text per user sticks
	reset    bool                // BeanShell resetInterpreter
	empty    bool                // neither text nor file
	slot     int
	progs    sync.Map // text → progEntry
	nprogs   atomic.Int64
	bad      atomic.Bool // a run-time compile error was logged once
}

type progEntry struct {
	p   *script.Program
	err error
}

// maxScriptTexts bounds the compiled texts kept per element (a script
// whose ${} text changes on every call compiles each time beyond that).
const maxScriptTexts = 256

// scriptUser is one user's state for one script element.
type scriptUser struct {
	prog    *script.Program
	globals map[string]any
	text    string // the script text of the last call (template scripts)
}

func (c *compiler) buildScript(el *jmx.Element) (*scriptElem, error) {
	family, _ := scriptClass(el.Class())
	lang, err := script.ParseLanguage(scriptLanguage(el, family))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errCannotRun, err)
	}
	if family == "BeanShell" {
		lang = script.BeanShell
	}
	prefix := ""
	if family == "BeanShell" && (el.Class() == "BeanShellSampler" || el.Class() == "BeanShellAssertion") {
		prefix = el.Class() + "."
	}
	scriptProp := "script"
	if prefix != "" {
		scriptProp = prefix + "query"
	}
	s := &scriptElem{
		el:       el,
		family:   family,
		lang:     lang,
		name:     el.Name,
		fileName: strings.TrimSpace(el.Str(prefix + "filename")),
		params:   c.template(el, prefix+"parameters", ""),
		perUser:  family == "JSR223" && strings.TrimSpace(el.Str("cacheKey")) != "false",
		reset:    el.Bool(prefix+"resetInterpreter", false),
		slot:     c.newSlot(),
	}
	c.t.scriptCount(lang)
	if s.fileName != "" {
		// the file, not the text, runs (JMeter reads it once per compile)
		path := c.resolvePath(s.fileName)
		if _, err := os.Stat(path); err != nil {
			path = s.fileName
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("script file %s: %w", s.fileName, err)
		}
		p, err := script.Compile(lang, el.Name, string(data))
		if err != nil {
			return nil, scriptProblem(s.fileName, err)
		}
		s.fixed = p
		return s, nil
	}
	src := el.Str(scriptProp)
	s.src = src
	tpl, err := functions.Compile(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", scriptProp, err)
	}
	if tpl.IsLiteral() {
		if src == "" {
			s.empty = true // JMeter fails each run of such an element
			return s, nil
		}
		p, err := script.Compile(lang, el.Name, src)
		if err != nil {
			return nil, scriptProblem("", err)
		}
		s.fixed = p
		return s, nil
	}
	// Checked with each ${} reference as a placeholder, so that a construct
	// gometer cannot run is named at load time; the real text is compiled
	// when it is known.
	if _, err := script.Compile(lang, el.Name, skeleton(src)); err != nil {
		return nil, scriptProblem("", err)
	}
	s.text = tpl
	return s, nil
}

// skeleton replaces each ${…} reference of a script with a placeholder of
// the same length (keeping line:col positions right).
func skeleton(src string) string {
	b := []byte(src)
	for i := 0; i+1 < len(b); i++ {
		if b[i] != '$' || b[i+1] != '{' || (i > 0 && b[i-1] == '\\') {
			continue
		}
		depth, j := 0, i+1
		for ; j < len(b); j++ {
			if b[j] == '{' {
				depth++
			} else if b[j] == '}' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j >= len(b) || strings.IndexByte(string(b[i:j]), '\n') >= 0 {
			continue
		}
		b[i] = '0'
		for k := i + 1; k <= j; k++ {
			b[k] = ' '
		}
		i = j
	}
	return string(b)
}

// errScript marks a script the interpreter cannot compile: a skippable
// problem naming the line:col inside the script.
var errScript = errors.New("script")

type scriptError struct {
	file string
	err  error
}

func (e *scriptError) Error() string {
	if e.file != "" {
		return "script file " + e.file + ": " + e.err.Error()
	}
	return e.err.Error()
}
func (e *scriptError) Unwrap() []error { return []error{e.err, errCannotRun} }

func scriptProblem(file string, err error) error { return &scriptError{file: file, err: err} }

// program returns the program to run for this user now.
func (s *scriptElem) program(u *vuser, st *scriptUser) (*script.Program, error) {
	if s.fixed != nil {
		return s.fixed, nil
	}
	if s.empty {
		return nil, &script.RunError{Lang: s.lang, Class: "javax.script.ScriptException",
			Message: "Both script file and script text are empty for " + s.family + " element named: " + s.name}
	}
	// the text is substituted on every call (its functions run), even when
	// the user keeps the program of its first call
	text := s.text.Eval(u.ctx)
	st.text = text
	if s.perUser && st.prog != nil {
		return st.prog, nil
	}
	var ent progEntry
	if v, ok := s.progs.Load(text); ok {
		ent = v.(progEntry)
	} else {
		ent.p, ent.err = script.Compile(s.lang, s.name, text)
		if s.nprogs.Add(1) <= maxScriptTexts {
			s.progs.Store(text, ent)
		}
	}
	if ent.err != nil {
		return nil, ent.err
	}
	if s.perUser {
		st.prog = ent.p
	}
	return ent.p, nil
}

// state returns the user's state for this element.
func (s *scriptElem) state(u *vuser) *scriptUser {
	sl := &u.slots[s.slot]
	if st, ok := sl.v.(*scriptUser); ok {
		if s.reset {
			clear(st.globals)
		}
		return st
	}
	st := &scriptUser{}
	if s.family == "BeanShell" {
		st.globals = make(map[string]any, 16) // the interpreter's variables persist
	}
	sl.v = st
	return st
}

// run binds and runs the script for the user. extra adds the bindings of
// the element kind (SampleResult …). For BeanShell the globals persist
// between calls (the interpreter's variables); others start afresh.
func (s *scriptElem) run(u *vuser, extra func(g map[string]any)) (any, map[string]any, error) {
	st := s.state(u)
	env := u.scriptEnv()
	g := st.globals
	params := s.params.Eval(u.ctx)
	if s.family != "BeanShell" {
		// JSR223/BSF bindings are new on every call: a map from the pool,
		// so that an idle user keeps none
		g, _ = u.t.bindingMaps.Get().(map[string]any)
		if g == nil {
			g = make(map[string]any, 16)
		}
		defer func() {
			clear(g)
			u.t.bindingMaps.Put(g)
		}()
	}
	env.Bind(g, s.name, s.fileName, params)
	if s.family == "BeanShell" {
		delete(g, "args")
		g["bsh.args"] = script.SplitArgs(params)
	}
	if extra != nil {
		extra(g)
	}
	p, err := s.program(u, st)
	if err != nil {
		return nil, g, err
	}
	out, err := p.Run(u.t.hardCtx, g)
	return out, g, err
}

// failure renders a script error as JMeter's elements show it.
func (s *scriptElem) failure(err error) string {
	var re *script.RunError
	if errors.As(err, &re) {
		if s.family == "BeanShell" {
			return re.BeanShellString(s.fileName)
		}
		if re.Class == "javax.script.ScriptException" {
			return re.Class + ": " + re.Message
		}
		return re.JSR223String(s.fileName != "")
	}
	return "javax.script.ScriptException: " + err.Error()
}

func (s *scriptElem) logErr(u *vuser, err error) {
	if script.Stopped(err) {
		return
	}
	msg := err.Error()
	var re *script.RunError
	if errors.As(err, &re) && re.BeanShell() != nil {
		// JMeter logs BeanShell's text; the line inside the script helps more
		msg = s.failure(err)
		if re.Line > 0 {
			msg += fmt.Sprintf(" (script line %d:%d)", re.Line, re.Col)
		}
	}
	u.t.logf("ERROR", "Problem in %s element named: '%s': %s", s.family, s.name, msg)
}

// scriptEnv returns the user's script environment, refreshed for this call.
func (u *vuser) scriptEnv() *script.Env {
	e := u.senv
	if e == nil {
		e = &script.Env{
			Vars:       u.vars,
			Props:      u.t.props,
			ThreadNum:  u.num,
			ThreadName: u.name,
			GroupName:  u.gr.g.name,
			Log:        u.t.opts.Log,
			Out:        logWriter{u.t},
			Control:    testControl{u.t},
			// the budget extractors get (gometer.regex_match_timeout_ms)
			RegexTimeout: u.t.regexTimeout,
			Monitors:     u.t.monitors,
		}
		e.Request = u.currentRequest
		e.Rename = func(name string) { u.rename = name }
		u.senv = e
	}
	e.Vars = u.vars
	e.Iteration = u.ctx.Iteration
	e.GroupThreads = int(u.gr.active.Load())
	e.Prev = u.lastResult
	e.SamplerName = ""
	if u.rename != "" {
		e.SamplerName = u.rename
	} else if u.cur != nil {
		e.SamplerName = u.cur.el.Name
	}
	return e
}

// currentRequest is the current HTTP request as scripts see and change it
// (`sampler`): built on first use in a sample, then shared by the sample's
// scripts; nil when the sampler is not HTTP.
func (u *vuser) currentRequest() *script.HTTPRequest {
	if u.sreq != nil {
		return u.sreq
	}
	n := u.cur
	if n == nil {
		return nil
	}
	h, ok := n.smp.(*sampler.HTTP)
	if !ok || h == nil {
		return nil
	}
	u.sreq = h.ScriptRequest(&u.sess)
	return u.sreq
}

type logWriter struct{ t *Test }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.logf("INFO", "%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

type testControl struct{ t *Test }

func (c testControl) StopTest(now bool) {
	if now {
		c.t.StopNow()
		return
	}
	c.t.stopGraceful()
}

// scriptPre is a JSR223/BeanShell/BSF PreProcessor: an error is logged
// and the sample goes on.
type scriptPre struct{ s *scriptElem }

func (p scriptPre) process(u *vuser) {
	if _, _, err := p.s.run(u, nil); err != nil {
		p.s.logErr(u, err)
	}
}

// scriptPost is a script PostProcessor; `prev` is the sample just taken.
type scriptPost struct{ s *scriptElem }

func (p scriptPost) process(u *vuser, r *sample.Result) {
	_, _, err := p.s.run(u, func(g map[string]any) {
		if p.s.family == "BeanShell" {
			g["data"] = r.Body
		}
	})
	if err != nil {
		p.s.logErr(u, err)
	}
}

// scriptTimer returns the script's result as its delay in ms.
type scriptTimer struct{ s *scriptElem }

func (t scriptTimer) delay(u *vuser) time.Duration {
	out, _, err := t.s.run(u, nil)
	if err != nil {
		t.s.logErr(u, err)
		if t.s.family != "BeanShell" {
			return 0
		}
	}
	if out == nil {
		if t.s.family != "BeanShell" {
			u.t.logf("WARN", "%s: script did not return a value", t.s.name)
		}
		return 0
	}
	text := script.ToString(out)
	var ms int64
	var perr error
	if t.s.family == "BeanShell" {
		ms, perr = strconv.ParseInt(decodeJavaLong(text))
	} else {
		ms, perr = strconv.ParseInt(text, 10, 64)
	}
	if perr != nil {
		u.t.logf("ERROR", "%s: delay %q is not a number", t.s.name, text)
		return 0
	}
	return time.Duration(ms) * time.Millisecond
}

// decodeJavaLong prepares Long.decode's input (0x, #, leading 0 octal) for
// strconv.ParseInt.
func decodeJavaLong(s string) (string, int, int) {
	sign := ""
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		sign, s = s[:1], s[1:]
	}
	switch {
	case strings.HasPrefix(s, "0x"), strings.HasPrefix(s, "0X"):
		return sign + s[2:], 16, 64
	case strings.HasPrefix(s, "#"):
		return sign + s[1:], 16, 64
	case len(s) > 1 && s[0] == '0':
		return sign + s[1:], 8, 64
	}
	return sign + s, 10, 64
}

// scriptAssertion is a JSR223/BeanShell/BSF Assertion.
type scriptAssertion struct{ s *scriptElem }

func (a scriptAssertion) check(u *vuser, r *sample.Result) {
	ar := sample.AssertionResult{Name: a.s.name}
	bsh := a.s.family == "BeanShell"
	_, g, err := a.s.run(u, func(g map[string]any) {
		res := u.senv.Result(r)
		g["SampleResult"] = res
		if bsh {
			g["Response"] = res
			g["ResponseData"] = r.Body
			g["ResponseCode"] = r.ResponseCode
			g["ResponseMessage"] = r.ResponseMessage
			g["ResponseHeaders"] = r.ResponseHeaders
			g["RequestHeaders"] = r.RequestHeaders
			g["SampleLabel"] = r.Label
			g["SamplerData"] = r.SamplerData
			g["Successful"] = r.Success
			g["FailureMessage"] = ""
			g["Failure"] = false
		} else {
			g["AssertionResult"] = &script.AssertionResult{A: &ar}
		}
	})
	switch {
	case err != nil:
		ar.Error = true
		ar.FailureMessage, ar.MessageSet = a.s.failure(err), true
		a.s.logErr(u, err)
	case bsh:
		ar.FailureMessage, ar.MessageSet = script.ToString(g["FailureMessage"]), true
		ar.Failure = strings.EqualFold(script.ToString(g["Failure"]), "true")
	}
	r.Assertions = append(r.Assertions, ar)
	if ar.Failure || ar.Error {
		r.Success = false
	}
}

// scriptListener runs for each sample in its scope (sampleResult).
type scriptListener struct{ s *scriptElem }

func (l scriptListener) process(u *vuser, r *sample.Result) {
	_, _, err := l.s.run(u, func(g map[string]any) {
		res := u.senv.Result(r)
		g["sampleResult"] = res
		g["sampleEvent"] = &sampleEvent{res}
	})
	if err != nil {
		l.s.logErr(u, err)
	}
}

// sampleEvent is a listener's `sampleEvent`.
type sampleEvent struct{ r *script.SampleResult }

func (e *sampleEvent) GetResult() *script.SampleResult { return e.r }

// scriptSampler is a JSR223/BeanShell/BSF Sampler.
type scriptSampler struct{ s *scriptElem }

func (sm scriptSampler) sampleScript(u *vuser) *sample.Result {
	s := sm.s
	r := &sample.Result{Label: s.name, Success: true, ResponseCode: "200", ResponseMessage: "OK", DataType: "text"}
	bsh := s.family == "BeanShell"
	r.Start = time.Now()
	out, g, err := s.run(u, func(g map[string]any) {
		g["SampleResult"] = u.senv.Result(r)
		if bsh {
			g["ResponseCode"] = "200"
			g["ResponseMessage"] = "OK"
			g["IsSuccess"] = true
		}
	})
	switch {
	case s.fileName != "" && bsh:
		r.SamplerData = s.fileName
	case s.fileName != "":
		r.SamplerData = "File: " + s.fileName
	case s.text != nil:
		r.SamplerData = u.slots[s.slot].v.(*scriptUser).text
	default:
		r.SamplerData = s.src
	}
	switch {
	case err != nil:
		s.logErr(u, err)
		r.Success = false
		r.ResponseCode = "500"
		r.ResponseMessage = s.failure(err)
	case bsh:
		if out != nil {
			r.Body = []byte(script.ToString(out))
		}
		r.ResponseCode = script.ToString(g["ResponseCode"])
		r.ResponseMessage = script.ToString(g["ResponseMessage"])
		r.Success = strings.EqualFold(script.ToString(g["IsSuccess"]), "true")
	default:
		if out != nil && len(r.Body) == 0 {
			r.Body = []byte(script.ToString(out))
		}
	}
	if r.Elapsed == 0 {
		r.Elapsed = time.Since(r.Start)
	}
	r.Bytes = int64(len(r.Body))
	return r
}
