package sampler

import (
	"strconv"
	"strings"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
)

// RegexUserParameters is JMeter's RegEx User Parameters pre-processor: a
// Regular Expression Extractor run with match number -1 left ref_matchNr
// and ref_i_gN; for each match, group "names" names an argument and group
// "values" gives its value. The HTTP sample about to be taken gets those
// values for its arguments of the same names (others are left alone).
type RegexUserParameters struct {
	ref, names, values *functions.Template
}

// NewRegexUserParameters compiles a RegExUserParameters element.
func NewRegexUserParameters(el *jmx.Element) (*RegexUserParameters, error) {
	r := &RegexUserParameters{}
	var err error
	for _, f := range []struct {
		dst  **functions.Template
		prop string
	}{{&r.ref, "RegExUserParameters.regex_ref_name"}, {&r.names, "RegExUserParameters.param_names_gr_nr"}, {&r.values, "RegExUserParameters.param_values_gr_nr"}} {
		if *f.dst, err = functions.Compile(el.Str(f.prop)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Apply sets the argument values of h's next sample from the variables.
func (r *RegexUserParameters) Apply(h *HTTP, s *Session) {
	c := s.Ctx
	vars := c.Vars
	ref := r.ref.Eval(c) + "_"
	gn, gv := r.names.Eval(c), r.values.Eval(c)
	nr, ok := vars.Get(ref + "matchNr")
	_, okN := vars.Get(ref + "1_g" + gn)
	_, okV := vars.Get(ref + "1_g" + gv)
	if !ok || !okN || !okV {
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(nr))
	if err != nil || n <= 0 {
		return
	}
	values := make(map[string]string, n)
	for i := 1; i <= n; i++ {
		name, _ := vars.Get(ref + strconv.Itoa(i) + "_g" + gn)
		value, _ := vars.Get(ref + strconv.Itoa(i) + "_g" + gv)
		values[name] = value // a later match of the same name wins (HashMap.put)
	}
	s.httpState(h)
	e := s.HTTP.edit(h)
	e.argValues = append(e.argValues, values)
}
