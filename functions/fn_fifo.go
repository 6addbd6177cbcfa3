package functions

import (
	"strconv"
	"strings"

	"github.com/gometer/gometer/internal/fifo"
)

// The jmeter-plugins Inter-Thread Communication functions: named string
// queues shared by every user of the run (see package fifo). As in the
// plugin, extra arguments beyond the documented ones are ignored.

func (c *Context) fifoStop() fifo.Stop { return fifo.Stop{Ctx: c.RunCtx, Halt: c.Halt} }

// buildFifoPut is __fifoPut(queue, value): appends value, returns it
// ("INTERRUPTED" when a full queue's wait is cut by the run stopping).
func buildFifoPut(args []*Template) (evalFunc, error) {
	name, value := args[0], args[1]
	return func(c *Context) string {
		q, v := name.Eval(c), value.Eval(c)
		if !c.Shared.Fifos(c.Props).Put(q, v, c.fifoStop()) {
			c.logf("WARN", "Interrupted put into queue %s", q)
			return fifo.Interrupted
		}
		return v
	}, nil
}

// fifoTimeout is the plugin's pop timeout: the property in seconds, no
// limit when unset or not a number.
func fifoTimeout(c *Context) int64 {
	if v, ok := c.props().Get(fifo.PropTimeout); ok {
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			return n
		}
	}
	return 1<<63 - 1
}

// buildFifoPop is __fifoPop(queue[, var]): takes the oldest value, waiting
// up to the timeout property. A timeout yields Java's null: the text
// "null" and the variable left unset; a stopping run yields "INTERRUPTED".
func buildFifoPop(args []*Template) (evalFunc, error) {
	name, v := args[0], arg(args, 1)
	return func(c *Context) string {
		q := name.Eval(c)
		val, how := c.Shared.Fifos(c.Props).Pop(q, fifo.Timeout(fifoTimeout(c)), c.fifoStop())
		switch how {
		case fifo.Interrupt:
			c.logf("WARN", "Interrupted pop from queue %s", q)
			val = fifo.Interrupted
		case fifo.TimedOut:
			if v != nil {
				if n := strings.TrimSpace(v.Eval(c)); n != "" {
					c.vars().Remove(n)
				}
			}
			return "null"
		}
		if v != nil {
			c.putVar(v.Eval(c), val)
		}
		return val
	}, nil
}

// buildFifoRead builds __fifoGet(queue[, var]) (the oldest value without
// taking it, "" when empty) and __fifoSize(queue[, var]) (how many wait).
func buildFifoRead(read func(m *fifo.Map, queue string) string) func(args []*Template) (evalFunc, error) {
	return func(args []*Template) (evalFunc, error) {
		name, v := args[0], arg(args, 1)
		return func(c *Context) string {
			val := read(c.Shared.Fifos(c.Props), name.Eval(c))
			if v != nil {
				c.putVar(v.Eval(c), val)
			}
			return val
		}, nil
	}
}

func fifoPeek(m *fifo.Map, q string) string { return m.Peek(q) }
func fifoLen(m *fifo.Map, q string) string  { return strconv.Itoa(m.Len(q)) }
