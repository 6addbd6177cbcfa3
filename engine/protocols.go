package engine

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gometer/gometer/internal/datafile"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sample"
	"github.com/gometer/gometer/sampler"
	"github.com/gometer/gometer/sampler/jdbc"
	"github.com/gometer/gometer/sampler/system"
	"github.com/gometer/gometer/sampler/websocket"
)

// collectDataSources registers every enabled JDBC Connection Configuration
// of the plan, wherever it sits: JMeter starts each one with the test and
// makes its pool visible to every thread under its variable name.
func (c *compiler) collectDataSources(tp *jmx.Element) {
	jmx.Walk(tp, func(e *jmx.Element) bool {
		if e.Class() != "JDBCDataSource" {
			return true
		}
		cfg, err := jdbc.NewConfig(e, c.evalContext())
		var unsupported *jdbc.ErrUnsupportedDriver
		switch {
		case errors.As(err, &unsupported):
			c.problem(e, "%v", err)
		case err != nil:
			c.badConfig(e, err)
		default:
			if c.t.jdbc == nil {
				c.t.jdbc = jdbc.NewPools()
			}
			if !c.t.jdbc.Add(cfg) {
				c.t.logf("WARN", "JDBC data source already defined for: %s (%s); the first one is used", cfg.Name, e.Where())
			}
		}
		return false
	})
}

// buildJDBC compiles a JDBC Request; without any configuration in the plan
// its samples fail as JMeter's do ("No pool found named …").
func (c *compiler) buildJDBC(el *jmx.Element) (sampler.Sampler, error) {
	if c.t.jdbc == nil {
		c.t.jdbc = jdbc.NewPools()
	}
	return jdbc.NewRequest(el, c.t.jdbc)
}

// BlazeMeter's HTTP/2 plugin: the current sampler (an HTTP sampler with
// JMeter's HTTPSampler.* properties) and the legacy one (its own names).
const (
	classHTTP2Sampler = "com.blazemeter.jmeter.http2.sampler.HTTP2Sampler"
	classHTTP2Request = "com.blazemeter.jmeter.http2.sampler.HTTP2Request"
)

// legacyHTTP2Names maps the legacy HTTP2Request's property names to the HTTP
// sampler's.
var legacyHTTP2Names = map[string]string{
	"HTTP2Request.domain": "HTTPSampler.domain", "HTTP2Request.path": "HTTPSampler.path",
	"HTTP2Sampler.method": "HTTPSampler.method", "HTTP2Request.protocol": "HTTPSampler.protocol",
	"HTTP2Request.Arguments": "HTTPsampler.Arguments", "HTTP2Request.postBodyRaw": "HTTPSampler.postBodyRaw",
	"HTTP2Request.response_timeout": "HTTPSampler.response_timeout", "HTTP2Request.contentEncoding": "HTTPSampler.contentEncoding",
	"HTTP2Request.follow_redirects": "HTTPSampler.follow_redirects", "HTTP2Request.auto_redirects": "HTTPSampler.auto_redirects",
}

// http2Mode says how an HTTP sampler uses HTTP/2 — BlazeMeter's samplers
// always (h2 by ALPN over TLS, h2c with prior knowledge in clear text),
// JMeter's as the gometer.http2 property says (default off) — and returns
// the element to build, the legacy sampler's properties renamed.
func (c *compiler) http2Mode(el *jmx.Element) (sampler.HTTP2Mode, *jmx.Element) {
	switch el.Class() {
	case classHTTP2Sampler:
		return sampler.HTTP2Always, el
	case classHTTP2Request:
		cp := *el
		cp.Props = make([]*jmx.Property, 0, len(el.Props)+1)
		hasProtocol := false
		for _, p := range el.Props {
			if n, ok := legacyHTTP2Names[p.Name]; ok {
				q := *p
				q.Name = n
				p = &q
			}
			hasProtocol = hasProtocol || (p.Name == "HTTPSampler.protocol" && p.Value != "")
			cp.Props = append(cp.Props, p)
		}
		if !hasProtocol { // the legacy sampler's default scheme
			cp.Props = append(cp.Props, &jmx.Property{Name: "HTTPSampler.protocol", Kind: jmx.StringProp, Value: "https"})
		}
		return sampler.HTTP2Always, &cp
	}
	if c.http2 == nil {
		v := c.t.props.GetOr("gometer.http2", "off")
		mode, ok := sampler.ParseHTTP2Mode(v)
		if !ok { // reported once, on the first HTTP sampler
			c.badConfig(el, fmt.Errorf("property gometer.http2=%q: use off, on (h2 over TLS by ALPN) or h2c (also HTTP/2 in clear text)", v))
		}
		c.http2 = &mode
	}
	return *c.http2, el
}

// The Luminis WebSocket samplers gometer runs, and the plugin's frame
// filters: config elements the samplers in their scope read through.
func init() {
	for _, c := range websocket.Classes {
		classes[c] = classSpec{kind: kSampler}
	}
	for _, f := range websocket.FilterClasses {
		classes[f] = classSpec{kind: kConfig}
	}
}

// buildWebSocket compiles a Luminis sampler with the frame filters in its
// scope.
func (c *compiler) buildWebSocket(el *jmx.Element, sc scope) (sampler.Sampler, error) {
	isTrue := func(prop string) bool {
		return strings.EqualFold(strings.TrimSpace(c.t.props.GetOr(prop, "false")), "true")
	}
	functional := false
	if tp := c.plan.TestPlan(); tp != nil {
		functional = tp.Bool("TestPlan.functional_mode", false)
	}
	var cookies *sampler.Cookies
	if sc.cookie != nil {
		var err error
		if cookies, err = sampler.CompileCookies(sc.cookie, c.t.props); err != nil {
			return nil, err
		}
	}
	return websocket.New(el, websocket.Options{
		Cookies:              cookies,
		StopPolicy:           c.t.props.GetOr("websocket.thread.stop.policy", "none"),
		DataFileLimit:        datafile.Limit(c.t.props.Get),
		Filters:              sc.wsFilters,
		SizeIncludesFiltered: isTrue("websocket.result.size_includes_filtered_frames"),
		// JMeter names sub-results after their parent unless the plan is
		// in functional mode or subresults.disable_renaming is set
		KeepSubLabels: functional || isTrue("subresults.disable_renaming"),
		Headers:       sc.headers,
	})
}

// buildSystem compiles an OS Process sampler, which runs a local program:
// only when the run allows it (-Jgometer.allow_commands=true), since a
// plan from elsewhere must not run programs silently.
func (c *compiler) buildSystem(el *jmx.Element) (sampler.Sampler, error) {
	if !strings.EqualFold(strings.TrimSpace(c.t.props.GetOr("gometer.allow_commands", "false")), "true") {
		return nil, fmt.Errorf("OS Process sampler would run %q: allowed only with -Jgometer.allow_commands=true: %w",
			el.Str("SystemSampler.command"), errCannotRun)
	}
	base := "."
	if c.plan.File != "" {
		base = filepath.Dir(c.plan.File)
	}
	return system.New(el, base)
}

// jdbcProcessor is a JDBC PreProcessor or PostProcessor: the statement runs
// before or after the sampler, setting variables; a failure is logged, as
// JMeter logs it, and makes no sample.
type jdbcProcessor struct {
	r    *jdbc.Request
	name string
}

func (p jdbcProcessor) run(u *vuser) {
	if err := p.r.Process(u.t.hardCtx, &u.sess); err != nil {
		u.t.logf("WARN", "SQL Problem in %s: %v", p.name, err)
	}
}

func (p jdbcProcessor) process(u *vuser)              { p.run(u) }
func (p jdbcPost) process(u *vuser, _ *sample.Result) { p.run(u) }

type jdbcPost struct{ jdbcProcessor }

func (c *compiler) buildJDBCProcessor(el *jmx.Element) (jdbcPost, error) {
	if c.t.jdbc == nil {
		c.t.jdbc = jdbc.NewPools()
	}
	r, err := jdbc.NewRequest(el, c.t.jdbc)
	if err != nil {
		return jdbcPost{}, err
	}
	return jdbcPost{jdbcProcessor{r: r, name: el.Name}}, nil
}
