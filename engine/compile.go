package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/datafile"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sampler"
	"github.com/gometer/gometer/script"
)

// compiler turns the element tree into groups of runnable nodes. It collects
// every problem instead of stopping at the first.
type compiler struct {
	keystoreConfigs []*jmx.Element // Keystore Configurations, document order
	t               *Test
	plan            *jmx.Plan
	problems        []Problem
	skipped         []Problem
	levels          map[*jmx.Element]*level
	csvSlots        map[string]int                 // per-user CSV positions (shareMode.thread) by file
	opened          map[*jmx.Element]output.Output // listener outputs, one per element
	reported        map[*jmx.Element]bool
	visiting        map[*jmx.Element]bool   // module targets being expanded
	includes        map[string]bool         // included files being expanded
	parsed          map[string]includedPlan // included files, parsed once
	// expanded counts compiled elements (module and include copies too)
	// against maxExpanded; expanding is the chain of module and include
	// controllers being expanded, outermost first.
	expanded, maxExpanded int
	expanding             []*jmx.Element
	exploded              bool
	group                 *group             // group being compiled
	auth                  authCheck          // Authorization Manager rows gometer cannot apply
	http2                 *sampler.HTTP2Mode // gometer.http2, read once
}

// cctx is what a node being compiled inherits from its ancestors.
type cctx struct {
	chain    []*level      // scope levels from the test plan down to the node's parent
	ctrl     *ctrlBase     // nearest enclosing controller (iteration listeners attach here)
	parentTx *txController // innermost enclosing transaction controller in parent mode
}

func (cx cctx) with(l *level, ctrl *ctrlBase) cctx {
	chain := make([]*level, len(cx.chain)+1)
	copy(chain, cx.chain)
	chain[len(cx.chain)] = l
	return cctx{chain: chain, ctrl: ctrl, parentTx: cx.parentTx}
}

// Compile turns a parsed plan into a runnable Test. Every element that
// cannot be run is reported in the returned Problems (unless
// opts.SkipUnsupported, in which case they are left out and listed by
// Warnings).
func Compile(plan *jmx.Plan, opts Options) (*Test, error) {
	if plan == nil {
		return nil, errors.New("engine: no plan")
	}
	if opts.Props == nil {
		opts.Props = functions.NewProperties()
	}
	if opts.Shared == nil {
		opts.Shared = functions.NewShared()
	}
	opts.Log = limitLog(opts.Log)
	opts.Trace = withDebug(opts.Trace, opts.Debug)
	t := &Test{opts: opts, plan: plan, props: opts.Props, shared: opts.Shared, monitors: script.NewMonitors()}
	// StopNow may come from another goroutine at any time: the context that
	// cancels requests in flight exists from the start.
	t.hardCtx, t.hardCancel = context.WithCancel(context.Background())
	t.hardStop = make(chan struct{})
	t.maxDataFile = datafile.Limit(t.props.Get)
	if t.shared.MaxDataFile == 0 {
		t.shared.MaxDataFile = t.maxDataFile
	}
	c := &compiler{
		t:        t,
		plan:     plan,
		levels:   make(map[*jmx.Element]*level),
		csvSlots: make(map[string]int),
		opened:   make(map[*jmx.Element]output.Output),
		reported: make(map[*jmx.Element]bool),
		visiting: make(map[*jmx.Element]bool),
		includes: make(map[string]bool),
		parsed:   make(map[string]includedPlan),
	}
	c.maxExpanded = maxPlanElements(t.props.Get)
	t.regexTimeout = c.regexTimeout()
	if t.shared.RegexTimeout == 0 {
		t.shared.RegexTimeout = t.regexTimeout
	}
	tp := plan.TestPlan()
	if tp == nil {
		return nil, Problems{{File: plan.File, Msg: "no TestPlan element in the plan"}}
	}
	for _, r := range plan.Roots {
		if r != tp {
			c.check(r) // WorkBench and other roots: only checked, never run
		}
	}
	c.check(tp)
	c.compilePlan(tp)
	c.collectDataSources(tp) // after the plan's variables, which their properties may use
	c.loadClientCerts()

	if len(c.problems) > 0 {
		// The plan cannot run: report the elements SkipUnsupported would
		// have skipped too, so that one pass lists everything to fix.
		all := append(append([]Problem(nil), c.skipped...), c.problems...)
		sort.SliceStable(all, func(i, j int) bool {
			if all[i].File != all[j].File {
				return all[i].File < all[j].File
			}
			return all[i].Line < all[j].Line
		})
		return nil, Problems(all)
	}
	t.warnings = c.skipped
	return t, nil
}

// problem records an element that cannot run. With SkipUnsupported it is a
// warning and the caller leaves the element out.
func (c *compiler) problem(el *jmx.Element, format string, args ...any) {
	if c.reported[el] {
		return
	}
	c.reported[el] = true
	p := Problem{File: el.File, Line: el.Line, Path: el.Path(), Class: el.Class(), Msg: fmt.Sprintf(format, args...)}
	if p.File == "" {
		p.File = c.plan.File
	}
	if c.t.opts.SkipUnsupported {
		c.skipped = append(c.skipped, p)
		c.t.logf("WARN", "skipping %s", p.String())
		return
	}
	c.problems = append(c.problems, p)
}

// lastProblem is the problem or warning recorded last.
func (c *compiler) lastProblem() *Problem {
	if c.t.opts.SkipUnsupported {
		return &c.skipped[len(c.skipped)-1]
	}
	return &c.problems[len(c.problems)-1]
}

// badConfig records an element whose settings cannot work (always an error,
// also with SkipUnsupported, since skipping would change the test silently).
func (c *compiler) badConfig(el *jmx.Element, err error) {
	if c.reported[el] {
		return
	}
	c.reported[el] = true
	p := Problem{File: el.File, Line: el.Line, Path: el.Path(), Class: el.Class(), Msg: err.Error()}
	if p.File == "" {
		p.File = c.plan.File
	}
	c.problems = append(c.problems, p)
}

// spec classifies an element; ok is false for classes gometer does not know.
func (c *compiler) spec(el *jmx.Element) (classSpec, bool) {
	class := el.Class()
	if s, ok := classes[class]; ok {
		return s, true
	}
	if isVisualizer(class) {
		return classSpec{kind: kIgnore}, true
	}
	if fam, ok := scriptClass(class); ok {
		return scriptSpec(el, fam), true
	}
	if k, ok := handledElsewhere(class); ok {
		return classSpec{kind: k}, true
	}
	return classSpec{}, false
}

// check walks the tree once and reports every element gometer cannot run.
func (c *compiler) check(el *jmx.Element) {
	if !el.Enabled {
		return
	}
	s, ok := c.spec(el)
	switch {
	case !ok:
		c.problem(el, "unsupported element (unknown class %s)", el.Class())
		return
	case s.unsupported != "":
		if !c.reported[el] {
			c.problem(el, "%s", s.unsupported)
			c.lastProblem().Script = s.script
		}
		return
	case s.kind == kIgnore:
		c.noteIgnored(el)
		return
	case s.kind == kFragment:
		return // checked when a Module/Include controller uses it
	}
	c.checkTemplates(el, el, "", el.Props)
	for _, ch := range el.Children {
		c.check(ch)
	}
}

// checkTemplates reports expressions JMeter tolerates but that are almost
// certainly mistakes (an unterminated "${"): a problem in strict mode, a
// warning (the element still runs, as in JMeter) with SkipUnsupported.
func (c *compiler) checkTemplates(owner, el *jmx.Element, prefix string, props []*jmx.Property) {
	for _, p := range props {
		name := p.Name
		if prefix != "" {
			name = prefix + "." + p.Name
		}
		switch {
		case p.Elem != nil:
			c.checkTemplates(owner, p.Elem, p.Name, p.Elem.Props)
		case len(p.Items) > 0:
			c.checkTemplates(owner, el, prefix, p.Items)
		case strings.Contains(p.Value, "${"):
			tpl, err := functions.Compile(p.Value)
			if err != nil || tpl == nil {
				continue // compile errors are reported where the value is used
			}
			for _, w := range tpl.Warnings() {
				msg := fmt.Sprintf("%s: %v", propLabel(name, p), w)
				if c.t.opts.SkipUnsupported {
					c.skipped = append(c.skipped, Problem{File: orDefault(owner.File, c.plan.File), Line: owner.Line, Path: owner.Path(), Class: owner.Class(), Msg: msg + " (sent as written)"})
				} else {
					c.problems = append(c.problems, Problem{File: orDefault(owner.File, c.plan.File), Line: owner.Line, Path: owner.Path(), Class: owner.Class(), Msg: msg})
				}
			}
		}
	}
}

func propLabel(name string, p *jmx.Property) string {
	if name == "" {
		return p.Kind.String()
	}
	return name
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// runnable reports whether el is enabled, known and supported.
func (c *compiler) runnable(el *jmx.Element) (classSpec, bool) {
	if !el.Enabled {
		return classSpec{}, false
	}
	s, ok := c.spec(el)
	if !ok || s.unsupported != "" {
		return s, false
	}
	return s, true
}

func (c *compiler) compilePlan(tp *jmx.Element) {
	t := c.t
	t.serialize = tp.Bool("TestPlan.serialize_threadgroups", false)
	t.teardownOnStop = tp.Bool("TestPlan.tearDown_on_shutdown", false)

	// Global variables: the test plan's own, then every Arguments element
	// anywhere in the tree, in document order (JMeter's PreCompiler).
	if args := tp.Elem("TestPlan.user_defined_variables"); args != nil {
		c.addUDVs(tp, args)
	}
	jmx.Walk(tp, func(e *jmx.Element) bool {
		if !e.Enabled {
			return false
		}
		if s, ok := c.spec(e); ok && s.kind == kIgnore {
			return false
		}
		if _, ok := scriptClass(e.Class()); ok || propsContain(e.Props, "${__groovy") || propsContain(e.Props, "${__BeanShell") || propsContain(e.Props, "${__javaScript") {
			t.scriptsInPlan = true
		}
		switch e.Class() {
		case "Arguments":
			c.addUDVs(e, e)
		case classVarsFromCSV, classVarsFromFile:
			c.addVarsFromCSV(e)
		}
		return true
	})

	planLevel := c.levelOf(tp)
	nums := [3]int{}
	for _, ch := range tp.Children {
		s, ok := c.runnable(ch)
		if !ok || s.kind != kThreadGroup {
			continue
		}
		ph := phaseMain
		switch ch.Class() {
		case "SetupThreadGroup":
			ph = phaseSetup
		case "PostThreadGroup":
			ph = phaseTeardown
		}
		nums[ph]++
		g := c.compileGroup(ch, planLevel, ph, nums[ph])
		if g == nil {
			continue
		}
		switch ph {
		case phaseSetup:
			t.setup = append(t.setup, g)
		case phaseTeardown:
			t.teardown = append(t.teardown, g)
		default:
			t.main = append(t.main, g)
		}
	}
	if nums == [3]int{} {
		// JMeter runs such a plan, sends nothing and exits 0: a CI run that
		// tested nothing must not look like a pass.
		c.badConfig(tp, errors.New("no enabled thread group that can run: the plan would send nothing (enable or add a Thread Group)"))
	}
}

func (c *compiler) addUDVs(owner, args *jmx.Element) {
	set := len(c.t.udvs) // identifies this element's variables
	for _, item := range args.Collection("Arguments.arguments") {
		a := item.Elem
		if a == nil {
			continue
		}
		name := a.Str("Argument.name")
		if name == "" {
			continue
		}
		tpl, err := functions.Compile(a.Str("Argument.value"))
		if err != nil {
			if errors.Is(err, functions.ErrUnsupported) {
				// a function gometer cannot run (a BeanShell script …): the
				// variable is left out when skipping unsupported elements
				c.problem(owner, "variable %q: %v", name, err)
				continue
			}
			c.badConfig(owner, fmt.Errorf("variable %q: %w", name, err))
			continue
		}
		c.t.udvs = append(c.t.udvs, udv{name: name, value: tpl, set: set})
	}
}

// template compiles one property of el, reporting a bad expression.
func (c *compiler) template(el *jmx.Element, prop, def string) *functions.Template {
	src := el.StrOr(prop, def)
	tpl, err := functions.Compile(src)
	if err != nil {
		if errors.Is(err, functions.ErrUnsupported) {
			c.problem(el, "%s: %v", prop, err)
		} else {
			c.badConfig(el, fmt.Errorf("%s: %w", prop, err))
		}
		return functions.Literal(src)
	}
	return tpl
}

// compileChildren compiles the runnable children (samplers and controllers)
// of el into nodes, in document order.
func (c *compiler) compileChildren(el *jmx.Element, cx cctx) []node {
	var out []node
	for _, ch := range el.Children {
		if !c.countElement(ch) {
			break
		}
		s, ok := c.runnable(ch)
		if !ok {
			continue
		}
		switch s.kind {
		case kSampler:
			if n := c.compileSampler(ch, cx); n != nil {
				out = append(out, n)
			}
		case kController:
			if n := c.compileController(ch, cx); n != nil {
				out = append(out, n)
			}
		case kThreadGroup:
			c.badConfig(ch, errors.New("a thread group must sit directly under the test plan"))
		}
	}
	return out
}

// resolvePath resolves a file name relative to the plan's directory.
func (c *compiler) resolvePath(name string) string {
	if name == "" || filepath.IsAbs(name) || c.plan.File == "" {
		return name
	}
	return filepath.Join(filepath.Dir(c.plan.File), name)
}

func (c *compiler) evalContext() *functions.Context {
	vars := functions.NewVars()
	for _, u := range c.t.udvs {
		if u.value.IsLiteral() {
			vars.Put(u.name, u.value.Raw())
		}
	}
	return functions.NewContext(vars, c.t.props, c.t.shared)
}
