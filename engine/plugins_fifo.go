package engine

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/fifo"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
)

// The jmeter-plugins Inter-Thread Communication processors: a
// post-processor that puts a value into a named queue after each sample in
// its scope, and a pre-processor that takes one into a variable before
// each sample (waiting for it). The queues are the ones the __fifo…
// functions use.
const (
	classFifoPop = "kg.apc.jmeter.modifiers.FifoPopPreProcessor"
	classFifoPut = "kg.apc.jmeter.modifiers.FifoPutPostProcessor"
)

type fifoPop struct {
	el          *jmx.Element
	queue, name *functions.Template
	timeout     *functions.Template // nil: the property's (or no limit)
}

func (c *compiler) buildFifoPop(el *jmx.Element) (*fifoPop, error) {
	p := &fifoPop{el: el, queue: c.template(el, "FifoName", ""), name: c.template(el, "Variable", "")}
	if el.Has("Timeout") {
		p.timeout = c.template(el, "Timeout", "")
		if s := el.Str("Timeout"); p.timeout.IsLiteral() && s != "" {
			if _, err := strconv.ParseInt(s, 10, 64); err != nil {
				return nil, fmt.Errorf("Timeout %q is not a whole number of seconds", s)
			}
		}
	}
	return p, nil
}

func (p *fifoPop) process(u *vuser) {
	secs := int64(1<<63 - 1) // the plugin's Long.MAX_VALUE: no limit
	if p.timeout == nil {
		if v, ok := u.t.props.Get(fifo.PropTimeout); ok {
			if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
				secs = n
			}
		}
	} else if s := p.timeout.Eval(u.ctx); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			// the plugin's thread dies on the NumberFormatException
			u.t.logf("ERROR", "%s: %s: Timeout %q is not a whole number of seconds; stopping %s", p.el.Where(), p.el.Path(), s, u.name)
			u.stop = true
			return
		}
		secs = n
	}
	q := p.queue.Eval(u.ctx)
	u.flush() // hand over finished samples before a possibly long wait
	v, how := u.t.shared.Fifos(u.t.props).Pop(q, fifo.Timeout(secs), fifo.Stop{Ctx: u.runCtx, Halt: u.ph.stop})
	name := p.name.Eval(u.ctx)
	switch how {
	case fifo.TimedOut:
		u.vars.Remove(name) // the plugin stores Java's null
	case fifo.Interrupt:
		u.t.logf("WARN", "Interrupted pop from queue %s", q)
		u.vars.Put(name, fifo.Interrupted)
	default:
		u.vars.Put(name, v)
	}
}

type fifoPut struct {
	queue, value *functions.Template
}

func (c *compiler) buildFifoPut(el *jmx.Element) *fifoPut {
	return &fifoPut{queue: c.template(el, "FifoName", ""), value: c.template(el, "Value", "")}
}

func (p *fifoPut) process(u *vuser, _ *sample.Result) {
	q := p.queue.Eval(u.ctx)
	if !u.t.shared.Fifos(u.t.props).Put(q, p.value.Eval(u.ctx), fifo.Stop{Ctx: u.runCtx, Halt: u.ph.stop}) {
		u.t.logf("WARN", "Interrupted put into queue %s", q)
	}
}
