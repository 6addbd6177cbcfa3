// Package jdbc runs JMeter's JDBC Connection Configuration (connection pools
// named by a variable) and JDBC Request sampler on Go database drivers:
// PostgreSQL through pgx's pgconn, MySQL/MariaDB through go-sql-driver. What
// a sample returns — response data, variables, codes and messages — follows
// JMeter 5.6.3 with the PostgreSQL JDBC driver.
package jdbc

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sampler"
)

// Pools holds a run's connection configurations by variable name, as JMeter
// keeps them in every thread's variables: global, the first element of a
// name wins. Shared pools (max connections > 0) serve every user; a
// configuration with 0 gives each user a pool of one connection.
type Pools struct {
	mu      sync.Mutex
	configs map[string]*Config
	shared  map[string]*pool
	// MaxResult bounds the bytes of rows one sample keeps.
	MaxResult int
}

// NewPools returns an empty registry.
func NewPools() *Pools {
	return &Pools{configs: map[string]*Config{}, shared: map[string]*pool{}, MaxResult: 64 << 20}
}

// Add registers a configuration; false when its name is taken (JMeter logs
// "JDBC data source already defined" and keeps the first).
func (ps *Pools) Add(cfg *Config) bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if _, ok := ps.configs[cfg.Name]; ok {
		return false
	}
	ps.configs[cfg.Name] = cfg
	if cfg.PoolMax > 0 {
		ps.shared[cfg.Name] = newPool(cfg, cfg.PoolMax)
	}
	return true
}

// Len is the number of configurations.
func (ps *Pools) Len() int { return len(ps.configs) }

// Start opens one connection of each shared pool that asks to be
// initialised before the first sample.
func (ps *Pools) Start(ctx context.Context) {
	for name, p := range ps.shared {
		if ps.configs[name].Preinit {
			p.preinit(ctx)
		}
	}
}

// Close closes the shared pools' connections at the end of the run.
func (ps *Pools) Close() error {
	for _, p := range ps.shared {
		p.close()
	}
	return nil
}

// userPoolsKey is the session key of one user's own pools.
type userPoolsKey struct{ ps *Pools }

type userPools map[string]*pool

func (u userPools) Close() error {
	for _, p := range u {
		p.close()
	}
	return nil
}

// lookup finds the pool a sample uses.
func (ps *Pools) lookup(s *sampler.Session, name string) (*pool, *Config, error) {
	cfg := ps.configs[name]
	if cfg == nil {
		return nil, nil, &sqlError{class: "java.sql.SQLException", state: "null",
			msg: "No pool found named: '" + name + "', ensure Variable Name matches Variable Name of JDBC Connection Configuration"}
	}
	if p := ps.shared[name]; p != nil {
		return p, cfg, nil
	}
	key := userPoolsKey{ps}
	up, _ := s.State(key).(userPools)
	if up == nil {
		up = userPools{}
		s.SetState(key, up)
	}
	p := up[name]
	if p == nil {
		p = newPool(cfg, 1)
		up[name] = p
	}
	return p, cfg, nil
}

// JMeter's query types (the values stored in plans).
const (
	qSelect         = "Select Statement"
	qUpdate         = "Update Statement"
	qCallable       = "Callable Statement"
	qPreparedSelect = "Prepared Select Statement"
	qPreparedUpdate = "Prepared Update Statement"
	qCommit         = "Commit"
	qRollback       = "Rollback"
	qAutoCommitOff  = "AutoCommit(false)"
	qAutoCommitOn   = "AutoCommit(true)"
)

// Request is a JDBC Request sampler. Its properties are evaluated for every
// sample, as JMeter prepares a test bean before each one.
type Request struct {
	pools                                *Pools
	label, dataSource, queryType, query  *functions.Template
	args, types, varNames, timeout, rows *functions.Template
	handler                              *functions.Template
}

// NewRequest compiles a JDBCSampler element.
func NewRequest(el *jmx.Element, pools *Pools) (*Request, error) {
	r := &Request{pools: pools}
	for _, f := range []struct {
		dst  **functions.Template
		prop string
		def  string
	}{
		{&r.dataSource, "dataSource", ""}, {&r.queryType, "queryType", qSelect}, {&r.query, "query", ""},
		{&r.args, "queryArguments", ""}, {&r.types, "queryArgumentsTypes", ""}, {&r.varNames, "variableNames", ""},
		{&r.timeout, "queryTimeout", ""}, {&r.rows, "resultSetMaxRows", ""}, {&r.handler, "resultSetHandler", "Store as String"},
	} {
		t, err := functions.Compile(el.StrOr(f.prop, f.def))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.prop, err)
		}
		*f.dst = t
	}
	var err error
	if r.label, err = functions.Compile(el.Name); err != nil {
		return nil, fmt.Errorf("name: %w", err)
	}
	return r, nil
}

// Sample borrows a connection, runs the statement and returns it.
func (r *Request) Sample(ctx context.Context, s *sampler.Session) *sampler.Result {
	c := s.Ctx
	label := r.label.Eval(c)
	qtype, query := r.queryType.Eval(c), r.query.Eval(c)
	args, types := r.args.Eval(c), r.types.Eval(c)
	res := &sampler.Result{
		Label: label, DataType: "text", ContentType: "text/plain", Encoding: "UTF-8",
		Success: true, ResponseCode: "200", ResponseMessage: "OK", SampleCount: 1,
		SamplerData: "[" + qtype + "] " + query + "\n" + args + "\n" + types,
	}
	start := time.Now()
	res.Start = start
	body, err := r.run(ctx, s, label, qtype, query, args, types, res)
	if err != nil {
		res.Success = false
		var se *sqlError
		var je *javaError
		switch {
		case errors.As(err, &se):
			res.ResponseCode = se.state + " " + strconv.Itoa(se.code)
			res.ResponseMessage = se.Error()
			body = se.msg
		case errors.As(err, &je):
			res.ResponseCode = "000"
			res.ResponseMessage = je.Error()
			body = je.msg
			if body == "" {
				body = "NO MESSAGE"
			}
		default:
			res.ResponseCode = "000"
			res.ResponseMessage = err.Error()
			body = err.Error()
		}
	}
	res.Body = []byte(body)
	res.Bytes = int64(len(res.Body))
	res.Elapsed = time.Since(start)
	if res.Latency == 0 && res.Success {
		res.Latency = res.Elapsed
	}
	if !res.Success {
		res.ErrorCount = 1
	}
	return res
}

// run borrows a connection, runs the statement and gives it back; res
// (when not nil) receives the connect and latency times and the pool's
// description.
func (r *Request) run(ctx context.Context, s *sampler.Session, label, qtype, query, args, types string, res *sampler.Result) (string, error) {
	c := s.Ctx
	start := time.Now()
	name := r.dataSource.Eval(c)
	if strings.TrimSpace(name) == "" {
		return "", &javaError{"java.lang.IllegalArgumentException", "Name for DataSoure must not be empty in " + label}
	}
	p, cfg, err := r.pools.lookup(s, name)
	if res != nil {
		res.Connect = time.Since(start)
	}
	if err != nil {
		return "", err
	}
	pc, err := p.get(ctx)
	if res != nil {
		res.Connect = time.Since(start)
	}
	if err != nil {
		return "", err
	}
	defer p.put(pc)
	if res != nil {
		res.ResponseHeaders = cfg.info()
	}
	st := &statement{
		qtype: qtype, query: query, args: args, types: types,
		varNames: r.varNames.Eval(c), handler: r.handler.Eval(c),
		timeout: javaInt(r.timeout.Eval(c), 0), maxRows: javaInt(r.rows.Eval(c), -1),
		vars: c.Vars, lim: &limits{max: r.pools.MaxResult},
	}
	return st.execute(ctx, pc, func() {
		if res != nil {
			res.Latency = time.Since(start)
		}
	})
}

// Process runs the statement as JMeter's JDBC PreProcessor and
// PostProcessor do: the variables are set, no sample is made, and a
// failure is only returned (JMeter logs it).
func (r *Request) Process(ctx context.Context, s *sampler.Session) error {
	c := s.Ctx
	_, err := r.run(ctx, s, r.label.Eval(c), r.queryType.Eval(c), r.query.Eval(c), r.args.Eval(c), r.types.Eval(c), nil)
	return err
}

// javaInt parses as Integer.parseInt, def when empty or not a number.
func javaInt(s string, def int) int {
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return def
	}
	return int(n)
}

// serverTimeoutGrace is how long past a query timeout the server enforces
// the sampler still waits for its answer.
const serverTimeoutGrace = 5 * time.Second

// statement is one evaluated JDBC Request.
type statement struct {
	qtype, query, args, types, varNames, handler string
	timeout, maxRows                             int
	vars                                         *functions.Vars
	lim                                          *limits
}

// execute runs the statement the way JMeter's AbstractJDBCTestElement does
// for its query type and returns the response data; latency is called when
// the database has answered, before the result is formatted.
func (st *statement) execute(ctx context.Context, c *pconn, latency func()) (string, error) {
	if st.timeout > 0 {
		limit := time.Duration(st.timeout) * time.Second
		if q, ok := c.serverTimeout(st.query, st.timeout); ok && st.qtype != qCallable {
			// the server ends the statement; the deadline only guards a
			// server that does not answer
			st.query, limit = q, limit+serverTimeoutGrace
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	switch st.qtype {
	case qSelect, qPreparedSelect:
		sets, err := st.run(ctx, c, st.qtype == qPreparedSelect)
		if err != nil {
			return "", err
		}
		if len(sets) == 0 || !sets[0].isQuery {
			rs, err := c.selectWithoutRows()
			if err != nil {
				return "", err
			}
			sets = []resultSet{rs}
		}
		if len(sets) > 1 {
			return "", psql("0100E", "Multiple ResultSets were returned by the query.")
		}
		latency()
		return st.resultText(sets[0])
	case qUpdate, qPreparedUpdate:
		sets, err := st.run(ctx, c, st.qtype == qPreparedUpdate)
		if err != nil {
			return "", err
		}
		n := int64(0)
		if len(sets) > 0 {
			n = sets[0].count
		}
		for _, s := range sets {
			if s.isQuery {
				if n, err = c.updateWithRows(); err != nil {
					return "", err
				}
				break
			}
		}
		latency()
		if st.qtype == qUpdate {
			return strconv.FormatInt(n, 10) + " updates", nil
		}
		return strconv.FormatInt(n, 10) + " updates.\n", nil
	case qCallable:
		return st.callable(ctx, c, latency)
	case qCommit:
		if err := c.commit(ctx); err != nil {
			return "", err
		}
		latency()
		return qCommit, nil
	case qRollback:
		if err := c.rollback(ctx); err != nil {
			return "", err
		}
		latency()
		return qRollback, nil
	case qAutoCommitOff, qAutoCommitOn:
		if err := c.setAutoCommit(ctx, st.qtype == qAutoCommitOn); err != nil {
			return "", err
		}
		latency()
		return st.qtype, nil
	}
	return "", &javaError{"java.lang.UnsupportedOperationException", "Unexpected query type: " + st.qtype}
}

// run sends the query as a Statement, or as a PreparedStatement with the
// sampler's parameters.
func (st *statement) run(ctx context.Context, c *pconn, prepared bool) ([]resultSet, error) {
	if !prepared {
		return c.run(ctx, st.query, nil, plainStatement, st.lim)
	}
	params, err := parseParams(st.args, st.types)
	if err != nil {
		return nil, err
	}
	return c.run(ctx, st.query, params, preparedStatement, st.lim)
}

// callable runs a Callable Statement: every result in turn, then the OUT
// parameters by position.
func (st *statement) callable(ctx context.Context, c *pconn, latency func()) (string, error) {
	params, err := parseParams(st.args, st.types)
	if err != nil {
		return "", err
	}
	q, ret := c.callEscape(st.query)
	hasOut := false
	for _, p := range params {
		hasOut = hasOut || p.out
	}
	bound := params
	if ret && len(bound) > 0 {
		bound = bound[1:] // "? =": the first parameter receives the result and is not sent
	}
	sets, err := c.run(ctx, q, bound, callableStatement, st.lim)
	if err != nil {
		return "", err
	}
	latency()
	var b strings.Builder
	var outs []string
	var outNull []bool
	if hasOut {
		// the driver reads the OUT values from the function's one row and
		// reports no result set
		if len(sets) == 0 || !sets[0].isQuery {
			return "", psql("42809", "A CallableStatement was executed with nothing returned.")
		}
		if len(sets[0].rows) == 0 {
			return "", psql("42809", "A CallableStatement was executed with no return.")
		}
		row := sets[0].rows[0]
		j := 0
		for _, p := range params {
			if !p.out {
				continue
			}
			if j < len(row) {
				outs, outNull = append(outs, row[j].s), append(outNull, row[j].null)
			} else {
				outs, outNull = append(outs, ""), append(outNull, true)
			}
			j++
		}
		b.WriteString("-1 updates.\n")
	} else {
		for _, s := range sets {
			if s.isQuery {
				t, err := st.resultText(s)
				if err != nil {
					return "", err
				}
				b.WriteString(t)
				b.WriteString("\n")
			} else {
				b.WriteString(strconv.FormatInt(s.count, 10) + " updates.\n")
			}
		}
	}
	b.WriteString("Output variables by position:\n")
	j := 0
	for i, p := range params {
		if !p.out {
			continue
		}
		v := outs[j]
		if outNull[j] {
			v = "null"
		}
		fmt.Fprintf(&b, "[%d] %s\n", i+1, v)
		j++
	}
	names := strings.Split(st.varNames, ",")
	for i := 0; i < len(names) && i < len(outs); i++ {
		if n := strings.TrimSpace(names[i]); n != "" {
			if outNull[i] {
				st.vars.Remove(n)
			} else {
				st.vars.Put(n, outs[i])
			}
		}
	}
	return b.String(), nil
}

// resultText formats a result set as JMeter does — column labels, then one
// line per row, tab-separated, NULL as "null" — and stores the rows in the
// variables named by the sampler (name_1 … and name_#), removing those a
// previous sample left beyond the new count.
func (st *statement) resultText(rs resultSet) (string, error) {
	var b strings.Builder
	for i, c := range rs.cols {
		b.WriteString(c)
		if i == len(rs.cols)-1 {
			b.WriteByte('\n')
		} else {
			b.WriteByte('\t')
		}
	}
	names := strings.Split(st.varNames, ",")
	n := 0
	for _, row := range rs.rows {
		if st.maxRows >= 0 && n >= st.maxRows {
			break
		}
		n++
		suffix := "_" + strconv.Itoa(n)
		for i, v := range row {
			s := v.s
			if v.null {
				s = "null"
			}
			b.WriteString(s)
			if i == len(row)-1 {
				b.WriteByte('\n')
			} else {
				b.WriteByte('\t')
			}
			if i < len(names) {
				if name := strings.TrimSpace(names[i]); name != "" {
					if v.null {
						st.vars.Remove(name + suffix) // JMeter stores a null: the variable reads as unset
					} else {
						st.vars.Put(name+suffix, v.s)
					}
				}
			}
		}
	}
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if prev, ok := st.vars.Get(name + "_#"); ok {
			p, err := strconv.ParseInt(prev, 10, 32)
			if err != nil {
				return "", numberFormat(prev)
			}
			for i := n + 1; i <= int(p); i++ {
				st.vars.Remove(name + "_" + strconv.Itoa(i))
			}
		}
		st.vars.Put(name+"_#", strconv.Itoa(n))
	}
	return b.String(), nil
}
