package runner

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gometer/gometer/engine"
	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/output"
)

// BackendFactory makes the output of a Backend Listener client from the
// listener's arguments (name → value, after ${} substitution). Arguments
// the plan leaves out are absent: the factory applies the client's
// defaults, as JMeter's clients do.
type BackendFactory func(args map[string]string, run output.Run) (output.Output, error)

// The Backend Listener clients of JMeter 5.6.3 by class name; the CLI
// fills Config.Backends with the factories of those it supports.
const (
	InfluxDBClient    = "org.apache.jmeter.visualizers.backend.influxdb.InfluxdbBackendListenerClient"
	InfluxDBRawClient = "org.apache.jmeter.visualizers.backend.influxdb.InfluxDBRawBackendListenerClient"
	GraphiteClient    = "org.apache.jmeter.visualizers.backend.graphite.GraphiteBackendListenerClient"
)

// BackendPropertyPrefix starts the properties that add a Backend Listener
// to any plan without editing it: gometer.backend.<kind>.<argument>=value,
// e.g. -Jgometer.backend.influxdb.influxdbUrl=http://host:8086/write?db=jmeter.
// Setting any property of a kind adds one listener of that kind for the
// whole plan, with those arguments (and the client's defaults for the rest).
const BackendPropertyPrefix = "gometer.backend."

// backendKinds maps the <kind> of the gometer.backend.<kind>.* properties
// to the client class.
var backendKinds = map[string]string{
	"influxdb":     InfluxDBClient,
	"influxdb_raw": InfluxDBRawClient,
	"graphite":     GraphiteClient,
}

// argAliases are short names for the arguments users set most often.
var argAliases = map[string]map[string]string{
	"influxdb":     {"url": "influxdbUrl", "token": "influxdbToken"},
	"influxdb_raw": {"url": "influxdbUrl", "token": "influxdbToken"},
	"graphite":     {"host": "graphiteHost", "port": "graphitePort"},
}

// defaultBackendQueue is a Backend Listener's queue when the element does
// not say (JMeter's QUEUE_SIZE default).
const defaultBackendQueue = 5000

// propertyBackend is a Backend Listener added by properties.
type propertyBackend struct {
	kind, class string
	args        map[string]string
}

// propertyBackends reads the gometer.backend.<kind>.* properties, sorted by
// kind so the order is stable.
func propertyBackends(p *functions.Properties) ([]propertyBackend, error) {
	byKind := map[string]map[string]string{}
	for _, name := range p.Names() {
		rest, ok := strings.CutPrefix(name, BackendPropertyPrefix)
		if !ok {
			continue
		}
		kind, arg, ok := strings.Cut(rest, ".")
		if _, known := backendKinds[kind]; !known || !ok || arg == "" {
			kinds := make([]string, 0, len(backendKinds))
			for k := range backendKinds {
				kinds = append(kinds, k)
			}
			sort.Strings(kinds)
			return nil, fmt.Errorf("property %s: want %s<kind>.<argument> with kind one of %s", name, BackendPropertyPrefix, strings.Join(kinds, ", "))
		}
		if a, ok := argAliases[kind][arg]; ok {
			arg = a
		}
		if byKind[kind] == nil {
			byKind[kind] = map[string]string{}
		}
		v, _ := p.Get(name)
		byKind[kind][arg] = v
	}
	var out []propertyBackend
	for kind, args := range byKind {
		out = append(out, propertyBackend{kind: kind, class: backendKinds[kind], args: args})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].kind < out[j].kind })
	return out, nil
}

// listenerArgs is a Backend Listener element's arguments, unevaluated.
func listenerArgs(el *jmx.Element) map[string]string {
	args := map[string]string{}
	a := el.Elem("arguments")
	if a == nil {
		return args
	}
	for _, item := range a.Collection("Arguments.arguments") {
		if item.Elem == nil {
			continue
		}
		if name := item.Elem.Str("Argument.name"); name != "" {
			args[name] = item.Elem.Str("Argument.value")
		}
	}
	return args
}

// backendQueue is the element's QUEUE_SIZE (JMeter's queue between the
// samplers and the client), used as the bound of gometer's queue.
func backendQueue(el *jmx.Element) int {
	if el == nil {
		return defaultBackendQueue
	}
	n, err := strconv.Atoi(strings.TrimSpace(el.Str("QUEUE_SIZE")))
	if err != nil || n <= 0 {
		return defaultBackendQueue
	}
	return n
}

// newBackend is the output of one Backend Listener: made at Start (its
// arguments evaluated then, with the run's properties and the plan's
// variables), behind a bounded queue so a slow metrics server never slows
// the users.
func (r *Runner) newBackend(name, class string, args map[string]string, queue int) (*queued, error) {
	f := r.cfg.Backends[class]
	if f == nil {
		return nil, unsupportedClient(class)
	}
	l := &lazy{make: func(run output.Run) (output.Output, error) {
		vals := make(map[string]string, len(args))
		for k, v := range args {
			ev, err := r.test.Evaluate(v)
			if err != nil {
				return nil, fmt.Errorf("argument %s: %w", k, err)
			}
			vals[k] = ev
		}
		o, err := f(vals, run)
		if err != nil {
			return nil, err
		}
		return o, nil
	}}
	q := newQueued(l, queue, r.outputWait)
	r.add(name, q, false)
	return q, nil
}

// CheckListeners is an engine.Options.OpenListener for commands that only
// compile a plan (validate): it accepts the listeners a run would make
// outputs for and names the Backend Listener clients it could not run,
// without opening anything.
func CheckListeners(backends map[string]BackendFactory) func(*jmx.Element) (output.Output, error) {
	return func(el *jmx.Element) (output.Output, error) {
		if el.Class() == "BackendListener" {
			class := strings.TrimSpace(el.Str("classname"))
			if backends[class] == nil {
				return nil, unsupportedClient(class)
			}
		}
		return nil, nil
	}
}

func unsupportedClient(class string) error {
	return fmt.Errorf("Backend Listener client %s is not supported: %w", class, engine.ErrUnsupported)
}
