package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
	"github.com/gometer/gometer/sampler"
)

// compileSampler resolves a sampler's scope and builds its sampler.
func (c *compiler) compileSampler(el *jmx.Element, cx cctx) node {
	lv := c.levelOf(el)
	if cx.ctrl != nil && el.Class() != classParallel { // the Parallel Controller keeps (and never fires) its own
		cx.ctrl.listeners = append(cx.ctrl.listeners, lv.data...)
	}
	chain := append(append([]*level(nil), cx.chain...), lv)
	sc := resolveScope(chain)
	n := &samplerNode{
		el:        el,
		label:     nameTemplate(c, el),
		pres:      sc.pres,
		timers:    sc.timers,
		posts:     sc.posts,
		asserts:   sc.asserts,
		listeners: sc.listeners,
		actions:   sc.actions,
		global:    true,
	}
	if cx.parentTx != nil {
		// JMeter leaves out the listeners (a Result Status Action Handler
		// is one) that also hear the parent transaction's sample
		n.listeners = without(sc.listeners, cx.parentTx.listeners)
		n.actions = withoutActions(sc.actions, cx.parentTx.actions)
		n.global = false
	}
	var err error
	switch el.Class() {
	case "HTTPSamplerProxy", "HTTPSampler", "HTTPSampler2", classHTTP2Sampler, classHTTP2Request, sampler.ClassParallelHTTP:
		mode, merged := c.http2Mode(el)
		mergedArgs := 0
		if el.Class() != classHTTP2Request {
			own := argumentCount(merged)
			merged = mergeHTTPDefaults(merged, sc.httpConf)
			mergedArgs = argumentCount(merged) - own
		}
		needs := c.t.outputsNeed(sc.listeners)
		newHTTP := sampler.NewHTTP
		if el.Class() == sampler.ClassParallelHTTP {
			newHTTP = sampler.NewParallelHTTP
		}
		var h *sampler.HTTP
		h, err = newHTTP(merged, sampler.HTTPOptions{
			Headers:     sc.headers,
			Cookies:     sc.cookie,
			Cache:       sc.cache,
			Auth:        sc.auth,
			DNS:         sc.dns,
			Props:       c.t.props,
			TLSVerify:   c.t.opts.TLSVerify,
			Proxy:       c.t.opts.Proxy,
			DiscardBody: len(sc.posts) == 0 && len(sc.asserts) == 0 && len(sc.slisten) == 0 && !c.readsPrevious() && !needs.ResponseBodies,
			Lean:        len(sc.posts) == 0 && len(sc.asserts) == 0 && !needs.RequestDetails && !c.t.hasScripts(),
			HTTP2:       mode,
			// a script's removal of a merged default lasts one sample
			MergedArguments: mergedArgs,
		})
		if h != nil {
			n.smp = h
			c.checkAuth(el, h)
		}
	case "TestAction":
		n.action, err = c.buildTestAction(el)
	case classParallel:
		n.par, err = c.buildParallel(el, cx)
	case "JSR223Sampler", "BeanShellSampler", "BSFSampler":
		var s *scriptElem
		if s, err = c.buildScript(el); err == nil {
			n.script = &scriptSampler{s}
		} else {
			c.scriptFailed(el, err)
			return nil
		}
	case "TCPSampler":
		n.smp, err = c.buildOtherSampler(mergeHTTPDefaults(el, sc.tcpConf))
	default:
		if strings.HasPrefix(el.Class(), "eu.luminis.jmeter.wssampler.") && classes[el.Class()].kind == kSampler {
			n.smp, err = c.buildWebSocket(el, sc)
			break
		}
		n.smp, err = c.buildOtherSampler(el)
	}
	if err != nil {
		c.problemOrBad(el, err)
		return nil
	}
	if n.smp == nil && n.action == nil && n.script == nil && n.par == nil {
		return nil
	}
	n.slisten = sc.slisten
	return n
}

// readsPrevious reports whether some expression in the plan reads the
// previous response (__regexFunction), so bodies must be kept.
func (c *compiler) readsPrevious() bool {
	if c.t.readsPrev == 0 {
		c.t.readsPrev = 1
		for _, r := range c.plan.Roots {
			jmx.Walk(r, func(e *jmx.Element) bool {
				// an HTML Link Parser and a URL Re-writing Modifier read the previous response too
				if propsContain(e.Props, "__regexFunction") || c.t.hasScripts() || (e.Enabled && (e.Class() == "AnchorModifier" || e.Class() == "URLRewritingModifier")) {
					c.t.readsPrev = 2
				}
				return c.t.readsPrev != 2
			})
		}
	}
	return c.t.readsPrev == 2
}

func propsContain(ps []*jmx.Property, s string) bool {
	for _, p := range ps {
		if strings.Contains(p.Value, s) {
			return true
		}
		if p.Elem != nil && propsContain(p.Elem.Props, s) {
			return true
		}
		if propsContain(p.Items, s) {
			return true
		}
	}
	return false
}

func without(list, remove []output.Output) []output.Output {
	var out []output.Output
	for _, o := range list {
		if !containsOutput(remove, o) {
			out = append(out, o)
		}
	}
	return out
}

// compileController builds one logic controller and its subtree.
func (c *compiler) compileController(el *jmx.Element, cx cctx) node {
	switch el.Class() {
	case "ModuleController":
		return c.compileModule(el, cx)
	case "IncludeController":
		return c.compileInclude(el, cx)
	case classParallel:
		return c.compileSampler(el, cx)
	}
	lv := c.levelOf(el)
	// slot -1: only controllers with per-user state take one (memory per
	// user grows with the slots, not with the plan's size)
	base := ctrlBase{el: el, name: el.Name, slot: -1, listeners: append([]iterListener(nil), lv.data...), dbg: c.t.opts.Debug}
	var n node
	var b *ctrlBase
	childCx := func(b *ctrlBase) cctx { return cx.with(lv, b) }
	switch el.Class() {
	case "GenericController", "RecordingController", "TestFragmentController":
		x := &genericController{ctrlBase: base}
		n, b = x, &x.ctrlBase
	case "LoopController":
		base.slot = c.newSlot()
		x := &loopController{
			ctrlBase:        base,
			loops:           c.template(el, "LoopController.loops", "1"),
			continueForever: el.Bool("LoopController.continue_forever", true),
			idxVar:          "__jm__" + el.Name + "__idx",
		}
		n, b = x, &x.ctrlBase
	case "WhileController":
		x := &whileController{ctrlBase: base, cond: c.template(el, "WhileController.condition", ""), idxVar: "__jm__" + el.Name + "__idx"}
		n, b = x, &x.ctrlBase
	case "IfController":
		cond, err := newCondition(el.Str("IfController.condition"), el.Bool("IfController.useExpression", false))
		if err != nil {
			c.problemOrBad(el, err)
			return nil
		}
		x := &ifController{ctrlBase: base, cond: cond, evaluateAll: el.Bool("IfController.evaluateAll", false)}
		n, b = x, &x.ctrlBase
	case "OnceOnlyController":
		base.slot = c.newSlot()
		// OnceOnlyController re-arms when its parent fires iteration #1 (a
		// LoopController) or #0 (others): under a loop or while controller
		// that is each first pass; a ForeachController counts from 1 and so
		// never re-arms it, like a simple parent.
		underLoop := cx.ctrl != nil && (cx.ctrl.el.Class() == "LoopController" || cx.ctrl.el.Class() == "WhileController")
		x := &onceOnlyController{ctrlBase: base, underLoop: underLoop}
		n, b = x, &x.ctrlBase
	case "ThroughputController":
		base.slot = c.newSlot()
		x := &throughputController{
			ctrlBase:  base,
			byPercent: el.Int("ThroughputController.style", 0) == 1,
			perThread: el.Bool("ThroughputController.perThread", true),
			max:       c.template(el, "ThroughputController.maxThroughput", "1"),
			percent:   c.template(el, "ThroughputController.percentThroughput", "100"),
		}
		if cx.ctrl != nil {
			cx.ctrl.listeners = append(cx.ctrl.listeners, x)
		}
		n, b = x, &x.ctrlBase
	case "RandomController":
		x := &randomController{ctrlBase: base}
		x.children = c.compileChildren(el, childCx(&x.ctrlBase))
		x.picks = c.interleaveChildren(x.children, el.Int("InterleaveControl.style", 0) == 0)
		return x
	case "RandomOrderController":
		x := &randomOrderController{ctrlBase: base}
		n, b = x, &x.ctrlBase
	case "InterleaveControl":
		base.slot = c.newSlot()
		x := &interleaveController{ctrlBase: base, across: el.Bool("InterleaveControl.accrossThreads", false)}
		x.children = c.compileChildren(el, childCx(&x.ctrlBase))
		x.picks = c.interleaveChildren(x.children, el.Int("InterleaveControl.style", 0) == 0)
		return x
	case "SwitchController":
		x := &switchController{ctrlBase: base, value: c.template(el, "SwitchController.value", "")}
		n, b = x, &x.ctrlBase
	case "ForeachController":
		sep := ""
		if el.Bool("ForeachController.useSeparator", true) {
			sep = "_"
		}
		x := &foreachController{
			ctrlBase: base,
			input:    c.template(el, "ForeachController.inputVal", ""),
			output:   c.template(el, "ForeachController.returnVal", ""),
			sep:      sep,
			start:    c.template(el, "ForeachController.startIndex", ""),
			end:      c.template(el, "ForeachController.endIndex", ""),
			hasStart: el.Has("ForeachController.startIndex"),
			hasEnd:   el.Has("ForeachController.endIndex"),
			idxVar:   "__jm__" + el.Name + "__idx",
		}
		n, b = x, &x.ctrlBase
	case "RunTime":
		x := &runtimeController{ctrlBase: base, seconds: c.template(el, "RunTime.seconds", "0")}
		n, b = x, &x.ctrlBase
	case "CriticalSectionController":
		x := &criticalSection{ctrlBase: base, lockName: c.template(el, "CriticalSectionController.lockName", "global_lock")}
		n, b = x, &x.ctrlBase
	case "TransactionController":
		return c.compileTransaction(el, cx, lv, base)
	case classWeightedSwitch:
		return c.compileWeightedSwitch(el, cx, lv, base)
	case classParameterized:
		x, err := c.buildParameterized(el, base)
		if err != nil {
			c.badConfig(el, err)
			return nil
		}
		n, b = x, &x.ctrlBase
	default:
		c.problem(el, "unsupported controller")
		return nil
	}
	b.children = c.compileChildren(el, childCx(b))
	return n
}

func (c *compiler) compileTransaction(el *jmx.Element, cx cctx, lv *level, base ctrlBase) node {
	chain := append(append([]*level(nil), cx.chain...), lv)
	sc := resolveScope(chain)
	x := &txController{
		ctrlBase:      base,
		parent:        el.Bool("TransactionController.parent", false),
		includeTimers: el.Bool("TransactionController.includeTimers", true),
		label:         nameTemplate(c, el),
		listeners:     sc.listeners,
		actions:       sc.actions,
		global:        true,
	}
	if cx.parentTx != nil {
		x.listeners = without(sc.listeners, cx.parentTx.listeners)
		x.actions = withoutActions(sc.actions, cx.parentTx.actions)
		x.global = false
	}
	if x.parent {
		x.asserts = sc.asserts
	}
	for _, l := range sc.slisten {
		if rs, ok := l.(*resultSaver); ok {
			x.savers = append(x.savers, rs)
		}
	}
	childCx := cx.with(lv, &x.ctrlBase)
	if x.parent {
		childCx.parentTx = x
	}
	x.children = c.compileChildren(el, childCx)
	return x
}

// compileModule splices a copy of the target controller in place of a
// ModuleController (JMeter does this before the run).
func (c *compiler) compileModule(el *jmx.Element, cx cctx) node {
	var path []string
	for _, p := range el.Collection("ModuleController.node_path") {
		path = append(path, p.Value)
	}
	if len(path) == 0 {
		// JMeter 5.6.3 refuses to start such a plan ("has no selected
		// Controller … test was shutdown"): so does gometer, --skip-unsupported
		// or not.
		c.badConfig(el, errors.New("Module Controller names no target controller: JMeter refuses to start the test too"))
		return nil
	}
	target := c.findNode(path)
	if target == nil {
		c.badConfig(el, fmt.Errorf("module target %q not found", strings.Join(path, " > ")))
		return nil
	}
	if c.visiting[target] {
		c.badConfig(el, fmt.Errorf("module target %q includes itself", strings.Join(path, " > ")))
		return nil
	}
	// A disabled target still runs (JMeter enables its copy); its own
	// disabled children do not.
	if s, ok := c.spec(target); !ok || s.unsupported != "" || (s.kind != kController && s.kind != kFragment) {
		c.badConfig(el, fmt.Errorf("module target %q is not a controller", strings.Join(path, " > ")))
		return nil
	}
	if d := c.t.opts.Debug; d != nil {
		d(fmt.Sprintf("Module Controller %q (%s) runs %s (%s)", el.Name, el.Where(), target.Path(), target.Where()))
	}
	c.visiting[target] = true
	defer delete(c.visiting, target)
	for _, ch := range target.Children {
		c.check(ch)
	}
	// JMeter runs a copy of the target: its config elements (a Counter, a
	// Random Variable) keep their own state, apart from the original's and
	// other modules' copies, so the copy gets levels of its own. (CSV Data
	// Sets still share their position: JMeter keys it by file name.)
	saved := c.levels
	c.levels = make(map[*jmx.Element]*level)
	defer func() { c.levels = saved }()
	c.expanding = append(c.expanding, el)
	defer func() { c.expanding = c.expanding[:len(c.expanding)-1] }()
	return c.compileController(target, cx)
}

// findNode resolves a ModuleController path as JMeter does. The first name
// is the GUI tree's root ("WorkBench" in JMeter 2, "Test Plan" since) and is
// not compared; the second names a top-level element (the test plan), and
// so on down through enabled and disabled elements alike (JMeter resolves
// modules before it drops disabled ones), never into or onto another
// ModuleController. Of several matches the last in document order wins.
func (c *compiler) findNode(path []string) *jmx.Element {
	var found *jmx.Element
	var walk func(kids []*jmx.Element, level int)
	walk = func(kids []*jmx.Element, level int) {
		for _, k := range kids {
			if k.Class() == "ModuleController" || k.Name != path[level] {
				continue
			}
			if level == len(path)-1 {
				found = k
				continue
			}
			walk(withDisabled(k), level+1)
		}
	}
	if len(path) >= 2 {
		walk(c.plan.Roots, 1)
	}
	return found
}

// withDisabled is el's enabled and disabled children in document order.
func withDisabled(el *jmx.Element) []*jmx.Element {
	if len(el.Disabled) == 0 {
		return el.Children
	}
	all := make([]*jmx.Element, 0, len(el.Children)+len(el.Disabled))
	all = append(append(all, el.Children...), el.Disabled...)
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Line != all[j].Line {
			return all[i].Line < all[j].Line
		}
		return all[i].Col < all[j].Col
	})
	return all
}

// compileInclude loads another plan and splices its test plan's children
// (Test Fragments act as simple controllers) in place.
func (c *compiler) compileInclude(el *jmx.Element, cx cctx) node {
	name := strings.TrimSpace(el.Str("IncludeController.includepath"))
	if name == "" {
		c.badConfig(el, errors.New("no file to include"))
		return nil
	}
	// As JMeter's IncludeController: prefix+path as given (relative to the
	// working directory); when that file is missing and relative, the path
	// without the prefix beside the plan.
	file := strings.TrimSpace(c.t.props.GetOr("includecontroller.prefix", "") + name)
	if _, err := os.Stat(file); err != nil && !filepath.IsAbs(file) && !(len(file) > 2 && file[1] == ':') {
		file = c.resolvePath(name)
	}
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		// a plan from another machine: --data-dir finds the file by name
		if alt, ok := inDataDir(c.t.props.GetOr(dataDirProp, ""), file); ok {
			file = alt
		}
	}
	if c.includes[file] || c.includesPlan(file) {
		c.badConfig(el, fmt.Errorf("include of %s includes itself", file))
		return nil
	}
	inc, err := c.parseInclude(file)
	if err != nil {
		if e := c.missingFile("included plan", name, el.Str("IncludeController.includepath"), file, err); e != nil {
			err = e
		}
		c.problemOrBad(el, fmt.Errorf("include: %v: %w", err, errCannotRun))
		return nil
	}
	if d := c.t.opts.Debug; d != nil {
		d(fmt.Sprintf("Include Controller %q (%s) includes %s", el.Name, el.Where(), file))
	}
	var roots []*jmx.Element
	if tp := inc.TestPlan(); tp != nil {
		roots = tp.Children
	} else {
		roots = inc.Roots
	}
	c.includes[file] = true
	defer delete(c.includes, file)
	c.expanding = append(c.expanding, el)
	defer func() { c.expanding = c.expanding[:len(c.expanding)-1] }()
	// The file is parsed once; each include compiles its own copy, with
	// element state (counters, random variables) of its own, as a fresh
	// parse gave it.
	saved := c.levels
	c.levels = make(map[*jmx.Element]*level)
	defer func() { c.levels = saved }()
	for _, r := range roots {
		c.check(r)
	}
	// The included elements are spliced in as the controller's children:
	// config elements at the included plan's top level apply to its samplers.
	spliced := *el
	spliced.Children = roots
	lv := c.levelOf(&spliced)
	x := &genericController{ctrlBase: ctrlBase{el: el, name: el.Name, slot: -1, listeners: append([]iterListener(nil), lv.data...)}}
	childCx := cx.with(lv, &x.ctrlBase)
	for _, r := range roots {
		if !c.countElement(r) {
			break
		}
		s, ok := c.runnable(r)
		if !ok {
			continue
		}
		switch s.kind {
		case kController, kFragment:
			if n := c.compileController(r, childCx); n != nil {
				x.children = append(x.children, n)
			}
		case kSampler:
			if n := c.compileSampler(r, childCx); n != nil {
				x.children = append(x.children, n)
			}
		}
	}
	return x
}

// includesPlan reports whether file is the plan itself or a file being
// included (by identity, whatever the path's spelling): including it would
// loop, or with the plan's thread groups dropped, run nothing.
func (c *compiler) includesPlan(file string) bool {
	fi, err := os.Stat(file)
	if err != nil {
		return false
	}
	for _, f := range append([]string{c.plan.File}, slices.Collect(maps.Keys(c.includes))...) {
		if other, err := os.Stat(f); err == nil && os.SameFile(fi, other) {
			return true
		}
	}
	return false
}

// template for a name: compile el.Name (labels may hold ${}).
func nameTemplate(c *compiler, el *jmx.Element) *functions.Template {
	tpl, err := functions.Compile(el.Name)
	if err != nil {
		c.badConfig(el, fmt.Errorf("name: %w", err))
		return functions.Literal(el.Name)
	}
	return tpl
}
