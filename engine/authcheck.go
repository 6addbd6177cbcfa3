package engine

import (
	"fmt"
	"strings"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sampler"
)

// authCheck finds the Authorization Manager rows gometer cannot apply
// (KERBEROS) that a request would use. JMeter matches rows by URL prefix
// when a request is made, so a row no request reaches (a recording
// leftover) changes nothing and must not block the plan; a row some
// request would use is reported once, at its own line.
type authCheck struct {
	probe    *functions.Context // properties and plan variables known before the run
	probeFor int                // len(t.udvs) when probe was built
	seen     map[authRowKey]bool
}

type authRowKey struct {
	mgr *jmx.Element
	row int
}

// probeContext evaluates the plan's variables whose values need no more
// than properties (a variable defined by a script or a counter stays
// unset, so URLs using it count as unknown).
func (c *compiler) probeContext() *functions.Context {
	a := &c.auth
	if a.probe != nil && a.probeFor == len(c.t.udvs) {
		return a.probe
	}
	vars := functions.NewVars()
	ctx := c.t.newUserContext(vars)
	for _, u := range c.t.udvs {
		if u.value.CallsOnly(func(string) bool { return false }) {
			v := u.value.Eval(ctx)
			if !strings.Contains(v, "${") {
				vars.Put(u.name, v)
			}
		}
	}
	a.probe, a.probeFor = ctx, len(c.t.udvs)
	return ctx
}

// checkAuth reports the unusable row the sampler's request would use.
func (c *compiler) checkAuth(el *jmx.Element, h *sampler.HTTP) {
	row, known := h.UnusableAuth(c.probeContext())
	if row == nil {
		return
	}
	key := authRowKey{row.Manager, row.Row}
	if c.auth.seen == nil {
		c.auth.seen = make(map[authRowKey]bool)
	}
	if c.auth.seen[key] {
		return
	}
	c.auth.seen[key] = true
	use := fmt.Sprintf("the request of %q would use it", el.Name)
	if !known {
		use = fmt.Sprintf("the URL of %q is only known at run time, so it may use it", el.Name)
	}
	m := row.Manager
	p := Problem{File: orDefault(m.File, c.plan.File), Line: row.Line, Path: m.Path(), Class: m.Class(),
		Msg: fmt.Sprintf("authorization row %d (URL %q): mechanism %s is not supported (gometer supports BASIC and DIGEST); %s", row.Row, row.URL, row.Mechanism, use)}
	if c.t.opts.SkipUnsupported {
		p.Msg += "; the row is left out"
		c.skipped = append(c.skipped, p)
		c.t.logf("WARN", "skipping %s", p.String())
		return
	}
	c.problems = append(c.problems, p)
}
