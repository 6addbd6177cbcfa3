package functions

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// propDefault reads a property the way JMeterUtils.getPropDefault does:
// the value (or the default) with surrounding whitespace trimmed.
func propDefault(c *Context, name, def string) string {
	return strings.TrimSpace(c.props().GetOr(name, def))
}

func buildP(args []*Template) (evalFunc, error) {
	name, def := args[0], arg(args, 1)
	return func(c *Context) string {
		d := "1" // JMeter's default default
		if def != nil {
			d = def.Eval(c)
		}
		return propDefault(c, name.Eval(c), d)
	}, nil
}

func buildProperty(args []*Template) (evalFunc, error) {
	name, v, def := args[0], varArg{arg(args, 1)}, arg(args, 2)
	return func(c *Context) string {
		n := name.Eval(c)
		d := n // unset and no default: the name itself
		if def != nil {
			d = def.Eval(c)
		}
		val := propDefault(c, n, d)
		v.store(c, val)
		return val
	}, nil
}

func buildSetProperty(args []*Template) (evalFunc, error) {
	name, value, ret := args[0], args[1], arg(args, 2)
	return func(c *Context) string {
		n, val := name.Eval(c), value.Eval(c)
		wantOld := ret != nil && strings.EqualFold(ret.Eval(c), "true")
		old, _ := c.props().Swap(n, val)
		if wantOld {
			return old
		}
		return ""
	}, nil
}

func buildIsPropDefined(args []*Template) (evalFunc, error) {
	name := args[0]
	return func(c *Context) string {
		_, ok := c.props().Get(name.Eval(c))
		return strconv.FormatBool(ok)
	}, nil
}

func buildIsVarDefined(args []*Template) (evalFunc, error) {
	name := args[0]
	return func(c *Context) string {
		_, ok := c.vars().Get(name.Eval(c))
		return strconv.FormatBool(ok)
	}, nil
}

func buildV(args []*Template) (evalFunc, error) {
	name, def := args[0], arg(args, 1)
	return func(c *Context) string {
		n := name.Eval(c)
		if v, ok := c.vars().Get(n); ok {
			return v
		}
		if def != nil {
			return def.Eval(c)
		}
		return n
	}, nil
}

// evalString compiles and evaluates a string found at run time (__eval,
// __evalVar). A broken string is returned as it is and logged.
func evalString(c *Context, s string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	// A variable that evaluates itself would recurse for ever.
	if c.evalDepth >= maxEvalDepth {
		c.logf("ERROR", "__eval: nesting deeper than %d, returning %q unevaluated", maxEvalDepth, s)
		return s
	}
	// Each level may fan out (three __eval calls per level make 3^16 at
	// depth 16): the evaluations under one outermost __eval are counted.
	if c.evalDepth == 0 {
		c.evalCalls, c.evalBudget = 0, maxEvalCalls(c)
	}
	c.evalCalls++
	if c.evalCalls > c.evalBudget {
		if c.evalCalls == c.evalBudget+1 {
			c.logf("ERROR", "__eval: more than %d evaluations for one expression (property %s): the rest are returned unevaluated", c.evalBudget, PropMaxEvalCalls)
		}
		return s
	}
	c.evalDepth++
	defer func() { c.evalDepth-- }()
	t, err := Compile(s)
	if err != nil {
		c.logf("ERROR", "__eval: %v", err)
		return s
	}
	return t.Eval(c)
}

// maxEvalDepth bounds __eval/__evalVar recursion.
const maxEvalDepth = 16

// PropMaxEvalCalls bounds the __eval/__evalVar evaluations under one
// outermost call (default DefaultMaxEvalCalls).
const (
	PropMaxEvalCalls    = "gometer.max_eval_calls"
	DefaultMaxEvalCalls = 10_000
)

func maxEvalCalls(c *Context) int {
	if c.Props != nil {
		if v, ok := c.Props.Get(PropMaxEvalCalls); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
				return n
			}
		}
	}
	return DefaultMaxEvalCalls
}

func buildEval(args []*Template) (evalFunc, error) {
	s := args[0]
	return func(c *Context) string { return evalString(c, s.Eval(c)) }, nil
}

func buildEvalVar(args []*Template) (evalFunc, error) {
	name := args[0]
	return func(c *Context) string {
		v, ok := c.vars().Get(name.Eval(c))
		if !ok {
			return ""
		}
		return evalString(c, v)
	}, nil
}

func buildSplit(args []*Template) (evalFunc, error) {
	src, prefix, sepT := args[0], args[1], arg(args, 2)
	return func(c *Context) string {
		s := src.Eval(c)
		p := strings.TrimSpace(prefix.Eval(c))
		sep := ","
		if sepT != nil {
			if v := sepT.Eval(c); v != "" {
				sep = v
			}
		}
		parts := splitJMeter(s, sep)
		vars := c.vars()
		vars.Put(p, s)
		vars.Put(p+"_n", strconv.Itoa(len(parts)))
		for i, part := range parts {
			vars.Put(p+"_"+strconv.Itoa(i+1), part)
		}
		vars.Remove(p + "_" + strconv.Itoa(len(parts)+1))
		return s
	}, nil
}

// splitJMeter splits like JOrphanUtils.split(s, delims, "?"): every
// character of sep is a delimiter; an empty field between two delimiters and
// a trailing delimiter give "?", a leading delimiter gives nothing.
func splitJMeter(s, sep string) []string {
	parts := []string{}
	lastWasDelim := false
	start := -1
	for i, r := range s {
		if strings.ContainsRune(sep, r) {
			if start >= 0 {
				parts = append(parts, s[start:i])
				start = -1
			} else if lastWasDelim {
				parts = append(parts, "?")
			}
			lastWasDelim = true
			continue
		}
		if start < 0 {
			start = i
		}
		lastWasDelim = false
	}
	if start >= 0 {
		parts = append(parts, s[start:])
	} else if lastWasDelim {
		parts = append(parts, "?")
	}
	return parts
}

func buildRandom(args []*Template) (evalFunc, error) {
	for i := 0; i < 2; i++ {
		if err := checkInt(args, i, 64, true); err != nil {
			return nil, err
		}
	}
	minS, okMin := literalArg(args, 0)
	maxS, okMax := literalArg(args, 1)
	if okMin && okMax {
		lo, _ := strconv.ParseInt(strings.TrimSpace(minS), 10, 64)
		hi, _ := strconv.ParseInt(strings.TrimSpace(maxS), 10, 64)
		if hi < lo {
			return nil, badArg(1, "%d is less than the minimum %d", hi, lo)
		}
	}
	lo, hi, v := args[0], args[1], varArg{arg(args, 2)}
	return func(c *Context) string {
		a, err1 := strconv.ParseInt(strings.TrimSpace(lo.Eval(c)), 10, 64)
		b, err2 := strconv.ParseInt(strings.TrimSpace(hi.Eval(c)), 10, 64)
		if err1 != nil || err2 != nil || b < a {
			c.logf("ERROR", "__Random: bad bounds %q, %q", lo.Eval(c), hi.Eval(c))
			return ""
		}
		var n int64
		if span := uint64(b - a); span == ^uint64(0) {
			n = int64(c.rng().Uint64())
		} else {
			n = a + int64(c.rng().Uint64N(span+1))
		}
		s := strconv.FormatInt(n, 10)
		v.store(c, s)
		return s
	}, nil
}

// maxRandomString bounds __RandomString so a typo cannot exhaust memory.
const maxRandomString = 1 << 20

const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func buildRandomString(args []*Template) (evalFunc, error) {
	if err := checkInt(args, 0, 32, false); err != nil {
		return nil, err
	}
	if s, ok := literalArg(args, 0); ok {
		if n, _ := strconv.Atoi(s); n < 0 || n > maxRandomString {
			return nil, badArg(0, "%q is out of range 0..%d", s, maxRandomString)
		}
	}
	length, chars, v := args[0], arg(args, 1), varArg{arg(args, 2)}
	return func(c *Context) string {
		n, err := strconv.Atoi(length.Eval(c))
		if err != nil || n < 0 || n > maxRandomString {
			c.logf("ERROR", "__RandomString: bad length %q", length.Eval(c))
			return ""
		}
		set := ""
		if chars != nil {
			set = strings.TrimSpace(chars.Eval(c))
		}
		if set == "" {
			set = alphanumeric
		}
		rs := []rune(set)
		out := make([]rune, n)
		r := c.rng()
		for i := range out {
			out[i] = rs[r.IntN(len(rs))]
		}
		s := string(out)
		v.store(c, s)
		return s
	}, nil
}

func buildRandomFromMultipleVars(args []*Template) (evalFunc, error) {
	names, v := args[0], varArg{arg(args, 1)}
	return func(c *Context) string {
		var values []string
		vars := c.vars()
		for _, name := range strings.Split(strings.TrimSpace(names.Eval(c)), "|") {
			if name == "" {
				continue
			}
			nr, _ := vars.Get(name + "_matchNr")
			if n, err := strconv.Atoi(nr); err == nil && n > 0 {
				for i := 1; i <= n; i++ {
					s, _ := vars.Get(name + "_" + strconv.Itoa(i))
					values = append(values, s)
				}
			} else if s, ok := vars.Get(name); ok && s != "" {
				values = append(values, s)
			}
		}
		out := ""
		if len(values) > 0 {
			out = values[c.rng().IntN(len(values))]
		}
		v.store(c, out)
		return out
	}, nil
}

func buildUUID([]*Template) (evalFunc, error) {
	return func(c *Context) string {
		var b [16]byte
		_, _ = rand.Read(b[:])
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		var out [36]byte
		hex.Encode(out[0:8], b[0:4])
		out[8] = '-'
		hex.Encode(out[9:13], b[4:6])
		out[13] = '-'
		hex.Encode(out[14:18], b[6:8])
		out[18] = '-'
		hex.Encode(out[19:23], b[8:10])
		out[23] = '-'
		hex.Encode(out[24:], b[10:])
		return string(out[:])
	}, nil
}

// callSite identifies one call of a stateful function in a plan: JMeter
// keeps such state (the counts of __counter, the reader of
// __StringFromFile) per function instance. The field gives it a size, so
// that each &callSite{} is a distinct pointer.
type callSite struct{ _ byte }

func buildCounter(args []*Template) (evalFunc, error) {
	mode, v := args[0], varArg{arg(args, 1)}
	key := &callSite{}
	return func(c *Context) string {
		var n int64
		if strings.EqualFold(mode.Eval(c), "true") { // Boolean.parseBoolean
			cur, _ := c.userState(key).(int64)
			n = cur + 1
			c.setUserState(key, n)
		} else {
			n = c.shared().nextCounter(key)
		}
		s := strconv.FormatInt(n, 10)
		v.store(c, s)
		return s
	}, nil
}

// buildSum implements __intSum (32-bit, wrapping like Java int) and
// __longSum. The last argument is a variable name unless it is a number.
func buildSum(bits int) func(args []*Template) (evalFunc, error) {
	return func(args []*Template) (evalFunc, error) {
		for i := 0; i < len(args)-1; i++ {
			if err := checkInt(args, i, bits, false); err != nil {
				return nil, err
			}
		}
		return func(c *Context) string {
			var sum int64
			for i := 0; i < len(args)-1; i++ {
				s := args[i].Eval(c)
				n, err := strconv.ParseInt(s, 10, bits)
				if err != nil {
					c.logf("ERROR", "sum: %q is not a number", s)
					return ""
				}
				sum += n
			}
			last := strings.TrimSpace(args[len(args)-1].Eval(c))
			n, err := strconv.ParseInt(last, 10, bits)
			if err == nil {
				sum += n
			}
			if bits == 32 {
				sum = int64(int32(sum))
			}
			s := strconv.FormatInt(sum, 10)
			if err != nil && last != "" {
				c.vars().Put(last, s)
			}
			return s
		}, nil
	}
}

func buildThreadNum([]*Template) (evalFunc, error) {
	return func(c *Context) string { return strconv.Itoa(c.ThreadNum) }, nil
}

func buildThreadGroupName([]*Template) (evalFunc, error) {
	return func(c *Context) string { return c.ThreadGroupName }, nil
}

func buildSamplerName(args []*Template) (evalFunc, error) {
	v := varArg{arg(args, 0)}
	return func(c *Context) string {
		v.store(c, c.SamplerName)
		return c.SamplerName
	}, nil
}

func buildTestPlanName([]*Template) (evalFunc, error) {
	return func(c *Context) string {
		if c.PlanFile == "" {
			return ""
		}
		return filepath.Base(c.PlanFile)
	}, nil
}

func buildMachineName(args []*Template) (evalFunc, error) {
	v := varArg{arg(args, 0)}
	return func(c *Context) string {
		h, _ := c.shared().machine()
		v.store(c, h)
		return h
	}, nil
}

func buildMachineIP(args []*Template) (evalFunc, error) {
	v := varArg{arg(args, 0)}
	return func(c *Context) string {
		_, ip := c.shared().machine()
		v.store(c, ip)
		return ip
	}, nil
}

// machine returns the host name and address, looked up once per run (a
// DNS lookup per sample would distort timings).
func (s *Shared) machine() (string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hostName == "" {
		h, err := os.Hostname()
		if err != nil {
			h = "localhost"
		}
		s.hostName, s.hostIP = h, machineIP()
	}
	return s.hostName, s.hostIP
}

// machineIP returns the address of the host name, or the first
// non-loopback interface address, or 127.0.0.1.
func machineIP() string {
	if h, err := os.Hostname(); err == nil {
		if addrs, err := net.LookupIP(h); err == nil {
			for _, a := range addrs {
				if a4 := a.To4(); a4 != nil {
					return a4.String()
				}
			}
		}
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
				return n.IP.String()
			}
		}
	}
	return "127.0.0.1"
}

// buildLog implements __log (returns the message) and __logn (returns "").
func buildLog(returnMsg bool) func(args []*Template) (evalFunc, error) {
	return func(args []*Template) (evalFunc, error) {
		return func(c *Context) string {
			msg := args[0].Eval(c)
			level := strings.ToUpper(strings.TrimSpace(evalArg(c, args, 1)))
			if level == "" {
				level = "INFO"
			}
			sep := " : "
			if returnMsg && len(args) > 3 {
				if cm := args[3].Eval(c); cm != "" {
					sep = " " + cm + " "
				}
			}
			line := c.ThreadName + sep + msg
			if t := evalArg(c, args, 2); t != "" {
				line += " " + t
			}
			switch level {
			case "OUT":
				os.Stdout.WriteString("Log: " + line + "\n")
			case "ERR":
				os.Stderr.WriteString("Log: " + line + "\n")
			case "ERROR", "WARN", "INFO", "DEBUG", "TRACE":
				c.logf(level, "%s", line)
			default:
				c.logf("DEBUG", "%s", line)
			}
			if returnMsg {
				return msg
			}
			return ""
		}, nil
	}
}
