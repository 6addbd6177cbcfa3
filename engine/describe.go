package engine

import (
	"fmt"
	"io"
	"strings"

	"github.com/gometer/gometer/sampler"
)

// Describe writes what would run: each thread group with its load shape
// (numbers evaluated with the current properties) and its tree of
// controllers and samplers.
func (t *Test) Describe(w io.Writer) {
	t.ensureGlobals()
	phases := []struct {
		name   string
		groups []*group
	}{{"setUp", t.setup}, {"main", t.main}, {"tearDown", t.teardown}}
	for _, p := range phases {
		for _, g := range p.groups {
			ctx := t.newUserContext(t.global.Clone())
			sh := g.shape(ctx)
			if d := g.shapeDescription(ctx); d != "" {
				fmt.Fprintf(w, "%s (%s, line %d): %s group, %s", g.name, shortClass(g.el.Class()), g.el.Line, p.name, d)
				if g.onError != onErrorContinue {
					fmt.Fprintf(w, ", on error %s", g.el.Str("ThreadGroup.on_sample_error"))
				}
				fmt.Fprintln(w)
			} else {
				fmt.Fprintf(w, "%s (%s, line %d): %s group, %d threads, ramp-up %s", g.name, g.el.Class(), g.el.Line, p.name, sh.threads, sh.ramp)
				switch {
				case sh.loops < 0 || (g.continueForever && sh.loops > 0):
					fmt.Fprint(w, ", loops forever")
				default:
					fmt.Fprintf(w, ", %d loop(s)", sh.loops)
				}
				if g.scheduler {
					fmt.Fprintf(w, ", delay %s, duration %s", sh.delay, sh.duration)
				}
				if g.onError != onErrorContinue {
					fmt.Fprintf(w, ", on error %s", g.el.Str("ThreadGroup.on_sample_error"))
				}
				fmt.Fprintln(w)
			}
			samplers := 0
			for _, ch := range g.root.children {
				samplers += describeNode(w, ch, 1)
			}
			if samplers == 0 {
				fmt.Fprintln(w, "  (no samplers)")
			}
		}
	}
	for _, p := range t.warnings {
		fmt.Fprintf(w, "skipped: %s\n", p.String())
	}
	for _, p := range t.notes {
		fmt.Fprintf(w, "note: %s\n", p.String())
	}
}

func describeNode(w io.Writer, n node, depth int) int {
	class, name, children := n.describe()
	note := ""
	count := 0
	if sn, ok := n.(*samplerNode); ok {
		count++
		if h, ok := sn.smp.(*sampler.HTTP); ok && h.JavaImplementation() {
			note = ", Java implementation: HttpURLConnection's headers and bodies"
		}
	}
	fmt.Fprintf(w, "%s%s (%s%s)\n", strings.Repeat("  ", depth), name, class, note)
	for _, ch := range children {
		count += describeNode(w, ch, depth+1)
	}
	return count
}
