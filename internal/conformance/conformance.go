// Package conformance runs a JMeter plan with a tool (gometer or Apache
// JMeter) against the recording target and reduces what happened to a
// comparable observation: the requests the target received, normalised,
// and the multiset of (label, responseCode, success, failureMessage) JTL rows.
//
// The goldens under testdata/conformance/ were produced by Apache JMeter
// 5.6.3 (see regen/); the test in this package holds gometer to them.
package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/internal/realserver"
	"github.com/gometer/gometer/internal/target"
	"github.com/gometer/gometer/report"
)

// Case is one conformance plan and its normaliser.
type Case struct {
	Name  string // file name without .jmx
	Plan  string // path of the .jmx
	Rules Rules
}

// Golden is the path of the case's expected observation.
func (c Case) Golden() string { return strings.TrimSuffix(c.Plan, ".jmx") + ".golden.json" }

// Rules say which differences between tools do not count. Each rule in a
// case's .norm file is one line; a '#' starts the comment that says why.
// Replace rules apply to the requests and to the JTL labels and failure
// messages.
type Rules struct {
	DropHeaders []string // header names (canonical) left out of the comparison
	Replace     []replace
	Unordered   bool     // requests compared as a multiset (several users)
	Props       []string // extra -J name=value for both tools
	Timeout     time.Duration
	// Refused: the plan is one JMeter refuses to load; the observation is
	// whether the tool exited non-zero having sent nothing.
	Refused bool
	// Pending names a known difference gometer does not fix yet; the test
	// reports the case as skipped with the differences instead of failing.
	Pending string
	// Database names a database server the plan uses ("postgres" or
	// "mariadb"): each run gets a fresh one, its JDBC URL and user passed as
	// the properties db_url and db_user (and JMeter the JDBC driver's jar).
	Database string
	// Plugin names a JMeter plugin the plan's elements come from
	// ("luminis": the WebSocket samplers); JMeter loads its jar from
	// GOMETER_LUMINIS_JAR when the goldens are made (see PluginJar).
	Plugin string
}

type replace struct {
	re   *regexp.Regexp
	with string
}

// defaultRules apply to every case.
var defaultRules = []string{
	"drop-header User-Agent # JMeter sends Apache-HttpClient/4.5.14 (Java/…); the client's name is not behaviour",
}

// LoadCases reads every *.jmx in dir with its optional .norm file.
func LoadCases(dir string) ([]Case, error) {
	plans, err := filepath.Glob(filepath.Join(dir, "*.jmx"))
	if err != nil {
		return nil, err
	}
	sort.Strings(plans)
	var cases []Case
	for _, p := range plans {
		c := Case{Name: strings.TrimSuffix(filepath.Base(p), ".jmx"), Plan: p}
		lines := append([]string(nil), defaultRules...)
		if data, err := os.ReadFile(strings.TrimSuffix(p, ".jmx") + ".norm"); err == nil {
			lines = append(lines, strings.Split(string(data), "\n")...)
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		if c.Rules, err = parseRules(lines); err != nil {
			return nil, fmt.Errorf("%s.norm: %w", strings.TrimSuffix(p, ".jmx"), err)
		}
		cases = append(cases, c)
	}
	return cases, nil
}

func parseRules(lines []string) (Rules, error) {
	r := Rules{Timeout: 60 * time.Second}
	for i, l := range lines {
		comment := ""
		if j := strings.Index(l, " #"); j >= 0 {
			l, comment = l[:j], strings.TrimSpace(l[j+2:])
		}
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		verb, arg, _ := strings.Cut(l, " ")
		arg = strings.TrimSpace(arg)
		switch verb {
		case "drop-header":
			r.DropHeaders = append(r.DropHeaders, arg)
		case "replace":
			pat, with, ok := strings.Cut(arg, " => ")
			if !ok && strings.HasSuffix(arg, " =>") { // replaced by nothing
				pat, ok = strings.TrimSuffix(arg, " =>"), true
			}
			if !ok {
				return r, fmt.Errorf("line %d: replace needs 'regex => replacement'", i+1)
			}
			re, err := regexp.Compile(pat)
			if err != nil {
				return r, fmt.Errorf("line %d: %w", i+1, err)
			}
			r.Replace = append(r.Replace, replace{re, with})
		case "unordered":
			r.Unordered = true
		case "refused":
			r.Refused = true
		case "prop":
			r.Props = append(r.Props, arg)
		case "pending":
			r.Pending = strings.TrimSpace(arg + " " + comment)
		case "database":
			if arg != "postgres" && arg != "mariadb" {
				return r, fmt.Errorf("line %d: unknown database %q (postgres, mariadb)", i+1, arg)
			}
			r.Database = arg
		case "plugin":
			if arg != "luminis" {
				return r, fmt.Errorf("line %d: unknown plugin %q (luminis)", i+1, arg)
			}
			r.Plugin = arg
		case "timeout":
			d, err := time.ParseDuration(arg)
			if err != nil {
				return r, fmt.Errorf("line %d: %w", i+1, err)
			}
			r.Timeout = d
		default:
			return r, fmt.Errorf("line %d: unknown rule %q", i+1, verb)
		}
	}
	return r, nil
}

// JDBCDriverJar is the JDBC driver JMeter loads for a database plan: for
// PostgreSQL $GOMETER_JDBC_JAR, else Debian's libpostgresql-jdbc-java; for
// MariaDB $GOMETER_MARIADB_JAR, else Debian's libmariadb-java.
func JDBCDriverJar(database string) string {
	if database == "mariadb" {
		if j := os.Getenv("GOMETER_MARIADB_JAR"); j != "" {
			return j
		}
		return "/usr/share/java/mariadb-java-client.jar"
	}
	if j := os.Getenv("GOMETER_JDBC_JAR"); j != "" {
		return j
	}
	return "/usr/share/java/postgresql.jar"
}

// PluginJar is the jar JMeter needs for a plugin rule: the Luminis
// WebSocket samplers' jar named by GOMETER_LUMINIS_JAR (built from the
// plugin's source outside this repository; nothing of it is kept here).
func PluginJar(plugin string) (string, error) {
	if j := os.Getenv("GOMETER_LUMINIS_JAR"); j != "" {
		return j, nil
	}
	return "", fmt.Errorf("plugin %s: set GOMETER_LUMINIS_JAR to the jar of the Luminis WebSocket samplers (github.com/ptrd/jmeter-websocket-samplers)", plugin)
}

// DatabaseName is how a skipped test names the server a database rule
// needs.
func DatabaseName(database string) string {
	if database == "mariadb" {
		return "MariaDB"
	}
	return "PostgreSQL"
}

// startDatabase starts a server with an empty database "conformance" and
// returns its JDBC URL, user and how to stop it. A missing installation is
// an error wrapping realserver.ErrMissing.
func startDatabase(database string) (url, user string, stop func(), err error) {
	if database == "mariadb" {
		db, err := realserver.StartMySQL()
		if err != nil {
			return "", "", nil, err
		}
		if err := db.CreateDB("conformance"); err != nil {
			db.Stop()
			return "", "", nil, err
		}
		return strings.Replace(db.JDBCURL("conformance"), "jdbc:mysql:", "jdbc:mariadb:", 1), db.User, db.Stop, nil
	}
	db, err := realserver.StartPostgres()
	if err != nil {
		return "", "", nil, err
	}
	if err := db.CreateDB("conformance"); err != nil {
		db.Stop()
		return "", "", nil, err
	}
	return db.JDBCURL("conformance"), db.User, db.Stop, nil
}

// Request is a received request after normalisation.
type Request struct {
	Method  string              `json:"method"`
	Path    string              `json:"path"`
	Query   string              `json:"query,omitempty"`
	Headers map[string][]string `json:"headers,omitempty"`
	Cookies []string            `json:"cookies,omitempty"`
	Body    string              `json:"body,omitempty"`
}

// Row is one distinct JTL outcome with how often it occurred.
type Row struct {
	Label          string `json:"label"`
	ResponseCode   string `json:"responseCode"`
	Success        bool   `json:"success"`
	FailureMessage string `json:"failureMessage,omitempty"`
	Count          int    `json:"count"`
}

// Observation is what a tool did with a plan.
type Observation struct {
	// Refused: the tool would not run the plan (non-zero exit, only with
	// the case's refused rule).
	Refused  bool      `json:"refused,omitempty"`
	Requests []Request `json:"requests"`
	Results  []Row     `json:"results"`
}

// Tool builds the command that runs a plan: plan path, JTL path and the
// -J properties to pass.
type Tool func(ctx context.Context, plan, jtl, dir string, props []string) *exec.Cmd

// GometerTool runs a gometer binary.
func GometerTool(bin string) Tool {
	return func(ctx context.Context, plan, jtl, dir string, props []string) *exec.Cmd {
		args := []string{"-n", "-t", plan, "-l", jtl}
		for _, p := range props {
			args = append(args, "-J"+p)
		}
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = dir
		return cmd
	}
}

// JMeterTool runs Apache JMeter from its installation folder.
func JMeterTool(home string) Tool {
	return func(ctx context.Context, plan, jtl, dir string, props []string) *exec.Cmd {
		args := []string{"-n", "-t", plan, "-l", jtl, "-j", filepath.Join(dir, "jmeter.log")}
		for _, p := range props {
			args = append(args, "-J"+p)
		}
		cmd := exec.CommandContext(ctx, filepath.Join(home, "bin", "jmeter"), args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HEAP=-Xms256m -Xmx1g")
		return cmd
	}
}

// Run runs one case with a tool against a fresh recording target and
// returns the normalised observation. dir is a scratch folder.
func Run(c Case, tool Tool, dir string) (*Observation, []byte, error) {
	var rec bytes.Buffer
	srv := target.New(target.Options{Record: &rec, Seed: 1})
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	defer srv.Close()
	u, _ := url.Parse(base)
	host, port, _ := net.SplitHostPort(u.Host)
	abs, err := filepath.Abs(c.Plan)
	if err != nil {
		return nil, nil, err
	}
	jtl := filepath.Join(dir, c.Name+".jtl")
	os.Remove(jtl)
	// workdir: the run's own folder, for plans that write files
	props := append([]string{"host=" + host, "port=" + port, "workdir=" + dir}, c.Rules.Props...)
	var jars []string // for JMeter's plugin_dependency_paths
	if c.Rules.Database != "" {
		url, user, stop, err := startDatabase(c.Rules.Database)
		if err != nil {
			return nil, nil, err
		}
		defer stop()
		props = append(props, "db_url="+url, "db_user="+user)
		jars = append(jars, JDBCDriverJar(c.Rules.Database))
	}
	if c.Rules.Plugin != "" {
		if jar, err := PluginJar(c.Rules.Plugin); err == nil { // gometer needs no jar; regen checks JMeter has one
			jars = append(jars, jar)
		}
	}
	if len(jars) > 0 {
		props = append(props, "plugin_dependency_paths="+strings.Join(jars, ";"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.Rules.Timeout)
	defer cancel()
	cmd := tool(ctx, abs, jtl, dir, props)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return nil, out, fmt.Errorf("%s: did not finish in %v", c.Name, c.Rules.Timeout)
	}
	var exit *exec.ExitError
	refused := c.Rules.Refused && errors.As(err, &exit)
	if err != nil && !refused {
		return nil, out, fmt.Errorf("%s: %v", c.Name, err)
	}
	srv.Close()
	records, err := target.ReadRecords(bytes.NewReader(rec.Bytes()))
	if err != nil {
		return nil, out, err
	}
	var rows []Row
	if !refused {
		if rows, err = readRows(jtl); err != nil {
			return nil, out, err
		}
	}
	// Sub-results are labelled with their URL, which carries the random
	// port; the case's replace rules apply to labels and messages too.
	for i := range rows {
		for _, f := range []*string{&rows[i].Label, &rows[i].FailureMessage} {
			*f = strings.ReplaceAll(*f, host+":"+port, "HOST:PORT")
			for _, rp := range c.Rules.Replace {
				*f = rp.re.ReplaceAllString(*f, rp.with)
			}
		}
	}
	rows = mergeRows(rows)
	obs := &Observation{Refused: refused, Results: rows}
	for _, r := range records {
		obs.Requests = append(obs.Requests, c.Rules.normalise(r, host, port))
	}
	if c.Rules.Unordered {
		sort.SliceStable(obs.Requests, func(i, j int) bool { return key(obs.Requests[i]) < key(obs.Requests[j]) })
	}
	return obs, out, nil
}

func key(r Request) string {
	b, _ := json.Marshal(r)
	return string(b)
}

func (rl Rules) normalise(r target.Record, host, port string) Request {
	out := Request{Method: r.Method, Path: r.Path, Query: r.Query, Cookies: r.Cookies, Body: r.Body}
	if r.BodyBase64 {
		out.Body = "base64:" + r.Body
	}
	drop := map[string]bool{}
	for _, h := range rl.DropHeaders {
		drop[h] = true
	}
	for name, vals := range r.Headers {
		if drop[name] || name == "Cookie" { // cookies are compared one by one
			continue
		}
		if out.Headers == nil {
			out.Headers = map[string][]string{}
		}
		out.Headers[name] = vals
	}
	// The port is random per run.
	fix := func(s string) string {
		s = strings.ReplaceAll(s, host+":"+port, "HOST:PORT")
		for _, rp := range rl.Replace {
			s = rp.re.ReplaceAllString(s, rp.with)
		}
		return s
	}
	out.Path, out.Query, out.Body = fix(out.Path), fix(out.Query), fix(out.Body)
	for k, vs := range out.Headers {
		nv := make([]string, len(vs))
		for i, v := range vs {
			nv[i] = fix(v)
		}
		out.Headers[k] = nv
	}
	for i, c := range out.Cookies {
		out.Cookies[i] = fix(c)
	}
	return out
}

// mergeRows adds up rows that normalisation made equal and sorts them.
func mergeRows(rows []Row) []Row {
	counts := map[Row]int{}
	for _, r := range rows {
		n := r.Count
		r.Count = 0
		counts[r] += n
	}
	out := make([]Row, 0, len(counts))
	for k, n := range counts {
		k.Count = n
		out = append(out, k)
	}
	sortRows(out)
	return out
}

// readRows reduces a JTL to its multiset of outcomes, sorted.
func readRows(path string) ([]Row, error) {
	r, err := report.OpenJTL(path, report.ReadOptions{Props: functions.NewProperties(), Strict: true})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	counts := map[Row]int{}
	for {
		s, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		counts[Row{Label: s.Label, ResponseCode: s.ResponseCode, Success: s.Success, FailureMessage: s.FailureMessage}]++
	}
	rows := make([]Row, 0, len(counts))
	for k, n := range counts {
		k.Count = n
		rows = append(rows, k)
	}
	sortRows(rows)
	return rows, nil
}

func sortRows(rows []Row) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Label != b.Label {
			return a.Label < b.Label
		}
		if a.ResponseCode != b.ResponseCode {
			return a.ResponseCode < b.ResponseCode
		}
		if a.Success != b.Success {
			return !a.Success
		}
		return a.FailureMessage < b.FailureMessage
	})
}

// Diff lists the differences between an expected and an actual observation,
// naming the request or row that differs.
func Diff(want, got *Observation) []string {
	var d []string
	if want.Refused != got.Refused {
		d = append(d, fmt.Sprintf("JMeter refused the plan: %v, gometer: %v", want.Refused, got.Refused))
	}
	n := len(want.Requests)
	if len(got.Requests) > n {
		n = len(got.Requests)
	}
	for i := 0; i < n && len(d) < 20; i++ {
		switch {
		case i >= len(want.Requests):
			d = append(d, fmt.Sprintf("request #%d: unexpected %s", i+1, short(got.Requests[i])))
		case i >= len(got.Requests):
			d = append(d, fmt.Sprintf("request #%d: missing %s", i+1, short(want.Requests[i])))
		default:
			if w, g := key(want.Requests[i]), key(got.Requests[i]); w != g {
				d = append(d, fmt.Sprintf("request #%d differs:\n    JMeter:  %s\n    gometer: %s", i+1, w, g))
			}
		}
	}
	if len(want.Requests) != len(got.Requests) {
		d = append(d, fmt.Sprintf("JMeter sent %d requests, gometer %d", len(want.Requests), len(got.Requests)))
	}
	wr, gr := map[string]int{}, map[string]int{}
	for _, r := range want.Results {
		wr[rowKey(r)] = r.Count
	}
	for _, r := range got.Results {
		gr[rowKey(r)] = r.Count
	}
	var keys []string
	for k := range wr {
		keys = append(keys, k)
	}
	for k := range gr {
		if _, ok := wr[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if wr[k] != gr[k] {
			d = append(d, fmt.Sprintf("JTL rows %s: JMeter %d, gometer %d", k, wr[k], gr[k]))
		}
	}
	return d
}

func rowKey(r Row) string {
	return fmt.Sprintf("(label %q, code %q, success %v, failureMessage %q)", r.Label, r.ResponseCode, r.Success, r.FailureMessage)
}

func short(r Request) string {
	s := r.Method + " " + r.Path
	if r.Query != "" {
		s += "?" + r.Query
	}
	return s
}

// WriteGolden stores an observation as indented JSON.
func WriteGolden(path string, o *Observation) error {
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ReadGolden loads an observation.
func ReadGolden(path string) (*Observation, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var o Observation
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &o, nil
}
