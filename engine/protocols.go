package engine

import (
	"errors"

	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sampler"
	"github.com/gometer/gometer/sampler/jdbc"
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
