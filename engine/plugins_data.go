package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/charset"
	"github.com/gometer/gometer/internal/datafile"
	"github.com/gometer/gometer/jmx"
)

// Plugin data elements from jmeter-plugins and BlazeMeter that real plans
// use: Parameterized Controller, Variables From CSV File and Random CSV
// Data Set.
const (
	classParameterized = "kg.apc.jmeter.control.ParameterizedController"
	classVarsFromCSV   = "kg.apc.jmeter.config.VariablesFromCSV"
	classVarsFromFile  = "kg.apc.jmeter.config.VariablesFromCSVFile" // deprecated TestBean
	classRandomCSV     = "com.blazemeter.jmeter.RandomCSVDataSetConfig"
)

// parameterizedController sets its variables each time JMeter asks it for
// its next sampler (the plugin's next() does, before delegating): before
// every sample in its subtree, after each child controller is exhausted and
// once more when it ends. All values are evaluated before any is set, and of
// two rows with one name the first counts (Arguments.getArgumentsAsMap).
type parameterizedController struct {
	ctrlBase
	names  []string
	values []*functions.Template
}

func (c *compiler) buildParameterized(el *jmx.Element, base ctrlBase) (*parameterizedController, error) {
	x := &parameterizedController{ctrlBase: base}
	args := el.Elem("ParameterizedController")
	seen := map[string]bool{}
	for _, item := range args.Collection("Arguments.arguments") {
		a := item.Elem
		if a == nil || seen[a.Str("Argument.name")] {
			continue
		}
		seen[a.Str("Argument.name")] = true
		tpl, err := functions.Compile(a.Str("Argument.value"))
		if err != nil {
			return nil, fmt.Errorf("variable %q: %w", a.Str("Argument.name"), err)
		}
		x.names = append(x.names, a.Str("Argument.name"))
		x.values = append(x.values, tpl)
	}
	return x, nil
}

// apply evaluates every value, then sets the variables.
func (c *parameterizedController) apply(u *vuser) {
	var buf [8]string
	vals := buf[:0]
	for _, v := range c.values {
		vals = append(vals, v.Eval(u.ctx))
	}
	for i, n := range c.names {
		u.vars.Put(n, vals[i])
	}
}

func (c *parameterizedController) run(u *vuser) flow {
	if f := c.iterStart(u); f != flowNext {
		return f
	}
	if len(c.children) == 0 {
		c.apply(u)
		return flowNext
	}
	u.params = append(u.params, c)
	defer func() { u.params = u.params[:len(u.params)-1] }()
	for i, ch := range c.children {
		if f := ch.run(u); f != flowNext {
			return f
		}
		if _, sampler := ch.(*samplerNode); !sampler || i == len(c.children)-1 {
			c.apply(u)
		}
	}
	return flowNext
}

// addVarsFromCSV reads a Variables From CSV element: name and value pairs
// that, like Arguments, become global variables set once before the run.
// Two classes exist: the current VariablesFromCSV (an Arguments: prefix,
// separator, skipped lines, "#" comments, quoted values over several lines,
// optionally also stored as properties) and the older deprecated
// VariablesFromCSVFile (two columns exactly, "\t" for a tab, "," when
// empty).
func (c *compiler) addVarsFromCSV(el *jmx.Element) {
	current := el.Class() == classVarsFromCSV
	raw := el.Str("filename")
	name := strings.TrimSpace(raw)
	if current && !c.template(el, "filename", "").IsLiteral() {
		// the plugin evaluates the path when the test starts
		name = strings.TrimSpace(c.template(el, "filename", "").Eval(c.evalContext()))
	}
	if name == "" {
		return // both read nothing then
	}
	delim := el.Str("delimiter")
	if !current {
		if delim == `\t` {
			delim = "\t"
		} else if delim == "" {
			delim = ","
		}
	} else if delim == "" {
		c.badConfig(el, errors.New("CSV separator cannot be empty"))
		return
	}
	// The current class opens the path as given (relative to the working
	// directory); the old one through JMeter's FileServer (relative to the
	// plan). gometer tries the one, then the other, then --data-dir.
	tries := []string{c.resolvePath(name)}
	if current && !filepath.IsAbs(name) {
		tries = []string{name, c.resolvePath(name)}
	}
	if alt, ok := inDataDir(c.t.props.GetOr(dataDirProp, ""), name); ok {
		tries = append(tries, alt)
	}
	var data []byte
	var err error
	for _, p := range tries {
		if data, err = datafile.Read(p, c.t.maxDataFile); !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	if err != nil {
		if e := c.missingFile("variables file", name, raw, tries[len(tries)-1], err); e != nil {
			c.problemOrBad(el, fmt.Errorf("%v: %w", e, errCannotRun))
			return
		}
		c.problemOrBad(el, fmt.Errorf("variables file: %v: %w", err, errCannotRun))
		return
	}
	var pairs [][2]string
	if current {
		pairs = varsFromCSV(string(data), el.Str("variablesPrefix"), delim, int(el.Int("skipLines", 0)))
	} else {
		pairs = varsFromCSVFile(string(data), el.Str("variablesPrefix"), delim)
	}
	set := len(c.t.udvs)
	storeProps := current && el.Bool("storeSysProp", false)
	final := map[string]string{}
	for _, kv := range pairs {
		c.t.udvs = append(c.t.udvs, udv{name: kv[0], value: functions.Literal(kv[1]), set: set})
		final[kv[0]] = kv[1]
	}
	if storeProps {
		for k, v := range final {
			if _, ok := c.t.props.Get(k); !ok {
				c.t.props.Set(k, v) // the plugin sets a system property when none is set
			}
		}
	}
}

// javaLines splits text as BufferedReader.readLine does: at "\n", "\r" or
// "\r\n"; a final terminator ends the last line.
func javaLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i])
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
	return out
}

// jorphanSplit is JOrphanUtils.split(s, sep, false): every field, empty
// ones included, and no field at all for an empty line.
func jorphanSplit(s, sep string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sep)
}

// varsFromCSV parses the current plugin's file: after skip lines, each
// line not starting with "#" gives prefix+first column = second column
// (extra columns ignored; a lone column gives ""). A second column starting
// with a double quote opens a value that goes on over the following
// one-column lines until one ends with a quote. Later lines win.
func varsFromCSV(data, prefix, sep string, skip int) [][2]string {
	var out [][2]string
	var multi strings.Builder
	multiName := ""
	for n, line := range javaLines(data) {
		if n < skip || strings.HasPrefix(line, "#") {
			continue
		}
		f := jorphanSplit(line, sep)
		switch {
		case len(f) == 1 && multi.Len() > 0 && strings.HasSuffix(f[0], `"`):
			multi.WriteString(f[0][:len(f[0])-1])
			out = append(out, [2]string{prefix + multiName, multi.String()})
			multi.Reset()
			multiName = ""
		case len(f) == 1 && multi.Len() > 0:
			multi.WriteString(f[0])
			multi.WriteByte('\n')
		case len(f) == 1:
			out = append(out, [2]string{prefix + f[0], ""})
		case len(f) >= 2 && strings.HasPrefix(f[1], `"`):
			multiName = f[0]
			multi.WriteString(f[1][1:])
			multi.WriteByte('\n')
		case len(f) >= 2:
			out = append(out, [2]string{prefix + f[0], f[1]})
		}
	}
	return out
}

// varsFromCSVFile parses the deprecated element's file: lines of exactly
// two columns set prefix+name; a lone column sets it to ""; lines with more
// columns are skipped.
func varsFromCSVFile(data, prefix, sep string) [][2]string {
	var out [][2]string
	for _, line := range javaLines(data) {
		switch f := jorphanSplit(line, sep); len(f) {
		case 1:
			out = append(out, [2]string{prefix + f[0], ""})
		case 2:
			out = append(out, [2]string{prefix + f[0], f[1]})
		}
	}
	return out
}

// randomCSV is the Random CSV Data Set Config: at each iteration start of
// its controller it sets the variables from the next record of a shuffled
// (or in-order) list, shared by all users or one per user; at the end of the
// list it starts over, or stops the user.
type randomCSV struct {
	el          *jmx.Element
	slot        int
	data        csvRows
	names       []string
	random      bool
	rewind      bool
	independent bool
	mu          sync.Mutex
	order       []int
	pos         int
}

type randomCSVState struct {
	order []int
	pos   int
}

func (c *compiler) buildRandomCSV(el *jmx.Element) (iterListener, error) {
	d := &csvData{
		el:       el,
		encoding: strings.TrimSpace(el.Str("fileEncoding")),
		delim:    el.StrOr("delimiter", ","),
	}
	d.encKey = strings.ToLower(d.encoding)
	if d.delim == `\t` {
		d.delim = "\t"
	} else if d.delim == "" {
		d.delim = ","
	}
	if _, err := charset.Lookup(d.encoding); err != nil {
		return nil, fmt.Errorf("file encoding %q is not a charset gometer knows", d.encoding)
	}
	name := strings.TrimSpace(el.Str("filename"))
	if name == "" {
		return nil, fmt.Errorf("Random CSV Data Set has no file name: %w", errCannotRun)
	}
	f := d.load(c.t, c.resolvePath(name))
	if f.err != nil {
		if e := c.missingFile("CSV file", name, el.Str("filename"), c.resolvePath(name), f.readErr); e != nil {
			return nil, fmt.Errorf("%v: %w", e, errCannotRun)
		}
		return nil, fmt.Errorf("%v: %w", f.err, errCannotRun)
	}
	r := &randomCSV{
		el:          el,
		slot:        c.newSlot(),
		data:        f.records,
		random:      el.Bool("randomOrder", true),
		rewind:      el.Bool("rewindOnTheEndOfList", true),
		independent: el.Bool("independentListPerThread", false),
	}
	if names := strings.TrimSpace(el.Str("variableNames")); names != "" {
		for _, n := range strings.Split(names, ",") {
			r.names = append(r.names, strings.TrimSpace(n))
		}
		if el.Bool("ignoreFirstLine", false) && r.data.len() > 0 {
			r.data = r.data.from(1)
		}
	} else if r.data.len() > 0 {
		r.names = r.data.at(0)
		r.data = r.data.from(1)
	}
	return r, nil
}

// next returns the next record index from a list position; false at the end
// of a list that does not rewind.
func (r *randomCSV) next(u *vuser, order *[]int, pos *int) (int, bool) {
	if r.data.len() == 0 {
		return 0, false
	}
	if *order == nil || *pos >= len(*order) {
		if *order != nil && !r.rewind {
			return 0, false
		}
		if r.random {
			*order = u.ctx.Rand.Perm(r.data.len())
		} else if *order == nil {
			*order = make([]int, r.data.len())
			for i := range *order {
				(*order)[i] = i
			}
		}
		*pos = 0
	}
	i := (*order)[*pos]
	*pos++
	return i, true
}

func (r *randomCSV) iterationStart(u *vuser) flow {
	var i int
	var ok bool
	if r.independent {
		st := &u.slots[r.slot]
		s, _ := st.v.(*randomCSVState)
		if s == nil {
			s = &randomCSVState{}
			st.v = s
		}
		i, ok = r.next(u, &s.order, &s.pos)
	} else {
		r.mu.Lock()
		i, ok = r.next(u, &r.order, &r.pos)
		r.mu.Unlock()
	}
	if !ok {
		u.t.logf("INFO", "%s: all records used, stopping %s", r.el.Path(), u.name)
		u.stop = true
		return flowStop
	}
	rec := r.data.at(i)
	for k, n := range r.names {
		if k < len(rec) {
			u.vars.Put(n, rec[k])
		}
	}
	return flowNext
}
