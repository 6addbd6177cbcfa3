package engine

import (
	"fmt"
	"math"
	"strconv"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// classWeightedSwitch is the jmeter-plugins Weighted Switch Controller
// ("jpgc-wsc").
const classWeightedSwitch = "com.blazemeter.jmeter.control.WeightedSwitchController"

// weightedSwitch runs one of its children each time it is entered. Its
// Weights table has one row per sampler or controller child (name, weight,
// enabled); rows not enabled are dropped and the rest map to the enabled
// children by position, as the plugin's runtime does (it ignores the names).
//
// Without "random choice" the choice is deterministic per user: the child
// whose share of this user's choices so far lags its weight share the most
// (the first such on ties; at the very start, or when every share is met
// exactly, the first child of the greatest weight). With random choice a
// uniform draw over the cumulative shares picks it.
type weightedSwitch struct {
	ctrlBase
	kids    []node // one per enabled sampler/controller child; nil when it could not be built
	weights []*functions.Template
	random  bool
}

// wscState is one user's record of choices (the plugin keeps it in its
// per-thread copy of the controller). The slot's done flag is the inverse
// of GenericController's "first": the controller's iteration listeners fire
// on entry while it is clear, and it is cleared again only after the last
// child ran (the plugin never re-initialises the controller otherwise).
type wscState struct {
	counts []int64
	total  int64
}

func (c *compiler) compileWeightedSwitch(el *jmx.Element, cx cctx, lv *level, base ctrlBase) node {
	base.slot = c.newSlot()
	x := &weightedSwitch{ctrlBase: base, random: el.Bool("IsRandomChoice", false)}
	allLiteral, sum := true, int64(0)
	for _, row := range el.Collection("Weights") {
		items := row.Items
		enabled := len(items) == 2 || (len(items) == 3 && items[2].Value == "true")
		if !enabled {
			continue
		}
		tpl, err := functions.Compile(items[1].Value)
		if err != nil {
			c.badConfig(el, fmt.Errorf("weight of %q: %w", items[0].Value, err))
			return nil
		}
		if tpl.IsLiteral() {
			w, err := strconv.ParseInt(tpl.Raw(), 10, 64)
			if err != nil {
				// the plugin's Long.parseLong throws and the user's thread ends
				c.badConfig(el, fmt.Errorf("weight of %q is %q, not a whole number (JMeter's thread would end with a NumberFormatException when it reaches this controller)", items[0].Value, tpl.Raw()))
				return nil
			}
			sum += w
		} else {
			allLiteral = false
		}
		x.weights = append(x.weights, tpl)
	}
	if allLiteral && sum == 0 && !x.random {
		c.badConfig(el, fmt.Errorf("no enabled child has a weight: the plugin's deterministic choice fails (its thread would end with an ArrayIndexOutOfBoundsException)"))
		return nil
	}
	childCx := cx.with(lv, &x.ctrlBase)
	for _, ch := range el.Children {
		s, known := c.spec(ch)
		if !known || (s.kind != kSampler && s.kind != kController) {
			continue
		}
		// keep a place for a child that cannot be built, so that the rows
		// still line up with the children
		var n node
		if _, ok := c.runnable(ch); ok {
			if s.kind == kSampler {
				n = c.compileSampler(ch, childCx)
			} else {
				n = c.compileController(ch, childCx)
			}
		}
		x.kids = append(x.kids, n)
		if n != nil {
			x.children = append(x.children, n)
		}
	}
	return x
}

func (w *weightedSwitch) run(u *vuser) flow {
	st := &u.slots[w.slot]
	s, _ := st.v.(*wscState)
	if s == nil {
		s = &wscState{}
		st.v = s
	}
	shares, err := w.shares(u)
	if err != nil {
		u.t.logf("ERROR", "%s: %s: %v; stopping the thread", w.el.Where(), w.el.Path(), err)
		u.stop = true
		return flowStop
	}
	var idx int
	if w.random {
		idx = wscRandomIndex(shares, u.ctx.Rand.Float64())
	} else {
		idx = s.next(shares)
		if idx < 0 {
			u.t.logf("ERROR", "%s: %s: no child has a weight; stopping the thread", w.el.Where(), w.el.Path())
			u.stop = true
			return flowStop
		}
	}
	// GenericController's "first": the iteration listeners fire once the
	// child is chosen (the plugin chooses before it calls super.next())
	if !st.done {
		st.done = true
		if f := w.iterStart(u); f != flowNext {
			return f
		}
	}
	if idx >= len(w.kids)-1 {
		st.done = false // the last child (or none) ran: the controller re-initialises
	}
	if idx >= len(w.kids) || w.kids[idx] == nil {
		return flowNext
	}
	return w.kids[idx].run(u)
}

// shares evaluates the weights and divides each by their sum, as the plugin
// does (a sum of 0 gives NaN shares, which only the random choice survives).
func (w *weightedSwitch) shares(u *vuser) ([]float64, error) {
	out := make([]float64, len(w.weights))
	var sum int64
	for i, t := range w.weights {
		v := t.Eval(u.ctx)
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("weight %d is %q, not a whole number", i+1, v)
		}
		out[i] = float64(n)
		sum += n
	}
	for i := range out {
		out[i] /= float64(sum)
	}
	return out, nil
}

// next is the plugin's deterministic choice: the child whose weight share
// exceeds its share of the choices so far by the most (strictly more than
// the smallest positive double); failing that, the first child of the
// greatest weight share. -1 when no share is a number above zero.
func (s *wscState) next(shares []float64) int {
	if s.counts == nil {
		s.counts = make([]int64, len(shares))
	}
	best, bestIdx := math.SmallestNonzeroFloat64, -1
	for n, w := range shares {
		fact := 0.0
		if s.total > 0 && n < len(s.counts) {
			fact = float64(s.counts[n]) / float64(s.total)
		}
		if d := w - fact; d > best {
			best, bestIdx = d, n
		}
	}
	if bestIdx < 0 {
		for n, w := range shares {
			if w > best {
				best, bestIdx = w, n
			}
		}
	}
	if bestIdx < 0 || bestIdx >= len(s.counts) {
		return -1
	}
	s.total++
	s.counts[bestIdx]++
	return bestIdx
}

// wscRandomIndex is the plugin's random choice for a uniform draw r in
// [0,1): the first child at which the running remainder of r·total reaches
// zero; the first child when none does (NaN shares).
func wscRandomIndex(shares []float64, r float64) int {
	total := 0.0
	for _, w := range shares {
		total += w
	}
	x := r * total
	for i, w := range shares {
		x -= w
		if x <= 0 {
			return i
		}
	}
	return 0
}
